/* sc_record.c — see sc_record.h. */
#include "sc_record.h"

#include "sc_alloc.h"
#include "sc_buf.h"
#include "sc_escape.h"
#include "sc_out.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_FILE ((size_t)512 << 20)

struct sc_record {
  cJSON *root;   /* the whole recording */
  cJSON *checks; /* root.checks */
  pthread_mutex_t mu;
};

static struct sc_record *wrap(cJSON *root) {
  struct sc_record *rec = sc_calloc(1, sizeof *rec);
  if (!rec) {
    cJSON_Delete(root);
    return NULL;
  }
  rec->root = root;
  rec->checks = cJSON_GetObjectItemCaseSensitive(root, "checks");
  pthread_mutex_init(&rec->mu, NULL);
  return rec;
}

struct sc_record *sc_record_new(const char *profile, const char *target,
                                const char *control) {
  cJSON *root = cJSON_CreateObject();
  if (!root || !cJSON_AddStringToObject(root, "schema", SC_RECORD_SCHEMA) ||
      !cJSON_AddStringToObject(root, "profile", profile ? profile : "") ||
      !cJSON_AddStringToObject(root, "target", target ? target : "") ||
      !cJSON_AddStringToObject(root, "control", control ? control : "") ||
      !cJSON_AddObjectToObject(root, "checks")) {
    cJSON_Delete(root);
    return NULL;
  }
  return wrap(root);
}

static int add_str(cJSON *o, const char *k, const char *v) {
  return !v || cJSON_AddStringToObject(o, k, v) != NULL;
}

int sc_record_add(struct sc_record *rec, const char *check,
                  const struct sc_record_req *q,
                  const struct sc_http_resp *resp, const char *body,
                  size_t body_len) {
  cJSON *e = cJSON_CreateObject();
  int ok = e && add_str(e, "method", q->method) && add_str(e, "url", q->url) &&
           add_str(e, "body", q->body) && add_str(e, "auth", q->auth) &&
           cJSON_AddNumberToObject(e, "status", (double)resp->status) &&
           add_str(e, "content_type", resp->ctype) &&
           add_str(e, "headers", resp->headers) &&
           add_str(e, "error", sc_http_err_name(resp->err)) &&
           add_str(e, "errmsg", resp->errmsg) &&
           cJSON_AddNumberToObject(e, "ms", resp->ms);
  if (ok && body) {
    /* text stays readable; anything else keeps its exact bytes */
    if (sc_utf8_check(body, body_len) == (size_t)-1) {
      ok = add_str(e, "response", body);
    } else {
      struct sc_buf b;
      sc_buf_init(&b, MAX_FILE);
      ok = sc_base64_encode(&b, body, body_len) == 0 &&
           sc_buf_add(&b, "", 0) == 0 &&
           add_str(e, "response_base64", b.ptr);
      sc_buf_free(&b);
    }
  }
  if (!ok) {
    cJSON_Delete(e);
    return -1;
  }
  pthread_mutex_lock(&rec->mu);
  cJSON *arr = cJSON_GetObjectItemCaseSensitive(rec->checks, check);
  if (!arr && (arr = cJSON_CreateArray()) &&
      !cJSON_AddItemToObject(rec->checks, check, arr)) {
    cJSON_Delete(arr);
    arr = NULL;
  }
  ok = arr && cJSON_AddItemToArray(arr, e);
  pthread_mutex_unlock(&rec->mu);
  if (!ok)
    cJSON_Delete(e);
  return ok ? 0 : -1;
}

int sc_record_save(const struct sc_record *rec, const char *dir, char *err,
                   size_t errlen) {
  if (mkdir(dir, 0777) && errno != EEXIST) {
    snprintf(err, errlen, "cannot create %s: %s", dir, strerror(errno));
    return -1;
  }
  char path[4096];
  snprintf(path, sizeof path, "%s/recording.json", dir);
  char *text = cJSON_Print(rec->root);
  if (!text) {
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  /* all or nothing: a failed save leaves no half recording behind */
  int rc = sc_out_save(path, text, strlen(text), "\n", err, errlen);
  cJSON_free(text);
  return rc;
}

struct sc_record *sc_record_load(const char *dir, char *err, size_t errlen) {
  char path[4096];
  snprintf(path, sizeof path, "%s/recording.json", dir);
  FILE *f = fopen(path, "rb");
  if (!f) {
    snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
    return NULL;
  }
  struct sc_buf b;
  sc_buf_init(&b, MAX_FILE);
  char chunk[65536];
  size_t got;
  while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
    if (sc_buf_add(&b, chunk, got))
      break;
  int rerr = ferror(f);
  fclose(f);
  sc_buf_add(&b, "", 0);
  if (rerr || b.err) {
    snprintf(err, errlen, "cannot read %s: %s", path,
             rerr ? strerror(errno) : "too large or out of memory");
    sc_buf_free(&b);
    return NULL;
  }
  cJSON *root = cJSON_Parse(b.ptr);
  sc_buf_free(&b);
  const cJSON *schema = cJSON_GetObjectItemCaseSensitive(root, "schema");
  if (!cJSON_IsString(schema) ||
      strcmp(schema->valuestring, SC_RECORD_SCHEMA) != 0 ||
      !cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(root, "checks"))) {
    snprintf(err, errlen,
             "%s is not a recording (JSON with \"schema\": \"%s\"; "
             "`smsconform run --record DIR` writes one)",
             path, SC_RECORD_SCHEMA);
    cJSON_Delete(root);
    return NULL;
  }
  struct sc_record *rec = wrap(root);
  if (!rec)
    snprintf(err, errlen, "out of memory");
  return rec;
}

static const char *root_str(const struct sc_record *rec, const char *k) {
  const cJSON *p = cJSON_GetObjectItemCaseSensitive(rec->root, k);
  return cJSON_IsString(p) ? p->valuestring : "";
}

const char *sc_record_profile(const struct sc_record *rec) {
  return root_str(rec, "profile");
}

const char *sc_record_target(const struct sc_record *rec) {
  return root_str(rec, "target");
}

const char *sc_record_control(const struct sc_record *rec) {
  return root_str(rec, "control");
}

int sc_record_has(const struct sc_record *rec, const char *check) {
  return cJSON_GetObjectItemCaseSensitive(rec->checks, check) != NULL;
}

static const char *str_of(const cJSON *e, const char *k) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(e, k);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int same(const char *a, const char *b) {
  return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static char *dup_or_null(const char *s) {
  return s ? sc_strdup(s) : NULL;
}

int sc_record_get(const struct sc_record *rec, const char *check, size_t i,
                  const struct sc_record_req *q, struct sc_http_resp *resp,
                  char *err, size_t errlen) {
  memset(resp, 0, sizeof *resp);
  const cJSON *arr = cJSON_GetObjectItemCaseSensitive(rec->checks, check);
  const cJSON *e = cJSON_GetArrayItem(arr, (int)i);
  if (!e) {
    resp->err = SC_HTTP_OTHER;
    snprintf(resp->errmsg, sizeof resp->errmsg, "not in the recording");
    snprintf(err, errlen,
             "the recording holds %d requests of %s; the check now makes "
             "more",
             cJSON_GetArraySize(arr), check);
    return SC_RECORD_END;
  }
  const char *m = str_of(e, "method"), *u = str_of(e, "url"),
             *body = str_of(e, "body");
  if (!same(m, q->method) || !same(u, q->url) || !same(body, q->body)) {
    resp->err = SC_HTTP_OTHER;
    snprintf(resp->errmsg, sizeof resp->errmsg, "not in the recording");
    snprintf(err, errlen,
             "request %zu differs from the recording: now %s %.300s%s%.200s, "
             "recorded %s %.300s%s%.200s",
             i + 1, q->method ? q->method : "", q->url ? q->url : "",
             q->body ? " " : "", q->body ? q->body : "", m ? m : "",
             u ? u : "", body ? " " : "", body ? body : "");
    return SC_RECORD_DIVERGED;
  }
  const cJSON *st = cJSON_GetObjectItemCaseSensitive(e, "status");
  resp->status = cJSON_IsNumber(st) ? (long)st->valuedouble : 0;
  snprintf(resp->ctype, sizeof resp->ctype, "%s",
           str_of(e, "content_type") ? str_of(e, "content_type") : "");
  snprintf(resp->errmsg, sizeof resp->errmsg, "%s",
           str_of(e, "errmsg") ? str_of(e, "errmsg") : "");
  const char *en = str_of(e, "error");
  resp->err = SC_HTTP_OTHER;
  for (int k = SC_HTTP_OK; k <= SC_HTTP_OTHER; k++)
    if (en && strcmp(en, sc_http_err_name((enum sc_http_err)k)) == 0)
      resp->err = (enum sc_http_err)k;
  const cJSON *ms = cJSON_GetObjectItemCaseSensitive(e, "ms");
  resp->ms = cJSON_IsNumber(ms) ? ms->valuedouble : 0;
  resp->headers = dup_or_null(str_of(e, "headers"));
  resp->headers_len = resp->headers ? strlen(resp->headers) : 0;
  const char *text = str_of(e, "response"), *b64 = str_of(e, "response_base64");
  int nomem = str_of(e, "headers") && !resp->headers;
  if (text) {
    resp->body = sc_strdup(text);
    resp->len = resp->body ? strlen(resp->body) : 0;
    nomem |= !resp->body;
  } else if (b64) {
    struct sc_buf b;
    sc_buf_init(&b, MAX_FILE);
    if (sc_base64_decode(&b, b64, strlen(b64)) == 0 &&
        sc_buf_add(&b, "", 0) == 0) {
      resp->body = sc_buf_take(&b, &resp->len);
    }
    nomem |= b.err == SC_BUF_ENOMEM;
    sc_buf_free(&b);
  }
  if (nomem) {
    /* an answer with its body or headers missing would be judged as if
     * the endpoint had sent it that way */
    sc_http_resp_free(resp);
    memset(resp, 0, sizeof *resp);
    resp->err = SC_HTTP_OTHER;
    snprintf(resp->errmsg, sizeof resp->errmsg, "out of memory");
    snprintf(err, errlen, "out of memory reading the recording of %s", check);
    return SC_RECORD_NOMEM;
  }
  return SC_RECORD_OK;
}

void sc_record_destroy(struct sc_record *rec) {
  if (!rec)
    return;
  cJSON_Delete(rec->root);
  pthread_mutex_destroy(&rec->mu);
  sc_free(rec);
}
