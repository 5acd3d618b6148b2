/* test_checks_rest.c — the checks of sc_checks_rest.c against the simulator.
 *
 * The faithful rest-v1 simulator passes every check; each fault the REST
 * side of the simulator can show is caught by the check that points at it;
 * a run without control and a second account says which checks it could
 * not make, and why. Criterion re-execs its workers, so parameter rows are
 * indexes into static tables, and every test starts its own simulator. */
#include "run_util.h"

#include "sc_checks.h"
#include "sc_report.h"
#include "sc_run.h"
#include "sc_spec.h"

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROFILE "rest-v1"

TestSuite(checks_rest, .init = ru_setup, .fini = ru_teardown, .timeout = 60);

/* The five actions of specs/actions/rest.json. */
static const char *const actions[] = {"v1.balance", "v1.numbers.available",
                                      "v1.numbers.buy", "v1.activations.get",
                                      "v1.activations.delete"};

static int is_rest_action(const char *s, size_t len) {
  for (size_t i = 0; i < sizeof actions / sizeof *actions; i++)
    if (strlen(actions[i]) == len && strncmp(actions[i], s, len) == 0)
      return 1;
  return 0;
}

/* The faithful simulator: every check PASS or WARN (the WARNs are the
 * activation status before an SMS, a word 002 does not show), each with a
 * requirement and a citation of 002. Nothing is skipped: control and a
 * second account are there. */
Test(checks_rest, faithful_simulator_passes) {
  struct sc_report rep;
  struct ru_opts o = {.profile = PROFILE};
  ru_run(&o, &rep);
  cr_expect_gt(rep.nresults, 15u, "%zu checks", rep.nresults);
  for (size_t k = 0; k < rep.nresults; k++) {
    const struct sc_check_result *r = &rep.results[k];
    cr_expect(r->verdict == SC_VERDICT_PASS || r->verdict == SC_VERDICT_WARN,
              "%s is %s: %s", r->id, sc_verdict_name(r->verdict),
              r->message ? r->message : "");
    cr_expect(r->requirement && *r->requirement, "%s has no requirement",
              r->id);
    cr_expect(r->doc && strcmp(r->doc, "002_0dec256545badc39.txt") == 0,
              "%s cites %s", r->id, r->doc ? r->doc : "nothing");
    cr_expect(r->section && *r->section, "%s cites no section", r->id);
  }
  cr_expect_eq(rep.counts[SC_VERDICT_FAIL] + rep.counts[SC_VERDICT_ERROR] +
                   rep.counts[SC_VERDICT_SKIP],
               0u);
  cr_expect_gt(rep.nspend, 0u, "the purchases are in the ledger");
  sc_report_free(&rep);
}

/* Ids are category.action[.detail] with an action of rest.json and a
 * category of enum sc_cat, unique; each action has its format and auth
 * checks. */
Test(checks_rest, plan_ids_are_stable) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  cr_assert_not_null(f);
  char err[128];
  struct sc_run_opts o = {.catalogue = sc_checks_catalogue(),
                          .spec = ru_spec, .profile = PROFILE,
                          .url = "http://127.0.0.1/api/v1", .key = RU_KEY1};
  cr_assert_eq(sc_run_list(&o, f, 0, err, sizeof err), 0, "%s", err);
  fclose(f);
  char ids[64][128];
  size_t n = 0;
  for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
    char id[128];
    if (sscanf(line, "%127s", id) != 1 || !strchr(id, '.'))
      continue; /* the count line */
    cr_assert_lt(n, 64u);
    for (size_t k = 0; k < n; k++)
      cr_expect_str_neq(ids[k], id, "%s twice", id);
    snprintf(ids[n++], sizeof ids[0], "%s", id);
    size_t cl = strcspn(id, ".");
    int cat = 0;
    for (int k = 0; k < SC_CAT__COUNT; k++)
      cat |= strlen(sc_cat_name((enum sc_cat)k)) == cl &&
             strncmp(sc_cat_name((enum sc_cat)k), id, cl) == 0;
    cr_expect(cat, "%s: no such category", id);
    /* the action: the longest prefix after the category that is one */
    const char *a = id + cl + 1;
    int found = 0;
    for (size_t l = strlen(a); l > 0 && !found; l--)
      found = (a[l] == '.' || a[l] == '\0') && is_rest_action(a, l);
    cr_expect(found, "%s names no action of rest.json", id);
  }
  cr_expect_gt(n, 15u);
  for (size_t i = 0; i < sizeof actions / sizeof *actions; i++) {
    static const char *const pre[] = {"format.", "rest.", "rest."};
    static const char *const post[] = {"", ".no-key", ".wrong-key"};
    for (size_t p = 0; p < 3; p++) {
      char want[128];
      snprintf(want, sizeof want, "%s%s%s", pre[p], actions[i], post[p]);
      int has = 0;
      for (size_t k = 0; k < n; k++)
        has |= strcmp(ids[k], want) == 0;
      cr_expect(has, "no check %s", want);
    }
  }
  free(buf);
}

/* A fault of the simulator's REST side and a check that must catch it,
 * besides the one check per fault in test_run.c's table. */
struct caught {
  const char *fault;
  const char *check;
};

static const struct caught caught[] = {
    /* no Bearer token is taken for the first account: every other action */
    {"rest-no-auth", "rest.v1.numbers.available.no-key"},
    {"rest-no-auth", "rest.v1.numbers.buy.no-key"},
    {"rest-no-auth", "rest.v1.activations.get.no-key"},
    {"rest-no-auth", "rest.v1.activations.delete.no-key"},
    /* the core's faults that the REST side goes through: sim_buy ... */
    {"no-charge", "money.v1.numbers.buy.charge-equals-price"},
    {"sell-no-balance", "money.v1.numbers.buy.balance-never-negative"},
    /* ... sim_expire_locked ... */
    {"expiry-no-refund", "money.v1.numbers.buy.expiry-refund"},
    /* ... and sim_find_act */
    {"cross-account", "isolation.v1.activations.get"},
    {"cross-account", "isolation.v1.activations.delete"},
};

ParameterizedTestParameters(checks_rest, fault_is_caught) {
  static int idx[sizeof caught / sizeof *caught];
  for (size_t i = 0; i < sizeof idx / sizeof *idx; i++)
    idx[i] = (int)i;
  return cr_make_param_array(int, idx, sizeof idx / sizeof *idx);
}

ParameterizedTest(int *i, checks_rest, fault_is_caught) {
  ru_expect_caught(PROFILE, caught[*i].fault, caught[*i].check, NULL);
}

/* Without control and a second account the checks that need them are
 * SKIP with the reason; the others still run and pass. */
Test(checks_rest, unmet_needs_are_skip_with_reason) {
  struct sc_report rep;
  struct ru_opts o = {.profile = PROFILE, .no_control = 1, .no_key2 = 1};
  ru_run(&o, &rep);
  size_t control = 0, key2 = 0;
  for (size_t k = 0; k < rep.nresults; k++) {
    const struct sc_check_result *r = &rep.results[k];
    if (r->verdict == SC_VERDICT_SKIP) {
      cr_expect(r->message && (strstr(r->message, "control") ||
                               strstr(r->message, "second account")),
                "%s is SKIP for: %s", r->id, r->message ? r->message : "");
      control += r->message && strstr(r->message, "control") != NULL;
      key2 += r->message && strstr(r->message, "second account") != NULL;
    } else {
      cr_expect(r->verdict == SC_VERDICT_PASS ||
                    r->verdict == SC_VERDICT_WARN,
                "%s is %s: %s", r->id, sc_verdict_name(r->verdict),
                r->message ? r->message : "");
    }
  }
  static const char *const need_control[] = {
      "rest.v1.balance.rate-limit-429",
      "money.v1.numbers.buy.balance-never-negative",
      "money.v1.numbers.buy.expiry-refund",
      "money.v1.activations.delete.no-refund-after-sms",
      "lifecycle.v1.activations.get.code-received"};
  for (size_t i = 0; i < sizeof need_control / sizeof *need_control; i++) {
    const struct sc_check_result *r = ru_find(&rep, need_control[i]);
    cr_assert_not_null(r, "no check %s", need_control[i]);
    cr_expect_eq(r->verdict, SC_VERDICT_SKIP, "%s", r->id);
  }
  static const char *const need_key2[] = {"isolation.v1.activations.get",
                                          "isolation.v1.activations.delete"};
  for (size_t i = 0; i < sizeof need_key2 / sizeof *need_key2; i++) {
    const struct sc_check_result *r = ru_find(&rep, need_key2[i]);
    cr_assert_not_null(r, "no check %s", need_key2[i]);
    cr_expect_eq(r->verdict, SC_VERDICT_SKIP, "%s", r->id);
  }
  cr_expect_eq(control, 5u);
  cr_expect_eq(key2, 2u);
  cr_expect_eq(rep.counts[SC_VERDICT_SKIP], 7u);
  sc_report_free(&rep);
}

/* The limit is read from X-RateLimit-Limit, not assumed: a simulator
 * with 25 a minute gives its 429 at the 26th request (a WARN: 002
 * promises 300), and with rest-no-429 serves the 26th. */
Test(checks_rest, rate_limit_is_read_from_the_header) {
  const char *only[] = {"rest.v1.balance.rate-limit-*", NULL};
  struct ru_opts o = {.profile = PROFILE, .only = only, .rate_limit = 25};
  struct sc_report rep;
  ru_run(&o, &rep);
  const struct sc_check_result *r =
      ru_find(&rep, "rest.v1.balance.rate-limit-429");
  cr_assert_not_null(r);
  cr_expect_eq(r->verdict, SC_VERDICT_PASS, "%s: %s",
               sc_verdict_name(r->verdict), r->message ? r->message : "");
  cr_expect_lt(rep.requests, 60u, "%lu requests for a limit of 25",
               rep.requests);
  r = ru_find(&rep, "rest.v1.balance.rate-limit-headers");
  cr_assert_not_null(r);
  cr_expect_eq(r->verdict, SC_VERDICT_WARN, "%s: %s",
               sc_verdict_name(r->verdict), r->message ? r->message : "");
  cr_expect(r->message && strstr(r->message, "300"), "%s",
            r->message ? r->message : "");
  sc_report_free(&rep);
  o.faults = "rest-no-429";
  ru_run(&o, &rep);
  r = ru_find(&rep, "rest.v1.balance.rate-limit-429");
  cr_assert_not_null(r);
  cr_expect_eq(r->verdict, SC_VERDICT_FAIL);
  cr_expect(r->message && strstr(r->message, "25"), "%s",
            r->message ? r->message : "");
  sc_report_free(&rep);
}

/* A limit above what the check will send is SKIP with the reason, never
 * a PASS. */
Test(checks_rest, rate_limit_above_the_cap_is_skip) {
  const char *only[] = {"rest.v1.balance.rate-limit-429", NULL};
  struct ru_opts o = {.profile = PROFILE, .only = only, .rate_limit = 100000};
  struct sc_report rep;
  ru_run(&o, &rep);
  const struct sc_check_result *r =
      ru_find(&rep, "rest.v1.balance.rate-limit-429");
  cr_assert_not_null(r);
  cr_expect_eq(r->verdict, SC_VERDICT_SKIP);
  cr_expect(r->message && strstr(r->message, "100000"), "%s",
            r->message ? r->message : "");
  sc_report_free(&rep);
}
