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
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_FILE ((size_t)512 << 20)

struct sc_record {
  cJSON *root;   /* the whole recording */
  cJSON *checks; /* root.checks */
  pthread_mutex_t mu;
  size_t kept;   /* answer bytes kept whole so far (guarded by mu) */
  size_t limit;  /* SC_RECORD_BODIES_MAX, or as sc_record_limit says */
};

static struct sc_record *wrap(cJSON *root) {
  struct sc_record *rec = sc_calloc(1, sizeof *rec);
  if (!rec) {
    cJSON_Delete(root);
    return NULL;
  }
  rec->root = root;
  rec->checks = cJSON_GetObjectItemCaseSensitive(root, "checks");
  rec->limit = SC_RECORD_BODIES_MAX;
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

/* The exchanges of |check|, an empty list made when there is none yet;
 * NULL when out of memory. Called with rec->mu held. */
static cJSON *check_array(struct sc_record *rec, const char *check) {
  cJSON *arr = cJSON_GetObjectItemCaseSensitive(rec->checks, check);
  if (!arr && (arr = cJSON_CreateArray()) &&
      !cJSON_AddItemToObject(rec->checks, check, arr)) {
    cJSON_Delete(arr);
    arr = NULL;
  }
  return arr;
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
  char *part = NULL; /* the kept part of a cut answer, NUL-terminated */
  if (ok && body) {
    /* whole while the budget lasts, then cut */
    pthread_mutex_lock(&rec->mu);
    int cut = body_len > rec->limit - rec->kept;
    if (!cut)
      rec->kept += body_len;
    pthread_mutex_unlock(&rec->mu);
    if (cut) {
      ok = cJSON_AddNumberToObject(e, "response_len", (double)body_len) &&
           cJSON_AddTrueToObject(e, "response_cut");
      body_len = body_len < SC_RECORD_CUT_LEN ? body_len : SC_RECORD_CUT_LEN;
      if (ok && (ok = (part = sc_malloc(body_len + 1)) != NULL)) {
        memcpy(part, body, body_len);
        part[body_len] = '\0';
        body = part;
      }
    }
  }
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
  sc_free(part);
  if (!ok) {
    cJSON_Delete(e);
    return -1;
  }
  pthread_mutex_lock(&rec->mu);
  cJSON *arr = check_array(rec, check);
  ok = arr && cJSON_AddItemToArray(arr, e);
  pthread_mutex_unlock(&rec->mu);
  if (!ok)
    cJSON_Delete(e);
  return ok ? 0 : -1;
}

int sc_record_begin(struct sc_record *rec, const char *check) {
  pthread_mutex_lock(&rec->mu);
  cJSON_DeleteItemFromObjectCaseSensitive(rec->checks, check);
  int ok = check_array(rec, check) != NULL;
  pthread_mutex_unlock(&rec->mu);
  return ok ? 0 : -1;
}

void sc_record_limit(struct sc_record *rec, size_t bytes) {
  pthread_mutex_lock(&rec->mu);
  rec->limit = bytes;
  pthread_mutex_unlock(&rec->mu);
}

/* |item| as JSON after its quoted name |key| (none when NULL), the whole
 * item in memory at once but never the whole recording. */
static int put_item(FILE *f, const char *key, const cJSON *item, int pretty) {
  if (key) {
    struct sc_buf k;
    sc_buf_init(&k, 1 << 16);
    sc_escape_json(&k, key, strlen(key));
    sc_buf_add(&k, "", 0);
    int bad = k.err || fprintf(f, "\"%s\": ", k.ptr) < 0;
    sc_buf_free(&k);
    if (bad)
      return -1;
  }
  char *text = pretty ? cJSON_Print(item) : cJSON_PrintUnformatted(item);
  int rc = text && fputs(text, f) != EOF ? 0 : -1;
  cJSON_free(text);
  return rc;
}

int sc_record_save(const struct sc_record *rec, const char *dir, char *err,
                   size_t errlen) {
  if (mkdir(dir, 0777) && errno != EEXIST) {
    snprintf(err, errlen, "cannot create %s: %s", dir, strerror(errno));
    return -1;
  }
  char path[4096];
  snprintf(path, sizeof path, "%s/recording.json", dir);
  /* all or nothing: a failed save leaves no half recording behind */
  struct sc_save sv;
  FILE *f = sc_save_open(&sv, path, err, errlen);
  if (!f)
    return -1;
  /* member by member, each check's exchanges on their own: printing the
   * whole tree at once would hold a second copy of every answer */
  errno = 0;
  int rc = fputs("{\n", f) == EOF ? -1 : 0;
  const cJSON *m;
  cJSON_ArrayForEach(m, rec->root) {
    if (rc || fputs(m == rec->root->child ? "  " : ",\n  ", f) == EOF) {
      rc = -1;
      break;
    }
    if (m != rec->checks) {
      rc = put_item(f, m->string, m, 0);
      continue;
    }
    if (fputs("\"checks\": {", f) == EOF) {
      rc = -1;
      break;
    }
    const cJSON *c;
    cJSON_ArrayForEach(c, rec->checks) {
      if (fputs(c == rec->checks->child ? "\n" : ",\n", f) == EOF ||
          put_item(f, c->string, c, 1)) {
        rc = -1;
        break;
      }
    }
    if (!rc && fputs("\n  }", f) == EOF)
      rc = -1;
  }
  if (!rc && fputs("\n}\n", f) == EOF)
    rc = -1;
  if (rc && !errno)
    errno = ENOMEM; /* put_item could not print an item */
  return sc_save_close(&sv, f, rc == 0, err, errlen);
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
  int rerr = sc_buf_add_file(&b, f) < 0;
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

int sc_record_set_seed(struct sc_record *rec, unsigned long long seed) {
  char hex[24];
  snprintf(hex, sizeof hex, "%016llx", seed);
  cJSON *v = cJSON_CreateString(hex);
  if (!v)
    return -1;
  pthread_mutex_lock(&rec->mu);
  int ok = cJSON_GetObjectItemCaseSensitive(rec->root, "seed")
               ? cJSON_ReplaceItemInObjectCaseSensitive(rec->root, "seed", v)
               : cJSON_AddItemToObject(rec->root, "seed", v);
  pthread_mutex_unlock(&rec->mu);
  if (!ok)
    cJSON_Delete(v);
  return ok ? 0 : -1;
}

unsigned long long sc_record_seed(const struct sc_record *rec) {
  const char *hex = root_str(rec, "seed");
  char *end;
  unsigned long long seed = strtoull(hex, &end, 16);
  return *hex && !*end ? seed : 0;
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
  if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(e, "response_cut"))) {
    const cJSON *len = cJSON_GetObjectItemCaseSensitive(e, "response_len");
    snprintf(err, errlen,
             "answer %zu of %s was recorded cut to %zu of its %.0f bytes "
             "(a recording keeps %zu MiB of answers whole)",
             i + 1, check, resp->len,
             cJSON_IsNumber(len) ? len->valuedouble : 0.0,
             SC_RECORD_BODIES_MAX >> 20);
    return SC_RECORD_CUT;
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
