/* fuzz_json.c — the JSON response parser for every action of every
 * profile, REST included (the header line selects them, see fuzz.h), and
 * the strict JSON validator under it: whatever the validator accepts,
 * cJSON must parse too, but for a surrogate escape without its pair, which
 * the parser reports as a JSON_SYNTAX FAIL. */
#include "fuzz.h"

#include "sc_json.h"

#include <cjson/cJSON.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  struct fz_input f;
  fz_split(data, size, FZ_ANY, &f);
  struct sc_result r;
  fz_parse_checked(&f.in, &r);
  sc_result_free(&r);

  struct sc_json_error je;
  enum sc_json_err e = sc_json_validate(f.in.body, f.in.body_len, &je);
  if (e == SC_JSON_ERR_OK) {
    cJSON *j = cJSON_ParseWithLength(f.in.body, f.in.body_len);
    FZ_CHECK((j != NULL) ==
                 (sc_json_lone_surrogate(f.in.body, f.in.body_len) ==
                  (size_t)-1),
             "the validator accepts a body that cJSON rejects, and it holds "
             "no lone surrogate");
    cJSON_Delete(j);
  } else {
    FZ_CHECK(je.offset <= f.in.body_len, "error offset %zu past the end",
             je.offset);
  }
  return 0;
}
