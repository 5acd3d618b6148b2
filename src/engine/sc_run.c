/* sc_run.c — the runner's engine (see sc_run.h and sc_run_int.h). */
#include "sc_run_int.h"

#include "sc_alloc.h"
#include "sc_buf.h"
#include "sc_escape.h"
#include "sc_ledger.h"
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
#include <unistd.h>

#define MAX_EXCHANGES 24 /* kept per check for the report */

/* What the run knows of an action's support at the endpoint. */
enum support {
  SUP_UNKNOWN, /* not probed (a probe that may buy, without money) */
  SUP_YES,     /* answered as an implemented action, or --actions says */
  SUP_NO,      /* answered the dialect's unknown-action signal */
  SUP_OUT      /* outside --actions */
};

struct action_support {
  const char *action; /* points into the spec */
  enum support state;
  /* no probe: the answer that showed the action missing (SUP_NO), and
   * whether a check of its own has reported it as a required one */
  char seen[320];
  char seen_token[64];
  int reported;
};

/* One thing a check made (a purchase) that later checks read instead of
 * making their own: its name, what it made (an id), when, and whether it
 * is being made, made, or could not be. */
struct shared {
  char name[32];
  char value[64];
  char owner[128]; /* the check whose step made it, for BLOCKED */
  double made_at;  /* monotonic seconds */
  int state;       /* SH_MAKING, SH_MADE, SH_FAILED */
};
enum { SH_MAKING = 1, SH_MADE, SH_FAILED };

struct run {
  const struct sc_run_opts *o;
  struct sc_http *http;
  struct ck_env env;
  struct ck_plan plan;
  struct sc_check_result *results;
  pthread_mutex_t mu; /* progress, next, support, the random ids */
  size_t *par, npar, *ser, nser;
  size_t nrerun; /* checks put back to run alone (ck_rerun_alone) */
  int no_accounts; /* the control endpoint makes no accounts (own_account) */
  size_t done;
  struct sc_ledger ledger;
  int spend_unlimited;
  struct action_support *sup; /* one per action of the profile */
  size_t nsup;
  /* prices known before buying (getPrices, getRentServicesAndCountries or
   * --price): the run's service and country, and the dearest listed */
  double price, price_max, rent_price_max;
  int price_known, price_max_known, rent_price_known;
  unsigned long long seed; /* of the random ids (kept by a recording) */
  double deadline; /* monotonic seconds; 0 = none */
  unsigned long replayed; /* answers served from --replay */
  struct later *later;     /* ck_later, in the order asked */
  size_t nlater, caplater;
  /* the tokens that ask the client to wait ("retry"), as the profile
   * spells them; NULL-terminated */
  const char *retry[8];
  /* the tokens that refuse a purchase for want of money or stock
   * ("runs_out"), as the profile spells them; NULL-terminated */
  const char *runs_out[8];
  /* the accounts' money: a check that reads a balance holds it alone
   * (write) from its first read to its end; each request that may sell or
   * give money back holds it shared (read) while it runs */
  pthread_rwlock_t money;
  /* ck_run_state: what the checks of the run share, by name */
  struct {
    char name[32];
    void *p;
    void (*free_fn)(void *);
  } state[CK_RUN_STATE_MAX];
  size_t nstate;
  /* ck_shared: what one check made for the checks that only read it */
  struct shared shared[CK_SHARED_MAX];
  size_t nshared;
  pthread_cond_t shared_cv;
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
  const char *step; /* the owner of the step running, or NULL */
  unsigned draws;   /* random ids drawn so far */
  char absent[64];  /* an id getStatus said does not exist */
  int money_excl;   /* holds run.money alone (it reads balances) */
  int alone;        /* has the endpoint to itself (runs_alone) */
  int rerun;        /* to be run again alone (ck_rerun_alone) */
  /* accounts of its own in the control sandbox (own_account): the keys
   * its CK_WHO_KEY1 and CK_WHO_KEY2 requests carry; "" = the run's */
  char own_key[96], own_key2[96];
};

/* The money of an account of its own (own_account): more than any one
 * check spends. */
#define SC_RUN_ACCOUNT_BALANCE 100000

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

int ck_timing_known(const struct ck_env *env, const char *name, int *out) {
  double v = 0;
  int known = sc_profile_timing(env->spec, env->profile, name, &v);
  *out = known ? (int)v : 0;
  return known;
}

int ck_timing(const struct ck_env *env, const char *name) {
  int v;
  ck_timing_known(env, name, &v);
  return v;
}

const char *ck_token(const struct ck_env *env, const char *ref) {
  return sc_profile_token_for(env->profile, ref);
}

/* True when |cat| has every member the engine calls. */
static int catalogue_complete(const struct sc_catalogue *cat) {
  return cat && cat->build_plan && cat->rent_hours && cat->fill_params;
}

static int build_plan(struct run *r, char *err, size_t errlen) {
  const struct sc_run_opts *o = r->o;
  const struct sc_catalogue *cat = o->catalogue;
  const char *pname = o->profile;
  if (!catalogue_complete(cat)) {
    snprintf(err, errlen, "no check catalogue to run (%s)",
             cat ? "a member of the table is missing" : "none was handed in");
    return -1;
  }
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
           cat->rent_hours(&r->env));
  struct ck_plan all = {0};
  if (cat->build_plan(&all, &r->env)) {
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

/* The result's cause (sc_report.h), unless it has one. */
static void set_cause(struct ck *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void set_cause(struct ck *c, const char *fmt, ...) {
  if (c->res->cause)
    return;
  va_list ap;
  va_start(ap, fmt);
  char *m = vfmt(fmt, ap);
  va_end(ap);
  c->res->cause = redact(c->run, m);
  sc_free(m);
}

void ck_ok(struct ck *c) {
  c->stated = 1;
}

int ck_done(const struct ck *c) {
  return c->stop;
}

const char *ck_step(struct ck *c, const char *owner) {
  const char *prev = c->step;
  c->step = owner;
  return prev;
}

void ck_step_end(struct ck *c, const char *prev) {
  c->step = prev;
}

/* A step's owner, when the running step belongs to another check. */
static const char *foreign_step(const struct ck *c) {
  return c->step && strcmp(c->step, c->def->id) != 0 ? c->step : NULL;
}

/* The cause of what an action the endpoint does not implement leaves
 * undone: one group for every optional action (the report's scope names
 * them), one for each required one. */
static void missing_cause(struct ck *c, const char *action) {
  if (sc_profile_action_required(c->run->env.profile, action))
    set_cause(c, "%s not implemented (the profile requires it)", action);
  else
    set_cause(c, "optional actions not implemented");
}

/* What a blocked check's cause says of its owner's step:
 * "getBalance unusable" for format.getBalance; the missing action for
 * support.getBalance. */
static void blocked_cause(struct ck *c, const char *owner) {
  const char *dot = strrchr(owner, '.');
  if (strncmp(owner, "support.", 8) == 0)
    missing_cause(c, owner + 8);
  else if (strncmp(owner, "format.", 7) == 0 && dot)
    set_cause(c, "%s unusable", dot + 1);
  else
    set_cause(c, "%s failed", owner);
}

static void block_v(struct ck *c, const char *owner, const char *fmt,
                    va_list ap) __attribute__((format(printf, 3, 0)));
static void block_v(struct ck *c, const char *owner, const char *fmt,
                    va_list ap) {
  if (c->stop)
    return;
  char *m = vfmt(fmt, ap);
  struct sc_buf b;
  sc_buf_init(&b, 1 << 16);
  sc_buf_printf(&b, "blocked by %s: %s", owner, m ? m : "");
  sc_buf_add(&b, "", 0);
  sc_free(m);
  char *msg = sc_buf_take(&b, NULL);
  sc_free(c->res->message);
  c->res->message = redact(c->run, msg);
  sc_free(msg);
  sc_free(c->res->blocked_by);
  c->res->blocked_by = sc_strdup(owner);
  sc_free(c->res->cause);
  c->res->cause = NULL;
  blocked_cause(c, owner);
  c->res->verdict = SC_VERDICT_BLOCKED;
  c->stated = 1;
  c->stop = 1;
}

void ck_blocked(struct ck *c, const char *owner, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  block_v(c, owner, fmt, ap);
  va_end(ap);
}

/* Ends the check with |v| (SKIP, UNSUPPORTED) and the message |fmt|; its
 * cause is given afresh by the caller. */
static void halt_v(struct ck *c, enum sc_verdict v, const char *fmt,
                   va_list ap) __attribute__((format(printf, 3, 0)));
static void halt_v(struct ck *c, enum sc_verdict v, const char *fmt,
                   va_list ap) {
  set_message(c, 1, fmt, ap);
  sc_free(c->res->cause);
  c->res->cause = NULL;
  c->res->verdict = v;
  c->stated = 1;
  c->stop = 1;
}

void ck_unsupported(struct ck *c, const char *fmt, ...) {
  if (c->stop)
    return;
  va_list ap;
  va_start(ap, fmt);
  halt_v(c, SC_VERDICT_UNSUPPORTED, fmt, ap);
  va_end(ap);
  if (c->def->action[0])
    missing_cause(c, c->def->action);
  else
    set_cause(c, "%s", c->res->message ? c->res->message : "not implemented");
}

void ck_fail(struct ck *c, const char *expected, const char *actual,
             const char *fmt, ...) {
  if (c->stop || c->res->verdict >= SC_VERDICT_FAIL)
    return; /* the first failure tells the story */
  va_list ap;
  va_start(ap, fmt);
  const char *owner = foreign_step(c);
  if (owner) {
    block_v(c, owner, fmt, ap);
    va_end(ap);
    return;
  }
  set_message(c, 1, fmt, ap);
  va_end(ap);
  sc_free(c->res->expected);
  sc_free(c->res->actual);
  c->res->expected = redact(c->run, expected);
  c->res->actual = redact(c->run, actual);
  set_verdict(c, SC_VERDICT_FAIL);
}

void ck_warn(struct ck *c, const char *fmt, ...) {
  if (c->stop)
    return;
  va_list ap;
  va_start(ap, fmt);
  set_message(c, c->res->verdict < SC_VERDICT_WARN, fmt, ap);
  va_end(ap);
  set_verdict(c, SC_VERDICT_WARN);
}

void ck_skip(struct ck *c, const char *fmt, ...) {
  if (c->stop)
    return;
  va_list ap;
  va_start(ap, fmt);
  halt_v(c, SC_VERDICT_SKIP, fmt, ap);
  va_end(ap);
  c->res->cause = sc_strdup(c->res->message);
}

void ck_error(struct ck *c, const char *fmt, ...) {
  if (c->stop && c->res->verdict != SC_VERDICT_FAIL)
    return;
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

/* The forms of the keys an answer must never hold: each key as it is and
 * as it travels (the redaction table), the wrong key the checks send, and
 * in a replay the placeholders the recording holds instead. */
static int holds_key(const struct run *r, const char *s, size_t n) {
  static const char *const extra[] = {CK_WRONG_KEY, "$SMSCONFORM_KEY", NULL};
  for (size_t k = 0; k < r->nsecret + 2; k++) {
    const char *key = k < r->nsecret ? r->secret[k] : extra[k - r->nsecret];
    size_t kl = strlen(key);
    if (k == r->nsecret + 1 && !r->o->replay)
      continue;
    if (kl < 8 || kl > n) /* too short to tell an echo from chance */
      continue;
    for (size_t i = 0; i + kl <= n; i++)
      if (s[i] == key[0] && memcmp(s + i, key, kl) == 0)
        return 1;
  }
  return 0;
}

/* The profile's unknown-action signal (specs: "unknown_action"): one of
 * its tokens, or on an answer that holds no protocol token one of its HTTP
 * statuses, or 404, 405 or 501 (a server that routes actions to handlers
 * of their own answers an action it lacks like a path it lacks). */
/* Whether [s, s+n) reads as a protocol token (BAD_KEY, NOT_FOUND): upper
 * case letters, digits and '_', as every document spells them. */
static int token_shaped(const char *s, size_t n) {
  if (n < 3 || n > 64)
    return 0;
  for (size_t i = 0; i < n; i++)
    if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
          s[i] == '_'))
      return 0;
  return 1;
}

/* An error the spec does not know but that is written as a token (a text
 * body, or the title, error or message of a JSON error object): the
 * vendor's own answer of an action it has, not a server's page for a path
 * or an action it lacks ("Not Found"). */
static int own_error_token(const struct ck_ans *a) {
  if (a->res.kind != SC_KIND_ERROR)
    return 0;
  if (!a->res.json) {
    size_t n = a->r.len;
    while (n && (a->r.body[n - 1] == '\n' || a->r.body[n - 1] == '\r'))
      n--;
    return token_shaped(a->r.body, n);
  }
  static const char *const keys[] = {"title", "error", "message"};
  for (size_t k = 0; k < 3; k++) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(a->res.json, keys[k]);
    if (cJSON_IsString(v) &&
        token_shaped(v->valuestring, strlen(v->valuestring)))
      return 1;
  }
  return 0;
}

static int unknown_signal(const struct run *r, const struct ck_ans *a) {
  if (a->token[0])
    return sc_profile_is_unknown_action(r->env.profile, a->token, 0);
  if (a->res.kind == SC_KIND_SUCCESS || a->res.kind == SC_KIND_STATUS ||
      own_error_token(a))
    return 0;
  return sc_profile_is_unknown_action(r->env.profile, NULL,
                                      (int)a->r.status) ||
         a->r.status == 404 || a->r.status == 405 || a->r.status == 501;
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
  a->echo = (a->r.body && holds_key(c->run, a->r.body, a->r.len)) ||
            (a->r.headers &&
             holds_key(c->run, a->r.headers, strlen(a->r.headers)));
  a->unknown_action = unknown_signal(c->run, a);
  /* smsconform.h: a success without a token and without JSON is the
   * empty 204 answer of a "no_body" action */
  a->empty = a->res.kind == SC_KIND_SUCCESS && !a->res.token && !a->res.json &&
             sc_profile_no_body(c->run->env.profile, action);
}

static const char *who_key(const struct ck *c, enum ck_who who) {
  const struct run *r = c->run;
  switch (who) {
  case CK_WHO_KEY1:
    return c->own_key[0] ? c->own_key : r->o->key;
  case CK_WHO_KEY2:
    return c->own_key2[0] ? c->own_key2 : r->o->key2;
  case CK_WHO_BADKEY:
    return CK_WRONG_KEY;
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
  if (c->rerun) /* it runs again alone: nothing more is sent now */
    return -1;
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

/* ---- support and money ---------------------------------------------------- */

/* The support entry of |action|, or NULL when the profile has no such
 * action (the unknown action of error.handler.BAD_ACTION). */
static struct action_support *support_of(struct run *r, const char *action) {
  for (size_t i = 0; action && i < r->nsup; i++)
    if (strcmp(r->sup[i].action, action) == 0)
      return &r->sup[i];
  return NULL;
}

static enum support support_state(struct run *r, const char *action) {
  pthread_mutex_lock(&r->mu);
  struct action_support *s = support_of(r, action);
  enum support st = s ? s->state : SUP_YES;
  pthread_mutex_unlock(&r->mu);
  return st;
}

/* Records what the endpoint showed of |action|; an unknown-action answer
 * never overrides what a probe or --actions established. */
static void support_set(struct run *r, const char *action, enum support st) {
  pthread_mutex_lock(&r->mu);
  struct action_support *s = support_of(r, action);
  if (s && (st != SUP_NO || s->state == SUP_UNKNOWN))
    s->state = st;
  pthread_mutex_unlock(&r->mu);
}

/* The value of parameter |name| in the form-encoded |query| (as sent,
 * still encoded), into |out|; 1 when present. */
static int query_param(const char *query, const char *name, char *out,
                       size_t n) {
  size_t nl = strlen(name);
  for (const char *p = query; p && *p;) {
    if (strncmp(p, name, nl) == 0 && p[nl] == '=') {
      size_t vl = strcspn(p + nl + 1, "&");
      snprintf(out, n, "%.*s", (int)vl, p + nl + 1);
      return 1;
    }
    p = strchr(p, '&');
    if (p)
      p++;
  }
  if (n)
    out[0] = '\0';
  return 0;
}

/* The check is about |action| itself (its own action, or its support). */
static int own_action(const struct ck *c, const char *action) {
  return strcmp(c->def->action, action) == 0;
}

static int support_planned(const struct run *r, const char *action);

/* A required action that no probe looks at (the smoke tier): the first
 * check of its own to meet it missing FAILs in the probe's place, quoting
 * the answer that showed it; 1 when that is |c|. */
static int fail_missing_required(struct ck *c, const char *action) {
  struct run *r = c->run;
  if (!sc_profile_action_required(r->env.profile, action) ||
      (!r->o->smoke && support_planned(r, action)))
    return 0;
  pthread_mutex_lock(&r->mu);
  struct action_support *s = support_of(r, action);
  int mine = s && !s->reported;
  char seen[320], token[64];
  if (mine) {
    s->reported = 1;
    snprintf(seen, sizeof seen, "%s", s->seen);
    snprintf(token, sizeof token, "%s", s->seen_token);
  }
  pthread_mutex_unlock(&r->mu);
  if (!mine)
    return 0;
  ck_fail(c, "an answer of an implemented action", seen,
          "%s answered the dialect's signal for an unknown action (%s), "
          "but the profile %s requires it",
          action, token[0] ? token : "an HTTP status", r->env.profile_name);
  missing_cause(c, action);
  return 1;
}

/* The check that stands for |action| when no probe does: its format
 * check. */
static void missing_owner(const struct run *r, const char *action, char *out,
                          size_t n) {
  snprintf(out, n, "%s.%s",
           r->o->smoke || !support_planned(r, action) ? "format" : "support",
           action);
}

/* A request of an action the endpoint does not implement is not sent:
 * the check is UNSUPPORTED when the action is its own (or FAILs for a
 * required one no probe reported), else BLOCKED by the check that says
 * so. */
static void not_implemented(struct ck *c, const char *action,
                            enum support st) {
  const char *how = st == SUP_OUT ? "outside the scope given by --actions"
                                  : "not implemented at the endpoint";
  if (own_action(c, action)) {
    if (st == SUP_NO && fail_missing_required(c, action))
      return;
    ck_unsupported(c, "%s is %s (support.%s)", action, how, action);
    return;
  }
  char owner[96];
  missing_owner(c->run, action, owner, sizeof owner);
  const char *prev = ck_step(c, owner);
  ck_blocked(c, owner, "the check needs %s, which is %s", action, how);
  ck_step_end(c, prev);
}

static char *describe(const struct ck_ans *a);

/* An action nothing probed (the smoke tier; a probe that may sell,
 * without money) answered the unknown-action signal: it is missing for
 * every check from now on, and the answer is kept for the check of its
 * own that reports it (not_implemented). */
static void discovered_missing(struct ck *c, const char *action,
                               const struct ck_ans *a) {
  struct run *r = c->run;
  char *act = describe(a);
  pthread_mutex_lock(&r->mu);
  struct action_support *s = support_of(r, action);
  if (s && s->state == SUP_UNKNOWN) {
    snprintf(s->seen, sizeof s->seen, "%s", act ? act : "");
    snprintf(s->seen_token, sizeof s->seen_token, "%s", a->token);
  }
  pthread_mutex_unlock(&r->mu);
  sc_free(act);
  support_set(r, action, SUP_NO);
  not_implemented(c, action, SUP_NO);
}

/* Whether |action| may sell (the spec's "spends"). */
static int sells(const struct run *r, const char *action) {
  struct sc_view v;
  return !sc_spec_view(r->o->spec, action, r->env.profile_name, &v) &&
         v.action && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(
                         v.action->json, "spends"));
}

/* The price a request of |action| with |query| may cost, known before it
 * is sent: the listed price of the run's service and country, else the
 * dearest listed one (a request for another or an unknown service may
 * still sell one), times the services of a multi-service number; the
 * dearest rent. 1 when known. */
static int estimate(const struct run *r, const char *action, const char *query,
                    double *cost) {
  char svc[64], ctry[64], multi[256];
  *cost = 0;
  if (strcmp(action, "getRentNumber") == 0 ||
      strcmp(action, "continueRentNumber") == 0) {
    *cost = r->rent_price_max;
    return r->rent_price_known;
  }
  if (strncmp(action, "getNumber", 9) != 0 &&
      strcmp(action, "getExtraActivation") != 0 &&
      strcmp(action, "getAdditionalService") != 0 &&
      strcmp(action, "getMultiServiceNumber") != 0)
    return 0;
  const char *rsvc = r->o->service ? r->o->service : "tg";
  const char *rctry = r->o->country ? r->o->country : "0";
  int plain = query_param(query, "service", svc, sizeof svc) &&
              strcmp(svc, rsvc) == 0 &&
              (!query_param(query, "country", ctry, sizeof ctry) ||
               strcmp(ctry, rctry) == 0);
  if (plain && r->price_known) {
    *cost = r->price;
  } else if (r->price_max_known) {
    *cost = r->price_max;
  } else if (r->price_known) {
    *cost = r->price; /* --price: the user's word for any number */
  } else {
    return 0;
  }
  if (query_param(query, "multiService", multi, sizeof multi)) {
    int n = 1;
    for (const char *p = multi; *p; p++)
      n += *p == ',' || (p[0] == '%' && p[1] == '2' && (p[2] == 'C' || p[2] == 'c'));
    *cost *= n;
  }
  return 1;
}

/* The money a selling answer states it took: getNumberV2's
 * activationCost, or a cost/price/sum at the top or one level down. */
static int answer_cost(const struct ck_ans *a, double *cost) {
  static const char *const keys[] = {"activationCost", "cost", "price", "sum"};
  const cJSON *j = a->res.json;
  for (int depth = 0; j && depth < 2; depth++) {
    for (size_t k = 0; k < sizeof keys / sizeof *keys; k++) {
      const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, keys[k]);
      char *end = NULL;
      if (cJSON_IsNumber(v) && v->valuedouble >= 0) {
        *cost = v->valuedouble;
        return 1;
      }
      if (cJSON_IsString(v) && *v->valuestring) {
        double d = strtod(v->valuestring, &end);
        if (end && *end == '\0' && d >= 0) {
          *cost = d;
          return 1;
        }
      }
    }
    j = cJSON_IsArray(j) ? cJSON_GetArrayItem(j, 0)
                         : cJSON_GetObjectItemCaseSensitive(j, "phone");
  }
  return 0;
}

/* The id of object |o|: activationId, activation (getMultiServiceNumber's
 * list) or id, as a number or a string. */
static size_t id_of(const cJSON *o, char ids[][64], size_t n, size_t max) {
  static const char *const keys[] = {"activationId", "activation", "id"};
  if (!cJSON_IsObject(o) || n >= max)
    return n;
  for (size_t k = 0; k < sizeof keys / sizeof *keys; k++) {
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, keys[k]);
    if (cJSON_IsNumber(it) && it->valuedouble >= 1 && it->valuedouble < 1e19) {
      snprintf(ids[n++], 64, "%.0f", it->valuedouble);
      return n;
    }
    if (cJSON_IsString(it) && *it->valuestring) {
      snprintf(ids[n++], 64, "%.63s", it->valuestring);
      return n;
    }
  }
  return n;
}

size_t ck_answer_ids(const struct ck_ans *a, char ids[][64], size_t max) {
  size_t n = 0;
  if (a->res.nfields && a->res.fields[0].type &&
      strcmp(a->res.fields[0].type, "id") == 0 && max)
    snprintf(ids[n++], 64, "%s", a->field[0]);
  const cJSON *j = a->res.json, *it;
  if (!j || n)
    return n;
  if (cJSON_IsArray(j)) {
    cJSON_ArrayForEach(it, j) n = id_of(it, ids, n, max);
    return n;
  }
  n = id_of(j, ids, n, max);
  for (it = j->child; it && !n; it = it->next)
    n = id_of(it, ids, n, max);
  return n;
}

/* Whether JSON object |o|, or one of its members, reads as something
 * sold: an id beside a phone number or an address. */
static int names_a_sale(const cJSON *o) {
  static const char *const ids[] = {"activationId", "id"};
  static const char *const what[] = {"phoneNumber", "phone", "number",
                                     "email"};
  if (!cJSON_IsObject(o))
    return 0;
  int id = 0, got = 0;
  for (size_t k = 0; k < 2; k++)
    id |= cJSON_GetObjectItemCaseSensitive(o, ids[k]) != NULL;
  for (size_t k = 0; k < 4; k++)
    got |= cJSON_GetObjectItemCaseSensitive(o, what[k]) != NULL;
  if (id && got)
    return 1;
  for (const cJSON *it = o->child; it; it = it->next)
    if (cJSON_IsObject(it) && names_a_sale(it))
      return 1;
  return 0;
}

/* Whether the answer to a request that may sell sold something: a
 * success, or a JSON answer the parser refused for its form (a phone with
 * a '+', a key missing) that still carries an id and a number. Money went
 * either way: the ledger must hold it, the ceiling count it and the
 * clean-up give it back. */
static int sold_something(const struct ck_ans *a) {
  if (!a->ok)
    return 0;
  if (a->res.kind == SC_KIND_SUCCESS)
    return 1;
  return a->res.kind == SC_KIND_NOT_PROTOCOL && a->r.status >= 200 &&
         a->r.status < 300 && names_a_sale(a->res.json);
}

/* Books what a selling answer sold, whichever check asked. */
static void book_sale(struct ck *c, const char *action, const char *query,
                      const struct ck_ans *a, double est, int est_known) {
  struct run *r = c->run;
  if (!sold_something(a))
    return;
  char ids[16][64];
  size_t n = ck_answer_ids(a, ids, 16);
  double cost = est, stated;
  int known = est_known;
  if (n > 1 && known)
    cost = est / (double)n;
  /* what the answer says it cost, but never less than the listed price
   * the ceiling reserved: a vendor may state one price and charge another
   * (a balance difference, where one is read, has the last word) */
  if (answer_cost(a, &stated) && (!known || stated > cost)) {
    cost = stated;
    known = 1;
  }
  char svc[64] = "", ctry[64] = "", what[160];
  query_param(query ? query : "", "service", svc, sizeof svc);
  query_param(query ? query : "", "country", ctry, sizeof ctry);
  if (svc[0])
    snprintf(what, sizeof what, "%s %s/%s", action, svc, ctry[0] ? ctry : "-");
  else
    snprintf(what, sizeof what, "%s", action);
  double now = mono();
  if (!n)
    sc_ledger_book(&r->ledger, action, what, "", c->def->id, cost, known, now);
  for (size_t i = 0; i < n; i++)
    sc_ledger_book(&r->ledger, action, what, ids[i], c->def->id, cost, known,
                   now);
}

/* Before a request of |action| that may sell as |who|: reserves its price
 * under the ceiling. 0 when it may be sent (|*est|, |*known| the
 * estimate; |*held| whether something was reserved); -1 when it may not
 * (the check is SKIP with the reason). */
static int may_sell(struct ck *c, const char *action, const char *query,
                    enum ck_who who, double *est, int *known, int *held) {
  struct run *r = c->run;
  *held = 0;
  *known = estimate(r, action, query ? query : "", est);
  if (who == CK_WHO_BADKEY || who == CK_WHO_NOKEY || r->spend_unlimited)
    return 0; /* no account to charge, or no ceiling */
  if (!*known) {
    /* where its price would have come from (estimate) */
    const char *why =
        strstr(action, "Rent")
            ? "getRentServicesAndCountries lists none"
        : strncmp(action, "getNumber", 9) == 0 ||
                strcmp(action, "getMultiServiceNumber") == 0 ||
                strcmp(action, "getExtraActivation") == 0 ||
                strcmp(action, "getAdditionalService") == 0
            ? "getPrices lists none; --price gives one"
            : "no action of the protocol lists it";
    ck_skip(c,
            "%s may sell, and its price is not known before buying (%s): "
            "--max-spend %.2f could not be kept",
            action, why, r->o->max_spend);
    return -1;
  }
  if (sc_ledger_reserve(&r->ledger, *est)) {
    double held_now;
    double spent = sc_ledger_committed_held(&r->ledger, &held_now);
    ck_skip(c,
            "the spending limit %.2f would be passed: %.2f spent, %.2f held "
            "by purchases in flight, %s may cost %.2f",
            r->o->max_spend, spent, held_now, action, *est);
    return -1;
  }
  *held = 1;
  return 0;
}

/* What an answer says of a purchase this run made: a code came or it was
 * completed (used), it was cancelled (released). */
static void follow(struct ck *c, const char *action, const char *query,
                   const struct ck_ans *a) {
  char id[64], st[16];
  struct sc_ledger *l = &c->run->ledger;
  if (!a->ok || !query_param(query, "id", id, sizeof id))
    return;
  query_param(query, "status", st, sizeof st);
  if (strcmp(action, "getStatus") == 0 && ck_token_is(c, a, "STATUS_OK"))
    sc_ledger_used(l, id);
  else if (strcmp(action, "setStatus") == 0 && strcmp(st, "6") == 0 &&
           (ck_token_is(c, a, "ACCESS_ACTIVATION") || a->empty))
    sc_ledger_used(l, id);
  else if (strcmp(action, "setStatus") == 0 &&
           (strcmp(st, "8") == 0 || strcmp(st, "-1") == 0) &&
           (ck_token_is(c, a, "ACCESS_CANCEL") || a->empty))
    sc_ledger_released(l, id);
  else if ((strcmp(action, "setRentStatus") == 0 && strcmp(st, "2") == 0) ||
           strcmp(action, "cancelMailActivation") == 0) {
    if (a->res.kind == SC_KIND_SUCCESS)
      sc_ledger_released(l, id);
  }
}

/* An id that may name an activation: digits only, not all zeros, short
 * enough to be an id at all. */
static int names_activation(const char *id) {
  size_t n = strlen(id);
  return n && n < 20 && strspn(id, "0123456789") == n &&
         strspn(id, "0") != n;
}

/* setStatus and the like change an activation: never one this run did not
 * buy (or check absent first). 1 when |query| may be sent. */
/* Actions that change what their id names. */
static int changes(const char *action) {
  static const char *const changing[] = {
      "setStatus",           "setRentStatus",         "continueRentNumber",
      "cancelMailActivation", "reorderMailActivation", NULL};
  for (size_t i = 0; changing[i]; i++)
    if (strcmp(action, changing[i]) == 0)
      return 1;
  return 0;
}

static int may_touch(struct ck *c, enum ck_who who, const char *action,
                     const char *query) {
  char id[64];
  if (!changes(action) || who == CK_WHO_BADKEY || who == CK_WHO_NOKEY ||
      !query_param(query, "id", id, sizeof id) ||
      !names_activation(id) || strcmp(id, c->absent) == 0 ||
      sc_ledger_owns(&c->run->ledger, id))
    return 1;
  ck_error(c, "not sent: %s to %s, which this run did not buy", action, id);
  return 0;
}

/* The length of the origin of |url|: scheme://host[:port], without the
 * path, query or fragment. */
static size_t origin_len(const char *url) {
  const char *p = strstr(url, "://");
  p = p ? p + 3 : url;
  return (size_t)(p - url) + strcspn(p, "/?#");
}

/* The length of the name |p| (|n| bytes, form-encoded) without a "[]"
 * ending (PHP's array form, sent as %5B%5D). */
static size_t name_base(const char *p, size_t n) {
  for (size_t k = 0; k < n; k++)
    if (p[k] == '[' || (p[k] == '%' && k + 2 < n && p[k + 1] == '5' &&
                        (p[k + 2] == 'B' || p[k + 2] == 'b')))
      return k;
  return n;
}

/* |query| (form-encoded pairs under the reference's parameter names) with
 * every name as the profile's "rename" gives it for |action|
 * (sc_profile_param_name), into |b| (initialised) and NUL-terminated. A
 * name without a rename, or too long to be a parameter's, stays as sent. */
static void wire_query(const struct run *r, const char *action,
                       const char *query, struct sc_buf *b) {
  for (const char *p = query; *p;) {
    size_t len = strcspn(p, "&");
    size_t base = name_base(p, strcspn(p, "=&"));
    char name[128];
    const char *wire = NULL;
    if (base < sizeof name) {
      memcpy(name, p, base);
      name[base] = '\0';
      wire = sc_profile_param_name(r->env.profile, action, name);
    }
    if (wire && wire != name && strcmp(wire, name) != 0) {
      form_escape(b, wire);
      sc_buf_add(b, p + base, len - base);
    } else {
      sc_buf_add(b, p, len);
    }
    p += len;
    if (*p == '&') {
      sc_buf_addc(b, '&');
      p++;
    }
  }
  sc_buf_add(b, "", 0);
}

/* The URL |wire| (the action a query names) is sent to: the profile's
 * "path" for it on the origin of --url, else --url itself; then |query|
 * unless NULL. NULL when out of memory. */
static char *action_url(const struct run *r, const char *wire,
                        const char *query) {
  const char *path = sc_profile_action_path(r->env.profile, wire);
  struct sc_buf b;
  sc_buf_init(&b, 1 << 20);
  if (path) {
    sc_buf_add(&b, r->o->url, origin_len(r->o->url));
    sc_buf_adds(&b, path);
  } else {
    sc_buf_adds(&b, r->o->url);
  }
  if (query) {
    sc_buf_addc(&b, b.len && strchr(b.ptr, '?') ? '&' : '?');
    sc_buf_adds(&b, query);
  }
  sc_buf_add(&b, "", 0);
  return sc_buf_take(&b, NULL);
}

/* Sends |query| (reference names) for action |wire| as the profile says:
 * its path, its method (|post| forces a POST form), its parameter names;
 * the answer judged as |action|. Returns as exchange. */
static int send_wire(struct ck *c, struct ck_ans *a, const char *action,
                     const char *wire, const char *query, int post) {
  struct run *r = c->run;
  const char *m = sc_profile_action_method(r->env.profile, wire);
  post = post || (m && strcmp(m, "POST") == 0);
  struct sc_buf q;
  sc_buf_init(&q, 1 << 20);
  wire_query(r, wire, query, &q);
  char *wq = sc_buf_take(&q, NULL);
  char *u = wq ? action_url(r, wire, post ? NULL : wq) : NULL;
  if (!u) {
    sc_free(wq);
    ck_error(c, "out of memory");
    return -1;
  }
  static const char *const form_hdr[] = {
      "Content-Type: application/x-www-form-urlencoded", NULL};
  struct sc_http_req req = {.url = u,
                            .method = post ? "POST" : "GET",
                            .body = post ? wq : NULL,
                            .body_len = post ? strlen(wq) : 0,
                            .headers = post ? form_hdr : NULL};
  int rc = exchange(c, a, action, &req);
  sc_free(u);
  sc_free(wq);
  return rc;
}

static int send_api(struct ck *c, struct ck_ans *a, enum ck_who who,
                    const char *action, const char *query, int post) {
  struct run *r = c->run;
  memset(a, 0, sizeof *a);
  char wire[64];
  query_param(query, "action", wire, sizeof wire);
  enum support st = support_state(r, wire);
  int probe = (c->def->needs & CK_SUPPORT) != 0;
  if ((st == SUP_NO || st == SUP_OUT) && !probe) {
    not_implemented(c, wire, st);
    return -1;
  }
  if (!may_touch(c, who, wire, query))
    return -1;
  double est = 0;
  int known = 0, held = 0, sell = sells(r, wire);
  if (sell && may_sell(c, wire, query, who, &est, &known, &held))
    return -1;
  int moves = (sell || changes(wire)) && !c->money_excl && !c->own_key[0];
  if (moves)
    pthread_rwlock_rdlock(&r->money);
  int rc = send_wire(c, a, action, wire, query, post);
  if (moves)
    pthread_rwlock_unlock(&r->money);
  if (sell && who != CK_WHO_BADKEY && who != CK_WHO_NOKEY)
    book_sale(c, wire, query, a, est, known);
  if (held)
    sc_ledger_unreserve(&r->ledger, est);
  /* robustness judges whatever its bad values get, a refusal included */
  if (sell && ck_ran_out(c, a) && c->def->cat != SC_CAT_ROBUSTNESS)
    ck_rerun_alone(c);
  follow(c, wire, query, a);
  if (a->ok && a->unknown_action && st == SUP_UNKNOWN && !probe)
    discovered_missing(c, wire, a);
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
  const char *key = who_key(c, who);
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
  double est = 0;
  int known = 0, held = 0, sell = sells(r, action);
  int rc = -1;
  memset(a, 0, sizeof *a);
  if (!sell || !may_sell(c, action, NULL, who, &est, &known, &held)) {
    /* a purchase or a DELETE moves money (see run.money) */
    int moves = (sell || (method && strcmp(method, "DELETE") == 0)) &&
                !c->money_excl && !c->own_key[0];
    if (moves)
      pthread_rwlock_rdlock(&r->money);
    rc = exchange(c, a, action, &req);
    if (moves)
      pthread_rwlock_unlock(&r->money);
    if (sell && who != CK_WHO_BADKEY && who != CK_WHO_NOKEY)
      book_sale(c, action, NULL, a, est, known);
    if (held)
      sc_ledger_unreserve(&r->ledger, est);
  }
  sc_free(u);
  sc_free(auth);
  return rc;
}

/* A query begins with the key of |who| (none for CK_WHO_NOKEY). */
static void query_start(struct ck *c, enum ck_who who, struct sc_buf *q) {
  sc_buf_init(q, 1 << 20);
  const char *key = who_key(c, who);
  if (key) {
    sc_buf_adds(q, "api_key=");
    form_escape(q, key);
    sc_buf_addc(q, '&');
  }
}

/* Sends the query built in |q| (freed here) and judges the answer. */
static int query_send(struct ck *c, struct ck_ans *a, enum ck_who who,
                      const char *action, struct sc_buf *q, int post) {
  sc_buf_add(q, "", 0);
  char *qs = sc_buf_take(q, NULL);
  if (!qs) {
    memset(a, 0, sizeof *a);
    ck_error(c, "out of memory");
    return -1;
  }
  int rc = send_api(c, a, who, action, qs, post);
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
  return query_send(c, a, who, action, &q, post);
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
  return query_send(c, a, who, action, &q, post);
}

/* The control operations that change what every check sees: only a
 * check that has the sandbox to itself may send them. */
static int changes_world(const char *path) {
  return strcmp(path, "sms") != 0 && strcmp(path, "rent-sms") != 0 &&
         strcmp(path, "account") != 0;
}

/* POSTs |body| (NULL = "{}") to {control}/|path|, recorded; the HTTP
 * status (0 on transport failure) with the answer in |resp| (free it). */
static int ctl_send(struct ck *c, const char *path, const char *body,
                    struct sc_http_resp *resp) {
  char url[1024];
  snprintf(url, sizeof url, "%s/%s", c->run->o->control, path);
  static const char *const hdr[] = {"Content-Type: application/json", NULL};
  struct sc_http_req req = {.url = url,
                            .method = "POST",
                            .body = body ? body : "{}",
                            .body_len = body ? strlen(body) : 2,
                            .headers = hdr,
                            .no_retry = 1};
  int rc = transport(c, &req, resp);
  record(c, &req, resp);
  return rc ? 0 : (int)resp->status;
}

int ck_ctl(struct ck *c, const char *path, const char *fmt, ...) {
  struct run *r = c->run;
  if (!r->o->control) {
    ck_skip(c, "needs the control protocol (--control URL)");
    return 0;
  }
  if (c->rerun)
    return 0;
  if (!c->alone && changes_world(path)) {
    /* a mistake in the catalogue, not in the endpoint: it would change
     * the sandbox under the checks running beside this one */
    ck_error(c,
             "control %s changes what every check sees, and %s shares the "
             "sandbox (it is declared neither CK_ALONE nor CK_WAIT)",
             path, c->def->id);
    return 0;
  }
  va_list ap;
  va_start(ap, fmt);
  char *body = vfmt(fmt, ap);
  va_end(ap);
  struct sc_http_resp resp;
  int status = ctl_send(c, path, body, &resp);
  /* a control endpoint may serve part of the protocol: an operation it
   * does not offer leaves the check without what it needs */
  if (status == 404 || status == 501)
    ck_skip(c, "the control endpoint does not offer %s (HTTP %d: %.200s)",
            path, status, resp.body ? resp.body : "");
  else if (status != 200)
    ck_error(c, "control %s answered %d: %.200s", path, status,
             resp.body ? resp.body : resp.errmsg);
  sc_http_resp_free(&resp);
  sc_free(body);
  return status;
}

/* An account of its own for a check that shares the control sandbox and
 * buys: what it reads of its balance is its own doing, so it holds no
 * money lock and waits for no one's purchases. The control endpoint makes
 * it (`account`, an extension of the protocol); one that does not (404,
 * 501) makes none for the rest of the run, and the check uses the run's
 * first key and the money lock, as without control. */
static void own_account(struct run *r, struct ck *c, size_t i) {
  int two = (c->def->needs & CK_KEY2) != 0;
  char key[2][96];
  for (int k = 0; k <= two && !r->no_accounts; k++) {
    char body[256];
    snprintf(key[k], sizeof key[k], "smsconform-%llx-%zu%s",
             r->seed & 0xffffffull, i, k ? "-2" : "");
    snprintf(body, sizeof body, "{\"apiKey\":\"%s\",\"balance\":%d}",
             key[k], SC_RUN_ACCOUNT_BALANCE);
    struct sc_http_resp resp;
    int status = ctl_send(c, "account", body, &resp);
    sc_http_resp_free(&resp);
    if (status == 404 || status == 501)
      r->no_accounts = 1; /* no lock needed: a repeat is harmless */
    if (status != 200)
      return; /* both or none: the keys it reads must all be its own */
  }
  if (r->no_accounts)
    return;
  snprintf(c->own_key, sizeof c->own_key, "%s", key[0]);
  if (two)
    snprintf(c->own_key2, sizeof c->own_key2, "%s", key[1]);
}

/* ---- expectations -------------------------------------------------------- */

/* |allowed| as the profile names them (ck_token), joined with "or". */
static void list_join(struct sc_buf *b, const struct ck_env *env,
                      const char *const *allowed) {
  for (size_t i = 0; allowed && allowed[i]; i++) {
    if (i)
      sc_buf_adds(b, " or ");
    sc_buf_adds(b, ck_token(env, allowed[i]));
  }
}

/* True when |name| is a success token of the spec. */
static int success_token(const struct sc_spec *s, const char *name) {
  const struct sc_token *t = sc_spec_token(s, name, strlen(name));
  return t && t->kind == SC_TOKKIND_SUCCESS;
}

/* Whether |a| is one of |allowed| (reference tokens, each standing for
 * the token that plays its part in the profile): its token, or the empty
 * success of a "no_body" action where a success token is allowed. NULL
 * allows any success or status answer. */
static int answers_allowed(const struct ck *c, const struct ck_ans *a,
                           const char *const *allowed) {
  const struct ck_env *env = &c->run->env;
  if (!allowed)
    return a->res.kind == SC_KIND_SUCCESS || a->res.kind == SC_KIND_STATUS;
  for (size_t i = 0; allowed[i]; i++) {
    const char *t = ck_token(env, allowed[i]);
    if (a->token[0] ? strcmp(a->token, t) == 0
                    : a->empty && success_token(env->spec, t))
      return 1;
  }
  return 0;
}

int ck_token_is(const struct ck *c, const struct ck_ans *a, const char *ref) {
  return a->token[0] && strcmp(a->token, ck_token(&c->run->env, ref)) == 0;
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

/* Keeps the answer the verdict rests on: its HTTP status and the parser's
 * deviations, for the report. */
static void keep_answer(struct ck *c, const struct ck_ans *a) {
  struct sc_check_result *res = c->res;
  for (size_t i = 0; i < res->ndevs; i++) {
    sc_free(res->devs[i].code);
    sc_free(res->devs[i].message);
  }
  sc_free(res->devs);
  res->devs = NULL;
  res->ndevs = 0;
  res->http_status = a->ok ? a->r.status : 0;
  if (!a->res.ndevs ||
      !(res->devs = sc_calloc(a->res.ndevs, sizeof *res->devs)))
    return;
  for (size_t i = 0; i < a->res.ndevs; i++) {
    const struct sc_deviation *d = &a->res.devs[i];
    struct sc_check_dev *o = &res->devs[res->ndevs];
    o->code = sc_strdup(sc_dev_name(d->code));
    o->message = redact(c->run, d->message);
    o->verdict = d->verdict;
    o->offset = d->offset;
    if (!o->code || !o->message) {
      sc_free(o->code);
      sc_free(o->message);
      break;
    }
    res->ndevs++;
  }
}

/* Text in an answer that leaks the server's internals (SQL, runtime
 * errors): the parser's deviation for it. */
static int leaks(enum sc_dev code) {
  return code == SC_DEV_SERVER_ERROR_TEXT;
}

void ck_judged(struct ck *c, const struct ck_ans *a) {
  if (c->res->verdict != SC_VERDICT_PASS && !c->res->http_status &&
      !c->res->ndevs)
    keep_answer(c, a);
}

/* The deviation that tells most: text that leaks the server's internals
 * first, then the first of the worst. */
static const struct sc_deviation *telling(const struct ck_ans *a) {
  const struct sc_deviation *worst = NULL;
  for (size_t i = 0; i < a->res.ndevs; i++) {
    if (leaks(a->res.devs[i].code))
      return &a->res.devs[i];
    if (!worst || a->res.devs[i].verdict > worst->verdict)
      worst = &a->res.devs[i];
  }
  return worst;
}

/* The answer of a finding that changed the verdict is the one the report
 * keeps (an earlier finding's stands otherwise). */
static void stated_on(struct ck *c, const struct ck_ans *a,
                      enum sc_verdict before) {
  if (c->res->verdict != before)
    keep_answer(c, a);
}

int ck_expect(struct ck *c, const struct ck_ans *a, const char *const *allowed,
              const char *what) {
  if (ck_done(c))
    return 0;
  struct sc_buf exp;
  sc_buf_init(&exp, 4096);
  if (allowed)
    list_join(&exp, &c->run->env, allowed);
  else
    sc_buf_adds(&exp, "a success answer");
  sc_buf_add(&exp, "", 0);
  char *e = sc_buf_take(&exp, NULL);
  char *act = describe(a);
  enum sc_verdict before = c->res->verdict;
  int ok = 0;
  const struct sc_deviation *dev = a->ok ? telling(a) : NULL;
  if (!a->ok) {
    ck_fail(c, e, act, "%s: no answer", what);
    set_cause(c, "no answer: %s", sc_http_err_message(a->r.err));
  } else if (a->echo) {
    /* a leak is judged before anything else */
    ck_fail(c, e, act, "%s: the answer echoes the API key (HTTP %ld)", what,
            a->r.status);
    set_cause(c, "the API key echoed in an answer");
  } else if (dev && leaks(dev->code)) {
    ck_fail(c, e, act, "%s: %s: %s", what, sc_dev_name(dev->code),
            dev->message);
    set_cause(c, "%s", sc_dev_describe(dev->code));
  } else {
    int tok_ok = answers_allowed(c, a, allowed);
    const char *got = a->token[0] ? a->token : sc_kind_name(a->res.kind);
    if (!tok_ok && !a->token[0] && dev && dev->verdict >= SC_VERDICT_FAIL) {
      /* no token: what the parser found is the answer's story; the cause
       * is the answer's kind, whatever shape each action wanted of it
       * ({"error":"Invalid API key"} is one cause, not one per action),
       * unless a success was expected and the JSON is a success form
       * broken in one place (a phone with a '+', a key missing): then
       * that is the cause */
      ck_fail(c, e, act, "%s: expected %s, got %s: %s: %s", what, e, got,
              sc_dev_name(dev->code), dev->message);
      if (!allowed && a->res.json && dev->code != SC_DEV_JSON_UNEXPECTED)
        set_cause(c, "%s: %s", sc_dev_name(dev->code),
                  sc_dev_describe(dev->code));
      else
        set_cause(c, "expected %s, got %s", e,
                  a->res.json ? "JSON without a protocol token"
                              : sc_dev_name(dev->code));
    } else if (!tok_ok) {
      if (a->r.status != 200)
        ck_fail(c, e, act, "%s: expected %s, got %s (HTTP %ld)", what, e, got,
                a->r.status);
      else
        ck_fail(c, e, act, "%s: expected %s, got %s", what, e, got);
      set_cause(c, "expected %s, got %s", e, got);
    } else if (dev && dev->verdict >= SC_VERDICT_FAIL) {
      ck_fail(c, e, act, "%s: %s: %s", what, sc_dev_name(dev->code),
              dev->message);
      set_cause(c, "%s in %s", sc_dev_name(dev->code), got);
    } else {
      if (dev && dev->verdict == SC_VERDICT_WARN) {
        ck_warn(c, "%s: %s: %s", what, sc_dev_name(dev->code), dev->message);
        set_cause(c, "%s: %s", sc_dev_name(dev->code),
                  sc_dev_describe(dev->code));
      }
      ck_ok(c);
      ok = 1;
    }
  }
  stated_on(c, a, before);
  sc_free(e);
  sc_free(act);
  return ok;
}

int ck_expect1(struct ck *c, const struct ck_ans *a, const char *token,
               const char *what) {
  const char *allowed[2] = {token, NULL};
  return ck_expect(c, a, allowed, what);
}

void ck_hold_money(struct ck *c) {
  /* an account of its own: no one else moves its money */
  if (!c->money_excl && !c->own_key[0]) {
    pthread_rwlock_wrlock(&c->run->money);
    c->money_excl = 1;
  }
}

long long ck_balance(struct ck *c, enum ck_who who) {
  ck_hold_money(c);
  const char *prev = ck_step(c, "format.getBalance");
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
  ck_step_end(c, prev);
  return cents;
}

int ck_alone(const struct ck *c) {
  return c->money_excl || c->alone || c->own_key[0];
}

int ck_has_sandbox(const struct ck *c) {
  return c->alone;
}

int ck_ran_out(const struct ck *c, const struct ck_ans *a) {
  if (!a->ok || !a->token[0])
    return 0;
  for (size_t i = 0; c->run->runs_out[i]; i++)
    if (strcmp(a->token, c->run->runs_out[i]) == 0)
      return 1;
  return 0;
}

int ck_rerun_alone(struct ck *c) {
  if (c->alone || !c->run->o->control)
    return 0;
  /* what it found so far is dropped with its result (run_one) */
  c->rerun = 1;
  c->stop = 1;
  c->stated = 1;
  return 1;
}

void ck_spent(struct ck *c, const char *action, const char *what,
              const char *id, double cost) {
  sc_ledger_price(&c->run->ledger, action, what, id, c->def->id, cost, mono());
}

void ck_refunded(struct ck *c, const char *id) {
  sc_ledger_released(&c->run->ledger, id);
}

int ck_owns(struct ck *c, const char *id) {
  return sc_ledger_owns(&c->run->ledger, id);
}

void ck_absent(struct ck *c, const char *id) {
  snprintf(c->absent, sizeof c->absent, "%s", id);
}

/* splitmix64 */
static unsigned long long mix(unsigned long long x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

/* The n-th id a check draws depends on the run's seed, the check's id and
 * n only: the same in a replay of a recording, whatever order the threads
 * ran the checks in. */
void ck_unknown_id(struct ck *c, char *buf, size_t n) {
  unsigned long long h = 1469598103934665603ULL; /* FNV-1a of the id */
  for (const char *p = c->def->id; *p; p++)
    h = (h ^ (unsigned char)*p) * 1099511628211ULL;
  unsigned long long x = mix(c->run->seed ^ h ^ mix(++c->draws));
  char id[19];
  for (int i = 0; i < 18; i++) {
    x = mix(x);
    id[i] = (char)('0' + (i == 0 ? 1 + (x >> 33) % 9 : (x >> 33) % 10));
  }
  id[18] = '\0';
  snprintf(buf, n, "%s", id);
}

void ck_not_implemented(struct ck *c, const char *action) {
  support_set(c->run, action, SUP_NO);
}

int ck_supported_any(struct ck *c) {
  struct run *r = c->run;
  int any = r->nsup == 0;
  pthread_mutex_lock(&r->mu);
  for (size_t i = 0; i < r->nsup && !any; i++)
    any = r->sup[i].state != SUP_NO && r->sup[i].state != SUP_OUT &&
          strcmp(r->sup[i].action, "webhook") != 0;
  pthread_mutex_unlock(&r->mu);
  return any;
}

int ck_supported(struct ck *c, const char *action) {
  enum support st = support_state(c->run, action);
  return st != SUP_NO && st != SUP_OUT;
}

int ck_listed_price(struct ck *c, double *price) {
  *price = c->run->price;
  return c->run->price_known;
}

int ck_wait(struct ck *c, int seconds) {
  const struct sc_run_opts *o = c->run->o;
  if (seconds <= 0)
    return 1;
  if (o->control)
    return ck_ctl(c, "clock", "{\"advance\":%d}", seconds) == 200;
  if (o->allow_wait >= seconds && !o->replay) {
    struct timespec ts = {seconds, 0};
    while (nanosleep(&ts, &ts) != 0)
      ;
    return 1;
  }
  ck_skip(c,
          "needs %d s to pass at the endpoint: the control protocol's clock "
          "(--control URL) or --allow-wait %d",
          seconds, seconds);
  return 0;
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
  if ((d->needs & CK_WAIT) && !o->control && o->allow_wait < d->wait) {
    snprintf(buf, n,
             "needs %d s to pass at the endpoint: the control protocol's "
             "clock (--control URL) or --allow-wait %d",
             d->wait, d->wait);
    return buf;
  }
  if ((d->needs & CK_KEY2) && !o->key2)
    return "needs a second account (SMSCONFORM_KEY2 or --key2-file)";
  if (d->needs & CK_SPEND) {
    if (!r->spend_unlimited && o->max_spend <= 0)
      return "buys a number: allow spending with --max-spend AMOUNT";
    double spent = sc_ledger_committed_held(&r->ledger, NULL);
    if (!r->spend_unlimited && spent >= o->max_spend - 0.005) {
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

/* With control, a check that changes what every check sees (the clock,
 * stock, prices, balances, webhook targets) or needs an account with
 * nothing bought runs alone, from a reset sandbox; the others share it,
 * SMS and all. Without control nothing resets, and what must not overlap
 * is the money, which run.money keeps apart. */
static int runs_alone(const struct run *r, const struct ck_def *d) {
  return r->o->control && (d->needs & (CK_ALONE | CK_WAIT));
}

/* A reproduction line for what did not pass, skipped ones aside. */
static int wants_curl(const struct sc_check_result *res) {
  return res->verdict >= SC_VERDICT_WARN || res->verdict == SC_VERDICT_BLOCKED;
}

/* A check that rests on a borrowed rule is not failed by it: its FAIL is
 * a WARN that says where the rule comes from. */
static void borrowed_rule(struct ck *c) {
  struct sc_check_result *res = c->res;
  if (!c->def->borrowed[0] || res->verdict != SC_VERDICT_FAIL)
    return;
  struct sc_buf b;
  sc_buf_init(&b, 1 << 16);
  sc_buf_printf(&b, "%s (not a requirement of %s: %s)",
                res->message ? res->message : "", c->def->doc ? c->def->doc : "",
                c->def->borrowed);
  sc_buf_add(&b, "", 0);
  char *m = sc_buf_take(&b, NULL);
  if (m) {
    sc_free(res->message);
    res->message = m;
  }
  sc_free(res->cause);
  res->cause = sc_strdup("a rule borrowed from another document");
  res->verdict = SC_VERDICT_WARN;
}

static void run_later(struct run *r);

/* A finding that names no cause of its own is its own cause: its message
 * (findings with the same message group together). */
static void default_cause(struct sc_check_result *res) {
  if (res->cause || res->verdict == SC_VERDICT_PASS || !res->message)
    return;
  /* the parser's finding on the answer kept, when it is the verdict's */
  for (size_t i = 0; i < res->ndevs; i++)
    if (res->devs[i].verdict == res->verdict) {
      enum sc_dev d = SC_DEV__COUNT;
      for (int k = 0; k < SC_DEV__COUNT && d == SC_DEV__COUNT; k++)
        if (!strcmp(sc_dev_name((enum sc_dev)k), res->devs[i].code))
          d = (enum sc_dev)k;
      struct sc_buf b;
      sc_buf_init(&b, 1024);
      sc_buf_printf(&b, "%s: %s", res->devs[i].code,
                    d < SC_DEV__COUNT ? sc_dev_describe(d) : "");
      sc_buf_add(&b, "", 0);
      res->cause = sc_buf_take(&b, NULL);
      return;
    }
  size_t n = strlen(res->message);
  res->cause = sc_strndup(res->message, n < 200 ? n : 200);
}

static void shared_forget(struct run *r);

/* With control: what is left to look at is looked at before the sandbox
 * forgets it (a webhook's retries stop at a reset), then the sandbox goes
 * back to its initial fixture, every account with its money back and
 * nothing bought: nothing is left for clean-up to cancel. */
static int sandbox_reset(struct run *r, struct ck *c) {
  if (!r->o->control)
    return 0;
  if (r->nlater)
    run_later(r);
  if (ck_ctl(c, "reset", "{}") != 200)
    return 0;
  sc_ledger_reset(&r->ledger);
  shared_forget(r);
  return 1;
}

/* A check that ran out of the shared sandbox's numbers or money
 * (ck_rerun_alone) is run again alone, from a reset: what it found is
 * dropped. Returns 1 when it was put back. */
static int put_back(struct run *r, struct ck *c, size_t i) {
  if (!c->rerun)
    return 0;
  sc_check_result_free(c->res);
  pthread_mutex_lock(&r->mu);
  r->ser[r->nser++] = i;
  r->nrerun++;
  pthread_mutex_unlock(&r->mu);
  return 1;
}

static void run_one(struct run *r, size_t i, int alone) {
  const struct ck_def *d = &r->plan.defs[i];
  struct sc_check_result *res = &r->results[i];
  fill_result(res, d);
  struct ck c = {.run = r, .def = d, .res = res, .alone = alone};
  char buf[256];
  const char *why = unmet(r, d, buf, sizeof buf);
  enum support st = d->action[0] && !(d->needs & CK_SUPPORT)
                        ? support_state(r, d->action)
                        : SUP_YES;
  double t0 = mono();
  if (st == SUP_NO || st == SUP_OUT) {
    /* every check of an action the endpoint does not implement */
    not_implemented(&c, d->action, st);
  } else if (why) {
    ck_skip(&c, "%s", why);
  } else {
    if (r->o->record && sc_record_begin(r->o->record, d->id))
      ck_error(&c, "out of memory");
    if (alone)
      sandbox_reset(r, &c);
    else if (r->o->control && (d->needs & CK_SPEND))
      own_account(r, &c, i);
    if (!ck_done(&c))
      d->fn(&c);
    if (c.money_excl)
      pthread_rwlock_unlock(&r->money);
    if (put_back(r, &c, i))
      return;
    if (!c.stated)
      ck_error(&c, "the check stated no finding");
  }
  borrowed_rule(&c);
  default_cause(res);
  res->ms = (mono() - t0) * 1000.0;
  if (wants_curl(res))
    res->curl = curl_line(res);
  progress(r, d);
}

/* ---- ck_shared ------------------------------------------------------------ */

void *ck_run_state(struct ck *c, const char *name, size_t size,
                   void (*free_fn)(void *)) {
  struct run *r = c->run;
  void *p = NULL;
  pthread_mutex_lock(&r->mu);
  for (size_t i = 0; i < r->nstate && !p; i++)
    if (strcmp(r->state[i].name, name) == 0)
      p = r->state[i].p;
  if (!p && r->nstate < CK_RUN_STATE_MAX && (p = sc_calloc(1, size))) {
    snprintf(r->state[r->nstate].name, sizeof r->state[0].name, "%s", name);
    r->state[r->nstate].p = p;
    r->state[r->nstate++].free_fn = free_fn;
  }
  pthread_mutex_unlock(&r->mu);
  return p;
}

/* After a sandbox reset nothing made before it exists. */
static void shared_forget(struct run *r) {
  pthread_mutex_lock(&r->mu);
  for (size_t i = 0; i < r->nshared; i++)
    if (r->shared[i].state != SH_MAKING)
      r->shared[i].name[0] = '\0';
  pthread_mutex_unlock(&r->mu);
}

/* The slot named |name| (a free one, named, when none is), or NULL when
 * every slot is taken. Called with r->mu held. */
static struct shared *shared_slot(struct run *r, const char *name) {
  struct shared *free_slot = NULL;
  for (size_t i = 0; i < r->nshared; i++) {
    if (strcmp(r->shared[i].name, name) == 0)
      return &r->shared[i];
    if (!r->shared[i].name[0] && !free_slot)
      free_slot = &r->shared[i];
  }
  if (!free_slot && r->nshared < CK_SHARED_MAX)
    free_slot = &r->shared[r->nshared++];
  if (free_slot) {
    memset(free_slot, 0, sizeof *free_slot);
    snprintf(free_slot->name, sizeof free_slot->name, "%s", name);
  }
  return free_slot;
}

int ck_shared(struct ck *c, const char *name, double max_age, ck_make_fn make,
              char *out, size_t n) {
  struct run *r = c->run;
  /* one that holds the money alone must not wait for a purchase another
   * check makes (it would wait for itself): it makes its own */
  if (c->money_excl || c->own_key[0])
    return make(c, out, n);
  pthread_mutex_lock(&r->mu);
  struct shared *sh = shared_slot(r, name);
  while (sh && sh->state == SH_MAKING)
    pthread_cond_wait(&r->shared_cv, &r->mu);
  if (sh && sh->state == SH_MADE && max_age > 0 &&
      mono() - sh->made_at > max_age)
    sh->state = 0; /* too old to rely on: made again */
  if (sh && sh->state == SH_MADE) {
    snprintf(out, n, "%s", sh->value);
    pthread_mutex_unlock(&r->mu);
    return 1;
  }
  if (sh && sh->state == SH_FAILED) {
    char owner[128];
    snprintf(owner, sizeof owner, "%s", sh->owner);
    pthread_mutex_unlock(&r->mu);
    ck_blocked(c, owner, "the %s this check reads could not be made", name);
    return 0;
  }
  if (sh)
    sh->state = SH_MAKING;
  pthread_mutex_unlock(&r->mu);
  /* made outside the lock: it talks to the endpoint */
  char value[64] = "";
  int ok = make(c, value, sizeof value);
  if (ok)
    snprintf(out, n, "%s", value);
  if (!sh)
    return ok;
  pthread_mutex_lock(&r->mu);
  /* one that is to run again alone made nothing: the next asker tries */
  sh->state = ok ? SH_MADE : c->rerun ? 0 : SH_FAILED;
  snprintf(sh->value, sizeof sh->value, "%s", value);
  snprintf(sh->owner, sizeof sh->owner, "%s",
           c->res->blocked_by && *c->res->blocked_by ? c->res->blocked_by
                                                     : c->def->id);
  sh->made_at = mono();
  pthread_cond_broadcast(&r->shared_cv);
  pthread_mutex_unlock(&r->mu);
  return ok;
}

/* Every ck_later look, once no check runs any more. */
static void run_later(struct run *r) {
  for (size_t k = 0; k < r->nlater; k++) {
    struct later *l = &r->later[k];
    struct sc_check_result *res = &r->results[l->check];
    struct ck c = {.run = r, .def = &r->plan.defs[l->check], .res = res,
                   .stated = 1};
    l->fn(&c, l->arg);
    borrowed_rule(&c);
    default_cause(res);
    if (!res->curl && wants_curl(res))
      res->curl = curl_line(res);
  }
  r->nlater = 0;
}

/* The checks of one phase: indices into the plan, taken in turn by the
 * workers; a check of a group (ck_def.group) only once the one before it
 * in the group has ended, and one with ck_def.after once the first of
 * that group has. */
struct phase {
  struct run *r;
  const size_t *idx;
  size_t n, next;        /* the first not taken */
  unsigned char *taken;  /* per position: 1 running, 2 ended */
  size_t (*first)[2];    /* per position: the one before it in its group
                            and the first of its after group (n: none) */
  pthread_cond_t cv;     /* a check ended */
};

/* The position of the first (|last|: the last before |k|) check of
 * |group| in the phase before position |k|, or n. */
static size_t group_at(const struct phase *ph, const char *group, size_t k,
                       int last) {
  size_t at = ph->n;
  for (size_t j = 0; group[0] && j < k; j++)
    if (strcmp(ph->r->plan.defs[ph->idx[j]].group, group) == 0) {
      at = j;
      if (!last)
        break;
    }
  return at;
}

/* What each position waits for. 0, or -1 (memory). */
static int phase_groups(struct phase *ph) {
  ph->taken = sc_calloc(ph->n ? ph->n : 1, 1);
  ph->first = sc_calloc(ph->n ? ph->n : 1, sizeof *ph->first);
  if (!ph->taken || !ph->first)
    return -1;
  for (size_t k = 0; k < ph->n; k++) {
    const struct ck_def *d = &ph->r->plan.defs[ph->idx[k]];
    ph->first[k][0] = group_at(ph, d->group, k, 1);
    ph->first[k][1] = group_at(ph, d->after, k, 0);
  }
  return 0;
}

/* The check at |pos| waits for a group's first. Called with r->mu held. */
static int group_busy(const struct phase *ph, size_t pos) {
  for (int w = 0; w < 2; w++)
    if (ph->first[pos][w] < ph->n && ph->taken[ph->first[pos][w]] != 2)
      return 1;
  return 0;
}

/* The next position a worker may take, or n when none is left; waits while
 * what is left waits for its group. Called with r->mu held. */
static size_t phase_take(struct phase *ph) {
  for (;;) {
    while (ph->next < ph->n && ph->taken[ph->next])
      ph->next++;
    if (ph->next == ph->n)
      return ph->n;
    for (size_t k = ph->next; k < ph->n; k++)
      if (!ph->taken[k] && !group_busy(ph, k)) {
        ph->taken[k] = 1;
        return k;
      }
    pthread_cond_wait(&ph->cv, &ph->r->mu);
  }
}

static void *worker(void *arg) {
  struct phase *ph = arg;
  struct run *r = ph->r;
  for (;;) {
    pthread_mutex_lock(&r->mu);
    size_t k = phase_take(ph);
    pthread_mutex_unlock(&r->mu);
    if (k == ph->n)
      return NULL;
    run_one(r, ph->idx[k], 0);
    pthread_mutex_lock(&r->mu);
    ph->taken[k] = 2;
    pthread_cond_broadcast(&ph->cv);
    pthread_mutex_unlock(&r->mu);
  }
}

/* Runs |n| checks on --jobs threads. */
static void run_parallel(struct run *r, const size_t *idx, size_t n) {
  struct phase ph = {.r = r, .idx = idx, .n = n};
  if (phase_groups(&ph)) { /* one at a time, in order: no group waits */
    for (size_t k = 0; k < n; k++)
      run_one(r, idx[k], 0);
    sc_free(ph.taken);
    sc_free(ph.first);
    return;
  }
  pthread_cond_init(&ph.cv, NULL);
  unsigned nth = r->o->jobs ? r->o->jobs : SC_RUN_JOBS;
  pthread_t th[64];
  if (nth > 64)
    nth = 64;
  if (nth > n)
    nth = (unsigned)n;
  unsigned started = 0;
  for (; started < nth; started++)
    if (pthread_create(&th[started], NULL, worker, &ph))
      break;
  if (!started)
    worker(&ph);
  for (unsigned i = 0; i < started; i++)
    pthread_join(th[i], NULL);
  pthread_cond_destroy(&ph.cv);
  sc_free(ph.taken);
  sc_free(ph.first);
}

/* ---- support.<action> ----------------------------------------------------- */

static const cJSON *jget(const cJSON *o, const char *k) {
  return cJSON_GetObjectItemCaseSensitive(o, k);
}

/* The profile's required actions (specs: "required_actions"). */
static int required(const struct run *r, const char *action) {
  return sc_profile_action_required(r->env.profile, action);
}

/* A number in a JSON value: a number, or a string holding one. */
static int json_money(const cJSON *v, double *out) {
  char *end = NULL;
  if (cJSON_IsNumber(v)) {
    *out = v->valuedouble;
    return 1;
  }
  if (cJSON_IsString(v) && *v->valuestring) {
    *out = strtod(v->valuestring, &end);
    return end && *end == '\0';
  }
  return 0;
}

/* Prices in a catalogue answer, whatever its shape: every object with a
 * cost (or price); the dearest into |max|, the one whose path names
 * |svc| (and |ctry|, when the path names a country) into |mine|. */
struct prices {
  const char *svc, *ctry;
  double max, mine, mine_any;
  int nmax, nmine, nmine_any;
};

static void walk_prices(const cJSON *j, struct prices *p, int has_svc,
                        int has_ctry, int depth) {
  const cJSON *it;
  if (depth > 8)
    return;
  cJSON_ArrayForEach(it, j) {
    int s = has_svc || (it->string && strcmp(it->string, p->svc) == 0);
    int k = has_ctry || (it->string && strcmp(it->string, p->ctry) == 0);
    double v;
    if (it->string &&
        (strcmp(it->string, "cost") == 0 || strcmp(it->string, "price") == 0 ||
         strcmp(it->string, "retail_price") == 0) &&
        json_money(it, &v) && v >= 0) {
      if (!p->nmax++ || v > p->max)
        p->max = v;
      if (s && k && !p->nmine++)
        p->mine = v;
      if (s && !p->nmine_any++)
        p->mine_any = v;
    } else if (cJSON_IsObject(it) || cJSON_IsArray(it)) {
      walk_prices(it, p, s, k, depth + 1);
    }
  }
}

/* What the catalogue answers |a| of |action| say of prices: getPrices for
 * numbers, getRentServicesAndCountries for rents. */
static void learn_prices(struct run *r, const char *action,
                         const struct ck_ans *a) {
  int rent = strcmp(action, "getRentServicesAndCountries") == 0;
  if ((!rent && strcmp(action, "getPrices") != 0) ||
      a->res.kind != SC_KIND_SUCCESS || !a->res.json)
    return;
  struct prices p = {.svc = r->o->service ? r->o->service : "tg",
                     .ctry = r->o->country ? r->o->country : "0"};
  walk_prices(a->res.json, &p, 0, 0, 0);
  pthread_mutex_lock(&r->mu);
  if (rent) {
    r->rent_price_max = p.max;
    r->rent_price_known = p.nmax > 0;
  } else if (!(r->o->price > 0)) {
    r->price_max = p.max;
    r->price_max_known = p.nmax > 0;
    r->price = p.nmine ? p.mine : p.mine_any;
    r->price_known = p.nmine || p.nmine_any;
  }
  pthread_mutex_unlock(&r->mu);
}

/* support.<action>: one plain request of the action. The dialect's
 * unknown-action signal means it is not implemented: a FAIL when the
 * profile requires it, else UNSUPPORTED, and every other check of it is
 * UNSUPPORTED without a request. A purchase is asked for without its
 * parameters, so that an implementation refuses it. */
static void chk_support(struct ck *c) {
  struct run *r = c->run;
  const char *action = c->def->action;
  int req = required(r, action);
  enum support st = support_state(r, action);
  if (st == SUP_OUT) {
    if (req)
      ck_fail(c, "an implemented action", "left out by --actions",
              "%s is required by the profile %s, and --actions leaves it "
              "out",
              action, r->env.profile_name);
    else
      ck_unsupported(c, "%s is outside the scope given by --actions", action);
    missing_cause(c, action);
    return;
  }
  if (st == SUP_YES) { /* --actions names it */
    ck_ok(c);
    return;
  }
  const char *kv[24];
  int n = 0;
  char id[24];
  ck_unknown_id(c, id, sizeof id);
  if (strcmp(action, "getPrices") == 0) {
    kv[n++] = "country";
    kv[n++] = r->o->country ? r->o->country : "0";
  } else if (!sells(r, action)) {
    /* an action that changes what an id names gets none: the probe must
     * not touch an activation this run did not buy */
    n = r->o->catalogue->fill_params(c, action, changes(action) ? NULL : id,
                                     kv, 24);
    if (n < 0)
      n = 0;
  }
  struct ck_ans a;
  ck_api_v(c, &a, CK_WHO_KEY1, 0, action, kv, (size_t)n);
  if (ck_done(c)) {
    ck_ans_free(&a);
    return;
  }
  char *act = describe(&a);
  if (!a.ok) {
    ck_error(c, "%s: no answer: %s", action, sc_http_err_message(a.r.err));
  } else if (a.unknown_action) {
    support_set(r, action, SUP_NO);
    if (req) {
      ck_fail(c, "an answer of an implemented action", act,
              "%s answered the dialect's signal for an unknown action (%s), "
              "but the profile %s requires it",
              action, a.token[0] ? a.token : "an HTTP status",
              r->env.profile_name);
      missing_cause(c, action);
    } else {
      ck_unsupported(c, "%s is not implemented: it answered %s", action,
                     a.token[0] ? a.token : "with an HTTP status");
    }
    keep_answer(c, &a);
  } else {
    support_set(r, action, SUP_YES);
    learn_prices(r, action, &a);
    ck_ok(c);
  }
  sc_free(act);
  ck_ans_free(&a);
}

/* Whether support.<action> belongs in the plan: every action of a handler
 * profile (the webhook is the vendor's request, not an action), or under
 * --only the actions of the selected checks and the catalogues that give
 * prices. */
static int support_planned(const struct run *r, const char *action) {
  if (strcmp(action, "webhook") == 0)
    return 0;
  if (!r->o->only || !r->o->only[0])
    return 1;
  if (strcmp(action, "getPrices") == 0 ||
      strcmp(action, "getRentServicesAndCountries") == 0)
    return 1;
  for (size_t i = 0; i < r->plan.n; i++)
    if (strcmp(r->plan.defs[i].action, action) == 0)
      return 1;
  return 0;
}

/* support.|name| into |d| (zeroed, or filled in whole by an earlier
 * call): |st| is what --actions says of the action. */
static void support_def(const struct run *r, const char *name,
                        enum support st, struct ck_def *d) {
  d->cat = SC_CAT_SUPPORT;
  d->fn = chk_support;
  d->needs = CK_SUPPORT | (sells(r, name) && st == SUP_UNKNOWN ? CK_SPEND : 0);
  snprintf(d->id, sizeof d->id, "support.%s", name);
  snprintf(d->action, sizeof d->action, "%s", name);
  snprintf(d->tags, sizeof d->tags, "support %s", name);
  const cJSON *src = NULL;
  if (required(r, name)) {
    snprintf(d->requirement, sizeof d->requirement,
             "%s is implemented: the profile %s requires it", name,
             r->env.profile_name);
    src = jget(jget(r->env.profile->json, "required_actions"), "sources");
  } else {
    snprintf(d->requirement, sizeof d->requirement,
             "whether %s is implemented (optional in the profile %s)", name,
             r->env.profile_name);
    struct sc_view v;
    if (!sc_spec_view(r->o->spec, name, r->env.profile_name, &v) &&
        v.action)
      src = jget(v.action->json, "sources");
  }
  const cJSON *first = cJSON_GetArrayItem(src, 0);
  const cJSON *doc = jget(first, "doc"), *sec = jget(first, "section");
  d->doc = cJSON_IsString(doc) ? doc->valuestring : NULL;
  d->section = cJSON_IsString(sec) ? sec->valuestring : NULL;
}

/* The |n| checks |defs| put before the plan's; 0, or -1 when out of
 * memory (the plan as it was). */
static int plan_prepend(struct ck_plan *p, const struct ck_def *defs,
                        size_t n) {
  if (!n)
    return 0;
  struct ck_def *all = sc_calloc(n + p->n, sizeof *all);
  if (!all)
    return -1;
  memcpy(all, defs, n * sizeof *all);
  if (p->n)
    memcpy(all + n, p->defs, p->n * sizeof *all);
  sc_free(p->defs);
  p->defs = all;
  p->n += n;
  p->cap = p->n;
  return 0;
}

/* Every action --actions names is one of the profile's |acts|: 0, else
 * -1 with a message in |err|. */
static int actions_known(const struct run *r, const cJSON *acts, char *err,
                         size_t errlen) {
  for (size_t i = 0; r->o->actions && r->o->actions[i]; i++)
    if (!sc_json_array_has_string(acts, r->o->actions[i])) {
      snprintf(err, errlen,
               "--actions: the profile %s has no action '%s' (see "
               "`smsconform list actions --profile %s`)",
               r->env.profile_name, r->o->actions[i], r->env.profile_name);
      return -1;
    }
  return 0;
}

/* The support table and the support checks (handler profiles). */
static int plan_support(struct run *r, char *err, size_t errlen) {
  const cJSON *acts = jget(r->env.profile->json, "actions"), *a;
  size_t n = (size_t)cJSON_GetArraySize(acts);
  if (actions_known(r, acts, err, errlen))
    return -1;
  if (r->env.rest || !n)
    return 0;
  r->sup = sc_calloc(n, sizeof *r->sup);
  struct ck_def *defs = sc_calloc(n, sizeof *defs);
  if (!r->sup || !defs) {
    sc_free(defs);
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  size_t nd = 0;
  cJSON_ArrayForEach(a, acts) {
    if (!cJSON_IsString(a))
      continue;
    const char *name = a->valuestring;
    struct action_support *s = &r->sup[r->nsup++];
    s->action = name;
    s->state = SUP_UNKNOWN;
    if (r->o->actions) {
      int listed = 0;
      for (size_t i = 0; r->o->actions[i]; i++)
        listed |= strcmp(r->o->actions[i], name) == 0;
      s->state = listed ? SUP_YES : SUP_OUT;
    }
    /* the smoke tier sends no probes: its checks' first answers tell
     * what the endpoint implements */
    if (r->o->smoke || !support_planned(r, name))
      continue;
    support_def(r, name, s->state, &defs[nd]);
    int skipped = 0;
    for (size_t k = 0; r->o->skip && r->o->skip[k]; k++)
      skipped |= matches(&defs[nd], r->o->skip[k]);
    if (!skipped)
      nd++;
  }
  /* the support checks first in the plan */
  int rc = plan_prepend(&r->plan, defs, nd);
  sc_free(defs);
  if (rc)
    snprintf(err, errlen, "out of memory");
  return rc;
}

/* ---- clean-up -------------------------------------------------------------- */

/* Where REST action |action| is sent for activation |id|: its path (the
 * profile's override, else the spec's "http") with the ":id" segment
 * replaced, into |out|; returns its method. */
static const char *rest_route(const struct run *r, const char *action,
                              const char *id, char *out, size_t n) {
  const struct sc_action *act = sc_spec_action(r->o->spec, action);
  const cJSON *http =
      act ? cJSON_GetObjectItemCaseSensitive(act->json, "http") : NULL;
  const cJSON *sp = cJSON_GetObjectItemCaseSensitive(http, "path");
  const cJSON *sm = cJSON_GetObjectItemCaseSensitive(http, "method");
  const char *path = sc_profile_action_path(r->env.profile, action);
  const char *method = sc_profile_action_method(r->env.profile, action);
  if (!path)
    path = cJSON_IsString(sp) ? sp->valuestring : "";
  if (!method)
    method = cJSON_IsString(sm) ? sm->valuestring : "DELETE";
  const char *colon = strstr(path, "/:");
  if (colon) {
    const char *after = strchr(colon + 1, '/');
    snprintf(out, n, "%.*s%s%s", (int)(colon - path) + 1, path, id,
             after ? after : "");
  } else {
    snprintf(out, n, "%s", path);
  }
  return method;
}

/* Gives purchase |i| back: the action that cancels it. Returns 1 when it
 * came back; else the ledger says why it is left active. */
static int cancel_one(struct ck *c, size_t i) {
  struct run *r = c->run;
  struct sc_ledger_item *s = &r->ledger.items[i];
  char note[512];
  struct ck_ans a;
  const char *want = NULL, *how = "setStatus 8";
  memset(&a, 0, sizeof a);
  if (!s->id[0]) {
    sc_ledger_left(&r->ledger, i, "the answer that sold it carried no id to "
                                  "give it back by");
    return 0;
  }
  if (strcmp(s->action, "v1.numbers.buy") == 0) {
    char path[512];
    const char *cancel = "v1.activations.delete";
    const char *method = rest_route(r, cancel, s->id, path, sizeof path);
    how = method;
    ck_rest(c, &a, CK_WHO_KEY1, method, cancel, path, NULL, 0);
    /* 002: {"status": "cancelled", "refunded": true|false} */
    if (a.ok && a.r.status == 200 &&
        cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(a.res.json, "refunded")))
      sc_ledger_released(&r->ledger, s->id);
  } else if (strcmp(s->action, "getRentNumber") == 0) {
    ck_api(c, &a, CK_WHO_KEY1, "setRentStatus", "id", s->id, "status", "2",
           NULL);
    how = "setRentStatus 2"; /* its success is a JSON object */
  } else if (strncmp(s->action, "getNumber", 9) == 0 ||
             strcmp(s->action, "getMultiServiceNumber") == 0 ||
             strcmp(s->action, "getExtraActivation") == 0 ||
             strcmp(s->action, "getAdditionalService") == 0) {
    ck_api(c, &a, CK_WHO_KEY1, "setStatus", "id", s->id, "status", "8", NULL);
    want = "ACCESS_CANCEL";
  } else if (strcmp(s->action, "buyMailActivation") == 0 ||
             strcmp(s->action, "reorderMailActivation") == 0) {
    ck_api(c, &a, CK_WHO_KEY1, "cancelMailActivation", "id", s->id, NULL);
    how = "cancelMailActivation";
  } else {
    /* an extension or a licence: nothing the protocol gives back */
    s->state = SC_SPEND_USED;
    s->settled = 1;
    return 0;
  }
  s = &r->ledger.items[i]; /* the ledger may have grown */
  if (a.ok && !s->settled &&
      (want ? ck_token_is(c, &a, want) ||
                  (a.res.kind == SC_KIND_SUCCESS && !a.token[0])
            : a.res.kind == SC_KIND_SUCCESS))
    sc_ledger_released(&r->ledger, s->id);
  if (!s->settled) {
    char *act = a.ok || a.r.err ? describe(&a) : NULL;
    int early = ck_timing(&r->env, "early_cancel_seconds");
    snprintf(note, sizeof note, "%s answered %s%s", how,
             act ? act : (c->res->message ? c->res->message : "nothing"),
             ck_token_is(c, &a, "EARLY_CANCEL_DENIED") && early > 0
                 ? "; cancel it once the early-cancel window has passed, or "
                   "run with --allow-wait"
                 : "");
    char *red = redact(r, note);
    sc_ledger_left(&r->ledger, i, red ? red : note);
    sc_free(red);
    sc_free(act);
  }
  ck_ans_free(&a);
  return s->settled;
}

/* Every purchase not yet given back is given back: by a sandbox reset
 * with control, else cancelled after the early-cancel window (the sandbox
 * clock moved past it when the reset was refused, or a real wait where
 * --allow-wait allows it), else listed as left active. Never an
 * activation the run did not buy: only the ledger's. */
static void cleanup(struct run *r) {
  struct ck_def d = {.id = "cleanup", .cat = SC_CAT_MONEY};
  struct sc_check_result res = {0};
  struct ck c = {.run = r, .def = &d, .res = &res, .alone = 1};
  double newest = 0;
  int any = 0;
  for (size_t i = 0; i < r->ledger.n; i++) {
    const struct sc_ledger_item *s = &r->ledger.items[i];
    if (!s->settled && !s->used) {
      any = 1;
      newest = s->bought > newest ? s->bought : newest;
    }
  }
  if (!any)
    return;
  /* a sandbox gives everything back at once (the ledger settles all) */
  if (sandbox_reset(r, &c)) {
    sc_check_result_free(&res);
    return;
  }
  c.stop = 0;
  /* past the early-cancel window, not past the lifetime: an expiry would
   * refund without the ledger knowing */
  int early = ck_timing(&r->env, "early_cancel_seconds");
  if (early > 0 && r->o->control) {
    ck_ctl(&c, "clock", "{\"advance\":%d}", early + 1);
  } else if (early > 0 && r->o->allow_wait > 0 && !r->o->replay) {
    double left = newest + early + 1 - mono();
    if (left > 0 && left <= r->o->allow_wait) {
      struct timespec ts = {(time_t)left, (long)((left - (time_t)left) * 1e9)};
      while (nanosleep(&ts, &ts) != 0)
        ;
    }
  }
  for (size_t i = r->ledger.n; i-- > 0;) {
    struct sc_ledger_item *s = &r->ledger.items[i];
    if (s->settled || s->used)
      continue;
    c.stop = 0;
    cancel_one(&c, i);
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
 * happened instead and |probe| keeps the exchange, for the report; 0.
 * When it answers that the run's key is wrong (BAD_KEY, NO_KEY), nothing
 * can be checked with it: -1, and |why| says so. */
static int reachable(struct run *r, struct sc_check_result *probe, char *why,
                     size_t n) {
  /* a probe: what it hears of an action is left to the checks */
  struct ck_def d = {.id = "probe", .needs = CK_SUPPORT};
  struct ck c = {.run = r, .def = &d, .res = probe};
  struct ck_ans a;
  memset(&a, 0, sizeof a);
  if (r->env.rest) {
    struct sc_http_req req = {.url = r->o->url};
    transport(&c, &req, &a.r);
    record(&c, &req, &a.r);
  } else {
    /* an action the profile has that sells nothing: getBalance, else the
     * first such */
    const char *action = "getBalance";
    const cJSON *it;
    if (!sc_profile_has_action(r->env.profile, action))
      cJSON_ArrayForEach(
          it, cJSON_GetObjectItemCaseSensitive(r->env.profile->json,
                                               "actions")) {
        if (cJSON_IsString(it) && !sells(r, it->valuestring)) {
          action = it->valuestring;
          break;
        }
      }
    ck_api(&c, &a, CK_WHO_KEY1, action, NULL);
    /* the tokens of a refused key: 001's BAD_KEY, 000's NO_KEY */
    if (a.ok &&
        (ck_token_is(&c, &a, "BAD_KEY") || ck_token_is(&c, &a, "NO_KEY"))) {
      snprintf(why, n,
               "the endpoint refuses the key: %s answered %s (check "
               "SMSCONFORM_KEY or --key-file)",
               action, a.token);
      ck_ans_free(&a);
      return -1;
    }
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
  for (size_t k = 0; k < r->nstate; k++) {
    if (r->state[k].free_fn)
      r->state[k].free_fn(r->state[k].p);
    sc_free(r->state[k].p);
  }
  sc_http_destroy(r->http);
  sc_free(r->plan.defs);
  sc_free(r->par);
  sc_free(r->ser);
  sc_free(r->sup);
  sc_ledger_free(&r->ledger);
  sc_free(r->later);
  for (size_t i = 0; i < r->nown; i++)
    sc_free(r->secret_own[i]);
  pthread_mutex_destroy(&r->mu);
  pthread_cond_destroy(&r->shared_cv);
  pthread_rwlock_destroy(&r->money);
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
  sc_ledger_report(&r->ledger, rep);
  rep->max_spend = r->spend_unlimited ? -1 : o->max_spend;
  size_t nun = 0;
  for (size_t i = 0; i < r->nsup; i++)
    nun += r->sup[i].state == SUP_NO || r->sup[i].state == SUP_OUT;
  if (nun && (rep->unsupported = sc_calloc(nun + 1, sizeof *rep->unsupported)))
    for (size_t i = 0, k = 0; i < r->nsup; i++)
      if (r->sup[i].state == SUP_NO || r->sup[i].state == SUP_OUT)
        rep->unsupported[k++] = sc_strdup(r->sup[i].action);
  sc_report_count(rep);
}

/* The spec's tokens flagged |flag| ("retry", "runs_out"), in the
 * profile's spelling, into |out| (8 slots, NULL-terminated). */
static void flagged_tokens(struct run *r, const char *flag,
                           const char **out) {
  size_t n = 0;
  for (size_t i = 0; i < r->o->spec->ntokens && n + 1 < 8; i++) {
    const struct sc_token *t = &r->o->spec->tokens[i];
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(t->json, flag)))
      out[n++] = ck_token(&r->env, t->name);
  }
  out[n] = NULL;
}

/* The seed of the run's random ids: a replay's (the recording keeps it),
 * else one drawn from the clock and the process. */

static unsigned long long run_seed(const struct sc_run_opts *o) {
  if (o->replay && sc_record_seed(o->replay))
    return sc_record_seed(o->replay);
  if (o->seed)
    return o->seed;
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return mix((unsigned long long)ts.tv_sec * 1000000007ULL ^
             (unsigned long long)ts.tv_nsec ^
             (unsigned long long)getpid() << 32);
}

/* Everything before the first request: the redaction table, the money,
 * the seed, the plan and its support checks, the transport. |r| is
 * zeroed with its mutex initialised; run_free releases it either way.
 * 0, or -1 with a message in |err|. */
static int run_prepare(struct run *r, const struct sc_run_opts *o, char *err,
                       size_t errlen) {
  r->o = o;
  secrets_init(r);
  if (!o->url || !o->key) {
    snprintf(err, errlen, "no URL or no key");
    return -1;
  }
  r->spend_unlimited = o->replay || o->max_spend < 0 ||
                       (o->max_spend == 0 && ck_is_loopback(o->url));
  sc_ledger_init(&r->ledger, r->spend_unlimited ? -1 : o->max_spend);
  r->seed = run_seed(o);
  if (o->record && sc_record_set_seed(o->record, r->seed)) {
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  if (o->price > 0) {
    r->price = r->price_max = o->price;
    r->price_known = r->price_max_known = 1;
  }
  if (build_plan(r, err, errlen) || plan_support(r, err, errlen))
    return -1;
  if (!r->plan.n) {
    snprintf(err, errlen, "no checks selected (see --list, --only, --skip)");
    return -1;
  }
  flagged_tokens(r, "retry", r->retry);
  flagged_tokens(r, "runs_out", r->runs_out);
  /* a Retry-After up to a minute and a little is waited out: per-minute
   * windows are the rule (002: 300 requests a minute) */
  struct sc_http_opts ho = {.jobs = o->jobs ? o->jobs : SC_RUN_JOBS,
                            .timeout_ms = o->timeout_ms,
                            .max_body = o->max_body,
                            .rate = o->rate,
                            .max_pause_ms = 65000,
                            .retry_bodies = r->retry};
  r->http = sc_http_new(&ho, err, errlen);
  return r->http ? 0 : -1;
}

/* The first probe (reachable). SC_RUN_OK when the endpoint answers and
 * the checks may start; SC_RUN_UNREACHABLE with |rep| filled (every check
 * ERROR) when it does not; SC_RUN_FAILED when it refuses the key or
 * memory runs out. A message in |err| but for SC_RUN_OK. */
static int run_probe(struct run *r, struct sc_report *rep, double t0,
                     const char *started, char *err, size_t errlen) {
  struct sc_check_result probe = {0};
  char why[600];
  int rc = SC_RUN_OK;
  int reach = reachable(r, &probe, why, sizeof why);
  if (reach < 0) {
    snprintf(err, errlen, "%s", why);
    rc = SC_RUN_FAILED;
  } else if (!reach && unreachable_results(r, &probe, why)) {
    snprintf(err, errlen, "out of memory");
    rc = SC_RUN_FAILED;
  } else if (!reach) {
    char *target = redact(r, r->o->url);
    snprintf(err, errlen, "the endpoint %s does not answer: %s",
             target ? target : "", why);
    sc_free(target);
    fill_report(r, rep, t0, started);
    rc = SC_RUN_UNREACHABLE;
  }
  sc_check_result_free(&probe);
  return rc;
}

/* The results and the two schedules, one slot per planned check. 0, or
 * -1 with nothing allocated. */
static int run_alloc(struct run *r) {
  size_t n = r->plan.n ? r->plan.n : 1;
  r->results = sc_calloc(n, sizeof *r->results);
  r->par = sc_calloc(n, sizeof *r->par);
  r->ser = sc_calloc(n, sizeof *r->ser);
  if (r->results && r->par && r->ser)
    return 0;
  sc_free(r->results);
  r->results = NULL;
  return -1; /* run_free frees the schedules */
}

/* The sandbox reset once before the checks that share it: each of them
 * has the whole fixture's numbers and money to draw on. */
static void shared_start(struct run *r) {
  struct ck_def d = {.id = "reset", .cat = SC_CAT_MONEY};
  struct sc_check_result res = {0};
  struct ck c = {.run = r, .def = &d, .res = &res, .alone = 1};
  sandbox_reset(r, &c);
  if (r->o->control && r->o->catalogue->provision)
    r->o->catalogue->provision(&c);
  sc_check_result_free(&res);
}

/* Runs the plan: support first, what buys nothing (the catalogue gives
 * the prices), then the purchases' probes; then the checks that share the
 * endpoint on --jobs threads; then the ones that need it to themselves
 * (and those that ran out of the shared sandbox); then the last looks
 * (ck_later) and the clean-up. */
static void run_checks(struct run *r) {
  for (int pass = 0; pass < 3; pass++) {
    if (pass == 2)
      shared_start(r);
    r->npar = 0;
    for (size_t i = 0; i < r->plan.n; i++) {
      unsigned nd = r->plan.defs[i].needs;
      int sup = (nd & CK_SUPPORT) != 0;
      if ((pass == 0 && sup && !(nd & CK_SPEND)) ||
          (pass == 1 && sup && (nd & CK_SPEND)) ||
          (pass == 2 && !sup && !runs_alone(r, &r->plan.defs[i])))
        r->par[r->npar++] = i;
      else if (pass == 2 && !sup)
        r->ser[r->nser++] = i;
    }
    run_parallel(r, r->par, r->npar);
  }
  for (size_t k = 0; k < r->nser; k++)
    run_one(r, r->ser[k], 1);
  run_later(r);
  cleanup(r);
}

int sc_run(const struct sc_run_opts *o, struct sc_report *rep, char *err,
           size_t errlen) {
  memset(rep, 0, sizeof *rep);
  struct run r;
  memset(&r, 0, sizeof r);
  pthread_mutex_init(&r.mu, NULL);
  pthread_cond_init(&r.shared_cv, NULL);
  pthread_rwlock_init(&r.money, NULL);
  int rc = SC_RUN_FAILED;
  if (run_prepare(&r, o, err, errlen))
    goto out;
  double t0 = mono();
  char started[32];
  now_rfc3339(started, sizeof started);
  if ((rc = run_probe(&r, rep, t0, started, err, errlen)) != SC_RUN_OK)
    goto out;
  if (o->budget > 0)
    r.deadline = t0 + o->budget;
  if (run_alloc(&r)) {
    snprintf(err, errlen, "out of memory");
    rc = SC_RUN_FAILED;
    goto out;
  }
  run_checks(&r);
  if (o->progress)
    fprintf(o->progress, "\r\033[K");
  fill_report(&r, rep, t0, started);
out:
  run_free(&r);
  return rc;
}

/* The plan as JSON: what `smsconform list checks --json` prints. */
static int list_json(const struct run *r, FILE *out) {
  static const struct {
    unsigned bit;
    const char *name;
  } needs[] = {{CK_CONTROL, "control"},
               {CK_KEY2, "key2"},
               {CK_SPEND, "spend"},
               {CK_WAIT, "wait"}};
  cJSON *root = cJSON_CreateObject();
  cJSON *arr = root ? cJSON_AddArrayToObject(root, "checks") : NULL;
  int ok = arr && cJSON_AddStringToObject(root, "profile", r->env.profile_name);
  for (size_t i = 0; ok && i < r->plan.n; i++) {
    const struct ck_def *d = &r->plan.defs[i];
    cJSON *e = cJSON_CreateObject(), *nd = NULL;
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
  pthread_cond_init(&r.shared_cv, NULL);
  pthread_rwlock_init(&r.money, NULL);
  sc_ledger_init(&r.ledger, -1);
  if (build_plan(&r, err, errlen) || plan_support(&r, err, errlen)) {
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
    if (d->needs & CK_WAIT)
      strcat(needs, "wait,");
    if (needs[0])
      needs[strlen(needs) - 1] = '\0';
    fprintf(out, "%-56s %-10s %-20s %s\n", d->id, sc_cat_name(d->cat),
            needs[0] ? needs : "-", d->requirement);
  }
  fprintf(out, "%zu checks for profile %s\n", r.plan.n, r.env.profile_name);
  run_free(&r);
  return 0;
}
