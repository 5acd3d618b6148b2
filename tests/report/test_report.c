/* test_report.c — tests for sc_report.c: the writers (and the console
 * summary) on hand-built reports that hold every verdict, every category,
 * a baseline (an accepted failure, entries that no longer fail), --strict,
 * checks BLOCKED by a failure, by a chain, and by a check not in the run,
 * findings grouped by cause, the parser's deviations and HTTP statuses, a
 * ledger of purchases in every state, the scope, and hostile exchanges
 * (<script>, ]]>, "--", NUL bytes, invalid UTF-8, ANSI escapes, bidi
 * overrides, very long strings).
 *
 *   JUnit     validates against data/report/junit.xsd (libxml2), counts and
 *             verdict mapping checked with XPath
 *   TAP       parsed line by line: version, plan, points, YAML blocks
 *   JSON      strict RFC 8259 (sc_json.h), every field read back by cJSON
 *   Markdown  every table row has its header's number of cells
 *   HTML      no markup from an endpoint, each check id once, in its row,
 *             the Content-Security-Policy hash matches the inline script
 * and for every writer: deterministic output, -1 on a write error, and
 * survival of every failed allocation. */
#include "csp.h"
#include "sc_alloc.h"
#include "sc_buf.h"
#include "sc_escape.h"
#include "sc_json.h"
#include "sc_report.h"

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include <cjson/cJSON.h>
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <libxml/xpath.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef SC_TESTDATA_DIR
#define SC_TESTDATA_DIR "tests/data"
#endif

/* ------------------------------------------------------------ fixture */

/* Hostile text as an endpoint could send it and a check could quote it. */
#define HOSTILE                                                                \
  "<script>alert(1)</script> ]]> <!-- -- --> \"q\" 'a' &amp; & "               \
  "\x1b[31mred\x1b[0m | * _ ` [x](y) # \\ @all $x$ \xe2\x80\xae"               \
  "evil\r\nnext\tline \xc2\x9b"

/* A binary body: NUL, invalid UTF-8, an encoded surrogate, ANSI, a BOM, a
 * noncharacter, and markup. */
static const char binary_body[] =
    "<script>alert(1)</script>]]>--\0\xff\xfe\xed\xa0\x80\x1b[2J"
    "\xef\xbb\xbf\xef\xbf\xbe\xc0\xaf end";
#define BINARY_LEN (sizeof(binary_body) - 1)

enum exset {
  EX_NONE,
  EX_PLAIN,     /* one ordinary exchange */
  EX_HOSTILE,   /* a binary POST answer and a hostile UTF-8 answer */
  EX_TRANSPORT, /* no answer at all */
  EX_LONG       /* a body longer than SC_REPORT_BODY_MAX */
};

/* One check of the fixture. Every string is copied to the heap with
 * sc_strdup, so sc_report_free() releases the whole report. */
struct row {
  const char *id;
  int cat;     /* int: one row holds a category outside the enum */
  int verdict; /* likewise */
  int baseline;
  const char *action, *tags, *requirement, *doc, *section;
  const char *message, *expected, *actual, *curl;
  enum exset ex;
  int long_text; /* message and actual replaced by 20000-byte strings */
  const char *blocked_by, *cause;
  long status; /* the HTTP status of the answer judged */
  int devset;  /* the parser's deviations: see add_devs */
};

#define CURL_LINE(a)                                                           \
  "curl -sS 'http://127.0.0.1:8080/stubs/handler_api.php?api_key="             \
  "$SMSCONFORM_KEY&action=" a "'"

static const struct row rows[] = {
    /* a plain PASS with its exchange */
    {"format.getBalance.ACCESS_BALANCE", SC_CAT_FORMAT, SC_VERDICT_PASS, 0,
     "getBalance", "format text", "getBalance answers ACCESS_BALANCE:{sum}.",
     "sms-activate-api.md", "getBalance", NULL, "ACCESS_BALANCE:{sum}",
     "ACCESS_BALANCE:100.50", CURL_LINE("getBalance"), EX_PLAIN, 0, NULL, NULL,
     0, 0},
    /* a WARN: passes, unless --strict */
    {"format.getNumberV2.id_as_string", SC_CAT_FORMAT, SC_VERDICT_WARN, 0,
     "getNumberV2", "format json", "activationId is a number.",
     "sms-activate-api.md", "getNumberV2",
     "activationId sent as a string (a variant vendors send)", "number",
     "\"123\"", CURL_LINE("getNumberV2&service=tg&country=0"), EX_PLAIN, 0,
     NULL, NULL, 0, 0},
    /* a FAIL quoting hostile bytes, with hostile exchanges */
    {"error.getStatus.NO_ACTIVATION", SC_CAT_ERROR, SC_VERDICT_FAIL, 0,
     "getStatus", "error", "An unknown id is answered NO_ACTIVATION.",
     "sms-activate-api.md", "getStatus <errors>",
     "answered " HOSTILE " instead\nof NO_ACTIVATION", "NO_ACTIVATION", HOSTILE,
     CURL_LINE("getStatus&id=0"), EX_HOSTILE, 0, NULL, NULL, 0, 0},
    /* a SKIP with its reason */
    {"lifecycle.setStatus.early_cancel_denied", SC_CAT_LIFECYCLE,
     SC_VERDICT_SKIP, 0, "setStatus", "lifecycle control",
     "Cancelling within 2 minutes is EARLY_CANCEL_DENIED.", "koalasms.md",
     "setStatus", "needs a control endpoint (--control)", NULL, NULL, NULL,
     EX_NONE, 0, NULL, NULL, 0, 0},
    /* an ERROR: the endpoint did not answer */
    {"transport.getBalance.timeout", SC_CAT_TRANSPORT, SC_VERDICT_ERROR, 0,
     "getBalance", "transport", "The endpoint answers.", NULL, NULL,
     "no complete answer within the timeout", NULL, NULL,
     CURL_LINE("getBalance"), EX_TRANSPORT, 0, NULL, NULL, 0, 0},
    /* a FAIL accepted by the baseline */
    {"money.getBalance.after_purchase", SC_CAT_MONEY, SC_VERDICT_FAIL, 1,
     "getBalance", "money spend", "The balance drops by the price.",
     "sms-activate-api.md", "getBalance", "balance unchanged after a purchase",
     "99.50", "100.00", CURL_LINE("getBalance"), EX_PLAIN, 0, NULL, NULL, 0, 0},
    /* a baseline entry that passes now */
    {"isolation.getStatus.other_key", SC_CAT_ISOLATION, SC_VERDICT_PASS, 1,
     "getStatus", "isolation key2", "A key sees only its activations.",
     "securesms.md", "Keys", NULL, NULL, NULL, NULL, EX_NONE, 0, NULL, NULL, 0,
     0},
    /* very long message and actual, and a body over the cap */
    {"robustness.getStatus.long_id", SC_CAT_ROBUSTNESS, SC_VERDICT_FAIL, 0,
     "getStatus", "robustness", "A 10 kB id is rejected.",
     "sms-activate-api.md", "getStatus", "", "BAD_ID", "", NULL, EX_LONG, 1,
     NULL, NULL, 0, 0},
    /* a WARN in the REST dialect */
    {"rest.v1.problem_details", SC_CAT_REST, SC_VERDICT_WARN, 0, NULL, "rest",
     "Errors are {\"error\":…}.", "rest-v1.md", "Errors",
     "error as {\"title\",\"details\"}", "{\"error\":\"…\"}",
     "{\"title\":\"x\",\"details\":\"y\"}", NULL, EX_NONE, 0, NULL, NULL, 0, 0},
    {"webhook.delivery.signature", SC_CAT_WEBHOOK, SC_VERDICT_PASS, 0, NULL,
     "webhook", "Webhooks are signed.", "smsbulk.md", "Webhooks", NULL, NULL,
     NULL, NULL, EX_NONE, 0, NULL, NULL, 0, 0},
    /* every optional field NULL */
    {"webhook.null_fields", SC_CAT_WEBHOOK, SC_VERDICT_FAIL, 0, NULL, NULL,
     NULL, NULL, NULL, NULL, NULL, NULL, NULL, EX_NONE, 0, NULL, NULL, 0, 0},
    /* no id, a category and a verdict outside their enums */
    {NULL, 42, 77, 0, NULL, NULL, NULL, NULL, NULL, "runner bug", NULL, NULL,
     NULL, EX_NONE, 0, NULL, NULL, 0, 0},
    /* ]]> and -- in expected/actual, backticks in the curl line */
    {"error.getNumber.BAD_SERVICE", SC_CAT_ERROR, SC_VERDICT_FAIL, 0,
     "getNumber", "error", "An unknown service is BAD_SERVICE.",
     "sms-activate-api.md", "getNumber", "wrong token", "BAD_SERVICE ]]>",
     "NO_NUMBERS -- <!-- x -->",
     "curl -sS 'http://h/x?service=```tg````' # ```", EX_PLAIN, 0, NULL, NULL,
     0, 0},
    /* UNSUPPORTED (404), whose baseline entry no longer fails */
    {.id = "format.getRentNumber",
     .cat = SC_CAT_FORMAT,
     .verdict = SC_VERDICT_UNSUPPORTED,
     .baseline = 1,
     .action = "getRentNumber",
     .requirement = "getRentNumber answers ACCESS_NUMBER.",
     .doc = "sms-activate-api.md",
     .section = "getRentNumber",
     .message = "the endpoint does not implement getRentNumber",
     .actual = "BAD_ACTION",
     .cause = "getRentNumber not implemented",
     .status = 404},
    /* the owner of a step: its FAIL carries the exit code */
    {.id = "format.getBalance",
     .cat = SC_CAT_FORMAT,
     .verdict = SC_VERDICT_FAIL,
     .action = "getBalance",
     .requirement = "getBalance answers ACCESS_BALANCE:{sum}.",
     .doc = "sms-activate-api.md",
     .section = "getBalance",
     .message = "expected ACCESS_BALANCE, got not_protocol",
     .expected = "ACCESS_BALANCE:{sum}",
     .actual = "{}",
     .curl = CURL_LINE("getBalance"),
     .cause = "getBalance unusable",
     .status = 500,
     .devset = 1},
    /* BLOCKED by it */
    {.id = "lifecycle.getStatus.wait",
     .cat = SC_CAT_LIFECYCLE,
     .verdict = SC_VERDICT_BLOCKED,
     .action = "getStatus",
     .requirement = "A new activation is STATUS_WAIT_CODE.",
     .message = "the balance could not be read",
     .blocked_by = "format.getBalance",
     .cause = "getBalance unusable"},
    {.id = "money.charge",
     .cat = SC_CAT_MONEY,
     .verdict = SC_VERDICT_BLOCKED,
     .requirement = "The charge is the price.",
     .message = "the balance could not be read",
     .blocked_by = "format.getBalance",
     .cause = "getBalance unusable"},
    /* BLOCKED by a BLOCKED check: explained along the chain */
    {.id = "money.refund-once",
     .cat = SC_CAT_MONEY,
     .verdict = SC_VERDICT_BLOCKED,
     .requirement = "A cancel refunds once.",
     .message = "no charge to refund",
     .blocked_by = "money.charge",
     .cause = "getBalance unusable"},
    /* BLOCKED by a check that is not in the run: it must not pass */
    {.id = "lifecycle.setStatus.6",
     .cat = SC_CAT_LIFECYCLE,
     .verdict = SC_VERDICT_BLOCKED,
     .action = "setStatus",
     .requirement = "setStatus 6 completes an activation.",
     .message = "the purchase failed",
     .blocked_by = "format.getNumber",
     .cause = "getNumber unusable"},
    /* two FAILs of one cause, with deviations, a hostile one among them */
    {.id = "error.getBalance.BAD_KEY",
     .cat = SC_CAT_ERROR,
     .verdict = SC_VERDICT_FAIL,
     .action = "getBalance",
     .requirement = "A wrong key is BAD_KEY.",
     .doc = "sms-activate-api.md",
     .section = "Errors",
     .message = "expected BAD_KEY, got not_protocol",
     .expected = "BAD_KEY",
     .actual = "{\"error\":\"Invalid API key\"}",
     .cause = "wrong key answered with JSON_SHAPE",
     .status = 401,
     .devset = 2},
    {.id = "error.getNumber.BAD_KEY",
     .cat = SC_CAT_ERROR,
     .verdict = SC_VERDICT_FAIL,
     .action = "getNumber",
     .requirement = "A wrong key is BAD_KEY.",
     .doc = "sms-activate-api.md",
     .section = "Errors",
     .message = "expected BAD_KEY, got not_protocol",
     .expected = "BAD_KEY",
     .actual = "{\"error\":\"Invalid API key\"}",
     .cause = "wrong key answered with JSON_SHAPE",
     .status = 401,
     .devset = 2},
};
#define NROWS (sizeof(rows) / sizeof(rows[0]))

static char *dupn(const char *s, size_t n) {
  char *p = sc_strndup(s, n);
  cr_assert_not_null(p);
  return p;
}

static char *dup(const char *s) {
  return s ? dupn(s, strlen(s)) : NULL;
}

static char *repeat(const char *unit, size_t times, const char *tail) {
  size_t u = strlen(unit), t = strlen(tail);
  char *p = sc_malloc(u * times + t + 1);
  cr_assert_not_null(p);
  for (size_t i = 0; i < times; i++)
    memcpy(p + i * u, unit, u);
  memcpy(p + u * times, tail, t + 1);
  return p;
}

static void set_ex(struct sc_exchange *e, const char *method, const char *url,
                   const char *req, long status, const char *ctype,
                   const char *body, size_t len, const char *terr, double ms) {
  e->method = dup(method);
  e->url = dup(url);
  e->request_body = dup(req);
  e->status = status;
  e->content_type = dup(ctype);
  e->body = body ? dupn(body, len) : NULL;
  e->body_len = body ? len : 0;
  e->transport_error = dup(terr);
  e->ms = ms;
}

/* The parser's deviations of a row: 1, a JSON path; 2, two of them, one
 * quoting hostile bytes. */
static void add_devs(struct sc_check_result *c, int set) {
  if (!set)
    return;
  c->ndevs = set == 1 ? 1 : 2;
  c->devs = sc_calloc(c->ndevs, sizeof *c->devs);
  cr_assert_not_null(c->devs);
  if (set == 1) {
    c->devs[0].code = dup("JSON_MISSING");
    c->devs[0].verdict = SC_VERDICT_FAIL;
    c->devs[0].offset = 0;
    c->devs[0].message = dup("$: required key \"balance\" is missing");
    return;
  }
  c->devs[0].code = dup("JSON_SHAPE");
  c->devs[0].verdict = SC_VERDICT_FAIL;
  c->devs[0].offset = 2;
  c->devs[0].message = dup("$.error: " HOSTILE);
  c->devs[1].code = dup("TRAILING_NEWLINE");
  c->devs[1].verdict = SC_VERDICT_WARN;
  c->devs[1].offset = 30;
  c->devs[1].message = dup("a newline after the body");
}

static void add_exchanges(struct sc_check_result *c, enum exset set) {
#define URL                                                                    \
  "http://127.0.0.1:8080/stubs/handler_api.php"                                \
  "?api_key=$SMSCONFORM_KEY&action=getStatus&id=0"
  static const char url[] = URL;
  switch (set) {
  case EX_NONE:
    return;
  case EX_PLAIN:
    c->nex = 1;
    break;
  case EX_HOSTILE:
    c->nex = 2;
    break;
  case EX_TRANSPORT:
  case EX_LONG:
    c->nex = 1;
    break;
  }
  c->ex = sc_calloc(c->nex, sizeof(*c->ex));
  cr_assert_not_null(c->ex);
  if (set == EX_PLAIN) {
    set_ex(&c->ex[0], "GET", url, NULL, 200, "text/plain; charset=utf-8",
           "ACCESS_BALANCE:100.50", 21, NULL, 1.25);
  } else if (set == EX_HOSTILE) {
    set_ex(&c->ex[0], "POST", url, "a=" HOSTILE, 200, "text/html\x1b[0m; <b>",
           binary_body, BINARY_LEN, NULL, 2.5);
    c->ex[0].body_truncated = 1;
    set_ex(&c->ex[1], "GET", URL "&x=</script>", NULL, 500, "application/json",
           HOSTILE, strlen(HOSTILE), NULL, 3);
  } else if (set == EX_TRANSPORT) {
    set_ex(&c->ex[0], "GET", url, NULL, 0, NULL, NULL, 0,
           "timeout after 10000 ms <script>alert(1)</script>", 10000);
  } else {
    char *big = repeat("0123456789", 600, "");
    set_ex(&c->ex[0], "GET", url, NULL, 200, "text/plain", big, 6000, NULL, 4);
    sc_free(big);
  }
}

/* Builds the fixture report; |strict| as --strict would set it. */
static void build(struct sc_report *r, int strict) {
  memset(r, 0, sizeof(*r));
  r->tool = dup("smsconform 0.1.0");
  r->target = dup("http://127.0.0.1:8080/stubs/handler_api.php?a=<b>|`x`");
  r->profile = dup("sms-activate");
  r->started = dup("2026-06-12T21:14:05Z");
  r->seconds = 12.5;
  r->requests = 42;
  r->strict = strict;
  r->nresults = NROWS;
  r->results = sc_calloc(NROWS, sizeof(*r->results));
  cr_assert_not_null(r->results);
  for (size_t i = 0; i < NROWS; i++) {
    const struct row *w = &rows[i];
    struct sc_check_result *c = &r->results[i];
    c->id = dup(w->id);
    c->cat = (enum sc_cat)w->cat;
    c->verdict = (enum sc_verdict)w->verdict;
    c->baseline = w->baseline;
    c->action = dup(w->action);
    c->tags = dup(w->tags);
    c->requirement = dup(w->requirement);
    c->doc = dup(w->doc);
    c->section = dup(w->section);
    if (w->long_text) {
      c->message = repeat("long ", 4000, "end <script>alert(1)</script>");
      c->actual = repeat("\xd0\x96|", 10000, "\x1b[0m");
    } else {
      c->message = dup(w->message);
      c->actual = dup(w->actual);
    }
    c->expected = dup(w->expected);
    c->curl = dup(w->curl);
    c->ms = 10.0 * (double)(i + 1);
    c->blocked_by = dup(w->blocked_by);
    c->cause = dup(w->cause);
    c->http_status = w->status ? w->status : (w->ex == EX_PLAIN ? 200 : 0);
    add_devs(c, w->devset);
    add_exchanges(c, w->ex);
  }
  /* the ledger: released, used, left active with a note, left active at
   * an unknown price, and a state left RELEASED without the refund (shown
   * as left active) */
  static const struct {
    const char *what, *id, *check;
    double cost;
    int known, refunded;
    enum sc_spend_state state;
    const char *note;
  } sp[] = {
      {"getNumber tg/0 <b>", "123456", "format.getNumber", 0.28, 1, 1,
       SC_SPEND_RELEASED, NULL},
      {"getNumber wa/22", "123457", "money.charge", 1.5, 1, 0, SC_SPEND_USED,
       NULL},
      {"getNumber tg/0", "123458", "error.getNumber.BAD_KEY", 0.25, 1, 0,
       SC_SPEND_LEFT_ACTIVE, "cancel refused: EARLY_CANCEL_DENIED \x1b[2J"},
      {"getNumberV2 tg/0", "123459", NULL, 0, 0, 0, SC_SPEND_LEFT_ACTIVE, NULL},
      {"getRentNumber tg/0", "777", "lifecycle.rent", 2.25, 1, 0,
       SC_SPEND_RELEASED, NULL},
  };
  r->nspend = sizeof sp / sizeof *sp;
  r->spend = sc_calloc(r->nspend, sizeof(*r->spend));
  cr_assert_not_null(r->spend);
  for (size_t i = 0; i < r->nspend; i++) {
    r->spend[i].what = dup(sp[i].what);
    r->spend[i].id = dup(sp[i].id);
    r->spend[i].check = dup(sp[i].check);
    r->spend[i].cost = sp[i].cost;
    r->spend[i].cost_known = sp[i].known;
    r->spend[i].refunded = sp[i].refunded;
    r->spend[i].state = sp[i].state;
    r->spend[i].note = dup(sp[i].note);
  }
  r->max_spend = 5;
  r->unsupported = sc_calloc(3, sizeof *r->unsupported);
  cr_assert_not_null(r->unsupported);
  r->unsupported[0] = dup("getRentNumber");
  r->unsupported[1] = dup("get<b>Mail\x1b[0m");
  sc_report_count(r);
}

/* The ledger of the fixture, as every format writes it on one line. */
#define LEDGER_LINE                                                            \
  "spent 4.28, refunded 0.28, left active 3: 123458, 123459, 777 (2.50); 1 "   \
  "purchase at an unknown price; max spend 5.00"

/* What each row must count as (an independent reading of sc_report.h). */
enum oc {
  O_PASS,
  O_SKIP,
  O_UNSUPPORTED,
  O_BLOCKED,
  O_WARN,
  O_FAIL,
  O_ERROR,
  O_ACCEPTED
};

static const struct row *row_by_id(const char *id) {
  for (size_t i = 0; id && i < NROWS; i++)
    if (rows[i].id && strcmp(rows[i].id, id) == 0)
      return &rows[i];
  return NULL;
}

/* A BLOCKED row is explained by a row of its blocked_by that FAILs,
 * ERRORs or is UNSUPPORTED, directly or through BLOCKED rows. */
static int explained(const struct row *w) {
  for (int depth = 0; depth < 8; depth++) {
    const struct row *o = row_by_id(w->blocked_by);
    if (!o || o == w)
      return 0;
    if (o->verdict == SC_VERDICT_FAIL || o->verdict == SC_VERDICT_ERROR ||
        o->verdict == SC_VERDICT_UNSUPPORTED)
      return 1;
    if (o->verdict != SC_VERDICT_BLOCKED)
      return 0;
    w = o;
  }
  return 0;
}

static enum oc expected_oc(const struct row *w, int strict) {
  int v = w->verdict;
  if (v < 0 || v >= SC_VERDICT__COUNT)
    v = SC_VERDICT_ERROR;
  int orphan = v == SC_VERDICT_BLOCKED && !explained(w);
  int blocking = v == SC_VERDICT_FAIL || v == SC_VERDICT_ERROR ||
                 (v == SC_VERDICT_WARN && strict) || orphan;
  if (blocking && w->baseline)
    return O_ACCEPTED;
  if (v == SC_VERDICT_WARN)
    return strict ? O_FAIL : O_WARN;
  if (v == SC_VERDICT_BLOCKED)
    return orphan ? O_ERROR : O_BLOCKED;
  return v == SC_VERDICT_PASS          ? O_PASS
         : v == SC_VERDICT_SKIP        ? O_SKIP
         : v == SC_VERDICT_UNSUPPORTED ? O_UNSUPPORTED
         : v == SC_VERDICT_FAIL        ? O_FAIL
                                       : O_ERROR;
}

static size_t count_oc(enum oc o, int strict) {
  size_t n = 0;
  for (size_t i = 0; i < NROWS; i++)
    n += expected_oc(&rows[i], strict) == o;
  return n;
}

/* ------------------------------------------------------------ running */

typedef int (*writer_fn)(const struct sc_report *, FILE *);

/* The console summary as `run` prints it without colours. */
static int console(const struct sc_report *r, FILE *f) {
  return sc_report_console(r, f, 0);
}

static const struct {
  const char *name;
  writer_fn fn;
} writers[] = {
    {"junit", sc_report_junit}, {"tap", sc_report_tap},
    {"json", sc_report_json},   {"markdown", sc_report_markdown},
    {"html", sc_report_html},   {"console", console},
};
#define NWRITERS (sizeof(writers) / sizeof(writers[0]))

/* Runs |fn| into a memory stream; returns the bytes (free()) and |*rc|. */
static char *render(writer_fn fn, const struct sc_report *r, size_t *len,
                    int *rc) {
  char *buf = NULL;
  size_t n = 0;
  FILE *f = open_memstream(&buf, &n);
  cr_assert_not_null(f);
  *rc = fn(r, f);
  cr_assert_eq(fclose(f), 0);
  *len = n;
  return buf;
}

static char *render_ok(writer_fn fn, const struct sc_report *r, size_t *len) {
  int rc;
  char *s = render(fn, r, len, &rc);
  cr_assert_eq(rc, 0, "writer failed");
  cr_assert_eq(strlen(s), *len, "NUL byte in the output");
  return s;
}

/* Cuts |*rest| at the next newline: the line, or NULL at the end. Empty
 * lines are lines (strtok would skip them). */
static char *next_line(char **rest) {
  char *ln = *rest, *nl;
  if (!ln || !*ln)
    return NULL;
  nl = strchr(ln, '\n');
  if (nl) {
    *nl = '\0';
    *rest = nl + 1;
  } else {
    *rest = NULL;
  }
  return ln;
}

static size_t count_str(const char *hay, const char *needle) {
  size_t n = 0;
  for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
    n++;
  return n;
}

/* No control characters but newline (and tab where |tab|), valid UTF-8. */
static void expect_clean_text(const char *s, size_t len, int tab,
                              const char *what) {
  cr_expect_eq(sc_utf8_check(s, len), (size_t)-1, "%s: invalid UTF-8", what);
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '\n' || (tab && c == '\t'))
      continue;
    if (c < 0x20 || c == 0x7f) {
      cr_expect(0, "%s: raw control byte 0x%02x at %zu", what, c, i);
      return;
    }
  }
  /* C1 controls (CSI U+009B) and the bidi override U+202E stay visible */
  cr_expect_null(strstr(s, "\xc2\x9b"), "%s: raw C1 control", what);
  cr_expect_null(strstr(s, "\xe2\x80\xae"), "%s: raw bidi override", what);
}

/* -------------------------------------------------------------- model */

Test(report, cat_names) {
  cr_expect_str_eq(sc_cat_name(SC_CAT_FORMAT), "format");
  cr_expect_str_eq(sc_cat_name(SC_CAT_WEBHOOK), "webhook");
  cr_expect_str_eq(sc_cat_name(SC_CAT__COUNT), "unknown");
  cr_expect_str_eq(sc_cat_name((enum sc_cat) - 1), "unknown");
}

Test(report, count_and_free) {
  struct sc_report r;
  build(&r, 0);
  memset(r.counts, 0xff, sizeof(r.counts));
  sc_report_count(&r);
  cr_expect_eq(r.counts[SC_VERDICT_PASS], 3);
  cr_expect_eq(r.counts[SC_VERDICT_SKIP], 1);
  cr_expect_eq(r.counts[SC_VERDICT_UNSUPPORTED], 1);
  cr_expect_eq(r.counts[SC_VERDICT_BLOCKED], 4);
  cr_expect_eq(r.counts[SC_VERDICT_WARN], 2);
  cr_expect_eq(r.counts[SC_VERDICT_FAIL], 8);
  cr_expect_eq(r.counts[SC_VERDICT_ERROR], 2, "out-of-enum counts as ERROR");
  sc_report_free(&r);
  cr_expect_null(r.results);
  cr_expect_eq(r.nresults, 0);
  sc_report_free(&r); /* again: a zeroed report */
  sc_report_free(NULL);
  sc_report_count(NULL);
}

/* ------------------------------------------------------------- JUnit */

static xmlDocPtr parse_xml(const char *s, size_t len) {
  xmlDocPtr doc = xmlReadMemory(s, (int)len, "junit.xml", NULL,
                                XML_PARSE_NONET | XML_PARSE_NOENT * 0);
  cr_assert_not_null(doc, "not well-formed XML");
  return doc;
}

static void validate_junit(xmlDocPtr doc) {
  xmlSchemaParserCtxtPtr pc =
      xmlSchemaNewParserCtxt(SC_TESTDATA_DIR "/report/junit.xsd");
  cr_assert_not_null(pc);
  xmlSchemaPtr schema = xmlSchemaParse(pc);
  cr_assert_not_null(schema, "junit.xsd does not load");
  xmlSchemaValidCtxtPtr vc = xmlSchemaNewValidCtxt(schema);
  cr_assert_not_null(vc);
  cr_expect_eq(xmlSchemaValidateDoc(vc, doc), 0, "invalid against junit.xsd");
  xmlSchemaFreeValidCtxt(vc);
  xmlSchemaFree(schema);
  xmlSchemaFreeParserCtxt(pc);
}

static double xpath_num(xmlDocPtr doc, const char *expr) {
  xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
  xmlXPathObjectPtr o = xmlXPathEvalExpression((const xmlChar *)expr, ctx);
  cr_assert_not_null(o, "bad XPath %s", expr);
  double v = xmlXPathCastToNumber(o);
  xmlXPathFreeObject(o);
  xmlXPathFreeContext(ctx);
  return v;
}

/* The string value of |expr| (malloc'd). */
static char *xpath_str(xmlDocPtr doc, const char *expr) {
  xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
  xmlXPathObjectPtr o = xmlXPathEvalExpression((const xmlChar *)expr, ctx);
  cr_assert_not_null(o, "bad XPath %s", expr);
  xmlChar *s = xmlXPathCastToString(o);
  char *copy = strdup((const char *)s);
  xmlFree(s);
  xmlXPathFreeObject(o);
  xmlXPathFreeContext(ctx);
  return copy;
}

static void check_junit(int strict) {
  struct sc_report r;
  size_t len;
  char q[512];
  build(&r, strict);
  char *s = render_ok(sc_report_junit, &r, &len);
  expect_clean_text(s, len, 1, "junit");
  xmlDocPtr doc = parse_xml(s, len);
  validate_junit(doc);

  cr_expect_eq(xpath_num(doc, "count(/testsuites/testsuite/testcase)"), NROWS);
  cr_expect_eq(xpath_num(doc, "number(/testsuites/@tests)"), NROWS);
  cr_expect_eq(xpath_num(doc, "number(/testsuites/@failures)"),
               count_oc(O_FAIL, strict));
  cr_expect_eq(xpath_num(doc, "number(/testsuites/@errors)"),
               count_oc(O_ERROR, strict));
  size_t skipped = count_oc(O_SKIP, strict) + count_oc(O_UNSUPPORTED, strict) +
                   count_oc(O_BLOCKED, strict) + count_oc(O_ACCEPTED, strict);
  cr_expect_eq(skipped, 6,
               "the fixture: a SKIP, an UNSUPPORTED, three "
               "BLOCKED, one accepted");
  cr_expect_eq(xpath_num(doc, "number(/testsuites/@skipped)"), skipped);
  cr_expect_eq(xpath_num(doc, "count(//failure)"), count_oc(O_FAIL, strict));
  cr_expect_eq(xpath_num(doc, "count(//error)"), count_oc(O_ERROR, strict));
  cr_expect_eq(xpath_num(doc, "count(//skipped)"), skipped);
  /* one suite per category present (all 9, and "unknown") */
  cr_expect_eq(xpath_num(doc, "count(/testsuites/testsuite)"), 10);
  cr_expect_eq(xpath_num(doc, "sum(/testsuites/testsuite/@tests)"), NROWS);
  cr_expect_eq(xpath_num(doc, "sum(/testsuites/testsuite/@failures)"),
               count_oc(O_FAIL, strict));
  cr_expect_eq(xpath_num(doc,
                         "count(//testsuite[@name='unknown']/testcase"
                         "[@name='(no id)' and @classname='smsconform.unknown']"
                         "/error)"),
               1);
  cr_expect_eq(xpath_num(doc, "count(//testsuite[not(@timestamp="
                              "'2026-06-12T21:14:05Z')])"),
               0);

  for (size_t i = 0; i < NROWS; i++) {
    const struct row *w = &rows[i];
    if (!w->id)
      continue;
    char base[256];
    snprintf(base, sizeof(base),
             "//testsuite[@name='%s']/testcase[@name='%s' and "
             "@classname='smsconform.%s']",
             sc_cat_name((enum sc_cat)w->cat), w->id,
             sc_cat_name((enum sc_cat)w->cat));
    snprintf(q, sizeof(q), "count(%s)", base);
    cr_assert_eq(xpath_num(doc, q), 1, "%s", base);
    snprintf(q, sizeof(q), "count(%s/*[name()!='system-out'])", base);
    double problems = xpath_num(doc, q);
    switch (expected_oc(w, strict)) {
    case O_PASS:
    case O_WARN:
      cr_expect_eq(problems, 0, "%s", w->id);
      if (w->verdict == SC_VERDICT_WARN) {
        snprintf(q, sizeof(q), "starts-with(%s/system-out, 'WARN')", base);
        cr_expect_eq(xpath_num(doc, q), 1, "%s: warning in system-out", w->id);
      }
      break;
    case O_SKIP:
      snprintf(q, sizeof(q), "string(%s/skipped/@message)", base);
      char *m = xpath_str(doc, q);
      cr_expect_str_eq(m, w->message);
      free(m);
      break;
    case O_ACCEPTED:
      snprintf(q, sizeof(q),
               "starts-with(%s/skipped/@message, 'accepted by baseline: ')",
               base);
      cr_expect_eq(xpath_num(doc, q), 1, "%s", w->id);
      break;
    case O_UNSUPPORTED:
    case O_BLOCKED: {
      char want[512];
      if (expected_oc(w, strict) == O_UNSUPPORTED)
        snprintf(want, sizeof want, "unsupported: %s", w->message);
      else
        snprintf(want, sizeof want, "blocked by %s: %s", w->blocked_by,
                 w->message);
      snprintf(q, sizeof(q), "string(%s/skipped/@message)", base);
      char *sm = xpath_str(doc, q);
      cr_expect_str_eq(sm, want);
      free(sm);
      /* the detail: verdict, cause, blocked by, status */
      snprintf(q, sizeof(q), "string(%s/skipped)", base);
      char *st = xpath_str(doc, q);
      snprintf(want, sizeof want, "verdict: %s\n",
               sc_verdict_name((enum sc_verdict)w->verdict));
      cr_expect(strncmp(st, want, strlen(want)) == 0, "%s: %s", w->id, st);
      snprintf(want, sizeof want, "\ncause: %s\n", w->cause);
      cr_expect(strstr(st, want), "%s: %s", w->id, st);
      if (w->blocked_by) {
        snprintf(want, sizeof want, "\nblocked by: %s\n", w->blocked_by);
        cr_expect(strstr(st, want), "%s: %s", w->id, st);
      }
      if (w->status)
        cr_expect(strstr(st, "\nhttp status: 404\n"), "%s: %s", w->id, st);
      free(st);
      break;
    }
    case O_FAIL:
      snprintf(q, sizeof(q), "string(%s/failure/@type)", base);
      char *type = xpath_str(doc, q);
      cr_expect_str_eq(type,
                       w->verdict == SC_VERDICT_WARN ? "WARNING" : "DEVIATION");
      free(type);
      snprintf(q, sizeof(q), "string(%s/failure)", base);
      char *text = xpath_str(doc, q);
      if (w->expected) {
        char want[300];
        snprintf(want, sizeof(want), "expected: %s\n", w->expected);
        cr_expect(strstr(text, want), "%s: %s", w->id, text);
      }
      if (w->doc) {
        char want[300];
        snprintf(want, sizeof(want), "source: %s \xc2\xa7 %s\n", w->doc,
                 w->section);
        cr_expect(strstr(text, want), "%s: no citation", w->id);
      }
      if (w->curl)
        cr_expect(strstr(text, "reproduce: curl -sS"), "%s: no curl", w->id);
      free(text);
      break;
    case O_ERROR:
      snprintf(q, sizeof(q), "count(%s/error)", base);
      cr_expect_eq(xpath_num(doc, q), 1, "%s", w->id);
      break;
    }
  }

  /* a BLOCKED whose owner is not in the run is an error, saying so */
  char *bm = xpath_str(doc, "string(//testcase[@name='lifecycle.setStatus.6']"
                            "/error[@type='BLOCKED']/@message)");
  cr_expect_str_eq(bm, "blocked by format.getNumber (the check that owns the "
                       "step is not in this run): the purchase failed");
  free(bm);
  /* the parser's deviations, the cause and the status, in the failure */
  char *ft = xpath_str(doc, "string(//testcase[@name="
                            "'error.getBalance.BAD_KEY']/failure)");
  cr_expect(strstr(ft, "message: expected BAD_KEY, got not_protocol\n"
                       "cause: wrong key answered with JSON_SHAPE\n"
                       "http status: 401\n"
                       "deviation: JSON_SHAPE FAIL at byte 2: $.error: "
                       "<script>alert(1)</script> ]]> <!-- -- --> \"q\" "
                       "'a' &amp; & \\x1b[31mred"),
            "%s", ft);
  cr_expect(strstr(ft, "\ndeviation: TRAILING_NEWLINE WARN at byte 30: a "
                       "newline after the body\nexpected: BAD_KEY\n"),
            "%s", ft);
  free(ft);
  ft = xpath_str(doc, "string(//testcase[@name='format.getBalance']/failure)");
  cr_expect(strstr(ft, "\nhttp status: 500\ndeviation: JSON_MISSING FAIL at "
                       "byte 0: $: required key \"balance\" is missing\n"),
            "%s", ft);
  free(ft);
  /* 200 is not worth saying */
  cr_expect_eq(xpath_num(doc, "count(//testcase[contains(., 'http status: "
                              "200')])"),
               0);
  /* a baseline entry of a check now UNSUPPORTED can go, like any other */
  cr_expect_eq(xpath_num(doc, "count(//testcase[@name="
                              "'format.getRentNumber']/system-out[starts-with("
                              "., 'in the baseline, but does not fail now')])"),
               1);
  /* the scope and the ledger, in every suite */
  static const char *const props[][2] = {
      {"ledger", LEDGER_LINE},
      {"unsupported", "getRentNumber, get<b>Mail\\x1b[0m"},
      {"purchase.1", "123456: getNumber tg/0 <b>, bought by format.getNumber, "
                     "0.28, released"},
      {"purchase.2", "123457: getNumber wa/22, bought by money.charge, 1.50, "
                     "used"},
      {"purchase.3", "123458: getNumber tg/0, bought by "
                     "error.getNumber.BAD_KEY, 0.25, left-active (cancel "
                     "refused: EARLY_CANCEL_DENIED \\x1b[2J)"},
      {"purchase.4", "123459: getNumberV2 tg/0, price unknown, left-active"},
      {"purchase.5", "777: getRentNumber tg/0, bought by lifecycle.rent, "
                     "2.25, left-active"},
  };
  for (size_t k = 0; k < sizeof props / sizeof *props; k++) {
    snprintf(q, sizeof q, "count(//testsuite/properties/property[@name='%s'])",
             props[k][0]);
    cr_expect_eq(xpath_num(doc, q), 10, "%s in every suite", props[k][0]);
    snprintf(q, sizeof q,
             "string(//testsuite[1]/properties/property[@name='%s']/@value)",
             props[k][0]);
    char *pv = xpath_str(doc, q);
    cr_expect_str_eq(pv, props[k][1]);
    free(pv);
  }

  /* hostile text arrives as text, with invisible bytes made visible */
  char *out = xpath_str(doc, "string(//testcase[@name="
                             "'error.getStatus.NO_ACTIVATION']/system-out)");
  cr_expect(strstr(out, "<script>alert(1)</script>]]>--\\x00\\xff\\xfe"
                        "\\xed\\xa0\\x80\\x1b[2J\\ufeff\\ufffe\\xc0\\xaf end"
                        "[truncated]"),
            "%s", out);
  cr_expect(strstr(out, "\\x1b[31mred"), "ANSI escape not visible");
  cr_expect(strstr(out, "\\u202eevil\r\nnext\tline \\u009b"), "%s", out);
  free(out);
  char *msg = xpath_str(doc, "string(//testcase[@name="
                             "'error.getStatus.NO_ACTIVATION']/failure/"
                             "@message)");
  static const char want_msg[] =
      "answered <script>alert(1)</script> ]]> <!-- -- --> \"q\" 'a' &amp; & "
      "\\x1b[31mred\\x1b[0m | * _ ` [x](y) # \\ @all $x$ \\u202eevil\r\n"
      "next\tline \\u009b instead\nof NO_ACTIVATION";
  cr_expect_str_eq(msg, want_msg, "attribute value changed in transit");
  free(msg);

  xmlFreeDoc(doc);
  free(s);
  sc_report_free(&r);
}

Test(junit, valid_counts_and_mapping) {
  check_junit(0);
}

Test(junit, strict_turns_warnings_into_failures) {
  check_junit(1);
}

Test(junit, empty_report_is_valid) {
  struct sc_report r = {0};
  size_t len;
  char *s = render_ok(sc_report_junit, &r, &len);
  xmlDocPtr doc = parse_xml(s, len);
  validate_junit(doc);
  cr_expect_eq(xpath_num(doc, "number(/testsuites/@tests)"), 0);
  xmlFreeDoc(doc);
  free(s);
}

Test(junit, bad_timestamp_is_left_out) {
  static const char *const bad[] = {
      "2026-02-29T00:00:00Z",     "2026-06-12 21:14:05Z",
      "2026-06-12T24:00:00Z",     "2026-06-12T21:14:60Z",
      "2026-06-12T21:14:05",      "yesterday",
      "2026-06-12T21:14:05+15:00"};
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    struct sc_report r;
    size_t len;
    build(&r, 0);
    sc_free(r.started);
    r.started = dup(bad[i]);
    char *s = render_ok(sc_report_junit, &r, &len);
    xmlDocPtr doc = parse_xml(s, len);
    validate_junit(doc);
    cr_expect_eq(xpath_num(doc, "count(//@timestamp)"), 0, "%s", bad[i]);
    xmlFreeDoc(doc);
    free(s);
    sc_report_free(&r);
  }
  struct sc_report r;
  size_t len;
  build(&r, 0);
  sc_free(r.started);
  r.started = dup("2024-02-29T23:59:59.123+05:30");
  char *s = render_ok(sc_report_junit, &r, &len);
  cr_expect(strstr(s, "timestamp=\"2024-02-29T23:59:59.123+05:30\""));
  free(s);
  sc_report_free(&r);
}

/* --------------------------------------------------------------- TAP */

/* A YAML double-quoted scalar's escapes (YAML 1.2 section 5.7) and no bare
 * quote inside: |v| starts after the opening quote. */
static int yaml_dq_ok(const char *v) {
  for (; *v; v++) {
    if (*v == '"')
      return v[1] == '\0';
    if (*v != '\\')
      continue;
    v++;
    if (*v == 'x' || *v == 'u') {
      size_t n = *v == 'x' ? 2 : 4;
      for (size_t k = 1; k <= n; k++)
        if (!strchr("0123456789abcdefABCDEF", v[k]) || !v[k])
          return 0;
      v += n;
    } else if (!*v || !strchr("0abtnvfre \"/\\N_LP", *v)) {
      return 0;
    }
  }
  return 0; /* no closing quote */
}

/* The text of a TAP description up to an unescaped '#'. */
static void tap_check(const char *s, size_t len, int strict) {
  char *copy = strdup(s), *save = copy;
  size_t lineno = 0, points = 0, plan = 0;
  int in_yaml = 0, yaml_seen = 0;
  expect_clean_text(s, len, 0, "tap");
  cr_assert_eq(s[len - 1], '\n');
  for (char *ln; (ln = next_line(&save)) != NULL;) {
    lineno++;
    cr_expect_neq(ln[0], '\0', "empty line %zu", lineno);
    if (lineno == 1) {
      cr_expect_str_eq(ln, "TAP version 14");
      continue;
    }
    if (lineno == 2) {
      cr_expect_eq(sscanf(ln, "1..%zu", &plan), 1, "plan: %s", ln);
      continue;
    }
    if (in_yaml) {
      if (strcmp(ln, "  ...") == 0) {
        in_yaml = 0;
        continue;
      }
      /* "  key: value", "    - key: value", "      key: value" */
      const char *p = ln;
      cr_expect(strncmp(p, "  ", 2) == 0, "line %zu not indented: %s", lineno,
                ln);
      while (*p == ' ' || *p == '-')
        p++;
      const char *colon = strstr(p, ": ");
      if (!colon) {
        cr_expect_eq(p[strlen(p) - 1], ':', "line %zu: %s", lineno, ln);
        continue;
      }
      for (const char *k = p; k < colon; k++)
        cr_expect(*k == '_' || (*k >= 'a' && *k <= 'z'), "key: %s", ln);
      const char *v = colon + 2;
      if (*v == '"')
        cr_expect(yaml_dq_ok(v + 1), "line %zu: bad scalar %.80s", lineno, v);
      else
        cr_expect(strspn(v, "0123456789.abcdefghijklmnopqrstuvwxyz"
                            "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == strlen(v),
                  "line %zu: plain scalar %s", lineno, v);
      continue;
    }
    if (strcmp(ln, "  ---") == 0) {
      cr_expect(points > 0 && !yaml_seen, "YAML block not after a point");
      in_yaml = 1;
      yaml_seen = 1;
      continue;
    }
    if (ln[0] == '#')
      continue;
    int ok = strncmp(ln, "ok ", 3) == 0;
    cr_assert(ok || strncmp(ln, "not ok ", 7) == 0, "line %zu: %s", lineno, ln);
    size_t num;
    cr_assert_eq(sscanf(ln + (ok ? 3 : 7), "%zu", &num), 1);
    cr_expect_eq(num, points + 1, "points out of order");
    yaml_seen = 0;
    const struct row *w = &rows[points];
    enum oc o = expected_oc(w, strict);
    int want_ok = o == O_PASS || o == O_SKIP || o == O_WARN ||
                  o == O_UNSUPPORTED || o == O_BLOCKED;
    cr_expect_eq(ok, want_ok, "%s: %s", ln, w->id ? w->id : "(no id)");
    char head[300];
    snprintf(head, sizeof(head), "%s %zu - %s", ok ? "ok" : "not ok", num,
             w->id ? w->id : "(no id)");
    cr_expect(strncmp(ln, head, strlen(head)) == 0, "%s", ln);
    const char *rest = ln + strlen(head);
    if (o == O_SKIP) {
      char want[300];
      snprintf(want, sizeof(want), " # SKIP %s", w->message);
      cr_expect_str_eq(rest, want);
    } else if (o == O_ACCEPTED) {
      cr_expect(strncmp(rest, " # TODO accepted by baseline: ", 30) == 0, "%s",
                ln);
    } else if (o == O_UNSUPPORTED) {
      char want[300];
      snprintf(want, sizeof(want), " # SKIP unsupported: %s", w->message);
      cr_expect_str_eq(rest, want);
    } else if (o == O_BLOCKED) {
      char want[300];
      snprintf(want, sizeof(want), " # SKIP blocked by %s: %s", w->blocked_by,
               w->message);
      cr_expect_str_eq(rest, want);
    } else {
      cr_expect_str_eq(rest, "", "%s", ln);
    }
    points++;
  }
  cr_expect_not(in_yaml, "unterminated YAML block");
  cr_expect_eq(points, plan);
  cr_expect_eq(plan, NROWS);
  free(copy);
}

Test(tap, structure_and_mapping) {
  for (int strict = 0; strict <= 1; strict++) {
    struct sc_report r;
    size_t len;
    build(&r, strict);
    char *s = render_ok(sc_report_tap, &r, &len);
    tap_check(s, len, strict);
    /* a FAIL carries all its diagnostics */
    const char *p = strstr(s, "not ok 3 - error.getStatus.NO_ACTIVATION\n");
    cr_assert_not_null(p);
    const char *end = strstr(p, "\n  ...\n");
    cr_assert_not_null(end);
    static const char *const keys[] = {
        "\n  severity: fail\n",
        "\n  message: \"answered <script>",
        "\n  expected: \"NO_ACTIVATION\"\n",
        "\n  actual: \"<script>",
        "\n  doc: \"sms-activate-api.md\"\n",
        "\n  section: \"getStatus <errors>\"\n",
        "\n  curl: \"curl -sS 'http://",
        "\n    - method: \"POST\"\n",
        ("\n      body: \"<script>alert(1)</script>]]>--\\x00\\\\xff\\\\xfe"
         "\\\\xed\\\\xa0\\\\x80\\x1b[2J\\ufeff\\ufffe\\\\xc0\\\\xaf end\"\n"),
        "\n      body_binary: true\n",
        "\n      body_truncated: true\n",
        "\\x1b[31mred"};
    for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
      const char *at = strstr(p, keys[k]);
      cr_expect(at && at < end, "missing %s", keys[k]);
    }
    cr_expect(strstr(p, "\\u202eevil\\r\\nnext\\tline \\u009b\""));
    /* WARN: ok, but with its diagnostics */
    cr_expect(strstr(s, strict ? "not ok 2 - format.getNumberV2.id_as_string"
                                 "\n  ---\n  severity: warn\n"
                               : "ok 2 - format.getNumberV2.id_as_string\n"
                                 "  ---\n  severity: warn\n"));
    /* the cause, the status and the deviations in the YAML block */
    p = strstr(s, "not ok 20 - error.getBalance.BAD_KEY\n");
    cr_assert_not_null(p);
    end = strstr(p, "\n  ...\n");
    static const char *const more[] = {
        "\n  cause: \"wrong key answered with JSON_SHAPE\"\n"
        "  http_status: 401\n"
        "  deviations:\n"
        "    - code: \"JSON_SHAPE\"\n"
        "      verdict: FAIL\n"
        "      offset: 2\n"
        "      message: \"$.error: <script>alert(1)</script> ]]> <!-- -- --> "
        "\\\"q\\\" 'a' &amp; & \\x1b[31mred",
        "\n    - code: \"TRAILING_NEWLINE\"\n      verdict: WARN\n"
        "      offset: 30\n      message: \"a newline after the body\"\n"};
    for (size_t k = 0; k < sizeof more / sizeof *more; k++) {
      const char *at = strstr(p, more[k]);
      cr_expect(at && at < end, "missing %s", more[k]);
    }
    /* BLOCKED: a skip with what blocked it; unexplained: not ok */
    cr_expect(strstr(s, "ok 16 - lifecycle.getStatus.wait # SKIP blocked by "
                        "format.getBalance: the balance could not be read\n"
                        "  ---\n  severity: skip\n  verdict: BLOCKED\n"));
    cr_expect(strstr(s, "not ok 19 - lifecycle.setStatus.6\n  ---\n"
                        "  severity: error\n  verdict: BLOCKED\n"));
    cr_expect(strstr(s, "\n  blocked_by: \"format.getNumber\"\n"
                        "  unexplained: \"the check that owns the step is "
                        "not in this run\"\n"));
    cr_expect(strstr(s, "ok 14 - format.getRentNumber # SKIP unsupported: "
                        "the endpoint does not implement getRentNumber\n"
                        "  ---\n  severity: skip\n  verdict: UNSUPPORTED\n"
                        "  baseline: true\n  baseline_stale: true\n"));
    /* the findings open the file, the ledger closes it */
    cr_expect(strstr(s, "\n# findings by cause (14):\n"
                        "#   4 getBalance unusable: 1 FAIL, 3 BLOCKED, "
                        "blocked by format.getBalance, money.charge "
                        "(format.getBalance, lifecycle.getStatus.wait, "
                        "money.charge, \xe2\x80\xa6 and 1 more)\n"
                        "#   2 wrong key answered with JSON_SHAPE: 2 FAIL "
                        "(error.getBalance.BAD_KEY, error.getNumber.BAD_KEY)\n"),
              "%s", s);
    cr_expect(strstr(s, "\n#   1 format.getNumberV2.id_as_string: "
                        "activationId sent as a string (a variant vendors "
                        "send): 1 WARN\n"),
              "%s", s);
    cr_expect(strstr(s, "\n# scope: the endpoint does not implement "
                        "getRentNumber, get<b>Mail\\\\x1b[0m\n"));
    cr_expect(strstr(s, "\n# ledger: " LEDGER_LINE "\n# purchase 123456: "));
    cr_expect(strstr(s, "\n# purchase 777: getRentNumber tg/0, bought by "
                        "lifecycle.rent, 2.25, left-active\n"));
    free(s);
    sc_report_free(&r);
  }
}

Test(tap, empty_plan) {
  struct sc_report r = {0};
  size_t len;
  char *s = render_ok(sc_report_tap, &r, &len);
  cr_expect(strncmp(s, "TAP version 14\n1..0 # SKIP", 26) == 0, "%s", s);
  free(s);
}

/* -------------------------------------------------------------- JSON */

static void expect_jstr(const cJSON *o, const char *key, const char *want,
                        const char *id) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  cr_assert_not_null(v, "%s: no \"%s\"", id, key);
  if (!want) {
    cr_expect(cJSON_IsNull(v), "%s: \"%s\" should be null", id, key);
    return;
  }
  cr_assert(cJSON_IsString(v), "%s: \"%s\" not a string", id, key);
  cr_expect_str_eq(v->valuestring, want, "%s: \"%s\"", id, key);
}

static double jnum(const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  cr_assert(cJSON_IsNumber(v), "\"%s\" not a number", key);
  return v->valuedouble;
}

/* |key|'s number in |o|, 0 when it is not there. */
static double jnum0(const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

static int jbool(const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  cr_assert(cJSON_IsBool(v), "\"%s\" not a bool", key);
  return cJSON_IsTrue(v);
}

static unsigned char *unbase64(const char *s, size_t *n) {
  static const char a[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  size_t len = strlen(s);
  unsigned char *out = malloc(len / 4 * 3 + 1);
  size_t k = 0;
  cr_assert_eq(len % 4, 0);
  for (size_t i = 0; i < len; i += 4) {
    unsigned long v = 0;
    int pad = 0;
    for (int j = 0; j < 4; j++) {
      const char *c = strchr(a, s[i + j]);
      if (s[i + j] == '=') {
        pad++;
        v <<= 6;
        continue;
      }
      cr_assert(c && s[i + j], "bad base64");
      v = v << 6 | (unsigned long)(c - a);
    }
    out[k++] = (unsigned char)(v >> 16);
    if (pad < 2)
      out[k++] = (unsigned char)(v >> 8);
    if (pad < 1)
      out[k++] = (unsigned char)v;
  }
  *n = k;
  return out;
}

Test(json, strict_and_round_trips) {
  struct sc_report r;
  size_t len;
  struct sc_json_error je;
  build(&r, 1);
  char *s = render_ok(sc_report_json, &r, &len);
  cr_assert_eq(sc_json_validate(s, len, &je), SC_JSON_ERR_OK, "%s at %zu",
               sc_json_strerror(je.code), je.offset);
  expect_clean_text(s, len, 0, "json");

  cJSON *root = cJSON_ParseWithLength(s, len);
  cr_assert_not_null(root);
  expect_jstr(root, "schema", SC_REPORT_SCHEMA, "report");
  expect_jstr(root, "tool", r.tool, "report");
  expect_jstr(root, "target", r.target, "report");
  expect_jstr(root, "profile", r.profile, "report");
  expect_jstr(root, "started", r.started, "report");
  expect_jstr(root, "verdict", "ERROR", "report");
  cr_expect_float_eq(jnum(root, "seconds"), 12.5, 1e-9);
  cr_expect_eq(jnum(root, "requests"), 42);
  cr_expect(jbool(root, "strict"));
  const cJSON *counts = cJSON_GetObjectItemCaseSensitive(root, "counts");
  for (int v = 0; v < SC_VERDICT__COUNT; v++)
    cr_expect_eq(jnum(counts, sc_verdict_name((enum sc_verdict)v)), r.counts[v],
                 "count %d", v);
  const cJSON *oc = cJSON_GetObjectItemCaseSensitive(root, "outcomes");
  cr_expect_eq(jnum(oc, "ACCEPTED"), count_oc(O_ACCEPTED, 1));
  cr_expect_eq(jnum(oc, "FAIL"), count_oc(O_FAIL, 1));

  const cJSON *res = cJSON_GetObjectItemCaseSensitive(root, "results");
  cr_assert_eq(cJSON_GetArraySize(res), NROWS);
  for (size_t i = 0; i < NROWS; i++) {
    const struct sc_check_result *c = &r.results[i];
    const cJSON *j = cJSON_GetArrayItem(res, (int)i);
    const char *id = c->id ? c->id : "(no id)";
    expect_jstr(j, "id", c->id, id);
    expect_jstr(j, "category", sc_cat_name(c->cat), id);
    expect_jstr(j, "action", c->action, id);
    expect_jstr(j, "requirement", c->requirement, id);
    expect_jstr(j, "doc", c->doc, id);
    expect_jstr(j, "section", c->section, id);
    expect_jstr(j, "verdict",
                rows[i].verdict < SC_VERDICT__COUNT
                    ? sc_verdict_name(c->verdict)
                    : "ERROR",
                id);
    expect_jstr(j, "message", c->message, id);
    expect_jstr(j, "expected", c->expected, id);
    expect_jstr(j, "actual", c->actual, id);
    expect_jstr(j, "curl", c->curl, id);
    cr_expect_eq(jbool(j, "baseline"), c->baseline, "%s", id);
    cr_expect_float_eq(jnum(j, "ms"), c->ms, 1e-6, "%s", id);
    expect_jstr(j, "cause", c->cause, id);
    expect_jstr(j, "blocked_by", c->blocked_by, id);
    cr_expect_eq(jnum(j, "http_status"), c->http_status, "%s", id);
    static const char *const ocs[] = {"PASS",    "SKIP",    "UNSUPPORTED",
                                      "BLOCKED", "WARN",    "FAIL",
                                      "ERROR",   "ACCEPTED"};
    expect_jstr(j, "outcome", ocs[expected_oc(&rows[i], 1)], id);
    const cJSON *devs = cJSON_GetObjectItemCaseSensitive(j, "deviations");
    cr_assert(cJSON_IsArray(devs), "%s", id);
    cr_assert_eq((size_t)cJSON_GetArraySize(devs), c->ndevs, "%s", id);
    for (size_t k = 0; k < c->ndevs; k++) {
      const cJSON *d = cJSON_GetArrayItem(devs, (int)k);
      expect_jstr(d, "code", c->devs[k].code, id);
      expect_jstr(d, "verdict", sc_verdict_name(c->devs[k].verdict), id);
      cr_expect_eq(jnum(d, "offset"), c->devs[k].offset);
      expect_jstr(d, "message", c->devs[k].message, id);
    }
    /* tags: the words again */
    const cJSON *tags = cJSON_GetObjectItemCaseSensitive(j, "tags");
    cr_assert(cJSON_IsArray(tags));
    char joined[200] = "";
    const cJSON *t;
    cJSON_ArrayForEach(t, tags) {
      if (joined[0])
        strcat(joined, " ");
      strcat(joined, t->valuestring);
    }
    cr_expect_str_eq(joined, c->tags ? c->tags : "", "%s", id);

    const cJSON *ex = cJSON_GetObjectItemCaseSensitive(j, "exchanges");
    cr_assert_eq((size_t)cJSON_GetArraySize(ex), c->nex, "%s", id);
    for (size_t k = 0; k < c->nex; k++) {
      const struct sc_exchange *e = &c->ex[k];
      const cJSON *je2 = cJSON_GetArrayItem(ex, (int)k);
      expect_jstr(je2, "method", e->method, id);
      expect_jstr(je2, "url", e->url, id);
      expect_jstr(je2, "request_body", e->request_body, id);
      expect_jstr(je2, "content_type", e->content_type, id);
      expect_jstr(je2, "transport_error", e->transport_error, id);
      cr_expect_eq(jnum(je2, "status"), e->status);
      cr_expect_eq(jnum(je2, "body_len"), e->body_len);
      cr_expect_eq(jbool(je2, "body_truncated"), e->body_truncated);
      cr_expect_float_eq(jnum(je2, "ms"), e->ms, 1e-6);
      const cJSON *enc = cJSON_GetObjectItemCaseSensitive(je2, "body_encoding");
      const cJSON *body = cJSON_GetObjectItemCaseSensitive(je2, "body");
      if (!e->body) {
        cr_expect(cJSON_IsNull(body));
        continue;
      }
      cr_assert(cJSON_IsString(enc) && cJSON_IsString(body));
      if (strcmp(enc->valuestring, "base64") == 0) {
        size_t n;
        unsigned char *bytes = unbase64(body->valuestring, &n);
        cr_expect_eq(n, e->body_len);
        cr_expect_eq(memcmp(bytes, e->body, n), 0, "%s: body bytes", id);
        free(bytes);
        cr_expect_neq(sc_utf8_check(e->body, e->body_len), (size_t)-1);
      } else {
        cr_expect_str_eq(enc->valuestring, "utf-8");
        cr_expect_str_eq(body->valuestring, e->body);
      }
    }
  }
  /* the unexplained BLOCKED says why */
  const cJSON *orphan = cJSON_GetArrayItem(res, 18);
  expect_jstr(orphan, "id", "lifecycle.setStatus.6", "orphan");
  expect_jstr(orphan, "unexplained",
              "the check that owns the step is not in this run", "orphan");
  cr_expect(jbool(cJSON_GetArrayItem(res, 13), "baseline_stale"));

  /* the findings by cause: largest first, then in run order */
  const cJSON *causes = cJSON_GetObjectItemCaseSensitive(root, "causes");
  cr_assert_eq(cJSON_GetArraySize(causes), 14);
  const cJSON *g0 = cJSON_GetArrayItem(causes, 0);
  expect_jstr(g0, "cause", "getBalance unusable", "causes");
  cr_expect_not(jbool(g0, "by_id"));
  cr_expect_eq(jnum(g0, "count"), 4);
  const cJSON *gv = cJSON_GetObjectItemCaseSensitive(g0, "verdicts");
  cr_expect_eq(cJSON_GetArraySize(gv), 2);
  cr_expect_eq(jnum(gv, "FAIL"), 1);
  cr_expect_eq(jnum(gv, "BLOCKED"), 3);
  const cJSON *gb = cJSON_GetObjectItemCaseSensitive(g0, "blocked_by");
  cr_assert_eq(cJSON_GetArraySize(gb), 2);
  cr_expect_str_eq(cJSON_GetArrayItem(gb, 0)->valuestring, "format.getBalance");
  cr_expect_str_eq(cJSON_GetArrayItem(gb, 1)->valuestring, "money.charge");
  const cJSON *gc = cJSON_GetObjectItemCaseSensitive(g0, "checks");
  cr_assert_eq(cJSON_GetArraySize(gc), 4);
  cr_expect_str_eq(cJSON_GetArrayItem(gc, 3)->valuestring, "money.refund-once");
  const cJSON *g1 = cJSON_GetArrayItem(causes, 1);
  expect_jstr(g1, "cause", "wrong key answered with JSON_SHAPE", "causes");
  cr_expect_eq(jnum(g1, "count"), 2);
  /* what only warns comes after what fails */
  const cJSON *g2 = NULL, *gi;
  int seen_warn = 0;
  cJSON_ArrayForEach(gi, causes) {
    const cJSON *vs = cJSON_GetObjectItemCaseSensitive(gi, "verdicts");
    int fails = jnum0(vs, "FAIL") + jnum0(vs, "ERROR") > jnum0(gi, "accepted");
    cr_expect(!(fails && seen_warn), "a failing group after a warning one");
    if (!fails && jnum0(vs, "WARN"))
      seen_warn = 1;
    const cJSON *cause = cJSON_GetObjectItemCaseSensitive(gi, "cause");
    if (cJSON_IsString(cause) &&
        !strcmp(cause->valuestring, "format.getNumberV2.id_as_string"))
      g2 = gi;
  }
  cr_assert_not_null(g2);
  cr_expect(jbool(g2, "by_id"));
  size_t accepted = 0;
  cJSON_ArrayForEach(gi, causes) accepted += (size_t)jnum0(gi, "accepted");
  cr_expect_eq(accepted, 1u);
  size_t grouped = 0;
  const cJSON *g;
  cJSON_ArrayForEach(g, causes) grouped += (size_t)jnum(g, "count");
  cr_expect_eq(grouped, NROWS - r.counts[SC_VERDICT_PASS], "every finding");

  /* the scope and the ledger */
  const cJSON *sc = cJSON_GetObjectItemCaseSensitive(
      cJSON_GetObjectItemCaseSensitive(root, "scope"), "unsupported");
  cr_assert_eq(cJSON_GetArraySize(sc), 2);
  cr_expect_str_eq(cJSON_GetArrayItem(sc, 1)->valuestring, "get<b>Mail\x1b[0m");
  static const char *const states[] = {"released", "used", "left-active",
                                       "left-active", "left-active"};
  const cJSON *spend = cJSON_GetObjectItemCaseSensitive(root, "spend");
  cr_assert_eq(cJSON_GetArraySize(spend), 5);
  for (size_t i = 0; i < 5; i++) {
    const cJSON *j = cJSON_GetArrayItem(spend, (int)i);
    expect_jstr(j, "what", r.spend[i].what, "spend");
    expect_jstr(j, "id", r.spend[i].id, "spend");
    expect_jstr(j, "check", r.spend[i].check, "spend");
    expect_jstr(j, "note", r.spend[i].note, "spend");
    expect_jstr(j, "state", states[i], "spend");
    cr_expect_eq(jbool(j, "cost_known"), r.spend[i].cost_known);
    if (r.spend[i].cost_known)
      cr_expect_float_eq(jnum(j, "cost"), r.spend[i].cost, 1e-12);
    else
      cr_expect(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(j, "cost")));
    cr_expect_eq(jbool(j, "refunded"), i == 0);
  }
  cr_expect_float_eq(jnum(root, "spend_total"), 4.28, 1e-12);
  cr_expect_float_eq(jnum(root, "spend_net"), 4.0, 1e-12);
  const cJSON *led = cJSON_GetObjectItemCaseSensitive(root, "ledger");
  cr_expect_float_eq(jnum(led, "spent"), 4.28, 1e-12);
  cr_expect_float_eq(jnum(led, "refunded"), 0.28, 1e-12);
  cr_expect_eq(jnum(led, "unknown_cost"), 1);
  cr_expect_float_eq(jnum(led, "max_spend"), 5, 1e-12);
  const cJSON *sts = cJSON_GetObjectItemCaseSensitive(led, "states");
  cr_expect_eq(jnum(sts, "released"), 1);
  cr_expect_eq(jnum(sts, "used"), 1);
  cr_expect_eq(jnum(sts, "left-active"), 3);
  const cJSON *la = cJSON_GetObjectItemCaseSensitive(led, "left_active");
  cr_expect_eq(jnum(la, "count"), 3);
  cr_expect_float_eq(jnum(la, "cost"), 2.5, 1e-12);
  const cJSON *ids = cJSON_GetObjectItemCaseSensitive(la, "ids");
  cr_assert_eq(cJSON_GetArraySize(ids), 3);
  cr_expect_str_eq(cJSON_GetArrayItem(ids, 2)->valuestring, "777");
  cJSON_Delete(root);
  free(s);
  sc_report_free(&r);
}

Test(json, invalid_utf8_in_fields_stays_valid_json) {
  struct sc_report r = {0};
  struct sc_json_error je;
  size_t len;
  r.target = dup("http://x/\xff\xfe\xed\xa0\x80");
  r.seconds = 1.0 / 0.0; /* inf: no JSON number for it */
  char *s = render_ok(sc_report_json, &r, &len);
  cr_expect_eq(sc_json_validate(s, len, &je), SC_JSON_ERR_OK, "%s", s);
  cr_expect(strstr(s, "\"target\": \"http://x/\\ufffd\\ufffd"), "%s", s);
  cr_expect(strstr(s, "\"seconds\": 0.000"), "%s", s);
  /* no ceiling: null, not the 0 of a zeroed report */
  r.max_spend = -1;
  free(s);
  s = render_ok(sc_report_json, &r, &len);
  cr_expect(strstr(s, "\"max_spend\": null"), "%s", s);
  free(s);
  sc_report_free(&r);
}

/* ---------------------------------------------------------- Markdown */

/* Cells in a table row: pipes that are not backslash-escaped, minus one. */
static size_t md_cells(const char *ln) {
  size_t pipes = 0;
  for (const char *p = ln; *p; p++) {
    if (*p == '\\' && p[1]) {
      p++;
      continue;
    }
    pipes += *p == '|';
  }
  return pipes ? pipes - 1 : 0;
}

Test(markdown, tables_and_escaping) {
  for (int strict = 0; strict <= 1; strict++) {
    struct sc_report r;
    size_t len;
    build(&r, strict);
    char *s = render_ok(sc_report_markdown, &r, &len);
    expect_clean_text(s, len, 0, "markdown");
    static const char title[] = "## smsconform: ERROR \xe2\x80\x94 http://"
                                "127.0.0.1:8080/stubs/handler\\_api.php?a="
                                "&lt;b&gt;\\|\\`x\\` (profile sms-activate)\n";
    cr_expect(strncmp(s, title, strlen(title)) == 0, "%.120s", s);
    char *copy = strdup(s), *save = copy;
    size_t header_cells = 0, row_in_table = 0, tables = 0;
    int in_fence = 0;
    for (char *ln; (ln = next_line(&save)) != NULL;) {
      if (strncmp(ln, "```", 3) == 0) {
        in_fence = !in_fence;
        continue;
      }
      if (in_fence)
        continue;
      cr_expect_lt(strlen(ln), 8000, "an uncapped line");
      /* the only markup: our own few tags */
      for (const char *p = strchr(ln, '<'); p; p = strchr(p + 1, '<'))
        cr_expect(strncmp(p, "<br>", 4) == 0 ||
                      strncmp(p, "<details>", 9) == 0 ||
                      strncmp(p, "</details>", 10) == 0 ||
                      strncmp(p, "<summary>", 9) == 0 ||
                      strncmp(p, "</summary>", 10) == 0,
                  "raw markup: %.40s", p);
      if (ln[0] != '|') {
        row_in_table = 0;
        continue;
      }
      if (row_in_table == 0) {
        header_cells = md_cells(ln);
        tables++;
      } else {
        cr_expect_eq(md_cells(ln), header_cells, "row of %zu cells: %.200s",
                     header_cells, ln);
      }
      if (row_in_table == 1)
        cr_expect_eq(strspn(ln, "|-: "), strlen(ln), "separator: %s", ln);
      row_in_table++;
    }
    cr_expect_not(in_fence, "unclosed fence");
    /* causes, counts, failures, warnings (not when strict), accepted,
     * blocked, unsupported, skipped, ledger */
    cr_expect_eq(tables, strict ? 8 : 9);
    /* the report opens with the findings by cause */
    const char *causes = strstr(s, "\n### Findings by cause\n\n"
                                   "| checks | cause | verdicts | blocked by "
                                   "| first checks |\n|---:|---|---|---|---|\n"
                                   "| 4 | getBalance unusable | 1 FAIL, 3 "
                                   "BLOCKED | format.getBalance, money.charge "
                                   "| format.getBalance, lifecycle.getStatus."
                                   "wait, money.charge, money.refund-once |\n"
                                   "| 2 | wrong key answered with JSON\\_SHAPE "
                                   "| 2 FAIL |  | error.getBalance.BAD\\_KEY, "
                                   "error.getNumber.BAD\\_KEY |\n");
    cr_assert_not_null(causes, "%s", s);
    cr_expect(strstr(s, "| 1 | activationId sent as a string (a "
                        "variant vendors send) | 1 WARN |  | "
                        "format.getNumberV2.id\\_as\\_string |\n"));
    cr_expect_lt(causes, strstr(s, "| category |"));
    cr_expect(strstr(s, "| 1 | runner bug | 1 ERROR |  | (no id) |\n"));
    cr_expect(strstr(s, "| 1 | (no message) | 1 FAIL |  | "
                        "webhook.null\\_fields |\n"));
    cr_expect(strstr(s, "\n**Scope**: the endpoint does not implement "
                        "getRentNumber, get&lt;b&gt;Mail\\\\x1b\\[0m (their "
                        "checks are UNSUPPORTED).\n"),
              "%s", s);
    /* each result's detail: cause, blocked by, status, deviations */
    cr_expect(strstr(s,
                     "| error.getBalance.BAD\\_KEY | FAIL | expected "
                     "BAD\\_KEY, got not\\_protocol | BAD\\_KEY | "
                     "{\"error\":\"Invalid API key\"} | cause: wrong key "
                     "answered with JSON\\_SHAPE<br>HTTP 401<br>"
                     "JSON\\_SHAPE FAIL at byte 2: \\$.error: &lt;script&gt;"),
              "%s", s);
    cr_expect(strstr(s, "<br>TRAILING\\_NEWLINE WARN at byte 30: a newline "
                        "after the body | sms-activate-api.md \xc2\xa7 "
                        "Errors |\n"));
    cr_expect(strstr(s, "| lifecycle.setStatus.6 | BLOCKED | the purchase "
                        "failed |  |  | cause: getNumber unusable<br>blocked "
                        "by format.getNumber (the check that owns the step is "
                        "not in this run) |  |\n"),
              "%s", s);
    if (!strict)
      cr_expect(strstr(s, "<details><summary>Blocked (3)</summary>\n\n"
                          "| check | blocked by | reason | detail |\n"
                          "|---|---|---|---|\n| lifecycle.getStatus.wait | "
                          "format.getBalance | the balance could not be read "
                          "| cause: getBalance unusable<br>blocked by "
                          "format.getBalance |\n"),
                "%s", s);
    cr_expect(strstr(s, "<details><summary>Unsupported (1)</summary>\n\n"
                        "| check | reason | detail |\n|---|---|---|\n"
                        "| format.getRentNumber | the endpoint does not "
                        "implement getRentNumber | cause: getRentNumber not "
                        "implemented<br>HTTP 404 |\n"));
    cr_expect(strstr(s, "\n### Baseline entries that no longer fail (2)\n\n"
                        "They can be removed from the baseline:\n\n"
                        "- isolation.getStatus.other\\_key (now PASS)\n"
                        "- format.getRentNumber (now UNSUPPORTED)\n"));
    /* the ledger */
    cr_expect(strstr(s, "\n### Ledger\n\n| what | id | bought by | cost | "
                        "state | note |\n|---|---|---|---:|---|---|\n"
                        "| getNumber tg/0 &lt;b&gt; | 123456 | "
                        "format.getNumber | 0.28 | released |  |\n"));
    cr_expect(strstr(s, "| getNumberV2 tg/0 | 123459 |  | price unknown | "
                        "left-active |  |\n"));
    cr_expect(strstr(s, "\n**Total**: " LEDGER_LINE ".\n"), "%s", s);
    free(copy);
    cr_expect(strstr(s, "| error.getStatus.NO\\_ACTIVATION | FAIL | answered "
                        "&lt;script&gt;alert(1)&lt;/script&gt; \\]\\]&gt; "
                        "&lt;!-- -- --&gt; \"q\" 'a' &amp;amp; &amp; "
                        "\\\\x1b\\[31mred\\\\x1b\\[0m \\| \\* \\_ \\` "
                        "\\[x\\](y) # \\\\ \\@all \\$x\\$ \\\\u202eevil"
                        "\\\\x0d<br>next line \\\\u009b instead<br>of "
                        "NO\\_ACTIVATION |"),
              "hostile cell");
    cr_expect(strstr(s, "<details><summary>Skipped (1)</summary>\n\n| check "
                        "| reason |\n|---|---|\n| lifecycle.setStatus.early"
                        "\\_cancel\\_denied | needs a control endpoint "
                        "(--control) |\n\n</details>"));
    /* long cells are cut: "long long … |" and "Ж\|Ж\|…" */
    const char *lrow = strstr(s, "\n| robustness.getStatus.long\\_id | FAIL "
                                 "| long long ");
    cr_assert_not_null(lrow);
    const char *lend = strchr(lrow + 1, '\n');
    cr_expect_lt(lend - lrow, 1200, "long row not capped");
    cr_expect_eq(count_str(lrow, "\xe2\x80\xa6 |") -
                     count_str(lend, "\xe2\x80\xa6 |"),
                 2, "two cells cut");
    /* a fence longer than any backtick run in the curl lines, and only
     * checks with a curl line */
    const char *rep = strstr(s, "<summary>Reproduce the failures</summary>"
                                "\n\n`````\n# ");
    cr_assert_not_null(rep);
    cr_expect(strstr(rep, "\n# error.getNumber.BAD_SERVICE\ncurl -sS "
                          "'http://h/x?service=```tg````' # ```\n"
                          "# format.getBalance\ncurl -sS 'http://127.0.0.1:"
                          "8080/stubs/handler_api.php?api_key=$SMSCONFORM_KEY"
                          "&action=getBalance'\n`````\n\n</details>\n"));
    cr_expect_null(strstr(rep, "webhook.null_fields"));
    free(s);
    sc_report_free(&r);
  }
}

/* -------------------------------------------------------------- HTML */

/* The body in "actual" is a code span: quotes and backslashes as they
 * are (the runner wrote them \x22 and \x5c), a control byte as \xNN, a
 * backtick inside under a longer fence, a pipe escaped for the table. */
Test(markdown, actual_body_is_a_code_span_with_quotes_kept) {
  struct sc_report r;
  size_t len;
  memset(&r, 0, sizeof r);
  r.nresults = 1;
  r.results = sc_calloc(1, sizeof *r.results);
  cr_assert_not_null(r.results);
  r.results[0].id = dup("format.getStatus");
  r.results[0].verdict = SC_VERDICT_FAIL;
  r.results[0].expected = dup("STATUS_OK");
  r.results[0].actual =
      dup("HTTP 200 \"{\\x22a\\x22:`x`,\\x5c\\x1b[2J|\\xff}\"... (300 bytes)");
  char *s = render_ok(sc_report_markdown, &r, &len);
  const char *want = "HTTP 200 ``{\"a\":`x`,\\\\x1b[2J\\|\\xff}``... (300 "
                     "bytes)";
  cr_expect(strstr(s, want) != NULL, "want %s in %s", want, s);
  cr_expect_null(strstr(s, "x22"), "%s", s);
  free(s);
  sc_report_free(&r);
}

Test(html, sha256_known_answer) {
  char s[CSP_HASH_LEN];
  csp_hash("abc", 3, s);
  cr_expect_str_eq(s, "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
}

/* The HTML text of |s|: what out_esc(ESC_HTML) makes of a plain id. */
static void html_text(const char *s, char *out, size_t cap) {
  size_t k = 0;
  for (; *s && k + 7 < cap; s++) {
    const char *e = *s == '&'   ? "&amp;"
                    : *s == '<' ? "&lt;"
                    : *s == '>' ? "&gt;"
                                : NULL;
    if (e) {
      strcpy(out + k, e);
      k += strlen(e);
    } else {
      out[k++] = *s;
    }
  }
  out[k] = '\0';
}

Test(html, escaped_rows_and_csp) {
  struct sc_report r;
  size_t len;
  build(&r, 0);
  char *s = render_ok(sc_report_html, &r, &len);
  expect_clean_text(s, len, 1, "html");

  /* nothing from an endpoint is markup */
  cr_expect_null(strstr(s, "<script>alert"));
  cr_expect_null(strstr(s, "</script> "));
  cr_expect_null(strstr(s, "<!--"));
  cr_expect_null(strstr(s, "<b>"));
  cr_expect_eq(count_str(s, "<script"), 1, "only our own script");
  cr_expect(strstr(s, "&lt;script&gt;alert(1)&lt;/script&gt;]]&gt;--"
                      "\\x00\\xff\\xfe\\xed\\xa0\\x80\\x1b[2J\\ufeff\\ufffe"));
  cr_expect(strstr(s, "&lt;script&gt;alert(1)&lt;/script&gt; ]]&gt; &lt;!-- "
                      "-- --&gt; &quot;q&quot; &#39;a&#39; &amp;amp; &amp; "
                      "\\x1b[31mred"));

  /* tags balanced */
  static const char *const pairs[][2] = {{"<tbody", "</tbody>"},
                                         {"<tr", "</tr>"},
                                         {"<td", "</td>"},
                                         {"<pre>", "</pre>"},
                                         {"<details>", "</details>"},
                                         {"<dl>", "</dl>"},
                                         {"<div", "</div>"},
                                         {"<table", "</table>"},
                                         {"<select", "</select>"},
                                         {"<ol>", "</ol>"},
                                         {"<li>", "</li>"},
                                         {"<h2>", "</h2>"}};
  for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
    cr_expect_eq(count_str(s, pairs[i][0]), count_str(s, pairs[i][1]), "%s",
                 pairs[i][0]);
  cr_expect_eq(count_str(s, "<tbody class=\"check\""), NROWS);

  /* the report opens with the findings by cause, before the counts, the
   * ledger and the checks */
  const char *causes = strstr(s, "<h2>Findings by cause</h2>\n<table class="
                                 "\"causes\">\n<tr><th class=\"num\">checks"
                                 "</th><th>cause</th><th>verdicts</th><th>"
                                 "blocked by</th><th>first checks</th></tr>\n"
                                 "<tr><td class=\"num\">4</td><td>getBalance "
                                 "unusable</td><td>1 FAIL, 3 BLOCKED</td><td>"
                                 "format.getBalance, money.charge</td><td>"
                                 "format.getBalance, lifecycle.getStatus.wait, "
                                 "money.charge, money.refund-once</td></tr>\n"
                                 "<tr><td class=\"num\">2</td><td>wrong key "
                                 "answered with JSON_SHAPE</td><td>2 FAIL</td>"
                                 "<td></td><td>error.getBalance.BAD_KEY, "
                                 "error.getNumber.BAD_KEY</td></tr>\n");
  cr_assert_not_null(causes);
  const char *counts = strstr(s, "<table class=\"counts\">");
  const char *ledger = strstr(s, "<h2>Ledger</h2>");
  const char *checks = strstr(s, "<table id=\"checks\">");
  cr_assert(counts && ledger && checks);
  cr_expect(causes < counts && counts < ledger && ledger < checks);
  cr_expect(strstr(s, "<dt>scope</dt><dd>the endpoint does not implement "
                      "getRentNumber, get&lt;b&gt;Mail\\x1b[0m (their checks "
                      "are UNSUPPORTED)</dd>"));
  cr_expect(strstr(s, "<th class=\"num\">UNSUPPORTED</th><th class=\"num\">"
                      "BLOCKED</th><th class=\"num\">ACCEPTED</th></tr>"));
  cr_expect(strstr(ledger, "<tr><td>getNumber tg/0</td><td>123458</td><td>"
                           "error.getNumber.BAD_KEY</td><td class=\"num\">"
                           "0.25</td><td class=\"v v-FAIL\">left-active</td>"
                           "<td>cancel refused: EARLY_CANCEL_DENIED "
                           "\\x1b[2J</td></tr>\n"));
  cr_expect(
      strstr(ledger, "<p class=\"ledger\">Total: " LEDGER_LINE ".</p>\n"));
  /* each result's detail */
  cr_expect(strstr(s, "<tbody class=\"check\" id=\"c19\" data-cat="
                      "\"lifecycle\" data-verdict=\"ERROR\">\n<tr class="
                      "\"sum\"><td class=\"v v-ERROR\">ERROR (BLOCKED, "
                      "unexplained)</td>"));
  cr_expect(strstr(s, "<dt>verdict</dt><dd>BLOCKED</dd>\n<dt>cause</dt><dd>"
                      "getNumber unusable</dd>\n<dt>blocked by</dt><dd>"
                      "format.getNumber (the check that owns the step is "
                      "not in this run)</dd>\n"));
  cr_expect(strstr(s, "data-verdict=\"BLOCKED\""));
  cr_expect(strstr(s, "data-verdict=\"UNSUPPORTED\""));
  cr_expect(strstr(s, "<option>UNSUPPORTED</option><option>BLOCKED</option>"));
  cr_expect(strstr(s, "<dt>cause</dt><dd>wrong key answered with JSON_SHAPE"
                      "</dd>\n<dt>HTTP status</dt><dd>401</dd>\n<dt>"
                      "deviations</dt><dd><ol><li>JSON_SHAPE FAIL at byte 2: "
                      "$.error: &lt;script&gt;alert(1)&lt;/script&gt; ]]&gt; "
                      "&lt;!-- -- --&gt; &quot;q&quot;"));
  cr_expect(strstr(s, "<li>TRAILING_NEWLINE WARN at byte 30: a newline after "
                      "the body</li></ol></dd>\n"));
  cr_expect_null(strstr(s, "<dt>HTTP status</dt><dd>200</dd>"));
  cr_expect(strstr(s, "<dt>baseline</dt><dd>in the baseline, but does not "
                      "fail now: the entry can go</dd>"));

  /* each id once in the checks, in its own row */
  for (size_t i = 0; i < NROWS; i++) {
    char open[64], cell[300], esc[256];
    snprintf(open, sizeof(open), "<tbody class=\"check\" id=\"c%zu\"", i + 1);
    const char *row = strstr(s, open);
    cr_assert_not_null(row, "%s", open);
    const char *end = strstr(row, "</tr>");
    cr_assert_not_null(end);
    html_text(rows[i].id ? rows[i].id : "", esc, sizeof(esc));
    snprintf(cell, sizeof(cell), "<td class=\"id\">%s</td>", esc);
    const char *at = strstr(row, cell);
    cr_expect(at && at < end, "%s not in its row", esc);
    if (rows[i].id) {
      snprintf(cell, sizeof(cell), "<td class=\"id\">%s</td>", esc);
      cr_expect_eq(count_str(s, cell), 1, "%s", esc);
    }
    char attrs[128];
    snprintf(attrs, sizeof(attrs), "data-cat=\"%s\"",
             sc_cat_name((enum sc_cat)rows[i].cat));
    cr_expect(strstr(row, attrs) && strstr(row, attrs) < end, "%s", attrs);
  }

  /* the CSP allows exactly the inline script */
  char want[80];
  cr_assert_eq(csp_script_src(s, want, sizeof(want)), 0, "no inline script");
  cr_expect(strstr(s, want), "CSP differs from the script's %s", want);
  cr_expect(strstr(s, "default-src 'none'"));
  cr_expect_null(strstr(s, "http-equiv=\"refresh\""));
  cr_expect_null(strstr(s, " src="), "external asset");
  cr_expect_null(strstr(s, " href="), "external asset");
  free(s);
  sc_report_free(&r);
}

/* ----------------------------------------------------------- console */

Test(console, causes_failures_table_and_ledger) {
  struct sc_report r;
  size_t len;
  build(&r, 0);
  char *s = render_ok(console, &r, &len);
  expect_clean_text(s, len, 1, "console");
  cr_expect_null(strchr(s, '\x1b'), "no colour without a terminal");
  /* the findings by cause first: what fails, largest first; what only
   * warns after it */
  static const char head[] =
      "\nFindings by cause (18 checks, 14 causes):\n"
      "      4  getBalance unusable\n"
      "         1 FAIL, 3 BLOCKED, blocked by format.getBalance, money.charge: "
      "format.getBalance, lifecycle.getStatus.wait, money.charge, "
      "\xe2\x80\xa6 and 1 more\n"
      "      2  wrong key answered with JSON_SHAPE\n"
      "         2 FAIL: error.getBalance.BAD_KEY, error.getNumber.BAD_KEY\n"
      "      1  ";
  cr_expect(strncmp(s, head, strlen(head)) == 0, "%s", s);
  const char *warned = strstr(s, "      1  format.getNumberV2.id_as_string: "
                                 "activationId sent as a string (a variant "
                                 "vendors send)\n         1 WARN\n");
  const char *failed = strstr(s, "\n         1 FAIL\n");
  cr_expect(!warned || (failed && failed < warned),
            "a group that only warns comes after those that fail: %s", s);
  cr_expect(strstr(s, "\n  \xe2\x80\xa6 and 2 more causes of 2 checks (the "
                      "reports list them all)\n\nFailures:\n"));
  /* every failure with its detail; the unexplained BLOCKED among them */
  cr_expect(strstr(s, "\n  FAIL  error.getBalance.BAD_KEY\n"
                      "        expected BAD_KEY, got not_protocol\n"
                      "        cause: wrong key answered with JSON_SHAPE\n"
                      "        HTTP status: 401\n"
                      "        deviation: JSON_SHAPE FAIL at byte 2: $.error: "
                      "<script>alert(1)</script> ]]> <!-- -- --> \"q\" 'a' "
                      "&amp; & \\x1b[31mred\\x1b[0m | * _ ` [x](y) # \\ "
                      "@all $x$ \\u202eevil\\x0d\\x0anext\tline \\u009b\n"
                      "        deviation: TRAILING_NEWLINE WARN at byte 30: a "
                      "newline after the body\n"
                      "        source: sms-activate-api.md \xc2\xa7 Errors\n"),
            "%s", s);
  cr_expect(strstr(s, "\n  BLOCKED lifecycle.setStatus.6\n"
                      "        the purchase failed\n"
                      "        cause: getNumber unusable\n"
                      "        blocked by: format.getNumber (the check that "
                      "owns the step is not in this run)\n"));
  cr_expect_null(strstr(s, "  BLOCKED lifecycle.getStatus.wait"),
                 "an explained BLOCKED is not a failure");
  cr_expect_null(strstr(s, "  UNSUPPORTED "));
  /* the table with the seven verdicts, the baseline, scope, ledger, and the
   * last line */
  static const char tail[] =
      "\nCATEGORY     PASS  WARN  FAIL  SKIP ERROR UNSUPPORTED BLOCKED\n"
      "format          1     1     1     0     0           1       0\n"
      "error           0     0     4     0     0           0       0\n"
      "lifecycle       0     0     0     1     0           0       2\n"
      "money           0     0     1     0     0           0       2\n"
      "isolation       1     0     0     0     0           0       0\n"
      "robustness      0     0     1     0     0           0       0\n"
      "transport       0     0     0     0     1           0       0\n"
      "rest            0     1     0     0     0           0       0\n"
      "webhook         1     0     1     0     0           0       0\n"
      "unknown         0     0     0     0     1           0       0\n"
      "total           3     2     8     1     2           1       4\n"
      "baseline    1 known failures accepted (reported, not failing)\n"
      "baseline    2 entries no longer fail (remove them): "
      "isolation.getStatus.other_key, format.getRentNumber\n"
      "scope       not implemented by the endpoint: getRentNumber, "
      "get<b>Mail\\x1b[0m\n"
      "ledger      " LEDGER_LINE "\n"
      "            left active 123458: getNumber tg/0, bought by "
      "error.getNumber.BAD_KEY, 0.25 (cancel refused: EARLY_CANCEL_DENIED "
      "\\x1b[2J)\n"
      "            left active 123459: getNumberV2 tg/0, price unknown\n"
      "            left active 777: getRentNumber tg/0, bought by "
      "lifecycle.rent, 2.25\n"
      "\nFAIL  21 checks, 42 requests, 12.50 s, spent 4.28, profile "
      "sms-activate\n";
  cr_expect(len > strlen(tail) && strcmp(s + len - strlen(tail), tail) == 0,
            "%s", s);
  free(s);

  /* colours on a terminal; a clean run is PASS in green */
  s = NULL;
  FILE *f = open_memstream(&s, &len);
  cr_assert_not_null(f);
  cr_expect_eq(sc_report_console(&r, f, 1), 0);
  fclose(f);
  cr_expect(strstr(s, "\n  \033[31mFAIL \033[0m error.getBalance.BAD_KEY\n"));
  cr_expect(strstr(s, "\n\033[31mFAIL\033[0m  21 checks"));
  free(s);
  sc_report_free(&r);

  struct sc_report ok = {0};
  ok.profile = dup("koalasms");
  ok.max_spend = -1;
  s = NULL;
  f = open_memstream(&s, &len);
  cr_assert_not_null(f);
  cr_expect_eq(sc_report_console(&ok, f, 1), 0);
  fclose(f);
  cr_expect_str_eq(s, "\nCATEGORY     PASS  WARN  FAIL  SKIP ERROR UNSUPPORTED "
                      "BLOCKED\ntotal           0     0     0     0     0     "
                      "      0       0\n\n\033[32mPASS\033[0m  0 checks, 0 "
                      "requests, 0.00 s, spent 0.00, profile koalasms\n");
  free(s);
  sc_report_free(&ok);
}

/* The exit-code rule of BLOCKED: explained by its owner's FAIL or ERROR
 * (also through a chain of BLOCKED, and by an UNSUPPORTED owner), it does
 * not fail the run; with its owner passing, absent or unnamed, it does,
 * unless the baseline accepts it. UNSUPPORTED never does. */
Test(report, blocked_fails_the_run_only_unexplained) {
  static const struct {
    enum sc_verdict owner; /* SC_VERDICT__COUNT: no owner in the report */
    int named, chain, baseline, blocks;
  } cases[] = {
      {SC_VERDICT_FAIL, 1, 0, 0, 0},        {SC_VERDICT_ERROR, 1, 0, 0, 0},
      {SC_VERDICT_UNSUPPORTED, 1, 0, 0, 0}, {SC_VERDICT_FAIL, 1, 1, 0, 0},
      {SC_VERDICT_PASS, 1, 0, 0, 1},        {SC_VERDICT_WARN, 1, 0, 0, 1},
      {SC_VERDICT_SKIP, 1, 0, 0, 1},        {SC_VERDICT_PASS, 1, 1, 0, 1},
      {SC_VERDICT__COUNT, 1, 0, 0, 1},      {SC_VERDICT_FAIL, 0, 0, 0, 1},
      {SC_VERDICT__COUNT, 1, 0, 1, 0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    struct sc_check_result res[3];
    struct sc_report r = {0};
    memset(res, 0, sizeof res);
    res[0].id = "format.getBalance";
    res[0].verdict = cases[i].owner;
    res[1].id = "money.charge";
    res[1].verdict = SC_VERDICT_BLOCKED;
    res[1].blocked_by = cases[i].named ? "format.getBalance" : NULL;
    res[2].id = "money.refund-once";
    res[2].verdict = SC_VERDICT_BLOCKED;
    res[2].blocked_by = cases[i].chain ? "money.charge" : res[1].blocked_by;
    res[2].baseline = cases[i].baseline;
    r.results = res;
    r.nresults = cases[i].owner == SC_VERDICT__COUNT ? 0 : 3;
    if (cases[i].owner == SC_VERDICT__COUNT) {
      r.results = &res[1];
      r.nresults = 2;
    }
    const struct sc_check_result *blocked = &r.results[r.nresults - 1];
    cr_expect_eq(sc_report_blocks(&r, blocked), cases[i].blocks, "case %zu", i);
    /* the owner's own failure, the first BLOCKED (by the owner), the
     * second */
    int owner_fails =
        cases[i].owner == SC_VERDICT_FAIL || cases[i].owner == SC_VERDICT_ERROR;
    int first_blocks =
        !cases[i].named ||
        (!owner_fails && cases[i].owner != SC_VERDICT_UNSUPPORTED);
    if (cases[i].owner != SC_VERDICT__COUNT)
      cr_expect_eq(sc_report_blockers(&r),
                   (size_t)(owner_fails + first_blocks + cases[i].blocks),
                   "case %zu", i);
  }
  /* UNSUPPORTED never fails a run, not even when strict */
  struct sc_check_result u = {.id = "support.getRentNumber",
                              .verdict = SC_VERDICT_UNSUPPORTED};
  struct sc_report r = {.results = &u, .nresults = 1, .strict = 1};
  cr_expect_not(sc_report_blocks(&r, &u));
  cr_expect_eq(sc_report_blockers(&r), 0);
}

/* ------------------------------------------------------- all writers */

static int writer_idx[] = {0, 1, 2, 3, 4, 5};

ParameterizedTestParameters(writers, deterministic) {
  return cr_make_param_array(int, writer_idx, NWRITERS);
}

ParameterizedTest(int *w, writers, deterministic) {
  struct sc_report r;
  size_t l1, l2;
  build(&r, 0);
  char *a = render_ok(writers[*w].fn, &r, &l1);
  char *b = render_ok(writers[*w].fn, &r, &l2);
  cr_expect(l1 == l2 && memcmp(a, b, l1) == 0, "%s differs between runs",
            writers[*w].name);
  free(a);
  free(b);
  sc_report_free(&r);
}

ParameterizedTestParameters(writers, null_and_empty) {
  return cr_make_param_array(int, writer_idx, NWRITERS);
}

ParameterizedTest(int *w, writers, null_and_empty) {
  struct sc_report r = {0};
  size_t len;
  int rc;
  char *s = render(writers[*w].fn, NULL, &len, &rc);
  cr_expect_eq(rc, -1, "NULL report");
  free(s);
  cr_expect_eq(writers[*w].fn(&r, NULL), -1, "NULL FILE");
  /* an empty report and an inconsistent one (counts without arrays) */
  s = render_ok(writers[*w].fn, &r, &len);
  free(s);
  r.nresults = 5;
  r.nspend = 3;
  s = render_ok(writers[*w].fn, &r, &len);
  free(s);
  /* a result whose exchanges are all NULL fields */
  struct sc_exchange ex = {0};
  struct sc_check_result c = {0};
  c.ex = &ex;
  c.nex = 1;
  c.verdict = SC_VERDICT_FAIL;
  r.results = &c;
  r.nresults = 1;
  s = render_ok(writers[*w].fn, &r, &len);
  free(s);
}

ParameterizedTestParameters(writers, write_error) {
  return cr_make_param_array(int, writer_idx, NWRITERS);
}

/* A full disk: every writer must notice and say -1. */
ParameterizedTest(int *w, writers, write_error) {
  struct sc_report r;
  FILE *f = fopen("/dev/full", "w");
  if (!f)
    cr_skip_test("no /dev/full");
  build(&r, 0);
  cr_expect_eq(writers[*w].fn(&r, f), -1, "%s ignored ENOSPC",
               writers[*w].name);
  fclose(f);
  /* and a stream opened for reading only */
  f = fopen(SC_TESTDATA_DIR "/report/junit.xsd", "r");
  cr_assert_not_null(f);
  cr_expect_eq(writers[*w].fn(&r, f), -1, "%s wrote to a read-only stream",
               writers[*w].name);
  fclose(f);
  sc_report_free(&r);
}

ParameterizedTestParameters(writers, every_allocation_fails) {
  return cr_make_param_array(int, writer_idx, NWRITERS);
}

/* Fails allocation 1, 2, … until the writer gets through: every attempt
 * whose allocation failed returns -1, none crashes, none leaks (ASan). */
ParameterizedTest(int *w, writers, every_allocation_fails) {
  struct sc_report r;
  build(&r, 1);
  unsigned long n;
  int rc = -1;
  for (n = 1; n < 100000; n++) {
    size_t len;
    sc_alloc_fail_after(n);
    char *s = render(writers[*w].fn, &r, &len, &rc);
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
  cr_log_info("%s: %lu allocations", writers[*w].name, n - 1);
  sc_report_free(&r);
}

/* With SC_REPORT_DUMP=DIR set, writes the fixture in every format to DIR
 * (report.xml, .tap, .json, .md, .html, and the console's .txt) for a
 * person to look at. */
Test(report, dump_for_inspection) {
  static const char *const ext[] = {"xml", "tap", "json", "md", "html", "txt"};
  const char *dir = getenv("SC_REPORT_DUMP");
  struct sc_report r;
  if (!dir)
    cr_skip_test("SC_REPORT_DUMP not set");
  build(&r, 0);
  for (size_t i = 0; i < NWRITERS; i++) {
    char path[4096];
    snprintf(path, sizeof(path), "%s/report.%s", dir, ext[i]);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "%s", path);
    cr_expect_eq(writers[i].fn(&r, f), 0);
    fclose(f);
  }
  sc_report_free(&r);
}

/* The one escaper of text for the terminal and for "actual" (sc_escape.h):
 * C0, DEL, C1 and bytes outside UTF-8 as \xNN, the |also| bytes too, and
 * valid text (Cyrillic, CJK) as it is. */
Test(escape, controls_and_invalid_utf8_as_hex) {
  static const struct {
    const char *in;
    size_t len; /* 0: strlen */
    const char *also;
    const char *want;
  } cases[] = {
      {"ok \xd0\x96 \xe4\xbd\xa0", 0, NULL, "ok \xd0\x96 \xe4\xbd\xa0"},
      {"a\x1b[31m\x07\x7f", 0, NULL, "a\\x1b[31m\\x07\\x7f"},
      {"\xc2\x9b" "2J", 0, NULL, "\\xc2\\x9b2J"}, /* U+009B, CSI */
      {"\x9b" "2J\xff\xc3", 0, NULL, "\\x9b2J\\xff\\xc3"},
      {"x\0y", 3, NULL, "x\\x00y"},
      {"say \"hi\\\"", 0, "\"\\", "say \\x22hi\\x5c\\x22"},
      {"say \"hi\"", 0, NULL, "say \"hi\""},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    struct sc_buf b;
    sc_buf_init(&b, 1024);
    size_t len = cases[i].len ? cases[i].len : strlen(cases[i].in);
    cr_assert_eq(sc_escape_controls(&b, cases[i].in, len, cases[i].also),
                 0);
    sc_buf_add(&b, "", 0);
    cr_expect_str_eq(b.ptr, cases[i].want, "case %zu", i);
    sc_buf_free(&b);
  }
}
