/* test_sim_profile.c — the simulator serving a profile file that extends a
 * built-in profile (specs/README.md, "A vendor's own profile"): the code
 * of the base dialect with the file's data over it, over real HTTP
 * (libcurl). The error envelope and its statuses, token aliases, an
 * action's own path and method, renamed parameters, no_body, timings and
 * the unknown-action signal; every answer is also judged by the parser
 * with the same profile and must not FAIL.
 *
 * Criterion re-execs its workers, so every Test loads its spec, starts its
 * own simulator on 127.0.0.1 port 0 and stops both before returning. */
#include "sc_alloc.h"
#include "sc_buf.h"
#include "sc_spec.h"
#include "sim_util.h"

#include <smsconform/smsconform.h>

#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define SRC "[{\"doc\": \"acme-api.md\", \"section\": \"Errors\"}]"

/* ACME: sms-activate's handler API with problem-details errors and their
 * statuses, NOT_FOUND for NO_ACTIVATION, the balance at GET /wallet,
 * setStatus answering 204, getStatus's id sent as "activation", a 60 s
 * early-cancel window (the lifetime stays sms-activate's). */
static const char acme[] =
    "{\"version\": 1, \"name\": \"acme\", \"title\": \"ACME SMS\", "
    "\"extends\": \"sms-activate\", \"sources\": " SRC ", "
    "\"tokens\": [{\"name\": \"NOT_FOUND\", \"kind\": \"error\", "
    "\"plays\": \"NO_ACTIVATION\", \"meaning\": \"No activation has this "
    "id.\", \"sources\": " SRC "}], "
    "\"errors\": {\"form\": \"problem-details\", \"http_status\": "
    "{\"BAD_KEY\": 401, \"NO_BALANCE\": 402, \"NOT_FOUND\": 404, "
    "\"EARLY_CANCEL_DENIED\": 409, \"*\": 400}, \"sources\": " SRC "}, "
    "\"overrides\": {"
    "\"getBalance\": {\"path\": \"/wallet\", \"method\": \"GET\", "
    "\"sources\": " SRC "}, "
    "\"setStatus\": {\"no_body\": true, \"sources\": " SRC "}, "
    "\"getStatus\": {\"rename\": {\"id\": \"activation\"}, \"sources\": " SRC
    "}}, "
    "\"timing\": {\"early_cancel_seconds\": 60}}";

/* ACME2 extends ACME: {"status":"error","error":T} without statuses. */
static const char acme2[] =
    "{\"version\": 1, \"name\": \"acme2\", \"extends\": \"acme\", "
    "\"sources\": " SRC ", "
    "\"errors\": {\"form\": \"status-error\", \"key\": \"error\", "
    "\"sources\": " SRC "}}";

/* ACME REST: rest-v1 with problem-details errors (422 for the tokens not
 * listed), NOT_FOUND for NO_ACTIVATION, the balance at GET /wallet, a 204
 * DELETE, the purchase's service sent as "product". */
static const char acme_rest[] =
    "{\"version\": 1, \"name\": \"acme-rest\", \"extends\": \"rest-v1\", "
    "\"sources\": " SRC ", "
    "\"tokens\": [{\"name\": \"NOT_FOUND\", \"kind\": \"error\", "
    "\"plays\": \"NO_ACTIVATION\", \"meaning\": \"No activation has this "
    "id.\", \"sources\": " SRC "}], "
    "\"errors\": {\"form\": \"problem-details\", \"http_status\": "
    "{\"NOT_FOUND\": 404, \"*\": 422}, \"sources\": " SRC "}, "
    "\"overrides\": {"
    "\"v1.balance\": {\"path\": \"/wallet\", \"method\": \"GET\", "
    "\"sources\": " SRC "}, "
    "\"v1.activations.delete\": {\"no_body\": true, \"sources\": " SRC "}, "
    "\"v1.numbers.buy\": {\"rename\": {\"service\": \"product\"}, "
    "\"sources\": " SRC "}}}";

static struct sc_spec *load(void) {
  struct sc_spec_file f[] = {{"acme.json", acme, sizeof acme - 1},
                             {"acme2.json", acme2, sizeof acme2 - 1},
                             {"acme-rest.json", acme_rest,
                              sizeof acme_rest - 1}};
  struct sc_buf diag;
  enum sc_err e = SC_ERR_OK;
  sc_buf_init(&diag, 1u << 16);
  struct sc_spec *s = sc_spec_load_mem(f, 3, &diag, &e);
  cr_assert_not_null(s, "%s: %s", sc_err_name(e), diag.ptr ? diag.ptr : "");
  sc_buf_free(&diag);
  return s;
}

/* A simulator for profile |name| of |spec| with the profile's own timing
 * (keys K1:10 and K2). */
static struct sc_sim *start(const struct sc_spec *spec, const char *name) {
  return su_start_cfg((struct sc_sim_config){.profile = name,
                                             .spec = spec,
                                             .early_cancel_seconds = -1,
                                             .lifetime_seconds = 0});
}

/* Expects the parser, reading |r| as the answer to |action| in |profile|
 * of |spec|, to find no FAIL and an answer of kind |kind|. */
static void judged(const struct sc_spec *spec, const char *profile,
                   const char *action, const struct su_resp *r,
                   const char *kind) {
  struct sc_input in = {action,       profile,
                        (int)r->code, r->ctype[0] ? r->ctype : NULL,
                        r->body,      strlen(r->body)};
  struct sc_result res;
  cr_assert_eq(sc_parse(spec, &in, &res), SC_ERR_OK);
  for (size_t i = 0; i < res.ndevs; i++)
    cr_expect_neq(res.devs[i].verdict, SC_VERDICT_FAIL,
                  "%s [%s] '%.200s' (HTTP %ld, %s): %s: %s", action, profile,
                  r->body, r->code, r->ctype, sc_dev_name(res.devs[i].code),
                  res.devs[i].message);
  cr_expect_str_eq(sc_kind_name(res.kind), kind, "%s [%s] '%.200s'", action,
                   profile, r->body);
  sc_result_free(&res);
}

/* Expects |r| to be the problem-details error |title| with HTTP |code|. */
static void expect_problem(const struct su_resp *r, long code,
                           const char *title) {
  cr_expect_eq(r->code, code, "HTTP %ld for '%s'", r->code, r->body);
  cr_expect(strncmp(r->ctype, "application/problem+json", 24) == 0, "%s",
            r->ctype);
  cJSON *j = cJSON_Parse(r->body);
  cr_assert_not_null(j, "%s", r->body);
  const cJSON *t = cJSON_GetObjectItemCaseSensitive(j, "title");
  const cJSON *d = cJSON_GetObjectItemCaseSensitive(j, "details");
  cr_expect(cJSON_IsString(t) && strcmp(t->valuestring, title) == 0, "%s",
            r->body);
  cr_expect(cJSON_IsString(d) && d->valuestring[0], "%s", r->body);
  cJSON_Delete(j);
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
      snprintf(buf, n, "%.*s", (int)strcspn(v, "\r\n"), v);
      return 1;
    }
    p = strchr(p, '\n');
    if (p)
      p++;
  }
  return 0;
}

/* The profile's envelope and status for every error: BAD_KEY with 401,
 * the "*" status for a token it does not list, each with a details
 * text. */
Test(sim_profile, errors_come_in_the_profile_envelope_and_status) {
  struct sc_spec *spec = load();
  struct sc_sim *s = start(spec, "acme");
  cr_expect_str_eq(sc_sim_profile(s), "acme");
  struct su_resp r = su_getf(s, "api_key=WRONG&action=getNumber&service=tg"
                                "&country=0");
  expect_problem(&r, 401, "BAD_KEY");
  judged(spec, "acme", "getNumber", &r, "error");
  su_resp_free(&r);
  r = su_getf(s, "api_key=K1&action=getNumber&service=nope&country=0");
  expect_problem(&r, 400, "BAD_SERVICE");
  judged(spec, "acme", "getNumber", &r, "error");
  su_resp_free(&r);
  /* a success is untouched */
  r = su_getf(s, "api_key=K1&action=getNumber&service=tg&country=0");
  cr_expect_eq(r.code, 200);
  cr_expect(strncmp(r.body, "ACCESS_NUMBER:", 14) == 0, "%s", r.body);
  judged(spec, "acme", "getNumber", &r, "success");
  su_resp_free(&r);
  su_stop(s);
  sc_spec_destroy(spec);
}

/* The token that plays NO_ACTIVATION is sent for it, with its own status;
 * getStatus reads the id from the parameter the profile renames it to. */
Test(sim_profile, alias_and_renamed_parameter) {
  struct sc_spec *spec = load();
  struct sc_sim *s = start(spec, "acme");
  struct su_resp r = su_getf(s, "api_key=K1&action=getStatus&activation=7");
  expect_problem(&r, 404, "NOT_FOUND");
  judged(spec, "acme", "getStatus", &r, "error");
  su_resp_free(&r);
  unsigned long long id = su_buy(s, "K1", "tg", "0");
  r = su_getf(s, "api_key=K1&action=getStatus&activation=%llu", id);
  cr_expect_eq(r.code, 200);
  cr_expect_str_eq(r.body, "STATUS_WAIT_CODE");
  judged(spec, "acme", "getStatus", &r, "status");
  su_resp_free(&r);
  /* the reference name is not the wire name any more */
  r = su_getf(s, "api_key=K1&action=getStatus&id=%llu", id);
  expect_problem(&r, 404, "NOT_FOUND");
  su_resp_free(&r);
  su_stop(s);
  sc_spec_destroy(spec);
}

/* getBalance lives at GET /wallet: served there, 405 with Allow for
 * another method, and at the handler path an action the dialect does not
 * know (the profile's unknown_action: BAD_ACTION, here with the "*"
 * status). */
Test(sim_profile, action_at_its_own_path_and_method) {
  struct sc_spec *spec = load();
  struct sc_sim *s = start(spec, "acme");
  struct su_resp r = su_http(s, NULL, "/wallet?api_key=K1", NULL, NULL);
  cr_expect_eq(r.code, 200);
  cr_expect_str_eq(r.body, "ACCESS_BALANCE:10.00");
  judged(spec, "acme", "getBalance", &r, "success");
  su_resp_free(&r);
  r = su_http(s, NULL, "/wallet?api_key=nope", NULL, NULL);
  expect_problem(&r, 401, "BAD_KEY");
  su_resp_free(&r);
  r = su_http(s, "POST", "/wallet", "api_key=K1", NULL);
  char allow[64] = "";
  cr_expect_eq(r.code, 405);
  cr_expect(header(&r, "Allow", allow, sizeof allow));
  cr_expect_str_eq(allow, "GET");
  su_resp_free(&r);
  r = su_getf(s, "api_key=K1&action=getBalance");
  expect_problem(&r, 400, "BAD_ACTION");
  su_resp_free(&r);
  r = su_getf(s, "api_key=K1&action=noSuchAction");
  expect_problem(&r, 400, "BAD_ACTION");
  judged(spec, "acme", "getStatus", &r, "error");
  su_resp_free(&r);
  su_stop(s);
  sc_spec_destroy(spec);
}

/* setStatus's successes are an empty 204; its errors keep their body. The
 * early-cancel window is the profile's 60 s, not sms-activate's 120 s. */
Test(sim_profile, no_body_and_the_profile_timing) {
  struct sc_spec *spec = load();
  struct sc_sim *s = start(spec, "acme");
  unsigned long long id = su_buy(s, "K1", "tg", "0");
  struct su_resp r =
      su_getf(s, "api_key=K1&action=setStatus&id=%llu&status=8", id);
  expect_problem(&r, 409, "EARLY_CANCEL_DENIED");
  judged(spec, "acme", "setStatus", &r, "error");
  su_resp_free(&r);
  r = su_getf(s, "api_key=K1&action=setStatus&id=%llu&status=1", id);
  cr_expect_eq(r.code, 204);
  cr_expect_str_eq(r.body, "");
  judged(spec, "acme", "setStatus", &r, "success");
  su_resp_free(&r);
  su_ctl_expect(s, "clock", "{\"advance\": 61}", 200);
  r = su_getf(s, "api_key=K1&action=setStatus&id=%llu&status=8", id);
  cr_expect_eq(r.code, 204, "%s", r.body);
  cr_expect_str_eq(r.body, "");
  su_resp_free(&r);
  r = su_getf(s, "api_key=K1&action=setStatus&id=%llu&status=8", id);
  expect_problem(&r, 400, "BAD_STATUS");
  su_resp_free(&r);
  /* refunded: the balance is whole again */
  r = su_http(s, NULL, "/wallet?api_key=K1", NULL, NULL);
  cr_expect_str_eq(r.body, "ACCESS_BALANCE:10.00");
  su_resp_free(&r);
  /* the lifetime the file leaves alone is sms-activate's 1200 s */
  id = su_buy(s, "K1", "tg", "0");
  /* 1180 s, not 1199: the clock also runs in real time, and a busy
   * machine may take seconds between the purchase and the look */
  su_ctl_expect(s, "clock", "{\"advance\": 1180}", 200);
  r = su_getf(s, "api_key=K1&action=getStatus&activation=%llu", id);
  cr_expect_str_eq(r.body, "STATUS_WAIT_CODE");
  su_resp_free(&r);
  su_ctl_expect(s, "clock", "{\"advance\": 20}", 200);
  r = su_getf(s, "api_key=K1&action=getStatus&activation=%llu", id);
  cr_expect_str_eq(r.body, "STATUS_CANCEL");
  su_resp_free(&r);
  su_stop(s);
  sc_spec_destroy(spec);
}

/* A built-in profile keeps its own timing when the config sets none:
 * sms-activate's 120 s window still refuses a cancel at 61 s. */
Test(sim_profile, builtin_profile_keeps_its_timing) {
  struct sc_spec *spec = load();
  struct sc_sim *s = start(spec, "sms-activate");
  unsigned long long id = su_buy(s, "K1", "tg", "0");
  su_ctl_expect(s, "clock", "{\"advance\": 61}", 200);
  char *got = su_apif(s, "api_key=K1&action=setStatus&id=%llu&status=8", id);
  cr_expect_str_eq(got, "EARLY_CANCEL_DENIED");
  sc_free(got);
  su_ctl_expect(s, "clock", "{\"advance\": 60}", 200);
  got = su_apif(s, "api_key=K1&action=setStatus&id=%llu&status=8", id);
  cr_expect_str_eq(got, "ACCESS_CANCEL");
  sc_free(got);
  su_stop(s);
  sc_spec_destroy(spec);
}

/* A file that extends a file: its own envelope, {"status":"error",
 * "error":T} with HTTP 200 (it declares no statuses), and the parent's
 * alias, path and rename. */
Test(sim_profile, status_error_form_of_a_file_extending_a_file) {
  struct sc_spec *spec = load();
  struct sc_sim *s = start(spec, "acme2");
  struct su_resp r = su_getf(s, "api_key=K1&action=getStatus&activation=7");
  cr_expect_eq(r.code, 200);
  cr_expect(strncmp(r.ctype, "application/json", 16) == 0, "%s", r.ctype);
  cr_expect_str_eq(r.body, "{\"status\":\"error\",\"error\":\"NOT_FOUND\"}");
  judged(spec, "acme2", "getStatus", &r, "error");
  su_resp_free(&r);
  r = su_http(s, NULL, "/wallet?api_key=K1", NULL, NULL);
  cr_expect_str_eq(r.body, "ACCESS_BALANCE:10.00");
  su_resp_free(&r);
  su_stop(s);
  sc_spec_destroy(spec);
}

/* A file that extends rest-v1: its envelope, statuses and alias, the
 * balance at its own path (the old one unknown), a renamed body member
 * and an empty 204 DELETE. */
Test(sim_profile, rest_file_speaks_its_data) {
  struct sc_spec *spec = load();
  struct sc_sim *s = start(spec, "acme-rest");
  cr_expect(sc_sim_is_rest(s));
  const char *auth[] = {"Authorization: Bearer K1",
                        "Content-Type: application/json", NULL};
  struct su_resp r = su_http(s, NULL, "/api/v1/activations/act_7", NULL, auth);
  expect_problem(&r, 404, "NOT_FOUND");
  judged(spec, "acme-rest", "v1.activations.get", &r, "error");
  su_resp_free(&r);
  r = su_http(s, NULL, "/api/v1/balance", NULL, auth);
  expect_problem(&r, 404, "BAD_ACTION"); /* the unknown-action signal */
  su_resp_free(&r);
  r = su_http(s, NULL, "/wallet", NULL, auth + 1);
  expect_problem(&r, 422, "BAD_KEY");
  su_resp_free(&r);
  r = su_http(s, NULL, "/wallet", NULL, auth);
  cr_expect_eq(r.code, 200);
  cr_expect_str_eq(r.body, "{\"balance\":10.00,\"currency\":\"USD\"}");
  su_resp_free(&r);
  r = su_http(s, "POST", "/api/v1/numbers/buy",
              "{\"service\": \"telegram\", \"country\": \"ru\"}", auth);
  expect_problem(&r, 422, "BAD_SERVICE");
  su_resp_free(&r);
  r = su_http(s, "POST", "/api/v1/numbers/buy",
              "{\"product\": \"telegram\", \"country\": \"ru\"}", auth);
  cr_expect_eq(r.code, 200, "%s", r.body);
  cJSON *j = cJSON_Parse(r.body);
  const cJSON *id = cJSON_GetObjectItemCaseSensitive(j, "id");
  cr_assert(cJSON_IsString(id), "%s", r.body);
  char path[128];
  snprintf(path, sizeof path, "/api/v1/activations/%s", id->valuestring);
  cJSON_Delete(j);
  su_resp_free(&r);
  r = su_http(s, "DELETE", path, NULL, auth);
  cr_expect_eq(r.code, 204, "%s", r.body);
  cr_expect_str_eq(r.body, "");
  su_resp_free(&r);
  su_stop(s);
  sc_spec_destroy(spec);
}

/* A name that is no profile of the spec is refused with a message. */
Test(sim_profile, unknown_profile_is_refused) {
  struct sc_spec *spec = load();
  char err[256] = "";
  struct sc_sim_config cfg = {.profile = "nope", .spec = spec, .keys = "K1"};
  cr_expect_null(sc_sim_new(&cfg, err, sizeof err));
  cr_expect(strstr(err, "no simulator for profile 'nope'") != NULL, "%s", err);
  sc_spec_destroy(spec);
}
