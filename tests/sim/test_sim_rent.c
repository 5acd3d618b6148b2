/* test_sim_rent.c — tests for sc_sim_rent.c and sc_sim_hook.c over real
 * HTTP (libcurl), with a small webhook listener (libmicrohttpd) on
 * 127.0.0.1 port 0.
 *
 * Sources: 001 = seeds/001_ac8db1c65ff3c54b.txt ("Rent Api" and the webhook
 * section), 004 = seeds/004_67353fd389171043.txt ("Webhook POST").
 * Every answer is judged by the suite's own parser (su_expect_pass). Time
 * moves only through /control/clock; the tests never sleep for it.
 * Assertions run on the main test thread only: the listener's thread just
 * records what it received. */
#include "sc_alloc.h"
#include "sim_util.h"

#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- helpers ------------------------------------------------------------- */

/* |d| rounded to the nearest whole number (money is compared in cents). */
static long long rnd(double d) {
  return (long long)(d + (d < 0 ? -0.5 : 0.5));
}

/* The parsed JSON body of |r| (asserts it is JSON). */
static cJSON *body_json(const struct su_resp *r) {
  cJSON *j = cJSON_Parse(r->body);
  cr_assert_not_null(j, "not JSON: %s", r->body);
  return j;
}

static const char *jstr(const cJSON *o, const char *key) {
  const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);
  return cJSON_IsString(it) ? it->valuestring : NULL;
}

static double jnum(const cJSON *o, const char *key) {
  const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);
  cr_assert(cJSON_IsNumber(it), "\"%s\" is not a number", key);
  return it->valuedouble;
}

/* Expects the rent API's JSON error form with message |tok|, judged as
 * |kind| ("error", or "status" for the STATUS_* messages). */
static void expect_msg(const char *action, const char *profile,
                       struct su_resp *r, const char *tok, const char *kind) {
  cr_expect_eq(r->code, 200, "%s: HTTP %ld", action, r->code);
  su_expect_pass(action, profile, r, kind);
  cJSON *j = body_json(r);
  cr_expect_str_eq(jstr(j, "status"), "error", "%s: %s", action, r->body);
  cr_expect_str_eq(jstr(j, "message"), tok, "%s: %s", action, r->body);
  cJSON_Delete(j);
}

/* |action| with |fmt...| as the rest of the query, expecting message
 * |tok| (kind "status" for STATUS_*, else "error"). */
static void expect_tok(struct sc_sim *s, const char *action, const char *tok,
                       const char *key, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void expect_tok(struct sc_sim *s, const char *action, const char *tok,
                       const char *key, const char *fmt, ...) {
  char extra[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(extra, sizeof extra, fmt, ap);
  va_end(ap);
  struct su_resp r = su_getf(s, "api_key=%s&action=%s%s", key, action, extra);
  expect_msg(action, NULL, &r, tok,
             strncmp(tok, "STATUS_", 7) == 0 ? "status" : "error");
  su_resp_free(&r);
}

/* |action| answering {"status":"success",...}; the parsed body. */
static cJSON *expect_success(struct sc_sim *s, const char *action,
                             const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static cJSON *expect_success(struct sc_sim *s, const char *action,
                             const char *key, const char *fmt, ...) {
  char extra[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(extra, sizeof extra, fmt, ap);
  va_end(ap);
  struct su_resp r = su_getf(s, "api_key=%s&action=%s%s", key, action, extra);
  cr_expect_eq(r.code, 200);
  cr_expect(strncmp(r.ctype, "application/json", 16) == 0, "%s", r.ctype);
  su_expect_pass(action, NULL, &r, "success");
  cJSON *j = body_json(&r);
  cr_expect_str_eq(jstr(j, "status"), "success", "%s: %s", action, r.body);
  su_resp_free(&r);
  return j;
}

/* Rents with |key| (getRentNumber |extra|); the rent id; |end| (may be
 * NULL) gets phone.endDate. */
static unsigned long long rent(struct sc_sim *s, const char *key,
                               const char *extra, char *end, size_t n) {
  cJSON *j = expect_success(s, "getRentNumber", key, "%s", extra);
  const cJSON *ph = cJSON_GetObjectItemCaseSensitive(j, "phone");
  unsigned long long id = (unsigned long long)jnum(ph, "id");
  cr_expect_eq(strlen(jstr(ph, "number")), 11u);
  if (end)
    snprintf(end, n, "%s", jstr(ph, "endDate"));
  cJSON_Delete(j);
  return id;
}

static unsigned long long rent_tg(struct sc_sim *s, const char *key) {
  return rent(s, key, "&service=tg&country=0", NULL, 0);
}

static void balance_is(struct sc_sim *s, const char *key, const char *want) {
  char q[64], w[64];
  snprintf(q, sizeof q, "api_key=%s&action=getBalance", key);
  snprintf(w, sizeof w, "ACCESS_BALANCE:%s", want);
  su_api_expect(s, q, w);
}

static void rent_sms(struct sc_sim *s, unsigned long long id, const char *from,
                     const char *text, long want) {
  char body[512];
  snprintf(body, sizeof body,
           "{\"rentId\":\"%llu\",\"phoneFrom\":\"%s\",\"text\":\"%s\"}", id,
           from, text);
  su_ctl_expect(s, "rent-sms", body, want);
}

static void advance(struct sc_sim *s, long seconds) {
  char body[64];
  snprintf(body, sizeof body, "{\"advance\":%ld}", seconds);
  su_ctl_expect(s, "clock", body, 200);
}

/* The "rents" entry of |id| in |state|. */
static const cJSON *state_rent(const cJSON *state, unsigned long long id) {
  char want[24];
  snprintf(want, sizeof want, "%llu", id);
  const cJSON *r;
  cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(state, "rents")) {
    const char *got = jstr(r, "id");
    if (got && strcmp(got, want) == 0)
      return r;
  }
  cr_assert_fail("rent %llu not in /control/state", id);
  return NULL;
}

static void fmt_utc(char *buf, size_t n, long long t, char sep) {
  time_t tt = (time_t)t;
  struct tm tm;
  cr_assert_not_null(gmtime_r(&tt, &tm));
  snprintf(buf, n, "%04d-%02d-%02d%c%02d:%02d:%02d", tm.tm_year + 1900,
           tm.tm_mon + 1, tm.tm_mday, sep, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* Money invariant of the core, extended to rents:
 * balance + unrefunded activation and rent costs == base, per account. */
static void expect_money_invariant(struct sc_sim *s) {
  cJSON *st = su_state(s);
  const cJSON *acc;
  cJSON_ArrayForEach(acc, cJSON_GetObjectItemCaseSensitive(st, "accounts")) {
    const char *key = jstr(acc, "apiKey");
    long long sum = rnd(jnum(acc, "balance") * 100);
    const char *lists[] = {"activations", "rents"};
    for (size_t l = 0; l < 2; l++) {
      const cJSON *it;
      cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(st, lists[l])) {
        if (strcmp(jstr(it, "apiKey"), key) != 0 ||
            cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(it, "refunded")))
          continue;
        sum += rnd(jnum(it, "cost") * 100);
      }
    }
    cr_expect_eq(sum, rnd(jnum(acc, "base") * 100),
                 "%s: balance + unrefunded %lld != base", key, sum);
  }
  cJSON_Delete(st);
}

/* ---- getRentServicesAndCountries ----------------------------------------- */

Test(rent, services_and_countries) {
  struct sc_sim *s = su_start(NULL, NULL);
  struct su_resp r =
      su_getf(s, "api_key=K1&action=getRentServicesAndCountries");
  su_expect_pass("getRentServicesAndCountries", NULL, &r, "success");
  cJSON *j = body_json(&r);
  su_resp_free(&r);
  /* 001: countries by index, operators by index, services by code with
   * "full" for the whole number, currency 840 */
  const cJSON *cs = cJSON_GetObjectItemCaseSensitive(j, "countries");
  cr_expect_eq(jnum(cs, "0"), 0);
  cr_expect_eq(jnum(cs, "1"), 12);
  cr_expect_eq(jnum(cs, "2"), 187);
  cr_expect_str_eq(jstr(cJSON_GetObjectItemCaseSensitive(j, "operators"), "0"),
                   "any");
  const cJSON *sv = cJSON_GetObjectItemCaseSensitive(j, "services");
  const cJSON *tg = cJSON_GetObjectItemCaseSensitive(sv, "tg");
  const cJSON *full = cJSON_GetObjectItemCaseSensitive(sv, "full");
  cr_expect_eq(rnd(jnum(tg, "cost") * 100), 40); /* 4 h by default */
  cr_expect_eq(jnum(tg, "quant"), 10);
  cr_expect_eq(rnd(jnum(full, "cost") * 100), 100);
  cr_expect_eq(jnum(full, "quant"), 10);
  cr_expect_eq(jnum(j, "currency"), 840);
  cJSON_Delete(j);

  /* 10 hours is rounded up to the 12-hour period (001: 4, then 12, 24) */
  const char *times[] = {"12", "10"};
  for (size_t i = 0; i < 2; i++) {
    r = su_getf(s, "api_key=K1&action=getRentServicesAndCountries&time=%s",
                times[i]);
    su_expect_pass("getRentServicesAndCountries", NULL, &r, "success");
    j = body_json(&r);
    sv = cJSON_GetObjectItemCaseSensitive(j, "services");
    cr_expect_eq(
        rnd(jnum(cJSON_GetObjectItemCaseSensitive(sv, "tg"), "cost") * 100),
        120, "time=%s: %s", times[i], r.body);
    su_resp_free(&r);
    cJSON_Delete(j);
  }

  /* no tg stock: tg and full are not offered, the others are */
  su_ctl_expect(s, "stock",
                "{\"service\":\"tg\",\"country\":\"0\",\"count\":0}", 200);
  r = su_getf(s, "api_key=K1&action=getRentServicesAndCountries&country=0");
  su_expect_pass("getRentServicesAndCountries", NULL, &r, "success");
  j = body_json(&r);
  sv = cJSON_GetObjectItemCaseSensitive(j, "services");
  cr_expect_null(cJSON_GetObjectItemCaseSensitive(sv, "tg"), "%s", r.body);
  cr_expect_null(cJSON_GetObjectItemCaseSensitive(sv, "full"), "%s", r.body);
  cr_expect_not_null(cJSON_GetObjectItemCaseSensitive(sv, "wa"), "%s", r.body);
  su_resp_free(&r);
  cJSON_Delete(j);

  /* 001: OUT_OF_STOCK - numbers for that country are unavailable (plain
   * text beside BAD_KEY) */
  const char *svc[] = {"tg", "wa", "vk", "go", "ig"};
  for (size_t i = 0; i < 5; i++) {
    char b[128];
    snprintf(b, sizeof b, "{\"service\":\"%s\",\"country\":\"12\",\"count\":0}",
             svc[i]);
    su_ctl_expect(s, "stock", b, 200);
  }
  r = su_getf(s, "api_key=K1&action=getRentServicesAndCountries&country=12");
  su_expect_pass("getRentServicesAndCountries", NULL, &r, "error");
  cr_expect_str_eq(r.body, "OUT_OF_STOCK");
  su_resp_free(&r);
  r = su_getf(s, "api_key=K1&action=getRentServicesAndCountries&country=5");
  su_expect_pass("getRentServicesAndCountries", NULL, &r, "error");
  cr_expect_str_eq(r.body, "OUT_OF_STOCK");
  su_resp_free(&r);
  /* USA is no longer among the countries */
  r = su_getf(s, "api_key=K1&action=getRentServicesAndCountries");
  j = body_json(&r);
  cs = cJSON_GetObjectItemCaseSensitive(j, "countries");
  cr_expect_eq(cJSON_GetArraySize(cs), 2, "%s", r.body);
  cr_expect_eq(jnum(cs, "1"), 187);
  su_resp_free(&r);
  cJSON_Delete(j);
  su_stop(s);
}

/* ---- getRentNumber ------------------------------------------------------- */

Test(rent, order_charges_exactly) {
  struct sc_sim *s = su_start(NULL, NULL);
  char end[64], want[64];
  unsigned long long id =
      rent(s, "K1", "&service=tg&country=0", end, sizeof end);
  balance_is(s, "K1", "9.60"); /* 4 h at 0.10 */
  cJSON *st = su_state(s);
  const cJSON *sr = state_rent(st, id);
  long long at = (long long)jnum(sr, "orderedAt");
  cr_expect_eq((long long)jnum(sr, "endAt") - at, 4L * 3600);
  /* 001: "endDate": "2020-01-31T12:01:52" */
  fmt_utc(want, sizeof want, (long long)jnum(sr, "endAt"), 'T');
  cr_expect_str_eq(end, want);
  cr_expect_str_eq(jstr(sr, "state"), "ACTIVE");
  cr_expect_str_eq(jstr(sr, "apiKey"), "K1");
  cJSON_Delete(st);

  /* the whole number, 0.25 an hour */
  rent(s, "K1", "&service=full", NULL, 0);
  balance_is(s, "K1", "8.60");
  /* 24 hours; rent_time is read too (the libraries' name) */
  unsigned long long day = rent(s, "K1", "&service=vk&time=24", NULL, 0);
  balance_is(s, "K1", "6.20");
  unsigned long long week =
      rent(s, "K2", "&service=wa&country=187&rent_time=30", NULL, 0);
  balance_is(s, "K2", "95.20"); /* 30 h -> 48 h */
  st = su_state(s);
  sr = state_rent(st, day);
  cr_expect_eq((long long)(jnum(sr, "endAt") - jnum(sr, "orderedAt")),
               24L * 3600);
  sr = state_rent(st, week);
  cr_expect_eq((long long)(jnum(sr, "endAt") - jnum(sr, "orderedAt")),
               48L * 3600);
  cr_expect_str_eq(jstr(sr, "country"), "187");
  cJSON_Delete(st);
  /* a rent takes a number from the stock */
  struct su_resp r =
      su_getf(s, "api_key=K1&action=getRentServicesAndCountries");
  cJSON *j = body_json(&r);
  const cJSON *sv = cJSON_GetObjectItemCaseSensitive(j, "services");
  cr_expect_eq(jnum(cJSON_GetObjectItemCaseSensitive(sv, "tg"), "quant"), 8);
  cr_expect_eq(jnum(cJSON_GetObjectItemCaseSensitive(sv, "full"), "quant"), 8);
  su_resp_free(&r);
  cJSON_Delete(j);
  expect_money_invariant(s);
  su_stop(s);
}

Test(rent, order_refusals) {
  struct sc_sim *s = su_start(NULL, NULL);
  /* 001: BAD_SERVICE - service not specified or name is incorrect */
  expect_tok(s, "getRentNumber", "BAD_SERVICE", "K1", "%s", "");
  expect_tok(s, "getRentNumber", "BAD_SERVICE", "K1", "&service=zz");
  /* 001: NO_NUMBERS - no numbers */
  expect_tok(s, "getRentNumber", "NO_NUMBERS", "K1", "&service=tg&country=5");
  su_ctl_expect(s, "stock",
                "{\"service\":\"ig\",\"country\":\"0\",\"count\":0}", 200);
  expect_tok(s, "getRentNumber", "NO_NUMBERS", "K1", "&service=ig");
  expect_tok(s, "getRentNumber", "NO_NUMBERS", "K1", "&service=full");
  /* 001: NO_BALANCE - no money in the account; exactly enough is enough */
  su_ctl_expect(s, "balance", "{\"apiKey\":\"K1\",\"balance\":0.39}", 200);
  expect_tok(s, "getRentNumber", "NO_BALANCE", "K1", "&service=tg");
  balance_is(s, "K1", "0.39");
  su_ctl_expect(s, "balance", "{\"apiKey\":\"K1\",\"balance\":0.4}", 200);
  rent_tg(s, "K1");
  balance_is(s, "K1", "0.00");
  /* BAD_KEY stays plain text */
  struct su_resp r = su_getf(s, "api_key=nope&action=getRentNumber&service=tg");
  su_expect_pass("getRentNumber", NULL, &r, "error");
  cr_expect_str_eq(r.body, "BAD_KEY");
  su_resp_free(&r);
  expect_money_invariant(s);
  su_stop(s);
}

/* ---- every documented error token for a bad request ---------------------- */

/* One bad request: |extra| may name {R1} (K1's rent), {R2} (K2's rent) or
 * {A1} (K1's activation). No pointers: Criterion re-execs its workers. */
struct err_case {
  char action[32];
  char key[4];
  char extra[64];
  char token[24];
};

static struct err_case err_cases[] = {
    /* 001 "get status for rent" */
    {"getRentStatus", "K1", "", "NO_ID_RENT"},
    {"getRentStatus", "K1", "&id=", "NO_ID_RENT"},
    {"getRentStatus", "K1", "&id=abc", "INVALID_PHONE"},
    {"getRentStatus", "K1", "&id=999", "INVALID_PHONE"},
    {"getRentStatus", "K1", "&id={R2}", "INVALID_PHONE"}, /* not yours */
    {"getRentStatus", "K1", "&id={A1}", "INVALID_PHONE"}, /* an activation */
    {"getRentStatus", "K1", "&id={R1}", "STATUS_WAIT_CODE"},
    /* 001 "Rental Status Change" */
    {"setRentStatus", "K1", "&status=1", "NO_ID_RENT"},
    {"setRentStatus", "K1", "&id={R1}", "INCORECT_STATUS"},
    {"setRentStatus", "K1", "&id={R1}&status=3", "INCORECT_STATUS"},
    {"setRentStatus", "K1", "&id={R1}&status=8", "INCORECT_STATUS"},
    {"setRentStatus", "K1", "&id={R1}&status=x", "INCORECT_STATUS"},
    {"setRentStatus", "K1", "&id={R1}&status=", "INCORECT_STATUS"},
    {"setRentStatus", "K1", "&id={R2}&status=1", "INVALID_PHONE"},
    {"setRentStatus", "K1", "&id=abc&status=2", "INVALID_PHONE"},
    /* 001 "Extend your lease" */
    {"continueRentNumber", "K1", "&rent_time=4", "NO_ID_RENT"},
    {"continueRentNumber", "K1", "&id={R1}&rent_time=3", "INVALID_TIME"},
    {"continueRentNumber", "K1", "&id={R1}&rent_time=0", "INVALID_TIME"},
    {"continueRentNumber", "K1", "&id={R1}&rent_time=1345", "INVALID_TIME"},
    {"continueRentNumber", "K1", "&id={R1}&rent_time=-4", "INVALID_TIME"},
    {"continueRentNumber", "K1", "&id={R1}&rent_time=4.5", "INVALID_TIME"},
    {"continueRentNumber", "K1", "&id={R1}&rent_time=1341", "MAX_HOURS_EXCEED"},
    {"continueRentNumber", "K1", "&id={R2}", "INVALID_PHONE"},
    {"continueRentNumber", "K1", "&id={A1}&rent_time=4", "INVALID_PHONE"},
    /* 001 "Get the cost of rent renewal" */
    {"getContinueRentPriceNumber", "K1", "&rent_time=4", "NO_ID_RENT"},
    {"getContinueRentPriceNumber", "K1", "&id={R1}", "INVALID_TIME"},
    {"getContinueRentPriceNumber", "K1", "&id={R1}&rent_time=2",
     "INVALID_TIME"},
    {"getContinueRentPriceNumber", "K1", "&id={R1}&rent_time=9999",
     "INVALID_TIME"},
    {"getContinueRentPriceNumber", "K1", "&id={R1}&rent_time=1341",
     "MAX_HOURS_EXCEED"},
    {"getContinueRentPriceNumber", "K1", "&id={R2}&rent_time=4",
     "INVALID_PHONE"},
    /* 001 "List current activations": K2 has one rent, K1 finished its */
    {"getRentList", "K1", "&finish={R1}", "NO_NUMBERS"},
    /* 001 "Order a virtual number rental" */
    {"getRentNumber", "K1", "&service=", "BAD_SERVICE"},
    {"getRentNumber", "K1", "&service=TG", "BAD_SERVICE"},
    {"getRentNumber", "K1", "&service=tg&country=ru", "NO_NUMBERS"},
};

ParameterizedTestParameters(rent_errors, token) {
  return cr_make_param_array(struct err_case, err_cases,
                             sizeof err_cases / sizeof *err_cases);
}

/* Replaces {R1}, {R2} and {A1} in |in|. */
static void expand(char *out, size_t n, const char *in, unsigned long long r1,
                   unsigned long long r2, unsigned long long a1) {
  size_t o = 0;
  while (*in && o + 1 < n) {
    unsigned long long v = 0;
    if (!strncmp(in, "{R1}", 4))
      v = r1;
    else if (!strncmp(in, "{R2}", 4))
      v = r2;
    else if (!strncmp(in, "{A1}", 4))
      v = a1;
    if (v) {
      o += (size_t)snprintf(out + o, n - o, "%llu", v);
      in += 4;
    } else {
      out[o++] = *in++;
    }
  }
  out[o < n ? o : n - 1] = '\0';
}

ParameterizedTest(struct err_case *ec, rent_errors, token) {
  struct sc_sim *s = su_start(NULL, NULL);
  unsigned long long r1 = rent_tg(s, "K1");
  unsigned long long r2 = rent_tg(s, "K2");
  unsigned long long a1 = su_buy(s, "K1", "tg", "0");
  char extra[128];
  expand(extra, sizeof extra, ec->extra, r1, r2, a1);
  if (!strncmp(extra, "&finish=", 8)) { /* set-up for getRentList */
    cJSON_Delete(
        expect_success(s, "setRentStatus", "K1", "&id=%llu&status=1", r1));
    extra[0] = '\0';
  }
  balance_is(s, ec->key, "9.10");
  expect_tok(s, ec->action, ec->token, ec->key, "%s", extra);
  /* no refusal moves money */
  balance_is(s, ec->key, "9.10");
  su_stop(s);
}

/* BAD_KEY is plain text for every rent action (001 lists it apart from the
 * JSON error form). */
Test(rent_errors, bad_key_everywhere) {
  struct sc_sim *s = su_start(NULL, NULL);
  const char *actions[] = {"getRentServicesAndCountries",
                           "getRentNumber",
                           "getRentStatus",
                           "setRentStatus",
                           "getRentList",
                           "continueRentNumber",
                           "getContinueRentPriceNumber"};
  for (size_t i = 0; i < sizeof actions / sizeof *actions; i++) {
    struct su_resp r =
        su_getf(s, "api_key=K9&action=%s&id=1&service=tg", actions[i]);
    su_expect_pass(actions[i], NULL, &r, "error");
    cr_expect_str_eq(r.body, "BAD_KEY", "%s", actions[i]);
    su_resp_free(&r);
  }
  su_stop(s);
}

/* ---- getRentStatus, rent-sms, getRentList -------------------------------- */

Test(rent, sms_arrive_newest_first_with_pages) {
  struct sc_sim *s = su_start(NULL, NULL);
  unsigned long long id = rent_tg(s, "K1");
  expect_tok(s, "getRentStatus", "STATUS_WAIT_CODE", "K1", "&id=%llu", id);
  rent_sms(s, id, "79180230628", "code 5", 200);
  cJSON *j = expect_success(s, "getRentStatus", "K1", "&id=%llu", id);
  cr_expect_str_eq(jstr(j, "quantity"), "1");
  const cJSON *v0 = cJSON_GetObjectItemCaseSensitive(
      cJSON_GetObjectItemCaseSensitive(j, "values"), "0");
  cr_expect_str_eq(jstr(v0, "phoneFrom"), "79180230628");
  cr_expect_str_eq(jstr(v0, "text"), "code 5");
  cr_expect_str_eq(jstr(v0, "service"), "tg");
  cJSON *st = su_state(s);
  char want[64];
  fmt_utc(want, sizeof want, (long long)jnum(st, "now"), ' ');
  /* "date": "2020-01-30 14:31:58"; at most a second apart from now */
  cr_expect_eq(strlen(jstr(v0, "date")), 19u);
  cr_expect_eq(strncmp(jstr(v0, "date"), want, 17), 0, "%s vs %s",
               jstr(v0, "date"), want);
  cr_expect_str_eq(jstr(state_rent(st, id), "state"), "ACTIVE_SMS");
  cJSON_Delete(st);
  cJSON_Delete(j);

  advance(s, 60);
  rent_sms(s, id, "79180230629", "code 4", 200);
  rent_sms(s, id, "79180230629", "code 3", 200);
  j = expect_success(s, "getRentStatus", "K1", "&id=%llu", id);
  cr_expect_str_eq(jstr(j, "quantity"), "3");
  const cJSON *vals = cJSON_GetObjectItemCaseSensitive(j, "values");
  cr_expect_str_eq(jstr(cJSON_GetObjectItemCaseSensitive(vals, "0"), "text"),
                   "code 3");
  cr_expect_str_eq(jstr(cJSON_GetObjectItemCaseSensitive(vals, "2"), "text"),
                   "code 5");
  cJSON_Delete(j);
  /* 001: $page from 0, new to old; $size */
  j = expect_success(s, "getRentStatus", "K1", "&id=%llu&page=1&size=2", id);
  vals = cJSON_GetObjectItemCaseSensitive(j, "values");
  cr_expect_eq(cJSON_GetArraySize(vals), 1);
  cr_expect_str_eq(jstr(cJSON_GetObjectItemCaseSensitive(vals, "0"), "text"),
                   "code 5");
  cr_expect_str_eq(jstr(j, "quantity"), "3");
  cJSON_Delete(j);
  j = expect_success(s, "getRentStatus", "K1", "&id=%llu&page=7", id);
  cr_expect_eq(
      cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(j, "values")), 0);
  cJSON_Delete(j);
  /* the SMS of a rent are the rent's own: K2 cannot read them */
  expect_tok(s, "getRentStatus", "INVALID_PHONE", "K2", "&id=%llu", id);
  balance_is(s, "K1", "9.60"); /* SMS cost nothing */
  su_stop(s);
}

Test(rent, rent_sms_control_errors) {
  struct sc_sim *s = su_start(NULL, NULL);
  unsigned long long id = rent_tg(s, "K1");
  char b[512];
  su_ctl_expect(s, "rent-sms", "{\"phoneFrom\":\"79001112233\",\"text\":\"x\"}",
                400);
  snprintf(b, sizeof b, "{\"rentId\":%llu,\"text\":\"x\"}", id);
  su_ctl_expect(s, "rent-sms", b, 400);
  snprintf(b, sizeof b,
           "{\"rentId\":%llu,\"phoneFrom\":\"+79001112233\",\"text\":\"x\"}",
           id);
  su_ctl_expect(s, "rent-sms", b, 400);
  snprintf(b, sizeof b,
           "{\"rentId\":%llu,\"phoneFrom\":\"79001112233\",\"text\":\"\"}", id);
  su_ctl_expect(s, "rent-sms", b, 400);
  snprintf(b, sizeof b,
           "{\"rentId\":%llu,\"phoneFrom\":\"79001112233\",\"text\":7}", id);
  su_ctl_expect(s, "rent-sms", b, 400);
  su_ctl_expect(s, "rent-sms", "[1]", 400);
  rent_sms(s, 42, "79001112233", "x", 404);
  /* an activation id is not a rent */
  rent_sms(s, su_buy(s, "K1", "tg", "0"), "79001112233", "x", 404);
  /* numbers are accepted as JSON numbers too */
  snprintf(b, sizeof b,
           "{\"rentId\":%llu,\"phoneFrom\":79001112233,\"text\":\"ok\"}", id);
  su_ctl_expect(s, "rent-sms", b, 200);
  /* an ended rent takes no SMS */
  cJSON_Delete(
      expect_success(s, "setRentStatus", "K1", "&id=%llu&status=1", id));
  rent_sms(s, id, "79001112233", "late", 409);
  su_stop(s);
}

Test(rent, list_is_own_current_and_last_ten) {
  struct sc_sim *s = su_start(NULL, NULL);
  su_ctl_expect(s, "stock",
                "{\"service\":\"tg\",\"country\":\"0\",\"count\":50}", 200);
  /* 001: NO_NUMBERS - no rented numbers */
  expect_tok(s, "getRentList", "NO_NUMBERS", "K1", "%s", "");
  unsigned long long ids[12];
  for (int i = 0; i < 12; i++)
    ids[i] = rent_tg(s, "K1");
  unsigned long long other = rent_tg(s, "K2");
  cJSON_Delete(
      expect_success(s, "setRentStatus", "K1", "&id=%llu&status=1", ids[11]));
  cJSON *j = expect_success(s, "getRentList", "K1", "%s", "");
  const cJSON *vals = cJSON_GetObjectItemCaseSensitive(j, "values");
  /* only the last 10, newest first, the finished one left out */
  cr_expect_eq(cJSON_GetArraySize(vals), 10);
  char want[24];
  snprintf(want, sizeof want, "%llu", ids[10]);
  cr_expect_str_eq(jstr(cJSON_GetObjectItemCaseSensitive(vals, "0"), "id"),
                   want);
  snprintf(want, sizeof want, "%llu", ids[1]);
  cr_expect_str_eq(jstr(cJSON_GetObjectItemCaseSensitive(vals, "9"), "id"),
                   want);
  cJSON_Delete(j);
  j = expect_success(s, "getRentList", "K2", "%s", "");
  vals = cJSON_GetObjectItemCaseSensitive(j, "values");
  cr_expect_eq(cJSON_GetArraySize(vals), 1);
  snprintf(want, sizeof want, "%llu", other);
  cr_expect_str_eq(jstr(cJSON_GetObjectItemCaseSensitive(vals, "0"), "id"),
                   want);
  cJSON_Delete(j);
  balance_is(s, "K1", "5.20");
  expect_money_invariant(s);
  su_stop(s);
}

/* ---- setRentStatus: finish, cancel and its window ------------------------ */

Test(rent, cancel_inside_window_refunds_everything_once) {
  struct sc_sim *s = su_start(NULL, NULL);
  unsigned long long id = rent_tg(s, "K1");
  cJSON_Delete(expect_success(s, "continueRentNumber", "K1", "&id=%llu", id));
  balance_is(s, "K1", "9.20");
  advance(s, 1190); /* 001: cancel allowed up to 20 minutes */
  rent_sms(s, id, "79001112233", "code 1", 200);
  cJSON_Delete(
      expect_success(s, "setRentStatus", "K1", "&id=%llu&status=2", id));
  balance_is(s, "K1", "10.00"); /* the order and the extension */
  /* 001: STATUS_CANCEL - rent canceled with a refund */
  expect_tok(s, "getRentStatus", "STATUS_CANCEL", "K1", "&id=%llu", id);
  /* 001: ALREADY_CANCEL - the lease has already been canceled */
  expect_tok(s, "setRentStatus", "ALREADY_CANCEL", "K1", "&id=%llu&status=2",
             id);
  expect_tok(s, "setRentStatus", "ALREADY_CANCEL", "K1", "&id=%llu&status=1",
             id);
  balance_is(s, "K1", "10.00");
  /* a cancelled number cannot be extended */
  expect_tok(s, "continueRentNumber", "RENT_DIE", "K1", "&id=%llu", id);
  expect_tok(s, "getContinueRentPriceNumber", "RENT_DIE", "K1",
             "&id=%llu&rent_time=4", id);
  expect_tok(s, "getRentList", "NO_NUMBERS", "K1", "%s", "");
  rent_sms(s, id, "79001112233", "late", 409);
  cJSON *st = su_state(s);
  cr_expect_str_eq(jstr(state_rent(st, id), "state"), "CANCELLED");
  cr_expect(cJSON_IsTrue(
      cJSON_GetObjectItemCaseSensitive(state_rent(st, id), "refunded")));
  cJSON_Delete(st);
  expect_money_invariant(s);
  su_stop(s);
}

Test(rent, cancel_after_window_is_refused) {
  struct sc_sim *s = su_start(NULL, NULL);
  unsigned long long id = rent_tg(s, "K1");
  advance(s, 1201);
  /* 001: CANT_CANCEL - impossible to cancel the lease (more than 20 min.) */
  expect_tok(s, "setRentStatus", "CANT_CANCEL", "K1", "&id=%llu&status=2", id);
  balance_is(s, "K1", "9.60");
  expect_tok(s, "getRentStatus", "STATUS_WAIT_CODE", "K1", "&id=%llu", id);
  /* finishing is still allowed, and returns nothing */
  cJSON_Delete(
      expect_success(s, "setRentStatus", "K1", "&id=%llu&status=1", id));
  balance_is(s, "K1", "9.60");
  /* 001: STATUS_FINISH - rent paid and completed */
  expect_tok(s, "getRentStatus", "STATUS_FINISH", "K1", "&id=%llu", id);
  /* 001: ALREADY_FINISH - the lease has already been completed */
  expect_tok(s, "setRentStatus", "ALREADY_FINISH", "K1", "&id=%llu&status=1",
             id);
  expect_tok(s, "setRentStatus", "ALREADY_FINISH", "K1", "&id=%llu&status=2",
             id);
  expect_tok(s, "getRentList", "NO_NUMBERS", "K1", "%s", "");
  balance_is(s, "K1", "9.60");
  expect_money_invariant(s);
  su_stop(s);
}

/* ---- continueRentNumber, getContinueRentPriceNumber ---------------------- */

Test(rent, extend_charges_and_limits) {
  struct sc_sim *s = su_start(NULL, NULL);
  char end0[64];
  unsigned long long id = rent(s, "K1", "&service=tg", end0, sizeof end0);
  /* the quote moves no money */
  cJSON *j = expect_success(s, "getContinueRentPriceNumber", "K1",
                            "&id=%llu&rent_time=12", id);
  cr_expect_eq(rnd(jnum(j, "price") * 100), 120);
  cr_expect_eq(jnum(j, "currency"), 840);
  cJSON_Delete(j);
  balance_is(s, "K1", "9.60");

  /* default 4 hours (001: "by default: 4 hours") */
  cJSON *st = su_state(s);
  long long end = (long long)jnum(state_rent(st, id), "endAt");
  cJSON_Delete(st);
  j = expect_success(s, "continueRentNumber", "K1", "&id=%llu", id);
  const cJSON *ph = cJSON_GetObjectItemCaseSensitive(j, "phone");
  cr_expect_eq((unsigned long long)jnum(ph, "id"), id);
  char want[64];
  fmt_utc(want, sizeof want, end + 4L * 3600, 'T');
  cr_expect_str_eq(jstr(ph, "endDate"), want);
  cJSON_Delete(j);
  balance_is(s, "K1", "9.20");
  j = expect_success(s, "continueRentNumber", "K1", "&id=%llu&rent_time=12",
                     id);
  cJSON_Delete(j);
  balance_is(s, "K1", "8.00");
  /* 20 hours left: at most 1324 more (1344 ahead of now) */
  struct su_resp r = su_getf(
      s, "api_key=K1&action=continueRentNumber&id=%llu&rent_time=1325", id);
  expect_msg("continueRentNumber", NULL, &r, "MAX_HOURS_EXCEED", "error");
  j = body_json(&r);
  /* 001: "info": max - maximum available time */
  cr_expect_eq(jnum(cJSON_GetObjectItemCaseSensitive(j, "info"), "max"), 1324,
               "%s", r.body);
  cJSON_Delete(j);
  su_resp_free(&r);
  expect_tok(s, "getContinueRentPriceNumber", "MAX_HOURS_EXCEED", "K1",
             "&id=%llu&rent_time=1325", id);
  j = expect_success(s, "getContinueRentPriceNumber", "K1",
                     "&id=%llu&rent_time=1324", id);
  cr_expect_eq(rnd(jnum(j, "price") * 100), 13240);
  cJSON_Delete(j);
  /* 001: NO_BALANCE - insufficient funds */
  expect_tok(s, "continueRentNumber", "NO_BALANCE", "K1",
             "&id=%llu&rent_time=1324", id);
  balance_is(s, "K1", "8.00");
  su_ctl_expect(s, "balance", "{\"apiKey\":\"K1\",\"balance\":132.4}", 200);
  cJSON_Delete(expect_success(s, "continueRentNumber", "K1",
                              "&id=%llu&rent_time=1324", id));
  balance_is(s, "K1", "0.00");
  /* now 1344 hours ahead: nothing more */
  r = su_getf(s, "api_key=K1&action=continueRentNumber&id=%llu&rent_time=4",
              id);
  expect_msg("continueRentNumber", NULL, &r, "MAX_HOURS_EXCEED", "error");
  j = body_json(&r);
  cr_expect_eq(jnum(cJSON_GetObjectItemCaseSensitive(j, "info"), "max"), 0);
  cJSON_Delete(j);
  su_resp_free(&r);
  expect_money_invariant(s);
  su_stop(s);
}

Test(rent, finished_rent_is_reordered_once) {
  struct sc_sim *s = su_start(NULL, NULL);
  unsigned long long id = rent_tg(s, "K1");
  rent_sms(s, id, "79001112233", "old", 200);
  cJSON_Delete(
      expect_success(s, "setRentStatus", "K1", "&id=%llu&status=1", id));
  /* 001: "When a completed rent is prolonged, it will be reordered, a new
   * id will be provided" */
  cJSON *j = expect_success(s, "getContinueRentPriceNumber", "K1",
                            "&id=%llu&rent_time=4", id);
  cr_expect_eq(rnd(jnum(j, "price") * 100), 40);
  cJSON_Delete(j);
  j = expect_success(s, "continueRentNumber", "K1", "&id=%llu", id);
  const cJSON *ph = cJSON_GetObjectItemCaseSensitive(j, "phone");
  unsigned long long nid = (unsigned long long)jnum(ph, "id");
  cr_expect_neq(nid, id);
  cJSON *st = su_state(s);
  cr_expect_str_eq(jstr(ph, "number"), jstr(state_rent(st, id), "phone"));
  cr_expect_str_eq(jstr(state_rent(st, nid), "state"), "ACTIVE");
  cJSON_Delete(st);
  cJSON_Delete(j);
  balance_is(s, "K1", "9.20");
  /* the new rent starts without SMS; the old one stays finished */
  expect_tok(s, "getRentStatus", "STATUS_WAIT_CODE", "K1", "&id=%llu", nid);
  expect_tok(s, "getRentStatus", "STATUS_FINISH", "K1", "&id=%llu", id);
  expect_tok(s, "continueRentNumber", "RENT_DIE", "K1", "&id=%llu", id);
  balance_is(s, "K1", "9.20");
  expect_money_invariant(s);
  su_stop(s);
}

/* ---- expiry on the simulated clock --------------------------------------- */

Test(rent, expires_at_end_date_without_refund) {
  struct sc_sim *s = su_start(NULL, NULL);
  unsigned long long id = rent_tg(s, "K1");
  rent_sms(s, id, "79001112233", "code 1", 200);
  advance(s, 4L * 3600 - 30);
  cJSON_Delete(expect_success(s, "getRentStatus", "K1", "&id=%llu", id));
  cJSON_Delete(expect_success(s, "getRentList", "K1", "%s", ""));
  advance(s, 31);
  /* lifecycle.json EXPIRED: STATUS_FINISH; nothing comes back */
  expect_tok(s, "getRentStatus", "STATUS_FINISH", "K1", "&id=%llu", id);
  balance_is(s, "K1", "9.60");
  expect_tok(s, "getRentList", "NO_NUMBERS", "K1", "%s", "");
  /* 001: RENT_DIE - the number has expired */
  expect_tok(s, "continueRentNumber", "RENT_DIE", "K1", "&id=%llu", id);
  expect_tok(s, "getContinueRentPriceNumber", "RENT_DIE", "K1",
             "&id=%llu&rent_time=4", id);
  expect_tok(s, "setRentStatus", "ALREADY_FINISH", "K1", "&id=%llu&status=2",
             id);
  rent_sms(s, id, "79001112233", "late", 409);
  cJSON *st = su_state(s);
  cr_expect_str_eq(jstr(state_rent(st, id), "state"), "EXPIRED");
  cJSON_Delete(st);
  /* a finished rent whose time ran out cannot be re-ordered either */
  unsigned long long f = rent_tg(s, "K1");
  cJSON_Delete(
      expect_success(s, "setRentStatus", "K1", "&id=%llu&status=1", f));
  advance(s, 4L * 3600);
  expect_tok(s, "continueRentNumber", "RENT_DIE", "K1", "&id=%llu", f);
  balance_is(s, "K1", "9.20");
  expect_money_invariant(s);
  su_stop(s);
}

Test(rent, reset_forgets_rents) {
  struct sc_sim *s = su_start(NULL, NULL);
  unsigned long long id = rent_tg(s, "K1");
  su_ctl_expect(s, "reset", "{}", 200);
  balance_is(s, "K1", "10.00");
  expect_tok(s, "getRentStatus", "INVALID_PHONE", "K1", "&id=%llu", id);
  cJSON *st = su_state(s);
  cr_expect_eq(
      cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(st, "rents")), 0);
  cJSON_Delete(st);
  /* deterministic ids: the same first id again */
  cr_expect_eq(rent_tg(s, "K1"), id);
  su_stop(s);
}

/* ---- isolation between accounts ------------------------------------------ */

Test(rent, accounts_see_only_their_own_rents) {
  struct sc_sim *s = su_start(NULL, NULL);
  unsigned long long r1 = rent_tg(s, "K1");
  unsigned long long r2 = rent_tg(s, "K2");
  rent_sms(s, r1, "79001112233", "for K1", 200);
  /* another account's rent does not exist for this key */
  expect_tok(s, "getRentStatus", "INVALID_PHONE", "K2", "&id=%llu", r1);
  expect_tok(s, "setRentStatus", "INVALID_PHONE", "K2", "&id=%llu&status=2",
             r1);
  expect_tok(s, "setRentStatus", "INVALID_PHONE", "K2", "&id=%llu&status=1",
             r1);
  expect_tok(s, "continueRentNumber", "INVALID_PHONE", "K2", "&id=%llu", r1);
  expect_tok(s, "getContinueRentPriceNumber", "INVALID_PHONE", "K2",
             "&id=%llu&rent_time=4", r1);
  cJSON *j = expect_success(s, "getRentList", "K2", "%s", "");
  char want[24];
  snprintf(want, sizeof want, "%llu", r2);
  const cJSON *vals = cJSON_GetObjectItemCaseSensitive(j, "values");
  cr_expect_eq(cJSON_GetArraySize(vals), 1);
  cr_expect_str_eq(jstr(cJSON_GetObjectItemCaseSensitive(vals, "0"), "id"),
                   want);
  cJSON_Delete(j);
  /* K1's rent is untouched and K1's money too */
  j = expect_success(s, "getRentStatus", "K1", "&id=%llu", r1);
  cr_expect_str_eq(jstr(j, "quantity"), "1");
  cJSON_Delete(j);
  balance_is(s, "K1", "9.60");
  balance_is(s, "K2", "99.60");
  expect_tok(s, "getRentStatus", "STATUS_WAIT_CODE", "K2", "&id=%llu", r2);
  expect_money_invariant(s);
  su_stop(s);
}

Test(rent, only_profiles_that_document_rent) {
  const char *profiles[] = {"securesms", "koalasms", "smsbulk"};
  for (size_t i = 0; i < 3; i++) {
    struct sc_sim *s = su_start(profiles[i], NULL);
    struct su_resp r =
        su_getf(s, "api_key=K1&action=getRentNumber&service=tg&country=0");
    /* 003 "Error Codes": WRONG_ACTION - action name not supported */
    cr_expect_str_eq(
        r.body, strcmp(profiles[i], "smsbulk") ? "BAD_ACTION" : "WRONG_ACTION",
        "%s: %s", profiles[i], r.body);
    su_resp_free(&r);
    rent_sms(s, 100000001, "79001112233", "x", 404);
    su_stop(s);
  }
}

/* ---- rent faults: each changes what it says; the plain runs above show
 * the right behaviour ----------------------------------------------------- */

Test(rent_faults, late_cancel) {
  struct sc_sim *s = su_start(NULL, "rent-late-cancel");
  unsigned long long id = rent_tg(s, "K1");
  advance(s, 3600);
  cJSON_Delete(
      expect_success(s, "setRentStatus", "K1", "&id=%llu&status=2", id));
  balance_is(s, "K1", "10.00"); /* refunded after the window */
  su_stop(s);
  s = su_start(NULL, NULL);
  id = rent_tg(s, "K1");
  advance(s, 3600);
  expect_tok(s, "setRentStatus", "CANT_CANCEL", "K1", "&id=%llu&status=2", id);
  balance_is(s, "K1", "9.60");
  su_stop(s);
}

Test(rent_faults, sms_missing) {
  const char *faults[] = {"rent-sms-missing", NULL};
  for (int f = 0; f < 2; f++) {
    struct sc_sim *s = su_start(NULL, faults[f]);
    unsigned long long id = rent_tg(s, "K1");
    rent_sms(s, id, "79001112233", "first", 200);
    if (faults[f]) {
      /* the SMS arrived, yet the rent still waits */
      expect_tok(s, "getRentStatus", "STATUS_WAIT_CODE", "K1", "&id=%llu", id);
    } else {
      cJSON *j = expect_success(s, "getRentStatus", "K1", "&id=%llu", id);
      cr_expect_str_eq(jstr(j, "quantity"), "1");
      cJSON_Delete(j);
    }
    rent_sms(s, id, "79001112233", "second", 200);
    cJSON *j = expect_success(s, "getRentStatus", "K1", "&id=%llu", id);
    const cJSON *v0 = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(j, "values"), "0");
    cr_expect_str_eq(jstr(j, "quantity"), faults[f] ? "1" : "2");
    cr_expect_str_eq(jstr(v0, "text"), faults[f] ? "first" : "second");
    cJSON_Delete(j);
    su_stop(s);
  }
}

Test(rent_faults, extend_free) {
  const char *faults[] = {"rent-extend-free", NULL};
  for (int f = 0; f < 2; f++) {
    struct sc_sim *s = su_start(NULL, faults[f]);
    unsigned long long id = rent_tg(s, "K1");
    cJSON *st = su_state(s);
    long long end = (long long)jnum(state_rent(st, id), "endAt");
    cJSON_Delete(st);
    cJSON_Delete(expect_success(s, "continueRentNumber", "K1",
                                "&id=%llu&rent_time=12", id));
    st = su_state(s);
    cr_expect_eq((long long)jnum(state_rent(st, id), "endAt"),
                 end + 12L * 3600);
    cJSON_Delete(st);
    balance_is(s, "K1", faults[f] ? "9.60" : "8.40");
    expect_money_invariant(s); /* the bug is invisible to the invariant */
    su_stop(s);
  }
}

/* ---- webhooks: a listener on 127.0.0.1 port 0 ---------------------------- */

#define LST_MAX 16

struct listener {
  struct MHD_Daemon *d;
  unsigned port;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  unsigned answers[8]; /* status per hit; the last one repeats */
  size_t nanswers;
  int hold; /* hold each answer until released (or 5 s) */
  int released;
  size_t hits;
  char body[LST_MAX][1024];
  char ctype[LST_MAX][128];
  char method[LST_MAX][16];
  char url[LST_MAX][128];
};

struct lst_conn {
  char buf[1024];
  size_t len;
};

static enum MHD_Result lst_request(void *cls, struct MHD_Connection *conn,
                                   const char *url, const char *method,
                                   const char *version, const char *upload,
                                   size_t *upload_size, void **con_cls) {
  (void)version;
  struct listener *l = cls;
  struct lst_conn *c = *con_cls;
  if (!c) {
    c = calloc(1, sizeof(*c));
    if (!c)
      return MHD_NO;
    *con_cls = c;
    return MHD_YES;
  }
  if (*upload_size) {
    size_t n = *upload_size;
    if (n > sizeof c->buf - 1 - c->len)
      n = sizeof c->buf - 1 - c->len;
    memcpy(c->buf + c->len, upload, n);
    c->len += n;
    *upload_size = 0;
    return MHD_YES;
  }
  const char *ct =
      MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Type");
  pthread_mutex_lock(&l->mu);
  size_t k = l->hits;
  unsigned code = l->answers[k < l->nanswers ? k : l->nanswers - 1];
  if (k < LST_MAX) {
    snprintf(l->body[k], sizeof l->body[k], "%.*s", (int)c->len, c->buf);
    snprintf(l->ctype[k], sizeof l->ctype[k], "%s", ct ? ct : "");
    snprintf(l->method[k], sizeof l->method[k], "%s", method);
    snprintf(l->url[k], sizeof l->url[k], "%s", url);
  }
  l->hits++;
  pthread_cond_broadcast(&l->cv);
  if (l->hold) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += 5;
    while (!l->released)
      if (pthread_cond_timedwait(&l->cv, &l->mu, &ts) == ETIMEDOUT)
        break;
  }
  pthread_mutex_unlock(&l->mu);
  static const char reply[] = "ok";
  struct MHD_Response *resp = MHD_create_response_from_buffer(
      sizeof reply - 1, (void *)reply, MHD_RESPMEM_PERSISTENT);
  if (!resp)
    return MHD_NO;
  if (code >= 300 && code < 400)
    MHD_add_response_header(resp, "Location", "/elsewhere");
  enum MHD_Result ret = MHD_queue_response(conn, code, resp);
  MHD_destroy_response(resp);
  return ret;
}

static void lst_completed(void *cls, struct MHD_Connection *conn,
                          void **con_cls, enum MHD_RequestTerminationCode t) {
  (void)cls;
  (void)conn;
  (void)t;
  free(*con_cls);
  *con_cls = NULL;
}

/* A listener answering |answers| in turn (the last one repeats). */
static struct listener *lst_start(const unsigned *answers, size_t n) {
  struct listener *l = calloc(1, sizeof(*l));
  cr_assert_not_null(l);
  pthread_mutex_init(&l->mu, NULL);
  pthread_cond_init(&l->cv, NULL);
  cr_assert(n > 0 && n <= 8);
  memcpy(l->answers, answers, n * sizeof *answers);
  l->nanswers = n;
  struct sockaddr_in sa;
  memset(&sa, 0, sizeof sa);
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  l->d = MHD_start_daemon(
      MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION, 0, NULL,
      NULL, lst_request, l, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
      MHD_OPTION_NOTIFY_COMPLETED, lst_completed, l, MHD_OPTION_END);
  cr_assert_not_null(l->d, "listener did not start");
  const union MHD_DaemonInfo *di =
      MHD_get_daemon_info(l->d, MHD_DAEMON_INFO_BIND_PORT);
  cr_assert_not_null(di);
  l->port = di->port;
  return l;
}

static void lst_release(struct listener *l) {
  pthread_mutex_lock(&l->mu);
  l->released = 1;
  pthread_cond_broadcast(&l->cv);
  pthread_mutex_unlock(&l->mu);
}

static void lst_stop(struct listener *l) {
  lst_release(l);
  MHD_stop_daemon(l->d);
  pthread_cond_destroy(&l->cv);
  pthread_mutex_destroy(&l->mu);
  free(l);
}

/* Waits up to |ms| for at least |want| hits; the hits seen. */
static size_t lst_wait(struct listener *l, size_t want, long ms) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  ts.tv_sec += ms / 1000;
  ts.tv_nsec += (ms % 1000) * 1000000L;
  if (ts.tv_nsec >= 1000000000L) {
    ts.tv_sec++;
    ts.tv_nsec -= 1000000000L;
  }
  pthread_mutex_lock(&l->mu);
  while (l->hits < want)
    if (pthread_cond_timedwait(&l->cv, &l->mu, &ts) == ETIMEDOUT)
      break;
  size_t got = l->hits;
  pthread_mutex_unlock(&l->mu);
  return got;
}

static void set_hook(struct sc_sim *s, const char *key, unsigned port) {
  char b[256];
  snprintf(b, sizeof b,
           "{\"apiKey\":\"%s\",\"url\":\"http://127.0.0.1:%u/hook\"}", key,
           port);
  su_ctl_expect(s, "webhook", b, 200);
}

static void sms(struct sc_sim *s, unsigned long long act, const char *code) {
  char b[256];
  snprintf(b, sizeof b,
           "{\"activationId\":\"%llu\",\"text\":\"Your code is %s\","
           "\"code\":\"%s\"}",
           act, code, code);
  su_ctl_expect(s, "sms", b, 200);
}

/* The first "webhooks" entry once the sim has recorded |attempts| attempts
 * and nothing is in flight (polls /control/state for up to 3 s). Free with
 * cJSON_Delete on the returned state; |*hook| points into it. */
static cJSON *hook_state(struct sc_sim *s, unsigned attempts,
                         const cJSON **hook) {
  for (int i = 0; i < 300; i++) {
    cJSON *st = su_state(s);
    const cJSON *h =
        cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(st, "webhooks"), 0);
    if (h && jnum(h, "attempts") == attempts &&
        !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(h, "inFlight"))) {
      *hook = h;
      return st;
    }
    cJSON_Delete(st);
    nanosleep(&(struct timespec){0, 10 * 1000000L}, NULL);
  }
  cr_assert_fail("webhook state never reached %u attempts", attempts);
  return NULL;
}

Test(webhook, control_validation) {
  struct sc_sim *s = su_start(NULL, NULL);
  const char *bad[] = {
      "{\"apiKey\":\"K1\"}",
      "{\"url\":\"http://127.0.0.1:9/x\"}",
      "{\"apiKey\":\"K1\",\"url\":7}",
      "{\"apiKey\":\"K1\",\"url\":\"https://example.com/x\"}",
      "{\"apiKey\":\"K1\",\"url\":\"ftp://example.com/x\"}",
      "{\"apiKey\":\"K1\",\"url\":\"http://\"}",
      "{\"apiKey\":\"K1\",\"url\":\"http:///path\"}",
      "{\"apiKey\":\"K1\",\"url\":\"http://a b/\"}",
      "{\"apiKey\":\"K1\",\"url\":\"example.com\"}",
      "[]",
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    su_ctl_expect(s, "webhook", bad[i], 400);
  su_ctl_expect(s, "webhook",
                "{\"apiKey\":\"nope\",\"url\":\"http://127.0.0.1:9/x\"}", 404);
  su_ctl_expect(s, "webhook",
                "{\"apiKey\":\"K1\",\"url\":\"HTTP://127.0.0.1:9/x?a=1\"}",
                200);
  cJSON *st = su_state(s);
  const cJSON *acc =
      cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(st, "accounts"), 0);
  cr_expect_str_eq(jstr(acc, "webhook"), "HTTP://127.0.0.1:9/x?a=1");
  cr_expect(cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(st, "webhooks")));
  cJSON_Delete(st);
  su_ctl_expect(s, "webhook", "{\"apiKey\":\"K1\",\"url\":null}", 200);
  st = su_state(s);
  acc = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(st, "accounts"), 0);
  cr_expect(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(acc, "webhook")));
  cJSON_Delete(st);
  su_stop(s);
  /* profiles whose documents have no webhooks refuse the control path */
  const char *none[] = {"koalasms", "smsbulk", "rest-v1"};
  for (size_t i = 0; i < 3; i++) {
    s = su_start(none[i], NULL);
    su_ctl_expect(s, "webhook",
                  "{\"apiKey\":\"K1\",\"url\":\"http://127.0.0.1:9/x\"}", 404);
    su_stop(s);
  }
}

/* 001 and 004 document the same six keys. */
Test(webhook, payload_keys_and_values) {
  const char *profiles[] = {"sms-activate", "securesms"};
  for (size_t p = 0; p < 2; p++) {
    unsigned ok200[] = {200};
    struct listener *l = lst_start(ok200, 1);
    struct sc_sim *s = su_start(profiles[p], NULL);
    set_hook(s, "K1", l->port);
    unsigned long long other = su_buy(s, "K2", "vk", "0");
    unsigned long long act = su_buy(s, "K1", "wa", "187");
    sms(s, other, "1111"); /* K2 has no webhook: nothing is sent */
    sms(s, act, "482910");
    cr_assert_eq(lst_wait(l, 1, 3000), 1u, "%s: no webhook", profiles[p]);
    cr_expect_str_eq(l->method[0], "POST");
    cr_expect_str_eq(l->url[0], "/hook");
    cr_expect(strncmp(l->ctype[0], "application/json", 16) == 0, "%s",
              l->ctype[0]);
    /* the suite's parser judges the payload */
    struct su_resp r = {.code = 200, .body = l->body[0]};
    snprintf(r.ctype, sizeof r.ctype, "application/json");
    su_expect_pass("webhook", profiles[p], &r, "success");
    cJSON *j = cJSON_Parse(l->body[0]);
    cr_assert_not_null(j, "%s", l->body[0]);
    cr_expect_eq(cJSON_GetArraySize(j), 6, "%s", l->body[0]);
    cr_expect_eq((unsigned long long)jnum(j, "activationId"), act);
    cr_expect_str_eq(jstr(j, "service"), "wa");
    cr_expect_str_eq(jstr(j, "text"), "Your code is 482910");
    cr_expect_str_eq(jstr(j, "code"), "482910");
    cr_expect_eq(jnum(j, "country"), 187);
    cJSON *st = su_state(s);
    char want[64];
    fmt_utc(want, sizeof want, (long long)jnum(st, "now"), ' ');
    cr_expect_eq(strlen(jstr(j, "receivedAt")), 19u);
    cr_expect_eq(strncmp(jstr(j, "receivedAt"), want, 17), 0, "%s vs %s",
                 jstr(j, "receivedAt"), want);
    cJSON_Delete(st);
    cJSON_Delete(j);
    const cJSON *h;
    st = hook_state(s, 1, &h);
    cr_expect(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(h, "delivered")));
    cr_expect(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(h, "nextAttempt")));
    cr_expect_eq(jnum(h, "lastStatus"), 200);
    cr_expect_eq(
        cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(st, "webhooks")),
        1);
    cJSON_Delete(st);
    /* a delivered webhook is not sent again */
    advance(s, 7200);
    cr_expect_eq(lst_wait(l, 2, 200), 1u);
    su_stop(s);
    lst_stop(l);
  }
}

/* 001: "we will wait for a response from your script with HTTP status 200.
 * If your script does not respond, we will send a request within 2 hours". */
Test(webhook, retried_after_non_200_when_the_clock_moves) {
  unsigned answers[] = {500, 200};
  struct listener *l = lst_start(answers, 2);
  struct sc_sim *s = su_start(NULL, NULL);
  set_hook(s, "K1", l->port);
  sms(s, su_buy(s, "K1", "tg", "0"), "1234");
  cr_assert_eq(lst_wait(l, 1, 3000), 1u);
  const cJSON *h;
  cJSON *st = hook_state(s, 1, &h);
  cr_expect(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(h, "delivered")));
  cr_expect_eq(jnum(h, "lastStatus"), 500);
  cr_expect_eq(jnum(h, "nextAttempt") - jnum(h, "queuedAt"), 60);
  cJSON_Delete(st);
  /* not before its time */
  cr_expect_eq(lst_wait(l, 2, 300), 1u);
  advance(s, 30);
  cr_expect_eq(lst_wait(l, 2, 300), 1u);
  /* due: the clock moving wakes the delivery at once */
  advance(s, 30);
  cr_assert_eq(lst_wait(l, 2, 3000), 2u);
  cr_expect_str_eq(l->body[1], l->body[0]); /* the same payload */
  st = hook_state(s, 2, &h);
  cr_expect(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(h, "delivered")));
  cJSON_Delete(st);
  advance(s, 7200);
  cr_expect_eq(lst_wait(l, 3, 200), 2u);
  su_stop(s);
  lst_stop(l);
}

/* 001: "... but no more than 8 times". Any non-200 answer counts. */
Test(webhook, at_most_eight_attempts) {
  unsigned answers[] = {503, 302, 201, 404};
  struct listener *l = lst_start(answers, 4);
  struct sc_sim *s = su_start(NULL, NULL);
  set_hook(s, "K1", l->port);
  sms(s, su_buy(s, "K1", "tg", "0"), "1234");
  cr_assert_eq(lst_wait(l, 1, 3000), 1u);
  advance(s, 3L * 3600); /* every retry of the 2 hours is due */
  cr_assert_eq(lst_wait(l, 8, 5000), 8u);
  advance(s, 24L * 3600);
  cr_expect_eq(lst_wait(l, 9, 300), 8u, "more than 8 attempts");
  for (size_t i = 0; i < 8; i++)
    cr_expect_str_eq(l->url[i], "/hook", "a redirect was followed");
  const cJSON *h;
  cJSON *st = hook_state(s, 8, &h);
  cr_expect(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(h, "delivered")));
  cr_expect(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(h, "gaveUp")));
  cr_expect(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(h, "nextAttempt")));
  cr_expect_eq(jnum(h, "lastStatus"), 404);
  cJSON_Delete(st);
  su_stop(s);
  lst_stop(l);
}

/* The retries stay inside the 2 hours: the 8th attempt is due at 7200 s. */
Test(webhook, schedule_fits_two_hours) {
  unsigned answers[] = {500};
  struct listener *l = lst_start(answers, 1);
  struct sc_sim *s = su_start(NULL, NULL);
  set_hook(s, "K1", l->port);
  sms(s, su_buy(s, "K1", "tg", "0"), "1234");
  cr_assert_eq(lst_wait(l, 1, 3000), 1u);
  long elapsed = 0;
  for (unsigned n = 1; n < 8; n++) {
    const cJSON *h;
    cJSON *st = hook_state(s, n, &h);
    long due = (long)(jnum(h, "nextAttempt") - jnum(h, "queuedAt"));
    cJSON_Delete(st);
    cr_expect_gt(due, elapsed, "attempt %u not later than the last", n + 1);
    cr_expect_leq(due, 7200, "attempt %u after 2 hours", n + 1);
    advance(s, due - elapsed);
    elapsed = due;
    cr_assert_eq(lst_wait(l, n + 1, 3000), n + 1);
  }
  su_stop(s);
  lst_stop(l);
}

/* A URL where nobody listens: the attempt fails with no status and is
 * retried like a non-200 answer. */
Test(webhook, unreachable_url_counts_as_failed) {
  unsigned ok200[] = {200};
  struct listener *gone = lst_start(ok200, 1);
  unsigned port = gone->port;
  lst_stop(gone);
  struct sc_sim *s = su_start(NULL, NULL);
  set_hook(s, "K1", port);
  sms(s, su_buy(s, "K1", "tg", "0"), "1234");
  const cJSON *h;
  cJSON *st = hook_state(s, 1, &h);
  cr_expect_eq(jnum(h, "lastStatus"), 0);
  cr_expect(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(h, "nextAttempt")));
  cJSON_Delete(st);
  su_stop(s);
}

Test(webhook, reset_drops_the_queue) {
  unsigned answers[] = {500};
  struct listener *l = lst_start(answers, 1);
  struct sc_sim *s = su_start(NULL, NULL);
  set_hook(s, "K1", l->port);
  sms(s, su_buy(s, "K1", "tg", "0"), "1234");
  cr_assert_eq(lst_wait(l, 1, 3000), 1u);
  const cJSON *h;
  cJSON_Delete(hook_state(s, 1, &h));
  su_ctl_expect(s, "reset", "{}", 200);
  cJSON *st = su_state(s);
  cr_expect_eq(
      cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(st, "webhooks")), 0);
  cJSON_Delete(st);
  advance(s, 7200);
  cr_expect_eq(lst_wait(l, 2, 300), 1u);
  /* the reset also forgot the URL: a new SMS sends nothing */
  sms(s, su_buy(s, "K1", "tg", "0"), "5678");
  cr_expect_eq(lst_wait(l, 2, 300), 1u);
  su_stop(s);
  lst_stop(l);
}

/* Stopping the simulator while a delivery waits for its answer returns at
 * once instead of waiting for the transfer's timeout. */
Test(webhook, shutdown_with_delivery_in_flight) {
  unsigned ok200[] = {200};
  struct listener *l = lst_start(ok200, 1);
  l->hold = 1;
  struct sc_sim *s = su_start(NULL, NULL);
  set_hook(s, "K1", l->port);
  sms(s, su_buy(s, "K1", "tg", "0"), "1234");
  cr_assert_eq(lst_wait(l, 1, 3000), 1u);
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  su_stop(s);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double took =
      (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
  cr_expect_lt(took, 1.0, "shutdown took %.2f s", took);
  lst_stop(l);
}

/* Rent SMS and SMS without a webhook URL send nothing. */
Test(webhook, only_activation_sms_with_a_url) {
  unsigned ok200[] = {200};
  struct listener *l = lst_start(ok200, 1);
  struct sc_sim *s = su_start(NULL, NULL);
  unsigned long long act = su_buy(s, "K1", "tg", "0");
  sms(s, act, "1111"); /* no URL yet */
  set_hook(s, "K1", l->port);
  rent_sms(s, rent_tg(s, "K1"), "79001112233", "rent sms", 200);
  cr_expect_eq(lst_wait(l, 1, 300), 0u);
  sms(s, act, "2222");
  cr_expect_eq(lst_wait(l, 1, 3000), 1u);
  su_ctl_expect(s, "webhook", "{\"apiKey\":\"K1\",\"url\":null}", 200);
  sms(s, act, "3333");
  cr_expect_eq(lst_wait(l, 2, 300), 1u);
  su_stop(s);
  lst_stop(l);
}

/* ---- webhook faults ------------------------------------------------------ */

Test(webhook_faults, payload_names_code_smsCode) {
  const char *faults[] = {"webhook-payload", NULL};
  for (int f = 0; f < 2; f++) {
    unsigned ok200[] = {200};
    struct listener *l = lst_start(ok200, 1);
    struct sc_sim *s = su_start(NULL, faults[f]);
    set_hook(s, "K1", l->port);
    sms(s, su_buy(s, "K1", "tg", "0"), "482910");
    cr_assert_eq(lst_wait(l, 1, 3000), 1u);
    cJSON *j = cJSON_Parse(l->body[0]);
    cr_assert_not_null(j);
    cr_expect_str_eq(jstr(j, faults[f] ? "smsCode" : "code"), "482910");
    cr_expect_null(jstr(j, faults[f] ? "code" : "smsCode"));
    cr_expect_str_eq(jstr(j, "text"), "Your code is 482910");
    cJSON_Delete(j);
    su_stop(s);
    lst_stop(l);
  }
}

Test(webhook_faults, no_retry) {
  const char *faults[] = {"webhook-no-retry", NULL};
  for (int f = 0; f < 2; f++) {
    unsigned answers[] = {500, 200};
    struct listener *l = lst_start(answers, 2);
    struct sc_sim *s = su_start(NULL, faults[f]);
    set_hook(s, "K1", l->port);
    sms(s, su_buy(s, "K1", "tg", "0"), "1234");
    cr_assert_eq(lst_wait(l, 1, 3000), 1u);
    const cJSON *h;
    cJSON_Delete(hook_state(s, 1, &h));
    advance(s, 7200);
    if (faults[f]) {
      cr_expect_eq(lst_wait(l, 2, 300), 1u, "retried under the fault");
      cJSON *st = hook_state(s, 1, &h);
      cr_expect(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(h, "gaveUp")));
      cJSON_Delete(st);
    } else {
      cr_expect_eq(lst_wait(l, 2, 3000), 2u, "not retried");
    }
    su_stop(s);
    lst_stop(l);
  }
}
