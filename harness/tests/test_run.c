/* test_run.c — the runner end to end against the built-in simulator: the
 * faithful simulator passes, a simulator with a fault is caught by the
 * checks that point at it, keys never reach a report, and an endpoint that
 * does not answer is told apart from one that fails. */
#include "run_util.h"
#include "sc_alloc.h"
#include "sc_record.h"
#include "sc_report.h"
#include "sc_run.h"
#include "sc_sim.h"
#include "sc_spec.h"

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
                                       "securesms"};

ParameterizedTestParameters(run, faithful_simulator_passes) {
  static int idx[] = {0, 1, 2, 3};
  return cr_make_param_array(int, idx, 4);
}

/* The proof: against the faithful simulator, no FAIL, no ERROR,
 * and nothing skipped (control and a second account are there). */
ParameterizedTest(int *i, run, faithful_simulator_passes) {
  struct sc_report rep;
  run_sim(profiles[*i], NULL, NULL, &rep);
  cr_expect_gt(rep.nresults, 40u, "%s: %zu checks", profiles[*i],
               rep.nresults);
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

/* A fault and a check that must catch it. */
struct caught {
  const char *fault;
  const char *check;
  const char *profile; /* NULL = the reference */
};

static const struct caught caught[] = {
    {"no-refund", "money.refund-once", NULL},
    {"cross-account", "isolation.getStatus", NULL},
    {"early-cancel-allowed", "error.setStatus.EARLY_CANCEL_DENIED", NULL},
    {"token-spelling", "money.refund-once", NULL},
    {"content-type-html", "transport.text-answer", NULL},
    {"html-error-page", "error.getBalance.BAD_KEY", NULL},
    {"http-500-errors", "error.getBalance.BAD_KEY", NULL},
    {"post-ignored", "transport.post-form", NULL},
    {"key-echoed", "error.getBalance.BAD_KEY", NULL},
    {"bad-action-token", "error.handler.BAD_ACTION", NULL},
    {"sql-leak", "error.setStatus.WRONG_ACTIVATION_ID", NULL},
    {"no-charge", "money.charge-equals-price", NULL},
    {"sell-no-balance", "money.balance-never-negative", NULL},
    {"expiry-no-refund", "money.expiry-refund", NULL},
    {"phone-plus", "format.getNumber", NULL},
    {"ignore-max-price", "money.max-price-respected", NULL},
    {"early-status-ok", "lifecycle.activation.happy-path", NULL},
    {"cancel-not-reflected", "lifecycle.setStatus.WAIT_CODE.8.late", NULL},
    {"retry-no-lastcode", "lifecycle.activation.retry", NULL},
    {"double-refund", "lifecycle.setStatus.READY.8.late", NULL},
    {"status-v2-stale", "lifecycle.getStatusV2.agrees", NULL},
    {"active-list-stale", "lifecycle.getActiveActivations.agrees", NULL},
    {"v2-missing-key", "format.getNumberV2", NULL},
    {"order-id-repeat", "error.getNumberV2.ORDER_ALREADY_EXISTS", NULL},
    {"balance-comma", "format.getBalance", NULL},
    {"prices-no-count", "format.getPrices", NULL},
    {"v2-time-skew", "lifecycle.getNumberV2.time-agrees", NULL},
    {"stock-stale", "lifecycle.getNumbersStatus.stock-decreases", NULL},
    /* rent and webhooks (001) */
    {"rent-late-cancel", "lifecycle.rent.cancel-window", NULL},
    {"rent-sms-missing", "lifecycle.rent.sms-listed", NULL},
    {"rent-extend-free", "money.rent.continue-charges", NULL},
    {"webhook-payload", "webhook.payload", NULL},
    {"webhook-no-retry", "webhook.retry", NULL},
    {"webhook-retry-forever", "webhook.retry-limit", NULL},
    /* the REST dialect (002) */
    {"rest-no-auth", "rest.v1.balance.no-key", "rest-v1"},
    {"rest-no-rate-headers", "rest.v1.balance.rate-limit-headers", "rest-v1"},
    {"rest-no-429", "rest.v1.balance.rate-limit-429", "rest-v1"},
    {"rest-refund-after-sms", "money.v1.activations.delete.no-refund-after-sms",
     "rest-v1"},
};

ParameterizedTestParameters(run, fault_is_caught) {
  static int idx[sizeof caught / sizeof *caught];
  for (size_t i = 0; i < sizeof idx / sizeof *idx; i++)
    idx[i] = (int)i;
  return cr_make_param_array(int, idx, sizeof idx / sizeof *idx);
}

ParameterizedTest(int *i, run, fault_is_caught) {
  ru_expect_caught(caught[*i].profile, caught[*i].fault, caught[*i].check);
}

/* A WARN by design (whitespace is a vendor variant): the check warns, and
 * with --strict the run counts it as a failure. */
Test(run, trailing_newline_fails_only_when_strict) {
  const char *only[] = {"format.getBalance", NULL};
  struct ru_opts o = {.faults = "trailing-newline", .only = only};
  struct sc_report rep;
  ru_run(&o, &rep);
  const struct sc_check_result *r = find(&rep, "format.getBalance");
  cr_assert_not_null(r);
  cr_expect_eq(r->verdict, SC_VERDICT_WARN, "%s", sc_verdict_name(r->verdict));
  cr_expect_eq(sc_report_blockers(&rep), 0u);
  sc_report_free(&rep);
  o.strict = 1;
  ru_run(&o, &rep);
  r = find(&rep, "format.getBalance");
  cr_assert_not_null(r);
  cr_expect_eq(r->verdict, SC_VERDICT_WARN, "%s", sc_verdict_name(r->verdict));
  cr_expect(sc_report_blocks(&rep, r));
  cr_expect_eq(sc_report_blockers(&rep), 1u);
  sc_report_free(&rep);
}

/* Every fault the simulator can inject is caught by a named check: a new
 * fault without a check that sees it fails the build. */
Test(run, every_fault_has_a_catching_check) {
  const char *name;
  for (size_t i = 0; (name = sc_sim_fault_info(i, NULL, NULL)); i++) {
    int found = strcmp(name, "trailing-newline") == 0;
    for (size_t k = 0; k < sizeof caught / sizeof *caught; k++)
      found |= strcmp(caught[k].fault, name) == 0;
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
  struct sc_run_opts o = {.spec = ru_spec, .url = url, .control = ctl,
                          .key = KEY1, .key2 = KEY2, .record = rec};
  struct sc_report live, again;
  cr_assert_eq(sc_run(&o, &live, err, sizeof err), SC_RUN_OK, "%s", err);
  sc_sim_destroy(sim); /* the replay has no endpoint to talk to */
  cr_assert_eq(sc_record_save(rec, dir, err, sizeof err), 0, "%s", err);
  sc_record_destroy(rec);
  rec = sc_record_load(dir, err, sizeof err);
  cr_assert_not_null(rec, "%s", err);
  struct sc_run_opts ro = {.spec = ru_spec, .url = url, .control = ctl,
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
  struct sc_run_opts o = {.spec = ru_spec, .url = url, .key = key,
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
  struct sc_run_opts o = {.spec = ru_spec, .url = url, .key = KEY1};
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
  struct sc_run_opts o = {.spec = ru_spec,
                          .url = "http://127.0.0.1:1/stubs/handler_api.php",
                          .key = KEY1,
                          .timeout_ms = 2000};
  struct sc_report rep;
  cr_expect_eq(sc_run(&o, &rep, err, sizeof err), SC_RUN_UNREACHABLE);
  cr_expect(strstr(err, "does not answer") != NULL, "%s", err);
}

/* Check ids are unique and stable in form. */
Test(run, plan_ids_are_unique) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  char err[128];
  struct sc_run_opts o = {.spec = ru_spec, .url = "http://127.0.0.1/",
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
