/* sc_checks_rest.c — the checks of the REST dialect: the whole plan when
 * the profile's dialect is rest (profile rest-v1, specs/actions/rest.json).
 *
 * Source: 002 = seeds/002_0dec256545badc39.txt (sms-activate.dev). 002
 * documents five endpoints and their success bodies, Bearer auth and a
 * rate limit with three X-RateLimit-* headers; it documents no error
 * answer at all (no body, no status). Where it is silent a check decides
 * and says so at the rule ("002 is silent: ..."); where more than one
 * answer is sensible each is accepted.
 *
 * Refusals are judged by their HTTP status, never by their body: the
 * parser has no form for REST error bodies. The steps (buying, reading the
 * balance, the owner's view of an activation) read what they need
 * leniently and leave the form to the format checks, so that a variant in
 * one answer is reported once, by the check that is about it. Nothing the
 * endpoint hands out (ids, prices, balances, expiry times) is assumed: it
 * is read from its answers. */
#include "sc_checks_int.h"

#include "sc_alloc.h"
#include "sc_buf.h"
#include "sc_escape.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BALANCE "v1.balance"
#define AVAILABLE "v1.numbers.available"
#define BUY "v1.numbers.buy"
#define GET "v1.activations.get"
#define DELETE "v1.activations.delete"

/* More requests than this to reach a rate limit are not made: a limit
 * above it is SKIP (002: bulk and reseller plans have higher limits). */
#define RATE_CAP 1000
/* 002 "Rate Limits": N requests per minute. */
#define RATE_WINDOW 60
/* An activation id no server gives out (002's ids look like act_9x2k1p). */
#define UNKNOWN_ID "act_0smsconform-none"
#define UNKNOWN_SERVICE "smsconform-no-such-service"

/* ---- requests ------------------------------------------------------------ */

/* --service / --country, or 002's own example: "GET
 * /api/v1/numbers/available?service=telegram&country=ru". */
static const char *svc(struct ck *c) {
  return ck_opts(c)->service ? ck_opts(c)->service : "telegram";
}

static const char *ctry(struct ck *c) {
  return ck_opts(c)->country ? ck_opts(c)->country : "ru";
}

/* Appends |s| percent-encoded (RFC 3986 unreserved bytes stay). */
static void pct(struct sc_buf *b, const char *s) {
  sc_escape_query(b, s, strlen(s));
}

/* The value a plain call gives parameter |p| (service, country), with
 * |service| instead of --service when not NULL; NULL when none is known. */
static const char *param_value(struct ck *c, const cJSON *p,
                               const char *service) {
  const char *type = ck_jstr(p, "type");
  if (type && strcmp(type, "service") == 0)
    return service ? service : svc(c);
  if (type && strcmp(type, "country") == 0)
    return ctry(c);
  return NULL;
}

/* Calls |action| as the spec describes it: its method and path (the
 * profile's override of either first), the :id segment replaced by |id|
 * (percent-encoded), query parameters in the query and body parameters as
 * a JSON object, each under the profile's name for it ("rename"), the key
 * of |who| as a Bearer token. |service| replaces --service (NULL = keep).
 * Returns 0 when an answer came; on a failure of the runner itself the
 * check has errored and |a| is empty. */
static int call(struct ck *c, struct ck_ans *a, enum ck_who who,
                const char *action, const char *id, const char *service,
                int no_retry) {
  memset(a, 0, sizeof *a);
  const struct sc_profile *prof = ck_env(c)->profile;
  const struct sc_action *act = sc_spec_action(ck_env(c)->spec, action);
  const cJSON *http = act ? ck_jget(act->json, "http") : NULL;
  const char *method = sc_profile_action_method(prof, action);
  const char *path = sc_profile_action_path(prof, action);
  if (!method)
    method = ck_jstr(http, "method");
  if (!path)
    path = ck_jstr(http, "path");
  if (!method || !path) {
    ck_error(c, "the spec gives no HTTP method and path for %s", action);
    return -1;
  }
  struct sc_buf u;
  sc_buf_init(&u, 1 << 16);
  const char *colon = strstr(path, "/:");
  if (colon) {
    const char *after = strchr(colon + 1, '/');
    sc_buf_add(&u, path, (size_t)(colon - path) + 1);
    pct(&u, id ? id : "");
    if (after)
      sc_buf_adds(&u, after);
  } else {
    sc_buf_adds(&u, path);
  }
  cJSON *body = NULL;
  int nq = 0, missing = 0;
  const cJSON *p;
  cJSON_ArrayForEach(p, ck_jget(act->json, "params")) {
    const char *in = ck_jstr(p, "in"), *name = ck_jstr(p, "name");
    if (!in || !name || strcmp(in, "header") == 0 || strcmp(in, "path") == 0)
      continue;
    const char *val = param_value(c, p, service);
    name = sc_profile_param_name(prof, action, name);
    if (!val) {
      missing |= cJSON_IsTrue(ck_jget(p, "required"));
      continue;
    }
    if (strcmp(in, "query") == 0) {
      sc_buf_addc(&u, nq++ ? '&' : '?');
      pct(&u, name);
      sc_buf_addc(&u, '=');
      pct(&u, val);
    } else if (strcmp(in, "body") == 0) {
      if (!body)
        body = cJSON_CreateObject();
      if (body && !cJSON_AddStringToObject(body, name, val))
        missing = 2;
      if (!body)
        missing = 2;
    }
  }
  sc_buf_add(&u, "", 0);
  char *url = sc_buf_take(&u, NULL);
  char *json = body ? cJSON_PrintUnformatted(body) : NULL;
  cJSON_Delete(body);
  int rc = -1;
  if (missing == 1)
    ck_error(c, "no value known for a required parameter of %s", action);
  else if (!url || missing || (body && !json))
    ck_error(c, "out of memory");
  else
    rc = ck_rest(c, a, who, method, action, url, json, no_retry);
  sc_free(url);
  cJSON_free(json);
  return rc;
}

/* ---- reading answers ------------------------------------------------------ */

static int is2xx(long status) {
  return status >= 200 && status < 300;
}

/* A short printable rendering of an answer for "actual": the status and
 * the body's first bytes, other than printable ASCII as \xNN. */
static void shown(const struct ck_ans *a, char *buf, size_t n) {
  if (!a->r.status) {
    snprintf(buf, n, "no answer: %.150s", a->r.errmsg[0] ? a->r.errmsg : "-");
    return;
  }
  size_t o = (size_t)snprintf(buf, n, "HTTP %ld ", a->r.status);
  size_t i = 0;
  for (; a->r.body && i < a->r.len && o + 8 < n; i++) {
    unsigned char ch = (unsigned char)a->r.body[i];
    if (ch >= 0x20 && ch < 0x7f && ch != '\\')
      buf[o++] = (char)ch;
    else
      o += (size_t)snprintf(buf + o, n - o, "\\x%02x", ch);
  }
  if (a->r.body && i < a->r.len)
    memcpy(buf + o, "...", 3), o += 3;
  buf[o] = '\0';
}

/* The answer's JSON object when it is a 2xx with one, else NULL. */
static const cJSON *obj(const struct ck_ans *a) {
  return is2xx(a->r.status) && cJSON_IsObject(a->res.json) ? a->res.json
                                                            : NULL;
}

/* |k| of |o| in cents: a JSON number, or a decimal string (a variant the
 * format checks report). 1 when it is one. */
static int cents_of(const cJSON *o, const char *k, long long *out) {
  const cJSON *v = ck_jget(o, k);
  double d;
  if (cJSON_IsNumber(v)) {
    d = v->valuedouble;
  } else if (cJSON_IsString(v) && v->valuestring[0]) {
    char *end;
    d = strtod(v->valuestring, &end);
    if (*end)
      return 0;
  } else {
    return 0;
  }
  if (!(d > -1e12 && d < 1e12))
    return 0;
  *out = (long long)(d * 100.0 + (d < 0 ? -0.5 : 0.5));
  return 1;
}

/* The JSON boolean |k| of |o|: 1 true, 0 false, -1 neither. */
static int bool_of(const cJSON *o, const char *k) {
  const cJSON *v = ck_jget(o, k);
  return cJSON_IsTrue(v) ? 1 : cJSON_IsFalse(v) ? 0 : -1;
}

/* Header |name| of the answer as an integer into |v|: 1 when present and
 * an integer, 0 when absent, -1 when present but not an integer. */
static int header_num(const struct ck_ans *a, const char *name,
                      long long *v) {
  char buf[64];
  if (!sc_http_header(&a->r, name, buf, sizeof buf))
    return 0;
  char *end;
  long long n = strtoll(buf, &end, 10);
  while (*end == ' ' || *end == '\t')
    end++;
  if (end == buf || *end)
    return -1;
  *v = n;
  return 1;
}

/* Seconds since the epoch of an RFC 3339 time ("2024-03-14T12:34:56Z",
 * fractions and numeric offsets allowed); -1 when |s| is not one. */
static long long rfc3339(const char *s) {
  int y, mo, d, h, mi, se, n = 0;
  if (!s || sscanf(s, "%4d-%2d-%2d%*1[Tt ]%2d:%2d:%2d%n", &y, &mo, &d, &h,
                   &mi, &se, &n) != 6 ||
      !n || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
      se > 60)
    return -1;
  const char *p = s + n;
  if (*p == '.')
    for (p++; *p >= '0' && *p <= '9'; p++)
      ;
  long long off = 0;
  if (*p == 'Z' || *p == 'z') {
    p++;
  } else if (*p == '+' || *p == '-') {
    int oh, om, k = 0;
    if (sscanf(p + 1, "%2d:%2d%n", &oh, &om, &k) != 2 || k != 5)
      return -1;
    off = (oh * 3600LL + om * 60LL) * (*p == '-' ? -1 : 1);
    p += 6;
  } else {
    return -1;
  }
  if (*p)
    return -1;
  /* days from 1970-01-01 (H. Hinnant's days_from_civil) */
  long long yy = y - (mo <= 2);
  long long era = (yy >= 0 ? yy : yy - 399) / 400;
  long long yoe = yy - era * 400;
  long long doy = (153 * (mo > 2 ? mo - 3 : mo + 9) + 2) / 5 + d - 1;
  long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  long long days = era * 146097 + doe - 719468;
  return days * 86400 + h * 3600LL + mi * 60LL + se - off;
}

/* ---- steps ----------------------------------------------------------------
 * Each states a finding when it fails, so a check can stop at the first
 * step that returns 0 (or -1 for the numeric ones). */

/* The money under |key| in |action|'s answer to |who|, in cents; -1 when
 * it cannot be read (the finding then shows |shape|, the form expected). */
static long long read_cents(struct ck *c, enum ck_who who, const char *action,
                            const char *key, const char *shape) {
  struct ck_ans a;
  long long cents = -1;
  call(c, &a, who, action, NULL, NULL, 0);
  if (!ck_done(c) && !cents_of(obj(&a), key, &cents)) {
    char act[200];
    shown(&a, act, sizeof act);
    ck_fail(c, shape, act, "%s: no %s in the answer", action, key);
    cents = -1;
  }
  ck_ans_free(&a);
  return cents;
}

/* The balance of |who| in cents; -1 when it cannot be read. */
static long long balance(struct ck *c, enum ck_who who) {
  ck_hold_money(c);
  return read_cents(c, who, BALANCE, "balance",
                    "{\"balance\": <number>, \"currency\": ...}");
}

/* The price v1.numbers.available lists for --service/--country, in
 * cents; -1 when it cannot be read. */
static long long listed_price(struct ck *c) {
  return read_cents(c, CK_WHO_KEY1, AVAILABLE, "price",
                    "{..., \"price\": <number>, \"available\": ...}");
}

struct bought {
  char id[128];
  char expires[64]; /* expires_at as sent, or "" */
  long long price;  /* cents, as v1.numbers.available listed it */
};

/* Books a purchase answered by |a| (a 2xx with an id) in the spend
 * ledger; the id into |b| when given. 1 when one was booked. */
static int book(struct ck *c, const struct ck_ans *a, long long price,
                struct bought *b) {
  const char *id = ck_jstr(obj(a), "id");
  if (!id || !*id)
    return 0;
  char what[160];
  snprintf(what, sizeof what, "%s %s/%s", BUY, svc(c), ctry(c));
  ck_spent(c, BUY, what, id, price > 0 ? (double)price / 100.0 : 0.0);
  if (b) {
    snprintf(b->id, sizeof b->id, "%s", id);
    const char *exp = ck_jstr(obj(a), "expires_at");
    snprintf(b->expires, sizeof b->expires, "%s", exp ? exp : "");
  }
  return 1;
}

/* Buys a number for --service/--country with the key of |who|, at the
 * price v1.numbers.available lists, booked in the spend ledger (clean-up
 * DELETEs what is not marked refunded). With |judge| the answer's form is
 * judged (the format check), else only an id is required. 1 on success. */
static int buy(struct ck *c, enum ck_who who, struct bought *b, int judge) {
  memset(b, 0, sizeof *b);
  b->price = listed_price(c);
  if (b->price < 0)
    return 0;
  struct ck_ans a;
  call(c, &a, who, BUY, NULL, NULL, 0);
  if (ck_done(c)) {
    ck_ans_free(&a);
    return 0;
  }
  int ok = judge || !is2xx(a.r.status) ? ck_expect(c, &a, NULL, "v1.numbers.buy")
                                       : 1;
  int booked = book(c, &a, b->price, b);
  if (ok && !booked) {
    char act[200];
    shown(&a, act, sizeof act);
    ck_fail(c, "{\"id\": \"act_...\", \"number\": ..., ...}", act,
            "v1.numbers.buy: no activation id in the answer");
  }
  if (ok && booked && strlen(ck_jstr(obj(&a), "id")) >= sizeof b->id) {
    ck_error(c, "an activation id of %zu bytes is longer than the runner "
                "keeps", strlen(ck_jstr(obj(&a), "id")));
    ok = 0;
  }
  ck_ans_free(&a);
  return ok && booked;
}

/* A DELETE that answered refunded true settles the ledger entry. */
static void settle(struct ck *c, const struct ck_ans *a, const char *id) {
  if (bool_of(obj(a), "refunded") == 1)
    ck_refunded(c, id);
}

/* The owner's (first account's) view of activation |id|: its status into
 * |st|, "" when the activation is gone (404). 1 when that came. */
static int owner_status(struct ck *c, const char *id, char *st, size_t n,
                        const char *what) {
  struct ck_ans a;
  int ok = 0;
  st[0] = '\0';
  call(c, &a, CK_WHO_KEY1, GET, id, NULL, 0);
  const char *s = ck_jstr(obj(&a), "status");
  if (ck_done(c)) {
    /* the runner failed: already stated */
  } else if (s) {
    snprintf(st, n, "%s", s);
    ok = 1;
  } else if (a.r.status == 404) {
    ok = 1;
  } else {
    char act[200];
    shown(&a, act, sizeof act);
    ck_fail(c, "{\"id\": ..., \"status\": ...}", act,
            "%s: the owner's v1.activations.get has no status", what);
  }
  ck_ans_free(&a);
  return ok;
}

/* 002 documents no waiting time before a DELETE (profile rest-v1:
 * early_cancel_seconds 0); a profile that sets one has the clock moved
 * past it. */
static int past_early_cancel(struct ck *c) {
  int early = ck_timing(ck_env(c), "early_cancel_seconds");
  return early <= 0 || ck_advance(c, early + 1);
}

/* ---- judging refusals ------------------------------------------------------ */

/* A request without a valid key is refused. 002 "Authentication": the key
 * goes "on every request"; it is silent on the refusal. 401 is what the
 * spec records (http_errors) and RFC 6750 3.1 names for a missing or
 * invalid token; 403 is a refusal too and is a WARN. Anything served is a
 * FAIL. Returns 1 when refused. */
static int expect_unauthorized(struct ck *c, const struct ck_ans *a,
                               const char *what) {
  if (ck_done(c))
    return 0;
  char act[200];
  shown(a, act, sizeof act);
  if (a->r.status == 401) {
    ck_ok(c);
    return 1;
  }
  if (a->r.status == 403) {
    ck_warn(c, "%s: HTTP 403; a missing or invalid Bearer token is 401 "
               "(RFC 6750 3.1)", what);
    return 1;
  }
  if (is2xx(a->r.status))
    ck_fail(c, "HTTP 401", act, "%s: served without a valid key", what);
  else if (!a->r.status)
    ck_fail(c, "HTTP 401", act, "%s: no answer", what);
  else
    ck_fail(c, "HTTP 401", act, "%s: HTTP %ld, not a refusal of the key",
            what, a->r.status);
  return 0;
}

/* A request about something that does not exist for the caller is
 * refused with a client error. 002 is silent on which: any 4xx is
 * accepted (404 is the usual) but 401, which would say the valid key was
 * not recognised, unless |allow_401| (another account's activation: 401,
 * 403 and 404 are all refusals), and 429, which judges nothing. Returns 1
 * when refused. */
static int expect_refused(struct ck *c, const struct ck_ans *a,
                          const char *what, int allow_401) {
  if (ck_done(c))
    return 0;
  char act[200];
  shown(a, act, sizeof act);
  long st = a->r.status;
  if (st == 429) {
    ck_error(c, "%s: rate-limited (429), nothing to judge", what);
    return 0;
  }
  if (st >= 400 && st < 500 && (st != 401 || allow_401)) {
    ck_ok(c);
    return 1;
  }
  const char *want = allow_401 ? "HTTP 404, 403 or 401" : "HTTP 4xx (404)";
  if (is2xx(st))
    ck_fail(c, want, act, "%s: served", what);
  else if (!st)
    ck_fail(c, want, act, "%s: no answer", what);
  else
    ck_fail(c, want, act, "%s: HTTP %ld", what, st);
  return 0;
}

/* The first account's balance is |want| cents. */
static void expect_balance(struct ck *c, long long want, const char *what) {
  long long got = balance(c, CK_WHO_KEY1);
  if (got < 0 || ck_done(c))
    return;
  if (got != want) {
    char e[48], g[48];
    ck_money_text(want, e, sizeof e);
    ck_money_text(got, g, sizeof g);
    ck_fail(c, e, g, "%s: the balance is %s, expected %s", what, g, e);
  } else {
    ck_ok(c);
  }
}

/* ---- format ----------------------------------------------------------------
 */

/* The action's success answer in the form 002 gives. An activation's GET
 * and DELETE are about a number bought for it; the GET comes before any
 * SMS, in the state 002 names no status for (its enum is open: WARN). */
static void chk_format(struct ck *c) {
  const char *action = ck_def(c)->action;
  struct bought b;
  struct ck_ans a;
  if (strcmp(action, BUY) == 0) {
    buy(c, CK_WHO_KEY1, &b, 1);
    return;
  }
  int about_act = strcmp(action, GET) == 0 || strcmp(action, DELETE) == 0;
  if (about_act &&
      (!buy(c, CK_WHO_KEY1, &b, 0) ||
       (strcmp(action, DELETE) == 0 && !past_early_cancel(c))))
    return;
  if (call(c, &a, CK_WHO_KEY1, action, about_act ? b.id : NULL, NULL, 0) &&
      ck_done(c))
    return;
  ck_expect(c, &a, NULL, action);
  if (strcmp(action, DELETE) == 0)
    settle(c, &a, b.id);
  ck_ans_free(&a);
}

/* ---- rest: auth ------------------------------------------------------------ */

/* |action| without a key (iarg CK_WHO_NOKEY) or with a wrong one
 * (CK_WHO_BADKEY) is refused and serves nothing of the first account: an
 * activation's GET and DELETE are tried on a real activation of the first
 * account, a purchase must take none of its money. */
static void chk_auth(struct ck *c) {
  const char *action = ck_def(c)->action;
  enum ck_who who = (enum ck_who)ck_def(c)->iarg;
  char what[160];
  snprintf(what, sizeof what, "%s %s", action,
           who == CK_WHO_NOKEY ? "without an Authorization header"
                               : "with a wrong Bearer token");
  int is_buy = strcmp(action, BUY) == 0;
  int is_del = strcmp(action, DELETE) == 0;
  int about_act = is_del || strcmp(action, GET) == 0;
  struct bought b = {0};
  long long before = -1;
  if (about_act && !buy(c, CK_WHO_KEY1, &b, 0))
    return;
  if (is_buy && (before = balance(c, CK_WHO_KEY1)) < 0)
    return;
  struct ck_ans a;
  if (call(c, &a, who, action, about_act ? b.id : NULL, NULL, 0) &&
      ck_done(c))
    return;
  expect_unauthorized(c, &a, what);
  if (is_buy)
    book(c, &a, -1, NULL); /* served: whose money it took is below */
  ck_ans_free(&a);
  if (is_buy) {
    snprintf(what, sizeof what, "the first account's balance after %s %s",
             action, who == CK_WHO_NOKEY ? "without a key" : "with a wrong "
                                                             "key");
    expect_balance(c, before, what);
  } else if (is_del && !ck_done(c)) {
    char st[64];
    if (owner_status(c, b.id, st, sizeof st, "the owner's view") &&
        (!st[0] || strcmp(st, "cancelled") == 0))
      ck_fail(c, "the activation as it was", st[0] ? st : "gone",
              "%s cancelled the first account's activation", what);
  }
}

/* ---- error: what does not exist -------------------------------------------- */

/* iarg 0: an activation id the server never gave out (GET, DELETE);
 * iarg 1: a service that does not exist (available, buy). An endpoint
 * that refuses everything proves nothing: the key must be served first
 * (v1.balance), and for a service the one the run uses. */
static void chk_unknown(struct ck *c) {
  const char *action = ck_def(c)->action;
  char what[160];
  struct ck_ans a;
  long long before = balance(c, CK_WHO_KEY1);
  if (before < 0 || (ck_def(c)->iarg == 1 && listed_price(c) < 0))
    return;
  if (ck_def(c)->iarg == 0) {
    snprintf(what, sizeof what, "%s of an id never given out", action);
    call(c, &a, CK_WHO_KEY1, action, UNKNOWN_ID, NULL, 0);
    expect_refused(c, &a, what, 0);
    ck_ans_free(&a);
    return;
  }
  snprintf(what, sizeof what, "%s for a service that does not exist", action);
  if (strcmp(action, AVAILABLE) == 0) {
    if (call(c, &a, CK_WHO_KEY1, action, NULL, UNKNOWN_SERVICE, 0) &&
        ck_done(c))
      return;
    long long n = 0;
    const cJSON *av = ck_jget(obj(&a), "available");
    if (!is2xx(a.r.status)) {
      expect_refused(c, &a, what, 0);
    } else if (ck_expect(c, &a, NULL, what)) {
      /* 002 is silent: "available": 0 is an answer about a service too */
      if (cJSON_IsNumber(av))
        n = (long long)av->valuedouble;
      if (n > 0) {
        char act[200];
        shown(&a, act, sizeof act);
        ck_fail(c, "a 4xx, or \"available\": 0", act,
                "%s lists %lld numbers", what, n);
      }
    }
    ck_ans_free(&a);
    return;
  }
  /* v1.numbers.buy: nothing sold, nothing taken */
  if (call(c, &a, CK_WHO_KEY1, action, NULL, UNKNOWN_SERVICE, 0) &&
      ck_done(c))
    return;
  book(c, &a, -1, NULL);
  expect_refused(c, &a, what, 0);
  ck_ans_free(&a);
  expect_balance(c, before, "the balance after a purchase of nothing");
}

/* ---- rest: rate limit ------------------------------------------------------ */

/* The three header names (the profile's rate_limit.headers, else 002's):
 * [0] the limit, [1] what remains, [2] when the window ends. */
static void rate_names(const struct ck_env *env, const char *names[3]) {
  static const char *const dflt[3] = {
      "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"};
  static const char *const suffix[3] = {"Limit", "Remaining", "Reset"};
  for (int i = 0; i < 3; i++)
    names[i] = dflt[i];
  const cJSON *h;
  cJSON_ArrayForEach(
      h, ck_jget(ck_jget(env->profile->json, "rate_limit"), "headers")) {
    if (!cJSON_IsString(h))
      continue;
    size_t n = strlen(h->valuestring);
    for (int i = 0; i < 3; i++) {
      size_t k = strlen(suffix[i]);
      if (n > k && strcmp(h->valuestring + n - k, suffix[i]) == 0)
        names[i] = h->valuestring;
    }
  }
}

/* The profile's documented requests per minute (002: 300), or 0. */
static long long per_minute(const struct ck_env *env) {
  const cJSON *v =
      ck_jget(ck_jget(env->profile->json, "rate_limit"), "per_minute");
  return cJSON_IsNumber(v) && v->valuedouble > 0 ? (long long)v->valuedouble
                                                 : 0;
}

/* Reads the three headers of |a| into |v|; FAIL naming the first one
 * missing or malformed. 1 when all three are there. */
static int rate_headers(struct ck *c, const struct ck_ans *a,
                        const char *what, long long v[3]) {
  const char *names[3];
  rate_names(ck_env(c), names);
  for (int i = 0; i < 3; i++) {
    int r = header_num(a, names[i], &v[i]);
    if (r == 1)
      continue;
    char want[160], got[160];
    snprintf(want, sizeof want, "%s, %s and %s on every answer", names[0],
             names[1], names[2]);
    snprintf(got, sizeof got, r ? "%s is not an integer" : "no %s header",
             names[i]);
    ck_fail(c, want, got, "%s: %s", what, got);
    return 0;
  }
  return 1;
}

/* 002 "Rate Limits": every answer carries the three headers, and
 * X-RateLimit-Remaining goes down with each request. Consecutive requests
 * (v1.balance and v1.numbers.available in turn) are compared while
 * X-RateLimit-Reset stays the same; a pair that straddles a new window
 * proves nothing either way. */
static void chk_rate_headers(struct ck *c) {
  enum { N = 4 };
  long long v[N][3];
  long long per = per_minute(ck_env(c));
  const char *names[3];
  rate_names(ck_env(c), names);
  for (int i = 0; i < N; i++) {
    const char *action = i % 2 ? AVAILABLE : BALANCE;
    struct ck_ans a;
    if (call(c, &a, CK_WHO_KEY1, action, NULL, NULL, 0) && ck_done(c))
      return;
    char what[96];
    snprintf(what, sizeof what, "%s (request %d)", action, i + 1);
    if (!is2xx(a.r.status)) {
      char act[200];
      shown(&a, act, sizeof act);
      ck_fail(c, "HTTP 200", act, "%s: HTTP %ld", what, a.r.status);
    } else {
      rate_headers(c, &a, what, v[i]);
    }
    ck_ans_free(&a);
    if (ck_done(c))
      return;
  }
  int pairs = 0;
  for (int i = 0; i < N; i++) {
    char want[96], got[96];
    if (v[i][1] < 0 || v[i][1] > v[i][0]) {
      snprintf(want, sizeof want, "0 <= %s <= %lld", names[1], v[i][0]);
      snprintf(got, sizeof got, "%s: %lld", names[1], v[i][1]);
      ck_fail(c, want, got, "request %d: %s is %lld with %s %lld", i + 1,
              names[1], v[i][1], names[0], v[i][0]);
      return;
    }
    if (i == 0 || v[i][2] != v[i - 1][2])
      continue;
    pairs++;
    if (v[i][1] >= v[i - 1][1]) {
      snprintf(want, sizeof want, "%s below %lld", names[1], v[i - 1][1]);
      snprintf(got, sizeof got, "%s: %lld", names[1], v[i][1]);
      ck_fail(c, want, got,
              "%s did not go down from request %d to %d (%lld, then %lld)",
              names[1], i, i + 1, v[i - 1][1], v[i][1]);
      return;
    }
    if (v[i][0] != v[i - 1][0])
      ck_warn(c, "%s changed within one window (%lld, then %lld)", names[0],
              v[i - 1][0], v[i][0]);
  }
  if (!pairs) {
    ck_error(c, "a new rate-limit window began between every two requests");
    return;
  }
  /* 002's example X-RateLimit-Reset: 1710416096, a Unix time */
  if (v[0][2] < 1000000000LL)
    ck_warn(c, "%s is %lld, not a Unix time as in 002's example", names[2],
            v[0][2]);
  if (per && v[0][0] < per)
    ck_warn(c, "%s is %lld, below the %lld requests a minute 002 promises",
            names[0], v[0][0], per);
  ck_ok(c);
}

/* 002 "Rate Limits": past N requests a minute the endpoint refuses. 002
 * names no answer for it: 429 Too Many Requests (RFC 6585 4), as the
 * spec's http_errors record. The limit is read from X-RateLimit-Limit (the
 * profile's per_minute when the header is missing: its own check reports
 * that), requests go out one after another with no retry until a 429, and
 * one served after an answer said X-RateLimit-Remaining 0 in the same
 * window fails. Afterwards the simulated clock moves a minute on, so the
 * checks that follow start in a fresh window. */
static void chk_rate_429(struct ck *c) {
  const char *names[3];
  rate_names(ck_env(c), names);
  struct ck_ans a;
  if (call(c, &a, CK_WHO_KEY1, BALANCE, NULL, NULL, 1) && ck_done(c))
    return;
  if (a.r.status == 429) { /* an earlier check used the window up */
    ck_ans_free(&a);
    if (!ck_advance(c, RATE_WINDOW) ||
        (call(c, &a, CK_WHO_KEY1, BALANCE, NULL, NULL, 1) && ck_done(c)))
      return;
  }
  if (!is2xx(a.r.status)) {
    char act[200];
    shown(&a, act, sizeof act);
    ck_fail(c, "HTTP 200", act, "v1.balance before counting: HTTP %ld",
            a.r.status);
    ck_ans_free(&a);
    return;
  }
  long long limit = 0, rem = -1, reset = -1;
  int hdr = header_num(&a, names[0], &limit) == 1 && limit > 0;
  if (!hdr)
    limit = per_minute(ck_env(c));
  if (header_num(&a, names[1], &rem) != 1)
    rem = -1;
  if (header_num(&a, names[2], &reset) != 1)
    reset = -1;
  ck_ans_free(&a);
  if (limit <= 0) {
    ck_error(c, "no %s header and no per_minute in the profile", names[0]);
    return;
  }
  if (limit > RATE_CAP) {
    ck_skip(c, "%s is %lld: reaching it takes more than the %d requests "
               "this check makes", names[0], limit, RATE_CAP);
    return;
  }
  long long served = 1, last_rem = rem, n = 0;
  int got429 = 0;
  while (!ck_done(c) && n++ < limit + 5) {
    if (call(c, &a, CK_WHO_KEY1, BALANCE, NULL, NULL, 1) && ck_done(c))
      break;
    char act[200];
    shown(&a, act, sizeof act);
    if (a.r.status == 429) {
      got429 = 1;
      ck_ans_free(&a);
      break;
    }
    if (!is2xx(a.r.status)) {
      ck_fail(c, "HTTP 200 within the limit, then 429", act,
              "request %lld: HTTP %ld while counting to the limit", served + 1,
              a.r.status);
      ck_ans_free(&a);
      break;
    }
    long long r = -1, rs = -1;
    if (header_num(&a, names[1], &r) != 1)
      r = -1;
    if (header_num(&a, names[2], &rs) != 1)
      rs = -1;
    ck_ans_free(&a);
    if (rs >= 0 && reset >= 0 && rs != reset) {
      served = 1; /* a new window: count again */
    } else if (last_rem == 0) {
      char want[96];
      snprintf(want, sizeof want, "HTTP 429 after %s: 0", names[1]);
      ck_fail(c, want, act,
              "a request past the limit of %lld was served: the answer "
              "before said %s 0",
              limit, names[1]);
      break;
    } else if (++served > limit && last_rem < 0) {
      ck_fail(c, "HTTP 429", act,
              "%lld requests in one window were served; the limit is %lld",
              served, limit);
      break;
    }
    reset = rs;
    last_rem = r;
  }
  if (!ck_done(c)) {
    if (!got429) {
      ck_fail(c, "HTTP 429", "no 429",
              "%lld requests, none refused; the limit is %lld", n, limit);
    } else {
      if (last_rem > 0)
        ck_warn(c, "429 while the answer before said %s %lld", names[1],
                last_rem);
      ck_ok(c);
    }
  }
  ck_advance(c, RATE_WINDOW);
}

/* ---- money ----------------------------------------------------------------
 */

/* 002 POST buy: "Credits are held on purchase" — exactly the price
 * v1.numbers.available lists for that service and country. */
static void chk_charge(struct ck *c) {
  long long before = balance(c, CK_WHO_KEY1);
  struct bought b;
  if (before < 0 || !buy(c, CK_WHO_KEY1, &b, 0))
    return;
  long long after = balance(c, CK_WHO_KEY1);
  if (after < 0)
    return;
  if (before - after != b.price) {
    char e[64], g[64], p[32], t[32];
    ck_money_text(b.price, p, sizeof p);
    ck_money_text(before - after, t, sizeof t);
    snprintf(e, sizeof e, "%s taken (the listed price)", p);
    snprintf(g, sizeof g, "%s taken", t);
    ck_fail(c, e, g, "a purchase listed at %s took %s from the balance", p, t);
  } else {
    ck_ok(c);
  }
}

/* 002 is silent on a purchase the balance does not cover; "Credits are
 * held on purchase" cannot hold what is not there: it is refused (any 4xx;
 * 402 is the natural one) and the balance stays at 0. */
static void chk_never_negative(struct ck *c) {
  long long price = listed_price(c);
  if (price < 0 || !ck_set_balance(c, 0))
    return;
  if (price == 0) {
    ck_skip(c, "v1.numbers.available lists a price of 0: any balance "
               "covers it");
    return;
  }
  long long start = balance(c, CK_WHO_KEY1);
  if (start < 0)
    return;
  if (start != 0) {
    ck_error(c, "control /balance set 0 but v1.balance says %lld cents",
             start);
    return;
  }
  struct ck_ans a;
  if (call(c, &a, CK_WHO_KEY1, BUY, NULL, NULL, 0) && ck_done(c))
    return;
  char p[32], what[96];
  ck_money_text(price, p, sizeof p);
  snprintf(what, sizeof what, "v1.numbers.buy at %s with a balance of 0.00",
           p);
  if (book(c, &a, price, NULL)) {
    char act[200];
    shown(&a, act, sizeof act);
    ck_fail(c, "HTTP 4xx (402)", act, "%s: a number was sold", what);
  } else {
    expect_refused(c, &a, what, 0);
  }
  ck_ans_free(&a);
  expect_balance(c, 0, "the balance after a refused purchase");
}

/* 002 is silent on what becomes of an activation that reaches its
 * expires_at without an SMS. The credit was only "held on purchase", and
 * 002 returns it whenever an activation ends without an SMS ("If no SMS
 * was received, the credit is refunded"): the hold is released, to the
 * cent. The clock moves past expires_at as the answer gave it (plus a
 * minute for a clock that runs behind ours). */
static void chk_expiry(struct ck *c) {
  long long start = balance(c, CK_WHO_KEY1);
  struct bought b;
  if (start < 0 || !buy(c, CK_WHO_KEY1, &b, 0))
    return;
  long long until = rfc3339(b.expires);
  if (until < 0) {
    ck_fail(c, "expires_at: an RFC 3339 time", b.expires[0] ? b.expires : "none",
            "v1.numbers.buy gives no expiry time to wait for");
    return;
  }
  long long adv = until - (long long)time(NULL) + 60;
  if (adv < 60)
    adv = 60;
  if (adv > 7 * 86400) {
    ck_skip(c, "expires_at %s is more than a week away", b.expires);
    return;
  }
  if (!ck_advance(c, (int)adv))
    return;
  char st[64];
  if (!owner_status(c, b.id, st, sizeof st, "v1.activations.get after "
                                             "expires_at"))
    return;
  if (strcmp(st, "received") == 0) {
    ck_fail(c, "cancelled (or gone)", st,
            "an activation without an SMS says received after expires_at");
    return;
  }
  long long after = balance(c, CK_WHO_KEY1);
  if (after < 0)
    return;
  if (after != start) {
    char e[48], g[48];
    ck_money_text(start, e, sizeof e);
    ck_money_text(after, g, sizeof g);
    ck_fail(c, e, g,
            "after expires_at without an SMS the balance is %s, not %s", g, e);
    return;
  }
  ck_refunded(c, b.id);
  ck_ok(c);
}

/* 002 DELETE: "If no SMS was received, the credit is refunded to your
 * balance immediately" — refunded true and the price back to the cent; a
 * second DELETE (002 is silent on its answer: any is accepted) returns
 * nothing more. */
static void chk_refund_once(struct ck *c) {
  long long start = balance(c, CK_WHO_KEY1);
  struct bought b;
  if (start < 0 || !buy(c, CK_WHO_KEY1, &b, 0) || !past_early_cancel(c))
    return;
  struct ck_ans a;
  if (call(c, &a, CK_WHO_KEY1, DELETE, b.id, NULL, 0) && ck_done(c))
    return;
  if (ck_expect(c, &a, NULL, "DELETE before any SMS") &&
      bool_of(obj(&a), "refunded") != 1) {
    char act[200];
    shown(&a, act, sizeof act);
    ck_fail(c, "\"refunded\": true", act,
            "DELETE before any SMS does not say refunded true");
  }
  settle(c, &a, b.id);
  ck_ans_free(&a);
  expect_balance(c, start, "the balance after a DELETE before any SMS");
  if (ck_done(c))
    return;
  if (call(c, &a, CK_WHO_KEY1, DELETE, b.id, NULL, 0) && ck_done(c))
    return;
  if (bool_of(obj(&a), "refunded") == 1) {
    char act[200];
    shown(&a, act, sizeof act);
    ck_fail(c, "no second refund", act, "a second DELETE says refunded true");
  }
  ck_ans_free(&a);
  expect_balance(c, start, "the balance after a second DELETE");
}

/* 002 DELETE refunds only "if no SMS was received": after one, refunded
 * false and the balance stays. 002 describes DELETE as cancelling any
 * activation; one that refuses to cancel a received activation (a 4xx)
 * keeps the money rule and is a WARN. */
static void chk_no_refund_after_sms(struct ck *c) {
  struct bought b;
  if (!buy(c, CK_WHO_KEY1, &b, 0) || !ck_sms(c, b.id, "771943") ||
      !past_early_cancel(c))
    return;
  long long before = balance(c, CK_WHO_KEY1);
  if (before < 0)
    return;
  struct ck_ans a;
  if (call(c, &a, CK_WHO_KEY1, DELETE, b.id, NULL, 0) && ck_done(c))
    return;
  const char *what = "DELETE after an SMS";
  if (is2xx(a.r.status)) {
    if (ck_expect(c, &a, NULL, what) && bool_of(obj(&a), "refunded") != 0) {
      char act[200];
      shown(&a, act, sizeof act);
      ck_fail(c, "\"refunded\": false", act,
              "%s says it refunded the credit", what);
    }
  } else if (a.r.status >= 400 && a.r.status < 500 && a.r.status != 401 &&
             a.r.status != 429) {
    ck_warn(c, "%s was refused with HTTP %ld; 002 describes DELETE as "
               "cancelling it without a refund",
            what, a.r.status);
  } else {
    ck_expect(c, &a, NULL, what);
  }
  ck_ans_free(&a);
  expect_balance(c, before, "the balance after a DELETE after an SMS");
}

/* ---- lifecycle ------------------------------------------------------------
 */

/* 002 GET: the code comes back "if it has been received". Before an SMS:
 * no code, and neither received nor cancelled (the state has no status
 * word in 002; the spec's list is open, so another word is a WARN). After
 * one (control): status received, the code that was sent, received_at. */
static void chk_code_received(struct ck *c) {
  static const char code[] = "482913";
  struct bought b;
  if (!buy(c, CK_WHO_KEY1, &b, 0))
    return;
  struct ck_ans a;
  if (call(c, &a, CK_WHO_KEY1, GET, b.id, NULL, 0) && ck_done(c))
    return;
  if (ck_expect(c, &a, NULL, "v1.activations.get before any SMS")) {
    const char *st = ck_jstr(obj(&a), "status");
    const char *got = ck_jstr(obj(&a), "code");
    char act[200];
    shown(&a, act, sizeof act);
    if (st && (strcmp(st, "received") == 0 || strcmp(st, "cancelled") == 0))
      ck_fail(c, "a status of an activation waiting for its SMS", act,
              "before any SMS the status is %s", st);
    else if (got && *got)
      ck_fail(c, "\"code\": null or absent", act,
              "before any SMS the answer carries code '%s'", got);
  }
  ck_ans_free(&a);
  if (ck_done(c) || !ck_sms(c, b.id, code))
    return;
  if (call(c, &a, CK_WHO_KEY1, GET, b.id, NULL, 0) && ck_done(c))
    return;
  if (ck_expect(c, &a, NULL, "v1.activations.get after the SMS")) {
    const char *st = ck_jstr(obj(&a), "status");
    const char *got = ck_jstr(obj(&a), "code");
    const char *at = ck_jstr(obj(&a), "received_at");
    char want[96], act[200];
    shown(&a, act, sizeof act);
    snprintf(want, sizeof want,
             "\"status\": \"received\", \"code\": \"%s\", \"received_at\": "
             "...",
             code);
    if (!st || strcmp(st, "received") != 0)
      ck_fail(c, want, act, "after the SMS the status is %s",
              st ? st : "missing");
    else if (!got || strcmp(got, code) != 0)
      ck_fail(c, want, act, "after the SMS the code is '%s', not the one sent",
              got ? got : "missing");
    else if (!at || !*at)
      ck_fail(c, want, act, "after the SMS there is no received_at");
  }
  ck_ans_free(&a);
}

/* 002 DELETE answers "status": "cancelled"; the activation's GET then says
 * so too (002 shows no other word for it). One that forgets a cancelled
 * activation (404) is a WARN. */
static void chk_delete_cancelled(struct ck *c) {
  struct bought b;
  if (!buy(c, CK_WHO_KEY1, &b, 0) || !past_early_cancel(c))
    return;
  struct ck_ans a;
  if (call(c, &a, CK_WHO_KEY1, DELETE, b.id, NULL, 0) && ck_done(c))
    return;
  int ok = ck_expect(c, &a, NULL, "DELETE before any SMS");
  settle(c, &a, b.id);
  ck_ans_free(&a);
  if (!ok)
    return;
  if (call(c, &a, CK_WHO_KEY1, GET, b.id, NULL, 0) && ck_done(c))
    return;
  if (a.r.status == 404) {
    ck_warn(c, "v1.activations.get after a DELETE: HTTP 404; 002 shows a "
               "cancelled activation as \"status\": \"cancelled\"");
  } else if (ck_expect(c, &a, NULL, "v1.activations.get after a DELETE")) {
    const char *st = ck_jstr(obj(&a), "status");
    if (!st || strcmp(st, "cancelled") != 0) {
      char act[200];
      shown(&a, act, sizeof act);
      ck_fail(c, "\"status\": \"cancelled\"", act,
              "after a DELETE the status is %s", st ? st : "missing");
    }
  }
  ck_ans_free(&a);
}

/* ---- isolation ------------------------------------------------------------
 */

/* 002 "Authentication": "Keys are scoped to your account". The second
 * account's GET (iarg 0) or DELETE (iarg 1) of the first one's activation
 * is refused — 002 is silent on how: 404 (it does not exist for that key),
 * 403 and 401 are all accepted — and changes nothing the owner sees. */
static void chk_isolation(struct ck *c) {
  int del = ck_def(c)->iarg == 1;
  const char *action = del ? DELETE : GET;
  struct bought b;
  if (!buy(c, CK_WHO_KEY1, &b, 0) || (del && !past_early_cancel(c)))
    return;
  char st0[64], st1[64];
  long long before = -1;
  if (!owner_status(c, b.id, st0, sizeof st0, "the owner's view before") ||
      (del && (before = balance(c, CK_WHO_KEY1)) < 0))
    return;
  char what[128];
  snprintf(what, sizeof what, "%s of another account's activation", action);
  struct ck_ans a;
  if (call(c, &a, CK_WHO_KEY2, action, b.id, NULL, 0) && ck_done(c))
    return;
  expect_refused(c, &a, what, 1);
  ck_ans_free(&a);
  if (ck_done(c) ||
      !owner_status(c, b.id, st1, sizeof st1, "the owner's view after"))
    return;
  if (strcmp(st0, st1) != 0) {
    ck_fail(c, st0, st1[0] ? st1 : "gone",
            "the owner's activation went from %s to %s after %s", st0,
            st1[0] ? st1 : "gone", what);
    return;
  }
  if (del)
    expect_balance(c, before, "the owner's balance after another account's "
                              "DELETE");
}

/* ---- building the plan ----------------------------------------------------
 */

static const cJSON *sources_of(const struct ck_env *env, const char *action) {
  const struct sc_action *a = sc_spec_action(env->spec, action);
  return a ? ck_jget(a->json, "sources") : ck_jget(env->profile->json,
                                                   "sources");
}

/* d->doc/section: the citation in |sources| of 002's |section|, else the
 * profile's, else ck_cite's choice. */
static void cite(const struct ck_env *env, const cJSON *sources,
                 const char *section, struct ck_def *d) {
  const cJSON *lists[2] = {sources, ck_jget(env->profile->json, "sources")};
  for (int i = 0; i < 2 && section; i++) {
    const cJSON *s;
    cJSON_ArrayForEach(s, lists[i]) {
      const char *sec = ck_jstr(s, "section"), *doc = ck_jstr(s, "doc");
      if (sec && doc && strcmp(sec, section) == 0) {
        d->doc = doc;
        d->section = sec;
        return;
      }
    }
  }
  ck_cite(env, sources, d);
}

struct plan_item {
  enum sc_cat cat;
  const char *action;
  const char *detail; /* NULL: the id is category.action */
  unsigned needs;
  ck_fn fn;
  int iarg;
  const char *section; /* 002's section to cite; NULL = the action's own */
  const char *tags;
  const char *requirement;
};

static void add(struct ck_builder *b, const struct plan_item *it) {
  const struct ck_env *env = b->env;
  if (!sc_profile_has_action(env->profile, it->action))
    return;
  struct ck_def d = {.cat = it->cat, .needs = it->needs, .fn = it->fn,
                     .iarg = it->iarg};
  if (it->detail)
    snprintf(d.id, sizeof d.id, "%s.%s.%s", sc_cat_name(it->cat), it->action,
             it->detail);
  else
    snprintf(d.id, sizeof d.id, "%s.%s", sc_cat_name(it->cat), it->action);
  snprintf(d.action, sizeof d.action, "%s", it->action);
  snprintf(d.tags, sizeof d.tags, "%s %s", sc_cat_name(it->cat), it->tags);
  snprintf(d.requirement, sizeof d.requirement, "%s", it->requirement);
  cite(env, sources_of(env, it->action), it->section, &d);
  ck_add(b, &d);
}


/* The checks about one action (format, auth, what does not exist). */
static void plan_action(struct ck_builder *b, const char *action,
                        const struct sc_view *v) {
  int spends = cJSON_IsTrue(ck_jget(v->action->json, "spends"));
  int about_act = ck_param_typed(v, "id") != NULL;
  int offer = ck_param_typed(v, "service") != NULL;
  /* a purchase, or a number bought to look at, costs money */
  unsigned spend = spends || about_act ? CK_SPEND : 0;
  char req[3][320];
  snprintf(req[0], sizeof req[0],
           "%s answers a success in the JSON form the document gives",
           action);
  snprintf(req[1], sizeof req[1],
           "%s without an Authorization header is refused with HTTP 401 and "
           "serves nothing of any account",
           action);
  snprintf(req[2], sizeof req[2],
           "%s with a Bearer token that is no account's key is refused with "
           "HTTP 401 and serves nothing",
           action);
  const struct plan_item items[] = {
      {SC_CAT_FORMAT, action, NULL, spend ? spend : CK_SMOKE, chk_format, 0,
       NULL, action, req[0]},
      {SC_CAT_REST, action, "no-key", spend ? spend : CK_SMOKE, chk_auth,
       CK_WHO_NOKEY, "Authentication", "auth", req[1]},
      {SC_CAT_REST, action, "wrong-key", spend ? spend : CK_SMOKE, chk_auth,
       CK_WHO_BADKEY, "Authentication", "auth", req[2]},
  };
  for (size_t i = 0; i < sizeof items / sizeof *items; i++)
    add(b, &items[i]);
  if (about_act) {
    char r[320];
    snprintf(r, sizeof r,
             "%s of an activation id the server never gave out is refused "
             "with a client error (4xx)",
             action);
    struct plan_item it = {SC_CAT_ERROR, action, "unknown-id", 0, chk_unknown,
                           0, NULL, "unknown-id", r};
    add(b, &it);
  } else if (offer) {
    char r[320];
    snprintf(r, sizeof r,
             spends ? "%s for a service that does not exist is refused and "
                      "takes no money"
                    : "%s for a service that does not exist is refused or "
                      "lists no numbers",
             action);
    struct plan_item it = {SC_CAT_ERROR, action, "unknown-service",
                           spends ? CK_SPEND : 0, chk_unknown, 1, NULL,
                           "unknown-service", r};
    add(b, &it);
  }
}

/* The checks that follow an activation through its life, the money, the
 * second account and the rate limit. */
static const struct plan_item scenarios[] = {
    {SC_CAT_REST, BALANCE, "rate-limit-headers", CK_SMOKE, chk_rate_headers, 0,
     "Rate Limits", "rate-limit",
     "every answer carries X-RateLimit-Limit, X-RateLimit-Remaining and "
     "X-RateLimit-Reset, and Remaining goes down with each request"},
    {SC_CAT_REST, BALANCE, "rate-limit-429", CK_CONTROL | CK_ALONE,
     chk_rate_429, 0, "Rate Limits", "rate-limit",
     "a request past the per-minute limit is refused with HTTP 429"},
    {SC_CAT_MONEY, BUY, "charge-equals-price", CK_SPEND, chk_charge, 0, NULL,
     "charge",
     "a purchase takes exactly the price v1.numbers.available lists from "
     "the balance"},
    {SC_CAT_MONEY, BUY, "balance-never-negative", CK_CONTROL | CK_ALONE | CK_SPEND,
     chk_never_negative, 0, NULL, "charge",
     "a purchase the balance does not cover is refused and the balance "
     "stays"},
    {SC_CAT_MONEY, BUY, "expiry-refund", CK_CONTROL | CK_ALONE | CK_SPEND, chk_expiry, 0,
     NULL, "refund expiry",
     "an activation that reaches its expires_at without an SMS gives the "
     "held credit back"},
    {SC_CAT_MONEY, DELETE, "refund-once", CK_SPEND, chk_refund_once, 0, NULL,
     "refund",
     "a DELETE before any SMS answers refunded true and returns the price "
     "to the cent, and a second DELETE returns nothing"},
    {SC_CAT_MONEY, DELETE, "no-refund-after-sms", CK_CONTROL | CK_SPEND,
     chk_no_refund_after_sms, 0, NULL, "refund",
     "a DELETE after an SMS arrived answers refunded false and gives no "
     "money back"},
    {SC_CAT_LIFECYCLE, GET, "code-received", CK_CONTROL | CK_SPEND,
     chk_code_received, 0, NULL, "sms",
     "before an SMS an activation shows no code; after one its status is "
     "received with that code and received_at"},
    {SC_CAT_LIFECYCLE, DELETE, "cancelled", CK_SPEND, chk_delete_cancelled, 0,
     NULL, "cancel",
     "after a DELETE the activation's status is cancelled"},
    {SC_CAT_ISOLATION, GET, NULL, CK_KEY2 | CK_SPEND, chk_isolation, 0,
     "Authentication", "key2",
     "a second account cannot see the first account's activation"},
    {SC_CAT_ISOLATION, DELETE, NULL, CK_KEY2 | CK_SPEND, chk_isolation, 1,
     "Authentication", "key2",
     "a second account cannot cancel the first account's activation, nor "
     "move its money"},
};

void ck_plan_rest(struct ck_builder *b) {
  const struct ck_env *env = b->env;
  const cJSON *a;
  cJSON_ArrayForEach(a, ck_jget(env->profile->json, "actions")) {
    struct sc_view v;
    if (!cJSON_IsString(a) ||
        sc_spec_view(env->spec, a->valuestring, env->profile_name, &v) ||
        !ck_in_family(&v, "rest"))
      continue;
    plan_action(b, a->valuestring, &v);
  }
  for (size_t i = 0; i < sizeof scenarios / sizeof *scenarios; i++) {
    const struct plan_item *it = &scenarios[i];
    /* a scenario needs every action it calls */
    if (!sc_profile_has_action(env->profile, BALANCE) ||
        ((it->needs & CK_SPEND) &&
         (!sc_profile_has_action(env->profile, AVAILABLE) ||
          !sc_profile_has_action(env->profile, BUY) ||
          !sc_profile_has_action(env->profile, GET))))
      continue;
    if (it->fn == chk_rate_headers || it->fn == chk_rate_429) {
      if (!ck_jget(env->profile->json, "rate_limit"))
        continue; /* the profile documents no limit */
    }
    add(b, it);
  }
}
