/* sc_checks_rent.c — see sc_checks_int.h. */
#include "sc_checks_int.h"

void ck_plan_rent(struct ck_builder *b) {
  (void)b;
}
