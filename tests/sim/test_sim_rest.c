/* test_sim_rest.c — tests for sc_sim_rest.c (the REST dialect of 002) over
 * real HTTP (libcurl).
 *
 * Criterion re-execs its workers, so every Test starts its own simulator on
 * 127.0.0.1 port 0 and stops it before returning. Assertions run on the
 * main test thread only. */
#include "sc_alloc.h"
#include "sim_util.h"

#include <smsconform/smsconform.h>

#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define PROFILE "rest-v1"

/* A rest-v1 simulator: keys K1:10 and K2:100, |limit| requests a minute
 * (0 = the default 300), the profile's own timing. */
static struct sc_sim *start(unsigned limit, const char *faults) {
  return su_start_cfg((struct sc_sim_config){.profile = PROFILE,
                                             .rate_limit = limit,
                                             .faults = faults,
                                             .early_cancel_seconds = -1});
}

/* One request with "Authorization: Bearer |key|" (|key| NULL: no header). */
static struct su_resp req(struct sc_sim *s, const char *method,
                          const char *path, const char *body, const char *key) {
  char auth[128];
  const char *hdrs[] = {auth, "Content-Type: application/json", NULL};
  snprintf(auth, sizeof auth, "Authorization: Bearer %s", key ? key : "");
  return su_http(s, method, path, body, key ? hdrs : hdrs + 1);
}

/* Response header |name| into |buf|; 0 if absent. */
static int header(const struct su_resp *r, const char *name, char *buf,
                  size_t n) {
  size_t len = strlen(name);
  for (const char *p = r->headers; p && *p;) {
    if (strncasecmp(p, name, len) == 0 && p[len] == ':') {
      const char *v = p + len + 1;
      while (*v == ' ')
        v++;
      size_t vl = strcspn(v, "\r\n");
      snprintf(buf, n, "%.*s", (int)vl, v);
      return 1;
    }
    p = strchr(p, '\n');
    if (p)
      p++;
  }
  return 0;
}

/* Header |name| as a number; -1 if absent. */
static long long header_num(const struct su_resp *r, const char *name) {
  char buf[64];
  return header(r, name, buf, sizeof buf) ? strtoll(buf, NULL, 10) : -1;
}

static void pass(const char *action, const struct su_resp *r,
                 const char *kind) {
  su_expect_pass(action, PROFILE, r, kind);
}

/* Expects exactly |code| and |body|, and a parser PASS for |action|. */
static void expect(struct su_resp *r, long code, const char *body,
                   const char *action, const char *kind) {
  cr_expect_eq(r->code, code, "HTTP %ld, want %ld: %s", r->code, code, r->body);
  if (body)
    cr_expect_str_eq(r->body, body);
  cr_expect_str_eq(r->ctype, "application/json");
  if (action)
    pass(action, r, kind);
  su_resp_free(r);
}

static void expect_balance(struct sc_sim *s, const char *key,
                           const char *amount) {
  char want[96];
  snprintf(want, sizeof want, "{\"balance\":%s,\"currency\":\"USD\"}", amount);
  struct su_resp r = req(s, NULL, "/api/v1/balance", NULL, key);
  expect(&r, 200, want, "v1.balance", "success");
}

static const char *str_of(const cJSON *o, const char *k) {
  const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, k);
  return cJSON_IsString(it) ? it->valuestring : NULL;
}

/* Buys telegram/ru with |key|; the activation id ("act_…") in |id|. */
static void buy(struct sc_sim *s, const char *key, char *id, size_t n) {
  struct su_resp r = req(s, "POST", "/api/v1/numbers/buy",
                         "{\"service\":\"telegram\",\"country\":\"ru\"}", key);
  cr_assert_eq(r.code, 200, "%s", r.body);
  pass("v1.numbers.buy", &r, "success");
  cJSON *j = cJSON_Parse(r.body);
  cr_assert_not_null(j, "%s", r.body);
  cr_assert_not_null(str_of(j, "id"), "%s", r.body);
  snprintf(id, n, "%s", str_of(j, "id"));
  cJSON_Delete(j);
  su_resp_free(&r);
}

/* The control protocol's activationId for a REST id: the digits after
 * "act_". */
static unsigned long long ctl_id(const char *id) {
  cr_assert(strncmp(id, "act_", 4) == 0, "%s", id);
  return strtoull(id + 4, NULL, 10);
}

static void sms(struct sc_sim *s, const char *id, const char *code) {
  char body[160];
  snprintf(body, sizeof body,
           "{\"activationId\":\"%llu\",\"text\":\"Your code %s\","
           "\"code\":\"%s\"}",
           ctl_id(id), code, code);
  su_ctl_expect(s, "sms", body, 200);
}

static struct su_resp act(struct sc_sim *s, const char *method, const char *id,
                          const char *key) {
  char path[128];
  snprintf(path, sizeof path, "/api/v1/activations/%s", id);
  return req(s, method, path, NULL, key);
}

/* The GET answer before an SMS: {"status":"waiting"} — 002 never names
 * that state and specs/actions/rest.json closes the enum to received and
 * cancelled, so the parser FAILs it on $.status and on nothing else. */
static void expect_waiting(struct sc_sim *s, const char *id) {
  struct su_resp r = act(s, NULL, id, "K1");
  char want[128];
  snprintf(want, sizeof want,
           "{\"id\":\"%s\",\"status\":\"waiting\",\"code\":null,"
           "\"received_at\":null}",
           id);
  cr_expect_eq(r.code, 200);
  cr_expect_str_eq(r.body, want);
  enum sc_err e = SC_ERR_OK;
  struct sc_spec *spec = sc_spec_new(NULL, &e, NULL);
  cr_assert_not_null(spec);
  struct sc_input in = {
      "v1.activations.get", PROFILE, (int)r.code, r.ctype, r.body,
      strlen(r.body)};
  struct sc_result res;
  cr_assert_eq(sc_parse(spec, &in, &res), SC_ERR_OK);
  for (size_t i = 0; i < res.ndevs; i++)
    if (res.devs[i].verdict == SC_VERDICT_FAIL)
      cr_expect(res.devs[i].code == SC_DEV_JSON_SHAPE &&
                    strstr(res.devs[i].message, "$.status") != NULL,
                "%s: %s", sc_dev_name(res.devs[i].code), res.devs[i].message);
  sc_result_free(&res);
  sc_spec_destroy(spec);
  su_resp_free(&r);
}

static void fmt_time(char *buf, size_t n, long long t) {
  time_t tt = (time_t)t;
  struct tm tm;
  cr_assert_not_null(gmtime_r(&tt, &tm));
  strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* ---- the endpoints ------------------------------------------------------- */

Test(sim_rest, balance_per_key) {
  struct sc_sim *s = start(0, NULL);
  expect_balance(s, "K1", "10.00");
  expect_balance(s, "K2", "100.00");
  su_ctl_expect(s, "balance", "{\"apiKey\":\"K1\",\"balance\":12.4}", 200);
  expect_balance(s, "K1", "12.40"); /* 002's own example, two decimals */
  su_stop(s);
}

Test(sim_rest, auth) {
  struct sc_sim *s = start(0, NULL);
  const char *const none[] = {NULL};
  const char *const basic[] = {"Authorization: Basic SzE6", NULL};
  const char *const lower[] = {"Authorization: bearer K1", NULL};
  const char *const empty[] = {"Authorization: Bearer ", NULL};
  char v[128] = "";
  struct su_resp r = su_http(s, NULL, "/api/v1/balance", NULL, none);
  cr_expect(header(&r, "WWW-Authenticate", v, sizeof v), "%s", r.headers);
  cr_expect_str_eq(v, "Bearer realm=\"api\"");
  expect(&r, 401, "{\"status\":\"error\",\"message\":\"BAD_KEY\"}",
         "v1.balance", "error");
  r = req(s, NULL, "/api/v1/balance", NULL, "nope");
  cr_expect(header(&r, "WWW-Authenticate", v, sizeof v));
  cr_expect(strstr(v, "invalid_token") != NULL, "%s", v);
  expect(&r, 401, "{\"status\":\"error\",\"message\":\"BAD_KEY\"}",
         "v1.balance", "error");
  r = su_http(s, NULL, "/api/v1/balance", NULL, basic);
  expect(&r, 401, NULL, "v1.balance", "error");
  r = su_http(s, NULL, "/api/v1/balance", NULL, empty);
  expect(&r, 401, NULL, "v1.balance", "error");
  /* RFC 7235: the scheme name is case-insensitive */
  r = su_http(s, NULL, "/api/v1/balance", NULL, lower);
  expect(&r, 200, "{\"balance\":10.00,\"currency\":\"USD\"}", "v1.balance",
         "success");
  /* a key is a whole token, not a prefix or one of several words */
  r = req(s, NULL, "/api/v1/balance", NULL, "K");
  expect(&r, 401, NULL, NULL, NULL);
  r = req(s, NULL, "/api/v1/balance", NULL, "K1 K2");
  cr_expect(header(&r, "WWW-Authenticate", v, sizeof v));
  cr_expect(strstr(v, "invalid_token") != NULL, "%s", v);
  expect(&r, 401, NULL, NULL, NULL);
  /* every endpoint wants the key, even for an id that does not exist */
  r = req(s, "POST", "/api/v1/numbers/buy",
          "{\"service\":\"telegram\",\"country\":\"ru\"}", NULL);
  expect(&r, 401, NULL, "v1.numbers.buy", "error");
  r = act(s, "DELETE", "act_1", NULL);
  expect(&r, 401, NULL, "v1.activations.delete", "error");
  expect_balance(s, "K1", "10.00");
  su_stop(s);
}

Test(sim_rest, numbers_available) {
  struct sc_sim *s = start(0, NULL);
  struct su_resp r =
      req(s, NULL, "/api/v1/numbers/available?service=telegram&country=ru",
          NULL, "K1");
  expect(&r, 200,
         "{\"service\":\"telegram\",\"country\":\"ru\",\"price\":0.50,"
         "\"available\":10}",
         "v1.numbers.available", "success");
  /* an ISO code in upper case is the same code; answers use 002's case */
  r = req(s, NULL, "/api/v1/numbers/available?service=google&country=US", NULL,
          "K1");
  expect(&r, 200,
         "{\"service\":\"google\",\"country\":\"us\",\"price\":0.50,"
         "\"available\":10}",
         "v1.numbers.available", "success");
  /* 002's example price, set through control (which speaks short codes) */
  su_ctl_expect(s, "price",
                "{\"service\":\"tg\",\"country\":\"ru\","
                "\"cost\":0.07}",
                200);
  su_ctl_expect(s, "stock",
                "{\"service\":\"tg\",\"country\":\"0\","
                "\"count\":142}",
                200);
  r = req(s, NULL, "/api/v1/numbers/available?service=telegram&country=ru",
          NULL, "K1");
  expect(&r, 200,
         "{\"service\":\"telegram\",\"country\":\"ru\",\"price\":0.07,"
         "\"available\":142}",
         "v1.numbers.available", "success");
  char id[64];
  buy(s, "K1", id, sizeof id);
  r = req(s, NULL, "/api/v1/numbers/available?service=telegram&country=ru",
          NULL, "K2");
  expect(&r, 200,
         "{\"service\":\"telegram\",\"country\":\"ru\",\"price\":0.07,"
         "\"available\":141}",
         "v1.numbers.available", "success");
  /* no stock is a count of 0, not an error */
  su_ctl_expect(s, "stock",
                "{\"service\":\"wa\",\"country\":\"187\","
                "\"count\":0}",
                200);
  r = req(s, NULL, "/api/v1/numbers/available?service=whatsapp&country=tr",
          NULL, "K1");
  expect(&r, 200,
         "{\"service\":\"whatsapp\",\"country\":\"tr\",\"price\":0.50,"
         "\"available\":0}",
         "v1.numbers.available", "success");
  su_stop(s);
}

Test(sim_rest, buy_answer_and_money) {
  struct sc_sim *s = start(0, NULL);
  struct su_resp r = req(s, "POST", "/api/v1/numbers/buy",
                         "{\"service\":\"telegram\",\"country\":\"ru\"}", "K1");
  cr_assert_eq(r.code, 200, "%s", r.body);
  pass("v1.numbers.buy", &r, "success");
  cJSON *j = cJSON_Parse(r.body);
  cr_assert_not_null(j);
  const char *num = str_of(j, "number");
  cr_assert(str_of(j, "id") && num && str_of(j, "expires_at"), "%s", r.body);
  char id[64];
  snprintf(id, sizeof id, "%s", str_of(j, "id"));
  cr_expect(strncmp(id, "act_", 4) == 0 && ctl_id(id) > 0, "%s", id);
  cr_expect(num[0] == '+' && strlen(num) == 12 &&
                strspn(num + 1, "0123456789") == 11,
            "%s", num);
  cr_expect_str_eq(str_of(j, "service"), "telegram");
  cr_expect_str_eq(str_of(j, "country"), "ru");
  /* expires_at is the purchase time on the simulated clock plus the
   * lifetime; the core's state dump shows both */
  cJSON *st = su_state(s);
  const cJSON *a0 =
      cJSON_GetArrayItem(cJSON_GetObjectItem(st, "activations"), 0);
  cr_assert_not_null(a0);
  char want[32], core_id[32];
  fmt_time(want, sizeof want,
           (long long)cJSON_GetObjectItem(a0, "boughtAt")->valuedouble + 1200);
  cr_expect_str_eq(str_of(j, "expires_at"), want);
  snprintf(core_id, sizeof core_id, "%llu", ctl_id(id));
  cr_expect_str_eq(str_of(a0, "id"), core_id, "the REST id maps to the core's");
  cr_expect_str_eq(str_of(a0, "phone"), num + 1);
  cr_expect_eq(cJSON_GetArraySize(j), 5, "%s", r.body);
  cJSON_Delete(st);
  cJSON_Delete(j);
  su_resp_free(&r);
  expect_balance(s, "K1", "9.50");
  expect_balance(s, "K2", "100.00");
  /* ids are distinct and phone numbers come from the seed */
  char id2[64];
  buy(s, "K1", id2, sizeof id2);
  cr_expect_eq(ctl_id(id2), ctl_id(id) + 1);
  expect_balance(s, "K1", "9.00");
  su_stop(s);
}

Test(sim_rest, buy_refusals_keep_money) {
  struct sc_sim *s = start(0, NULL);
  su_ctl_expect(s, "balance", "{\"apiKey\":\"K1\",\"balance\":0.2}", 200);
  struct su_resp r = req(s, "POST", "/api/v1/numbers/buy",
                         "{\"service\":\"telegram\",\"country\":\"ru\"}", "K1");
  expect(&r, 402, "{\"status\":\"error\",\"message\":\"NO_BALANCE\"}",
         "v1.numbers.buy", "error");
  expect_balance(s, "K1", "0.20");
  r = req(s, NULL, "/api/v1/numbers/available?service=telegram&country=ru",
          NULL, "K1");
  expect(&r, 200, NULL, NULL, NULL);
  su_ctl_expect(s, "stock",
                "{\"service\":\"tg\",\"country\":\"ru\","
                "\"count\":0}",
                200);
  r = req(s, "POST", "/api/v1/numbers/buy",
          "{\"service\":\"telegram\",\"country\":\"ru\"}", "K2");
  expect(&r, 409, "{\"status\":\"error\",\"message\":\"NO_NUMBERS\"}",
         "v1.numbers.buy", "error");
  expect_balance(s, "K2", "100.00");
  cJSON *st = su_state(s);
  cr_expect_eq(cJSON_GetArraySize(cJSON_GetObjectItem(st, "activations")), 0);
  cJSON_Delete(st);
  su_stop(s);
}

/* ---- every documented (and decided) error, one row a case --------------- */

struct err_case {
  char method[8];
  char path[72];
  char body[64];
  char key[8]; /* "" = no Authorization header */
  long code;
  char token[24];
  char allow[16];  /* expected Allow header, "" = none */
  char action[24]; /* parser action, "" = not an action's path */
};

ParameterizedTestParameters(sim_rest, errors) {
  static struct err_case cases[] = {
      /* 002 Authentication: no key, unknown key */
      {"GET", "/api/v1/balance", "", "", 401, "BAD_KEY", "", "v1.balance"},
      {"GET", "/api/v1/balance", "", "nope", 401, "BAD_KEY", "", "v1.balance"},
      /* auth comes before routing under /api/v1/ */
      {"GET", "/api/v1/nope", "", "", 401, "BAD_KEY", "", ""},
      /* service and country are required; names, not 001's codes */
      {"GET", "/api/v1/numbers/available?country=ru", "", "K1", 400,
       "BAD_SERVICE", "", "v1.numbers.available"},
      {"GET", "/api/v1/numbers/available?service=tg&country=ru", "", "K1", 400,
       "BAD_SERVICE", "", "v1.numbers.available"},
      {"GET", "/api/v1/numbers/available?service=Telegram&country=ru", "", "K1",
       400, "BAD_SERVICE", "", "v1.numbers.available"},
      {"GET", "/api/v1/numbers/available?service=telegram", "", "K1", 400,
       "BAD_COUNTRY", "", "v1.numbers.available"},
      {"GET", "/api/v1/numbers/available?service=telegram&country=0", "", "K1",
       400, "BAD_COUNTRY", "", "v1.numbers.available"},
      {"GET", "/api/v1/numbers/available?service=telegram&country=russia", "",
       "K1", 400, "BAD_COUNTRY", "", "v1.numbers.available"},
      /* the buy body: JSON with two strings */
      {"POST", "/api/v1/numbers/buy", "{not json", "K1", 400, "BAD_SERVICE", "",
       "v1.numbers.buy"},
      {"POST", "/api/v1/numbers/buy", "service=telegram&country=ru", "K1", 400,
       "BAD_SERVICE", "", "v1.numbers.buy"},
      {"POST", "/api/v1/numbers/buy", "{\"country\":\"ru\"}", "K1", 400,
       "BAD_SERVICE", "", "v1.numbers.buy"},
      {"POST", "/api/v1/numbers/buy", "{\"service\":\"telegram\"}", "K1", 400,
       "BAD_COUNTRY", "", "v1.numbers.buy"},
      {"POST", "/api/v1/numbers/buy",
       "{\"service\":\"telegram\",\"country\":7}", "K1", 400, "BAD_COUNTRY", "",
       "v1.numbers.buy"},
      {"POST", "/api/v1/numbers/buy",
       "{\"service\":\"telegram\",\"country\":\"zz\"}", "K1", 400,
       "BAD_COUNTRY", "", "v1.numbers.buy"},
      /* ids this server never gave out */
      {"GET", "/api/v1/activations/act_1", "", "K1", 404, "NO_ACTIVATION", "",
       "v1.activations.get"},
      {"GET", "/api/v1/activations/123456789", "", "K1", 404, "NO_ACTIVATION",
       "", "v1.activations.get"},
      {"DELETE", "/api/v1/activations/act_x", "", "K1", 404, "NO_ACTIVATION",
       "", "v1.activations.delete"},
      {"DELETE", "/api/v1/activations/act_99999999999999999999999", "", "K1",
       404, "NO_ACTIVATION", "", "v1.activations.delete"},
      /* unknown paths and methods */
      {"GET", "/api/v1/nope", "", "K1", 404, "BAD_ACTION", "", ""},
      {"GET", "/api/v1/activations/", "", "K1", 404, "BAD_ACTION", "", ""},
      {"GET", "/api/v1/activations/act_1/sms", "", "K1", 404, "BAD_ACTION", "",
       ""},
      {"GET", "/api/v1/balance/", "", "K1", 404, "BAD_ACTION", "", ""},
      {"GET", "/stubs/handler_api.php?action=getBalance", "", "", 404,
       "BAD_ACTION", "", ""},
      {"POST", "/api/v1/balance", "{}", "K1", 405, "BAD_ACTION", "GET", ""},
      {"GET", "/api/v1/numbers/buy", "", "K1", 405, "BAD_ACTION", "POST", ""},
      {"PUT", "/api/v1/activations/act_1", "{}", "K1", 405, "BAD_ACTION",
       "GET, DELETE", ""},
  };
  return cr_make_param_array(struct err_case, cases,
                             sizeof cases / sizeof *cases);
}

ParameterizedTest(struct err_case *ec, sim_rest, errors) {
  struct sc_sim *s = start(0, NULL);
  struct su_resp r = req(s, ec->method, ec->path, ec->body[0] ? ec->body : NULL,
                         ec->key[0] ? ec->key : NULL);
  char want[96], allow[64] = "";
  snprintf(want, sizeof want, "{\"status\":\"error\",\"message\":\"%s\"}",
           ec->token);
  header(&r, "Allow", allow, sizeof allow);
  cr_expect_str_eq(allow, ec->allow, "%s %s", ec->method, ec->path);
  /* errors carry the rate headers too */
  cr_expect_eq(header_num(&r, "X-RateLimit-Limit"), 300, "%s", r.headers);
  cr_expect_eq(header_num(&r, "X-RateLimit-Remaining"), 299);
  cr_expect_eq(r.code, ec->code, "%s %s: %ld %s", ec->method, ec->path, r.code,
               r.body);
  expect(&r, ec->code, want, ec->action[0] ? ec->action : NULL, "error");
  /* a refused request moved no money */
  expect_balance(s, "K1", "10.00");
  su_stop(s);
}

/* ---- the lifecycle ------------------------------------------------------- */

Test(sim_rest, lifecycle_sms_then_delete_keeps_the_charge) {
  struct sc_sim *s = start(0, NULL);
  char id[64], want[256];
  buy(s, "K1", id, sizeof id);
  expect_balance(s, "K1", "9.50");
  expect_waiting(s, id);
  sms(s, id, "482910");
  struct su_resp r = act(s, NULL, id, "K1");
  cr_assert_eq(r.code, 200);
  pass("v1.activations.get", &r, "success");
  cJSON *j = cJSON_Parse(r.body);
  cr_expect_str_eq(str_of(j, "id"), id);
  cr_expect_str_eq(str_of(j, "status"), "received");
  cr_expect_str_eq(str_of(j, "code"), "482910");
  cJSON *st = su_state(s);
  char at[32];
  fmt_time(at, sizeof at,
           (long long)cJSON_GetObjectItem(st, "now")->valuedouble);
  /* received_at is the simulated now (give or take a second) */
  const char *got = str_of(j, "received_at");
  cr_assert_not_null(got, "%s", r.body);
  cr_expect(strncmp(got, at, 16) == 0, "%s vs %s", got, at);
  cJSON_Delete(st);
  cJSON_Delete(j);
  su_resp_free(&r);
  /* 002: refunded only "if no SMS was received" */
  r = act(s, "DELETE", id, "K1");
  snprintf(want, sizeof want,
           "{\"id\":\"%s\",\"status\":\"cancelled\",\"refunded\":false}", id);
  expect(&r, 200, want, "v1.activations.delete", "success");
  expect_balance(s, "K1", "9.50");
  r = act(s, NULL, id, "K1");
  cr_expect(strstr(r.body, "\"status\":\"cancelled\",\"code\":\"482910\"") !=
                NULL,
            "%s", r.body);
  expect(&r, 200, NULL, "v1.activations.get", "success");
  /* a second DELETE is refused and moves nothing */
  r = act(s, "DELETE", id, "K1");
  expect(&r, 409, "{\"status\":\"error\",\"message\":\"BAD_STATUS\"}",
         "v1.activations.delete", "error");
  expect_balance(s, "K1", "9.50");
  su_stop(s);
}

Test(sim_rest, lifecycle_delete_refunds_once) {
  struct sc_sim *s = start(0, NULL);
  char id[64], want[256];
  buy(s, "K1", id, sizeof id);
  expect_balance(s, "K1", "9.50");
  struct su_resp r = act(s, "DELETE", id, "K1");
  snprintf(want, sizeof want,
           "{\"id\":\"%s\",\"status\":\"cancelled\",\"refunded\":true}", id);
  expect(&r, 200, want, "v1.activations.delete", "success");
  expect_balance(s, "K1", "10.00");
  r = act(s, "DELETE", id, "K1");
  expect(&r, 409, NULL, "v1.activations.delete", "error");
  expect_balance(s, "K1", "10.00");
  r = act(s, NULL, id, "K1");
  snprintf(want, sizeof want,
           "{\"id\":\"%s\",\"status\":\"cancelled\",\"code\":null,"
           "\"received_at\":null}",
           id);
  expect(&r, 200, want, "v1.activations.get", "success");
  /* no SMS reaches a cancelled activation */
  char body[96];
  snprintf(body, sizeof body, "{\"activationId\":\"%llu\",\"code\":\"1\"}",
           ctl_id(id));
  su_ctl_expect(s, "sms", body, 409);
  su_stop(s);
}

Test(sim_rest, expiry_cancels_and_refunds) {
  struct sc_sim *s = start(0, NULL);
  char id[64];
  buy(s, "K1", id, sizeof id);
  /* The simulator's clock is the real one plus the advances: stop 10 s
   * short of the 1200 s lifetime, so that a slow machine (a sanitizer
   * build under load) crossing a second boundary cannot expire it early. */
  su_ctl_expect(s, "clock", "{\"advance\":1190}", 200);
  expect_waiting(s, id);
  expect_balance(s, "K1", "9.50");
  su_ctl_expect(s, "clock", "{\"advance\":10}", 200);
  struct su_resp r = act(s, NULL, id, "K1");
  cr_expect(strstr(r.body, "\"status\":\"cancelled\"") != NULL, "%s", r.body);
  expect(&r, 200, NULL, "v1.activations.get", "success");
  expect_balance(s, "K1", "10.00");
  r = act(s, "DELETE", id, "K1");
  expect(&r, 409, NULL, "v1.activations.delete", "error");
  expect_balance(s, "K1", "10.00");
  su_stop(s);
}

/* The lifetime passes on the server's own clock, without /control/clock
 * having run expiry first: a REST request applies it. */
Test(sim_rest, expiry_applies_on_a_rest_request) {
  struct sc_sim *s = su_start_cfg((struct sc_sim_config){
      .profile = PROFILE, .lifetime_seconds = 1, .early_cancel_seconds = -1});
  char id[64];
  buy(s, "K1", id, sizeof id);
  struct timespec ts = {2, 100000000};
  nanosleep(&ts, NULL);
  struct su_resp r = act(s, NULL, id, "K1");
  cr_expect(strstr(r.body, "\"status\":\"cancelled\"") != NULL, "%s", r.body);
  expect(&r, 200, NULL, "v1.activations.get", "success");
  expect_balance(s, "K1", "10.00");
  su_stop(s);
}

Test(sim_rest, keys_are_isolated) {
  struct sc_sim *s = start(0, NULL);
  char id[64];
  buy(s, "K1", id, sizeof id);
  struct su_resp r = act(s, NULL, id, "K2");
  expect(&r, 404, "{\"status\":\"error\",\"message\":\"NO_ACTIVATION\"}",
         "v1.activations.get", "error");
  r = act(s, "DELETE", id, "K2");
  expect(&r, 404, NULL, "v1.activations.delete", "error");
  expect_balance(s, "K1", "9.50");
  expect_balance(s, "K2", "100.00");
  expect_waiting(s, id); /* K2's DELETE did not cancel it */
  su_stop(s);
}

/* ---- rate limit ---------------------------------------------------------- */

Test(sim_rest, rate_limit_headers_and_429) {
  struct sc_sim *s = start(3, NULL);
  cJSON *st = su_state(s);
  long long now = (long long)cJSON_GetObjectItem(st, "now")->valuedouble;
  cJSON_Delete(st);
  long long reset = 0;
  for (int i = 0; i < 3; i++) {
    struct su_resp r = req(s, NULL, "/api/v1/balance", NULL, "K1");
    cr_expect_eq(header_num(&r, "X-RateLimit-Limit"), 3);
    cr_expect_eq(header_num(&r, "X-RateLimit-Remaining"), 2 - i);
    if (!i)
      reset = header_num(&r, "X-RateLimit-Reset");
    cr_expect_eq(header_num(&r, "X-RateLimit-Reset"), reset);
    cr_expect_eq(header_num(&r, "Retry-After"), -1);
    expect(&r, 200, NULL, "v1.balance", "success");
  }
  /* a Unix time about a minute ahead of the server's clock */
  cr_expect(reset > now && reset <= now + 62, "reset %lld now %lld", reset,
            now);
  struct su_resp r = req(s, "POST", "/api/v1/numbers/buy",
                         "{\"service\":\"telegram\",\"country\":\"ru\"}", "K1");
  long long ra = header_num(&r, "Retry-After");
  cr_expect(ra >= 1 && ra <= 60, "Retry-After %lld", ra);
  cr_expect_eq(header_num(&r, "X-RateLimit-Remaining"), 0);
  cr_expect_eq(header_num(&r, "X-RateLimit-Limit"), 3);
  expect(&r, 429, "{\"status\":\"error\",\"message\":\"RATE_LIMITED\"}",
         "v1.numbers.buy", "error");
  /* the refused purchase bought nothing */
  cJSON *st2 = su_state(s);
  cr_expect_eq(cJSON_GetArraySize(cJSON_GetObjectItem(st2, "activations")), 0);
  cJSON_Delete(st2);
  /* per key: K2 has its own allowance; keyless requests have theirs */
  r = req(s, NULL, "/api/v1/balance", NULL, "K2");
  cr_expect_eq(header_num(&r, "X-RateLimit-Remaining"), 2);
  expect(&r, 200, NULL, "v1.balance", "success");
  r = req(s, NULL, "/api/v1/balance", NULL, NULL);
  cr_expect_eq(header_num(&r, "X-RateLimit-Remaining"), 2);
  expect(&r, 401, NULL, "v1.balance", "error");
  /* the window ends a minute later on the simulated clock */
  su_ctl_expect(s, "clock", "{\"advance\":60}", 200);
  r = req(s, NULL, "/api/v1/balance", NULL, "K1");
  cr_expect_eq(header_num(&r, "X-RateLimit-Remaining"), 2);
  cr_expect_geq(header_num(&r, "X-RateLimit-Reset"), reset + 60);
  expect(&r, 200, NULL, "v1.balance", "success");
  su_stop(s);
}

Test(sim_rest, control_reset_restores_the_allowance) {
  struct sc_sim *s = start(1, NULL);
  struct su_resp r = req(s, NULL, "/api/v1/balance", NULL, "K1");
  expect(&r, 200, NULL, NULL, NULL);
  r = req(s, NULL, "/api/v1/balance", NULL, "K1");
  expect(&r, 429, NULL, "v1.balance", "error");
  su_ctl_expect(s, "reset", "{}", 200);
  r = req(s, NULL, "/api/v1/balance", NULL, "K1");
  cr_expect_eq(header_num(&r, "X-RateLimit-Remaining"), 0);
  expect(&r, 200, NULL, "v1.balance", "success");
  su_stop(s);
}

Test(sim_rest, default_limit_is_002s_300) {
  struct sc_sim *s = start(0, NULL);
  struct su_resp r = req(s, NULL, "/api/v1/balance", NULL, "K1");
  cr_expect_eq(header_num(&r, "X-RateLimit-Limit"), 300);
  cr_expect_eq(header_num(&r, "X-RateLimit-Remaining"), 299);
  expect(&r, 200, NULL, NULL, NULL);
  su_stop(s);
}

/* ---- concurrency: money stays exact under parallel buys and deletes ----- */

struct worker {
  unsigned port;
  int buys, deletes, other;
};

static void *buy_and_delete(void *arg) {
  struct worker *w = arg;
  const char *hdrs[] = {"Authorization: Bearer K1",
                        "Content-Type: application/json", NULL};
  char url[256];
  for (int i = 0; i < 20; i++) {
    struct su_resp r;
    snprintf(url, sizeof url, "http://127.0.0.1:%u/api/v1/numbers/buy",
             w->port);
    if (su_fetch(url, "POST", "{\"service\":\"vk\",\"country\":\"tr\"}", hdrs,
                 &r)) {
      w->other++;
      continue;
    }
    char id[64] = "";
    const char *p = strstr(r.body, "\"id\":\"");
    if (r.code == 200 && p && sscanf(p + 6, "%63[^\"]", id) == 1)
      w->buys++;
    else if (r.code != 402)
      w->other++;
    su_resp_free(&r);
    if (id[0] && i % 2) {
      snprintf(url, sizeof url, "http://127.0.0.1:%u/api/v1/activations/%s",
               w->port, id);
      if (!su_fetch(url, "DELETE", NULL, hdrs, &r)) {
        if (r.code == 200 && strstr(r.body, "\"refunded\":true"))
          w->deletes++;
        else
          w->other++;
        su_resp_free(&r);
      } else {
        w->other++;
      }
    }
  }
  return NULL;
}

Test(sim_rest, concurrent_buys_and_deletes_keep_money_exact) {
  struct sc_sim *s = start(10000, NULL);
  su_ctl_expect(s, "stock",
                "{\"service\":\"vk\",\"country\":\"187\","
                "\"count\":100000}",
                200);
  enum { NTHREADS = 4 };
  pthread_t th[NTHREADS];
  struct worker w[NTHREADS];
  for (int i = 0; i < NTHREADS; i++) {
    w[i] = (struct worker){sc_sim_port(s), 0, 0, 0};
    cr_assert_eq(pthread_create(&th[i], NULL, buy_and_delete, &w[i]), 0);
  }
  int buys = 0, deletes = 0, other = 0;
  for (int i = 0; i < NTHREADS; i++) {
    pthread_join(th[i], NULL);
    buys += w[i].buys;
    deletes += w[i].deletes;
    other += w[i].other;
  }
  cr_expect_eq(other, 0);
  cr_expect_gt(buys, 0);
  long long kept = (long long)(buys - deletes) * 50;
  char want[32];
  snprintf(want, sizeof want, "%lld.%02lld", (1000 - kept) / 100,
           (1000 - kept) % 100);
  expect_balance(s, "K1", want);
  su_stop(s);
}

/* ---- the faults: each changes what it says, and only under its name ----- */

static void refund_after_sms(const char *faults) {
  struct sc_sim *s = start(0, faults);
  char id[64];
  buy(s, "K1", id, sizeof id);
  sms(s, id, "1234");
  struct su_resp r = act(s, "DELETE", id, "K1");
  cr_expect(strstr(r.body,
                   faults ? "\"refunded\":true" : "\"refunded\":false") != NULL,
            "%s: %s", faults ? faults : "none", r.body);
  expect(&r, 200, NULL, "v1.activations.delete", "success");
  expect_balance(s, "K1", faults ? "10.00" : "9.50");
  su_stop(s);
}

Test(sim_rest_faults, refund_after_sms) {
  refund_after_sms("rest-refund-after-sms");
  refund_after_sms(NULL);
}

static void rate_headers(const char *faults) {
  struct sc_sim *s = start(2, faults);
  for (int i = 0; i < 3; i++) {
    struct su_resp r = req(s, NULL, "/api/v1/balance", NULL, "K1");
    char v[64];
    const char *names[] = {"X-RateLimit-Limit", "X-RateLimit-Remaining",
                           "X-RateLimit-Reset"};
    for (size_t k = 0; k < 3; k++)
      cr_expect_eq(header(&r, names[k], v, sizeof v), faults ? 0 : 1, "%s %s",
                   names[k], faults ? faults : "none");
    /* the limit itself still holds */
    expect(&r, i < 2 ? 200 : 429, NULL, "v1.balance", NULL);
  }
  su_stop(s);
}

Test(sim_rest_faults, no_rate_headers) {
  rate_headers("rest-no-rate-headers");
  rate_headers(NULL);
}

static void over_limit(const char *faults) {
  struct sc_sim *s = start(2, faults);
  for (int i = 0; i < 4; i++) {
    struct su_resp r = req(s, NULL, "/api/v1/balance", NULL, "K1");
    long want = (faults || i < 2) ? 200 : 429;
    cr_expect_eq(header_num(&r, "X-RateLimit-Remaining"), i < 2 ? 1 - i : 0);
    cr_expect_eq(header_num(&r, "Retry-After") > 0, want == 429);
    expect(&r, want, NULL, "v1.balance", want == 200 ? "success" : "error");
  }
  su_stop(s);
}

Test(sim_rest_faults, no_429) {
  over_limit("rest-no-429");
  over_limit(NULL);
}

static void keyless(const char *faults) {
  struct sc_sim *s = start(0, faults);
  const char *const none[] = {NULL};
  const char *const basic[] = {"Authorization: Basic SzE6", NULL};
  struct su_resp r = su_http(s, NULL, "/api/v1/balance", NULL, none);
  expect(&r, faults ? 200 : 401,
         faults ? "{\"balance\":10.00,\"currency\":\"USD\"}" : NULL,
         "v1.balance", faults ? "success" : "error");
  r = su_http(s, "POST", "/api/v1/numbers/buy",
              "{\"service\":\"telegram\",\"country\":\"ru\"}", basic);
  expect(&r, faults ? 200 : 401, NULL, "v1.numbers.buy",
         faults ? "success" : "error");
  /* the first account paid, or nobody did */
  expect_balance(s, "K1", faults ? "9.50" : "10.00");
  /* a wrong or malformed key is still refused */
  r = req(s, NULL, "/api/v1/balance", NULL, "nope");
  expect(&r, 401, NULL, "v1.balance", "error");
  r = req(s, NULL, "/api/v1/balance", NULL, "K1 K2");
  expect(&r, 401, NULL, "v1.balance", "error");
  su_stop(s);
}

Test(sim_rest_faults, no_auth) {
  keyless("rest-no-auth");
  keyless(NULL);
}

static void charge(const char *faults) {
  struct sc_sim *s = start(0, faults);
  char id[64];
  buy(s, "K1", id, sizeof id);
  expect_balance(s, "K1", faults ? "10.00" : "9.50");
  struct su_resp r = act(s, "DELETE", id, "K1");
  expect(&r, 200, NULL, "v1.activations.delete", "success");
  expect_balance(s, "K1", "10.00");
  su_stop(s);
}

Test(sim_rest_faults, no_charge) {
  charge("no-charge");
  charge(NULL);
}

static void sell_low(const char *faults) {
  struct sc_sim *s = start(0, faults);
  su_ctl_expect(s, "balance", "{\"apiKey\":\"K1\",\"balance\":0.2}", 200);
  struct su_resp r = req(s, "POST", "/api/v1/numbers/buy",
                         "{\"service\":\"telegram\",\"country\":\"ru\"}", "K1");
  expect(&r, faults ? 200 : 402, NULL, "v1.numbers.buy",
         faults ? "success" : "error");
  expect_balance(s, "K1", faults ? "-0.30" : "0.20");
  su_stop(s);
}

Test(sim_rest_faults, sell_no_balance) {
  sell_low("sell-no-balance");
  sell_low(NULL);
}

static void expiry_refund(const char *faults) {
  struct sc_sim *s = start(0, faults);
  char id[64];
  buy(s, "K1", id, sizeof id);
  su_ctl_expect(s, "clock", "{\"advance\":1200}", 200);
  expect_balance(s, "K1", faults ? "9.50" : "10.00");
  su_stop(s);
}

Test(sim_rest_faults, expiry_no_refund) {
  expiry_refund("expiry-no-refund");
  expiry_refund(NULL);
}

static void cross(const char *faults) {
  struct sc_sim *s = start(0, faults);
  char id[64];
  buy(s, "K1", id, sizeof id);
  struct su_resp r = act(s, NULL, id, "K2");
  expect(&r, faults ? 200 : 404, NULL, NULL, NULL);
  su_stop(s);
}

Test(sim_rest_faults, cross_account) {
  cross("cross-account");
  cross(NULL);
}

/* serve --actions under rest-v1: a route left out does not exist (404, or
 * 405 naming the methods that remain on its path). */
Test(sim_rest, actions_leave_routes_out) {
  struct sc_sim *s = su_start_cfg(
      (struct sc_sim_config){.profile = PROFILE,
                             .actions = "v1.balance,v1.activations.get",
                             .early_cancel_seconds = -1});
  struct su_resp r = req(s, "GET", "/api/v1/balance", NULL, "K1");
  cr_expect_eq(r.code, 200, "%s", r.body);
  su_resp_free(&r);
  r = req(s, "POST", "/api/v1/numbers/buy",
          "{\"service\":\"telegram\",\"country\":\"ru\"}", "K1");
  expect(&r, 404, "{\"status\":\"error\",\"message\":\"BAD_ACTION\"}", NULL,
         NULL);
  r = req(s, "GET", "/api/v1/numbers/available", NULL, "K1");
  expect(&r, 404, "{\"status\":\"error\",\"message\":\"BAD_ACTION\"}", NULL,
         NULL);
  /* GET stays on activations/:id, DELETE is gone */
  r = req(s, "DELETE", "/api/v1/activations/act_1", NULL, "K1");
  char allow[64] = "";
  header(&r, "Allow", allow, sizeof allow);
  cr_expect_str_eq(allow, "GET");
  expect(&r, 405, "{\"status\":\"error\",\"message\":\"BAD_ACTION\"}", NULL,
         NULL);
  r = req(s, "GET", "/api/v1/activations/act_1", NULL, "K1");
  expect(&r, 404, "{\"status\":\"error\",\"message\":\"NO_ACTIVATION\"}",
         "v1.activations.get", "error");
  /* control still works */
  su_ctl_expect(s, "balance", "{\"apiKey\":\"K1\",\"balance\":1}", 200);
  expect_balance(s, "K1", "1.00");
  su_stop(s);
}
