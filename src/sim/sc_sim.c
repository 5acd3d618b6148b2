/* sc_sim.c — the simulator's core (see sc_sim.h and sc_sim_int.h):
 * configuration, the libmicrohttpd glue with the answers' latency (held by
 * sc_sim_latency.h's timer), routing, the handler dialects' rate limit,
 * the handler API's transport and format faults, and the control
 * protocol. It reaches its modules only through the table |modules| of
 * their struct sim_module, and its helpers through the base layer
 * (sc_sim_base.h).
 *
 * Sources, cited at each rule:
 *   000 = seeds/000_7813cc59b783eb5c.txt (KoalaSMS),
 *   001 = seeds/001_ac8db1c65ff3c54b.txt (the handler API reference),
 *   002 = seeds/002_0dec256545badc39.txt (the REST dialect),
 *   003 = seeds/003_5a5597502c76a51c.txt (SMSBulk),
 *   004 = seeds/004_67353fd389171043.txt (SecureSMS),
 *   ARCH = ARCHITECTURE.md "Sandbox control protocol v1" (a contract).
 *
 * Money is kept in integer cents. Invariant, per account:
 *   balance + sum(charges not refunded) == base
 * where base is the starting balance, re-based whenever /control/balance sets
 * the balance. GET /control/state shows base so a test can check it. */
#include "sc_sim_base.h"
#include "sc_sim_latency.h"

#include "sc_alloc.h"
#include "sc_spec.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* The dialects, hand-written from the documents: the code that serves a
 * built-in profile, and a profile file through its built-in base
 * (sc_profile_base). Their timings are the profiles' data ("timing", else
 * lifecycle.json): 001's and 004's 2-minute early-cancel window, 000's 5
 * minutes, none at 003 and 002; 000's 20-minute lifetime for all. */
static const struct dialect_info {
  const char *profile;
  enum sim_dialect d;
} dialects[] = {
    {"sms-activate", SIM_SMS_ACTIVATE}, /* 001 */
    {"koalasms", SIM_KOALASMS},         /* 000 */
    {"smsbulk", SIM_SMSBULK},           /* 003 */
    {"securesms", SIM_SECURESMS},       /* 004 */
    {"rest-v1", SIM_REST_V1},           /* 002 */
};

static const struct fault_info {
  const char *name, *family, *what;
} faults[] = {
#define SIM_FAULT_ROW(e, name, family, what) {name, family, what},
    SIM_FAULT_MAP(SIM_FAULT_ROW)
#undef SIM_FAULT_ROW
};

const char *sc_sim_fault_info(size_t i, const char **family,
                              const char **what) {
  if (i >= SIM_F__COUNT)
    return NULL;
  if (family)
    *family = faults[i].family;
  if (what)
    *what = faults[i].what;
  return faults[i].name;
}

/* The modules, in the order the core calls them (init, reset, expiry, the
 * state dump, the look-up of actions and of control paths); destroy runs
 * in the reverse order. So the webhook thread starts last and stops first,
 * and the state dump lists rents, then mail, then webhooks. */
static const struct sim_module *const modules[] = {
    &sim_act_module, &sim_rent_module, &sim_cat_module, &sim_rest_module,
    &sim_hook_module};
#define NMODULES (sizeof modules / sizeof *modules)

/* ---- small helpers ------------------------------------------------------- */

static void set_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void set_err(char *err, size_t errlen, const char *fmt, ...) {
  if (!err || !errlen)
    return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, errlen, fmt, ap);
  va_end(ap);
}

/* What sets the jitter's stream of the seed apart from sim_rand's. */
#define LATENCY_STREAM 0x6c6174656e6379ull

static void reset_locked(struct sc_sim *s) {
  sim_fixture_reset(s);
  for (size_t i = s->nfixed; i < s->naccounts; i++) {
    sc_free(s->accounts[i].key);
    sc_free(s->accounts[i].webhook_url);
    memset(&s->accounts[i], 0, sizeof s->accounts[i]);
  }
  s->naccounts = s->nfixed;
  for (size_t i = 0; i < s->naccounts; i++) {
    s->accounts[i].balance = s->accounts[i].start_cents;
    s->accounts[i].base = s->accounts[i].start_cents;
    s->accounts[i].nact = 0;
    sc_free(s->accounts[i].webhook_url);
    s->accounts[i].webhook_url = NULL;
  }
  /* The table keeps its allocation: the per-account cap bounds it
   * (accounts x SIM_MAX_ACTIVATIONS_PER_ACCOUNT), and freeing it to grow
   * it again by doubling after every reset scatters the heap (a soak of
   * purchases and resets then grew by 19% instead of staying flat). */
  s->nacts = 0;
  s->next_expiry = LLONG_MAX;
  s->clock_offset = 0;
  s->rng = (uint64_t)s->seed;
  s->latency_rng = (uint64_t)s->seed ^ LATENCY_STREAM;
  memset(s->windows, 0, sizeof s->windows); /* a fresh minute for every key */
  /* Deterministic ids: a 9-digit start derived from the seed; under
   * IDS_FROM_ONE 1, 2, 3, ... as a table with SQLite's AUTOINCREMENT hands
   * them out (the rng is drawn all the same, so phones do not change). */
  s->next_id = 100000000ull + (sim_rand(s) % 800000000ull);
  if (sim_fault(s, SIM_F_IDS_FROM_ONE))
    s->next_id = 1;
  for (size_t i = 0; i < NMODULES; i++)
    if (modules[i]->reset)
      modules[i]->reset(s);
}

static int parse_keys(struct sc_sim *s, const char *keys, char *err,
                      size_t errlen) {
  if (!keys || !*keys) {
    set_err(err, errlen, "no API keys configured");
    return -1;
  }
  const char *p = keys;
  while (*p) {
    const char *e = strchr(p, ',');
    size_t n = e ? (size_t)(e - p) : strlen(p);
    if (n) {
      if (s->naccounts == SIM_MAX_ACCOUNTS) {
        set_err(err, errlen, "too many API keys (at most %d)",
                SIM_MAX_ACCOUNTS);
        return -1;
      }
      const char *colon = memchr(p, ':', n);
      size_t klen = colon ? (size_t)(colon - p) : n;
      long long cents = 10000; /* default balance 100 */
      if (colon) {
        char tmp[32];
        size_t vlen = n - klen - 1;
        if (vlen == 0 || vlen >= sizeof tmp ||
            (memcpy(tmp, colon + 1, vlen), tmp[vlen] = '\0',
             (cents = sim_parse_money(tmp)) < 0)) {
          set_err(err, errlen,
                  "bad balance in key list (want KEY:AMOUNT, e.g. K1:12.50)");
          return -1;
        }
      }
      if (klen == 0) {
        set_err(err, errlen, "empty API key in key list");
        return -1;
      }
      struct sim_account *a = &s->accounts[s->naccounts];
      a->key = sc_strndup(p, klen);
      if (!a->key) {
        set_err(err, errlen, "out of memory");
        return -1;
      }
      a->start_cents = cents;
      s->naccounts++;
      for (size_t i = 0; i + 1 < s->naccounts; i++)
        if (strcmp(s->accounts[i].key, a->key) == 0) {
          set_err(err, errlen, "API key '%s' is listed twice", a->key);
          return -1;
        }
    }
    p += n;
    if (*p == ',')
      p++;
  }
  s->nfixed = s->naccounts;
  if (!s->naccounts) {
    set_err(err, errlen, "no API keys configured");
    return -1;
  }
  return 0;
}

static int parse_faults(struct sc_sim *s, const char *list, char *err,
                        size_t errlen) {
  const char *p = list ? list : "";
  while (*p) {
    size_t n = strcspn(p, ",");
    if (n) {
      size_t i = 0;
      for (; i < SIM_F__COUNT; i++)
        if (strlen(faults[i].name) == n && !strncmp(faults[i].name, p, n))
          break;
      if (i == SIM_F__COUNT) {
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)(n < 60 ? n : 60), p);
        set_err(err, errlen,
                "unknown fault '%s' (see `smsconform list faults`)", name);
        return -1;
      }
      s->faults[i] = 1;
    }
    p += n;
    if (*p == ',')
      p++;
  }
  return 0;
}

/* serve --actions: the comma list |list| (spaces around names allowed),
 * each name an action of the profile, kept as "a,b,c". NULL = every
 * action. */
static int parse_actions(struct sc_sim *s, const char *list, char *err,
                         size_t errlen) {
  if (!list)
    return 0;
  size_t cap = strlen(list) + 1, len = 0;
  char *keep = sc_malloc(cap);
  if (!keep) {
    set_err(err, errlen, "out of memory");
    return -1;
  }
  for (const char *p = list; *p;) {
    size_t n = strcspn(p, ",");
    const char *q = p;
    size_t m = n;
    while (m && *q == ' ')
      q++, m--;
    while (m && q[m - 1] == ' ')
      m--;
    if (m) {
      memcpy(keep + len, q, m);
      keep[len + m] = '\0';
      if (!sc_profile_has_action(s->profile, keep + len)) {
        set_err(err, errlen,
                "'%.64s' is not an action of profile %s (see `smsconform "
                "list actions --profile %s`)",
                keep + len, s->profile_name, s->profile_name);
        sc_free(keep);
        return -1;
      }
      len += m;
      keep[len++] = ',';
    }
    p += n;
    if (*p == ',')
      p++;
  }
  if (!len) {
    set_err(err, errlen, "the action list names no action");
    sc_free(keep);
    return -1;
  }
  keep[len - 1] = '\0';
  s->actions = keep;
  return 0;
}

/* ---- requests ------------------------------------------------------------ */

static int hexval(int c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  c = tolower(c);
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

/* Whether p[i] starts an escape "%HH" that decodes to a byte other than
 * NUL (of the |n| bytes at |p|). A "%00" is left as it is: values are C
 * strings, and one cut at a decoded NUL would read "tg%00" as the service
 * "tg" and "K1%00x" as the key K1. Kept literal, such a value matches no
 * key, service or id, as it would at a vendor comparing whole strings. */
static int escape_at(const char *p, size_t n, size_t i) {
  return p[i] == '%' && i + 2 < n && hexval((unsigned char)p[i + 1]) >= 0 &&
         hexval((unsigned char)p[i + 2]) >= 0 &&
         (p[i + 1] != '0' || p[i + 2] != '0');
}

/* Decodes the |n| bytes at |p| into |out| (which may be |p|: the output
 * is never longer), escape_at's way, with '+' as a space when |plus|;
 * NUL-terminates and returns the length. */
static size_t unescape_into(const char *p, size_t n, char *out, int plus) {
  size_t o = 0;
  for (size_t i = 0; i < n; i++) {
    if (plus && p[i] == '+') {
      out[o++] = ' ';
    } else if (escape_at(p, n, i)) {
      out[o++] = (char)(hexval((unsigned char)p[i + 1]) * 16 +
                        hexval((unsigned char)p[i + 2]));
      i += 2;
    } else {
      out[o++] = p[i];
    }
  }
  out[o] = '\0';
  return o;
}

/* libmicrohttpd's unescaping of the URL path and the query arguments (it
 * has turned a query's '+' into a space already), with escape_at's rule:
 * "%00" stays literal. Returns the new length. */
static size_t url_unescape(void *cls, struct MHD_Connection *c, char *str) {
  (void)cls;
  (void)c;
  return unescape_into(str, strlen(str), str, 0);
}

/* Decodes one application/x-www-form-urlencoded component. A '%' not
 * followed by two hex digits stays literal, and so does "%00"
 * (escape_at). */
static char *form_decode(const char *p, size_t n) {
  char *out = sc_malloc(n + 1);
  if (out)
    unescape_into(p, n, out, 1);
  return out;
}

static int parse_form(struct sim_req *r, const char *body, size_t len) {
  size_t i = 0;
  while (i < len) {
    size_t j = i;
    while (j < len && body[j] != '&')
      j++;
    if (j > i) {
      const char *eq = memchr(body + i, '=', j - i);
      size_t klen = eq ? (size_t)(eq - (body + i)) : j - i;
      char **np = sc_realloc(r->pairs, (r->npairs + 2) * sizeof(char *));
      if (!np)
        return -1;
      r->pairs = np;
      char *k = form_decode(body + i, klen);
      char *v = eq ? form_decode(eq + 1, (size_t)(body + j - eq - 1))
                   : sc_strdup("");
      if (!k || !v) {
        sc_free(k);
        sc_free(v);
        return -1;
      }
      r->pairs[r->npairs++] = k;
      r->pairs[r->npairs++] = v;
    }
    i = j + 1;
  }
  return 0;
}

/* Queues an HTTP answer (copies the body), with an Allow header when
 * |allow| is not NULL and a Retry-After header when |retry_after| (in
 * seconds) is not 0. A 204 has no content, so no content type. */
static enum MHD_Result reply_allow(struct MHD_Connection *conn, unsigned code,
                                   const char *ctype, struct sc_buf *b,
                                   const char *allow, long long retry_after) {
  size_t len = 0;
  char *txt = sc_buf_take(b, &len);
  const char *body = txt ? txt : "ERROR_SQL";
  if (!txt) {
    len = strlen(body);
    code = 500;
  }
  struct MHD_Response *resp = MHD_create_response_from_buffer(
      len, (void *)(uintptr_t)body, MHD_RESPMEM_MUST_COPY);
  sc_free(txt);
  if (!resp)
    return MHD_NO;
  if (code != 204)
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
  if (allow)
    MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, allow);
  if (retry_after) {
    char num[32];
    snprintf(num, sizeof num, "%lld", retry_after);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, num);
  }
  enum MHD_Result ret = MHD_queue_response(conn, code, resp);
  MHD_destroy_response(resp);
  return ret;
}

static enum MHD_Result reply(struct MHD_Connection *conn, unsigned code,
                             const char *ctype, struct sc_buf *b) {
  return reply_allow(conn, code, ctype, b, NULL, 0);
}

/* ---- the handler API ----------------------------------------------------- */

/* The action |name| as served (sim_offers), or NULL. At the handler path
 * (|routed| 0) an action that the profile sends to a path of its own
 * (override "path") is not served: there it is one the dialect does not
 * know. */
static const struct sim_action *find_action(const struct sc_sim *s,
                                            const char *name, int routed) {
  if (!sim_offers(s, name) ||
      (!routed && sc_profile_action_path(s->profile, name)))
    return NULL;
  for (size_t m = 0; m < NMODULES; m++)
    for (const struct sim_action *a = modules[m]->actions; a && a->name; a++)
      if (strcmp(a->name, name) == 0)
        return a;
  return NULL;
}

/* The first entry of the array |key| of the object |o|, or NULL. */
static const cJSON *first_of(const cJSON *o, const char *key) {
  const cJSON *arr = cJSON_GetObjectItemCaseSensitive(o, key);
  return cJSON_IsArray(arr) ? arr->child : NULL;
}

/* The answer to an action the dialect does not know (or that serve
 * --actions leaves out): the profile's "unknown_action" signal, its first
 * token (001: BAD_ACTION - incorrect action; 003: WRONG_ACTION - action
 * name not supported) answered as an error, with the first of its HTTP
 * statuses when the profile's errors declare none; or only that status.
 * 003 "Error Codes": BAD_ACTION - action parameter missing or malformed,
 * so a dialect of 003 answers a malformed name BAD_ACTION. The
 * BAD_ACTION_TOKEN fault answers the other of the two. */
static void unknown_action(struct sim_call *c, const char *name) {
  struct sc_sim *s = c->s;
  const cJSON *ua = sc_profile_unknown_action(s->profile);
  const cJSON *tok = first_of(ua, "tokens"), *st = first_of(ua, "http_status");
  const char *t = cJSON_IsString(tok) ? tok->valuestring : NULL;
  if (s->dialect == SIM_SMSBULK &&
      !(name && *name &&
        strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                     "0123456789_") == strlen(name)))
    t = "BAD_ACTION";
  if (sim_fault(s, SIM_F_BAD_ACTION_TOKEN))
    t = t && strcmp(t, "WRONG_ACTION") == 0 ? "BAD_ACTION" : "WRONG_ACTION";
  if (t)
    sim_token(c, t);
  if (cJSON_IsNumber(st) && st->valuedouble >= 100 &&
      st->valuedouble <= 599 && c->status == 200)
    c->status = (unsigned)st->valuedouble;
}

static const char html_403[] =
    "<!DOCTYPE html>\n<html><head><title>403 Forbidden</title></head>"
    "<body><h1>Forbidden</h1><p>Access denied.</p></body></html>\n";

/* KEY_ECHO_HTML: a framework's 401 page that repeats the key, escaped as
 * a template engine escapes it. */
static void key_echo_page(struct sim_call *c, const char *key) {
  c->status = 401;
  c->ctype = "text/html; charset=utf-8";
  sc_buf_adds(c->out, "<!DOCTYPE html>\n<html><head><title>401 Unauthorized"
                      "</title></head>\n<body><h1>Unauthorized</h1>\n"
                      "<p>Invalid API key: ");
  for (const char *p = key ? key : ""; *p; p++) {
    switch (*p) {
    case '&':
      sc_buf_adds(c->out, "&amp;");
      break;
    case '<':
      sc_buf_adds(c->out, "&lt;");
      break;
    case '>':
      sc_buf_adds(c->out, "&gt;");
      break;
    case '"':
      sc_buf_adds(c->out, "&quot;");
      break;
    case '\'':
      sc_buf_adds(c->out, "&#39;");
      break;
    default:
      sc_buf_addc(c->out, *p);
    }
  }
  sc_buf_adds(c->out, "</p>\n</body></html>\n");
}

/* The answer to an API key that names no account. */
static void bad_key(struct sim_call *c, const char *key, const char *action) {
  struct sc_sim *s = c->s;
  if (sim_fault(s, SIM_F_HTML_ERROR_PAGE)) {
    c->status = 403;
    c->ctype = "text/html; charset=utf-8";
    sc_buf_adds(c->out, html_403);
  } else if (sim_fault(s, SIM_F_KEY_ECHO_HTML)) {
    key_echo_page(c, key);
  } else if (sim_fault(s, SIM_F_KEY_JSON_ERROR)) {
    /* the answer of a JSON framework's auth decorator */
    sc_buf_adds(c->out, "{\"error\":\"Invalid API key\"}");
    c->ctype = "application/json";
  } else if (sim_fault(s, SIM_F_KEY_ECHOED) && key) {
    sc_buf_printf(c->out, "BAD_KEY:%s", key);
  } else if (s->dialect == SIM_KOALASMS && action &&
             strcmp(action, "getActiveActivations") == 0) {
    sim_token(c, "NO_KEY"); /* 000: this call's own word for it */
  } else {
    sim_token(c, "BAD_KEY"); /* 001: BAD_KEY - invalid API key */
  }
}

/* Under mu: counts the request of the caller's key against serve
 * --rate-limit (a window of the simulated clock, sim_window_count) and,
 * past the limit, answers it; 1 when it did. 003 "Error Codes":
 * RATE_LIMITED - "see Retry-After header": smsbulk answers the token as
 * it answers its other errors (plain text, the profile's error status when
 * it declares one), with Retry-After. 000, 001 and 004 document no rate
 * limit and no answer for one: HTTP 429 Too Many Requests (RFC 6585 4)
 * with Retry-After and 003's RATE_LIMITED as the body is the least
 * surprising answer (a status the profile declares for the token wins). */
static int rate_limited(struct sim_call *c) {
  struct sc_sim *s = c->s;
  if (!s->rate_limit)
    return 0;
  long long wait = sim_window_count(s, &s->windows[c->acc], s->rate_limit);
  if (!wait)
    return 0;
  c->retry_after = wait;
  sim_token(c, "RATE_LIMITED");
  if (s->dialect != SIM_SMSBULK &&
      !sc_profile_error_status(
          s->profile, sc_profile_token_for(s->profile, "RATE_LIMITED")))
    c->status = 429;
  return 1;
}

/* Serves one handler-API request: the action named by the route or by
 * action=, its parameters under the profile's wire names. A success of an
 * action whose override says "no_body" is an empty HTTP 204. A key past
 * its rate limit gets the rate-limit answer whatever the action. */
static void handle_api(struct sim_call *c) {
  struct sc_sim *s = c->s;
  const char *action = c->action ? c->action : sim_param(c, "action");
  pthread_mutex_lock(&s->mu);
  sim_expire_locked(s);
  const struct sim_action *act = find_action(s, action, c->action != NULL);
  c->json_action = act && act->answer == SIM_JSON;
  c->served = act ? act->name : NULL;
  const char *key = sim_param(c, "api_key");
  if (!sim_find_account(s, key, &c->acc)) {
    bad_key(c, key, action);
  } else if (rate_limited(c)) {
    /* rate_limited set the answer */
  } else if (act) {
    act->fn(c);
    if (!c->error && c->status == 200 &&
        sc_profile_no_body(s->profile, act->name)) {
      sc_buf_reset(c->out);
      c->status = 204;
    }
  } else {
    unknown_action(c, action);
  }
  pthread_mutex_unlock(&s->mu);
}

static int is_text(const struct sim_call *c) {
  return strncmp(c->ctype, "text/plain", 10) == 0;
}

/* Whether the answer says that the id it was given names nothing: the
 * text tokens of the activation calls, the JSON errors of rent and mail. */
static int unknown_id_answer(const struct sim_call *c, const char *body,
                             size_t len) {
  static const char *const text[] = {"NO_ACTIVATION", "WRONG_ACTIVATION_ID",
                                     "INVALID_ACTIVATION_ID"};
  static const char *const json[] = {"NO_ID_RENT", "INVALID_PHONE",
                                     "ACTIVATION_NOT_FOUND"};
  for (size_t i = 0; c->json_err && i < sizeof json / sizeof *json; i++)
    if (strcmp(c->json_err, json[i]) == 0)
      return 1;
  for (size_t i = 0; is_text(c) && i < sizeof text / sizeof *text; i++)
    if (len == strlen(text[i]) && memcmp(body, text[i], len) == 0)
      return 1;
  return 0;
}

/* SQL_ERROR_JSON: a server that pastes the id into "... WHERE id = " + id
 * and answers any exception with its text (Python's sqlite3 under a
 * catch-all handler). SQLite's message for the id as sent; for a number
 * that names no row, the TypeError of reading the row fetchone() did not
 * find. |*kind| is the exception's name, for the text form. */
static void sqlite_error(const char *id, char *buf, size_t n,
                         const char **kind) {
  size_t len = strlen(id);
  int shown = len > 64 ? 64 : (int)len;
  *kind = "sqlite3.OperationalError";
  if (!len) {
    snprintf(buf, n, "incomplete input");
  } else if (strspn(id, "0123456789") == len) {
    *kind = "TypeError";
    snprintf(buf, n, "'NoneType' object is not subscriptable");
  } else if (!isdigit((unsigned char)id[0]) &&
             strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                        "0123456789_") == len) {
    snprintf(buf, n, "no such column: %.*s", shown, id);
  } else {
    snprintf(buf, n, "unrecognized token: \"%.*s\"", shown, id);
  }
}

/* The transport and format faults, applied to a finished answer. */
static void apply_faults(struct sim_call *c) {
  struct sc_sim *s = c->s;
  if (c->status == 204)
    return; /* no body to spoil */
  const char *body = c->out->ptr ? c->out->ptr : "";
  size_t len = c->out->ptr ? c->out->len : 0;
  if (sim_fault(s, SIM_F_SQL_LEAK) && is_text(c)) {
    const char *id = sim_param(c, "id");
    if (id && *id && !sim_parse_id(id) && len < 40) {
      sc_buf_reset(c->out);
      sc_buf_adds(c->out, "SQLSTATE[42S22]: Column not found: 1054 Unknown "
                          "column in 'where clause'");
      return;
    }
  }
  if (sim_fault(s, SIM_F_SQL_ERROR_JSON) && unknown_id_answer(c, body, len)) {
    const char *id = sim_param(c, "id");
    if (!id)
      id = sim_param(c, "activationId");
    char msg[128];
    const char *kind = NULL;
    sqlite_error(id ? id : "", msg, sizeof msg, &kind);
    c->status = 200;
    sc_buf_reset(c->out);
    if (c->json_action || c->json_err) {
      cJSON *o = cJSON_CreateObject();
      c->json_err = NULL;
      sim_answer(c, o, o && sim_add_str(o, "error", msg));
    } else {
      sc_buf_printf(c->out, "%s: %s", kind, msg);
    }
    return;
  }
  if (sim_fault(s, SIM_F_JSON_STATUS_ERROR) && c->json_action && is_text(c) &&
      len) {
    /* {"status":"error","error":TOKEN}: the whole plain answer as TOKEN */
    const struct sc_token *t = sc_spec_token(s->spec, body, strcspn(body, ":"));
    if (t && t->kind == SC_TOKKIND_ERROR) {
      cJSON *o = cJSON_CreateObject();
      int ok = o && sim_add_str(o, "status", "error") &&
               sim_add_str(o, "error", body);
      sc_buf_reset(c->out);
      sim_answer(c, o, ok);
      return;
    }
  }
  if (sim_fault(s, SIM_F_TOKEN_SPELLING) && len == 13 &&
      memcmp(body, "ACCESS_CANCEL", 13) == 0)
    sc_buf_adds(c->out, "ED");
  if (sim_fault(s, SIM_F_HTTP_500_ERRORS) && is_text(c) && c->status == 200) {
    size_t n = strcspn(body, ":");
    const struct sc_token *t = sc_spec_token(s->spec, body, n);
    if (t && t->kind == SC_TOKKIND_ERROR)
      c->status = 500;
  }
  if (is_text(c)) {
    if (sim_fault(s, SIM_F_TRAILING_NEWLINE))
      sc_buf_adds(c->out, "\n");
    if (sim_fault(s, SIM_F_CONTENT_TYPE_HTML))
      c->ctype = "text/html; charset=utf-8";
  }
}

/* ---- control protocol (ARCH "Sandbox control protocol v1") -------------- */

static int ctl_sms(struct sc_sim *s, const cJSON *j, struct sc_buf *out) {
  char idbuf[32], code[SIM_CODE_MAX] = "";
  if (sim_json_text(cJSON_GetObjectItemCaseSensitive(j, "activationId"),
                    idbuf, sizeof idbuf))
    return sim_ctl_error(out, 400, "activationId required");
  const cJSON *jc = cJSON_GetObjectItemCaseSensitive(j, "code");
  if (jc && sim_json_text(jc, code, sizeof code))
    return sim_ctl_error(out, 400, "code must be a string");
  const cJSON *jt = cJSON_GetObjectItemCaseSensitive(j, "text");
  if (jt && !cJSON_IsString(jt))
    return sim_ctl_error(out, 400, "text must be a string");
  const char *t = jt ? jt->valuestring : NULL;
  if (!code[0]) {
    /* No code given: the first run of digits in the text. */
    size_t k = 0;
    const char *p = t;
    for (; p && *p && !isdigit((unsigned char)*p); p++)
      ;
    while (p && isdigit((unsigned char)*p) && k + 1 < sizeof code)
      code[k++] = *p++;
    code[k] = '\0';
    if (!k)
      return sim_ctl_error(out, 400, "no code and no digits in text");
  }
  /* The vendor's own id: REST ids are "act_" and the core's number. */
  const char *num = idbuf;
  if (s->dialect == SIM_REST_V1 && strncmp(num, "act_", 4) == 0)
    num += 4;
  unsigned long long id = sim_parse_id(num);
  int rc;
  pthread_mutex_lock(&s->mu);
  sim_expire_locked(s);
  struct sim_activation *a = sim_act_by_id(s, id);
  if (!a) {
    rc = sim_ctl_error(out, 404, "no such activation");
  } else if (a->state == SIM_ST_DONE || a->state == SIM_ST_CANCEL) {
    rc = sim_ctl_error(out, 409, "activation is finished");
  } else {
    sim_deliver_sms(s, a, code, t);
    rc = sim_ctl_ok(out);
  }
  pthread_mutex_unlock(&s->mu);
  return rc;
}

static int ctl_offer(struct sc_sim *s, const cJSON *j, struct sc_buf *out,
                     int is_price) {
  const cJSON *sv = cJSON_GetObjectItemCaseSensitive(j, "service");
  const cJSON *co = cJSON_GetObjectItemCaseSensitive(j, "country");
  const cJSON *v =
      cJSON_GetObjectItemCaseSensitive(j, is_price ? "cost" : "count");
  char country[16];
  if (!cJSON_IsString(sv) || sim_json_text(co, country, sizeof country) ||
      !cJSON_IsNumber(v))
    return sim_ctl_error(out, 400,
                         is_price ? "service, country, cost required"
                                  : "service, country, count required");
  long long cents = sim_money_from_double(v->valuedouble);
  if (is_price ? cents < 0 : (v->valuedouble < 0 || v->valuedouble > 1e9))
    return sim_ctl_error(out, 400, "value out of range");
  long si = sim_service_index(s, sv->valuestring);
  if (si < 0)
    si = sim_service_rest_index(s, sv->valuestring); /* 002's full names */
  long ci = sim_country_index(s, country, 1);
  if (si < 0 || ci < 0)
    return sim_ctl_error(out, 404, "no such service/country in the fixture");
  pthread_mutex_lock(&s->mu);
  struct sim_offer *o = sim_offer_at(s, (size_t)si, (size_t)ci);
  if (is_price)
    o->cost = cents;
  else
    o->stock = (long)v->valuedouble;
  pthread_mutex_unlock(&s->mu);
  return sim_ctl_ok(out);
}

/* An account of its own for a client (a conformance check that reads its
 * balance while others buy): {"apiKey":"…","balance":N}; gone at the next
 * reset. 409 when the key is taken or no account is left. */
static int ctl_account(struct sc_sim *s, const cJSON *j, struct sc_buf *out) {
  const cJSON *k = cJSON_GetObjectItemCaseSensitive(j, "apiKey");
  const cJSON *b = cJSON_GetObjectItemCaseSensitive(j, "balance");
  if (!cJSON_IsString(k) || !cJSON_IsNumber(b))
    return sim_ctl_error(out, 400, "apiKey and balance required");
  size_t klen = strlen(k->valuestring);
  if (klen == 0 || klen > 128 || strpbrk(k->valuestring, ",:"))
    return sim_ctl_error(out, 400,
                         "apiKey must be 1 to 128 characters without , or :");
  long long cents = sim_money_from_double(b->valuedouble);
  if (cents < 0)
    return sim_ctl_error(out, 400, "balance out of range");
  int rc;
  pthread_mutex_lock(&s->mu);
  if (sim_find_account(s, k->valuestring, NULL)) {
    rc = sim_ctl_error(out, 409, "apiKey exists");
  } else if (s->naccounts == SIM_MAX_ACCOUNTS) {
    rc = sim_ctl_error(out, 409, "no account left until the next reset");
  } else {
    struct sim_account *a = &s->accounts[s->naccounts];
    memset(a, 0, sizeof *a);
    if (!(a->key = sc_strdup(k->valuestring))) {
      rc = sim_ctl_error(out, 500, "out of memory");
    } else {
      a->start_cents = a->balance = a->base = cents;
      s->naccounts++;
      rc = sim_ctl_ok(out);
    }
  }
  pthread_mutex_unlock(&s->mu);
  return rc;
}

static int ctl_balance(struct sc_sim *s, const cJSON *j, struct sc_buf *out) {
  const cJSON *k = cJSON_GetObjectItemCaseSensitive(j, "apiKey");
  const cJSON *b = cJSON_GetObjectItemCaseSensitive(j, "balance");
  if (!cJSON_IsString(k) || !cJSON_IsNumber(b))
    return sim_ctl_error(out, 400, "apiKey and balance required");
  long long cents = sim_money_from_double(b->valuedouble);
  if (cents < 0)
    return sim_ctl_error(out, 400, "balance out of range");
  int rc;
  pthread_mutex_lock(&s->mu);
  sim_expire_locked(s);
  struct sim_account *a = sim_find_account(s, k->valuestring, NULL);
  if (!a) {
    rc = sim_ctl_error(out, 404, "no such apiKey");
  } else {
    /* Re-base so the invariant keeps holding across the set. */
    a->base += cents - a->balance;
    a->balance = cents;
    rc = sim_ctl_ok(out);
  }
  pthread_mutex_unlock(&s->mu);
  return rc;
}

static const char *const state_names[] = {"WAIT_CODE", "OK", "WAIT_RETRY",
                                          "DONE", "CANCEL"};

static int state_account(cJSON *arr, const struct sim_account *a) {
  cJSON *o = cJSON_CreateObject();
  if (!o || !cJSON_AddItemToArray(arr, o)) {
    cJSON_Delete(o);
    return 0;
  }
  return cJSON_AddStringToObject(o, "apiKey", a->key) &&
         cJSON_AddNumberToObject(o, "balance", sim_money_double(a->balance)) &&
         cJSON_AddNumberToObject(o, "base", sim_money_double(a->base)) &&
         (a->webhook_url
              ? cJSON_AddStringToObject(o, "webhook", a->webhook_url) != NULL
              : cJSON_AddNullToObject(o, "webhook") != NULL);
}

static int state_activation(const struct sc_sim *s, cJSON *arr,
                            const struct sim_activation *a) {
  cJSON *o = cJSON_CreateObject();
  char id[32];
  snprintf(id, sizeof id, "%llu", a->id);
  if (!o || !cJSON_AddItemToArray(arr, o)) {
    cJSON_Delete(o);
    return 0;
  }
  const struct sim_offer *of = &s->offers[a->offer];
  return cJSON_AddStringToObject(o, "id", id) &&
         cJSON_AddStringToObject(o, "apiKey", s->accounts[a->account].key) &&
         cJSON_AddStringToObject(o, "service",
                                 sim_service(s, of->service)->code) &&
         cJSON_AddStringToObject(o, "country",
                                 sim_country(s, of->country)->id) &&
         cJSON_AddStringToObject(o, "phone", a->phone) &&
         cJSON_AddNumberToObject(o, "cost", sim_money_double(a->cost)) &&
         cJSON_AddBoolToObject(o, "refunded", a->refunded) &&
         cJSON_AddStringToObject(o, "state", state_names[a->state]) &&
         cJSON_AddStringToObject(o, "code", a->code) &&
         cJSON_AddNumberToObject(o, "boughtAt", (double)a->bought_at);
}

static int ctl_state(struct sc_sim *s, struct sc_buf *out) {
  cJSON *root = cJSON_CreateObject();
  pthread_mutex_lock(&s->mu);
  sim_expire_locked(s);
  cJSON *accs = cJSON_AddArrayToObject(root, "accounts");
  cJSON *acts = cJSON_AddArrayToObject(root, "activations");
  int ok = root && accs && acts &&
           cJSON_AddStringToObject(root, "profile", s->profile_name) &&
           cJSON_AddNumberToObject(root, "now", (double)sim_now(s)) &&
           cJSON_AddNumberToObject(root, "clockOffset",
                                   (double)s->clock_offset);
  cJSON *fl = ok ? cJSON_AddArrayToObject(root, "faults") : NULL;
  ok = ok && fl;
  for (size_t i = 0; ok && i < SIM_F__COUNT; i++)
    if (s->faults[i]) {
      cJSON *n = cJSON_CreateString(faults[i].name);
      ok = n && cJSON_AddItemToArray(fl, n);
      if (!ok)
        cJSON_Delete(n);
    }
  for (size_t i = 0; ok && i < s->naccounts; i++)
    ok = state_account(accs, &s->accounts[i]);
  for (size_t i = 0; ok && i < s->nacts; i++)
    ok = state_activation(s, acts, &s->acts[i]);
  for (size_t i = 0; ok && i < NMODULES; i++)
    if (modules[i]->state)
      modules[i]->state(s, root);
  pthread_mutex_unlock(&s->mu);
  char *txt = ok ? cJSON_PrintUnformatted(root) : NULL;
  cJSON_Delete(root);
  if (!txt)
    return sim_ctl_error(out, 500, "out of memory");
  sc_buf_adds(out, txt);
  cJSON_free(txt);
  return 200;
}

static int ctl_clock(struct sc_sim *s, const cJSON *j, struct sc_buf *out) {
  const cJSON *adv = cJSON_GetObjectItemCaseSensitive(j, "advance");
  if (!cJSON_IsNumber(adv) || adv->valuedouble < 0 || adv->valuedouble > 1e9)
    return sim_ctl_error(out, 400, "advance must be a number of seconds >= 0");
  pthread_mutex_lock(&s->mu);
  s->clock_offset += (long long)adv->valuedouble;
  sim_expire_locked(s);
  for (size_t i = 0; i < NMODULES; i++)
    if (modules[i]->clock)
      modules[i]->clock(s);
  pthread_mutex_unlock(&s->mu);
  return sim_ctl_ok(out);
}

/* The control protocol serves loopback clients only. */
static int from_loopback(struct MHD_Connection *conn) {
  const union MHD_ConnectionInfo *ci =
      MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  if (!ci || !ci->client_addr)
    return 0;
  if (ci->client_addr->sa_family != AF_INET)
    return 0;
  const struct sockaddr_in *in = (const struct sockaddr_in *)ci->client_addr;
  return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
}

/* The core's own POST paths under /control/; the modules serve theirs
 * (struct sim_module's control_paths). */
enum ctl_path {
  CTL_RESET,
  CTL_SMS,
  CTL_CLOCK,
  CTL_STOCK,
  CTL_PRICE,
  CTL_BALANCE,
  CTL_ACCOUNT,
  CTL__COUNT
};
static const char *const ctl_paths[CTL__COUNT] = {
    "reset", "sms", "clock", "stock", "price", "balance", "account"};

/* The module that serves the control path |path|, or NULL. */
static const struct sim_module *control_module(const char *path) {
  for (size_t i = 0; i < NMODULES; i++)
    for (const char *const *p = modules[i]->control_paths; p && *p; p++)
      if (strcmp(*p, path) == 0)
        return modules[i];
  return NULL;
}

/* Serves the core's POST path |which| with the JSON object |j| (NULL for
 * a reset with an empty body); the HTTP status. */
static int control_core(struct sc_sim *s, enum ctl_path which,
                        const cJSON *j, struct sc_buf *out) {
  switch (which) {
  case CTL_RESET: /* back to the initial fixture */
    pthread_mutex_lock(&s->mu);
    reset_locked(s);
    pthread_mutex_unlock(&s->mu);
    return sim_ctl_ok(out);
  case CTL_SMS:
    return ctl_sms(s, j, out);
  case CTL_CLOCK:
    return ctl_clock(s, j, out);
  case CTL_STOCK:
  case CTL_PRICE:
    return ctl_offer(s, j, out, which == CTL_PRICE);
  case CTL_BALANCE:
    return ctl_balance(s, j, out);
  case CTL_ACCOUNT:
    return ctl_account(s, j, out);
  case CTL__COUNT:
    break;
  }
  return 500;
}

static int handle_control(struct sc_sim *s, const char *path,
                          const char *method, struct sim_req *r,
                          struct sc_buf *out) {
  if (strcmp(path, "state") == 0) {
    if (strcmp(method, "GET") != 0)
      return sim_ctl_error(out, 405, "GET only");
    return ctl_state(s, out);
  }
  size_t which = 0;
  while (which < CTL__COUNT && strcmp(path, ctl_paths[which]) != 0)
    which++;
  const struct sim_module *m =
      which == CTL__COUNT ? control_module(path) : NULL;
  if ((which == CTL__COUNT && !m) || (which == CTL_ACCOUNT && s->control_v1))
    return sim_ctl_error(out, 404, "unknown control path");
  if (strcmp(method, "POST") != 0)
    return sim_ctl_error(out, 405, "POST only");
  const char *body = r->body.ptr ? r->body.ptr : "";
  size_t blen = r->body.ptr ? r->body.len : 0;
  /* reset takes {} but an empty body is harmless. */
  cJSON *j = NULL;
  if (blen || which != CTL_RESET) {
    j = cJSON_ParseWithLength(body, blen);
    if (!j || !cJSON_IsObject(j)) {
      cJSON_Delete(j);
      return sim_ctl_error(out, 400, "body is not a JSON object");
    }
  }
  int rc = m ? m->control(s, path, j, out)
             : control_core(s, (enum ctl_path)which, j, out);
  cJSON_Delete(j);
  return rc ? rc : sim_ctl_error(out, 404, "unknown control path");
}

/* ---- paths --------------------------------------------------------------- */

/* The action served at |url| by a path of its own, or NULL: an action of
 * the profile whose override "path" it is (served when offered), or 004's
 * wallet path ("Deposit wallet GET") where the profile gives the wallet
 * call no path of its own. */
static const char *routed_action(const struct sc_sim *s, const char *url) {
  const cJSON *acts =
      cJSON_GetObjectItemCaseSensitive(s->profile->json, "actions");
  const cJSON *a;
  cJSON_ArrayForEach(a, acts) {
    const char *path = cJSON_IsString(a) ? sc_profile_action_path(
                                               s->profile, a->valuestring)
                                         : NULL;
    if (path && strcmp(path, url) == 0 && sim_offers(s, a->valuestring))
      return a->valuestring;
  }
  if (s->dialect == SIM_SECURESMS &&
      strcmp(url, "/api/payment/getActualWalletAddress") == 0 &&
      !sc_profile_action_path(s->profile, "getActualWalletAddress"))
    return "getActualWalletAddress";
  return NULL;
}

/* The method an action at a path of its own is sent with (the override's
 * "method", GET by default), or NULL when it has no such path and the
 * handler's methods apply. */
static const char *routed_method(const struct sc_sim *s, const char *action) {
  if (!action || !sc_profile_action_path(s->profile, action))
    return NULL;
  const char *m = sc_profile_action_method(s->profile, action);
  return m ? m : "GET";
}

/* Serves the handler path and the paths of single actions; 404 for any
 * other. Methods: GET, POST and HEAD at the handler path (else 405); at an
 * action's own path its method (HEAD with GET), else 405 with the Allow
 * header RFC 9110 15.5.6 asks for. */
static enum MHD_Result serve_handler(struct sc_sim *s,
                                     struct MHD_Connection *conn,
                                     const char *url, const char *method,
                                     struct sim_req *r, struct sc_buf *out) {
  int handler = strcmp(url, "/stubs/handler_api.php") == 0;
  const char *route = handler ? NULL : routed_action(s, url);
  if (!route && !handler) {
    sc_buf_adds(out, "not found");
    return reply(conn, 404, "text/plain; charset=utf-8", out);
  }
  struct sim_call c = {.s = s,
                       .conn = conn,
                       .req = r,
                       .out = out,
                       .status = 200,
                       .ctype = "text/plain; charset=utf-8",
                       .action = route};
  const char *want = routed_method(s, route);
  int allowed = want ? strcmp(method, want) == 0 ||
                           (strcmp(want, "GET") == 0 &&
                            strcmp(method, "HEAD") == 0)
                     : strcmp(method, "GET") == 0 ||
                           strcmp(method, "POST") == 0 ||
                           strcmp(method, "HEAD") == 0;
  if (!allowed) {
    sc_buf_adds(out, "method not allowed");
    return reply_allow(conn, 405, "text/plain; charset=utf-8", out, want, 0);
  }
  if (strcmp(method, "POST") == 0 && r->body.ptr &&
      parse_form(r, r->body.ptr, r->body.len)) {
    sc_buf_adds(out, "ERROR_SQL");
    return reply(conn, 500, c.ctype, out);
  }
  handle_api(&c);
  apply_faults(&c);
  return reply_allow(conn, c.status, c.ctype, out, NULL, c.retry_after);
}

/* ---- libmicrohttpd glue ------------------------------------------------- */

/* How long the answer to one request waits: latency_ms plus a jitter in
 * [0, jitter_ms] drawn from the jitter's own stream of the seed. */
static unsigned answer_delay(struct sc_sim *s) {
  if (!s->jitter_ms)
    return s->latency_ms;
  pthread_mutex_lock(&s->mu);
  uint64_t r = sim_rand_from(&s->latency_rng);
  pthread_mutex_unlock(&s->mu);
  return s->latency_ms + (unsigned)(r % ((uint64_t)s->jitter_ms + 1));
}

/* Whether the request of |r| at |url| is held back for its latency: the
 * first time its upload is complete, every request outside /control/ (the
 * test harness's side door answers at once, so a test's set-up is not
 * slowed) is suspended until its delay has passed; libmicrohttpd then
 * calls on_request again, and the request is answered. */
static int hold_back(struct sc_sim *s, struct MHD_Connection *conn,
                     const char *url, struct sim_req *r) {
  if (!s->latency || r->waited || strncmp(url, "/control/", 9) == 0)
    return 0;
  r->waited = 1;
  unsigned ms = answer_delay(s);
  return ms && sim_latency_hold(s->latency, conn, ms) == 0;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
                                  const char *url, const char *method,
                                  const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls) {
  (void)version;
  struct sc_sim *s = cls;
  struct sim_req *r = *con_cls;
  if (!r) {
    r = sc_calloc(1, sizeof(*r));
    if (!r)
      return MHD_NO;
    sc_buf_init(&r->body, SIM_BODY_MAX);
    *con_cls = r;
    return MHD_YES;
  }
  if (*upload_size) {
    if (!r->too_big && sc_buf_add(&r->body, upload, *upload_size))
      r->too_big = 1; /* keep draining, answer 413 at the end */
    *upload_size = 0;
    return MHD_YES;
  }
  if (hold_back(s, conn, url, r))
    return MHD_YES;
  struct sc_buf out;
  sc_buf_init(&out, SIM_OUT_MAX);
  if (r->too_big) {
    sc_buf_adds(&out, "{\"error\":\"request body over 64 KiB\"}");
    return reply(conn, 413, "application/json", &out);
  }
  if (strncmp(url, "/control/", 9) == 0) {
    int code = from_loopback(conn)
                   ? handle_control(s, url + 9, method, r, &out)
                   : sim_ctl_error(&out, 403, "control is loopback only");
    return reply(conn, (unsigned)code, "application/json", &out);
  }
  /* A module that owns the request (the REST dialect) answers it itself. */
  for (size_t i = 0; i < NMODULES; i++) {
    enum MHD_Result ret = MHD_NO;
    if (modules[i]->handle &&
        modules[i]->handle(s, conn, url, method, r, &ret)) {
      sc_buf_free(&out);
      return ret;
    }
  }
  return serve_handler(s, conn, url, method, r, &out);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe) {
  (void)cls;
  (void)c;
  (void)toe;
  struct sim_req *r = *con_cls;
  if (!r)
    return;
  sc_buf_free(&r->body);
  for (size_t i = 0; i < r->npairs; i++)
    sc_free(r->pairs[i]);
  sc_free(r->pairs);
  sc_free(r);
  *con_cls = NULL;
}

/* A timing rule of the profile as whole seconds for an int field: |def|
 * when the profile and lifecycle.json give none. */
static int timing_seconds(const struct sc_sim *s, const char *name, int def) {
  long long v = sim_timing(s, name, def);
  return v > INT_MAX ? INT_MAX : (int)v;
}

/* The spec (|cfg|'s or the embedded one, loaded here) and the profile
 * named by |cfg|: a built-in one, or a file of |cfg->spec| served by the
 * code of the built-in profile it extends (sc_profile_base). */
static int pick_profile(struct sc_sim *s, const struct sc_sim_config *cfg,
                        char *err, size_t errlen) {
  const char *name = cfg->profile && *cfg->profile ? cfg->profile
                                                   : "sms-activate";
  s->spec = cfg->spec;
  if (!s->spec) {
    enum sc_err e = SC_ERR_OK;
    s->own_spec = sc_spec_new(NULL, &e, NULL);
    if (!s->own_spec) {
      set_err(err, errlen, "cannot load the embedded specs: %s",
              sc_strerror(e));
      return -1;
    }
    s->spec = s->own_spec;
  }
  s->profile = sc_spec_profile(s->spec, name);
  const struct sc_profile *base = sc_profile_base(s->spec, s->profile);
  const struct dialect_info *d = NULL;
  for (size_t i = 0;
       base && base->builtin && i < sizeof dialects / sizeof *dialects; i++)
    if (strcmp(dialects[i].profile, base->name) == 0)
      d = &dialects[i];
  if (!d) {
    set_err(err, errlen,
            "no simulator for profile '%s' (sms-activate, koalasms, smsbulk, "
            "securesms, rest-v1, or a profile file that extends one)",
            name);
    return -1;
  }
  s->profile_name = s->profile->name;
  s->dialect = d->d;
  /* 001: EARLY_CANCEL_DENIED within early_cancel_seconds of the purchase;
   * an activation without a code ends after activation_lifetime_seconds */
  s->early_cancel = cfg->early_cancel_seconds >= 0
                        ? cfg->early_cancel_seconds
                        : timing_seconds(s, "early_cancel_seconds", 0);
  s->lifetime = cfg->lifetime_seconds > 0
                    ? cfg->lifetime_seconds
                    : timing_seconds(s, "activation_lifetime_seconds", 1200);
  if (s->lifetime <= 0)
    s->lifetime = 1200; /* a profile's 0 would end every purchase at once */
  return 0;
}

/* The rate limit and the latency of |cfg|, after pick_profile (the rate
 * limit's default is the dialect's); -1 with a message in |err|. */
static int pace(struct sc_sim *s, const struct sc_sim_config *cfg, char *err,
                size_t errlen) {
  /* 002 "Rate Limits": 300 requests per minute per API key; the handler
   * dialects document no limit (003's RATE_LIMITED names a quota, not its
   * size), so none unless one is configured */
  s->rate_limit = cfg->rate_limit;
  if (!s->rate_limit && s->dialect == SIM_REST_V1)
    s->rate_limit = 300;
  if (cfg->latency_ms > SIM_LATENCY_MAX_MS ||
      cfg->latency_jitter_ms > SIM_LATENCY_MAX_MS) {
    set_err(err, errlen, "latency and its jitter are at most %u ms each",
            SIM_LATENCY_MAX_MS);
    return -1;
  }
  s->latency_ms = cfg->latency_ms;
  s->jitter_ms = cfg->latency_jitter_ms;
  return 0;
}

/* Runs every module's init, in the table's order; -1 with the failing
 * module's message in |err|. The mutex exists already (the webhook
 * thread starts with it). */
static int init_modules(struct sc_sim *s, char *err, size_t errlen) {
  for (size_t i = 0; i < NMODULES; i++)
    if (modules[i]->init && modules[i]->init(s)) {
      set_err(err, errlen, "%s",
              modules[i]->init_error ? modules[i]->init_error
                                     : "out of memory");
      return -1;
    }
  return 0;
}

/* Starts libmicrohttpd on |cfg|'s host and port and records the port
 * bound; -1 with a message in |err|. */
static int start_server(struct sc_sim *s, const struct sc_sim_config *cfg,
                        char *err, size_t errlen) {
  struct sockaddr_in sa;
  memset(&sa, 0, sizeof sa);
  sa.sin_family = AF_INET;
  sa.sin_port = htons((uint16_t)cfg->port);
  const char *host = cfg->host;
  if (!host || !*host || strcmp(host, "localhost") == 0)
    host = "127.0.0.1";
  if (cfg->port > 65535 || inet_pton(AF_INET, host, &sa.sin_addr) != 1) {
    set_err(err, errlen, "host must be an IPv4 address and port <= 65535");
    return -1;
  }
  /* answers that wait suspend their connection (sc_sim_latency.h) */
  unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO;
  if (s->latency)
    flags |= MHD_ALLOW_SUSPEND_RESUME;
  s->daemon = MHD_start_daemon(
      flags, (uint16_t)cfg->port, NULL, NULL, on_request, s,
      MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa, MHD_OPTION_NOTIFY_COMPLETED,
      on_completed, s, MHD_OPTION_UNESCAPE_CALLBACK, url_unescape, s,
      MHD_OPTION_THREAD_POOL_SIZE, (unsigned)4, MHD_OPTION_CONNECTION_LIMIT,
      (unsigned)1000, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
      /* libmicrohttpd keeps every query parameter in the connection's
       * memory pool and stops answering when the pool runs out (about 500
       * parameters at its 32 KiB default); 256 KiB takes about 3700. The
       * pool is zeroed whole between two requests on a kept-alive
       * connection, so its size is paid on every request: at 1 MiB that
       * zeroing was most of the simulator's time (bench/README.md). */
      MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(256 * 1024), MHD_OPTION_END);
  if (!s->daemon) {
    set_err(err, errlen, "cannot start the HTTP server on %s (port in use?)",
            host);
    return -1;
  }
  const union MHD_DaemonInfo *di =
      MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
  s->port = di ? di->port : cfg->port;
  return 0;
}

struct sc_sim *sc_sim_new(const struct sc_sim_config *cfg, char *err,
                          size_t errlen) {
  if (err && errlen)
    err[0] = '\0';
  if (!cfg) {
    set_err(err, errlen, "no configuration");
    return NULL;
  }
  sc_alloc_init();
  struct sc_sim *s = sc_calloc(1, sizeof(*s));
  if (!s) {
    set_err(err, errlen, "out of memory");
    return NULL;
  }
  s->modules = modules;
  s->nmodules = NMODULES;
  s->seed = cfg->seed;
  s->stock = (long)cfg->stock; /* 0: the catalogue's */
  s->control_v1 = cfg->control_v1;
  if (pick_profile(s, cfg, err, errlen) || pace(s, cfg, err, errlen) ||
      parse_actions(s, cfg->actions, err, errlen) ||
      parse_faults(s, cfg->faults, err, errlen) ||
      parse_keys(s, cfg->keys, err, errlen))
    goto fail;
  if (!(s->cat = sim_catalogue_open(cfg->catalogue, err, errlen)))
    goto fail;
  s->noffers = sim_nservices(s) * sim_ncountries(s);
  s->offers = sc_calloc(s->noffers, sizeof *s->offers);
  if (!s->offers) {
    set_err(err, errlen, "out of memory");
    goto fail;
  }
  if (pthread_mutex_init(&s->mu, NULL)) {
    set_err(err, errlen, "pthread_mutex_init failed");
    goto fail;
  }
  s->mu_ok = 1;
  if ((s->latency_ms || s->jitter_ms) && !(s->latency = sim_latency_new())) {
    set_err(err, errlen, "cannot start the latency timer thread");
    goto fail;
  }
  if (init_modules(s, err, errlen))
    goto fail;
  reset_locked(s);
  if (start_server(s, cfg, err, errlen))
    goto fail;
  return s;
fail:
  sc_sim_destroy(s);
  return NULL;
}

unsigned sc_sim_port(const struct sc_sim *sim) { return sim ? sim->port : 0; }

const char *sc_sim_profile(const struct sc_sim *sim) {
  return sim ? sim->profile_name : NULL;
}

int sc_sim_is_rest(const struct sc_sim *sim) {
  return sim && sim->dialect == SIM_REST_V1;
}

void sc_sim_destroy(struct sc_sim *sim) {
  if (!sim)
    return;
  /* libmicrohttpd must find no connection suspended when it stops */
  sim_latency_stop(sim->latency);
  if (sim->daemon)
    MHD_stop_daemon(sim->daemon);
  sim_latency_destroy(sim->latency);
  for (size_t i = NMODULES; i-- > 0;)
    if (modules[i]->destroy)
      modules[i]->destroy(sim);
  if (sim->mu_ok)
    pthread_mutex_destroy(&sim->mu);
  for (size_t i = 0; i < sim->naccounts; i++) {
    sc_free(sim->accounts[i].key);
    sc_free(sim->accounts[i].webhook_url);
  }
  sc_free(sim->acts);
  sc_free(sim->offers);
  sim_catalogue_destroy(sim->cat);
  sc_free(sim->actions);
  sc_spec_destroy(sim->own_spec);
  sc_free(sim);
}
