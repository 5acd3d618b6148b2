/* sc_compare_read.c — the comparison's reader (see sc_compare.h): a JSON
 * report, as `run --json` and `run --report-dir` write it, back into a
 * struct sc_report. The file is user input and its strings came from
 * endpoints: every field's type is checked, and a message names where in
 * the document the first wrong one is ("$.results[3].id") and quotes it
 * so that it cannot drive a terminal. */
#include "sc_compare_int.h"

#include "sc_alloc.h"
#include "sc_buf.h"
#include "sc_escape.h"
#include "sc_json.h"
#include "sc_spec.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Where the loader is in the document, for messages: "$.results[3].id". */
struct ld {
  char *err;
  size_t errlen;
  char path[128];
};

void cmp_quote(const char *s, char *out, size_t cap) {
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
    cmp_quote(v->valuestring, q, sizeof q);
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
    cmp_quote(v->valuestring, q, sizeof q);
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
      cmp_quote(state, q, sizeof q);
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
    cmp_quote(schema->valuestring, q, sizeof q);
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
  int rc;

  memset(rep, 0, sizeof *rep);
  if (!f) {
    snprintf(err, errlen, "cannot read: %s", strerror(errno));
    return -1;
  }
  sc_buf_init(&b, SC_COMPARE_FILE_MAX);
  int rerr = sc_buf_add_file(&b, f) < 0;
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
