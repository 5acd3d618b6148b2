/* test_sim.c — tests for sc_sim.c over real HTTP (libcurl).
 *
 * Criterion re-execs its workers, so every Test starts its own simulator on
 * 127.0.0.1 port 0 and stops it before returning. */
#include "sc_alloc.h"
#include "sc_buf.h"
#include "sim_util.h"

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define KEY1 "K1"
#define KEY2 "K2"

static struct sc_sim *start(void) { return su_start(NULL, NULL); }
#define stop su_stop
#define api_expect su_api_expect
#define ctl_expect su_ctl_expect

/* The body of |path| (free with sc_free) and its status in |*code|. */
static char *http(struct sc_sim *s, const char *path, const char *body,
                  long *code) {
  struct su_resp r = su_http(s, NULL, path, body, NULL);
  if (code)
    *code = r.code;
  return r.body;
}

static unsigned long long buy(struct sc_sim *s, const char *key) {
  return su_buy(s, key, "tg", "0");
}

static void act_q(char *q, size_t n, const char *key, const char *action,
                  unsigned long long id, const char *extra) {
  snprintf(q, n, "api_key=%s&action=%s&id=%llu%s", key, action, id, extra);
}

Test(sim, get_balance) {
  struct sc_sim *s = start();
  api_expect(s, "api_key=K1&action=getBalance", "ACCESS_BALANCE:10.00");
  api_expect(s, "api_key=K2&action=getBalance", "ACCESS_BALANCE:100.00");
  stop(s);
}

Test(sim, bad_key_and_bad_action) {
  struct sc_sim *s = start();
  api_expect(s, "action=getBalance", "BAD_KEY");
  api_expect(s, "api_key=nope&action=getBalance", "BAD_KEY");
  api_expect(s, "api_key=K1", "BAD_ACTION");
  api_expect(s, "api_key=K1&action=frobnicate", "BAD_ACTION");
  api_expect(s, "api_key=K1&action=getNumber&service=zz&country=0",
             "BAD_SERVICE");
  stop(s);
}

Test(sim, full_lifecycle_with_retry) {
  struct sc_sim *s = start();
  char q[256], body[256], want[64];
  unsigned long long id = buy(s, KEY1);
  api_expect(s, "api_key=K1&action=getBalance", "ACCESS_BALANCE:9.50");
  act_q(q, sizeof q, KEY1, "getStatus", id, "");
  api_expect(s, q, "STATUS_WAIT_CODE");
  act_q(q, sizeof q, KEY1, "setStatus", id, "&status=1");
  api_expect(s, q, "ACCESS_READY");
  snprintf(body, sizeof body,
           "{\"activationId\":\"%llu\",\"text\":\"code 1111\","
           "\"code\":\"1111\"}",
           id);
  ctl_expect(s, "sms", body, 200);
  act_q(q, sizeof q, KEY1, "getStatus", id, "");
  api_expect(s, q, "STATUS_OK:1111");
  act_q(q, sizeof q, KEY1, "setStatus", id, "&status=3");
  api_expect(s, q, "ACCESS_RETRY_GET");
  act_q(q, sizeof q, KEY1, "getStatus", id, "");
  api_expect(s, q, "STATUS_WAIT_RETRY:1111");
  snprintf(body, sizeof body,
           "{\"activationId\":%llu,\"text\":\"your code 2222\"}", id);
  ctl_expect(s, "sms", body, 200);
  snprintf(want, sizeof want, "STATUS_OK:2222");
  api_expect(s, q, want);
  act_q(q, sizeof q, KEY1, "setStatus", id, "&status=6");
  api_expect(s, q, "ACCESS_ACTIVATION");
  /* completed: cancel is refused, no refund */
  act_q(q, sizeof q, KEY1, "setStatus", id, "&status=8");
  api_expect(s, q, "BAD_STATUS");
  api_expect(s, "api_key=K1&action=getBalance", "ACCESS_BALANCE:9.50");
  stop(s);
}

Test(sim, early_cancel_then_refund_once) {
  struct sc_sim *s = start();
  char q[256];
  unsigned long long id = buy(s, KEY1);
  act_q(q, sizeof q, KEY1, "setStatus", id, "&status=8");
  api_expect(s, q, "EARLY_CANCEL_DENIED");
  ctl_expect(s, "clock", "{\"advance\":121}", 200);
  api_expect(s, q, "ACCESS_CANCEL");
  api_expect(s, "api_key=K1&action=getBalance", "ACCESS_BALANCE:10.00");
  api_expect(s, q, "BAD_STATUS");
  api_expect(s, "api_key=K1&action=getBalance", "ACCESS_BALANCE:10.00");
  act_q(q, sizeof q, KEY1, "getStatus", id, "");
  api_expect(s, q, "STATUS_CANCEL");
  stop(s);
}

Test(sim, set_status_errors) {
  struct sc_sim *s = start();
  char q[256];
  unsigned long long id = buy(s, KEY1);
  api_expect(s, "api_key=K1&action=setStatus&id=abc&status=8",
             "WRONG_ACTIVATION_ID");
  api_expect(s, "api_key=K1&action=setStatus&id=1&status=8",
             "NO_ACTIVATION");
  api_expect(s, "api_key=K1&action=getStatus&id=abc", "NO_ACTIVATION");
  act_q(q, sizeof q, KEY1, "setStatus", id, "&status=7");
  api_expect(s, q, "BAD_STATUS");
  act_q(q, sizeof q, KEY1, "setStatus", id, "&status=3");
  api_expect(s, q, "BAD_STATUS"); /* no code yet */
  stop(s);
}

Test(sim, no_balance) {
  struct sc_sim *s = start();
  ctl_expect(s, "balance", "{\"apiKey\":\"K1\",\"balance\":0}", 200);
  api_expect(s, "api_key=K1&action=getBalance", "ACCESS_BALANCE:0.00");
  api_expect(s, "api_key=K1&action=getNumber&service=tg&country=0",
             "NO_BALANCE");
  ctl_expect(s, "balance", "{\"apiKey\":\"K1\",\"balance\":12.5}", 200);
  api_expect(s, "api_key=K1&action=getBalance", "ACCESS_BALANCE:12.50");
  stop(s);
}

/* POST /control/account (this simulator's extension of the control
 * protocol): an account of its own for a client, with the balance given,
 * refused for a key that exists or a bad body, and gone at a reset. */
Test(sim, control_account) {
  struct sc_sim *s = start();
  ctl_expect(s, "account", "{\"apiKey\":\"own-1\",\"balance\":7.25}", 200);
  api_expect(s, "api_key=own-1&action=getBalance", "ACCESS_BALANCE:7.25");
  api_expect(s, "api_key=K1&action=getBalance", "ACCESS_BALANCE:10.00");
  unsigned long long id = su_buy(s, "own-1", "tg", "0");
  cr_assert_gt(id, 0ull);
  char q[160];
  act_q(q, sizeof q, KEY1, "getStatus", id, "");
  api_expect(s, q, "NO_ACTIVATION"); /* not K1's */
  ctl_expect(s, "account", "{\"apiKey\":\"own-1\",\"balance\":1}", 409);
  ctl_expect(s, "account", "{\"apiKey\":\"K1\",\"balance\":1}", 409);
  ctl_expect(s, "account", "{\"apiKey\":\"a,b\",\"balance\":1}", 400);
  ctl_expect(s, "account", "{\"apiKey\":\"\",\"balance\":1}", 400);
  ctl_expect(s, "account", "{\"apiKey\":\"x\",\"balance\":-1}", 400);
  ctl_expect(s, "account", "{\"balance\":1}", 400);
  ctl_expect(s, "reset", "{}", 200);
  api_expect(s, "api_key=own-1&action=getBalance", "BAD_KEY");
  api_expect(s, "api_key=K1&action=getBalance", "ACCESS_BALANCE:10.00");
  /* made again after the reset */
  ctl_expect(s, "account", "{\"apiKey\":\"own-1\",\"balance\":2}", 200);
  api_expect(s, "api_key=own-1&action=getBalance", "ACCESS_BALANCE:2.00");
  stop(s);
  /* a sandbox that serves the protocol v1 only */
  s = su_start_cfg((struct sc_sim_config){.keys = "K1", .control_v1 = 1});
  ctl_expect(s, "account", "{\"apiKey\":\"own-1\",\"balance\":1}", 404);
  stop(s);
}

Test(sim, no_numbers) {
  struct sc_sim *s = start();
  ctl_expect(s, "stock", "{\"service\":\"wa\",\"country\":\"12\",\"count\":0}",
             200);
  api_expect(s, "api_key=K1&action=getNumber&service=wa&country=12",
             "NO_NUMBERS");
  api_expect(s, "api_key=K1&action=getBalance", "ACCESS_BALANCE:10.00");
  stop(s);
}

Test(sim, wrong_max_price) {
  struct sc_sim *s = start();
  api_expect(s,
             "api_key=K1&action=getNumber&service=vk&country=187&maxPrice=0.4",
             "WRONG_MAX_PRICE:0.50");
  ctl_expect(s, "price", "{\"service\":\"vk\",\"country\":\"187\",\"cost\":1.25}",
             200);
  api_expect(s,
             "api_key=K1&action=getNumber&service=vk&country=187&maxPrice=1",
             "WRONG_MAX_PRICE:1.25");
  api_expect(s, "api_key=K1&action=getBalance", "ACCESS_BALANCE:10.00");
  stop(s);
}

Test(sim, other_account_cannot_see_activation) {
  struct sc_sim *s = start();
  char q[256];
  unsigned long long id = buy(s, KEY1);
  act_q(q, sizeof q, KEY2, "getStatus", id, "");
  api_expect(s, q, "NO_ACTIVATION");
  act_q(q, sizeof q, KEY2, "setStatus", id, "&status=8");
  api_expect(s, q, "NO_ACTIVATION");
  stop(s);
}

Test(sim, expiry_refunds_once) {
  struct sc_sim *s = start();
  char q[256];
  unsigned long long id = buy(s, KEY1);
  api_expect(s, "api_key=K1&action=getBalance", "ACCESS_BALANCE:9.50");
  ctl_expect(s, "clock", "{\"advance\":1300}", 200);
  act_q(q, sizeof q, KEY1, "getStatus", id, "");
  api_expect(s, q, "STATUS_CANCEL");
  api_expect(s, "api_key=K1&action=getBalance", "ACCESS_BALANCE:10.00");
  act_q(q, sizeof q, KEY1, "setStatus", id, "&status=8");
  api_expect(s, q, "BAD_STATUS");
  api_expect(s, "api_key=K1&action=getBalance", "ACCESS_BALANCE:10.00");
  stop(s);
}

Test(sim, control_errors_and_state) {
  struct sc_sim *s = start();
  ctl_expect(s, "nope", "{}", 404);
  ctl_expect(s, "clock", "{not json", 400);
  ctl_expect(s, "clock", "{\"advance\":\"x\"}", 400);
  ctl_expect(s, "sms", "{\"activationId\":\"1\",\"code\":\"1\"}", 404);
  ctl_expect(s, "reset", "{}", 200);
  long code = 0;
  char *st = http(s, "/control/state", NULL, &code);
  cr_expect_eq(code, 200);
  cr_expect(strstr(st, "\"apiKey\":\"K1\"") != NULL, "%s", st);
  sc_free(st);
  stop(s);
}

Test(sim, post_form_get_balance) {
  struct sc_sim *s = start();
  long code = 0;
  char *got = http(s, "/stubs/handler_api.php",
                   "api_key=K%31&action=getBalance", &code);
  cr_expect_eq(code, 200);
  cr_expect_str_eq(got, "ACCESS_BALANCE:10.00");
  sc_free(got);
  stop(s);
}

Test(sim, deterministic_ids_and_reset) {
  struct sc_sim *s = start();
  unsigned long long a = buy(s, KEY1);
  unsigned long long b = buy(s, KEY1);
  cr_expect_eq(b, a + 1);
  ctl_expect(s, "reset", "{}", 200);
  cr_expect_eq(buy(s, KEY1), a);
  api_expect(s, "api_key=K1&action=getBalance", "ACCESS_BALANCE:9.50");
  stop(s);
}

Test(sim, body_over_64k_is_413) {
  struct sc_sim *s = start();
  static char big[70 * 1024];
  memset(big, 'a', sizeof big - 1);
  long code = 0;
  char *got = http(s, "/stubs/handler_api.php", big, &code);
  cr_expect_eq(code, 413);
  sc_free(got);
  stop(s);
}

/* ---- concurrency: the money invariant under parallel buys and cancels ---- */

static char *thread_get(unsigned port, const char *query) {
  char url[512];
  snprintf(url, sizeof url, "http://127.0.0.1:%u/stubs/handler_api.php?%s",
           port, query);
  struct su_resp r;
  return su_fetch(url, NULL, NULL, NULL, &r) ? NULL : r.body;
}

struct worker {
  unsigned port;
  int iters;
  int buys, cancels, refused, unexpected;
};

/* Buys numbers and cancels every other one, counting what came back. */
static void *buy_and_cancel(void *arg) {
  struct worker *w = arg;
  for (int i = 0; i < w->iters; i++) {
    char *got = thread_get(w->port,
                           "api_key=" KEY1 "&action=getNumber&service=tg"
                           "&country=0");
    unsigned long long id = 0;
    if (got && sscanf(got, "ACCESS_NUMBER:%llu:", &id) == 1) {
      w->buys++;
    } else if (got && (!strcmp(got, "NO_BALANCE") ||
                       !strcmp(got, "NO_NUMBERS"))) {
      w->refused++;
    } else {
      w->unexpected++;
    }
    sc_free(got);
    if (id && i % 2) {
      char q[128];
      snprintf(q, sizeof q, "api_key=" KEY1 "&action=setStatus&status=8&id=%llu",
               id);
      got = thread_get(w->port, q);
      if (got && !strcmp(got, "ACCESS_CANCEL"))
        w->cancels++;
      else
        w->unexpected++;
      sc_free(got);
    }
  }
  return NULL;
}

/* Issue: many parallel purchases and cancels on one account leave
 * balance + spent == starting balance, exactly; no activation is lost or
 * refunded twice, and the balance never goes below zero. */
Test(sim, concurrent_buys_and_cancels_keep_money_exact) {
  /* no early-cancel window, so every cancel is allowed at once */
  struct sc_sim *s = su_start_cfg((struct sc_sim_config){
      .keys = KEY1 ":20", .seed = 7, .lifetime_seconds = 1200});
  long code = 0;
  sc_free(http(s, "/control/stock",
               "{\"service\":\"tg\",\"country\":\"0\",\"count\":100000}", &code));
  cr_assert_eq(code, 200);

  enum { NTHREADS = 8, ITERS = 40 };
  pthread_t th[NTHREADS];
  struct worker w[NTHREADS];
  for (int i = 0; i < NTHREADS; i++) {
    w[i] = (struct worker){sc_sim_port(s), ITERS, 0, 0, 0, 0};
    cr_assert_eq(pthread_create(&th[i], NULL, buy_and_cancel, &w[i]), 0);
  }
  int buys = 0, cancels = 0, refused = 0, unexpected = 0;
  for (int i = 0; i < NTHREADS; i++) {
    pthread_join(th[i], NULL);
    buys += w[i].buys;
    cancels += w[i].cancels;
    refused += w[i].refused;
    unexpected += w[i].unexpected;
  }
  cr_expect_eq(unexpected, 0, "unexpected answers under concurrency");
  /* 20.00 at 0.50 a number with half refunded runs dry: both paths ran */
  cr_expect_gt(buys, 0);
  cr_expect_gt(refused, 0, "the balance never ran out; raise the load");

  char *state = http(s, "/control/state", NULL, &code);
  cJSON *j = cJSON_Parse(state);
  cr_assert_not_null(j, "state is not JSON: %s", state);
  const cJSON *acc = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "accounts"), 0);
  cr_assert(cJSON_IsNumber(cJSON_GetObjectItem(acc, "balance")), "%s", state);
  double balance = cJSON_GetObjectItem(acc, "balance")->valuedouble;
  long long spent_cents = 0;
  int nact = 0, nrefunded = 0;
  const cJSON *a;
  cJSON_ArrayForEach(a, cJSON_GetObjectItem(j, "activations")) {
    nact++;
    if (cJSON_IsTrue(cJSON_GetObjectItem(a, "refunded")))
      nrefunded++;
    else
      spent_cents +=
          (long long)(cJSON_GetObjectItem(a, "cost")->valuedouble * 100 + 0.5);
  }
  long long balance_cents = (long long)(balance * 100 + 0.5);
  cr_expect_geq(balance_cents, 0, "negative balance");
  cr_expect_eq(balance_cents + spent_cents, 2000,
               "balance %lld + spent %lld cents != starting 2000",
               balance_cents, spent_cents);
  cr_expect_eq(nact, buys, "activations lost or invented");
  cr_expect_eq(nrefunded, cancels, "refunds lost or doubled");
  cr_log_info("%d buys, %d cancels, %d refused", buys, cancels, refused);
  cJSON_Delete(j);
  sc_free(state);
  stop(s);
}

/* Every answer of the core actions passes the suite's own parser. */
Test(sim, answers_pass_the_parser) {
  struct sc_sim *s = start();
  struct su_resp r = su_http(
      s, NULL, "/stubs/handler_api.php?api_key=K1&action=getNumber&service=tg"
               "&country=0", NULL, NULL);
  su_expect_pass("getNumber", NULL, &r, "success");
  unsigned long long id = 0;
  cr_assert_eq(sscanf(r.body, "ACCESS_NUMBER:%llu:", &id), 1);
  su_resp_free(&r);
  char path[256];
  snprintf(path, sizeof path,
           "/stubs/handler_api.php?api_key=K1&action=getStatus&id=%llu", id);
  r = su_http(s, NULL, path, NULL, NULL);
  su_expect_pass("getStatus", NULL, &r, "status");
  su_resp_free(&r);
  r = su_http(s, NULL, "/stubs/handler_api.php?api_key=bad&action=getBalance",
              NULL, NULL);
  su_expect_pass("getBalance", NULL, &r, "error");
  su_resp_free(&r);
  stop(s);
}

/* ---- the core's faults: each changes exactly what it says --------------- */

/* One plain GET under |faults|: the body, status and content type. */
struct fault_case {
  const char *fault;
  const char *query;
  const char *body; /* expected body; NULL = do not compare */
  long code;
  const char *ctype; /* expected content-type prefix */
};

static const struct fault_case fault_cases[] = {
    {"trailing-newline", "api_key=K1&action=getBalance",
     "ACCESS_BALANCE:10.00\n", 200, "text/plain"},
    {"content-type-html", "api_key=K1&action=getBalance",
     "ACCESS_BALANCE:10.00", 200, "text/html"},
    {"html-error-page", "api_key=nope&action=getBalance", NULL, 403,
     "text/html"},
    {"http-500-errors", "api_key=nope&action=getBalance", "BAD_KEY", 500,
     "text/plain"},
    {"key-echoed", "api_key=secret-42&action=getBalance",
     "BAD_KEY:secret-42", 200, "text/plain"},
    {"bad-action-token", "api_key=K1&action=frobnicate", "WRONG_ACTION", 200,
     "text/plain"},
    {"sql-leak", "api_key=K1&action=setStatus&id=abc&status=8", NULL, 200,
     "text/plain"},
};

static const struct fault_case plain_cases[] = {
    {NULL, "api_key=K1&action=getBalance", "ACCESS_BALANCE:10.00", 200,
     "text/plain"},
    {NULL, "api_key=nope&action=getBalance", "BAD_KEY", 200, "text/plain"},
    {NULL, "api_key=K1&action=frobnicate", "BAD_ACTION", 200, "text/plain"},
    {NULL, "api_key=K1&action=setStatus&id=abc&status=8",
     "WRONG_ACTIVATION_ID", 200, "text/plain"},
};

static void check_case(const struct fault_case *fc) {
  struct sc_sim *s = su_start(NULL, fc->fault);
  char path[256];
  snprintf(path, sizeof path, "/stubs/handler_api.php?%s", fc->query);
  struct su_resp r = su_http(s, NULL, path, NULL, NULL);
  const char *name = fc->fault ? fc->fault : "none";
  cr_expect_eq(r.code, fc->code, "%s: HTTP %ld", name, r.code);
  cr_expect(strncmp(r.ctype, fc->ctype, strlen(fc->ctype)) == 0, "%s: %s",
            name, r.ctype);
  if (fc->body)
    cr_expect_str_eq(r.body, fc->body, "%s", name);
  su_resp_free(&r);
  su_stop(s);
}

Test(sim_faults, transport_and_format) {
  for (size_t i = 0; i < sizeof fault_cases / sizeof *fault_cases; i++)
    check_case(&fault_cases[i]);
  /* and the same requests without a fault answer right */
  for (size_t i = 0; i < sizeof plain_cases / sizeof *plain_cases; i++)
    check_case(&plain_cases[i]);
}

Test(sim_faults, html_page_and_sql_leak_bodies) {
  struct sc_sim *s = su_start(NULL, "html-error-page,sql-leak");
  char *got = NULL;
  struct su_resp r = su_http(
      s, NULL, "/stubs/handler_api.php?api_key=x&action=getBalance", NULL,
      NULL);
  cr_expect(strstr(r.body, "<html>") != NULL, "%s", r.body);
  su_resp_free(&r);
  got = su_api(s, "api_key=K1&action=setStatus&id=1%27--&status=8");
  cr_expect(strstr(got, "SQLSTATE") != NULL, "%s", got);
  sc_free(got);
  /* a numeric id is not affected */
  su_api_expect(s, "api_key=K1&action=setStatus&id=1&status=8",
                "NO_ACTIVATION");
  su_stop(s);
}

Test(sim_faults, token_spelling_on_cancel_only) {
  struct sc_sim *s = su_start(NULL, "token-spelling");
  char q[256];
  unsigned long long id = buy(s, KEY1);
  ctl_expect(s, "clock", "{\"advance\":121}", 200);
  act_q(q, sizeof q, KEY1, "setStatus", id, "&status=8");
  api_expect(s, q, "ACCESS_CANCELED");
  api_expect(s, "api_key=K1&action=getBalance", "ACCESS_BALANCE:10.00");
  su_stop(s);
}

Test(sim_faults, post_ignored) {
  struct sc_sim *s = su_start(NULL, "post-ignored");
  long code = 0;
  char *got = http(s, "/stubs/handler_api.php", "api_key=K1&action=getBalance",
                   &code);
  cr_expect_str_eq(got, "BAD_KEY");
  sc_free(got);
  /* the query string still works */
  api_expect(s, "api_key=K1&action=getBalance", "ACCESS_BALANCE:10.00");
  su_stop(s);
}

Test(sim_faults, cross_account) {
  struct sc_sim *s = su_start(NULL, "cross-account");
  char q[256];
  unsigned long long id = buy(s, KEY1);
  act_q(q, sizeof q, KEY2, "getStatus", id, "");
  api_expect(s, q, "STATUS_WAIT_CODE");
  su_stop(s);
}

Test(sim_faults, no_charge) {
  struct sc_sim *s = su_start(NULL, "no-charge");
  char q[256];
  unsigned long long id = buy(s, KEY1);
  api_expect(s, "api_key=K1&action=getBalance", "ACCESS_BALANCE:10.00");
  ctl_expect(s, "clock", "{\"advance\":121}", 200);
  act_q(q, sizeof q, KEY1, "setStatus", id, "&status=8");
  api_expect(s, q, "ACCESS_CANCEL");
  /* nothing was charged, so nothing comes back */
  api_expect(s, "api_key=K1&action=getBalance", "ACCESS_BALANCE:10.00");
  su_stop(s);
}

Test(sim_faults, sell_no_balance) {
  struct sc_sim *s = su_start(NULL, "sell-no-balance");
  ctl_expect(s, "balance", "{\"apiKey\":\"K1\",\"balance\":0.2}", 200);
  buy(s, KEY1);
  api_expect(s, "api_key=K1&action=getBalance", "ACCESS_BALANCE:-0.30");
  su_stop(s);
}

Test(sim_faults, expiry_no_refund) {
  struct sc_sim *s = su_start(NULL, "expiry-no-refund");
  char q[256];
  unsigned long long id = buy(s, KEY1);
  ctl_expect(s, "clock", "{\"advance\":1300}", 200);
  act_q(q, sizeof q, KEY1, "getStatus", id, "");
  api_expect(s, q, "STATUS_CANCEL");
  api_expect(s, "api_key=K1&action=getBalance", "ACCESS_BALANCE:9.50");
  su_stop(s);
}

Test(sim_faults, unknown_names_are_refused) {
  char err[256];
  struct sc_sim_config cfg = {.keys = "K1", .faults = "no-such-fault"};
  cr_expect_null(sc_sim_new(&cfg, err, sizeof err));
  cr_expect(strstr(err, "no-such-fault") != NULL, "%s", err);
  cfg.faults = NULL;
  cfg.profile = "no-such-profile";
  cr_expect_null(sc_sim_new(&cfg, err, sizeof err));
  cr_expect(strstr(err, "no-such-profile") != NULL, "%s", err);
  cfg.profile = NULL;
  cfg.keys = "K1,K1";
  cr_expect_null(sc_sim_new(&cfg, err, sizeof err));
  cr_expect(strstr(err, "twice") != NULL, "%s", err);
  /* every fault has a unique name, a family and a description */
  const char *fam, *what, *name;
  size_t n = 0;
  for (; (name = sc_sim_fault_info(n, &fam, &what)); n++) {
    cr_expect(*fam && *what, "%s", name);
    for (size_t j = 0; j < n; j++)
      cr_expect_str_neq(sc_sim_fault_info(j, NULL, NULL), name);
  }
  cr_expect_geq(n, 30u, "the issue asks for at least 30 faults");
}

Test(sim, state_names_profile_and_faults) {
  struct sc_sim *s = su_start("securesms", "no-charge,phone-plus");
  cJSON *j = su_state(s);
  cr_expect_str_eq(cJSON_GetObjectItem(j, "profile")->valuestring,
                   "securesms");
  cJSON *f = cJSON_GetObjectItem(j, "faults");
  cr_expect_eq(cJSON_GetArraySize(f), 2);
  cJSON_Delete(j);
  struct su_resp r = su_http(s, "DELETE", "/stubs/handler_api.php", NULL, NULL);
  cr_expect_eq(r.code, 405);
  su_resp_free(&r);
  r = su_http(s, NULL, "/nowhere", NULL, NULL);
  cr_expect_eq(r.code, 404);
  su_resp_free(&r);
  su_stop(s);
}

/* 004 "Deposit wallet GET": SecureSMS serves the wallet under its own path
 * too; the other dialects do not. */
Test(sim, securesms_wallet_path) {
  struct sc_sim *s = su_start("securesms", NULL);
  struct su_resp r = su_http(
      s, NULL,
      "/api/payment/getActualWalletAddress?api_key=K1&coin=usdt&network=tron",
      NULL, NULL);
  cr_expect_eq(r.code, 200);
  su_expect_pass("getActualWalletAddress", "securesms", &r, "success");
  su_resp_free(&r);
  su_stop(s);
  s = su_start(NULL, NULL);
  r = su_http(s, NULL,
              "/api/payment/getActualWalletAddress?api_key=K1&coin=usdt",
              NULL, NULL);
  cr_expect_eq(r.code, 404);
  su_resp_free(&r);
  su_stop(s);
}

/* Bad input gets a documented token or a 4xx, never a crash or a hang:
 * an oversized query, thousands of parameters, invalid UTF-8, odd methods,
 * and afterwards the simulator still answers. */
Test(sim, hostile_requests) {
  struct sc_sim *s = start();
  static char path[3 * 1024 * 1024];
  int n = snprintf(path, sizeof path,
                   "/stubs/handler_api.php?api_key=K1&action=getBalance&x=");
  memset(path + n, 'a', sizeof path - (size_t)n - 1);
  /* refused: a 4xx, or the connection closed while the client still sends */
  static char url[sizeof path + 64];
  snprintf(url, sizeof url, "http://127.0.0.1:%u%s", sc_sim_port(s), path);
  struct su_resp r;
  if (su_fetch(url, NULL, NULL, NULL, &r) == 0)
    cr_expect(r.code >= 400 && r.code < 500, "3 MB query: HTTP %ld", r.code);
  su_resp_free(&r);
  /* 3000 parameters within the size the server accepts */
  size_t len = (size_t)snprintf(path, sizeof path,
                                "/stubs/handler_api.php?api_key=K1");
  for (int i = 0; i < 3000 && len < 20000; i++)
    len += (size_t)snprintf(path + len, sizeof path - len, "&p%d=", i);
  snprintf(path + len, sizeof path - len, "&action=getBalance");
  r = su_http(s, NULL, path, NULL, NULL);
  cr_expect(r.code == 200 || (r.code >= 400 && r.code < 500), "HTTP %ld",
            r.code);
  if (r.code == 200)
    cr_expect_str_eq(r.body, "ACCESS_BALANCE:10.00");
  su_resp_free(&r);
  /* invalid UTF-8 and NULs in names and values */
  api_expect(s, "api_key=K1%ff%fe&action=getBalance", "BAD_KEY");
  api_expect(s, "api_key=K1&action=get%00Balance", "BAD_ACTION");
  api_expect(s, "api_key=K1&action=getNumber&service=%c3%28&country=0",
             "BAD_SERVICE");
  r = su_http(s, "PATCH", "/stubs/handler_api.php?api_key=K1", NULL, NULL);
  cr_expect_eq(r.code, 405);
  su_resp_free(&r);
  api_expect(s, "api_key=K1&action=getBalance", "ACCESS_BALANCE:10.00");
  stop(s);
}

/* ---- abuse over raw sockets ----------------------------------------------- */

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static long long raw_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Sends |len| bytes of |req| to |port| (stopping when the server stops
 * reading) and reads the answer until the server closes or 20 s pass.
 * Returns the HTTP status of the first answer, 0 when the connection was
 * closed without one, -1 when nothing happened within the time; the start
 * of the body in |body| (|cap| bytes, NUL-terminated). */
static int raw_exchange(unsigned port, const char *req, size_t len,
                        char *body, size_t cap) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0)
    return -1;
  struct sockaddr_in a = {.sin_family = AF_INET,
                          .sin_port = htons((uint16_t)port)};
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, (struct sockaddr *)&a, sizeof a)) {
    close(fd);
    return -1;
  }
  static char resp[1 << 16];
  size_t off = 0, got = 0;
  long long deadline = raw_now_ms() + 20000;
  int closed = 0;
  body[0] = '\0';
  while (!closed && raw_now_ms() < deadline) {
    struct pollfd pf = {.fd = fd, .events = POLLIN | (off < len ? POLLOUT : 0)};
    if (poll(&pf, 1, 200) <= 0)
      continue;
    if ((pf.revents & POLLOUT) && off < len) {
      ssize_t n = send(fd, req + off, len - off, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n > 0)
        off += (size_t)n;
      else if (n < 0 && errno != EAGAIN && errno != EINTR)
        off = len; /* the server hung up on the rest */
    }
    if (pf.revents & (POLLIN | POLLHUP | POLLERR)) {
      ssize_t n = recv(fd, resp + got, sizeof resp - 1 - got, MSG_DONTWAIT);
      if (n > 0)
        got += (size_t)n;
      else if (n == 0 || (errno != EAGAIN && errno != EINTR))
        closed = 1;
      if (got == sizeof resp - 1)
        closed = 1;
    }
  }
  close(fd);
  resp[got] = '\0';
  if (!closed)
    return -1;
  if (got < 12 || strncmp(resp, "HTTP/1.", 7) != 0)
    return 0;
  const char *b = strstr(resp, "\r\n\r\n");
  snprintf(body, cap, "%s", b ? b + 4 : "");
  return atoi(resp + 9);
}

/* A request built from |head| (up to the end of the headers) and a body of
 * |blen| bytes of |fill|; Content-Length set, Connection: close. */
static char *raw_request(const char *head, size_t blen, char fill,
                         size_t *len) {
  size_t hl = strlen(head);
  char *r = malloc(hl + 128 + blen);
  cr_assert_not_null(r);
  int n = snprintf(r, hl + 128, "%sConnection: close\r\nContent-Length: %zu"
                   "\r\n\r\n", head, blen);
  memset(r + n, fill, blen);
  *len = (size_t)n + blen;
  return r;
}

/* "GET " + |prefix| + |unit| * |times| + " HTTP/1.1" ... */
static char *raw_repeat(const char *method, const char *prefix,
                        const char *unit, size_t times, size_t *len) {
  size_t pl = strlen(prefix), ul = strlen(unit), ml = strlen(method);
  size_t cap = ml + pl + ul * times + 128;
  char *r = malloc(cap);
  cr_assert_not_null(r);
  size_t n = (size_t)snprintf(r, cap, "%s %s", method, prefix);
  for (size_t i = 0; i < times; i++, n += ul)
    memcpy(r + n, unit, ul);
  n += (size_t)snprintf(r + n, cap - n,
                        " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close"
                        "\r\n\r\n");
  *len = n;
  return r;
}

/* A body that is a documented answer: a token of the handler dialect
 * (NAME or NAME:value), JSON, or the server's short text for a path or a
 * method it does not serve. */
static int documented(const char *b) {
  size_t k = strspn(b, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_");
  if (k >= 3 && (b[k] == '\0' || b[k] == ':'))
    return 1;
  return b[0] == '{' || b[0] == '\0' || !strcmp(b, "not found") ||
         !strcmp(b, "method not allowed") || strstr(b, "<html") ||
         strstr(b, "<HTML");
}

#define ABUSE_HANDLER "/stubs/handler_api.php?api_key=K1&action=getBalance"

/* Odd methods, a 1 MB query, 100 000 parameters, a 10 MB body, invalid
 * percent-encoding and encoded NUL bytes, sent as raw bytes to both
 * dialects and the control protocol: each gets a 4xx, a documented token
 * or a closed connection, never a 5xx or silence; afterwards both still
 * answer. */
Test(sim, abuse_over_raw_sockets, .timeout = 300) {
  struct sc_sim *h = start();
  struct sc_sim *rest = su_start("rest-v1", NULL);
  static const char *const methods[] = {
      "PUT", "DELETE", "OPTIONS", "TRACE", "CONNECT", "PATCH", "PROPFIND",
      "GARBAGE", "G\x01T", "get", "POST\x7f",
      ("XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"
       "XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX")};
  static const char *const paths[] = {
      ABUSE_HANDLER, "/control/state", "/control/reset", "/api/v1/balance",
      "/api/v1/activations/act_1", "*", "http://127.0.0.1/x",
      "127.0.0.1:80"};
  static const char *const queries[] = {
      "api_key=K1&action=getBalance%zz", "api_key=K1%&action=getBalance",
      "api_key=K1&action=getBalance&x=%4", "api_key=%%%%&action=%",
      "api_key=K1%00&action=getBalance", "api_key=K1&action=getBalance%00",
      "api_key=K1&action=getStatus&id=1%00%00",
      "api_key=K1&action=getNumber&service=tg%00&country=0%00",
      "%00=%00&%00&&&==&action=getBalance&api_key=K1",
      ("api_key=K1&action=getBalance&"
       "\xff\xfe=\xc0\xaf"),
      "api_key=K1&action=setStatus&id=-1&status=99999999999999999999"};
  char body[4096], head[1024];
  size_t len;
  unsigned tried = 0;
  for (size_t m = 0; m < sizeof methods / sizeof *methods; m++)
    for (size_t p = 0; p < sizeof paths / sizeof *paths; p++) {
      struct sc_sim *s = strncmp(paths[p], "/api/", 5) ? h : rest;
      snprintf(head, sizeof head,
               "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
               "K1\r\n",
               methods[m], paths[p]);
      char *req = raw_request(head, 2, '{', &len);
      int st = raw_exchange(sc_sim_port(s), req, len, body, sizeof body);
      cr_expect(st == 0 || (st >= 200 && st < 500),
                "%s %s: HTTP %d %.200s", methods[m], paths[p], st, body);
      cr_expect(st != 200 || documented(body), "%s %s: 200 %.200s",
                methods[m], paths[p], body);
      free(req);
      tried++;
    }
  for (size_t q = 0; q < sizeof queries / sizeof *queries; q++)
    for (int post = 0; post < 2; post++) {
      if (post) {
        snprintf(head, sizeof head,
                 "POST /stubs/handler_api.php HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                 "Content-Type: application/x-www-form-urlencoded\r\n");
        char *req = raw_request(head, strlen(queries[q]), ' ', &len);
        memcpy(req + len - strlen(queries[q]), queries[q],
               strlen(queries[q]));
        int st = raw_exchange(sc_sim_port(h), req, len, body, sizeof body);
        cr_expect(st == 0 || (st >= 200 && st < 500), "POST %s: HTTP %d",
                  queries[q], st);
        cr_expect(st != 200 || documented(body), "POST %s: 200 %.200s",
                  queries[q], body);
        free(req);
      } else {
        snprintf(head, sizeof head,
                 "GET /stubs/handler_api.php?%s HTTP/1.1\r\nHost: "
                 "127.0.0.1\r\n",
                 queries[q]);
        char *req = raw_request(head, 0, 0, &len);
        int st = raw_exchange(sc_sim_port(h), req, len, body, sizeof body);
        cr_expect(st == 0 || (st >= 200 && st < 500), "GET %s: HTTP %d",
                  queries[q], st);
        cr_expect(st != 200 || documented(body), "GET %s: 200 %.200s",
                  queries[q], body);
        free(req);
      }
      tried++;
    }
  /* sizes: a 1 MB query, 100 000 parameters, a 1 MB header line, a 10 MB
   * body to each dialect and to the control protocol */
  struct big {
    const char *what;
    struct sc_sim *s;
    char *req;
    size_t len;
  } big[8];
  size_t nbig = 0;
#define ADD_BIG(w, sim, make)                                                  \
  do {                                                                         \
    big[nbig].what = (w);                                                      \
    big[nbig].s = (sim);                                                       \
    big[nbig].req = make;                                                      \
    nbig++;                                                                    \
  } while (0)
  ADD_BIG("1 MB query", h,
          raw_repeat("GET", ABUSE_HANDLER "&x=", "a", 1 << 20,
                     &big[nbig].len));
  ADD_BIG("100000 parameters", h,
          raw_repeat("GET", ABUSE_HANDLER, "&p=", 100000, &big[nbig].len));
  ADD_BIG("100000 parameters (REST)", rest,
          raw_repeat("GET", "/api/v1/balance?", "a=1&", 100000,
                     &big[nbig].len));
  {
    static const char first[] = "GET " ABUSE_HANDLER " HTTP/1.1\r\nX-Big: ";
    size_t hl = sizeof first - 1, n = (size_t)1 << 20;
    char *line = malloc(hl + n + 3);
    cr_assert_not_null(line);
    memcpy(line, first, hl);
    memset(line + hl, 'h', n);
    memcpy(line + hl + n, "\r\n", 3);
    ADD_BIG("1 MB header line", h, raw_request(line, 0, 0, &big[nbig].len));
    free(line);
  }
  static const struct {
    const char *what, *head;
    int rest;
  } posts[] = {
      {"10 MB form body",
       "POST /stubs/handler_api.php HTTP/1.1\r\nHost: 127.0.0.1\r\n"
       "Content-Type: application/x-www-form-urlencoded\r\n",
       0},
      {"10 MB control body",
       "POST /control/sms HTTP/1.1\r\nHost: 127.0.0.1\r\n"
       "Content-Type: application/json\r\n",
       0},
      {"10 MB REST body",
       "POST /api/v1/numbers/buy HTTP/1.1\r\nHost: 127.0.0.1\r\n"
       "Authorization: Bearer K1\r\nContent-Type: application/json\r\n",
       1},
  };
  for (size_t i = 0; i < sizeof posts / sizeof *posts; i++)
    ADD_BIG(posts[i].what, posts[i].rest ? rest : h,
            raw_request(posts[i].head, (size_t)10 << 20, '[',
                        &big[nbig].len));
#undef ADD_BIG
  for (size_t i = 0; i < nbig; i++) {
    int st = raw_exchange(sc_sim_port(big[i].s), big[i].req, big[i].len, body,
                          sizeof body);
    cr_expect(st == 0 || (st >= 400 && st < 500) ||
                  (st == 200 && documented(body)),
              "%s: HTTP %d %.200s", big[i].what, st, body);
    free(big[i].req);
    tried++;
  }
  cr_log_info("%u abusive requests", tried);
  /* both still serve */
  char *bal = su_api(h, "api_key=K1&action=getBalance");
  cr_expect_str_eq(bal, "ACCESS_BALANCE:10.00");
  sc_free(bal);
  struct su_resp r = su_http(rest, NULL, "/api/v1/balance", NULL,
                             (const char *const[]){"Authorization: Bearer K1",
                                                   NULL});
  cr_expect_eq(r.code, 200, "%s", r.body);
  su_resp_free(&r);
  su_stop(rest);
  stop(h);
}

/* Regression: an encoded NUL cut a value short, so "service=tg%00" bought
 * a Telegram number and "api_key=K1%00x" was the key K1. "%00" now stays
 * literal and such a value matches nothing, in the query, a POST form and
 * a REST path. */
Test(sim, nul_escape_does_not_cut_a_value) {
  struct sc_sim *s = start();
  api_expect(s, "api_key=K1%00x&action=getBalance", "BAD_KEY");
  api_expect(s, "api_key=K1&action=getNumber&service=tg%00&country=0",
             "BAD_SERVICE");
  long code = 0;
  char *got = http(s, "/stubs/handler_api.php",
                   "api_key=K1&action=getNumber&service=tg%00&country=0",
                   &code);
  cr_expect_str_eq(got, "BAD_SERVICE");
  sc_free(got);
  unsigned long long id = buy(s, KEY1);
  char q[160];
  snprintf(q, sizeof q, "api_key=K1&action=getStatus&id=%llu%%00", id);
  api_expect(s, q, "NO_ACTIVATION");
  api_expect(s, "api_key=K1&action=getBalance", "ACCESS_BALANCE:9.50");
  /* other escapes still decode */
  api_expect(s, "api_key=%4B1&action=get%42alance", "ACCESS_BALANCE:9.50");
  stop(s);
  struct sc_sim *r = su_start("rest-v1", NULL);
  const char *const auth[] = {"Authorization: Bearer K1", NULL};
  struct su_resp b = su_http(r, "POST", "/api/v1/numbers/buy",
                             "{\"service\":\"telegram\",\"country\":\"ru\"}",
                             auth);
  cJSON *j = cJSON_Parse(b.body);
  const cJSON *jid = cJSON_GetObjectItemCaseSensitive(j, "id");
  cr_assert(cJSON_IsString(jid), "%s", b.body);
  char path[128];
  snprintf(path, sizeof path, "/api/v1/activations/%s%%00", jid->valuestring);
  struct su_resp g = su_http(r, NULL, path, NULL, auth);
  cr_expect_eq(g.code, 404, "%s", g.body);
  su_resp_free(&g);
  cJSON_Delete(j);
  su_resp_free(&b);
  su_stop(r);
}

/* Regression: answers were built in a buffer capped at 256 KiB, so once
 * an account held about 600 activations getActiveActivations, and with
 * about 1500 in all GET /control/state, answered 500 ERROR_SQL. */
Test(sim, state_and_lists_over_256k_answer) {
  struct sc_sim *s = su_start_cfg((struct sc_sim_config){
      .keys = "K1:100000,K2:100000", .seed = 5, .stock = 5000,
      .lifetime_seconds = 1200});
  unsigned port = sc_sim_port(s);
  for (int i = 0; i < 2000; i++) {
    char *got = thread_get(port, i % 2 ? "api_key=K2&action=getNumber"
                                         "&service=tg&country=0"
                                       : "api_key=K1&action=getNumber"
                                         "&service=wa&country=12");
    cr_assert(got && strncmp(got, "ACCESS_NUMBER:", 14) == 0, "%d: %s", i,
              got ? got : "(no answer)");
    sc_free(got);
  }
  struct su_resp r = su_getf(s, "api_key=K1&action=getActiveActivations");
  cr_expect_eq(r.code, 200);
  cr_expect_gt(strlen(r.body), (size_t)256 * 1024);
  cJSON *j = cJSON_Parse(r.body);
  cr_expect_eq(cJSON_GetArraySize(
                   cJSON_GetObjectItemCaseSensitive(j, "activeActivations")),
               1000);
  cJSON_Delete(j);
  su_resp_free(&r);
  cJSON *st = su_state(s);
  cr_expect_eq(cJSON_GetArraySize(
                   cJSON_GetObjectItemCaseSensitive(st, "activations")),
               2000);
  cJSON_Delete(st);
  stop(s);
}

/* ---- serve --actions: a partial implementation --------------------------- */

static struct sc_sim *start_actions(const char *profile, const char *actions,
                                    const char *faults) {
  return su_start_cfg((struct sc_sim_config){.profile = profile,
                                             .actions = actions,
                                             .faults = faults,
                                             .early_cancel_seconds = 120,
                                             .lifetime_seconds = 1200});
}

/* The three actions most self-hosted servers have: the others answer as
 * an unknown action, the control protocol works in full. */
Test(sim_actions, excluded_actions_answer_as_unknown) {
  struct sc_sim *s = start_actions(NULL, "getNumber,getStatus,setStatus", NULL);
  char q[256];
  api_expect(s, "api_key=K1&action=getBalance", "BAD_ACTION");
  api_expect(s, "api_key=K1&action=getNumberV2&service=tg&country=0",
             "BAD_ACTION");
  api_expect(s, "api_key=K1&action=getPrices", "BAD_ACTION");
  api_expect(s, "api_key=K1&action=getRentNumber&service=tg&country=0",
             "BAD_ACTION");
  /* exactly as an action no dialect knows: the key is checked first */
  api_expect(s, "api_key=nope&action=getBalance", "BAD_KEY");
  /* the three served work */
  unsigned long long id = buy(s, KEY1);
  act_q(q, sizeof q, KEY1, "getStatus", id, "");
  api_expect(s, q, "STATUS_WAIT_CODE");
  /* and so does every control path */
  char body[128];
  snprintf(body, sizeof body, "{\"activationId\":\"%llu\",\"code\":\"4321\"}",
           id);
  ctl_expect(s, "sms", body, 200);
  api_expect(s, q, "STATUS_OK:4321");
  act_q(q, sizeof q, KEY1, "setStatus", id, "&status=6");
  api_expect(s, q, "ACCESS_ACTIVATION");
  ctl_expect(s, "clock", "{\"advance\":10}", 200);
  ctl_expect(s, "stock", "{\"service\":\"tg\",\"country\":\"0\",\"count\":0}",
             200);
  api_expect(s, "api_key=K1&action=getNumber&service=tg&country=0",
             "NO_NUMBERS");
  ctl_expect(s, "price", "{\"service\":\"tg\",\"country\":\"0\",\"cost\":1}",
             200);
  ctl_expect(s, "balance", "{\"apiKey\":\"K1\",\"balance\":3}", 200);
  ctl_expect(s, "webhook", "{\"apiKey\":\"K1\",\"url\":null}", 200);
  ctl_expect(s, "rent-sms",
             "{\"rentId\":\"1\",\"phoneFrom\":\"79001112233\",\"text\":\"x\"}",
             404);
  cJSON *st = su_state(s);
  cr_expect_eq(cJSON_GetArraySize(cJSON_GetObjectItem(st, "activations")), 1);
  cJSON_Delete(st);
  ctl_expect(s, "reset", "{}", 200);
  stop(s);
}

/* 003 "Error Codes": WRONG_ACTION - action name not supported. */
Test(sim_actions, smsbulk_answers_wrong_action) {
  struct sc_sim *s = start_actions("smsbulk", "getNumber,getStatus", NULL);
  api_expect(s, "api_key=K1&action=getBalance", "WRONG_ACTION");
  api_expect(s, "api_key=K1&action=setStatus&id=1&status=8", "WRONG_ACTION");
  api_expect(s, "api_key=K1", "BAD_ACTION");
  buy(s, KEY1);
  stop(s);
}

/* A path route (004's wallet) and webhooks follow the list too. */
Test(sim_actions, wallet_path_and_webhooks_follow_the_list) {
  struct sc_sim *s = start_actions("securesms", "getNumber,getBalance", NULL);
  struct su_resp r = su_http(
      s, NULL,
      "/api/payment/getActualWalletAddress?api_key=K1&coin=usdt&network=tron",
      NULL, NULL);
  cr_expect_eq(r.code, 200);
  cr_expect_str_eq(r.body, "BAD_ACTION");
  su_resp_free(&r);
  stop(s);
  /* without "webhook" an SMS queues no delivery, though the URL is kept */
  s = start_actions(NULL, "getNumber,getStatus", NULL);
  ctl_expect(s, "webhook",
             "{\"apiKey\":\"K1\",\"url\":\"http://127.0.0.1:9/hook\"}", 200);
  unsigned long long id = buy(s, KEY1);
  char body[128];
  snprintf(body, sizeof body, "{\"activationId\":\"%llu\",\"code\":\"11\"}",
           id);
  ctl_expect(s, "sms", body, 200);
  cJSON *st = su_state(s);
  cr_expect_eq(cJSON_GetArraySize(cJSON_GetObjectItem(st, "webhooks")), 0);
  cJSON_Delete(st);
  stop(s);
}

Test(sim_actions, names_outside_the_profile_are_refused) {
  char err[256];
  struct sc_sim_config cfg = {.keys = "K1", .actions = "getNumber,frobnicate"};
  cr_expect_null(sc_sim_new(&cfg, err, sizeof err));
  cr_expect(strstr(err, "'frobnicate'") != NULL, "%s", err);
  /* a real action the profile does not offer */
  cfg.profile = "koalasms";
  cfg.actions = "getNumber,getRentNumber";
  cr_expect_null(sc_sim_new(&cfg, err, sizeof err));
  cr_expect(strstr(err, "'getRentNumber'") != NULL, "%s", err);
  cr_expect(strstr(err, "koalasms") != NULL, "%s", err);
  cfg.actions = ",,";
  cr_expect_null(sc_sim_new(&cfg, err, sizeof err));
  cr_expect(strstr(err, "no action") != NULL, "%s", err);
  /* spaces around names are allowed */
  cfg.profile = NULL;
  cfg.actions = " getBalance , getNumber ";
  struct sc_sim *s = su_start_cfg(cfg);
  api_expect(s, "api_key=K1&action=getBalance", "ACCESS_BALANCE:100.00");
  api_expect(s, "api_key=K1&action=getStatus&id=1", "BAD_ACTION");
  stop(s);
}

/* ---- the real-world faults of issue 14 (core) ---------------------------- */

static const struct fault_case real_world_cases[] = {
    /* a JSON framework's auth decorator */
    {"key-json-error", "api_key=nope&action=getBalance",
     "{\"error\":\"Invalid API key\"}", 200, "application/json"},
    {"key-json-error", "action=getNumber&service=tg&country=0",
     "{\"error\":\"Invalid API key\"}", 200, "application/json"},
    {"key-echo-html", "api_key=secret-42&action=getBalance", NULL, 401,
     "text/html"},
    /* JSON on success: errors as {"status":"error","error":TOKEN} */
    {"json-status-error", "api_key=K1&action=getNumberV2&service=zz&country=0",
     "{\"status\":\"error\",\"error\":\"BAD_SERVICE\"}", 200,
     "application/json"},
    {"json-status-error", "api_key=K1&action=getActiveActivations",
     "{\"status\":\"error\",\"error\":\"NO_ACTIVATIONS\"}", 200,
     "application/json"},
    {"json-status-error",
     "api_key=K1&action=getNumberV2&service=tg&country=0&maxPrice=0.1",
     "{\"status\":\"error\",\"error\":\"WRONG_MAX_PRICE:0.50\"}", 200,
     "application/json"},
    {"json-status-error", "api_key=nope&action=getNumberV2&service=tg",
     "{\"status\":\"error\",\"error\":\"BAD_KEY\"}", 200, "application/json"},
    /* text actions keep the plain token */
    {"json-status-error", "api_key=K1&action=getNumber&service=zz&country=0",
     "BAD_SERVICE", 200, "text/plain"},
    {"json-status-error", "api_key=nope&action=getBalance", "BAD_KEY", 200,
     "text/plain"},
    /* SQLite's text through a catch-all handler */
    {"sql-error-json", "api_key=K1&action=getStatusV2&id=abc",
     "{\"error\":\"no such column: abc\"}", 200, "application/json"},
    {"sql-error-json", "api_key=K1&action=getStatusV2&id=12abc",
     "{\"error\":\"unrecognized token: \\\"12abc\\\"\"}", 200,
     "application/json"},
    {"sql-error-json", "api_key=K1&action=getStatusV2&id=999999999999999999",
     "{\"error\":\"'NoneType' object is not subscriptable\"}", 200,
     "application/json"},
    {"sql-error-json", "api_key=K1&action=getRentStatus&id=abc",
     "{\"error\":\"no such column: abc\"}", 200, "application/json"},
    {"sql-error-json", "api_key=K1&action=getRentStatus",
     "{\"error\":\"incomplete input\"}", 200, "application/json"},
    {"sql-error-json", "api_key=K1&action=checkExtraActivation&activationId=x",
     "{\"error\":\"no such column: x\"}", 200, "application/json"},
    {"sql-error-json", "api_key=K1&action=getStatus&id=abc",
     "sqlite3.OperationalError: no such column: abc", 200, "text/plain"},
    {"sql-error-json", "api_key=K1&action=setStatus&id=abc&status=8",
     "sqlite3.OperationalError: no such column: abc", 200, "text/plain"},
    {"sql-error-json", "api_key=K1&action=getStatus&id=123456789012345678",
     "TypeError: 'NoneType' object is not subscriptable", 200, "text/plain"},
    /* other errors are untouched */
    {"sql-error-json", "api_key=K1&action=getNumber&service=zz&country=0",
     "BAD_SERVICE", 200, "text/plain"},
};

Test(sim_faults, real_world_answers) {
  for (size_t i = 0; i < sizeof real_world_cases / sizeof *real_world_cases;
       i++)
    check_case(&real_world_cases[i]);
}

/* The HTML page repeats the key the client sent, escaped as a template
 * engine would, and is no BAD_KEY to the parser. */
Test(sim_faults, key_echo_html_repeats_the_key) {
  struct sc_sim *s = su_start(NULL, "key-echo-html");
  struct su_resp r = su_http(
      s, NULL, "/stubs/handler_api.php?api_key=sk-live-7f3a&action=getBalance",
      NULL, NULL);
  cr_expect_eq(r.code, 401);
  cr_expect(strstr(r.body, "<html>") != NULL, "%s", r.body);
  cr_expect(strstr(r.body, "Invalid API key: sk-live-7f3a</p>") != NULL, "%s",
            r.body);
  cr_expect_eq(su_verdict("getBalance", NULL, &r), SC_VERDICT_FAIL);
  su_resp_free(&r);
  r = su_http(s, NULL,
              "/stubs/handler_api.php?api_key=%3Cb%3E%26&action=getBalance",
              NULL, NULL);
  cr_expect(strstr(r.body, "Invalid API key: &lt;b&gt;&amp;</p>") != NULL, "%s",
            r.body);
  su_resp_free(&r);
  /* a good key is served as usual */
  api_expect(s, "api_key=K1&action=getBalance", "ACCESS_BALANCE:10.00");
  stop(s);
}

/* A known id is served as usual under sql-error-json. */
Test(sim_faults, sql_error_json_leaves_known_ids_alone) {
  struct sc_sim *s = su_start(NULL, "sql-error-json");
  char q[256];
  unsigned long long id = buy(s, KEY1);
  act_q(q, sizeof q, KEY1, "getStatus", id, "");
  api_expect(s, q, "STATUS_WAIT_CODE");
  act_q(q, sizeof q, KEY1, "getStatusV2", id, "");
  api_expect(s, q, "{\"verificationType\":0}");
  /* another key's activation is an unknown id */
  act_q(q, sizeof q, KEY2, "getStatus", id, "");
  api_expect(s, q, "TypeError: 'NoneType' object is not subscriptable");
  stop(s);
}

/* Ids from 1, as SQLite's AUTOINCREMENT hands them out; a reset starts
 * again at 1. */
Test(sim_faults, ids_from_one) {
  struct sc_sim *s = su_start(NULL, "ids-from-one");
  cr_expect_eq(buy(s, KEY1), 1ull);
  cr_expect_eq(buy(s, KEY2), 2ull);
  api_expect(s, "api_key=K1&action=getStatus&id=1", "STATUS_WAIT_CODE");
  api_expect(s, "api_key=K1&action=getStatus&id=2", "NO_ACTIVATION");
  char *b =
      su_api(s, "api_key=K1&action=getRentNumber&service=tg&country=0&time=4");
  cJSON *r = cJSON_Parse(b);
  sc_free(b);
  cr_assert_not_null(r);
  cJSON *phone = cJSON_GetObjectItem(r, "phone");
  cr_expect_eq(cJSON_GetObjectItem(phone, "id")->valuedouble, 3.0);
  cJSON_Delete(r);
  ctl_expect(s, "reset", "{}", 200);
  cr_expect_eq(buy(s, KEY1), 1ull);
  stop(s);
}

/* ---- rate limit of the handler dialects ---------------------------------- */

static struct sc_sim *start_limited(const char *profile, unsigned limit) {
  return su_start_cfg((struct sc_sim_config){.profile = profile,
                                             .rate_limit = limit,
                                             .early_cancel_seconds = 120,
                                             .lifetime_seconds = 1200});
}

/* The Retry-After header of |r| in seconds; -1 when absent. */
static long long retry_after(const struct su_resp *r) {
  for (const char *p = r->headers; p && *p;) {
    if (strncasecmp(p, "Retry-After:", 12) == 0)
      return strtoll(p + 12, NULL, 10);
    p = strchr(p, '\n');
    if (p)
      p++;
  }
  return -1;
}

/* K1's getBalance is answered, and without Retry-After. */
static void expect_served(struct sc_sim *s, const char *key) {
  struct su_resp r = su_getf(s, "api_key=%s&action=getBalance", key);
  cr_expect_eq(r.code, 200, "%s: HTTP %ld %s", key, r.code, r.body);
  cr_expect(strncmp(r.body, "ACCESS_BALANCE:", 15) == 0, "%s", r.body);
  cr_expect_eq(retry_after(&r), -1);
  su_resp_free(&r);
}

/* The rate-limit answer of each handler dialect: HTTP |code| with the body
 * RATE_LIMITED and Retry-After (003 "Error Codes" for smsbulk, whose
 * errors are answered 200; 429 where no document gives an answer). A
 * case is an index: Criterion's workers do not share the parent's
 * addresses, so a parameter holds no pointer. */
static const struct limit_case {
  const char *profile;
  long code;
} limit_cases[] = {
    {"smsbulk", 200},      /* 003: RATE_LIMITED, see Retry-After header */
    {"sms-activate", 429}, /* 001 documents no limit: RFC 6585 429 */
    {"koalasms", 429},     /* 000 documents none either */
    {"securesms", 429},    /* nor does 004 */
};

ParameterizedTestParameters(sim_rate, past_the_limit) {
  static int idx[sizeof limit_cases / sizeof *limit_cases];
  for (size_t i = 0; i < sizeof idx / sizeof *idx; i++)
    idx[i] = (int)i;
  return cr_make_param_array(int, idx, sizeof idx / sizeof *idx);
}

/* Past 3 requests a minute K1 gets the dialect's answer (for a purchase
 * too, which then buys nothing); K2 keeps its own allowance, keys that
 * name no account are not counted, /control/ is never limited, and a
 * minute later on the simulated clock K1 is served again. */
ParameterizedTest(int *row, sim_rate, past_the_limit) {
  const struct limit_case *lc = &limit_cases[*row];
  struct sc_sim *s = start_limited(lc->profile, 3);
  for (int i = 0; i < 3; i++)
    expect_served(s, KEY1);
  struct su_resp r =
      su_getf(s, "api_key=K1&action=getNumber&service=tg&country=0");
  cr_expect_eq(r.code, lc->code, "%s: HTTP %ld", lc->profile, r.code);
  cr_expect_str_eq(r.body, "RATE_LIMITED");
  long long ra = retry_after(&r);
  cr_expect(ra >= 1 && ra <= 60, "%s: Retry-After %lld", lc->profile, ra);
  if (lc->code == 200) /* 003 lists the token among every call's errors */
    su_expect_pass("getNumber", lc->profile, &r, "error");
  su_resp_free(&r);
  cJSON *st = su_state(s);
  cr_expect_eq(cJSON_GetArraySize(cJSON_GetObjectItem(st, "activations")), 0);
  cJSON_Delete(st);
  expect_served(s, KEY2);
  for (int i = 0; i < 5; i++) {
    api_expect(s, "api_key=nope&action=getBalance", "BAD_KEY");
    cJSON_Delete(su_state(s));
  }
  r = su_getf(s, "api_key=K1&action=getBalance");
  cr_expect_str_eq(r.body, "RATE_LIMITED");
  su_resp_free(&r);
  ctl_expect(s, "clock", "{\"advance\":60}", 200);
  expect_served(s, KEY1);
  stop(s);
}

/* /control/reset gives every key a fresh minute. */
Test(sim_rate, reset_restores_the_allowance) {
  struct sc_sim *s = start_limited(NULL, 1);
  expect_served(s, KEY1);
  struct su_resp r = su_getf(s, "api_key=K1&action=getBalance");
  cr_expect_eq(r.code, 429);
  su_resp_free(&r);
  ctl_expect(s, "reset", "{}", 200);
  expect_served(s, KEY1);
  stop(s);
}

/* Without a configured limit the handler dialects have none (rest-v1's
 * default of 300 is 002's, not theirs). */
Test(sim_rate, no_limit_by_default) {
  struct sc_sim *s = start_limited("smsbulk", 0);
  for (int i = 0; i < 320; i++) {
    struct su_resp r = su_getf(s, "api_key=K1&action=getBalance");
    cr_assert_eq(r.code, 200, "request %d: %s", i, r.body);
    cr_assert(strncmp(r.body, "ACCESS_BALANCE:", 15) == 0, "request %d: %s", i,
              r.body);
    su_resp_free(&r);
  }
  stop(s);
}
