/* test_run.c — the runner end to end against the built-in simulator: the
 * faithful simulator passes, a simulator with a fault is caught by the
 * checks that point at it, keys never reach a report, and an endpoint that
 * does not answer is told apart from one that fails. */
#include "run_util.h"
#include "sc_alloc.h"
#include "sc_checks.h"
#include "sc_record.h"
#include "sc_report.h"
#include "sc_run.h"
#include "sc_run_int.h"
#include "sc_sim.h"
#include "sc_spec.h"
#include "sim_util.h"

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <curl/curl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define KEY1 RU_KEY1
#define KEY2 RU_KEY2
#define find ru_find

TestSuite(run, .init = ru_setup, .fini = ru_teardown, .timeout = 60);

static void run_sim(const char *profile, const char *faults,
                    const char *const *only, struct sc_report *rep) {
  struct ru_opts o = {.profile = profile, .faults = faults, .only = only};
  ru_run(&o, rep);
}

static const char *const profiles[] = {"sms-activate", "koalasms", "smsbulk",
                                       "securesms", "rest-v1"};

ParameterizedTestParameters(run, faithful_simulator_passes) {
  static int idx[] = {0, 1, 2, 3, 4};
  return cr_make_param_array(int, idx, 5);
}

/* The proof: against the faithful simulator, no FAIL, no ERROR,
 * and nothing skipped (control and a second account are there). */
ParameterizedTest(int *i, run, faithful_simulator_passes) {
  struct sc_report rep;
  run_sim(profiles[*i], NULL, NULL, &rep);
  cr_expect_gt(rep.nresults, strcmp(profiles[*i], "rest-v1") ? 40u : 20u,
               "%s: %zu checks", profiles[*i], rep.nresults);
  for (size_t k = 0; k < rep.nresults; k++) {
    const struct sc_check_result *r = &rep.results[k];
    /* no document lists a partner product and no control path makes one:
     * the one check that cannot run anywhere says so */
    if (strcmp(r->id, "format.buyPartnerProduct") == 0) {
      cr_expect_eq(r->verdict, SC_VERDICT_SKIP);
      cr_expect(r->message && strstr(r->message, "partner product"));
      continue;
    }
    cr_expect(r->verdict == SC_VERDICT_PASS || r->verdict == SC_VERDICT_WARN,
              "%s: %s is %s: %s", profiles[*i], r->id,
              sc_verdict_name(r->verdict), r->message ? r->message : "");
    cr_expect(r->doc && r->section && r->requirement && *r->requirement,
              "%s has no citation or requirement", r->id);
  }
  sc_report_free(&rep);
}

/* A fault and a check that must catch it, in a whole run as a user starts
 * it (no --only), with what its message must quote. */
struct caught {
  const char *fault;
  const char *check;
  const char *profile; /* NULL = the reference */
  const char *quote;   /* NULL = anything */
};

static const struct caught caught[] = {
    {"no-refund", "money.refund-once", NULL, NULL},
    {"cross-account", "isolation.getStatus", NULL, NULL},
    {"early-cancel-allowed", "error.setStatus.EARLY_CANCEL_DENIED", NULL,
     NULL},
    {"token-spelling", "money.refund-once", NULL, "ACCESS_CANCELED"},
    {"content-type-html", "transport.text-answer", NULL, NULL},
    {"html-error-page", "error.getBalance.BAD_KEY", NULL, "HTML_BODY"},
    {"http-500-errors", "error.getBalance.BAD_KEY", NULL, NULL},
    {"post-ignored", "transport.post-form", NULL, NULL},
    {"key-echoed", "error.getBalance.BAD_KEY", NULL, "echoes the API key"},
    {"bad-action-token", "error.handler.BAD_ACTION", NULL, NULL},
    {"sql-leak", "error.setStatus.WRONG_ACTIVATION_ID", NULL, NULL},
    {"no-charge", "money.charge-equals-price", NULL, NULL},
    {"sell-no-balance", "money.balance-never-negative", NULL, NULL},
    /* 001 gives no lifetime (sms-activate borrows 000's: a WARN there);
     * 000 gives one */
    {"expiry-no-refund", "money.expiry-refund", "koalasms", NULL},
    {"phone-plus", "format.getNumber", NULL, NULL},
    {"ignore-max-price", "money.max-price-respected", NULL, NULL},
    {"early-status-ok", "lifecycle.activation.happy-path", NULL, NULL},
    {"cancel-not-reflected", "lifecycle.setStatus.WAIT_CODE.8.late", NULL,
     NULL},
    {"retry-no-lastcode", "lifecycle.activation.retry", NULL, NULL},
    {"double-refund", "lifecycle.setStatus.READY.8.late", NULL, NULL},
    {"status-v2-stale", "lifecycle.getStatusV2.agrees", NULL, NULL},
    {"active-list-stale", "lifecycle.getActiveActivations.agrees", NULL, NULL},
    {"v2-missing-key", "format.getNumberV2", NULL, NULL},
    {"order-id-repeat", "error.getNumberV2.ORDER_ALREADY_EXISTS", NULL, NULL},
    {"balance-comma", "format.getBalance", NULL, NULL},
    {"prices-no-count", "format.getPrices", NULL, NULL},
    {"v2-time-skew", "lifecycle.getNumberV2.time-agrees", NULL, NULL},
    {"stock-stale", "lifecycle.getNumbersStatus.stock-decreases", NULL, NULL},
    /* real implementations' bugs */
    {"key-json-error", "error.getBalance.BAD_KEY", NULL, "JSON_UNEXPECTED"},
    {"key-echo-html", "error.getBalance.BAD_KEY", NULL, "echoes the API key"},
    {"unknown-id-no-numbers", "error.getStatus.NO_ACTIVATION", NULL,
     "got NO_NUMBERS"},
    {"set-status-empty", "error.setStatus.BAD_STATUS", NULL, "EMPTY_BODY"},
    {"sell-unknown-service", "error.getNumber.BAD_SERVICE", NULL,
     "got ACCESS_NUMBER"},
    {"sell-always", "error.getNumber.BAD_SERVICE", NULL, "got ACCESS_NUMBER"},
    {"sql-error-json", "error.getStatus.NO_ACTIVATION", NULL,
     "SERVER_ERROR_TEXT"},
    /* near misses: a prefix match would take them */
    {"near-miss-no-activations", "error.getStatus.NO_ACTIVATION", NULL,
     "got NO_ACTIVATIONS"},
    {"near-miss-balance-forward", "money.balance-never-negative", NULL,
     "got NO_BALANCE_FORWARD"},
    /* rent and webhooks (001) */
    {"rent-late-cancel", "lifecycle.rent.cancel-window", NULL, NULL},
    {"rent-sms-missing", "lifecycle.rent.sms-listed", NULL, NULL},
    {"rent-extend-free", "money.rent.continue-charges", NULL, NULL},
    {"webhook-payload", "webhook.payload", NULL, NULL},
    {"webhook-no-retry", "webhook.retry", NULL, NULL},
    {"webhook-retry-forever", "webhook.retry-limit", NULL, NULL},
    /* the REST dialect (002) */
    {"rest-no-auth", "rest.v1.balance.no-key", "rest-v1", NULL},
    {"rest-no-rate-headers", "rest.v1.balance.rate-limit-headers", "rest-v1",
     NULL},
    {"rest-no-429", "rest.v1.balance.rate-limit-429", "rest-v1", NULL},
    {"rest-refund-after-sms", "money.v1.activations.delete.no-refund-after-sms",
     "rest-v1", NULL},
};

ParameterizedTestParameters(run, fault_is_caught) {
  static int idx[sizeof caught / sizeof *caught];
  for (size_t i = 0; i < sizeof idx / sizeof *idx; i++)
    idx[i] = (int)i;
  return cr_make_param_array(int, idx, sizeof idx / sizeof *idx);
}

ParameterizedTest(int *i, run, fault_is_caught) {
  ru_expect_caught(caught[*i].profile, caught[*i].fault, caught[*i].check,
                   caught[*i].quote);
}

/* Faults that are vendor variants (a WARN by design): the named check
 * warns, the run passes, and with --strict the run fails. */
static const struct caught warned[] = {
    {"trailing-newline", "format.getBalance", NULL, NULL},
    {"json-status-error", "error.getNumberV2.BAD_SERVICE", NULL,
     "ERROR_FORM"},
};

ParameterizedTestParameters(run, variant_fails_only_when_strict) {
  static int idx[sizeof warned / sizeof *warned];
  for (size_t i = 0; i < sizeof idx / sizeof *idx; i++)
    idx[i] = (int)i;
  return cr_make_param_array(int, idx, sizeof idx / sizeof *idx);
}

ParameterizedTest(int *i, run, variant_fails_only_when_strict) {
  const struct caught *w = &warned[*i];
  struct ru_opts o = {.profile = w->profile, .faults = w->fault};
  struct sc_report rep;
  ru_run(&o, &rep);
  const struct sc_check_result *r = find(&rep, w->check);
  cr_assert_not_null(r, "no check %s", w->check);
  cr_expect_eq(r->verdict, SC_VERDICT_WARN, "%s: %s: %s", w->check,
               sc_verdict_name(r->verdict), r->message ? r->message : "");
  if (w->quote)
    cr_expect(r->message && strstr(r->message, w->quote), "%s", r->message);
  cr_expect_eq(sc_report_blockers(&rep), 0u);
  sc_report_free(&rep);
  o.strict = 1;
  ru_run(&o, &rep);
  r = find(&rep, w->check);
  cr_assert_not_null(r);
  cr_expect(sc_report_blocks(&rep, r));
  cr_expect_gt(sc_report_blockers(&rep), 0u);
  sc_report_free(&rep);
}

/* ids counted from 1 are not a deviation: the runner takes no small id for
 * an unknown one, so the faithful run stays clean. */
Test(run, ids_from_one_are_not_taken_for_unknown_ids) {
  struct ru_opts o = {.faults = "ids-from-one"};
  struct sc_report rep;
  ru_run(&o, &rep);
  for (size_t k = 0; k < rep.nresults; k++) {
    const struct sc_check_result *r = &rep.results[k];
    cr_expect(r->verdict != SC_VERDICT_FAIL && r->verdict != SC_VERDICT_ERROR,
              "%s is %s: %s", r->id, sc_verdict_name(r->verdict),
              r->message ? r->message : "");
  }
  sc_report_free(&rep);
}

/* Every fault the simulator can inject is caught by a named check: a new
 * fault without a check that sees it fails the build. */
Test(run, every_fault_has_a_catching_check) {
  const char *name;
  for (size_t i = 0; (name = sc_sim_fault_info(i, NULL, NULL)); i++) {
    int found = strcmp(name, "ids-from-one") == 0; /* not a deviation */
    for (size_t k = 0; k < sizeof caught / sizeof *caught; k++)
      found |= strcmp(caught[k].fault, name) == 0;
    for (size_t k = 0; k < sizeof warned / sizeof *warned; k++)
      found |= strcmp(warned[k].fault, name) == 0;
    cr_expect(found, "fault %s has no check that catches it", name);
  }
}

/* --record then --replay: the same verdicts offline, and the recording
 * holds no key even when the endpoint echoes it. */
Test(run, replay_judges_a_recording_the_same) {
  char err[256];
  struct sc_sim_config cfg = {.keys = KEY1 ":100," KEY2 ":100", .seed = 3,
                              .early_cancel_seconds = -1,
                              .faults = "no-refund,key-echoed",
                              .spec = ru_spec};
  struct sc_sim *sim = sc_sim_new(&cfg, err, sizeof err);
  cr_assert_not_null(sim, "%s", err);
  char url[128], ctl[128], dir[64], path[96];
  snprintf(url, sizeof url, "http://127.0.0.1:%u/stubs/handler_api.php",
           sc_sim_port(sim));
  snprintf(ctl, sizeof ctl, "http://127.0.0.1:%u/control", sc_sim_port(sim));
  snprintf(dir, sizeof dir, "/tmp/sc-run-rec-%ld", (long)getpid());
  snprintf(path, sizeof path, "%s/recording.json", dir);
  struct sc_record *rec = sc_record_new(NULL, url, ctl);
  struct sc_run_opts o = {.catalogue = sc_checks_catalogue(),
                          .spec = ru_spec, .url = url, .control = ctl,
                          .key = KEY1, .key2 = KEY2, .record = rec};
  struct sc_report live, again;
  cr_assert_eq(sc_run(&o, &live, err, sizeof err), SC_RUN_OK, "%s", err);
  sc_sim_destroy(sim); /* the replay has no endpoint to talk to */
  cr_assert_eq(sc_record_save(rec, dir, err, sizeof err), 0, "%s", err);
  sc_record_destroy(rec);
  rec = sc_record_load(dir, err, sizeof err);
  cr_assert_not_null(rec, "%s", err);
  struct sc_run_opts ro = {.catalogue = sc_checks_catalogue(),
                           .spec = ru_spec, .url = url, .control = ctl,
                           .key = "another-key-1", .key2 = "another-key-2",
                           .replay = rec};
  cr_assert_eq(sc_run(&ro, &again, err, sizeof err), SC_RUN_OK, "%s", err);
  cr_assert_eq(again.nresults, live.nresults);
  cr_expect_gt(again.requests, 0u);
  cr_expect_gt(live.counts[SC_VERDICT_FAIL], 0u);
  for (size_t i = 0; i < live.nresults; i++) {
    const struct sc_check_result *a = &live.results[i];
    const struct sc_check_result *b = find(&again, a->id);
    cr_assert_not_null(b, "%s missing from the replay", a->id);
    if (strncmp(a->id, "webhook.", 8) == 0) {
      /* deliveries come to a live listener: nothing to replay */
      cr_expect_eq(b->verdict, SC_VERDICT_SKIP, "%s", a->id);
      continue;
    }
    cr_expect_eq(a->verdict, b->verdict, "%s: %s live, %s replayed: %s", a->id,
                 sc_verdict_name(a->verdict), sc_verdict_name(b->verdict),
                 b->message ? b->message : "");
  }
  FILE *f = fopen(path, "r");
  cr_assert_not_null(f);
  char line[8192];
  int leaks = 0;
  while (fgets(line, sizeof line, f))
    leaks += strstr(line, KEY1) != NULL || strstr(line, KEY2) != NULL;
  fclose(f);
  cr_expect_eq(leaks, 0, "the recording holds a key");
  unlink(path);
  rmdir(dir);
  sc_record_destroy(rec);
  sc_report_free(&live);
  sc_report_free(&again);
}

/* A key with characters a query must percent-encode is redacted in both
 * spellings. */
Test(run, an_encoded_key_is_redacted_too) {
  static const char key[] = "odd key/+1";
  char err[256];
  struct sc_sim_config cfg = {.keys = "odd key/+1:100", .seed = 3,
                              .early_cancel_seconds = -1,
                              .faults = "key-echoed", .spec = ru_spec};
  struct sc_sim *sim = sc_sim_new(&cfg, err, sizeof err);
  cr_assert_not_null(sim, "%s", err);
  char url[128];
  snprintf(url, sizeof url, "http://127.0.0.1:%u/stubs/handler_api.php",
           sc_sim_port(sim));
  const char *only[] = {"format.getBalance", "transport.*", NULL};
  struct sc_run_opts o = {.catalogue = sc_checks_catalogue(),
                          .spec = ru_spec, .url = url, .key = key,
                          .only = only};
  struct sc_report rep;
  cr_assert_eq(sc_run(&o, &rep, err, sizeof err), SC_RUN_OK, "%s", err);
  sc_sim_destroy(sim);
  const struct sc_check_result *r = find(&rep, "format.getBalance");
  cr_assert_not_null(r);
  cr_expect_eq(r->verdict, SC_VERDICT_PASS, "%s", r->message);
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  cr_assert_eq(sc_report_json(&rep, f), 0);
  fclose(f);
  cr_expect_null(strstr(buf, key));
  cr_expect_null(strstr(buf, "odd%20key"));
  cr_expect_null(strstr(buf, "odd+key"));
  cr_expect_not_null(strstr(buf, "api_key=$SMSCONFORM_KEY&"));
  free(buf);
  sc_report_free(&rep);
}

/* The keys appear in no report, not even when the endpoint echoes them. */
Test(run, keys_never_reach_a_report) {
  struct sc_report rep;
  run_sim(NULL, "key-echoed", NULL, &rep);
  int (*const writers[])(const struct sc_report *, FILE *) = {
      sc_report_junit, sc_report_json, sc_report_tap, sc_report_markdown,
      sc_report_html};
  for (size_t w = 0; w < sizeof writers / sizeof *writers; w++) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert_not_null(f);
    cr_expect_eq(writers[w](&rep, f), 0);
    fclose(f);
    cr_expect_gt(len, 100u);
    cr_expect_null(strstr(buf, KEY1), "writer %zu leaks the key", w);
    cr_expect_null(strstr(buf, KEY2), "writer %zu leaks key 2", w);
    /* the exchanges (JSON keeps them all) show the placeholder instead */
    if (writers[w] == sc_report_json)
      cr_expect_not_null(strstr(buf, "$SMSCONFORM_KEY"));
    free(buf);
  }
  sc_report_free(&rep);
}

/* Without control and a second account the checks that need them are
 * SKIP with the reason, and counted. */
Test(run, unmet_needs_are_skip_with_reason) {
  char err[256];
  /* no control, so no reset between checks: stock for the whole run */
  struct sc_sim_config cfg = {.keys = KEY1 ":10000", .seed = 3, .stock = 1000,
                              .early_cancel_seconds = -1, .spec = ru_spec};
  struct sc_sim *sim = sc_sim_new(&cfg, err, sizeof err);
  cr_assert_not_null(sim, "%s", err);
  char url[128];
  snprintf(url, sizeof url, "http://127.0.0.1:%u/stubs/handler_api.php",
           sc_sim_port(sim));
  struct sc_run_opts o = {.catalogue = sc_checks_catalogue(),
                          .spec = ru_spec, .url = url, .key = KEY1};
  struct sc_report rep;
  cr_assert_eq(sc_run(&o, &rep, err, sizeof err), SC_RUN_OK, "%s", err);
  sc_sim_destroy(sim);
  const struct sc_check_result *r = find(&rep, "money.refund-once");
  cr_assert_not_null(r);
  cr_expect_eq(r->verdict, SC_VERDICT_SKIP);
  cr_expect(strstr(r->message, "control") != NULL, "%s", r->message);
  r = find(&rep, "isolation.getStatus");
  cr_assert_not_null(r);
  cr_expect_eq(r->verdict, SC_VERDICT_SKIP);
  cr_expect(strstr(r->message, "second account") != NULL, "%s", r->message);
  cr_expect_gt(rep.counts[SC_VERDICT_SKIP], 0u);
  cr_expect_eq(rep.counts[SC_VERDICT_FAIL], 0u);
  sc_report_free(&rep);
}

Test(run, unreachable_endpoint) {
  char err[256];
  struct sc_run_opts o = {.catalogue = sc_checks_catalogue(),
                          .spec = ru_spec,
                          .url = "http://127.0.0.1:1/stubs/handler_api.php",
                          .key = KEY1,
                          .timeout_ms = 2000};
  struct sc_report rep;
  cr_expect_eq(sc_run(&o, &rep, err, sizeof err), SC_RUN_UNREACHABLE);
  cr_expect(strstr(err, "does not answer") != NULL, "%s", err);
  /* every planned check is in the report, ERROR with the reason */
  cr_expect_gt(rep.nresults, 0u);
  cr_expect_eq(rep.counts[SC_VERDICT_ERROR], rep.nresults);
  sc_report_free(&rep);
}

/* A key the endpoint refuses checks nothing: the run stops at once and
 * says so, instead of filing every check as a failure. */
Test(run, refused_key_stops_the_run) {
  char err[256], url[160];
  struct sc_sim_config cfg = {.keys = KEY1 ":100", .seed = 3,
                              .early_cancel_seconds = -1, .spec = ru_spec};
  struct sc_sim *sim = sc_sim_new(&cfg, err, sizeof err);
  cr_assert_not_null(sim, "%s", err);
  ru_url(sim, url, sizeof url);
  struct sc_run_opts o = {.catalogue = sc_checks_catalogue(),
                          .spec = ru_spec, .url = url,
                          .key = "not-a-key-of-this-endpoint",
                          .timeout_ms = 5000};
  struct sc_report rep;
  cr_expect_eq(sc_run(&o, &rep, err, sizeof err), SC_RUN_FAILED);
  cr_expect(strstr(err, "refuses the key") && strstr(err, "BAD_KEY"), "%s",
            err);
  cr_expect_null(strstr(err, "not-a-key"), "the message holds the key");
  cr_expect_eq(rep.nresults, 0u);
  sc_report_free(&rep);
  sc_sim_destroy(sim);
}

/* The engine knows no check of its own: a run or a plan without a
 * catalogue, or with one that lacks a member, fails with a message
 * before anything is sent. */
Test(run, no_catalogue_fails_cleanly) {
  static const struct sc_catalogue partial = {.build_plan = NULL};
  const struct sc_catalogue *cats[] = {NULL, &partial};
  for (size_t i = 0; i < sizeof cats / sizeof *cats; i++) {
    char err[256] = "";
    struct sc_run_opts o = {.catalogue = cats[i],
                            .spec = ru_spec,
                            .url = "http://127.0.0.1:1/stubs/handler_api.php",
                            .key = KEY1};
    struct sc_report rep;
    cr_expect_eq(sc_run(&o, &rep, err, sizeof err), SC_RUN_FAILED);
    cr_expect(strstr(err, "no check catalogue") != NULL, "%s", err);
    cr_expect_eq(rep.nresults, 0u);
    sc_report_free(&rep);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert_not_null(f);
    err[0] = '\0';
    cr_expect_eq(sc_run_list(&o, f, 1, err, sizeof err), -1);
    fclose(f);
    cr_expect(strstr(err, "no check catalogue") != NULL, "%s", err);
    cr_expect_eq(len, 0u, "%s", buf);
    free(buf);
  }
}

/* Check ids are unique and stable in form. */
Test(run, plan_ids_are_unique) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  char err[128];
  struct sc_run_opts o = {.catalogue = sc_checks_catalogue(),
                          .spec = ru_spec, .url = "http://127.0.0.1/",
                          .key = KEY1};
  cr_assert_eq(sc_run_list(&o, f, 0, err, sizeof err), 0);
  fclose(f);
  size_t n = 0;
  for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
    char id[160];
    if (sscanf(line, "%159s", id) != 1 || strchr(id, ' '))
      continue;
    if (!strchr(id, '.'))
      continue; /* the count line */
    n++;
    /* the id begins with its category's name */
    int known = 0;
    for (int k = 0; k < SC_CAT__COUNT; k++) {
      const char *cat = sc_cat_name((enum sc_cat)k);
      known |= strncmp(id, cat, strlen(cat)) == 0 && id[strlen(cat)] == '.';
    }
    cr_expect(known, "%s does not begin with a category", id);
  }
  cr_expect_gt(n, 50u);
  free(buf);
}

/* ---- partial endpoints ---------------------------------------------------- */

static int listed(const char *const *list, const char *s) {
  for (size_t i = 0; s && list[i]; i++)
    if (strcmp(list[i], s) == 0)
      return 1;
  return 0;
}

/* A server with three actions (most self-hosted ones and resellers): the
 * required action it lacks is its one FAIL (support.getBalance); every
 * other check of an action it lacks is UNSUPPORTED, not failed one by one;
 * a check whose step it lacks is BLOCKED by the check that owns the step;
 * what it has is judged. */
/* The smoke tier, as against a vendor: a few requests and at most two
 * purchases, with control and without; it sends no support probes, so
 * the check that first meets a missing required action FAILs in their
 * place, and the other checks of missing actions are UNSUPPORTED. */
Test(run, smoke_tier_is_cheap_and_names_a_missing_required_action) {
  for (int control = 1; control >= 0; control--) {
    struct ru_opts o = {.smoke = 1, .no_control = !control};
    struct sc_report rep;
    ru_run(&o, &rep);
    cr_expect(rep.requests <= 60, "smoke (control %d): %lu requests",
              control, rep.requests);
    cr_expect(rep.nspend <= 2, "smoke (control %d): %zu purchases", control,
              rep.nspend);
    const struct sc_check_result *r = find(&rep, "format.getBalance");
    cr_assert_not_null(r);
    cr_expect_eq(r->verdict, SC_VERDICT_PASS, "%s", r->message);
    cr_expect_null(find(&rep, "support.getBalance"));
    r = find(&rep, "lifecycle.activation.happy-path");
    cr_assert_not_null(r);
    cr_expect_eq(r->verdict, control ? SC_VERDICT_PASS : SC_VERDICT_SKIP,
                 "%s", r->message);
    sc_report_free(&rep);
  }
  struct ru_opts o = {.smoke = 1, .sim_actions = "getNumber,getStatus,setStatus",
                      .no_key2 = 1};
  struct sc_report rep;
  ru_run(&o, &rep);
  const struct sc_check_result *r = find(&rep, "format.getBalance");
  cr_assert_not_null(r);
  cr_expect_eq(r->verdict, SC_VERDICT_FAIL, "%s", r->message);
  cr_expect(r->cause && strstr(r->cause, "the profile requires it"), "%s",
            r->cause);
  r = find(&rep, "format.getPrices");
  cr_assert_not_null(r);
  cr_expect_eq(r->verdict, SC_VERDICT_UNSUPPORTED, "%s", r->message);
  r = find(&rep, "format.getNumber");
  cr_assert_not_null(r);
  cr_expect_eq(r->verdict, SC_VERDICT_PASS, "%s", r->message);
  sc_report_free(&rep);
}

Test(run, partial_endpoint_is_unsupported_not_failed) {
  static const char *const has[] = {"getNumber", "getStatus", "setStatus",
                                     NULL};
  struct ru_opts o = {.sim_actions = "getNumber,getStatus,setStatus",
                      .no_key2 = 1};
  struct sc_report rep;
  ru_run(&o, &rep);
  size_t unsupported = 0, blocked = 0, pass = 0;
  for (size_t k = 0; k < rep.nresults; k++) {
    const struct sc_check_result *r = &rep.results[k];
    if (r->verdict == SC_VERDICT_FAIL || r->verdict == SC_VERDICT_ERROR)
      cr_expect(strncmp(r->id, "support.", 8) == 0 &&
                    sc_profile_action_required(
                        sc_spec_profile(ru_spec, "sms-activate"), r->action),
                "%s is %s: %s", r->id, sc_verdict_name(r->verdict),
                r->message ? r->message : "");
    if (r->verdict == SC_VERDICT_BLOCKED) {
      blocked++;
      cr_expect(r->blocked_by && *r->blocked_by, "%s is BLOCKED by nothing",
                r->id);
      cr_expect(r->cause && r->message, "%s", r->id);
    }
    if (r->action && *r->action && !listed(has, r->action) &&
        strncmp(r->id, "support.", 8) != 0 && r->verdict != SC_VERDICT_SKIP)
      cr_expect_eq(r->verdict, SC_VERDICT_UNSUPPORTED, "%s is %s: %s", r->id,
                   sc_verdict_name(r->verdict),
                   r->message ? r->message : "");
    unsupported += r->verdict == SC_VERDICT_UNSUPPORTED;
    pass += r->verdict == SC_VERDICT_PASS;
  }
  const struct sc_check_result *r = find(&rep, "support.getBalance");
  cr_assert_not_null(r);
  cr_expect_eq(r->verdict, SC_VERDICT_FAIL);
  cr_expect(r->actual && strstr(r->actual, "BAD_ACTION"), "%s", r->actual);
  r = find(&rep, "support.getRentNumber");
  cr_assert_not_null(r);
  cr_expect_eq(r->verdict, SC_VERDICT_UNSUPPORTED, "%s",
               sc_verdict_name(r->verdict));
  /* what it has is still judged */
  r = find(&rep, "format.getNumber");
  cr_assert_not_null(r);
  cr_expect_eq(r->verdict, SC_VERDICT_PASS, "%s", r->message);
  r = find(&rep, "error.getStatus.NO_ACTIVATION");
  cr_assert_not_null(r);
  cr_expect_eq(r->verdict, SC_VERDICT_PASS, "%s", r->message);
  /* the balance is its step: blocked by the check that says it is missing */
  r = find(&rep, "money.refund-once");
  cr_assert_not_null(r);
  cr_expect_eq(r->verdict, SC_VERDICT_BLOCKED, "%s",
               sc_verdict_name(r->verdict));
  cr_expect_str_eq(r->blocked_by ? r->blocked_by : "", "support.getBalance");
  cr_expect_gt(unsupported, 150u);
  cr_expect_gt(blocked, 0u);
  cr_expect_gt(pass, 40u);
  cr_expect_eq(rep.counts[SC_VERDICT_FAIL], 1u);
  cr_expect_not_null(rep.unsupported);
  cr_expect(rep.unsupported && listed((const char *const *)rep.unsupported,
                                      "getBalance"));
  sc_report_free(&rep);
}

/* The same server without the control protocol: the lifecycle checks that
 * need no SMS and no clock still run, and pass. */
Test(run, lifecycle_without_control) {
  /* nothing resets the stock without control */
  struct ru_opts o = {.sim_actions = "getNumber,getStatus,setStatus",
                      .no_key2 = 1,
                      .no_control = 1,
                      .stock = 1000};
  struct sc_report rep;
  ru_run(&o, &rep);
  size_t ran = 0;
  for (size_t k = 0; k < rep.nresults; k++) {
    const struct sc_check_result *r = &rep.results[k];
    if (strncmp(r->id, "lifecycle.setStatus.", 20) != 0)
      continue;
    if (r->verdict == SC_VERDICT_PASS)
      ran++;
    else
      cr_expect(r->verdict == SC_VERDICT_SKIP ||
                    r->verdict == SC_VERDICT_UNSUPPORTED,
                "%s is %s: %s", r->id, sc_verdict_name(r->verdict),
                r->message ? r->message : "");
  }
  cr_expect_geq(ran, 8u, "%zu lifecycle checks ran without control", ran);
  const struct sc_check_result *r =
      find(&rep, "error.setStatus.EARLY_CANCEL_DENIED");
  cr_assert_not_null(r);
  cr_expect_eq(r->verdict, SC_VERDICT_PASS, "%s", r->message);
  cr_expect_eq(rep.counts[SC_VERDICT_FAIL], 1u); /* support.getBalance */
  sc_report_free(&rep);
}

/* --actions narrows the scope without a request: the rest is UNSUPPORTED,
 * and the actions it names are not probed. */
Test(run, actions_narrow_the_scope) {
  static const char *const acts[] = {"getBalance", "getNumber", "getStatus",
                                     "setStatus", NULL};
  struct ru_opts o = {.actions = acts, .no_key2 = 1};
  struct sc_report rep;
  ru_run(&o, &rep);
  const struct sc_check_result *r = find(&rep, "support.getNumber");
  cr_assert_not_null(r);
  cr_expect_eq(r->verdict, SC_VERDICT_PASS);
  cr_expect_eq(r->nex, 0u, "a named action is not probed");
  r = find(&rep, "format.getPrices");
  cr_assert_not_null(r);
  cr_expect_eq(r->verdict, SC_VERDICT_UNSUPPORTED);
  cr_expect_eq(r->nex, 0u);
  cr_expect_eq(rep.counts[SC_VERDICT_FAIL], 0u);
  sc_report_free(&rep);
}

/* ---- money ---------------------------------------------------------------- */

/* The ledger's purchase of activation |a| of the sandbox's state (asserted
 * to be there), or NULL. */
static const struct sc_spend *booked(const struct sc_report *rep,
                                     const cJSON *a) {
  const char *id = cJSON_GetObjectItemCaseSensitive(a, "id")->valuestring;
  for (size_t k = 0; k < rep->nspend; k++)
    if (strcmp(rep->spend[k].id, id) == 0)
      return &rep->spend[k];
  cr_expect(0, "activation %s is not in the ledger", id);
  return NULL;
}

/* Every number the endpoint sold is in the ledger with the check that
 * bought it, and none is left active against the sandbox. */
Test(run, every_sale_is_booked_and_released) {
  struct sc_sim *sim = NULL;
  struct ru_opts o = {.keep = &sim, .no_control = 1, .stock = 1000};
  struct sc_report rep;
  ru_run(&o, &rep);
  cJSON *st = su_state(sim);
  const cJSON *a;
  size_t sold = 0;
  cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(st, "activations")) {
    const char *id = cJSON_GetObjectItemCaseSensitive(a, "id")->valuestring;
    sold++;
    const struct sc_spend *sp = booked(&rep, a);
    if (!sp)
      continue;
    cr_expect(sp->check && *sp->check);
    cr_expect(sp->cost_known, "%s (%s, bought by %s): no price", id, sp->what,
              sp->check);
    /* what the ledger says became of it is what the sandbox says */
    int refunded =
        cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(a, "refunded"));
    if (sp->state == SC_SPEND_RELEASED)
      cr_expect(refunded, "%s: released in the ledger, not refunded", id);
    if (sp->state == SC_SPEND_LEFT_ACTIVE)
      cr_expect(sp->note && *sp->note, "%s: left active without a reason",
                id);
  }
  /* purchases are shared and pooled where the protocol allows, but a
   * full run still buys enough for the books to be worth comparing */
  cr_expect_gt(sold, 10u);
  cJSON_Delete(st);
  sc_sim_destroy(sim);
  sc_report_free(&rep);
}

/* --max-spend is a ceiling: against a vendor that sells on every probe, the
 * sandbox's own books show no more spent than allowed, and every number it
 * sold is in the ledger; also when the answer that sold it is one the
 * parser refuses (phone-plus: getNumberV2's JSON with a '+' before the
 * phone is no success form, yet the number is bought). */
Test(run, max_spend_is_a_ceiling) {
  static const struct {
    const char *faults, *actions;
    double ceiling;
  } cases[] = {{"sell-always", NULL, 1.00},
               {"sell-always,phone-plus",
                "getBalance,getNumber,getNumberV2,getStatus,setStatus,"
                "getPrices",
                2.00}};
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    struct sc_sim *sim = NULL;
    struct ru_opts o = {.keep = &sim, .faults = cases[i].faults,
                        .sim_actions = cases[i].actions, .no_control = 1,
                        .max_spend = cases[i].ceiling, .stock = 1000};
    struct sc_report rep;
    ru_run(&o, &rep);
    cJSON *st = su_state(sim);
    const cJSON *a;
    double charged = 0;
    size_t sold = 0;
    cJSON_ArrayForEach(a,
                       cJSON_GetObjectItemCaseSensitive(st, "activations")) {
      charged += cJSON_GetObjectItemCaseSensitive(a, "cost")->valuedouble;
      sold++;
      booked(&rep, a);
    }
    cr_expect_gt(sold, 0u);
    cr_expect_leq(charged, cases[i].ceiling + 1e-9,
                  "%s: %zu numbers charged %.2f", cases[i].faults, sold,
                  charged);
    /* the checks the ceiling stopped say so */
    size_t stopped = 0;
    for (size_t k = 0; k < rep.nresults; k++)
      stopped += rep.results[k].verdict == SC_VERDICT_SKIP &&
                 rep.results[k].message &&
                 strstr(rep.results[k].message, "spending limit");
    cr_expect_gt(stopped, 0u, "%s", cases[i].faults);
    cJSON_Delete(st);
    sc_sim_destroy(sim);
    sc_report_free(&rep);
  }
}

/* No check changes an activation the run did not buy: one bought before
 * the run (id 1, as SQLite hands it out) is still waiting afterwards. */
Test(run, foreign_activation_untouched) {
  struct sc_sim *sim = NULL;
  char err[256], url[160];
  struct sc_sim_config cfg = {.keys = RU_KEY1 ":100", .seed = 3,
                              .early_cancel_seconds = -1,
                              .faults = "ids-from-one", .spec = ru_spec};
  sim = sc_sim_new(&cfg, err, sizeof err);
  cr_assert_not_null(sim, "%s", err);
  ru_url(sim, url, sizeof url);
  char *before = su_api(sim, "api_key=" RU_KEY1
                             "&action=getNumber&service=tg&country=0");
  cr_assert(strncmp(before, "ACCESS_NUMBER:1:", 16) == 0, "%s", before);
  sc_free(before);
  struct sc_run_opts ro = {.catalogue = sc_checks_catalogue(),
                           .spec = ru_spec, .url = url, .key = RU_KEY1,
                           .timeout_ms = 5000};
  struct sc_report rep;
  cr_assert_eq(sc_run(&ro, &rep, err, sizeof err), SC_RUN_OK, "%s", err);
  char *after = su_api(sim, "api_key=" RU_KEY1 "&action=getStatus&id=1");
  cr_expect_str_eq(after, "STATUS_WAIT_CODE");
  sc_free(after);
  for (size_t k = 0; k < rep.nspend; k++)
    cr_expect_str_neq(rep.spend[k].id, "1");
  sc_sim_destroy(sim);
  sc_report_free(&rep);
}

/* A vendor remembers orderIds: the run of tomorrow's CI job against the
 * same endpoint must not send today's, or its first purchase is refused
 * as a repeat. Two runs against one simulator, without control: the
 * ORDER_ALREADY_EXISTS check passes both times. */
Test(run, order_id_is_new_in_every_run) {
  char err[256], url[160];
  struct sc_sim_config cfg = {.keys = RU_KEY1 ":1000", .seed = 3,
                              .early_cancel_seconds = -1, .stock = 1000,
                              .spec = ru_spec};
  struct sc_sim *sim = sc_sim_new(&cfg, err, sizeof err);
  cr_assert_not_null(sim, "%s", err);
  ru_url(sim, url, sizeof url);
  static const char *const only[] = {"error.getNumberV2.ORDER_ALREADY_EXISTS",
                                     NULL};
  for (int run = 0; run < 2; run++) {
    struct sc_run_opts ro = {.catalogue = sc_checks_catalogue(),
                             .spec = ru_spec, .url = url, .key = RU_KEY1,
                             .only = only, .max_spend = -1,
                             .timeout_ms = 5000};
    struct sc_report rep;
    cr_assert_eq(sc_run(&ro, &rep, err, sizeof err), SC_RUN_OK, "%s", err);
    const struct sc_check_result *r =
        find(&rep, "error.getNumberV2.ORDER_ALREADY_EXISTS");
    cr_assert_not_null(r);
    cr_expect_eq(r->verdict, SC_VERDICT_PASS, "run %d: %s", run + 1,
                 r->message ? r->message : "");
    sc_report_free(&rep);
  }
  sc_sim_destroy(sim);
}

/* Every check of |a| is in |b| with the same verdict; |how_a| and |how_b|
 * name the two runs in a message. */
static void same_verdicts(const struct sc_report *a, const struct sc_report *b,
                          const char *how_a, const char *how_b) {
  cr_assert_eq(a->nresults, b->nresults);
  for (size_t i = 0; i < a->nresults; i++) {
    const struct sc_check_result *x = &a->results[i];
    const struct sc_check_result *y = ru_find(b, x->id);
    cr_assert_not_null(y, "%s", x->id);
    cr_expect_eq(x->verdict, y->verdict, "%s: %s %s, %s %s: %s", x->id,
                 sc_verdict_name(x->verdict), how_a, sc_verdict_name(y->verdict),
                 how_b, y->message ? y->message : "");
  }
}

/* With control the checks that only buy and read share the sandbox. When
 * it runs out (nothing provisions it here, and it holds two numbers), a
 * check whose purchase is refused with NO_NUMBERS is run again alone from
 * a reset: every verdict is the one the checks get from a sandbox with
 * plenty, and the refusals cost requests, not FAILs. */
Test(run, a_check_the_shared_sandbox_ran_out_for_runs_again_alone) {
  struct sc_catalogue bare = *sc_checks_catalogue();
  bare.provision = NULL;
  const char *const only[] = {"lifecycle.setStatus.*", "format.getStatus",
                              NULL};
  struct sc_report plenty, scarce;
  ru_run(&(struct ru_opts){.only = only, .stock = 1000}, &plenty);
  ru_run(&(struct ru_opts){.only = only, .stock = 2, .catalogue = &bare},
         &scarce);
  cr_assert_gt(plenty.nresults, 10u);
  same_verdicts(&plenty, &scarce, "with plenty", "with two numbers");
  cr_expect_eq(scarce.counts[SC_VERDICT_FAIL] + scarce.counts[SC_VERDICT_ERROR],
               0u);
  /* the refused purchases and the resets of the checks run again */
  cr_expect_gt(scarce.requests, plenty.requests);
  sc_report_free(&plenty);
  sc_report_free(&scarce);
}

/* A check that shares the sandbox cannot change it under the others: one
 * whose catalogue entry forgets CK_ALONE ends as ERROR naming the control
 * operation, and the operation is not sent. */
static int plan_without_alone(struct ck_plan *p, const struct ck_env *env) {
  int rc = sc_checks_catalogue()->build_plan(p, env);
  for (size_t i = 0; i < p->n; i++)
    p->defs[i].needs &= ~(unsigned)CK_ALONE;
  return rc;
}

Test(run, a_sharing_check_may_not_change_the_sandbox) {
  struct sc_catalogue wrong = *sc_checks_catalogue();
  wrong.build_plan = plan_without_alone;
  const char *const only[] = {"money.balance-never-negative", NULL};
  struct sc_report rep;
  ru_run(&(struct ru_opts){.only = only, .catalogue = &wrong}, &rep);
  const struct sc_check_result *r = ru_find(&rep, only[0]);
  cr_assert_not_null(r);
  cr_expect_eq(r->verdict, SC_VERDICT_ERROR, "%s", sc_verdict_name(r->verdict));
  cr_expect(r->message && strstr(r->message, "control balance changes what "
                                             "every check sees"),
            "%s", r->message ? r->message : "");
  for (size_t k = 0; k < r->nex; k++)
    cr_expect(!strstr(r->ex[k].url, "/control/balance"), "%s", r->ex[k].url);
  sc_report_free(&rep);
}

/* The exchanges of |r| whose URL or body holds |needle|. */
static size_t exchanges_with(const struct sc_check_result *r,
                             const char *needle) {
  size_t n = 0;
  for (size_t k = 0; k < r->nex; k++)
    n += strstr(r->ex[k].url, needle) ||
         (r->ex[k].request_body && strstr(r->ex[k].request_body, needle));
  return n;
}

/* With control a check that buys and reads its balance while others buy
 * gets an account of its own (control "account"): its requests carry
 * that key, not the run's. A sandbox that serves only the protocol v1
 * makes none (404, asked once): the checks keep the run's key and the
 * money lock, with the same verdicts. */
Test(run, a_buying_check_has_an_account_of_its_own) {
  const char *const only[] = {"lifecycle.setStatus.*", "money.*",
                              "isolation.*", NULL};
  struct sc_report own, v1;
  ru_run(&(struct ru_opts){.only = only}, &own);
  ru_run(&(struct ru_opts){.only = only, .control_v1 = 1}, &v1);
  const struct sc_check_result *a =
      ru_find(&own, "lifecycle.setStatus.WAIT_CODE.8.early");
  cr_assert_not_null(a);
  cr_expect_eq(exchanges_with(a, "/control/account"), 1u);
  cr_expect_gt(exchanges_with(a, "api_key=smsconform-"), 1u);
  cr_expect_eq(exchanges_with(a, "$SMSCONFORM_KEY"), 0u);
  const struct sc_check_result *iso = ru_find(&own, "isolation.getStatus");
  cr_assert_not_null(iso);
  cr_expect_eq(exchanges_with(iso, "/control/account"), 2u, "two accounts");
  const struct sc_check_result *b1 =
      ru_find(&v1, "lifecycle.setStatus.WAIT_CODE.8.early");
  cr_assert_not_null(b1);
  cr_expect_gt(exchanges_with(b1, "api_key=$SMSCONFORM_KEY"), 1u);
  same_verdicts(&own, &v1, "with accounts", "without");
  size_t asked = 0;
  for (size_t i = 0; i < v1.nresults; i++) {
    const struct sc_check_result *b = &v1.results[i];
    cr_expect_eq(exchanges_with(b, "api_key=smsconform-"), 0u, "%s", b->id);
    asked += exchanges_with(b, "/control/account");
  }
  cr_expect_leq(asked, (size_t)SC_RUN_JOBS, "asked again after a 404");
  cr_expect_eq(own.counts[SC_VERDICT_FAIL] + own.counts[SC_VERDICT_ERROR], 0u);
  sc_report_free(&own);
  sc_report_free(&v1);
}

/* A success form the endpoint breaks on every purchase (phone-plus: a '+'
 * before the number) is the finding of each selling action's format
 * check, once: the checks that buy as a step, and the robustness checks
 * whose bad values get the same broken answer as a request without them,
 * are BLOCKED by that format check, never FAILed themselves. */
Test(run, a_broken_success_form_fails_its_format_check_only) {
  struct sc_report rep;
  ru_run(&(struct ru_opts){.faults = "phone-plus"}, &rep);
  for (size_t i = 0; i < rep.nresults; i++) {
    const struct sc_check_result *r = &rep.results[i];
    if (r->verdict == SC_VERDICT_FAIL || r->verdict == SC_VERDICT_ERROR)
      cr_expect(strncmp(r->id, "format.", 7) == 0, "%s: %s: %s", r->id,
                sc_verdict_name(r->verdict), r->message ? r->message : "");
  }
  static const char *const blocked[][2] = {
      {"robustness.getNumber.service", "format.getNumber"},
      {"robustness.getNumberV2.country", "format.getNumberV2"},
      {"error.getNumberV2.ORDER_ALREADY_EXISTS", "format.getNumberV2"},
      {"lifecycle.getNumberV2.time-agrees", "format.getNumberV2"}};
  for (size_t k = 0; k < sizeof blocked / sizeof *blocked; k++) {
    const struct sc_check_result *r = ru_find(&rep, blocked[k][0]);
    cr_assert_not_null(r, "%s", blocked[k][0]);
    cr_expect_eq(r->verdict, SC_VERDICT_BLOCKED, "%s: %s: %s", r->id,
                 sc_verdict_name(r->verdict), r->message ? r->message : "");
    cr_expect(r->blocked_by && strcmp(r->blocked_by, blocked[k][1]) == 0,
              "%s blocked by %s", r->id, r->blocked_by ? r->blocked_by : "");
  }
  sc_report_free(&rep);
}
