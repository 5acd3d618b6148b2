/* sc_run.c — the runner's engine (see sc_run.h and sc_run_int.h). */
#include "sc_run_int.h"

#include "sc_alloc.h"
#include "sc_buf.h"
#include "sc_escape.h"
#include "sc_record.h"
#include "sc_spec.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <fnmatch.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define MAX_EXCHANGES 24 /* kept per check for the report */

struct spend_item {
  char *what, *id, *action;
  double cost;
  int refunded;
};

struct run {
  const struct sc_run_opts *o;
  struct sc_http *http;
  struct ck_env env;
  struct ck_plan plan;
  struct sc_check_result *results;
  pthread_mutex_t mu; /* spend ledger, progress, next */
  size_t next;        /* next parallel check */
  size_t *par, npar, *ser, nser;
  size_t done;
  struct spend_item *spend;
  size_t nspend, capspend;
  double spent;
  int spend_unlimited;
  double deadline; /* monotonic seconds; 0 = none */
  unsigned long replayed; /* answers served from --replay */
  struct later *later;     /* ck_later, in the order asked */
  size_t nlater, caplater;
  /* what redaction replaces, longest first: each key as it is, as it
   * travels in a query or form (percent-encoded) and as it travels in a
   * JSON body (a control request's "apiKey") */
  const char *secret[6];
  const char *secret_name[6];
  char *secret_own[4]; /* the encoded forms */
  size_t nsecret, nown;
};

struct later {
  size_t check; /* index in the plan */
  ck_later_fn fn;
  void *arg;
};

struct ck {
  struct run *run;
  const struct ck_def *def;
  struct sc_check_result *res;
  int stated; /* a finding was stated */
  int stop;   /* failed, skipped or errored */
  size_t nreq; /* requests made so far (the replay cursor) */
};

static double mono(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- the plan ------------------------------------------------------------ */

int ck_plan_add(struct ck_plan *p, const struct ck_def *d) {
  if (p->n == p->cap) {
    size_t nc = p->cap ? p->cap * 2 : 64;
    struct ck_def *nd = sc_realloc(p->defs, nc * sizeof *nd);
    if (!nd)
      return -1;
    p->defs = nd;
    p->cap = nc;
  }
  p->defs[p->n++] = *d;
  return 0;
}

/* --only/--skip entries match an id glob, a category or a tag. */
static int matches(const struct ck_def *d, const char *pat) {
  if (fnmatch(pat, d->id, 0) == 0 || strcmp(pat, sc_cat_name(d->cat)) == 0)
    return 1;
  size_t n = strlen(pat);
  for (const char *t = d->tags; *t;) {
    size_t len = strcspn(t, " ");
    if (len == n && strncmp(t, pat, n) == 0)
      return 1;
    t += len;
    while (*t == ' ')
      t++;
  }
  return 0;
}

static int selected(const struct sc_run_opts *o, const struct ck_def *d) {
  if (o->smoke && !(d->needs & CK_SMOKE))
    return 0;
  if (o->only && o->only[0]) {
    int any = 0;
    for (size_t i = 0; o->only[i] && !any; i++)
      any = matches(d, o->only[i]);
    if (!any)
      return 0;
  }
  for (size_t i = 0; o->skip && o->skip[i]; i++)
    if (matches(d, o->skip[i]))
      return 0;
  return 1;
}

int ck_timing(const struct ck_env *env, const char *name, int dflt) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(
      cJSON_GetObjectItemCaseSensitive(env->profile->json, "timing"), name);
  return cJSON_IsNumber(v) ? (int)v->valuedouble : dflt;
}

static int build_plan(struct run *r, char *err, size_t errlen) {
  const struct sc_run_opts *o = r->o;
  const char *pname = o->profile;
  r->env.spec = o->spec;
  r->env.profile = pname ? sc_spec_profile(o->spec, pname) : o->spec->reference;
  if (!r->env.profile) {
    snprintf(err, errlen, "no profile '%s' (see `smsconform list profiles`)",
             pname);
    return -1;
  }
  r->env.profile_name = r->env.profile->name;
  r->env.rest = r->env.profile->rest;
  snprintf(r->env.rent_hours, sizeof r->env.rent_hours, "%d",
           ck_rent_hours(&r->env));
  struct ck_plan all = {0};
  if (ck_build_plan(&all, &r->env)) {
    sc_free(all.defs);
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  for (size_t i = 0; i < all.n; i++)
    if (selected(o, &all.defs[i]) && ck_plan_add(&r->plan, &all.defs[i])) {
      sc_free(all.defs);
      snprintf(err, errlen, "out of memory");
      return -1;
    }
  sc_free(all.defs);
  return 0;
}

/* ---- text helpers -------------------------------------------------------- */

/* A copy of |s| (|n| bytes) with the keys replaced by their variable
 * names, so that nothing the report keeps can carry a key. */
static void form_escape(struct sc_buf *b, const char *s);

/* Adds |form| (owned) of a key to the redaction table unless it is NULL
 * or already there (a key with nothing to escape). */
static void secret_add(struct run *r, char *form, const char *name) {
  for (size_t i = 0; form && i < r->nsecret; i++)
    if (strcmp(form, r->secret[i]) == 0) {
      sc_free(form);
      form = NULL;
    }
  if (!form)
    return;
  r->secret_own[r->nown++] = form;
  r->secret[r->nsecret] = form;
  r->secret_name[r->nsecret++] = name;
}

/* |key| as cJSON writes it inside a string (without the quotes). */
static char *json_form(const char *key) {
  cJSON *str = cJSON_CreateString(key);
  char *text = str ? cJSON_PrintUnformatted(str) : NULL;
  cJSON_Delete(str);
  size_t n = text ? strlen(text) : 0;
  char *form = n >= 2 ? sc_malloc(n - 1) : NULL;
  if (form) {
    memcpy(form, text + 1, n - 2);
    form[n - 2] = '\0';
  }
  cJSON_free(text);
  return form;
}

/* Fills the redaction table from the keys (see struct run). */
static void secrets_init(struct run *r) {
  const char *keys[2] = {r->o->key, r->o->key2};
  const char *names[2] = {"$SMSCONFORM_KEY", "$SMSCONFORM_KEY2"};
  for (int k = 0; k < 2; k++) {
    if (!keys[k] || !*keys[k])
      continue;
    r->secret[r->nsecret] = keys[k];
    r->secret_name[r->nsecret++] = names[k];
    struct sc_buf b;
    sc_buf_init(&b, 1 << 16);
    form_escape(&b, keys[k]);
    sc_buf_add(&b, "", 0);
    secret_add(r, sc_buf_take(&b, NULL), names[k]);
    secret_add(r, json_form(keys[k]), names[k]);
  }
  /* longest first, so a key that begins another is not half replaced */
  for (size_t i = 1; i < r->nsecret; i++)
    for (size_t j = i; j > 0 && strlen(r->secret[j]) > strlen(r->secret[j - 1]);
         j--) {
      const char *t = r->secret[j], *tn = r->secret_name[j];
      r->secret[j] = r->secret[j - 1];
      r->secret_name[j] = r->secret_name[j - 1];
      r->secret[j - 1] = t;
      r->secret_name[j - 1] = tn;
    }
}

/* Appends [s, s+n) to |b| (initialised here) with every key replaced by
 * its placeholder; byte-safe (bodies may hold NULs). */
static void redact_into(const struct run *r, struct sc_buf *b, const char *s,
                        size_t n) {
  sc_buf_init(b, 64u << 20);
  size_t run = 0; /* start of the bytes not yet appended */
  for (size_t i = 0; i < n;) {
    int hit = 0;
    for (size_t k = 0; k < r->nsecret && !hit; k++) {
      size_t kl = strlen(r->secret[k]);
      if (kl && i + kl <= n && s[i] == r->secret[k][0] &&
          memcmp(s + i, r->secret[k], kl) == 0) {
        sc_buf_add(b, s + run, i - run);
        sc_buf_adds(b, r->secret_name[k]);
        i += kl;
        run = i;
        hit = 1;
      }
    }
    if (!hit)
      i++;
  }
  sc_buf_add(b, s + run, n - run); /* the rest in one append */
  sc_buf_add(b, "", 0);
}
static char *redact_n(const struct run *r, const char *s, size_t n) {
  if (!s)
    return NULL;
  struct sc_buf b;
  redact_into(r, &b, s, n);
  return sc_buf_take(&b, NULL);
}

static char *redact(const struct run *r, const char *s) {
  return s ? redact_n(r, s, strlen(s)) : NULL;
}

static char *vfmt(const char *fmt, va_list ap)
    __attribute__((format(printf, 1, 0)));
static char *vfmt(const char *fmt, va_list ap) {
  struct sc_buf b;
  sc_buf_init(&b, 1 << 16);
  sc_buf_vprintf(&b, fmt, ap);
  sc_buf_add(&b, "", 0);
  return sc_buf_take(&b, NULL);
}

/* Appends |s| form-encoded. */
static void form_escape(struct sc_buf *b, const char *s) {
  sc_escape_query(b, s, strlen(s));
}

/* ---- findings ------------------------------------------------------------ */

static void set_verdict(struct ck *c, enum sc_verdict v) {
  c->stated = 1;
  if (v > c->res->verdict)
    c->res->verdict = v;
  if (v == SC_VERDICT_FAIL || v == SC_VERDICT_ERROR || v == SC_VERDICT_SKIP)
    c->stop = 1;
}

/* The check's message from |fmt|, redacted: it replaces the one stated
 * before when |replace|, else only fills an empty one. */
static void set_message(struct ck *c, int replace, const char *fmt,
                        va_list ap) __attribute__((format(printf, 3, 0)));
static void set_message(struct ck *c, int replace, const char *fmt,
                        va_list ap) {
  if (c->res->message && !replace)
    return;
  char *m = vfmt(fmt, ap);
  sc_free(c->res->message);
  c->res->message = redact(c->run, m);
  sc_free(m);
}

void ck_ok(struct ck *c) {
  c->stated = 1;
}

int ck_done(const struct ck *c) {
  return c->stop;
}

void ck_fail(struct ck *c, const char *expected, const char *actual,
             const char *fmt, ...) {
  if (c->res->verdict >= SC_VERDICT_FAIL)
    return; /* the first failure tells the story */
  va_list ap;
  va_start(ap, fmt);
  set_message(c, 1, fmt, ap);
  va_end(ap);
  sc_free(c->res->expected);
  sc_free(c->res->actual);
  c->res->expected = redact(c->run, expected);
  c->res->actual = redact(c->run, actual);
  set_verdict(c, SC_VERDICT_FAIL);
}

void ck_warn(struct ck *c, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  set_message(c, c->res->verdict < SC_VERDICT_WARN, fmt, ap);
  va_end(ap);
  set_verdict(c, SC_VERDICT_WARN);
}

void ck_skip(struct ck *c, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  set_message(c, 1, fmt, ap);
  va_end(ap);
  c->res->verdict = SC_VERDICT_SKIP;
  c->stated = 1;
  c->stop = 1;
}

void ck_error(struct ck *c, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  set_message(c, 1, fmt, ap);
  va_end(ap);
  set_verdict(c, SC_VERDICT_ERROR);
}

int ck_later(struct ck *c, ck_later_fn fn, void *arg) {
  struct run *r = c->run;
  pthread_mutex_lock(&r->mu);
  int rc = 0;
  if (r->nlater == r->caplater) {
    size_t cap = r->caplater ? 2 * r->caplater : 8;
    struct later *n = sc_realloc(r->later, cap * sizeof *n);
    if (n) {
      r->later = n;
      r->caplater = cap;
    } else {
      rc = -1;
    }
  }
  if (rc == 0)
    r->later[r->nlater++] =
        (struct later){(size_t)(c->res - r->results), fn, arg};
  pthread_mutex_unlock(&r->mu);
  return rc;
}

const struct ck_def *ck_def(const struct ck *c) {
  return c->def;
}
const struct ck_env *ck_env(const struct ck *c) {
  return &c->run->env;
}
const struct sc_run_opts *ck_opts(const struct ck *c) {
  return c->run->o;
}

/* ---- exchanges ----------------------------------------------------------- */

/* The Authorization value of |req|, or NULL. */
static const char *auth_of(const struct sc_http_req *req) {
  for (size_t i = 0; req->headers && req->headers[i]; i++)
    if (strncasecmp(req->headers[i], "Authorization:", 14) == 0)
      return req->headers[i] + 15;
  return NULL;
}

static void record(struct ck *c, const struct sc_http_req *q,
                   const struct sc_http_resp *r) {
  struct sc_check_result *res = c->res;
  if (res->nex == MAX_EXCHANGES) /* keep the first ones and the last */
    res->nex--;
  else if (!res->ex && !(res->ex = sc_calloc(MAX_EXCHANGES, sizeof *res->ex)))
    return;
  struct sc_exchange *e = &res->ex[res->nex];
  sc_exchange_free(e); /* when overwriting the last slot */
  memset(e, 0, sizeof *e);
  e->method = sc_strdup(q->method ? q->method : q->body ? "POST" : "GET");
  e->url = redact(c->run, q->url);
  e->request_body = redact(c->run, q->body);
  e->request_auth = redact(c->run, auth_of(q));
  e->status = r->status;
  e->content_type = r->ctype[0] ? sc_strdup(r->ctype) : NULL;
  size_t keep = r->len < SC_REPORT_BODY_MAX ? r->len : SC_REPORT_BODY_MAX;
  if (r->body) {
    /* byte-safe: a binary body keeps its bytes (the writers escape them) */
    struct sc_buf b;
    redact_into(c->run, &b, r->body, keep);
    e->body = sc_buf_take(&b, &e->body_len);
  }
  e->body_truncated = r->len > keep;
  if (r->err != SC_HTTP_OK) {
    char msg[400];
    snprintf(msg, sizeof msg, "%s: %s", sc_http_err_message(r->err), r->errmsg);
    e->transport_error = redact(c->run, msg);
  }
  e->ms = r->ms;
  res->nex++;
}

void ck_ans_free(struct ck_ans *a) {
  sc_http_resp_free(&a->r);
  sc_result_free(&a->res);
  memset(a, 0, sizeof *a);
}

static void judge(struct ck *c, struct ck_ans *a, const char *action) {
  struct sc_input in = {action,           c->run->env.profile_name,
                        (int)a->r.status, a->r.ctype[0] ? a->r.ctype : NULL,
                        a->r.body,        a->r.len};
  if (sc_parse(c->run->o->spec, &in, &a->res) != SC_ERR_OK) {
    a->ok = 0;
    return;
  }
  if (a->res.token)
    snprintf(a->token, sizeof a->token, "%s", sc_token_name(a->res.token));
  for (size_t i = 0; i < 2 && i < a->res.nfields; i++)
    snprintf(a->field[i], sizeof a->field[i], "%.*s",
             (int)a->res.fields[i].value.len, a->res.fields[i].value.ptr);
}

static const char *who_key(const struct run *r, enum ck_who who) {
  switch (who) {
  case CK_WHO_KEY1:
    return r->o->key;
  case CK_WHO_KEY2:
    return r->o->key2;
  case CK_WHO_BADKEY:
    return "smsconform-wrong-key-0000";
  default:
    return NULL;
  }
}


/* Every request of a check goes through here: to the network, to the
 * network and into the recording (--record), or to the recording alone
 * (--replay), where the check's n-th request gets the n-th answer it got
 * then. Returns as sc_http_do. */
static int transport(struct ck *c, const struct sc_http_req *req,
                     struct sc_http_resp *resp) {
  struct run *r = c->run;
  if (!r->o->record && !r->o->replay)
    return sc_http_do(r->http, req, resp);
  const char *method = req->method ? req->method : req->body ? "POST" : "GET";
  char *url = redact(r, req->url), *body = redact(r, req->body);
  char *auth = redact(r, auth_of(req));
  struct sc_record_req q = {method, url, body, auth};
  int rc;
  if (r->o->replay) {
    char err[900];
    size_t n = c->nreq++;
    rc = sc_record_get(r->o->replay, c->def->id, n, &q, resp, err, sizeof err);
    if (rc != SC_RECORD_OK)
      ck_error(c, "replay: %s", err);
    else {
      pthread_mutex_lock(&r->mu);
      r->replayed++;
      pthread_mutex_unlock(&r->mu);
    }
    rc = rc == SC_RECORD_OK && resp->err == SC_HTTP_OK ? 0 : -1;
  } else {
    rc = sc_http_do(r->http, req, resp);
    size_t blen = 0;
    char *rbody = NULL;
    if (resp->body) {
      struct sc_buf b;
      redact_into(r, &b, resp->body, resp->len);
      rbody = sc_buf_take(&b, &blen);
    }
    char *rhdr = redact(r, resp->headers);
    struct sc_http_resp copy = *resp;
    copy.headers = rhdr;
    if (sc_record_add(r->o->record, c->def->id, &q, &copy, rbody, blen))
      ck_error(c, "--record: out of memory");
    sc_free(rbody);
    sc_free(rhdr);
  }
  sc_free(url);
  sc_free(body);
  sc_free(auth);
  return rc;
}

/* Performs one exchange, records it and judges the answer as |action|. */
static int exchange(struct ck *c, struct ck_ans *a, const char *action,
                    const struct sc_http_req *req) {
  memset(a, 0, sizeof *a);
  int rc = transport(c, req, &a->r);
  record(c, req, &a->r);
  if (rc) {
    a->ok = 0;
    return -1;
  }
  a->ok = 1;
  judge(c, a, action);
  return a->ok ? 0 : -1;
}

static int send_api(struct ck *c, struct ck_ans *a, const char *action,
                    const char *query, int post) {
  struct run *r = c->run;
  struct sc_buf url;
  sc_buf_init(&url, 1 << 20);
  sc_buf_adds(&url, r->o->url);
  if (!post) {
    sc_buf_addc(&url, strchr(r->o->url, '?') ? '&' : '?');
    sc_buf_adds(&url, query);
  }
  sc_buf_add(&url, "", 0);
  char *u = sc_buf_take(&url, NULL);
  if (!u) {
    memset(a, 0, sizeof *a);
    ck_error(c, "out of memory");
    return -1;
  }
  static const char *const form_hdr[] = {
      "Content-Type: application/x-www-form-urlencoded", NULL};
  struct sc_http_req req = {.url = u,
                            .method = post ? "POST" : "GET",
                            .body = post ? query : NULL,
                            .body_len = post ? strlen(query) : 0,
                            .headers = post ? form_hdr : NULL};
  int rc = exchange(c, a, action, &req);
  sc_free(u);
  return rc;
}

int ck_rest(struct ck *c, struct ck_ans *a, enum ck_who who,
            const char *method, const char *action, const char *path,
            const char *json, int no_retry) {
  struct run *r = c->run;
  size_t ulen = strlen(r->o->url);
  while (ulen && r->o->url[ulen - 1] == '/')
    ulen--;
  char *u = sc_malloc(ulen + strlen(path) + 1);
  const char *key = who_key(r, who);
  char *auth = key ? sc_malloc(strlen(key) + 32) : NULL;
  if (!u || (key && !auth)) {
    sc_free(u);
    sc_free(auth);
    memset(a, 0, sizeof *a);
    ck_error(c, "out of memory");
    return -1;
  }
  /* --url may be the document's base URL or already end in the API's
   * prefix (http://host/api/v1): the prefix is not repeated */
  for (size_t k = strlen(path); k > 0; k--)
    if (path[k] == '/' && k <= ulen &&
        memcmp(r->o->url + ulen - k, path, k) == 0) {
      path += k;
      break;
    }
  memcpy(u, r->o->url, ulen);
  strcpy(u + ulen, path);
  const char *hdr[4];
  size_t nh = 0;
  if (auth) {
    sprintf(auth, "Authorization: Bearer %s", key);
    hdr[nh++] = auth;
  }
  hdr[nh++] = "Accept: application/json";
  if (json)
    hdr[nh++] = "Content-Type: application/json";
  hdr[nh] = NULL;
  struct sc_http_req req = {.url = u,
                            .method = method,
                            .body = json,
                            .body_len = json ? strlen(json) : 0,
                            .headers = hdr,
                            .no_retry = no_retry};
  int rc = exchange(c, a, action, &req);
  sc_free(u);
  sc_free(auth);
  return rc;
}

/* A query begins with the key of |who| (none for CK_WHO_NOKEY). */
static void query_start(struct ck *c, enum ck_who who, struct sc_buf *q) {
  sc_buf_init(q, 1 << 20);
  const char *key = who_key(c->run, who);
  if (key) {
    sc_buf_adds(q, "api_key=");
    form_escape(q, key);
    sc_buf_addc(q, '&');
  }
}

/* Sends the query built in |q| (freed here) and judges the answer. */
static int query_send(struct ck *c, struct ck_ans *a, const char *action,
                      struct sc_buf *q, int post) {
  sc_buf_add(q, "", 0);
  char *qs = sc_buf_take(q, NULL);
  if (!qs) {
    memset(a, 0, sizeof *a);
    ck_error(c, "out of memory");
    return -1;
  }
  int rc = send_api(c, a, action, qs, post);
  sc_free(qs);
  return rc;
}

int ck_api_v(struct ck *c, struct ck_ans *a, enum ck_who who, int post,
             const char *action, const char *const *kv, size_t nkv) {
  struct sc_buf q;
  query_start(c, who, &q);
  sc_buf_adds(&q, "action=");
  form_escape(&q, action);
  for (size_t i = 0; i + 1 < nkv; i += 2) {
    sc_buf_addc(&q, '&');
    form_escape(&q, kv[i]);
    sc_buf_addc(&q, '=');
    form_escape(&q, kv[i + 1]);
  }
  return query_send(c, a, action, &q, post);
}

int ck_api(struct ck *c, struct ck_ans *a, enum ck_who who, const char *action,
           ...) {
  const char *kv[32];
  size_t n = 0;
  va_list ap;
  va_start(ap, action);
  for (const char *s; n < 32 && (s = va_arg(ap, const char *));)
    kv[n++] = s;
  va_end(ap);
  return ck_api_v(c, a, who, 0, action, kv, n);
}

int ck_api_raw(struct ck *c, struct ck_ans *a, enum ck_who who,
               const char *action, const char *query, int post) {
  struct sc_buf q;
  query_start(c, who, &q);
  sc_buf_adds(&q, query);
  return query_send(c, a, action, &q, post);
}

int ck_ctl(struct ck *c, const char *path, const char *fmt, ...) {
  struct run *r = c->run;
  if (!r->o->control) {
    ck_skip(c, "needs the control protocol (--control URL)");
    return 0;
  }
  va_list ap;
  va_start(ap, fmt);
  char *body = vfmt(fmt, ap);
  va_end(ap);
  char url[1024];
  snprintf(url, sizeof url, "%s/%s", r->o->control, path);
  static const char *const hdr[] = {"Content-Type: application/json", NULL};
  struct sc_http_req req = {.url = url,
                            .method = "POST",
                            .body = body ? body : "{}",
                            .body_len = body ? strlen(body) : 2,
                            .headers = hdr,
                            .no_retry = 1};
  struct sc_http_resp resp;
  int rc = transport(c, &req, &resp);
  record(c, &req, &resp);
  int status = rc ? 0 : (int)resp.status;
  if (status != 200)
    ck_error(c, "control %s answered %d: %.200s", path, status,
             resp.body ? resp.body : resp.errmsg);
  sc_http_resp_free(&resp);
  sc_free(body);
  return status;
}

/* ---- expectations -------------------------------------------------------- */

static void list_join(struct sc_buf *b, const char *const *allowed) {
  for (size_t i = 0; allowed && allowed[i]; i++) {
    if (i)
      sc_buf_adds(b, " or ");
    sc_buf_adds(b, allowed[i]);
  }
}

/* A short printable rendering of an answer for "actual". */
static char *describe(const struct ck_ans *a) {
  struct sc_buf b;
  sc_buf_init(&b, 1024);
  if (!a->ok) {
    sc_buf_printf(&b, "no answer: %s (%s)", sc_http_err_message(a->r.err),
                  a->r.errmsg);
  } else {
    sc_buf_printf(&b, "HTTP %ld ", a->r.status);
    sc_buf_addc(&b, '"');
    size_t n = a->r.len < 160 ? a->r.len : 160;
    /* the exact bytes, readable: controls (C1 too), quotes, backslashes
     * and whatever is not UTF-8 as \xNN, so no writer has to replace them */
    sc_escape_controls(&b, a->r.body, n, "\"\\");
    sc_buf_addc(&b, '"');
    if (a->r.len > n)
      sc_buf_printf(&b, "... (%zu bytes)", a->r.len);
  }
  sc_buf_add(&b, "", 0);
  return sc_buf_take(&b, NULL);
}

int ck_expect(struct ck *c, const struct ck_ans *a, const char *const *allowed,
              const char *what) {
  if (ck_done(c))
    return 0;
  struct sc_buf exp;
  sc_buf_init(&exp, 4096);
  if (allowed)
    list_join(&exp, allowed);
  else
    sc_buf_adds(&exp, "a success answer");
  sc_buf_add(&exp, "", 0);
  char *e = sc_buf_take(&exp, NULL);
  char *act = describe(a);
  int ok = 0;
  if (!a->ok) {
    ck_fail(c, e, act, "%s: no answer", what);
  } else {
    /* the token (when a list is given) */
    int tok_ok = !allowed;
    for (size_t i = 0; allowed && allowed[i] && !tok_ok; i++)
      tok_ok = strcmp(a->token, allowed[i]) == 0;
    if (!allowed && a->res.kind != SC_KIND_SUCCESS &&
        a->res.kind != SC_KIND_STATUS)
      tok_ok = 0;
    /* the parser's verdict on the form */
    const struct sc_deviation *worst = NULL;
    for (size_t i = 0; i < a->res.ndevs; i++)
      if (!worst || a->res.devs[i].verdict > worst->verdict)
        worst = &a->res.devs[i];
    if (!tok_ok) {
      ck_fail(c, e, act, "%s: expected %s, got %s", what, e,
              a->token[0] ? a->token : sc_kind_name(a->res.kind));
    } else if (worst && worst->verdict >= SC_VERDICT_FAIL) {
      ck_fail(c, e, act, "%s: %s: %s", what, sc_dev_name(worst->code),
              worst->message);
    } else {
      if (worst && worst->verdict == SC_VERDICT_WARN)
        ck_warn(c, "%s: %s: %s", what, sc_dev_name(worst->code),
                worst->message);
      ck_ok(c);
      ok = 1;
    }
  }
  sc_free(e);
  sc_free(act);
  return ok;
}

int ck_expect1(struct ck *c, const struct ck_ans *a, const char *token,
               const char *what) {
  const char *allowed[2] = {token, NULL};
  return ck_expect(c, a, allowed, what);
}

long long ck_balance(struct ck *c, enum ck_who who) {
  struct ck_ans a;
  ck_api(c, &a, who, "getBalance", NULL);
  long long cents = -1;
  if (ck_expect1(c, &a, "ACCESS_BALANCE", "getBalance")) {
    const char *v = a.field[0];
    char *end;
    double d = strtod(v, &end);
    if (end != v && *end == '\0' && d > -1e12 && d < 1e12)
      cents = (long long)(d * 100.0 + (d < 0 ? -0.5 : 0.5));
    else
      ck_fail(c, "a decimal balance", v, "getBalance: balance '%s'", v);
  }
  ck_ans_free(&a);
  return cents;
}

void ck_spent(struct ck *c, const char *action, const char *what,
              const char *id, double cost) {
  struct run *r = c->run;
  pthread_mutex_lock(&r->mu);
  if (r->nspend == r->capspend) {
    size_t nc = r->capspend ? r->capspend * 2 : 32;
    struct spend_item *n = sc_realloc(r->spend, nc * sizeof *n);
    if (n) {
      r->spend = n;
      r->capspend = nc;
    }
  }
  if (r->nspend < r->capspend) {
    struct spend_item *s = &r->spend[r->nspend++];
    s->what = sc_strdup(what);
    s->id = sc_strdup(id);
    s->action = sc_strdup(action);
    s->cost = cost;
    s->refunded = 0;
  }
  r->spent += cost;
  pthread_mutex_unlock(&r->mu);
}

void ck_refunded(struct ck *c, const char *id) {
  struct run *r = c->run;
  pthread_mutex_lock(&r->mu);
  /* the latest purchase with that id: a sandbox reset between checks
   * hands the same ids out again */
  for (size_t i = r->nspend; i-- > 0;)
    if (r->spend[i].id && strcmp(r->spend[i].id, id) == 0) {
      if (!r->spend[i].refunded) {
        r->spend[i].refunded = 1;
        r->spent -= r->spend[i].cost;
      }
      break;
    }
  pthread_mutex_unlock(&r->mu);
}

/* ---- running ------------------------------------------------------------- */

static char *curl_line(const struct sc_check_result *res) {
  if (!res->nex)
    return NULL;
  /* the last exchange that was not a control request */
  const struct sc_exchange *e = NULL;
  for (size_t i = res->nex; i-- > 0 && !e;)
    if (!strstr(res->ex[i].url, "/control/"))
      e = &res->ex[i];
  if (!e)
    e = &res->ex[res->nex - 1];
  struct sc_buf b;
  sc_buf_init(&b, 1 << 16);
  sc_buf_adds(&b, "curl -sS");
  if (strcmp(e->method, "GET") != 0 && !e->request_body)
    sc_buf_printf(&b, " -X %s", e->method);
  if (e->request_auth)
    sc_buf_printf(&b, " -H \"Authorization: %s\"", e->request_auth);
  if (e->request_body) {
    sc_buf_adds(&b, " --data-raw \"");
    for (const char *p = e->request_body; *p; p++) {
      if (*p == '"' || *p == '\\' || *p == '`')
        sc_buf_addc(&b, '\\');
      sc_buf_addc(&b, *p);
    }
    sc_buf_addc(&b, '"');
  }
  sc_buf_adds(&b, " \"");
  for (const char *p = e->url; *p; p++) {
    if (*p == '"' || *p == '\\' || *p == '`')
      sc_buf_addc(&b, '\\');
    sc_buf_addc(&b, *p);
  }
  sc_buf_addc(&b, '"');
  sc_buf_add(&b, "", 0);
  return sc_buf_take(&b, NULL);
}

int ck_is_loopback(const char *url) {
  const char *p = strstr(url, "://");
  p = p ? p + 3 : url;
  return strncmp(p, "127.", 4) == 0 || strncmp(p, "localhost", 9) == 0 ||
         strncmp(p, "[::1]", 5) == 0;
}

/* The reason a check cannot run here, or NULL. */
static const char *unmet(struct run *r, const struct ck_def *d, char *buf,
                         size_t n) {
  const struct sc_run_opts *o = r->o;
  if (o->replay && !sc_record_has(o->replay, d->id))
    return "not in the recording (the check is newer than it, or was "
           "skipped or filtered out when it was made)";
  if ((d->needs & CK_CONTROL) && !o->control)
    return "needs the control protocol (--control URL)";
  if ((d->needs & CK_KEY2) && !o->key2)
    return "needs a second account (SMSCONFORM_KEY2 or --key2-file)";
  if (d->needs & CK_SPEND) {
    if (!r->spend_unlimited && o->max_spend <= 0)
      return "buys a number: allow spending with --max-spend AMOUNT";
    pthread_mutex_lock(&r->mu);
    double spent = r->spent;
    pthread_mutex_unlock(&r->mu);
    if (!r->spend_unlimited && spent >= o->max_spend) {
      snprintf(buf, n, "the spending limit %.2f is used up", o->max_spend);
      return buf;
    }
  }
  if (r->deadline > 0 && mono() > r->deadline) {
    snprintf(buf, n, "the time budget of %.0f s is used up", o->budget);
    return buf;
  }
  return NULL;
}

static void fill_result(struct sc_check_result *res, const struct ck_def *d) {
  res->id = sc_strdup(d->id);
  res->cat = d->cat;
  res->action = d->action[0] ? sc_strdup(d->action) : NULL;
  res->tags = sc_strdup(d->tags);
  res->requirement = sc_strdup(d->requirement);
  res->doc = d->doc ? sc_strdup(d->doc) : NULL;
  res->section = d->section ? sc_strdup(d->section) : NULL;
  res->verdict = SC_VERDICT_PASS;
}

static void progress(struct run *r, const struct ck_def *d) {
  pthread_mutex_lock(&r->mu);
  r->done++;
  if (r->o->progress)
    fprintf(r->o->progress, "\r\033[K[%zu/%zu] %s", r->done, r->plan.n, d->id);
  pthread_mutex_unlock(&r->mu);
}

/* Checks that use control or read the balance run one at a time, each
 * from the initial fixture. */
static int runs_alone(const struct ck_def *d) {
  return (d->needs & (CK_SERIAL | CK_CONTROL)) != 0;
}

static void run_one(struct run *r, size_t i) {
  const struct ck_def *d = &r->plan.defs[i];
  struct sc_check_result *res = &r->results[i];
  fill_result(res, d);
  struct ck c = {.run = r, .def = d, .res = res};
  char buf[160];
  const char *why = unmet(r, d, buf, sizeof buf);
  double t0 = mono();
  if (why) {
    ck_skip(&c, "%s", why);
  } else {
    if (runs_alone(d) && r->o->control &&
        ck_ctl(&c, "reset", "{}") == 200) {
      /* the sandbox gave every account its money back and forgot what was
       * bought: nothing is left for clean-up to cancel */
      pthread_mutex_lock(&r->mu);
      for (size_t k = 0; k < r->nspend; k++)
        if (!r->spend[k].refunded) {
          r->spend[k].refunded = 1;
          r->spent -= r->spend[k].cost;
        }
      pthread_mutex_unlock(&r->mu);
    }
    if (!ck_done(&c))
      d->fn(&c);
    if (!c.stated)
      ck_error(&c, "the check stated no finding");
  }
  res->ms = (mono() - t0) * 1000.0;
  if (res->verdict >= SC_VERDICT_WARN && res->verdict != SC_VERDICT_SKIP)
    res->curl = curl_line(res);
  progress(r, d);
}

/* Every ck_later look, once no check runs any more. */
static void run_later(struct run *r) {
  for (size_t k = 0; k < r->nlater; k++) {
    struct later *l = &r->later[k];
    struct sc_check_result *res = &r->results[l->check];
    struct ck c = {.run = r, .def = &r->plan.defs[l->check], .res = res,
                   .stated = 1};
    l->fn(&c, l->arg);
    if (!res->curl && res->verdict >= SC_VERDICT_WARN &&
        res->verdict != SC_VERDICT_SKIP)
      res->curl = curl_line(res);
  }
  r->nlater = 0;
}

static void *worker(void *arg) {
  struct run *r = arg;
  for (;;) {
    pthread_mutex_lock(&r->mu);
    size_t k = r->next < r->npar ? r->next++ : (size_t)-1;
    pthread_mutex_unlock(&r->mu);
    if (k == (size_t)-1)
      return NULL;
    run_one(r, r->par[k]);
  }
}

/* Cancels every number still held (setStatus 8), moving the simulated
 * clock past the early-cancel window first when control is available. */
/* How a purchase is given back: the action that cancels it. */
static void cancel_one(struct ck *c, struct spend_item *s) {
  struct ck_ans a;
  const char *want;
  if (strcmp(s->action, "v1.numbers.buy") == 0) {
    char path[160];
    snprintf(path, sizeof path, "/api/v1/activations/%s", s->id);
    ck_rest(c, &a, CK_WHO_KEY1, "DELETE", "v1.activations.delete", path, NULL,
            0);
    /* 002: {"status": "cancelled", "refunded": true|false} */
    if (a.ok && a.r.status == 200 &&
        cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(a.res.json, "refunded")))
      s->refunded = 1;
    ck_ans_free(&a);
    return;
  }
  if (strcmp(s->action, "getRentNumber") == 0) {
    ck_api(c, &a, CK_WHO_KEY1, "setRentStatus", "id", s->id, "status", "2",
           NULL);
    want = "SUCCESS";
  } else if (strncmp(s->action, "getNumber", 9) == 0 ||
             strcmp(s->action, "getMultiServiceNumber") == 0 ||
             strcmp(s->action, "getExtraActivation") == 0 ||
             strcmp(s->action, "getAdditionalService") == 0) {
    ck_api(c, &a, CK_WHO_KEY1, "setStatus", "id", s->id, "status", "8", NULL);
    want = "ACCESS_CANCEL";
  } else {
    return; /* nothing to give back (e-mail, partner products) */
  }
  if (a.ok && (strcmp(a.token, want) == 0 ||
               (a.res.kind == SC_KIND_SUCCESS && !a.token[0])))
    s->refunded = 1;
  ck_ans_free(&a);
}

/* Every purchase not yet given back is cancelled, after moving a
 * simulated clock past the early-cancel windows. */
static void cleanup(struct run *r) {
  struct ck_def d = {.id = "cleanup", .cat = SC_CAT_MONEY};
  struct sc_check_result res = {0};
  struct ck c = {.run = r, .def = &d, .res = &res};
  int any = 0;
  for (size_t i = 0; i < r->nspend; i++)
    any |= !r->spend[i].refunded;
  if (!any)
    return;
  /* past the early-cancel window, not past the lifetime: an expiry would
   * refund without the ledger knowing */
  int early = ck_timing(&r->env, "early_cancel_seconds", 0);
  if (r->o->control && early > 0)
    ck_ctl(&c, "clock", "{\"advance\":%d}", early + 1);
  for (size_t i = r->nspend; i-- > 0;) {
    struct spend_item *s = &r->spend[i];
    int later = 0; /* the same id bought again after a sandbox reset */
    for (size_t k = i + 1; k < r->nspend && !later; k++)
      later = s->id && r->spend[k].id && strcmp(s->id, r->spend[k].id) == 0;
    if (!later && !s->refunded && s->id && *s->id)
      cancel_one(&c, s);
  }
  sc_check_result_free(&res);
}

static void now_rfc3339(char *buf, size_t n) {
  time_t t = time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The endpoint answers at all: a final HTTP answer of any status to the
 * probe (an interim 1xx is not one). When it does not, |why| says what
 * happened instead and |probe| keeps the exchange, for the report. */
static int reachable(struct run *r, struct sc_check_result *probe, char *why,
                     size_t n) {
  struct ck_def d = {.id = "probe"};
  struct ck c = {.run = r, .def = &d, .res = probe};
  struct ck_ans a;
  memset(&a, 0, sizeof a);
  if (r->env.rest) {
    struct sc_http_req req = {.url = r->o->url};
    transport(&c, &req, &a.r);
    record(&c, &req, &a.r);
  } else {
    ck_api(&c, &a, CK_WHO_KEY1, "getBalance", NULL);
  }
  int ok = a.r.err == SC_HTTP_OK || a.r.status >= 200;
  if (!ok) {
    char msg[512];
    snprintf(msg, sizeof msg, "%s%s (%s)",
             a.r.status ? "an interim answer only, then: " : "",
             sc_http_err_message(a.r.err),
             a.r.errmsg[0] ? a.r.errmsg : sc_http_err_name(a.r.err));
    char *red = redact(r, msg);
    snprintf(why, n, "%s", red ? red : sc_http_err_message(a.r.err));
    sc_free(red);
  }
  ck_ans_free(&a);
  return ok;
}

/* The report of a run that never reached the endpoint: every planned
 * check is ERROR with the reason and the probe's reproduction line, so a
 * CI job still finds its JUnit file and sees why. */
static int unreachable_results(struct run *r, const struct sc_check_result *probe,
                               const char *why) {
  r->results = sc_calloc(r->plan.n, sizeof *r->results);
  if (!r->results)
    return -1;
  char *curl = curl_line(probe);
  for (size_t i = 0; i < r->plan.n; i++) {
    struct sc_check_result *res = &r->results[i];
    fill_result(res, &r->plan.defs[i]);
    res->verdict = SC_VERDICT_ERROR;
    struct sc_buf b;
    sc_buf_init(&b, 4096);
    sc_buf_printf(&b, "not run: the endpoint does not answer: %s", why);
    sc_buf_add(&b, "", 0);
    res->message = sc_buf_take(&b, NULL);
    res->curl = curl ? sc_strdup(curl) : NULL;
  }
  sc_free(curl);
  return 0;
}

static void run_free(struct run *r) {
  sc_http_destroy(r->http);
  sc_free(r->plan.defs);
  sc_free(r->par);
  sc_free(r->ser);
  for (size_t i = 0; i < r->nspend; i++) {
    sc_free(r->spend[i].what);
    sc_free(r->spend[i].id);
    sc_free(r->spend[i].action);
  }
  sc_free(r->spend);
  sc_free(r->later);
  for (size_t i = 0; i < r->nown; i++)
    sc_free(r->secret_own[i]);
  pthread_mutex_destroy(&r->mu);
}

/* Hands the results and the run's particulars over to |rep|. */
static void fill_report(struct run *r, struct sc_report *rep, double t0,
                        const char *started) {
  const struct sc_run_opts *o = r->o;
  rep->results = r->results;
  rep->nresults = r->plan.n;
  r->results = NULL;
  char tool[64];
  snprintf(tool, sizeof tool, "smsconform %s", SC_VERSION_STRING);
  rep->tool = sc_strdup(tool);
  rep->target = redact(r, o->url);
  rep->profile = sc_strdup(r->env.profile_name);
  rep->started = sc_strdup(started);
  rep->strict = o->strict;
  sc_http_stats(r->http, &rep->requests, NULL);
  if (o->replay)
    rep->requests = r->replayed;
  rep->seconds = mono() - t0;
  if (r->nspend && (rep->spend = sc_calloc(r->nspend, sizeof *rep->spend))) {
    for (size_t i = 0; i < r->nspend; i++) {
      rep->spend[i].what = sc_strdup(r->spend[i].what);
      rep->spend[i].id = sc_strdup(r->spend[i].id);
      rep->spend[i].cost = r->spend[i].cost;
      rep->spend[i].refunded = r->spend[i].refunded;
    }
    rep->nspend = r->nspend;
  }
  sc_report_count(rep);
}

int sc_run(const struct sc_run_opts *o, struct sc_report *rep, char *err,
           size_t errlen) {
  memset(rep, 0, sizeof *rep);
  struct run r;
  memset(&r, 0, sizeof r);
  r.o = o;
  pthread_mutex_init(&r.mu, NULL);
  secrets_init(&r);
  if (!o->url || !o->key) {
    snprintf(err, errlen, "no URL or no key");
    run_free(&r);
    return SC_RUN_FAILED;
  }
  r.spend_unlimited = o->replay || o->max_spend < 0 ||
                      (o->max_spend == 0 && ck_is_loopback(o->url));
  if (build_plan(&r, err, errlen)) {
    run_free(&r);
    return SC_RUN_FAILED;
  }
  if (!r.plan.n) {
    snprintf(err, errlen, "no checks selected (see --list, --only, --skip)");
    run_free(&r);
    return SC_RUN_FAILED;
  }
  struct sc_http_opts ho = {.jobs = o->jobs ? o->jobs : 4,
                            .timeout_ms = o->timeout_ms,
                            .max_body = o->max_body,
                            .rate = o->rate};
  r.http = sc_http_new(&ho, err, errlen);
  if (!r.http) {
    run_free(&r);
    return SC_RUN_FAILED;
  }
  double t0 = mono();
  char started[32];
  now_rfc3339(started, sizeof started);
  struct sc_check_result probe = {0};
  char why[600];
  if (!reachable(&r, &probe, why, sizeof why)) {
    int rc = SC_RUN_UNREACHABLE;
    if (unreachable_results(&r, &probe, why)) {
      snprintf(err, errlen, "out of memory");
      rc = SC_RUN_FAILED;
    } else {
      char *target = redact(&r, o->url);
      snprintf(err, errlen, "the endpoint %s does not answer: %s",
               target ? target : "", why);
      sc_free(target);
      fill_report(&r, rep, t0, started);
    }
    sc_check_result_free(&probe);
    run_free(&r);
    return rc;
  }
  sc_check_result_free(&probe);
  if (o->budget > 0)
    r.deadline = t0 + o->budget;
  r.results = sc_calloc(r.plan.n ? r.plan.n : 1, sizeof *r.results);
  r.par = sc_calloc(r.plan.n ? r.plan.n : 1, sizeof *r.par);
  r.ser = sc_calloc(r.plan.n ? r.plan.n : 1, sizeof *r.ser);
  if (!r.results || !r.par || !r.ser) {
    sc_free(r.results);
    run_free(&r);
    snprintf(err, errlen, "out of memory");
    return SC_RUN_FAILED;
  }
  for (size_t i = 0; i < r.plan.n; i++) {
    if (runs_alone(&r.plan.defs[i]))
      r.ser[r.nser++] = i;
    else
      r.par[r.npar++] = i;
  }
  /* parallel-safe checks first, on --jobs threads */
  unsigned nth = o->jobs ? o->jobs : 4;
  pthread_t th[64];
  if (nth > 64)
    nth = 64;
  unsigned started_th = 0;
  for (; started_th < nth; started_th++)
    if (pthread_create(&th[started_th], NULL, worker, &r))
      break;
  if (!started_th)
    worker(&r);
  for (unsigned i = 0; i < started_th; i++)
    pthread_join(th[i], NULL);
  /* then the ones that need the endpoint to themselves */
  for (size_t k = 0; k < r.nser; k++)
    run_one(&r, r.ser[k]);
  run_later(&r);
  cleanup(&r);
  if (o->progress)
    fprintf(o->progress, "\r\033[K");
  fill_report(&r, rep, t0, started);
  run_free(&r);
  return SC_RUN_OK;
}

/* The plan as JSON: what `smsconform list checks --json` prints. */
static int list_json(const struct run *r, FILE *out) {
  static const struct {
    unsigned bit;
    const char *name;
  } needs[] = {{CK_CONTROL, "control"}, {CK_KEY2, "key2"}, {CK_SPEND, "spend"}};
  cJSON *root = cJSON_CreateObject();
  cJSON *arr = root ? cJSON_AddArrayToObject(root, "checks") : NULL;
  int ok = arr && cJSON_AddStringToObject(root, "profile", r->env.profile_name);
  for (size_t i = 0; ok && i < r->plan.n; i++) {
    const struct ck_def *d = &r->plan.defs[i];
    cJSON *e = cJSON_CreateObject(), *nd;
    ok = e && cJSON_AddItemToArray(arr, e) &&
         cJSON_AddStringToObject(e, "id", d->id) &&
         cJSON_AddStringToObject(e, "category", sc_cat_name(d->cat)) &&
         cJSON_AddStringToObject(e, "action", d->action) &&
         cJSON_AddStringToObject(e, "tags", d->tags) &&
         cJSON_AddStringToObject(e, "tier",
                                 d->needs & CK_SMOKE ? "smoke" : "full") &&
         (nd = cJSON_AddArrayToObject(e, "needs")) &&
         cJSON_AddStringToObject(e, "requirement", d->requirement) &&
         cJSON_AddStringToObject(e, "doc", d->doc ? d->doc : "") &&
         cJSON_AddStringToObject(e, "section", d->section ? d->section : "");
    for (size_t k = 0; ok && k < sizeof needs / sizeof *needs; k++)
      if (d->needs & needs[k].bit)
        ok = cJSON_AddItemToArray(nd, cJSON_CreateString(needs[k].name));
  }
  char *text = ok ? cJSON_Print(root) : NULL;
  ok = text && fputs(text, out) != EOF && fputc('\n', out) != EOF;
  cJSON_free(text);
  cJSON_Delete(root);
  return ok ? 0 : -1;
}

int sc_run_list(const struct sc_run_opts *o, FILE *out, int json, char *err,
                size_t errlen) {
  struct run r;
  memset(&r, 0, sizeof r);
  r.o = o;
  pthread_mutex_init(&r.mu, NULL);
  if (build_plan(&r, err, errlen)) {
    run_free(&r);
    return -1;
  }
  if (json) {
    int rc = list_json(&r, out);
    if (rc)
      snprintf(err, errlen, "out of memory");
    run_free(&r);
    return rc;
  }
  for (size_t i = 0; i < r.plan.n; i++) {
    const struct ck_def *d = &r.plan.defs[i];
    char needs[64] = "";
    if (d->needs & CK_CONTROL)
      strcat(needs, "control,");
    if (d->needs & CK_KEY2)
      strcat(needs, "key2,");
    if (d->needs & CK_SPEND)
      strcat(needs, "spend,");
    if (needs[0])
      needs[strlen(needs) - 1] = '\0';
    fprintf(out, "%-56s %-10s %-20s %s\n", d->id, sc_cat_name(d->cat),
            needs[0] ? needs : "-", d->requirement);
  }
  fprintf(out, "%zu checks for profile %s\n", r.plan.n, r.env.profile_name);
  run_free(&r);
  return 0;
}
