/* test_checks_robust.c — the checks of sc_checks_robust.c against the simulator. */
#include "run_util.h"

#include "sc_checks.h"
#include "sc_sim.h"
#include "sc_spec.h"

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

TestSuite(checks_robust, .init = ru_setup, .fini = ru_teardown, .timeout = 60);

static const char *const profiles[] = {"sms-activate", "koalasms", "smsbulk",
                                       "securesms"};

static int is_robust(const char *id) {
  return strncmp(id, "robustness.", 7) == 0;
}

ParameterizedTestParameters(checks_robust, faithful_simulator_passes) {
  static int idx[] = {0, 1, 2, 3};
  return cr_make_param_array(int, idx, sizeof idx / sizeof *idx);
}

/* The faithful simulator answers every bad input as the documents allow:
 * each robust check PASS or WARN (a token the spec knows but does not list
 * for the action), none FAIL, ERROR or SKIP, each citing its source. */
ParameterizedTest(int *i, checks_robust, faithful_simulator_passes) {
  const char *const only[] = {"robustness.*", NULL};
  struct ru_opts o = {.profile = profiles[*i], .only = only};
  struct sc_report rep;
  ru_run(&o, &rep);
  size_t n = 0;
  for (size_t k = 0; k < rep.nresults; k++) {
    const struct sc_check_result *r = &rep.results[k];
    if (!is_robust(r->id))
      continue;
    n++;
    cr_expect(r->verdict == SC_VERDICT_PASS || r->verdict == SC_VERDICT_WARN,
              "%s: %s is %s: %s", profiles[*i], r->id,
              sc_verdict_name(r->verdict), r->message ? r->message : "");
    cr_expect(r->doc && r->section && r->requirement && *r->requirement,
              "%s: %s has no citation or requirement", profiles[*i], r->id);
    cr_expect_eq(r->cat, SC_CAT_ROBUSTNESS, "%s is not a robustness check",
                 r->id);
  }
  cr_expect_gt(n, 5u, "%s: only %zu robust checks", profiles[*i], n);
  sc_report_free(&rep);
}

/* A fault and the robust check that must catch it. */
struct caught {
  const char *fault;
  const char *check;
};

static const struct caught caught[] = {
    /* a non-numeric id leaks SQLSTATE text */
    {"sql-leak", "robustness.getStatus.id"},
    /* BAD_KEY:<key> repeats the run's key, which the bad keys start with */
    {"key-echoed", "robustness.getBalance.api_key"},
    /* a wrong key gets an HTML 403 page */
    {"html-error-page", "robustness.getBalance.api_key"},
    /* the refusal of a bad service comes with HTTP 500 */
    {"http-500-errors", "robustness.getNumber.service"},
    /* ... and of a bad status */
    {"http-500-errors", "robustness.setStatus.status"},
};

ParameterizedTestParameters(checks_robust, fault_is_caught) {
  static int idx[] = {0, 1, 2, 3, 4};
  cr_assert_eq(sizeof idx / sizeof *idx, sizeof caught / sizeof *caught);
  return cr_make_param_array(int, idx, sizeof idx / sizeof *idx);
}

ParameterizedTest(int *i, checks_robust, fault_is_caught) {
  ru_expect_caught(NULL, caught[*i].fault, caught[*i].check, NULL);
}

/* The failure names the bad input, and the key it echoed stays out of
 * the report: in the message, expected, actual and the curl line the key
 * is $SMSCONFORM_KEY, whole. */
Test(checks_robust, echoed_key_is_redacted) {
  const char *const only[] = {"robustness.getBalance.api_key", NULL};
  struct ru_opts o = {.faults = "key-echoed", .only = only};
  struct sc_report rep;
  ru_run(&o, &rep);
  const struct sc_check_result *r = ru_find(&rep, only[0]);
  cr_assert_not_null(r);
  cr_assert_eq(r->verdict, SC_VERDICT_FAIL, "%s", r->message ? r->message : "");
  cr_expect(strstr(r->message, "api_key=") != NULL, "%s", r->message);
  cr_expect(strstr(r->message, "API key in the answer") != NULL, "%s",
            r->message);
  const char *texts[] = {r->message, r->expected, r->actual, r->curl};
  for (size_t k = 0; k < sizeof texts / sizeof *texts; k++)
    cr_expect(!texts[k] || !strstr(texts[k], RU_KEY1), "the key in '%s'",
              texts[k]);
  cr_expect(strstr(r->actual, "$SMSCONFORM_KEY") != NULL, "%s", r->actual);
  for (size_t k = 0; k < r->nex; k++)
    cr_expect(!strstr(r->ex[k].url, RU_KEY1) &&
                  (!r->ex[k].body || !strstr(r->ex[k].body, RU_KEY1)),
              "the key in exchange %zu", k);
  sc_report_free(&rep);
}

/* A 5xx names the input that provoked it and the status. */
Test(checks_robust, failure_names_the_input) {
  const char *const only[] = {"robustness.setStatus.status", NULL};
  struct ru_opts o = {.faults = "http-500-errors", .only = only};
  struct sc_report rep;
  ru_run(&o, &rep);
  const struct sc_check_result *r = ru_find(&rep, only[0]);
  cr_assert_not_null(r);
  cr_assert_eq(r->verdict, SC_VERDICT_FAIL);
  cr_expect(strstr(r->message, "status='") && strstr(r->message, "HTTP 500"),
            "%s", r->message);
  cr_expect(strstr(r->expected, "BAD_STATUS") != NULL, "%s", r->expected);
  sc_report_free(&rep);
}

/* Runs the whole suite as a user with a real vendor does (no control: the
 * money is real) against a simulator with |faults| whose accounts can pay
 * for everything. */
static void run_real_money(const char *faults, struct sc_report *rep) {
  char err[256], url[128];
  struct sc_sim_config cfg = {.keys = RU_KEY1 ":100000," RU_KEY2 ":100000",
                              .seed = 3,
                              .early_cancel_seconds = -1,
                              .faults = faults,
                              .stock = 100000,
                              .spec = ru_spec};
  struct sc_sim *sim = sc_sim_new(&cfg, err, sizeof err);
  cr_assert_not_null(sim, "%s", err);
  ru_url(sim, url, sizeof url);
  struct sc_run_opts ro = {.catalogue = sc_checks_catalogue(),
                           .spec = ru_spec,
                           .url = url,
                           .key = RU_KEY1,
                           .key2 = RU_KEY2,
                           .timeout_ms = 5000};
  int rc = sc_run(&ro, rep, err, sizeof err);
  sc_sim_destroy(sim);
  cr_assert_eq(rc, SC_RUN_OK, "%s", err);
}

/* The default simulator ignores bad optional values (each sells);
 * sell-always also sells to bad required ones. */
static const char *const money_faults[] = {NULL, "sell-always"};

ParameterizedTestParameters(checks_robust, real_money_buys_little) {
  static int idx[] = {0, 1};
  cr_assert_eq(sizeof idx / sizeof *idx,
               sizeof money_faults / sizeof *money_faults);
  return cr_make_param_array(int, idx, sizeof idx / sizeof *idx);
}

/* Without control a hostile request of an action that sells stops the
 * action's others that may buy: the whole robustness family buys at most
 * five numbers (one per action that sells: getNumber, getNumberV2,
 * getMultiServiceNumber, getRentNumber, continueRentNumber; the checks
 * that need an activation or a rent use what those bought), where sending
 * every pair alone bought over two hundred. What is left unsent is SKIP,
 * naming the sale and --control. */
ParameterizedTest(int *i, checks_robust, real_money_buys_little) {
  const char *faults = money_faults[*i];
  struct sc_report rep;
  run_real_money(faults, &rep);
  size_t bought = 0, held = 0;
  for (size_t k = 0; k < rep.nspend; k++)
    bought += is_robust(rep.spend[k].check);
  cr_expect_leq(bought, 5u, "%s: the robustness checks bought %zu numbers",
                faults ? faults : "no fault", bought);
  for (size_t k = 0; k < rep.nresults; k++) {
    const struct sc_check_result *r = &rep.results[k];
    if (!is_robust(r->id) || r->verdict != SC_VERDICT_SKIP ||
        !strstr(r->message, "were not sent"))
      continue;
    held++;
    cr_expect(strstr(r->message, " sold ") &&
                  strstr(r->message, "'s request ") &&
                  strstr(r->message, "--control"),
              "%s: %s", r->id, r->message);
  }
  cr_expect_gt(held, 10u, "%s: only %zu checks held inputs back",
               faults ? faults : "no fault", held);
  /* a bad required value that sells is a failure, whatever the budget */
  if (faults) {
    const struct sc_check_result *r =
        ru_find(&rep, "robustness.getNumber.service");
    cr_assert_not_null(r);
    cr_expect_eq(r->verdict, SC_VERDICT_FAIL, "%s",
                 r->message ? r->message : "");
  }
  sc_report_free(&rep);
}

/* The checks of getNumber's optional parameters share a few requests,
 * each with a bad value of many of them. With http-500-errors only the bad
 * values the simulator refuses (maxPrice's, phoneException's) get the 500:
 * the failure is traced to the value and lands under the check that owns
 * it, alone, with the check's own request as its reproduction; the
 * parameters that shared those requests pass. */
Test(checks_robust, failure_lands_under_the_value_that_provoked_it) {
  const char *const only[] = {"robustness.getNumber.*", NULL};
  struct ru_opts o = {.faults = "http-500-errors", .only = only};
  struct sc_report rep;
  ru_run(&o, &rep);
  static const char *const failing[] = {"maxPrice", "phoneException"};
  for (size_t i = 0; i < sizeof failing / sizeof *failing; i++) {
    char id[96], quote[64];
    snprintf(id, sizeof id, "robustness.getNumber.%s", failing[i]);
    snprintf(quote, sizeof quote, "%s=", failing[i]);
    const struct sc_check_result *r = ru_find(&rep, id);
    cr_assert_not_null(r);
    cr_assert_eq(r->verdict, SC_VERDICT_FAIL, "%s: %s", id,
                 r->message ? r->message : "");
    cr_expect(strncmp(r->message, quote, strlen(quote)) == 0 &&
                  strstr(r->message, "HTTP 500") &&
                  !strstr(r->message, " sent with "),
              "%s: %s", id, r->message);
    cr_expect(r->curl && strstr(r->curl, quote), "%s: %s", id,
              r->curl ? r->curl : "(no curl line)");
  }
  static const char *const passing[] = {
      "forward", "operator",    "activationType", "language",
      "userId",  "useCashBack", "providerIds",    "exceptProviderIds"};
  for (size_t i = 0; i < sizeof passing / sizeof *passing; i++) {
    char id[96];
    snprintf(id, sizeof id, "robustness.getNumber.%s", passing[i]);
    const struct sc_check_result *r = ru_find(&rep, id);
    cr_assert_not_null(r);
    cr_expect_eq(r->verdict, SC_VERDICT_PASS, "%s: %s: %s", id,
                 sc_verdict_name(r->verdict), r->message ? r->message : "");
  }
  sc_report_free(&rep);
}

/* The requests of a run of the checks |only| against the faithful
 * simulator, all of them PASS. */
static unsigned long requests_of(const char *const *only) {
  struct ru_opts o = {.only = only};
  struct sc_report rep;
  ru_run(&o, &rep);
  for (size_t k = 0; k < rep.nresults; k++)
    cr_expect(!is_robust(rep.results[k].id) ||
                  rep.results[k].verdict == SC_VERDICT_PASS,
              "%s: %s", rep.results[k].id,
              rep.results[k].message ? rep.results[k].message : "");
  unsigned long n = rep.requests;
  sc_report_free(&rep);
  return n;
}

/* The eleven optional parameters of getNumber have 81 (parameter, bad
 * value) pairs; sent alone, each pair cost a request and each check a
 * sandbox reset: 92. Pooled, against the faithful simulator, the pairs
 * share requests: even with the refusals split up so that none hides
 * another value, their checks cost fewer than half as many. */
Test(checks_robust, optional_values_share_requests) {
  const char *const all[] = {"robustness.getNumber.*", NULL};
  const char *const required[] = {"robustness.getNumber.service",
                                  "robustness.getNumber.country", NULL};
  unsigned long optional = requests_of(all) - requests_of(required);
  cr_expect_lt(optional, (81u + 11u) / 2, "%lu requests for 81 pairs",
               optional);
}

/* The plan as `smsconform run --list --json` prints it, for |profile|:
 * its "checks" array (the caller deletes the root, *|root|). */
static const cJSON *plan_checks(const char *profile, cJSON **root) {
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  cr_assert_not_null(f);
  struct sc_run_opts ro = {.catalogue = sc_checks_catalogue(),
                           .spec = ru_spec, .profile = profile};
  char err[256] = "";
  int rc = sc_run_list(&ro, f, 1, err, sizeof err);
  fclose(f);
  cr_assert_eq(rc, 0, "%s", err);
  *root = cJSON_Parse(text);
  free(text);
  cr_assert_not_null(*root);
  const cJSON *checks = cJSON_GetObjectItemCaseSensitive(*root, "checks");
  cr_assert(cJSON_IsArray(checks));
  return checks;
}

/* The planned check |id|, or NULL. */
static const cJSON *planned(const cJSON *checks, const char *id) {
  const cJSON *c;
  cJSON_ArrayForEach(c, checks) {
    const cJSON *cid = cJSON_GetObjectItemCaseSensitive(c, "id");
    if (cJSON_IsString(cid) && strcmp(cid->valuestring, id) == 0)
      return c;
  }
  return NULL;
}

/* One robust check for every parameter of every action of the reference
 * profile, the key aside (it has one check of its own), read from the
 * spec rather than from the plan. */
Test(checks_robust, every_parameter_of_the_reference_is_planned) {
  const struct sc_profile *ref = ru_spec->reference;
  cr_assert_not_null(ref);
  cJSON *root;
  const cJSON *checks = plan_checks(ref->name, &root);
  size_t pairs = 0, keys = 0;
  const cJSON *a;
  cJSON_ArrayForEach(a,
                     cJSON_GetObjectItemCaseSensitive(ref->json, "actions")) {
    struct sc_view v;
    cr_assert_eq(sc_spec_view(ru_spec, a->valuestring, ref->name, &v),
                 SC_ERR_OK);
    const cJSON *p;
    cJSON_ArrayForEach(p, v.params) {
      const char *name =
          cJSON_GetObjectItemCaseSensitive(p, "name")->valuestring;
      const char *type =
          cJSON_GetObjectItemCaseSensitive(p, "type")->valuestring;
      char id[160];
      snprintf(id, sizeof id, "robustness.%s.%s", a->valuestring, name);
      if (strcmp(type, "key") == 0) {
        keys += planned(checks, id) != NULL;
        continue;
      }
      pairs++;
      cr_expect(planned(checks, id) != NULL, "no check %s", id);
    }
  }
  cr_expect_gt(pairs, 50u, "only %zu parameters in the reference", pairs);
  cr_expect_eq(keys, 1u, "%zu key checks, one expected", keys);
  cJSON_Delete(root);
}

/* The REST dialect has its own plan: no robust check of the handler's. */
Test(checks_robust, rest_profile_has_none) {
  cJSON *root;
  const cJSON *checks = plan_checks("rest-v1", &root);
  const cJSON *c;
  cJSON_ArrayForEach(c, checks) {
    const cJSON *cid = cJSON_GetObjectItemCaseSensitive(c, "id");
    cr_expect(cJSON_IsString(cid) && !is_robust(cid->valuestring), "%s",
              cJSON_IsString(cid) ? cid->valuestring : "(no id)");
  }
  cJSON_Delete(root);
}
