/* test_sim_cat.c — tests for sc_sim_cat.c (balance, catalogue, e-mail,
 * partner and wallet actions) over real HTTP, and for the catalogue they
 * sell from (sc_sim_catalogue.c): the default one, the loader's
 * diagnostics, hostile files and a catalogue of 200 x 500.
 *
 * Criterion re-execs its workers, so every Test starts its own simulator on
 * 127.0.0.1 port 0 and stops it before returning; parameterized cases are
 * int indices into static tables (no pointers cross the re-exec). */
#include "sc_alloc.h"
#include "sc_buf.h"
#include "sim_util.h"

#include <smsconform/smsconform.h>

#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum prof { P_REF, P_KOALA, P_BULK, P_SECURE };
static const char *const profiles[] = {"sms-activate", "koalasms", "smsbulk",
                                       "securesms"};

/* ---- helpers ------------------------------------------------------------- */

/* |action| answered |r| in |profile|: no FAIL, of |kind|, and exactly
 * PASS unless |warn| (then exactly WARN). */
static void judge(const char *action, const char *profile,
                  const struct su_resp *r, const char *kind, int warn) {
  su_expect_pass(action, profile, r, kind);
  enum sc_verdict v = su_verdict(action, profile, r);
  cr_expect_eq(v, warn ? SC_VERDICT_WARN : SC_VERDICT_PASS,
               "%s [%s] '%.200s' is %s, want %s", action, profile, r->body,
               sc_verdict_name(v), warn ? "WARN" : "PASS");
}

/* Body of a GET, judged; the caller frees with sc_free. */
static char *call(struct sc_sim *s, enum prof p, const char *action,
                  const char *kind, int warn, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
static char *call(struct sc_sim *s, enum prof p, const char *action,
                  const char *kind, int warn, const char *fmt, ...) {
  char q[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(q, sizeof q, fmt, ap);
  va_end(ap);
  struct su_resp r = su_getf(s, "action=%s&%s", action, q);
  cr_expect_eq(r.code, 200, "%s %s: HTTP %ld", action, q, r.code);
  judge(action, profiles[p], &r, kind, warn);
  return r.body;
}

/* The parsed JSON of a judged success (free with cJSON_Delete). */
static cJSON *call_json(struct sc_sim *s, enum prof p, const char *action,
                        const char *query) {
  char *body = call(s, p, action, "success", 0, "%s", query);
  cJSON *j = cJSON_Parse(body);
  cr_assert_not_null(j, "%s: not JSON: %s", action, body);
  sc_free(body);
  return j;
}

static void expect_body(struct sc_sim *s, enum prof p, const char *action,
                        const char *query, const char *kind, int warn,
                        const char *want) {
  char *body = call(s, p, action, kind, warn, "%s", query);
  cr_expect_str_eq(body, want, "%s %s", action, query);
  sc_free(body);
}

/* A number at |path| (keys, NULL-terminated) inside |j|; -1 if absent. */
static double num_at(const cJSON *j, ...) {
  va_list ap;
  va_start(ap, j);
  const char *k;
  while (j && (k = va_arg(ap, const char *)))
    j = cJSON_GetObjectItemCaseSensitive(j, k);
  va_end(ap);
  return cJSON_IsNumber(j) ? j->valuedouble : -1;
}

static long long cents(double d) {
  return (long long)(d * 100 + (d < 0 ? -0.5 : 0.5));
}

/* balance + every unrefunded charge == base, for every account, from
 * /control/state (numbers, mailboxes and partner software). */
static void expect_invariant(struct sc_sim *s) {
  cJSON *st = su_state(s);
  const cJSON *acc;
  cJSON_ArrayForEach(acc, cJSON_GetObjectItem(st, "accounts")) {
    const char *key = cJSON_GetObjectItem(acc, "apiKey")->valuestring;
    long long held = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, cJSON_GetObjectItem(st, "activations")) {
      if (!strcmp(cJSON_GetObjectItem(it, "apiKey")->valuestring, key) &&
          !cJSON_IsTrue(cJSON_GetObjectItem(it, "refunded")))
        held += cents(cJSON_GetObjectItem(it, "cost")->valuedouble);
    }
    cJSON_ArrayForEach(it, cJSON_GetObjectItem(st, "mail")) {
      if (!strcmp(cJSON_GetObjectItem(it, "apiKey")->valuestring, key) &&
          !cJSON_IsTrue(cJSON_GetObjectItem(it, "refunded")))
        held += cents(cJSON_GetObjectItem(it, "cost")->valuedouble);
    }
    cJSON_ArrayForEach(it, cJSON_GetObjectItem(st, "partner")) {
      if (!strcmp(cJSON_GetObjectItem(it, "apiKey")->valuestring, key))
        held += cents(cJSON_GetObjectItem(it, "spent")->valuedouble);
    }
    long long bal = cents(cJSON_GetObjectItem(acc, "balance")->valuedouble);
    long long base = cents(cJSON_GetObjectItem(acc, "base")->valuedouble);
    cr_expect_eq(bal + held, base, "%s: balance %lld + held %lld != base %lld",
                 key, bal, held, base);
  }
  cJSON_Delete(st);
}

/* Buys a mailbox; its id. */
static unsigned long long buy_mail(struct sc_sim *s, const char *key,
                                   const char *type, const char *domain) {
  char *body = call(s, P_REF, "buyMailActivation", "success", 0,
                    "api_key=%s&site=telegram.org&mail_type=%s"
                    "&mail_domain=%s",
                    key, type, domain);
  cJSON *j = cJSON_Parse(body);
  double id = num_at(j, "response", "id", NULL);
  cr_assert_gt(id, 0, "%s", body);
  cJSON_Delete(j);
  sc_free(body);
  return (unsigned long long)id;
}

static void expect_balance(struct sc_sim *s, const char *key,
                           const char *want) {
  char q[64], w[64];
  snprintf(q, sizeof q, "api_key=%s&action=getBalance", key);
  snprintf(w, sizeof w, "ACCESS_BALANCE:%s", want);
  su_api_expect(s, q, w);
}

/* ---- every action of every profile, and every documented error -------- */

struct acase {
  enum prof p;
  const char *action;
  const char *query; /* after api_key=K1&action=ACTION */
  const char *kind;  /* the parser's kind */
  int warn;          /* 1: the documents are silent, the answer is WARN */
  const char *body;  /* exact body; NULL = not compared */
};

static const struct acase acases[] = {
    /* --- sms-activate (001) --- */
    {P_REF, "getBalance", "", "success", 0, "ACCESS_BALANCE:10.00"},
    {P_REF, "getBalanceAndCashBack", "", "success", 0, "ACCESS_BALANCE:10.00"},
    {P_REF, "getPrices", "", "success", 0, NULL},
    {P_REF, "getPrices", "&service=tg&country=0", "success", 0,
     "{\"0\":{\"tg\":{\"cost\":0.5,\"count\":10}}}"},
    {P_REF, "getPrices", "&country=187", "success", 0, NULL},
    /* 001 lists no error: a filter naming nothing gives nothing */
    {P_REF, "getPrices", "&service=zz", "success", 0, "{}"},
    {P_REF, "getPrices", "&country=999", "success", 0, "{}"},
    {P_REF, "getPricesVerification", "", "success", 0, NULL},
    {P_REF, "getPricesVerification", "&service=wa", "success", 0,
     "{\"wa\":{\"0\":{\"cost\":0.5,\"count\":10},\"12\":{\"cost\":0.5,"
     "\"count\":10},\"187\":{\"cost\":0.5,\"count\":10}}}"},
    {P_REF, "getPricesVerification", "&service=zz", "success", 0, "{}"},
    {P_REF, "getNumbersStatus", "", "success", 0,
     "{\"tg_0\":30,\"wa_0\":30,\"vk_0\":30,\"go_0\":30,\"ig_0\":30}"},
    {P_REF, "getNumbersStatus", "&country=0", "success", 0,
     "{\"tg_0\":10,\"wa_0\":10,\"vk_0\":10,\"go_0\":10,\"ig_0\":10}"},
    /* the operator filter does not split the fixture's stock */
    {P_REF, "getNumbersStatus", "&country=0&operator=mts,tele2", "success", 0,
     "{\"tg_0\":10,\"wa_0\":10,\"vk_0\":10,\"go_0\":10,\"ig_0\":10}"},
    {P_REF, "getNumbersStatus", "&country=999", "success", 0, "{}"},
    {P_REF, "getCountries", "", "success", 0, NULL},
    {P_REF, "getOperators", "", "success", 0, NULL},
    {P_REF, "getOperators", "&country=0", "success", 0,
     "{\"status\":\"success\",\"countryOperators\":{\"0\":[\"beeline\","
     "\"megafon\",\"mts\",\"rostelecom\",\"tele2\"]}}"},
    {P_REF, "getOperators", "&country=999", "error", 0, "OPERATORS_NOT_FOUND"},
    {P_REF, "getServicesList", "", "success", 0, NULL},
    {P_REF, "getServicesList", "&country=12&lang=ru", "success", 0,
     "{\"status\":\"success\",\"services\":[{\"code\":\"tg\",\"name\":"
     "\"Telegram\"},{\"code\":\"wa\",\"name\":\"WhatsApp\"},{\"code\":\"vk\","
     "\"name\":\"VKontakte\"},{\"code\":\"go\",\"name\":\"Google\"},{\"code\":"
     "\"ig\",\"name\":\"Instagram\"}]}"},
    {P_REF, "getServicesList", "&country=999", "success", 0,
     "{\"status\":\"success\",\"services\":[]}"},
    {P_REF, "getTopCountriesByService", "", "success", 0, NULL},
    {P_REF, "getTopCountriesByService", "&service=tg", "success", 0,
     "{\"0\":{\"country\":0,\"count\":10,\"price\":0.5,\"retail_price\":1},"
     "\"1\":{\"country\":12,\"count\":10,\"price\":0.5,\"retail_price\":1},"
     "\"2\":{\"country\":187,\"count\":10,\"price\":0.5,\"retail_price\":1}}"},
    {P_REF, "getTopCountriesByService", "&service=tg&freePrice=true", "success",
     0, NULL},
    {P_REF, "getTopCountriesByService", "&service=zz", "success", 0, "{}"},
    {P_REF, "getListOfTopCountriesByService", "&service=tg", "success", 0,
     "[{\"country\":0,\"share\":0,\"rate\":0},{\"country\":12,\"share\":0,"
     "\"rate\":0},{\"country\":187,\"share\":0,\"rate\":0}]"},
    {P_REF, "getListOfTopCountriesByService", "", "error", 0, "WRONG_SERVICE"},
    {P_REF, "getListOfTopCountriesByService", "&service=zz", "error", 0,
     "WRONG_SERVICE"},
    {P_REF, "getDomains", "&site=telegram.org", "success", 0, NULL},
    {P_REF, "getDomains", "", "error", 0,
     "{\"status\":\"error\",\"message\":\"BAD_SITE\"}"},
    {P_REF, "getDomains", "&site=%3Cscript%3E", "error", 0,
     "{\"status\":\"error\",\"message\":\"BAD_SITE\"}"},
    {P_REF, "buyMailActivation",
     "&site=telegram.org&mail_type=2&mail_domain=gmail.com", "success", 0,
     NULL},
    {P_REF, "buyMailActivation",
     "&site=telegram.org&mail_type=1&mail_domain=gmail.com", "error", 0,
     "{\"status\":\"error\",\"message\":\"MAIL_TYPE_ERROR\"}"},
    {P_REF, "buyMailActivation",
     "&site=telegram.org&mail_type=2&mail_domain=nowhere.example", "error", 0,
     "{\"status\":\"error\",\"message\":\"MAIL_TYPE_ERROR\"}"},
    {P_REF, "buyMailActivation", "&mail_type=1&mail_domain=com", "error", 0,
     "{\"status\":\"error\",\"message\":\"MAIL_TYPE_ERROR\"}"},
    {P_REF, "reorderMailActivation", "&id=1", "error", 0,
     "{\"status\":\"error\",\"message\":\"ACTIVATION_NOT_FOUND\"}"},
    {P_REF, "reorderMailActivation", "&id=abc", "error", 0,
     "{\"status\":\"error\",\"message\":\"ACTIVATION_NOT_FOUND\"}"},
    {P_REF, "getMailHistory", "", "success", 0,
     "{\"status\":\"OK\",\"response\":{\"list\":[],\"total\":0}}"},
    /* 001 lists no error for an unknown id here: WARN (undocumented) */
    {P_REF, "cancelMailActivation", "&id=1", "error", 1,
     "{\"status\":\"error\",\"message\":\"ACTIVATION_NOT_FOUND\"}"},
    {P_REF, "checkMailActivation", "&id=abc", "error", 1,
     "{\"status\":\"error\",\"message\":\"ACTIVATION_NOT_FOUND\"}"},
    {P_REF, "buyPartnerProduct", "&id=1", "success", 0, NULL},
    {P_REF, "buyPartnerProduct", "&productId=2", "success", 0, NULL},
    {P_REF, "buyPartnerProduct", "&id=abc", "error", 0, "BAD_DATA"},
    {P_REF, "buyPartnerProduct", "&id=99", "error", 0, "BAD_DATA"},
    {P_REF, "buyPartnerProduct", "", "error", 0, "BAD_DATA"},
    /* --- koalasms (000) --- */
    {P_KOALA, "getBalance", "", "success", 0, "ACCESS_BALANCE:10.00"},
    {P_KOALA, "getPrices", "&country=0", "success", 0, NULL},
    {P_KOALA, "getPrices", "&service=zz", "success", 0, "{}"},
    {P_KOALA, "getPricesV2", "", "success", 0, NULL},
    {P_KOALA, "getPricesV2", "&service=tg&country=12", "success", 0,
     "{\"12\":{\"tg\":{\"0.50\":4,\"0.63\":3,\"0.75\":3}}}"},
    {P_KOALA, "getPricesV2", "&service=zz", "error", 0, "BAD_SERVICE"},
    {P_KOALA, "getPricesV3", "", "success", 0, NULL},
    {P_KOALA, "getPricesV3", "&service=tg&country=0", "success", 0,
     "{\"0\":{\"tg\":{\"price\":0.5,\"count\":10,\"providers\":{\"2260\":{"
     "\"price\":[0.5],\"count\":4,\"provider_id\":2260},\"2266\":{\"price\":"
     "[0.63],\"count\":3,\"provider_id\":2266},\"2273\":{\"price\":[0.75],"
     "\"count\":3,\"provider_id\":2273}}}}}"},
    {P_KOALA, "getPricesV3", "&service=zz&country=0", "error", 0,
     "BAD_SERVICE"},
    /* --- smsbulk (003) --- */
    {P_BULK, "getBalance", "", "success", 0, "ACCESS_BALANCE:10.00"},
    {P_BULK, "getNumbersStatus", "", "success", 0, NULL},
    {P_BULK, "getNumbersStatus", "&country=187", "success", 0,
     "{\"tg_187\":10,\"wa_187\":10,\"vk_187\":10,\"go_187\":10,"
     "\"ig_187\":10}"},
    /* 003 "Triple format support": id, ISO code or slug */
    {P_BULK, "getNumbersStatus", "&country=TR", "success", 0,
     "{\"tg_187\":10,\"wa_187\":10,\"vk_187\":10,\"go_187\":10,"
     "\"ig_187\":10}"},
    {P_BULK, "getNumbersStatus", "&country=usa", "success", 0, NULL},
    {P_BULK, "getNumbersStatus", "&country=atlantis", "error", 0,
     "BAD_COUNTRY"},
    {P_BULK, "getPrices", "", "success", 0, NULL},
    {P_BULK, "getPrices", "&service=wa&country=turkey", "success", 0,
     "{\"187\":{\"wa\":{\"cost\":0.5,\"count\":10}}}"},
    {P_BULK, "getPrices", "&service=zz&country=187", "error", 0, "BAD_SERVICE"},
    {P_BULK, "getPrices", "&service=wa&country=xx", "error", 0, "BAD_COUNTRY"},
    {P_BULK, "getCountries", "", "success", 0,
     "[{\"id\":0,\"iso\":\"RU\"},{\"id\":12,\"iso\":\"US\"},{\"id\":187,"
     "\"iso\":\"TR\"}]"},
    /* --- securesms (004) --- */
    {P_SECURE, "getBalance", "", "success", 0, "ACCESS_BALANCE:10.00"},
    {P_SECURE, "getPrices", "&service=tg&country=0", "success", 0,
     "{\"0\":{\"tg\":{\"cost\":0.5,\"count\":10}}}"},
    {P_SECURE, "getPrices", "&service=zz", "error", 0, "WRONG_SERVICE"},
    {P_SECURE, "getPricesV3", "", "success", 0, NULL},
    {P_SECURE, "getPricesV3", "&service=tg&country=0", "success", 0,
     "{\"0\":{\"tg\":{\"2260\":{\"price\":0.5,\"count\":4,\"provider_id\":"
     "2260},\"2266\":{\"price\":0.63,\"count\":3,\"provider_id\":2266},"
     "\"2273\":{\"price\":0.75,\"count\":3,\"provider_id\":2273}}}}"},
    {P_SECURE, "getPricesV3", "&service=zz", "error", 0, "WRONG_SERVICE"},
    {P_SECURE, "getServicesList", "", "success", 0, NULL},
    {P_SECURE, "getCountries", "", "success", 0, NULL},
    {P_SECURE, "getTopCountriesByService", "&service=tg", "success", 0, NULL},
    {P_SECURE, "getTopCountriesByService", "", "success", 0, NULL},
    {P_SECURE, "getTopCountriesByService", "&service=zz", "error", 0,
     "WRONG_SERVICE"},
    {P_SECURE, "getActualWalletAddress", "&coin=usdt&network=tron", "success",
     0, NULL},
};
#define NACASES (sizeof acases / sizeof *acases)

ParameterizedTestParameters(cat, answers) {
  static int idx[NACASES];
  for (size_t i = 0; i < NACASES; i++)
    idx[i] = (int)i;
  return cr_make_param_array(int, idx, NACASES);
}

ParameterizedTest(int *i, cat, answers) {
  const struct acase *k = &acases[*i];
  struct sc_sim *s = su_start(profiles[k->p], NULL);
  char *body =
      call(s, k->p, k->action, k->kind, k->warn, "api_key=K1%s", k->query);
  if (k->body)
    cr_expect_str_eq(body, k->body, "%s [%s] %s", k->action, profiles[k->p],
                     k->query);
  sc_free(body);
  su_stop(s);
}

/* A wrong key on this module's actions is the core's BAD_KEY, and passes. */
Test(cat, bad_key_on_every_profile) {
  static const char *const actions[] = {
      "getPrices", "getPricesV2", "getNumbersStatus", "getActualWalletAddress"};
  static const enum prof ps[] = {P_REF, P_KOALA, P_BULK, P_SECURE};
  for (size_t i = 0; i < 4; i++) {
    struct sc_sim *s = su_start(profiles[ps[i]], NULL);
    struct su_resp r = su_getf(s, "api_key=nope&action=%s", actions[i]);
    cr_expect_str_eq(r.body, "BAD_KEY");
    judge(actions[i], profiles[ps[i]], &r, "error", 0);
    su_resp_free(&r);
    su_stop(s);
  }
}

/* What a profile does not list is refused by the core: the module's
 * actions exist only where the documents put them. */
Test(cat, actions_outside_the_profile_are_unknown_actions) {
  static const struct {
    enum prof p;
    const char *action;
  } rows[] = {
      {P_REF, "getPricesV2"},         {P_REF, "getActualWalletAddress"},
      {P_KOALA, "getCountries"},      {P_KOALA, "getDomains"},
      {P_BULK, "getPricesV3"},        {P_BULK, "getOperators"},
      {P_SECURE, "getNumbersStatus"}, {P_SECURE, "buyPartnerProduct"},
  };
  for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
    struct sc_sim *s = su_start(profiles[rows[i].p], NULL);
    struct su_resp r = su_getf(s, "api_key=K1&action=%s", rows[i].action);
    /* 003 "Error Codes": WRONG_ACTION - action name not supported */
    cr_expect_str_eq(r.body,
                     rows[i].p == P_BULK ? "WRONG_ACTION" : "BAD_ACTION",
                     "%s [%s]", rows[i].action, profiles[rows[i].p]);
    su_resp_free(&r);
    su_stop(s);
  }
}

/* ---- the catalogue follows the live fixture ------------------------------ */

Test(cat, prices_follow_control_and_purchases) {
  struct sc_sim *s = su_start(NULL, NULL);
  su_ctl_expect(s, "price",
                "{\"service\":\"tg\",\"country\":\"0\",\"cost\":1.25}", 200);
  su_ctl_expect(s, "stock",
                "{\"service\":\"tg\",\"country\":\"0\",\"count\":3}", 200);
  expect_body(s, P_REF, "getPrices", "api_key=K1&service=tg&country=0",
              "success", 0, "{\"0\":{\"tg\":{\"cost\":1.25,\"count\":3}}}");
  cJSON *j = call_json(s, P_REF, "getNumbersStatus", "api_key=K1&country=0");
  cr_expect_eq(num_at(j, "tg_0", NULL), 3);
  cJSON_Delete(j);
  su_buy(s, "K2", "tg", "0");
  expect_body(s, P_REF, "getPrices", "api_key=K1&service=tg&country=0",
              "success", 0, "{\"0\":{\"tg\":{\"cost\":1.25,\"count\":2}}}");
  j = call_json(s, P_REF, "getNumbersStatus", "api_key=K1&country=0");
  cr_expect_eq(num_at(j, "tg_0", NULL), 2);
  cr_expect_eq(num_at(j, "wa_0", NULL), 10);
  cJSON_Delete(j);
  j = call_json(s, P_REF, "getNumbersStatus", "api_key=K1");
  cr_expect_eq(num_at(j, "tg_0", NULL), 22); /* 2 + 10 + 10 */
  cJSON_Delete(j);
  j = call_json(s, P_REF, "getPricesVerification", "api_key=K1&service=tg");
  cr_expect_eq(num_at(j, "tg", "0", "cost", NULL), 1.25);
  cr_expect_eq(num_at(j, "tg", "0", "count", NULL), 2);
  cJSON_Delete(j);
  /* top countries: tg in 0 now has the fewest numbers, at 1.25 */
  j = call_json(s, P_REF, "getTopCountriesByService",
                "api_key=K1&service=tg&freePrice=true");
  cr_expect_eq(num_at(j, "2", "country", NULL), 0);
  cr_expect_eq(num_at(j, "2", "count", NULL), 2);
  cr_expect_eq(num_at(j, "2", "price", NULL), 1.25);
  cr_expect_eq(num_at(j, "2", "retail_price", NULL), 2.5);
  cr_expect_eq(num_at(j, "2", "freePriceMap", "1.25", NULL), 1);
  cr_expect_eq(num_at(j, "2", "freePriceMap", "1.56", NULL), 1);
  cr_expect_eq(num_at(j, "2", "freePriceMap", "1.88", NULL), 0);
  cr_expect_eq(num_at(j, "0", "country", NULL), 12);
  cJSON_Delete(j);
  su_stop(s);
}

Test(cat, provider_prices_follow_the_fixture) {
  struct sc_sim *s = su_start("koalasms", NULL);
  su_ctl_expect(s, "price",
                "{\"service\":\"tg\",\"country\":\"12\",\"cost\":1.25}", 200);
  su_ctl_expect(s, "stock",
                "{\"service\":\"tg\",\"country\":\"12\",\"count\":3}", 200);
  expect_body(s, P_KOALA, "getPricesV2", "api_key=K1&service=tg&country=12",
              "success", 0,
              "{\"12\":{\"tg\":{\"1.25\":1,\"1.56\":1,\"1.88\":1}}}");
  su_buy(s, "K1", "tg", "12");
  expect_body(s, P_KOALA, "getPricesV2", "api_key=K1&service=tg&country=12",
              "success", 0,
              "{\"12\":{\"tg\":{\"1.25\":1,\"1.56\":1,\"1.88\":0}}}");
  cJSON *j =
      call_json(s, P_KOALA, "getPricesV3", "api_key=K1&service=tg&country=12");
  cr_expect_eq(num_at(j, "12", "tg", "count", NULL), 2);
  cr_expect_eq(num_at(j, "12", "tg", "price", NULL), 1.25);
  cr_expect_eq(num_at(j, "12", "tg", "providers", "2273", "count", NULL), 0);
  cJSON_Delete(j);
  /* stock 0: every level is empty, the entry stays */
  su_ctl_expect(s, "stock",
                "{\"service\":\"tg\",\"country\":\"12\",\"count\":0}", 200);
  j = call_json(s, P_KOALA, "getPrices", "api_key=K1&service=tg&country=12");
  cr_expect_eq(num_at(j, "12", "tg", "count", NULL), 0);
  cJSON_Delete(j);
  su_stop(s);

  s = su_start("securesms", NULL);
  su_ctl_expect(s, "stock",
                "{\"service\":\"wa\",\"country\":\"187\",\"count\":50}", 200);
  j = call_json(s, P_SECURE, "getTopCountriesByService",
                "api_key=K1&service=wa");
  /* turkey first now, keyed by slug then provider id */
  cr_assert(cJSON_IsObject(j->child));
  cr_expect_str_eq(j->child->string, "turkey");
  cr_expect_eq(num_at(j, "turkey", "2260", "count", NULL), 17);
  cr_expect_eq(num_at(j, "turkey", "2266", "price", NULL), 0.63);
  cJSON_Delete(j);
  su_buy(s, "K1", "wa", "187");
  j = call_json(s, P_SECURE, "getPricesV3",
                "api_key=K1&service=wa&country=187");
  double sum = 0;
  const cJSON *p;
  cJSON_ArrayForEach(p,
                     cJSON_GetObjectItem(cJSON_GetObjectItem(j, "187"), "wa")) {
    sum += num_at(p, "count", NULL);
  }
  cr_expect_eq(sum, 49);
  cJSON_Delete(j);
  su_stop(s);
}

Test(cat, smsbulk_stock_drops_after_purchase) {
  struct sc_sim *s = su_start("smsbulk", NULL);
  cJSON *j = call_json(s, P_BULK, "getNumbersStatus", "api_key=K1");
  cr_expect_eq(num_at(j, "wa_187", NULL), 10);
  cr_expect_eq(num_at(j, "wa_0", NULL), 10);
  cJSON_Delete(j);
  su_buy(s, "K1", "wa", "187");
  j = call_json(s, P_BULK, "getNumbersStatus", "api_key=K1&country=tr");
  cr_expect_eq(num_at(j, "wa_187", NULL), 9);
  cr_expect_eq(num_at(j, "tg_187", NULL), 10);
  cr_expect_eq(cJSON_GetArraySize(j), 5);
  cJSON_Delete(j);
  expect_body(s, P_BULK, "getPrices", "api_key=K1&service=wa&country=TR",
              "success", 0, "{\"187\":{\"wa\":{\"cost\":0.5,\"count\":9}}}");
  su_stop(s);
}

Test(cat, countries_shapes) {
  struct sc_sim *s = su_start(NULL, NULL);
  cJSON *j = call_json(s, P_REF, "getCountries", "api_key=K1");
  cr_expect_eq(cJSON_GetArraySize(j), 3);
  cJSON *ru = cJSON_GetObjectItem(j, "0");
  cr_expect_str_eq(cJSON_GetObjectItem(ru, "eng")->valuestring, "Russia");
  cr_expect_str_eq(cJSON_GetObjectItem(ru, "rus")->valuestring, "Россия");
  cr_expect_eq(num_at(j, "187", "id", NULL), 187);
  cr_expect_eq(num_at(j, "12", "visible", NULL), 1);
  cr_expect_eq(num_at(j, "12", "multiService", NULL), 1);
  cJSON_Delete(j);
  su_stop(s);
  s = su_start("securesms", NULL);
  j = call_json(s, P_SECURE, "getCountries", "api_key=K1");
  cr_expect_str_eq(
      cJSON_GetObjectItem(cJSON_GetObjectItem(j, "187"), "chn")->valuestring,
      "土耳其");
  cr_expect_eq(num_at(j, "187", "visible", NULL), -1, "004 sends no flags");
  cJSON_Delete(j);
  su_stop(s);
}

Test(cat, operators_all_countries) {
  struct sc_sim *s = su_start(NULL, NULL);
  cJSON *j = call_json(s, P_REF, "getOperators", "api_key=K1");
  cJSON *m = cJSON_GetObjectItem(j, "countryOperators");
  cr_expect_eq(cJSON_GetArraySize(m), 3);
  cr_expect_eq(cJSON_GetArraySize(cJSON_GetObjectItem(m, "187")), 3);
  cJSON_Delete(j);
  su_stop(s);
}

Test(cat, list_of_top_countries_follows_activations) {
  struct sc_sim *s = su_start(NULL, NULL);
  unsigned long long a = su_buy(s, "K1", "tg", "0");
  su_buy(s, "K1", "tg", "0");
  su_buy(s, "K2", "tg", "12");
  su_buy(s, "K2", "wa", "187");
  char body[128], q[128];
  snprintf(body, sizeof body, "{\"activationId\":\"%llu\",\"code\":\"1234\"}",
           a);
  su_ctl_expect(s, "sms", body, 200);
  snprintf(q, sizeof q, "api_key=K1&action=setStatus&status=6&id=%llu", a);
  su_api_expect(s, q, "ACCESS_ACTIVATION");
  /* tg: 2 of 3 purchases in 0, 1 in 12; 0 completed 1 of its 2 */
  expect_body(s, P_REF, "getListOfTopCountriesByService",
              "api_key=K1&service=tg", "success", 0,
              "[{\"country\":0,\"share\":66.67,\"rate\":50},{\"country\":12,"
              "\"share\":33.33,\"rate\":0},{\"country\":187,\"share\":0,"
              "\"rate\":0}]");
  su_stop(s);
}

Test(cat, wallet_address_is_static_per_account) {
  struct sc_sim *s = su_start("securesms", NULL);
  cJSON *a = call_json(s, P_SECURE, "getActualWalletAddress",
                       "api_key=K1&coin=usdt&network=tron");
  cJSON *b = call_json(s, P_SECURE, "getActualWalletAddress", "api_key=K1");
  cJSON *c = call_json(s, P_SECURE, "getActualWalletAddress",
                       "api_key=K2&coin=usdt&network=tron");
  const char *wa = cJSON_GetObjectItem(a, "wallet_address")->valuestring;
  cr_expect_eq(strlen(wa), 34u);
  cr_expect_eq(wa[0], 'T');
  cr_expect_str_eq(wa, cJSON_GetObjectItem(b, "wallet_address")->valuestring);
  cr_expect_str_neq(wa, cJSON_GetObjectItem(c, "wallet_address")->valuestring);
  cJSON_Delete(a);
  cJSON_Delete(b);
  cJSON_Delete(c);
  su_stop(s);
}

/* ---- balance ------------------------------------------------------------- */

Test(cat, balances_follow_the_account) {
  struct sc_sim *s = su_start(NULL, NULL);
  su_ctl_expect(s, "balance", "{\"apiKey\":\"K1\",\"balance\":12.5}", 200);
  expect_body(s, P_REF, "getBalance", "api_key=K1", "success", 0,
              "ACCESS_BALANCE:12.50");
  expect_body(s, P_REF, "getBalanceAndCashBack", "api_key=K1", "success", 0,
              "ACCESS_BALANCE:12.50");
  expect_body(s, P_REF, "getBalanceAndCashBack", "api_key=K2", "success", 0,
              "ACCESS_BALANCE:100.00");
  su_stop(s);
}

/* ---- e-mail -------------------------------------------------------------- */

Test(cat, mail_domains) {
  struct sc_sim *s = su_start(NULL, NULL);
  cJSON *j = call_json(s, P_REF, "getDomains", "api_key=K1&site=instagram.com");
  cJSON *r = cJSON_GetObjectItem(j, "response");
  cr_expect_str_eq(cJSON_GetObjectItem(j, "status")->valuestring, "OK");
  cr_expect_eq(cJSON_GetArraySize(cJSON_GetObjectItem(r, "zones")), 3);
  cJSON *pop = cJSON_GetObjectItem(r, "popular");
  cr_expect_eq(cJSON_GetArraySize(pop), 3);
  cr_expect_str_eq(
      cJSON_GetObjectItem(cJSON_GetArrayItem(pop, 0), "name")->valuestring,
      "gmail.com");
  cr_expect_eq(num_at(cJSON_GetArrayItem(pop, 0), "cost", NULL), 0.25);
  cJSON_Delete(j);
  su_stop(s);
}

Test(cat, mail_lifecycle_exact_money) {
  struct sc_sim *s = su_start(NULL, NULL);
  unsigned long long id = buy_mail(s, "K1", "2", "gmail.com");
  expect_balance(s, "K1", "9.75");
  expect_invariant(s);
  char q[128], want[256];
  /* waiting: status 3, no letter yet */
  snprintf(q, sizeof q, "api_key=K1&id=%llu", id);
  cJSON *j = call_json(s, P_REF, "checkMailActivation", q);
  cr_expect_eq(num_at(j, "response", "status", NULL), 3);
  cr_expect_str_eq(
      cJSON_GetObjectItem(cJSON_GetObjectItem(j, "response"), "value")
          ->valuestring,
      "");
  const char *email =
      cJSON_GetObjectItem(cJSON_GetObjectItem(j, "response"), "email")
          ->valuestring;
  cr_expect(strstr(email, "@gmail.com") != NULL, "%s", email);
  char mailbox[96];
  snprintf(mailbox, sizeof mailbox, "%s", email);
  cJSON_Delete(j);
  /* 001: no cancel in the first 2 minutes; nothing refunded */
  expect_body(s, P_REF, "cancelMailActivation", q, "error", 0,
              "{\"status\":\"error\",\"message\":\"EARLY_CANCEL_DENIED\"}");
  expect_balance(s, "K1", "9.75");
  /* reorder: same mailbox, new id, charged again */
  j = call_json(s, P_REF, "reorderMailActivation", q);
  unsigned long long id2 =
      (unsigned long long)num_at(j, "response", "id", NULL);
  cr_expect_neq(id2, id);
  cr_expect_str_eq(
      cJSON_GetObjectItem(cJSON_GetObjectItem(j, "response"), "email")
          ->valuestring,
      mailbox);
  cJSON_Delete(j);
  expect_balance(s, "K1", "9.50");
  expect_invariant(s);
  su_ctl_expect(s, "clock", "{\"advance\":121}", 200);
  expect_body(s, P_REF, "cancelMailActivation", q, "success", 0,
              "{\"status\":\"OK\"}");
  expect_balance(s, "K1", "9.75");
  /* a second cancel refunds nothing */
  expect_body(s, P_REF, "cancelMailActivation", q, "success", 0,
              "{\"status\":\"OK\"}");
  expect_balance(s, "K1", "9.75");
  j = call_json(s, P_REF, "checkMailActivation", q);
  cr_expect_eq(num_at(j, "response", "status", NULL), 4);
  cJSON_Delete(j);
  /* a cancelled purchase cannot be reordered */
  expect_body(s, P_REF, "reorderMailActivation", q, "error", 0,
              "{\"status\":\"error\",\"message\":\"ACTIVATION_NOT_FOUND\"}");
  snprintf(q, sizeof q, "api_key=K1&id=%llu", id2);
  expect_body(s, P_REF, "cancelMailActivation", q, "success", 0,
              "{\"status\":\"OK\"}");
  expect_balance(s, "K1", "10.00");
  expect_invariant(s);
  /* the history lists both, newest first */
  j = call_json(s, P_REF, "getMailHistory", "api_key=K1");
  cJSON *list = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "response"), "list");
  cr_expect_eq(cJSON_GetArraySize(list), 2);
  cr_expect_eq(num_at(cJSON_GetArrayItem(list, 0), "id", NULL), (double)id2);
  cr_expect_eq(num_at(cJSON_GetArrayItem(list, 1), "status", NULL), 4);
  snprintf(want, sizeof want, "%s", mailbox);
  cr_expect_str_eq(
      cJSON_GetObjectItem(cJSON_GetArrayItem(list, 1), "email")->valuestring,
      want);
  cJSON_Delete(j);
  su_stop(s);
}

Test(cat, mail_zone_mailbox_and_history_paging) {
  struct sc_sim *s = su_start(NULL, NULL);
  unsigned long long ids[5];
  for (int i = 0; i < 5; i++)
    ids[i] = buy_mail(s, "K1", "1", i % 2 ? "net" : "com");
  expect_balance(s, "K1", "9.50");
  cJSON *j = call_json(s, P_REF, "getMailHistory",
                       "api_key=K1&page=2&per_page=2&sort=asc");
  cJSON *list = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "response"), "list");
  cr_expect_eq(cJSON_GetArraySize(list), 2);
  cr_expect_eq(num_at(cJSON_GetArrayItem(list, 0), "id", NULL), (double)ids[2]);
  cr_expect_eq(num_at(j, "response", "total", NULL), 5);
  const char *em =
      cJSON_GetObjectItem(cJSON_GetArrayItem(list, 0), "email")->valuestring;
  cr_expect(strstr(em, "@inbox") && strstr(em, ".com"), "%s", em);
  cJSON_Delete(j);
  j = call_json(s, P_REF, "getMailHistory", "api_key=K1&search=.net");
  cr_expect_eq(num_at(j, "response", "total", NULL), 2);
  cJSON_Delete(j);
  j = call_json(s, P_REF, "getMailHistory", "api_key=K1&page=9");
  cr_expect_eq(cJSON_GetArraySize(cJSON_GetObjectItem(
                   cJSON_GetObjectItem(j, "response"), "list")),
               0);
  cJSON_Delete(j);
  su_stop(s);
}

Test(cat, mail_isolation_between_accounts) {
  struct sc_sim *s = su_start(NULL, NULL);
  unsigned long long id = buy_mail(s, "K1", "2", "yahoo.com");
  su_ctl_expect(s, "clock", "{\"advance\":200}", 200);
  char q[128];
  snprintf(q, sizeof q, "api_key=K2&id=%llu", id);
  const char *nf =
      "{\"status\":\"error\",\"message\":\"ACTIVATION_NOT_FOUND\"}";
  expect_body(s, P_REF, "cancelMailActivation", q, "error", 1, nf);
  expect_body(s, P_REF, "checkMailActivation", q, "error", 1, nf);
  expect_body(s, P_REF, "reorderMailActivation", q, "error", 0, nf);
  expect_body(s, P_REF, "getMailHistory", "api_key=K2", "success", 0,
              "{\"status\":\"OK\",\"response\":{\"list\":[],\"total\":0}}");
  expect_balance(s, "K1", "9.80");
  expect_balance(s, "K2", "100.00");
  /* K1's purchase is untouched and still its own */
  snprintf(q, sizeof q, "api_key=K1&id=%llu", id);
  cJSON *j = call_json(s, P_REF, "checkMailActivation", q);
  cr_expect_eq(num_at(j, "response", "status", NULL), 3);
  cJSON_Delete(j);
  expect_body(s, P_REF, "cancelMailActivation", q, "success", 0,
              "{\"status\":\"OK\"}");
  expect_balance(s, "K1", "10.00");
  expect_invariant(s);
  su_stop(s);
}

Test(cat, mail_bad_balance_and_channels_limit) {
  struct sc_sim *s = su_start(NULL, NULL);
  su_ctl_expect(s, "balance", "{\"apiKey\":\"K1\",\"balance\":0.3}", 200);
  unsigned long long id = buy_mail(s, "K1", "1", "org"); /* 0.10 */
  /* 0.20 left: gmail at 0.25 is refused, nothing charged. 001 lists no
   * balance error for a purchase: BAD_BALANCE is undocumented (WARN). */
  expect_body(s, P_REF, "buyMailActivation",
              "api_key=K1&site=telegram.org&mail_type=2&mail_domain=gmail.com",
              "error", 1, "{\"status\":\"error\",\"message\":\"BAD_BALANCE\"}");
  expect_balance(s, "K1", "0.20");
  char q[128];
  snprintf(q, sizeof q, "api_key=K1&id=%llu", id);
  sc_free(call(s, P_REF, "reorderMailActivation", "success", 0, "%s", q));
  sc_free(call(s, P_REF, "reorderMailActivation", "success", 0, "%s", q));
  expect_body(s, P_REF, "reorderMailActivation", q, "error", 0,
              "{\"status\":\"error\",\"message\":\"BAD_BALANCE\"}");
  expect_balance(s, "K1", "0.00");
  expect_invariant(s);
  /* at most 100 purchases per account, then CHANNELS_LIMIT */
  su_ctl_expect(s, "balance", "{\"apiKey\":\"K1\",\"balance\":100}", 200);
  for (int i = 3; i < 100; i++) {
    char *b = su_api(s, "api_key=K1&action=buyMailActivation&site=x.org"
                        "&mail_type=1&mail_domain=com");
    cr_assert(strstr(b, "\"OK\"") != NULL, "%d: %s", i, b);
    sc_free(b);
  }
  expect_body(s, P_REF, "buyMailActivation",
              "api_key=K1&site=x.org&mail_type=1&mail_domain=com", "error", 0,
              "{\"status\":\"error\",\"message\":\"CHANNELS_LIMIT\"}");
  expect_body(s, P_REF, "reorderMailActivation", q, "error", 0,
              "{\"status\":\"error\",\"message\":\"CHANNELS_LIMIT\"}");
  expect_balance(s, "K1", "90.30");
  expect_invariant(s);
  /* K2 is not limited by K1's purchases */
  buy_mail(s, "K2", "1", "com");
  su_stop(s);
}

Test(cat, reset_forgets_mail_and_partner) {
  struct sc_sim *s = su_start(NULL, NULL);
  buy_mail(s, "K1", "2", "gmail.com");
  sc_free(call(s, P_REF, "buyPartnerProduct", "success", 0, "api_key=K1&id=1"));
  cJSON *st = su_state(s);
  cr_expect_eq(cJSON_GetArraySize(cJSON_GetObjectItem(st, "mail")), 1);
  cr_expect_eq(cJSON_GetArraySize(cJSON_GetObjectItem(st, "partner")), 1);
  cJSON_Delete(st);
  su_ctl_expect(s, "reset", "{}", 200);
  expect_balance(s, "K1", "10.00");
  expect_body(s, P_REF, "getMailHistory", "api_key=K1", "success", 0,
              "{\"status\":\"OK\",\"response\":{\"list\":[],\"total\":0}}");
  st = su_state(s);
  cr_expect_eq(cJSON_GetArraySize(cJSON_GetObjectItem(st, "mail")), 0);
  cr_expect_eq(cJSON_GetArraySize(cJSON_GetObjectItem(st, "partner")), 0);
  cJSON_Delete(st);
  su_stop(s);
}

/* ---- partner software ---------------------------------------------------- */

Test(cat, partner_purchase_charges_exactly) {
  struct sc_sim *s = su_start(NULL, NULL);
  cJSON *j = call_json(s, P_REF, "buyPartnerProduct", "api_key=K1&id=3");
  cr_expect_str_eq(cJSON_GetObjectItem(j, "status")->valuestring, "success");
  cr_expect_eq(strlen(cJSON_GetObjectItem(j, "key")->valuestring), 25u);
  cr_expect(strncmp(cJSON_GetObjectItem(j, "manual")->valuestring,
                    "Software download link:", 23) == 0);
  cJSON_Delete(j);
  expect_balance(s, "K1", "5.00");
  sc_free(call(s, P_REF, "buyPartnerProduct", "success", 0, "api_key=K1&id=3"));
  expect_balance(s, "K1", "0.00");
  /* short of money: NO_BALANCE (001 lists none here: WARN), no charge */
  expect_body(s, P_REF, "buyPartnerProduct", "api_key=K1&id=1", "error", 1,
              "NO_BALANCE");
  expect_body(s, P_REF, "buyPartnerProduct", "api_key=K1&id=0", "error", 0,
              "BAD_DATA");
  expect_balance(s, "K1", "0.00");
  expect_balance(s, "K2", "100.00");
  expect_invariant(s);
  su_stop(s);
}

/* Numbers, mailboxes and software on two accounts: the invariant holds
 * for each at every step. */
Test(cat, invariant_across_modules) {
  struct sc_sim *s = su_start(NULL, NULL);
  su_buy(s, "K1", "tg", "0");
  buy_mail(s, "K1", "2", "outlook.com");
  buy_mail(s, "K2", "1", "net");
  sc_free(call(s, P_REF, "buyPartnerProduct", "success", 0, "api_key=K2&id=2"));
  expect_balance(s, "K1", "9.30");
  expect_balance(s, "K2", "97.40");
  expect_invariant(s);
  su_ctl_expect(s, "balance", "{\"apiKey\":\"K1\",\"balance\":3}", 200);
  expect_invariant(s);
  su_stop(s);
}

/* ---- faults -------------------------------------------------------------- */

Test(cat_faults, balance_comma) {
  struct sc_sim *s = su_start(NULL, "balance-comma");
  su_ctl_expect(s, "balance", "{\"apiKey\":\"K1\",\"balance\":12.5}", 200);
  static const char *const actions[] = {"getBalance", "getBalanceAndCashBack"};
  for (size_t i = 0; i < 2; i++) {
    struct su_resp r = su_getf(s, "api_key=K1&action=%s", actions[i]);
    cr_expect_str_eq(r.body, "ACCESS_BALANCE:12,50");
    cr_expect_eq(su_verdict(actions[i], NULL, &r), SC_VERDICT_FAIL,
                 "the parser must catch a decimal comma");
    su_resp_free(&r);
  }
  su_stop(s);
  /* other dialects too */
  s = su_start("smsbulk", "balance-comma");
  su_api_expect(s, "api_key=K1&action=getBalance", "ACCESS_BALANCE:10,00");
  su_stop(s);
}

Test(cat_faults, prices_no_count) {
  struct sc_sim *s = su_start(NULL, "prices-no-count");
  struct su_resp r =
      su_getf(s, "api_key=K1&action=getPrices&service=tg&country=0");
  cr_expect_str_eq(r.body, "{\"0\":{\"tg\":{\"cost\":0.5}}}");
  cr_expect_eq(su_verdict("getPrices", NULL, &r), SC_VERDICT_FAIL);
  su_resp_free(&r);
  /* the other catalogue calls keep their counts */
  cJSON *j = call_json(s, P_REF, "getPricesVerification", "api_key=K1");
  cr_expect_eq(num_at(j, "tg", "0", "count", NULL), 10);
  cJSON_Delete(j);
  su_stop(s);
  s = su_start("securesms", "prices-no-count");
  r = su_getf(s, "api_key=K1&action=getPrices&service=wa&country=12");
  cr_expect_str_eq(r.body, "{\"12\":{\"wa\":{\"cost\":0.5}}}");
  cr_expect_eq(su_verdict("getPrices", "securesms", &r), SC_VERDICT_FAIL);
  su_resp_free(&r);
  su_stop(s);
}

Test(cat_faults, stock_stale) {
  struct sc_sim *s = su_start(NULL, "stock-stale");
  su_ctl_expect(s, "stock",
                "{\"service\":\"tg\",\"country\":\"0\",\"count\":5}", 200);
  /* invisible until something is sold: the control change shows */
  cJSON *j = call_json(s, P_REF, "getNumbersStatus", "api_key=K1&country=0");
  cr_expect_eq(num_at(j, "tg_0", NULL), 5);
  cJSON_Delete(j);
  su_buy(s, "K1", "tg", "0");
  su_buy(s, "K2", "tg", "0");
  j = call_json(s, P_REF, "getNumbersStatus", "api_key=K1&country=0");
  cr_expect_eq(num_at(j, "tg_0", NULL), 5, "the fault keeps the count");
  cJSON_Delete(j);
  /* getPrices still tells the truth */
  j = call_json(s, P_REF, "getPrices", "api_key=K1&service=tg&country=0");
  cr_expect_eq(num_at(j, "0", "tg", "count", NULL), 3);
  cJSON_Delete(j);
  su_stop(s);
  s = su_start("smsbulk", "stock-stale");
  su_buy(s, "K1", "wa", "187");
  j = call_json(s, P_BULK, "getNumbersStatus", "api_key=K1&country=187");
  cr_expect_eq(num_at(j, "wa_187", NULL), 10);
  cJSON_Delete(j);
  su_stop(s);
  /* and without the fault the count drops */
  s = su_start(NULL, NULL);
  su_buy(s, "K1", "tg", "0");
  j = call_json(s, P_REF, "getNumbersStatus", "api_key=K1&country=0");
  cr_expect_eq(num_at(j, "tg_0", NULL), 9);
  cJSON_Delete(j);
  su_stop(s);
}

/* ---- the default catalogue: the documents' examples --------------------- */

/* A simulator on the embedded default catalogue. */
static struct sc_sim *start_default(enum prof p) {
  return su_start_cfg((struct sc_sim_config){
      .profile = profiles[p], .catalogue = su_default_catalogue,
      .early_cancel_seconds = 120, .lifetime_seconds = 1200});
}

/* One example of a document against the default catalogue: |body| exact,
 * or NULL for a success that only has to pass, or a string starting with
 * '~' that the body must contain. */
struct dcase {
  enum prof p;
  const char *action;
  const char *query; /* after api_key=K1 */
  const char *kind;
  const char *body;
};

static const struct dcase dcases[] = {
    /* 004 "Buy a number GET": getNumberV2&service=tg&country=22&maxPrice=0.5
     */
    {P_SECURE, "getNumberV2", "&service=tg&country=22&maxPrice=0.5",
     "success", "~\"countryCode\":\"22\""},
    {P_SECURE, "getNumber", "&service=tg&country=22", "success",
     "~ACCESS_NUMBER:"},
    {P_SECURE, "getPricesV3", "&service=tg&country=22", "success",
     "~{\"22\":{\"tg\":{\"2260\":"},
    /* 004 "Countries GET": India in three scripts */
    {P_SECURE, "getCountries", "", "success",
     "~\"22\":{\"id\":22,\"rus\":\"Индия\",\"eng\":\"India\","
     "\"chn\":\"印度\"}"},
    /* 004 "Services GET": tg, wa, go */
    {P_SECURE, "getServicesList", "", "success",
     "~{\"code\":\"go\",\"name\":\"Google\"}"},
    /* 004 "Top countries GET": keyed by slug, colombia among them */
    {P_SECURE, "getTopCountriesByService", "&service=tg", "success",
     "~\"colombia\":{"},
    /* 001 Python sample: getPrices(service='fb', country=0) */
    {P_REF, "getPrices", "&service=fb&country=0", "success",
     "{\"0\":{\"fb\":{\"cost\":0.5,\"count\":27934}}}"},
    {P_REF, "getNumber", "&service=fb&country=0", "success",
     "~ACCESS_NUMBER:"},
    /* 001 samples: getNumber('vk', 0), getPrices(1, 'vk') "VK (Ukraine)" */
    {P_REF, "getNumber", "&service=vk&country=0", "success",
     "~ACCESS_NUMBER:"},
    {P_REF, "getPrices", "&service=vk&country=1", "success",
     "{\"1\":{\"vk\":{\"cost\":0.5,\"count\":10}}}"},
    /* the code client libraries' READMEs show: ya in country 1 and 2 */
    {P_REF, "getNumber", "&service=ya&country=1", "success",
     "~ACCESS_NUMBER:"},
    {P_REF, "getNumberV2", "&service=ya&country=2", "success",
     "~\"countryCode\":\"2\""},
    /* 001 getMultiServiceNumber('ok,vk,vi,av', '0,0,0,1', 0) */
    {P_REF, "getMultiServiceNumber", "&service=ok,vk,vi,av&forward=0,0,0,1"
     "&country=0", "success", "~\"service\":\"av\""},
    /* 001 Python getNumbersStatus(country=0): status['vk_0'] */
    {P_REF, "getNumbersStatus", "&country=0", "success",
     "~\"vk_0\":10,"},
    /* 001 operators for countries 0, 1 and 2; the PHP sample's China (3) */
    {P_REF, "getOperators", "&country=1", "success",
     "{\"status\":\"success\",\"countryOperators\":{\"1\":[\"kyivstar\","
     "\"life\",\"mts\",\"utel\",\"vodafone\"]}}"},
    {P_REF, "getOperators", "&country=2", "success",
     "{\"status\":\"success\",\"countryOperators\":{\"2\":[\"activ\","
     "\"altel\",\"beeline\",\"tele2\"]}}"},
    {P_REF, "getOperators", "&country=3", "success",
     "~\"3\":[\"chinamobile\"]"},
    /* 001 getServicesList example: aoo, Pegasus Airlines */
    {P_REF, "getServicesList", "", "success",
     "~{\"code\":\"aoo\",\"name\":\"Pegasus Airlines\"}"},
    /* 001 getCountries sample: countries['0']['eng'] is Russia */
    {P_REF, "getCountries", "", "success",
     "~\"0\":{\"id\":0,\"rus\":\"Россия\",\"eng\":\"Russia\""},
    /* 003: getNumber&service=wa&country=187, getNumbersStatus wa_187 and
     * tg_187, getPrices wa/187 in its three country forms */
    {P_BULK, "getNumber", "&service=wa&country=187", "success",
     "~ACCESS_NUMBER:"},
    {P_BULK, "getNumbersStatus", "&country=187", "success",
     "~{\"tg_187\":10,\"wa_187\":10,"},
    {P_BULK, "getPrices", "&service=wa&country=TR", "success",
     "{\"187\":{\"wa\":{\"cost\":0.5,\"count\":10}}}"},
    {P_BULK, "getPrices", "&service=tg&country=india", "success",
     "{\"22\":{\"tg\":{\"cost\":0.5,\"count\":10}}}"},
    {P_BULK, "getCountries", "", "success",
     "~{\"id\":187,\"iso\":\"TR\"},{\"id\":1,\"iso\":\"UA\"}"},
    /* 000: getPrices&country=0 lists every service */
    {P_KOALA, "getPrices", "&country=0", "success",
     "~\"aoo\":{\"cost\":0.5,\"count\":10},\"ya\":"},
    /* the fixture is kept: five services, three countries, same figures */
    {P_KOALA, "getPricesV3", "&service=tg&country=0", "success",
     "{\"0\":{\"tg\":{\"price\":0.5,\"count\":10,\"providers\":{\"2260\":"
     "{\"price\":[0.5],\"count\":4,\"provider_id\":2260},\"2266\":{"
     "\"price\":[0.63],\"count\":3,\"provider_id\":2266},\"2273\":{"
     "\"price\":[0.75],\"count\":3,\"provider_id\":2273}}}}}"},
    {P_REF, "getOperators", "&country=187", "success",
     "{\"status\":\"success\",\"countryOperators\":{\"187\":[\"turkcell\","
     "\"turktelekom\",\"vodafone\"]}}"},
    {P_REF, "getPrices", "&service=ig&country=12", "success",
     "{\"12\":{\"ig\":{\"cost\":0.5,\"count\":10}}}"},
};
#define NDCASES (sizeof dcases / sizeof *dcases)

ParameterizedTestParameters(catalogue, documents_examples) {
  static int idx[NDCASES];
  for (size_t i = 0; i < NDCASES; i++)
    idx[i] = (int)i;
  return cr_make_param_array(int, idx, NDCASES);
}

ParameterizedTest(int *i, catalogue, documents_examples) {
  const struct dcase *k = &dcases[*i];
  struct sc_sim *s = start_default(k->p);
  char *body = call(s, k->p, k->action, k->kind, 0, "api_key=K1%s", k->query);
  if (k->body && k->body[0] == '~')
    cr_expect(strstr(body, k->body + 1) != NULL, "%s [%s] %s: %.400s",
              k->action, profiles[k->p], k->query, body);
  else if (k->body)
    cr_expect_str_eq(body, k->body, "%s [%s] %s", k->action, profiles[k->p],
                     k->query);
  sc_free(body);
  su_stop(s);
}

/* Every service code and country id the five documents use, and the
 * README's ya, is in the default catalogue. */
Test(catalogue, default_has_every_documented_code) {
  static const char *const codes[] = {"tg", "wa", "vk", "go", "ig",
                                      "ok", "vi", "av", "fb", "tw",
                                      "ot", "fx", "aoo", "ya"};
  static const char *const ids[] = {"0",  "1",  "2",  "3",  "12",
                                    "14", "22", "33", "43", "187"};
  struct sc_sim *s = start_default(P_REF);
  cJSON *sv = call_json(s, P_REF, "getServicesList", "api_key=K1");
  cJSON *co = call_json(s, P_REF, "getCountries", "api_key=K1");
  const cJSON *arr = cJSON_GetObjectItem(sv, "services");
  cr_expect_eq(cJSON_GetArraySize(arr), 14);
  for (size_t i = 0; i < sizeof codes / sizeof *codes; i++) {
    int found = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, arr) found |=
        strcmp(cJSON_GetObjectItem(e, "code")->valuestring, codes[i]) == 0;
    cr_expect(found, "service %s", codes[i]);
  }
  cr_expect_eq(cJSON_GetArraySize(co), 10);
  for (size_t i = 0; i < sizeof ids / sizeof *ids; i++)
    cr_expect_not_null(cJSON_GetObjectItem(co, ids[i]), "country %s", ids[i]);
  cJSON_Delete(sv);
  cJSON_Delete(co);
  su_stop(s);
}

/* 002: "service=telegram&country=ru" and a country the document does not
 * show, by ISO code. */
Test(catalogue, rest_names_from_the_catalogue) {
  struct sc_sim *s = su_start_cfg((struct sc_sim_config){
      .profile = "rest-v1", .catalogue = su_default_catalogue,
      .early_cancel_seconds = -1});
  const char *hdrs[] = {"Authorization: Bearer K1", NULL};
  struct su_resp r = su_http(
      s, "GET", "/api/v1/numbers/available?service=telegram&country=ru", NULL,
      hdrs);
  cr_expect(strstr(r.body, "{\"service\":\"telegram\",\"country\":\"ru\","
                           "\"price\":0.5") == r.body &&
                strstr(r.body, ",\"available\":10}") != NULL,
            "%s", r.body);
  su_resp_free(&r);
  /* a name made from the catalogue's name: "Pegasus Airlines" */
  r = su_http(s, "GET",
              "/api/v1/numbers/available?service=pegasus-airlines&country=IN",
              NULL, hdrs);
  cr_expect(strstr(r.body, "{\"service\":\"pegasus-airlines\",\"country\":"
                           "\"in\",\"price\":0.5") == r.body &&
                strstr(r.body, ",\"available\":10}") != NULL,
            "%s", r.body);
  su_resp_free(&r);
  su_stop(s);
}

/* ---- unknown countries: what each dialect documents --------------------- */

struct ucase {
  enum prof p;
  const char *action;
  const char *query;
  const char *kind;
  const char *body;
};

static const struct ucase ucases[] = {
    /* 003 "Error Codes": BAD_COUNTRY, listed for getNumber, getPrices and
     * getNumbersStatus (specs/profiles/smsbulk.json) */
    {P_BULK, "getNumber", "&service=tg&country=99999", "error", "BAD_COUNTRY"},
    {P_BULK, "getNumber", "&service=tg&country=atlantis", "error",
     "BAD_COUNTRY"},
    {P_BULK, "getNumber", "&service=tg&country=012", "error", "BAD_COUNTRY"},
    {P_BULK, "getNumber", "&service=tg", "error", "BAD_COUNTRY"},
    {P_BULK, "getPrices", "&country=99999", "error", "BAD_COUNTRY"},
    {P_BULK, "getNumbersStatus", "&country=ZZ", "error", "BAD_COUNTRY"},
    /* 001: OPERATORS_NOT_FOUND "(e.g. non-existent country transferred)" */
    {P_REF, "getOperators", "&country=99999", "error", "OPERATORS_NOT_FOUND"},
    /* no document lists an error for the others: nothing to sell there */
    {P_REF, "getNumber", "&service=tg&country=99999", "error", "NO_NUMBERS"},
    {P_REF, "getNumber", "&service=tg&country=ru", "error", "NO_NUMBERS"},
    {P_REF, "getPrices", "&country=99999", "success", "{}"},
    {P_REF, "getNumbersStatus", "&country=99999", "success", "{}"},
    {P_KOALA, "getNumber", "&service=tg&country=99999", "error", "NO_NUMBERS"},
    {P_KOALA, "getPricesV3", "&country=99999", "success", "{}"},
    {P_SECURE, "getNumber", "&service=tg&country=99999", "error",
     "NO_NUMBERS"},
    {P_SECURE, "getPrices", "&country=99999", "success", "{}"},
};
#define NUCASES (sizeof ucases / sizeof *ucases)

ParameterizedTestParameters(catalogue, unknown_country) {
  static int idx[NUCASES];
  for (size_t i = 0; i < NUCASES; i++)
    idx[i] = (int)i;
  return cr_make_param_array(int, idx, NUCASES);
}

ParameterizedTest(int *i, catalogue, unknown_country) {
  const struct ucase *k = &ucases[*i];
  struct sc_sim *s = start_default(k->p);
  char *body = call(s, k->p, k->action, k->kind, 0, "api_key=K1%s", k->query);
  cr_expect_str_eq(body, k->body, "%s [%s] %s", k->action, profiles[k->p],
                   k->query);
  sc_free(body);
  su_stop(s);
}

/* ---- the loader: fixture files and their diagnostics -------------------- */

#define CAT_DIR SC_TESTDATA_DIR "/sim/catalogue/"

/* sc_sim_new on the catalogue at |path|: NULL expected, the message into
 * |err| (|n| bytes). */
static void refused(const char *path, char *err, size_t n) {
  struct sc_sim_config cfg = {.host = "127.0.0.1", .keys = "K1",
                              .catalogue = path};
  struct sc_sim *s = sc_sim_new(&cfg, err, n);
  cr_assert_null(s, "%s was accepted", path);
}

static size_t count_lines(const char *t) {
  size_t n = *t != '\0';
  for (; *t; t++)
    n += *t == '\n';
  return n;
}

/* One fixture file that must be refused, with every line its message must
 * hold (the path before them is the file's). */
struct lcase {
  const char *file;
  const char *lines[10];
};

static const struct lcase lcases[] = {
    {"fail_bad_type.json",
     {"$.countries[1].id: not an integer",
      "$.countries[2].operators: not an array"}},
    {"fail_duplicate_service.json",
     {"$.services[2].code: duplicate service code \"tg\" (also "
      "$.services[0])"}},
    {"fail_missing_key.json",
     {"$.defaults.stock: missing", "$.services[1].name: missing",
      "$.countries[0].iso: missing"}},
    {"fail_unknown_key.json",
     {"$.currency: unknown key", "$.countries[0].capital: unknown key"}},
    {"fail_syntax.json",
     {"$: invalid JSON at line 4, column 1 (byte 61): unexpected byte"}},
    {"fail_offers.json",
     {"$.offers[0].service: no service \"zz\" in $.services",
      "$.offers[1].country: no country 99 in $.countries",
      "$.offers[3]: a second offer of service \"tg\" in country 0",
      "$.offers[4].cost: more than two decimals",
      "$.offers[4]: a second offer of service \"tg\" in country 0"}},
    {"fail_providers.json",
     {"$.providers[0].pct: the first provider sells at the offer's cost: 100",
      "$.providers[1].pct: cheaper than the provider before it (list them "
      "cheapest first)",
      "$.providers[2].id: provider id 7 given twice (also $.providers[0])"}},
    {"fail_countries.json",
     {"$.services[0].code: not a service code (1 to 16 lower-case letters "
      "and digits)",
      "$.services[1].name: no REST identifier can be made from it; give "
      "\"rest\"",
      "$.countries[1].operators[1]: operator \"mts\" given twice",
      "$.countries[2].id: out of range (0 to 99999)",
      "$.countries[2].iso: longer than 2 bytes",
      "$.countries[2].eng: no slug can be made from it; give \"slug\"",
      "$.countries[1].iso: duplicate ISO code \"ru\" (also $.countries[0])",
      "$.countries[1].eng: duplicate slug \"russia\", made from it (also "
      "$.countries[0])",
      "$.countries[1].id: duplicate country id 0 (also $.countries[0])"}},
    {"fail_shape.json", {"$: not an object"}},
    {"fail_version.json",
     {"$.version: version 2 is not known (1 is)",
      "$.defaults.cost: out of range (0 to 1000000)",
      "$.defaults.stock: not an integer", "$.providers: empty",
      "$.services: not an array", "$.countries: empty"}},
};
#define NLCASES (sizeof lcases / sizeof *lcases)

ParameterizedTestParameters(catalogue, loader_diagnostics) {
  static int idx[NLCASES];
  for (size_t i = 0; i < NLCASES; i++)
    idx[i] = (int)i;
  return cr_make_param_array(int, idx, NLCASES);
}

ParameterizedTest(int *i, catalogue, loader_diagnostics) {
  const struct lcase *k = &lcases[*i];
  char path[512], err[8192], want[1024];
  snprintf(path, sizeof path, CAT_DIR "%s", k->file);
  refused(path, err, sizeof err);
  size_t n = 0;
  for (; n < 10 && k->lines[n]; n++) {
    snprintf(want, sizeof want, "%s: %s", path, k->lines[n]);
    cr_expect(strstr(err, want) != NULL, "%s: missing \"%s\" in:\n%s",
              k->file, k->lines[n], err);
  }
  cr_expect_eq(count_lines(err), n, "%s: %zu lines, want %zu:\n%s", k->file,
               count_lines(err), n, err);
}

/* The smallest file: English names only (rus and chn are eng, the slug is
 * made from eng), the ISO code in upper case, an offer sold out. */
Test(catalogue, minimal_file_serves) {
  struct sc_sim *s = su_start_cfg((struct sc_sim_config){
      .profile = "smsbulk", .catalogue = CAT_DIR "ok_minimal.json"});
  expect_body(s, P_BULK, "getCountries", "api_key=K1", "success", 0,
              "[{\"id\":1,\"iso\":\"UA\"},{\"id\":7,\"iso\":\"MY\"}]");
  expect_body(s, P_BULK, "getPrices", "api_key=K1&country=malaysia",
              "success", 0, "{\"7\":{\"ya\":{\"cost\":2,\"count\":0}}}");
  expect_body(s, P_BULK, "getNumbersStatus", "api_key=K1&country=ua",
              "success", 0, "{\"ya_1\":3}");
  expect_body(s, P_BULK, "getNumber", "api_key=K1&service=ya&country=7",
              "error", 0, "NO_NUMBERS");
  expect_body(s, P_BULK, "getNumber", "api_key=K1&service=tg&country=7",
              "error", 0, "BAD_SERVICE");
  su_stop(s);
  s = su_start_cfg((struct sc_sim_config){
      .profile = "sms-activate", .catalogue = CAT_DIR "ok_minimal.json"});
  expect_body(s, P_REF, "getOperators", "api_key=K1", "success", 0,
              "{\"status\":\"success\",\"countryOperators\":{\"7\":"
              "[\"maxis\"]}}");
  expect_body(s, P_REF, "getOperators", "api_key=K1&country=1", "error", 0,
              "OPERATORS_NOT_FOUND");
  char *b = call(s, P_REF, "getCountries", "success", 0, "api_key=K1");
  cr_expect(strstr(b, "\"1\":{\"id\":1,\"rus\":\"Ukraine\",\"eng\":"
                      "\"Ukraine\",\"chn\":\"Ukraine\"") != NULL,
            "%s", b);
  sc_free(b);
  /* the default cost, 1.25, three times: all three in stock */
  for (int k = 0; k < 3; k++)
    sc_free(call(s, P_REF, "getNumber", "success", 0,
                 "api_key=K1&service=ya&country=1"));
  expect_balance(s, "K1", "6.25");
  su_stop(s);
}

/* ---- the loader: hostile files ------------------------------------------ */

/* Writes |b| to a new file under /tmp; its path into |path| (64 bytes). */
static void temp_file(const struct sc_buf *b, char *path) {
  snprintf(path, 64, "/tmp/test_sim_cat.XXXXXX");
  int fd = mkstemp(path);
  cr_assert_geq(fd, 0);
  FILE *f = fdopen(fd, "w");
  cr_assert_not_null(f);
  cr_assert_eq(fwrite(b->ptr ? b->ptr : "", 1, b->len, f), b->len);
  cr_assert_eq(fclose(f), 0);
}

/* A catalogue around |services| and |countries| (JSON arrays), with
 * |extra| members at the top (",..." or ""). */
static void wrap(struct sc_buf *b, const char *services,
                 const char *countries, const char *extra) {
  sc_buf_printf(b,
                "{\"version\":1,\"defaults\":{\"cost\":0.5,\"stock\":1},"
                "\"providers\":[{\"id\":1,\"pct\":100}],\"services\":%s,"
                "\"countries\":%s%s}",
                services, countries, extra);
}

#define ONE_SERVICE "[{\"code\":\"tg\",\"name\":\"Telegram\"}]"
#define ONE_COUNTRY "[{\"id\":0,\"iso\":\"ru\",\"eng\":\"Russia\"}]"

static void h_many_services(struct sc_buf *b) {
  struct sc_buf sv;
  sc_buf_init(&sv, SIZE_MAX);
  sc_buf_addc(&sv, '[');
  for (size_t i = 0; i < 100000; i++)
    sc_buf_printf(&sv, "%s{\"code\":\"s%zu\",\"name\":\"S\"}", i ? "," : "",
                  i);
  sc_buf_addc(&sv, ']');
  wrap(b, sv.ptr, ONE_COUNTRY, "");
  sc_buf_free(&sv);
}

static void h_many_offers(struct sc_buf *b) {
  struct sc_buf sv, co;
  sc_buf_init(&sv, SIZE_MAX);
  sc_buf_init(&co, SIZE_MAX);
  sc_buf_addc(&sv, '[');
  for (size_t i = 0; i < 20000; i++)
    sc_buf_printf(&sv, "%s{\"code\":\"s%zu\",\"name\":\"S%zu\"}",
                  i ? "," : "", i, i);
  sc_buf_addc(&sv, ']');
  sc_buf_addc(&co, '[');
  for (size_t i = 0; i < 51; i++)
    sc_buf_printf(&co, "%s{\"id\":%zu,\"iso\":\"%c%c\",\"eng\":\"C%zu\"}",
                  i ? "," : "", i, (char)('a' + i / 26),
                  (char)('a' + i % 26), i);
  sc_buf_addc(&co, ']');
  wrap(b, sv.ptr, co.ptr, "");
  sc_buf_free(&sv);
  sc_buf_free(&co);
}

static void h_unknown_keys(struct sc_buf *b) {
  struct sc_buf ex;
  sc_buf_init(&ex, SIZE_MAX);
  for (size_t i = 0; i < 100000; i++)
    sc_buf_printf(&ex, ",\"k%zu\":%zu", i, i);
  wrap(b, ONE_SERVICE, ONE_COUNTRY, ex.ptr);
  sc_buf_free(&ex);
}

static void h_same_code(struct sc_buf *b) {
  struct sc_buf sv;
  sc_buf_init(&sv, SIZE_MAX);
  sc_buf_addc(&sv, '[');
  for (size_t i = 0; i < 20000; i++)
    sc_buf_printf(&sv, "%s{\"code\":\"tg\",\"name\":\"T%zu\"}", i ? "," : "",
                  i);
  sc_buf_addc(&sv, ']');
  wrap(b, sv.ptr, ONE_COUNTRY, "");
  sc_buf_free(&sv);
}

static void h_deep(struct sc_buf *b) {
  sc_buf_adds(b, "{\"version\":1,\"note\":");
  for (size_t i = 0; i < 100000; i++)
    sc_buf_addc(b, '[');
  for (size_t i = 0; i < 100000; i++)
    sc_buf_addc(b, ']');
  sc_buf_addc(b, '}');
}

static void h_long_name(struct sc_buf *b) {
  char *name = malloc(1 << 20);
  cr_assert_not_null(name);
  memset(name, 'x', (1 << 20) - 1);
  name[(1 << 20) - 1] = '\0';
  struct sc_buf sv;
  sc_buf_init(&sv, SIZE_MAX);
  sc_buf_printf(&sv, "[{\"code\":\"tg\",\"name\":\"%s\"}]", name);
  wrap(b, sv.ptr, ONE_COUNTRY, "");
  sc_buf_free(&sv);
  free(name);
}

static void h_bad_utf8(struct sc_buf *b) {
  wrap(b, "[{\"code\":\"tg\",\"name\":\"\xff\xfe\"}]", ONE_COUNTRY, "");
}

static void h_nul(struct sc_buf *b) {
  wrap(b, ONE_SERVICE, ONE_COUNTRY, "");
  b->ptr[10] = '\0';
}

static void h_empty(struct sc_buf *b) { (void)b; }

static void h_types(struct sc_buf *b) {
  wrap(b, "[1,null,\"x\",[],{},true]",
       "[{\"id\":1e300,\"iso\":\"ru\",\"eng\":\"A\"},"
       "{\"id\":-1,\"iso\":\"us\",\"eng\":\"B\"},"
       "{\"id\":1.5,\"iso\":\"tr\",\"eng\":\"C\"},"
       "{\"id\":true,\"iso\":1,\"eng\":\"\"}]",
       ",\"offers\":[{\"service\":\"tg\",\"country\":0,\"cost\":1e308},"
       "{\"service\":\"tg\",\"country\":0,\"cost\":\"0.5\"}]");
}

static void h_odd_key(struct sc_buf *b) {
  wrap(b, ONE_SERVICE, ONE_COUNTRY,
       ",\"a\\\"b\\n\":1,\"\xd1\x8f\xd1\x8f\xd1\x8f\xd1\x8f\xd1\x8f\xd1\x8f"
       "\xd1\x8f\xd1\x8f\xd1\x8f\xd1\x8f\xd1\x8f\xd1\x8f\xd1\x8f\xd1\x8f\xd1"
       "\x8f\xd1\x8f\xd1\x8f\xd1\x8f\xd1\x8f\xd1\x8f\xd1\x8f\xd1\x8f\xd1\x8f"
       "\xd1\x8f\":2");
}

/* A hostile file and what its refusal must say. */
struct hcase {
  const char *name;
  void (*gen)(struct sc_buf *b);
  const char *want[3];
  size_t lines; /* 0: not counted */
};

static const struct hcase hcases[] = {
    {"100 000 services", h_many_services,
     {"$.services: more than 20000 entries"}, 1},
    {"20 000 x 51 offers", h_many_offers,
     {"$: 20000 services x 51 countries: more than 1000000 offers"}, 1},
    /* every problem counted, 50 listed */
    {"100 000 unknown keys", h_unknown_keys,
     {"$.k0: unknown key", "$.k49: unknown key",
      ": 99950 more problems not listed"}, 51},
    {"20 000 times the same code", h_same_code,
     {"$.services[1].code: duplicate service code \"tg\" (also "
      "$.services[0])",
      ": 19949 more problems not listed"}, 51},
    {"nesting 100 000 deep", h_deep,
     {"$: invalid JSON at line 1, column ", "nesting deeper than the limit"},
     1},
    {"a name of 1 MB", h_long_name,
     {"$.services[0].name: longer than 200 bytes"}, 1},
    {"invalid UTF-8", h_bad_utf8, {"$: invalid JSON at ", "invalid UTF-8"}, 1},
    {"a NUL byte", h_nul, {"$: invalid JSON at line 1, column 11"}, 1},
    {"an empty file", h_empty,
     {"$: invalid JSON at line 1, column 1 (byte 0): empty body"}, 1},
    {"every wrong type", h_types,
     {"$.services[0]: not an object", "$.services[4].code: missing",
      "$.countries[0].id: out of range (0 to 99999)"}, 0},
    {"keys that need escapes", h_odd_key,
     {"$[\"a\\\"b\\u000a\"]: unknown key", "...\"]: unknown key"}, 2},
};
#define NHCASES (sizeof hcases / sizeof *hcases)

ParameterizedTestParameters(catalogue, hostile_files) {
  static int idx[NHCASES];
  for (size_t i = 0; i < NHCASES; i++)
    idx[i] = (int)i;
  return cr_make_param_array(int, idx, NHCASES);
}

ParameterizedTest(int *i, catalogue, hostile_files) {
  const struct hcase *k = &hcases[*i];
  struct sc_buf b;
  sc_buf_init(&b, SIZE_MAX);
  k->gen(&b);
  cr_assert_eq(b.err, 0);
  char path[64], err[16384];
  temp_file(&b, path);
  sc_buf_free(&b);
  refused(path, err, sizeof err);
  unlink(path);
  for (size_t n = 0; n < 3 && k->want[n]; n++)
    cr_expect(strstr(err, k->want[n]) != NULL, "%s: missing \"%s\" in:\n%.2000s",
              k->name, k->want[n], err);
  if (k->lines)
    cr_expect_eq(count_lines(err), k->lines, "%s: %zu lines:\n%.2000s",
                 k->name, count_lines(err), err);
}

/* Every wrong type of h_types, one line each. */
Test(catalogue, hostile_types_each_reported) {
  static const char *const want[] = {
      "$.services[0]: not an object",
      "$.services[1]: not an object",
      "$.services[2]: not an object",
      "$.services[3]: not an object",
      "$.services[4].code: missing",
      "$.services[4].name: missing",
      "$.services[5]: not an object",
      "$.countries[0].id: out of range (0 to 99999)",
      "$.countries[1].id: out of range (0 to 99999)",
      "$.countries[2].id: not an integer",
      "$.countries[3].id: not an integer",
      "$.countries[3].iso: not a string",
      "$.countries[3].eng: empty",
      "$.offers[0].cost: out of range (0 to 1000000)",
      "$.offers[1].cost: not a number",
  };
  struct sc_buf b;
  sc_buf_init(&b, SIZE_MAX);
  h_types(&b);
  char path[64], err[8192];
  temp_file(&b, path);
  sc_buf_free(&b);
  refused(path, err, sizeof err);
  unlink(path);
  for (size_t n = 0; n < sizeof want / sizeof *want; n++)
    cr_expect(strstr(err, want[n]) != NULL, "missing \"%s\" in:\n%s", want[n],
              err);
  cr_expect_eq(count_lines(err), sizeof want / sizeof *want, "%s", err);
}

/* What cannot be read is refused with the reason. */
Test(catalogue, unreadable_files) {
  char err[1024];
  refused("/nonexistent/catalogue.json", err, sizeof err);
  cr_expect_str_eq(err, "/nonexistent/catalogue.json: cannot open: No such "
                        "file or directory");
  refused("/tmp", err, sizeof err);
  cr_expect_str_eq(err, "/tmp: cannot read: Is a directory");
  /* larger than 64 MiB: a sparse file of zeros */
  char path[64] = "/tmp/test_sim_cat.XXXXXX";
  int fd = mkstemp(path);
  cr_assert_geq(fd, 0);
  cr_assert_eq(ftruncate(fd, ((off_t)64 << 20) + 1), 0);
  close(fd);
  refused(path, err, sizeof err);
  unlink(path);
  cr_expect(strstr(err, ": larger than 64 MiB") != NULL, "%s", err);
}

/* ---- a catalogue of 200 countries and 500 services ---------------------- */

#define BIG_C 200
#define BIG_S 500

/* Two lower-case letters for service |i| (< 676). */
static void big_code(size_t i, char out[3]) {
  out[0] = (char)('a' + i / 26);
  out[1] = (char)('a' + i % 26);
  out[2] = '\0';
}

/* The cost in cents and stock of offer (|si|, |ci|): one pair in seven
 * has its own, the others the defaults (0.50, 10). */
static int big_own(size_t si, size_t ci) { return (si + ci * 3) % 7 == 0; }
static long long big_cost(size_t si, size_t ci) {
  return big_own(si, ci) ? (long long)((si * 7 + ci) % 2000) : 50;
}
static long big_stock(size_t si, size_t ci) {
  return big_own(si, ci) ? (long)((si * 31 + ci * 17) % 5000) : 10;
}

static void gen_big(struct sc_buf *b) {
  sc_buf_adds(b, "{\"version\":1,\"defaults\":{\"cost\":0.5,\"stock\":10},"
                 "\"providers\":[{\"id\":2260,\"pct\":100},{\"id\":2266,"
                 "\"pct\":125}],\"services\":[");
  for (size_t i = 0; i < BIG_S; i++) {
    char code[3];
    big_code(i, code);
    sc_buf_printf(b, "%s{\"code\":\"%s\",\"name\":\"Service %zu\"}",
                  i ? "," : "", code, i);
  }
  sc_buf_adds(b, "],\"countries\":[");
  for (size_t i = 0; i < BIG_C; i++)
    sc_buf_printf(b,
                  "%s{\"id\":%zu,\"iso\":\"%c%c\",\"eng\":\"Country %zu\","
                  "\"rus\":\"\xd0\xa1\xd1\x82\xd1\x80\xd0\xb0\xd0\xbd\xd0\xb0 "
                  "%zu\",\"operators\":[\"op%zu\"]}",
                  i ? "," : "", i, (char)('a' + i / 26),
                  (char)('a' + i % 26), i, i, i);
  sc_buf_adds(b, "],\"offers\":[");
  int first = 1;
  for (size_t ci = 0; ci < BIG_C; ci++)
    for (size_t si = 0; si < BIG_S; si++) {
      if (!big_own(si, ci))
        continue;
      char code[3];
      big_code(si, code);
      long long c = big_cost(si, ci);
      sc_buf_printf(b,
                    "%s{\"service\":\"%s\",\"country\":%zu,\"cost\":%lld.%02lld,"
                    "\"stock\":%ld}",
                    first ? "" : ",", code, ci, c / 100, c % 100,
                    big_stock(si, ci));
      first = 0;
    }
  sc_buf_adds(b, "]}");
}

static double wall(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Loads in well under a second and answers getCountries, getPrices and
 * getNumbersStatus from the file; getPrices' body is byte for byte what
 * cJSON prints for it. */
Test(catalogue, two_hundred_by_five_hundred, .timeout = 60) {
  struct sc_buf b;
  sc_buf_init(&b, SIZE_MAX);
  gen_big(&b);
  cr_assert_eq(b.err, 0);
  char path[64];
  temp_file(&b, path);
  sc_buf_free(&b);
  double t0 = wall();
  struct sc_sim *s = su_start_cfg((struct sc_sim_config){
      .profile = "sms-activate", .catalogue = path, .keys = "K1:10000"});
  double load = wall() - t0;
  unlink(path);
  cr_expect_lt(load, 1.0, "loading took %.3f s", load);

  cJSON *co = call_json(s, P_REF, "getCountries", "api_key=K1");
  cr_expect_eq(cJSON_GetArraySize(co), BIG_C);
  cr_expect_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(co, "199"), "eng")
                       ->valuestring,
                   "Country 199");
  cJSON_Delete(co);

  char *body = call(s, P_REF, "getPrices", "success", 0, "api_key=K1");
  cJSON *pr = cJSON_Parse(body);
  cr_assert_not_null(pr);
  char *again = cJSON_PrintUnformatted(pr);
  cr_expect(strcmp(again, body) == 0, "getPrices differs from cJSON's print");
  cJSON_free(again);
  sc_free(body);
  cr_expect_eq(cJSON_GetArraySize(pr), BIG_C);
  int exact = 1;
  for (size_t ci = 0; ci < BIG_C; ci++) {
    char id[8], code[3];
    snprintf(id, sizeof id, "%zu", ci);
    const cJSON *c = cJSON_GetObjectItem(pr, id);
    exact &= cJSON_GetArraySize(c) == BIG_S;
    for (size_t si = 0; exact && si < BIG_S; si++) {
      big_code(si, code);
      const cJSON *e = cJSON_GetObjectItem(c, code);
      exact &= cents(cJSON_GetObjectItem(e, "cost")->valuedouble) ==
                   big_cost(si, ci) &&
               (long)cJSON_GetObjectItem(e, "count")->valuedouble ==
                   big_stock(si, ci);
    }
  }
  cr_expect(exact, "getPrices does not hold every offer of the file");
  cJSON_Delete(pr);

  cJSON *ns = call_json(s, P_REF, "getNumbersStatus", "api_key=K1");
  cr_expect_eq(cJSON_GetArraySize(ns), BIG_S);
  long want = 0;
  for (size_t ci = 0; ci < BIG_C; ci++)
    want += big_stock(BIG_S - 1, ci);
  char key[8];
  big_code(BIG_S - 1, key);
  strcat(key, "_0");
  cr_expect_eq((long)num_at(ns, key, NULL), want);
  cJSON_Delete(ns);

  /* the last pair sells, at its own price */
  expect_body(s, P_REF, "getPrices", "api_key=K1&service=tf&country=199",
              "success", 0, "{\"199\":{\"tf\":{\"cost\":0.5,\"count\":10}}}");
  char *num = call(s, P_REF, "getNumber", "success", 0,
                   "api_key=K1&service=tf&country=199");
  cr_expect(strncmp(num, "ACCESS_NUMBER:", 14) == 0, "%s", num);
  sc_free(num);
  su_stop(s);
}
