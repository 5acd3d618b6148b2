/* sc_compare.c — see sc_compare.h.
 *
 * Three parts: the loader (a JSON report back into a struct sc_report,
 * every field checked), the model (vendors, and rows in the order their
 * check ids first appear), and the writers. A writer first builds a view:
 * the rows in display order (by action, then category), one cell per row
 * and vendor, the tallies and the latencies; then it writes, staging its
 * output in one sc_buf the way the report writers do, so a failed
 * allocation and a failed write end the same way (-1).
 *
 * Every string of a report goes out through sc_report_escape() with the
 * rules of the format. The HTML page carries the cells' details (message,
 * expected, actual, exchanges) once, in a JSON data island escaped so that
 * no "</script" or "<!--" can occur in it, and its script shows them with
 * textContent only. */
#include "sc_compare.h"

#include "sc_alloc.h"
#include "sc_buf.h"
#include "sc_escape.h"
#include "sc_json.h"
#include "sc_out.h"
#include "sc_spec.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* --------------------------------------------------------------- loader */

/* Where the loader is in the document, for messages: "$.results[3].id". */
struct ld {
  char *err;
  size_t errlen;
  char path[128];
};

/* A value from the file quoted in a message: one line, at most 40 code
 * points, nothing that could drive a terminal. */
static void quote(const char *s, char *out, size_t cap) {
  struct sc_buf b;
  sc_buf_init(&b, 4096);
  sc_report_escape(&b, SC_REPORT_ESC_LINE, s, strlen(s), 40);
  snprintf(out, cap, "%s", b.err || !b.ptr ? "" : b.ptr);
  sc_buf_free(&b);
}

__attribute__((format(printf, 2, 3))) static int ld_fail(struct ld *l,
                                                         const char *fmt, ...) {
  char what[400];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  snprintf(l->err, l->errlen, "%s: %s", l->path, what);
  return -1;
}

/* Appends ".key" or "[i]" to the path; returns the old length to restore. */
static size_t ld_push(struct ld *l, const char *key, long idx) {
  size_t n = strlen(l->path);
  if (key)
    snprintf(l->path + n, sizeof l->path - n, ".%s", key);
  else
    snprintf(l->path + n, sizeof l->path - n, "[%ld]", idx);
  return n;
}

static void ld_pop(struct ld *l, size_t n) {
  l->path[n] = '\0';
}

static const char *type_name(const cJSON *v) {
  if (!v)
    return "nothing";
  if (cJSON_IsString(v))
    return "a string";
  if (cJSON_IsNumber(v))
    return "a number";
  if (cJSON_IsBool(v))
    return "a boolean";
  if (cJSON_IsNull(v))
    return "null";
  if (cJSON_IsArray(v))
    return "an array";
  return "an object";
}

/* |*out| = a copy of the string member |key| of |o|; NULL for null or
 * absent, which |required| refuses (and an empty string with it). */
static int ld_str(struct ld *l, const cJSON *o, const char *key, int required,
                  char **out) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  size_t at;
  int rc;
  *out = NULL;
  if (cJSON_IsString(v) && (!required || *v->valuestring)) {
    if (!(*out = sc_strdup(v->valuestring)))
      return ld_fail(l, "out of memory");
    return 0;
  }
  if (!required && (!v || cJSON_IsNull(v)))
    return 0;
  at = ld_push(l, key, 0);
  if (!v)
    rc = ld_fail(l, "missing (a string is required)");
  else if (cJSON_IsString(v))
    rc = ld_fail(l, "an empty string (a name is required)");
  else
    rc = ld_fail(l, "a string is required; found %s", type_name(v));
  ld_pop(l, at);
  return rc;
}

/* A number >= 0 (absent: 0). */
static int ld_num(struct ld *l, const cJSON *o, const char *key, double *out) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  *out = 0;
  if (!v)
    return 0;
  if (cJSON_IsNumber(v) && isfinite(v->valuedouble) && v->valuedouble >= 0) {
    *out = v->valuedouble;
    return 0;
  }
  size_t at = ld_push(l, key, 0);
  int rc = cJSON_IsNumber(v)
               ? ld_fail(l, "a number >= 0 is required")
               : ld_fail(l, "a number is required; found %s", type_name(v));
  ld_pop(l, at);
  return rc;
}

/* A number of either sign (|*known| 0 when absent or null). */
static int ld_fnum(struct ld *l, const cJSON *o, const char *key, double *out,
                   int *known) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  *out = 0;
  *known = 0;
  if (!v || cJSON_IsNull(v))
    return 0;
  if (cJSON_IsNumber(v) && isfinite(v->valuedouble)) {
    *out = v->valuedouble;
    *known = 1;
    return 0;
  }
  size_t at = ld_push(l, key, 0);
  int rc = ld_fail(l, "a number or null is required; found %s", type_name(v));
  ld_pop(l, at);
  return rc;
}

/* A boolean (absent: false). */
static int ld_bool(struct ld *l, const cJSON *o, const char *key, int *out) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  *out = 0;
  if (!v)
    return 0;
  if (cJSON_IsBool(v)) {
    *out = cJSON_IsTrue(v);
    return 0;
  }
  size_t at = ld_push(l, key, 0);
  int rc = ld_fail(l, "true or false is required; found %s", type_name(v));
  ld_pop(l, at);
  return rc;
}

/* An array member (absent or null: |*out| NULL, unless |required|). */
static int ld_arr(struct ld *l, const cJSON *o, const char *key, int required,
                  const cJSON **out) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  *out = NULL;
  if (cJSON_IsArray(v)) {
    *out = v;
    return 0;
  }
  if (!required && (!v || cJSON_IsNull(v)))
    return 0;
  size_t at = ld_push(l, key, 0);
  int rc = ld_fail(l, "an array is required; found %s", type_name(v));
  ld_pop(l, at);
  return rc;
}

/* "PASS, SKIP, UNSUPPORTED, BLOCKED, WARN, FAIL, ERROR". */
#define VERDICT_LIST_ITEM(name, code) ", " #name
static const char *const verdict_list = &SC_VERDICT_MAP(VERDICT_LIST_ITEM)[2];
#undef VERDICT_LIST_ITEM

/* The verdict member |key| of |o| (a result's or a deviation's). */
static int ld_verdict(struct ld *l, const cJSON *o, const char *key,
                      enum sc_verdict *out) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  char q[200];
  size_t at;
  int rc;
  if (cJSON_IsString(v))
    for (int k = 0; k < SC_VERDICT__COUNT; k++)
      if (strcmp(v->valuestring, sc_verdict_name((enum sc_verdict)k)) == 0) {
        *out = (enum sc_verdict)k;
        return 0;
      }
  at = ld_push(l, key, 0);
  if (cJSON_IsString(v)) {
    quote(v->valuestring, q, sizeof q);
    rc = ld_fail(l, "\"%s\" is not a verdict (%s)", q, verdict_list);
  } else {
    rc = ld_fail(l, "a verdict is required (%s); found %s", verdict_list,
                 type_name(v));
  }
  ld_pop(l, at);
  return rc;
}

/* The category; "unknown" is what the writers print for a category
 * outside the enum. */
static int ld_cat(struct ld *l, const cJSON *o, enum sc_cat *out) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "category");
  char q[200];
  size_t at;
  int rc;
  if (cJSON_IsString(v)) {
    for (int k = 0; k < SC_CAT__COUNT; k++)
      if (strcmp(v->valuestring, sc_cat_name((enum sc_cat)k)) == 0) {
        *out = (enum sc_cat)k;
        return 0;
      }
    if (strcmp(v->valuestring, "unknown") == 0) {
      *out = SC_CAT__COUNT;
      return 0;
    }
  }
  at = ld_push(l, "category", 0);
  if (cJSON_IsString(v)) {
    quote(v->valuestring, q, sizeof q);
    rc = ld_fail(l,
                 "\"%s\" is not a category of this smsconform (see "
                 "`smsconform list checks`)",
                 q);
  } else {
    rc = ld_fail(l, "a category is required; found %s", type_name(v));
  }
  ld_pop(l, at);
  return rc;
}

/* "tags": an array of strings, kept space-separated as in the model. */
static int ld_tags(struct ld *l, const cJSON *o, char **out) {
  const cJSON *arr, *t;
  struct sc_buf b;
  long i = 0;
  *out = NULL;
  if (ld_arr(l, o, "tags", 0, &arr))
    return -1;
  if (!arr)
    return 0;
  sc_buf_init(&b, SIZE_MAX);
  cJSON_ArrayForEach(t, arr) {
    if (!cJSON_IsString(t)) {
      size_t at = ld_push(l, "tags", 0);
      ld_push(l, NULL, i);
      ld_fail(l, "a string is required; found %s", type_name(t));
      ld_pop(l, at);
      sc_buf_free(&b);
      return -1;
    }
    if (b.len)
      sc_buf_addc(&b, ' ');
    sc_buf_adds(&b, t->valuestring);
    i++;
  }
  sc_buf_add(&b, "", 0);
  if (b.err) {
    sc_buf_free(&b);
    return ld_fail(l, "out of memory");
  }
  *out = b.ptr;
  return 0;
}

static int ld_exchange(struct ld *l, const cJSON *o, struct sc_exchange *e) {
  char *enc = NULL, *body = NULL;
  double status, len;
  int rc = -1;
  if (!cJSON_IsObject(o))
    return ld_fail(l, "an object is required; found %s", type_name(o));
  if (ld_str(l, o, "method", 0, &e->method) ||
      ld_str(l, o, "url", 0, &e->url) ||
      ld_str(l, o, "request_body", 0, &e->request_body) ||
      ld_str(l, o, "request_auth", 0, &e->request_auth) ||
      ld_str(l, o, "content_type", 0, &e->content_type) ||
      ld_str(l, o, "transport_error", 0, &e->transport_error) ||
      ld_num(l, o, "status", &status) || ld_num(l, o, "ms", &e->ms) ||
      ld_num(l, o, "body_len", &len) ||
      ld_bool(l, o, "body_truncated", &e->body_truncated) ||
      ld_str(l, o, "body", 0, &body) || ld_str(l, o, "body_encoding", 0, &enc))
    goto out;
  e->status = status < 1000 ? (long)status : 0;
  if (body && enc && strcmp(enc, "base64") == 0) {
    struct sc_buf b;
    sc_buf_init(&b, SC_COMPARE_FILE_MAX);
    if (sc_base64_decode(&b, body, strlen(body)) || sc_buf_add(&b, "", 0)) {
      int oom = b.err != 0;
      sc_buf_free(&b);
      size_t at = ld_push(l, "body", 0);
      ld_fail(l, oom ? "out of memory"
                     : "body_encoding is base64 but the body is not base64");
      ld_pop(l, at);
      goto out;
    }
    e->body = sc_buf_take(&b, &e->body_len);
    if (!e->body) { /* an empty body: a NUL-terminated empty string */
      e->body = sc_strdup("");
      e->body_len = 0;
    }
    if (!e->body) {
      ld_fail(l, "out of memory");
      goto out;
    }
  } else if (body && enc && strcmp(enc, "utf-8") != 0) {
    size_t at = ld_push(l, "body_encoding", 0);
    ld_fail(l, "\"utf-8\" or \"base64\" is required");
    ld_pop(l, at);
    goto out;
  } else if (body) {
    e->body = body;
    e->body_len = strlen(body);
    body = NULL;
  }
  rc = 0;
out:
  sc_free(body);
  sc_free(enc);
  return rc;
}

/* "deviations": [{code, verdict, offset, message}] (version 2). */
static int ld_devs(struct ld *l, const cJSON *o, struct sc_check_result *c) {
  const cJSON *arr, *d;
  if (ld_arr(l, o, "deviations", 0, &arr))
    return -1;
  int n = cJSON_GetArraySize(arr);
  if (n <= 0)
    return 0;
  if (!(c->devs = sc_calloc((size_t)n, sizeof *c->devs)))
    return ld_fail(l, "out of memory");
  cJSON_ArrayForEach(d, arr) {
    struct sc_check_dev *dv = &c->devs[c->ndevs++];
    double off;
    size_t at = ld_push(l, "deviations", 0);
    ld_push(l, NULL, (long)c->ndevs - 1);
    int rc = !cJSON_IsObject(d)
                 ? ld_fail(l, "an object is required; found %s", type_name(d))
                 : ld_str(l, d, "code", 1, &dv->code) ||
                       ld_verdict(l, d, "verdict", &dv->verdict) ||
                       ld_num(l, d, "offset", &off) ||
                       ld_str(l, d, "message", 0, &dv->message);
    ld_pop(l, at);
    if (rc)
      return -1;
    dv->offset = off < 1e15 ? (size_t)off : 0;
  }
  return 0;
}

static int ld_result(struct ld *l, const cJSON *o, struct sc_check_result *c) {
  const cJSON *ex;
  double status;
  if (!cJSON_IsObject(o))
    return ld_fail(l, "an object is required; found %s", type_name(o));
  if (ld_str(l, o, "id", 1, &c->id) || ld_cat(l, o, &c->cat) ||
      ld_str(l, o, "action", 0, &c->action) || ld_tags(l, o, &c->tags) ||
      ld_str(l, o, "requirement", 0, &c->requirement) ||
      ld_str(l, o, "doc", 0, &c->doc) ||
      ld_str(l, o, "section", 0, &c->section) ||
      ld_verdict(l, o, "verdict", &c->verdict) ||
      ld_str(l, o, "message", 0, &c->message) ||
      ld_str(l, o, "cause", 0, &c->cause) ||
      ld_str(l, o, "blocked_by", 0, &c->blocked_by) ||
      ld_num(l, o, "http_status", &status) || ld_devs(l, o, c) ||
      ld_str(l, o, "expected", 0, &c->expected) ||
      ld_str(l, o, "actual", 0, &c->actual) ||
      ld_str(l, o, "curl", 0, &c->curl) ||
      ld_bool(l, o, "baseline", &c->baseline) || ld_num(l, o, "ms", &c->ms) ||
      ld_arr(l, o, "exchanges", 0, &ex))
    return -1;
  c->http_status = status < 1000 ? (long)status : 0;
  int n = cJSON_GetArraySize(ex);
  if (n <= 0)
    return 0;
  if (!(c->ex = sc_calloc((size_t)n, sizeof *c->ex)))
    return ld_fail(l, "out of memory");
  const cJSON *e;
  cJSON_ArrayForEach(e, ex) {
    size_t at = ld_push(l, "exchanges", 0);
    ld_push(l, NULL, (long)c->nex);
    int rc = ld_exchange(l, e, &c->ex[c->nex]);
    c->nex++; /* a half-filled exchange is freed with the result */
    ld_pop(l, at);
    if (rc)
      return -1;
  }
  return 0;
}

/* A purchase. Version 1 has what, id, cost and refunded: its price is
 * known, and what is not refunded counts as left active. */
static int ld_spend(struct ld *l, const cJSON *e, int v1, struct sc_spend *s) {
  char *state = NULL;
  int known, rc;
  if (!cJSON_IsObject(e))
    return ld_fail(l, "an object is required; found %s", type_name(e));
  if (ld_str(l, e, "what", 0, &s->what) || ld_str(l, e, "id", 0, &s->id) ||
      ld_str(l, e, "check", 0, &s->check) ||
      ld_str(l, e, "note", 0, &s->note) ||
      ld_fnum(l, e, "cost", &s->cost, &known) ||
      ld_bool(l, e, "refunded", &s->refunded) ||
      ld_str(l, e, "state", 0, &state))
    return -1;
  s->cost_known = known;
  s->state = s->refunded ? SC_SPEND_RELEASED : SC_SPEND_LEFT_ACTIVE;
  rc = 0;
  if (state && !v1) {
    int k = 0;
    while (k < SC_SPEND__COUNT &&
           strcmp(state, sc_spend_state_name((enum sc_spend_state)k)) != 0)
      k++;
    if (k < SC_SPEND__COUNT) {
      s->state = (enum sc_spend_state)k;
    } else {
      char q[200];
      size_t at = ld_push(l, "state", 0);
      quote(state, q, sizeof q);
      rc = ld_fail(l, "\"%s\" is not a state (released, used, left-active)", q);
      ld_pop(l, at);
    }
  }
  sc_free(state);
  return rc;
}

/* "scope": {"unsupported": [actions]} (version 2). */
static int ld_scope(struct ld *l, const cJSON *root, struct sc_report *r) {
  const cJSON *scope = cJSON_GetObjectItemCaseSensitive(root, "scope");
  const cJSON *arr, *a;
  size_t at = ld_push(l, "scope", 0);
  int rc = 0;
  if (!scope || cJSON_IsNull(scope))
    goto out;
  if (!cJSON_IsObject(scope)) {
    rc = ld_fail(l, "an object is required; found %s", type_name(scope));
    goto out;
  }
  if ((rc = ld_arr(l, scope, "unsupported", 0, &arr)) != 0)
    goto out;
  int n = cJSON_GetArraySize(arr);
  if (n <= 0)
    goto out;
  if (!(r->unsupported = sc_calloc((size_t)n + 1, sizeof *r->unsupported))) {
    rc = ld_fail(l, "out of memory");
    goto out;
  }
  size_t k = 0;
  cJSON_ArrayForEach(a, arr) {
    if (!cJSON_IsString(a) || !*a->valuestring) {
      ld_push(l, "unsupported", 0);
      ld_push(l, NULL, (long)k);
      rc = ld_fail(l, "an action name is required; found %s",
                   cJSON_IsString(a) ? "an empty string" : type_name(a));
      goto out;
    }
    if (!(r->unsupported[k++] = sc_strdup(a->valuestring))) {
      rc = ld_fail(l, "out of memory");
      goto out;
    }
  }
out:
  ld_pop(l, at);
  return rc;
}

/* "ledger": {"max_spend": AMOUNT or null} (version 2; the totals are
 * worked out again from the purchases). */
static int ld_ledger(struct ld *l, const cJSON *root, struct sc_report *r) {
  const cJSON *led = cJSON_GetObjectItemCaseSensitive(root, "ledger");
  size_t at;
  int known, rc = 0;
  r->max_spend = -1;
  if (!led || cJSON_IsNull(led))
    return 0;
  at = ld_push(l, "ledger", 0);
  if (!cJSON_IsObject(led))
    rc = ld_fail(l, "an object is required; found %s", type_name(led));
  else if ((rc = ld_fnum(l, led, "max_spend", &r->max_spend, &known)) == 0 &&
           !known)
    r->max_spend = -1;
  ld_pop(l, at);
  return rc;
}

static int ld_report(struct ld *l, const cJSON *root, struct sc_report *r) {
  const cJSON *schema = cJSON_GetObjectItemCaseSensitive(root, "schema");
  const cJSON *arr, *e;
  double secs, req;
  char q[200];
  int v1;

  if (!cJSON_IsObject(root))
    return ld_fail(l,
                   "not a smsconform report: the file holds %s, not an "
                   "object",
                   type_name(root));
  if (!cJSON_IsString(schema))
    return ld_fail(l,
                   "not a smsconform report: no \"schema\": \"%s\" (`run "
                   "--json F` and `run --report-dir` write one)",
                   SC_REPORT_SCHEMA);
  v1 = strcmp(schema->valuestring, SC_REPORT_SCHEMA_V1) == 0;
  if (!v1 && strcmp(schema->valuestring, SC_REPORT_SCHEMA) != 0) {
    quote(schema->valuestring, q, sizeof q);
    return ld_fail(l,
                   "schema \"%s\" is not %s or %s (a report of another "
                   "version or another kind of file)",
                   q, SC_REPORT_SCHEMA, SC_REPORT_SCHEMA_V1);
  }
  if (ld_str(l, root, "tool", 0, &r->tool) ||
      ld_str(l, root, "target", 0, &r->target) ||
      ld_str(l, root, "profile", 0, &r->profile) ||
      ld_str(l, root, "started", 0, &r->started) ||
      ld_num(l, root, "seconds", &secs) || ld_num(l, root, "requests", &req) ||
      ld_bool(l, root, "strict", &r->strict) ||
      ld_arr(l, root, "results", 1, &arr))
    return -1;
  r->seconds = secs;
  r->requests = req < 4e9 ? (unsigned long)req : 0;
  int n = cJSON_GetArraySize(arr);
  if (n > 0 && !(r->results = sc_calloc((size_t)n, sizeof *r->results)))
    return ld_fail(l, "out of memory");
  cJSON_ArrayForEach(e, arr) {
    size_t at = ld_push(l, "results", 0);
    ld_push(l, NULL, (long)r->nresults);
    int rc = ld_result(l, e, &r->results[r->nresults]);
    r->nresults++;
    ld_pop(l, at);
    if (rc)
      return -1;
  }
  if (ld_arr(l, root, "spend", 0, &arr))
    return -1;
  n = cJSON_GetArraySize(arr);
  if (n > 0 && !(r->spend = sc_calloc((size_t)n, sizeof *r->spend)))
    return ld_fail(l, "out of memory");
  cJSON_ArrayForEach(e, arr) {
    struct sc_spend *s = &r->spend[r->nspend++];
    size_t at = ld_push(l, "spend", 0);
    ld_push(l, NULL, (long)r->nspend - 1);
    int rc = ld_spend(l, e, v1, s);
    ld_pop(l, at);
    if (rc)
      return -1;
  }
  if (ld_ledger(l, root, r) || ld_scope(l, root, r))
    return -1;
  sc_report_count(r);
  return 0;
}

int sc_compare_parse(const char *text, size_t len, struct sc_report *rep,
                     char *err, size_t errlen) {
  struct ld l = {.err = err, .errlen = errlen, .path = "$"};
  struct sc_json_error je;
  cJSON *root;
  int rc;

  memset(rep, 0, sizeof *rep);
  if (sc_json_validate(text, len, &je) != SC_JSON_ERR_OK) {
    size_t line = 1, col = 1;
    for (size_t i = 0; i < je.offset && i < len; i++) {
      col = text[i] == '\n' ? 1 : col + 1;
      line += text[i] == '\n';
    }
    snprintf(err, errlen, "not JSON: %s at byte %zu (line %zu, column %zu)",
             sc_json_strerror(je.code), je.offset, line, col);
    return -1;
  }
  root = cJSON_ParseWithLength(text, len);
  if (!root) {
    size_t at = sc_json_lone_surrogate(text, len);
    if (at != (size_t)-1)
      snprintf(err, errlen,
               "not JSON this reader can hold: a surrogate escape without "
               "its pair at byte %zu",
               at);
    else
      snprintf(err, errlen, "out of memory");
    return -1;
  }
  rc = ld_report(&l, root, rep);
  cJSON_Delete(root);
  if (rc)
    sc_report_free(rep);
  return rc;
}

int sc_compare_load(const char *path, struct sc_report *rep, char *err,
                    size_t errlen) {
  FILE *f = fopen(path, "rb");
  struct sc_buf b;
  char chunk[65536];
  size_t got;
  int rc;

  memset(rep, 0, sizeof *rep);
  if (!f) {
    snprintf(err, errlen, "cannot read: %s", strerror(errno));
    return -1;
  }
  sc_buf_init(&b, SC_COMPARE_FILE_MAX);
  while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
    if (sc_buf_add(&b, chunk, got))
      break;
  int rerr = ferror(f);
  fclose(f);
  if (rerr || b.err) {
    snprintf(err, errlen, "cannot read: %s",
             rerr                    ? strerror(errno)
             : b.err == SC_BUF_E2BIG ? "larger than 256 MiB"
                                     : "out of memory");
    sc_buf_free(&b);
    return -1;
  }
  rc = sc_compare_parse(b.ptr ? b.ptr : "", b.len, rep, err, errlen);
  sc_buf_free(&b);
  return rc;
}

long sc_compare_keep_documented(struct sc_report *rep,
                                const struct sc_spec *spec,
                                const char *dialect) {
  const struct sc_profile *p = sc_spec_profile(spec, dialect);
  size_t k = 0;
  long dropped = 0;
  if (!p)
    return -1;
  for (size_t i = 0; rep->results && i < rep->nresults; i++) {
    struct sc_check_result *c = &rep->results[i];
    /* a check of an action the document does not describe, or one that
     * needs such an action for a step (blocked by its support.*) */
    const char *needs = c->blocked_by && !strncmp(c->blocked_by, "support.", 8)
                            ? c->blocked_by + 8
                            : NULL;
    if ((c->action && !sc_profile_has_action(p, c->action)) ||
        (needs && !sc_profile_has_action(p, needs))) {
      sc_check_result_free(c);
      dropped++;
    } else {
      rep->results[k++] = *c;
    }
  }
  if (rep->results && k < rep->nresults)
    memset(rep->results + k, 0, (rep->nresults - k) * sizeof *rep->results);
  rep->nresults = k;
  sc_report_count(rep);
  return dropped;
}

/* ---------------------------------------------------------------- model */

/* A string -> index map (open addressing, FNV-1a) over borrowed keys: the
 * check ids and actions of a comparison, 5000 lookups for 500 checks and
 * 10 vendors. */
struct smap {
  const char **key;
  size_t *val;
  size_t cap, n;
};

static size_t hash_str(const char *s) {
  uint64_t h = 14695981039346656037u;
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 1099511628211u;
  return (size_t)h;
}

static void smap_free(struct smap *m) {
  sc_free(m->key);
  sc_free(m->val);
  memset(m, 0, sizeof *m);
}

/* The slot of |k|: its own, or the empty one where it would go. */
static size_t smap_slot(const struct smap *m, const char *k) {
  size_t i = hash_str(k) & (m->cap - 1);
  while (m->key[i] && strcmp(m->key[i], k) != 0)
    i = (i + 1) & (m->cap - 1);
  return i;
}

static const size_t *smap_get(const struct smap *m, const char *k) {
  if (!m->cap)
    return NULL;
  size_t i = smap_slot(m, k);
  return m->key[i] ? &m->val[i] : NULL;
}

/* Adds |k| -> |v| (|k| must not be there). 0, or -1 out of memory. */
static int smap_put(struct smap *m, const char *k, size_t v) {
  if (2 * (m->n + 1) > m->cap) {
    struct smap g = {0};
    g.cap = m->cap ? m->cap * 2 : 64;
    g.key = sc_calloc(g.cap, sizeof *g.key);
    g.val = sc_calloc(g.cap, sizeof *g.val);
    if (!g.key || !g.val) {
      smap_free(&g);
      return -1;
    }
    for (size_t i = 0; i < m->cap; i++)
      if (m->key[i]) {
        size_t s = smap_slot(&g, m->key[i]);
        g.key[s] = m->key[i];
        g.val[s] = m->val[i];
      }
    g.n = m->n;
    smap_free(m);
    *m = g;
  }
  size_t s = smap_slot(m, k);
  m->key[s] = k;
  m->val[s] = v;
  m->n++;
  return 0;
}

struct vendor {
  char *name;
  char *note;    /* NULL or one line for the card */
  char *dialect; /* NULL or the dialect that decided what is unsupported */
  struct sc_report rep;
};

struct sc_compare {
  struct vendor *v;
  size_t nv;
};

struct sc_compare *sc_compare_new(void) {
  return sc_calloc(1, sizeof(struct sc_compare));
}

void sc_compare_destroy(struct sc_compare *c) {
  if (!c)
    return;
  for (size_t i = 0; i < c->nv; i++) {
    sc_free(c->v[i].name);
    sc_free(c->v[i].note);
    sc_free(c->v[i].dialect);
    sc_report_free(&c->v[i].rep);
  }
  sc_free(c->v);
  sc_free(c);
}

size_t sc_compare_nvendors(const struct sc_compare *c) {
  return c ? c->nv : 0;
}

static size_t nres(const struct sc_report *r) {
  return r->results ? r->nresults : 0;
}

/* A name or note: UTF-8 text without control characters. */
static int plain_text(const char *s) {
  if (sc_utf8_check(s, strlen(s)) != (size_t)-1)
    return 0;
  for (; *s; s++)
    if ((unsigned char)*s < 0x20 || *s == 0x7f)
      return 0;
  return 1;
}

int sc_compare_add(struct sc_compare *c, const char *name, const char *note,
                   const char *dialect, struct sc_report *rep, char *err,
                   size_t errlen) {
  struct sc_report r = *rep;
  struct smap seen = {0};
  struct vendor *nv;
  int rc = -1;

  memset(rep, 0, sizeof *rep);
  if (!name || !*name || strlen(name) > SC_COMPARE_NAME_MAX ||
      !plain_text(name)) {
    snprintf(err, errlen,
             "a vendor name is 1 to %d bytes of text without control "
             "characters",
             SC_COMPARE_NAME_MAX);
    goto out;
  }
  for (size_t i = 0; i < c->nv; i++)
    if (strcmp(c->v[i].name, name) == 0) {
      snprintf(err, errlen, "two vendors are named '%s': name each one", name);
      goto out;
    }
  if (c->nv == SC_COMPARE_MAX_VENDORS) {
    snprintf(err, errlen, "more than %d vendors", SC_COMPARE_MAX_VENDORS);
    goto out;
  }
  for (size_t i = 0; i < nres(&r); i++) {
    const char *id = r.results[i].id;
    char q[200];
    if (!id || !*id) {
      snprintf(err, errlen, "result %zu has no check id", i + 1);
      goto out;
    }
    if (smap_get(&seen, id)) {
      quote(id, q, sizeof q);
      snprintf(err, errlen, "check '%s' appears twice", q);
      goto out;
    }
    if (smap_put(&seen, id, i)) {
      snprintf(err, errlen, "out of memory");
      goto out;
    }
  }
  if (!(nv = sc_realloc(c->v, (c->nv + 1) * sizeof *c->v))) {
    snprintf(err, errlen, "out of memory");
    goto out;
  }
  c->v = nv;
  nv = &c->v[c->nv];
  memset(nv, 0, sizeof *nv);
  nv->name = sc_strdup(name);
  nv->note = note && *note ? sc_strdup(note) : NULL;
  nv->dialect = dialect && *dialect ? sc_strdup(dialect) : NULL;
  if (!nv->name || (note && *note && !nv->note) ||
      (dialect && *dialect && !nv->dialect)) {
    sc_free(nv->name);
    sc_free(nv->note);
    sc_free(nv->dialect);
    snprintf(err, errlen, "out of memory");
    goto out;
  }
  nv->rep = r;
  memset(&r, 0, sizeof r);
  c->nv++;
  rc = 0;
out:
  smap_free(&seen);
  sc_report_free(&r);
  return rc;
}

/* ----------------------------------------------------------------- view */

/* Counted columns: the verdicts, "unsupported" standing for both a
 * result UNSUPPORTED and no result at all. */
#define COL_MAP(X)                                                             \
  X(PASS, "PASS", 'P')                                                         \
  X(WARN, "WARN", 'W')                                                         \
  X(FAIL, "FAIL", 'F')                                                         \
  X(ERROR, "ERROR", 'E')                                                       \
  X(SKIP, "SKIP", 'S')                                                         \
  X(BLOCKED, "BLOCKED", 'B')                                                   \
  X(UNSUP, "unsupported", 'U')

enum col {
#define COL_ENUM(name, str, letter) COL_##name,
  COL_MAP(COL_ENUM)
#undef COL_ENUM
      COL__COUNT
};

static const char *const col_names[] = {
#define COL_NAME(name, str, letter) str,
    COL_MAP(COL_NAME)
#undef COL_NAME
};

static const char col_letters[] = {
#define COL_LETTER(name, str, letter) letter,
    COL_MAP(COL_LETTER)
#undef COL_LETTER
};

static enum col col_of(const struct sc_check_result *r) {
  if (!r)
    return COL_UNSUP;
  switch (r->verdict) {
  case SC_VERDICT_PASS:
    return COL_PASS;
  case SC_VERDICT_WARN:
    return COL_WARN;
  case SC_VERDICT_FAIL:
    return COL_FAIL;
  case SC_VERDICT_SKIP:
    return COL_SKIP;
  case SC_VERDICT_BLOCKED:
    return COL_BLOCKED;
  case SC_VERDICT_UNSUPPORTED:
    return COL_UNSUP;
  default:
    return COL_ERROR;
  }
}

/* A result's verdict, one outside the enum as ERROR. */
static enum sc_verdict verdict_ix(const struct sc_check_result *r) {
  return (unsigned)r->verdict < SC_VERDICT__COUNT ? r->verdict
                                                  : SC_VERDICT_ERROR;
}

/* Category index, SC_CAT__COUNT standing for "unknown". */
static size_t cat_ix(const struct sc_check_result *r) {
  return (unsigned)r->cat < SC_CAT__COUNT ? (size_t)r->cat : SC_CAT__COUNT;
}

/* Latency of one action at one vendor. */
struct alat {
  const char *a; /* the action's name: a span into a URL or body */
  size_t alen;
  double p50, p95;
  size_t n;
};

struct vstat {
  size_t col[COL__COUNT];
  size_t verdict[SC_VERDICT__COUNT]; /* the results, by verdict */
  size_t cat[SC_CAT__COUNT + 1][COL__COUNT];
  struct alat *acts; /* sorted by name */
  size_t nacts;
  double p50, p95; /* over every request to the target */
  size_t nlat;
};

struct row {
  const struct sc_check_result *first; /* id, category, action, citation */
  size_t action;                       /* index into view.actions */
};

struct view {
  const struct sc_compare *c;
  size_t nv;
  struct row *rows; /* in order of first appearance */
  size_t nrows;
  size_t *order;                       /* display position -> row */
  const struct sc_check_result **cell; /* [row * nv + vendor] or NULL */
  unsigned char *col;                  /* [row * nv + vendor]: enum col */
  const char **actions; /* in order of first appearance; "" = none */
  size_t nactions;
  struct vstat *st; /* per vendor */
  struct alat *all; /* every action with a latency, sorted, unique */
  size_t nall;
};

/* A row's place in the display: action, category, first appearance. */
struct place {
  size_t action, cat, row;
};

static int by_place(const void *a, const void *b) {
  const struct place *x = a, *y = b;
  if (x->action != y->action)
    return x->action < y->action ? -1 : 1;
  if (x->cat != y->cat)
    return x->cat < y->cat ? -1 : 1;
  return (x->row > y->row) - (x->row < y->row);
}

static void view_free(struct view *v) {
  for (size_t j = 0; v->st && j < v->nv; j++)
    sc_free(v->st[j].acts);
  sc_free(v->st);
  sc_free(v->rows);
  sc_free(v->order);
  sc_free(v->cell);
  sc_free(v->col);
  sc_free(v->actions);
  sc_free(v->all);
  memset(v, 0, sizeof *v);
}

/* The action a request to |target| asked for: its `action` parameter (in
 * the query or a form body), else |check_action|. 0 when the request did
 * not go to the target (control, webhooks) or got no answer. */
static int span_param(const char *q, const char **a, size_t *n) {
  while (q && *q) {
    size_t seg = strcspn(q, "&#");
    if (seg > 7 && strncmp(q, "action=", 7) == 0) {
      *a = q + 7;
      *n = seg - 7;
      return 1;
    }
    if (q[seg] != '&')
      break;
    q += seg + 1;
  }
  return 0;
}

static int exchange_action(const char *target, const struct sc_check_result *c,
                           const struct sc_exchange *e, const char **a,
                           size_t *n) {
  size_t tl;
  if (!target || !e->url || e->transport_error || e->status <= 0)
    return 0;
  tl = strcspn(target, "?#");
  if (!tl || strncmp(e->url, target, tl) != 0 || !strchr("?/#", e->url[tl]))
    return 0;
  if (!span_param(strchr(e->url, '?') ? strchr(e->url, '?') + 1 : NULL, a, n) &&
      !span_param(e->request_body, a, n)) {
    if (!c->action)
      return 0;
    *a = c->action;
    *n = strlen(c->action);
  }
  if (!*n || *n > 64)
    return 0;
  for (size_t i = 0; i < *n; i++)
    if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                "0123456789._-",
                (*a)[i]))
      return 0;
  return 1;
}

struct sample {
  const char *a;
  size_t alen;
  double ms;
};

static int span_cmp(const char *a, size_t an, const char *b, size_t bn) {
  int d = memcmp(a, b, an < bn ? an : bn);
  return d ? d : (an > bn) - (an < bn);
}

static int by_action_ms(const void *x, const void *y) {
  const struct sample *a = x, *b = y;
  int d = span_cmp(a->a, a->alen, b->a, b->alen);
  if (d)
    return d;
  return (a->ms > b->ms) - (a->ms < b->ms);
}

static int by_ms(const void *x, const void *y) {
  const double *a = x, *b = y;
  return (*a > *b) - (*a < *b);
}

static int by_alat(const void *x, const void *y) {
  const struct alat *a = x, *b = y;
  return span_cmp(a->a, a->alen, b->a, b->alen);
}

/* The nearest rank of percentile |p| among |n| sorted values: the index
 * of the ceil(p * n)-th one (no libm: the run library does not link it). */
static size_t rank(size_t n, double p) {
  double x = p * (double)n;
  size_t k = (size_t)x;
  if ((double)k < x)
    k++;
  return k ? (k > n ? n : k) - 1 : 0;
}

static double pct(const double *v, size_t n, double p) {
  return n ? v[rank(n, p)] : 0;
}

static double pct_s(const struct sample *s, size_t n, double p) {
  return n ? s[rank(n, p)].ms : 0;
}

static int latency(const struct vendor *vd, struct vstat *st) {
  const struct sc_report *r = &vd->rep;
  size_t n = 0, k = 0;
  for (size_t i = 0; i < nres(r); i++)
    n += r->results[i].ex ? r->results[i].nex : 0;
  if (!n)
    return 0;
  struct sample *s = sc_calloc(n, sizeof *s);
  double *all = sc_calloc(n, sizeof *all);
  if (!s || !all)
    goto oom;
  for (size_t i = 0; i < nres(r); i++) {
    const struct sc_check_result *c = &r->results[i];
    for (size_t x = 0; c->ex && x < c->nex; x++)
      if (exchange_action(r->target, c, &c->ex[x], &s[k].a, &s[k].alen)) {
        s[k].ms = isfinite(c->ex[x].ms) ? c->ex[x].ms : 0;
        all[k] = s[k].ms;
        k++;
      }
  }
  qsort(s, k, sizeof *s, by_action_ms);
  qsort(all, k, sizeof *all, by_ms);
  st->nlat = k;
  st->p50 = pct(all, k, 0.50);
  st->p95 = pct(all, k, 0.95);
  if (k && !(st->acts = sc_calloc(k, sizeof *st->acts)))
    goto oom;
  for (size_t i = 0; i < k;) {
    size_t e = i;
    while (e < k && span_cmp(s[e].a, s[e].alen, s[i].a, s[i].alen) == 0)
      e++;
    struct alat *a = &st->acts[st->nacts++];
    a->a = s[i].a;
    a->alen = s[i].alen;
    a->n = e - i;
    a->p50 = pct_s(s + i, e - i, 0.50);
    a->p95 = pct_s(s + i, e - i, 0.95);
    i = e;
  }
  sc_free(s);
  sc_free(all);
  return 0;
oom:
  sc_free(s);
  sc_free(all);
  return -1;
}

static const struct alat *find_alat(const struct vstat *st, const char *a,
                                    size_t n) {
  struct alat key = {.a = a, .alen = n};
  return st->nacts ? bsearch(&key, st->acts, st->nacts, sizeof key, by_alat)
                   : NULL;
}

/* Builds the view of |c|; 0, or -1 out of memory (|v| freed). With
 * |timing| the latencies as well. */
static int view_build(const struct sc_compare *c, struct view *v, int timing) {
  struct smap ids = {0}, acts = {0};
  size_t total = 0, **rowof = NULL;

  memset(v, 0, sizeof *v);
  v->c = c;
  v->nv = c->nv;
  for (size_t j = 0; j < c->nv; j++)
    total += nres(&c->v[j].rep);
  if (!(v->st = sc_calloc(c->nv ? c->nv : 1, sizeof *v->st)) ||
      !(rowof = sc_calloc(c->nv ? c->nv : 1, sizeof *rowof)) ||
      !(v->rows = sc_calloc(total ? total : 1, sizeof *v->rows)) ||
      !(v->actions = sc_calloc(total ? total : 1, sizeof *v->actions)))
    goto oom;
  for (size_t j = 0; j < c->nv; j++) {
    const struct sc_report *r = &c->v[j].rep;
    if (nres(r) && !(rowof[j] = sc_calloc(nres(r), sizeof **rowof)))
      goto oom;
    for (size_t i = 0; i < nres(r); i++) {
      const struct sc_check_result *res = &r->results[i];
      const size_t *at = smap_get(&ids, res->id);
      if (at) {
        rowof[j][i] = *at;
        continue;
      }
      const char *a = res->action ? res->action : "";
      const size_t *ai = smap_get(&acts, a);
      if (!ai) {
        if (smap_put(&acts, a, v->nactions))
          goto oom;
        v->actions[v->nactions++] = a;
        ai = smap_get(&acts, a);
      }
      v->rows[v->nrows].first = res;
      v->rows[v->nrows].action = *ai;
      if (smap_put(&ids, res->id, v->nrows))
        goto oom;
      rowof[j][i] = v->nrows++;
    }
  }
  /* the rows without an action go last */
  const size_t *none = smap_get(&acts, "");
  if (none)
    for (size_t i = 0; i < v->nrows; i++)
      if (v->rows[i].action == *none)
        v->rows[i].action = SIZE_MAX;
  if (v->nrows && (size_t)-1 / v->nrows < (c->nv ? c->nv : 1))
    goto oom;
  size_t ncell = v->nrows * c->nv;
  if (!(v->order = sc_calloc(v->nrows ? v->nrows : 1, sizeof *v->order)) ||
      !(v->cell = sc_calloc(ncell ? ncell : 1, sizeof *v->cell)) ||
      !(v->col = sc_calloc(ncell ? ncell : 1, sizeof *v->col)))
    goto oom;
  struct place *pl = sc_calloc(v->nrows ? v->nrows : 1, sizeof *pl);
  if (!pl)
    goto oom;
  for (size_t i = 0; i < v->nrows; i++) {
    pl[i].action = v->rows[i].action;
    pl[i].cat = cat_ix(v->rows[i].first);
    pl[i].row = i;
  }
  qsort(pl, v->nrows, sizeof *pl, by_place);
  for (size_t i = 0; i < v->nrows; i++)
    v->order[i] = pl[i].row;
  sc_free(pl);
  for (size_t j = 0; j < c->nv; j++) {
    const struct sc_report *r = &c->v[j].rep;
    for (size_t i = 0; i < nres(r); i++) {
      size_t x = rowof[j][i] * c->nv + j;
      v->cell[x] = &r->results[i];
      /* as in the run: a BLOCKED that nothing of the vendor's report
       * explains is an ERROR */
      v->col[x] = sc_report_unexplained(r, &r->results[i])
                      ? COL_ERROR
                      : (unsigned char)col_of(&r->results[i]);
    }
  }
  for (size_t i = 0; i < ncell; i++)
    if (!v->cell[i])
      v->col[i] = COL_UNSUP;
  for (size_t i = 0; i < v->nrows; i++)
    for (size_t j = 0; j < c->nv; j++) {
      const struct sc_check_result *res = v->cell[i * c->nv + j];
      enum col k = (enum col)v->col[i * c->nv + j];
      v->st[j].col[k]++;
      v->st[j].cat[cat_ix(v->rows[i].first)][k]++;
      if (res)
        v->st[j].verdict[verdict_ix(res)]++;
    }
  if (timing) {
    size_t n = 0;
    for (size_t j = 0; j < c->nv; j++) {
      if (latency(&c->v[j], &v->st[j]))
        goto oom;
      n += v->st[j].nacts;
    }
    if (n && !(v->all = sc_calloc(n, sizeof *v->all)))
      goto oom;
    for (size_t j = 0; j < c->nv; j++)
      for (size_t k = 0; k < v->st[j].nacts; k++)
        v->all[v->nall++] = v->st[j].acts[k];
    if (v->nall)
      qsort(v->all, v->nall, sizeof *v->all, by_alat);
    size_t u = 0;
    for (size_t k = 0; k < v->nall; k++)
      if (!u || by_alat(&v->all[u - 1], &v->all[k]) != 0)
        v->all[u++] = v->all[k];
    v->nall = u;
  }
  for (size_t j = 0; j < c->nv; j++)
    sc_free(rowof[j]);
  sc_free(rowof);
  smap_free(&ids);
  smap_free(&acts);
  return 0;
oom:
  for (size_t j = 0; rowof && j < c->nv; j++)
    sc_free(rowof[j]);
  sc_free(rowof);
  smap_free(&ids);
  smap_free(&acts);
  view_free(v);
  return -1;
}

static const char *action_of(const struct view *v, const struct row *r) {
  return r->action == SIZE_MAX ? NULL : v->actions[r->action];
}

static void score_of(const struct vstat *st, struct sc_compare_score *s) {
  memset(s, 0, sizeof *s);
  memcpy(s->n, st->verdict, sizeof s->n);
  s->unsupported = st->col[COL_UNSUP];
  s->passed = st->col[COL_PASS] + st->col[COL_WARN];
  s->applicable = s->passed + st->col[COL_FAIL] + st->col[COL_ERROR];
  s->score = s->applicable ? (double)s->passed / (double)s->applicable : -1;
}

size_t sc_compare_nchecks(const struct sc_compare *c) {
  struct view v;
  size_t n;
  if (!c || view_build(c, &v, 0))
    return 0;
  n = v.nrows;
  view_free(&v);
  return n;
}

const char *sc_compare_score(const struct sc_compare *c, size_t i,
                             struct sc_compare_score *s) {
  struct view v;
  memset(s, 0, sizeof *s);
  s->score = -1;
  if (!c || i >= c->nv || view_build(c, &v, 0))
    return NULL;
  score_of(&v.st[i], s);
  view_free(&v);
  return c->v[i].name;
}

/* --------------------------------------------------------------- output */

struct out {
  struct sc_out w;   /* the staged output (sc_out.h) */
  struct sc_buf tmp; /* one string on its way through two escapings */
  struct sc_buf scr; /* one string with its loopback ports scrubbed */
  unsigned flags;
};

static void out_init(struct out *o, FILE *f, unsigned flags) {
  sc_out_init(&o->w, f);
  o->flags = flags;
  sc_buf_init(&o->tmp, SIZE_MAX);
  sc_buf_init(&o->scr, SIZE_MAX);
}

static int out_end(struct out *o) {
  sc_buf_free(&o->tmp);
  sc_buf_free(&o->scr);
  return sc_out_end(&o->w);
}

/* After appending to the staged output directly, through the scratch
 * buffers: a failure in either is the output's. */
static void out_check(struct out *o) {
  if (o->tmp.err || o->scr.err)
    o->w.err = -1;
  sc_out_check(&o->w);
}

static int stable(const struct out *o) {
  return (o->flags & SC_COMPARE_STABLE) != 0;
}

static int digit(char c) {
  return c >= '0' && c <= '9';
}

/* The length of the digits at |s[i]|, at least |lo| and at most |hi| of
 * them, or 0. */
static size_t digits(const char *s, size_t n, size_t i, size_t lo, size_t hi) {
  size_t k = 0;
  while (i + k < n && k < hi + 1 && digit(s[i + k]))
    k++;
  return k >= lo && k <= hi ? k : 0;
}

/* A date and time at |s[i]| ("2026-11-23 14:34:59", with a space or a
 * T), or as much of one as is there when a message cut it short, from
 * year and month on: its length, with |*parts| set to how many of year,
 * month, day, hour, minute and second it holds; 0 when there is none. */
static size_t datetime(const char *s, size_t n, size_t i, size_t *parts) {
  static const struct {
    size_t lo, hi;
    char sep; /* what comes before the part */
  } part[] = {{4, 4, 0},   {1, 2, '-'}, {1, 2, '-'},
              {1, 2, ' '}, {2, 2, ':'}, {2, 2, ':'}};
  size_t at = i, k;
  for (k = 0; k < sizeof part / sizeof *part; k++) {
    size_t from = at;
    if (part[k].sep) {
      if (at >= n ||
          (s[at] != part[k].sep && !(part[k].sep == ' ' && s[at] == 'T')))
        break;
      from++;
    }
    size_t d = digits(s, n, from, part[k].lo, part[k].hi);
    if (!d)
      break;
    at = from + d;
  }
  *parts = k;
  return k >= 2 ? at - i : 0;
}

/* Under SC_COMPARE_STABLE a loopback address keeps its host and loses its
 * port ("127.0.0.1:PORT"): the simulator and the webhook listener take a
 * free port, another one each run. A date and time an endpoint sent is
 * shown as "YYYY-MM-DD hh:mm:ss" (or as much of that as a message that
 * cut the answer short kept): the simulator runs on the wall clock. */
static void scrub(struct sc_buf *b, const char *s, size_t n) {
  static const char *const hosts[] = {"127.0.0.1:", "localhost:", "[::1]:"};
  size_t i = 0, run = 0;
  sc_buf_reset(b);
  while (i < n) {
    size_t parts = 0, hl = 0, dl = digit(s[i]) ? datetime(s, n, i, &parts) : 0;
    for (size_t h = 0; h < sizeof hosts / sizeof *hosts && !hl && !dl; h++) {
      size_t l = strlen(hosts[h]);
      if (n - i > l && memcmp(s + i, hosts[h], l) == 0 && digit(s[i + l]))
        hl = l;
    }
    if (dl) {
      /* "YYYY-MM-DD hh:mm:ss" up to the parts there are */
      static const size_t ends[] = {0, 4, 7, 10, 13, 16, 19};
      sc_buf_add(b, s + i - run, run);
      sc_buf_add(b,
                 memchr(s + i, 'T', dl) ? "YYYY-MM-DDThh:mm:ss"
                                        : "YYYY-MM-DD hh:mm:ss",
                 ends[parts]);
      run = 0;
      i += dl;
      continue;
    }
    if (!hl) {
      run++;
      i++;
      continue;
    }
    sc_buf_add(b, s + i - run, run + hl);
    sc_buf_adds(b, "PORT");
    run = 0;
    for (i += hl; i < n && digit(s[i]); i++)
      ;
  }
  sc_buf_add(b, s + n - run, run);
}

/* [s, s+n) escaped for |m| (see sc_report_escape); NULL writes nothing. */
static void out_escn(struct out *o, const char *s, size_t n,
                     enum sc_report_esc m, size_t cap) {
  if (!s || o->w.err)
    return;
  if (stable(o)) {
    scrub(&o->scr, s, n);
    s = o->scr.ptr ? o->scr.ptr : "";
    n = o->scr.len;
  }
  sc_report_escape(&o->w.b, m, s, n, cap);
  out_check(o);
}

static void out_esc(struct out *o, const char *s, enum sc_report_esc m,
                    size_t cap) {
  if (s)
    out_escn(o, s, strlen(s), m, cap);
}

/* A JSON string of the text [s, s+n) as the HTML page shows it (not-text
 * bytes as \xNN, invisible code points as \uNNNN), safe inside <script>;
 * null for NULL. */
static void out_datan(struct out *o, const char *s, size_t n) {
  if (o->w.err)
    return;
  if (!s) {
    sc_out_s(&o->w, "null");
    return;
  }
  if (stable(o)) {
    scrub(&o->scr, s, n);
    s = o->scr.ptr ? o->scr.ptr : "";
    n = o->scr.len;
  }
  sc_buf_reset(&o->tmp);
  sc_report_escape(&o->tmp, SC_REPORT_ESC_TEXT, s, n, 0);
  sc_buf_addc(&o->w.b, '"');
  sc_report_escape(&o->w.b, SC_REPORT_ESC_JSON_SCRIPT,
                   o->tmp.ptr ? o->tmp.ptr : "", o->tmp.len, 0);
  sc_buf_addc(&o->w.b, '"');
  out_check(o);
}

static void out_data(struct out *o, const char *s) {
  out_datan(o, s, s ? strlen(s) : 0);
}

/* A JSON string, lossless (the --json writer); null for NULL. */
static void out_json(struct out *o, const char *s) {
  if (!s) {
    sc_out_s(&o->w, "null");
    return;
  }
  sc_out_s(&o->w, "\"");
  out_esc(o, s, SC_REPORT_ESC_JSON, 0);
  sc_out_s(&o->w, "\"");
}

/* "doc § section", or whichever half is there, escaped for |m|. */
static void out_citation(struct out *o, const struct sc_check_result *c,
                         enum sc_report_esc m, size_t cap) {
  out_esc(o, c->doc, m, cap);
  if (c->doc && c->section)
    sc_out_s(&o->w, " \xC2\xA7 ");
  out_esc(o, c->section, m, cap);
}

static const char *str_or(const char *s, const char *dflt) {
  return s ? s : dflt;
}

/* "87.5 %", or "n/a" when no check applies. */
static void out_score(struct out *o, const struct sc_compare_score *s) {
  if (s->score < 0) {
    sc_out_s(&o->w, "n/a");
    return;
  }
  sc_out_num(&o->w, 100 * s->score, 1, 0);
  sc_out_s(&o->w, " %");
}

/* Why vendor |j| has no result for a check. */
static const char *why_unsupported(const struct vendor *vd, char *buf,
                                   size_t len) {
  if (vd->dialect)
    snprintf(buf, len, "the %s document does not describe this check's action",
             vd->dialect);
  else
    snprintf(buf, len,
             "not in this vendor's run: its profile has no such "
             "check, or the run was filtered");
  return buf;
}

/* --------------------------------------------------------------- HTML */

/* The page's script: filters (category, action, verdict, vendor, rows that
 * differ), read from and written to location.hash; the detail panel of a
 * cell, built from the data island with textContent only; and, for tests,
 * script errors and Content-Security-Policy violations recorded on <html>
 * (data-errors, data-csp) and data-ready once it ran. The policy below
 * allows this script and nothing else, by hash: if it changes, the hash
 * must change with it (test_compare checks it). Recompute with
 *   printf '%s' "$SCRIPT" | openssl dgst -sha256 -binary | base64 */
#define PAGE_SCRIPT                                                            \
  "(function(){\"use strict\";\n"                                              \
  "var D=document,H=D.documentElement,nerr=0;\n"                               \
  "window.addEventListener(\"error\",function(e){nerr++;H.setAttribute(\""     \
  "data-errors\",String(nerr));H.setAttribute(\"data-error\",String(e.mes"     \
  "sage));});\n"                                                               \
  "D.addEventListener(\"securitypolicyviolation\",function(e){H.setAttrib"     \
  "ute(\"data-csp\",String(e.violatedDirective));});\n"                        \
  "var data=JSON.parse(D.getElementById(\"data\").textContent),V=data.v,C"     \
  "=data.c,R=data.r,nv=V.length;\n"                                            \
  "var f=D.getElementById(\"filters\"),E=f.elements,t=D.getElementById(\""     \
  "matrix\"),P=D.getElementById(\"panel\"),cur=null;\n"                        \
  "var N={P:\"PASS\",W:\"WARN\",F:\"FAIL\",E:\"ERROR\",S:\"SKIP\",B:\"BLO"     \
  "CKED\",U:\"unsupported\"},K={};\n"                                          \
  "for(var k in N)K[N[k]]=k;\n"                                                \
  "function el(tag,text,cls){var e=D.createElement(tag);if(text!==undefin"     \
  "ed&&text!==null)e.textContent=String(text);if(cls)e.className=cls;retu"     \
  "rn e;}\n"                                                                   \
  "function vix(s){for(var j=0;j<nv;j++)if(V[j][0]===s)return j;return -1"     \
  ";}\n"                                                                       \
  "function differs(d){for(var i=1;i<d.length;i++)if(d.charAt(i)!==d.char"     \
  "At(0))return true;return false;}\n"                                         \
  "function hash(){var q=[];[\"cat\",\"action\",\"verdict\",\"vendor\"].f"     \
  "orEach(function(n){if(E[n].value)q.push(n+\"=\"+encodeURIComponent(E[n"     \
  "].value));});\n"                                                            \
  "if(E.diff.checked)q.push(\"diff=1\");if(cur)q.push(\"detail=\"+encodeU"     \
  "RIComponent(C[cur[0]][0]),\"in=\"+encodeURIComponent(V[cur[1]][0]));\n"     \
  "try{history.replaceState(null,\"\",\"#\"+q.join(\"&\"));}catch(x){}}\n"     \
  "function apply(){var cat=E.cat.value,act=E.action.value,ver=K[E.verdic"     \
  "t.value]||\"\",j=vix(E.vendor.value),diff=E.diff.checked,shown=0,rows="     \
  "t.rows;\n"                                                                  \
  "for(var r=0;r<rows.length;r++){var cs=rows[r].cells;if(cs.length===nv+"     \
  "1)for(var c=1;c<=nv;c++)cs[c].hidden=j>=0&&c-1!==j;}\n"                     \
  "for(var g=0;g<t.tBodies.length;g++){var b=t.tBodies[g],any=false,br=b."     \
  "rows,ga=!act||b.getAttribute(\"data-a\")===act;\n"                          \
  "for(var i=1;i<br.length;i++){var row=br[i],d=row.getAttribute(\"data-v"     \
  "\");\n"                                                                     \
  "var ok=ga&&(!cat||row.getAttribute(\"data-cat\")===cat)&&(!ver||(j<0?d"     \
  ".indexOf(ver)>=0:d.charAt(j)===ver))&&(!diff||differs(d));\n"               \
  "row.hidden=!ok;if(ok){any=true;shown++;}}b.hidden=!any;}\n"                 \
  "t.setAttribute(\"data-shown\",String(shown));D.getElementById(\"shown"      \
  "\").textContent=String(shown);hash();}\n"                                   \
  "function item(dl,k,v,pre){if(v===undefined||v===null||v===\"\")return;"     \
  "dl.appendChild(el(\"dt\",k));var dd=el(\"dd\");if(pre)dd.appendChild(e"     \
  "l(\"pre\",v));else dd.textContent=String(v);dl.appendChild(dd);}\n"         \
  "function hide(){P.hidden=true;P.textContent=\"\";cur=null;var s=t.quer"     \
  "ySelector(\"td.sel\");if(s)s.className=s.className.replace(\" sel\",\""     \
  "\");hash();}\n"                                                             \
  "function show(i,j){var c=C[i],r=R[i*nv+j],v=V[j];hide();cur=[i,j];\n"       \
  "var td=t.querySelector(\"tr[data-i=\\\"\"+i+\"\\\"]\");if(td&&td.cells"     \
  "[j+1])td.cells[j+1].className+=\" sel\";\n"                                 \
  "var x=el(\"button\",\"close\");x.type=\"button\";x.addEventListener(\""     \
  "click\",hide);P.appendChild(x);\n"                                          \
  "P.appendChild(el(\"h2\",c[0]));var dl=el(\"dl\");\n"                        \
  "item(dl,\"vendor\",v[0]);item(dl,\"verdict\",r?N[r[0]]:\"unsupported\""     \
  ");if(!r)item(dl,\"why\",v[1]);\n"                                           \
  "item(dl,\"requirement\",c[3]);item(dl,\"source\",r&&r[4]?r[4]:c[4]);it"     \
  "em(dl,\"category\",c[1]);item(dl,\"action\",c[2]);\n"                       \
  "if(r){item(dl,\"message\",r[1],1);item(dl,\"cause\",r[10]);item(dl,\"bl"    \
  "ocked by\",r[9]);item(dl,\"HTTP status\",r[11]);if(r[12].length)item(d"     \
  "l,\"deviations\",r[12].join(\"\\n\"),1);\n"                                 \
  "item(dl,\"expected\",r[2],1);item(dl,\"actual\",r[3],1);item(dl,\"repro"    \
  "duce\",r[5],1);if(r[6]!==null)item(dl,\"time\",r[6]+\" ms\");}\n"           \
  "P.appendChild(dl);\n"                                                       \
  "if(r&&r[7])r[7].forEach(function(e,n){var box=el(\"div\",null,\"ex\"),"     \
  "d2=el(\"dl\");box.appendChild(el(\"h3\",\"exchange \"+(n+1+r[8])+\": "      \
  "\"+e[0]+\" \"+e[1]));\n"                                                    \
  "item(d2,\"request body\",e[2],1);item(d2,\"transport error\",e[7]);ite"     \
  "m(d2,\"status\",e[3]);item(d2,\"content type\",e[4]);item(d2,\"time\","     \
  "e[8]===null?null:e[8]+\" ms\");\n"                                          \
  "if(e[5]!==null){d2.appendChild(el(\"dt\",\"body\"));var dd=el(\"dd\",e"     \
  "[6]);dd.appendChild(el(\"pre\",e[5]));d2.appendChild(dd);}\n"               \
  "box.appendChild(d2);P.appendChild(box);});\n"                               \
  "if(r&&r[8])P.appendChild(el(\"p\",\"the first \"+r[8]+\" exchanges are"     \
  " in the run's JSON report\"));\n"                                           \
  "if(r&&data.s)P.appendChild(el(\"p\",\"exchanges are left out of this f"     \
  "ile (written with --stable): the runs' JSON reports have them\"));\n"       \
  "P.setAttribute(\"data-check\",c[0]);P.setAttribute(\"data-vendor\",v[0"     \
  "]);P.hidden=false;hash();}\n"                                               \
  "t.addEventListener(\"click\",function(e){var td=e.target;while(td&&td!"     \
  "==t&&td.tagName!==\"TD\")td=td.parentNode;\n"                               \
  "if(!td||td===t)return;var i=td.parentNode.getAttribute(\"data-i\");if("     \
  "i!==null)show(+i,td.cellIndex-1);});\n"                                     \
  "D.addEventListener(\"keydown\",function(e){if(e.key===\"Escape\")hide("     \
  ");});\n"                                                                    \
  "var det=null,dv=null;location.hash.replace(/^#/,\"\").split(\"&\").for"     \
  "Each(function(p){var at=p.indexOf(\"=\"),n,v;if(at<0)return;\n"             \
  "try{n=decodeURIComponent(p.slice(0,at));v=decodeURIComponent(p.slice(a"     \
  "t+1));}catch(x){return;}\n"                                                 \
  "if(n===\"diff\")E.diff.checked=v===\"1\";else if(n===\"detail\")det=v;"     \
  "else if(n===\"in\")dv=v;\n"                                                 \
  "else if(n===\"cat\"||n===\"action\"||n===\"verdict\"||n===\"vendor\"){"     \
  "E[n].value=v;if(E[n].value!==v)E[n].value=\"\";}});\n"                      \
  "f.addEventListener(\"change\",apply);f.hidden=false;apply();\n"             \
  "if(det!==null)for(var i=0;i<C.length;i++)if(C[i][0]===det){var j=dv!=="     \
  "null?vix(dv):vix(E.vendor.value);\n"                                        \
  "for(var n=0;j<0&&n<nv;n++)if(R[i*nv+n])j=n;show(i,j<0?0:j);break;}\n"       \
  "H.setAttribute(\"data-ready\",\"1\");})();\n"
#define PAGE_SCRIPT_SHA256 "IDYzvAL/ri9BizjS8S8sgJd7rzLRTZbGslqnGPFn4X4="

static const char html_head[] =
    "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
    "'none'; style-src 'unsafe-inline'; script-src 'sha256-" PAGE_SCRIPT_SHA256
    "'; base-uri 'none'; form-action 'none'\">\n"
    "<meta name=\"viewport\" content=\"width=device-width, "
    "initial-scale=1\">\n";

static const char html_style[] =
    "<style>\n"
    "body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#1f2328}\n"
    "[hidden]{display:none!important}\n"
    "h2{margin-top:1.6em}\n"
    "#cards{display:flex;flex-wrap:wrap;gap:1em}\n"
    ".card{border:1px solid #d0d7de;border-radius:6px;padding:.7em .9em;"
    "box-sizing:border-box;min-width:13em;max-width:24em;flex:1}\n"
    ".card h3{margin:0;overflow-wrap:anywhere}"
    ".card .score{font-size:2em;font-weight:700;margin:.1em 0}\n"
    ".card dl{display:grid;grid-template-columns:max-content auto;"
    "gap:.1em .8em;margin:.4em 0}\n"
    ".card dt{font-weight:600}.card dd{margin:0;overflow-wrap:anywhere}\n"
    ".n{display:inline-block;padding:0 .4em;margin:.1em;border-radius:3px;"
    "font-size:12px}\n"
    "table{border-collapse:collapse}th,td{border:1px solid #d0d7de;"
    "padding:.2em .5em;text-align:left;vertical-align:top}\n"
    "td.num,th.num{text-align:right}\n"
    ".vP{background:#1a7f37;color:#fff}.vW{background:#9a6700;color:#fff}"
    ".vF{background:#cf222e;color:#fff}.vE{background:#8250df;color:#fff}"
    ".vS{background:#d0d7de;color:#1f2328}.vB{background:#ddf4ff;"
    "color:#0969da}.vU{background:#f6f8fa;color:#6e7781}\n"
    "#filters{margin:.6em 0;display:flex;flex-wrap:wrap;gap:.4em 1em;"
    "align-items:center}\n"
    "#matrix th,#matrix td{border:1px solid #fff}\n"
    "#matrix thead th{position:sticky;top:0;background:#fff;z-index:1;"
    "max-width:7em;overflow-wrap:anywhere;font-size:12px;"
    "vertical-align:bottom}\n"
    "#matrix tbody th{font:12px/1.5 ui-monospace,monospace;"
    "font-weight:400;white-space:nowrap}\n"
    "#matrix tr.gh th{background:#eaeef2;font:600 13px/1.6 system-ui,"
    "sans-serif;padding-top:.4em}\n"
    "#matrix td{min-width:2em;text-align:center;cursor:pointer;"
    "font:700 12px/1.5 ui-monospace,monospace}\n"
    "#matrix td.sel{outline:3px solid #0969da;outline-offset:-3px}\n"
    "#panel{position:fixed;top:0;right:0;width:min(46em,55vw);height:100vh;"
    "overflow:auto;background:#fff;border-left:2px solid #8c959f;"
    "padding:1em 1.2em;box-sizing:border-box;box-shadow:-4px 0 12px "
    "rgba(0,0,0,.15)}\n"
    "#panel h2{margin-top:.4em;font:600 15px ui-monospace,monospace;"
    "overflow-wrap:anywhere}\n"
    "#panel dl{display:grid;grid-template-columns:max-content auto;"
    "gap:.2em .8em}\n"
    "#panel dt{font-weight:600}#panel dd{margin:0;overflow-wrap:anywhere;"
    "min-width:0}\n"
    "pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f6f8fa;"
    "padding:.4em;margin:.2em 0;max-height:24em;overflow:auto}\n"
    ".ex{border-left:3px solid #d0d7de;padding-left:.6em;margin:.6em 0}\n"
    ".ex h3{font:600 13px ui-monospace,monospace;overflow-wrap:anywhere}\n"
    "svg text{font:12px system-ui,sans-serif;fill:#1f2328}\n"
    ".dev td{max-width:28em;overflow-wrap:anywhere}\n"
    "</style>\n</head>\n<body>\n";

/* The longest text in a table cell of the page, in code points (the
 * panel shows everything). */
#define HTML_CELL 300

static void html_dd(struct out *o, const char *label, const char *v) {
  if (!v)
    return;
  sc_out_f(&o->w, "<dt>%s</dt><dd>", label);
  out_esc(o, v, SC_REPORT_ESC_HTML, HTML_CELL);
  sc_out_s(&o->w, "</dd>\n");
}

static void html_counts(struct out *o, const size_t *n) {
  for (int k = 0; k < COL__COUNT; k++)
    if (n[k])
      sc_out_f(&o->w, "<span class=\"n v%c\">%s %zu</span>", col_letters[k],
               col_names[k], n[k]);
}

static void html_card(struct out *o, const struct view *v, size_t j) {
  const struct vendor *vd = &v->c->v[j];
  const struct sc_report *r = &vd->rep;
  const struct vstat *st = &v->st[j];
  struct sc_compare_score s;

  score_of(st, &s);
  sc_out_s(&o->w, "<div class=\"card\"><h3>");
  out_esc(o, vd->name, SC_REPORT_ESC_HTML, 0);
  sc_out_s(&o->w, "</h3>\n<p class=\"score\">");
  out_score(o, &s);
  sc_out_f(&o->w, "</p>\n<p>%zu of %zu applicable checks passed</p>\n<dl>\n",
           s.passed, s.applicable);
  html_dd(o, "target", r->target);
  html_dd(o, "profile", str_or(r->profile, "(none)"));
  html_dd(o, "dialect", vd->dialect);
  html_dd(o, "note", vd->note);
  if (!stable(o)) {
    html_dd(o, "started", r->started);
    sc_out_s(&o->w, "<dt>duration</dt><dd>");
    sc_out_num(&o->w, r->seconds, 2, 0);
    sc_out_f(&o->w, " s, %lu requests</dd>\n", r->requests);
    if (st->nlat) {
      sc_out_s(&o->w, "<dt>latency</dt><dd>p50 ");
      sc_out_num(&o->w, st->p50, 2, 0);
      sc_out_s(&o->w, " ms, p95 ");
      sc_out_num(&o->w, st->p95, 2, 0);
      sc_out_s(&o->w, " ms</dd>\n");
    }
  }
  sc_out_s(&o->w, "</dl>\n<p>");
  html_counts(o, st->col);
  sc_out_s(&o->w, "</p></div>\n");
}

/* A horizontal bar chart, one row per vendor, inline SVG. |val| gives
 * vendor |j|'s values (up to two bars, NAN = none) and |label| their
 * text; |max| is the full width. */
#define CH_LABEL 170
#define CH_BAR 320

static void svg_label(struct out *o, const struct view *v, size_t j, int y) {
  sc_out_f(&o->w, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", CH_LABEL - 8,
           y + 13);
  out_esc(o, v->c->v[j].name, SC_REPORT_ESC_HTML, 24);
  sc_out_s(&o->w, "</text>\n");
}

static void svg_scores(struct out *o, const struct view *v) {
  int h = 24 * (int)v->nv + 10;
  sc_out_f(&o->w,
           "<svg class=\"chart\" role=\"img\" aria-label=\"score per vendor\" "
           "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n",
           CH_LABEL + CH_BAR + 70, h, CH_LABEL + CH_BAR + 70, h);
  for (size_t j = 0; j < v->nv; j++) {
    struct sc_compare_score s;
    int y = 6 + 24 * (int)j;
    score_of(&v->st[j], &s);
    svg_label(o, v, j, y);
    sc_out_f(&o->w,
             "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"18\" "
             "fill=\"#eaeef2\"/>\n",
             CH_LABEL, y, CH_BAR);
    if (s.score >= 0) {
      sc_out_f(&o->w, "<rect x=\"%d\" y=\"%d\" width=\"", CH_LABEL, y);
      sc_out_num(&o->w, s.score * CH_BAR, 1, 0);
      sc_out_f(&o->w, "\" height=\"18\" fill=\"%s\"/>\n",
               s.score >= 0.95   ? "#1a7f37"
               : s.score >= 0.75 ? "#9a6700"
                                 : "#cf222e");
    }
    sc_out_f(&o->w, "<text x=\"%d\" y=\"%d\">", CH_LABEL + CH_BAR + 6, y + 13);
    out_score(o, &s);
    sc_out_s(&o->w, "</text>\n");
  }
  sc_out_s(&o->w, "</svg>\n");
}

static void svg_latency(struct out *o, const struct view *v) {
  double max = 0;
  int h = 30 * (int)v->nv + 24;
  for (size_t j = 0; j < v->nv; j++)
    if (v->st[j].nlat && v->st[j].p95 > max)
      max = v->st[j].p95;
  if (!(max > 0))
    return;
  sc_out_f(&o->w,
           "<svg class=\"chart\" role=\"img\" aria-label=\"latency per "
           "vendor, p50 and p95\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d "
           "%d\">\n",
           CH_LABEL + CH_BAR + 120, h, CH_LABEL + CH_BAR + 120, h);
  for (size_t j = 0; j < v->nv; j++) {
    const struct vstat *st = &v->st[j];
    int y = 6 + 30 * (int)j;
    if (!st->nlat)
      continue;
    svg_label(o, v, j, y + 4);
    sc_out_f(&o->w, "<rect x=\"%d\" y=\"%d\" width=\"", CH_LABEL, y);
    sc_out_num(&o->w, st->p50 / max * CH_BAR, 1, 0);
    sc_out_f(&o->w,
             "\" height=\"11\" fill=\"#0969da\"/>\n<rect x=\"%d\" y=\"%d\" "
             "width=\"",
             CH_LABEL, y + 12);
    sc_out_num(&o->w, st->p95 / max * CH_BAR, 1, 0);
    sc_out_f(&o->w,
             "\" height=\"11\" fill=\"#8c959f\"/>\n<text x=\"%d\" y=\"%d\">",
             CH_LABEL + CH_BAR + 6, y + 16);
    sc_out_num(&o->w, st->p50, 2, 0);
    sc_out_s(&o->w, " / ");
    sc_out_num(&o->w, st->p95, 2, 0);
    sc_out_s(&o->w, " ms</text>\n");
  }
  sc_out_f(&o->w,
           "<text x=\"%d\" y=\"%d\">blue: p50, grey: p95 of the requests to "
           "each target</text>\n</svg>\n",
           CH_LABEL, h - 6);
}

static void html_vendor_heads(struct out *o, const struct view *v,
                              const char *first) {
  sc_out_f(&o->w, "<tr><th>%s</th>", first);
  for (size_t j = 0; j < v->nv; j++) {
    sc_out_s(&o->w, "<th>");
    out_esc(o, v->c->v[j].name, SC_REPORT_ESC_HTML, 0);
    sc_out_s(&o->w, "</th>");
  }
  sc_out_s(&o->w, "</tr>\n");
}

static void html_categories(struct out *o, const struct view *v) {
  sc_out_s(&o->w, "<h2>Checks per category</h2>\n<table class=\"cats\">\n");
  html_vendor_heads(o, v, "category");
  for (size_t k = 0; k <= SC_CAT__COUNT; k++) {
    int any = 0;
    for (size_t j = 0; j < v->nv && !any; j++)
      for (int x = 0; x < COL__COUNT; x++)
        any |= v->st[j].cat[k][x] != 0;
    if (!any)
      continue;
    sc_out_f(&o->w, "<tr><th>%s</th>", sc_cat_name((enum sc_cat)k));
    for (size_t j = 0; j < v->nv; j++) {
      sc_out_s(&o->w, "<td>");
      html_counts(o, v->st[j].cat[k]);
      sc_out_s(&o->w, "</td>");
    }
    sc_out_s(&o->w, "</tr>\n");
  }
  sc_out_s(&o->w, "</table>\n");
}

static void html_latency(struct out *o, const struct view *v) {
  if (!v->nall)
    return;
  sc_out_s(&o->w,
           "<h2>Latency per action</h2>\n<p>p50 / p95 in ms, and the number "
           "of requests, by the <code>action</code> the request named.</p>\n"
           "<table class=\"lat\">\n");
  html_vendor_heads(o, v, "action");
  for (size_t k = 0; k < v->nall; k++) {
    sc_out_s(&o->w, "<tr><th>");
    out_escn(o, v->all[k].a, v->all[k].alen, SC_REPORT_ESC_HTML, 0);
    sc_out_s(&o->w, "</th>");
    for (size_t j = 0; j < v->nv; j++) {
      const struct alat *a = find_alat(&v->st[j], v->all[k].a, v->all[k].alen);
      sc_out_s(&o->w, "<td class=\"num\">");
      if (a) {
        sc_out_num(&o->w, a->p50, 2, 0);
        sc_out_s(&o->w, " / ");
        sc_out_num(&o->w, a->p95, 2, 0);
        sc_out_f(&o->w, " (%zu)", a->n);
      }
      sc_out_s(&o->w, "</td>");
    }
    sc_out_s(&o->w, "</tr>\n");
  }
  sc_out_s(&o->w, "</table>\n");
}

static void html_filters(struct out *o, const struct view *v) {
  sc_out_s(&o->w, "<form id=\"filters\" hidden>\n<label>category <select "
                  "name=\"cat\"><option value=\"\">all</option>");
  for (size_t k = 0; k <= SC_CAT__COUNT; k++) {
    int any = 0;
    for (size_t j = 0; j < v->nv; j++)
      for (int x = 0; x < COL__COUNT; x++)
        any |= v->st[j].cat[k][x] != 0;
    if (any)
      sc_out_f(&o->w, "<option>%s</option>", sc_cat_name((enum sc_cat)k));
  }
  sc_out_s(&o->w, "</select></label>\n<label>action <select name=\"action\">"
                  "<option value=\"\">all</option>");
  for (size_t a = 0; a < v->nactions; a++) {
    if (!*v->actions[a])
      continue;
    sc_out_s(&o->w, "<option>");
    out_esc(o, v->actions[a], SC_REPORT_ESC_HTML, 0);
    sc_out_s(&o->w, "</option>");
  }
  sc_out_s(&o->w, "</select></label>\n<label>verdict <select name=\"verdict\">"
                  "<option value=\"\">any</option>");
  for (int k = 0; k < COL__COUNT; k++)
    sc_out_f(&o->w, "<option>%s</option>", col_names[k]);
  sc_out_s(&o->w, "</select></label>\n<label>vendor <select name=\"vendor\">"
                  "<option value=\"\">all</option>");
  for (size_t j = 0; j < v->nv; j++) {
    sc_out_s(&o->w, "<option>");
    out_esc(o, v->c->v[j].name, SC_REPORT_ESC_HTML, 0);
    sc_out_s(&o->w, "</option>");
  }
  sc_out_f(&o->w,
           "</select></label>\n<label><input type=\"checkbox\" "
           "name=\"diff\"> only where the vendors differ</label>\n"
           "<span><span id=\"shown\">%zu</span> of %zu checks shown</span>\n"
           "</form>\n",
           v->nrows, v->nrows);
}

static void html_matrix(struct out *o, const struct view *v) {
  size_t group = 0;
  int open = 0;

  sc_out_s(&o->w, "<h2 id=\"matrix-title\">Matrix</h2>\n<p>Rows are checks, by "
                  "action; columns are vendors. Select a cell for the check's "
                  "requirement, its source and what the vendor answered.</p>\n"
                  "<p>");
  for (int k = 0; k < COL__COUNT; k++)
    sc_out_f(&o->w, "<span class=\"n v%c\">%c %s</span> ", col_letters[k],
             k == COL_UNSUP ? '-' : col_letters[k], col_names[k]);
  sc_out_s(&o->w, "</p>\n");
  html_filters(o, v);
  sc_out_s(&o->w, "<table id=\"matrix\">\n<thead>");
  html_vendor_heads(o, v, "check");
  sc_out_s(&o->w, "</thead>\n");
  for (size_t i = 0; i < v->nrows; i++) {
    const struct row *rw = &v->rows[v->order[i]];
    const char *a = action_of(v, rw);
    if (!open || rw->action != group) {
      if (open)
        sc_out_s(&o->w, "</tbody>\n");
      open = 1;
      group = rw->action;
      sc_out_s(&o->w, "<tbody data-a=\"");
      out_esc(o, str_or(a, ""), SC_REPORT_ESC_HTML, 0);
      sc_out_f(&o->w, "\"><tr class=\"gh\"><th colspan=\"%zu\">", v->nv + 1);
      out_esc(o, str_or(a, "(checks not about one action)"), SC_REPORT_ESC_HTML,
              0);
      sc_out_s(&o->w, "</th></tr>\n");
    }
    sc_out_f(&o->w, "<tr data-i=\"%zu\" data-cat=\"%s\" data-v=\"", i,
             sc_cat_name((enum sc_cat)cat_ix(rw->first)));
    for (size_t j = 0; j < v->nv; j++)
      sc_out_f(&o->w, "%c", col_letters[v->col[v->order[i] * v->nv + j]]);
    sc_out_s(&o->w, "\"><th>");
    out_esc(o, rw->first->id, SC_REPORT_ESC_HTML, 0);
    sc_out_s(&o->w, "</th>");
    for (size_t j = 0; j < v->nv; j++) {
      enum col k = (enum col)v->col[v->order[i] * v->nv + j];
      sc_out_f(&o->w, "<td class=\"v%c\">%c</td>", col_letters[k],
               k == COL_UNSUP ? '-' : col_letters[k]);
    }
    sc_out_s(&o->w, "</tr>\n");
  }
  if (open)
    sc_out_s(&o->w, "</tbody>\n");
  sc_out_s(&o->w, "</table>\n");
}

static void html_deviations(struct out *o, const struct view *v) {
  sc_out_s(&o->w,
           "<h2>Deviations</h2>\n<p>Per vendor, every FAIL, ERROR and WARN "
           "with what was expected, what came back and the document that "
           "demands it.</p>\n");
  for (size_t j = 0; j < v->nv; j++) {
    const struct vstat *st = &v->st[j];
    size_t n = st->col[COL_FAIL] + st->col[COL_ERROR] + st->col[COL_WARN];
    sc_out_s(&o->w, "<details class=\"dev\"><summary><strong>");
    out_esc(o, v->c->v[j].name, SC_REPORT_ESC_HTML, 0);
    sc_out_f(&o->w, "</strong>: %zu FAIL, %zu ERROR, %zu WARN</summary>\n",
             st->col[COL_FAIL], st->col[COL_ERROR], st->col[COL_WARN]);
    if (!n) {
      sc_out_s(&o->w, "<p>none</p></details>\n");
      continue;
    }
    sc_out_s(&o->w,
             "<table>\n<tr><th>check</th><th>verdict</th><th>message</th>"
             "<th>expected</th><th>actual</th><th>source</th></tr>\n");
    for (size_t i = 0; i < v->nrows; i++) {
      const struct sc_check_result *c = v->cell[v->order[i] * v->nv + j];
      enum col k = (enum col)v->col[v->order[i] * v->nv + j];
      if (k != COL_FAIL && k != COL_ERROR && k != COL_WARN)
        continue;
      sc_out_s(&o->w, "<tr><td><code>");
      out_esc(o, c->id, SC_REPORT_ESC_HTML, HTML_CELL);
      sc_out_f(&o->w, "</code></td><td class=\"v%c\">%s</td><td>",
               col_letters[k], col_names[k]);
      out_esc(o, c->message, SC_REPORT_ESC_HTML, HTML_CELL);
      sc_out_s(&o->w, "</td><td>");
      out_esc(o, c->expected, SC_REPORT_ESC_HTML, HTML_CELL);
      sc_out_s(&o->w, "</td><td>");
      out_esc(o, c->actual, SC_REPORT_ESC_HTML, HTML_CELL);
      sc_out_s(&o->w, "</td><td>");
      out_citation(o, c, SC_REPORT_ESC_HTML, HTML_CELL);
      sc_out_s(&o->w, "</td></tr>\n");
    }
    sc_out_s(&o->w, "</table></details>\n");
  }
}

/* The exchanges shown per cell: the last ones (a deviation is usually in
 * the last answer); the others stay in the run's JSON report. */
#define HTML_EXCHANGES 12

static void data_exchange(struct out *o, const struct sc_exchange *e) {
  int bin = e->body && sc_utf8_check(e->body, e->body_len) != (size_t)-1;
  size_t shown =
      e->body_len > SC_REPORT_BODY_MAX ? SC_REPORT_BODY_MAX : e->body_len;
  sc_out_s(&o->w, "[");
  out_data(o, str_or(e->method, "?"));
  sc_out_s(&o->w, ",");
  out_data(o, e->url);
  sc_out_s(&o->w, ",");
  out_data(o, e->request_body);
  sc_out_f(&o->w, ",%ld,", e->status);
  out_data(o, e->content_type);
  sc_out_s(&o->w, ",");
  out_datan(o, e->body, e->body ? shown : 0);
  sc_out_f(&o->w, ",\"%zu bytes%s%s\",", e->body ? e->body_len : 0,
           bin ? ", not UTF-8 text (bytes shown as \\\\xNN)" : "",
           e->body_truncated || shown < e->body_len ? ", truncated" : "");
  out_data(o, e->transport_error);
  sc_out_s(&o->w, ",");
  sc_out_num(&o->w, e->ms, 1, 0);
  sc_out_s(&o->w, "]");
}

/* "doc § section" as a data string, or null. */
static void data_citation(struct out *o, const struct sc_check_result *c) {
  struct sc_buf b;
  if (!c->doc && !c->section) {
    sc_out_s(&o->w, "null");
    return;
  }
  sc_buf_init(&b, SIZE_MAX);
  sc_buf_adds(&b, str_or(c->doc, ""));
  if (c->doc && c->section)
    sc_buf_adds(&b, " \xC2\xA7 ");
  sc_buf_adds(&b, str_or(c->section, ""));
  if (b.err)
    o->w.err = -1;
  else
    out_datan(o, b.ptr ? b.ptr : "", b.len);
  sc_buf_free(&b);
}

/* A cell's blocked_by, cause, HTTP status (null when 200 or none) and
 * deviations ("JSON_MISSING FAIL at byte 12: message"). */
static void data_why(struct out *o, const struct sc_check_result *c) {
  struct sc_buf b;
  out_data(o, c->blocked_by);
  sc_out_s(&o->w, ",");
  out_data(o, c->cause);
  if (c->http_status && c->http_status != 200)
    sc_out_f(&o->w, ",%ld,[", c->http_status);
  else
    sc_out_s(&o->w, ",null,[");
  sc_buf_init(&b, SIZE_MAX);
  for (size_t k = 0; c->devs && k < c->ndevs; k++) {
    const struct sc_check_dev *d = &c->devs[k];
    enum sc_verdict dv = (unsigned)d->verdict < SC_VERDICT__COUNT
                             ? d->verdict
                             : SC_VERDICT_ERROR;
    sc_buf_reset(&b);
    sc_buf_printf(&b, "%s %s at byte %zu: ", str_or(d->code, "?"),
                  sc_verdict_name(dv), d->offset);
    sc_buf_adds(&b, str_or(d->message, ""));
    if (b.err) {
      o->w.err = -1;
      break;
    }
    if (k)
      sc_out_s(&o->w, ",");
    out_datan(o, b.ptr ? b.ptr : "", b.len);
  }
  sc_buf_free(&b);
  sc_out_s(&o->w, "]");
}

static void data_island(struct out *o, const struct view *v) {
  char why[200];
  sc_out_f(&o->w,
           "<script type=\"application/json\" id=\"data\">{\"s\":%d,\"v\":[",
           stable(o));
  for (size_t j = 0; j < v->nv; j++) {
    sc_out_s(&o->w, j ? ",[" : "[");
    out_data(o, v->c->v[j].name);
    sc_out_s(&o->w, ",");
    out_data(o, why_unsupported(&v->c->v[j], why, sizeof why));
    sc_out_s(&o->w, "]");
  }
  sc_out_s(&o->w, "],\n\"c\":[");
  for (size_t i = 0; i < v->nrows; i++) {
    const struct sc_check_result *f = v->rows[v->order[i]].first;
    sc_out_s(&o->w, i ? ",\n[" : "\n[");
    out_data(o, f->id);
    sc_out_f(&o->w, ",\"%s\",", sc_cat_name((enum sc_cat)cat_ix(f)));
    out_data(o, f->action);
    sc_out_s(&o->w, ",");
    out_data(o, f->requirement);
    sc_out_s(&o->w, ",");
    data_citation(o, f);
    sc_out_s(&o->w, "]");
  }
  sc_out_s(&o->w, "],\n\"r\":[");
  for (size_t i = 0; i < v->nrows; i++)
    for (size_t j = 0; j < v->nv; j++) {
      const struct sc_check_result *c = v->cell[v->order[i] * v->nv + j];
      sc_out_s(&o->w, i || j ? ",\n" : "\n");
      if (!c) {
        sc_out_s(&o->w, "null");
        continue;
      }
      size_t nex = c->ex ? c->nex : 0;
      size_t skip = nex > HTML_EXCHANGES ? nex - HTML_EXCHANGES : 0;
      sc_out_f(&o->w, "[\"%c\",", col_letters[v->col[v->order[i] * v->nv + j]]);
      out_data(o, c->message);
      sc_out_s(&o->w, ",");
      out_data(o, c->expected);
      sc_out_s(&o->w, ",");
      out_data(o, c->actual);
      sc_out_s(&o->w, ",");
      data_citation(o, c);
      sc_out_s(&o->w, ",");
      out_data(o, c->curl);
      sc_out_s(&o->w, ",");
      if (stable(o)) {
        sc_out_s(&o->w, "null,[],0,");
      } else {
        sc_out_num(&o->w, c->ms, 1, 0);
        sc_out_s(&o->w, ",[");
        for (size_t x = skip; x < nex; x++) {
          if (x > skip)
            sc_out_s(&o->w, ",");
          data_exchange(o, &c->ex[x]);
        }
        sc_out_f(&o->w, "],%zu,", skip);
      }
      data_why(o, c);
      sc_out_s(&o->w, "]");
    }
  sc_out_s(&o->w, "]}</script>\n");
}

int sc_compare_html(const struct sc_compare *c, FILE *out, unsigned flags) {
  struct out o;
  struct view v;

  if (!c || !out)
    return -1;
  if (view_build(c, &v, !(flags & SC_COMPARE_STABLE)))
    return -1;
  out_init(&o, out, flags);
  sc_out_s(&o.w, html_head);
  sc_out_f(&o.w, "<title>smsconform: %zu vendors, %zu checks</title>\n", v.nv,
           v.nrows);
  sc_out_s(&o.w, html_style);
  sc_out_f(&o.w,
           "<header>\n<h1>Vendor comparison</h1>\n<p>%zu checks, %zu "
           "vendors",
           v.nrows, v.nv);
  if (!stable(&o) && v.nv && c->v[0].rep.tool) {
    sc_out_s(&o.w, ", ");
    out_esc(&o, c->v[0].rep.tool, SC_REPORT_ESC_HTML, 80);
  }
  sc_out_s(&o.w,
           ". The score is the share of the applicable checks passed: "
           "PASS and WARN (a variant vendors send) pass, FAIL and ERROR do "
           "not, SKIP, BLOCKED (a step the check needs failed; the check "
           "that owns that step has the finding) and unsupported do not "
           "count.</p>\n</header>\n<section id=\"cards\">\n");
  for (size_t j = 0; j < v.nv; j++)
    html_card(&o, &v, j);
  sc_out_s(&o.w, "</section>\n<h2>Scores</h2>\n");
  svg_scores(&o, &v);
  if (!stable(&o))
    svg_latency(&o, &v);
  html_categories(&o, &v);
  if (!stable(&o))
    html_latency(&o, &v);
  html_matrix(&o, &v);
  html_deviations(&o, &v);
  sc_out_s(&o.w, "<aside id=\"panel\" hidden></aside>\n");
  data_island(&o, &v);
  sc_out_s(&o.w, "<script>" PAGE_SCRIPT "</script>\n</body>\n</html>\n");
  view_free(&v);
  return out_end(&o);
}

/* ----------------------------------------------------------- Markdown */

/* The longest Markdown cell, in code points. */
#define MD_CELL 160

static void md_cell(struct out *o, const char *s) {
  sc_out_s(&o->w, " ");
  out_esc(o, s, SC_REPORT_ESC_MD, MD_CELL);
  sc_out_s(&o->w, " |");
}

static void md_vendor_heads(struct out *o, const struct view *v,
                            const char *first) {
  sc_out_f(&o->w, "| %s |", first);
  for (size_t j = 0; j < v->nv; j++)
    md_cell(o, v->c->v[j].name);
  sc_out_s(&o->w, "\n|---|");
  for (size_t j = 0; j < v->nv; j++)
    sc_out_s(&o->w, "---|");
  sc_out_s(&o->w, "\n");
}

/* 1 when the vendors do not all have the same verdict for row |i|. */
static int row_differs(const struct view *v, size_t i) {
  for (size_t j = 1; j < v->nv; j++)
    if (v->col[i * v->nv + j] != v->col[i * v->nv])
      return 1;
  return 0;
}

int sc_compare_markdown(const struct sc_compare *c, FILE *out, unsigned flags) {
  struct out o;
  struct view v;
  size_t ndiff = 0;

  if (!c || !out)
    return -1;
  if (view_build(c, &v, !(flags & SC_COMPARE_STABLE)))
    return -1;
  out_init(&o, out, flags);
  sc_out_f(&o.w, "## smsconform: vendor comparison\n\n%zu checks, %zu vendors",
           v.nrows, v.nv);
  if (!stable(&o) && v.nv && c->v[0].rep.tool) {
    sc_out_s(&o.w, ", ");
    out_esc(&o, c->v[0].rep.tool, SC_REPORT_ESC_MD, 80);
  }
  sc_out_s(&o.w,
           ". The score is the share of the applicable checks passed: "
           "PASS and WARN (a variant vendors send) pass, FAIL and ERROR do "
           "not, SKIP, BLOCKED (a step the check needs failed; the check "
           "that owns that step has the finding) and unsupported (not "
           "implemented by the endpoint, or not in the vendor's run) do not "
           "count.\n\n| vendor | target | profile | score | PASS | WARN | "
           "FAIL | ERROR | SKIP | BLOCKED | unsupported |");
  sc_out_s(&o.w, stable(&o)
                     ? "\n|---|---|---|---:|---:|---:|---:|---:|---:|---:|"
                       "---:|\n"
                     : " p50 ms | p95 ms |\n|---|---|---|---:|---:|---:|"
                       "---:|---:|---:|---:|---:|---:|---:|\n");
  for (size_t j = 0; j < v.nv; j++) {
    const struct vendor *vd = &c->v[j];
    const struct vstat *st = &v.st[j];
    struct sc_compare_score s;
    score_of(st, &s);
    sc_out_s(&o.w, "|");
    md_cell(&o, vd->name);
    md_cell(&o, vd->rep.target);
    sc_out_s(&o.w, " ");
    out_esc(&o, str_or(vd->rep.profile, "(none)"), SC_REPORT_ESC_MD, MD_CELL);
    if (vd->dialect) {
      sc_out_s(&o.w, ", dialect ");
      out_esc(&o, vd->dialect, SC_REPORT_ESC_MD, MD_CELL);
    }
    sc_out_s(&o.w, " | **");
    out_score(&o, &s);
    sc_out_s(&o.w, "** |");
    for (int k = 0; k < COL__COUNT; k++)
      sc_out_f(&o.w, " %zu |", st->col[k]);
    if (!stable(&o)) {
      if (st->nlat) {
        sc_out_s(&o.w, " ");
        sc_out_num(&o.w, st->p50, 2, 0);
        sc_out_s(&o.w, " | ");
        sc_out_num(&o.w, st->p95, 2, 0);
        sc_out_s(&o.w, " |");
      } else {
        sc_out_s(&o.w, " | |");
      }
    }
    sc_out_s(&o.w, "\n");
  }
  int notes = 0;
  for (size_t j = 0; j < v.nv; j++)
    if (c->v[j].note) {
      sc_out_s(&o.w, notes++ ? "- **" : "\n- **");
      out_esc(&o, c->v[j].name, SC_REPORT_ESC_MD, MD_CELL);
      sc_out_s(&o.w, "**: ");
      out_esc(&o, c->v[j].note, SC_REPORT_ESC_MD, 0);
      sc_out_s(&o.w, "\n");
    }

  sc_out_s(&o.w, "\n### Checks per category\n\nPassed of applicable, then the "
                 "checks that failed, were blocked or were not "
                 "supported.\n\n");
  md_vendor_heads(&o, &v, "category");
  for (size_t k = 0; k <= SC_CAT__COUNT; k++) {
    int any = 0;
    for (size_t j = 0; j < v.nv && !any; j++)
      for (int x = 0; x < COL__COUNT; x++)
        any |= v.st[j].cat[k][x] != 0;
    if (!any)
      continue;
    sc_out_f(&o.w, "| %s |", sc_cat_name((enum sc_cat)k));
    for (size_t j = 0; j < v.nv; j++) {
      const size_t *n = v.st[j].cat[k];
      size_t applicable =
          n[COL_PASS] + n[COL_WARN] + n[COL_FAIL] + n[COL_ERROR];
      sc_out_f(&o.w, " %zu/%zu", n[COL_PASS] + n[COL_WARN], applicable);
      if (n[COL_FAIL])
        sc_out_f(&o.w, ", %zu FAIL", n[COL_FAIL]);
      if (n[COL_ERROR])
        sc_out_f(&o.w, ", %zu ERROR", n[COL_ERROR]);
      if (n[COL_BLOCKED])
        sc_out_f(&o.w, ", %zu BLOCKED", n[COL_BLOCKED]);
      if (n[COL_UNSUP])
        sc_out_f(&o.w, ", %zu unsupported", n[COL_UNSUP]);
      sc_out_s(&o.w, " |");
    }
    sc_out_s(&o.w, "\n");
  }

  if (!stable(&o) && v.nall) {
    sc_out_s(&o.w,
             "\n### Latency per action\n\np50 / p95 in ms of the requests "
             "naming each action.\n\n");
    md_vendor_heads(&o, &v, "action");
    for (size_t k = 0; k < v.nall; k++) {
      sc_out_s(&o.w, "| ");
      out_escn(&o, v.all[k].a, v.all[k].alen, SC_REPORT_ESC_MD, MD_CELL);
      sc_out_s(&o.w, " |");
      for (size_t j = 0; j < v.nv; j++) {
        const struct alat *a = find_alat(&v.st[j], v.all[k].a, v.all[k].alen);
        sc_out_s(&o.w, " ");
        if (a) {
          sc_out_num(&o.w, a->p50, 2, 0);
          sc_out_s(&o.w, " / ");
          sc_out_num(&o.w, a->p95, 2, 0);
        }
        sc_out_s(&o.w, " |");
      }
      sc_out_s(&o.w, "\n");
    }
  }

  for (size_t i = 0; i < v.nrows; i++)
    ndiff += (size_t)row_differs(&v, v.order[i]);
  if (ndiff) {
    sc_out_f(&o.w,
             "\n### Where the vendors differ\n\n<details><summary>%zu of "
             "%zu checks</summary>\n\n",
             ndiff, v.nrows);
    md_vendor_heads(&o, &v, "check");
    for (size_t i = 0; i < v.nrows; i++) {
      size_t r = v.order[i];
      if (!row_differs(&v, r))
        continue;
      sc_out_s(&o.w, "|");
      md_cell(&o, v.rows[r].first->id);
      for (size_t j = 0; j < v.nv; j++) {
        enum col k = (enum col)v.col[r * v.nv + j];
        sc_out_f(&o.w, " %s |",
                 k == COL_FAIL    ? "**FAIL**"
                 : k == COL_ERROR ? "**ERROR**"
                 : k == COL_UNSUP ? "\xE2\x80\x94"
                                  : col_names[k]);
      }
      sc_out_s(&o.w, "\n");
    }
    sc_out_s(&o.w, "\n\xE2\x80\x94 unsupported: not implemented by that "
                   "vendor's endpoint, or not in its run.\n\n</details>\n");
  }

  sc_out_s(&o.w, "\n### Deviations\n");
  for (size_t j = 0; j < v.nv; j++) {
    const struct vstat *st = &v.st[j];
    sc_out_s(&o.w, "\n<details><summary>");
    out_esc(&o, c->v[j].name, SC_REPORT_ESC_HTML, MD_CELL);
    sc_out_f(&o.w, ": %zu FAIL, %zu ERROR, %zu WARN</summary>\n\n",
             st->col[COL_FAIL], st->col[COL_ERROR], st->col[COL_WARN]);
    if (!st->col[COL_FAIL] && !st->col[COL_ERROR] && !st->col[COL_WARN]) {
      sc_out_s(&o.w, "None.\n\n</details>\n");
      continue;
    }
    sc_out_s(&o.w,
             "| check | verdict | message | expected | actual | source |\n"
             "|---|---|---|---|---|---|\n");
    for (size_t i = 0; i < v.nrows; i++) {
      const struct sc_check_result *r = v.cell[v.order[i] * v.nv + j];
      enum col k = (enum col)v.col[v.order[i] * v.nv + j];
      if (k != COL_FAIL && k != COL_ERROR && k != COL_WARN)
        continue;
      sc_out_s(&o.w, "|");
      md_cell(&o, r->id);
      sc_out_f(&o.w, " %s |", col_names[k]);
      md_cell(&o, r->message);
      md_cell(&o, r->expected);
      md_cell(&o, r->actual);
      sc_out_s(&o.w, " ");
      out_citation(&o, r, SC_REPORT_ESC_MD, MD_CELL);
      sc_out_s(&o.w, " |\n");
    }
    sc_out_s(&o.w, "\n</details>\n");
  }
  view_free(&v);
  return out_end(&o);
}

/* --------------------------------------------------------------- JSON */

static void json_counts(struct out *o, const size_t *n) {
  sc_out_s(&o->w, "{");
  for (int k = 0; k < COL__COUNT; k++)
    sc_out_f(&o->w, "%s\"%s\": %zu", k ? ", " : "", col_names[k], n[k]);
  sc_out_s(&o->w, "}");
}

static void json_vendor(struct out *o, const struct view *v, size_t j) {
  const struct vendor *vd = &v->c->v[j];
  const struct vstat *st = &v->st[j];
  struct sc_compare_score s;
  int first = 1;

  score_of(st, &s);
  sc_out_s(&o->w, "    {\"name\": ");
  out_json(o, vd->name);
  sc_out_s(&o->w, ", \"target\": ");
  out_json(o, vd->rep.target);
  sc_out_s(&o->w, ", \"profile\": ");
  out_json(o, vd->rep.profile);
  sc_out_s(&o->w, ",\n     \"dialect\": ");
  out_json(o, vd->dialect);
  sc_out_s(&o->w, ", \"note\": ");
  out_json(o, vd->note);
  if (!stable(o)) {
    sc_out_s(&o->w, ",\n     \"tool\": ");
    out_json(o, vd->rep.tool);
    sc_out_s(&o->w, ", \"started\": ");
    out_json(o, vd->rep.started);
    sc_out_s(&o->w, ", \"seconds\": ");
    sc_out_num(&o->w, vd->rep.seconds, 3, 0);
    sc_out_f(&o->w, ", \"requests\": %lu", vd->rep.requests);
  }
  sc_out_s(&o->w, ",\n     \"score\": ");
  if (s.score < 0)
    sc_out_s(&o->w, "null");
  else
    sc_out_num(&o->w, s.score, 4, 0);
  sc_out_f(&o->w, ", \"passed\": %zu, \"applicable\": %zu,\n     \"counts\": ",
           s.passed, s.applicable);
  json_counts(o, st->col);
  sc_out_s(&o->w, ",\n     \"categories\": {");
  for (size_t k = 0; k <= SC_CAT__COUNT; k++) {
    size_t any = 0;
    for (int x = 0; x < COL__COUNT; x++)
      any += st->cat[k][x];
    if (!any)
      continue;
    sc_out_f(&o->w, "%s\"%s\": ", first ? "" : ", ",
             sc_cat_name((enum sc_cat)k));
    json_counts(o, st->cat[k]);
    first = 0;
  }
  sc_out_s(&o->w, "}");
  if (!stable(o)) {
    sc_out_s(&o->w, ",\n     \"latency\": {\"p50\": ");
    sc_out_num(&o->w, st->p50, 3, 0);
    sc_out_s(&o->w, ", \"p95\": ");
    sc_out_num(&o->w, st->p95, 3, 0);
    sc_out_f(&o->w, ", \"requests\": %zu, \"actions\": {", st->nlat);
    for (size_t k = 0; k < st->nacts; k++) {
      sc_out_s(&o->w, k ? ", \"" : "\"");
      out_escn(o, st->acts[k].a, st->acts[k].alen, SC_REPORT_ESC_JSON, 0);
      sc_out_s(&o->w, "\": {\"p50\": ");
      sc_out_num(&o->w, st->acts[k].p50, 3, 0);
      sc_out_s(&o->w, ", \"p95\": ");
      sc_out_num(&o->w, st->acts[k].p95, 3, 0);
      sc_out_f(&o->w, ", \"requests\": %zu}", st->acts[k].n);
    }
    sc_out_s(&o->w, "}}");
  }
  sc_out_s(&o->w, ",\n     \"deviations\": [");
  first = 1;
  for (size_t i = 0; i < v->nrows; i++) {
    const struct sc_check_result *r = v->cell[v->order[i] * v->nv + j];
    enum col k = (enum col)v->col[v->order[i] * v->nv + j];
    if (k != COL_FAIL && k != COL_ERROR && k != COL_WARN)
      continue;
    sc_out_s(&o->w, first ? "\n       {\"id\": " : ",\n       {\"id\": ");
    first = 0;
    out_json(o, r->id);
    sc_out_f(&o->w, ", \"verdict\": \"%s\", \"message\": ", col_names[k]);
    out_json(o, r->message);
    sc_out_s(&o->w, ", \"expected\": ");
    out_json(o, r->expected);
    sc_out_s(&o->w, ", \"actual\": ");
    out_json(o, r->actual);
    sc_out_s(&o->w, ", \"doc\": ");
    out_json(o, r->doc);
    sc_out_s(&o->w, ", \"section\": ");
    out_json(o, r->section);
    sc_out_s(&o->w, ",\n        \"cause\": ");
    out_json(o, r->cause);
    sc_out_f(&o->w, ", \"http_status\": %ld, \"deviations\": [",
             r->http_status);
    for (size_t d = 0; r->devs && d < r->ndevs; d++) {
      const struct sc_check_dev *dv = &r->devs[d];
      sc_out_s(&o->w, d ? ", {\"code\": " : "{\"code\": ");
      out_json(o, dv->code);
      sc_out_f(&o->w, ", \"verdict\": \"%s\", \"offset\": %zu, \"message\": ",
               sc_verdict_name((unsigned)dv->verdict < SC_VERDICT__COUNT
                                   ? dv->verdict
                                   : SC_VERDICT_ERROR),
               dv->offset);
      out_json(o, dv->message);
      sc_out_s(&o->w, "}");
    }
    sc_out_s(&o->w, "]}");
  }
  sc_out_s(&o->w, first ? "]}" : "\n     ]}");
}

int sc_compare_json(const struct sc_compare *c, FILE *out, unsigned flags) {
  struct out o;
  struct view v;

  if (!c || !out)
    return -1;
  if (view_build(c, &v, !(flags & SC_COMPARE_STABLE)))
    return -1;
  out_init(&o, out, flags);
  sc_out_f(&o.w,
           "{\n  \"schema\": \"%s\",\n  \"stable\": %s,\n  \"checks\": %zu,"
           "\n  \"vendors\": [\n",
           SC_COMPARE_SCHEMA, stable(&o) ? "true" : "false", v.nrows);
  for (size_t j = 0; j < v.nv; j++) {
    json_vendor(&o, &v, j);
    sc_out_s(&o.w, j + 1 < v.nv ? ",\n" : "\n");
  }
  sc_out_s(&o.w, "  ],\n  \"rows\": [");
  for (size_t i = 0; i < v.nrows; i++) {
    const struct sc_check_result *f = v.rows[v.order[i]].first;
    sc_out_s(&o.w, i ? ",\n    {\"id\": " : "\n    {\"id\": ");
    out_json(&o, f->id);
    sc_out_f(&o.w, ", \"category\": \"%s\", \"action\": ",
             sc_cat_name((enum sc_cat)cat_ix(f)));
    out_json(&o, f->action);
    sc_out_s(&o.w, ",\n     \"requirement\": ");
    out_json(&o, f->requirement);
    sc_out_s(&o.w, ", \"doc\": ");
    out_json(&o, f->doc);
    sc_out_s(&o.w, ", \"section\": ");
    out_json(&o, f->section);
    sc_out_s(&o.w, ",\n     \"verdicts\": [");
    for (size_t j = 0; j < v.nv; j++) {
      const struct sc_check_result *r = v.cell[v.order[i] * v.nv + j];
      sc_out_s(&o.w, j ? ", " : "");
      if (!r)
        sc_out_s(&o.w, "null");
      else if (verdict_ix(r) == SC_VERDICT_UNSUPPORTED)
        sc_out_s(&o.w, "\"UNSUPPORTED\"");
      else
        sc_out_f(&o.w, "\"%s\"", col_names[v.col[v.order[i] * v.nv + j]]);
    }
    sc_out_s(&o.w, "]}");
  }
  sc_out_s(&o.w, v.nrows ? "\n  ]\n}\n" : "]\n}\n");
  view_free(&v);
  return out_end(&o);
}

/* ------------------------------------------------------------ console */

int sc_compare_console(const struct sc_compare *c, FILE *out) {
  struct out o;
  struct view v;

  if (!c || !out)
    return -1;
  if (view_build(c, &v, 0))
    return -1;
  out_init(&o, out, 0);
  sc_out_f(&o.w, "\n%-20s %8s %5s %5s %5s %5s %5s %7s %11s\n", "VENDOR",
           "SCORE", "PASS", "WARN", "FAIL", "ERROR", "SKIP", "BLOCKED",
           "UNSUPPORTED");
  for (size_t j = 0; j < v.nv; j++) {
    struct sc_compare_score s;
    const char *name = c->v[j].name;
    size_t width = 0;
    score_of(&v.st[j], &s);
    sc_buf_reset(&o.tmp);
    sc_report_escape(&o.tmp, SC_REPORT_ESC_LINE, name, strlen(name), 64);
    for (size_t k = 0; k < o.tmp.len; k++)
      width += ((unsigned char)o.tmp.ptr[k] & 0xC0) != 0x80;
    sc_out_n(&o.w, o.tmp.ptr ? o.tmp.ptr : "", o.tmp.len);
    out_check(&o);
    sc_out_f(&o.w, "%*s", width < 20 ? (int)(20 - width) : 0, "");
    if (s.score < 0) {
      sc_out_f(&o.w, " %8s", "n/a");
    } else {
      double pc = 100 * s.score;
      /* " %6.1f", whatever LC_NUMERIC says */
      sc_out_s(&o.w, pc < 9.95 ? "    " : pc < 99.95 ? "   " : "  ");
      sc_out_num(&o.w, pc, 1, 0);
      sc_out_s(&o.w, " %");
    }
    sc_out_f(&o.w, " %5zu %5zu %5zu %5zu %5zu %7zu %11zu\n",
             s.n[SC_VERDICT_PASS], s.n[SC_VERDICT_WARN], s.n[SC_VERDICT_FAIL],
             s.n[SC_VERDICT_ERROR], s.n[SC_VERDICT_SKIP],
             s.n[SC_VERDICT_BLOCKED], s.unsupported);
  }
  view_free(&v);
  return out_end(&o);
}
