/* test_http.c — the runner's transport against well-behaved and hostile
 * endpoints (hostile.c): every misbehaviour ends within the timeout with
 * the right outcome, nothing is followed to another host, memory is
 * capped. */
#include "hostile.h"
#include "sc_alloc.h"
#include "sc_http.h"

#include <criterion/criterion.h>
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static struct hostile *srv;
static struct sc_http *http;

static void setup(void) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  srv = hostile_start();
  cr_assert_not_null(srv);
  char err[128];
  struct sc_http_opts o = {.jobs = 4, .timeout_ms = 700, .max_body = 65536};
  http = sc_http_new(&o, err, sizeof err);
  cr_assert_not_null(http, "%s", err);
}

static void teardown(void) {
  sc_http_destroy(http);
  hostile_stop(srv);
  curl_global_cleanup();
}

TestSuite(http, .init = setup, .fini = teardown, .timeout = 30);

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* GETs |path| on the hostile server; the outcome, and the time it took. */
static enum sc_http_err get(const char *path, struct sc_http_resp *r,
                            double *secs) {
  char url[256];
  snprintf(url, sizeof url, "http://127.0.0.1:%u%s?api_key=SECRET-KEY",
           hostile_port(srv), path);
  struct sc_http_req req = {.url = url};
  double t0 = now_s();
  sc_http_do(http, &req, r);
  if (secs)
    *secs = now_s() - t0;
  return r->err;
}

struct outcome {
  const char *path;
  enum sc_http_err err;
  long status; /* -1: any */
};

static const struct outcome outcomes[] = {
    {"/ok", SC_HTTP_OK, 200},
    {"/hang", SC_HTTP_TIMEOUT, -1},
    {"/hang-body", SC_HTTP_TIMEOUT, -1},
    {"/big", SC_HTTP_TOO_BIG, -1},
    {"/endless", SC_HTTP_TOO_BIG, -1},
    {"/bad-chunk", SC_HTTP_PROTOCOL, -1},
    {"/reset", SC_HTTP_RESET, -1},
    {"/reset-mid", SC_HTTP_RESET, -1},
    {"/headers", SC_HTTP_HEADERS, -1},
    {"/http09", SC_HTTP_PROTOCOL, -1},
    {"/redirect", SC_HTTP_OK, 302},
    {"/redirect-file", SC_HTTP_OK, 302},
    {"/redirect-loop", SC_HTTP_OK, 302},
    {"/1xx", SC_HTTP_TIMEOUT, -1},
    {"/binary", SC_HTTP_OK, 200},
    {"/markup", SC_HTTP_OK, 200},
};

Test(http, every_misbehaviour_has_its_outcome_within_the_timeout) {
  for (size_t i = 0; i < sizeof outcomes / sizeof *outcomes; i++) {
    struct sc_http_resp r;
    double secs = 0;
    enum sc_http_err e = get(outcomes[i].path, &r, &secs);
    /* A reset can surface as a broken or an empty answer, and libcurl
     * reports an invalid chunk as a receive failure: both are a broken
     * answer, never a success. */
    int ok = e == outcomes[i].err ||
             (outcomes[i].err == SC_HTTP_RESET && e == SC_HTTP_PROTOCOL) ||
             (outcomes[i].err == SC_HTTP_PROTOCOL && e == SC_HTTP_RESET);
    cr_expect(ok, "%s: %s (%s), want %s", outcomes[i].path,
              sc_http_err_name(e), r.errmsg,
              sc_http_err_name(outcomes[i].err));
    if (outcomes[i].status >= 0)
      cr_expect_eq(r.status, outcomes[i].status, "%s", outcomes[i].path);
    cr_expect_lt(secs, 3.0, "%s took %.2f s", outcomes[i].path, secs);
    cr_expect_leq(r.len, 65536u, "%s", outcomes[i].path);
    cr_expect(e != SC_HTTP_OK || r.body, "%s: an answer without a body",
              outcomes[i].path);
    sc_http_resp_free(&r);
  }
  /* nothing followed a redirect, not even to this same server: only our
   * own requests arrived */
  cr_expect_eq(hostile_requests(srv),
               (unsigned)(sizeof outcomes / sizeof *outcomes));
}

Test(http, binary_body_kept_byte_exact) {
  struct sc_http_resp r;
  cr_assert_eq(get("/binary", &r, NULL), SC_HTTP_OK);
  cr_expect_eq(r.len, 20u);
  cr_expect_eq(memcmp(r.body, "ACCESS_BALANCE:\xff\xfe\x00\x01\xc3", 20), 0);
  cr_expect_eq(r.body[r.len], '\0');
  sc_http_resp_free(&r);
}

Test(http, headers_and_content_type) {
  struct sc_http_resp r;
  char v[64];
  cr_assert_eq(get("/ok", &r, NULL), SC_HTTP_OK);
  cr_expect_str_eq(r.ctype, "text/plain");
  cr_expect_str_eq(sc_http_header(&r, "content-length", v, sizeof v), "2");
  cr_expect_null(sc_http_header(&r, "X-Missing", v, sizeof v));
  sc_http_resp_free(&r);
}

Test(http, connection_refused) {
  /* port 1 on loopback: nothing listens there */
  struct sc_http_req req = {.url = "http://127.0.0.1:1/"};
  struct sc_http_resp r;
  cr_expect_eq(sc_http_do(http, &req, &r), -1);
  cr_expect_eq(r.err, SC_HTTP_CONNECT, "%s", r.errmsg);
  sc_http_resp_free(&r);
}

Test(http, only_http_and_https) {
  struct sc_http_req req = {.url = "file:///etc/passwd"};
  struct sc_http_resp r;
  cr_expect_eq(sc_http_do(http, &req, &r), -1);
  cr_expect_eq(r.err, SC_HTTP_PROTOCOL, "%s", r.errmsg);
  cr_expect_null(strstr(r.body ? r.body : "", "root:"));
  sc_http_resp_free(&r);
}

struct par {
  int n_ok;
};

static void *par_main(void *arg) {
  struct par *p = arg;
  for (int i = 0; i < 10; i++) {
    struct sc_http_resp r;
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%u/ok", hostile_port(srv));
    struct sc_http_req req = {.url = url};
    if (sc_http_do(http, &req, &r) == 0 && r.status == 200 &&
        strcmp(r.body, "OK") == 0)
      p->n_ok++;
    sc_http_resp_free(&r);
  }
  return NULL;
}

/* Hangs do not hold back other requests beyond the concurrency cap. */
Test(http, parallel_callers_share_the_loop) {
  enum { N = 6 };
  pthread_t th[N];
  struct par p[N];
  memset(p, 0, sizeof p);
  for (int i = 0; i < N; i++)
    cr_assert_eq(pthread_create(&th[i], NULL, par_main, &p[i]), 0);
  struct sc_http_resp r;
  get("/hang", &r, NULL); /* at the same time */
  sc_http_resp_free(&r);
  int total = 0;
  for (int i = 0; i < N; i++) {
    pthread_join(th[i], NULL);
    total += p[i].n_ok;
  }
  cr_expect_eq(total, N * 10);
  unsigned long reqs = 0;
  sc_http_stats(http, &reqs, NULL);
  cr_expect_eq(reqs, (unsigned long)(N * 10 + 1));
}

/* A body that asks the client to wait (a dialect's RATE_LIMITED) with a
 * Retry-After is waited out like a 429, and every other request with it;
 * without the option it is an answer like any other. */
Test(http, a_retry_body_with_retry_after_is_waited_out) {
  struct sc_http_resp r;
  cr_assert_eq(get("/wait-once", &r, NULL), SC_HTTP_OK);
  cr_expect_str_eq(r.body, "RATE_LIMITED");
  sc_http_resp_free(&r);
  static const char *const wait[] = {"RATE_LIMITED", NULL};
  char err[128];
  struct sc_http_opts o = {.jobs = 2, .timeout_ms = 3000,
                           .retry_bodies = wait};
  struct sc_http *h2 = sc_http_new(&o, err, sizeof err);
  cr_assert_not_null(h2, "%s", err);
  struct hostile *fresh = hostile_start();
  cr_assert_not_null(fresh);
  char url[128];
  snprintf(url, sizeof url, "http://127.0.0.1:%u/wait-once",
           hostile_port(fresh));
  struct sc_http_req req = {.url = url};
  double t0 = now_s();
  sc_http_do(h2, &req, &r);
  double secs = now_s() - t0;
  cr_expect_eq(r.err, SC_HTTP_OK);
  cr_expect_str_eq(r.body, "OK");
  cr_expect_eq(r.retries, 1);
  cr_expect(secs >= 0.9, "waited %.2f s, not the 1 s asked", secs);
  sc_http_resp_free(&r);
  sc_http_destroy(h2);
  hostile_stop(fresh);
}
