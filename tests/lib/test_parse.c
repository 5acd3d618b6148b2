/* test_parse.c — tests for sc_parse.c: every example answer quoted in the
 * five source documents (../shared/seeds/), every error token they list for
 * an action, and hostile bodies a vendor or a broken proxy may send.
 *
 * One row a case. Each row names the document and the section it comes
 * from, or says why a trap exists. Every body is handed to sc_parse() in a
 * heap buffer of exactly its length (no terminating NUL), so an over-read by
 * one byte is an AddressSanitizer error, not a silent pass. Bodies carry an
 * explicit length so they may hold NUL bytes. */
#include <smsconform/smsconform.h>

#include "sc_parse_int.h"

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse_cases.h"

#define NCASES (sizeof(cases) / sizeof(cases[0]))

static struct sc_spec *spec;

/* Loads the embedded spec; a spec that does not load fails every row. */
static void load_spec(void) {
  enum sc_err err = SC_ERR_OK;
  char *diag = NULL;

  spec = sc_spec_new(NULL, &err, &diag);
  if (!spec)
    cr_log_error("sc_spec_new: %s\n%s", sc_strerror(err), diag ? diag : "");
  sc_spec_free_diag(diag);
  cr_assert_not_null(spec, "the embedded spec does not load");
}

static void unload_spec(void) {
  sc_spec_destroy(spec);
  spec = NULL;
}

/* Writes |p|[0..|n|) into |out| with C escapes for unprintable bytes, cut
 * to fit; for messages that name a row by its body. */
static const char *shown(char *out, size_t size, const char *p, size_t n) {
  size_t o = 0;

  for (size_t i = 0; i < n && o + 5 < size; i++) {
    unsigned char c = (unsigned char)p[i];
    if (c == '\n')
      o += (size_t)snprintf(out + o, size - o, "\\n");
    else if (c == '\r')
      o += (size_t)snprintf(out + o, size - o, "\\r");
    else if (c == '\\' || c == '"')
      o += (size_t)snprintf(out + o, size - o, "\\%c", c);
    else if (c < 0x20 || c >= 0x7f)
      o += (size_t)snprintf(out + o, size - o, "\\x%02x", c);
    else
      out[o++] = (char)c;
  }
  if (o + 5 >= size && size > 4)
    memcpy(out + size - 4, "...", 4);
  else
    out[o] = '\0';
  return out;
}

/* Returns a heap copy of exactly |len| bytes of |body| (NULL when |len| is
 * 0, as struct sc_input allows), so ASan sees any read past the end. The
 * caller frees it after the result's spans are no longer used. */
static char *heap_copy(const char *body, size_t len) {
  char *copy;

  if (len == 0)
    return NULL;
  copy = malloc(len);
  cr_assert_not_null(copy);
  memcpy(copy, body, len);
  return copy;
}

/* Invariants that hold for every result, whatever the body. */
static void check_invariants(const struct sc_result *r, size_t len,
                             const char *what) {
  enum sc_verdict worst = SC_VERDICT_PASS;

  cr_expect_leq(r->ndevs, (size_t)SC_MAX_DEVIATIONS, "%s: ndevs", what);
  cr_expect_leq(r->nfields, (size_t)SC_MAX_FIELDS, "%s: nfields", what);
  for (size_t i = 0; i < r->ndevs && i < SC_MAX_DEVIATIONS; i++) {
    const struct sc_deviation *d = &r->devs[i];
    cr_expect_leq(d->offset, len, "%s: %s at offset %zu past length %zu",
                  what, sc_dev_name(d->code), d->offset, len);
    cr_expect_eq(d->verdict, sc_dev_verdict(d->code),
                 "%s: %s carries verdict %s, its list says %s", what,
                 sc_dev_name(d->code), sc_verdict_name(d->verdict),
                 sc_verdict_name(sc_dev_verdict(d->code)));
    cr_expect(r->verdict != SC_VERDICT_PASS || d->verdict != SC_VERDICT_FAIL,
              "%s: PASS with a FAIL deviation %s", what,
              sc_dev_name(d->code));
    if (d->verdict > worst)
      worst = d->verdict;
  }
  if (r->ndevs_dropped == 0)
    cr_expect_eq(r->verdict, worst, "%s: verdict %s, worst deviation %s",
                 what, sc_verdict_name(r->verdict), sc_verdict_name(worst));
  else
    cr_expect_geq(r->verdict, worst, "%s: verdict below its deviations",
                  what);
  for (size_t i = 0; i < r->nfields && i < SC_MAX_FIELDS; i++) {
    const struct sc_field *f = &r->fields[i];
    cr_expect_not_null(f->name, "%s: field %zu has no name", what, i);
    cr_expect(f->value.len == 0 || f->value.ptr != NULL, "%s: field %s",
              what, f->name);
  }
  if (r->token) {
    cr_expect_not_null(sc_token_name(r->token), "%s: token name", what);
    cr_expect_not_null(sc_token_kind(r->token), "%s: token kind", what);
  }
}

/* The parameters are row indices, not rows: Criterion runs each test in a
 * fresh process whose (PIE, ASLR) addresses differ from the parent's, so
 * the pointers inside a copied row would dangle. An index is looked up in
 * the worker's own |cases|. */
static void free_params(struct criterion_test_params *p) {
  cr_free(p->params);
}

ParameterizedTestParameters(parse, documents) {
  size_t *idx = cr_malloc(NCASES * sizeof(*idx));

  cr_assert_not_null(idx);
  for (size_t i = 0; i < NCASES; i++)
    idx[i] = i;
  return cr_make_param_array(size_t, idx, NCASES, free_params);
}

ParameterizedTest(size_t *row, parse, documents, .init = load_spec,
                  .fini = unload_spec) {
  const struct parse_case *c = &cases[*row];
  struct sc_input in = {0};
  struct sc_result r;
  char what[200];
  char *copy = heap_copy(c->body, c->len);
  enum sc_err rc;

  {
    char b[140];
    snprintf(what, sizeof(what), "row %zu \"%s\"", *row,
             shown(b, sizeof(b), c->body, c->len));
  }
  in.action = c->action;
  in.profile = c->profile;
  in.http_status = c->http_status;
  in.content_type = c->content_type;
  in.body = copy;
  in.body_len = c->len;

  rc = sc_parse(spec, &in, &r);
  cr_assert_eq(rc, SC_ERR_OK, "%s (%s/%s): sc_parse: %s", what,
               c->action, c->profile ? c->profile : "reference",
               sc_err_name(rc));

  if (c->kind != SC_KIND_ANY)
    cr_expect_eq(r.kind, (enum sc_kind)c->kind, "%s: kind %s, want %s",
                 what, sc_kind_name(r.kind),
                 sc_kind_name((enum sc_kind)c->kind));
  cr_expect_eq(r.verdict, c->verdict, "%s (%s): verdict %s, want %s",
               what, c->action, sc_verdict_name(r.verdict),
               sc_verdict_name(c->verdict));
  if (c->token) {
    cr_expect_not_null(r.token, "%s: no token, want %s", what, c->token);
    if (r.token)
      cr_expect_str_eq(sc_token_name(r.token), c->token,
                       "%s: token %s, want %s", what,
                       sc_token_name(r.token), c->token);
  } else {
    cr_expect_null(r.token, "%s: token %s, want none", what,
                   r.token ? sc_token_name(r.token) : "");
  }

  if (c->field) {
    const struct sc_field *f = NULL;
    size_t vlen = strlen(c->value);
    for (size_t i = 0; i < r.nfields && i < SC_MAX_FIELDS; i++)
      if (r.fields[i].name && strcmp(r.fields[i].name, c->field) == 0)
        f = &r.fields[i];
    cr_expect_not_null(f, "%s: no field %s", what, c->field);
    if (f) {
      char got[80];
      /* The span must lie inside the caller's body. */
      cr_expect(f->value.len == 0 ||
                    (f->value.ptr >= copy &&
                     f->value.ptr + f->value.len <= copy + c->len),
                "%s: field %s points outside the body", what, c->field);
      cr_expect(f->value.len == vlen &&
                    memcmp(f->value.ptr, c->value, vlen) == 0,
                "%s: field %s is %s, want %s", what, c->field,
                shown(got, sizeof(got), f->value.ptr, f->value.len),
                c->value);
    }
  }

  if (c->dev != NO_DEV) {
    const struct sc_deviation *d = NULL;
    for (size_t i = 0; i < r.ndevs && i < SC_MAX_DEVIATIONS; i++)
      if ((int)r.devs[i].code == c->dev) {
        d = &r.devs[i];
        break;
      }
    cr_expect_not_null(d, "%s: no deviation %s", what,
                       sc_dev_name((enum sc_dev)c->dev));
    if (d && c->dev_off != ANY_OFF)
      cr_expect_eq(d->offset, (size_t)c->dev_off,
                   "%s: %s at offset %zu, want %ld", what,
                   sc_dev_name(d->code), d->offset, c->dev_off);
  }

  /* Server error text: found exactly in the rows that expect it, and
   * then the first deviation, what a report names first. */
  {
    int at = -1;
    for (size_t i = 0; i < r.ndevs && i < SC_MAX_DEVIATIONS; i++)
      if (r.devs[i].code == SC_DEV_SERVER_ERROR_TEXT && at < 0)
        at = (int)i;
    if (c->dev == SC_DEV_SERVER_ERROR_TEXT)
      cr_expect_eq(at, 0, "%s: SERVER_ERROR_TEXT is deviation %d, not the "
                          "first", what, at);
    else
      cr_expect_eq(at, -1, "%s: SERVER_ERROR_TEXT where none is: %s", what,
                   at >= 0 ? r.devs[at].message : "");
  }

  check_invariants(&r, c->len, what);
  sc_result_free(&r);
  free(copy);
}

/* ---- the markers of server error text ---- */

Test(parse, leak_marker_table_is_indexed_right) {
  char why[200] = "";
  cr_expect(sc_leak_marker_check(why, sizeof why), "%s", why);
}

/* One row a marker (or a text that must not be one): the engine the scan
 * names and the marker it finds, or NULL for none. */
struct leak_case {
  const char *text;
  const char *engine;
  const char *marker;
};

static const struct leak_case leak_cases[] = {
    /* SQLite */
    {"no such column: abc", "SQLite", "no such column"},
    {"Error: no such table: activations", "SQLite", "no such table"},
    {"sqlite3.OperationalError: database is locked", "SQLite", "sqlite3."},
    {"database is locked", "SQLite", "database is locked"},
    {"SQLITE_ERROR: SQL logic error", "SQLite", "SQLITE_"},
    {"SQLite3::query(): Unable to prepare statement", "SQLite", "SQLite3::"},
    /* MySQL */
    {"You have an error in your SQL syntax; check the manual", "MySQL",
     "You have an error in your SQL syntax"},
    {"Warning: mysqli_query() expects parameter 1 to be mysqli",
     "MySQL", "mysqli_"},
    {"Unknown column 'abc' in 'field list'", "MySQL", "Unknown column '"},
    {"Table 'sms.activations' doesn't exist", "MySQL", "Table '"},
    {"pymysql.err.ProgrammingError: (1146, ...)", "MySQL", "pymysql.err."},
    {"ER_BAD_FIELD_ERROR: Unknown column", "MySQL", "ER_BAD_FIELD_ERROR"},
    /* PostgreSQL */
    {"ERROR:  syntax error at or near \"FORM\"", "PostgreSQL",
     "syntax error at or near"},
    {"psycopg2.errors.UndefinedTable: relation \"x\" does not exist",
     "PostgreSQL", "psycopg2."},
    {"ERROR: column \"abc\" does not exist", "PostgreSQL", "column \""},
    {"PG::UndefinedColumn: ERROR", "PostgreSQL", "PG::"},
    /* Oracle */
    {"ORA-00942: table or view does not exist", "Oracle", "ORA-"},
    {"(ORA-01017: invalid username/password)", "Oracle", "ORA-"},
    /* SQL Server, PDO */
    {"Unclosed quotation mark after the character string ''.",
     "SQL Server", "Unclosed quotation mark after the character string"},
    {"SQLSTATE[HY000] [2002] Connection refused", "SQL (PHP PDO)",
     "SQLSTATE["},
    /* Python */
    {"Traceback (most recent call last):\n  File \"a.py\"", "Python",
     "Traceback (most recent call last):"},
    {"TypeError: 'NoneType' object is not subscriptable", "Python",
     "NoneType' object"},
    /* PHP */
    {"PHP Fatal error:  Uncaught Error", "PHP", "Fatal error"},
    {"<b>Fatal error</b>:  Uncaught PDOException", "PHP", "Fatal error"},
    {"Warning: Undefined variable $id in /var/www/api.php on line 3", "PHP",
     "Warning"},
    {"<b>Notice</b>:  Undefined index: id in <b>/var/www/a.php</b> on line "
     "<b>9</b>",
     "PHP", "Notice"},
    {"Parse error: syntax error, unexpected '}' in /a.php on line 5", "PHP",
     "Parse error"},
    {"Uncaught Exception: x\nStack trace:\n#0 /var/www/a.php(3)", "PHP",
     "Stack trace:"},
    {"Call to a member function fetch() on bool", "PHP",
     "Call to a member function"},
    /* Java */
    {"Exception in thread \"main\" java.lang.NullPointerException", "Java",
     "Exception in thread"},
    {"java.lang.IllegalStateException: closed", "Java", "java.lang."},
    {"error\n\tat com.example.Api.get(Api.java:12)", "Java", "at "},
    {"java.sql.SQLException: Access denied", "SQL (Java JDBC)", "java.sql."},
    /* Node.js, Go, Rails, ASP.NET */
    {"x\n    at Object.<anonymous> (/app/index.js:3:9)", "Node.js", "at "},
    {"    at processTicksAndRejections (node:internal/process/task_queues:95:5)",
     "Node.js", "at "},
    {"Error: Cannot find module (node:internal/modules/cjs/loader:1105:14)",
     "Node.js", "node:internal/"},
    {"panic: runtime error: index out of range", "Go",
     "panic: runtime error"},
    {"goroutine 1 [running]:", "Go", "goroutine "},
    {"ActiveRecord::StatementInvalid", "Ruby on Rails", "ActiveRecord::"},
    {"Server Error in '/' Application.", "ASP.NET",
     "Server Error in '/' Application"},
    /* not markers */
    {"ERROR_SQL", NULL, NULL},
    {"SERVER_ERROR", NULL, NULL},
    {"STATUS_OK:ORA-4471", NULL, NULL},
    {"ORA-79991234567", NULL, NULL},
    {"CORA-00942:", NULL, NULL},
    {"ORA-0094:", NULL, NULL},
    {"<h1>500 Internal Server Error</h1><p>error</p>", NULL, NULL},
    {"Warning: do not share this code", NULL, NULL},
    {"Fatal error", NULL, NULL},
    {"Meet us at 5 (or later)", NULL, NULL},
    {"see java.lang", NULL, NULL},
    {"sqlite3.x", NULL, NULL},
    {"mysqli_", NULL, NULL},
    {"Table 'a' is full", NULL, NULL},
    {"column \"a\" exists", NULL, NULL},
    {"Stack trace: none", NULL, NULL},
    {"goroutine x", NULL, NULL},
    {"Your code is 4471. Do not share it.", NULL, NULL},
    {"", NULL, NULL},
};

Test(parse, leak_markers) {
  for (size_t i = 0; i < sizeof leak_cases / sizeof *leak_cases; i++) {
    const struct leak_case *c = &leak_cases[i];
    size_t n = strlen(c->text);
    /* a heap copy of exactly its length: the scan reads nothing past it */
    char *copy = heap_copy(c->text, n);
    const char *engine = NULL, *marker = NULL;
    size_t at = sc_leak_scan(copy, n, &engine, &marker);
    if (!c->engine) {
      cr_expect_eq(at, (size_t)-1, "\"%s\": found %s marker \"%s\"",
                   c->text, engine ? engine : "", marker ? marker : "");
    } else {
      cr_expect_neq(at, (size_t)-1, "\"%s\": no marker found", c->text);
      if (at != (size_t)-1) {
        cr_expect_str_eq(engine, c->engine, "\"%s\"", c->text);
        cr_expect_str_eq(marker, c->marker, "\"%s\"", c->text);
        cr_expect(at + strlen(marker) <= n &&
                      memcmp(c->text + at, marker, strlen(marker)) == 0,
                  "\"%s\": marker at %zu", c->text, at);
      }
    }
    free(copy);
  }
}

/* The message names the engine and quotes the text, and the leak comes
 * first even when the deviation list was full. */
Test(parse, leak_message_and_rank, .init = load_spec, .fini = unload_spec) {
  static const char body[] = "{\"error\":\"no such column: abc\"}";
  struct sc_input in = {0};
  struct sc_result r;
  in.action = "getStatus";
  in.http_status = 200;
  in.body = body;
  in.body_len = sizeof body - 1;
  cr_assert_eq(sc_parse(spec, &in, &r), SC_ERR_OK);
  cr_assert_geq(r.ndevs, 1);
  cr_expect_eq(r.devs[0].code, SC_DEV_SERVER_ERROR_TEXT);
  cr_expect_str_eq(r.devs[0].message,
                   "$.error: SQLite error text in the answer: \"no such "
                   "column: abc\" (marker \"no such column\")");
  sc_result_free(&r);

  /* seventeen FAILs of the schema, then the leak */
  char big[2048];
  size_t o = (size_t)snprintf(big, sizeof big, "{\"verificationType\":\"x\"");
  o += (size_t)snprintf(big + o, sizeof big - o,
                        ",\"sms\":{\"dateTime\":1,\"code\":2,\"text\":3},"
                        "\"call\":{\"from\":[],\"text\":[],\"dateTime\":[],"
                        "\"url\":[],\"parsingCount\":\"y\"}");
  for (int k = 0; k < 12; k++)
    o += (size_t)snprintf(big + o, sizeof big - o, ",\"e%d\":\"z\"", k);
  o += (size_t)snprintf(big + o, sizeof big - o,
                        ",\"zz\":\"Traceback (most recent call last):\"}");
  in.action = "getStatusV2";
  in.body = big;
  in.body_len = o;
  cr_assert_eq(sc_parse(spec, &in, &r), SC_ERR_OK);
  cr_expect_eq(r.verdict, SC_VERDICT_FAIL);
  cr_assert_geq(r.ndevs, 1);
  cr_expect_eq(r.devs[0].code, SC_DEV_SERVER_ERROR_TEXT, "first: %s",
               sc_dev_name(r.devs[0].code));
  cr_expect(strstr(r.devs[0].message, "$.zz: Python error text") != NULL,
            "%s", r.devs[0].message);
  check_invariants(&r, o, "a full list and a leak");
  sc_result_free(&r);
}

/* 1 MB of 'A': no token, no JSON, no crash, and nothing read past the end.
 * Built at run time, too big for the table. */
Test(parse, one_megabyte_of_A, .init = load_spec, .fini = unload_spec) {
  const size_t len = 1024 * 1024;
  char *body = malloc(len);
  struct sc_input in = {0};
  struct sc_result r;

  cr_assert_not_null(body);
  memset(body, 'A', len);
  in.action = "getBalance";
  in.http_status = 200;
  in.body = body;
  in.body_len = len;
  cr_assert_eq(sc_parse(spec, &in, &r), SC_ERR_OK);
  cr_expect_eq(r.verdict, SC_VERDICT_FAIL, "1 MB of 'A': verdict %s",
               sc_verdict_name(r.verdict));
  cr_expect_eq(r.kind, SC_KIND_NOT_PROTOCOL, "1 MB of 'A': kind %s",
               sc_kind_name(r.kind));
  cr_expect_null(r.token, "1 MB of 'A': a token");
  check_invariants(&r, len, "1 MB of 'A'");
  sc_result_free(&r);
  free(body);
}

/* Names the spec does not know are library errors, not results. */
Test(parse, unknown_names, .init = load_spec, .fini = unload_spec) {
  struct sc_input in = {0};
  struct sc_result r;

  in.body = "BAD_KEY";
  in.body_len = 7;
  in.action = "noSuchAction";
  cr_expect_eq(sc_parse(spec, &in, &r), SC_ERR_NO_ACTION);
  sc_result_free(&r);
  in.action = "getBalance";
  in.profile = "noSuchVendor";
  cr_expect_eq(sc_parse(spec, &in, &r), SC_ERR_NO_PROFILE);
  sc_result_free(&r);
  /* 003 Action Reference: SMSBulk offers seven calls, no rent */
  in.action = "getRentList";
  in.profile = "smsbulk";
  cr_expect_eq(sc_parse(spec, &in, &r), SC_ERR_NOT_IN_PROFILE);
  sc_result_free(&r);
}

/* ---- a dialect as data: profiles that declare their envelope ------------
 *
 * Three files on top of the embedded spec, each extending sms-activate:
 * acme (problem-details, a status per error, NOT_FOUND playing
 * NO_ACTIVATION, setStatus answering an empty 204), acme-text (plain-text
 * errors declared, no statuses) and acme-se ({"status":"error",
 * "error":TOKEN}). */

#include "sc_buf.h"
#include "sc_spec.h"

#define ACME_SRC "\"sources\": [{\"doc\": \"acme-api.md\", \"section\": \"Errors\"}]"

static const char acme_profile[] =
    "{\"version\": 1, \"name\": \"acme\", \"title\": \"ACME SMS\", "
    "\"extends\": \"sms-activate\", " ACME_SRC ", "
    "\"tokens\": [{\"name\": \"NOT_FOUND\", \"kind\": \"error\", "
    "\"plays\": \"NO_ACTIVATION\", \"meaning\": \"No activation has this "
    "id.\", " ACME_SRC "}], "
    "\"errors\": {\"form\": \"problem-details\", \"http_status\": "
    "{\"BAD_KEY\": 401, \"NO_NUMBERS\": 409, \"NOT_FOUND\": 404, \"*\": "
    "400}, " ACME_SRC "}, "
    "\"overrides\": {\"setStatus\": {\"no_body\": true, " ACME_SRC "}}}";
static const char acme_text_profile[] =
    "{\"version\": 1, \"name\": \"acme-text\", \"extends\": "
    "\"sms-activate\", " ACME_SRC ", \"errors\": {\"form\": \"text\", "
    ACME_SRC "}}";
static const char acme_se_profile[] =
    "{\"version\": 1, \"name\": \"acme-se\", \"extends\": \"sms-activate\", "
    ACME_SRC ", \"errors\": {\"form\": \"status-error\", \"key\": "
    "\"error\", " ACME_SRC "}}";

static struct sc_spec *dialect_spec;

static void load_dialects(void) {
  struct sc_spec_file f[] = {
      {"acme.json", acme_profile, sizeof acme_profile - 1},
      {"acme-text.json", acme_text_profile, sizeof acme_text_profile - 1},
      {"acme-se.json", acme_se_profile, sizeof acme_se_profile - 1}};
  struct sc_buf diag;
  enum sc_err e;
  sc_buf_init(&diag, 1u << 16);
  dialect_spec = sc_spec_load_mem(f, 3, &diag, &e);
  cr_assert_not_null(dialect_spec, "%s: %s", sc_err_name(e),
                     diag.ptr ? diag.ptr : "");
  sc_buf_free(&diag);
}

static void unload_dialects(void) {
  sc_spec_destroy(dialect_spec);
  dialect_spec = NULL;
}

struct dialect_case {
  const char *profile, *action;
  int http_status;
  const char *body;
  enum sc_kind kind;
  enum sc_verdict verdict;
  const char *token; /* NULL: none */
  int dev;           /* a deviation expected, or NO_DEV */
  int not_dev;       /* a deviation that must not be there, or NO_DEV */
};

#define PD(t) "{\"title\":\"" t "\",\"details\":\"see the docs\"}"

static const struct dialect_case dialect_cases[] = {
    /* the declared form with the declared status is the documented
     * answer: no PROBLEM_DETAILS, no HTTP_STATUS */
    {"acme", "getNumber", 409, PD("NO_NUMBERS"), SC_KIND_ERROR,
     SC_VERDICT_PASS, "NO_NUMBERS", NO_DEV, SC_DEV_PROBLEM_DETAILS},
    {"acme", "getBalance", 401, PD("BAD_KEY"), SC_KIND_ERROR,
     SC_VERDICT_PASS, "BAD_KEY", NO_DEV, SC_DEV_HTTP_STATUS},
    /* "*": the status of every error token not listed */
    {"acme", "getNumber", 400, PD("BAD_SERVICE"), SC_KIND_ERROR,
     SC_VERDICT_PASS, "BAD_SERVICE", NO_DEV, SC_DEV_HTTP_STATUS},
    /* another status than the declared one */
    {"acme", "getNumber", 400, PD("NO_NUMBERS"), SC_KIND_ERROR,
     SC_VERDICT_WARN, "NO_NUMBERS", SC_DEV_HTTP_STATUS, NO_DEV},
    {"acme", "getNumber", 200, PD("NO_NUMBERS"), SC_KIND_ERROR,
     SC_VERDICT_WARN, "NO_NUMBERS", SC_DEV_HTTP_STATUS, NO_DEV},
    {"acme", "getNumber", 503, PD("NO_NUMBERS"), SC_KIND_ERROR,
     SC_VERDICT_FAIL, "NO_NUMBERS", SC_DEV_HTTP_5XX, NO_DEV},
    /* the plain-text token where the profile declares problem-details */
    {"acme", "getNumber", 409, "NO_NUMBERS", SC_KIND_ERROR, SC_VERDICT_WARN,
     "NO_NUMBERS", SC_DEV_ERROR_FORM, SC_DEV_HTTP_STATUS},
    /* 001's {"status":"error","message":...} is another form too */
    {"acme", "getRentStatus", 400,
     "{\"status\":\"error\",\"message\":\"NO_ID_RENT\"}", SC_KIND_ERROR,
     SC_VERDICT_WARN, "NO_ID_RENT", SC_DEV_ERROR_FORM, NO_DEV},
    /* NOT_FOUND plays NO_ACTIVATION, which getStatus answers */
    {"acme", "getStatus", 404, PD("NOT_FOUND"), SC_KIND_ERROR,
     SC_VERDICT_PASS, "NOT_FOUND", NO_DEV, SC_DEV_UNDOCUMENTED_TOKEN},
    /* ... and the parser still reads the token it plays, with its
     * status */
    {"acme", "getStatus", 404, PD("NO_ACTIVATION"), SC_KIND_ERROR,
     SC_VERDICT_PASS, "NO_ACTIVATION", NO_DEV, SC_DEV_HTTP_STATUS},
    /* getBalance never answers NO_ACTIVATION, so not NOT_FOUND either */
    {"acme", "getBalance", 404, PD("NOT_FOUND"), SC_KIND_ERROR,
     SC_VERDICT_WARN, "NOT_FOUND", SC_DEV_UNDOCUMENTED_TOKEN, NO_DEV},
    /* a success keeps the handler's 200 */
    {"acme", "getBalance", 200, "ACCESS_BALANCE:10.00", SC_KIND_SUCCESS,
     SC_VERDICT_PASS, "ACCESS_BALANCE", NO_DEV, SC_DEV_HTTP_STATUS},
    /* no_body: an empty 204 is setStatus's success */
    {"acme", "setStatus", 204, "", SC_KIND_SUCCESS, SC_VERDICT_PASS, NULL,
     NO_DEV, SC_DEV_EMPTY_BODY},
    {"acme", "setStatus", 200, "", SC_KIND_NOT_PROTOCOL, SC_VERDICT_FAIL,
     NULL, SC_DEV_EMPTY_BODY, NO_DEV},
    {"acme", "setStatus", 200, "ACCESS_CANCEL", SC_KIND_SUCCESS,
     SC_VERDICT_PASS, "ACCESS_CANCEL", NO_DEV, NO_DEV},
    {"acme", "getStatus", 204, "", SC_KIND_NOT_PROTOCOL, SC_VERDICT_FAIL,
     NULL, SC_DEV_EMPTY_BODY, NO_DEV},
    /* declared text: problem-details is ERROR_FORM, not PROBLEM_DETAILS */
    {"acme-text", "getNumber", 200, PD("NO_NUMBERS"), SC_KIND_ERROR,
     SC_VERDICT_WARN, "NO_NUMBERS", SC_DEV_ERROR_FORM,
     SC_DEV_PROBLEM_DETAILS},
    {"acme-text", "getNumber", 200, "NO_NUMBERS", SC_KIND_ERROR,
     SC_VERDICT_PASS, "NO_NUMBERS", NO_DEV, SC_DEV_ERROR_FORM},
    /* declared text holds for the rent calls too (001 answers them as
     * JSON; this dialect does not) */
    {"acme-text", "getRentStatus", 200, "NO_ID_RENT", SC_KIND_ERROR,
     SC_VERDICT_PASS, "NO_ID_RENT", NO_DEV, SC_DEV_ERROR_FORM},
    /* without "errors", problem-details stays PROBLEM_DETAILS */
    {"sms-activate", "getNumber", 400, PD("NO_NUMBERS"), SC_KIND_ERROR,
     SC_VERDICT_WARN, "NO_NUMBERS", SC_DEV_PROBLEM_DETAILS,
     SC_DEV_ERROR_FORM},
    /* the envelope declared for every action, not only 001's two */
    {"acme-se", "getNumber", 200,
     "{\"status\":\"error\",\"error\":\"NO_NUMBERS\"}", SC_KIND_ERROR,
     SC_VERDICT_PASS, "NO_NUMBERS", NO_DEV, SC_DEV_ERROR_FORM},
    {"acme-se", "getNumber", 200,
     "{\"status\":\"error\",\"error\":\"NO_NUMBERS\",\"message\":"
     "\"BAD_KEY\"}",
     SC_KIND_ERROR, SC_VERDICT_PASS, "NO_NUMBERS", NO_DEV,
     SC_DEV_ERROR_FORM},
    {"acme-se", "getNumber", 200, "NO_NUMBERS", SC_KIND_ERROR,
     SC_VERDICT_WARN, "NO_NUMBERS", SC_DEV_ERROR_FORM, NO_DEV},
    {"acme-se", "getNumber", 200, PD("NO_NUMBERS"), SC_KIND_ERROR,
     SC_VERDICT_WARN, "NO_NUMBERS", SC_DEV_ERROR_FORM,
     SC_DEV_PROBLEM_DETAILS},
};

#define NDIALECT (sizeof dialect_cases / sizeof *dialect_cases)

static bool result_has(const struct sc_result *r, int code) {
  for (size_t i = 0; i < r->ndevs && i < SC_MAX_DEVIATIONS; i++)
    if ((int)r->devs[i].code == code)
      return true;
  return false;
}

ParameterizedTestParameters(parse, dialects) {
  size_t *idx = cr_malloc(NDIALECT * sizeof(*idx));
  cr_assert_not_null(idx);
  for (size_t i = 0; i < NDIALECT; i++)
    idx[i] = i;
  return cr_make_param_array(size_t, idx, NDIALECT, free_params);
}

ParameterizedTest(size_t *row, parse, dialects, .init = load_dialects,
                  .fini = unload_dialects) {
  const struct dialect_case *c = &dialect_cases[*row];
  size_t len = strlen(c->body);
  char *copy = heap_copy(c->body, len);
  struct sc_input in = {c->action, c->profile, c->http_status, NULL, copy,
                        len};
  struct sc_result r;
  char what[160];
  snprintf(what, sizeof what, "row %zu (%s %s %d %s)", *row, c->profile,
           c->action, c->http_status, c->body);
  cr_assert_eq(sc_parse(dialect_spec, &in, &r), SC_ERR_OK, "%s", what);
  cr_expect_eq(r.kind, c->kind, "%s: kind %s", what, sc_kind_name(r.kind));
  cr_expect_eq(r.verdict, c->verdict, "%s: verdict %s (%s)", what,
               sc_verdict_name(r.verdict),
               r.ndevs ? r.devs[0].message : "no deviation");
  if (c->token)
    cr_expect(r.token && strcmp(sc_token_name(r.token), c->token) == 0,
              "%s: token %s", what, r.token ? sc_token_name(r.token) : "none");
  else
    cr_expect_null(r.token, "%s", what);
  if (c->dev != NO_DEV)
    cr_expect(result_has(&r, c->dev), "%s: no %s", what,
              sc_dev_name((enum sc_dev)c->dev));
  if (c->not_dev != NO_DEV)
    cr_expect_not(result_has(&r, c->not_dev), "%s: %s", what,
                  sc_dev_name((enum sc_dev)c->not_dev));
  check_invariants(&r, len, what);
  sc_result_free(&r);
  free(copy);
}
