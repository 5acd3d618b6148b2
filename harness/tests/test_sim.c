/* test_sim.c — tests for sc_sim.c over real HTTP (libcurl).
 *
 * Criterion re-execs its workers, so every Test starts its own simulator on
 * 127.0.0.1 port 0 and stops it before returning. */
#include "sc_alloc.h"
#include "sc_buf.h"
#include "sc_sim.h"

#include <criterion/criterion.h>
#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define KEY1 "K1"
#define KEY2 "K2"

static struct sc_sim *start(void) {
  char err[256];
  struct sc_sim_config cfg = {"127.0.0.1", 0, KEY1 ":10," KEY2, 42, 120,
                              1200};
  curl_global_init(CURL_GLOBAL_DEFAULT);
  struct sc_sim *s = sc_sim_new(&cfg, err, sizeof err);
  cr_assert_not_null(s, "sc_sim_new: %s", err);
  cr_assert_gt(sc_sim_port(s), 0u);
  return s;
}

static void stop(struct sc_sim *s) {
  sc_sim_destroy(s);
  curl_global_cleanup();
}

static size_t on_data(char *p, size_t size, size_t n, void *ud) {
  return sc_buf_add(ud, p, size * n) ? 0 : size * n;
}

/* Performs one request on |c|; |body| NULL = GET. Returns the body (free
 * with sc_free) and the status in |*code|, or NULL on a transport error.
 * No Criterion assertion: worker threads use it too. */
static char *fetch(CURL *c, const char *url, const char *body, long *code) {
  struct sc_buf b;
  sc_buf_init(&b, 1 << 20);
  curl_easy_setopt(c, CURLOPT_URL, url);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
  if (body)
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
  if (curl_easy_perform(c) != CURLE_OK) {
    sc_buf_free(&b);
    return NULL;
  }
  if (code)
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, code);
  return sc_buf_take(&b, NULL);
}

/* fetch() on the simulator's |path|, asserting that an answer came. */
static char *http(struct sc_sim *s, const char *path, const char *body,
                  long *code) {
  char url[512];
  snprintf(url, sizeof url, "http://127.0.0.1:%u%s", sc_sim_port(s), path);
  CURL *c = curl_easy_init();
  cr_assert_not_null(c);
  char *txt = fetch(c, url, body, code);
  curl_easy_cleanup(c);
  cr_assert_not_null(txt, "no answer for %s", path);
  return txt;
}

/* GET the handler API with |query|; asserts HTTP 200 and the exact body. */
static void api_expect(struct sc_sim *s, const char *query,
                       const char *want) {
  char path[512];
  snprintf(path, sizeof path, "/stubs/handler_api.php?%s", query);
  long code = 0;
  char *got = http(s, path, NULL, &code);
  cr_expect_eq(code, 200);
  cr_expect_str_eq(got, want, "%s", query);
  sc_free(got);
}

static char *api(struct sc_sim *s, const char *query) {
  char path[512];
  snprintf(path, sizeof path, "/stubs/handler_api.php?%s", query);
  return http(s, path, NULL, NULL);
}

static void ctl_expect(struct sc_sim *s, const char *path, const char *body,
                       long want) {
  char full[256];
  snprintf(full, sizeof full, "/control/%s", path);
  long code = 0;
  char *got = http(s, full, body, &code);
  cr_expect_eq(code, want, "%s %s -> %ld %s", path, body ? body : "", code,
               got);
  if (want == 200)
    cr_expect(strstr(got, "\"ok\":true") != NULL, "%s", got);
  else
    cr_expect(strstr(got, "\"error\"") != NULL, "%s", got);
  sc_free(got);
}

/* Buys tg/0 with |key|; returns the activation id. */
static unsigned long long buy(struct sc_sim *s, const char *key) {
  char q[128];
  snprintf(q, sizeof q, "api_key=%s&action=getNumber&service=tg&country=0",
           key);
  char *got = api(s, q);
  unsigned long long id = 0;
  char phone[32] = "";
  cr_assert_eq(sscanf(got, "ACCESS_NUMBER:%llu:%31s", &id, phone), 2, "%s",
               got);
  cr_expect_eq(strlen(phone), 11u, "%s", phone);
  sc_free(got);
  return id;
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

static char *thread_get(CURL *c, unsigned port, const char *query) {
  char url[512];
  snprintf(url, sizeof url, "http://127.0.0.1:%u/stubs/handler_api.php?%s",
           port, query);
  return fetch(c, url, NULL, NULL);
}

struct worker {
  unsigned port;
  int iters;
  int buys, cancels, refused, unexpected;
};

/* Buys numbers and cancels every other one, counting what came back. */
static void *buy_and_cancel(void *arg) {
  struct worker *w = arg;
  CURL *c = curl_easy_init();
  for (int i = 0; c && i < w->iters; i++) {
    char *got = thread_get(c, w->port,
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
      got = thread_get(c, w->port, q);
      if (got && !strcmp(got, "ACCESS_CANCEL"))
        w->cancels++;
      else
        w->unexpected++;
      sc_free(got);
    }
  }
  curl_easy_cleanup(c);
  return NULL;
}

/* Issue: many parallel purchases and cancels on one account leave
 * balance + spent == starting balance, exactly; no activation is lost or
 * refunded twice, and the balance never goes below zero. */
Test(sim, concurrent_buys_and_cancels_keep_money_exact) {
  char err[256];
  /* no early-cancel window, so every cancel is allowed at once */
  struct sc_sim_config cfg = {"127.0.0.1", 0, KEY1 ":20", 7, 0, 1200};
  curl_global_init(CURL_GLOBAL_DEFAULT);
  struct sc_sim *s = sc_sim_new(&cfg, err, sizeof err);
  cr_assert_not_null(s, "%s", err);
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
