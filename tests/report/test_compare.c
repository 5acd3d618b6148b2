/* test_compare.c — tests for sc_compare.c (the vendor comparison) and the
 * `compare` and `run --target` commands.
 *
 *   loader    a report written by sc_report_json reads back field by field
 *             (binary bodies included); every kind of broken or hostile file
 *             is refused with where and what, never a crash
 *   model     rows are the union of the vendors' checks, grouped by action;
 *             missing checks are unsupported; scores and counts
 *   HTML      nothing from an endpoint or a file is markup; the data island
 *             holds no "</script" and parses as JSON; the policy's hash is
 *             the script's
 *   Markdown  every table row has its header's number of cells
 *   JSON      strict RFC 8259, scores, latencies (p50/p95) and verdicts
 *   stable    two runs that differ in ports, times and dates give the same
 *             bytes
 *   scale     500 checks x 10 vendors: time and size
 *   CLI       exit codes, help, errors naming the file and the argument
 * and every writer survives every failed allocation and a full disk. */
#include "csp.h"
#include "sc_alloc.h"
#include "sc_buf.h"
#include "sc_compare.h"
#include "sc_json.h"
#include "sc_report.h"
#include "sc_spec.h"

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#ifndef SC_BINARY
#define SC_BINARY "build/smsconform"
#endif

/* ------------------------------------------------------------ fixture */

/* Hostile text as an endpoint could send it and a report could carry. */
#define HOSTILE                                                                \
  "<script>document.title='pwned'</script></script><!-- <img src=x "           \
  "onerror=alert(1)> ]]> \"q\" 'a' &amp; | * _ ` \x1b[31mred\x1b[0m "          \
  "\xe2\x80\xae\xe2\x80\xa8 end"

/* A vendor name as hostile as a name can be: markup, an entity, a bidi
 * override (no control characters: the model refuses those). */
#define EVIL_NAME                                                              \
  "evil<b><script>x</script><!--<img src=x onerror=y>&amp;\xe2\x80\xae"

static char *sdup(const char *s) {
  char *p = s ? sc_strdup(s) : NULL;
  cr_assert(!s || p);
  return p;
}

/* Appends one result to |r| (all strings copied). */
static struct sc_check_result *add(struct sc_report *r, const char *id,
                                   enum sc_cat cat, enum sc_verdict v,
                                   const char *action, const char *message) {
  struct sc_check_result *n =
      sc_realloc(r->results, (r->nresults + 1) * sizeof *n);
  cr_assert_not_null(n);
  r->results = n;
  n = &r->results[r->nresults++];
  memset(n, 0, sizeof *n);
  n->id = sdup(id);
  n->cat = cat;
  n->verdict = v;
  n->action = sdup(action);
  n->message = sdup(message);
  n->requirement = sdup("the document demands it");
  n->doc = sdup("001_ac8db1c65ff3c54b.txt");
  n->section = sdup("getStatus");
  if (v == SC_VERDICT_FAIL) {
    n->expected = sdup("STATUS_OK:{code}");
    n->actual = sdup(message);
  }
  return n;
}

/* Gives |c| one exchange of |action| answered |body| in |ms|. */
static void exchange(struct sc_check_result *c, const char *origin,
                     const char *action, const char *body, size_t len,
                     double ms) {
  char url[512];
  struct sc_exchange *e = sc_realloc(c->ex, (c->nex + 1) * sizeof *e);
  cr_assert_not_null(e);
  c->ex = e;
  e = &c->ex[c->nex++];
  memset(e, 0, sizeof *e);
  snprintf(url, sizeof url,
           "%s/stubs/handler_api.php?api_key=$SMSCONFORM_KEY&action=%s", origin,
           action);
  e->method = sdup("GET");
  e->url = sdup(url);
  e->status = 200;
  e->content_type = sdup("text/plain");
  e->body = sc_malloc(len + 1);
  cr_assert_not_null(e->body);
  memcpy(e->body, body, len);
  e->body[len] = '\0';
  e->body_len = len;
  e->ms = ms;
}

static void header(struct sc_report *r, const char *origin, const char *profile,
                   const char *started) {
  char target[256];
  memset(r, 0, sizeof *r);
  snprintf(target, sizeof target, "%s/stubs/handler_api.php", origin);
  r->tool = sdup("smsconform 0.1.0");
  r->target = sdup(target);
  r->profile = sdup(profile);
  r->started = sdup(started);
  r->seconds = 1.5;
  r->requests = 42;
}

/* Vendor "ref": five checks over two actions and no action. */
static void vendor_ref(struct sc_report *r, const char *origin,
                       const char *started, double ms) {
  header(r, origin, "sms-activate", started);
  struct sc_check_result *c = add(r, "format.getStatus", SC_CAT_FORMAT,
                                  SC_VERDICT_PASS, "getStatus", NULL);
  exchange(c, origin, "getStatus", "STATUS_WAIT_CODE", 16, ms);
  c = add(r, "error.getStatus.NO_ACTIVATION", SC_CAT_ERROR, SC_VERDICT_PASS,
          "getStatus", NULL);
  exchange(c, origin, "getStatus", "NO_ACTIVATION", 13, ms * 2);
  add(r, "format.getRentNumber", SC_CAT_FORMAT, SC_VERDICT_SKIP,
      "getRentNumber", "needs the control protocol");
  c = add(r, "lifecycle.setStatus.READY.6", SC_CAT_LIFECYCLE, SC_VERDICT_WARN,
          "setStatus", "a variant: a trailing newline");
  exchange(c, origin, "setStatus", "ACCESS_ACTIVATION\n", 18, ms * 3);
  add(r, "transport.post-form", SC_CAT_TRANSPORT, SC_VERDICT_PASS, NULL, NULL);
}

/* Vendor "evil": hostile answers; no getRentNumber (support.getRentNumber
 * UNSUPPORTED), one check of its own and one BLOCKED by its failing
 * format.getStatus, whose cause, status and deviations quote hostile
 * bytes; a binary body, a date and its loopback port in what it says; a
 * ledger and a scope. */
static void vendor_evil(struct sc_report *r, const char *origin,
                        const char *started, const char *date, double ms) {
  static const char bin[] = "<script>x</script>\0\xff\xfe\x1b[2J end";
  char msg[512];
  header(r, origin, "sms-activate", started);
  snprintf(msg, sizeof msg,
           "answered " HOSTILE " at %s from %s, then \"activationTime\":"
           "\"%.16s\"...",
           date, origin, date);
  struct sc_check_result *c = add(r, "format.getStatus", SC_CAT_FORMAT,
                                  SC_VERDICT_FAIL, "getStatus", msg);
  exchange(c, origin, "getStatus", HOSTILE, strlen(HOSTILE), ms);
  exchange(c, origin, "getStatus", bin, sizeof bin - 1, ms * 4);
  c->curl = sdup("curl -sS \"http://127.0.0.1:40001/x?action=getStatus\"");
  c->cause = sdup("getStatus answered " HOSTILE);
  c->http_status = 409;
  c->ndevs = 2;
  c->devs = sc_calloc(2, sizeof *c->devs);
  cr_assert_not_null(c->devs);
  c->devs[0].code = sdup("JSON_SHAPE");
  c->devs[0].verdict = SC_VERDICT_FAIL;
  c->devs[0].offset = 3;
  c->devs[0].message = sdup("$.status: " HOSTILE);
  c->devs[1].code = sdup("TRAILING_NEWLINE");
  c->devs[1].verdict = SC_VERDICT_WARN;
  c->devs[1].offset = 77;
  c->devs[1].message = sdup("a newline after the body");
  add(r, "error.getStatus.NO_ACTIVATION", SC_CAT_ERROR, SC_VERDICT_ERROR,
      "getStatus", "no answer within the timeout");
  c = add(r, "lifecycle.setStatus.READY.6", SC_CAT_LIFECYCLE, SC_VERDICT_PASS,
          "setStatus", NULL);
  exchange(c, origin, "setStatus", "ACCESS_ACTIVATION", 17, ms);
  add(r, "transport.post-form", SC_CAT_TRANSPORT, SC_VERDICT_FAIL, NULL,
      "POST ignored");
  add(r, "error.getStatus." HOSTILE, SC_CAT_ERROR, SC_VERDICT_WARN, "getStatus",
      HOSTILE);
  c = add(r, "support.getRentNumber", SC_CAT_SUPPORT, SC_VERDICT_UNSUPPORTED,
          "getRentNumber", "the endpoint answers BAD_ACTION");
  c->cause = sdup("getRentNumber not implemented");
  c->http_status = 404;
  c = add(r, "lifecycle.setStatus.READY.8", SC_CAT_LIFECYCLE,
          SC_VERDICT_BLOCKED, "setStatus", "no activation: getStatus failed");
  c->blocked_by = sdup("format.getStatus");
  c->cause = sdup("getStatus answered " HOSTILE);
  r->max_spend = 2.5;
  r->unsupported = sc_calloc(2, sizeof *r->unsupported);
  cr_assert_not_null(r->unsupported);
  r->unsupported[0] = sdup("getRentNumber");
  r->nspend = 2;
  r->spend = sc_calloc(2, sizeof *r->spend);
  cr_assert_not_null(r->spend);
  r->spend[0].what = sdup("getNumber tg/0 " HOSTILE);
  r->spend[0].id = sdup("4711");
  r->spend[0].check = sdup("format.getStatus");
  r->spend[0].cost = 0.25;
  r->spend[0].cost_known = 1;
  r->spend[0].refunded = 1;
  r->spend[0].state = SC_SPEND_RELEASED;
  r->spend[1].what = sdup("getNumberV2 tg/0");
  r->spend[1].id = sdup("4712");
  r->spend[1].state = SC_SPEND_LEFT_ACTIVE;
  r->spend[1].note = sdup("cancel refused: " HOSTILE);
}

static struct sc_compare *fixture(int variant) {
  struct sc_compare *c = sc_compare_new();
  struct sc_report a, b;
  char err[256];
  cr_assert_not_null(c);
  vendor_ref(&a, variant ? "http://127.0.0.1:51234" : "http://127.0.0.1:40000",
             variant ? "2026-01-01T00:00:00Z" : "2026-11-23T14:00:00Z",
             variant ? 9.5 : 1.25);
  vendor_evil(&b, variant ? "http://127.0.0.1:33333" : "http://127.0.0.1:40001",
              variant ? "2026-01-01T00:00:09Z" : "2026-11-23T14:00:05Z",
              variant ? "2031-01-02 03:04:05" : "2026-11-23 14:34:59",
              variant ? 7 : 2);
  cr_assert_eq(
      sc_compare_add(c, "ref", "the reference", NULL, &a, err, sizeof err), 0,
      "%s", err);
  cr_assert_eq(
      sc_compare_add(c, EVIL_NAME, NULL, "koalasms", &b, err, sizeof err), 0,
      "%s", err);
  return c;
}

typedef int (*writer_fn)(const struct sc_compare *, FILE *, unsigned);

static const struct {
  const char *name;
  writer_fn fn;
} writers[] = {
    {"html", sc_compare_html},
    {"markdown", sc_compare_markdown},
    {"json", sc_compare_json},
};
#define NWRITERS (sizeof writers / sizeof *writers)

/* Runs |fn| into memory; the text (malloc'd) and the return code. */
static char *render(writer_fn fn, const struct sc_compare *c, unsigned flags,
                    size_t *len, int *rc) {
  char *buf = NULL;
  FILE *f = open_memstream(&buf, len);
  cr_assert_not_null(f);
  *rc = fn(c, f, flags);
  fclose(f);
  return buf;
}

static char *render_ok(writer_fn fn, const struct sc_compare *c, unsigned flags,
                       size_t *len) {
  int rc;
  char *s = render(fn, c, flags, len, &rc);
  cr_assert_eq(rc, 0);
  cr_assert_eq(strlen(s), *len, "a NUL byte in the output");
  return s;
}

static size_t count_str(const char *s, const char *needle) {
  size_t n = 0;
  for (const char *p = s; (p = strstr(p, needle)); p += strlen(needle))
    n++;
  return n;
}

/* ------------------------------------------------------------- loader */

static char *report_json(const struct sc_report *r, size_t *len) {
  char *buf = NULL;
  FILE *f = open_memstream(&buf, len);
  cr_assert_not_null(f);
  cr_assert_eq(sc_report_json(r, f), 0);
  fclose(f);
  return buf;
}

Test(load, a_written_report_reads_back) {
  struct sc_report a, b;
  char err[256];
  size_t len;
  vendor_evil(&a, "http://127.0.0.1:40001", "2026-11-23T14:00:05Z",
              "2026-11-23 14:34:59", 2);
  a.results[0].tags = sdup("format getStatus");
  a.results[0].baseline = 1;
  char *text = report_json(&a, &len);
  cr_assert_eq(sc_compare_parse(text, len, &b, err, sizeof err), 0, "%s", err);
  cr_expect_str_eq(b.target, a.target);
  cr_expect_str_eq(b.started, a.started);
  cr_expect_eq(b.requests, a.requests);
  cr_assert_eq(b.nresults, a.nresults);
  for (size_t i = 0; i < a.nresults; i++) {
    const struct sc_check_result *x = &a.results[i], *y = &b.results[i];
    cr_expect_str_eq(y->id, x->id);
    cr_expect_eq(y->cat, x->cat);
    cr_expect_eq(y->verdict, x->verdict);
    cr_expect(!x->message == !y->message);
    if (x->message)
      cr_expect_str_eq(y->message, x->message);
    cr_assert_eq(y->nex, x->nex, "%s", x->id);
    for (size_t k = 0; k < x->nex; k++) {
      cr_expect_eq(y->ex[k].body_len, x->ex[k].body_len);
      cr_expect(memcmp(y->ex[k].body, x->ex[k].body, x->ex[k].body_len) == 0,
                "body %zu of %s differs", k, x->id);
      cr_expect_str_eq(y->ex[k].url, x->ex[k].url);
      cr_expect_eq(y->ex[k].status, 200);
    }
  }
  cr_expect_str_eq(b.results[0].tags, "format getStatus");
  cr_expect_eq(b.results[0].baseline, 1);
  cr_expect_eq(b.counts[SC_VERDICT_FAIL], 2);
  cr_expect_eq(b.counts[SC_VERDICT_UNSUPPORTED], 1);
  cr_expect_eq(b.counts[SC_VERDICT_BLOCKED], 1);
  /* what version 2 added: cause, blocked_by, status, deviations */
  for (size_t i = 0; i < a.nresults; i++) {
    const struct sc_check_result *x = &a.results[i], *y = &b.results[i];
    cr_expect(!x->cause == !y->cause, "%s", x->id);
    if (x->cause)
      cr_expect_str_eq(y->cause, x->cause);
    cr_expect(!x->blocked_by == !y->blocked_by, "%s", x->id);
    if (x->blocked_by)
      cr_expect_str_eq(y->blocked_by, x->blocked_by);
    cr_expect_eq(y->http_status, x->http_status, "%s", x->id);
    cr_assert_eq(y->ndevs, x->ndevs, "%s", x->id);
    for (size_t k = 0; k < x->ndevs; k++) {
      cr_expect_str_eq(y->devs[k].code, x->devs[k].code);
      cr_expect_eq(y->devs[k].verdict, x->devs[k].verdict);
      cr_expect_eq(y->devs[k].offset, x->devs[k].offset);
      cr_expect_str_eq(y->devs[k].message, x->devs[k].message);
    }
  }
  cr_expect_float_eq(b.max_spend, 2.5, 1e-12);
  cr_assert_not_null(b.unsupported);
  cr_expect_str_eq(b.unsupported[0], "getRentNumber");
  cr_expect_null(b.unsupported[1]);
  cr_assert_eq(b.nspend, 2);
  cr_expect_str_eq(b.spend[0].what, a.spend[0].what);
  cr_expect_str_eq(b.spend[0].check, "format.getStatus");
  cr_expect(b.spend[0].cost_known && b.spend[0].refunded);
  cr_expect_float_eq(b.spend[0].cost, 0.25, 1e-12);
  cr_expect_eq(b.spend[0].state, SC_SPEND_RELEASED);
  cr_expect_not(b.spend[1].cost_known);
  cr_expect_eq(b.spend[1].state, SC_SPEND_LEFT_ACTIVE);
  cr_expect_str_eq(b.spend[1].note, a.spend[1].note);
  free(text);
  sc_report_free(&a);
  sc_report_free(&b);
}

/* One broken file: its text and what the message must say. Fixed-size
 * arrays: Criterion copies parameters, so they hold no pointers. */
struct bad_file {
  char name[40];
  char json[200];
  char want[100];
};

/* One result; |fields| (each followed by a comma) come first, and the
 * first of two equal keys is the one read. */
#define R0(fields)                                                             \
  "{\"schema\":\"smsconform-report/1\",\"results\":[{" fields                  \
  "\"id\":\"a.b\",\"category\":\"format\",\"verdict\":\"PASS\"}]}"

/* The same in a version 2 report. */
#define R2(fields)                                                             \
  "{\"schema\":\"smsconform-report/2\",\"results\":[{" fields                  \
  "\"id\":\"a.b\",\"category\":\"format\",\"verdict\":\"PASS\"}]}"

static const struct bad_file bad_files[] = {
    /* not JSON at all, with the place */
    {"empty", "", "not JSON: empty body"},
    {"trailing", "{} x", "bytes after the JSON value at byte 3 (line 1"},
    {"second_line", "{\n \"a\": tru }", "at byte 11 (line 2, column 10)"},
    {"raw_control", "{\"a\":\"\x01\"}", "raw control character"},
    {"bad_utf8", "{\"a\":\"\xff\"}", "invalid UTF-8"},
    {"comment", "{/* */}", "not JSON"},
    /* JSON, but not a report */
    {"array_root", "[1,2]", "not a smsconform report: the file holds an array"},
    {"no_schema", "{\"results\":[]}", "no \"schema\": \"smsconform-report/2\""},
    {"other_schema", "{\"schema\":\"smsconform-recording/1\"}",
     "schema \"smsconform-recording/1\" is not smsconform-report/2 or "
     "smsconform-report/1"},
    {"future_schema", "{\"schema\":\"smsconform-report/3\",\"results\":[]}",
     "schema \"smsconform-report/3\" is not smsconform-report/2"},
    {"hostile_schema", "{\"schema\":\"\\u001b[2J<b>\"}",
     "schema \"\\x1b[2J<b>\" is not"},
    {"no_results", "{\"schema\":\"smsconform-report/1\"}",
     "$.results: an array is required; found nothing"},
    {"results_object", "{\"schema\":\"smsconform-report/1\",\"results\":{}}",
     "$.results: an array is required; found an object"},
    {"result_number", "{\"schema\":\"smsconform-report/1\",\"results\":[7]}",
     "$.results[0]: an object is required; found a number"},
    /* a result with a field of the wrong kind */
    {"no_id", "{\"schema\":\"smsconform-report/1\",\"results\":[{}]}",
     "$.results[0].id: missing"},
    {"empty_id", R0("\"id\":\"\","), "$.results[0].id: an empty string"},
    {"id_number",
     "{\"schema\":\"smsconform-report/1\",\"results\":[{\"id\":5}]}",
     "$.results[0].id: a string is required; found a number"},
    {"bad_verdict", R0("\"verdict\":\"MAYBE\","),
     "$.results[0].verdict: \"MAYBE\" is not a verdict (PASS, SKIP, "
     "UNSUPPORTED, BLOCKED, WARN, FAIL, ERROR)"},
    {"lowercase_verdict", R0("\"verdict\":\"blocked\","),
     "$.results[0].verdict: \"blocked\" is not a verdict"},
    {"verdict_missing",
     "{\"schema\":\"smsconform-report/1\",\"results\":[{\"id\":\"x\","
     "\"category\":\"error\"}]}",
     "$.results[0].verdict: a verdict is required"},
    {"bad_category", R0("\"category\":\"astrology\","),
     "\"astrology\" is not a category"},
    {"tag_number", R0("\"tags\":[\"a\",1],"),
     "$.results[0].tags[1]: a string is required"},
    {"message_array", R0("\"message\":[],"),
     "$.results[0].message: a string is required; found an array"},
    {"baseline_string", R0("\"baseline\":\"yes\","),
     "$.results[0].baseline: true or false is required"},
    {"negative_ms", R0("\"ms\":-1,"), "$.results[0].ms: a number >= 0"},
    {"exchanges_string", R0("\"exchanges\":\"x\","),
     "$.results[0].exchanges: an array is required"},
    {"exchange_null", R0("\"exchanges\":[null],"),
     "$.results[0].exchanges[0]: an object is required; found null"},
    {"status_string", R0("\"exchanges\":[{\"status\":\"200\"}],"),
     "$.results[0].exchanges[0].status: a number is required"},
    {"bad_base64",
     R0("\"exchanges\":[{\"body\":\"!!\",\"body_encoding\":\"base64\"}],"),
     "body_encoding is base64 but the body is not base64"},
    {"bad_encoding",
     R0("\"exchanges\":[{\"body\":\"x\",\"body_encoding\":\"rot13\"}],"),
     ".body_encoding: \"utf-8\" or \"base64\" is required"},
    {"spend_string",
     "{\"schema\":\"smsconform-report/1\",\"results\":[],\"spend\":[\"x\"]}",
     "$.spend[0]: an object is required; found a string"},
    {"seconds_string",
     "{\"schema\":\"smsconform-report/1\",\"results\":[],\"seconds\":\"1\"}",
     "$.seconds: a number is required"},
    /* the keys of version 2 */
    {"cause_number", R2("\"cause\":1,"),
     "$.results[0].cause: a string is required; found a number"},
    {"blocked_by_array", R2("\"blocked_by\":[],"),
     "$.results[0].blocked_by: a string is required; found an array"},
    {"status_string", R2("\"http_status\":\"404\","),
     "$.results[0].http_status: a number is required"},
    {"devs_object", R2("\"deviations\":{},"),
     "$.results[0].deviations: an array is required; found an object"},
    {"dev_string", R2("\"deviations\":[\"x\"],"),
     "$.results[0].deviations[0]: an object is required; found a string"},
    {"dev_verdict", R2("\"deviations\":[{\"code\":\"X\",\"verdict\":\"OK\"}],"),
     "$.results[0].deviations[0].verdict: \"OK\" is not a verdict (PASS"},
    {"dev_no_code", R2("\"deviations\":[{\"verdict\":\"FAIL\"}],"),
     "$.results[0].deviations[0].code: missing"},
    {"dev_offset",
     R2("\"deviations\":[{\"code\":\"X\",\"verdict\":\"FAIL\","
        "\"offset\":-2}],"),
     "$.results[0].deviations[0].offset: a number >= 0"},
    {"spend_state",
     "{\"schema\":\"smsconform-report/2\",\"results\":[],"
     "\"spend\":[{\"state\":\"lost\"}]}",
     "$.spend[0].state: \"lost\" is not a state"},
    {"spend_cost",
     "{\"schema\":\"smsconform-report/2\",\"results\":[],"
     "\"spend\":[{\"cost\":\"1\"}]}",
     "$.spend[0].cost: a number or null is required"},
    {"scope_array",
     "{\"schema\":\"smsconform-report/2\",\"results\":[],"
     "\"scope\":[]}",
     "$.scope: an object is required; found an array"},
    {"scope_number",
     "{\"schema\":\"smsconform-report/2\",\"results\":[],"
     "\"scope\":{\"unsupported\":[\"a\",2]}}",
     "$.scope.unsupported[1]: an action name is required; found a number"},
    {"ledger_max",
     "{\"schema\":\"smsconform-report/2\",\"results\":[],"
     "\"ledger\":{\"max_spend\":true}}",
     "$.ledger.max_spend: a number or null is required"},
};

ParameterizedTestParameters(load, broken_files_are_refused) {
  return cr_make_param_array(struct bad_file, bad_files,
                             sizeof bad_files / sizeof *bad_files);
}

ParameterizedTest(struct bad_file *b, load, broken_files_are_refused) {
  struct sc_report r;
  char err[512] = "";
  cr_assert_eq(sc_compare_parse(b->json, strlen(b->json), &r, err, sizeof err),
               -1, "%s was accepted", b->name);
  cr_expect(strstr(err, b->want), "%s: got \"%s\", want \"%s\"", b->name, err,
            b->want);
  cr_expect_null(strchr(err, '\x1b'), "%s: raw ESC in the message", b->name);
  cr_expect_null(r.results, "%s: a half-read report", b->name);
}

Test(load, deep_nesting_and_files) {
  struct sc_report r;
  char err[512];
  char deep[2100];
  memset(deep, '[', 1000);
  memset(deep + 1000, ']', 1000);
  deep[2000] = '\0';
  cr_expect_eq(sc_compare_parse(deep, 2000, &r, err, sizeof err), -1);
  cr_expect(strstr(err, "nesting deeper than the limit"), "%s", err);

  cr_expect_eq(sc_compare_load("/nonexistent/r.json", &r, err, sizeof err), -1);
  cr_expect(strstr(err, "cannot read: No such file"), "%s", err);
  cr_expect_eq(sc_compare_load("/", &r, err, sizeof err), -1);
  cr_expect(strstr(err, "cannot read"), "%s", err);

  /* a valid minimal report */
  static const char ok[] = "{\"schema\":\"smsconform-report/1\","
                           "\"results\":[]}";
  cr_expect_eq(sc_compare_parse(ok, sizeof ok - 1, &r, err, sizeof err), 0,
               "%s", err);
  sc_report_free(&r);
}

/* A report of version 1, as smsconform wrote it before BLOCKED and
 * UNSUPPORTED: read, without the keys version 2 added; a purchase not
 * refunded is left active, and its price is known. */
Test(load, a_version_1_report_reads) {
  static const char v1[] =
      "{\"schema\": \"smsconform-report/1\", \"tool\": \"smsconform 0.1.0\","
      " \"target\": \"http://h/x\", \"profile\": \"sms-activate\","
      " \"seconds\": 1.5, \"requests\": 3, \"strict\": false,"
      " \"verdict\": \"FAIL\", \"counts\": {\"PASS\": 1, \"FAIL\": 1},"
      " \"results\": [{\"id\": \"format.getBalance\", \"category\": "
      "\"format\", \"verdict\": \"PASS\", \"outcome\": \"PASS\"},"
      " {\"id\": \"money.refund-once\", \"category\": \"money\", "
      "\"verdict\": \"FAIL\", \"message\": \"refunded twice\", "
      "\"exchanges\": []}],"
      " \"spend\": [{\"what\": \"getNumber tg/0\", \"id\": \"1\", "
      "\"cost\": 0.5, \"refunded\": true}, {\"what\": \"getNumber tg/0\", "
      "\"id\": \"2\", \"cost\": -99.5, \"refunded\": false}],"
      " \"spend_total\": -99, \"spend_net\": -99.5}";
  struct sc_report r;
  char err[256];
  cr_assert_eq(sc_compare_parse(v1, sizeof v1 - 1, &r, err, sizeof err), 0,
               "%s", err);
  cr_assert_eq(r.nresults, 2);
  cr_expect_null(r.results[1].cause);
  cr_expect_null(r.results[1].blocked_by);
  cr_expect_eq(r.results[1].http_status, 0);
  cr_expect_eq(r.results[1].ndevs, 0);
  cr_expect_eq(r.counts[SC_VERDICT_FAIL], 1);
  cr_expect_lt(r.max_spend, 0, "no ceiling recorded");
  cr_expect_null(r.unsupported);
  cr_assert_eq(r.nspend, 2);
  cr_expect(r.spend[0].cost_known && r.spend[1].cost_known);
  cr_expect_eq(r.spend[0].state, SC_SPEND_RELEASED);
  cr_expect_eq(r.spend[1].state, SC_SPEND_LEFT_ACTIVE);
  cr_expect_float_eq(r.spend[1].cost, -99.5, 1e-12,
                     "a price from a balance delta, as version 1 had them");
  /* compared with a version 2 report of the same checks */
  struct sc_compare *c = sc_compare_new();
  struct sc_report b;
  size_t len;
  cr_assert_not_null(c);
  cr_assert_eq(sc_compare_add(c, "old", NULL, NULL, &r, err, sizeof err), 0);
  vendor_ref(&b, "http://127.0.0.1:40000", "x", 1);
  char *text = report_json(&b, &len);
  sc_report_free(&b);
  cr_assert_eq(sc_compare_parse(text, len, &b, err, sizeof err), 0, "%s", err);
  free(text);
  cr_assert_eq(sc_compare_add(c, "new", NULL, NULL, &b, err, sizeof err), 0);
  cr_expect_eq(sc_compare_nchecks(c), 7);
  sc_compare_destroy(c);
}

/* A fuzz-like sweep: every prefix of a real report is refused cleanly or
 * read (ASan watches for the rest). */
Test(load, every_prefix_of_a_report) {
  struct sc_report a, b;
  char err[256];
  size_t len;
  vendor_evil(&a, "http://127.0.0.1:40001", "x", "2026-11-23 14:34:59", 2);
  char *text = report_json(&a, &len);
  for (size_t n = 0; n < len; n += 7) {
    int rc = sc_compare_parse(text, n, &b, err, sizeof err);
    cr_assert(rc == -1 || rc == 0);
    if (rc == 0)
      sc_report_free(&b);
  }
  cr_expect_eq(sc_compare_parse(text, len, &b, err, sizeof err), 0);
  sc_report_free(&b);
  free(text);
  sc_report_free(&a);
}

/* -------------------------------------------------------------- model */

Test(model, names_ids_and_limits) {
  struct sc_compare *c = sc_compare_new();
  struct sc_report r;
  char err[256];
  static const char *const bad_names[] = {"", "a\nb", "\x1b[2J", "\xff",
                                          "0123456789012345678901234567890"
                                          "1234567890123456789012345678901"
                                          "2345"};
  for (size_t i = 0; i < sizeof bad_names / sizeof *bad_names; i++) {
    vendor_ref(&r, "http://h", "x", 1);
    cr_expect_eq(
        sc_compare_add(c, bad_names[i], NULL, NULL, &r, err, sizeof err), -1,
        "name %zu accepted", i);
    cr_expect(strstr(err, "vendor name"), "%s", err);
    cr_expect_null(r.results, "the report is taken even on failure");
  }
  vendor_ref(&r, "http://h", "x", 1);
  cr_assert_eq(sc_compare_add(c, "a", NULL, NULL, &r, err, sizeof err), 0);
  vendor_ref(&r, "http://h", "x", 1);
  cr_expect_eq(sc_compare_add(c, "a", NULL, NULL, &r, err, sizeof err), -1);
  cr_expect(strstr(err, "two vendors are named 'a'"), "%s", err);

  /* the same id twice in one report */
  vendor_ref(&r, "http://h", "x", 1);
  add(&r, "format.getStatus", SC_CAT_FORMAT, SC_VERDICT_PASS, NULL, NULL);
  cr_expect_eq(sc_compare_add(c, "b", NULL, NULL, &r, err, sizeof err), -1);
  cr_expect(strstr(err, "check 'format.getStatus' appears twice"), "%s", err);
  /* a result without an id (only a runner bug can make one) */
  vendor_ref(&r, "http://h", "x", 1);
  sc_free(r.results[2].id);
  r.results[2].id = NULL;
  cr_expect_eq(sc_compare_add(c, "b", NULL, NULL, &r, err, sizeof err), -1);
  cr_expect(strstr(err, "result 3 has no check id"), "%s", err);
  cr_expect_eq(sc_compare_nvendors(c), 1);

  for (int i = 1; i < SC_COMPARE_MAX_VENDORS; i++) {
    char name[16];
    snprintf(name, sizeof name, "v%d", i);
    memset(&r, 0, sizeof r);
    cr_assert_eq(sc_compare_add(c, name, NULL, NULL, &r, err, sizeof err), 0,
                 "%s", err);
  }
  memset(&r, 0, sizeof r);
  cr_expect_eq(
      sc_compare_add(c, "one-too-many", NULL, NULL, &r, err, sizeof err), -1);
  cr_expect(strstr(err, "more than 64 vendors"), "%s", err);
  sc_compare_destroy(c);
  sc_compare_destroy(NULL);
}

Test(model, union_of_checks_scores_and_unsupported) {
  struct sc_compare *c = fixture(0);
  struct sc_compare_score s;
  /* ref: 5 checks; evil: 4 of them and three of its own */
  cr_expect_eq(sc_compare_nchecks(c), 8);
  cr_assert_str_eq(sc_compare_score(c, 0, &s), "ref");
  cr_expect_eq(s.n[SC_VERDICT_PASS], 3);
  cr_expect_eq(s.n[SC_VERDICT_WARN], 1);
  cr_expect_eq(s.n[SC_VERDICT_SKIP], 1);
  cr_expect_eq(s.unsupported, 3, "no result for three checks");
  cr_expect_eq(s.applicable, 4);
  cr_expect_eq(s.passed, 4);
  cr_expect_float_eq(s.score, 1.0, 1e-9);
  cr_assert_not_null(sc_compare_score(c, 1, &s));
  cr_expect_eq(s.n[SC_VERDICT_FAIL], 2);
  cr_expect_eq(s.n[SC_VERDICT_ERROR], 1);
  /* an UNSUPPORTED result counts as unsupported; neither it nor the
   * BLOCKED one counts in the score */
  cr_expect_eq(s.n[SC_VERDICT_UNSUPPORTED], 1);
  cr_expect_eq(s.n[SC_VERDICT_BLOCKED], 1);
  cr_expect_eq(s.unsupported, 2, "one missing, one UNSUPPORTED");
  cr_expect_eq(s.applicable, 5);
  cr_expect_eq(s.passed, 2);
  cr_expect_float_eq(s.score, 0.4, 1e-9);
  cr_expect_null(sc_compare_score(c, 2, &s));
  cr_expect_eq(s.score, -1);
  sc_compare_destroy(c);
}

Test(model, keep_documented_drops_what_a_dialect_lacks) {
  struct sc_buf diag;
  enum sc_err e;
  struct sc_report r;
  sc_buf_init(&diag, 1 << 20);
  struct sc_spec *spec = sc_spec_load(NULL, NULL, 0, &diag, &e);
  sc_buf_free(&diag);
  cr_assert_not_null(spec);
  vendor_ref(&r, "http://h", "x", 1);
  /* koalasms documents getStatus and setStatus, not getRentNumber */
  cr_expect_eq(sc_compare_keep_documented(&r, spec, "koalasms"), 1);
  cr_expect_eq(r.nresults, 4);
  for (size_t i = 0; i < r.nresults; i++)
    cr_expect(!r.results[i].action ||
                  strcmp(r.results[i].action, "getRentNumber") != 0,
              "%s kept", r.results[i].id);
  cr_expect_str_eq(r.results[3].id, "transport.post-form", "order kept");
  cr_expect_eq(r.counts[SC_VERDICT_SKIP], 0);
  cr_expect_eq(sc_compare_keep_documented(&r, spec, "no-such-dialect"), -1);
  sc_report_free(&r);
  sc_spec_destroy(spec);
}

/* --------------------------------------------------------------- HTML */

/* The data island's JSON text, malloc'd. */
static char *island(const char *html) {
  const char *a =
      strstr(html, "<script type=\"application/json\" id=\"data\">");
  cr_assert_not_null(a);
  a = strchr(a, '>') + 1;
  const char *b = strstr(a, "</script>");
  cr_assert_not_null(b);
  char *s = strndup(a, (size_t)(b - a));
  cr_assert_not_null(s);
  return s;
}

Test(html, nothing_from_a_report_is_markup) {
  struct sc_compare *c = fixture(0);
  size_t len;
  char *s = render_ok(sc_compare_html, c, 0, &len);

  /* our two script elements, nothing else that runs or loads */
  cr_expect_eq(count_str(s, "<script"), 2);
  cr_expect_eq(count_str(s, "</script"), 2, "a </script from the data");
  cr_expect_null(strstr(s, "<!--"));
  cr_expect_null(strstr(s, "<img"));
  cr_expect_null(strstr(s, "<b>"));
  cr_expect_null(strstr(s, "\x1b"), "raw ESC");
  cr_expect_null(strstr(s, "\xe2\x80\xae"), "raw bidi override");
  cr_expect_null(strstr(s, " src=\""), "an external asset");
  cr_expect_null(strstr(s, " href=\""), "an external asset");
  /* shown as text where the page has it as HTML */
  cr_expect(strstr(s, "<h3>evil&lt;b&gt;&lt;script&gt;x&lt;/script&gt;&lt;!--"
                      "&lt;img src=x onerror=y&gt;&amp;amp;\\u202e</h3>"));
  cr_expect(strstr(s, "&lt;/script&gt;&lt;/script&gt;&lt;!-- &lt;img src=x"));

  /* tags balanced */
  static const char *const pairs[][2] = {
      {"<tbody", "</tbody>"},   {"<tr", "</tr>"},           {"<td", "</td>"},
      {"<table", "</table>"},   {"<details", "</details>"}, {"<svg", "</svg>"},
      {"<select", "</select>"}, {"<dl>", "</dl>"}};
  for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++)
    cr_expect_eq(count_str(s, pairs[i][0]), count_str(s, pairs[i][1]), "%s",
                 pairs[i][0]);
  /* eight rows of checks in the matrix, each with a cell per vendor */
  cr_expect_eq(count_str(s, "<tr data-i=\""), 8);
  cr_expect(strstr(s, "data-v=\"SU\""), "the unsupported cell");
  cr_expect(strstr(s, "data-v=\"UW\""), "evil's own check");
  cr_expect(strstr(s, "<tr data-i=\"3\" data-cat=\"support\" data-v=\"UU\">"
                      "<th>support.getRentNumber</th><td class=\"vU\">-</td>"
                      "<td class=\"vU\">-</td></tr>"),
            "an UNSUPPORTED result is unsupported");
  cr_expect(strstr(s, "<tr data-i=\"6\" data-cat=\"lifecycle\" data-v=\"UB\">"
                      "<th>lifecycle.setStatus.READY.8</th><td class=\"vU\">-"
                      "</td><td class=\"vB\">B</td></tr>"));
  cr_expect(strstr(s, "<option>SKIP</option><option>BLOCKED</option>"
                      "<option>unsupported</option>"));
  cr_expect(strstr(s, "<span class=\"n vB\">BLOCKED 1</span>"));

  /* the island: no markup, strict JSON, the text as the panel shows it */
  char *js = island(s);
  cr_expect_null(strchr(js, '<'));
  cr_expect_null(strchr(js, '>'));
  cr_expect_null(strchr(js, '&'));
  struct sc_json_error je;
  cr_assert_eq(sc_json_validate(js, strlen(js), &je), SC_JSON_ERR_OK,
               "offset %zu", je.offset);
  cJSON *d = cJSON_Parse(js);
  cr_assert_not_null(d);
  cJSON *v = cJSON_GetObjectItem(d, "v"), *ch = cJSON_GetObjectItem(d, "c"),
        *r = cJSON_GetObjectItem(d, "r");
  cr_assert_eq(cJSON_GetArraySize(v), 2);
  cr_assert_eq(cJSON_GetArraySize(ch), 8);
  cr_assert_eq(cJSON_GetArraySize(r), 16);
  cr_expect_str_eq(cJSON_GetArrayItem(cJSON_GetArrayItem(v, 1), 0)->valuestring,
                   "evil<b><script>x</script><!--<img src=x onerror=y>&amp;"
                   "\\u202e");
  /* the hostile check's message, as the panel shows it */
  cJSON *hm = cJSON_GetArrayItem(cJSON_GetArrayItem(r, 2 * 2 + 1), 1);
  cr_assert(cJSON_IsString(hm));
  cr_expect_str_eq(hm->valuestring,
                   "<script>document.title='pwned'</script></script><!-- "
                   "<img src=x onerror=alert(1)> ]]> \"q\" 'a' &amp; | * _ ` "
                   "\\x1b[31mred\\x1b[0m \\u202e\\u2028 end");
  /* the first row is format.getStatus: evil's cell has both exchanges,
   * the binary one with its bytes shown as \xNN */
  cr_expect_str_eq(
      cJSON_GetArrayItem(cJSON_GetArrayItem(ch, 0), 0)->valuestring,
      "format.getStatus");
  cJSON *cell = cJSON_GetArrayItem(r, 1);
  cr_assert(cJSON_IsArray(cell));
  cr_expect_str_eq(cJSON_GetArrayItem(cell, 0)->valuestring, "F");
  cJSON *ex = cJSON_GetArrayItem(cell, 7);
  cr_assert_eq(cJSON_GetArraySize(ex), 2);
  cr_expect_str_eq(
      cJSON_GetArrayItem(cJSON_GetArrayItem(ex, 1), 5)->valuestring,
      "<script>x</script>\\x00\\xff\\xfe\\x1b[2J end");
  cr_expect(
      strstr(cJSON_GetArrayItem(cJSON_GetArrayItem(ex, 1), 6)->valuestring,
             "not UTF-8"));
  /* blocked_by, cause, status and deviations of a cell, as text */
  cr_assert_eq(cJSON_GetArraySize(cell), 13);
  cr_expect(cJSON_IsNull(cJSON_GetArrayItem(cell, 9)));
  cr_expect_str_eq(cJSON_GetArrayItem(cell, 10)->valuestring,
                   "getStatus answered <script>document.title='pwned'"
                   "</script></script><!-- <img src=x onerror=alert(1)> ]]> "
                   "\"q\" 'a' &amp; | * _ ` \\x1b[31mred\\x1b[0m "
                   "\\u202e\\u2028 end");
  cr_expect_eq(cJSON_GetArrayItem(cell, 11)->valueint, 409);
  cJSON *devs = cJSON_GetArrayItem(cell, 12);
  cr_assert_eq(cJSON_GetArraySize(devs), 2);
  cr_expect(strncmp(cJSON_GetArrayItem(devs, 0)->valuestring,
                    "JSON_SHAPE FAIL at byte 3: $.status: <script>", 45) == 0,
            "%s", cJSON_GetArrayItem(devs, 0)->valuestring);
  cr_expect_str_eq(cJSON_GetArrayItem(devs, 1)->valuestring,
                   "TRAILING_NEWLINE WARN at byte 77: a newline after the "
                   "body");
  /* BLOCKED: the check that blocked it */
  cJSON *bc = cJSON_GetArrayItem(r, 6 * 2 + 1);
  cr_expect_str_eq(cJSON_GetArrayItem(bc, 0)->valuestring, "B");
  cr_expect_str_eq(cJSON_GetArrayItem(bc, 9)->valuestring, "format.getStatus");
  cr_expect(cJSON_IsNull(cJSON_GetArrayItem(bc, 11)), "no status: null");
  /* UNSUPPORTED: a result, shown as unsupported, with its status */
  cJSON *uc = cJSON_GetArrayItem(r, 3 * 2 + 1);
  cr_expect_str_eq(cJSON_GetArrayItem(uc, 0)->valuestring, "U");
  cr_expect_eq(cJSON_GetArrayItem(uc, 11)->valueint, 404);
  cr_expect(cJSON_IsNull(cJSON_GetArrayItem(r, 3 * 2)), "no result at ref");
  /* the unsupported cell is null */
  cr_expect(cJSON_IsNull(cJSON_GetArrayItem(r, 4 * 2 + 1)),
            "row 4 (format.getRentNumber) at evil");
  cJSON_Delete(d);
  free(js);

  /* the policy allows exactly the page's script */
  char want[80];
  cr_assert_eq(csp_script_src(s, want, sizeof want), 0, "no inline script");
  cr_expect(strstr(s, want), "the policy's hash is not the script's (%s)",
            want);
  cr_expect(strstr(s, "default-src 'none'"));
  free(s);
  sc_compare_destroy(c);
}

/* Two comparisons of the same checks whose runs differ in ports, times,
 * dates and latencies: the same bytes with SC_COMPARE_STABLE, different
 * ones without. */
Test(html, stable_output_is_the_same_for_two_runs) {
  struct sc_compare *a = fixture(0), *b = fixture(1);
  for (size_t w = 0; w < NWRITERS; w++) {
    size_t la, lb;
    char *x = render_ok(writers[w].fn, a, SC_COMPARE_STABLE, &la);
    char *y = render_ok(writers[w].fn, b, SC_COMPARE_STABLE, &lb);
    cr_expect(la == lb && memcmp(x, y, la) == 0, "%s: stable output differs",
              writers[w].name);
    cr_expect_null(strstr(x, "127.0.0.1:4"), "%s: a port", writers[w].name);
    cr_expect(strstr(x, "127.0.0.1:PORT"), "%s", writers[w].name);
    cr_expect_null(strstr(x, "2026-11-23"), "%s: a date", writers[w].name);
    cr_expect_null(strstr(x, "smsconform 0.1.0"), "%s", writers[w].name);
    free(x);
    free(y);
    x = render_ok(writers[w].fn, a, 0, &la);
    y = render_ok(writers[w].fn, b, 0, &lb);
    cr_expect(la != lb || memcmp(x, y, la) != 0, "%s: no times at all?",
              writers[w].name);
    cr_expect(strstr(x, "127.0.0.1:40001"), "%s", writers[w].name);
    free(x);
    free(y);
  }
  sc_compare_destroy(a);
  sc_compare_destroy(b);
}

/* ----------------------------------------------------------- Markdown */

/* Cells of a Markdown table row: unescaped '|' minus one. */
static int md_cells(const char *line, size_t n) {
  int bars = 0;
  for (size_t i = 0; i < n; i++) {
    if (line[i] == '\\') {
      i++;
      continue;
    }
    bars += line[i] == '|';
  }
  return bars - 1;
}

Test(markdown, tables_and_escaping) {
  struct sc_compare *c = fixture(0);
  size_t len;
  char *s = render_ok(sc_compare_markdown, c, 0, &len);
  int want = -1, tables = 0;
  for (char *line = s; *line;) {
    char *nl = strchr(line, '\n');
    size_t n = nl ? (size_t)(nl - line) : strlen(line);
    if (n && line[0] == '|') {
      int cells = md_cells(line, n);
      if (want < 0) {
        want = cells;
        tables++;
      }
      cr_expect_eq(cells, want, "row with %d cells, header has %d: %.*s", cells,
                   want, (int)n, line);
    } else {
      want = -1;
    }
    line += n + (nl ? 1 : 0);
  }
  cr_expect_geq(tables, 4, "vendors, categories, latency, differences");
  cr_expect_null(strstr(s, "<script"));
  cr_expect_null(strstr(s, "<b>"));
  cr_expect_null(strstr(s, "<img"));
  cr_expect_null(strchr(s, '\x1b'));
  cr_expect(strstr(s, "| **100.0 %** |"));
  cr_expect(strstr(s, "| **40.0 %** |"));
  cr_expect(strstr(s, "### Latency per action"));
  cr_expect(strstr(s, "### Where the vendors differ"));
  free(s);
  sc_compare_destroy(c);
}

/* --------------------------------------------------------------- JSON */

Test(json, strict_scores_latency_and_verdicts) {
  struct sc_compare *c = sc_compare_new();
  struct sc_report r;
  char err[256];
  size_t len;
  /* 100 requests of getBalance taking 1..100 ms, 20 of getStatus taking
   * 10 ms, and a control request that does not count */
  header(&r, "http://127.0.0.1:1", "sms-activate", "x");
  struct sc_check_result *k = add(&r, "format.getBalance", SC_CAT_FORMAT,
                                  SC_VERDICT_PASS, "getBalance", NULL);
  for (int i = 100; i >= 1; i--)
    exchange(k, "http://127.0.0.1:1", "getBalance", "ACCESS_BALANCE:1", 16, i);
  for (int i = 0; i < 20; i++)
    exchange(k, "http://127.0.0.1:1", "getStatus", "STATUS_CANCEL", 13, 10);
  exchange(k, "http://127.0.0.1:2", "getBalance", "x", 1, 5000);
  cr_assert_eq(sc_compare_add(c, "v", NULL, NULL, &r, err, sizeof err), 0);
  char *s = render_ok(sc_compare_json, c, 0, &len);
  struct sc_json_error je;
  cr_assert_eq(sc_json_validate(s, len, &je), SC_JSON_ERR_OK, "at %zu",
               je.offset);
  cJSON *j = cJSON_Parse(s);
  cr_assert_not_null(j);
  cr_expect_str_eq(cJSON_GetObjectItem(j, "schema")->valuestring,
                   SC_COMPARE_SCHEMA);
  cJSON *v = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "vendors"), 0);
  cJSON *lat = cJSON_GetObjectItem(v, "latency");
  cr_expect_eq(cJSON_GetObjectItem(lat, "requests")->valueint, 120);
  cJSON *gb =
      cJSON_GetObjectItem(cJSON_GetObjectItem(lat, "actions"), "getBalance");
  cr_assert_not_null(gb);
  cr_expect_float_eq(cJSON_GetObjectItem(gb, "p50")->valuedouble, 50, 1e-9);
  cr_expect_float_eq(cJSON_GetObjectItem(gb, "p95")->valuedouble, 95, 1e-9);
  cr_expect_eq(cJSON_GetObjectItem(gb, "requests")->valueint, 100);
  cJSON *gs =
      cJSON_GetObjectItem(cJSON_GetObjectItem(lat, "actions"), "getStatus");
  cr_expect_float_eq(cJSON_GetObjectItem(gs, "p95")->valuedouble, 10, 1e-9);
  cr_expect_float_eq(cJSON_GetObjectItem(v, "score")->valuedouble, 1, 1e-9);
  cJSON_Delete(j);
  free(s);
  sc_compare_destroy(c);

  c = fixture(0);
  s = render_ok(sc_compare_json, c, 0, &len);
  cr_assert_eq(sc_json_validate(s, len, &je), SC_JSON_ERR_OK, "at %zu",
               je.offset);
  j = cJSON_Parse(s);
  cJSON *rows = cJSON_GetObjectItem(j, "rows");
  cr_assert_eq(cJSON_GetArraySize(rows), 8);
  /* grouped by action in order of first appearance, then by category, the
   * rows without an action last */
  static const char *const order[] = {"format.getStatus",
                                      "error.getStatus.NO_ACTIVATION",
                                      "error.getStatus." HOSTILE,
                                      "support.getRentNumber",
                                      "format.getRentNumber",
                                      "lifecycle.setStatus.READY.6",
                                      "lifecycle.setStatus.READY.8",
                                      "transport.post-form"};
  for (int i = 0; i < 8; i++)
    cr_expect_str_eq(
        cJSON_GetObjectItem(cJSON_GetArrayItem(rows, i), "id")->valuestring,
        order[i]);
  cJSON *vd = cJSON_GetObjectItem(cJSON_GetArrayItem(rows, 4), "verdicts");
  cr_expect_str_eq(cJSON_GetArrayItem(vd, 0)->valuestring, "SKIP");
  cr_expect(cJSON_IsNull(cJSON_GetArrayItem(vd, 1)));
  /* a result's own verdict, null for none */
  vd = cJSON_GetObjectItem(cJSON_GetArrayItem(rows, 3), "verdicts");
  cr_expect(cJSON_IsNull(cJSON_GetArrayItem(vd, 0)));
  cr_expect_str_eq(cJSON_GetArrayItem(vd, 1)->valuestring, "UNSUPPORTED");
  vd = cJSON_GetObjectItem(cJSON_GetArrayItem(rows, 6), "verdicts");
  cr_expect_str_eq(cJSON_GetArrayItem(vd, 1)->valuestring, "BLOCKED");
  cJSON *evil = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "vendors"), 1);
  cr_expect_str_eq(cJSON_GetObjectItem(evil, "dialect")->valuestring,
                   "koalasms");
  cJSON *counts = cJSON_GetObjectItem(evil, "counts");
  cr_expect_eq(cJSON_GetObjectItem(counts, "BLOCKED")->valueint, 1);
  cr_expect_eq(cJSON_GetObjectItem(counts, "unsupported")->valueint, 2);
  cJSON *devs = cJSON_GetObjectItem(evil, "deviations");
  cr_expect_eq(cJSON_GetArraySize(devs), 4, "FAIL, ERROR and WARN only");
  cJSON *d0 = cJSON_GetArrayItem(devs, 0);
  cr_expect_str_eq(cJSON_GetObjectItem(d0, "id")->valuestring,
                   "format.getStatus");
  cr_expect_eq(cJSON_GetObjectItem(d0, "http_status")->valueint, 409);
  cr_expect(strncmp(cJSON_GetObjectItem(d0, "cause")->valuestring,
                    "getStatus answered <script>", 27) == 0);
  cJSON *pd = cJSON_GetObjectItem(d0, "deviations");
  cr_assert_eq(cJSON_GetArraySize(pd), 2);
  cr_expect_str_eq(
      cJSON_GetObjectItem(cJSON_GetArrayItem(pd, 1), "code")->valuestring,
      "TRAILING_NEWLINE");
  cr_expect_eq(
      cJSON_GetObjectItem(cJSON_GetArrayItem(pd, 1), "offset")->valueint, 77);
  cJSON_Delete(j);
  free(s);
  sc_compare_destroy(c);
}

/* ------------------------------------------------------------ console */

Test(console, scores_and_counts) {
  struct sc_compare *c = fixture(0);
  size_t len;
  char *s = NULL;
  FILE *f = open_memstream(&s, &len);
  cr_assert_not_null(f);
  cr_assert_eq(sc_compare_console(c, f), 0);
  fclose(f);
  /* the evil name: markup as text, the bidi override made visible */
  cr_expect_str_eq(
      s, "\nVENDOR                  SCORE  PASS  WARN  FAIL ERROR  SKIP "
         "BLOCKED UNSUPPORTED\n"
         "ref                   100.0 %     3     1     0     0     1       0"
         "           3\n"
         "evil<b><script>x</script><!--<img src=x onerror=y>&amp;\\u202e   "
         "40.0 %     1     1     2     1     0       1           2\n");
  free(s);
  cr_expect_eq(sc_compare_console(NULL, stdout), -1);
  cr_expect_eq(sc_compare_console(c, NULL), -1);
  f = fopen("/dev/full", "w");
  if (f) {
    cr_expect_eq(sc_compare_console(c, f), -1, "ENOSPC unnoticed");
    fclose(f);
  }
  sc_compare_destroy(c);

  /* a BLOCKED that nothing of the vendor's report explains counts as an
   * ERROR, as it does in the run; one blocked by a FAIL does not count */
  struct sc_report r;
  char err[256];
  c = sc_compare_new();
  header(&r, "http://127.0.0.1:1", "sms-activate", "x");
  add(&r, "format.getNumber", SC_CAT_FORMAT, SC_VERDICT_FAIL, "getNumber",
      "FIELD");
  struct sc_check_result *b = add(&r, "money.charge", SC_CAT_MONEY,
                                  SC_VERDICT_BLOCKED, "getNumber", "blocked");
  b->blocked_by = sdup("format.getNumber");
  b = add(&r, "money.refund-once", SC_CAT_MONEY, SC_VERDICT_BLOCKED,
          "getNumber", "blocked");
  b->blocked_by = sdup("format.getBalance");
  cr_assert_eq(sc_compare_add(c, "v", NULL, NULL, &r, err, sizeof err), 0);
  struct sc_compare_score sc;
  cr_assert_not_null(sc_compare_score(c, 0, &sc));
  cr_expect_eq(sc.n[SC_VERDICT_BLOCKED], 2, "the results' own verdicts");
  cr_expect_eq(sc.applicable, 2, "the FAIL and the unexplained BLOCKED");
  cr_expect_eq(sc.passed, 0);
  s = render_ok(sc_compare_json, c, SC_COMPARE_STABLE, &len);
  cr_expect(strstr(s, "\"counts\": {\"PASS\": 0, \"WARN\": 0, \"FAIL\": 1, "
                      "\"ERROR\": 1, \"SKIP\": 0, \"BLOCKED\": 1, "
                      "\"unsupported\": 0}"),
            "%s", s);
  cr_expect(strstr(s, "\"id\": \"money.refund-once\", \"verdict\": \"ERROR\""),
            "%s", s);
  free(s);
  sc_compare_destroy(c);
}

/* Every failed allocation of the console table is an error, never a
 * crash or a leak. */
Test(console, every_allocation_fails) {
  struct sc_compare *c = fixture(0);
  unsigned long n;
  int rc = -1;
  for (n = 1; n < 100000; n++) {
    char *s = NULL;
    size_t len;
    FILE *f = open_memstream(&s, &len);
    cr_assert_not_null(f);
    sc_alloc_fail_after(n);
    rc = sc_compare_console(c, f);
    unsigned long made = sc_alloc_fail_after(0);
    fclose(f);
    free(s);
    if (made >= n)
      cr_expect_eq(rc, -1, "allocation %lu failed unnoticed", n);
    if (rc == 0)
      break;
  }
  cr_expect_eq(rc, 0);
  sc_compare_destroy(c);
}

/* -------------------------------------------------------- all writers */

static int writer_idx[] = {0, 1, 2};

ParameterizedTestParameters(writers, empty_and_null) {
  return cr_make_param_array(int, writer_idx, NWRITERS);
}

ParameterizedTest(int *w, writers, empty_and_null) {
  struct sc_compare *c = sc_compare_new();
  struct sc_report r = {0};
  char err[64];
  size_t len;
  int rc;
  char *s = render(writers[*w].fn, NULL, 0, &len, &rc);
  cr_expect_eq(rc, -1);
  free(s);
  cr_expect_eq(writers[*w].fn(c, NULL, 0), -1);
  s = render_ok(writers[*w].fn, c, 0, &len); /* no vendor */
  free(s);
  cr_assert_eq(sc_compare_add(c, "empty", NULL, NULL, &r, err, sizeof err), 0);
  s = render_ok(writers[*w].fn, c, 0, &len); /* a vendor without results */
  free(s);
  sc_compare_destroy(c);
}

ParameterizedTestParameters(writers, write_error) {
  return cr_make_param_array(int, writer_idx, NWRITERS);
}

ParameterizedTest(int *w, writers, write_error) {
  struct sc_compare *c = fixture(0);
  FILE *f = fopen("/dev/full", "w");
  if (!f)
    cr_skip_test("no /dev/full");
  cr_expect_eq(writers[*w].fn(c, f, 0), -1, "%s ignored ENOSPC",
               writers[*w].name);
  fclose(f);
  sc_compare_destroy(c);
}

ParameterizedTestParameters(writers, every_allocation_fails) {
  return cr_make_param_array(int, writer_idx, NWRITERS);
}

/* Fails allocation 1, 2, ... until the writer gets through: every attempt
 * whose allocation failed returns -1, none crashes, none leaks (ASan). */
ParameterizedTest(int *w, writers, every_allocation_fails) {
  struct sc_compare *c = fixture(0);
  unsigned long n;
  int rc = -1;
  for (n = 1; n < 100000; n++) {
    size_t len;
    sc_alloc_fail_after(n);
    char *s = render(writers[*w].fn, c, 0, &len, &rc);
    unsigned long made = sc_alloc_fail_after(0);
    free(s);
    cr_assert(rc == 0 || rc == -1);
    if (made >= n)
      cr_expect_eq(rc, -1, "%s: allocation %lu failed unnoticed",
                   writers[*w].name, n);
    if (rc == 0)
      break;
  }
  cr_expect_eq(rc, 0, "%s never succeeded", writers[*w].name);
  sc_compare_destroy(c);
}

Test(load, every_allocation_fails) {
  struct sc_report a, b;
  char err[256];
  size_t len;
  vendor_evil(&a, "http://127.0.0.1:40001", "x", "2026-11-23 14:34:59", 2);
  char *text = report_json(&a, &len);
  sc_report_free(&a);
  unsigned long n;
  int rc = -1;
  for (n = 1; n < 100000; n++) {
    sc_alloc_fail_after(n);
    rc = sc_compare_parse(text, len, &b, err, sizeof err);
    unsigned long made = sc_alloc_fail_after(0);
    if (made >= n)
      cr_expect_eq(rc, -1, "allocation %lu failed unnoticed", n);
    if (rc == 0)
      break;
    cr_expect(strstr(err, "out of memory"), "%lu: %s", n, err);
  }
  cr_expect_eq(rc, 0);
  sc_report_free(&b);
  free(text);
}

/* -------------------------------------------------------------- scale */

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* 500 checks x 10 vendors, each check with two exchanges of 200-byte
 * bodies, some vendors missing some checks: the JSON reports are read,
 * compared and written as HTML, Markdown and JSON. The HTML must stay
 * below 2 kB per cell, and the whole below 10 s even under ASan. */
Test(scale, five_hundred_checks_ten_vendors, .timeout = 120) {
  enum { NCHECKS = 500, NVENDORS = 10 };
  static const enum sc_verdict vs[] = {
      SC_VERDICT_PASS, SC_VERDICT_PASS, SC_VERDICT_PASS, SC_VERDICT_WARN,
      SC_VERDICT_FAIL, SC_VERDICT_SKIP, SC_VERDICT_PASS, SC_VERDICT_ERROR};
  static const char *const actions[] = {
      "getNumber", "getStatus",     "setStatus", "getBalance",
      "getPrices", "getRentNumber", NULL};
  char body[201], err[256];
  memset(body, 'x', 200);
  body[200] = '\0';
  struct sc_compare *c = sc_compare_new();
  double load = 0, t;
  size_t json_bytes = 0;
  for (int v = 0; v < NVENDORS; v++) {
    struct sc_report r, back;
    char origin[64], name[16], id[64], msg[128];
    snprintf(origin, sizeof origin, "http://127.0.0.1:%d", 40000 + v);
    header(&r, origin, "sms-activate", "2026-11-23T14:00:00Z");
    for (int i = 0; i < NCHECKS; i++) {
      if ((i + v) % 37 == 0)
        continue; /* unsupported here */
      const char *a = actions[i % 7];
      snprintf(id, sizeof id, "%s.%s.check-%03d",
               sc_cat_name((enum sc_cat)(i % SC_CAT__COUNT)), a ? a : "none",
               i);
      snprintf(msg, sizeof msg, "check %d at vendor %d: expected <x>, got &y",
               i, v);
      struct sc_check_result *k = add(&r, id, (enum sc_cat)(i % SC_CAT__COUNT),
                                      vs[(i * 7 + v) % 8], a, msg);
      exchange(k, origin, a ? a : "getBalance", body, 200, 1 + (i + v) % 50);
      exchange(k, origin, a ? a : "getBalance", body, 200, 2 + (i * v) % 90);
    }
    size_t len;
    char *text = report_json(&r, &len);
    json_bytes += len;
    sc_report_free(&r);
    t = now();
    cr_assert_eq(sc_compare_parse(text, len, &back, err, sizeof err), 0, "%s",
                 err);
    load += now() - t;
    free(text);
    snprintf(name, sizeof name, "vendor-%d", v);
    cr_assert_eq(sc_compare_add(c, name, NULL, NULL, &back, err, sizeof err), 0,
                 "%s", err);
  }
  cr_assert_eq(sc_compare_nchecks(c), NCHECKS);
  double took[NWRITERS];
  size_t size[NWRITERS];
  for (size_t w = 0; w < NWRITERS; w++) {
    t = now();
    char *s = render_ok(writers[w].fn, c, 0, &size[w]);
    took[w] = now() - t;
    free(s);
  }
  cr_log_info("500 checks x 10 vendors: %zu bytes of JSON reports read in "
              "%.3f s; HTML %zu bytes in %.3f s, Markdown %zu bytes in "
              "%.3f s, JSON %zu bytes in %.3f s",
              json_bytes, load, size[0], took[0], size[1], took[1], size[2],
              took[2]);
  fprintf(stderr,
          "scale: JSON reports %zu bytes read in %.3f s; HTML %zu bytes in "
          "%.3f s; Markdown %zu bytes in %.3f s; JSON %zu bytes in %.3f s\n",
          json_bytes, load, size[0], took[0], size[1], took[1], size[2],
          took[2]);
  cr_expect_lt(size[0], (size_t)NCHECKS * NVENDORS * 2048, "HTML of %zu bytes",
               size[0]);
  cr_expect_lt(load + took[0] + took[1] + took[2], 10.0);
  sc_compare_destroy(c);
}

/* ---------------------------------------------------------------- CLI */

/* Runs `ENV smsconform ARGS`; the exit code and the output (malloc'd). */
static int run(const char *env, const char *args, char **out) {
  char cmd[8192];
  snprintf(cmd, sizeof cmd, "cd /tmp && env %s %s %s 2>&1 </dev/null",
           env ? env : "", SC_BINARY, args);
  FILE *p = popen(cmd, "r");
  cr_assert_not_null(p);
  size_t cap = 1 << 16, len = 0, n;
  char *buf = malloc(cap);
  cr_assert_not_null(buf);
  while ((n = fread(buf + len, 1, cap - len - 1, p)) > 0) {
    len += n;
    if (len + 1 == cap) {
      buf = realloc(buf, cap *= 2);
      cr_assert_not_null(buf);
    }
  }
  buf[len] = '\0';
  int st = pclose(p);
  *out = buf;
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* A fresh directory for one test's files. */
static void tmpdir(char *dir, size_t len) {
  snprintf(dir, len, "/tmp/sc_compare_XXXXXX");
  cr_assert_not_null(mkdtemp(dir));
}

static void write_file(const char *path, const char *text, size_t len) {
  FILE *f = fopen(path, "wb");
  cr_assert_not_null(f, "%s", path);
  cr_assert_eq(fwrite(text, 1, len, f), len);
  fclose(f);
}

static void write_report(const char *path, struct sc_report *r) {
  size_t len;
  char *text = report_json(r, &len);
  write_file(path, text, len);
  free(text);
  sc_report_free(r);
}

/* |tmpl| with every '@' replaced by |dir|. */
static void subst(const char *tmpl, const char *dir, char *out, size_t len) {
  size_t k = 0;
  for (; *tmpl && k + strlen(dir) + 1 < len; tmpl++) {
    if (*tmpl == '@') {
      memcpy(out + k, dir, strlen(dir));
      k += strlen(dir);
    } else {
      out[k++] = *tmpl;
    }
  }
  out[k] = '\0';
}

static int exists(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && st.st_size > 0;
}

Test(cli, compare_help_teaches) {
  char *out;
  cr_expect_eq(run(NULL, "compare --help", &out), 0);
  cr_expect(strstr(out, "Usage: smsconform compare") &&
                strstr(out, "Examples:") && strstr(out, "--stable") &&
                strstr(out, "unsupported") && strstr(out, "Exit codes"),
            "%s", out);
  free(out);
  cr_expect_eq(run(NULL, "--help", &out), 0);
  cr_expect(strstr(out, "compare [NAME=]REPORT.json"), "%s", out);
  free(out);
  cr_expect_eq(run(NULL, "run --help", &out), 0);
  cr_expect(strstr(out, "--target NAME=URL") &&
                strstr(out, "SMSCONFORM_KEY_<NAME>"),
            "%s", out);
  free(out);
}

Test(cli, compare_reports_and_errors) {
  char dir[64], path[256], args[2048], *out;
  struct sc_report r;
  tmpdir(dir, sizeof dir);
  snprintf(path, sizeof path, "%s/ref.json", dir);
  vendor_ref(&r, "http://127.0.0.1:40000", "x", 1);
  write_report(path, &r);
  snprintf(path, sizeof path, "%s/evil", dir);
  mkdir(path, 0777);
  snprintf(path, sizeof path, "%s/evil/report.json", dir);
  vendor_evil(&r, "http://127.0.0.1:40001", "x", "2026-11-23 14:34:59", 2);
  write_report(path, &r);
  static const char broken[] =
      "{\"schema\":\"smsconform-report/1\",\"results\":[{\"id\":\"a\","
      "\"category\":\"format\",\"verdict\":\"MAYBE\"}]}";
  snprintf(path, sizeof path, "%s/broken.json", dir);
  write_file(path, broken, sizeof broken - 1);

  /* a FAIL is a finding, not an error: exit 0; names from the files */
  snprintf(args, sizeof args,
           "compare %s/ref.json %s/evil/report.json --html %s/c.html --md "
           "%s/c.md --json %s/c.json",
           dir, dir, dir, dir, dir);
  cr_expect_eq(run(NULL, args, &out), 0, "%s", out);
  cr_expect(strstr(out, "VENDOR") && strstr(out, "ref ") &&
                strstr(out, "evil ") && strstr(out, "40.0 %") &&
                strstr(out, " BLOCKED UNSUPPORTED\n"),
            "%s", out);
  free(out);
  snprintf(path, sizeof path, "%s/c.html", dir);
  cr_expect(exists(path));
  snprintf(path, sizeof path, "%s/c.md", dir);
  cr_expect(exists(path));
  snprintf(path, sizeof path, "%s/c.json", dir);
  cr_expect(exists(path));

  /* NAME=FILE */
  snprintf(args, sizeof args,
           "compare --quiet one=%s/ref.json two=%s/ref.json "
           "--json %s/c2.json",
           dir, dir, dir);
  cr_expect_eq(run(NULL, args, &out), 0, "%s", out);
  cr_expect_eq(strlen(out), 0, "--quiet printed %s", out);
  free(out);

  struct {
    const char *args, *want;
  } bad[] = {
      {"compare", "give the JSON reports to compare"},
      {"compare --frob x.json", "compare: unknown option --frob"},
      {"compare @/ref.json --html", "option --html needs a value"},
      {"compare @/nope.json", "nope.json: cannot read: No such file"},
      {"compare @/broken.json",
       "broken.json: $.results[0].verdict: \"MAYBE\" is not a verdict"},
      {"compare a=@/ref.json a=@/ref.json", "two vendors are named 'a'"},
      {"compare @/ref.json @/ref.json", "two vendors are named 'ref'"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    subst(bad[i].args, dir, args, sizeof args);
    cr_expect_eq(run(NULL, args, &out), 2, "%s: %s", args, out);
    cr_expect(strstr(out, bad[i].want), "%s: got %s", args, out);
    free(out);
  }
  /* an output that cannot be written: exit 1 */
  snprintf(args, sizeof args, "compare %s/ref.json --html /nonexistent/x.html",
           dir);
  cr_expect_eq(run(NULL, args, &out), 1, "%s", out);
  cr_expect(strstr(out, "cannot write /nonexistent/x.html"), "%s", out);
  free(out);
  snprintf(args, sizeof args, "rm -rf %s", dir);
  cr_expect_eq(system(args), 0);
}

Test(cli, run_target_usage_errors) {
  struct {
    const char *env, *args, *want;
  } bad[] = {
      {NULL, "run --stable", "--stable applies to a comparison"},
      {NULL, "run --target", "option --target needs a value"},
      {NULL, "run --target =sim", "--target takes NAME=URL"},
      {NULL, "run --target 'a b=sim'", "--target takes NAME=URL"},
      {NULL, "run --target .x=sim", "--target takes NAME=URL"},
      {NULL, "run --target a=sim --target a=sim", "two targets are named 'a'"},
      {NULL, "run --target a=ftp://x", "is not an http(s) URL"},
      {NULL, "run --target a=sim,profle=x", "unknown key 'profle'"},
      {NULL, "run --target a=sim,control=http://x", "its own control"},
      {NULL, "run --target a=http://x/h.php,fault=no-refund",
       "fault= applies to the built-in simulator"},
      {NULL, "run --target a=sim --url http://x", "--url does not go with"},
      {NULL, "run --target a=sim --junit j.xml", "--junit does not go with"},
      {NULL, "run --target a=sim --fault no-refund", "--fault does not go"},
      {NULL, "run --target a=sim,profile=nope", "no profile 'nope'"},
      {NULL, "run --target a=sim:nope", "no dialect 'nope'"},
      {"SMSCONFORM_KEY_ACME_1=", "run --target acme-1=http://127.0.0.1:1/h",
       "no API key: set SMSCONFORM_KEY_ACME_1"},
      {NULL, "run --target a-b=sim --target a_b=http://127.0.0.1:1/h",
       "both read their key from SMSCONFORM_KEY_A_B"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    char *out;
    cr_expect_eq(run(bad[i].env, bad[i].args, &out), 2, "%s: %s", bad[i].args,
                 out);
    cr_expect(strstr(out, bad[i].want), "%s: got %s", bad[i].args, out);
    free(out);
  }
}

/* Two simulators, one with a fault: exit 1 (a FAIL at a target), each
 * target's reports, and the comparison showing the fault's check. A
 * target that does not answer: exit 3, the others still compared. */
Test(cli, run_targets_compares_them, .timeout = 120) {
  char dir[64], args[1024], path[256], *out;
  tmpdir(dir, sizeof dir);
  snprintf(args, sizeof args,
           "run --only money.refund-once --target clean=sim "
           "--target buggy=sim,fault=no-refund --report-dir %s",
           dir);
  cr_expect_eq(run(NULL, args, &out), 1, "%s", out);
  cr_expect(strstr(out, "clean: PASS") && strstr(out, "buggy: FAIL"), "%s",
            out);
  free(out);
  static const char *const files[] = {"clean/report.json", "clean/junit.xml",
                                      "buggy/report.html", "compare.html",
                                      "compare.md",        "compare.json"};
  for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
    snprintf(path, sizeof path, "%s/%s", dir, files[i]);
    cr_expect(exists(path), "%s", path);
  }
  snprintf(path, sizeof path, "%s/compare.json", dir);
  FILE *f = fopen(path, "r");
  cr_assert_not_null(f);
  char buf[65536];
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  buf[n] = '\0';
  fclose(f);
  cJSON *j = cJSON_Parse(buf);
  cr_assert_not_null(j, "%s", buf);
  cJSON *row = NULL, *it;
  cJSON_ArrayForEach(it, cJSON_GetObjectItem(j, "rows")) {
    if (strcmp(cJSON_GetObjectItem(it, "id")->valuestring,
               "money.refund-once") == 0)
      row = it;
  }
  cr_assert_not_null(row, "%s", buf);
  cJSON *vd = cJSON_GetObjectItem(row, "verdicts");
  cr_expect_str_eq(cJSON_GetArrayItem(vd, 0)->valuestring, "PASS");
  cr_expect_str_eq(cJSON_GetArrayItem(vd, 1)->valuestring, "FAIL");
  cJSON_Delete(j);

  snprintf(args, sizeof args,
           "run --only money.refund-once --target ok=sim "
           "--target gone=http://127.0.0.1:1/stubs/handler_api.php "
           "--json %s/c.json",
           dir);
  cr_expect_eq(run("SMSCONFORM_KEY_GONE=secret-key-123", args, &out), 3, "%s",
               out);
  cr_expect(strstr(out, "gone:"), "%s", out);
  cr_expect_null(strstr(out, "secret-key-123"), "the key in a message");
  free(out);
  snprintf(path, sizeof path, "%s/c.json", dir);
  f = fopen(path, "r");
  cr_assert_not_null(f);
  n = fread(buf, 1, sizeof buf - 1, f);
  buf[n] = '\0';
  fclose(f);
  cr_expect(strstr(buf, "\"name\": \"ok\"") && !strstr(buf, "\"gone\""), "%s",
            buf);
  cr_expect_null(strstr(buf, "secret-key-123"));
  snprintf(args, sizeof args, "rm -rf %s", dir);
  cr_expect_eq(system(args), 0);
}
