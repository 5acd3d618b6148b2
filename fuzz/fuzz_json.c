/* fuzz_json.c — the JSON response parser for every action of every
 * profile, REST included (the header line selects them, see fuzz.h), and
 * the JSON layer under it:
 *   - the strict validator (sc_json_validate): whatever it accepts, cJSON
 *     parses too, but for a surrogate escape without its pair, which the
 *     parser reports as a JSON_SYNTAX FAIL;
 *   - the one-pass parser (sc_json_parse), differentially: on a body the
 *     validator refuses, the same code at the same offset and no tree; on
 *     a valid body that cJSON refuses, SURROGATE at the first lone
 *     surrogate; otherwise a tree equal to cJSON_ParseWithLength's in
 *     every node: type, key, string, the double bit for bit, the int, and
 *     the prev/next links. */
#include "fuzz.h"

#include "sc_json.h"

#include <cjson/cJSON.h>
#include <string.h>

/* The list starting at |a| equals the one at |b| (see above); |root| when
 * they are the roots, which have no siblings and no prev. */
static int same_list(const cJSON *a, const cJSON *b, int root) {
  const cJSON *fa = a, *fb = b, *pa = NULL, *pb = NULL;
  for (; a && b; pa = a, pb = b, a = a->next, b = b->next) {
    if (a->type != b->type || a->valueint != b->valueint ||
        memcmp(&a->valuedouble, &b->valuedouble, sizeof(double)) != 0)
      return 0;
    if ((a->string == NULL) != (b->string == NULL) ||
        (a->string && strcmp(a->string, b->string) != 0))
      return 0;
    if ((a->valuestring == NULL) != (b->valuestring == NULL) ||
        (a->valuestring && strcmp(a->valuestring, b->valuestring) != 0))
      return 0;
    if (a != fa && (a->prev != pa || b->prev != pb))
      return 0;
    if (!same_list(a->child, b->child, 0))
      return 0;
  }
  if (a || b)
    return 0;
  /* the first node's prev: the last node, or nothing at the root */
  if (fa && (fa->prev != (root ? NULL : pa) || fb->prev != (root ? NULL : pb)))
    return 0;
  return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  struct fz_input f;
  fz_split(data, size, FZ_ANY, &f);
  struct sc_result r;
  fz_parse_checked(&f.in, &r);
  sc_result_free(&r);

  struct sc_json_error je, pe;
  enum sc_json_err e = sc_json_validate(f.in.body, f.in.body_len, &je);
  cJSON *ours = sc_json_parse(f.in.body, f.in.body_len, &pe);
  FZ_CHECK(pe.code != SC_JSON_ERR_NOMEM, "sc_json_parse: out of memory");
  if (e == SC_JSON_ERR_OK) {
    cJSON *j = cJSON_ParseWithLength(f.in.body, f.in.body_len);
    size_t lone = sc_json_lone_surrogate(f.in.body, f.in.body_len);
    FZ_CHECK((j != NULL) == (lone == (size_t)-1),
             "the validator accepts a body that cJSON rejects, and it holds "
             "no lone surrogate");
    if (j) {
      FZ_CHECK(ours && pe.code == SC_JSON_ERR_OK && pe.offset == 0,
               "cJSON parses the body, sc_json_parse says %s at %zu",
               sc_json_err_name(pe.code), pe.offset);
      FZ_CHECK(same_list(ours, j, 1),
               "sc_json_parse's tree differs from cJSON's");
    } else {
      FZ_CHECK(!ours && pe.code == SC_JSON_ERR_SURROGATE && pe.offset == lone,
               "lone surrogate at %zu, sc_json_parse says %s at %zu", lone,
               sc_json_err_name(pe.code), pe.offset);
    }
    cJSON_Delete(j);
  } else {
    FZ_CHECK(je.offset <= f.in.body_len, "error offset %zu past the end",
             je.offset);
    FZ_CHECK(!ours && pe.code == je.code && pe.offset == je.offset,
             "the validator says %s at %zu, sc_json_parse %s at %zu",
             sc_json_err_name(je.code), je.offset, sc_json_err_name(pe.code),
             pe.offset);
  }
  cJSON_Delete(ours);
  return 0;
}
