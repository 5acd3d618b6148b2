/* sc_checks_rent.c — the checks of 001's rent API, its e-mail and partner
 * software sections, 004's wallet call and the webhooks of 001/004.
 *
 * Sources: 001 = seeds/001_ac8db1c65ff3c54b.txt ("Rent Api" and its
 * subsections, "Email API", "Mail API Version 2", "API Partner software",
 * the webhook section "When you receive an SMS to a number, ..."); 004 =
 * seeds/004_67353fd389171043.txt ("Deposit wallet GET", "Webhook POST");
 * specs/lifecycle.json's "rent" tables and its timing; ARCH =
 * ARCHITECTURE.md "Sandbox control protocol v1" (/control/rent-sms,
 * /control/webhook).
 *
 * Only what the profile's "actions" offer is planned. The rent lifecycle
 * checks are generated from lifecycle.json (the setRentStatus transitions
 * and the "extend" events of every state a check can reach); the rest are
 * written once per kind here. A check reads ids, numbers and prices from
 * the endpoint's answers; the few values it sends of its own (a site, a
 * wallet coin, SMS texts) are named where they are used, with the document
 * they come from.
 *
 * Webhooks are POSTed by the endpoint to a listener the check starts on
 * 127.0.0.1 (sc_listen.h); deliveries are asynchronous and waited for with
 * a bounded poll. An endpoint that is not on loopback cannot reach the
 * listener, so there the webhook checks are SKIP with that reason. */
#include "sc_checks_int.h"

#include "sc_alloc.h"
#include "sc_listen.h"
#include "sc_spec.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A parameter left out of a call (see call()). */
static const char OMIT[] = "(omit)";

/* A mail domain no offer has (RFC 6761 reserves .invalid). */
#define MAIL_NO_DOMAIN "smsconform.invalid"
/* 001 "get status for rent": the example's phoneFrom. */
#define RENT_SMS_FROM "79180230628"
/* How long a webhook may take to arrive, and how long, at the least,
 * "nothing more comes" is watched for after the clock last moved. The
 * count is taken when the run ends (ck_later), so every POST that comes
 * while the checks after it run is counted too; the window matters only
 * when little runs after the check. (Deliveries on loopback take
 * milliseconds: the simulator's retries all arrive within 4 ms of the
 * clock moving, see bench/README.md; one that comes later still than the
 * end of the run is missed, which can hide a fault but never fails a
 * faithful endpoint.) */
#define HOOK_WAIT_MS 5000L
#define HOOK_QUIET_MS 50L

/* ---- reading the spec ---------------------------------------------------- */

/* lifecycle.json's timing entry |name|, or NULL. */
static const cJSON *timing_entry(const struct ck_env *env, const char *name) {
  const cJSON *t;
  cJSON_ArrayForEach(t, ck_jget(env->spec->lifecycle, "timing")) {
    const char *n = ck_jstr(t, "name");
    if (n && strcmp(n, name) == 0)
      return t;
  }
  return NULL;
}

/* lifecycle.json: "Shortest rent or extension, in hours; also the default
 * duration". Every rent and extension the checks make is this long. */
int ck_rent_hours(const struct ck_env *env) {
  return ck_timing(env, "rent_min_hours");
}

static int offers(const struct ck_env *env, const char *action) {
  struct sc_view v;
  return sc_profile_has_action(env->profile, action) &&
         sc_spec_view(env->spec, action, env->profile_name, &v) == SC_ERR_OK;
}

/* True when the profile offers every action of the NULL-terminated list. */
static int offers_all(const struct ck_env *env, const char *const *actions) {
  for (size_t i = 0; actions[i]; i++)
    if (!offers(env, actions[i]))
      return 0;
  return 1;
}

static int doc_in_profile(const struct ck_env *env, const char *doc) {
  const cJSON *p;
  cJSON_ArrayForEach(p, ck_jget(env->profile->json, "sources")) {
    const char *pd = ck_jstr(p, "doc");
    if (doc && pd && strcmp(doc, pd) == 0)
      return 1;
  }
  return 0;
}

/* The most specific citation in |sources|: the last one without a note
 * from the profile's documents (the section of the call itself, after the
 * family's heading such as "Rent Api"); else as ck_cite. */
static void cite_specific(const struct ck_env *env, const cJSON *sources,
                          struct ck_def *d) {
  const cJSON *s, *best = NULL;
  cJSON_ArrayForEach(s, sources) {
    if (!ck_jget(s, "note") && doc_in_profile(env, ck_jstr(s, "doc")))
      best = s;
  }
  if (!best) {
    ck_cite(env, sources, d);
    return;
  }
  d->doc = ck_jstr(best, "doc");
  d->section = ck_jstr(best, "section");
}

/* True when |sources| cite |doc| and |section|. */
static int cites(const cJSON *sources, const char *doc, const char *section) {
  const cJSON *a;
  cJSON_ArrayForEach(a, sources) {
    const char *ad = ck_jstr(a, "doc"), *as = ck_jstr(a, "section");
    if (doc && section && ad && as && strcmp(doc, ad) == 0 &&
        strcmp(section, as) == 0)
      return 1;
  }
  return 0;
}

/* Where token |tok| is documented for the action of |v|, in this order:
 * the token's citation of a section of the action itself; of a section of
 * another action of the same family (the e-mail calls share their error
 * lists); the token's first citation in the action's own document; as
 * ck_cite. */
static void cite_token(const struct ck_env *env, const char *tok,
                       const struct sc_view *v, struct ck_def *d) {
  const struct sc_token *t = sc_spec_token(env->spec, tok, strlen(tok));
  const cJSON *ts = t ? ck_jget(t->json, "sources") : NULL;
  const cJSON *own = v ? ck_jget(v->action->json, "sources") : NULL;
  const cJSON *s;
  for (int pass = 0; v && pass < 3; pass++) {
    cJSON_ArrayForEach(s, ts) {
      const char *doc = ck_jstr(s, "doc"), *sec = ck_jstr(s, "section");
      int hit = 0;
      if (pass == 0) {
        hit = cites(own, doc, sec);
      } else if (pass == 1) {
        for (size_t i = 0; i < env->spec->nactions && !hit; i++) {
          const struct sc_action *o = &env->spec->actions[i];
          hit = strcmp(o->file, v->action->file) == 0 &&
                cites(ck_jget(o->json, "sources"), doc, sec);
        }
      } else {
        const char *odoc = ck_jstr(cJSON_GetArrayItem(own, 0), "doc");
        hit = doc && odoc && strcmp(doc, odoc) == 0;
      }
      if (hit) {
        d->doc = doc;
        d->section = sec;
        return;
      }
    }
  }
  ck_cite(env, ts, d);
}

/* ---- answers --------------------------------------------------------------
 */

/* A JSON string or number as text into |buf|; "" for anything else. */
static void json_text(const cJSON *v, char *buf, size_t n) {
  if (cJSON_IsString(v) && v->valuestring)
    snprintf(buf, n, "%s", v->valuestring);
  else if (cJSON_IsNumber(v) && v->valuedouble > -1e15 &&
           v->valuedouble < 1e15 &&
           v->valuedouble == (double)(long long)v->valuedouble)
    snprintf(buf, n, "%.0f", v->valuedouble);
  else if (cJSON_IsNumber(v))
    snprintf(buf, n, "%.17g", v->valuedouble);
  else if (n)
    buf[0] = '\0';
}

/* A decimal (number or numeric string) in cents; -1 when it is none. */
static long long json_cents(const cJSON *v) {
  double d;
  if (cJSON_IsNumber(v)) {
    d = v->valuedouble;
  } else if (cJSON_IsString(v) && v->valuestring && *v->valuestring) {
    char *end;
    d = strtod(v->valuestring, &end);
    if (*end)
      return -1;
  } else {
    return -1;
  }
  if (!(d >= 0 && d < 1e12))
    return -1;
  return (long long)(d * 100.0 + 0.5); /* no libm in this target */
}

static const cJSON *jpath(const cJSON *o, const char *k1, const char *k2) {
  const cJSON *v = ck_jget(o, k1);
  return k2 ? ck_jget(v, k2) : v;
}

/* A short printable rendering of an answer for "actual". */
static void describe(const struct ck_ans *a, char *buf, size_t n) {
  if (!a->ok) {
    snprintf(buf, n, "no answer");
    return;
  }
  size_t k = (size_t)snprintf(buf, n, "HTTP %ld \"", a->r.status);
  for (size_t i = 0; i < a->r.len && k + 8 < n && i < 200; i++) {
    unsigned char ch = (unsigned char)a->r.body[i];
    if (ch < 0x20 || ch == 0x7f || ch == '"' || ch == '\\')
      k += (size_t)snprintf(buf + k, n - k, "\\x%02x", ch);
    else
      buf[k++] = (char)ch;
  }
  if (k + 2 < n) {
    buf[k++] = '"';
    buf[k] = '\0';
  }
}

/* The answer is the action's success form (not a status or an error):
 * ck_expect's judgement of the form, and kind SUCCESS. 1 when it is. */
static int expect_success(struct ck *c, const struct ck_ans *a,
                          const char *what) {
  if (!ck_expect(c, a, NULL, what))
    return 0;
  if (a->res.kind == SC_KIND_SUCCESS)
    return 1;
  char act[320];
  describe(a, act, sizeof act);
  ck_fail(c, "the success form", act, "%s: expected the success form, got %s",
          what, a->token[0] ? a->token : sc_kind_name(a->res.kind));
  return 0;
}

/* |a| is the success form, or one of |allowed| when that is not NULL. */
static int expect_answer(struct ck *c, const struct ck_ans *a,
                         const char *const *allowed, const char *what) {
  return allowed && allowed[0] ? ck_expect(c, a, allowed, what)
                               : expect_success(c, a, what);
}

/* The first account's balance is |want| cents: 1, else the check has
 * failed (or could not read it) and 0. */
static int expect_balance(struct ck *c, long long want, const char *what) {
  if (ck_done(c))
    return 0;
  ck_expect_balance(c, want, what);
  return !ck_done(c);
}

/* ---- calls ----------------------------------------------------------------
 */

/* Calls |action| as |who| with the values a plain call needs
 * (ck_param_value, |id| for id-typed parameters, none when NULL), then the
 * NULL-terminated name, value pairs after |id|: a pair replaces the value of
 * its parameter (OMIT leaves the parameter out) or adds one. Returns 0 when
 * an answer came. */
static int call(struct ck *c, struct ck_ans *a, enum ck_who who,
                const char *action, const char *id, ...)
    __attribute__((sentinel));

#define CALL_MAX 24

static int call(struct ck *c, struct ck_ans *a, enum ck_who who,
                const char *action, const char *id, ...) {
  const char *over[CALL_MAX];
  size_t nover = 0;
  va_list ap;
  va_start(ap, id);
  for (const char *s;
       nover + 2 <= CALL_MAX && (s = va_arg(ap, const char *));) {
    over[nover++] = s;
    over[nover++] = va_arg(ap, const char *);
  }
  va_end(ap);
  const char *kv[CALL_MAX * 2];
  size_t n = 0;
  int used[CALL_MAX] = {0};
  struct sc_view v;
  if (sc_spec_view(ck_env(c)->spec, action, ck_env(c)->profile_name, &v) ==
      SC_ERR_OK) {
    const cJSON *p;
    cJSON_ArrayForEach(p, v.params) {
      const char *name = ck_jstr(p, "name");
      const char *val = ck_param_value(c, p, id);
      for (size_t i = 0; name && i < nover; i += 2)
        if (strcmp(over[i], name) == 0) {
          val = over[i + 1]; /* as the caller says */
          used[i / 2] = 1;
        }
      if (!val || val == OMIT || n + 2 > sizeof kv / sizeof *kv)
        continue;
      kv[n++] = name;
      kv[n++] = val;
    }
  }
  for (size_t i = 0; i < nover; i += 2)
    if (!used[i / 2] && over[i + 1] && over[i + 1] != OMIT &&
        n + 2 <= sizeof kv / sizeof *kv) {
      kv[n++] = over[i];
      kv[n++] = over[i + 1];
    }
  return ck_api_v(c, a, who, 0, action, kv, n);
}

/* ---- rent steps -----------------------------------------------------------
 */

struct rent {
  char id[64];
  char phone[32];
  char end[48];   /* phone.endDate as sent */
  long long cost; /* cents, measured */
};

/* getRentNumber for rent_hours as |who|; the price is measured as the
 * balance difference and booked in the ledger. 1 on success. */
static int rent_number(struct ck *c, enum ck_who who, struct rent *r) {
  memset(r, 0, sizeof *r);
  const char *hours = ck_env(c)->rent_hours;
  long long before = ck_balance(c, who);
  if (before < 0)
    return 0;
  struct ck_ans a;
  call(c, &a, who, "getRentNumber", NULL, "time", hours, NULL);
  int ok = expect_success(c, &a, "getRentNumber");
  if (ok) {
    const cJSON *ph = ck_jget(a.res.json, "phone");
    json_text(ck_jget(ph, "id"), r->id, sizeof r->id);
    json_text(ck_jget(ph, "number"), r->phone, sizeof r->phone);
    json_text(ck_jget(ph, "endDate"), r->end, sizeof r->end);
  }
  ck_ans_free(&a);
  if (!ok)
    return 0;
  char what[96];
  snprintf(what, sizeof what, "getRentNumber %s/%s %sh", ck_svc(c), ck_ctry(c),
           hours);
  r->cost = ck_book(c, who, "getRentNumber", what, r->id, before);
  return r->cost >= 0;
}

/* setRentStatus |status| on |id| as |who|. 1 = finish (001's PHP sample),
 * 2 = cancel: 001's value list was lost in the copy, and 2 is the
 * protocol's known value (specs/actions/rent.json's note). */
int ck_rent(struct ck *c, char *id, size_t n) {
  struct rent r;
  if (!rent_number(c, CK_WHO_KEY1, &r))
    return 0;
  snprintf(id, n, "%s", r.id);
  return 1;
}

/* What ck_shared made as "ID SECOND" (a rent's id and phone, a mailbox's
 * id and address), read into |id| and |two|. 1 when there is an id. */
static int shared_pair(struct ck *c, const char *name, ck_make_fn make,
                       char *id, size_t nid, char *two, size_t ntwo) {
  char v[256];
  if (!ck_shared(c, name, 0, make, v, sizeof v))
    return 0;
  size_t k = strcspn(v, " ");
  snprintf(id, nid, "%.*s", (int)k, v);
  snprintf(two, ntwo, "%s", v[k] ? v + k + 1 : "");
  return id[0] != '\0';
}

static int make_rent(struct ck *c, char *out, size_t n) {
  struct rent r;
  if (!rent_number(c, CK_WHO_KEY1, &r))
    return 0;
  snprintf(out, n, "%s %s", r.id, r.phone);
  return 1;
}

/* A rent of the first account that the check only reads: one purchase
 * serves every such check (ck_shared); clean-up gives it back. */
static int rent_to_read(struct ck *c, struct rent *r) {
  memset(r, 0, sizeof *r);
  r->cost = -1;
  return shared_pair(c, "rent", make_rent, r->id, sizeof r->id, r->phone,
                     sizeof r->phone);
}

/* Whether |action| only reads a rent (its checks share one). */
static int reads_rent(const char *action) {
  return strcmp(action, "getRentList") == 0 ||
         strcmp(action, "getContinueRentPriceNumber") == 0 ||
         strcmp(action, "getRentStatus") == 0;
}

static int set_rent(struct ck *c, struct ck_ans *a, enum ck_who who,
                    const char *id, const char *status) {
  return call(c, a, who, "setRentStatus", id, "status", status, NULL);
}

/* Cancels rent |id| (inside its window) so that the run holds nothing it
 * does not need; states nothing. Skipped once the check has failed, so
 * that the report's reproduction stays the failing request. */
static void give_back(struct ck *c, const char *id) {
  if (ck_done(c) || !id[0])
    return;
  struct ck_ans a;
  set_rent(c, &a, CK_WHO_KEY1, id, "2");
  if (a.ok && a.res.kind == SC_KIND_SUCCESS)
    ck_refunded(c, id);
  ck_ans_free(&a);
}

/* ARCH: POST {control}/rent-sms - an SMS arrives on a rented number. */
static int rent_sms(struct ck *c, const char *id, const char *text) {
  cJSON *o = cJSON_CreateObject();
  return ck_ctl_obj(c, "rent-sms", o,
                    o && cJSON_AddStringToObject(o, "rentId", id) &&
                        cJSON_AddStringToObject(o, "phoneFrom",
                                                RENT_SMS_FROM) &&
                        cJSON_AddStringToObject(o, "text", text));
}

/* ARCH: POST {control}/webhook - where the first account's webhooks go
 * (|url| NULL: nowhere). */
static int set_webhook(struct ck *c, const char *url) {
  cJSON *o = cJSON_CreateObject();
  return ck_ctl_obj(
      c, "webhook", o,
      o && cJSON_AddStringToObject(o, "apiKey", ck_opts(c)->key) &&
          (url ? cJSON_AddStringToObject(o, "url", url) != NULL
               : cJSON_AddNullToObject(o, "url") != NULL));
}

/* getRentStatus of |id| is one of |allowed| (NULL: the success form). */
static int expect_rent_status(struct ck *c, const char *id,
                              const char *const *allowed, const char *what) {
  struct ck_ans a;
  call(c, &a, CK_WHO_KEY1, "getRentStatus", id, NULL);
  int ok = expect_answer(c, &a, allowed, what);
  ck_ans_free(&a);
  return ok;
}

/* The simulated clock moves past the end of a rent of rent_hours. */
static int advance_past_rent(struct ck *c) {
  return ck_advance(c, ck_rent_hours(ck_env(c)) * 3600 + 60);
}

/* "2020-01-31T12:01:52" (or with a space) as seconds since an epoch; -1
 * when it is not that form. The zone does not matter: only differences
 * are used. */
static long long local_seconds(const char *s) {
  int y, mo, d, h, mi, se;
  char sep;
  if (sscanf(s, "%4d-%2d-%2d%c%2d:%2d:%2d", &y, &mo, &d, &sep, &h, &mi, &se) !=
          7 ||
      (sep != 'T' && sep != ' ') || mo < 1 || mo > 12 || d < 1 || d > 31)
    return -1;
  /* days from civil (Howard Hinnant's algorithm) */
  long long yy = y - (mo <= 2);
  long long era = (yy >= 0 ? yy : yy - 399) / 400;
  long long yoe = yy - era * 400;
  long long doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  long long days = era * 146097 + doe - 719468;
  return days * 86400 + h * 3600 + mi * 60 + se;
}

/* ---- e-mail steps ---------------------------------------------------------
 */

struct mailbox {
  char id[64];
  char email[128];
  long long cost;
};

/* A mailbox for CK_MAIL_SITE: the first offer getDomains makes (a zone, else
 * a popular domain; 001 "Buy verification by mail": mail_type 1 - zones,
 * 2 - popular), bought with buyMailActivation and booked. 1 on success. */
static int buy_mailbox(struct ck *c, struct mailbox *m) {
  memset(m, 0, sizeof *m);
  struct ck_ans a;
  call(c, &a, CK_WHO_KEY1, "getDomains", NULL, NULL);
  int ok = expect_success(c, &a, "getDomains");
  char domain[128] = "";
  const char *type = "1";
  if (ok) {
    const cJSON *resp = ck_jget(a.res.json, "response");
    json_text(ck_jget(cJSON_GetArrayItem(ck_jget(resp, "zones"), 0), "name"),
              domain, sizeof domain);
    if (!domain[0]) {
      type = "2";
      json_text(
          ck_jget(cJSON_GetArrayItem(ck_jget(resp, "popular"), 0), "name"),
          domain, sizeof domain);
    }
  }
  ck_ans_free(&a);
  if (!ok)
    return 0;
  if (!domain[0]) {
    ck_error(c, "getDomains offers no zone and no popular domain for %s",
             CK_MAIL_SITE);
    return 0;
  }
  long long before = ck_balance(c, CK_WHO_KEY1);
  if (before < 0)
    return 0;
  call(c, &a, CK_WHO_KEY1, "buyMailActivation", NULL, "mail_type", type,
       "mail_domain", domain, NULL);
  ok = expect_success(c, &a, "buyMailActivation");
  if (ok) {
    const cJSON *resp = ck_jget(a.res.json, "response");
    json_text(ck_jget(resp, "id"), m->id, sizeof m->id);
    json_text(ck_jget(resp, "email"), m->email, sizeof m->email);
  }
  ck_ans_free(&a);
  if (!ok)
    return 0;
  char what[192];
  snprintf(what, sizeof what, "buyMailActivation %s %s", CK_MAIL_SITE, domain);
  m->cost = ck_book(c, CK_WHO_KEY1, "buyMailActivation", what, m->id, before);
  return m->cost >= 0;
}

/* ---- format ---------------------------------------------------------------
 */

/* Actions called without anything bought first. An action with a path
 * of its own in the spec ("http": 004's wallet call, "Deposit wallet
 * GET") is sent where the profile says (its override's "path", else the
 * handler); the check says so when the endpoint does not serve it there
 * (the profile's unknown-action signal). */
static void chk_format_plain(struct ck *c) {
  const char *action = ck_def(c)->action;
  const struct ck_env *env = ck_env(c);
  const struct sc_action *act = sc_spec_action(env->spec, action);
  const char *own = ck_jstr(ck_jget(act ? act->json : NULL, "http"), "path");
  struct ck_ans a;
  call(c, &a, CK_WHO_KEY1, action, NULL, NULL);
  if (own && !sc_profile_action_path(env->profile, action) && a.unknown_action)
    ck_skip(c,
            "the endpoint serves %s only at its own path (%s), and the "
            "profile gives none (overrides.%s.path)",
            action, own, action);
  else
    expect_success(c, &a, action);
  ck_ans_free(&a);
}

/* The rent actions: a rent (and what the action needs) first. */
static void chk_format_rent(struct ck *c) {
  const char *action = ck_def(c)->action;
  struct rent r;
  int shared = strcmp(action, "getRentList") == 0 ||
               strcmp(action, "getContinueRentPriceNumber") == 0;
  if (!(shared ? rent_to_read(c, &r) : rent_number(c, CK_WHO_KEY1, &r)) ||
      strcmp(action, "getRentNumber") == 0) {
    give_back(c, r.id);
    return;
  }
  const char *hours = ck_env(c)->rent_hours;
  struct ck_ans a;
  if (strcmp(action, "getRentStatus") == 0) {
    /* 001: "successful only when there is a sms (box 'quantity' > 0)" */
    if (!rent_sms(c, r.id, "smsconform 24680"))
      return;
    call(c, &a, CK_WHO_KEY1, action, r.id, NULL);
  } else if (strcmp(action, "setRentStatus") == 0) {
    /* 2 (cancel) rather than 1: the money comes back */
    set_rent(c, &a, CK_WHO_KEY1, r.id, "2");
  } else if (strcmp(action, "continueRentNumber") == 0) {
    long long before = ck_balance(c, CK_WHO_KEY1);
    if (before < 0)
      return;
    call(c, &a, CK_WHO_KEY1, action, r.id, "rent_time", hours, NULL);
    if (expect_success(c, &a, action)) {
      char nid[64];
      json_text(jpath(a.res.json, "phone", "id"), nid, sizeof nid);
      ck_book(c, CK_WHO_KEY1, "continueRentNumber", "continueRentNumber", nid,
              before);
    }
    ck_ans_free(&a);
    give_back(c, r.id);
    return;
  } else if (strcmp(action, "getContinueRentPriceNumber") == 0) {
    call(c, &a, CK_WHO_KEY1, action, r.id, "rent_time", hours, NULL);
  } else {
    call(c, &a, CK_WHO_KEY1, action, r.id, NULL);
  }
  int ok = expect_success(c, &a, action);
  ck_ans_free(&a);
  if (ok && strcmp(action, "setRentStatus") == 0)
    ck_refunded(c, r.id);
  else if (!shared)
    give_back(c, r.id);
}

/* The e-mail actions: a mailbox first (except to buy one). */
static int make_mailbox(struct ck *c, char *out, size_t n) {
  struct mailbox m;
  if (!buy_mailbox(c, &m))
    return 0;
  snprintf(out, n, "%s %s", m.id, m.email);
  return 1;
}

/* A mailbox of the first account that the check only reads: one purchase
 * serves every such check (ck_shared); clean-up gives it back. */
static int mailbox_to_read(struct ck *c, struct mailbox *m) {
  memset(m, 0, sizeof *m);
  return shared_pair(c, "mailbox", make_mailbox, m->id, sizeof m->id,
                     m->email, sizeof m->email);
}

static void chk_format_mail(struct ck *c) {
  const char *action = ck_def(c)->action;
  struct mailbox m;
  /* getMailHistory and checkMailActivation only read it */
  int reads = strcmp(action, "getMailHistory") == 0 ||
              strcmp(action, "checkMailActivation") == 0;
  if (!(reads ? mailbox_to_read(c, &m) : buy_mailbox(c, &m)) ||
      strcmp(action, "buyMailActivation") == 0)
    return;
  struct ck_ans a;
  if (strcmp(action, "cancelMailActivation") == 0) {
    /* 001: EARLY_CANCEL_DENIED - You cannot cancel mail for the first 2
     * minutes */
    int early = ck_timing(ck_env(c), "early_cancel_seconds");
    if (early > 0 && !ck_advance(c, early + 1))
      return;
    call(c, &a, CK_WHO_KEY1, action, m.id, NULL);
    if (expect_success(c, &a, action))
      ck_refunded(c, m.id);
    ck_ans_free(&a);
    return;
  }
  call(c, &a, CK_WHO_KEY1, action, m.id, NULL);
  if (strcmp(action, "checkMailActivation") == 0 && a.ok &&
      a.res.kind != SC_KIND_SUCCESS && a.res.verdict < SC_VERDICT_FAIL) {
    /* 001 "Check if the e-mail has been recieved" shows only the letter;
     * what comes before one is not documented, and no control path
     * delivers a letter. */
    ck_skip(c,
            "the endpoint answers %s before a letter arrives, and no "
            "control path delivers one",
            a.token[0] ? a.token : sc_kind_name(a.res.kind));
  } else if (expect_success(c, &a, action) &&
             strcmp(action, "reorderMailActivation") == 0) {
    char nid[64];
    json_text(jpath(a.res.json, "response", "id"), nid, sizeof nid);
    ck_spent(c, action, action, nid, (double)m.cost / 100.0);
  }
  ck_ans_free(&a);
}

/* 001 "Buy partner software": "$id - Id of the software that you need to
 * purchase". No action lists the products and no control path makes one,
 * so no id is known that would buy something. */
static void chk_format_partner(struct ck *c) {
  ck_skip(c, "needs the id of a partner product: no action of the "
             "documents lists them and no control path makes one");
}

/* ---- error: the rent, e-mail and partner tokens, provoked ---------------- */

enum rv {
  RV_BAD_KEY,
  RV_NO_ID,
  RV_UNKNOWN_ID,
  RV_BAD_STATUS,
  RV_NO_BALANCE,
  RV_NO_NUMBERS,
  RV_OUT_OF_STOCK,
  RV_BAD_SERVICE,
  RV_BAD_TIME,
  RV_MAX_HOURS,
  RV_RENT_DIE,
  RV_BAD_SITE,
  RV_MAIL_DOMAIN,
  RV_EARLY_CANCEL,
  RV_BAD_DATA,
};

static const struct provoker {
  enum rv rv;
  const char *slug;
  const char *tokens[3];  /* what may come back, filtered by the action's */
  const char *actions[7]; /* where; {NULL} = every action planned here */
  unsigned needs;
  const char *cond; /* "... answers T when <cond>" */
} provokers[] = {
    {RV_BAD_KEY, "wrong-key", {"BAD_KEY"}, {NULL}, 0, "the API key is wrong"},
    {RV_NO_ID,
     "no-id",
     {"NO_ID_RENT"},
     {"getRentStatus", "setRentStatus", "continueRentNumber",
      "getContinueRentPriceNumber"},
     0,
     "the rent id is not specified"},
    {RV_UNKNOWN_ID,
     "unknown-id",
     {"INVALID_PHONE", "ACTIVATION_NOT_FOUND"},
     {"getRentStatus", "setRentStatus", "continueRentNumber",
      "getContinueRentPriceNumber", "reorderMailActivation"},
     0,
     "the id names nothing of this account"},
    {RV_BAD_STATUS,
     "bad-status",
     {"INCORECT_STATUS"},
     {"setRentStatus"},
     CK_SPEND,
     "the status value is not one the document lists"},
    {RV_NO_BALANCE,
     "no-balance",
     {"NO_BALANCE", "BAD_BALANCE"},
     {"getRentNumber", "continueRentNumber", "reorderMailActivation"},
     CK_CONTROL | CK_ALONE | CK_SPEND,
     "the balance does not cover the price"},
    {RV_NO_NUMBERS,
     "no-numbers",
     {"NO_NUMBERS"},
     {"getRentNumber", "getRentList"},
     CK_CONTROL | CK_ALONE,
     "there is no number (none in stock to rent, none rented to list)"},
    {RV_OUT_OF_STOCK,
     "out-of-stock",
     {"OUT_OF_STOCK"},
     {"getRentServicesAndCountries"},
     CK_CONTROL | CK_ALONE,
     "no service of the country has a number in stock"},
    {RV_BAD_SERVICE,
     "unknown-service",
     {"BAD_SERVICE", "WRONG_SERVICE"},
     {"getRentNumber"},
     0,
     "the service code is unknown"},
    {RV_BAD_TIME,
     "bad-time",
     {"INVALID_TIME"},
     {"continueRentNumber", "getContinueRentPriceNumber"},
     CK_SPEND,
     "rent_time is below the 4 hours the document allows"},
    {RV_MAX_HOURS,
     "max-hours",
     {"MAX_HOURS_EXCEED"},
     {"getContinueRentPriceNumber"},
     CK_SPEND,
     "the rent would last longer than the longest rent time"},
    {RV_RENT_DIE,
     "rent-expired",
     {"RENT_DIE"},
     {"getContinueRentPriceNumber"},
     CK_CONTROL | CK_ALONE | CK_SPEND,
     "the rent has expired"},
    {RV_BAD_SITE,
     "no-site",
     {"BAD_SITE"},
     {"getDomains"},
     0,
     "the site is not specified"},
    {RV_MAIL_DOMAIN,
     "unknown-domain",
     {"MAIL_TYPE_ERROR"},
     {"buyMailActivation"},
     0,
     "there is no such domain for the site"},
    {RV_EARLY_CANCEL,
     "early-cancel",
     {"EARLY_CANCEL_DENIED"},
     {"cancelMailActivation"},
     CK_SPEND,
     "a mailbox is cancelled right after the purchase"},
    {RV_BAD_DATA,
     "non-numeric-id",
     {"BAD_DATA"},
     {"buyPartnerProduct"},
     0,
     "the product id is not a number"},
};


/* The condition needs a rent of its own first. */
static int rent_first(const struct provoker *pv, const char *action) {
  return pv->rv == RV_BAD_STATUS || pv->rv == RV_BAD_TIME ||
         pv->rv == RV_MAX_HOURS || pv->rv == RV_RENT_DIE ||
         (pv->rv == RV_NO_BALANCE && strcmp(action, "continueRentNumber") == 0);
}

/* The condition needs a mailbox of its own first. */
static int mail_first(const struct provoker *pv, const char *action) {
  return pv->rv == RV_EARLY_CANCEL ||
         (pv->rv == RV_NO_BALANCE &&
          strcmp(action, "reorderMailActivation") == 0);
}

/* An id that names nothing at the endpoint into |id|, checked with a read
 * first (getRentStatus, checkMailActivation) when |action| would change
 * what it names: no check changes a rent or a mailbox the run did not buy.
 * 1 when it may be sent; else the check is SKIP or BLOCKED. */
static int unknown_id(struct ck *c, const char *action, char *id, size_t n) {
  ck_unknown_id(c, id, n);
  const char *reader =
      strstr(action, "Rent") ? "getRentStatus" : "checkMailActivation";
  if (strcmp(action, reader) == 0 || strncmp(action, "get", 3) == 0 ||
      strncmp(action, "check", 5) == 0)
    return 1;
  char owner[96];
  snprintf(owner, sizeof owner, "format.%s", reader);
  return ck_confirm_absent(c, reader, owner, id, NULL, action);
}

/* 001: OUT_OF_STOCK - numbers for that country are unavailable: every
 * service the country offers for rent is set out of stock, then |action|
 * asked again into |a|. 1 when that answer is to be judged; 0 when the
 * check stopped on the way. */
static int provoke_out_of_stock(struct ck *c, struct ck_ans *a,
                                const char *action) {
  call(c, a, CK_WHO_KEY1, action, NULL, NULL);
  int ok = expect_success(c, a, "getRentServicesAndCountries first");
  const cJSON *services = ok ? ck_jget(a->res.json, "services") : NULL;
  const cJSON *s;
  cJSON_ArrayForEach(s, services) {
    /* "full" is the whole number, not a service of its own */
    if (!s->string || strcmp(s->string, "full") == 0 ||
        strpbrk(s->string, "\"\\"))
      continue;
    if (ck_ctl(c, "stock",
               "{\"service\":\"%s\",\"country\":\"%s\",\"count\":0}",
               s->string, ck_ctry(c)) != 200)
      break;
  }
  ck_ans_free(a);
  if (ck_done(c))
    return 0;
  call(c, a, CK_WHO_KEY1, action, NULL, NULL);
  return 1;
}

/* Sends |action| with the condition of |pv| in place, its answer into
 * |a|. |id| is the rent or mailbox the condition needed, else the random
 * id |unk| (|n| bytes). 1 when an answer is to be judged; 0 when the
 * check has stopped (a step failed, or it is SKIP or BLOCKED) and |a|
 * holds nothing. */
static int provoke(struct ck *c, const struct provoker *pv, const char *action,
                   const char *id, char *unk, size_t n, struct ck_ans *a) {
  char num[32];
  switch (pv->rv) {
  case RV_BAD_KEY:
    /* nothing is bought even if the key were taken: no such domain */
    if (strcmp(action, "buyMailActivation") == 0)
      call(c, a, CK_WHO_BADKEY, action, unk, "mail_domain", MAIL_NO_DOMAIN,
           NULL);
    else
      call(c, a, CK_WHO_BADKEY, action, unk, NULL);
    return 1;
  case RV_NO_ID:
    call(c, a, CK_WHO_KEY1, action, NULL, NULL);
    return 1;
  case RV_UNKNOWN_ID: /* an id no vendor hands out */
    if (!unknown_id(c, action, unk, n))
      return 0;
    call(c, a, CK_WHO_KEY1, action, unk, NULL);
    return 1;
  case RV_BAD_STATUS:
    set_rent(c, a, CK_WHO_KEY1, id, "99");
    return 1;
  case RV_NO_BALANCE:
    if (!ck_set_balance(c, 0))
      return 0;
    call(c, a, CK_WHO_KEY1, action, id, NULL);
    return 1;
  case RV_NO_NUMBERS:
    /* getRentList: the engine's reset leaves no rent. getRentNumber: ARCH's
     * /control/stock does not say whether rent draws on the same stock; a
     * control endpoint that keeps rent apart answers something else here,
     * and that is reported, not guessed away. */
    if (strcmp(action, "getRentNumber") == 0 &&
        ck_ctl(c, "stock",
               "{\"service\":\"%s\",\"country\":\"%s\",\"count\":0}", ck_svc(c),
               ck_ctry(c)) != 200)
      return 0;
    call(c, a, CK_WHO_KEY1, action, NULL, NULL);
    return 1;
  case RV_OUT_OF_STOCK:
    return provoke_out_of_stock(c, a, action);
  case RV_BAD_SERVICE:
    call(c, a, CK_WHO_KEY1, action, NULL, "service", "zz-smsconform", NULL);
    return 1;
  case RV_BAD_TIME:
    /* 001 "Extend your lease": "Available number of hours from 4 to 1344" */
    call(c, a, CK_WHO_KEY1, action, id, "rent_time", "1", NULL);
    return 1;
  case RV_MAX_HOURS:
    /* 001 gives 1344 hours as the most a rent may have; the rent already
     * holds rent_hours, so 1344 more exceed it. */
    snprintf(num, sizeof num, "%d", ck_timing(ck_env(c), "rent_max_hours"));
    call(c, a, CK_WHO_KEY1, action, id, "rent_time", num, NULL);
    return 1;
  case RV_RENT_DIE:
    if (!advance_past_rent(c))
      return 0;
    call(c, a, CK_WHO_KEY1, action, id, NULL);
    return 1;
  case RV_BAD_SITE:
    call(c, a, CK_WHO_KEY1, action, NULL, "site", OMIT, NULL);
    return 1;
  case RV_MAIL_DOMAIN:
    call(c, a, CK_WHO_KEY1, action, NULL, "mail_domain", MAIL_NO_DOMAIN, NULL);
    return 1;
  case RV_EARLY_CANCEL:
    call(c, a, CK_WHO_KEY1, action, id, NULL);
    return 1;
  case RV_BAD_DATA:
    /* 001: BAD_DATA - Incorrect ID or ID is not a number */
    call(c, a, CK_WHO_KEY1, action, "abc", NULL);
    return 1;
  }
  return 0;
}

static void chk_error(struct ck *c) {
  const struct ck_def *d = ck_def(c);
  const struct provoker *pv = &provokers[d->iarg];
  const char *action = d->action;
  struct sc_view v;
  if (sc_spec_view(ck_env(c)->spec, action, ck_env(c)->profile_name, &v)) {
    ck_error(c, "no action %s in the spec", action);
    return;
  }
  const char *allowed[4];
  ck_allowed_tokens(&v, pv->tokens, 3, allowed);
  char what[192];
  snprintf(what, sizeof what, "%s when %s", action, pv->cond);
  struct ck_ans a;
  struct rent r = {.id = ""};
  struct mailbox m = {.id = ""};
  int shared = rent_first(pv, action) &&
               strcmp(action, "getContinueRentPriceNumber") == 0;
  if (rent_first(pv, action) &&
      !(shared ? rent_to_read(c, &r) : rent_number(c, CK_WHO_KEY1, &r)))
    return;
  if (mail_first(pv, action) && !buy_mailbox(c, &m))
    return;
  char unk[24];
  ck_unknown_id(c, unk, sizeof unk);
  const char *id = r.id[0] ? r.id : m.id[0] ? m.id : unk;
  if (!provoke(c, pv, action, id, unk, sizeof unk, &a))
    return;
  ck_expect(c, &a, allowed, what);
  ck_ans_free(&a);
  /* a refused purchase takes no money */
  if (pv->rv == RV_NO_BALANCE)
    expect_balance(c, 0, "the balance after a refused purchase");
  if (pv->rv != RV_RENT_DIE && !shared)
    give_back(c, r.id);
}

/* ---- lifecycle: setRentStatus and extensions in every reachable state ---- */

/* Drives a fresh rent into |state|. |*refund_due|: a refund would still
 * return the price. 1 on success. */
static int reach(struct ck *c, const char *state, struct rent *r,
                 int *refund_due) {
  struct ck_ans a;
  *refund_due = 1;
  if (!rent_number(c, CK_WHO_KEY1, r))
    return 0;
  if (strcmp(state, "ACTIVE") == 0)
    return 1;
  if (strcmp(state, "ACTIVE_SMS") == 0)
    return rent_sms(c, r->id, "smsconform 13579");
  *refund_due = 0;
  if (strcmp(state, "EXPIRED") == 0)
    return advance_past_rent(c);
  const char *st = strcmp(state, "FINISHED") == 0    ? "1"
                   : strcmp(state, "CANCELLED") == 0 ? "2"
                                                     : NULL;
  if (!st) {
    ck_error(c, "no way to reach rent state %s", state);
    return 0;
  }
  char what[64];
  snprintf(what, sizeof what, "setRentStatus %s to reach %s", st, state);
  set_rent(c, &a, CK_WHO_KEY1, r->id, st);
  int ok = expect_success(c, &a, what);
  ck_ans_free(&a);
  if (ok && st[0] == '2')
    ck_refunded(c, r->id);
  return ok;
}

/* The rent states a check can reach (REVOKED is the vendor's doing). */
static const char *const reachable[] = {"ACTIVE",    "ACTIVE_SMS", "FINISHED",
                                        "CANCELLED", "EXPIRED",    NULL};

/* lifecycle.json's first rent state ("initial"): a rent as ordered, no SMS
 * yet. */
static const char *rent_initial(const struct ck_env *env) {
  const char *s = ck_jstr(ck_jget(env->spec->lifecycle, "rent"), "initial");
  return s ? s : "";
}

/* getRentStatus in |state| as lifecycle.json says (an empty list: the
 * success form). */
static int expect_rent_state(struct ck *c, const char *id, const char *state,
                             const char *what) {
  const char *gs[8];
  ck_strings_of(
      ck_jget(ck_state_named(ck_env(c), "rent", state), "getStatus"), gs, 8);
  return expect_rent_status(c, id, gs, what);
}

static void chk_rent_transition(struct ck *c) {
  const cJSON *t = ck_def(c)->json;
  const char *from = ck_jstr(t, "from"), *to = ck_jstr(t, "to");
  const char *status = ck_jstr(t, "status"), *when = ck_jstr(t, "when");
  const char *money = ck_jstr(t, "money");
  long long start = ck_balance(c, CK_WHO_KEY1);
  struct rent r;
  int refund_due = 0;
  if (start < 0 || !reach(c, from, &r, &refund_due))
    return;
  /* lifecycle.json: for rent, "after_early_cancel" means after
   * rent_cancel_window_seconds */
  if (when && strcmp(when, "after_early_cancel") == 0 &&
      !ck_advance(c, ck_timing(ck_env(c), "rent_cancel_window_seconds") + 1))
    return;
  long long before = ck_balance(c, CK_WHO_KEY1);
  if (before < 0)
    return;
  const char *answers[8];
  ck_strings_of(ck_jget(t, "answers"), answers, 8);
  char what[160];
  snprintf(what, sizeof what, "setRentStatus %s in rent state %s", status,
           from);
  struct ck_ans a;
  set_rent(c, &a, CK_WHO_KEY1, r.id, status);
  int ok = expect_answer(c, &a, answers, what);
  int success = ok && a.res.kind == SC_KIND_SUCCESS;
  ck_ans_free(&a);
  if (!ok)
    return;
  snprintf(what, sizeof what, "getRentStatus after setRentStatus %s in %s",
           status, from);
  if (!expect_rent_state(c, r.id, success ? to : from, what))
    return;
  long long want = before;
  if (success && money && strcmp(money, "refund") == 0 && refund_due) {
    want = start;
    ck_refunded(c, r.id);
  }
  snprintf(what, sizeof what, "money after setRentStatus %s in %s (%s)", status,
           from, success && money ? money : "none");
  if (expect_balance(c, want, what))
    ck_ok(c);
}

/* continueRentNumber in a rent state, as lifecycle.json's "extend" events
 * say: an extension answers the number again (a finished rent under a new
 * id, the rest under their own) and is paid; an ended rent is refused and
 * nothing is taken. */
static void chk_rent_extend(struct ck *c) {
  const cJSON *e = ck_def(c)->json;
  const char *from = ck_jstr(e, "from");
  struct rent r;
  int refund_due = 0;
  if (!reach(c, from, &r, &refund_due))
    return;
  long long before = ck_balance(c, CK_WHO_KEY1);
  if (before < 0)
    return;
  const char *answers[8];
  ck_strings_of(ck_jget(e, "answers"), answers, 8);
  const char *hours = ck_env(c)->rent_hours;
  char what[160];
  snprintf(what, sizeof what, "continueRentNumber in rent state %s", from);
  struct ck_ans a;
  call(c, &a, CK_WHO_KEY1, "continueRentNumber", r.id, "rent_time", hours,
       NULL);
  int ok = expect_answer(c, &a, answers, what);
  int success = ok && a.res.kind == SC_KIND_SUCCESS;
  char nid[64] = "", num[32] = "";
  if (success) {
    json_text(jpath(a.res.json, "phone", "id"), nid, sizeof nid);
    json_text(jpath(a.res.json, "phone", "number"), num, sizeof num);
  }
  ck_ans_free(&a);
  if (!ok)
    return;
  long long after = ck_balance(c, CK_WHO_KEY1);
  if (after < 0)
    return;
  if (!success) {
    expect_balance(c, before, "the balance after a refused extension");
    return;
  }
  ck_spent(c, "continueRentNumber", "continueRentNumber", nid,
           (double)(before - after) / 100.0);
  int reorder = strcmp(from, "FINISHED") == 0;
  if (strcmp(num, r.phone) != 0) {
    ck_fail(c, r.phone, num, "%s answers number %s, not the rented %s", what,
            num, r.phone);
  } else if (!reorder && strcmp(nid, r.id) != 0) {
    /* 001 "Extend your lease": only "when a completed rent is prolonged,
     * it will be reordered, a new id will be provided" */
    ck_fail(c, r.id, nid, "%s answers rent id %s for rent %s", what, nid, r.id);
  } else if (after >= before) {
    char b[48], g[48];
    ck_money_text(before, b, sizeof b);
    ck_money_text(after, g, sizeof g);
    ck_fail(c, "a balance below the one before", g,
            "%s took no money: the balance stayed %s", what, b);
  } else if (reorder) {
    /* lifecycle.json: "the new rent starts without SMS" */
    expect_rent_state(c, nid, rent_initial(ck_env(c)),
                      "getRentStatus of the re-ordered rent");
  }
  if (!ck_done(c))
    ck_ok(c);
  give_back(c, nid);
}

/* ---- lifecycle scenarios --------------------------------------------------
 */

/* Two SMS on a rented number: getRentStatus lists both, newest first,
 * with their texts and sender (001 "get status for rent"). */
static void chk_rent_sms_listed(struct ck *c) {
  struct rent r;
  if (!rent_number(c, CK_WHO_KEY1, &r))
    return;
  static const char *const texts[] = {"smsconform first 31415",
                                      "smsconform second 92653"};
  if (!rent_sms(c, r.id, texts[0]) || !rent_sms(c, r.id, texts[1]))
    return;
  struct ck_ans a;
  call(c, &a, CK_WHO_KEY1, "getRentStatus", r.id, NULL);
  if (!expect_success(c, &a, "getRentStatus after two SMS")) {
    ck_ans_free(&a);
    return;
  }
  char q[32], got[320];
  json_text(ck_jget(a.res.json, "quantity"), q, sizeof q);
  const cJSON *vals = ck_jget(a.res.json, "values");
  if (strcmp(q, "2") != 0) {
    describe(&a, got, sizeof got);
    ck_fail(c, "\"quantity\": \"2\"", got,
            "getRentStatus counts %s SMS after two arrived", q);
  }
  /* $page counts "from new to old": "0" is the second SMS */
  for (int k = 0; k < 2 && !ck_done(c); k++) {
    char key[4], text[300], from[40];
    snprintf(key, sizeof key, "%d", k);
    const cJSON *m = ck_jget(vals, key);
    json_text(ck_jget(m, "text"), text, sizeof text);
    json_text(ck_jget(m, "phoneFrom"), from, sizeof from);
    const char *want = texts[1 - k];
    if (strcmp(text, want) != 0)
      ck_fail(c, want, text[0] ? text : "no such entry",
              "getRentStatus values[\"%s\"] is not the %s SMS", key,
              k ? "older" : "newest");
    else if (strcmp(from, RENT_SMS_FROM) != 0)
      ck_fail(c, RENT_SMS_FROM, from,
              "getRentStatus values[\"%s\"] names sender %s", key, from);
  }
  ck_ans_free(&a);
  give_back(c, r.id);
}

/* 001 "Rental Status Change": CANT_CANCEL - impossible to cancel the lease
 * (more than 20 min.): refused, nothing refunded, and the rent runs on. */
static void chk_rent_cancel_window(struct ck *c) {
  struct rent r;
  if (!rent_number(c, CK_WHO_KEY1, &r))
    return;
  int window = ck_timing(ck_env(c), "rent_cancel_window_seconds");
  if (!ck_advance(c, window + 1))
    return;
  long long before = ck_balance(c, CK_WHO_KEY1);
  if (before < 0)
    return;
  struct ck_ans a;
  set_rent(c, &a, CK_WHO_KEY1, r.id, "2");
  char what[96];
  snprintf(what, sizeof what, "setRentStatus 2 %d s after the order",
           window + 1);
  ck_expect1(c, &a, "CANT_CANCEL", what);
  ck_ans_free(&a);
  if (!expect_balance(c, before, "the balance after a refused late cancel"))
    return;
  expect_rent_state(c, r.id, rent_initial(ck_env(c)),
                    "getRentStatus after a refused cancel");
}

/* 001 "Extend your lease": the answer's endDate is rent_time hours later
 * than before, under the same id. */
static void chk_rent_continue_extends(struct ck *c) {
  struct rent r;
  if (!rent_number(c, CK_WHO_KEY1, &r))
    return;
  int h = ck_rent_hours(ck_env(c));
  const char *hours = ck_env(c)->rent_hours;
  long long before = ck_balance(c, CK_WHO_KEY1);
  if (before < 0)
    return;
  struct ck_ans a;
  call(c, &a, CK_WHO_KEY1, "continueRentNumber", r.id, "rent_time", hours,
       NULL);
  if (expect_success(c, &a, "continueRentNumber")) {
    char end[48], nid[64], e[96], g[96];
    json_text(jpath(a.res.json, "phone", "endDate"), end, sizeof end);
    json_text(jpath(a.res.json, "phone", "id"), nid, sizeof nid);
    ck_book(c, CK_WHO_KEY1, "continueRentNumber", "continueRentNumber", nid,
            before);
    long long t0 = local_seconds(r.end), t1 = local_seconds(end);
    snprintf(e, sizeof e, "endDate %s + %dh", r.end, h);
    snprintf(g, sizeof g, "endDate %s", end);
    if (strcmp(nid, r.id) != 0)
      ck_fail(c, r.id, nid, "continueRentNumber answers rent id %s for %s", nid,
              r.id);
    else if (t0 < 0 || t1 < 0)
      ck_fail(c, e, g, "an endDate that is not a date and time (%s, %s)", r.end,
              end);
    else if (t1 - t0 != (long long)h * 3600)
      ck_fail(c, e, g, "continueRentNumber by %dh moved endDate by %llds", h,
              t1 - t0);
  }
  ck_ans_free(&a);
  give_back(c, r.id);
}

/* 001 "List current activations": the rent is listed with its id and
 * number. */
static void chk_rent_list(struct ck *c) {
  struct rent r;
  if (!rent_to_read(c, &r))
    return;
  struct ck_ans a;
  call(c, &a, CK_WHO_KEY1, "getRentList", NULL, NULL);
  if (expect_success(c, &a, "getRentList after a rent")) {
    int found = 0;
    const cJSON *v;
    cJSON_ArrayForEach(v, ck_jget(a.res.json, "values")) {
      char id[64], ph[32];
      json_text(ck_jget(v, "id"), id, sizeof id);
      json_text(ck_jget(v, "phone"), ph, sizeof ph);
      found |= strcmp(id, r.id) == 0 && strcmp(ph, r.phone) == 0;
    }
    if (!found) {
      char e[128], got[320];
      snprintf(e, sizeof e, "{\"id\":\"%s\",\"phone\":\"%s\"}", r.id, r.phone);
      describe(&a, got, sizeof got);
      ck_fail(c, e, got, "getRentList does not list rent %s (%s)", r.id,
              r.phone);
    }
  }
  ck_ans_free(&a);
  /* shared: clean-up gives it back */
}

/* 001 "Get a list of active purchases": the mailbox just bought. */
static void chk_mail_history(struct ck *c) {
  struct mailbox m;
  if (!mailbox_to_read(c, &m))
    return;
  struct ck_ans a;
  call(c, &a, CK_WHO_KEY1, "getMailHistory", NULL, NULL);
  if (expect_success(c, &a, "getMailHistory after a purchase")) {
    int found = 0;
    const cJSON *v;
    cJSON_ArrayForEach(v, jpath(a.res.json, "response", "list")) {
      char em[128];
      json_text(ck_jget(v, "email"), em, sizeof em);
      found |= strcmp(em, m.email) == 0;
    }
    if (!found) {
      char got[320];
      describe(&a, got, sizeof got);
      ck_fail(c, m.email, got, "getMailHistory does not list %s", m.email);
    }
  }
  ck_ans_free(&a);
}

/* 001 "Mail reactivation": "Id of the mail which reactivation is required
 * for": the same mailbox again. */
static void chk_mail_reorder(struct ck *c) {
  struct mailbox m;
  if (!buy_mailbox(c, &m))
    return;
  struct ck_ans a;
  call(c, &a, CK_WHO_KEY1, "reorderMailActivation", m.id, NULL);
  if (expect_success(c, &a, "reorderMailActivation")) {
    char em[128], nid[64];
    json_text(jpath(a.res.json, "response", "email"), em, sizeof em);
    json_text(jpath(a.res.json, "response", "id"), nid, sizeof nid);
    ck_spent(c, "reorderMailActivation", "reorderMailActivation", nid,
             (double)m.cost / 100.0);
    if (strcmp(em, m.email) != 0)
      ck_fail(c, m.email, em, "reorderMailActivation of %s gives mailbox %s",
              m.email, em);
  }
  ck_ans_free(&a);
}

/* ---- money ----------------------------------------------------------------
 */

/* getRentServicesAndCountries' cost for the service and rent_hours is what
 * getRentNumber takes. */
static void chk_rent_charge(struct ck *c) {
  const char *hours = ck_env(c)->rent_hours;
  struct ck_ans a;
  call(c, &a, CK_WHO_KEY1, "getRentServicesAndCountries", NULL, "time", hours,
       NULL);
  long long price = -1;
  if (expect_success(c, &a, "getRentServicesAndCountries"))
    price = json_cents(
        jpath(jpath(a.res.json, "services", ck_svc(c)), "cost", NULL));
  ck_ans_free(&a);
  if (ck_done(c))
    return;
  if (price < 0) {
    ck_error(c,
             "getRentServicesAndCountries lists no cost for service %s "
             "(choose another with --service)",
             ck_svc(c));
    return;
  }
  struct rent r;
  if (!rent_number(c, CK_WHO_KEY1, &r))
    return;
  if (r.cost != price) {
    char e[48], g[48];
    ck_money_text(price, e, sizeof e);
    ck_money_text(r.cost, g, sizeof g);
    ck_fail(c, e, g, "a %sh rent of %s listed at %s took %s", hours, ck_svc(c),
            e, g);
  }
  give_back(c, r.id);
}

/* A cancel inside the window returns the price, once. */
static void chk_rent_refund(struct ck *c) {
  long long start = ck_balance(c, CK_WHO_KEY1);
  struct rent r;
  if (start < 0 || !rent_number(c, CK_WHO_KEY1, &r))
    return;
  struct ck_ans a;
  set_rent(c, &a, CK_WHO_KEY1, r.id, "2");
  int ok = expect_success(c, &a, "setRentStatus 2 inside the cancel window");
  ck_ans_free(&a);
  if (!ok)
    return;
  ck_refunded(c, r.id);
  if (!expect_balance(c, start, "the balance after cancelling a rent"))
    return;
  set_rent(c, &a, CK_WHO_KEY1, r.id, "2");
  ck_expect1(c, &a, "ALREADY_CANCEL", "a second setRentStatus 2");
  ck_ans_free(&a);
  expect_balance(c, start, "the balance after a second cancel");
}

/* continueRentNumber takes what getContinueRentPriceNumber quoted. */
static void chk_rent_continue_charge(struct ck *c) {
  struct rent r;
  if (!rent_number(c, CK_WHO_KEY1, &r))
    return;
  const char *hours = ck_env(c)->rent_hours;
  struct ck_ans a;
  call(c, &a, CK_WHO_KEY1, "getContinueRentPriceNumber", r.id, "rent_time",
       hours, NULL);
  long long quote = -1;
  if (expect_success(c, &a, "getContinueRentPriceNumber"))
    quote = json_cents(ck_jget(a.res.json, "price"));
  ck_ans_free(&a);
  long long before = ck_done(c) ? -1 : ck_balance(c, CK_WHO_KEY1);
  if (quote < 0 || before < 0) {
    if (!ck_done(c))
      ck_fail(c, "a decimal price", "none",
              "getContinueRentPriceNumber quotes no price");
    return;
  }
  call(c, &a, CK_WHO_KEY1, "continueRentNumber", r.id, "rent_time", hours,
       NULL);
  int ok = expect_success(c, &a, "continueRentNumber");
  ck_ans_free(&a);
  long long took = ok ? ck_book(c, CK_WHO_KEY1, "continueRentNumber",
                                "continueRentNumber", r.id, before)
                       : -1;
  if (took < 0)
    return;
  if (took != quote) {
    char e[48], g[48];
    ck_money_text(quote, e, sizeof e);
    ck_money_text(took, g, sizeof g);
    ck_fail(c, e, g, "a %sh extension quoted at %s took %s", hours, e, g);
  }
  give_back(c, r.id);
}

/* 001 "Cancel the email purchase": after the first 2 minutes a cancel
 * returns the price. */
static void chk_mail_refund(struct ck *c) {
  long long start = ck_balance(c, CK_WHO_KEY1);
  struct mailbox m;
  if (start < 0 || !buy_mailbox(c, &m))
    return;
  int early = ck_timing(ck_env(c), "early_cancel_seconds");
  if (early > 0 && !ck_advance(c, early + 1))
    return;
  struct ck_ans a;
  call(c, &a, CK_WHO_KEY1, "cancelMailActivation", m.id, NULL);
  int ok = expect_success(c, &a, "cancelMailActivation after 2 minutes");
  ck_ans_free(&a);
  if (!ok)
    return;
  ck_refunded(c, m.id);
  expect_balance(c, start, "the balance after cancelling a mailbox");
}

/* ---- isolation ------------------------------------------------------------
 */

/* The second account against the first one's rent: |ck_def(c)->arg| is
 * the action, |arg2| setRentStatus' value. */
static void chk_rent_isolation(struct ck *c) {
  const char *action = ck_def(c)->arg, *status = ck_def(c)->arg2;
  struct rent r;
  /* the second account only reads: the first account's rent is shared;
   * an attempt to change it gets a rent of its own */
  int shared = !status[0] && reads_rent(action);
  if (!(shared ? rent_to_read(c, &r) : rent_number(c, CK_WHO_KEY1, &r)))
    return;
  long long own = ck_balance(c, CK_WHO_KEY1);
  long long other = ck_balance(c, CK_WHO_KEY2);
  if (own < 0 || other < 0)
    return;
  /* 001: INVALID_PHONE - the number is rented not by you */
  const char *deny[] = {"INVALID_PHONE", "NO_ID_RENT", NULL};
  char what[160];
  struct ck_ans a;
  if (strcmp(action, "getRentList") == 0) {
    call(c, &a, CK_WHO_KEY2, action, NULL, NULL);
    const char *none[] = {"NO_NUMBERS", NULL};
    if (a.ok && a.res.kind == SC_KIND_SUCCESS) {
      if (ck_expect(c, &a, NULL, "getRentList of the second account") &&
          strstr(a.r.body, r.id))
        ck_fail(c, "not listed", "listed",
                "the second account's getRentList lists rent %s", r.id);
    } else {
      ck_expect(c, &a, none, "getRentList of an account without rents");
    }
    ck_ans_free(&a);
  } else {
    if (status[0]) {
      snprintf(what, sizeof what, "setRentStatus %s on another account's rent",
               status);
      set_rent(c, &a, CK_WHO_KEY2, r.id, status);
    } else {
      snprintf(what, sizeof what, "%s of another account's rent", action);
      call(c, &a, CK_WHO_KEY2, action, r.id, NULL);
    }
    ck_expect(c, &a, deny, what);
    ck_ans_free(&a);
  }
  if (!expect_rent_state(c, r.id, rent_initial(ck_env(c)),
                         "the owner's getRentStatus afterwards"))
    return;
  if (!expect_balance(c, own, "the owner's balance afterwards"))
    return;
  long long o2 = ck_balance(c, CK_WHO_KEY2);
  if (o2 >= 0 && o2 != other) {
    char e[48], g[48];
    ck_money_text(other, e, sizeof e);
    ck_money_text(o2, g, sizeof g);
    ck_fail(c, e, g, "the second account's balance moved from %s to %s", e, g);
  }
  if (!shared)
    give_back(c, r.id);
}

/* ---- webhooks -------------------------------------------------------------
 */

/* POST |i| of |l| judged as 001/004's webhook payload for activation |id|
 * whose SMS carried |code| and |text|. 1 when it is right. */
static int judge_payload(struct ck *c, struct sc_listen *l, size_t i,
                         const char *id, const char *code, const char *text) {
  struct sc_listen_hit h;
  if (sc_listen_hit(l, i, &h)) {
    ck_error(c, "webhook %zu was not kept", i + 1);
    return 0;
  }
  static const char want[] =
      "{\"activationId\",\"service\",\"text\",\"code\",\"country\","
      "\"receivedAt\"} as in the document";
  char act[400];
  snprintf(act, sizeof act, "%.300s%s", h.body, h.len > 300 ? "..." : "");
  struct sc_input in = {"webhook", ck_env(c)->profile_name,
                        0,         h.content_type[0] ? h.content_type : NULL,
                        h.body,    h.len};
  struct sc_result res;
  int ok = 0;
  if (sc_parse(ck_env(c)->spec, &in, &res) != SC_ERR_OK) {
    ck_error(c, "the parser could not judge the webhook");
    goto out;
  }
  const struct sc_deviation *worst = NULL;
  for (size_t k = 0; k < res.ndevs; k++)
    if (!worst || res.devs[k].verdict > worst->verdict)
      worst = &res.devs[k];
  if (worst && worst->verdict >= SC_VERDICT_FAIL) {
    ck_fail(c, want, act, "the webhook payload: %s: %s",
            sc_dev_name(worst->code), worst->message);
    goto out;
  }
  if (res.kind != SC_KIND_SUCCESS) {
    ck_fail(c, want, act, "the webhook payload is not the documented record");
    goto out;
  }
  if (worst)
    ck_warn(c, "the webhook payload: %s: %s", sc_dev_name(worst->code),
            worst->message);
  /* the values: the SMS that was sent, to the activation that was bought */
  const struct {
    const char *key, *value;
  } fields[] = {{"activationId", id},
                {"code", code},
                {"text", text},
                {"service", ck_svc(c)},
                {"country", ck_ctry(c)}};
  for (size_t k = 0; k < sizeof fields / sizeof *fields; k++) {
    char got[300], e[320], g[320];
    json_text(ck_jget(res.json, fields[k].key), got, sizeof got);
    if (strcmp(got, fields[k].value) != 0) {
      snprintf(e, sizeof e, "\"%s\": %s", fields[k].key, fields[k].value);
      snprintf(g, sizeof g, "\"%s\": %s", fields[k].key, got);
      ck_fail(c, e, g, "the webhook's %s is '%s', not '%s'", fields[k].key, got,
              fields[k].value);
      goto out;
    }
  }
  ok = 1;
out:
  sc_result_free(&res);
  sc_listen_hit_free(&h);
  return ok;
}

/* The count of POSTs a webhook scenario ends with, taken when the run
 * ends (ck_later): "retry" wants exactly 2, "limit" at most |max|. */
struct hook_count {
  struct sc_listen *l;
  struct timespec moved; /* when the clock last moved (CLOCK_MONOTONIC) */
  int retry;             /* else limit */
  int max;
};

/* Takes the count (quiet for what is left of HOOK_QUIET_MS since the
 * clock moved) and judges it; |h|'s listener is destroyed. */
static void hook_count_now(struct ck *c, struct hook_count *h) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  long since = (long)(now.tv_sec - h->moved.tv_sec) * 1000L +
               (now.tv_nsec - h->moved.tv_nsec) / 1000000L;
  size_t n = sc_listen_settle(
      h->l, since < HOOK_QUIET_MS ? HOOK_QUIET_MS - since : 0, HOOK_WAIT_MS);
  char e[48], g[48];
  snprintf(g, sizeof g, "%zu POSTs", n);
  if (h->retry && n != 2) {
    ck_fail(c, "2 POSTs (a 500, then a 200)", g,
            "the webhook kept coming after it was answered HTTP 200");
  } else if (!h->retry && n > (size_t)h->max) {
    snprintf(e, sizeof e, "at most %d POSTs", h->max);
    ck_fail(c, e, g, "a webhook answered HTTP 500 came %zu times", n);
  }
  sc_listen_destroy(h->l);
  h->l = NULL;
}

static void hook_count_judge(struct ck *c, void *arg) {
  hook_count_now(c, arg);
  sc_free(arg);
}

/* Counts |l|'s POSTs when the run ends, or now when that cannot be
 * arranged; |l| is no longer the caller's. */
static void hook_count_later(struct ck *c, struct sc_listen *l, int retry,
                             int max) {
  struct hook_count at = {.l = l, .retry = retry, .max = max};
  clock_gettime(CLOCK_MONOTONIC, &at.moved);
  struct hook_count *h = sc_malloc(sizeof *h);
  if (!h) {
    hook_count_now(c, &at);
    return;
  }
  *h = at;
  if (ck_later(c, hook_count_judge, h))
    hook_count_judge(c, h);
}

/* The webhook scenarios; |ck_def(c)->arg| says which: "payload" (one SMS,
 * one POST with the documented record), "retry" (the first POST answered
 * 500; moving the clock through the retry window brings it again; after a
 * 200 it comes no more), "limit" (every POST answered 500: at most
 * webhook_max_attempts in all). */
static void chk_webhook(struct ck *c) {
  const char *mode = ck_def(c)->arg;
  if (ck_opts(c)->replay) {
    /* a recording holds the requests the runner made, not the POSTs the
     * endpoint made to it */
    ck_skip(c, "webhook deliveries come to a live listener: a recording "
               "cannot replay them");
    return;
  }
  if (!ck_is_loopback(ck_opts(c)->url)) {
    ck_skip(c, "the endpoint is not on this machine: it cannot reach the "
               "runner's webhook listener on 127.0.0.1");
    return;
  }
  char err[160];
  struct sc_listen *l = sc_listen_new(err, sizeof err);
  if (!l) {
    ck_error(c, "cannot start the webhook listener: %s", err);
    return;
  }
  int registered = 0;
  static const int first_500[] = {500};
  if (strcmp(mode, "retry") == 0)
    sc_listen_script(l, first_500, 1, 200);
  else if (strcmp(mode, "limit") == 0)
    sc_listen_script(l, NULL, 0, 500);
  char url[96];
  sc_listen_url(l, "/smsconform/webhook", url, sizeof url);
  if (!set_webhook(c, url))
    goto out;
  registered = 1;
  char id[64];
  if (!ck_buy(c, CK_WHO_KEY1, id, sizeof id))
    goto out;
  static const char code[] = "70531";
  char text[64];
  snprintf(text, sizeof text, "Your code is %s", code); /* as ck_sms says */
  if (!ck_sms(c, id, code))
    goto out;
  if (sc_listen_wait(l, 1, HOOK_WAIT_MS) < 1) {
    /* webhooks are optional (001 "if you have enabled the Webhooks
     * functionality"): an endpoint that never sends one does not have
     * them; every other webhook check is UNSUPPORTED without waiting */
    if (!sc_profile_action_required(ck_env(c)->profile, "webhook")) {
      ck_not_implemented(c, "webhook");
      ck_unsupported(c, "no webhook came within %ld s of the SMS: the "
                        "endpoint sends none",
                     HOOK_WAIT_MS / 1000);
    } else {
      ck_fail(c, "a POST to the registered URL", "none",
              "no webhook came within %ld s of the SMS", HOOK_WAIT_MS / 1000);
    }
    goto out;
  }
  int window = ck_timing(ck_env(c), "webhook_retry_window_seconds");
  if (strcmp(mode, "payload") == 0) {
    judge_payload(c, l, 0, id, code, text);
  } else if (strcmp(mode, "retry") == 0) {
    /* 001: "If your script does not respond, we will send a request within
     * 2 hours": the document gives no schedule, so the clock moves through
     * the whole window and any retry in it is due. */
    if (!ck_advance(c, window))
      goto out;
    if (sc_listen_wait(l, 2, HOOK_WAIT_MS) < 2) {
      ck_fail(c, "a second POST after the first was answered HTTP 500", "none",
              "the webhook was not sent again within the %d s retry window",
              window);
      goto out;
    }
    if (!judge_payload(c, l, 1, id, code, text))
      goto out;
    /* answered 200: "we will wait for a response ... with HTTP status 200";
     * once it came, the SMS is delivered */
    if (!ck_advance(c, window))
      goto out;
    hook_count_later(c, l, 1, 0);
    l = NULL;
  } else {
    /* 001: "... but no more than 8 times"; the clock moves through the
     * window twice, so that every attempt is due */
    int max;
    if (!ck_timing_known(ck_env(c), "webhook_max_attempts", &max))
      max = ck_timing(ck_env(c), "webhook_retry_max");
    if (!ck_advance(c, window) || !ck_advance(c, window))
      goto out;
    hook_count_later(c, l, 0, max);
    l = NULL;
  }
  if (!ck_done(c))
    ck_ok(c);
out:
  if (registered && !ck_done(c))
    set_webhook(c, NULL);
  sc_listen_destroy(l);
}

/* ---- building the plan ----------------------------------------------------
 */

static int is_mine(const struct sc_view *v, const char *action) {
  return ck_in_family(v, "rent") || ck_in_family(v, "email") ||
         ck_in_family(v, "partner") ||
         strcmp(action, "getActualWalletAddress") == 0;
}

static void def_init(struct ck_def *d, enum sc_cat cat, ck_fn fn,
                     unsigned needs, const char *action) {
  memset(d, 0, sizeof *d);
  d->cat = cat;
  d->fn = fn;
  d->needs = needs;
  snprintf(d->action, sizeof d->action, "%s", action ? action : "");
}

static void plan_format(struct ck_builder *b, const char *action,
                        const struct sc_view *v) {
  const struct ck_env *env = b->env;
  struct ck_def d;
  unsigned spend = CK_SPEND;
  static const char *const bal[] = {"getBalance", NULL};
  if (ck_in_family(v, "rent")) {
    static const char *const need[] = {"getRentNumber", "getBalance",
                                       "setRentStatus", NULL};
    if (strcmp(action, "getRentServicesAndCountries") == 0)
      def_init(&d, SC_CAT_FORMAT, chk_format_plain, CK_SMOKE, action);
    else if (offers_all(env, need))
      def_init(&d, SC_CAT_FORMAT, chk_format_rent,
               spend | (strcmp(action, "getRentStatus") == 0 ? CK_CONTROL : 0),
               action);
    else
      return;
  } else if (ck_in_family(v, "email")) {
    static const char *const need[] = {"getDomains", "buyMailActivation",
                                       "getBalance", NULL};
    if (strcmp(action, "getDomains") == 0)
      def_init(&d, SC_CAT_FORMAT, chk_format_plain, CK_SMOKE, action);
    else if (offers_all(env, need))
      def_init(&d, SC_CAT_FORMAT, chk_format_mail,
               spend | (strcmp(action, "cancelMailActivation") == 0
                            ? CK_CONTROL | CK_ALONE /* the clock */
                            : 0),
               action);
    else
      return;
  } else if (ck_in_family(v, "partner")) {
    if (!offers_all(env, bal))
      return;
    /* it buys nothing: it only says why it cannot */
    def_init(&d, SC_CAT_FORMAT, chk_format_partner, 0, action);
  } else {
    def_init(&d, SC_CAT_FORMAT, chk_format_plain, CK_SMOKE, action);
  }
  snprintf(d.id, sizeof d.id, "format.%s", action);
  snprintf(d.tags, sizeof d.tags, "format %s", action);
  snprintf(d.requirement, sizeof d.requirement,
           "%s answers a success in the form the document gives", action);
  cite_specific(env, ck_jget(v->action->json, "sources"), &d);
  ck_add(b, &d);
}

static int listed_for(const struct provoker *pv, const char *action) {
  if (!pv->actions[0])
    return 1;
  for (size_t i = 0;
       i < sizeof pv->actions / sizeof *pv->actions && pv->actions[i]; i++)
    if (strcmp(pv->actions[i], action) == 0)
      return 1;
  return 0;
}

static void plan_errors(struct ck_builder *b, const char *action,
                        const struct sc_view *v) {
  const struct ck_env *env = b->env;
  int spends = cJSON_IsTrue(ck_jget(v->action->json, "spends"));
  for (size_t i = 0; i < sizeof provokers / sizeof *provokers; i++) {
    const struct provoker *pv = &provokers[i];
    const char *allowed[4];
    if (!listed_for(pv, action) || !ck_allowed_tokens(v, pv->tokens, 3, allowed))
      continue;
    static const char *const rent_steps[] = {"getRentNumber", "getBalance",
                                             NULL};
    static const char *const mail_steps[] = {"getDomains", "buyMailActivation",
                                             "getBalance", NULL};
    int rent = rent_first(pv, action), mail = mail_first(pv, action);
    if ((rent && !offers_all(env, rent_steps)) ||
        (mail && !offers_all(env, mail_steps)))
      continue;
    if (pv->rv == RV_NO_BALANCE && !offers(env, "getBalance"))
      continue;
    if (pv->rv == RV_EARLY_CANCEL &&
        ck_timing(env, "early_cancel_seconds") <= 0)
      continue;
    struct ck_def d;
    def_init(&d, SC_CAT_ERROR, chk_error, pv->needs, action);
    d.iarg = (int)i;
    /* the smoke tier's key errors are those of the actions a dialect
     * requires (sc_checks.c) */
    if (pv->rv == RV_BAD_KEY &&
        sc_profile_action_required(env->profile, action))
      d.needs |= CK_SMOKE;
    if (spends || rent || mail)
      d.needs |= CK_SPEND; /* a wrong answer may buy */
    /* the id names the reference token; the requirement and its source
     * the token that plays its part in the profile */
    const char *own = ck_token(env, allowed[0]);
    snprintf(d.id, sizeof d.id, "error.%s.%s", action, allowed[0]);
    snprintf(d.tags, sizeof d.tags, "error %s %s", action, pv->slug);
    snprintf(d.requirement, sizeof d.requirement, "%s answers %s when %s",
             action, own, pv->cond);
    cite_token(env, own, v, &d);
    ck_add(b, &d);
  }
}

static void plan_rent_lifecycle(struct ck_builder *b) {
  const struct ck_env *env = b->env;
  static const char *const need[] = {"getRentNumber", "getRentStatus",
                                     "setRentStatus", "getBalance", NULL};
  if (!offers_all(env, need))
    return;
  const cJSON *rent = ck_jget(env->spec->lifecycle, "rent");
  const cJSON *t;
  cJSON_ArrayForEach(t, ck_jget(rent, "transitions")) {
    const char *from = ck_jstr(t, "from"), *status = ck_jstr(t, "status");
    const char *when = ck_jstr(t, "when");
    if (!from || !status || !ck_listed(reachable, from))
      continue;
    const cJSON *profs = ck_jget(t, "profiles");
    if (profs && !sc_json_array_has_string(profs, env->profile_name))
      continue;
    int early = when && strcmp(when, "before_early_cancel") == 0;
    int late = when && strcmp(when, "after_early_cancel") == 0;
    struct ck_def d;
    /* past the cancel window or the rent's end: the clock moves */
    unsigned clock = late || strcmp(from, "EXPIRED") == 0 ? CK_ALONE : 0;
    def_init(&d, SC_CAT_LIFECYCLE, chk_rent_transition,
             CK_CONTROL | CK_SPEND | clock, "setRentStatus");
    d.json = t;
    snprintf(d.id, sizeof d.id, "lifecycle.setRentStatus.%s.%s%s", from, status,
             early  ? ".early"
             : late ? ".late"
                    : "");
    snprintf(d.tags, sizeof d.tags, "lifecycle rent setRentStatus %s", from);
    snprintf(d.requirement, sizeof d.requirement,
             "setRentStatus %s in rent state %s%s answers as the lifecycle "
             "table says, then getRentStatus and the balance agree",
             status, from,
             early  ? " inside the cancel window"
             : late ? " after the cancel window"
                    : "");
    ck_cite(env, ck_jget(t, "sources"), &d);
    ck_add(b, &d);
  }
  if (!offers(env, "continueRentNumber"))
    return;
  cJSON_ArrayForEach(t, ck_jget(rent, "events")) {
    const char *from = ck_jstr(t, "from"), *ev = ck_jstr(t, "event");
    if (!from || !ev || strcmp(ev, "extend") != 0 ||
        !ck_listed(reachable, from))
      continue;
    struct ck_def d;
    def_init(&d, SC_CAT_LIFECYCLE, chk_rent_extend,
             CK_CONTROL | CK_SPEND |
                 (strcmp(from, "EXPIRED") == 0 ? CK_ALONE : 0), /* the clock */
             "continueRentNumber");
    d.json = t;
    snprintf(d.id, sizeof d.id, "lifecycle.continueRentNumber.%s", from);
    snprintf(d.tags, sizeof d.tags, "lifecycle rent continueRentNumber %s",
             from);
    snprintf(d.requirement, sizeof d.requirement,
             "continueRentNumber in rent state %s answers as the lifecycle "
             "table says, and the balance pays for an extension only",
             from);
    ck_cite(env, ck_jget(t, "sources"), &d);
    ck_add(b, &d);
  }
}

/* Checks written once, each with the actions it needs and what it cites:
 * the spec's action (|action|), a token (|token|) or a timing entry
 * (|timing|). */
static const struct fixed {
  const char *id;
  enum sc_cat cat;
  ck_fn fn;
  unsigned needs;
  const char *action; /* the check's action */
  const char *needs_actions[5];
  const char *token;  /* cite this token ... */
  const char *timing; /* ... or this timing entry, else the action */
  const char *req;
} fixed[] = {
    {"lifecycle.rent.sms-listed",
     SC_CAT_LIFECYCLE,
     chk_rent_sms_listed,
     CK_CONTROL | CK_SPEND,
     "getRentStatus",
     {"getRentNumber", "getBalance"},
     NULL,
     NULL,
     "getRentStatus lists every SMS that arrived on a rented number, newest "
     "first, with its text and sender"},
    {"lifecycle.rent.cancel-window",
     SC_CAT_LIFECYCLE,
     chk_rent_cancel_window,
     CK_CONTROL | CK_ALONE | CK_SPEND, /* the clock */
     "setRentStatus",
     {"getRentNumber", "getRentStatus", "getBalance"},
     NULL,
     "rent_cancel_window_seconds",
     "a rent cannot be cancelled after the cancel window: CANT_CANCEL, no "
     "refund, and the rent runs on"},
    {"lifecycle.rent.continue-extends",
     SC_CAT_LIFECYCLE,
     chk_rent_continue_extends,
     CK_SPEND,
     "continueRentNumber",
     {"getRentNumber", "setRentStatus", "getBalance"},
     NULL,
     NULL,
     "continueRentNumber moves endDate later by rent_time hours and keeps "
     "the rent id"},
    {"lifecycle.getRentList.lists",
     SC_CAT_LIFECYCLE,
     chk_rent_list,
     CK_SPEND,
     "getRentList",
     {"getRentNumber", "setRentStatus", "getBalance"},
     NULL,
     NULL,
     "getRentList lists a current rent with its id and number"},
    {"lifecycle.getMailHistory.lists",
     SC_CAT_LIFECYCLE,
     chk_mail_history,
     CK_SPEND,
     "getMailHistory",
     {"getDomains", "buyMailActivation", "getBalance"},
     NULL,
     NULL,
     "getMailHistory lists a mailbox just bought"},
    {"lifecycle.reorderMailActivation.same-mailbox",
     SC_CAT_LIFECYCLE,
     chk_mail_reorder,
     CK_SPEND,
     "reorderMailActivation",
     {"getDomains", "buyMailActivation", "getBalance"},
     NULL,
     NULL,
     "reorderMailActivation buys the same mailbox again"},
    {"money.rent.charge-equals-price",
     SC_CAT_MONEY,
     chk_rent_charge,
     CK_SPEND,
     "getRentNumber",
     {"getRentServicesAndCountries", "setRentStatus", "getBalance"},
     NULL,
     NULL,
     "a rent takes exactly the cost getRentServicesAndCountries lists for "
     "its service and time"},
    {"money.rent.cancel-refunds",
     SC_CAT_MONEY,
     chk_rent_refund,
     CK_SPEND,
     "setRentStatus",
     {"getRentNumber", "getBalance"},
     "STATUS_CANCEL",
     NULL,
     "a rent cancelled inside the cancel window gets its price back, once"},
    {"money.rent.continue-charges",
     SC_CAT_MONEY,
     chk_rent_continue_charge,
     CK_SPEND,
     "continueRentNumber",
     {"getRentNumber", "getContinueRentPriceNumber", "setRentStatus",
      "getBalance"},
     NULL,
     NULL,
     "continueRentNumber takes exactly the price getContinueRentPriceNumber "
     "quoted for the same time"},
    {"money.mail.cancel-refunds",
     SC_CAT_MONEY,
     chk_mail_refund,
     CK_CONTROL | CK_ALONE | CK_SPEND,
     "cancelMailActivation",
     {"getDomains", "buyMailActivation", "getBalance"},
     NULL,
     NULL,
     "a mailbox cancelled after the first 2 minutes gets its price back"},
};

static void plan_fixed(struct ck_builder *b) {
  const struct ck_env *env = b->env;
  for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++) {
    const struct fixed *f = &fixed[i];
    struct sc_view v;
    if (!offers(env, f->action) || !offers_all(env, f->needs_actions) ||
        sc_spec_view(env->spec, f->action, env->profile_name, &v))
      continue;
    struct ck_def d;
    def_init(&d, f->cat, f->fn, f->needs, f->action);
    snprintf(d.id, sizeof d.id, "%s", f->id);
    snprintf(d.tags, sizeof d.tags, "%s %s", sc_cat_name(f->cat), f->action);
    snprintf(d.requirement, sizeof d.requirement, "%s", f->req);
    if (f->token)
      cite_token(env, ck_token(env, f->token), &v, &d);
    else if (f->timing)
      ck_cite(env, ck_jget(timing_entry(env, f->timing), "sources"), &d);
    else
      cite_specific(env, ck_jget(v.action->json, "sources"), &d);
    ck_add(b, &d);
  }
}

static void plan_isolation(struct ck_builder *b) {
  const struct ck_env *env = b->env;
  static const char *const need[] = {"getRentNumber", "getRentStatus",
                                     "setRentStatus", "getBalance", NULL};
  if (!offers_all(env, need))
    return;
  static const struct {
    const char *action, *status;
  } iso[] = {{"getRentStatus", ""},
             {"setRentStatus", "1"},
             {"setRentStatus", "2"},
             {"continueRentNumber", ""},
             {"getRentList", ""}};
  for (size_t i = 0; i < sizeof iso / sizeof *iso; i++) {
    if (!offers(env, iso[i].action))
      continue;
    struct ck_def d;
    def_init(&d, SC_CAT_ISOLATION, chk_rent_isolation,
             CK_KEY2 | CK_SPEND, iso[i].action);
    snprintf(d.arg, sizeof d.arg, "%s", iso[i].action);
    snprintf(d.arg2, sizeof d.arg2, "%s", iso[i].status);
    if (iso[i].status[0])
      snprintf(d.id, sizeof d.id, "isolation.%s.%s", iso[i].action,
               iso[i].status);
    else
      snprintf(d.id, sizeof d.id, "isolation.%s", iso[i].action);
    snprintf(d.tags, sizeof d.tags, "isolation rent");
    snprintf(d.requirement, sizeof d.requirement,
             "a second account can neither see, change nor extend the first "
             "account's rent (%s%s%s)",
             iso[i].action, iso[i].status[0] ? " " : "", iso[i].status);
    struct sc_view v;
    sc_spec_view(env->spec, iso[i].action, env->profile_name, &v);
    cite_token(env,
               ck_token(env, strcmp(iso[i].action, "getRentList") == 0
                                 ? "NO_NUMBERS"
                                 : "INVALID_PHONE"),
               &v, &d);
    ck_add(b, &d);
  }
}

static void plan_webhooks(struct ck_builder *b) {
  const struct ck_env *env = b->env;
  static const char *const need[] = {"webhook", "getNumber", "getBalance",
                                     NULL};
  struct sc_view v;
  if (!offers_all(env, need) ||
      sc_spec_view(env->spec, "webhook", env->profile_name, &v))
    return;
  int window = ck_timing(env, "webhook_retry_window_seconds");
  static const struct {
    const char *mode, *timing, *req;
  } hooks[] = {
      {"payload", NULL,
       "an SMS on an activation is POSTed to the account's webhook URL as the "
       "document's record, with the activation's id, service, country and "
       "the SMS's text and code"},
      {"retry", "webhook_retry_window_seconds",
       "a webhook the client does not answer with HTTP 200 is sent again "
       "within the retry window, and no more once a 200 came"},
      {"limit", "webhook_retry_max",
       "a webhook is sent no more than the document's number of times"},
  };
  for (size_t i = 0; i < sizeof hooks / sizeof *hooks; i++) {
    /* the retry rule is 001's (lifecycle.json's timing); 004 only asks the
     * client to answer 200 */
    if (hooks[i].timing && window <= 0)
      continue;
    struct ck_def d;
    def_init(&d, SC_CAT_WEBHOOK, chk_webhook,
             CK_CONTROL | CK_ALONE | CK_SPEND,
             "webhook");
    snprintf(d.arg, sizeof d.arg, "%s", hooks[i].mode);
    snprintf(d.id, sizeof d.id, "webhook.%s",
             strcmp(hooks[i].mode, "limit") == 0 ? "retry-limit"
                                                 : hooks[i].mode);
    snprintf(d.tags, sizeof d.tags, "webhook");
    snprintf(d.requirement, sizeof d.requirement, "%s", hooks[i].req);
    if (hooks[i].timing)
      ck_cite(env, ck_jget(timing_entry(env, hooks[i].timing), "sources"), &d);
    else
      ck_cite(env, ck_jget(v.action->json, "sources"), &d);
    /* the retry schedule: where a profile borrows it (004 gives none) */
    if (strcmp(hooks[i].mode, "payload") != 0) {
      ck_mark_borrowed(env, "webhook_retry_window_seconds", &d);
      ck_mark_borrowed(env, "webhook_retry_max", &d);
      ck_mark_borrowed(env, "webhook_max_attempts", &d);
    }
    ck_add(b, &d);
  }
}

void ck_plan_rent(struct ck_builder *b) {
  const struct ck_env *env = b->env;
  if (env->rest)
    return;
  const cJSON *a;
  cJSON_ArrayForEach(a, ck_jget(env->profile->json, "actions")) {
    struct sc_view v;
    if (!cJSON_IsString(a) ||
        sc_spec_view(env->spec, a->valuestring, env->profile_name, &v) ||
        !is_mine(&v, a->valuestring))
      continue;
    plan_format(b, a->valuestring, &v);
    plan_errors(b, a->valuestring, &v);
  }
  plan_rent_lifecycle(b);
  plan_fixed(b);
  plan_isolation(b);
  plan_webhooks(b);
}
