/* test_checks_dialect.c — the check catalogue on a dialect described as
 * data: examples/dialect/problem-details.json (profile "acme": errors as
 * {"title","details"} with HTTP statuses, NOT_FOUND in NO_ACTIVATION's
 * part, getBalance at /v2/wallet, setStatus answering 204 without a body,
 * its own timings), loaded as a user's profile file is.
 *
 * The simulator speaking acme passes the whole suite run as acme; run as
 * the reference profile against it, every error answer is reported as the
 * deviation it is there (its envelope, its status); run as acme against
 * the reference simulator, every plain-text error is reported as
 * ERROR_FORM. A profile's path, method and parameter names are where and
 * how the engine sends an action. Every test starts its own simulator or
 * listener. */
#include "run_util.h"

#include "sc_checks.h"
#include "sc_listen.h"
#include "sc_report.h"
#include "sc_run.h"
#include "sc_spec.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DIALECT_FILE SC_SOURCE_DIR "/examples/dialect/problem-details.json"
#define DIALECT "acme"
#define REFERENCE "sms-activate"

TestSuite(checks_dialect, .init = ru_setup, .fini = ru_teardown,
          .timeout = 120);

/* The action an exchange asked for ("action=NAME" in its query or form),
 * into |out|; "" when none. */
static void exchange_action(const struct sc_exchange *e, char *out, size_t n) {
  const char *srcs[2] = {e->url, e->request_body};
  out[0] = '\0';
  for (int i = 0; i < 2 && !out[0]; i++) {
    const char *p = srcs[i] ? strstr(srcs[i], "action=") : NULL;
    if (p && (p == srcs[i] || p[-1] == '?' || p[-1] == '&')) {
      p += 7;
      snprintf(out, n, "%.*s", (int)strcspn(p, "&"), p);
    }
  }
}

/* True when exchange |e| is a request of the API (not of the control
 * protocol) whose answer |profile| reads as an error. */
static int error_answer(const struct sc_spec *spec, const char *profile,
                        const struct sc_exchange *e) {
  char action[64];
  exchange_action(e, action, sizeof action);
  if (!action[0] || strstr(e->url, "/control/") || !e->status)
    return 0;
  struct sc_input in = {action,          profile, (int)e->status,
                        e->content_type, e->body, e->body ? e->body_len : 0};
  struct sc_result res;
  int err = sc_parse(spec, &in, &res) != SC_ERR_OK;
  int error = !err && res.kind == SC_KIND_ERROR;
  sc_result_free(&res);
  return error;
}

/* True when the parser's deviations kept for |r| name |code|. */
static int has_dev(const struct sc_check_result *r, const char *code) {
  for (size_t i = 0; i < r->ndevs; i++)
    if (strcmp(r->devs[i].code, code) == 0)
      return 1;
  return 0;
}

/* The last exchange of |r| that asked for |action| with HTTP |status|
 * (0: any), or NULL. */
static const struct sc_exchange *exchange_of(const struct sc_check_result *r,
                                             const char *action, long status) {
  for (size_t i = r->nex; i-- > 0;) {
    char a[64];
    exchange_action(&r->ex[i], a, sizeof a);
    if (strcmp(a, action) == 0 && (!status || r->ex[i].status == status))
      return &r->ex[i];
  }
  return NULL;
}

static const struct sc_check_result *must_find(const struct sc_report *rep,
                                               const char *id) {
  const struct sc_check_result *r = ru_find(rep, id);
  cr_assert_not_null(r, "no check %s in the run", id);
  return r;
}

/* The acme simulator, run as acme: nothing fails or errs; the error checks
 * keep their reference ids and expect acme's tokens; setStatus succeeds
 * with an empty 204; getBalance goes to its own path. */
Test(checks_dialect, dialect_passes_against_its_simulator) {
  struct sc_spec *spec = ru_spec_with(DIALECT_FILE);
  struct sc_report rep;
  struct ru_opts o = {.profile = DIALECT, .spec = spec};
  ru_run(&o, &rep);
  cr_expect_gt(rep.nresults, 30u, "%zu checks", rep.nresults);
  for (size_t k = 0; k < rep.nresults; k++) {
    const struct sc_check_result *r = &rep.results[k];
    cr_expect(r->verdict != SC_VERDICT_FAIL && r->verdict != SC_VERDICT_ERROR,
              "%s is %s: %s", r->id, sc_verdict_name(r->verdict),
              r->message ? r->message : "");
  }
  cr_expect_eq(rep.counts[SC_VERDICT_FAIL] + rep.counts[SC_VERDICT_ERROR], 0u);

  /* NOT_FOUND plays NO_ACTIVATION: the check keeps its id, receives
   * NOT_FOUND with 404, and passes */
  const struct sc_check_result *r =
      must_find(&rep, "error.getStatus.NO_ACTIVATION");
  cr_expect_eq(r->verdict, SC_VERDICT_PASS, "%s: %s", r->id,
               r->message ? r->message : "");
  cr_expect(strstr(r->requirement, "NOT_FOUND"), "%s", r->requirement);
  const struct sc_exchange *e = exchange_of(r, "getStatus", 404);
  cr_expect(e && e->body && strstr(e->body, "NOT_FOUND"),
            "error.getStatus.NO_ACTIVATION did not receive NOT_FOUND with "
            "HTTP 404");

  /* a setStatus transition whose success is the empty 204 */
  int found = 0;
  for (size_t k = 0; k < rep.nresults && !found; k++) {
    const struct sc_check_result *t = &rep.results[k];
    if (strncmp(t->id, "lifecycle.setStatus.", 20) != 0 ||
        t->verdict != SC_VERDICT_PASS)
      continue;
    const struct sc_exchange *x = exchange_of(t, "setStatus", 204);
    found = x && x->body_len == 0;
  }
  cr_expect(found, "no setStatus transition passed on an empty 204");

  /* getBalance at its own path on the origin of --url */
  r = must_find(&rep, "format.getBalance");
  cr_expect_eq(r->verdict, SC_VERDICT_PASS, "%s: %s", r->id,
               r->message ? r->message : "");
  e = exchange_of(r, "getBalance", 0);
  cr_expect(e && strstr(e->url, "/v2/wallet?") &&
                !strstr(e->url, "handler_api.php"),
            "format.getBalance was sent to %s", e ? e->url : "nowhere");
  sc_report_free(&rep);
  sc_spec_destroy(spec);
}

/* Every error check of |rep| that received an answer |sim_profile| reads as
 * an error is WARN or FAIL, and its kept deviations name one of |codes|
 * (NULL-terminated). Returns how many such checks there were. */
static size_t expect_errors_flagged(const struct sc_spec *spec,
                                    const struct sc_report *rep,
                                    const char *sim_profile,
                                    const char *const *codes) {
  size_t n = 0;
  for (size_t k = 0; k < rep->nresults; k++) {
    const struct sc_check_result *r = &rep->results[k];
    int got_error = 0;
    for (size_t i = 0; i < r->nex && !got_error; i++)
      got_error = error_answer(spec, sim_profile, &r->ex[i]);
    if (r->cat != SC_CAT_ERROR || !got_error)
      continue;
    n++;
    int named = 0;
    for (size_t i = 0; codes[i] && !named; i++)
      named = has_dev(r, codes[i]);
    cr_expect(r->verdict == SC_VERDICT_WARN || r->verdict == SC_VERDICT_FAIL,
              "%s received an error and is %s: %s", r->id,
              sc_verdict_name(r->verdict), r->message ? r->message : "");
    cr_expect(named, "%s (%s) names none of the envelope's deviations: %s",
              r->id, sc_verdict_name(r->verdict), r->message ? r->message : "");
  }
  return n;
}

/* The reference profile against the acme simulator: each error in the
 * problem-details envelope with its status is a deviation of the
 * reference. */
Test(checks_dialect, reference_flags_the_dialect) {
  struct sc_spec *spec = ru_spec_with(DIALECT_FILE);
  struct sc_report rep;
  struct ru_opts o = {
      .profile = REFERENCE, .sim_profile = DIALECT, .spec = spec};
  ru_run(&o, &rep);
  static const char *const codes[] = {"PROBLEM_DETAILS", "ERROR_FORM",
                                      "HTTP_STATUS", NULL};
  size_t n = expect_errors_flagged(spec, &rep, DIALECT, codes);
  cr_expect_gt(n, 3u, "only %zu error checks received an error", n);
  /* NOT_FOUND with HTTP 404 is getStatus's own answer, a token the
   * reference does not know: getStatus exists, and the check that owns
   * the unknown id says what came */
  const struct sc_check_result *sup = must_find(&rep, "support.getStatus");
  cr_expect_eq(sup->verdict, SC_VERDICT_PASS, "support.getStatus: %s: %s",
               sc_verdict_name(sup->verdict),
               sup->message ? sup->message : "");
  const struct sc_check_result *na =
      must_find(&rep, "error.getStatus.NO_ACTIVATION");
  cr_expect_eq(na->verdict, SC_VERDICT_FAIL);
  cr_expect(na->message && strstr(na->message, "NOT_FOUND"), "%s",
            na->message ? na->message : "");
  /* the acme simulator's control offers no webhooks: those checks lack
   * what they need, they are no tool error */
  for (size_t k = 0; k < rep.nresults; k++)
    cr_expect(rep.results[k].verdict != SC_VERDICT_ERROR, "%s: ERROR: %s",
              rep.results[k].id,
              rep.results[k].message ? rep.results[k].message : "");
  sc_report_free(&rep);
  sc_spec_destroy(spec);
}

/* acme against the reference simulator: its plain-text errors are not
 * the envelope acme declares. */
Test(checks_dialect, dialect_flags_text_errors) {
  struct sc_spec *spec = ru_spec_with(DIALECT_FILE);
  struct sc_report rep;
  struct ru_opts o = {
      .profile = DIALECT, .sim_profile = REFERENCE, .spec = spec};
  ru_run(&o, &rep);
  static const char *const codes[] = {"ERROR_FORM", NULL};
  size_t n = expect_errors_flagged(spec, &rep, REFERENCE, codes);
  cr_expect_gt(n, 3u, "only %zu error checks received an error", n);
  sc_report_free(&rep);
  sc_spec_destroy(spec);
}

/* A dialect that moves getBalance to a path of its own, as a POST form,
 * with the key under another name: every request of the run (the first
 * probe, support.getBalance, format.getBalance) reaches the listener
 * there, so named; the listener records POSTs only, so a request sent
 * elsewhere or as a GET is missing from the count. */
static const char wire_profile[] =
    "{\"version\": 1, \"name\": \"wire\", \"extends\": \"sms-activate\",\n"
    " \"sources\": [{\"doc\": \"wire.md\", \"section\": \"Wallet\"}],\n"
    " \"overrides\": {\"getBalance\": {\"path\": \"/wallet\", "
    "\"method\": \"POST\",\n"
    "   \"rename\": {\"api_key\": \"key\"},\n"
    "   \"sources\": [{\"doc\": \"wire.md\", \"section\": \"Wallet\"}]}}}\n";

Test(checks_dialect, requests_follow_the_profile) {
  char path[] = "/tmp/smsconform-wire-XXXXXX";
  int fd = mkstemp(path);
  cr_assert_geq(fd, 0);
  FILE *f = fdopen(fd, "w");
  cr_assert_not_null(f);
  fputs(wire_profile, f);
  fclose(f);
  struct sc_spec *spec = ru_spec_with(path);
  unlink(path);
  char err[256], url[160];
  struct sc_listen *l = sc_listen_new(err, sizeof err);
  cr_assert_not_null(l, "%s", err);
  snprintf(url, sizeof url, "http://127.0.0.1:%u/stubs/handler_api.php",
           sc_listen_port(l));
  static const char *const only[] = {"format.getBalance", NULL};
  struct sc_run_opts ro = {.catalogue = sc_checks_catalogue(),
                           .spec = spec,
                           .profile = "wire",
                           .url = url,
                           .key = RU_KEY1,
                           .only = only,
                           .timeout_ms = 5000};
  struct sc_report rep;
  cr_assert_eq(sc_run(&ro, &rep, err, sizeof err), SC_RUN_OK, "%s", err);
  size_t n = sc_listen_count(l);
  /* the first probe, support.getBalance, format.getBalance */
  cr_expect_eq(n, 3u, "%zu requests reached the listener", n);
  for (size_t i = 0; i < n; i++) {
    struct sc_listen_hit h;
    cr_assert_eq(sc_listen_hit(l, i, &h), 0);
    cr_expect_str_eq(h.path, "/wallet");
    cr_expect(strstr(h.body, "key=" RU_KEY1) && !strstr(h.body, "api_key=") &&
                  strstr(h.body, "action=getBalance"),
              "request %zu: %s", i, h.body);
    sc_listen_hit_free(&h);
  }
  sc_report_free(&rep);
  sc_listen_destroy(l);
  sc_spec_destroy(spec);
}
