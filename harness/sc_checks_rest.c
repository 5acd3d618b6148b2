/* sc_checks_rest.c — see sc_checks_int.h. */
#include "sc_checks_int.h"

void ck_plan_rest(struct ck_builder *b) {
  (void)b;
}
