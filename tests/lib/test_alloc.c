/* test_alloc.c — sc_alloc.c: failing the Nth allocation, for every N (or a
 * stride of them past the first few hundred), in the spec loader, the
 * parser (and its one-pass JSON parser, sc_json_parse), the report
 * writers (src/report/sc_report*.c, through sc_out.c), the vendor
 * comparison's reader, model and writers (sc_compare*.c), the baseline
 * (sc_baseline.c) and the recordings (sc_record.c). The loader and the
 * parser may get through a failed allocation; everything else must return
 * its error whenever one failed, and what it wrote is then a strict prefix
 * of the whole output (a writer's FILE) or nothing at all (a file it names
 * keeps its old content). Never a crash. Leaks are caught by LeakSanitizer
 * in the ASan+UBSan build. Also: outputs that cannot be written (a full
 * disk, a directory, a read-only stream) are an error, never a success. */
#include "sc_alloc.h"
#include "sc_baseline.h"
#include "sc_compare.h"
#include "sc_json.h"
#include "sc_record.h"
#include "sc_report.h"
#include "sc_spec.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

/* Runs |fn| once to count its allocations, then fails allocation 1, 2, …
 * (every one up to 300, then a stride so about 300 more are tried), and
 * calls it once more without failures, which must get through. |strict|:
 * every call whose allocation failed must say so (non-zero); otherwise a
 * call may also get through a failed allocation, and answers 0 or
 * |want_nomem|. Returns how many failures were tried. */
static unsigned long fail_each(const char *what, int (*fn)(void *),
                               void *arg, int strict, int want_nomem) {
  sc_alloc_init();
  sc_alloc_fail_after(0);
  cr_assert_eq(fn(arg), 0, "%s fails without injected failures", what);
  unsigned long total = sc_alloc_fail_after(0);
  cr_assert_gt(total, 0, "%s allocates nothing through sc_alloc", what);
  unsigned long step = total > 600 ? (total - 300) / 300 : 1;
  unsigned long tried = 0;
  for (unsigned long n = 1; n <= total; n += (n < 300 ? 1 : step)) {
    sc_alloc_fail_after(n);
    int rc = fn(arg);
    unsigned long made = sc_alloc_fail_after(0);
    if (strict) {
      cr_assert_geq(made, n, "%s: allocation %lu of %lu was not reached",
                    what, n, total);
      cr_assert_neq(rc, 0, "%s: allocation %lu of %lu failed unnoticed",
                    what, n, total);
    } else {
      cr_expect(rc == 0 || rc == want_nomem,
                "%s: allocation %lu of %lu failed: rc %d", what, n, total,
                rc);
    }
    tried++;
  }
  /* and nothing is left broken: the next call gets through */
  cr_assert_eq(fn(arg), 0, "%s fails after the failures", what);
  cr_log_info("%s: %lu of %lu allocations failed in turn", what, tried,
              total);
  return tried;
}

/* The loader and the parser: a failed allocation may be got through. */
static void every_allocation(int (*fn)(void *), void *arg, int want_nomem) {
  fail_each("the call", fn, arg, 0, want_nomem);
}

/* The writers and readers: every failed allocation is an error. */
static unsigned long every_allocation_fails(const char *what,
                                            int (*fn)(void *), void *arg) {
  return fail_each(what, fn, arg, 1, 0);
}

static int load_spec(void *arg) {
  (void)arg;
  enum sc_err e;
  char *diag = NULL;
  struct sc_spec *s = sc_spec_new(NULL, &e, &diag);
  sc_spec_free_diag(diag);
  sc_spec_destroy(s);
  return s ? 0 : (int)e;
}

Test(alloc, spec_loader_survives_every_failed_allocation) {
  every_allocation(load_spec, NULL, SC_ERR_NOMEM);
}

/* The last allocations of a load build the table of views and compile the
 * views' schema shapes; the stride above may step over them, so each of
 * the last 400 fails in turn: NOMEM and no leak, or a loaded spec. */
Test(alloc, spec_loader_survives_failed_view_table_and_shape_compile) {
  sc_alloc_fail_after(0);
  cr_assert_eq(load_spec(NULL), 0);
  unsigned long total = sc_alloc_fail_after(0);
  unsigned long first = total > 400 ? total - 400 : 1;
  for (unsigned long n = first; n <= total; n++) {
    sc_alloc_fail_after(n);
    int rc = load_spec(NULL);
    sc_alloc_fail_after(0);
    cr_expect(rc == SC_ERR_NOMEM, "allocation %lu of %lu failed: rc %d", n,
              total, rc);
  }
}

struct parse_arg {
  struct sc_spec *spec;
  const char *action;
  const char *profile;
  const char *body;
};

static int parse_one(void *arg) {
  struct parse_arg *a = arg;
  struct sc_input in = {a->action, a->profile, 200, NULL, a->body,
                        strlen(a->body)};
  struct sc_result r;
  enum sc_err e = sc_parse(a->spec, &in, &r);
  sc_result_free(&r);
  return (int)e;
}

Test(alloc, parser_survives_every_failed_allocation) {
  enum sc_err e;
  struct sc_spec *s = sc_spec_new(NULL, &e, NULL);
  cr_assert_not_null(s);
  /* a text answer is parsed in place: no allocation at all */
  struct parse_arg text = {s, "getNumber", NULL, "ACCESS_NUMBER:1:79990001122"};
  sc_alloc_fail_after(0);
  cr_expect_eq(parse_one(&text), 0);
  cr_expect_eq(sc_alloc_fail_after(0), 0, "text parsing allocated");
  static const char *const bodies[][3] = {
      {"getNumberV2", "securesms",
       "{\"activationId\":\"1\",\"phoneNumber\":\"919876543210\","
       "\"activationCost\":0.28,\"countryCode\":\"22\","
       "\"canGetAnotherSms\":true,\"activationTime\":\"2026-06-12 21:14:05\","
       "\"activationOperator\":\"any\"}"},
      {"getRentStatus", NULL,
       "{\"status\":\"error\",\"message\":\"NO_ID_RENT\"}"},
      {"getNumberV2", NULL, "{\"activationId\":\"abc\"}"},
  };
  for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
    struct parse_arg a = {s, bodies[i][0], bodies[i][1], bodies[i][2]};
    every_allocation(parse_one, &a, SC_ERR_NOMEM);
  }
  sc_spec_destroy(s);
}

/* sc_json_parse with its allocations failing in turn: |want| is what it
 * answers whichever allocation fails (a tree is never half returned). */
struct json_arg {
  const char *text;
  enum sc_json_err want; /* NOMEM for a valid text */
  size_t want_off;
};

static int json_parse_one(void *arg) {
  struct json_arg *a = arg;
  struct sc_json_error err;
  cJSON *j = sc_json_parse(a->text, strlen(a->text), &err);
  int rc;
  if (j) {
    cr_expect_eq(err.code, SC_JSON_ERR_OK);
    rc = 0;
  } else {
    cr_expect(err.code == a->want && err.offset == a->want_off,
              "%s: %s at %zu, want %s at %zu", a->text,
              sc_json_err_name(err.code), err.offset, sc_json_err_name(a->want),
              a->want_off);
    rc = err.code == SC_JSON_ERR_NOMEM ? SC_ERR_NOMEM : 1;
  }
  cJSON_Delete(j);
  return rc;
}

/* A text with a fault after everything that allocates: the fault wins
 * over the failed allocation, as it did when validation came first. */
static int json_parse_faulty(void *arg) {
  struct json_arg *a = arg;
  struct sc_json_error err;
  cJSON *j = sc_json_parse(a->text, strlen(a->text), &err);
  cr_expect_null(j);
  cJSON_Delete(j);
  cr_expect(err.code == a->want && err.offset == a->want_off,
            "%s: %s at %zu, want %s at %zu", a->text,
            sc_json_err_name(err.code), err.offset, sc_json_err_name(a->want),
            a->want_off);
  return 0;
}

Test(alloc, json_parser_survives_every_failed_allocation) {
  sc_alloc_init();
  /* nodes, keys, escaped strings, and a number longer than the parser's
   * stack copy for strtod */
  static const char valid[] =
      "{\"a\":[1,2.5,true,null,\"x\\n\\u00e9\\uD83D\\uDE00\"],\"\":{},"
      "\"b\":{\"c\":[[],\"\"]},\"n\":"
      "1.000000000000000000000000000000000000000000000000000000000000000000"
      "00000000000000000000000000000000000000000000000000000000000000001}";
  struct json_arg ok = {valid, SC_JSON_ERR_NOMEM, 0};
  every_allocation(json_parse_one, &ok, SC_ERR_NOMEM);

  static const char bad_end[] = "{\"a\":[1,\"xy\",{\"k\":2}],\"b\":tru}";
  struct json_arg bad = {bad_end, SC_JSON_ERR_UNEXPECTED, sizeof bad_end - 2};
  sc_alloc_fail_after(0);
  json_parse_faulty(&bad);
  unsigned long total = sc_alloc_fail_after(0);
  for (unsigned long n = 1; n <= total + 1; n++) {
    sc_alloc_fail_after(n);
    json_parse_faulty(&bad);
    sc_alloc_fail_after(0);
  }

  static const char lone_end[] = "[\"a\",{\"k\":[2,3]},\"\\uDC00\"]";
  struct json_arg lone = {lone_end, SC_JSON_ERR_SURROGATE,
                          (size_t)(strchr(lone_end, '\\') - lone_end)};
  sc_alloc_fail_after(0);
  json_parse_faulty(&lone);
  total = sc_alloc_fail_after(0);
  for (unsigned long n = 1; n <= total + 1; n++) {
    sc_alloc_fail_after(n);
    json_parse_faulty(&lone);
    sc_alloc_fail_after(0);
  }
}

/* ------------------------------------------------ writers and readers */

/* Hostile and non-ASCII text as an endpoint could send it. */
#define MARKUP                                                                 \
  "<script>alert(1)</script> ]]> <!-- --> & \"q\" 'a' | `x` **b** "           \
  "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82 \xe4\xbd\xa0\xe5\xa5\xbd " \
  "\xe2\x80\xae evil \x1b[31m"

static char *xdup(const char *s) {
  char *p = s ? sc_strdup(s) : NULL;
  cr_assert(!s || p);
  return p;
}

static void ex_set(struct sc_exchange *e, const char *method, const char *url,
                   long status, const char *ctype, const char *body,
                   size_t len, const char *terr) {
  e->method = xdup(method);
  e->url = xdup(url);
  e->request_body = strcmp(method, "POST") == 0 ? xdup("action=" MARKUP) : NULL;
  e->status = status;
  e->content_type = xdup(ctype);
  if (body) {
    e->body = sc_malloc(len + 1);
    cr_assert_not_null(e->body);
    memcpy(e->body, body, len);
    e->body[len] = '\0';
    e->body_len = len;
  }
  e->transport_error = xdup(terr);
  e->ms = 1.5 + (double)len;
}

/* A run report of every verdict and category: PASS, WARN, FAIL (with
 * hostile exchanges and a binary body), SKIP, ERROR (no answer), one
 * accepted by the baseline; and a ledger. |origin| and |vendor_fail| vary
 * it for a second vendor. */
static void report_fixture(struct sc_report *r, const char *origin,
                           int vendor_fail) {
  static const char bin[] = "ACCESS_\0NUMBER\xff\xfe:1 <b>x</b>";
  static const struct {
    const char *id;
    enum sc_cat cat;
    enum sc_verdict v;
    const char *action, *message;
    int nex; /* 0, 1 plain, 2 hostile, 3 transport error */
  } rows[] = {
      {"format.getBalance", SC_CAT_FORMAT, SC_VERDICT_PASS, "getBalance", NULL,
       1},
      {"format.getNumberV2.id_as_string", SC_CAT_FORMAT, SC_VERDICT_WARN,
       "getNumberV2", "activationId sent as a string", 1},
      {"error.getStatus.NO_ACTIVATION", SC_CAT_ERROR, SC_VERDICT_FAIL,
       "getStatus", "answered " MARKUP " instead of NO_ACTIVATION", 2},
      {"lifecycle.setStatus.early_cancel", SC_CAT_LIFECYCLE, SC_VERDICT_SKIP,
       "setStatus", "needs a control endpoint (--control)", 0},
      {"transport.getBalance.timeout", SC_CAT_TRANSPORT, SC_VERDICT_ERROR,
       "getBalance", "no answer within 10 s", 3},
      {"money.refund-once", SC_CAT_MONEY, SC_VERDICT_FAIL, "setStatus",
       "refunded twice: \xe2\x82\xac 0.50", 1},
      {"rest.v1.errors", SC_CAT_REST, SC_VERDICT_WARN, NULL,
       "error as {\"title\",\"details\"}", 0},
      {"robustness.getStatus.id." MARKUP, SC_CAT_ROBUSTNESS, SC_VERDICT_PASS,
       "getStatus", NULL, 1},
  };
  char url[256];
  memset(r, 0, sizeof *r);
  r->tool = xdup("smsconform 0.1.0");
  snprintf(url, sizeof url, "%s/stubs/handler_api.php", origin);
  r->target = xdup(url);
  r->profile = xdup("sms-activate");
  r->started = xdup("2026-06-12T21:14:05Z");
  r->seconds = 2.25;
  r->requests = 17;
  r->nresults = sizeof rows / sizeof *rows;
  r->results = sc_calloc(r->nresults, sizeof *r->results);
  cr_assert_not_null(r->results);
  for (size_t i = 0; i < r->nresults; i++) {
    struct sc_check_result *c = &r->results[i];
    enum sc_verdict v = rows[i].v;
    if (vendor_fail && v == SC_VERDICT_PASS)
      v = SC_VERDICT_FAIL;
    c->id = xdup(rows[i].id);
    c->cat = rows[i].cat;
    c->verdict = v;
    c->action = xdup(rows[i].action);
    c->tags = xdup("format text spend");
    c->requirement = xdup("The answer is the one the document gives.");
    c->doc = xdup("001_ac8db1c65ff3c54b.txt");
    c->section = xdup("getStatus \xe2\x80\x94 errors");
    c->message = xdup(rows[i].message ? rows[i].message
                                     : (v == SC_VERDICT_PASS ? NULL : "x"));
    if (v == SC_VERDICT_FAIL) {
      c->expected = xdup("NO_ACTIVATION");
      c->actual = xdup(MARKUP);
    }
    c->curl = xdup("curl -sS 'http://127.0.0.1/x?api_key=$SMSCONFORM_KEY"
                  "&action=getStatus'");
    c->baseline = i == 5;
    c->ms = 3.5 * (double)(i + 1);
    snprintf(url, sizeof url,
             "%s/stubs/handler_api.php?api_key=$SMSCONFORM_KEY&action=%s",
             origin, rows[i].action ? rows[i].action : "getBalance");
    switch (rows[i].nex) {
    case 0:
      break;
    case 1:
      c->nex = 1;
      c->ex = sc_calloc(1, sizeof *c->ex);
      cr_assert_not_null(c->ex);
      ex_set(&c->ex[0], "GET", url, 200, "text/plain", "STATUS_WAIT_CODE",
             16, NULL);
      break;
    case 2:
      c->nex = 2;
      c->ex = sc_calloc(2, sizeof *c->ex);
      cr_assert_not_null(c->ex);
      ex_set(&c->ex[0], "POST", url, 200, "text/html; <b>", bin,
             sizeof bin - 1, NULL);
      ex_set(&c->ex[1], "GET", url, 500, "application/json", MARKUP,
             strlen(MARKUP), NULL);
      break;
    case 3:
      c->nex = 1;
      c->ex = sc_calloc(1, sizeof *c->ex);
      cr_assert_not_null(c->ex);
      ex_set(&c->ex[0], "GET", url, 0, NULL, NULL, 0,
             "timeout after 10000 ms <script>");
      break;
    }
  }
  r->nspend = 2;
  r->spend = sc_calloc(2, sizeof *r->spend);
  cr_assert_not_null(r->spend);
  r->spend[0].what = xdup("getNumber tg/0 <b>\xd0\x96</b>");
  r->spend[0].id = xdup("123456789");
  r->spend[0].cost = 0.5;
  r->spend[0].refunded = 1;
  r->spend[1].what = xdup("getRentNumber full/0");
  r->spend[1].id = xdup("123456790");
  r->spend[1].cost = 1.0;
}

/* A writer to a FILE, and what it wrote when nothing failed. */
struct write_arg {
  const char *name;
  int (*report)(const struct sc_report *, FILE *);
  int (*compare)(const struct sc_compare *, FILE *, unsigned);
  const struct sc_report *r;
  const struct sc_compare *c;
  char *full; /* the whole output (malloc'd), NULL before the first run */
  size_t full_len;
};

/* Runs the writer into memory. On success the output is kept as the
 * reference (or compared with it); on failure it must be a strict prefix
 * of it: the file is visibly cut short, never a complete-looking one. */
static int write_one(void *p) {
  struct write_arg *a = p;
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  cr_assert_not_null(f);
  int rc = a->report ? a->report(a->r, f) : a->compare(a->c, f, 0);
  cr_assert_eq(fclose(f), 0);
  if (rc == 0 && !a->full) {
    a->full = buf;
    a->full_len = len;
    return 0;
  }
  if (rc == 0) {
    cr_assert_eq(len, a->full_len, "%s: a second run differs", a->name);
    cr_assert(memcmp(buf, a->full, len) == 0, "%s: a second run differs",
              a->name);
  } else {
    cr_assert_eq(rc, -1, "%s: rc %d", a->name, rc);
    cr_assert_lt(len, a->full_len, "%s failed after writing everything",
                 a->name);
    cr_assert(memcmp(buf, a->full, len) == 0,
                 "%s: a failed write is not a prefix of the output", a->name);
  }
  free(buf);
  return rc;
}

static const struct {
  const char *name;
  int (*fn)(const struct sc_report *, FILE *);
} report_writers[] = {
    {"junit", sc_report_junit},       {"tap", sc_report_tap},
    {"json", sc_report_json},         {"markdown", sc_report_markdown},
    {"html", sc_report_html},
};

static const struct {
  const char *name;
  int (*fn)(const struct sc_compare *, FILE *, unsigned);
} compare_writers[] = {
    {"compare html", sc_compare_html},
    {"compare markdown", sc_compare_markdown},
    {"compare json", sc_compare_json},
};

Test(alloc, report_writers_survive_every_failed_allocation) {
  struct sc_report r;
  report_fixture(&r, "http://127.0.0.1:8080", 0);
  for (size_t i = 0; i < sizeof report_writers / sizeof *report_writers;
       i++) {
    struct write_arg a = {.name = report_writers[i].name,
                          .report = report_writers[i].fn,
                          .r = &r};
    every_allocation_fails(a.name, write_one, &a);
    free(a.full);
  }
  sc_report_free(&r);
}

/* The JSON report of a fixture, as `run --json` writes it (malloc'd). */
static char *fixture_json(const char *origin, int vendor_fail, size_t *len) {
  struct sc_report r;
  char *buf = NULL;
  report_fixture(&r, origin, vendor_fail);
  FILE *f = open_memstream(&buf, len);
  cr_assert_not_null(f);
  cr_assert_eq(sc_report_json(&r, f), 0);
  fclose(f);
  sc_report_free(&r);
  return buf;
}

/* Two vendors read back from their JSON reports and compared. */
struct cmp_arg {
  char *text[2];
  size_t len[2];
};

static int compare_build(const struct cmp_arg *a, struct sc_compare **out) {
  static const char *const names[] = {"reference", "vendor <b>\xd0\x96</b>"};
  char err[256];
  struct sc_compare *c = sc_compare_new();
  *out = NULL;
  if (!c)
    return -1;
  for (size_t i = 0; i < 2; i++) {
    struct sc_report r;
    err[0] = '\0';
    if (sc_compare_parse(a->text[i], a->len[i], &r, err, sizeof err)) {
      cr_assert_not_null(strstr(err, "out of memory"), "%s", err);
      sc_compare_destroy(c);
      return -1;
    }
    if (sc_compare_add(c, names[i], i ? "a note " MARKUP : NULL,
                       i ? "koalasms" : NULL, &r, err, sizeof err)) {
      cr_assert_not_null(strstr(err, "out of memory"), "%s", err);
      cr_assert_eq(r.nresults, 0u, "sc_compare_add kept the report");
      sc_report_free(&r);
      sc_compare_destroy(c);
      return -1;
    }
  }
  *out = c;
  return 0;
}

static int compare_model(void *p) {
  struct sc_compare *c;
  int rc = compare_build(p, &c);
  if (!rc) {
    /* the score builds the matrix: NULL when that runs out of memory */
    struct sc_compare_score s;
    cr_assert_eq(sc_compare_nvendors(c), 2u);
    if (sc_compare_score(c, 1, &s))
      cr_assert_gt(s.n[SC_VERDICT_FAIL], 0u);
    else
      rc = -1;
  }
  sc_compare_destroy(c);
  return rc;
}

Test(alloc, comparison_survives_every_failed_allocation) {
  struct cmp_arg a;
  a.text[0] = fixture_json("http://127.0.0.1:40000", 0, &a.len[0]);
  a.text[1] = fixture_json("http://127.0.0.1:40001", 1, &a.len[1]);
  /* the reader and the model */
  every_allocation_fails("compare parse+add", compare_model, &a);
  /* the writers, on a model built without failures */
  struct sc_compare *c;
  cr_assert_eq(compare_build(&a, &c), 0);
  for (size_t i = 0; i < sizeof compare_writers / sizeof *compare_writers;
       i++) {
    struct write_arg w = {.name = compare_writers[i].name,
                          .compare = compare_writers[i].fn,
                          .c = c};
    every_allocation_fails(w.name, write_one, &w);
    free(w.full);
  }
  sc_compare_destroy(c);
  free(a.text[0]);
  free(a.text[1]);
}

/* A scratch directory of this test process, removed with its files. */
static char scratch[64];

static void scratch_make(void) {
  snprintf(scratch, sizeof scratch, "/tmp/sc-alloc-%ld", (long)getpid());
  mkdir(scratch, 0700);
}

static void rm_tree(const char *dir) {
  DIR *d = opendir(dir);
  struct dirent *e;
  char p[512];
  if (!d)
    return;
  while ((e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
      continue;
    snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
    if (unlink(p))
      rm_tree(p);
  }
  closedir(d);
  rmdir(dir);
}

static void scratch_remove(void) {
  rm_tree(scratch);
}

/* The names in |dir|, for "nothing was left behind". */
static size_t entries(const char *dir) {
  DIR *d = opendir(dir);
  struct dirent *e;
  size_t n = 0;
  cr_assert_not_null(d, "%s", dir);
  while ((e = readdir(d)))
    n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
  closedir(d);
  return n;
}

static char *slurp(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  char *buf = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&buf, &len);
  char chunk[4096];
  size_t got;
  while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
    fwrite(chunk, 1, got, m);
  fclose(f);
  fclose(m);
  return buf;
}

static void put(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  cr_assert_not_null(f, "%s", path);
  fputs(text, f);
  cr_assert_eq(fclose(f), 0);
}

struct baseline_arg {
  struct sc_report r;
  char path[128];
};

/* Writes the baseline over an old one: on failure the old one stays, and
 * no temporary file is left in the directory. */
static int baseline_write(void *p) {
  struct baseline_arg *a = p;
  char err[256] = "";
  put(a->path, "OLD");
  long n = sc_baseline_write(&a->r, a->path, err, sizeof err);
  char *now = slurp(a->path);
  cr_assert_not_null(now);
  cr_assert_eq(entries(scratch), 1u, "a temporary file was left behind");
  if (n < 0) {
    cr_assert_str_eq(now, "OLD", "a failed baseline write changed the file");
    cr_assert_neq(err[0], '\0');
  } else {
    cr_assert_not_null(strstr(now, SC_BASELINE_SCHEMA));
  }
  free(now);
  return n < 0 ? -1 : 0;
}

static int baseline_apply(void *p) {
  struct baseline_arg *a = p;
  char err[256] = "";
  size_t unknown;
  int rc = sc_baseline_apply(&a->r, a->path, &unknown, err, sizeof err);
  cr_assert(rc == 0 || err[0]);
  return rc;
}

Test(alloc, baseline_survives_every_failed_allocation,
     .init = scratch_make, .fini = scratch_remove) {
  struct baseline_arg a;
  report_fixture(&a.r, "http://127.0.0.1:8080", 0);
  snprintf(a.path, sizeof a.path, "%s/baseline.json", scratch);
  every_allocation_fails("baseline write", baseline_write, &a);
  every_allocation_fails("baseline apply", baseline_apply, &a);
  sc_report_free(&a.r);
}

/* A recording of every fixture exchange, saved to DIR (a recording saved
 * before stays whole when this one fails), then loaded and read back. */
struct record_arg {
  struct sc_report r;
  char dir[128];
  char path[160];
  char *old; /* the recording.json of the first save */
};

static int record_save(void *p) {
  struct record_arg *a = p;
  char err[256] = "";
  int rc = -1;
  struct sc_record *rec =
      sc_record_new("sms-activate", "http://127.0.0.1:8080", NULL);
  if (!rec)
    return -1;
  for (size_t i = 0; i < a->r.nresults; i++)
    for (size_t k = 0; k < a->r.results[i].nex; k++) {
      const struct sc_exchange *e = &a->r.results[i].ex[k];
      struct sc_record_req q = {e->method, e->url, e->request_body, NULL};
      struct sc_http_resp resp = {.status = e->status, .ms = e->ms};
      char hdr[] = "HTTP/1.1 200 OK\r\nX-Note: <b>\r\n";
      resp.headers = hdr;
      if (e->transport_error)
        resp.err = SC_HTTP_TIMEOUT;
      if (sc_record_add(rec, a->r.results[i].id, &q, &resp, e->body,
                        e->body_len))
        goto out;
    }
  rc = sc_record_save(rec, a->dir, err, sizeof err);
  cr_assert(rc == 0 || err[0]);
out:
  sc_record_destroy(rec);
  char *now = slurp(a->path);
  cr_assert_not_null(now, "the recording is gone");
  cr_assert_eq(entries(a->dir), 1u, "a temporary file was left behind");
  if (!a->old)
    a->old = now;
  else {
    cr_assert_str_eq(now, a->old, "a failed save changed the recording");
    free(now);
  }
  return rc;
}

static int record_load(void *p) {
  struct record_arg *a = p;
  char err[512] = "";
  struct sc_record *rec = sc_record_load(a->dir, err, sizeof err);
  if (!rec) {
    cr_assert_neq(err[0], '\0');
    return -1;
  }
  int rc = 0;
  for (size_t i = 0; !rc && i < a->r.nresults; i++)
    for (size_t k = 0; !rc && k < a->r.results[i].nex; k++) {
      const struct sc_exchange *e = &a->r.results[i].ex[k];
      struct sc_record_req q = {e->method, e->url, e->request_body, NULL};
      struct sc_http_resp resp;
      int g = sc_record_get(rec, a->r.results[i].id, k, &q, &resp, err,
                            sizeof err);
      if (g == SC_RECORD_OK) {
        cr_assert_eq(resp.len, e->body_len);
        cr_assert(!e->body || memcmp(resp.body, e->body, e->body_len) == 0);
        cr_assert_not_null(resp.headers);
      } else {
        cr_assert_eq(g, SC_RECORD_NOMEM, "%s", err);
        cr_assert_null(resp.body);
        rc = -1;
      }
      sc_http_resp_free(&resp);
    }
  sc_record_destroy(rec);
  return rc;
}

Test(alloc, recording_survives_every_failed_allocation,
     .init = scratch_make, .fini = scratch_remove) {
  struct record_arg a = {.old = NULL};
  report_fixture(&a.r, "http://127.0.0.1:8080", 0);
  snprintf(a.dir, sizeof a.dir, "%s/rec", scratch);
  snprintf(a.path, sizeof a.path, "%s/recording.json", a.dir);
  every_allocation_fails("recording save", record_save, &a);
  every_allocation_fails("recording load", record_load, &a);
  free(a.old);
  sc_report_free(&a.r);
}

/* ---------------------------------------------- outputs that refuse */

Test(alloc, unwritable_outputs_are_errors,
     .init = scratch_make, .fini = scratch_remove) {
  struct sc_report r;
  struct cmp_arg ca;
  struct sc_compare *c;
  char err[256], path[160];
  report_fixture(&r, "http://127.0.0.1:8080", 0);
  ca.text[0] = fixture_json("http://127.0.0.1:40000", 0, &ca.len[0]);
  ca.text[1] = fixture_json("http://127.0.0.1:40001", 1, &ca.len[1]);
  cr_assert_eq(compare_build(&ca, &c), 0);
  FILE *full = fopen("/dev/full", "w");
  cr_assert_not_null(full, "no /dev/full: %s", strerror(errno));
  snprintf(path, sizeof path, "%s/readonly", scratch);
  put(path, "x");
  FILE *ro = fopen(path, "r");
  cr_assert_not_null(ro);
  /* fopen of a directory for writing fails: the writers get NULL */
  FILE *dir = fopen(scratch, "w");
  cr_assert_null(dir);
  for (size_t i = 0; i < sizeof report_writers / sizeof *report_writers;
       i++) {
    cr_expect_eq(report_writers[i].fn(&r, full), -1, "%s ignored ENOSPC",
                 report_writers[i].name);
    clearerr(full);
    cr_expect_eq(report_writers[i].fn(&r, ro), -1,
                 "%s wrote to a read-only stream", report_writers[i].name);
    clearerr(ro);
    cr_expect_eq(report_writers[i].fn(&r, dir), -1, "%s: NULL stream",
                 report_writers[i].name);
  }
  for (size_t i = 0; i < sizeof compare_writers / sizeof *compare_writers;
       i++) {
    cr_expect_eq(compare_writers[i].fn(c, full, 0), -1, "%s ignored ENOSPC",
                 compare_writers[i].name);
    clearerr(full);
    cr_expect_eq(compare_writers[i].fn(c, ro, 0), -1,
                 "%s wrote to a read-only stream", compare_writers[i].name);
    clearerr(ro);
    cr_expect_eq(compare_writers[i].fn(c, dir, 0), -1, "%s: NULL stream",
                 compare_writers[i].name);
  }
  fclose(full);
  fclose(ro);

  /* the baseline: a directory, a full disk, a missing directory */
  static const char *const bad[] = {"/dev/full", "/nonexistent-sc/b.json"};
  cr_expect_eq(sc_baseline_write(&r, scratch, err, sizeof err), -1);
  cr_expect(strstr(err, "cannot write"), "%s", err);
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    err[0] = '\0';
    cr_expect_eq(sc_baseline_write(&r, bad[i], err, sizeof err), -1,
                 "baseline to %s", bad[i]);
    cr_expect(strstr(err, "cannot write"), "%s: %s", bad[i], err);
  }
  /* readers of what is not a file */
  size_t unknown;
  cr_expect_eq(sc_baseline_apply(&r, scratch, &unknown, err, sizeof err), -1);
  struct sc_report back;
  cr_expect_eq(sc_compare_load(scratch, &back, err, sizeof err), -1);
  cr_expect_eq(back.nresults, 0u);

  /* the recording: its file a directory, its directory a file, /dev/full */
  struct sc_record *rec = sc_record_new("sms-activate", "http://h/x", NULL);
  cr_assert_not_null(rec);
  snprintf(path, sizeof path, "%s/rec", scratch);
  mkdir(path, 0700);
  snprintf(path, sizeof path, "%s/rec/recording.json", scratch);
  mkdir(path, 0700);
  snprintf(path, sizeof path, "%s/rec", scratch);
  cr_expect_eq(sc_record_save(rec, path, err, sizeof err), -1);
  snprintf(path, sizeof path, "%s/readonly", scratch);
  cr_expect_eq(sc_record_save(rec, path, err, sizeof err), -1);
  cr_expect_eq(sc_record_save(rec, "/dev/full", err, sizeof err), -1);
  sc_record_destroy(rec);
  cr_expect_null(sc_record_load(scratch, err, sizeof err));

  sc_compare_destroy(c);
  free(ca.text[0]);
  free(ca.text[1]);
  sc_report_free(&r);
}

/* A disk that fills up half way through (a file size limit): the baseline
 * and the recording keep what they held, nothing half written is left. */
Test(alloc, a_full_disk_leaves_the_old_file,
     .init = scratch_make, .fini = scratch_remove) {
  struct sc_report r;
  char err[256], path[160];
  report_fixture(&r, "http://127.0.0.1:8080", 0);
  snprintf(path, sizeof path, "%s/baseline.json", scratch);
  put(path, "OLD");
  struct sc_record *rec = sc_record_new("sms-activate", "http://h/x", NULL);
  cr_assert_not_null(rec);
  char rdir[160], rpath[200];
  snprintf(rdir, sizeof rdir, "%s/rec", scratch);
  mkdir(rdir, 0700);
  snprintf(rpath, sizeof rpath, "%s/recording.json", rdir);
  put(rpath, "OLD");
  /* this test runs in a process of its own: the limit dies with it */
  signal(SIGXFSZ, SIG_IGN);
  struct rlimit lim = {64, 64};
  cr_assert_eq(setrlimit(RLIMIT_FSIZE, &lim), 0);
  cr_expect_eq(sc_baseline_write(&r, path, err, sizeof err), -1);
  cr_expect(strstr(err, "cannot write"), "%s", err);
  cr_expect_eq(sc_record_save(rec, rdir, err, sizeof err), -1);
  char *now = slurp(path);
  cr_expect_str_eq(now, "OLD", "a failed baseline write changed the file");
  free(now);
  now = slurp(rpath);
  cr_expect_str_eq(now, "OLD", "a failed save changed the recording");
  free(now);
  cr_expect_eq(entries(scratch), 2u, "a temporary file was left behind");
  cr_expect_eq(entries(rdir), 1u, "a temporary file was left behind");
  sc_record_destroy(rec);
  sc_report_free(&r);
}
