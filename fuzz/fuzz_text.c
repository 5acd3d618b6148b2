/* fuzz_text.c — the text-token parser: a handler-dialect answer (see
 * fuzz.h for the header line) through sc_parse, with the result's
 * invariants checked and a second parse compared with the first. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  struct fz_input f;
  fz_split(data, size, FZ_TEXT_ONLY, &f);
  struct sc_result r;
  fz_parse_checked(&f.in, &r);
  sc_result_free(&r);
  return 0;
}
