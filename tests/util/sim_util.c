/* sim_util.c — see sim_util.h. */
#include "sim_util.h"

#include "sc_alloc.h"
#include "sc_buf.h"

#include <smsconform/smsconform.h>

#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char su_default_catalogue[] = "(the embedded default)";

struct sc_sim *su_start_cfg(struct sc_sim_config cfg) {
  char err[4096];
  if (!cfg.catalogue)
    cfg.catalogue = SC_TESTDATA_DIR "/sim/fixture.json";
  else if (cfg.catalogue == su_default_catalogue)
    cfg.catalogue = NULL;
  if (!cfg.host)
    cfg.host = "127.0.0.1";
  if (!cfg.keys)
    cfg.keys = "K1:10,K2";
  if (!cfg.seed)
    cfg.seed = 42;
  curl_global_init(CURL_GLOBAL_DEFAULT);
  struct sc_sim *s = sc_sim_new(&cfg, err, sizeof err);
  cr_assert_not_null(s, "sc_sim_new: %s", err);
  cr_assert_gt(sc_sim_port(s), 0u);
  return s;
}

struct sc_sim *su_start(const char *profile, const char *faults) {
  struct sc_sim_config cfg = {.profile = profile,
                              .faults = faults,
                              .early_cancel_seconds = 120,
                              .lifetime_seconds = 1200};
  return su_start_cfg(cfg);
}

void su_stop(struct sc_sim *s) {
  sc_sim_destroy(s);
  curl_global_cleanup();
}

void su_resp_free(struct su_resp *r) {
  sc_free(r->body);
  r->body = NULL;
}

static size_t on_data(char *p, size_t size, size_t n, void *ud) {
  return sc_buf_add(ud, p, size * n) ? 0 : size * n;
}

static size_t on_header(char *p, size_t size, size_t n, void *ud) {
  struct su_resp *r = ud;
  size_t have = strlen(r->headers), len = size * n;
  if (have + len < sizeof r->headers) {
    memcpy(r->headers + have, p, len);
    r->headers[have + len] = '\0';
  }
  return len;
}

int su_fetch(const char *url, const char *method, const char *body,
             const char *const *headers, struct su_resp *out) {
  memset(out, 0, sizeof *out);
  CURL *c = curl_easy_init();
  if (!c)
    return -1;
  struct sc_buf b;
  sc_buf_init(&b, 64 << 20);
  struct curl_slist *hl = NULL;
  for (size_t i = 0; headers && headers[i]; i++)
    hl = curl_slist_append(hl, headers[i]);
  curl_easy_setopt(c, CURLOPT_URL, url);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, out);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
  if (hl)
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
  if (body)
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
  if (method)
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
  int rc = -1;
  if (curl_easy_perform(c) == CURLE_OK) {
    char *ct = NULL;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->code);
    curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ct);
    snprintf(out->ctype, sizeof out->ctype, "%s", ct ? ct : "");
    sc_buf_add(&b, "", 0);
    out->body = sc_buf_take(&b, NULL);
    if (!out->body)
      out->body = sc_strdup("");
    rc = out->body ? 0 : -1;
  }
  sc_buf_free(&b);
  curl_slist_free_all(hl);
  curl_easy_cleanup(c);
  return rc;
}

struct su_resp su_http(struct sc_sim *s, const char *method, const char *path,
                       const char *body, const char *const *headers) {
  size_t n = strlen(path) + 64;
  char *url = sc_malloc(n);
  cr_assert_not_null(url);
  snprintf(url, n, "http://127.0.0.1:%u%s", sc_sim_port(s), path);
  struct su_resp r;
  int rc = su_fetch(url, method, body, headers, &r);
  sc_free(url);
  cr_assert_eq(rc, 0, "no answer for %.200s", path);
  return r;
}

char *su_api(struct sc_sim *s, const char *query) {
  size_t n = strlen(query) + 64;
  char *path = sc_malloc(n);
  cr_assert_not_null(path);
  snprintf(path, n, "/stubs/handler_api.php?%s", query);
  struct su_resp r = su_http(s, NULL, path, NULL, NULL);
  cr_expect_eq(r.code, 200, "%s -> HTTP %ld", query, r.code);
  sc_free(path);
  return r.body;
}

char *su_apif(struct sc_sim *s, const char *fmt, ...) {
  char q[2048];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(q, sizeof q, fmt, ap);
  va_end(ap);
  return su_api(s, q);
}

void su_api_expect(struct sc_sim *s, const char *query, const char *want) {
  char *got = su_api(s, query);
  cr_expect_str_eq(got, want, "%s", query);
  sc_free(got);
}

void su_ctl_expect(struct sc_sim *s, const char *path, const char *json,
                   long want) {
  char full[256];
  snprintf(full, sizeof full, "/control/%s", path);
  struct su_resp r = su_http(s, json ? NULL : "POST", full, json, NULL);
  cr_expect_eq(r.code, want, "%s %s -> %ld %s", path, json ? json : "", r.code,
               r.body);
  if (want == 200)
    cr_expect(strstr(r.body, "\"ok\":true") != NULL, "%s", r.body);
  else
    cr_expect(strstr(r.body, "\"error\"") != NULL, "%s", r.body);
  su_resp_free(&r);
}

cJSON *su_state(struct sc_sim *s) {
  struct su_resp r = su_http(s, NULL, "/control/state", NULL, NULL);
  cr_assert_eq(r.code, 200);
  cJSON *j = cJSON_Parse(r.body);
  cr_assert_not_null(j, "%s", r.body);
  su_resp_free(&r);
  return j;
}

unsigned long long su_buy(struct sc_sim *s, const char *key,
                          const char *service, const char *country) {
  char *got = su_apif(s, "api_key=%s&action=getNumber&service=%s&country=%s",
                      key, service, country);
  unsigned long long id = 0;
  char phone[32] = "";
  cr_assert_eq(sscanf(got, "ACCESS_NUMBER:%llu:%31s", &id, phone), 2, "%s",
               got);
  cr_expect_eq(strlen(phone), 11u, "%s", phone);
  sc_free(got);
  return id;
}

struct su_resp su_getf(struct sc_sim *s, const char *fmt, ...) {
  char path[4096];
  int n = snprintf(path, sizeof path, "/stubs/handler_api.php?");
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(path + n, sizeof path - (size_t)n, fmt, ap);
  va_end(ap);
  return su_http(s, NULL, path, NULL, NULL);
}

/* The embedded spec, loaded once per worker process and kept. */
static const struct sc_spec *spec_once(void) {
  static struct sc_spec *spec;
  enum sc_err e = SC_ERR_OK;
  if (!spec)
    spec = sc_spec_new(NULL, &e, NULL);
  cr_assert_not_null(spec, "spec: %s", sc_strerror(e));
  return spec;
}

enum sc_verdict su_verdict_body(const char *action, const char *profile,
                                long code, const char *ctype,
                                const char *body) {
  struct sc_input in = {action, profile, (int)code, ctype, body, strlen(body)};
  struct sc_result res;
  enum sc_err e = sc_parse(spec_once(), &in, &res);
  cr_assert_eq(e, SC_ERR_OK, "sc_parse(%s, %s): %s", action,
               profile ? profile : "reference", sc_strerror(e));
  enum sc_verdict v = res.verdict;
  sc_result_free(&res);
  return v;
}

enum sc_verdict su_verdict(const char *action, const char *profile,
                           const struct su_resp *r) {
  return su_verdict_body(action, profile, r->code,
                         r->ctype[0] ? r->ctype : NULL, r->body);
}

void su_expect_pass(const char *action, const char *profile,
                    const struct su_resp *r, const char *want_kind) {
  const struct sc_spec *spec = spec_once();
  enum sc_err e;
  struct sc_input in = {action,       profile,
                        (int)r->code, r->ctype[0] ? r->ctype : NULL,
                        r->body,      strlen(r->body)};
  struct sc_result res;
  e = sc_parse(spec, &in, &res);
  cr_assert_eq(e, SC_ERR_OK, "sc_parse(%s, %s): %s", action,
               profile ? profile : "reference", sc_strerror(e));
  for (size_t i = 0; i < res.ndevs; i++)
    cr_expect_neq(res.devs[i].verdict, SC_VERDICT_FAIL,
                  "%s [%s] answer '%.200s' (HTTP %ld, %s): %s: %s", action,
                  profile ? profile : "reference", r->body, r->code, r->ctype,
                  sc_dev_name(res.devs[i].code), res.devs[i].message);
  if (want_kind)
    cr_expect_str_eq(sc_kind_name(res.kind), want_kind,
                     "%s [%s] answer '%.200s' is %s, not %s", action,
                     profile ? profile : "reference", r->body,
                     sc_kind_name(res.kind), want_kind);
  sc_result_free(&res);
}
