/* sc_sim.c — the reference simulator (see sc_sim.h).
 *
 * Sources, cited at each rule:
 *   001 = seeds/001_ac8db1c65ff3c54b.txt (the handler API reference),
 *   004 = seeds/004_67353fd389171043.txt (EARLY_CANCEL_DENIED after 2 min),
 *   ARCH = ARCHITECTURE.md "Sandbox control protocol v1" (a contract).
 *
 * Money is kept in integer cents. Invariant, per account:
 *   balance + sum(charges not refunded) == base
 * where base is the starting balance, re-based whenever /control/balance sets
 * the balance. GET /control/state shows base so a test can check it. */
#include "sc_sim.h"

#include "sc_alloc.h"
#include "sc_buf.h"

#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#define MAX_ACCOUNTS 64
#define MAX_ACTIVATIONS_PER_ACCOUNT 1000 /* beyond it: NO_NUMBERS */
#define BODY_MAX (64 * 1024)             /* larger request bodies: 413 */
#define CODE_MAX 64

enum act_state {
  ST_WAIT_CODE,  /* bought, no SMS yet (also after status 1) */
  ST_OK,         /* a code arrived */
  ST_WAIT_RETRY, /* status 3 after a code: waiting for the next one */
  ST_DONE,       /* status 6: completed */
  ST_CANCEL      /* status 8 or expiry: cancelled and refunded */
};

struct account {
  char *key;
  long long start_cents; /* from the config; restored by /control/reset */
  long long balance;     /* cents */
  long long base;        /* see the invariant above */
  unsigned nact;         /* activations bought */
};

struct offer {
  const char *service;
  const char *country;
  long long cost; /* cents */
  long stock;
};

struct activation {
  unsigned long long id;
  size_t account;
  size_t offer;
  char phone[16];
  long long cost; /* cents charged */
  int refunded;
  enum act_state state;
  int ready; /* status 1 seen */
  long long bought_at; /* simulated seconds */
  char code[CODE_MAX];
  char lastcode[CODE_MAX];
};

/* 001 lists services and countries by table; this fixture is the slice the
 * suite needs: tg, wa, vk in countries 0, 12, 187 at 0.50, stock 10. */
static const char *const fixture_services[] = {"tg", "wa", "vk"};
static const char *const fixture_countries[] = {"0", "12", "187"};
#define NOFFERS 9
#define FIXTURE_COST 50
#define FIXTURE_STOCK 10

struct sc_sim {
  struct MHD_Daemon *daemon;
  unsigned port;
  pthread_mutex_t mu;
  int mu_ok;
  unsigned long seed;
  int early_cancel;
  int lifetime;
  /* everything below is guarded by mu */
  struct account accounts[MAX_ACCOUNTS];
  size_t naccounts;
  struct offer offers[NOFFERS];
  struct activation *acts;
  size_t nacts, capacts;
  long long clock_offset; /* seconds added by /control/clock */
  uint64_t rng;
  unsigned long long next_id;
};

/* ---- small helpers ------------------------------------------------------ */

static void set_err(char *err, size_t errlen, const char *msg) {
  if (err && errlen)
    snprintf(err, errlen, "%s", msg);
}

static uint64_t splitmix(uint64_t *s) {
  uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/* Simulated time: real time plus what /control/clock advanced (ARCH). */
static long long sim_now(const struct sc_sim *s) {
  return (long long)time(NULL) + s->clock_offset;
}

/* Parses a non-negative decimal amount into cents; -1 if malformed. */
static long long parse_money(const char *str) {
  if (!str || !*str)
    return -1;
  char *end = NULL;
  errno = 0;
  double d = strtod(str, &end);
  if (errno || end == str || *end || !(d >= 0) || d > 1e12)
    return -1;
  return (long long)(d * 100.0 + 0.5);
}

static long long money_from_double(double d) {
  if (!(d >= 0) || d > 1e12)
    return -1;
  return (long long)(d * 100.0 + 0.5);
}

/* Parses a positive decimal id; 0 if not a number. */
static unsigned long long parse_id(const char *str) {
  if (!str || !*str || strlen(str) > 19)
    return 0;
  for (const char *p = str; *p; p++)
    if (!isdigit((unsigned char)*p))
      return 0;
  return strtoull(str, NULL, 10);
}

static void reset_locked(struct sc_sim *s) {
  size_t k = 0;
  for (size_t i = 0; i < 3; i++)
    for (size_t j = 0; j < 3; j++, k++) {
      s->offers[k].service = fixture_services[i];
      s->offers[k].country = fixture_countries[j];
      s->offers[k].cost = FIXTURE_COST;
      s->offers[k].stock = FIXTURE_STOCK;
    }
  for (size_t i = 0; i < s->naccounts; i++) {
    s->accounts[i].balance = s->accounts[i].start_cents;
    s->accounts[i].base = s->accounts[i].start_cents;
    s->accounts[i].nact = 0;
  }
  s->nacts = 0;
  s->clock_offset = 0;
  s->rng = (uint64_t)s->seed;
  /* Deterministic ids: a 9-digit start derived from the seed. */
  s->next_id = 100000000ull + (splitmix(&s->rng) % 800000000ull);
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
      if (s->naccounts == MAX_ACCOUNTS) {
        set_err(err, errlen, "too many API keys");
        return -1;
      }
      const char *colon = memchr(p, ':', n);
      size_t klen = colon ? (size_t)(colon - p) : n;
      long long cents = 10000; /* default balance 100 */
      if (colon) {
        char tmp[32];
        size_t vlen = n - klen - 1;
        if (vlen == 0 || vlen >= sizeof tmp) {
          set_err(err, errlen, "bad balance in key list");
          return -1;
        }
        memcpy(tmp, colon + 1, vlen);
        tmp[vlen] = '\0';
        cents = parse_money(tmp);
        if (cents < 0) {
          set_err(err, errlen, "bad balance in key list");
          return -1;
        }
      }
      if (klen == 0) {
        set_err(err, errlen, "empty API key");
        return -1;
      }
      struct account *a = &s->accounts[s->naccounts];
      a->key = sc_strndup(p, klen);
      if (!a->key) {
        set_err(err, errlen, "out of memory");
        return -1;
      }
      a->start_cents = cents;
      s->naccounts++;
    }
    p += n;
    if (*p == ',')
      p++;
  }
  if (!s->naccounts) {
    set_err(err, errlen, "no API keys configured");
    return -1;
  }
  return 0;
}

static struct account *find_account(struct sc_sim *s, const char *key,
                                    size_t *idx) {
  if (!key)
    return NULL;
  for (size_t i = 0; i < s->naccounts; i++)
    if (strcmp(s->accounts[i].key, key) == 0) {
      if (idx)
        *idx = i;
      return &s->accounts[i];
    }
  return NULL;
}

static struct activation *find_act(struct sc_sim *s, unsigned long long id) {
  for (size_t i = 0; i < s->nacts; i++)
    if (s->acts[i].id == id)
      return &s->acts[i];
  return NULL;
}

static struct offer *find_offer(struct sc_sim *s, const char *service,
                                const char *country, int *service_known) {
  *service_known = 0;
  for (size_t i = 0; i < NOFFERS; i++) {
    if (!service || strcmp(s->offers[i].service, service) != 0)
      continue;
    *service_known = 1;
    if (country && strcmp(s->offers[i].country, country) == 0)
      return &s->offers[i];
  }
  return NULL;
}

/* Refunds |a| once; the flag makes a second call a no-op so no path can pay
 * twice (money invariant). */
static void refund(struct sc_sim *s, struct activation *a) {
  if (a->refunded)
    return;
  a->refunded = 1;
  s->accounts[a->account].balance += a->cost;
}

/* An activation that never got a code is cancelled and refunded once its
 * lifetime has passed (001: a number without SMS ends as STATUS_CANCEL). */
static void expire_locked(struct sc_sim *s) {
  long long now = sim_now(s);
  for (size_t i = 0; i < s->nacts; i++) {
    struct activation *a = &s->acts[i];
    if (a->state == ST_WAIT_CODE && now - a->bought_at >= s->lifetime) {
      a->state = ST_CANCEL;
      refund(s, a);
    }
  }
}

/* ---- handler API -------------------------------------------------------- */

struct req {
  struct sc_buf body;
  int too_big;
  char **pairs; /* decoded form fields: key, value, key, value ... */
  size_t npairs;
};

static int hexval(int c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  c = tolower(c);
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

/* Decodes one application/x-www-form-urlencoded component. */
static char *form_decode(const char *p, size_t n) {
  char *out = sc_malloc(n + 1);
  if (!out)
    return NULL;
  size_t o = 0;
  for (size_t i = 0; i < n; i++) {
    if (p[i] == '+') {
      out[o++] = ' ';
    } else if (p[i] == '%' && i + 2 < n &&
               hexval((unsigned char)p[i + 1]) >= 0 &&
               hexval((unsigned char)p[i + 2]) >= 0) {
      out[o++] = (char)(hexval((unsigned char)p[i + 1]) * 16 +
                        hexval((unsigned char)p[i + 2]));
      i += 2;
    } else {
      out[o++] = p[i];
    }
  }
  out[o] = '\0';
  return out;
}

static int parse_form(struct req *r, const char *body, size_t len) {
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

/* A parameter from the POST form if present, else from the query string
 * (001: every parameter may come either way). */
static const char *param(struct MHD_Connection *c, struct req *r,
                         const char *name) {
  for (size_t i = 0; i + 1 < r->npairs; i += 2)
    if (strcmp(r->pairs[i], name) == 0)
      return r->pairs[i + 1];
  return MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, name);
}

static void money_fmt(struct sc_buf *b, const char *prefix, long long cents) {
  sc_buf_printf(b, "%s%lld.%02lld", prefix, cents / 100, cents % 100);
}

static void do_get_number(struct sc_sim *s, struct MHD_Connection *c,
                          struct req *r, size_t acc, struct sc_buf *out) {
  const char *service = param(c, r, "service");
  const char *country = param(c, r, "country");
  const char *max_price = param(c, r, "maxPrice");
  int known = 0;
  struct offer *o = find_offer(s, service, country, &known);
  /* 001: BAD_SERVICE - incorrect service name */
  if (!known) {
    sc_buf_adds(out, "BAD_SERVICE");
    return;
  }
  /* 001 lists no error for a missing or unknown country: nothing to sell
   * there, so NO_NUMBERS. */
  if (!o) {
    sc_buf_adds(out, "NO_NUMBERS");
    return;
  }
  /* 001: WRONG_MAX_PRICE:$min - the specified maximum price is less than the
   * allowed one; $min is the minimum allowable price. */
  if (max_price && *max_price) {
    long long mp = parse_money(max_price);
    if (mp < 0 || mp < o->cost) {
      money_fmt(out, "WRONG_MAX_PRICE:", o->cost);
      return;
    }
  }
  struct account *a = &s->accounts[acc];
  /* 001: NO_NUMBERS - no numbers. Also our per-account cap. */
  if (o->stock <= 0 || a->nact >= MAX_ACTIVATIONS_PER_ACCOUNT) {
    sc_buf_adds(out, "NO_NUMBERS");
    return;
  }
  /* 001: NO_BALANCE - balance has ended */
  if (a->balance < o->cost) {
    sc_buf_adds(out, "NO_BALANCE");
    return;
  }
  if (s->nacts == s->capacts) {
    size_t nc = s->capacts ? s->capacts * 2 : 16;
    struct activation *na = sc_realloc(s->acts, nc * sizeof(*na));
    if (!na) {
      sc_buf_adds(out, "ERROR_SQL"); /* 001: ERROR_SQL - server error */
      return;
    }
    s->acts = na;
    s->capacts = nc;
  }
  struct activation *act = &s->acts[s->nacts++];
  memset(act, 0, sizeof(*act));
  act->id = s->next_id++;
  act->account = acc;
  act->offer = (size_t)(o - s->offers);
  /* 11 digits, deterministic from the seed. */
  snprintf(act->phone, sizeof act->phone, "%llu",
           10000000000ull + splitmix(&s->rng) % 90000000000ull);
  act->cost = o->cost;
  act->state = ST_WAIT_CODE;
  act->bought_at = sim_now(s);
  o->stock--;
  a->nact++;
  a->balance -= o->cost; /* charged now, refunded on cancel or expiry */
  /* 001: ACCESS_NUMBER:$id:$phone */
  sc_buf_printf(out, "ACCESS_NUMBER:%llu:%s", act->id, act->phone);
}

static void do_get_status(struct sc_sim *s, struct MHD_Connection *c,
                          struct req *r, size_t acc, struct sc_buf *out) {
  /* 001 lists WRONG_ACTIVATION_ID only for setStatus; for getStatus a
   * non-numeric id is just an activation that does not exist. */
  unsigned long long id = parse_id(param(c, r, "id"));
  struct activation *a = id ? find_act(s, id) : NULL;
  if (!a || a->account != acc) {
    sc_buf_adds(out, "NO_ACTIVATION"); /* 001: id does not exist */
    return;
  }
  switch (a->state) {
  case ST_WAIT_CODE:
    sc_buf_adds(out, "STATUS_WAIT_CODE"); /* 001: waiting for SMS */
    break;
  case ST_OK:
  case ST_DONE:
    sc_buf_printf(out, "STATUS_OK:%s", a->code); /* 001: code received */
    break;
  case ST_WAIT_RETRY:
    /* 001: STATUS_WAIT_RETRY: 'past, unmatched code' */
    sc_buf_printf(out, "STATUS_WAIT_RETRY:%s", a->lastcode);
    break;
  case ST_CANCEL:
    sc_buf_adds(out, "STATUS_CANCEL"); /* 001: activation canceled */
    break;
  }
}

static void do_set_status(struct sc_sim *s, struct MHD_Connection *c,
                          struct req *r, size_t acc, struct sc_buf *out) {
  const char *ids = param(c, r, "id");
  const char *st = param(c, r, "status");
  unsigned long long id = parse_id(ids);
  /* 001: WRONG_ACTIVATION_ID - invalid ID or ID is not a number */
  if (!id) {
    sc_buf_adds(out, "WRONG_ACTIVATION_ID");
    return;
  }
  struct activation *a = find_act(s, id);
  /* 001: NO_ACTIVATION - activation id does not exist (another account's
   * activation does not exist for this key). */
  if (!a || a->account != acc) {
    sc_buf_adds(out, "NO_ACTIVATION");
    return;
  }
  int status = -1;
  if (st && strlen(st) == 1 && isdigit((unsigned char)st[0]))
    status = st[0] - '0';
  switch (status) {
  case 1:
    /* 001: 1 - notify about the number availability -> ACCESS_READY;
     * allowed right after getNumber. */
    if (a->state != ST_WAIT_CODE)
      break;
    a->ready = 1;
    sc_buf_adds(out, "ACCESS_READY");
    return;
  case 3:
    /* 001: "Immediately after receiving the code: 3 - request one more SMS"
     * -> ACCESS_RETRY_GET, waiting for a new SMS. */
    if (a->state != ST_OK)
      break;
    memcpy(a->lastcode, a->code, sizeof a->lastcode);
    a->state = ST_WAIT_RETRY;
    sc_buf_adds(out, "ACCESS_RETRY_GET");
    return;
  case 6:
    /* 001: 6 - finish the activation, after a code or after status 3. */
    if (a->state != ST_OK && a->state != ST_WAIT_RETRY)
      break;
    a->state = ST_DONE;
    sc_buf_adds(out, "ACCESS_ACTIVATION");
    return;
  case 8:
    /* 001: 8 - cancel, offered after getNumber and after status 1 only;
     * completed, cancelled or coded activations: BAD_STATUS. */
    if (a->state != ST_WAIT_CODE)
      break;
    /* 001/004: EARLY_CANCEL_DENIED - not allowed to cancel a number within
     * the first 2 minutes (early_cancel_seconds). */
    if (sim_now(s) - a->bought_at < s->early_cancel) {
      sc_buf_adds(out, "EARLY_CANCEL_DENIED");
      return;
    }
    a->state = ST_CANCEL;
    refund(s, a); /* exactly once */
    sc_buf_adds(out, "ACCESS_CANCEL");
    return;
  default:
    break;
  }
  sc_buf_adds(out, "BAD_STATUS"); /* 001: BAD_STATUS - incorrect status */
}

static void handle_api(struct sc_sim *s, struct MHD_Connection *c,
                       struct req *r, struct sc_buf *out) {
  const char *key = param(c, r, "api_key");
  const char *action = param(c, r, "action");
  size_t acc = 0;
  pthread_mutex_lock(&s->mu);
  expire_locked(s);
  if (!find_account(s, key, &acc)) {
    sc_buf_adds(out, "BAD_KEY"); /* 001: BAD_KEY - invalid API key */
  } else if (action && strcmp(action, "getBalance") == 0) {
    /* 001: ACCESS_BALANCE: 'account balance' */
    money_fmt(out, "ACCESS_BALANCE:", s->accounts[acc].balance);
  } else if (action && strcmp(action, "getNumber") == 0) {
    do_get_number(s, c, r, acc, out);
  } else if (action && strcmp(action, "getStatus") == 0) {
    do_get_status(s, c, r, acc, out);
  } else if (action && strcmp(action, "setStatus") == 0) {
    do_set_status(s, c, r, acc, out);
  } else {
    sc_buf_adds(out, "BAD_ACTION"); /* 001: BAD_ACTION - incorrect action */
  }
  pthread_mutex_unlock(&s->mu);
}

/* ---- control protocol (ARCH "Sandbox control protocol v1") -------------- */

/* Returns the HTTP status; |out| holds the JSON body. */
static int ctl_error(struct sc_buf *out, int code, const char *msg) {
  cJSON *o = cJSON_CreateObject();
  char *txt = NULL;
  if (o && cJSON_AddStringToObject(o, "error", msg))
    txt = cJSON_PrintUnformatted(o);
  if (txt)
    sc_buf_adds(out, txt);
  else
    sc_buf_adds(out, "{\"error\":\"out of memory\"}");
  cJSON_free(txt);
  cJSON_Delete(o);
  return code;
}

static int ctl_ok(struct sc_buf *out) {
  sc_buf_adds(out, "{\"ok\":true}");
  return 200;
}

/* A JSON string or number as text in |buf|; 0 on success. */
static int json_text(const cJSON *it, char *buf, size_t n) {
  if (cJSON_IsString(it) && it->valuestring) {
    if (strlen(it->valuestring) >= n)
      return -1;
    snprintf(buf, n, "%s", it->valuestring);
    return 0;
  }
  if (cJSON_IsNumber(it) && it->valuedouble >= 0 && it->valuedouble < 1e18) {
    snprintf(buf, n, "%.0f", it->valuedouble);
    return 0;
  }
  return -1;
}

static int ctl_sms(struct sc_sim *s, const cJSON *j, struct sc_buf *out) {
  char idbuf[32], code[CODE_MAX] = "";
  if (json_text(cJSON_GetObjectItemCaseSensitive(j, "activationId"), idbuf,
                sizeof idbuf))
    return ctl_error(out, 400, "activationId required");
  const cJSON *jc = cJSON_GetObjectItemCaseSensitive(j, "code");
  if (jc && json_text(jc, code, sizeof code))
    return ctl_error(out, 400, "bad code");
  if (!code[0]) {
    /* No code given: the first run of digits in the text. */
    const cJSON *jt = cJSON_GetObjectItemCaseSensitive(j, "text");
    const char *t = cJSON_IsString(jt) ? jt->valuestring : NULL;
    size_t k = 0;
    for (; t && *t && !isdigit((unsigned char)*t); t++)
      ;
    while (t && isdigit((unsigned char)*t) && k + 1 < sizeof code)
      code[k++] = *t++;
    code[k] = '\0';
    if (!k)
      return ctl_error(out, 400, "no code and no digits in text");
  }
  unsigned long long id = parse_id(idbuf);
  int rc;
  pthread_mutex_lock(&s->mu);
  expire_locked(s);
  struct activation *a = id ? find_act(s, id) : NULL;
  if (!a) {
    rc = ctl_error(out, 404, "no such activation");
  } else if (a->state == ST_DONE || a->state == ST_CANCEL) {
    rc = ctl_error(out, 409, "activation is finished");
  } else {
    /* The code is delivered: STATUS_OK:code; in WAIT_RETRY, the new one. */
    snprintf(a->code, sizeof a->code, "%s", code);
    a->state = ST_OK;
    rc = ctl_ok(out);
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
  if (!cJSON_IsString(sv) || json_text(co, country, sizeof country) ||
      !cJSON_IsNumber(v))
    return ctl_error(out, 400, is_price ? "service, country, cost required"
                                        : "service, country, count required");
  long long cents = money_from_double(v->valuedouble);
  if (is_price ? cents < 0 : (v->valuedouble < 0 || v->valuedouble > 1e9))
    return ctl_error(out, 400, "value out of range");
  int rc, known;
  pthread_mutex_lock(&s->mu);
  struct offer *o = find_offer(s, sv->valuestring, country, &known);
  if (!o) {
    rc = ctl_error(out, 404, "no such service/country in the fixture");
  } else {
    if (is_price)
      o->cost = cents;
    else
      o->stock = (long)v->valuedouble;
    rc = ctl_ok(out);
  }
  pthread_mutex_unlock(&s->mu);
  return rc;
}

static int ctl_balance(struct sc_sim *s, const cJSON *j, struct sc_buf *out) {
  const cJSON *k = cJSON_GetObjectItemCaseSensitive(j, "apiKey");
  const cJSON *b = cJSON_GetObjectItemCaseSensitive(j, "balance");
  if (!cJSON_IsString(k) || !cJSON_IsNumber(b))
    return ctl_error(out, 400, "apiKey and balance required");
  long long cents = money_from_double(b->valuedouble);
  if (cents < 0)
    return ctl_error(out, 400, "balance out of range");
  int rc;
  pthread_mutex_lock(&s->mu);
  expire_locked(s);
  struct account *a = find_account(s, k->valuestring, NULL);
  if (!a) {
    rc = ctl_error(out, 404, "no such apiKey");
  } else {
    /* Re-base so the invariant keeps holding across the set. */
    a->base += cents - a->balance;
    a->balance = cents;
    rc = ctl_ok(out);
  }
  pthread_mutex_unlock(&s->mu);
  return rc;
}

static int ctl_state(struct sc_sim *s, struct sc_buf *out) {
  static const char *const names[] = {"WAIT_CODE", "OK", "WAIT_RETRY",
                                      "DONE", "CANCEL"};
  int ok = 1;
  cJSON *root = cJSON_CreateObject();
  pthread_mutex_lock(&s->mu);
  expire_locked(s);
  cJSON *accs = cJSON_AddArrayToObject(root, "accounts");
  cJSON *acts = cJSON_AddArrayToObject(root, "activations");
  ok = ok && root && accs && acts &&
       cJSON_AddNumberToObject(root, "now", (double)sim_now(s)) &&
       cJSON_AddNumberToObject(root, "clockOffset", (double)s->clock_offset);
  for (size_t i = 0; ok && i < s->naccounts; i++) {
    struct account *a = &s->accounts[i];
    cJSON *o = cJSON_CreateObject();
    if (o && !cJSON_AddItemToArray(accs, o)) {
      cJSON_Delete(o);
      o = NULL;
    }
    ok = o && cJSON_AddStringToObject(o, "apiKey", a->key) &&
         cJSON_AddNumberToObject(o, "balance", (double)a->balance / 100) &&
         cJSON_AddNumberToObject(o, "base", (double)a->base / 100);
  }
  for (size_t i = 0; ok && i < s->nacts; i++) {
    struct activation *a = &s->acts[i];
    cJSON *o = cJSON_CreateObject();
    char id[32];
    snprintf(id, sizeof id, "%llu", a->id);
    if (o && !cJSON_AddItemToArray(acts, o)) {
      cJSON_Delete(o);
      o = NULL;
    }
    ok = o && cJSON_AddStringToObject(o, "id", id) &&
         cJSON_AddStringToObject(o, "apiKey", s->accounts[a->account].key) &&
         cJSON_AddStringToObject(o, "service",
                                 s->offers[a->offer].service) &&
         cJSON_AddStringToObject(o, "country",
                                 s->offers[a->offer].country) &&
         cJSON_AddStringToObject(o, "phone", a->phone) &&
         cJSON_AddNumberToObject(o, "cost", (double)a->cost / 100) &&
         cJSON_AddBoolToObject(o, "refunded", a->refunded) &&
         cJSON_AddStringToObject(o, "state", names[a->state]) &&
         cJSON_AddStringToObject(o, "code", a->code);
  }
  pthread_mutex_unlock(&s->mu);
  char *txt = ok ? cJSON_PrintUnformatted(root) : NULL;
  cJSON_Delete(root);
  if (!txt)
    return ctl_error(out, 500, "out of memory");
  sc_buf_adds(out, txt);
  cJSON_free(txt);
  return 200;
}

static int handle_control(struct sc_sim *s, const char *path,
                          const char *method, struct req *r,
                          struct sc_buf *out) {
  if (strcmp(path, "state") == 0) {
    if (strcmp(method, "GET") != 0)
      return ctl_error(out, 405, "GET only");
    return ctl_state(s, out);
  }
  static const char *const posts[] = {"reset", "sms", "clock", "stock",
                                      "price", "balance"};
  size_t which = 0;
  for (; which < sizeof posts / sizeof *posts; which++)
    if (strcmp(path, posts[which]) == 0)
      break;
  if (which == sizeof posts / sizeof *posts)
    return ctl_error(out, 404, "unknown control path");
  if (strcmp(method, "POST") != 0)
    return ctl_error(out, 405, "POST only");
  const char *body = r->body.ptr ? r->body.ptr : "";
  size_t blen = r->body.ptr ? r->body.len : 0;
  /* reset takes {} but an empty body is harmless. */
  cJSON *j = NULL;
  if (blen || which != 0) {
    j = cJSON_ParseWithLength(body, blen);
    if (!j || !cJSON_IsObject(j)) {
      cJSON_Delete(j);
      return ctl_error(out, 400, "body is not a JSON object");
    }
  }
  int rc = 500;
  switch (which) {
  case 0: /* reset: back to the initial fixture */
    pthread_mutex_lock(&s->mu);
    reset_locked(s);
    pthread_mutex_unlock(&s->mu);
    rc = ctl_ok(out);
    break;
  case 1:
    rc = ctl_sms(s, j, out);
    break;
  case 2: { /* clock: the server's clock moves forward */
    const cJSON *adv = cJSON_GetObjectItemCaseSensitive(j, "advance");
    if (!cJSON_IsNumber(adv) || adv->valuedouble < 0 ||
        adv->valuedouble > 1e9) {
      rc = ctl_error(out, 400, "advance must be a number of seconds >= 0");
      break;
    }
    pthread_mutex_lock(&s->mu);
    s->clock_offset += (long long)adv->valuedouble;
    expire_locked(s);
    pthread_mutex_unlock(&s->mu);
    rc = ctl_ok(out);
    break;
  }
  case 3:
    rc = ctl_offer(s, j, out, 0);
    break;
  case 4:
    rc = ctl_offer(s, j, out, 1);
    break;
  case 5:
    rc = ctl_balance(s, j, out);
    break;
  }
  cJSON_Delete(j);
  return rc;
}

/* ---- libmicrohttpd glue ------------------------------------------------- */

static enum MHD_Result reply(struct MHD_Connection *c, unsigned code,
                             const char *ctype, struct sc_buf *b) {
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
  MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
  enum MHD_Result ret = MHD_queue_response(c, code, resp);
  MHD_destroy_response(resp);
  return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
                                  const char *url, const char *method,
                                  const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls) {
  (void)version;
  struct sc_sim *s = cls;
  struct req *r = *con_cls;
  if (!r) {
    r = sc_calloc(1, sizeof(*r));
    if (!r)
      return MHD_NO;
    sc_buf_init(&r->body, BODY_MAX);
    *con_cls = r;
    return MHD_YES;
  }
  if (*upload_size) {
    if (!r->too_big && sc_buf_add(&r->body, upload, *upload_size))
      r->too_big = 1; /* keep draining, answer 413 at the end */
    *upload_size = 0;
    return MHD_YES;
  }
  struct sc_buf out;
  sc_buf_init(&out, BODY_MAX);
  if (r->too_big) {
    sc_buf_adds(&out, "{\"error\":\"request body over 64 KiB\"}");
    return reply(c, 413, "application/json", &out);
  }
  if (strcmp(url, "/stubs/handler_api.php") == 0) {
    if (strcmp(method, "POST") == 0 && r->body.ptr &&
        parse_form(r, r->body.ptr, r->body.len)) {
      sc_buf_adds(&out, "ERROR_SQL");
      return reply(c, 500, "text/plain", &out);
    }
    handle_api(s, c, r, &out);
    return reply(c, 200, "text/plain", &out);
  }
  if (strncmp(url, "/control/", 9) == 0) {
    int code = handle_control(s, url + 9, method, r, &out);
    return reply(c, (unsigned)code, "application/json", &out);
  }
  sc_buf_adds(&out, "not found");
  return reply(c, 404, "text/plain", &out);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe) {
  (void)cls;
  (void)c;
  (void)toe;
  struct req *r = *con_cls;
  if (!r)
    return;
  sc_buf_free(&r->body);
  for (size_t i = 0; i < r->npairs; i++)
    sc_free(r->pairs[i]);
  sc_free(r->pairs);
  sc_free(r);
  *con_cls = NULL;
}

struct sc_sim *sc_sim_new(const struct sc_sim_config *cfg, char *err,
                          size_t errlen) {
  set_err(err, errlen, "");
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
  s->seed = cfg->seed;
  s->early_cancel = cfg->early_cancel_seconds >= 0 ? cfg->early_cancel_seconds
                                                   : 120;
  s->lifetime = cfg->lifetime_seconds > 0 ? cfg->lifetime_seconds : 1200;
  if (parse_keys(s, cfg->keys, err, errlen))
    goto fail;
  if (pthread_mutex_init(&s->mu, NULL)) {
    set_err(err, errlen, "pthread_mutex_init failed");
    goto fail;
  }
  s->mu_ok = 1;
  reset_locked(s);

  struct sockaddr_in sa;
  memset(&sa, 0, sizeof sa);
  sa.sin_family = AF_INET;
  sa.sin_port = htons((uint16_t)cfg->port);
  const char *host = cfg->host;
  if (!host || !*host || strcmp(host, "localhost") == 0)
    host = "127.0.0.1";
  if (cfg->port > 65535 || inet_pton(AF_INET, host, &sa.sin_addr) != 1) {
    set_err(err, errlen, "host must be an IPv4 address and port <= 65535");
    goto fail;
  }
  s->daemon = MHD_start_daemon(
      MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION,
      (uint16_t)cfg->port, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR,
      (struct sockaddr *)&sa, MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
      MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30, MHD_OPTION_END);
  if (!s->daemon) {
    set_err(err, errlen, "cannot start HTTP server (port in use?)");
    goto fail;
  }
  const union MHD_DaemonInfo *di =
      MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
  s->port = di ? di->port : cfg->port;
  return s;
fail:
  sc_sim_destroy(s);
  return NULL;
}

unsigned sc_sim_port(const struct sc_sim *sim) { return sim ? sim->port : 0; }

void sc_sim_destroy(struct sc_sim *sim) {
  if (!sim)
    return;
  if (sim->daemon)
    MHD_stop_daemon(sim->daemon);
  if (sim->mu_ok)
    pthread_mutex_destroy(&sim->mu);
  for (size_t i = 0; i < sim->naccounts; i++)
    sc_free(sim->accounts[i].key);
  sc_free(sim->acts);
  sc_free(sim);
}
