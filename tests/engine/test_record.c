/* test_record.c — recordings: exchanges saved and read back byte for byte
 * (binary answers too), a request that differs from the recorded one
 * refused, a file that is not a recording refused clearly, and answers
 * past the recording's budget kept cut. */
#include "sc_record.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];

static void setup(void) {
  snprintf(dir, sizeof dir, "/tmp/sc-record-%ld", (long)getpid());
}

static void teardown(void) {
  char path[128];
  snprintf(path, sizeof path, "%s/recording.json", dir);
  unlink(path);
  rmdir(dir);
}

TestSuite(record, .init = setup, .fini = teardown);

static const char binary[] = "ACCESS_\0NUMBER\xff\xfe:1";

/* Two exchanges of one check and one of another, saved and loaded. */
static struct sc_record *saved(void) {
  struct sc_record *rec = sc_record_new("sms-activate", "http://h/x", NULL);
  cr_assert_not_null(rec);
  struct sc_record_req q1 = {"GET", "http://h/x?action=getBalance", NULL, NULL};
  struct sc_http_resp r1 = {.status = 200, .ms = 1.5};
  snprintf(r1.ctype, sizeof r1.ctype, "text/plain");
  char hdr[] = "HTTP/1.1 200 OK\r\nX-A: 1\r\n";
  r1.headers = hdr;
  cr_assert_eq(sc_record_add(rec, "format.getBalance", &q1, &r1,
                             "ACCESS_BALANCE:1.00", 19),
               0);
  struct sc_record_req q2 = {"POST", "http://h/x", "action=getNumber",
                             "Bearer $SMSCONFORM_KEY"};
  struct sc_http_resp r2 = {.status = 500};
  cr_assert_eq(sc_record_add(rec, "format.getBalance", &q2, &r2, binary,
                             sizeof binary - 1),
               0);
  struct sc_http_resp r3 = {.err = SC_HTTP_TIMEOUT};
  snprintf(r3.errmsg, sizeof r3.errmsg, "timed out");
  cr_assert_eq(sc_record_add(rec, "probe", &q1, &r3, NULL, 0), 0);
  char err[256];
  cr_assert_eq(sc_record_save(rec, dir, err, sizeof err), 0, "%s", err);
  sc_record_destroy(rec);
  rec = sc_record_load(dir, err, sizeof err);
  cr_assert_not_null(rec, "%s", err);
  return rec;
}

Test(record, round_trip_keeps_every_byte) {
  struct sc_record *rec = saved();
  cr_expect_str_eq(sc_record_profile(rec), "sms-activate");
  cr_expect_str_eq(sc_record_target(rec), "http://h/x");
  cr_expect_str_eq(sc_record_control(rec), "");
  cr_expect(sc_record_has(rec, "probe"));
  cr_expect(!sc_record_has(rec, "money.refund-once"));
  char err[512];
  struct sc_http_resp r;
  struct sc_record_req q1 = {"GET", "http://h/x?action=getBalance", NULL, NULL};
  cr_assert_eq(sc_record_get(rec, "format.getBalance", 0, &q1, &r, err,
                             sizeof err),
               SC_RECORD_OK, "%s", err);
  cr_expect_eq(r.status, 200);
  cr_expect_str_eq(r.ctype, "text/plain");
  cr_expect_str_eq(r.body, "ACCESS_BALANCE:1.00");
  cr_expect(r.headers && strstr(r.headers, "X-A: 1"));
  cr_expect_eq(r.err, SC_HTTP_OK);
  sc_http_resp_free(&r);
  /* the auth header is not compared (the keys differ), the body is */
  struct sc_record_req q2 = {"POST", "http://h/x", "action=getNumber", NULL};
  cr_assert_eq(sc_record_get(rec, "format.getBalance", 1, &q2, &r, err,
                             sizeof err),
               SC_RECORD_OK, "%s", err);
  cr_expect_eq(r.status, 500);
  cr_assert_eq(r.len, sizeof binary - 1);
  cr_expect_eq(memcmp(r.body, binary, r.len), 0);
  sc_http_resp_free(&r);
  cr_assert_eq(sc_record_get(rec, "probe", 0, &q1, &r, err, sizeof err),
               SC_RECORD_OK);
  cr_expect_eq(r.err, SC_HTTP_TIMEOUT);
  cr_expect_str_eq(r.errmsg, "timed out");
  cr_expect_null(r.body);
  sc_http_resp_free(&r);
  sc_record_destroy(rec);
}

Test(record, divergence_and_end_are_told) {
  struct sc_record *rec = saved();
  char err[512];
  struct sc_http_resp r;
  struct sc_record_req other = {"GET", "http://h/x?action=getPrices", NULL,
                                NULL};
  cr_expect_eq(sc_record_get(rec, "format.getBalance", 0, &other, &r, err,
                             sizeof err),
               SC_RECORD_DIVERGED);
  cr_expect(strstr(err, "request 1 differs") && strstr(err, "getPrices") &&
                strstr(err, "getBalance"),
            "%s", err);
  cr_expect_neq(r.err, SC_HTTP_OK);
  sc_http_resp_free(&r);
  cr_expect_eq(sc_record_get(rec, "format.getBalance", 2, &other, &r, err,
                             sizeof err),
               SC_RECORD_END);
  cr_expect(strstr(err, "holds 2 requests"), "%s", err);
  sc_http_resp_free(&r);
  sc_record_destroy(rec);
}

Test(record, not_a_recording_is_refused) {
  char err[512];
  cr_expect_null(sc_record_load("/nonexistent-dir", err, sizeof err));
  cr_expect(strstr(err, "cannot read"), "%s", err);
  static const char *const bodies[] = {
      "", "{", "[]", "{\"schema\":\"smsconform-report/1\",\"checks\":{}}",
      "{\"schema\":\"smsconform-recording/1\",\"checks\":[]}"};
  struct sc_record *rec = sc_record_new(NULL, NULL, NULL);
  cr_assert_eq(sc_record_save(rec, dir, err, sizeof err), 0);
  sc_record_destroy(rec);
  char path[128];
  snprintf(path, sizeof path, "%s/recording.json", dir);
  for (size_t i = 0; i < sizeof bodies / sizeof *bodies; i++) {
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs(bodies[i], f);
    fclose(f);
    cr_expect_null(sc_record_load(dir, err, sizeof err), "body %zu", i);
    cr_expect(strstr(err, "is not a recording"), "%s", err);
  }
}

/* An endpoint that answers a megabyte to every request: the recording
 * keeps answers whole up to its budget, then cut with their length, and
 * replaying a cut one says so instead of judging a different answer. */
Test(record, answers_past_the_budget_are_cut) {
  struct sc_record *rec = sc_record_new("sms-activate", "http://h/x", NULL);
  cr_assert_not_null(rec);
  sc_record_limit(rec, 3u << 20);
  enum { BIG = 1 << 20 };
  char *body = malloc(BIG + 1);
  cr_assert_not_null(body);
  memset(body, 'A', BIG);
  body[BIG] = '\0';
  struct sc_record_req q = {"GET", "http://h/x?action=getBalance", NULL, NULL};
  struct sc_http_resp r = {.status = 200};
  for (int i = 0; i < 5; i++)
    cr_assert_eq(sc_record_add(rec, "format.getBalance", &q, &r, body, BIG),
                 0);
  free(body);
  char err[512];
  cr_assert_eq(sc_record_save(rec, dir, err, sizeof err), 0, "%s", err);
  sc_record_destroy(rec);
  char path[128];
  snprintf(path, sizeof path, "%s/recording.json", dir);
  struct stat st;
  cr_assert_eq(stat(path, &st), 0);
  cr_expect_lt(st.st_size, (4 << 20) + 65536, "%lld bytes",
               (long long)st.st_size);
  rec = sc_record_load(dir, err, sizeof err);
  cr_assert_not_null(rec, "%s", err);
  for (size_t i = 0; i < 5; i++) {
    struct sc_http_resp got;
    int rc = sc_record_get(rec, "format.getBalance", i, &q, &got, err,
                           sizeof err);
    if (i < 3) {
      cr_expect_eq(rc, SC_RECORD_OK, "answer %zu: %s", i, err);
      cr_expect_eq(got.len, (size_t)BIG);
    } else {
      cr_expect_eq(rc, SC_RECORD_CUT, "answer %zu", i);
      cr_expect_eq(got.len, SC_RECORD_CUT_LEN);
      cr_expect(strstr(err, "recorded cut to 4096 of its 1048576 bytes"),
                "%s", err);
    }
    sc_http_resp_free(&got);
  }
  sc_record_destroy(rec);
}
