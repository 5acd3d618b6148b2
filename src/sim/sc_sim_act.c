/* sc_sim_act.c — the simulator's activation actions (handler dialects).
 *
 * Sources, cited at each rule:
 *   000 = seeds/000_7813cc59b783eb5c.txt (KoalaSMS),
 *   001 = seeds/001_ac8db1c65ff3c54b.txt (the handler API reference),
 *   003 = seeds/003_5a5597502c76a51c.txt (SMSBulk),
 *   004 = seeds/004_67353fd389171043.txt (SecureSMS).
 * Which profile offers which action is decided by the core from
 * specs/profiles/; a handler here only picks the profile's behaviour.
 *
 * Money: every purchase goes through sim_buy (which charges the offer's
 * cost) and every refund through sim_refund (once). Where a purchase costs
 * more than the offer's cost (a provider filter picked a dearer provider),
 * the difference is charged here and added to the activation's cost, so the
 * core's invariant balance + unrefunded charges == base keeps holding.
 *
 * sim_buy may move s->acts: no activation pointer is kept across a
 * purchase; ids are, and looked up again.
 *
 * The activation's |call| field holds the verification kind in its low two
 * bits (001 activationType: 0 SMS, 1 number, 2 voice) and, above them, how
 * many times parseCall has re-parsed the call. For a call activation, an
 * SMS delivered through /control/sms stands for the incoming call: its
 * code is the code, its text the voice transcription. */
#include "sc_sim_base.h"

#include "sc_spec.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CALL_KIND(a) ((a)->call & 3)
#define CALL_REPARSES(a) ((a)->call >> 2)
#define CALL_MAX_REPARSES 4 /* 001: PARSE_COUNT_EXCEED (maximum is 4) */

#define PHONE_DIGITS 11 /* every fixture number: sim_phone's length */
#define EXCLUDE_MAX 256 /* phoneException prefixes taken at most */
#define EXCLUDE_LEN_MIN 4
#define EXCLUDE_LEN_MAX 9 /* a 3-digit country code and 6 digits of mask */

/* ISO 4217 numeric codes of the account currency: 001's examples send
 * "840" (getActiveActivations, getHistory); 000's getNumberV2 example sends
 * 643. */
#define CURRENCY_REF 840
#define CURRENCY_KOALA 643

static int is_ref(const struct sc_sim *s) {
  return s->dialect == SIM_SMS_ACTIVATE;
}

/* ---- small helpers ------------------------------------------------------- */

/* Whether the profile served lists |token| as an error of |action| (its
 * errors, errors_add or common_errors). */
static int lists_error(const struct sc_sim *s, const char *action,
                       const char *token) {
  struct sc_view v;
  return sc_spec_view(s->spec, action, s->profile->name, &v) == SC_ERR_OK &&
         sc_view_allows_error(&v, token);
}

static const struct sim_offer *offer_of(const struct sc_sim *s,
                                        const struct sim_activation *a) {
  return &s->offers[a->offer];
}

static const char *service_of(const struct sc_sim *s,
                              const struct sim_activation *a) {
  return sim_service(s, offer_of(s, a)->service)->code;
}

static const struct sim_country *country_of(const struct sc_sim *s,
                                            const struct sim_activation *a) {
  return sim_country(s, offer_of(s, a)->country);
}

static int running(const struct sim_activation *a) {
  return a->state == SIM_ST_WAIT_CODE || a->state == SIM_ST_OK ||
         a->state == SIM_ST_WAIT_RETRY;
}

/* Whether the comma-separated list |list| names the number |id|. */
static int list_has(const char *list, unsigned long long id) {
  char tmp[32];
  for (const char *p = list; p && *p;) {
    size_t n = strcspn(p, ",");
    if (n < sizeof tmp) {
      memcpy(tmp, p, n);
      tmp[n] = '\0';
      if (sim_parse_id(tmp) == id)
        return 1;
    }
    p += n;
    if (*p == ',')
      p++;
  }
  return 0;
}

/* ---- providers ------------------------------------------------------------
 * 000 and 004 let a purchase name providers (providerIds, and at 000
 * exceptProviderIds): the catalogue's providers. A purchase takes the
 * cheapest provider allowed that has a number; without a filter that is
 * always the first, at the offer's cost. */


/* The provider a purchase on |o| takes under the filters |only| (NULL = any)
 * and |except|: its index, or -1 when none allowed has a number. */
static long pick_provider(const struct sc_sim *s, const struct sim_offer *o,
                          const char *only, const char *except) {
  for (size_t p = 0; p < sim_nproviders(s); p++) {
    if (only && !list_has(only, sim_provider(s, p)->id))
      continue;
    if (except && list_has(except, sim_provider(s, p)->id))
      continue;
    if (sim_prov_count(s, o, p) > 0)
      return (long)p;
  }
  return -1;
}

/* ---- operators: the fixture's sim_operators ------------------------------ */

/* 001: "If you try to get the number of a specific operator that does not
 * operate in the selected country ... the number of the first operator that
 * matches the request parameters will be returned": the first operator of
 * the list |want| that works in the country, else the country's first. */
static const char *pick_operator(const struct sc_sim *s, size_t ci,
                                 const char *want) {
  const char *const *ops = sim_operators(s, ci);
  if (!ops)
    return "any";
  for (const char *p = want; p && *p;) {
    size_t n = strcspn(p, ",");
    for (size_t i = 0; ops[i]; i++)
      if (strlen(ops[i]) == n && strncmp(ops[i], p, n) == 0)
        return ops[i];
    p += n;
    if (*p == ',')
      p++;
  }
  return ops[0];
}

/* ---- phone numbers -------------------------------------------------------
 * Numbers are shaped by country (11 digits, as sim_phone's): Russia 79...,
 * USA 1 and a 2xx area code, Turkey 905... (mobile), so that 001's
 * phoneException ("excluding prefixes for Russian numbers ... country code
 * and 3 to 6 digits of the mask (e.g. 7918, 7900111)") has something to
 * exclude. */

struct excl {
  const char *p[EXCLUDE_MAX];
  size_t len[EXCLUDE_MAX];
  size_t n;
};

static const char *phone_prefix(const struct sc_sim *s, size_t ci) {
  static const struct {
    const char *country, *prefix;
  } t[] = {{"0", "79"}, {"12", "12"}, {"187", "905"}};
  for (size_t i = 0; i < sizeof t / sizeof *t; i++)
    if (strcmp(t[i].country, sim_country(s, ci)->id) == 0)
      return t[i].prefix;
  return "";
}

/* Reads 001's phoneException list into |x|: 0, or -1 when malformed (an
 * entry that is not 4 to 9 digits, an empty entry, too many entries). An
 * absent or empty parameter excludes nothing (001: "The default value is the
 * value specified in the account"; the fixture's accounts have none). */
static int parse_exclusions(const char *str, struct excl *x) {
  x->n = 0;
  if (!str || !*str)
    return 0;
  for (const char *p = str;;) {
    while (*p == ' ')
      p++;
    size_t n = strspn(p, "0123456789");
    const char *q = p + n;
    while (*q == ' ')
      q++;
    if (n < EXCLUDE_LEN_MIN || n > EXCLUDE_LEN_MAX ||
        (*q != ',' && *q != '\0') || x->n == EXCLUDE_MAX)
      return -1;
    x->p[x->n] = p;
    x->len[x->n] = n;
    x->n++;
    if (!*q)
      return 0;
    p = q + 1;
  }
}

/* Whether an exclusion is a prefix of num[0..len) (dead), or whether one
 * extends it (the next digit matters). */
static int excl_dead(const struct excl *x, const char *num, size_t len) {
  for (size_t i = 0; i < x->n; i++)
    if (x->len[i] <= len && memcmp(x->p[i], num, x->len[i]) == 0)
      return 1;
  return 0;
}

static int excl_open(const struct excl *x, const char *num, size_t len) {
  for (size_t i = 0; i < x->n; i++)
    if (x->len[i] > len && memcmp(x->p[i], num, len) == 0)
      return 1;
  return 0;
}

/* Completes num[0..len) to PHONE_DIGITS digits from the rng, never through
 * an excluded prefix (depth first, each level starting at a random digit).
 * 1 on success, 0 when every completion is excluded. */
static int grow_phone(struct sc_sim *s, const struct excl *x, char *num,
                      size_t len) {
  if (excl_dead(x, num, len))
    return 0;
  if (len == PHONE_DIGITS || !excl_open(x, num, len)) {
    for (; len < PHONE_DIGITS; len++)
      num[len] = (char)('0' + sim_rand(s) % 10);
    num[len] = '\0';
    return 1;
  }
  unsigned first = (unsigned)(sim_rand(s) % 10);
  for (unsigned k = 0; k < 10; k++) {
    num[len] = (char)('0' + (first + k) % 10);
    if (grow_phone(s, x, num, len + 1))
      return 1;
  }
  return 0;
}

/* A number of country |ci| outside the exclusions, into |buf| (>= 12
 * bytes); 0 when every number of the country is excluded. */
static int make_phone(struct sc_sim *s, size_t ci, const struct excl *x,
                      char *buf) {
  char num[PHONE_DIGITS + 1];
  const char *pre = phone_prefix(s, ci);
  size_t n = strlen(pre);
  memcpy(num, pre, n);
  if (!grow_phone(s, x, num, n))
    return 0;
  memcpy(buf, num, PHONE_DIGITS + 1);
  return 1;
}

/* For a call activation: the number that called. For verification "with
 * number" the code is the caller's last digits, so the caller is built to
 * end with the code; otherwise it derives from the activation id. */
static void caller_number(const struct sim_activation *a, char *buf, size_t n) {
  size_t cl = strlen(a->code);
  if (cl && cl <= 8 && strspn(a->code, "0123456789") == cl)
    snprintf(buf, n, "79%0*d%.8s", (int)(PHONE_DIGITS - 2 - cl), 0, a->code);
  else
    snprintf(buf, n, "79%09llu", a->id % 1000000000ull);
}

/* ---- purchases ----------------------------------------------------------- */

/* What a purchase request asked for, read per profile. */
struct order {
  long si, ci;
  const char *max_price;     /* 001/000/004 maxPrice */
  const char *only, *except; /* 000/004 providerIds, 000 exceptProviderIds */
  const char *operator_;     /* 001 operator */
  const char *order_id;      /* 001 getNumberV2 orderId */
  int forward;               /* 001 forward=1 */
  int kind;                  /* 001 activationType: 0 SMS, 1 number, 2 voice */
  struct excl excl;          /* 001 phoneException */
  int force;                 /* SELL_ALWAYS: nothing may refuse the sale */
};

/* koalasms: the country "any" or empty is the vendor's choice: "the best
 * available country based on stock, price, and deliverability" (000). The
 * cheapest offer of the service that can sell under the provider filters
 * (stock breaks a tie, then the fixture's order); -1 if none can. */
static long koala_pick_country(struct sc_sim *s, const struct order *r) {
  long best = -1;
  long long best_price = 0;
  long best_stock = 0;
  for (size_t ci = 0; ci < sim_ncountries(s); ci++) {
    const struct sim_offer *o = sim_offer_at(s, (size_t)r->si, ci);
    long p = pick_provider(s, o, r->only, r->except);
    if (p < 0)
      continue;
    long long price = sim_prov_price(s, o, (size_t)p);
    if (best < 0 || price < best_price ||
        (price == best_price && o->stock > best_stock)) {
      best = (long)ci;
      best_price = price;
      best_stock = o->stock;
    }
  }
  return best;
}

/* Reads and checks the purchase parameters of getNumber / getNumberV2 as
 * the profile documents them (parameters a vendor does not document are
 * ignored, as a clone ignores unknown query fields). 0, or -1 after
 * answering the refusal. */
static int read_order(struct sim_call *c, int v2, struct order *r) {
  struct sc_sim *s = c->s;
  memset(r, 0, sizeof *r);
  const char *service = sim_param(c, "service");
  r->force = sim_fault(s, SIM_F_SELL_ALWAYS) && service && *service;
  r->si = sim_service_index(s, service);
  /* The faults: an unknown service falls back to the fixture's first, as
   * a lookup with a default does (SERVICES.get(code, SERVICES["tg"])). */
  if (r->si < 0 && (r->force || sim_fault(s, SIM_F_SELL_UNKNOWN_SERVICE)))
    r->si = 0;
  /* 001: BAD_SERVICE - incorrect service name; 004: WRONG_SERVICE. */
  if (r->si < 0) {
    sim_token(c, sim_bad_service(s));
    return -1;
  }
  if (s->dialect != SIM_SMSBULK)
    r->max_price = sim_opt_param(c, "maxPrice");
  if (s->dialect == SIM_KOALASMS || s->dialect == SIM_SECURESMS)
    r->only = sim_opt_param(c, "providerIds");
  if (s->dialect == SIM_KOALASMS)
    r->except = sim_opt_param(c, "exceptProviderIds");
  const char *country = sim_param(c, "country");
  if (r->force) {
    /* SELL_ALWAYS: a country that names nothing is the fixture's first */
    r->ci = sim_country_index(s, country, s->dialect == SIM_SMSBULK);
    if (r->ci < 0 && s->dialect == SIM_KOALASMS)
      r->ci = koala_pick_country(s, r);
    if (r->ci < 0)
      r->ci = 0;
  } else if (s->dialect == SIM_SMSBULK) {
    /* 003 "Triple format support": an id (187), ISO code (TR) or slug
     * (turkey); BAD_COUNTRY - Country parameter not recognized. */
    r->ci = sim_country_index(s, country, 1);
    if (r->ci < 0) {
      sim_token(c, "BAD_COUNTRY");
      return -1;
    }
  } else if (s->dialect == SIM_KOALASMS &&
             (!country || !*country || strcmp(country, "any") == 0)) {
    /* 000: "any" or an empty value lets the system select the country. */
    r->ci = koala_pick_country(s, r);
    if (r->ci < 0) {
      sim_token(c, "NO_NUMBERS"); /* 000: NO_NUMBERS */
      return -1;
    }
  } else {
    /* 001 lists no error for a missing or unknown country: nothing to sell
     * there, so NO_NUMBERS (000 and 004 likewise). */
    r->ci = sim_country_index(s, country, 0);
    if (r->ci < 0) {
      sim_token(c, "NO_NUMBERS");
      return -1;
    }
  }
  if (!is_ref(s))
    return 0;
  /* 001 "Request a number FreePrice": forward accepts 0 (default) and 1. */
  const char *fw = sim_param(c, "forward");
  r->forward = fw && strcmp(fw, "1") == 0;
  r->operator_ = sim_opt_param(c, "operator");
  /* 001: activationType 0 - with sms (default), 1 - with number, 2 - with
   * voice. The Python sample's verification="true" asks for verification
   * by call: read as 1. Other values are the default. */
  const char *at = sim_param(c, "activationType");
  const char *ver = sim_param(c, "verification");
  if (at && (strcmp(at, "1") == 0 || strcmp(at, "2") == 0))
    r->kind = at[0] - '0';
  else if (ver && strcmp(ver, "true") == 0)
    r->kind = 1;
  /* 001: language is "required for activation with voice"; it lists no
   * error for its absence: the request is incomplete, BAD_ACTION. */
  if (r->kind == 2 && !sim_opt_param(c, "language") && !r->force) {
    sim_token(c, "BAD_ACTION");
    return -1;
  }
  /* 001: WRONG_EXCEPTION_PHONE - incorrect exclusion prefixes. */
  if (parse_exclusions(sim_param(c, "phoneException"), &r->excl)) {
    if (!r->force) {
      sim_token(c, "WRONG_EXCEPTION_PHONE");
      return -1;
    }
    r->excl.n = 0;
  }
  if (v2)
    r->order_id = sim_opt_param(c, "orderId");
  return 0;
}

/* Buys what |r| asks for. Returns the activation's id, or 0 after
 * answering the refusal. */
static unsigned long long place_order(struct sim_call *c, struct order *r) {
  struct sc_sim *s = c->s;
  struct sim_offer *o = sim_offer_at(s, (size_t)r->si, (size_t)r->ci);
  long prov = pick_provider(s, o, r->only, r->except);
  long long price = prov >= 0 ? sim_prov_price(s, o, (size_t)prov) : o->cost;
  /* 001: WRONG_MAX_PRICE:$min - the specified maximum price is less than
   * the allowed one; $min is the minimum allowable price. A maxPrice that is
   * not a number allows nothing. */
  if (r->max_price && !sim_fault(s, SIM_F_IGNORE_MAX_PRICE) && !r->force) {
    long long mp = sim_parse_money(r->max_price);
    if (mp < 0 || mp < price) {
      char min[32];
      sim_money_text(min, sizeof min, price);
      sim_tokenf(c, "WRONG_MAX_PRICE:%s", min);
      return 0;
    }
  }
  if (r->order_id) {
    /* The order ids are stored in SIM_ORDER_MAX bytes; a longer one does
     * not fit the column: ERROR_SQL (001: sql-server error). */
    if (strlen(r->order_id) >= SIM_ORDER_MAX && !r->force) {
      sim_token(c, "ERROR_SQL");
      return 0;
    }
    /* 001: ORDER_ALREADY_EXISTS - order has already been created (the
     * orderId gives idempotence per reseller, i.e. per account). The
     * ORDER_ID_REPEAT fault sells again. */
    for (size_t i = 0;
         i < s->nacts && !sim_fault(s, SIM_F_ORDER_ID_REPEAT) && !r->force; i++)
      if (s->acts[i].account == c->acc &&
          strcmp(s->acts[i].order_id, r->order_id) == 0) {
        sim_token(c, "ORDER_ALREADY_EXISTS");
        return 0;
      }
  }
  /* 000/004 providerIds, 000 exceptProviderIds: no allowed provider has a
   * number. 001 phoneException: every number of the country is excluded.
   * Both: NO_NUMBERS - no numbers. */
  char phone[PHONE_DIGITS + 1];
  if (r->force &&
      (prov < 0 || !make_phone(s, (size_t)r->ci, &r->excl, phone))) {
    struct excl none = {.n = 0}; /* SELL_ALWAYS: any number will do */
    make_phone(s, (size_t)r->ci, &none, phone);
  } else if (prov < 0 || !make_phone(s, (size_t)r->ci, &r->excl, phone)) {
    sim_token(c, "NO_NUMBERS");
    return 0;
  }
  struct sim_account *acc = &s->accounts[c->acc];
  const char *tok = NULL;
  if (price > o->cost && acc->balance < price && !r->force &&
      !sim_fault(s, SIM_F_SELL_NO_BALANCE))
    tok = "NO_BALANCE"; /* the dearer provider's price is not covered */
  struct sim_activation *a = tok        ? NULL
                             : r->force ? sim_buy_any(s, c->acc, o, &tok)
                                        : sim_buy(s, c->acc, o, &tok);
  if (!a) {
    /* 001 names no price for forwarding; a forwarded purchase the balance
     * cannot pay is "NO_BALANCE_FORWARD - not enough funds to buy call
     * forwarding". The NEAR_MISS_BALANCE_FORWARD fault says so for any
     * purchase: a token of which NO_BALANCE is a prefix. */
    if ((r->forward || sim_fault(s, SIM_F_NEAR_MISS_BALANCE_FORWARD)) &&
        strcmp(tok, "NO_BALANCE") == 0)
      tok = "NO_BALANCE_FORWARD";
    sim_token(c, tok);
    return 0;
  }
  if (price != a->cost && !a->refunded) {
    acc->balance -= price - a->cost;
    a->cost = price;
  }
  memcpy(a->phone, phone, sizeof phone);
  a->forward = r->forward;
  a->call = r->kind;
  if (r->order_id)
    snprintf(a->order_id, sizeof a->order_id, "%s", r->order_id);
  return a->id;
}

/* The phone as a purchase answer shows it: PHONE_PLUS adds a '+'. */
static void shown_phone(const struct sc_sim *s, const char *phone, char *buf,
                        size_t n) {
  snprintf(buf, n, "%s%s", sim_fault(s, SIM_F_PHONE_PLUS) ? "+" : "", phone);
}

static void get_number(struct sim_call *c) {
  struct sc_sim *s = c->s;
  struct order r;
  if (read_order(c, 0, &r))
    return;
  unsigned long long id = place_order(c, &r);
  if (!id)
    return;
  char phone[32];
  shown_phone(s, sim_act_by_id(s, id)->phone, phone, sizeof phone);
  /* 001: ACCESS_NUMBER:$id:$phone (000, 003, 004 alike) */
  sim_tokenf(c, "ACCESS_NUMBER:%llu:%s", id, phone);
}

/* getNumberV2's times: activationTime is the purchase on the simulated
 * clock; V2_TIME_SKEW moves every time an hour ahead (a zone bug). */
static long long v2_time(const struct sc_sim *s, long long t) {
  return sim_fault(s, SIM_F_V2_TIME_SKEW) ? t + 3600 : t;
}

static void get_number_v2(struct sim_call *c) {
  struct sc_sim *s = c->s;
  struct order r;
  if (read_order(c, 1, &r))
    return;
  unsigned long long id = place_order(c, &r);
  if (!id)
    return;
  const struct sim_activation *a = sim_act_by_id(s, id);
  char phone[32], when[32], ids[32], cost[32];
  shown_phone(s, a->phone, phone, sizeof phone);
  sim_fmt_time(when, sizeof when, v2_time(s, a->bought_at), SIM_TIME_001);
  snprintf(ids, sizeof ids, "%llu", id);
  sim_money_text(cost, sizeof cost, a->cost);
  const char *country = sim_country(s, (size_t)r.ci)->id;
  int with_time = !sim_fault(s, SIM_F_V2_MISSING_KEY);
  cJSON *o = cJSON_CreateObject();
  int ok = o != NULL;
  if (s->dialect == SIM_KOALASMS) {
    /* 000: activationCancel, activationCost (a number), activationEnd,
     * activationId, activationTime, canGetAnotherSms "1", countryCode,
     * currency (ISO 4217 number), phoneNumber; the cancel time is the end of
     * the early-cancel window, the end time the end of the lifetime. */
    char cancel_at[32], end[32];
    sim_fmt_time(cancel_at, sizeof cancel_at,
             v2_time(s, a->bought_at + s->early_cancel), SIM_TIME_001);
    sim_fmt_time(end, sizeof end, v2_time(s, a->bought_at + s->lifetime), SIM_TIME_001);
    ok = ok && sim_add_str(o, "activationCancel", cancel_at) &&
         sim_add_num(o, "activationCost", sim_money_double(a->cost)) &&
         sim_add_str(o, "activationEnd", end) &&
         sim_add_num(o, "activationId", (double)id) &&
         (!with_time || sim_add_str(o, "activationTime", when)) &&
         sim_add_str(o, "canGetAnotherSms", "1") &&
         sim_add_str(o, "countryCode", country) &&
         sim_add_num(o, "currency", CURRENCY_KOALA) &&
         sim_add_str(o, "phoneNumber", phone);
  } else if (s->dialect == SIM_SECURESMS) {
    /* 004: activationId a string of digits, activationCost a number,
     * canGetAnotherSms true, activationOperator "any" (004 takes no
     * operator). */
    ok = ok && sim_add_str(o, "activationId", ids) &&
         sim_add_str(o, "phoneNumber", phone) &&
         sim_add_num(o, "activationCost", sim_money_double(a->cost)) &&
         sim_add_str(o, "countryCode", country) &&
         cJSON_AddTrueToObject(o, "canGetAnotherSms") != NULL &&
         (!with_time || sim_add_str(o, "activationTime", when)) &&
         sim_add_str(o, "activationOperator", "any");
  } else {
    /* 001 "V2 Number Request FreePrice": activationId (a number),
     * phoneNumber, activationCost "12.50", countryCode "0",
     * canGetAnotherSms "1", activationTime, activationOperator. */
    ok = ok && sim_add_num(o, "activationId", (double)id) &&
         sim_add_str(o, "phoneNumber", phone) &&
         sim_add_str(o, "activationCost", cost) &&
         sim_add_str(o, "countryCode", country) &&
         sim_add_str(o, "canGetAnotherSms", "1") &&
         (!with_time || sim_add_str(o, "activationTime", when)) &&
         sim_add_str(o, "activationOperator",
                 pick_operator(s, (size_t)r.ci, r.operator_));
  }
  sim_answer(c, o, ok);
}

/* ---- getMultiServiceNumber -----------------------------------------------
 * 001 "Ordering a virtual number for several services": one number for
 * every service of the comma-separated list, one activation per service,
 * each charged its own offer's cost. The answer is the Python sample's
 * [{"phone", "activation", "service"}, ...]. All or nothing: a refusal
 * buys none. */

#define MULTI_MAX 32 /* services in one request, at most */

/* What a getMultiServiceNumber request asked for. */
struct multi_order {
  long si[MULTI_MAX]; /* the services, in the order listed */
  int fwd[MULTI_MAX]; /* forward=1 for the service at the same index */
  size_t n;
  long ci;
};

/* Reads the service list |svc| into |m|; 0, or -1 after answering. 001:
 * BAD_SERVICE - incorrect service name: also for an empty entry, a
 * repeated service or more services than the fixture has. */
static int read_multi_services(struct sim_call *c, const char *svc,
                               struct multi_order *m) {
  for (const char *p = svc; p && *p;) {
    size_t len = strcspn(p, ",");
    char code[SIM_CAT_CODE_MAX + 1];
    long k = -1;
    if (len && len < sizeof code) {
      memcpy(code, p, len);
      code[len] = '\0';
      k = sim_service_index(c->s, code);
    }
    for (size_t i = 0; k >= 0 && i < m->n; i++)
      if (m->si[i] == k)
        k = -1;
    /* a repeated service is refused, so MULTI_MAX bounds a list only when
     * the catalogue has more services than that */
    if (k < 0 || m->n == MULTI_MAX) {
      sim_token(c, "BAD_SERVICE");
      return -1;
    }
    m->si[m->n++] = k;
    p += len;
    if (*p == ',' && !p[1]) {
      sim_token(c, "BAD_SERVICE"); /* a trailing empty entry */
      return -1;
    }
    if (*p == ',')
      p++;
  }
  if (!m->n) {
    sim_token(c, "BAD_SERVICE");
    return -1;
  }
  return 0;
}

/* Reads the forward list |fw| (NULL = none) into |m|; 0, or -1 after
 * answering. 001: forward digits "must match the number of services", only
 * 0 or 1, and at most one 1 ("0,1,1,0" - incorrect). No token is listed
 * for a wrong list; it is read as a wrong service list: BAD_SERVICE. */
static int read_multi_forward(struct sim_call *c, const char *fw,
                              struct multi_order *m) {
  size_t nfwd = 0, ones = 0;
  for (const char *p = fw; p && *p; nfwd++) {
    size_t len = strcspn(p, ",");
    if (len != 1 || (p[0] != '0' && p[0] != '1') || nfwd == m->n) {
      sim_token(c, "BAD_SERVICE");
      return -1;
    }
    m->fwd[nfwd] = p[0] == '1';
    ones += (size_t)m->fwd[nfwd];
    p += len;
    if (*p == ',')
      p++;
  }
  if (fw && (nfwd != m->n || ones > 1)) {
    sim_token(c, "BAD_SERVICE");
    return -1;
  }
  return 0;
}

/* Reads and checks the request: services, forward flags, country; 0, or
 * -1 after answering. */
static int read_multi_order(struct sim_call *c, struct multi_order *m) {
  memset(m, 0, sizeof *m);
  if (read_multi_services(c, sim_param(c, "service"), m) ||
      read_multi_forward(c, sim_opt_param(c, "forward"), m))
    return -1;
  /* 001 lists no error for a missing or unknown country: NO_NUMBERS, as
   * for getNumber. */
  m->ci = sim_country_index(c->s, sim_param(c, "country"), 0);
  if (m->ci < 0) {
    sim_token(c, "NO_NUMBERS");
    return -1;
  }
  return 0;
}

/* Whether every offer of |m| can sell one number to the caller (stock,
 * the per-account cap, the balance for all of them together); 0, or -1
 * after answering. */
static int check_multi_order(struct sim_call *c, const struct multi_order *m) {
  struct sc_sim *s = c->s;
  struct sim_account *acc = &s->accounts[c->acc];
  long long total = 0;
  int stock_ok = acc->nact + m->n <= SIM_MAX_ACTIVATIONS_PER_ACCOUNT;
  for (size_t i = 0; i < m->n; i++) {
    const struct sim_offer *o =
        sim_offer_at(s, (size_t)m->si[i], (size_t)m->ci);
    stock_ok = stock_ok && o->stock > 0;
    total += o->cost;
  }
  if (!stock_ok) {
    sim_token(c, "NO_NUMBERS"); /* 001: NO_NUMBERS - no numbers */
    return -1;
  }
  if (acc->balance < total && !sim_fault(s, SIM_F_SELL_NO_BALANCE)) {
    sim_token(c, "NO_BALANCE"); /* 001: NO_BALANCE - balance has ended */
    return -1;
  }
  return 0;
}

/* Buys one activation per service of |m|, all on the number |phone|, the
 * first the others' parent; their ids into |ids|. 0, or -1 after
 * answering: out of memory half-way, what was bought is given back. */
static int buy_multi(struct sim_call *c, const struct multi_order *m,
                     const char *phone, unsigned long long *ids) {
  struct sc_sim *s = c->s;
  size_t bought = 0;
  const char *tok = "ERROR_SQL";
  for (; bought < m->n; bought++) {
    struct sim_offer *o =
        sim_offer_at(s, (size_t)m->si[bought], (size_t)m->ci);
    struct sim_activation *a = sim_buy(s, c->acc, o, &tok);
    if (!a)
      break;
    memcpy(a->phone, phone, PHONE_DIGITS + 1);
    a->forward = m->fwd[bought];
    a->parent = bought ? ids[0] : 0;
    ids[bought] = a->id;
  }
  if (bought == m->n)
    return 0;
  for (size_t i = 0; i < bought; i++) {
    struct sim_activation *a = sim_act_by_id(s, ids[i]);
    a->state = SIM_ST_CANCEL;
    sim_refund(s, a);
    sim_offer_at(s, (size_t)m->si[i], (size_t)m->ci)->stock++;
  }
  sim_token(c, tok);
  return -1;
}

static void get_multi_service_number(struct sim_call *c) {
  struct sc_sim *s = c->s;
  struct multi_order m;
  if (read_multi_order(c, &m) || check_multi_order(c, &m))
    return;
  struct excl none = {.n = 0};
  char phone[PHONE_DIGITS + 1];
  make_phone(s, (size_t)m.ci, &none, phone);
  unsigned long long ids[MULTI_MAX];
  if (buy_multi(c, &m, phone, ids))
    return;
  char shown[32];
  shown_phone(s, phone, shown, sizeof shown);
  cJSON *arr = cJSON_CreateArray();
  int ok = arr != NULL;
  for (size_t i = 0; ok && i < m.n; i++) {
    cJSON *e = cJSON_CreateObject();
    ok = sim_push(arr, e) && sim_add_str(e, "phone", shown) &&
         sim_add_num(e, "activation", (double)ids[i]) &&
         sim_add_str(e, "service", sim_service(s, (size_t)m.si[i])->code);
  }
  sim_answer(c, arr, ok);
}

/* ---- getStatus / getStatusV2 / getFullSms -------------------------------- */

/* The state the status calls report: CANCEL_NOT_REFLECTED shows a
 * cancelled activation as still waiting. */
static enum sim_act_state shown_state(const struct sc_sim *s,
                                      const struct sim_activation *a) {
  if (a->state == SIM_ST_CANCEL && sim_fault(s, SIM_F_CANCEL_NOT_REFLECTED))
    return SIM_ST_WAIT_CODE;
  return a->state;
}

/* The activation named by the "id" parameter, or NULL. 001 lists
 * WRONG_ACTIVATION_ID only for setStatus; for getStatus (and the calls that
 * mirror it) a non-numeric id is just an activation that does not exist. */
static struct sim_activation *param_act(struct sim_call *c, const char *name) {
  return sim_find_act(c->s, sim_parse_id(sim_param(c, name)), c->acc);
}

/* 001: NO_ACTIVATION - activation id does not exist. The faults answer
 * NO_NUMBERS (a server that reads a missing row as "nothing to sell") or
 * NO_ACTIVATIONS (getActiveActivations' token, of which NO_ACTIVATION is a
 * prefix). */
static void no_activation(struct sim_call *c) {
  struct sc_sim *s = c->s;
  sim_token(c, sim_fault(s, SIM_F_UNKNOWN_ID_NO_NUMBERS) ? "NO_NUMBERS"
               : sim_fault(s, SIM_F_NEAR_MISS_NO_ACTIVATIONS)
                   ? "NO_ACTIVATIONS"
                   : "NO_ACTIVATION");
}

static void get_status(struct sim_call *c) {
  struct sc_sim *s = c->s;
  struct sim_activation *a = param_act(c, "id");
  if (!a) {
    no_activation(c); /* 001: id does not exist */
    return;
  }
  /* 000 documents getStatus twice: with the STATUS_* answers and with a
   * JSON example that no parameter selects; the STATUS_* list is the
   * complete one, so every dialect answers text. */
  switch (shown_state(s, a)) {
  case SIM_ST_WAIT_CODE:
    if (sim_fault(s, SIM_F_EARLY_STATUS_OK))
      sim_token(c, "STATUS_OK:000000");
    else
      sim_token(c, "STATUS_WAIT_CODE"); /* 001: waiting for SMS */
    break;
  case SIM_ST_OK:
  case SIM_ST_DONE:
    sim_tokenf(c, "STATUS_OK:%s", a->code); /* 001: code received */
    break;
  case SIM_ST_WAIT_RETRY:
    /* 003 names only STATUS_WAIT_CODE, STATUS_OK and STATUS_CANCEL: waiting
     * for the next SMS is waiting for a code. */
    if (s->dialect == SIM_SMSBULK) {
      sim_token(c, "STATUS_WAIT_CODE");
      break;
    }
    /* 001: STATUS_WAIT_RETRY: 'past, unmatched code' */
    sim_tokenf(c, "STATUS_WAIT_RETRY:%s",
               sim_fault(s, SIM_F_RETRY_NO_LASTCODE) ? "" : a->lastcode);
    break;
  case SIM_ST_CANCEL:
    sim_token(c, "STATUS_CANCEL"); /* 001: activation canceled */
    break;
  }
}

/* 001 "Get an activation status Version 2": {"verificationType", "sms":
 * {dateTime, code, text}} or, for a call, "call": {from, text, dateTime,
 * url, parsingCount}; STATUS_CANCEL for a cancelled activation. Before an
 * SMS neither object is sent (an activation waits for one kind only).
 * verificationType is 001's activationType (0 SMS, 1 number, 2 voice).
 * STATUS_V2_STALE: the SMS is never shown. */
static void get_status_v2(struct sim_call *c) {
  struct sc_sim *s = c->s;
  struct sim_activation *a = param_act(c, "id");
  if (!a) {
    no_activation(c); /* 001: id does not exist */
    return;
  }
  if (shown_state(s, a) == SIM_ST_CANCEL) {
    sim_token(c, "STATUS_CANCEL"); /* 001: activation canceled */
    return;
  }
  cJSON *o = cJSON_CreateObject();
  int ok = o && sim_add_num(o, "verificationType", CALL_KIND(a));
  int seen = a->nsms > 0 && !sim_fault(s, SIM_F_STATUS_V2_STALE);
  if (ok && seen) {
    char when[32];
    sim_fmt_time(when, sizeof when, a->sms_at, SIM_TIME_001);
    if (CALL_KIND(a)) {
      char from[32], url[96];
      caller_number(a, from, sizeof from);
      snprintf(url, sizeof url, "https://voice.sim.invalid/%llu.mp3", a->id);
      cJSON *call = cJSON_AddObjectToObject(o, "call");
      ok = call && sim_add_str(call, "from", from) &&
           sim_add_str(call, "text", a->text) && sim_add_str(call, "dateTime", when) &&
           sim_add_str(call, "url", url) &&
           sim_add_num(call, "parsingCount", 1 + CALL_REPARSES(a));
    } else {
      cJSON *sms = cJSON_AddObjectToObject(o, "sms");
      ok = sms && sim_add_str(sms, "dateTime", when) &&
           sim_add_str(sms, "code", a->code) && sim_add_str(sms, "text", a->text);
    }
  }
  sim_answer(c, o, ok);
}

/* 001's Java guide: getFullSms gives the full text of the SMS ("MESSAGE_WAS_
 * SENT ... Mandatory to receive the full text"). No document writes the wire
 * answer; the protocol's well-known form is FULL_SMS:<text>, with the
 * getStatus tokens STATUS_WAIT_CODE before an SMS and STATUS_CANCEL after a
 * cancel. Status 1 is not enforced: setStatus refuses 1 once a code has
 * arrived, so enforcing it would lock the text away. */
static void get_full_sms(struct sim_call *c) {
  struct sc_sim *s = c->s;
  struct sim_activation *a = param_act(c, "id");
  if (!a) {
    no_activation(c); /* as getStatus: id does not exist */
    return;
  }
  if (shown_state(s, a) == SIM_ST_CANCEL)
    sim_token(c, "STATUS_CANCEL");
  else if (!a->nsms)
    sim_token(c, "STATUS_WAIT_CODE");
  else
    sim_tokenf(c, "FULL_SMS:%s", a->text);
}

/* ---- setStatus ----------------------------------------------------------- */

/* Cancels |a| (status 8, or -1 at 000): refunded once, except under
 * NO_REFUND; DOUBLE_REFUND credits the price a second time when status 1
 * had been given. */
static void cancel(struct sc_sim *s, struct sim_activation *a) {
  a->state = SIM_ST_CANCEL;
  if (sim_fault(s, SIM_F_NO_REFUND))
    return;
  int was = a->refunded;
  sim_refund(s, a);
  if (sim_fault(s, SIM_F_DOUBLE_REFUND) && a->ready && !was)
    s->accounts[a->account].balance += a->cost;
}

/* setStatus's status parameter |st| as a number: one digit, or -1 when it
 * is none. 000: -1 — cancel activation, next to 8 (so read as 8 there). */
static int status_value(const struct sc_sim *s, const char *st) {
  if (st && strlen(st) == 1 && isdigit((unsigned char)st[0]))
    return st[0] - '0';
  if (s->dialect == SIM_KOALASMS && st && strcmp(st, "-1") == 0)
    return 8;
  return -1;
}

static void set_status(struct sim_call *c) {
  struct sc_sim *s = c->s;
  const char *st = sim_param(c, "status");
  unsigned long long id = sim_parse_id(sim_param(c, "id"));
  /* 001: WRONG_ACTIVATION_ID - invalid ID or ID is not a number. 000, 003
   * and 004 list no such token: their NO_ACTIVATION covers it. */
  if (!id) {
    if (is_ref(s))
      sim_token(c, "WRONG_ACTIVATION_ID");
    else
      no_activation(c);
    return;
  }
  struct sim_activation *a = sim_find_act(s, id, c->acc);
  /* 001: NO_ACTIVATION - activation id does not exist (another account's
   * activation does not exist for this key). */
  if (!a) {
    no_activation(c);
    return;
  }
  /* 001: $forward (the number to forward to) is needed only after a
   * forward=1 purchase; 001 gives it no error and no effect: not checked. */
  int status = status_value(s, st);
  /* The fault: a value the document does not list (001, 003, 004: 1, 3,
   * 6, 8; 000 adds -1) falls through the server's if-chain to an empty
   * answer. */
  if (sim_fault(s, SIM_F_SET_STATUS_EMPTY) && status != 1 && status != 3 &&
      status != 6 && status != 8)
    return;
  switch (status) {
  case 1:
    /* 001: 1 - notify about the number availability -> ACCESS_READY;
     * allowed right after getNumber. */
    if (a->state == SIM_ST_WAIT_CODE) {
      a->ready = 1;
      sim_token(c, "ACCESS_READY");
      return;
    }
    /* 003: "Report SMS sent (no-op)": ACCESS_READY while it runs. */
    if (s->dialect == SIM_SMSBULK && running(a)) {
      sim_token(c, "ACCESS_READY");
      return;
    }
    break;
  case 3:
    /* 001: "Immediately after receiving the code: 3 - request one more SMS"
     * -> ACCESS_RETRY_GET, waiting for a new SMS. 001 **: no status change
     * for a call verification once the call has arrived. */
    if (a->state != SIM_ST_OK || (is_ref(s) && CALL_KIND(a)))
      break;
    memcpy(a->lastcode, a->code, sizeof a->lastcode);
    a->state = SIM_ST_WAIT_RETRY;
    sim_token(c, "ACCESS_RETRY_GET");
    return;
  case 6:
    /* 001: 6 - finish the activation, after a code or after status 3. */
    if (a->state != SIM_ST_OK && a->state != SIM_ST_WAIT_RETRY)
      break;
    a->state = SIM_ST_DONE;
    sim_token(c, "ACCESS_ACTIVATION");
    return;
  case 8:
    /* 001: 8 - cancel, offered after getNumber and after status 1 only;
     * completed, cancelled or coded activations: BAD_STATUS. */
    if (a->state != SIM_ST_WAIT_CODE)
      break;
    /* 001/004: EARLY_CANCEL_DENIED - not allowed to cancel a number within
     * the first 2 minutes (early_cancel_seconds). 000 lists no such token:
     * its getNumberV2 gives activationCancel, "time, when activation could
     * be cancelled", so a cancel before it is refused, with the one token
     * its setStatus lists for a change the activation cannot take:
     * "BAD_STATUS - incorrect status". Which of the two is the profile's
     * list of setStatus errors. */
    if (sim_now(s) - a->bought_at < s->early_cancel &&
        !sim_fault(s, SIM_F_EARLY_CANCEL_ALLOWED)) {
      sim_token(c, lists_error(s, "setStatus", "EARLY_CANCEL_DENIED")
                       ? "EARLY_CANCEL_DENIED"
                       : "BAD_STATUS");
      return;
    }
    cancel(s, a);
    sim_token(c, "ACCESS_CANCEL");
    return;
  default:
    break;
  }
  sim_token(c, "BAD_STATUS"); /* 001: BAD_STATUS - incorrect status */
}

/* ---- lists: getActiveActivations, getHistory ----------------------------- */

/* 001 leaves activationStatus (and getHistory's status) undefined: the
 * setStatus value the client last had accepted, 0 before any. */
static int status_code(enum sim_act_state st, const struct sim_activation *a) {
  switch (st) {
  case SIM_ST_WAIT_CODE:
    return a->ready ? 1 : 0;
  case SIM_ST_OK:
    return a->lastcode[0] ? 3 : a->ready ? 1 : 0;
  case SIM_ST_WAIT_RETRY:
    return 3;
  case SIM_ST_DONE:
    return 6;
  case SIM_ST_CANCEL:
    break;
  }
  return 8;
}

/* "1" when |a| reactivates its parent's number for the same service
 * (getExtraActivation), else "0". */
static const char *repeated(struct sc_sim *s, const struct sim_activation *a) {
  const struct sim_activation *p = sim_act_by_id(s, a->parent);
  return p && p->offer == a->offer ? "1" : "0";
}

/* One activation of getActiveActivations: 001's record (strings
 * throughout, smsCode a list) or 000's (cost, status and currency numbers,
 * smsCode one string, no SMS fields before an SMS). */
static int active_entry(struct sc_sim *s, cJSON *arr,
                        const struct sim_activation *a, enum sim_act_state st) {
  int koala = s->dialect == SIM_KOALASMS;
  char id[32], cost[32], when[32], stc[8];
  snprintf(id, sizeof id, "%llu", a->id);
  sim_money_text(cost, sizeof cost, a->cost);
  sim_fmt_time(when, sizeof when, a->bought_at, SIM_TIME_001);
  snprintf(stc, sizeof stc, "%d", status_code(st, a));
  const struct sim_country *k = country_of(s, a);
  int has_sms = a->nsms > 0;
  cJSON *e = cJSON_CreateObject();
  int ok =
      sim_push(arr, e) && sim_add_str(e, "activationId", id) &&
      sim_add_str(e, "serviceCode", service_of(s, a)) &&
      sim_add_str(e, "phoneNumber", a->phone) &&
      (koala ? sim_add_num(e, "activationCost", sim_money_double(a->cost))
             : sim_add_str(e, "activationCost", cost)) &&
      (koala ? sim_add_num(e, "activationStatus", status_code(st, a))
             : sim_add_str(e, "activationStatus", stc)) &&
      sim_add_str(e, "activationTime", when) && sim_add_str(e, "discount", "0.00") &&
      sim_add_str(e, "repeated", repeated(s, a)) &&
      sim_add_str(e, "countryCode", k->id) && sim_add_str(e, "countryName", k->eng) &&
      sim_add_str(e, "canGetAnotherSms", "1");
  if (ok && koala) {
    ok = sim_add_num(e, "currency", CURRENCY_KOALA) &&
         (!has_sms ||
          (sim_add_str(e, "smsCode", a->code) && sim_add_str(e, "smsText", a->text)));
  } else if (ok) {
    char cur[8];
    snprintf(cur, sizeof cur, "%d", CURRENCY_REF);
    cJSON *codes = cJSON_AddArrayToObject(e, "smsCode");
    ok = codes && (!has_sms || sim_push(codes, cJSON_CreateString(a->code))) &&
         sim_add_str(e, "smsText", has_sms ? a->text : "") &&
         sim_add_str(e, "currency", cur);
  }
  return ok;
}

/* 001 "Request active activations": {"status":"success","activeActivations":
 * [...]} of the account's running activations, NO_ACTIVATIONS when there is
 * none. 000: a bare array (empty when there is none: 000 lists no such
 * error). ACTIVE_LIST_STALE keeps cancelled ones in the list. */
static void get_active_activations(struct sim_call *c) {
  struct sc_sim *s = c->s;
  int koala = s->dialect == SIM_KOALASMS;
  cJSON *root = koala ? cJSON_CreateArray() : cJSON_CreateObject();
  cJSON *arr = koala ? root : cJSON_CreateArray();
  int ok = root && arr, n = 0;
  for (size_t i = 0; ok && i < s->nacts; i++) {
    const struct sim_activation *a = &s->acts[i];
    enum sim_act_state st = shown_state(s, a);
    if (a->account != c->acc)
      continue;
    if (!running(a) && st != SIM_ST_WAIT_CODE &&
        !(a->state == SIM_ST_CANCEL && sim_fault(s, SIM_F_ACTIVE_LIST_STALE)))
      continue;
    ok = active_entry(s, arr, a, st);
    n++;
  }
  if (!koala) {
    if (ok && !n) {
      cJSON_Delete(arr);
      cJSON_Delete(root);
      sim_token(c, "NO_ACTIVATIONS"); /* 001: no active activations */
      return;
    }
    if (!ok || !sim_add_str(root, "status", "success") ||
        !cJSON_AddItemToObject(root, "activeActivations", arr)) {
      cJSON_Delete(arr);
      ok = 0;
    }
  }
  sim_answer(c, root, ok);
}

/* A non-negative whole number parameter, or |def| when absent or not one. */
static long long num_param(struct sim_call *c, const char *name,
                           long long def) {
  const char *v = sim_param(c, name);
  if (v && strcmp(v, "0") == 0)
    return 0;
  unsigned long long n = sim_parse_id(v);
  return n && n < (1ull << 62) ? (long long)n : def;
}

/* 001 "Get activation history": every activation of the account bought in
 * [start, end] (Unix times, both optional), newest first, from offset
 * (default 0), at most limit (default 50, maximum 100) records: {id, date,
 * phone, sms: [texts], cost (0 while it runs, and for a refunded one: it
 * cost nothing), status, currency}. 001 lists no error for a malformed
 * filter: it is ignored. */
static void get_history(struct sim_call *c) {
  struct sc_sim *s = c->s;
  long long start = num_param(c, "start", -1);
  long long end = num_param(c, "end", -1);
  long long offset = num_param(c, "offset", 0);
  long long limit = num_param(c, "limit", 50);
  if (limit <= 0)
    limit = 50;
  if (limit > 100)
    limit = 100;
  char cur[8];
  snprintf(cur, sizeof cur, "%d", CURRENCY_REF);
  cJSON *arr = cJSON_CreateArray();
  int ok = arr != NULL;
  long long seen = 0, shown = 0;
  for (size_t i = s->nacts; ok && i-- > 0 && shown < limit;) {
    const struct sim_activation *a = &s->acts[i];
    if (a->account != c->acc || (start >= 0 && a->bought_at < start) ||
        (end >= 0 && a->bought_at > end) || seen++ < offset)
      continue;
    shown++;
    char when[32];
    sim_fmt_time(when, sizeof when, a->bought_at, SIM_TIME_001);
    char stc[8];
    snprintf(stc, sizeof stc, "%d", status_code(a->state, a));
    long long cost = running(a) || a->refunded ? 0 : a->cost;
    cJSON *e = cJSON_CreateObject();
    cJSON *sms = NULL;
    ok = sim_push(arr, e) && sim_add_num(e, "id", (double)a->id) &&
         sim_add_str(e, "date", when) && sim_add_str(e, "phone", a->phone) &&
         (sms = cJSON_AddArrayToObject(e, "sms")) != NULL &&
         (!a->nsms || sim_push(sms, cJSON_CreateString(a->text))) &&
         sim_add_num(e, "cost", sim_money_double(cost)) &&
         sim_add_str(e, "status", stc) && sim_add_str(e, "currency", cur);
  }
  sim_answer(c, arr, ok);
}

/* ---- purchases on an existing number ------------------------------------- */

/* Buys |o| for the number of activation |parent_id| (additional service,
 * reactivation): the new activation uses that number, so the offer's stock
 * of fresh numbers is neither needed nor consumed. Returns the new id, or 0
 * with |*tok| set. */
static unsigned long long buy_on_number(struct sc_sim *s, size_t acc,
                                        struct sim_offer *o,
                                        unsigned long long parent_id,
                                        const char **tok) {
  long keep = o->stock;
  o->stock = 1;
  struct sim_activation *a = sim_buy(s, acc, o, tok);
  o->stock = keep;
  if (!a)
    return 0;
  const struct sim_activation *p = sim_act_by_id(s, parent_id);
  memcpy(a->phone, p->phone, sizeof a->phone);
  a->parent = parent_id;
  return a->id;
}

/* Whether account |acc| has an activation on |phone| for service offer
 * index |si| that is not cancelled (bought, so "purchased"). */
static int has_service_on(const struct sc_sim *s, size_t acc, const char *phone,
                          size_t si) {
  for (size_t i = 0; i < s->nacts; i++) {
    const struct sim_activation *a = &s->acts[i];
    if (a->account == acc && a->state != SIM_ST_CANCEL &&
        strcmp(a->phone, phone) == 0 && s->offers[a->offer].service == si)
      return 1;
  }
  return 0;
}

/* 001 "Additional service for redirected numbers": after the first SMS on a
 * forwarded number, another service on the same number, as a new
 * activation charged at the service's offer in that country:
 * ADDITIONAL:$id:$phone. */
static void get_additional_service(struct sim_call *c) {
  struct sc_sim *s = c->s;
  struct sim_activation *p = param_act(c, "id");
  /* 001: WRONG_ACTIVATION_ID - Incorrect parental activation ID. */
  if (!p) {
    sim_token(c, "WRONG_ACTIVATION_ID");
    return;
  }
  /* 001: WRONG_ADDITIONAL_SERVICE - Invalid additional service (only
   * services for forwarding are allowed); every fixture service can be
   * forwarded, so an unknown one. */
  long si = sim_service_index(s, sim_param(c, "service"));
  if (si < 0) {
    sim_token(c, "WRONG_ADDITIONAL_SERVICE");
    return;
  }
  /* 001: WRONG_SECURITY - an activation ID without redirection, or a
   * completed/inactive activation; also before its first SMS (001: "Having
   * received the first SMS for redirected numbers, you can buy"). */
  if (!p->forward || !running(p) || !p->nsms) {
    sim_token(c, "WRONG_SECURITY");
    return;
  }
  /* 001: REPEAT_ADDITIONAL_SERVICE - trying to order a purchased service
   * again (the parent's own service included). */
  if (has_service_on(s, c->acc, p->phone, (size_t)si)) {
    sim_token(c, "REPEAT_ADDITIONAL_SERVICE");
    return;
  }
  struct sim_offer *o =
      sim_offer_at(s, (size_t)si, s->offers[p->offer].country);
  const char *tok = NULL;
  unsigned long long id = buy_on_number(s, c->acc, o, p->id, &tok);
  if (!id) {
    /* 001: NO_BALANCE - Not sufficient funds; the per-account cap has no
     * token here: ERROR_SQL. */
    sim_token(c, strcmp(tok, "NO_BALANCE") == 0 ? tok : "ERROR_SQL");
    return;
  }
  /* 001: ADDITIONAL:$id:$phone */
  sim_tokenf(c, "ADDITIONAL:%llu:%s", id, sim_act_by_id(s, id)->phone);
}

/* The checks shared by getExtraActivation and checkExtraActivation: the
 * parent (activationId) or NULL after answering. 001 "Virtual number
 * reactivation": "If you have made a successful activation on the number,
 * then you can do it again": the parent must be completed (status 6), and
 * its number not in use by a running activation. */
static struct sim_activation *extra_parent(struct sim_call *c, int buying) {
  struct sc_sim *s = c->s;
  struct sim_activation *p = param_act(c, "activationId");
  if (!p) {
    /* 001: WRONG_ACTIVATION_ID - Incorrect parental activation ID */
    sim_token(c, "WRONG_ACTIVATION_ID");
    return NULL;
  }
  if (p->state != SIM_ST_DONE) {
    /* 001: RENEW_ACTIVATION_NOT_AVAILABLE - the number is not available
     * for additional activation */
    sim_token(c, "RENEW_ACTIVATION_NOT_AVAILABLE");
    return NULL;
  }
  for (size_t i = 0; i < s->nacts; i++)
    if (s->acts[i].account == c->acc && running(&s->acts[i]) &&
        strcmp(s->acts[i].phone, p->phone) == 0) {
      /* 001: NEW_ACTIVATION_IMPOSSIBLE - it is impossible to make
       * additional activation; checkExtraActivation lists only
       * RENEW_ACTIVATION_NOT_AVAILABLE for a number not available. */
      sim_token(c, buying ? "NEW_ACTIVATION_IMPOSSIBLE"
                          : "RENEW_ACTIVATION_NOT_AVAILABLE");
      return NULL;
    }
  return p;
}

/* 001 "Virtual number reactivation": ACCESS_NUMBER:$id:$phone, the same
 * number, charged the service's current price in that country (the cost
 * checkExtraActivation reports). */
static void get_extra_activation(struct sim_call *c) {
  struct sc_sim *s = c->s;
  struct sim_activation *p = extra_parent(c, 1);
  if (!p)
    return;
  const char *tok = NULL;
  unsigned long long id =
      buy_on_number(s, c->acc, &s->offers[p->offer], p->id, &tok);
  if (!id) {
    /* 001: NO_BALANCE - no money; the per-account cap:
     * NEW_ACTIVATION_IMPOSSIBLE. */
    sim_token(c, strcmp(tok, "NO_BALANCE") == 0 ? tok
                                                : "NEW_ACTIVATION_IMPOSSIBLE");
    return;
  }
  sim_tokenf(c, "ACCESS_NUMBER:%llu:%s", id, sim_act_by_id(s, id)->phone);
}

/* 001 "Get a price for additional number activation": {"status":
 * "success", "cost", "service", "phone", "country"}, phone and country as
 * numbers like the example. SIM_OFFLINE is never sent (no SIM goes
 * offline in the fixture). */
static void check_extra_activation(struct sim_call *c) {
  struct sc_sim *s = c->s;
  struct sim_activation *p = extra_parent(c, 0);
  if (!p)
    return;
  const struct sim_offer *o = offer_of(s, p);
  cJSON *r = cJSON_CreateObject();
  int ok = r && sim_add_str(r, "status", "success") &&
           sim_add_num(r, "cost", sim_money_double(o->cost)) &&
           sim_add_str(r, "service", sim_service(s, o->service)->code) &&
           sim_add_num(r, "phone", strtod(p->phone, NULL)) &&
           sim_add_num(r, "country", (double)sim_country(s, o->country)->num);
  sim_answer(c, r, ok);
}

/* ---- calls --------------------------------------------------------------- */

/* 001 "Get the status of an incoming call": {"status", "phone"} with the
 * legend 2 - new activation, 3 - successfully finished, 4 - canceled (5 -
 * returned is not told apart from a cancel here); phone, the number that
 * called, once the call came. INVALID_ACTIVATION_ID - Invalid activation
 * ID: also an activation that is not verified by call. */
static void get_incoming_call_status(struct sim_call *c) {
  struct sc_sim *s = c->s;
  struct sim_activation *a = param_act(c, "id");
  if (!a || !CALL_KIND(a)) {
    sim_token(c, "INVALID_ACTIVATION_ID");
    return;
  }
  enum sim_act_state st = shown_state(s, a);
  int code = st == SIM_ST_DONE ? 3 : st == SIM_ST_CANCEL ? 4 : 2;
  cJSON *o = cJSON_CreateObject();
  int ok = o && sim_add_num(o, "status", code);
  if (ok && a->nsms) {
    char from[32];
    caller_number(a, from, sizeof from);
    ok = sim_add_str(o, "phone", from);
  }
  sim_answer(c, o, ok);
}

/* 001 "Repeated voice parsing": {"result":"OK"}; STATUS_CANCEL (activation
 * canceled), NO_CALL (no call was received; also an activation that is not
 * a voice one), PARSE_COUNT_EXCEED (at most 4 re-parses),
 * WRONG_ACTIVATION_ID (invalid ID, activation does not exist). newLang is
 * required and 001 lists no error for its absence: BAD_ACTION. */
static void parse_call(struct sim_call *c) {
  struct sim_activation *a = param_act(c, "id");
  if (!a) {
    sim_token(c, "WRONG_ACTIVATION_ID");
    return;
  }
  if (!sim_opt_param(c, "newLang")) {
    sim_token(c, "BAD_ACTION");
    return;
  }
  if (a->state == SIM_ST_CANCEL) {
    sim_token(c, "STATUS_CANCEL");
    return;
  }
  if (CALL_KIND(a) != 2 || !a->nsms) {
    sim_token(c, "NO_CALL");
    return;
  }
  if (CALL_REPARSES(a) >= CALL_MAX_REPARSES) {
    sim_token(c, "PARSE_COUNT_EXCEED");
    return;
  }
  a->call += 4; /* one more re-parse, above the kind's two bits */
  cJSON *o = cJSON_CreateObject();
  sim_answer(c, o, o && sim_add_str(o, "result", "OK"));
}

static const struct sim_action act_actions[] = {
    {"getNumber", get_number, SIM_TEXT},
    {"getNumberV2", get_number_v2, SIM_JSON},
    {"getMultiServiceNumber", get_multi_service_number, SIM_JSON},
    {"getStatus", get_status, SIM_TEXT},
    {"getStatusV2", get_status_v2, SIM_JSON},
    {"getFullSms", get_full_sms, SIM_TEXT},
    {"setStatus", set_status, SIM_TEXT},
    {"getActiveActivations", get_active_activations, SIM_JSON},
    {"getHistory", get_history, SIM_JSON},
    {"getAdditionalService", get_additional_service, SIM_TEXT},
    {"getExtraActivation", get_extra_activation, SIM_TEXT},
    {"checkExtraActivation", check_extra_activation, SIM_JSON},
    {"getIncomingCallStatus", get_incoming_call_status, SIM_JSON},
    {"parseCall", parse_call, SIM_JSON},
    {NULL, NULL, 0},
};

const struct sim_module sim_act_module = {
    .name = "act",
    .actions = act_actions,
};
