/* test_sim_act.c — tests for sc_sim_act.c (the activation actions of the
 * handler dialects) over real HTTP.
 *
 * Every Test starts its own simulator (Criterion re-execs its workers) with
 * keys K1 (10.00) and K2 (100.00), seed 42 and the profile's own timing, and
 * judges every answer with the suite's own parser: PASS unless a case says
 * why a WARN is right. Assertions run on the main test thread only. */
#include "sc_alloc.h"
#include "sim_util.h"

#include <smsconform/smsconform.h>

#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- helpers ------------------------------------------------------------- */

static const char *const profiles[] = {"sms-activate", "koalasms", "smsbulk",
                                       "securesms"};
enum { P_REF, P_KOALA, P_BULK, P_SECURE, NPROFILES };

static const char *cur_profile = "sms-activate";

/* A simulator of |profile| with the profile's own early-cancel window and
 * lifetime (sms-activate 120/1200, koalasms 300/1200, smsbulk 0/1200,
 * securesms 120/1200). */
static struct sc_sim *start(const char *profile, const char *faults) {
  cur_profile = profile ? profile : "sms-activate";
  return su_start_cfg((struct sc_sim_config){.profile = cur_profile,
                                             .faults = faults,
                                             .early_cancel_seconds = -1,
                                             .lifetime_seconds = 0});
}

#define stop su_stop

/* How strictly an answer is judged by the parser. */
enum judge {
  STRICT, /* PASS */
  LAX,    /* no FAIL: WARN where the spec documents the token elsewhere */
  NONE    /* not judged (no document writes the answer) */
};

/* GET action=|action|&<fmt...> in the current profile; expects HTTP 200 and
 * the verdict |j| asks for. The body; free with sc_free. */
static char *vreq(struct sc_sim *s, enum judge j, const char *action,
                  const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));
static char *vreq(struct sc_sim *s, enum judge j, const char *action,
                  const char *fmt, va_list ap) {
  char q[8192], path[8400];
  vsnprintf(q, sizeof q, fmt, ap);
  snprintf(path, sizeof path, "/stubs/handler_api.php?action=%s&%s", action, q);
  struct su_resp r = su_http(s, NULL, path, NULL, NULL);
  cr_expect_eq(r.code, 200, "%s %s -> HTTP %ld", action, q, r.code);
  if (j != NONE) {
    struct su_resp rr = r;
    su_expect_pass(action, cur_profile, &rr, NULL);
    enum sc_verdict v =
        su_verdict_body(action, cur_profile, r.code, NULL, r.body);
    if (j == STRICT)
      cr_expect_eq(v, SC_VERDICT_PASS, "%s [%s] %s -> '%.300s' is %s", action,
                   cur_profile, q, r.body, sc_verdict_name(v));
  }
  return r.body;
}

static char *req(struct sc_sim *s, enum judge j, const char *action,
                 const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static char *req(struct sc_sim *s, enum judge j, const char *action,
                 const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *b = vreq(s, j, action, fmt, ap);
  va_end(ap);
  return b;
}

/* ... and expects the body to be exactly |want|. */
static void expect(struct sc_sim *s, enum judge j, const char *action,
                   const char *want, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void expect(struct sc_sim *s, enum judge j, const char *action,
                   const char *want, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *b = vreq(s, j, action, fmt, ap);
  va_end(ap);
  cr_expect_str_eq(b, want, "%s [%s] %s: got '%.300s', want '%s'", action,
                   cur_profile, fmt, b, want);
  sc_free(b);
}

/* ... and parses the body as JSON (free with cJSON_Delete). */
static cJSON *req_json(struct sc_sim *s, enum judge j, const char *action,
                       const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static cJSON *req_json(struct sc_sim *s, enum judge j, const char *action,
                       const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *b = vreq(s, j, action, fmt, ap);
  va_end(ap);
  cJSON *root = cJSON_Parse(b);
  cr_assert_not_null(root, "%s: not JSON: %s", action, b);
  sc_free(b);
  return root;
}

static void balance(struct sc_sim *s, const char *key, const char *want) {
  char q[64], w[64];
  snprintf(q, sizeof q, "api_key=%s&action=getBalance", key);
  snprintf(w, sizeof w, "ACCESS_BALANCE:%s", want);
  char *got = su_api(s, q);
  cr_expect_str_eq(got, w, "%s: got %s, want %s", key, got, w);
  sc_free(got);
}

static void sms(struct sc_sim *s, unsigned long long id, const char *code,
                const char *text) {
  char body[256];
  snprintf(body, sizeof body,
           "{\"activationId\":\"%llu\",\"code\":\"%s\",\"text\":\"%s\"}", id,
           code, text);
  su_ctl_expect(s, "sms", body, 200);
}

static void advance(struct sc_sim *s, long secs) {
  char body[64];
  snprintf(body, sizeof body, "{\"advance\":%ld}", secs);
  su_ctl_expect(s, "clock", body, 200);
}

static void set_stock(struct sc_sim *s, const char *service,
                      const char *country, long n) {
  char body[128];
  snprintf(body, sizeof body,
           "{\"service\":\"%s\",\"country\":\"%s\",\"count\":%ld}", service,
           country, n);
  su_ctl_expect(s, "stock", body, 200);
}

static void set_price(struct sc_sim *s, const char *service,
                      const char *country, double cost) {
  char body[128];
  snprintf(body, sizeof body,
           "{\"service\":\"%s\",\"country\":\"%s\",\"cost\":%g}", service,
           country, cost);
  su_ctl_expect(s, "price", body, 200);
}

static void set_balance(struct sc_sim *s, const char *key, double amount) {
  char body[128];
  snprintf(body, sizeof body, "{\"apiKey\":\"%s\",\"balance\":%g}", key,
           amount);
  su_ctl_expect(s, "balance", body, 200);
}

/* Buys with getNumber (and |extra| query fields); the id; the phone into
 * |phone| when not NULL (>= 32 bytes). */
static unsigned long long buy_x(struct sc_sim *s, const char *key,
                                const char *service, const char *country,
                                const char *extra, char *phone) {
  char *b = req(s, STRICT, "getNumber", "api_key=%s&service=%s&country=%s%s",
                key, service, country, extra ? extra : "");
  unsigned long long id = 0;
  char ph[32] = "";
  cr_assert_eq(sscanf(b, "ACCESS_NUMBER:%llu:%31s", &id, ph), 2, "%s", b);
  cr_expect_eq(strlen(ph), 11u, "%s", b);
  if (phone)
    snprintf(phone, 32, "%s", ph);
  sc_free(b);
  return id;
}

static unsigned long long buy(struct sc_sim *s, const char *key) {
  return buy_x(s, key, "tg", "0", NULL, NULL);
}

static cJSON *item(const cJSON *o, const char *key) {
  const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);
  cr_assert_not_null(it, "no \"%s\"", key);
  return (cJSON *)it;
}

static const char *jstr(const cJSON *o, const char *key) {
  const cJSON *it = item(o, key);
  cr_assert(cJSON_IsString(it), "\"%s\" is not a string", key);
  return it->valuestring;
}

static double jnum(const cJSON *o, const char *key) {
  const cJSON *it = item(o, key);
  cr_assert(cJSON_IsNumber(it), "\"%s\" is not a number", key);
  return it->valuedouble;
}

static long long now_of(struct sc_sim *s) {
  cJSON *j = su_state(s);
  long long n = (long long)jnum(j, "now");
  cJSON_Delete(j);
  return n;
}

static void fmt_time(char *buf, size_t n, long long t) {
  time_t tt = (time_t)t;
  struct tm tm;
  cr_assert_not_null(gmtime_r(&tt, &tm));
  strftime(buf, n, "%Y-%m-%d %H:%M:%S", &tm);
}

/* Whether |when| is the simulated clock at some moment in [t0, t1]. */
static int time_between(const char *when, long long t0, long long t1) {
  for (long long t = t0; t <= t1; t++) {
    char b[32];
    fmt_time(b, sizeof b, t);
    if (strcmp(b, when) == 0)
      return 1;
  }
  return 0;
}

static long long cents_of(double d) {
  return (long long)(d < 0 ? d * 100 - 0.5 : d * 100 + 0.5);
}

/* The core's money invariant, to the cent, for every account:
 * balance + charges not refunded == base. */
static int money_consistent(struct sc_sim *s) {
  cJSON *j = su_state(s);
  int ok = 1;
  const cJSON *acc;
  cJSON_ArrayForEach(acc, item(j, "accounts")) {
    long long bal = cents_of(jnum(acc, "balance"));
    long long base = cents_of(jnum(acc, "base"));
    const cJSON *a;
    cJSON_ArrayForEach(a, item(j, "activations")) {
      if (strcmp(jstr(a, "apiKey"), jstr(acc, "apiKey")) == 0 &&
          !cJSON_IsTrue(item(a, "refunded")))
        bal += cents_of(jnum(a, "cost"));
    }
    ok = ok && bal == base;
  }
  cJSON_Delete(j);
  return ok;
}

/* ---- getNumber, in every profile ------------------------------------------
 * Each profile's refusals: its own token for an unknown service, no stock,
 * no money, an unknown country. */

ParameterizedTestParameters(act_get_number, refusals_and_success) {
  static int idx[] = {P_REF, P_KOALA, P_BULK, P_SECURE};
  return cr_make_param_array(int, idx, sizeof idx / sizeof *idx);
}

ParameterizedTest(int *p, act_get_number, refusals_and_success) {
  struct sc_sim *s = start(profiles[*p], NULL);
  /* 001/000/003: BAD_SERVICE; 004: WRONG_SERVICE */
  const char *bad = *p == P_SECURE ? "WRONG_SERVICE" : "BAD_SERVICE";
  expect(s, STRICT, "getNumber", bad, "api_key=K1&service=zz&country=0");
  expect(s, STRICT, "getNumber", bad, "api_key=K1&country=0");
  /* an unknown country: 003 BAD_COUNTRY; the others list no token */
  expect(s, STRICT, "getNumber", *p == P_BULK ? "BAD_COUNTRY" : "NO_NUMBERS",
         "api_key=K1&service=tg&country=999");
  set_stock(s, "wa", "12", 0);
  expect(s, STRICT, "getNumber", "NO_NUMBERS",
         "api_key=K1&service=wa&country=12");
  set_balance(s, "K1", 0.49);
  /* 001's purchase section lists no NO_BALANCE (a spec gap, WARN there);
   * 000/003/004 list it. */
  expect(s, *p == P_REF || *p == P_KOALA ? LAX : STRICT, "getNumber",
         "NO_BALANCE", "api_key=K1&service=tg&country=0");
  balance(s, "K1", "0.49");
  set_balance(s, "K1", 10);
  char phone[32];
  buy_x(s, "K1", "tg", "0", NULL, phone);
  cr_expect(strncmp(phone, "79", 2) == 0, "a Russian number: %s", phone);
  balance(s, "K1", "9.50");
  balance(s, "K2", "100.00");
  cr_expect(money_consistent(s));
  stop(s);
}

ParameterizedTestParameters(act_get_number, max_price) {
  static int idx[] = {P_REF, P_KOALA, P_BULK, P_SECURE};
  return cr_make_param_array(int, idx, sizeof idx / sizeof *idx);
}

/* 001 WRONG_MAX_PRICE:$min in the profiles that take maxPrice; 003 does not
 * document maxPrice, so SMSBulk ignores it. */
ParameterizedTest(int *p, act_get_number, max_price) {
  struct sc_sim *s = start(profiles[*p], NULL);
  if (*p == P_BULK) {
    buy_x(s, "K1", "vk", "187", "&maxPrice=0.1", NULL);
    balance(s, "K1", "9.50");
    stop(s);
    return;
  }
  expect(s, STRICT, "getNumber", "WRONG_MAX_PRICE:0.50",
         "api_key=K1&service=vk&country=187&maxPrice=0.4");
  expect(s, STRICT, "getNumber", "WRONG_MAX_PRICE:0.50",
         "api_key=K1&service=vk&country=187&maxPrice=cheap");
  set_price(s, "vk", "187", 1.25);
  expect(s, STRICT, "getNumber", "WRONG_MAX_PRICE:1.25",
         "api_key=K1&service=vk&country=187&maxPrice=1.2");
  balance(s, "K1", "10.00");
  buy_x(s, "K1", "vk", "187", "&maxPrice=1.25", NULL);
  balance(s, "K1", "8.75");
  stop(s);
}

/* Numbers are shaped by country, 11 digits each. */
Test(act_get_number, phones_follow_the_country) {
  struct sc_sim *s = start(NULL, NULL);
  static const struct {
    const char *country, *prefix;
  } t[] = {{"0", "79"}, {"12", "12"}, {"187", "905"}};
  for (size_t i = 0; i < 3; i++) {
    char phone[32];
    buy_x(s, "K1", "wa", t[i].country, NULL, phone);
    cr_expect(strncmp(phone, t[i].prefix, strlen(t[i].prefix)) == 0, "%s: %s",
              t[i].country, phone);
  }
  stop(s);
}

/* 001: forward=1 that the balance cannot pay: NO_BALANCE_FORWARD. */
Test(act_get_number, forward_without_money) {
  struct sc_sim *s = start(NULL, NULL);
  set_balance(s, "K1", 0);
  expect(s, STRICT, "getNumber", "NO_BALANCE_FORWARD",
         "api_key=K1&service=tg&country=0&forward=1");
  expect(s, LAX, "getNumber", "NO_BALANCE",
         "api_key=K1&service=tg&country=0&forward=0");
  set_balance(s, "K1", 1);
  buy_x(s, "K1", "tg", "0", "&forward=1", NULL);
  balance(s, "K1", "0.50");
  stop(s);
}

/* 001 phoneException: "country code and 3 to 6 digits of the mask (e.g.
 * 7918, 7900111)"; WRONG_EXCEPTION_PHONE for a malformed list. */
Test(act_get_number, phone_exception) {
  struct sc_sim *s = start(NULL, NULL);
  static const char *const bad[] = {"79",         "790",  "7918,",
                                    "7918,,7900", "79a8", "1234567890"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    expect(s, STRICT, "getNumber", "WRONG_EXCEPTION_PHONE",
           "api_key=K1&service=tg&country=0&phoneException=%s", bad[i]);
  /* 7900..7989 excluded: only 799... is left */
  char list[1024] = "";
  for (int k = 0; k < 90; k++)
    snprintf(list + strlen(list), sizeof list - strlen(list), "%s79%02d",
             k ? "," : "", k);
  char phone[32], extra[1100];
  snprintf(extra, sizeof extra, "&phoneException=%s", list);
  for (int n = 0; n < 5; n++) {
    buy_x(s, "K1", "tg", "0", extra, phone);
    cr_expect(strncmp(phone, "799", 3) == 0, "%s", phone);
  }
  /* 7900111 (7 digits) excludes one mask; spaces after commas are fine */
  buy_x(s, "K1", "tg", "0", "&phoneException=7900111,%207918", phone);
  cr_expect(strncmp(phone, "7900111", 7) && strncmp(phone, "7918", 4));
  /* every Russian number excluded: NO_NUMBERS, nothing charged */
  snprintf(list + strlen(list), sizeof list - strlen(list),
           ",7990,7991,7992,7993,7994,7995,7996,7997,7998,7999");
  balance(s, "K1", "7.00");
  expect(s, STRICT, "getNumber", "NO_NUMBERS",
         "api_key=K1&service=tg&country=0&phoneException=%s", list);
  balance(s, "K1", "7.00");
  /* prefixes of Russia do not touch another country's numbers */
  buy_x(s, "K1", "tg", "12", extra, phone);
  cr_expect(strncmp(phone, "12", 2) == 0, "%s", phone);
  stop(s);
}

/* 001 activationType (0 SMS, 1 number, 2 voice; language required for
 * voice) and the sample's verification=true. */
Test(act_get_number, activation_types) {
  struct sc_sim *s = start(NULL, NULL);
  expect(s, STRICT, "getNumber", "BAD_ACTION",
         "api_key=K1&service=tg&country=0&activationType=2");
  balance(s, "K1", "10.00");
  unsigned long long voice =
      buy_x(s, "K1", "tg", "0", "&activationType=2&language=en", NULL);
  unsigned long long num = buy_x(s, "K1", "tg", "0", "&activationType=1", NULL);
  unsigned long long ver =
      buy_x(s, "K1", "tg", "0", "&verification=true", NULL);
  unsigned long long plain =
      buy_x(s, "K1", "tg", "0", "&activationType=0", NULL);
  expect(s, STRICT, "getIncomingCallStatus", "{\"status\":2}",
         "api_key=K1&id=%llu", voice);
  expect(s, STRICT, "getIncomingCallStatus", "{\"status\":2}",
         "api_key=K1&id=%llu", num);
  expect(s, STRICT, "getIncomingCallStatus", "{\"status\":2}",
         "api_key=K1&id=%llu", ver);
  expect(s, STRICT, "getIncomingCallStatus", "INVALID_ACTIVATION_ID",
         "api_key=K1&id=%llu", plain);
  expect(s, STRICT, "getStatusV2", "{\"verificationType\":2}",
         "api_key=K1&id=%llu", voice);
  expect(s, STRICT, "getStatusV2", "{\"verificationType\":1}",
         "api_key=K1&id=%llu", num);
  balance(s, "K1", "8.00");
  stop(s);
}

/* 000: country "any", empty or absent: the cheapest country that can sell;
 * providerIds / exceptProviderIds pick among the providers of getPricesV3
 * (2260 at the offer's cost, 2266 at 125 %, 2273 at 150 %). */
Test(act_get_number, koala_any_country_and_providers) {
  struct sc_sim *s = start("koalasms", NULL);
  set_price(s, "tg", "0", 0.9);
  set_price(s, "tg", "187", 0.9);
  set_price(s, "tg", "12", 0.3);
  char phone[32];
  buy_x(s, "K1", "tg", "any", NULL, phone);
  cr_expect(strncmp(phone, "12", 2) == 0, "the cheapest, USA: %s", phone);
  buy_x(s, "K1", "tg", "", NULL, phone);
  cr_expect(strncmp(phone, "12", 2) == 0, "%s", phone);
  char *b = req(s, STRICT, "getNumber", "api_key=K1&service=tg");
  cr_expect(strncmp(b, "ACCESS_NUMBER:", 14) == 0, "%s", b);
  sc_free(b);
  balance(s, "K1", "9.10");
  expect(s, STRICT, "getNumber", "WRONG_MAX_PRICE:0.30",
         "api_key=K1&service=tg&country=any&maxPrice=0.2");
  set_stock(s, "tg", "12", 0);
  buy_x(s, "K1", "tg", "any", NULL, phone);
  cr_expect(strncmp(phone, "79", 2) == 0, "next cheapest, fixture order: %s",
            phone);
  set_stock(s, "tg", "0", 0);
  set_stock(s, "tg", "187", 0);
  expect(s, STRICT, "getNumber", "NO_NUMBERS",
         "api_key=K1&service=tg&country=any");
  balance(s, "K1", "8.20");
  /* providers: stock 10 is split 4/3/3 */
  buy_x(s, "K1", "wa", "12", "&providerIds=2266", NULL);
  balance(s, "K1", "7.57");
  buy_x(s, "K1", "wa", "12", "&exceptProviderIds=2260,2266", NULL);
  balance(s, "K1", "6.82");
  buy_x(s, "K1", "wa", "12", "&providerIds=2273,2266", NULL);
  balance(s, "K1", "6.19");
  expect(s, STRICT, "getNumber", "NO_NUMBERS",
         "api_key=K1&service=wa&country=12&providerIds=1");
  expect(s, STRICT, "getNumber", "NO_NUMBERS",
         "api_key=K1&service=wa&country=12&providerIds=2260"
         "&exceptProviderIds=2260");
  /* stock 2: counts 1/1/0, so 2273 has nothing */
  set_stock(s, "wa", "187", 2);
  expect(s, STRICT, "getNumber", "NO_NUMBERS",
         "api_key=K1&service=wa&country=187&providerIds=2273");
  expect(s, STRICT, "getNumber", "WRONG_MAX_PRICE:0.63",
         "api_key=K1&service=wa&country=187&providerIds=2266&maxPrice=0.6");
  /* the dearer provider's price must be covered */
  set_balance(s, "K1", 0.6);
  /* 000 lists NO_BALANCE for getNumberV2 only: WARN for getNumber */
  expect(s, LAX, "getNumber", "NO_BALANCE",
         "api_key=K1&service=wa&country=187&providerIds=2266");
  balance(s, "K1", "0.60");
  cr_expect(money_consistent(s));
  stop(s);
}

/* 004 providerIds; exceptProviderIds is not 004's and is ignored. */
Test(act_get_number, securesms_provider_ids) {
  struct sc_sim *s = start("securesms", NULL);
  buy_x(s, "K1", "tg", "12", "&providerIds=2266", NULL);
  balance(s, "K1", "9.37");
  buy_x(s, "K1", "tg", "12", "&exceptProviderIds=2260", NULL);
  balance(s, "K1", "8.87");
  expect(s, STRICT, "getNumber", "NO_NUMBERS",
         "api_key=K1&service=tg&country=12&providerIds=7");
  stop(s);
}

/* 003 "Triple format support": id, ISO code or slug; BAD_COUNTRY else. */
Test(act_get_number, smsbulk_country_forms) {
  struct sc_sim *s = start("smsbulk", NULL);
  static const char *const forms[] = {"187", "TR", "tr", "turkey"};
  for (size_t i = 0; i < 4; i++) {
    char phone[32];
    buy_x(s, "K1", "wa", forms[i], NULL, phone);
    cr_expect(strncmp(phone, "905", 3) == 0, "%s: %s", forms[i], phone);
  }
  expect(s, STRICT, "getNumber", "BAD_COUNTRY",
         "api_key=K1&service=wa&country=Turkey");
  expect(s, STRICT, "getNumber", "BAD_COUNTRY", "api_key=K1&service=wa");
  expect(s, STRICT, "getNumber", "BAD_SERVICE",
         "api_key=K1&service=&country=tr");
  balance(s, "K1", "8.00");
  stop(s);
}

/* ---- getNumberV2 ----------------------------------------------------------
 */

/* 001: activationId (a number), phoneNumber, activationCost "0.50",
 * countryCode, canGetAnotherSms "1", activationTime on the simulated clock,
 * activationOperator (the first matching operator). */
Test(act_get_number_v2, reference_shape_and_clock) {
  struct sc_sim *s = start(NULL, NULL);
  advance(s, 5000);
  long long t0 = now_of(s);
  cJSON *j =
      req_json(s, STRICT, "getNumberV2", "api_key=K1&service=tg&country=0");
  long long t1 = now_of(s);
  cr_expect(cJSON_IsNumber(item(j, "activationId")));
  cr_expect_str_eq(jstr(j, "activationCost"), "0.50");
  cr_expect_str_eq(jstr(j, "countryCode"), "0");
  cr_expect_str_eq(jstr(j, "canGetAnotherSms"), "1");
  cr_expect_str_eq(jstr(j, "activationOperator"), "beeline");
  cr_expect(time_between(jstr(j, "activationTime"), t0, t1), "%s vs %lld",
            jstr(j, "activationTime"), t0);
  const char *phone = jstr(j, "phoneNumber");
  cr_expect(strncmp(phone, "79", 2) == 0 && strlen(phone) == 11, "%s", phone);
  unsigned long long id = (unsigned long long)jnum(j, "activationId");
  cJSON_Delete(j);
  /* the same activation as getStatus sees */
  expect(s, STRICT, "getStatus", "STATUS_WAIT_CODE", "api_key=K1&id=%llu", id);
  balance(s, "K1", "9.50");
  static const struct {
    const char *q, *op;
  } ops[] = {{"&operator=mts", "mts"},
             {"&operator=kyivstar", "beeline"}, /* not in Russia: first */
             {"&operator=foo,tele2,mts", "tele2"},
             {"&operator=any", "beeline"}};
  for (size_t i = 0; i < 4; i++) {
    j = req_json(s, STRICT, "getNumberV2", "api_key=K1&service=tg&country=0%s",
                 ops[i].q);
    cr_expect_str_eq(jstr(j, "activationOperator"), ops[i].op, "%s", ops[i].q);
    cJSON_Delete(j);
  }
  j = req_json(s, STRICT, "getNumberV2", "api_key=K1&service=wa&country=187");
  cr_expect_str_eq(jstr(j, "activationOperator"), "turkcell");
  cr_expect_str_eq(jstr(j, "countryCode"), "187");
  cJSON_Delete(j);
  /* the refusals of getNumber */
  expect(s, STRICT, "getNumberV2", "BAD_SERVICE",
         "api_key=K1&service=zz&country=0");
  expect(s, STRICT, "getNumberV2", "WRONG_MAX_PRICE:0.50",
         "api_key=K1&service=tg&country=0&maxPrice=0.1");
  expect(s, STRICT, "getNumberV2", "WRONG_EXCEPTION_PHONE",
         "api_key=K1&service=tg&country=0&phoneException=7");
  set_stock(s, "go", "0", 0);
  expect(s, STRICT, "getNumberV2", "NO_NUMBERS",
         "api_key=K1&service=go&country=0");
  set_balance(s, "K1", 0);
  expect(s, LAX, "getNumberV2", "NO_BALANCE",
         "api_key=K1&service=tg&country=0");
  stop(s);
}

/* 001: orderId gives idempotence: ORDER_ALREADY_EXISTS for a repeat, per
 * account; nothing charged for the repeat. */
Test(act_get_number_v2, order_id) {
  struct sc_sim *s = start(NULL, NULL);
  cJSON *j = req_json(s, STRICT, "getNumberV2",
                      "api_key=K1&service=tg&country=0&orderId=o-1");
  cJSON_Delete(j);
  expect(s, STRICT, "getNumberV2", "ORDER_ALREADY_EXISTS",
         "api_key=K1&service=tg&country=0&orderId=o-1");
  expect(s, STRICT, "getNumberV2", "ORDER_ALREADY_EXISTS",
         "api_key=K1&service=wa&country=12&orderId=o-1");
  balance(s, "K1", "9.50");
  /* another account's order ids are its own */
  j = req_json(s, STRICT, "getNumberV2",
               "api_key=K2&service=tg&country=0&orderId=o-1");
  cJSON_Delete(j);
  balance(s, "K2", "99.50");
  /* a refused purchase does not take the order id */
  set_stock(s, "vk", "0", 0);
  expect(s, STRICT, "getNumberV2", "NO_NUMBERS",
         "api_key=K1&service=vk&country=0&orderId=o-2");
  set_stock(s, "vk", "0", 5);
  j = req_json(s, STRICT, "getNumberV2",
               "api_key=K1&service=vk&country=0&orderId=o-2");
  cJSON_Delete(j);
  /* getNumber takes no orderId */
  buy_x(s, "K1", "tg", "0", "&orderId=o-1", NULL);
  /* longer than the simulator stores */
  char big[80];
  memset(big, 'x', 70);
  big[70] = '\0';
  expect(s, STRICT, "getNumberV2", "ERROR_SQL",
         "api_key=K1&service=tg&country=0&orderId=%s", big);
  balance(s, "K1", "8.50");
  stop(s);
}

/* 000: activationCancel (end of the 300 s window), activationCost a number,
 * activationEnd (end of the 1200 s lifetime), currency 643. */
Test(act_get_number_v2, koala_shape) {
  struct sc_sim *s = start("koalasms", NULL);
  long long t0 = now_of(s);
  cJSON *j =
      req_json(s, STRICT, "getNumberV2", "api_key=K1&service=tg&country=12");
  long long t1 = now_of(s);
  cr_expect(time_between(jstr(j, "activationTime"), t0, t1));
  cr_expect(time_between(jstr(j, "activationCancel"), t0 + 300, t1 + 300));
  cr_expect(time_between(jstr(j, "activationEnd"), t0 + 1200, t1 + 1200));
  cr_expect_eq(jnum(j, "activationCost"), 0.5);
  cr_expect_eq(jnum(j, "currency"), 643);
  cr_expect_str_eq(jstr(j, "canGetAnotherSms"), "1");
  cr_expect_str_eq(jstr(j, "countryCode"), "12");
  cr_expect(cJSON_IsNumber(item(j, "activationId")));
  cr_expect_null(cJSON_GetObjectItem(j, "activationOperator"));
  cJSON_Delete(j);
  j = req_json(s, STRICT, "getNumberV2",
               "api_key=K1&service=tg&country=any&providerIds=2273");
  cr_expect_eq(jnum(j, "activationCost"), 0.75);
  cJSON_Delete(j);
  expect(s, STRICT, "getNumberV2", "BAD_SERVICE",
         "api_key=K1&service=zz&country=0");
  set_balance(s, "K1", 0);
  expect(s, STRICT, "getNumberV2", "NO_BALANCE",
         "api_key=K1&service=tg&country=0");
  stop(s);
}

/* 004: activationId a string, activationCost a number, canGetAnotherSms
 * true, activationOperator "any". */
Test(act_get_number_v2, securesms_shape) {
  struct sc_sim *s = start("securesms", NULL);
  cJSON *j = req_json(s, STRICT, "getNumberV2",
                      "api_key=K1&service=tg&country=12&maxPrice=0.5");
  unsigned long long id = strtoull(jstr(j, "activationId"), NULL, 10);
  cr_expect_gt(id, 0);
  cr_expect_eq(jnum(j, "activationCost"), 0.5);
  cr_expect(cJSON_IsTrue(item(j, "canGetAnotherSms")));
  cr_expect_str_eq(jstr(j, "activationOperator"), "any");
  cr_expect_str_eq(jstr(j, "countryCode"), "12");
  cJSON_Delete(j);
  expect(s, STRICT, "getStatus", "STATUS_WAIT_CODE", "api_key=K1&id=%llu", id);
  expect(s, STRICT, "getNumberV2", "WRONG_SERVICE",
         "api_key=K1&service=zz&country=12");
  set_balance(s, "K1", 0);
  expect(s, STRICT, "getNumberV2", "NO_BALANCE",
         "api_key=K1&service=tg&country=12");
  stop(s);
}

/* ---- setStatus: every value in every state, per profile ------------------
 * The states are reached through the control protocol; the clock passes
 * every early-cancel window (300 s) where a setup says so. */

enum setup {
  SU_EARLY,   /* just bought, inside the early-cancel window */
  SU_FRESH,   /* bought, window passed */
  SU_READY,   /* status 1, window passed */
  SU_CODE,    /* an SMS (1111), window passed */
  SU_RETRY,   /* SMS, status 3 */
  SU_RECODE,  /* SMS, status 3, a second SMS (2222) */
  SU_DONE,    /* SMS, status 6 */
  SU_CANCEL,  /* window passed, status 8 */
  SU_EXPIRED, /* lifetime passed without SMS */
  NSETUPS
};

static const char *const values[] = {"1", "3", "6", "8", "-1", "9", NULL};
#define NVALUES 7

#define WC "STATUS_WAIT_CODE"
#define OK1 "STATUS_OK:1111"
#define OK2 "STATUS_OK:2222"
#define WR1 "STATUS_WAIT_RETRY:1111"
#define WR2 "STATUS_WAIT_RETRY:2222"
#define CAN "STATUS_CANCEL"
#define BAD "BAD_STATUS"

/* getStatus in each setup, and whether the price came back. */
static const struct {
  const char *status;
  int refunded;
} before[NSETUPS] = {{WC, 0},  {WC, 0},  {WC, 0},  {OK1, 0}, {WR1, 0},
                     {OK2, 0}, {OK1, 0}, {CAN, 1}, {CAN, 1}};

struct outcome {
  const char *answer; /* NULL: BAD_STATUS, state unchanged */
  const char *after;
  int refund;
};

/* The reference reading (001; sc_sim_act.c keeps its decisions): values 1,
 * 3, 6, 8 as the chronology offers them, everything else BAD_STATUS. */
static const struct outcome ref_table[NSETUPS][4] = {
    /* per setup: the outcome of status 1, 3, 6 and 8 */
    [SU_EARLY] = {{"ACCESS_READY", WC, 0},
                  {NULL, NULL, 0},
                  {NULL, NULL, 0},
                  {"EARLY_CANCEL_DENIED", WC, 0}},
    [SU_FRESH] = {{"ACCESS_READY", WC, 0},
                  {NULL, NULL, 0},
                  {NULL, NULL, 0},
                  {"ACCESS_CANCEL", CAN, 1}},
    [SU_READY] = {{"ACCESS_READY", WC, 0},
                  {NULL, NULL, 0},
                  {NULL, NULL, 0},
                  {"ACCESS_CANCEL", CAN, 1}},
    [SU_CODE] = {{NULL, NULL, 0},
                 {"ACCESS_RETRY_GET", WR1, 0},
                 {"ACCESS_ACTIVATION", OK1, 0},
                 {NULL, NULL, 0}},
    [SU_RETRY] = {{NULL, NULL, 0},
                  {NULL, NULL, 0},
                  {"ACCESS_ACTIVATION", OK1, 0},
                  {NULL, NULL, 0}},
    [SU_RECODE] = {{NULL, NULL, 0},
                   {"ACCESS_RETRY_GET", WR2, 0},
                   {"ACCESS_ACTIVATION", OK2, 0},
                   {NULL, NULL, 0}},
};

static struct outcome expected(int p, int su, int v) {
  struct outcome o = {NULL, NULL, 0};
  int val = v;
  /* 000: -1 - cancel activation, like 8 */
  if (p == P_KOALA && val == 4)
    val = 3;
  if (val < 4)
    o = ref_table[su][val];
  /* 000: activationCancel is the "time, when activation could be
   * cancelled"; before it a cancel (8 or -1) is refused with the one token
   * 000's setStatus lists for it, BAD_STATUS (no EARLY_CANCEL_DENIED). */
  if (p == P_KOALA && val == 3 && su == SU_EARLY)
    o = (struct outcome){NULL, NULL, 0};
  if (p == P_BULK) {
    /* 003: 1 "Report SMS sent (no-op)": ACCESS_READY while it runs */
    if (val == 0 && (su == SU_CODE || su == SU_RETRY || su == SU_RECODE))
      o = (struct outcome){"ACCESS_READY", before[su].status, 0};
    /* 003 documents no early-cancel window */
    if (val == 3 && su == SU_EARLY)
      o = (struct outcome){"ACCESS_CANCEL", CAN, 1};
  }
  if (!o.answer)
    o = (struct outcome){BAD, before[su].status, 0};
  return o;
}

/* 003 names only three getStatus answers: the retry wait reads as a wait. */
static const char *bulk_status(int p, const char *st) {
  return p == P_BULK && strncmp(st, "STATUS_WAIT_RETRY", 17) == 0 ? WC : st;
}

static void set_ok(struct sc_sim *s, unsigned long long id, const char *v,
                   const char *want) {
  expect(s, STRICT, "setStatus", want, "api_key=K1&id=%llu&status=%s", id, v);
}

static unsigned long long reach(struct sc_sim *s, int su) {
  unsigned long long id = buy(s, "K1");
  switch (su) {
  case SU_EARLY:
    break;
  case SU_FRESH:
    advance(s, 310);
    break;
  case SU_READY:
    set_ok(s, id, "1", "ACCESS_READY");
    advance(s, 310);
    break;
  case SU_CODE:
    sms(s, id, "1111", "code 1111");
    advance(s, 310);
    break;
  case SU_RETRY:
  case SU_RECODE:
    sms(s, id, "1111", "code 1111");
    set_ok(s, id, "3", "ACCESS_RETRY_GET");
    if (su == SU_RECODE)
      sms(s, id, "2222", "code 2222");
    advance(s, 310);
    break;
  case SU_DONE:
    sms(s, id, "1111", "code 1111");
    set_ok(s, id, "6", "ACCESS_ACTIVATION");
    break;
  case SU_CANCEL:
    advance(s, 310);
    set_ok(s, id, "8", "ACCESS_CANCEL");
    break;
  case SU_EXPIRED:
    advance(s, 1300);
    break;
  }
  return id;
}

struct mrow {
  int profile, setup, value;
};

ParameterizedTestParameters(act_set_status, matrix) {
  static struct mrow rows[NPROFILES * NSETUPS * NVALUES];
  size_t n = 0;
  for (int p = 0; p < NPROFILES; p++)
    for (int su = 0; su < NSETUPS; su++)
      for (int v = 0; v < NVALUES; v++)
        rows[n++] = (struct mrow){p, su, v};
  return cr_make_param_array(struct mrow, rows, n);
}

ParameterizedTest(struct mrow *m, act_set_status, matrix) {
  struct sc_sim *s = start(profiles[m->profile], NULL);
  unsigned long long id = reach(s, m->setup);
  expect(s, STRICT, "getStatus",
         bulk_status(m->profile, before[m->setup].status), "api_key=K1&id=%llu",
         id);
  struct outcome o = expected(m->profile, m->setup, m->value);
  if (values[m->value])
    expect(s, STRICT, "setStatus", o.answer, "api_key=K1&id=%llu&status=%s", id,
           values[m->value]);
  else
    expect(s, STRICT, "setStatus", o.answer, "api_key=K1&id=%llu", id);
  expect(s, STRICT, "getStatus", bulk_status(m->profile, o.after),
         "api_key=K1&id=%llu", id);
  int refunded = before[m->setup].refunded || o.refund;
  balance(s, "K1", refunded ? "10.00" : "9.50");
  cr_expect(money_consistent(s));
  stop(s);
}

/* Ids: 001 WRONG_ACTIVATION_ID for a non-numeric id on setStatus; 000, 003,
 * 004 only know NO_ACTIVATION. Another account's activation does not
 * exist. */
ParameterizedTestParameters(act_set_status, ids) {
  static int idx[] = {P_REF, P_KOALA, P_BULK, P_SECURE};
  return cr_make_param_array(int, idx, sizeof idx / sizeof *idx);
}

ParameterizedTest(int *p, act_set_status, ids) {
  struct sc_sim *s = start(profiles[*p], NULL);
  unsigned long long id = buy(s, "K1");
  const char *wrong = *p == P_REF ? "WRONG_ACTIVATION_ID" : "NO_ACTIVATION";
  expect(s, STRICT, "setStatus", wrong, "api_key=K1&id=abc&status=6");
  expect(s, STRICT, "setStatus", wrong, "api_key=K1&status=6");
  expect(s, STRICT, "setStatus", "NO_ACTIVATION", "api_key=K1&id=1&status=6");
  expect(s, STRICT, "setStatus", "NO_ACTIVATION", "api_key=K2&id=%llu&status=8",
         id);
  expect(s, STRICT, "getStatus", "NO_ACTIVATION", "api_key=K2&id=%llu", id);
  expect(s, STRICT, "getStatus", "NO_ACTIVATION", "api_key=K1&id=abc");
  expect(s, STRICT, "getStatus", "NO_ACTIVATION", "api_key=K1");
  expect(s, STRICT, "getStatus", WC, "api_key=K1&id=%llu", id);
  stop(s);
}

ParameterizedTestParameters(act_set_status, lifecycle) {
  static int idx[] = {P_REF, P_KOALA, P_BULK, P_SECURE};
  return cr_make_param_array(int, idx, sizeof idx / sizeof *idx);
}

/* A full lifecycle per profile: buy, 1, SMS, 3, SMS, 6; then a second
 * number cancelled after the window; money exact. */
ParameterizedTest(int *p, act_set_status, lifecycle) {
  struct sc_sim *s = start(profiles[*p], NULL);
  unsigned long long id = buy(s, "K1");
  set_ok(s, id, "1", "ACCESS_READY");
  sms(s, id, "5150", "Your code is 5150");
  expect(s, STRICT, "getStatus", "STATUS_OK:5150", "api_key=K1&id=%llu", id);
  set_ok(s, id, "3", "ACCESS_RETRY_GET");
  expect(s, STRICT, "getStatus", *p == P_BULK ? WC : "STATUS_WAIT_RETRY:5150",
         "api_key=K1&id=%llu", id);
  sms(s, id, "6160", "Your code is 6160");
  expect(s, STRICT, "getStatus", "STATUS_OK:6160", "api_key=K1&id=%llu", id);
  set_ok(s, id, "6", "ACCESS_ACTIVATION");
  expect(s, STRICT, "getStatus", "STATUS_OK:6160", "api_key=K1&id=%llu", id);
  unsigned long long id2 = buy(s, "K1");
  advance(s, 301);
  set_ok(s, id2, *p == P_KOALA ? "-1" : "8", "ACCESS_CANCEL");
  expect(s, STRICT, "getStatus", CAN, "api_key=K1&id=%llu", id2);
  balance(s, "K1", "9.50");
  cr_expect(money_consistent(s));
  stop(s);
}

/* 001 **: no status change for a call verification once the call came;
 * 6 still finishes it. */
Test(act_set_status, call_verification_frozen_after_the_call) {
  struct sc_sim *s = start(NULL, NULL);
  unsigned long long id =
      buy_x(s, "K1", "tg", "0", "&activationType=2&language=ru", NULL);
  sms(s, id, "3141", "your code three one four one");
  set_ok(s, id, "3", BAD);
  set_ok(s, id, "1", BAD);
  set_ok(s, id, "8", BAD);
  set_ok(s, id, "6", "ACCESS_ACTIVATION");
  expect(s, STRICT, "getStatus", "STATUS_OK:3141", "api_key=K1&id=%llu", id);
  stop(s);
}

/* ---- getActiveActivations -------------------------------------------------
 */

/* 001: {"status":"success","activeActivations":[...]} of the account's
 * running activations; NO_ACTIVATIONS when there is none. */
Test(act_lists, active_activations_reference) {
  struct sc_sim *s = start(NULL, NULL);
  expect(s, STRICT, "getActiveActivations", "NO_ACTIVATIONS", "api_key=K1");
  unsigned long long a = buy(s, "K1"),
                     b = buy_x(s, "K1", "wa", "187", NULL, NULL);
  unsigned long long k2 = buy(s, "K2");
  set_ok(s, a, "1", "ACCESS_READY");
  sms(s, b, "4242", "WhatsApp code 4242");
  cJSON *j = req_json(s, STRICT, "getActiveActivations", "api_key=K1");
  cr_expect_str_eq(jstr(j, "status"), "success");
  cJSON *list = item(j, "activeActivations");
  cr_assert_eq(cJSON_GetArraySize(list), 2);
  cJSON *ea = cJSON_GetArrayItem(list, 0), *eb = cJSON_GetArrayItem(list, 1);
  char ids[32];
  snprintf(ids, sizeof ids, "%llu", a);
  cr_expect_str_eq(jstr(ea, "activationId"), ids);
  cr_expect_str_eq(jstr(ea, "serviceCode"), "tg");
  cr_expect_str_eq(jstr(ea, "activationStatus"), "1");
  cr_expect_str_eq(jstr(ea, "activationCost"), "0.50");
  cr_expect_str_eq(jstr(ea, "countryName"), "Russia");
  cr_expect_str_eq(jstr(ea, "currency"), "840");
  cr_expect_eq(cJSON_GetArraySize(item(ea, "smsCode")), 0);
  cr_expect_str_eq(jstr(eb, "countryCode"), "187");
  cr_expect_str_eq(jstr(eb, "activationStatus"), "0");
  cr_expect_str_eq(cJSON_GetArrayItem(item(eb, "smsCode"), 0)->valuestring,
                   "4242");
  cr_expect_str_eq(jstr(eb, "smsText"), "WhatsApp code 4242");
  cJSON_Delete(j);
  /* K2 sees only its own */
  j = req_json(s, STRICT, "getActiveActivations", "api_key=K2");
  list = item(j, "activeActivations");
  cr_assert_eq(cJSON_GetArraySize(list), 1);
  snprintf(ids, sizeof ids, "%llu", k2);
  cr_expect_str_eq(jstr(cJSON_GetArrayItem(list, 0), "activationId"), ids);
  cJSON_Delete(j);
  /* status 3 shows as 3; a completed one and a cancelled one leave */
  set_ok(s, b, "3", "ACCESS_RETRY_GET");
  j = req_json(s, STRICT, "getActiveActivations", "api_key=K1");
  cr_expect_str_eq(jstr(cJSON_GetArrayItem(item(j, "activeActivations"), 1),
                        "activationStatus"),
                   "3");
  cJSON_Delete(j);
  set_ok(s, b, "6", "ACCESS_ACTIVATION");
  advance(s, 121);
  set_ok(s, a, "8", "ACCESS_CANCEL");
  expect(s, STRICT, "getActiveActivations", "NO_ACTIVATIONS", "api_key=K1");
  /* expiry ends K2's */
  advance(s, 1200);
  expect(s, STRICT, "getActiveActivations", "NO_ACTIVATIONS", "api_key=K2");
  balance(s, "K1", "9.50");
  balance(s, "K2", "100.00");
  stop(s);
}

/* 000: a bare array (empty when none); cost, status, currency numbers;
 * smsCode one string, absent before an SMS. */
Test(act_lists, active_activations_koala) {
  struct sc_sim *s = start("koalasms", NULL);
  expect(s, STRICT, "getActiveActivations", "[]", "api_key=K1");
  unsigned long long a = buy(s, "K1");
  cJSON *j = req_json(s, STRICT, "getActiveActivations", "api_key=K1");
  cr_assert_eq(cJSON_GetArraySize(j), 1);
  cJSON *e = cJSON_GetArrayItem(j, 0);
  cr_expect_eq(jnum(e, "activationCost"), 0.5);
  cr_expect_eq(jnum(e, "activationStatus"), 0);
  cr_expect_eq(jnum(e, "currency"), 643);
  cr_expect_null(cJSON_GetObjectItem(e, "smsCode"));
  cJSON_Delete(j);
  sms(s, a, "777111", "Telegram code 777111");
  j = req_json(s, STRICT, "getActiveActivations", "api_key=K1");
  e = cJSON_GetArrayItem(j, 0);
  cr_expect_str_eq(jstr(e, "smsCode"), "777111");
  cr_expect_str_eq(jstr(e, "smsText"), "Telegram code 777111");
  cJSON_Delete(j);
  expect(s, STRICT, "getActiveActivations", "[]", "api_key=K2");
  set_ok(s, a, "6", "ACCESS_ACTIVATION");
  expect(s, STRICT, "getActiveActivations", "[]", "api_key=K1");
  stop(s);
}

/* ---- getHistory -----------------------------------------------------------
 */

/* 001: every activation of the account, newest first; cost 0 while it runs
 * (and for a refunded one), the price once completed; start/end (Unix
 * times), offset, limit (default 50, at most 100). */
Test(act_lists, history) {
  struct sc_sim *s = start(NULL, NULL);
  expect(s, STRICT, "getHistory", "[]", "api_key=K1");
  long long t0 = now_of(s);
  unsigned long long a = buy(s, "K1");
  advance(s, 1000);
  unsigned long long b = buy(s, "K1");
  advance(s, 1000); /* a expires, refunded */
  unsigned long long c = buy(s, "K1");
  sms(s, c, "999", "code 999");
  set_ok(s, c, "6", "ACCESS_ACTIVATION");
  buy(s, "K2");
  cJSON *j = req_json(s, STRICT, "getHistory", "api_key=K1");
  cr_assert_eq(cJSON_GetArraySize(j), 3);
  cJSON *ec = cJSON_GetArrayItem(j, 0), *eb = cJSON_GetArrayItem(j, 1),
        *ea = cJSON_GetArrayItem(j, 2);
  cr_expect_eq(jnum(ec, "id"), (double)c);
  cr_expect_eq(jnum(eb, "id"), (double)b);
  cr_expect_eq(jnum(ea, "id"), (double)a);
  cr_expect_eq(jnum(ec, "cost"), 0.5);
  cr_expect_str_eq(jstr(ec, "status"), "6");
  cr_expect_str_eq(cJSON_GetArrayItem(item(ec, "sms"), 0)->valuestring,
                   "code 999");
  cr_expect_eq(jnum(eb, "cost"), 0);
  cr_expect_str_eq(jstr(eb, "status"), "0");
  cr_expect_eq(cJSON_GetArraySize(item(eb, "sms")), 0);
  cr_expect_eq(jnum(ea, "cost"), 0);
  cr_expect_str_eq(jstr(ea, "status"), "8");
  cr_expect_str_eq(jstr(ea, "currency"), "840");
  char when[32];
  fmt_time(when, sizeof when, t0);
  cr_expect(time_between(jstr(ea, "date"), t0, t0 + 2), "%s", when);
  cJSON_Delete(j);
  /* the window: only b */
  j = req_json(s, STRICT, "getHistory", "api_key=K1&start=%lld&end=%lld",
               t0 + 500, t0 + 1500);
  cr_assert_eq(cJSON_GetArraySize(j), 1);
  cr_expect_eq(jnum(cJSON_GetArrayItem(j, 0), "id"), (double)b);
  cJSON_Delete(j);
  j = req_json(s, STRICT, "getHistory", "api_key=K1&offset=1&limit=1");
  cr_assert_eq(cJSON_GetArraySize(j), 1);
  cr_expect_eq(jnum(cJSON_GetArrayItem(j, 0), "id"), (double)b);
  cJSON_Delete(j);
  /* malformed filters are ignored */
  j = req_json(s, STRICT, "getHistory", "api_key=K1&start=x&limit=-3");
  cr_expect_eq(cJSON_GetArraySize(j), 3);
  cJSON_Delete(j);
  j = req_json(s, STRICT, "getHistory", "api_key=K2");
  cr_expect_eq(cJSON_GetArraySize(j), 1);
  cJSON_Delete(j);
  balance(s, "K1", "9.00");
  stop(s);
}

Test(act_lists, history_limits) {
  struct sc_sim *s = start(NULL, NULL);
  set_balance(s, "K1", 1000);
  set_stock(s, "tg", "0", 500);
  for (int i = 0; i < 105; i++) {
    char *b = su_api(s, "api_key=K1&action=getNumber&service=tg&country=0");
    cr_assert(strncmp(b, "ACCESS_NUMBER:", 14) == 0, "%s", b);
    sc_free(b);
  }
  cJSON *j = req_json(s, STRICT, "getHistory", "api_key=K1");
  cr_expect_eq(cJSON_GetArraySize(j), 50);
  cJSON_Delete(j);
  j = req_json(s, STRICT, "getHistory", "api_key=K1&limit=500");
  cr_expect_eq(cJSON_GetArraySize(j), 100);
  cJSON_Delete(j);
  j = req_json(s, STRICT, "getHistory", "api_key=K1&limit=100&offset=100");
  cr_expect_eq(cJSON_GetArraySize(j), 5);
  cJSON_Delete(j);
  stop(s);
}

/* ---- getStatusV2, getFullSms ----------------------------------------------
 */

/* 001: {"verificationType", "sms": {dateTime, code, text}}; STATUS_CANCEL
 * for a cancelled (or expired) one; the same activation as getStatus. */
Test(act_status, status_v2) {
  struct sc_sim *s = start(NULL, NULL);
  unsigned long long id = buy(s, "K1");
  expect(s, STRICT, "getStatusV2", "{\"verificationType\":0}",
         "api_key=K1&id=%llu", id);
  expect(s, STRICT, "getStatusV2", "NO_ACTIVATION", "api_key=K2&id=%llu", id);
  expect(s, STRICT, "getStatusV2", "NO_ACTIVATION", "api_key=K1&id=x");
  advance(s, 30);
  long long t0 = now_of(s);
  sms(s, id, "8080", "Code: 8080. Do not share");
  long long t1 = now_of(s);
  cJSON *j = req_json(s, STRICT, "getStatusV2", "api_key=K1&id=%llu", id);
  cJSON *m = item(j, "sms");
  cr_expect_str_eq(jstr(m, "code"), "8080");
  cr_expect_str_eq(jstr(m, "text"), "Code: 8080. Do not share");
  cr_expect(time_between(jstr(m, "dateTime"), t0, t1));
  cr_expect_null(cJSON_GetObjectItem(j, "call"));
  cJSON_Delete(j);
  set_ok(s, id, "3", "ACCESS_RETRY_GET");
  j = req_json(s, STRICT, "getStatusV2", "api_key=K1&id=%llu", id);
  cr_expect_str_eq(jstr(item(j, "sms"), "code"), "8080");
  cJSON_Delete(j);
  set_ok(s, id, "6", "ACCESS_ACTIVATION");
  j = req_json(s, STRICT, "getStatusV2", "api_key=K1&id=%llu", id);
  cr_expect_str_eq(jstr(item(j, "sms"), "code"), "8080");
  cJSON_Delete(j);
  unsigned long long c = buy(s, "K1");
  advance(s, 121);
  set_ok(s, c, "8", "ACCESS_CANCEL");
  expect(s, STRICT, "getStatusV2", CAN, "api_key=K1&id=%llu", c);
  unsigned long long e = buy(s, "K1");
  advance(s, 1201);
  expect(s, STRICT, "getStatusV2", CAN, "api_key=K1&id=%llu", e);
  stop(s);
}

/* getFullSms: no document writes the wire answer (the parser has no
 * success form for it): FULL_SMS:<text>, STATUS_WAIT_CODE before an SMS,
 * STATUS_CANCEL after a cancel. */
Test(act_status, full_sms) {
  struct sc_sim *s = start(NULL, NULL);
  unsigned long long id = buy(s, "K1");
  /* NO_ACTIVATION: WARN, the spec lists no error for getFullSms */
  expect(s, LAX, "getFullSms", "NO_ACTIVATION", "api_key=K1&id=1");
  expect(s, LAX, "getFullSms", "NO_ACTIVATION", "api_key=K2&id=%llu", id);
  expect(s, NONE, "getFullSms", WC, "api_key=K1&id=%llu", id);
  set_ok(s, id, "1", "ACCESS_READY");
  sms(s, id, "1234", "Your code: 1234. It is valid: 10 minutes");
  expect(s, NONE, "getFullSms",
         "FULL_SMS:Your code: 1234. It is valid: 10 minutes",
         "api_key=K1&id=%llu", id);
  unsigned long long c = buy(s, "K1");
  advance(s, 121);
  set_ok(s, c, "8", "ACCESS_CANCEL");
  expect(s, NONE, "getFullSms", CAN, "api_key=K1&id=%llu", c);
  stop(s);
}

/* ---- getMultiServiceNumber ------------------------------------------------
 */

/* 001: one number, one activation per service, each charged; at most one
 * forwarded service; all or nothing. */
Test(act_multi, success_and_lifecycles) {
  struct sc_sim *s = start(NULL, NULL);
  cJSON *j = req_json(s, STRICT, "getMultiServiceNumber",
                      "api_key=K1&service=tg,wa,vk&forward=0,1,0&country=0"
                      "&operator=mts");
  cr_assert_eq(cJSON_GetArraySize(j), 3);
  static const char *const svc[] = {"tg", "wa", "vk"};
  unsigned long long ids[3];
  const char *phone = jstr(cJSON_GetArrayItem(j, 0), "phone");
  cr_expect(strncmp(phone, "79", 2) == 0 && strlen(phone) == 11, "%s", phone);
  for (int i = 0; i < 3; i++) {
    cJSON *e = cJSON_GetArrayItem(j, i);
    cr_expect_str_eq(jstr(e, "service"), svc[i]);
    cr_expect_str_eq(jstr(e, "phone"), phone);
    ids[i] = (unsigned long long)jnum(e, "activation");
    if (i)
      cr_expect_eq(ids[i], ids[i - 1] + 1);
  }
  cJSON_Delete(j);
  balance(s, "K1", "8.50");
  /* each has its own life */
  sms(s, ids[1], "55", "wa 55");
  expect(s, STRICT, "getStatus", "STATUS_OK:55", "api_key=K1&id=%llu", ids[1]);
  expect(s, STRICT, "getStatus", WC, "api_key=K1&id=%llu", ids[0]);
  advance(s, 121);
  set_ok(s, ids[0], "8", "ACCESS_CANCEL");
  balance(s, "K1", "9.00");
  j = req_json(s, STRICT, "getActiveActivations", "api_key=K1");
  cr_expect_eq(cJSON_GetArraySize(item(j, "activeActivations")), 2);
  cJSON_Delete(j);
  /* one service alone is fine too */
  j = req_json(s, STRICT, "getMultiServiceNumber",
               "api_key=K1&service=ig&country=12");
  cr_expect_eq(cJSON_GetArraySize(j), 1);
  cJSON_Delete(j);
  balance(s, "K1", "8.50");
  cr_expect(money_consistent(s));
  stop(s);
}

Test(act_multi, refusals_buy_nothing) {
  struct sc_sim *s = start(NULL, NULL);
  static const char *const bad[] = {
      "service=tg,zz&country=0",             /* unknown */
      "service=tg,tg&country=0",             /* repeated */
      "service=tg,,wa&country=0",            /* empty entry */
      "service=tg,&country=0",               /* trailing comma */
      "country=0",                           /* none */
      "service=tg,wa&forward=0&country=0",   /* forward count */
      "service=tg,wa&forward=1,1&country=0", /* two forwarded */
      "service=tg,wa&forward=0,2&country=0", /* not 0/1 */
      "service=tg,wa&forward=0,1,0&country=0",
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    expect(s, STRICT, "getMultiServiceNumber", "BAD_SERVICE", "api_key=K1&%s",
           bad[i]);
  expect(s, STRICT, "getMultiServiceNumber", "NO_NUMBERS",
         "api_key=K1&service=tg,wa&country=999");
  set_stock(s, "vk", "0", 0);
  expect(s, STRICT, "getMultiServiceNumber", "NO_NUMBERS",
         "api_key=K1&service=tg,wa,vk&country=0");
  set_balance(s, "K1", 1.4);
  expect(s, STRICT, "getMultiServiceNumber", "NO_BALANCE",
         "api_key=K1&service=tg,wa,go&country=0");
  balance(s, "K1", "1.40");
  expect(s, STRICT, "getHistory", "[]", "api_key=K1");
  cJSON *st = su_state(s);
  cr_expect_eq(cJSON_GetArraySize(item(st, "activations")), 0);
  cJSON_Delete(st);
  stop(s);
}

/* ---- getAdditionalService -------------------------------------------------
 */

/* 001: on a forwarded number after its first SMS: ADDITIONAL:$id:$phone,
 * charged; each refusal token. */
Test(act_additional, all_answers) {
  struct sc_sim *s = start(NULL, NULL);
  char phone[32];
  unsigned long long p = buy_x(s, "K1", "tg", "0", "&forward=1", phone);
  unsigned long long plain = buy(s, "K1");
  expect(s, STRICT, "getAdditionalService", "WRONG_ACTIVATION_ID",
         "api_key=K1&service=ig&id=abc");
  expect(s, STRICT, "getAdditionalService", "WRONG_ACTIVATION_ID",
         "api_key=K1&service=ig&id=1");
  expect(s, STRICT, "getAdditionalService", "WRONG_ACTIVATION_ID",
         "api_key=K2&service=ig&id=%llu", p);
  expect(s, STRICT, "getAdditionalService", "WRONG_ADDITIONAL_SERVICE",
         "api_key=K1&service=zz&id=%llu", p);
  /* before the first SMS, and without forwarding */
  expect(s, STRICT, "getAdditionalService", "WRONG_SECURITY",
         "api_key=K1&service=ig&id=%llu", p);
  sms(s, plain, "1", "code 1");
  expect(s, STRICT, "getAdditionalService", "WRONG_SECURITY",
         "api_key=K1&service=ig&id=%llu", plain);
  sms(s, p, "2", "code 2");
  expect(s, STRICT, "getAdditionalService", "REPEAT_ADDITIONAL_SERVICE",
         "api_key=K1&service=tg&id=%llu", p);
  /* the child uses the parent's number, not the offer's stock */
  set_stock(s, "ig", "0", 0);
  char *b = req(s, STRICT, "getAdditionalService",
                "api_key=K1&service=ig&id=%llu", p);
  unsigned long long child = 0;
  char cphone[32] = "";
  cr_assert_eq(sscanf(b, "ADDITIONAL:%llu:%31s", &child, cphone), 2, "%s", b);
  cr_expect_str_eq(cphone, phone);
  sc_free(b);
  balance(s, "K1", "8.50");
  expect(s, STRICT, "getAdditionalService", "REPEAT_ADDITIONAL_SERVICE",
         "api_key=K1&service=ig&id=%llu", p);
  /* the child lives on its own */
  expect(s, STRICT, "getStatus", WC, "api_key=K1&id=%llu", child);
  sms(s, child, "3", "ig code 3");
  expect(s, STRICT, "getStatus", "STATUS_OK:3", "api_key=K1&id=%llu", child);
  set_balance(s, "K1", 0.1);
  expect(s, STRICT, "getAdditionalService", "NO_BALANCE",
         "api_key=K1&service=vk&id=%llu", p);
  set_balance(s, "K1", 10);
  /* a completed or cancelled parent */
  set_ok(s, p, "6", "ACCESS_ACTIVATION");
  expect(s, STRICT, "getAdditionalService", "WRONG_SECURITY",
         "api_key=K1&service=vk&id=%llu", p);
  unsigned long long q = buy_x(s, "K1", "wa", "0", "&forward=1", NULL);
  advance(s, 121);
  set_ok(s, q, "8", "ACCESS_CANCEL");
  expect(s, STRICT, "getAdditionalService", "WRONG_SECURITY",
         "api_key=K1&service=vk&id=%llu", q);
  cr_expect(money_consistent(s));
  stop(s);
}

/* ---- getExtraActivation / checkExtraActivation ----------------------------
 */

/* 001: a completed activation's number again, at the service's price;
 * checkExtraActivation tells the price without buying. */
Test(act_extra, reactivation) {
  struct sc_sim *s = start(NULL, NULL);
  char phone[32];
  unsigned long long p = buy_x(s, "K1", "wa", "12", NULL, phone);
  static const char *const acts[] = {"getExtraActivation",
                                     "checkExtraActivation"};
  for (int i = 0; i < 2; i++) {
    expect(s, STRICT, acts[i], "WRONG_ACTIVATION_ID",
           "api_key=K1&activationId=abc");
    expect(s, STRICT, acts[i], "WRONG_ACTIVATION_ID",
           "api_key=K2&activationId=%llu", p);
    expect(s, STRICT, acts[i], "WRONG_ACTIVATION_ID", "api_key=K1&id=%llu", p);
    /* still running: not available */
    expect(s, STRICT, acts[i], "RENEW_ACTIVATION_NOT_AVAILABLE",
           "api_key=K1&activationId=%llu", p);
  }
  sms(s, p, "11", "code 11");
  set_ok(s, p, "6", "ACCESS_ACTIVATION");
  set_price(s, "wa", "12", 0.8);
  cJSON *j = req_json(s, STRICT, "checkExtraActivation",
                      "api_key=K1&activationId=%llu", p);
  cr_expect_str_eq(jstr(j, "status"), "success");
  cr_expect_eq(jnum(j, "cost"), 0.8);
  cr_expect_str_eq(jstr(j, "service"), "wa");
  cr_expect_eq(jnum(j, "phone"), strtod(phone, NULL));
  cr_expect_eq(jnum(j, "country"), 12);
  cJSON_Delete(j);
  balance(s, "K1", "9.50");
  set_stock(s, "wa", "12", 0);
  char *b =
      req(s, STRICT, "getExtraActivation", "api_key=K1&activationId=%llu", p);
  unsigned long long x = 0;
  char xphone[32] = "";
  cr_assert_eq(sscanf(b, "ACCESS_NUMBER:%llu:%31s", &x, xphone), 2, "%s", b);
  cr_expect_str_eq(xphone, phone);
  sc_free(b);
  balance(s, "K1", "8.70");
  /* the number is in use again */
  expect(s, STRICT, "getExtraActivation", "NEW_ACTIVATION_IMPOSSIBLE",
         "api_key=K1&activationId=%llu", p);
  expect(s, STRICT, "checkExtraActivation", "RENEW_ACTIVATION_NOT_AVAILABLE",
         "api_key=K1&activationId=%llu", p);
  j = req_json(s, STRICT, "getActiveActivations", "api_key=K1");
  cr_expect_str_eq(
      jstr(cJSON_GetArrayItem(item(j, "activeActivations"), 0), "repeated"),
      "1");
  cJSON_Delete(j);
  expect(s, STRICT, "getStatus", WC, "api_key=K1&id=%llu", x);
  /* it expires like any activation; then the parent is free again */
  advance(s, 1201);
  balance(s, "K1", "9.50");
  set_balance(s, "K1", 0.5);
  expect(s, STRICT, "getExtraActivation", "NO_BALANCE",
         "api_key=K1&activationId=%llu", p);
  /* a cancelled activation cannot be reactivated */
  set_balance(s, "K1", 10);
  unsigned long long c = buy(s, "K1");
  advance(s, 121);
  set_ok(s, c, "8", "ACCESS_CANCEL");
  expect(s, STRICT, "getExtraActivation", "RENEW_ACTIVATION_NOT_AVAILABLE",
         "api_key=K1&activationId=%llu", c);
  cr_expect(money_consistent(s));
  stop(s);
}

/* ---- calls: getIncomingCallStatus, parseCall ------------------------------
 */

Test(act_calls, incoming_call_status) {
  struct sc_sim *s = start(NULL, NULL);
  unsigned long long id = buy_x(s, "K1", "tg", "0", "&activationType=1", NULL);
  unsigned long long plain = buy(s, "K1");
  expect(s, STRICT, "getIncomingCallStatus", "INVALID_ACTIVATION_ID",
         "api_key=K1&id=x");
  expect(s, STRICT, "getIncomingCallStatus", "INVALID_ACTIVATION_ID",
         "api_key=K1&id=%llu", plain);
  expect(s, STRICT, "getIncomingCallStatus", "INVALID_ACTIVATION_ID",
         "api_key=K2&id=%llu", id);
  expect(s, STRICT, "getIncomingCallStatus", "{\"status\":2}",
         "api_key=K1&id=%llu", id);
  sms(s, id, "4417", "call from 79000004417");
  /* with number: the caller's last digits are the code */
  expect(s, STRICT, "getIncomingCallStatus",
         "{\"status\":2,\"phone\":\"79000004417\"}", "api_key=K1&id=%llu", id);
  cJSON *j = req_json(s, STRICT, "getStatusV2", "api_key=K1&id=%llu", id);
  cr_expect_eq(jnum(j, "verificationType"), 1);
  cr_expect_str_eq(jstr(item(j, "call"), "from"), "79000004417");
  cJSON_Delete(j);
  set_ok(s, id, "6", "ACCESS_ACTIVATION");
  expect(s, STRICT, "getIncomingCallStatus",
         "{\"status\":3,\"phone\":\"79000004417\"}", "api_key=K1&id=%llu", id);
  unsigned long long c = buy_x(s, "K1", "tg", "0", "&verification=true", NULL);
  advance(s, 121);
  set_ok(s, c, "8", "ACCESS_CANCEL");
  expect(s, STRICT, "getIncomingCallStatus", "{\"status\":4}",
         "api_key=K1&id=%llu", c);
  stop(s);
}

/* 001 "Repeated voice parsing": {"result":"OK"} up to four times, then
 * PARSE_COUNT_EXCEED; NO_CALL, STATUS_CANCEL, WRONG_ACTIVATION_ID. */
Test(act_calls, parse_call) {
  struct sc_sim *s = start(NULL, NULL);
  unsigned long long v =
      buy_x(s, "K1", "tg", "0", "&activationType=2&language=en", NULL);
  unsigned long long plain = buy(s, "K1");
  expect(s, STRICT, "parseCall", "WRONG_ACTIVATION_ID",
         "api_key=K1&id=zz&newLang=ru");
  expect(s, STRICT, "parseCall", "WRONG_ACTIVATION_ID",
         "api_key=K2&id=%llu&newLang=ru", v);
  expect(s, STRICT, "parseCall", "BAD_ACTION", "api_key=K1&id=%llu", v);
  expect(s, STRICT, "parseCall", "NO_CALL", "api_key=K1&id=%llu&newLang=ru", v);
  sms(s, plain, "12", "code 12");
  expect(s, STRICT, "parseCall", "NO_CALL", "api_key=K1&id=%llu&newLang=ru",
         plain);
  sms(s, v, "5678", "your code is five six seven eight");
  cJSON *j = req_json(s, STRICT, "getStatusV2", "api_key=K1&id=%llu", v);
  cJSON *call = item(j, "call");
  cr_expect_eq(jnum(j, "verificationType"), 2);
  cr_expect_eq(jnum(call, "parsingCount"), 1);
  cr_expect_str_eq(jstr(call, "text"), "your code is five six seven eight");
  cr_expect(strncmp(jstr(call, "url"), "https://", 8) == 0);
  cr_expect_null(cJSON_GetObjectItem(j, "sms"));
  cJSON_Delete(j);
  for (int i = 0; i < 4; i++)
    expect(s, STRICT, "parseCall", "{\"result\":\"OK\"}",
           "api_key=K1&id=%llu&newLang=ru", v);
  expect(s, STRICT, "parseCall", "PARSE_COUNT_EXCEED",
         "api_key=K1&id=%llu&newLang=en", v);
  j = req_json(s, STRICT, "getStatusV2", "api_key=K1&id=%llu", v);
  cr_expect_eq(jnum(item(j, "call"), "parsingCount"), 5);
  cJSON_Delete(j);
  unsigned long long c =
      buy_x(s, "K1", "tg", "0", "&activationType=2&language=en", NULL);
  advance(s, 121);
  set_ok(s, c, "8", "ACCESS_CANCEL");
  expect(s, STRICT, "parseCall", CAN, "api_key=K1&id=%llu&newLang=ru", c);
  stop(s);
}

/* ---- isolation, determinism, the profile's action list ------------------- */

/* K2 cannot reach K1's activation through any activation call. */
Test(act_isolation, other_account_sees_nothing) {
  struct sc_sim *s = start(NULL, NULL);
  unsigned long long id = buy_x(
      s, "K1", "tg", "0", "&forward=1&activationType=2&language=en", NULL);
  sms(s, id, "1", "code 1");
  expect(s, STRICT, "getStatusV2", "NO_ACTIVATION", "api_key=K2&id=%llu", id);
  expect(s, LAX, "getFullSms", "NO_ACTIVATION", "api_key=K2&id=%llu", id);
  expect(s, STRICT, "getActiveActivations", "NO_ACTIVATIONS", "api_key=K2");
  expect(s, STRICT, "getHistory", "[]", "api_key=K2");
  expect(s, STRICT, "getAdditionalService", "WRONG_ACTIVATION_ID",
         "api_key=K2&id=%llu&service=wa", id);
  expect(s, STRICT, "getIncomingCallStatus", "INVALID_ACTIVATION_ID",
         "api_key=K2&id=%llu", id);
  expect(s, STRICT, "parseCall", "WRONG_ACTIVATION_ID",
         "api_key=K2&id=%llu&newLang=ru", id);
  expect(s, STRICT, "setStatus", "NO_ACTIVATION", "api_key=K2&id=%llu&status=6",
         id);
  set_ok(s, id, "6", "ACCESS_ACTIVATION");
  expect(s, STRICT, "getExtraActivation", "WRONG_ACTIVATION_ID",
         "api_key=K2&activationId=%llu", id);
  expect(s, STRICT, "checkExtraActivation", "WRONG_ACTIVATION_ID",
         "api_key=K2&activationId=%llu", id);
  balance(s, "K2", "100.00");
  stop(s);
}

/* The same seed gives the same ids, numbers and answers; another seed
 * other numbers. */
static void scenario(unsigned long seed, char *out, size_t n) {
  struct sc_sim *s = su_start_cfg((struct sc_sim_config){
      .seed = seed, .early_cancel_seconds = -1, .lifetime_seconds = 0});
  cur_profile = "sms-activate";
  out[0] = '\0';
  static const char *const qs[] = {
      "getNumber&service=tg&country=0",
      "getNumber&service=wa&country=187&phoneException=9050,9051,9052",
      "getMultiServiceNumber&service=vk,go&country=12",
      "getNumber&service=ig&country=12&forward=1",
  };
  for (size_t i = 0; i < sizeof qs / sizeof *qs; i++) {
    char q[256];
    snprintf(q, sizeof q, "api_key=K1&action=%s", qs[i]);
    char *b = su_api(s, q);
    snprintf(out + strlen(out), n - strlen(out), "%s\n", b);
    sc_free(b);
  }
  su_stop(s);
}

Test(act_determinism, same_seed_same_answers) {
  char a[2048], b[2048], c[2048];
  scenario(42, a, sizeof a);
  scenario(42, b, sizeof b);
  scenario(43, c, sizeof c);
  cr_expect_str_eq(a, b);
  cr_expect_str_neq(a, c);
  cr_expect(strstr(a, "ACCESS_NUMBER:") != NULL, "%s", a);
}

/* Actions a profile does not list are BAD_ACTION (the core decides); 003
 * "Error Codes": WRONG_ACTION - action name not supported. */
Test(act_profiles, unlisted_actions) {
  static const struct {
    int p;
    const char *action;
  } t[] = {{P_KOALA, "getStatusV2"},
           {P_KOALA, "getHistory"},
           {P_BULK, "getNumberV2"},
           {P_BULK, "getActiveActivations"},
           {P_SECURE, "getActiveActivations"},
           {P_SECURE, "getFullSms"},
           {P_KOALA, "getMultiServiceNumber"}};
  for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
    struct sc_sim *s = start(profiles[t[i].p], NULL);
    char q[128];
    snprintf(q, sizeof q, "api_key=K1&action=%s&id=1&service=tg&country=0",
             t[i].action);
    su_api_expect(s, q, t[i].p == P_BULK ? "WRONG_ACTION" : "BAD_ACTION");
    stop(s);
  }
}

/* ---- faults ----------------------------------------------------------------
 * Each fault changes the answer the way its description says, and the
 * parser (or the money) catches it; without the fault the answer is right
 * (the tests above). */

Test(act_faults, phone_plus) {
  struct sc_sim *s = start(NULL, "phone-plus");
  char *b = req(s, NONE, "getNumber", "api_key=K1&service=tg&country=0");
  cr_expect(strstr(b, ":+79") != NULL, "%s", b);
  cr_expect_eq(su_verdict_body("getNumber", NULL, 200, NULL, b),
               SC_VERDICT_FAIL);
  sc_free(b);
  b = req(s, NONE, "getNumberV2", "api_key=K1&service=tg&country=0");
  cr_expect(strstr(b, "\"phoneNumber\":\"+79") != NULL, "%s", b);
  cr_expect_eq(su_verdict_body("getNumberV2", NULL, 200, NULL, b),
               SC_VERDICT_FAIL);
  sc_free(b);
  b = req(s, NONE, "getMultiServiceNumber",
          "api_key=K1&service=tg,wa&country=0");
  cr_expect(strstr(b, "\"phone\":\"+79") != NULL, "%s", b);
  cr_expect_eq(su_verdict_body("getMultiServiceNumber", NULL, 200, NULL, b),
               SC_VERDICT_FAIL);
  sc_free(b);
  /* the stored number has no '+' */
  b = req(s, STRICT, "getActiveActivations", "api_key=K1");
  cr_expect(strstr(b, "+") == NULL, "%s", b);
  sc_free(b);
  stop(s);
}

Test(act_faults, v2_missing_key) {
  struct sc_sim *s = start(NULL, "v2-missing-key");
  char *b = req(s, NONE, "getNumberV2", "api_key=K1&service=tg&country=0");
  cr_expect(strstr(b, "activationTime") == NULL, "%s", b);
  cr_expect_eq(su_verdict_body("getNumberV2", NULL, 200, NULL, b),
               SC_VERDICT_FAIL);
  sc_free(b);
  su_stop(s);
  s = start("koalasms", "v2-missing-key");
  b = req(s, NONE, "getNumberV2", "api_key=K1&service=tg&country=0");
  cr_expect(strstr(b, "activationTime") == NULL, "%s", b);
  cr_expect_eq(su_verdict_body("getNumberV2", "koalasms", 200, NULL, b),
               SC_VERDICT_FAIL);
  sc_free(b);
  stop(s);
}

Test(act_faults, v2_time_skew) {
  struct sc_sim *s = start(NULL, "v2-time-skew");
  long long t0 = now_of(s);
  cJSON *j =
      req_json(s, STRICT, "getNumberV2", "api_key=K1&service=tg&country=0");
  long long t1 = now_of(s);
  cr_expect(time_between(jstr(j, "activationTime"), t0 + 3600, t1 + 3600), "%s",
            jstr(j, "activationTime"));
  cr_expect(!time_between(jstr(j, "activationTime"), t0, t1));
  cJSON_Delete(j);
  stop(s);
}

Test(act_faults, double_refund) {
  struct sc_sim *s = start(NULL, "double-refund");
  unsigned long long a = buy(s, "K1"), b = buy(s, "K1");
  set_ok(s, a, "1", "ACCESS_READY");
  advance(s, 121);
  set_ok(s, a, "8", "ACCESS_CANCEL");
  balance(s, "K1", "10.00"); /* 10 - 1.00 + 0.50 twice */
  set_ok(s, b, "8", "ACCESS_CANCEL");
  balance(s, "K1", "10.50"); /* without status 1: once */
  cr_expect(!money_consistent(s));
  stop(s);
  /* koalasms' -1 likewise */
  s = start("koalasms", "double-refund");
  a = buy(s, "K1");
  set_ok(s, a, "1", "ACCESS_READY");
  advance(s, 301);
  set_ok(s, a, "-1", "ACCESS_CANCEL");
  balance(s, "K1", "10.50");
  stop(s);
}

Test(act_faults, no_refund_and_early_cancel_allowed) {
  struct sc_sim *s = start(NULL, "no-refund");
  unsigned long long a = buy(s, "K1");
  advance(s, 121);
  set_ok(s, a, "8", "ACCESS_CANCEL");
  balance(s, "K1", "9.50");
  stop(s);
  s = start("koalasms", "early-cancel-allowed");
  a = buy(s, "K1");
  set_ok(s, a, "-1", "ACCESS_CANCEL");
  balance(s, "K1", "10.00");
  stop(s);
}

Test(act_faults, ignore_max_price) {
  struct sc_sim *s = start(NULL, "ignore-max-price");
  cJSON *j = req_json(s, STRICT, "getNumberV2",
                      "api_key=K1&service=tg&country=0&maxPrice=0.1");
  cr_expect_str_eq(jstr(j, "activationCost"), "0.50");
  cJSON_Delete(j);
  buy_x(s, "K1", "tg", "0", "&maxPrice=0.1", NULL);
  balance(s, "K1", "9.00");
  stop(s);
}

Test(act_faults, order_id_repeat) {
  struct sc_sim *s = start(NULL, "order-id-repeat");
  for (int i = 0; i < 2; i++) {
    cJSON *j = req_json(s, STRICT, "getNumberV2",
                        "api_key=K1&service=tg&country=0&orderId=same");
    cJSON_Delete(j);
  }
  balance(s, "K1", "9.00");
  stop(s);
}

Test(act_faults, cancel_not_reflected) {
  struct sc_sim *s = start(NULL, "cancel-not-reflected");
  unsigned long long a = buy(s, "K1");
  advance(s, 121);
  set_ok(s, a, "8", "ACCESS_CANCEL");
  balance(s, "K1", "10.00");
  expect(s, STRICT, "getStatus", WC, "api_key=K1&id=%llu", a);
  expect(s, STRICT, "getStatusV2", "{\"verificationType\":0}",
         "api_key=K1&id=%llu", a);
  cJSON *j = req_json(s, STRICT, "getActiveActivations", "api_key=K1");
  cr_expect_eq(cJSON_GetArraySize(item(j, "activeActivations")), 1);
  cJSON_Delete(j);
  stop(s);
}

Test(act_faults, status_v2_stale) {
  struct sc_sim *s = start(NULL, "status-v2-stale");
  unsigned long long a = buy(s, "K1");
  sms(s, a, "2468", "code 2468");
  expect(s, STRICT, "getStatus", "STATUS_OK:2468", "api_key=K1&id=%llu", a);
  expect(s, STRICT, "getStatusV2", "{\"verificationType\":0}",
         "api_key=K1&id=%llu", a);
  stop(s);
}

Test(act_faults, active_list_stale) {
  struct sc_sim *s = start(NULL, "active-list-stale");
  unsigned long long a = buy(s, "K1");
  advance(s, 121);
  set_ok(s, a, "8", "ACCESS_CANCEL");
  expect(s, STRICT, "getStatus", CAN, "api_key=K1&id=%llu", a);
  cJSON *j = req_json(s, STRICT, "getActiveActivations", "api_key=K1");
  cJSON *list = item(j, "activeActivations");
  cr_assert_eq(cJSON_GetArraySize(list), 1);
  cr_expect_str_eq(jstr(cJSON_GetArrayItem(list, 0), "activationStatus"), "8");
  cJSON_Delete(j);
  stop(s);
  /* koalasms too */
  s = start("koalasms", "active-list-stale");
  a = buy(s, "K1");
  advance(s, 301);
  set_ok(s, a, "8", "ACCESS_CANCEL");
  char *b = req(s, STRICT, "getActiveActivations", "api_key=K1");
  cr_expect_neq(strcmp(b, "[]"), 0, "%s", b);
  sc_free(b);
  stop(s);
}

Test(act_faults, early_status_ok_and_retry_no_lastcode) {
  struct sc_sim *s = start(NULL, "early-status-ok,retry-no-lastcode");
  unsigned long long a = buy(s, "K1");
  expect(s, STRICT, "getStatus", "STATUS_OK:000000", "api_key=K1&id=%llu", a);
  sms(s, a, "1357", "code 1357");
  set_ok(s, a, "3", "ACCESS_RETRY_GET");
  char *b = req(s, NONE, "getStatus", "api_key=K1&id=%llu", a);
  cr_expect_str_eq(b, "STATUS_WAIT_RETRY:");
  cr_expect_neq(su_verdict_body("getStatus", NULL, 200, NULL, b),
                SC_VERDICT_PASS);
  sc_free(b);
  stop(s);
}

/* ---- the real-world faults of issue 14 ----------------------------------- */

Test(act_faults, unknown_id_no_numbers) {
  for (int p = P_REF; p <= P_SECURE; p++) {
    struct sc_sim *s = start(profiles[p], "unknown-id-no-numbers");
    unsigned long long a = buy(s, "K1");
    expect(s, NONE, "getStatus", "NO_NUMBERS",
           "api_key=K1&id=999999999999999999");
    expect(s, NONE, "setStatus", "NO_NUMBERS",
           "api_key=K1&id=999999999999999999&status=8");
    /* another account's activation is unknown to this key */
    expect(s, NONE, "getStatus", "NO_NUMBERS", "api_key=K2&id=%llu", a);
    /* a known id is not touched */
    expect(s, STRICT, "getStatus", WC, "api_key=K1&id=%llu", a);
    if (p == P_REF)
      expect(s, NONE, "getStatusV2", "NO_NUMBERS", "api_key=K1&id=12345");
    stop(s);
  }
}

Test(act_faults, near_miss_no_activations) {
  struct sc_sim *s = start(NULL, "near-miss-no-activations");
  unsigned long long a = buy(s, "K1");
  expect(s, NONE, "getStatus", "NO_ACTIVATIONS",
         "api_key=K1&id=999999999999999999");
  expect(s, NONE, "setStatus", "NO_ACTIVATIONS",
         "api_key=K1&id=999999999999999999&status=6");
  expect(s, NONE, "getFullSms", "NO_ACTIVATIONS", "api_key=K1&id=42");
  /* a non-numeric id keeps 001's own token on setStatus */
  expect(s, STRICT, "setStatus", "WRONG_ACTIVATION_ID",
         "api_key=K1&id=abc&status=6");
  expect(s, STRICT, "getStatus", WC, "api_key=K1&id=%llu", a);
  stop(s);
}

Test(act_faults, set_status_empty) {
  struct sc_sim *s = start(NULL, "set-status-empty");
  unsigned long long a = buy(s, "K1");
  /* values no document lists: an empty 200 body, nothing changes */
  expect(s, NONE, "setStatus", "", "api_key=K1&id=%llu&status=99", a);
  expect(s, NONE, "setStatus", "", "api_key=K1&id=%llu&status=2", a);
  expect(s, NONE, "setStatus", "", "api_key=K1&id=%llu", a);
  expect(s, STRICT, "getStatus", WC, "api_key=K1&id=%llu", a);
  /* a listed value in the wrong state is still BAD_STATUS */
  expect(s, STRICT, "setStatus", "BAD_STATUS", "api_key=K1&id=%llu&status=6",
         a);
  advance(s, 121);
  set_ok(s, a, "8", "ACCESS_CANCEL");
  balance(s, "K1", "10.00");
  stop(s);
  /* koalasms lists -1: it still cancels */
  s = start("koalasms", "set-status-empty");
  a = buy(s, "K1");
  advance(s, 301);
  set_ok(s, a, "-1", "ACCESS_CANCEL");
  expect(s, NONE, "setStatus", "", "api_key=K1&id=%llu&status=-2", a);
  stop(s);
}

Test(act_faults, near_miss_balance_forward) {
  struct sc_sim *s = start(NULL, "near-miss-balance-forward");
  set_balance(s, "K1", 0.2);
  expect(s, NONE, "getNumber", "NO_BALANCE_FORWARD",
         "api_key=K1&service=tg&country=0");
  expect(s, NONE, "getNumberV2", "NO_BALANCE_FORWARD",
         "api_key=K1&service=tg&country=0");
  balance(s, "K1", "0.20");
  /* with money it sells as usual */
  set_balance(s, "K1", 1);
  buy(s, "K1");
  balance(s, "K1", "0.50");
  stop(s);
}

/* The service of activation |id| in /control/state. */
static void expect_service(struct sc_sim *s, unsigned long long id,
                           const char *want) {
  cJSON *j = su_state(s);
  char ids[32];
  snprintf(ids, sizeof ids, "%llu", id);
  int found = 0;
  const cJSON *a;
  cJSON_ArrayForEach(a, item(j, "activations")) {
    if (strcmp(jstr(a, "id"), ids) == 0) {
      found = 1;
      cr_expect_str_eq(jstr(a, "service"), want);
    }
  }
  cr_expect(found, "activation %s not in the state", ids);
  cJSON_Delete(j);
}

Test(act_faults, sell_unknown_service) {
  struct sc_sim *s = start(NULL, "sell-unknown-service");
  unsigned long long a = buy_x(s, "K1", "zz-smsconform", "0", NULL, NULL);
  expect_service(s, a, "tg");
  cJSON *j = req_json(s, STRICT, "getNumberV2", "api_key=K1&country=0");
  cr_expect_str_eq(jstr(j, "activationCost"), "0.50");
  cJSON_Delete(j);
  balance(s, "K1", "9.00");
  cr_expect(money_consistent(s));
  /* maxPrice and the balance still hold */
  expect(s, STRICT, "getNumber", "WRONG_MAX_PRICE:0.50",
         "api_key=K1&service=zz&country=0&maxPrice=0.1");
  stop(s);
  /* securesms sells where it would answer WRONG_SERVICE */
  s = start("securesms", "sell-unknown-service");
  buy_x(s, "K1", "nope", "0", NULL, NULL);
  balance(s, "K1", "9.50");
  stop(s);
}

Test(act_faults, ignore_max_price_sells_below_the_price) {
  struct sc_sim *s = start(NULL, "ignore-max-price");
  set_price(s, "tg", "0", 2.5);
  unsigned long long a = buy_x(s, "K1", "tg", "0", "&maxPrice=0.01", NULL);
  expect_service(s, a, "tg");
  balance(s, "K1", "7.50");
  stop(s);
}

Test(act_faults, sell_always) {
  struct sc_sim *s = start(NULL, "sell-always");
  set_balance(s, "K1", 0.2);
  set_stock(s, "tg", "0", 0);
  /* stock 0, balance short, maxPrice below the price, unknown service and
   * country, a broken phoneException: every one sells, and charges */
  buy_x(s, "K1", "tg", "0", "&maxPrice=0.01", NULL);
  balance(s, "K1", "-0.30");
  unsigned long long a =
      buy_x(s, "K1", "zz", "99999", "&phoneException=x", NULL);
  expect_service(s, a, "tg");
  cJSON *j = req_json(s, STRICT, "getNumberV2",
                      "api_key=K1&service=wa&country=0&orderId=o1");
  cJSON_Delete(j);
  j = req_json(s, STRICT, "getNumberV2",
               "api_key=K1&service=wa&country=0&orderId=o1");
  cJSON_Delete(j);
  balance(s, "K1", "-1.80");
  cr_expect(money_consistent(s));
  /* the stock stays at 0 (never negative) */
  expect(s, STRICT, "getNumbersStatus",
         "{\"tg_0\":0,\"wa_0\":8,\"vk_0\":10,\"go_0\":10,\"ig_0\":10}",
         "api_key=K1&country=0");
  /* a request that names no service is still refused */
  expect(s, STRICT, "getNumber", "BAD_SERVICE", "api_key=K1&country=0");
  /* a cancel refunds what was charged */
  advance(s, 121);
  set_ok(s, a, "8", "ACCESS_CANCEL");
  balance(s, "K1", "-1.30");
  stop(s);
}

/* 000 lists no EARLY_CANCEL_DENIED: a cancel before activationCancel (300 s
 * after the purchase) is BAD_STATUS - incorrect status, and changes
 * nothing. */
Test(act_koala, early_cancel_is_bad_status_not_early_cancel_denied) {
  struct sc_sim *s = start("koalasms", NULL);
  cJSON *j = req_json(s, STRICT, "getNumberV2", "api_key=K1&service=tg");
  unsigned long long a = (unsigned long long)jnum(j, "activationId");
  cJSON_Delete(j);
  expect(s, STRICT, "setStatus", "BAD_STATUS", "api_key=K1&id=%llu&status=8",
         a);
  expect(s, STRICT, "setStatus", "BAD_STATUS", "api_key=K1&id=%llu&status=-1",
         a);
  expect(s, STRICT, "getStatus", WC, "api_key=K1&id=%llu", a);
  balance(s, "K1", "9.50");
  advance(s, 299);
  expect(s, STRICT, "setStatus", "BAD_STATUS", "api_key=K1&id=%llu&status=8",
         a);
  advance(s, 2);
  set_ok(s, a, "8", "ACCESS_CANCEL");
  expect(s, STRICT, "getStatus", CAN, "api_key=K1&id=%llu", a);
  balance(s, "K1", "10.00");
  stop(s);
}

/* 003 "Error Codes": WRONG_ACTION - action name not supported; BAD_ACTION -
 * action parameter missing or malformed. */
Test(act_profiles, smsbulk_unknown_action_is_wrong_action) {
  struct sc_sim *s = start("smsbulk", NULL);
  su_api_expect(s, "api_key=K1&action=frob", "WRONG_ACTION");
  su_api_expect(s, "api_key=K1&action=getNumberV2", "WRONG_ACTION");
  cr_expect_eq(
      su_verdict_body("getBalance", "smsbulk", 200, NULL, "WRONG_ACTION"),
      SC_VERDICT_PASS);
  su_api_expect(s, "api_key=K1", "BAD_ACTION");
  su_api_expect(s, "api_key=K1&action=", "BAD_ACTION");
  su_api_expect(s, "api_key=K1&action=get-Balance", "BAD_ACTION");
  su_api_expect(s, "api_key=K1&action=getBalance", "ACCESS_BALANCE:10.00");
  stop(s);
  /* the fault swaps them */
  s = start("smsbulk", "bad-action-token");
  su_api_expect(s, "api_key=K1&action=frob", "BAD_ACTION");
  stop(s);
}
