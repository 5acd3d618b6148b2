/* sc_sim_base.c — the layer under the simulator's core and its modules
 * (see sc_sim_base.h): the fixture, the simulated clock and the rng, money,
 * id and time text, look-ups, purchases, refunds and expiry, and the
 * answer helpers of the handler API and of the control protocol.
 *
 * Sources, cited at each rule:
 *   001 = seeds/001_ac8db1c65ff3c54b.txt (the handler API reference),
 *   003 = seeds/003_5a5597502c76a51c.txt (SMSBulk),
 *   004 = seeds/004_67353fd389171043.txt (SecureSMS),
 *   ARCH = ARCHITECTURE.md "Sandbox control protocol v1".
 *
 * Money is kept in integer cents; sim_buy charges and sim_refund gives
 * back, so that per account balance + sum(charges not refunded) == base
 * (see sc_sim.c).
 *
 * Nothing here names a module: expiry and SMS delivery reach the modules
 * through the table the core hands over in s->modules. */
#include "sc_sim_base.h"

#include "sc_alloc.h"
#include "sc_json.h"
#include "sc_spec.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* ---- the fixture --------------------------------------------------------- */

/* The services, countries, operators and providers are data: the
 * catalogue (sc_sim_catalogue.c; by default specs/catalogue.json), which
 * the core loads into s->cat. The offers start from its cost and stock. */
void sim_fixture_reset(struct sc_sim *s) {
  size_t nc = s->cat->ncountries;
  for (size_t i = 0; i < s->noffers; i++) {
    s->offers[i].service = i / nc;
    s->offers[i].country = i % nc;
    s->offers[i].cost = s->cat->cost[i];
    s->offers[i].stock = s->stock ? s->stock : s->cat->stock[i];
  }
}

/* ---- the clock and the rng ----------------------------------------------- */

static uint64_t splitmix(uint64_t *s) {
  uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

uint64_t sim_rand(struct sc_sim *s) { return splitmix(&s->rng); }

uint64_t sim_rand_from(uint64_t *state) { return splitmix(state); }

long long sim_window_count(struct sc_sim *s, struct sim_window *w,
                           unsigned long limit) {
  long long now = sim_now(s);
  if (!w->start || now >= w->start + SIM_RATE_WINDOW || now < w->start) {
    w->start = now;
    w->count = 0;
  }
  if (w->count < (unsigned long)-1)
    w->count++;
  if (w->count <= limit)
    return 0;
  long long left = w->start + SIM_RATE_WINDOW - now;
  return left > 0 ? left : 1;
}

unsigned long long sim_next_id(struct sc_sim *s) { return s->next_id++; }

void sim_phone(struct sc_sim *s, char *buf, size_t n) {
  snprintf(buf, n, "%llu",
           10000000000ull + (unsigned long long)(sim_rand(s) % 90000000000ull));
}

long long sim_now(const struct sc_sim *s) {
  return (long long)time(NULL) + s->clock_offset;
}

long long sim_timing(const struct sc_sim *s, const char *name,
                     long long def) {
  double v = 0;
  if (!sc_profile_timing(s->spec, s->profile, name, &v) || !(v >= 0) ||
      v > 1e12)
    return def;
  return (long long)(v + 0.5);
}

/* ---- money, ids and time as text ----------------------------------------- */

long long sim_money_from_double(double d) {
  if (!(d >= 0) || d > 1e12)
    return -1;
  return (long long)(d * 100.0 + 0.5);
}

long long sim_parse_money(const char *str) {
  if (!str || !*str)
    return -1;
  for (const char *p = str; *p; p++)
    if (!isdigit((unsigned char)*p) && *p != '.')
      return -1; /* no signs, exponents, spaces, hex or "nan" */
  char *end = NULL;
  errno = 0;
  double d = strtod(str, &end);
  if (errno || end == str || *end)
    return -1;
  return sim_money_from_double(d);
}

unsigned long long sim_parse_id(const char *str) {
  if (!str || !*str || strlen(str) > 19)
    return 0;
  for (const char *p = str; *p; p++)
    if (!isdigit((unsigned char)*p))
      return 0;
  return strtoull(str, NULL, 10);
}

void sim_money_text(char *buf, size_t n, long long cents) {
  snprintf(buf, n, "%s%lld.%02lld", cents < 0 ? "-" : "", llabs(cents) / 100,
           llabs(cents) % 100);
}

void sim_money_fmt(struct sc_buf *b, const char *prefix, long long cents) {
  char num[32];
  sim_money_text(num, sizeof num, cents);
  sc_buf_printf(b, "%s%s", prefix, num);
}

void sim_fmt_time(char *buf, size_t n, long long t, enum sim_time_form f) {
  time_t tt = (time_t)t, zero = 0;
  struct tm tm;
  if (!gmtime_r(&tt, &tm))
    gmtime_r(&zero, &tm);
  size_t len;
  if (f == SIM_TIME_RFC3339)
    len = strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
  else if (f == SIM_TIME_ISO)
    len = strftime(buf, n, "%Y-%m-%dT%H:%M:%S", &tm);
  else
    len = strftime(buf, n, "%Y-%m-%d %H:%M:%S", &tm);
  if (!len && n)
    buf[0] = '\0';
}

double sim_money_double(long long cents) { return (double)cents / 100.0; }

/* ---- look-ups ------------------------------------------------------------ */

const char *sim_bad_service(const struct sc_sim *s) {
  /* 004 "Errors": WRONG_SERVICE - invalid service code. */
  return s->dialect == SIM_SECURESMS ? "WRONG_SERVICE" : "BAD_SERVICE";
}

struct sim_account *sim_find_account(struct sc_sim *s, const char *key,
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

struct sim_activation *sim_act_by_id(struct sc_sim *s,
                                     unsigned long long id) {
  size_t lo = 0, hi = s->nacts;
  while (id && lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (s->acts[mid].id == id)
      return &s->acts[mid];
    if (s->acts[mid].id < id)
      lo = mid + 1;
    else
      hi = mid;
  }
  return NULL;
}

struct sim_activation *sim_find_act(struct sc_sim *s, unsigned long long id,
                                    size_t acc) {
  struct sim_activation *a = sim_act_by_id(s, id);
  /* Another account's activation does not exist for this key. */
  if (a && a->account != acc && !sim_fault(s, SIM_F_CROSS_ACCOUNT))
    return NULL;
  return a;
}

/* ---- purchases, refunds, SMS and expiry ---------------------------------- */

/* sim_buy and sim_buy_any: |any| skips the stock and balance checks. */
static struct sim_activation *buy(struct sc_sim *s, size_t acc,
                                  struct sim_offer *o, int any,
                                  const char **token) {
  struct sim_account *a = &s->accounts[acc];
  /* 001: NO_NUMBERS - no numbers. Also our per-account cap, which bounds
   * memory and holds even for |any|. */
  if ((o->stock <= 0 && !any) || a->nact >= SIM_MAX_ACTIVATIONS_PER_ACCOUNT) {
    *token = "NO_NUMBERS";
    return NULL;
  }
  /* 001: NO_BALANCE - balance has ended */
  if (a->balance < o->cost && !any && !sim_fault(s, SIM_F_SELL_NO_BALANCE)) {
    *token = "NO_BALANCE";
    return NULL;
  }
  if (s->nacts == s->capacts) {
    size_t nc = s->capacts ? s->capacts * 2 : 16;
    struct sim_activation *na = sc_realloc(s->acts, nc * sizeof(*na));
    if (!na) {
      *token = "ERROR_SQL"; /* 001: ERROR_SQL - server error */
      return NULL;
    }
    s->acts = na;
    s->capacts = nc;
  }
  struct sim_activation *act = &s->acts[s->nacts++];
  memset(act, 0, sizeof(*act));
  act->id = sim_next_id(s);
  act->account = acc;
  act->offer = (size_t)(o - s->offers);
  sim_phone(s, act->phone, sizeof act->phone);
  act->cost = o->cost;
  act->state = SIM_ST_WAIT_CODE;
  act->bought_at = sim_now(s);
  if (act->bought_at + s->lifetime < s->next_expiry)
    s->next_expiry = act->bought_at + s->lifetime;
  if (o->stock > 0)
    o->stock--;
  a->nact++;
  if (sim_fault(s, SIM_F_NO_CHARGE))
    act->refunded = 1; /* never charged, so nothing to give back */
  else
    a->balance -= o->cost; /* charged now, refunded on cancel or expiry */
  return act;
}

struct sim_activation *sim_buy(struct sc_sim *s, size_t acc,
                               struct sim_offer *o, const char **token) {
  return buy(s, acc, o, 0, token);
}

struct sim_activation *sim_buy_any(struct sc_sim *s, size_t acc,
                                   struct sim_offer *o, const char **token) {
  return buy(s, acc, o, 1, token);
}

void sim_refund(struct sc_sim *s, struct sim_activation *a) {
  if (a->refunded)
    return;
  a->refunded = 1;
  s->accounts[a->account].balance += a->cost;
}

void sim_deliver_sms(struct sc_sim *s, struct sim_activation *a,
                     const char *code, const char *text) {
  snprintf(a->code, sizeof a->code, "%s", code);
  snprintf(a->text, sizeof a->text, "%s", text ? text : code);
  a->sms_at = sim_now(s);
  a->nsms++;
  a->state = SIM_ST_OK;
  for (size_t i = 0; i < s->nmodules; i++)
    if (s->modules[i]->sms)
      s->modules[i]->sms(s, a);
}

/* An activation that never got a code is cancelled and refunded once its
 * lifetime has passed (001: a number without SMS ends as STATUS_CANCEL). */
void sim_expire_locked(struct sc_sim *s) {
  long long now = sim_now(s);
  /* Every request comes here: the scan runs only once an expiry may be
   * due, and records when the next one may be. */
  if (now >= s->next_expiry) {
    long long next = LLONG_MAX;
    for (size_t i = 0; i < s->nacts; i++) {
      struct sim_activation *a = &s->acts[i];
      if (a->state != SIM_ST_WAIT_CODE)
        continue;
      if (now - a->bought_at >= s->lifetime) {
        a->state = SIM_ST_CANCEL;
        if (!sim_fault(s, SIM_F_EXPIRY_NO_REFUND))
          sim_refund(s, a);
      } else if (a->bought_at + s->lifetime < next) {
        next = a->bought_at + s->lifetime;
      }
    }
    s->next_expiry = next;
  }
  for (size_t i = 0; i < s->nmodules; i++)
    if (s->modules[i]->expire)
      s->modules[i]->expire(s);
}

/* ---- what is served ------------------------------------------------------ */

int sim_offers(const struct sc_sim *s, const char *action) {
  if (!action || !sc_profile_has_action(s->profile, action))
    return 0;
  if (!s->actions)
    return 1;
  size_t len = strlen(action);
  for (const char *p = s->actions; *p;) {
    size_t n = strcspn(p, ",");
    if (n == len && strncmp(p, action, n) == 0)
      return 1;
    p += n;
    if (*p == ',')
      p++;
  }
  return 0;
}

/* ---- handler-API parameters and answers ---------------------------------- */

const char *sim_param(struct sim_call *c, const char *name) {
  if (c->served)
    name = sc_profile_param_name(c->s->profile, c->served, name);
  if (!sim_fault(c->s, SIM_F_POST_IGNORED))
    for (size_t i = 0; i + 1 < c->req->npairs; i += 2)
      if (strcmp(c->req->pairs[i], name) == 0)
        return c->req->pairs[i + 1];
  return MHD_lookup_connection_value(c->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *sim_opt_param(struct sim_call *c, const char *name) {
  const char *v = sim_param(c, name);
  return v && *v ? v : NULL;
}

int sim_add_str(cJSON *o, const char *key, const char *v) {
  return cJSON_AddStringToObject(o, key, v) != NULL;
}

int sim_add_num(cJSON *o, const char *key, double v) {
  return cJSON_AddNumberToObject(o, key, v) != NULL;
}

int sim_push(cJSON *arr, cJSON *item) {
  if (item && cJSON_AddItemToArray(arr, item))
    return 1;
  cJSON_Delete(item);
  return 0;
}

void sim_answer(struct sim_call *c, cJSON *root, int ok) {
  if (!ok) {
    cJSON_Delete(root);
    root = NULL;
  }
  sim_json(c, root);
}

/* The longest token name an answer is looked up by (tokens.json's names
 * are shorter); a longer text is no token and is sent as it is. */
#define SIM_TOKEN_NAME_MAX 64

/* Splits |text| at its first ':' into the token name, copied to |name|
 * (|n| bytes), and its fields; returns the fields ("" when none), or NULL
 * when the name does not fit. */
static const char *token_split(const char *text, char *name, size_t n) {
  size_t len = strcspn(text, ":");
  if (len >= n)
    return NULL;
  memcpy(name, text, len);
  name[len] = '\0';
  return text + len;
}

/* Whether the profile declares its error envelope ("errors"). */
static int errors_declared(const struct sc_profile *p) {
  return p && cJSON_GetObjectItemCaseSensitive(p->json, "errors") != NULL;
}

/* The JSON form |f| of the error |wire| (the wire token named |name| with
 * its fields): {"title":WIRE,"details":MEANING} for problem details (the
 * token's meaning from the spec as the short text), else
 * {"status":"error",KEY:WIRE}; |info| copied in as "info". NULL when out
 * of memory. */
static cJSON *error_object(const struct sc_sim *s, enum sc_error_form f,
                           const char *key, const char *wire,
                           const char *name, const cJSON *info) {
  cJSON *o = cJSON_CreateObject();
  int ok = o != NULL;
  if (ok && f == SC_ERROR_FORM_PROBLEM) {
    const struct sc_token *t = sc_spec_token(s->spec, name, strlen(name));
    ok = sim_add_str(o, "title", wire) &&
         sim_add_str(o, "details", t && t->meaning ? t->meaning : name);
  } else if (ok) {
    ok = sim_add_str(o, "status", "error") &&
         sim_add_str(o, key ? key : "message", wire);
  }
  if (ok && info) {
    cJSON *dup = cJSON_Duplicate(info, 1);
    ok = dup && cJSON_AddItemToObject(o, "info", dup);
    if (!ok)
      cJSON_Delete(dup);
  }
  if (!ok) {
    cJSON_Delete(o);
    return NULL;
  }
  return o;
}

int sim_error_render(const struct sc_sim *s, const char *text, int json,
                     const cJSON *info, struct sc_buf *out,
                     const char **ctype, const char **ref) {
  char name[SIM_TOKEN_NAME_MAX];
  const char *fields = token_split(text, name, sizeof name);
  const struct sc_token *t =
      fields ? sc_spec_token(s->spec, name, strlen(name)) : NULL;
  /* the name on the wire: the token that plays the part in the profile */
  const char *player = fields ? sc_profile_token_for(s->profile, name) : text;
  const char *key = "message";
  enum sc_error_form f =
      json ? SC_ERROR_FORM_STATUS_ERROR : SC_ERROR_FORM_TEXT;
  if (errors_declared(s->profile))
    f = sc_profile_error_form(s->profile, &key);
  int status = sc_profile_error_status(s->profile, player);
  struct sc_buf wire;
  sc_buf_init(&wire, SIM_OUT_MAX);
  sc_buf_adds(&wire, player);
  sc_buf_adds(&wire, fields ? fields : "");
  *ctype = NULL;
  *ref = t ? t->name : NULL;
  sc_buf_reset(out);
  char *txt = NULL;
  if (!wire.err && f == SC_ERROR_FORM_TEXT) {
    sc_buf_adds(out, wire.ptr ? wire.ptr : "");
  } else if (!wire.err) {
    cJSON *o = error_object(s, f, key, wire.ptr ? wire.ptr : "", player, info);
    txt = o ? cJSON_PrintUnformatted(o) : NULL;
    cJSON_Delete(o);
    if (txt) {
      sc_buf_adds(out, txt);
      *ctype = f == SC_ERROR_FORM_PROBLEM ? "application/problem+json"
                                          : "application/json";
    }
  }
  int oom = wire.err || (f != SC_ERROR_FORM_TEXT && !txt);
  cJSON_free(txt);
  sc_buf_free(&wire);
  if (oom) {
    sc_buf_reset(out);
    sc_buf_adds(out, "ERROR_SQL"); /* 001: ERROR_SQL - server error */
    *ctype = NULL;
    return 500;
  }
  return status;
}

/* sim_error with |info| for the JSON forms. */
static void error_answer(struct sim_call *c, const char *text, int json,
                         const cJSON *info) {
  const char *ctype = NULL, *ref = NULL;
  int status = sim_error_render(c->s, text, json, info, c->out, &ctype, &ref);
  c->error = 1;
  if (status)
    c->status = (unsigned)status;
  if (ctype) {
    c->ctype = ctype;
    c->json_err = ref ? ref : "";
  }
}

void sim_error(struct sim_call *c, const char *text, int json) {
  error_answer(c, text, json, NULL);
}

void sim_json_error(struct sim_call *c, const char *tok) {
  error_answer(c, tok, 1, NULL);
}

void sim_json_error_info(struct sim_call *c, const char *tok,
                         const cJSON *info) {
  error_answer(c, tok, 1, info);
}

void sim_token(struct sim_call *c, const char *tok) {
  char name[SIM_TOKEN_NAME_MAX];
  const char *fields = token_split(tok, name, sizeof name);
  const struct sc_token *t =
      fields ? sc_spec_token(c->s->spec, name, strlen(name)) : NULL;
  if (t && t->kind == SC_TOKKIND_ERROR) {
    sim_error(c, tok, 0);
    return;
  }
  if (!fields) {
    sc_buf_adds(c->out, tok);
    return;
  }
  sc_buf_adds(c->out, sc_profile_token_for(c->s->profile, name));
  sc_buf_adds(c->out, fields);
}

void sim_tokenf(struct sim_call *c, const char *fmt, ...) {
  struct sc_buf b;
  va_list ap;
  sc_buf_init(&b, SIM_OUT_MAX);
  va_start(ap, fmt);
  sc_buf_vprintf(&b, fmt, ap);
  va_end(ap);
  if (b.err) {
    c->status = 500;
    sc_buf_reset(c->out);
    sc_buf_adds(c->out, "ERROR_SQL"); /* 001: ERROR_SQL - server error */
  } else {
    sim_token(c, b.ptr ? b.ptr : "");
  }
  sc_buf_free(&b);
}

/* The top-level keys of a success answer under the names the profile
 * gives them ("rename_keys"). */
static void rename_keys(const struct sim_call *c, cJSON *root) {
  cJSON *k;
  if (!c->served || c->error || !cJSON_IsObject(root))
    return;
  cJSON_ArrayForEach(k, root) {
    const char *to = sc_profile_answer_key(c->s->profile, c->served,
                                           k->string);
    if (to == k->string || strcmp(to, k->string) == 0)
      continue;
    sc_json_set_key(k, to); /* out of memory: the reference name stays */
  }
}

void sim_json(struct sim_call *c, cJSON *root) {
  rename_keys(c, root);
  char *txt = root ? cJSON_PrintUnformatted(root) : NULL;
  cJSON_Delete(root);
  if (!txt) {
    c->status = 500;
    sc_buf_adds(c->out, "ERROR_SQL");
    return;
  }
  sc_buf_adds(c->out, txt);
  cJSON_free(txt);
  c->ctype = "application/json";
}

/* ---- control-protocol answers (ARCH "Sandbox control protocol v1") ------- */

int sim_ctl_error(struct sc_buf *out, int code, const char *msg) {
  cJSON *o = cJSON_CreateObject();
  char *txt = NULL;
  if (o && cJSON_AddStringToObject(o, "error", msg))
    txt = cJSON_PrintUnformatted(o);
  sc_buf_reset(out);
  if (txt)
    sc_buf_adds(out, txt);
  else
    sc_buf_adds(out, "{\"error\":\"out of memory\"}");
  cJSON_free(txt);
  cJSON_Delete(o);
  return code;
}

int sim_ctl_ok(struct sc_buf *out) {
  sc_buf_adds(out, "{\"ok\":true}");
  return 200;
}

int sim_json_text(const cJSON *it, char *buf, size_t n) {
  if (cJSON_IsString(it) && it->valuestring) {
    if (strlen(it->valuestring) >= n)
      return -1;
    snprintf(buf, n, "%s", it->valuestring);
    return 0;
  }
  if (cJSON_IsNumber(it) && it->valuedouble >= 0 && it->valuedouble < 1e18 &&
      it->valuedouble == (double)(long long)it->valuedouble) {
    snprintf(buf, n, "%lld", (long long)it->valuedouble);
    return 0;
  }
  return -1;
}
