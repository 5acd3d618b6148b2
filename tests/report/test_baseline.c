/* test_baseline.c — known failures: written, read back, accepted, and a
 * file that is not a baseline refused with a clear message; UNSUPPORTED
 * and BLOCKED results are never written, and an entry whose check is now
 * UNSUPPORTED is reported as one that no longer fails. */
#include "sc_baseline.h"
#include "sc_report.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char path[64];

static void setup(void) {
  snprintf(path, sizeof path, "/tmp/sc-baseline-%ld.json", (long)getpid());
}

static void teardown(void) {
  unlink(path);
}

TestSuite(baseline, .init = setup, .fini = teardown);

/* A report of four checks: PASS, FAIL, WARN and ERROR. */
static void make(struct sc_report *r, int strict) {
  static const struct {
    const char *id;
    enum sc_verdict v;
  } rows[] = {{"format.getBalance", SC_VERDICT_PASS},
              {"money.refund-once", SC_VERDICT_FAIL},
              {"format.getPrices", SC_VERDICT_WARN},
              {"error.getStatus.NO_ACTIVATION", SC_VERDICT_ERROR}};
  memset(r, 0, sizeof *r);
  r->strict = strict;
  r->profile = strdup("sms-activate");
  r->nresults = 4;
  r->results = calloc(4, sizeof *r->results);
  for (size_t i = 0; i < 4; i++) {
    r->results[i].id = strdup(rows[i].id);
    r->results[i].verdict = rows[i].v;
    r->results[i].message = strdup("why");
  }
}

Test(baseline, round_trip_accepts_what_failed) {
  struct sc_report r;
  char err[256];
  make(&r, 0);
  cr_expect_eq(sc_report_blockers(&r), 2u);
  cr_assert_eq(sc_baseline_write(&r, path, err, sizeof err), 2, "%s", err);
  struct sc_report r2;
  make(&r2, 0);
  size_t unknown = 99;
  cr_assert_eq(sc_baseline_apply(&r2, path, &unknown, err, sizeof err), 0,
               "%s", err);
  cr_expect_eq(unknown, 0u);
  cr_expect_eq(sc_report_blockers(&r2), 0u);
  cr_expect(r2.results[1].baseline && r2.results[3].baseline);
  cr_expect(!r2.results[0].baseline && !r2.results[2].baseline);
  sc_report_free(&r);
  sc_report_free(&r2);
}

/* Under --strict a WARN fails the run and so goes into the baseline; a
 * new failure not in the baseline still fails the run. */
Test(baseline, strict_and_regressions) {
  struct sc_report r;
  char err[256];
  make(&r, 1);
  cr_expect_eq(sc_report_blockers(&r), 3u);
  cr_assert_eq(sc_baseline_write(&r, path, err, sizeof err), 3, "%s", err);
  sc_report_free(&r);
  make(&r, 1);
  r.results[0].verdict = SC_VERDICT_FAIL; /* a regression */
  cr_assert_eq(sc_baseline_apply(&r, path, NULL, err, sizeof err), 0);
  cr_expect_eq(sc_report_blockers(&r), 1u);
  cr_expect(sc_report_blocks(&r, &r.results[0]));
  sc_report_free(&r);
}

Test(baseline, unknown_ids_are_counted) {
  FILE *f = fopen(path, "w");
  cr_assert_not_null(f);
  fputs("{\"schema\":\"smsconform-baseline/1\",\"accepted\":[{\"id\":"
        "\"gone.check\"},{\"id\":\"money.refund-once\"},{\"x\":1}]}",
        f);
  fclose(f);
  struct sc_report r;
  char err[256];
  size_t unknown = 0;
  make(&r, 0);
  cr_assert_eq(sc_baseline_apply(&r, path, &unknown, err, sizeof err), 0);
  cr_expect_eq(unknown, 1u);
  cr_expect(r.results[1].baseline);
  sc_report_free(&r);
}

Test(baseline, not_a_baseline_is_refused) {
  static const char *const bodies[] = {
      "", "not json", "[]", "{\"accepted\":[]}",
      "{\"schema\":\"smsconform-report/1\",\"accepted\":[]}",
      "{\"schema\":\"smsconform-baseline/1\",\"accepted\":{}}"};
  for (size_t i = 0; i < sizeof bodies / sizeof *bodies; i++) {
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs(bodies[i], f);
    fclose(f);
    struct sc_report r;
    char err[256] = "";
    make(&r, 0);
    cr_expect_eq(sc_baseline_apply(&r, path, NULL, err, sizeof err), -1,
                 "body %zu accepted", i);
    cr_expect(strstr(err, "is not a baseline") != NULL, "%s", err);
    cr_expect_eq(sc_report_blockers(&r), 2u);
    sc_report_free(&r);
  }
  struct sc_report r;
  char err[256] = "";
  make(&r, 0);
  cr_expect_eq(sc_baseline_apply(&r, "/nonexistent/b.json", NULL, err,
                                 sizeof err),
               -1);
  cr_expect(strstr(err, "cannot read") != NULL, "%s", err);
  cr_expect_eq(sc_baseline_write(&r, "/nonexistent/b.json", err, sizeof err),
               -1);
  cr_expect(strstr(err, "cannot write") != NULL, "%s", err);
  sc_report_free(&r);
}

/* Reads the file at |path| (malloc'd, NUL-terminated). */
static char *slurp(const char *p) {
  FILE *f = fopen(p, "rb");
  cr_assert_not_null(f, "%s", p);
  static char buf[65536];
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = '\0';
  return strdup(buf);
}

/* The report of |make| plus an UNSUPPORTED check, one BLOCKED by the FAIL
 * and one BLOCKED by a check not in the run (which fails the run). */
static void make_partial(struct sc_report *r) {
  make(r, 0);
  r->results = realloc(r->results, 7 * sizeof *r->results);
  memset(r->results + 4, 0, 3 * sizeof *r->results);
  r->nresults = 7;
  r->results[4].id = strdup("support.getRentNumber");
  r->results[4].verdict = SC_VERDICT_UNSUPPORTED;
  r->results[5].id = strdup("money.charge");
  r->results[5].verdict = SC_VERDICT_BLOCKED;
  r->results[5].blocked_by = strdup("money.refund-once");
  r->results[6].id = strdup("lifecycle.setStatus.6");
  r->results[6].verdict = SC_VERDICT_BLOCKED;
  r->results[6].blocked_by = strdup("format.getNumber");
}

Test(baseline, unsupported_and_blocked_are_never_written) {
  struct sc_report r;
  char err[256];
  make_partial(&r);
  /* FAIL, ERROR, and the BLOCKED that nothing explains */
  cr_expect_eq(sc_report_blockers(&r), 3u);
  cr_assert_eq(sc_baseline_write(&r, path, err, sizeof err), 2, "%s", err);
  char *text = slurp(path);
  cr_expect(strstr(text, "\"money.refund-once\""), "%s", text);
  cr_expect(strstr(text, "\"error.getStatus.NO_ACTIVATION\""), "%s", text);
  cr_expect_null(strstr(text, "support.getRentNumber"), "%s", text);
  cr_expect_null(strstr(text, "money.charge"), "%s", text);
  cr_expect_null(strstr(text, "lifecycle.setStatus.6"), "%s", text);
  free(text);
  /* the baseline accepts the two: the unexplained BLOCKED still fails */
  cr_assert_eq(sc_baseline_apply(&r, path, NULL, err, sizeof err), 0);
  cr_expect_eq(sc_report_blockers(&r), 1u);
  cr_expect(sc_report_blocks(&r, &r.results[6]));
  /* the explained BLOCKED stays explained by its accepted owner */
  cr_expect_not(sc_report_blocks(&r, &r.results[5]));
  sc_report_free(&r);
}

/* A check that failed when the baseline was written and is UNSUPPORTED
 * now: its entry no longer fails, and the reports say it can go. */
Test(baseline, an_entry_now_unsupported_can_go) {
  FILE *f = fopen(path, "w");
  cr_assert_not_null(f);
  fputs("{\"schema\":\"smsconform-baseline/1\",\"accepted\":[{\"id\":"
        "\"support.getRentNumber\"},{\"id\":\"money.refund-once\"}]}",
        f);
  fclose(f);
  struct sc_report r;
  char err[256];
  size_t unknown = 9;
  make_partial(&r);
  cr_assert_eq(sc_baseline_apply(&r, path, &unknown, err, sizeof err), 0);
  cr_expect_eq(unknown, 0u);
  cr_expect(r.results[4].baseline);
  cr_expect_not(sc_report_blocks(&r, &r.results[4]));

  char *out = NULL;
  size_t len;
  f = open_memstream(&out, &len);
  cr_assert_not_null(f);
  cr_assert_eq(sc_report_console(&r, f, 0), 0);
  fclose(f);
  cr_expect(strstr(out, "\nbaseline    1 known failures accepted (reported, "
                        "not failing)\nbaseline    1 entry no longer fails "
                        "(remove them): support.getRentNumber\n"),
            "%s", out);
  free(out);
  f = open_memstream(&out, &len);
  cr_assert_not_null(f);
  cr_assert_eq(sc_report_markdown(&r, f), 0);
  fclose(f);
  cr_expect(strstr(out, "\n### Baseline entries that no longer fail (1)\n\n"
                        "They can be removed from the baseline:\n\n"
                        "- support.getRentNumber (now UNSUPPORTED)\n"),
            "%s", out);
  free(out);
  f = open_memstream(&out, &len);
  cr_assert_not_null(f);
  cr_assert_eq(sc_report_json(&r, f), 0);
  fclose(f);
  cr_expect(strstr(out, "\"id\": \"support.getRentNumber\""));
  cr_expect(strstr(out, "\"outcome\": \"UNSUPPORTED\""));
  cr_expect(strstr(out, "\"baseline\": true,\n      \"baseline_stale\": true"),
            "%s", out);
  free(out);
  /* written again: the entry is gone */
  cr_assert_eq(sc_baseline_write(&r, path, err, sizeof err), 2, "%s", err);
  char *text = slurp(path);
  cr_expect_null(strstr(text, "support.getRentNumber"), "%s", text);
  free(text);
  sc_report_free(&r);
}
