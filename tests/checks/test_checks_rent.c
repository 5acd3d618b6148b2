/* test_checks_rent.c — the checks of sc_checks_rent.c against the simulator,
 * and the webhook listener of sc_listen.c on its own. */
#include "run_util.h"
#include "sc_alloc.h"
#include "sc_checks.h"
#include "sc_checks_int.h"
#include "sc_listen.h"
#include "sc_report.h"
#include "sc_run.h"
#include "sc_sim.h"
#include "sc_spec.h"

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

TestSuite(checks_rent, .init = ru_setup, .fini = ru_teardown, .timeout = 60);

/* ---- helpers -------------------------------------------------------------
 */

/* The ids ck_plan_rent plans for |profile| (NULL-terminated, in |ids|,
 * which owns them; free with free_ids). */
static size_t plan_ids(const char *profile, char ***ids) {
  const struct sc_profile *p = sc_spec_profile(ru_spec, profile);
  cr_assert_not_null(p, "no profile %s", profile);
  struct ck_env env = {.spec = ru_spec, .profile = p,
                       .profile_name = p->name, .rest = p->rest};
  struct ck_plan plan = {0};
  struct ck_builder b = {&plan, &env, 0};
  ck_plan_rent(&b);
  cr_assert_eq(b.err, 0);
  *ids = sc_calloc(plan.n + 1, sizeof **ids);
  cr_assert_not_null(*ids);
  for (size_t i = 0; i < plan.n; i++)
    (*ids)[i] = sc_strdup(plan.defs[i].id);
  sc_free(plan.defs);
  return plan.n;
}

static void free_ids(char **ids) {
  for (size_t i = 0; ids && ids[i]; i++)
    sc_free(ids[i]);
  sc_free(ids);
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- the faithful simulator ---------------------------------------------
 */

static const char *const profiles[] = {"sms-activate", "securesms", "koalasms",
                                       "smsbulk"};

/* What each profile must at least plan here: sms-activate offers rent,
 * e-mail, partner and webhooks; securesms the wallet and webhooks; the
 * other two none of them. */
static const size_t min_planned[] = {80, 3, 0, 0};

/* The one check that cannot run anywhere: no document lists the partner
 * products and no control path makes one, so it says so. */
static const char *const skips_by_design[] = {"format.buyPartnerProduct"};

ParameterizedTestParameters(checks_rent, faithful_simulator_passes) {
  static int idx[] = {0, 1, 2, 3};
  return cr_make_param_array(int, idx, sizeof idx / sizeof *idx);
}

/* Every check planned here is PASS or WARN against the faithful simulator
 * (control and a second account are there), with a requirement and a
 * citation; the one skip by design says why. */
ParameterizedTest(int *i, checks_rent, faithful_simulator_passes) {
  char **ids;
  size_t n = plan_ids(profiles[*i], &ids);
  cr_expect_geq(n, min_planned[*i], "%s plans %zu checks", profiles[*i], n);
  if (!n) {
    free_ids(ids);
    return;
  }
  struct sc_report rep;
  struct ru_opts o = {.profile = profiles[*i],
                      .only = (const char *const *)ids};
  ru_run(&o, &rep);
  /* beside the support.* probes of the actions the run uses */
  size_t checks = 0;
  for (size_t k = 0; k < rep.nresults; k++)
    checks += strncmp(rep.results[k].id, "support.", 8) != 0;
  cr_expect_eq(checks, n, "%s: %zu results for %zu planned", profiles[*i],
               checks, n);
  for (size_t k = 0; k < n; k++) {
    const struct sc_check_result *r = ru_find(&rep, ids[k]);
    cr_assert_not_null(r, "%s: %s did not run", profiles[*i], ids[k]);
    int by_design = 0;
    for (size_t s = 0; s < sizeof skips_by_design / sizeof *skips_by_design;
         s++)
      by_design |= strcmp(r->id, skips_by_design[s]) == 0;
    if (by_design)
      cr_expect(r->verdict == SC_VERDICT_SKIP && r->message &&
                    strstr(r->message, "partner product"),
                "%s: %s is %s: %s", profiles[*i], r->id,
                sc_verdict_name(r->verdict), r->message ? r->message : "");
    else
      cr_expect(r->verdict == SC_VERDICT_PASS || r->verdict == SC_VERDICT_WARN,
                "%s: %s is %s: %s", profiles[*i], r->id,
                sc_verdict_name(r->verdict), r->message ? r->message : "");
    cr_expect(r->doc && r->section && r->requirement && *r->requirement,
              "%s has no citation or requirement", r->id);
  }
  sc_report_free(&rep);
  free_ids(ids);
}

/* Without a second account and without control, the checks that need them
 * are SKIP with the reason (never PASS by not running). */
Test(checks_rent, needs_are_honoured) {
  const char *only[] = {"isolation.getRentStatus", "webhook.payload",
                        "lifecycle.rent.sms-listed", NULL};
  struct sc_report rep;
  struct ru_opts o = {.only = only, .no_control = 1, .no_key2 = 1};
  ru_run(&o, &rep);
  for (size_t k = 0; only[k]; k++) {
    const struct sc_check_result *r = ru_find(&rep, only[k]);
    cr_assert_not_null(r, "%s", only[k]);
    cr_expect_eq(r->verdict, SC_VERDICT_SKIP, "%s is %s", r->id,
                 sc_verdict_name(r->verdict));
    cr_expect(r->message && *r->message, "%s skips without a reason", r->id);
  }
  sc_report_free(&rep);
}

/* An endpoint the runner cannot tell is on this machine gets no webhook
 * check: it could not reach the loopback listener. 2130706433 is 127.0.0.1
 * written as one number, which curl connects to but which does not look
 * like loopback. */
Test(checks_rent, webhooks_skip_off_loopback) {
  char err[256];
  struct sc_sim_config cfg = {.keys = RU_KEY1 ":100," RU_KEY2 ":100",
                              .seed = 3,
                              .early_cancel_seconds = -1,
                              .spec = ru_spec};
  struct sc_sim *sim = sc_sim_new(&cfg, err, sizeof err);
  cr_assert_not_null(sim, "%s", err);
  char url[128], ctl[128];
  snprintf(url, sizeof url, "http://2130706433:%u/stubs/handler_api.php",
           sc_sim_port(sim));
  snprintf(ctl, sizeof ctl, "http://127.0.0.1:%u/control", sc_sim_port(sim));
  const char *only[] = {"webhook.*", NULL};
  struct sc_run_opts ro = {.catalogue = sc_checks_catalogue(),
                           .spec = ru_spec,
                           .url = url,
                           .control = ctl,
                           .key = RU_KEY1,
                           .key2 = RU_KEY2,
                           .max_spend = -1,
                           .only = only,
                           .timeout_ms = 5000};
  struct sc_report rep;
  int rc = sc_run(&ro, &rep, err, sizeof err);
  sc_sim_destroy(sim);
  cr_assert_eq(rc, SC_RUN_OK, "%s", err);
  size_t hooks = 0;
  for (size_t k = 0; k < rep.nresults; k++) {
    const struct sc_check_result *r = &rep.results[k];
    if (strncmp(r->id, "webhook.", 8) != 0)
      continue; /* the support.* probes */
    hooks++;
    cr_expect_eq(r->verdict, SC_VERDICT_SKIP, "%s is %s", r->id,
                 sc_verdict_name(r->verdict));
    cr_expect(r->message && strstr(r->message, "127.0.0.1"),
              "%s: the reason names the listener: %s", r->id,
              r->message ? r->message : "");
  }
  cr_expect_eq(hooks, 3u);
  sc_report_free(&rep);
}

/* ---- faults ---------------------------------------------------------------
 */

/* A fault and a further check that must catch it (test_run.c's table has
 * the first one of each fault). */
static const struct caught {
  const char *profile; /* NULL = sms-activate */
  const char *fault;
  const char *check;
} caught[] = {
    /* a late cancel is let through with a refund */
    {NULL, "rent-late-cancel", "lifecycle.setRentStatus.ACTIVE.2.late"},
    /* the newest SMS on a rent is not listed */
    {NULL, "rent-sms-missing", "format.getRentStatus"},
    /* an extension costs nothing */
    {NULL, "rent-extend-free", "lifecycle.continueRentNumber.ACTIVE"},
    /* the code is sent as smsCode */
    {"securesms", "webhook-payload", "webhook.payload"},
};

ParameterizedTestParameters(checks_rent, fault_is_caught) {
  static int idx[sizeof caught / sizeof *caught];
  for (size_t i = 0; i < sizeof idx / sizeof *idx; i++)
    idx[i] = (int)i;
  return cr_make_param_array(int, idx, sizeof idx / sizeof *idx);
}

ParameterizedTest(int *i, checks_rent, fault_is_caught) {
  ru_expect_caught(caught[*i].profile, caught[*i].fault, caught[*i].check, NULL);
}

/* ---- the listener ---------------------------------------------------------
 */

static size_t discard(char *p, size_t size, size_t n, void *ud) {
  (void)p;
  (void)ud;
  return size * n;
}

/* POSTs |body| (or does |method| without one) to |url|; the HTTP status,
 * or 0 when none came. */
static long send_req(const char *url, const char *method, const char *body,
                     size_t len) {
  CURL *e = curl_easy_init();
  if (!e)
    return 0;
  struct curl_slist *h =
      curl_slist_append(NULL, "Content-Type: application/json");
  curl_easy_setopt(e, CURLOPT_URL, url);
  curl_easy_setopt(e, CURLOPT_PROXY, "");
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, 5000L);
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, h);
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, discard);
  if (body) {
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, (long)len);
  } else {
    curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, method);
  }
  long code = 0;
  if (curl_easy_perform(e) == CURLE_OK)
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &code);
  curl_slist_free_all(h);
  curl_easy_cleanup(e);
  return code;
}

static struct sc_listen *listener(char *url, size_t n, const char *path) {
  char err[160];
  struct sc_listen *l = sc_listen_new(err, sizeof err);
  cr_assert_not_null(l, "%s", err);
  cr_assert_gt(sc_listen_port(l), 0u);
  cr_assert_eq(sc_listen_url(l, path, url, n), 0);
  return l;
}

/* The use in webhook.retry: the first POST refused with 500, the next
 * one taken; bodies, paths and content types kept in order. */
Test(checks_rent, listener_records_and_answers_the_script) {
  char url[128];
  struct sc_listen *l = listener(url, sizeof url, "/hook?x=1");
  cr_expect_eq(strncmp(url, "http://127.0.0.1:", 17), 0, "%s", url);
  static const int first[] = {500};
  cr_assert_eq(sc_listen_script(l, first, 1, 200), 0);
  static const char b1[] = "{\"activationId\":1,\"code\":\"12345\"}";
  static const char b2[] = "{\"activationId\":1,\"code\":\"67890\"}";
  cr_expect_eq(send_req(url, NULL, b1, strlen(b1)), 500);
  cr_expect_eq(send_req(url, NULL, b2, strlen(b2)), 200);
  cr_expect_eq(send_req(url, NULL, b2, strlen(b2)), 200);
  cr_expect_eq(sc_listen_count(l), 3u);
  struct sc_listen_hit h;
  cr_assert_eq(sc_listen_hit(l, 0, &h), 0);
  cr_expect_str_eq(h.body, b1);
  cr_expect_eq(h.len, strlen(b1));
  cr_expect_eq(h.status, 500);
  cr_expect_str_eq(h.path, "/hook");
  cr_expect_str_eq(h.content_type, "application/json");
  cr_expect_eq(h.truncated, 0);
  sc_listen_hit_free(&h);
  cr_assert_eq(sc_listen_hit(l, 1, &h), 0);
  cr_expect_str_eq(h.body, b2);
  cr_expect_eq(h.status, 200);
  sc_listen_hit_free(&h);
  /* no such hit: -1 and an empty |out| */
  cr_expect_eq(sc_listen_hit(l, 3, &h), -1);
  cr_expect_null(h.body);
  sc_listen_destroy(l);
}

/* Every POST refused (webhook.retry-limit), an empty body kept as "". */
Test(checks_rent, listener_answers_every_post_as_told) {
  char url[128];
  struct sc_listen *l = listener(url, sizeof url, "/");
  cr_assert_eq(sc_listen_script(l, NULL, 0, 503), 0);
  cr_expect_eq(send_req(url, NULL, "", 0), 503);
  cr_expect_eq(send_req(url, NULL, "x", 1), 503);
  struct sc_listen_hit h;
  cr_assert_eq(sc_listen_hit(l, 0, &h), 0);
  cr_expect_str_eq(h.body, "");
  cr_expect_eq(h.len, 0u);
  sc_listen_hit_free(&h);
  sc_listen_destroy(l);
}

/* Nothing but POST is a webhook: 405, not counted. */
Test(checks_rent, listener_refuses_other_methods) {
  char url[128];
  struct sc_listen *l = listener(url, sizeof url, "/");
  cr_expect_eq(send_req(url, "GET", NULL, 0), 405);
  cr_expect_eq(send_req(url, "PUT", NULL, 0), 405);
  cr_expect_eq(sc_listen_count(l), 0u);
  sc_listen_destroy(l);
}

/* A body over the cap is cut and says so; the answer still comes. */
Test(checks_rent, listener_cuts_a_huge_body) {
  char url[128];
  struct sc_listen *l = listener(url, sizeof url, "/");
  size_t n = SC_LISTEN_BODY_MAX + 1000;
  char *big = sc_malloc(n);
  cr_assert_not_null(big);
  memset(big, 'a', n);
  cr_expect_eq(send_req(url, NULL, big, n), 200);
  sc_free(big);
  struct sc_listen_hit h;
  cr_assert_eq(sc_listen_hit(l, 0, &h), 0);
  cr_expect_eq(h.len, (size_t)SC_LISTEN_BODY_MAX);
  cr_expect_eq(h.truncated, 1);
  cr_expect_eq(strlen(h.body), h.len);
  sc_listen_hit_free(&h);
  sc_listen_destroy(l);
}

/* Waiting is bounded: with nothing coming, wait and settle return near
 * their timeouts with the count. */
Test(checks_rent, listener_waits_are_bounded) {
  char url[128];
  struct sc_listen *l = listener(url, sizeof url, "/");
  double t0 = now_s();
  cr_expect_eq(sc_listen_wait(l, 1, 200), 0u);
  double dt = now_s() - t0;
  cr_expect(dt >= 0.15 && dt < 2.0, "wait took %.3f s", dt);
  t0 = now_s();
  cr_expect_eq(sc_listen_settle(l, 100, 5000), 0u);
  dt = now_s() - t0;
  cr_expect(dt >= 0.08 && dt < 2.0, "settle took %.3f s", dt);
  /* a POST that already came: wait returns at once */
  cr_expect_eq(send_req(url, NULL, "{}", 2), 200);
  t0 = now_s();
  cr_expect_eq(sc_listen_wait(l, 1, 5000), 1u);
  cr_expect_lt(now_s() - t0, 1.0);
  sc_listen_destroy(l);
}

/* Statuses outside 100..599 are refused and the script stays. */
Test(checks_rent, listener_script_checks_its_statuses) {
  char url[128];
  struct sc_listen *l = listener(url, sizeof url, "/");
  static const int bad[] = {42};
  cr_expect_eq(sc_listen_script(l, bad, 1, 200), -1);
  cr_expect_eq(sc_listen_script(l, NULL, 0, 600), -1);
  cr_expect_eq(sc_listen_script(l, NULL, 1, 200), -1);
  cr_expect_eq(send_req(url, NULL, "{}", 2), 200);
  sc_listen_destroy(l);
  sc_listen_destroy(NULL);
  sc_listen_hit_free(NULL);
}

struct poster {
  const char *url;
  int ok; /* POSTs answered 200; read by the main thread after join */
};

static void *post_many(void *arg) {
  struct poster *p = arg;
  for (int i = 0; i < 10; i++)
    p->ok += send_req(p->url, NULL, "{\"n\":1}", 7) == 200;
  return NULL;
}

/* Deliveries from several threads at once are all counted and kept; a
 * waiter on the main thread sees them (the asserts stay on this thread). */
Test(checks_rent, listener_is_thread_safe) {
  char url[128];
  struct sc_listen *l = listener(url, sizeof url, "/");
  pthread_t th[4];
  struct poster ps[4];
  for (int i = 0; i < 4; i++) {
    ps[i] = (struct poster){url, 0};
    cr_assert_eq(pthread_create(&th[i], NULL, post_many, &ps[i]), 0);
  }
  size_t seen = sc_listen_wait(l, 40, 10000);
  int ok = 0;
  for (int i = 0; i < 4; i++) {
    pthread_join(th[i], NULL);
    ok += ps[i].ok;
  }
  cr_expect_eq(seen, 40u);
  cr_expect_eq(ok, 40);
  cr_expect_eq(sc_listen_count(l), 40u);
  for (size_t i = 0; i < 40; i++) {
    struct sc_listen_hit h;
    cr_assert_eq(sc_listen_hit(l, i, &h), 0);
    cr_expect_str_eq(h.body, "{\"n\":1}");
    sc_listen_hit_free(&h);
  }
  sc_listen_destroy(l);
}
