/* fuzz_spec.c — the spec loader and lint on a user's own file (a profile,
 * actions or tokens file, told apart by content, as `smsconform lint FILE`
 * and `run --profile FILE` read it): loaded on top of the embedded spec.
 * A file is either accepted, or refused with SC_ERR_SPEC and at least one
 * diagnostic line; a spec that is accepted must then parse answers for
 * every action of every profile without trouble. */
#include "fuzz.h"

#include "sc_buf.h"
#include "sc_spec.h"

#include <string.h>

/* Answers of both kinds for every action each profile offers. */
static void parse_with(const struct sc_spec *s) {
  static const char *const bodies[] = {"ACCESS_NUMBER:1:79990000000",
                                       "{\"status\":\"error\",\"message\":"
                                       "\"BAD_KEY\"}"};
  for (size_t p = 0; p < s->nprofiles; p++)
    for (size_t a = 0; a < s->nactions; a++) {
      if (!sc_profile_has_action(&s->profiles[p], s->actions[a].name))
        continue;
      for (size_t b = 0; b < 2; b++) {
        struct sc_input in = {.action = s->actions[a].name,
                              .profile = s->profiles[p].name,
                              .http_status = 200,
                              .body = bodies[b],
                              .body_len = strlen(bodies[b])};
        struct sc_result r;
        enum sc_err e = sc_parse(s, &in, &r);
        FZ_CHECK(e == SC_ERR_OK, "a linted spec: sc_parse(%s, %s): %s",
                 in.action, in.profile, sc_strerror(e));
        fz_check_result(&in, &r);
        sc_result_free(&r);
      }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  struct sc_spec_file f = {"user.json", (const char *)data, size};
  struct sc_buf diag;
  sc_buf_init(&diag, 1u << 20);
  enum sc_err err = SC_ERR_OK;
  struct sc_spec *s = sc_spec_load_mem(&f, 1, &diag, &err);
  if (s) {
    FZ_CHECK(err == SC_ERR_OK, "a spec returned with error %s",
             sc_err_name(err));
    parse_with(s);
    sc_spec_destroy(s);
  } else {
    FZ_CHECK(err == SC_ERR_SPEC || err == SC_ERR_NOMEM,
             "refused with %s", sc_err_name(err));
    if (err == SC_ERR_SPEC)
      FZ_CHECK(diag.len > 0, "a spec refused without a diagnostic");
  }
  sc_buf_free(&diag);
  return 0;
}
