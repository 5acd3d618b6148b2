/* sc_sim_rest.c — the simulator's REST dialect under /api/v1/.
 *
 * Source: 002 = seeds/002_0dec256545badc39.txt (sms-activate.dev); 001 and
 * 003 where 002 is silent and the family has an answer; see sc_sim.c.
 *
 * 002 documents five endpoints, their success bodies, Bearer auth and a
 * rate limit with three X-RateLimit-* headers. It documents no error body
 * and no error status at all. Where it is silent this file decides, and
 * says so at the rule ("002 is silent: ..."). The decisions in short:
 *
 *   error body   {"status":"error","message":TOKEN}: the family's JSON
 *                error form (001's rent and e-mail sections) with the
 *                family's tokens, so a client of the family can read it.
 *   401 BAD_KEY  no, malformed or unknown Bearer key (+ WWW-Authenticate)
 *   400 BAD_SERVICE / BAD_COUNTRY   missing or unknown service / country
 *   402 NO_BALANCE                  the balance is below the price
 *   409 NO_NUMBERS                  no stock (or the per-account cap)
 *   404 NO_ACTIVATION               unknown id, or another key's
 *   409 BAD_STATUS                  DELETE of a cancelled activation
 *   404 / 405 BAD_ACTION            unknown path / method (405 + Allow)
 *   429 RATE_LIMITED                past the limit (003's token), with
 *                                   Retry-After
 *   500 ERROR_SQL                   out of memory
 *
 * A profile file that extends rest-v1 changes these as data: its tokens
 * that play these, its error form and statuses (sim_error_render), its
 * unknown_action signal, and per operation an override's path, method,
 * renamed parameters (query or JSON body members) and no_body.
 *
 * Activation ids are "act_" followed by the core's decimal activation id
 * ("act_123456789"); the control protocol's /sms takes that id as the
 * REST answers give it (or the digits after the prefix) as activationId
 * (sc_sim.c ctl_sms).
 *
 * Locking: rest_serve takes s->mu for the whole decision (expiry, auth,
 * rate limit, the endpoint) and builds the answer; the MHD response is
 * queued after the unlock. struct sim_rest is guarded by mu. */
#include "sc_sim_base.h"

#include "sc_alloc.h"
#include "sc_spec.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define REST_PREFIX "/api/v1/"
#define REST_ID_PREFIX "act_"
#define REST_CTYPE "application/json"
/* The bucket of requests that name no valid key (see rate_count). */
#define REST_ANON SIM_MAX_ACCOUNTS

/* The rate-limit windows, one per key and REST_ANON. Decision (002 is
 * silent on the window): a fixed window of 60 s of the simulated clock
 * (struct sim_window); X-RateLimit-Reset is its end as a Unix time, as
 * 002's example (1710416096) is. */
struct sim_rest {
  struct sim_window buckets[SIM_MAX_ACCOUNTS + 1]; /* mu */
};

/* ---- the module's state ------------------------------------------------- */

static int rest_init(struct sc_sim *s) {
  s->rest = sc_calloc(1, sizeof *s->rest);
  return s->rest ? 0 : -1;
}

/* Under mu (from the core's reset): every key gets a fresh allowance. */
static void rest_reset(struct sc_sim *s) {
  if (s->rest)
    memset(s->rest->buckets, 0, sizeof s->rest->buckets);
}

static void rest_destroy(struct sc_sim *s) {
  if (!s)
    return;
  sc_free(s->rest);
  s->rest = NULL;
}

/* ---- one request --------------------------------------------------------- */

struct rest_call {
  struct sc_sim *s;
  struct MHD_Connection *conn;
  struct sim_req *req;
  size_t acc;           /* the caller's account, once authenticated */
  const char *id;       /* the :id path segment (activation routes) */
  const char *action;   /* the route's action, once one matched */
  unsigned status;      /* HTTP status */
  cJSON *body;          /* the answer; NULL = out of memory */
  int error;            /* the answer is the error in |err| (rest_error) */
  struct sc_buf err;    /* ... as the profile writes it */
  const char *err_ctype; /* ... and its content type */
  int no_body;          /* a success without a body: HTTP 204 */
  const char *allow;    /* 405: the Allow header */
  const char *www_auth; /* 401: the WWW-Authenticate header */
  int rate;             /* the X-RateLimit-* values below are set */
  unsigned long limit, remaining;
  long long reset;       /* Unix time the window ends */
  long long retry_after; /* 429: seconds; 0 = no Retry-After */
};

typedef void (*rest_fn)(struct rest_call *c);

/* The error |token| with HTTP |status|, as the profile writes errors
 * (sim_error_render): rest-v1's {"status":"error","message":TOKEN}, or
 * the profile's own form, token and status (its status replaces |status|
 * unless |keep|). */
static void rest_error_as(struct rest_call *c, unsigned status,
                          const char *token, int keep) {
  const char *ctype = NULL, *ref = NULL;
  cJSON_Delete(c->body);
  c->body = NULL;
  c->error = 1;
  int st = sim_error_render(c->s, token, 1, NULL, &c->err, &ctype, &ref);
  if (st == 500 && !ctype) {
    c->error = 0; /* out of memory: rest_serve's own answer */
    return;
  }
  c->status = st && !keep ? (unsigned)st : status;
  c->err_ctype = ctype ? ctype : "text/plain; charset=utf-8";
}

static void rest_error(struct rest_call *c, unsigned status,
                       const char *token) {
  rest_error_as(c, status, token, 0);
}

/* The wire name of the reference parameter |name| of the action being
 * served (the profile's "rename"). */
static const char *wire_name(const struct rest_call *c, const char *name) {
  return sc_profile_param_name(c->s->profile, c->action, name);
}

/* A success answer: a fresh object with HTTP 200 (NULL on allocation
 * failure, which the caller then answers as ERROR_SQL). */
static cJSON *rest_ok(struct rest_call *c) {
  cJSON_Delete(c->body);
  c->error = 0;
  c->status = 200;
  c->body = cJSON_CreateObject();
  return c->body;
}

/* Adds |cents| as a JSON number with two decimals: 002 writes "balance":
 * 12.40 and "price": 0.07, which cJSON's own number printing cannot. */
static int add_money(cJSON *o, const char *name, long long cents) {
  char num[48];
  sim_money_text(num, sizeof num, cents);
  return cJSON_AddRawToObject(o, name, num) != NULL;
}

static int add_time(cJSON *o, const char *name, long long t) {
  char buf[32];
  sim_fmt_time(buf, sizeof buf, t, SIM_TIME_RFC3339);
  return cJSON_AddStringToObject(o, name, buf) != NULL;
}

static int add_act_id(cJSON *o, const struct sim_activation *a) {
  char id[32];
  snprintf(id, sizeof id, REST_ID_PREFIX "%llu", a->id);
  return cJSON_AddStringToObject(o, "id", id) != NULL;
}

/* 002: "service: Service identifier (e.g. telegram, google)". Decision:
 * identifiers are matched exactly (lower case), as 002 writes them. */
static long service_by_name(const struct sc_sim *s, const char *name) {
  return sim_service_rest_index(s, name);
}

/* 002: "country: ISO 3166-1 alpha-2 country code (e.g. ru, us)". Decision:
 * ISO codes are case-insensitive ("RU" is the same code); answers echo the
 * lower-case form 002 uses. Numeric ids and slugs of the handler dialects
 * are not codes of this dialect. */
static long country_by_iso(const struct sc_sim *s, const char *iso) {
  return sim_country_iso_index(s, iso);
}

/* The activation named by the :id segment, for this caller: "act_" and a
 * decimal core id. Anything else is an id this server never gave out. */
static struct sim_activation *find_act(struct rest_call *c) {
  size_t n = strlen(REST_ID_PREFIX);
  if (strncmp(c->id, REST_ID_PREFIX, n) != 0)
    return NULL;
  return sim_find_act(c->s, sim_parse_id(c->id + n), c->acc);
}

/* ---- the endpoints ------------------------------------------------------- */

/* 002 "GET/api/v1/balance": {"balance": 12.40, "currency": "USD"}. */
static void get_balance(struct rest_call *c) {
  cJSON *o = rest_ok(c);
  if (o && (!add_money(o, "balance", c->s->accounts[c->acc].balance) ||
            !cJSON_AddStringToObject(o, "currency", "USD")))
    rest_error(c, 500, "ERROR_SQL");
}

/* The service and country of a request, validated; on failure the error
 * answer is set and -1 returned. 002 is silent on errors: a missing or
 * unknown service is 400 BAD_SERVICE (001: BAD_SERVICE - incorrect service
 * name), a missing or unknown country 400 BAD_COUNTRY (003: BAD_COUNTRY),
 * service first as 001's getNumber checks it first. */
static int pick_offer(struct rest_call *c, const char *service,
                      const char *country, struct sim_offer **o) {
  long si = service_by_name(c->s, service);
  if (si < 0) {
    rest_error(c, 400, "BAD_SERVICE");
    return -1;
  }
  long ci = country_by_iso(c->s, country);
  if (ci < 0) {
    rest_error(c, 400, "BAD_COUNTRY");
    return -1;
  }
  *o = sim_offer_at(c->s, (size_t)si, (size_t)ci);
  return 0;
}

/* 002 "GET/api/v1/numbers/available?service=telegram&country=ru":
 * {"service", "country", "price": 0.07, "available": 142}. No stock is
 * "available": 0, not an error. */
static void get_available(struct rest_call *c) {
  struct sim_offer *of = NULL;
  if (pick_offer(c,
                 MHD_lookup_connection_value(c->conn, MHD_GET_ARGUMENT_KIND,
                                             wire_name(c, "service")),
                 MHD_lookup_connection_value(c->conn, MHD_GET_ARGUMENT_KIND,
                                             wire_name(c, "country")),
                 &of))
    return;
  cJSON *o = rest_ok(c);
  if (o &&
      (!cJSON_AddStringToObject(o, "service",
                                sim_service(c->s, of->service)->rest) ||
       !cJSON_AddStringToObject(o, "country",
                                sim_country(c->s, of->country)->iso) ||
       !add_money(o, "price", of->cost) ||
       !cJSON_AddNumberToObject(o, "available",
                                (double)(of->stock > 0 ? of->stock : 0))))
    rest_error(c, 500, "ERROR_SQL");
}

/* 002 "POST/api/v1/numbers/buy" with the JSON body {"service", "country"}:
 * {"id", "number", "service", "country", "expires_at"}; "Credits are held
 * on purchase". 002 is silent on the status: 200 like every other answer
 * it shows (not 201). The body is read as JSON whatever its content type;
 * one that is not a JSON object names no service: 400 BAD_SERVICE. */
static void post_buy(struct rest_call *c) {
  struct sc_sim *s = c->s;
  const struct sc_buf *b = &c->req->body;
  cJSON *j = b->ptr && b->len ? cJSON_ParseWithLength(b->ptr, b->len) : NULL;
  const cJSON *sv =
      cJSON_GetObjectItemCaseSensitive(j, wire_name(c, "service"));
  const cJSON *cv =
      cJSON_GetObjectItemCaseSensitive(j, wire_name(c, "country"));
  struct sim_offer *of = NULL;
  int bad = pick_offer(c, cJSON_IsString(sv) ? sv->valuestring : NULL,
                       cJSON_IsString(cv) ? cv->valuestring : NULL, &of);
  cJSON_Delete(j);
  if (bad)
    return;
  const char *tok = NULL;
  struct sim_activation *a = sim_buy(s, c->acc, of, &tok);
  if (!a) {
    /* 002 is silent: 402 Payment Required for too little money (001:
     * NO_BALANCE), 409 Conflict for an empty stock (001: NO_NUMBERS). */
    if (strcmp(tok, "NO_BALANCE") == 0)
      rest_error(c, 402, tok);
    else if (strcmp(tok, "NO_NUMBERS") == 0)
      rest_error(c, 409, tok);
    else
      rest_error(c, 500, "ERROR_SQL");
    return;
  }
  char phone[24];
  /* 002: "number": "+79161234567", E.164 with its plus sign. */
  snprintf(phone, sizeof phone, "+%s", a->phone);
  cJSON *o = rest_ok(c);
  /* expires_at: the moment sim_expire_locked cancels it (lifetime seconds). */
  if (o &&
      (!add_act_id(o, a) || !cJSON_AddStringToObject(o, "number", phone) ||
       !cJSON_AddStringToObject(o, "service",
                                sim_service(s, of->service)->rest) ||
       !cJSON_AddStringToObject(o, "country",
                                sim_country(s, of->country)->iso) ||
       !add_time(o, "expires_at", a->bought_at + s->lifetime)))
    rest_error(c, 500, "ERROR_SQL"); /* the number stays bought, as a
                                        vendor's would on a lost answer */
}

/* 002 names two states, "received" (GET) and "cancelled" (DELETE). 002 is
 * silent on the state before an SMS: "waiting" (001's STATUS_WAIT_CODE).
 * An activation that expired without a code was cancelled by the server
 * and refunded, so it is "cancelled" too. The handler-only states (after
 * setStatus 3 or 6) cannot arise here. */
static const char *state_word(const struct sim_activation *a) {
  switch (a->state) {
  case SIM_ST_WAIT_CODE:
  case SIM_ST_WAIT_RETRY:
    return "waiting";
  case SIM_ST_OK:
  case SIM_ST_DONE:
    return "received";
  case SIM_ST_CANCEL:
    break;
  }
  return "cancelled";
}

/* 002 "GET/api/v1/activations/:id": {"id", "status": "received", "code":
 * "482910", "received_at": "2024-03-14T12:33:22Z"}. Before an SMS (002:
 * the code is returned "if it has been received") code and received_at are
 * null; a cancelled activation that had received one keeps them. */
static void get_activation(struct rest_call *c) {
  struct sim_activation *a = find_act(c);
  if (!a) {
    rest_error(c, 404, "NO_ACTIVATION"); /* 001: id does not exist */
    return;
  }
  cJSON *o = rest_ok(c);
  int ok = o && add_act_id(o, a) &&
           cJSON_AddStringToObject(o, "status", state_word(a));
  if (ok && a->nsms)
    ok = cJSON_AddStringToObject(o, "code", a->code) &&
         add_time(o, "received_at", a->sms_at);
  else if (ok)
    ok = cJSON_AddNullToObject(o, "code") &&
         cJSON_AddNullToObject(o, "received_at");
  if (o && !ok)
    rest_error(c, 500, "ERROR_SQL");
}

/* 002 "DELETE/api/v1/activations/:id": {"id", "status": "cancelled",
 * "refunded": true}; "If no SMS was received, the credit is refunded to
 * your balance immediately". So a DELETE after an SMS is allowed and
 * answers "refunded": false. */
static void delete_activation(struct rest_call *c) {
  struct sc_sim *s = c->s;
  struct sim_activation *a = find_act(c);
  if (!a) {
    rest_error(c, 404, "NO_ACTIVATION");
    return;
  }
  /* 002 is silent on cancelling twice (or after expiry): 409 BAD_STATUS,
   * as 001's setStatus 8 answers on a cancelled activation. Never a second
   * refund. */
  if (a->state == SIM_ST_CANCEL || a->state == SIM_ST_DONE) {
    rest_error(c, 409, "BAD_STATUS");
    return;
  }
  /* 002 documents no waiting time (profile rest-v1: early_cancel_seconds
   * 0); a configured window is honoured as 001 does (EARLY_CANCEL_DENIED). */
  if (sim_now(s) - a->bought_at < s->early_cancel) {
    rest_error(c, 409, "EARLY_CANCEL_DENIED");
    return;
  }
  int refund = a->nsms == 0 || sim_fault(s, SIM_F_REST_REFUND_AFTER_SMS);
  a->state = SIM_ST_CANCEL;
  if (refund)
    sim_refund(s, a); /* exactly once: sim_refund ignores a second call */
  cJSON *o = rest_ok(c);
  if (o && (!add_act_id(o, a) ||
            !cJSON_AddStringToObject(o, "status", "cancelled") ||
            !cJSON_AddBoolToObject(o, "refunded", refund)))
    rest_error(c, 500, "ERROR_SQL");
}

/* ---- routing, auth, rate limit ------------------------------------------ */

static const struct route {
  const char *method;
  const char *path; /* after /api/v1/; a trailing '/' takes one :id */
  rest_fn fn;
  const char *action; /* its name in specs/profiles/rest-v1.json */
} routes[] = {
    {"GET", "balance", get_balance, "v1.balance"},
    {"GET", "numbers/available", get_available, "v1.numbers.available"},
    {"POST", "numbers/buy", post_buy, "v1.numbers.buy"},
    {"GET", "activations/", get_activation, "v1.activations.get"},
    {"DELETE", "activations/", delete_activation, "v1.activations.delete"},
};
#define NROUTES (sizeof routes / sizeof *routes)

/* Whether |url| is route |r|'s, where the profile serves it: at its
 * action's override "path" (relative to the origin), else at /api/v1/ and
 * the route's path; sets |*id| for a path ending in '/' (one :id). */
static int route_matches(const struct sc_sim *s, const struct route *r,
                         const char *url, const char **id) {
  const char *path = sc_profile_action_path(s->profile, r->action);
  size_t np = strlen(REST_PREFIX);
  if (!path) {
    if (strncmp(url, REST_PREFIX, np) != 0)
      return 0;
    url += np;
    path = r->path;
  }
  size_t n = strlen(path);
  if (n && path[n - 1] == '/') {
    if (strncmp(url, path, n) != 0 || !url[n] || strchr(url + n, '/'))
      return 0;
    *id = url + n;
    return 1;
  }
  return strcmp(url, path) == 0;
}

/* The method route |r| is served with: the override's "method", else the
 * route's own. */
static const char *route_method(const struct sc_sim *s,
                                const struct route *r) {
  const char *m = sc_profile_action_method(s->profile, r->action);
  return m && s->profile->rest ? m : r->method;
}

/* The allowed methods for |url|, as an Allow header value; routes that
 * serve --actions leaves out do not exist. */
static const char *allow_for(const struct sc_sim *s, const char *url) {
  static const char *const allows[] = {"GET", "POST", "GET, DELETE", "DELETE",
                                       "GET, POST"};
  const char *id;
  int get = 0, post = 0, del = 0;
  for (size_t i = 0; i < NROUTES; i++)
    if (sim_offers(s, routes[i].action) &&
        route_matches(s, &routes[i], url, &id)) {
      const char *m = route_method(s, &routes[i]);
      get |= !strcmp(m, "GET");
      post |= !strcmp(m, "POST");
      del |= !strcmp(m, "DELETE");
    }
  if (get && del)
    return allows[2];
  if (get && post)
    return allows[4];
  if (post)
    return allows[1];
  if (del)
    return allows[3];
  return get ? allows[0] : NULL;
}

/* Whether |url| is a path of the API: under /api/v1/, or the path of an
 * action the profile sends elsewhere (override "path"). */
static int api_path(const struct sc_sim *s, const char *url) {
  const char *id;
  if (strncmp(url, REST_PREFIX, strlen(REST_PREFIX)) == 0)
    return 1;
  for (size_t i = 0; i < NROUTES; i++)
    if (sc_profile_action_path(s->profile, routes[i].action) &&
        route_matches(s, &routes[i], url, &id))
      return 1;
  return 0;
}

/* The first entry of the array |key| of the object |o|, or NULL; whether
 * the array holds the number |n| in |*has| (NULL: not asked). */
static const cJSON *first_of(const cJSON *o, const char *key, double n,
                             int *has) {
  const cJSON *arr = cJSON_GetObjectItemCaseSensitive(o, key), *it;
  if (has) {
    *has = 0;
    cJSON_ArrayForEach(it, arr) {
      if (cJSON_IsNumber(it) && it->valuedouble == n)
        *has = 1;
    }
  }
  return cJSON_IsArray(arr) ? arr->child : NULL;
}

/* An operation the dialect does not know: the profile's "unknown_action"
 * signal. rest-v1's (002 shows no error answer): 404 for an unknown path,
 * 405 for a known path under another method (|status|), with the
 * family's BAD_ACTION (001: incorrect action). A profile whose statuses
 * do not list |status| is answered its first; its first token, when it
 * lists one, replaces BAD_ACTION. */
static void rest_unknown(struct rest_call *c, unsigned status) {
  const cJSON *ua = sc_profile_unknown_action(c->s->profile);
  int has = 0;
  const cJSON *st = first_of(ua, "http_status", status, &has);
  const cJSON *tok = first_of(ua, "tokens", 0, NULL);
  if (!has && cJSON_IsNumber(st) && st->valuedouble >= 100 &&
      st->valuedouble <= 599)
    status = (unsigned)st->valuedouble;
  rest_error_as(c, status, cJSON_IsString(tok) ? tok->valuestring
                                               : "BAD_ACTION",
                1);
}

/* 002 "Authentication": "Authorization: Bearer YOUR_API_KEY". The scheme
 * is case-insensitive (RFC 7235 2.1). Returns the key, copied to |buf|;
 * "" for a malformed or over-long token (no key matches it); NULL when the
 * header is absent or carries no Bearer token. */
static const char *bearer_key(struct MHD_Connection *conn, char *buf,
                              size_t n) {
  const char *h = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                              MHD_HTTP_HEADER_AUTHORIZATION);
  if (!h || strncasecmp(h, "Bearer ", 7) != 0)
    return NULL;
  h += 7;
  while (*h == ' ')
    h++;
  size_t len = strcspn(h, " \t");
  if (!len)
    return NULL;
  if (len >= n || h[len + strspn(h + len, " \t")])
    len = 0;
  memcpy(buf, h, len);
  buf[len] = '\0';
  return buf;
}

/* Counts one request against |bucket| and sets the X-RateLimit-* values.
 * Returns 0 within the limit, else the seconds until the window ends (at
 * least 1), for Retry-After. 002 "Rate Limits": "300 requests per minute
 * per API key" (s->rate_limit here). Decision: requests that name no valid
 * key share one bucket of their own, so that every answer carries the
 * headers and none spends a key's allowance; refused requests count too,
 * as they do at a real limiter. */
static long long rate_count(struct rest_call *c, size_t bucket) {
  struct sc_sim *s = c->s;
  struct sim_window *b = &s->rest->buckets[bucket];
  long long wait = sim_window_count(s, b, s->rate_limit);
  c->rate = 1;
  c->limit = s->rate_limit;
  c->remaining = b->count >= s->rate_limit ? 0 : s->rate_limit - b->count;
  c->reset = b->start + SIM_RATE_WINDOW;
  return wait;
}

/* Decides the whole answer under mu. */
static void serve_locked(struct rest_call *c, const char *url,
                         const char *method) {
  struct sc_sim *s = c->s;
  char keybuf[256];
  sim_expire_locked(s);
  const char *key = bearer_key(c->conn, keybuf, sizeof keybuf);
  int authed = key && sim_find_account(s, key, &c->acc);
  /* The fault: a request with no Bearer token at all is taken for the
   * first account (a default left in from development). */
  if (!key && sim_fault(s, SIM_F_REST_NO_AUTH)) {
    c->acc = 0;
    authed = 1;
  }
  long long wait = rate_count(c, authed ? c->acc : REST_ANON);
  if (wait && !sim_fault(s, SIM_F_REST_NO_429)) {
    /* 002 names no answer past the limit: 429 Too Many Requests (RFC 6585)
     * with Retry-After, and 003's RATE_LIMITED token. */
    c->retry_after = wait;
    rest_error(c, 429, "RATE_LIMITED");
    return;
  }
  if (!api_path(s, url)) {
    rest_unknown(c, 404); /* not an API path: no key needed */
    return;
  }
  /* 002: the key goes "on every request"; without it nothing of the API
   * is served, not even a 404. */
  if (!authed) {
    c->www_auth = key ? "Bearer realm=\"api\", error=\"invalid_token\""
                      : "Bearer realm=\"api\"";
    rest_error(c, 401, "BAD_KEY"); /* 001: BAD_KEY - invalid API key */
    return;
  }
  for (size_t i = 0; i < NROUTES; i++)
    if (strcmp(route_method(s, &routes[i]), method) == 0 &&
        sim_offers(s, routes[i].action) &&
        route_matches(s, &routes[i], url, &c->id)) {
      c->action = routes[i].action;
      routes[i].fn(c);
      /* the override's "no_body": a success is an empty 204 */
      if (!c->error && c->body && c->status == 200 &&
          sc_profile_no_body(s->profile, c->action)) {
        c->no_body = 1;
        c->status = 204;
      }
      return;
    }
  /* 405 with Allow (RFC 9110 15.5.6) when the path exists under another
   * method. */
  c->allow = allow_for(s, url);
  rest_unknown(c, c->allow ? 405 : 404);
}

static void add_header_num(struct MHD_Response *resp, const char *name,
                           long long v) {
  char num[32];
  snprintf(num, sizeof num, "%lld", v);
  MHD_add_response_header(resp, name, num);
}

static enum MHD_Result rest_serve(struct sc_sim *s,
                                  struct MHD_Connection *conn, const char *url,
                                  const char *method, struct sim_req *r) {
  struct rest_call c = {.s = s, .conn = conn, .req = r, .status = 200};
  sc_buf_init(&c.err, SIM_OUT_MAX);
  pthread_mutex_lock(&s->mu);
  serve_locked(&c, url, method);
  pthread_mutex_unlock(&s->mu);

  char *txt = c.body && !c.error && !c.no_body
                  ? cJSON_PrintUnformatted(c.body)
                  : NULL;
  cJSON_Delete(c.body);
  static const char oom[] = "{\"status\":\"error\",\"message\":\"ERROR_SQL\"}";
  const char *body = txt ? txt : oom, *ctype = REST_CTYPE;
  unsigned status = txt ? c.status : 500;
  if (c.error && !c.err.err) {
    body = c.err.ptr ? c.err.ptr : "";
    ctype = c.err_ctype;
    status = c.status;
  } else if (c.no_body) {
    body = "";
    ctype = NULL; /* 204: no content, no content type */
    status = 204;
  }
  struct MHD_Response *resp = MHD_create_response_from_buffer(
      strlen(body), (void *)(uintptr_t)body, MHD_RESPMEM_MUST_COPY);
  cJSON_free(txt);
  sc_buf_free(&c.err);
  if (!resp)
    return MHD_NO;
  if (ctype)
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
  /* 002 "Rate Limits": X-RateLimit-Limit, -Remaining, -Reset on answers. */
  if (c.rate && !sim_fault(s, SIM_F_REST_NO_RATE_HEADERS)) {
    add_header_num(resp, "X-RateLimit-Limit", (long long)c.limit);
    add_header_num(resp, "X-RateLimit-Remaining", (long long)c.remaining);
    add_header_num(resp, "X-RateLimit-Reset", c.reset);
  }
  if (c.retry_after)
    add_header_num(resp, MHD_HTTP_HEADER_RETRY_AFTER, c.retry_after);
  if (c.allow)
    MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, c.allow);
  if (c.www_auth) /* RFC 6750 3: a 401 names the scheme */
    MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE, c.www_auth);
  enum MHD_Result ret = MHD_queue_response(conn, status, resp);
  MHD_destroy_response(resp);
  return ret;
}

/* Under rest-v1 the whole server speaks this dialect: every request
 * outside /control/ is this module's (1, with |*ret| set); under the
 * handler dialects none is (0). */
static int rest_handle(struct sc_sim *s, struct MHD_Connection *conn,
                       const char *url, const char *method, struct sim_req *r,
                       enum MHD_Result *ret) {
  if (s->dialect != SIM_REST_V1)
    return 0;
  *ret = rest_serve(s, conn, url, method, r);
  return 1;
}

const struct sim_module sim_rest_module = {
    .name = "rest",
    .init = rest_init,
    .init_error = "out of memory",
    .reset = rest_reset,
    .destroy = rest_destroy,
    .handle = rest_handle,
};
