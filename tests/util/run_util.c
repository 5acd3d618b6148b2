/* run_util.c — see run_util.h. */
#include "run_util.h"

#include "sc_buf.h"
#include "sc_checks.h"
#include "sc_sim.h"
#include "sc_spec.h"

#include <criterion/criterion.h>
#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

struct sc_spec *ru_spec;

void ru_setup(void) {
  enum sc_err e;
  curl_global_init(CURL_GLOBAL_DEFAULT);
  ru_spec = sc_spec_new(NULL, &e, NULL);
  cr_assert_not_null(ru_spec);
}

void ru_teardown(void) {
  sc_spec_destroy(ru_spec);
  ru_spec = NULL;
  curl_global_cleanup();
}

struct sc_spec *ru_spec_with(const char *path) {
  struct sc_buf diag;
  enum sc_err e = SC_ERR_OK;
  sc_buf_init(&diag, 1u << 20);
  struct sc_spec *s = sc_spec_load(NULL, &path, 1, &diag, &e);
  cr_assert_not_null(s, "%s: %s: %s", path, sc_strerror(e),
                     diag.len ? diag.ptr : "");
  cr_assert_eq(diag.len, 0u, "%s: %s", path, diag.ptr);
  sc_buf_free(&diag);
  return s;
}

void ru_run(const struct ru_opts *o, struct sc_report *rep) {
  char err[256];
  const struct sc_spec *spec = o->spec ? o->spec : ru_spec;
  struct sc_sim_config cfg = {.keys = RU_KEY1 ":100," RU_KEY2 ":100",
                              .seed = 3,
                              .early_cancel_seconds = -1,
                              .profile =
                                  o->sim_profile ? o->sim_profile : o->profile,
                              .faults = o->faults,
                              .rate_limit = o->rate_limit,
                              .actions = o->sim_actions,
                              .stock = o->stock,
                              .control_v1 = o->control_v1,
                              .spec = spec};
  struct sc_sim *sim = sc_sim_new(&cfg, err, sizeof err);
  cr_assert_not_null(sim, "%s", err);
  char url[128], ctl[128];
  snprintf(url, sizeof url, "http://127.0.0.1:%u%s", sc_sim_port(sim),
           sc_sim_is_rest(sim) ? "/api/v1" : "/stubs/handler_api.php");
  snprintf(ctl, sizeof ctl, "http://127.0.0.1:%u/control", sc_sim_port(sim));
  struct sc_run_opts ro = {.catalogue = o->catalogue ? o->catalogue
                                                    : sc_checks_catalogue(),
                           .spec = spec,
                           .profile = o->profile,
                           .url = url,
                           .control = o->no_control ? NULL : ctl,
                           .key = RU_KEY1,
                           .key2 = o->no_key2 ? NULL : RU_KEY2,
                           .only = o->only,
                           .strict = o->strict,
                           .smoke = o->smoke,
                           .actions = o->actions,
                           .max_spend = o->max_spend,
                           .allow_wait = o->allow_wait,
                           .timeout_ms = 5000};
  int rc = sc_run(&ro, rep, err, sizeof err);
  if (o->keep)
    *o->keep = sim;
  else
    sc_sim_destroy(sim);
  cr_assert_eq(rc, SC_RUN_OK, "%s", err);
}

void ru_url(struct sc_sim *sim, char *buf, size_t n) {
  snprintf(buf, n, "http://127.0.0.1:%u%s", sc_sim_port(sim),
           sc_sim_is_rest(sim) ? "/api/v1" : "/stubs/handler_api.php");
}

const struct sc_check_result *ru_find(const struct sc_report *r,
                                      const char *id) {
  for (size_t i = 0; i < r->nresults; i++)
    if (strcmp(r->results[i].id, id) == 0)
      return &r->results[i];
  return NULL;
}

void ru_expect_caught(const char *profile, const char *fault, const char *id,
                      const char *quote) {
  struct sc_report rep;
  /* the whole suite, as a user starts it: no --only */
  struct ru_opts o = {.profile = profile, .faults = fault};
  ru_run(&o, &rep);
  const struct sc_check_result *r = ru_find(&rep, id);
  cr_assert_not_null(r, "no check %s in %s", id, profile ? profile : "");
  cr_expect_eq(r->verdict, SC_VERDICT_FAIL, "%s with %s: %s: %s", id, fault,
               sc_verdict_name(r->verdict), r->message ? r->message : "");
  cr_expect(r->message && r->expected && r->actual && r->curl && r->cause,
            "%s: a failure names expected, actual, its cause and a "
            "reproduction",
            id);
  if (quote)
    cr_expect(r->message && strstr(r->message, quote), "%s: '%s' not in: %s",
              id, quote, r->message ? r->message : "");
  cr_expect_gt(sc_report_blockers(&rep), 0u, "%s does not fail the run",
               fault);
  sc_report_free(&rep);
}
