/* sc_sim_rent.c — the simulator's rent actions and /control/rent-sms.
 *
 * Sources: 001 = seeds/001_ac8db1c65ff3c54b.txt, section "Rent Api" and its
 * subsections (cited by heading), plus the PHP/Python samples at the end of
 * the same document; ARCH = ARCHITECTURE.md "Sandbox control protocol v1".
 *
 * A rent is ordered (getRentNumber) for a number of hours and charged at
 * once; it ends when its endDate passes on the simulated clock (EXPIRED, no
 * refund), when the client finishes it (status 1, no refund) or cancels it
 * inside the cancel window (status 2, everything charged for it refunded).
 * continueRentNumber moves endDate later and charges the extension; on a
 * finished rent it orders the same number again under a new id.
 *
 * Money: every rent keeps |charged| (order plus extensions, in cents) and a
 * |refunded| flag, so the core's invariant extends to rents:
 *   balance + sum(unrefunded activation costs) + sum(unrefunded rent
 *   charges) == base.
 * /control/state shows both as "cost" and "refunded".
 *
 * Decisions where 001 is silent (each repeated where it applies):
 *   - prices: 0.10 per hour for one service, 0.25 per hour for "full" (the
 *     whole number), independent of the activation prices;
 *   - stock: a rent takes a number from the activation stock of its
 *     service and country ("full" one from every service of the country),
 *     so /control/stock provokes NO_NUMBERS and OUT_OF_STOCK;
 *   - getRentNumber rounds $time up to the next documented period (4, 12,
 *     24, 48, ...; at most 1344 hours); a missing or malformed $time is the
 *     default 4;
 *   - MAX_HOURS_EXCEED: a rent may reach at most 1344 hours ahead of now;
 *   - an expired rent answers STATUS_FINISH (lifecycle.json EXPIRED);
 *     changing or extending it answers ALREADY_FINISH / RENT_DIE;
 *   - a cancelled rent cannot be extended: RENT_DIE;
 *   - a finished rent can be ordered again (once) while its endDate has not
 *     passed; afterwards RENT_DIE. */
#include "sc_sim_base.h"

#include "sc_alloc.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The rent windows, where neither the profile nor lifecycle.json gives
 * them: 001 "Extend your lease": INVALID_TIME - available number of hours
 * from 4 to 1344; $rent_time defaults to 4 hours. 001 "Rental Status
 * Change": CANT_CANCEL - impossible to cancel the lease (more than 20
 * min.). */
#define RENT_MIN_HOURS 4
#define RENT_MAX_HOURS 1344
#define RENT_CANCEL_WINDOW 1200
/* Our fixture's prices (001 gives only examples: 21.95 for vk, 42.93 for
 * "full"). */
#define RENT_HOUR_CENTS 10
#define RENT_FULL_HOUR_CENTS 25
/* 001 "Request available countries and services": "currency": 840. */
#define RENT_CURRENCY 840
/* 001 "List current activations": only the last 10 numbers. */
#define RENT_LIST_MAX 10
/* 001 "get status for rent": $size - page size (default 10). */
#define RENT_PAGE_DEFAULT 10
#define RENT_PAGE_MAX 100
/* Our caps, so a runaway client cannot grow the simulator without end. */
#define RENT_MAX_PER_ACCOUNT 1000
#define RENT_MAX_SMS 1000

enum rent_state {
  RENT_ACTIVE,    /* ordered, time left (ACTIVE or ACTIVE_SMS) */
  RENT_FINISHED,  /* status 1 */
  RENT_CANCELLED, /* status 2 inside the window: refunded */
  RENT_EXPIRED,   /* endDate passed */
  RENT_REVOKED    /* vendor-side; nothing in ARCH provokes it */
};

static const char *const rent_state_names[] = {
    "ACTIVE", "FINISHED", "CANCELLED", "EXPIRED", "REVOKED"};

struct rent_sms {
  char from[16]; /* digits */
  char text[SIM_TEXT_MAX];
  long long at; /* simulated seconds */
};

struct rent {
  unsigned long long id;
  unsigned long long parent;  /* the finished rent this one re-orders */
  unsigned long long reorder; /* the rent that re-ordered this one; 0 */
  size_t account;
  long service; /* index into the catalogue's services; -1 = "full" */
  size_t country;
  char phone[16];
  long long ordered_at, end_at; /* simulated seconds */
  long long charged;            /* cents: order plus paid extensions */
  int refunded;
  enum rent_state state;
  struct rent_sms *sms; /* oldest first */
  size_t nsms, capsms;
};

struct sim_rent {
  struct rent *v;
  size_t n, cap;
  /* the profile's timing (lifecycle.json's rent_min_hours, rent_max_hours,
   * rent_cancel_window_seconds), read once at init */
  long min_hours, max_hours;
  long long cancel_window; /* seconds */
};

/* ---- helpers ------------------------------------------------------------- */

static const char *service_code(const struct sc_sim *s, const struct rent *r) {
  return r->service < 0 ? "full" : sim_service(s, (size_t)r->service)->code;
}

static long long hour_cents(long service) {
  return service < 0 ? RENT_FULL_HOUR_CENTS : RENT_HOUR_CENTS;
}

/* The rent |id| of account |acc|; another account's rent does not exist for
 * this key (001: INVALID_PHONE - the number is rented not by you). */
static struct rent *find_rent(struct sc_sim *s, unsigned long long id,
                              size_t acc) {
  struct sim_rent *R = s->rent;
  if (!R || !id)
    return NULL;
  for (size_t i = 0; i < R->n; i++)
    if (R->v[i].id == id)
      return R->v[i].account == acc ? &R->v[i] : NULL;
  return NULL;
}

/* A non-negative whole number of at most 7 digits; -1 otherwise. */
static long parse_hours(const char *str) {
  if (!str || !*str || strlen(str) > 7)
    return -1;
  for (const char *p = str; *p; p++)
    if (!isdigit((unsigned char)*p))
      return -1;
  return strtol(str, NULL, 10);
}

/* 001 "Order a virtual number rental": default 4 hours, "the next available
 * time period is 12 hours, then 24 hours ... 24, 48, 72, etc." A time in
 * between is rounded up to the next period (the PHP sample asks for 10). */
static long rent_period(const struct sim_rent *R, const char *str) {
  long h = parse_hours(str);
  if (h <= R->min_hours)
    return R->min_hours;
  if (h <= 12)
    return 12;
  if (h >= R->max_hours)
    return R->max_hours;
  return (h + 23) / 24 * 24;
}

/* Prints |root| (freed here) as the answer. 001 lists SERVER_ERROR for
 * server-side failures such as running out of memory. Returns 0 when the
 * answer was written. */
static int rent_json(struct sim_call *c, cJSON *root) {
  char *txt = root ? cJSON_PrintUnformatted(root) : NULL;
  cJSON_Delete(root);
  if (!txt) {
    sim_json_error(c, "SERVER_ERROR");
    return -1;
  }
  sc_buf_adds(c->out, txt);
  cJSON_free(txt);
  c->ctype = "application/json";
  return 0;
}

/* How many more numbers (service, country) can give; "full" needs one from
 * every service of the country. */
static long rent_stock(struct sc_sim *s, long service, size_t country) {
  if (service >= 0)
    return sim_offer_at(s, (size_t)service, country)->stock;
  long min = -1;
  for (size_t i = 0; i < sim_nservices(s); i++) {
    long st = sim_offer_at(s, i, country)->stock;
    if (min < 0 || st < min)
      min = st;
  }
  return min < 0 ? 0 : min;
}

static void take_stock(struct sc_sim *s, long service, size_t country) {
  if (service >= 0) {
    sim_offer_at(s, (size_t)service, country)->stock--;
    return;
  }
  for (size_t i = 0; i < sim_nservices(s); i++)
    sim_offer_at(s, i, country)->stock--;
}

static size_t account_rents(const struct sim_rent *R, size_t acc) {
  size_t n = 0;
  for (size_t i = 0; i < R->n; i++)
    n += R->v[i].account == acc;
  return n;
}

/* A new rent record at the end of the table (zeroed); NULL when out of
 * memory. Pointers into the table are invalid after this call. */
static struct rent *rent_push(struct sim_rent *R) {
  if (R->n == R->cap) {
    size_t nc = R->cap ? R->cap * 2 : 16;
    struct rent *nv = sc_realloc(R->v, nc * sizeof(*nv));
    if (!nv)
      return NULL;
    R->v = nv;
    R->cap = nc;
  }
  struct rent *r = &R->v[R->n++];
  memset(r, 0, sizeof(*r));
  return r;
}

/* Undoes the last rent_push (its answer could not be written). */
static void rent_pop(struct sim_rent *R) {
  R->n--;
  sc_free(R->v[R->n].sms);
}

/* {"status":"success","phone":{"id":N,"endDate":"...","number":"..."}}
 * (001 "Order a virtual number rental" and "Extend your lease"). */
static cJSON *phone_answer(const struct rent *r) {
  char end[64];
  sim_fmt_time(end, sizeof end, r->end_at, SIM_TIME_ISO);
  cJSON *root = cJSON_CreateObject();
  cJSON *ph = NULL;
  if (!root || !cJSON_AddStringToObject(root, "status", "success") ||
      !(ph = cJSON_AddObjectToObject(root, "phone")) ||
      !cJSON_AddNumberToObject(ph, "id", (double)r->id) ||
      !cJSON_AddStringToObject(ph, "endDate", end) ||
      !cJSON_AddStringToObject(ph, "number", r->phone)) {
    cJSON_Delete(root);
    return NULL;
  }
  return root;
}

/* ---- actions ------------------------------------------------------------- */

/* 001 "Request available countries and services". */
static void get_services_and_countries(struct sim_call *c) {
  struct sc_sim *s = c->s;
  const char *country = sim_param(c, "country");
  /* $country* defaults to Russia (0); $operator, $currency and
   * $incomingCall change nothing in the fixture. */
  long ci = sim_country_index(s, country && *country ? country : "0", 0);
  long hours = rent_period(s->rent, sim_param(c, "time")
                                         ? sim_param(c, "time")
                                         : sim_param(c, "rent_time"));
  /* 001: OUT_OF_STOCK - numbers for that country are unavailable (also an
   * unknown country: it has none). Plain text, beside BAD_KEY. */
  int any = 0;
  for (size_t i = 0; ci >= 0 && i < sim_nservices(s); i++)
    any |= rent_stock(s, (long)i, (size_t)ci) > 0;
  if (!any) {
    sim_token(c, "OUT_OF_STOCK");
    return;
  }
  cJSON *root = cJSON_CreateObject();
  cJSON *cs = cJSON_AddObjectToObject(root, "countries");
  cJSON *ops = cJSON_AddObjectToObject(root, "operators");
  cJSON *sv = cJSON_AddObjectToObject(root, "services");
  int ok = root && cs && ops && sv;
  /* "countries": {"0": 0, ...}: index -> country id, the countries that
   * have a number to rent. */
  size_t k = 0;
  char idx[24];
  for (size_t i = 0; ok && i < sim_ncountries(s); i++) {
    int has = 0;
    for (size_t j = 0; j < sim_nservices(s); j++)
      has |= rent_stock(s, (long)j, i) > 0;
    if (!has)
      continue;
    snprintf(idx, sizeof idx, "%zu", k++);
    ok = cJSON_AddNumberToObject(cs, idx, (double)sim_country(s, i)->num) !=
         NULL;
  }
  /* "operators": {"0": "any", ...}. The fixture's operators are 001's list
   * for Russia ("megafon, mts, beeline, tele2, rostelecom, any"); other
   * countries offer "any" only. */
  static const char *const ru_ops[] = {"any", "beeline",    "megafon",
                                       "mts", "rostelecom", "tele2"};
  size_t nops = strcmp(sim_country(s, (size_t)ci)->id, "0") == 0
                    ? sizeof ru_ops / sizeof *ru_ops
                    : 1;
  for (size_t i = 0; ok && i < nops; i++) {
    snprintf(idx, sizeof idx, "%zu", i);
    ok = cJSON_AddStringToObject(ops, idx, ru_ops[i]) != NULL;
  }
  /* "services": {"full": {"cost": 42.93, "quant": 20}, "vk": {...}}: the
   * price for $time hours and the numbers left; "full" is the whole
   * number. Services without stock are left out. */
  for (long i = -1; ok && i < (long)sim_nservices(s); i++) {
    long q = rent_stock(s, i, (size_t)ci);
    if (q <= 0)
      continue;
    cJSON *o = cJSON_AddObjectToObject(
        sv, i < 0 ? "full" : sim_service(s, (size_t)i)->code);
    ok = o &&
         cJSON_AddNumberToObject(o, "cost",
                                 sim_money_double(hour_cents(i) * hours)) &&
         cJSON_AddNumberToObject(o, "quant", (double)q);
  }
  ok = ok && cJSON_AddNumberToObject(root, "currency", RENT_CURRENCY);
  if (!ok) {
    cJSON_Delete(root);
    root = NULL;
  }
  rent_json(c, root);
}

/* 001 "Order a virtual number rental". */
static void get_rent_number(struct sim_call *c) {
  struct sc_sim *s = c->s;
  struct sim_rent *R = s->rent;
  struct sim_account *a = &s->accounts[c->acc];
  const char *service = sim_param(c, "service");
  const char *country = sim_param(c, "country");
  /* 001: BAD_SERVICE - service not specified or name is incorrect. "full"
   * rents the whole number (the services list of the same section). */
  int full = service && strcmp(service, "full") == 0;
  long si = full ? -1 : sim_service_index(s, service);
  if (si < 0 && !full) {
    sim_json_error(c, "BAD_SERVICE");
    return;
  }
  /* $country* defaults to Russia. An unknown country has no numbers. */
  long ci = sim_country_index(s, country && *country ? country : "0", 0);
  /* 001: NO_NUMBERS - no numbers (also our per-account cap). */
  if (ci < 0 || rent_stock(s, si, (size_t)ci) <= 0 ||
      account_rents(R, c->acc) >= RENT_MAX_PER_ACCOUNT) {
    sim_json_error(c, "NO_NUMBERS");
    return;
  }
  /* The section names the period $time; the official libraries send
   * rent_time, so both are read. */
  const char *t = sim_param(c, "time");
  long hours = rent_period(R, t ? t : sim_param(c, "rent_time"));
  long long cost = hour_cents(si) * hours;
  /* 001: NO_BALANCE - no money in the account */
  if (a->balance < cost) {
    sim_json_error(c, "NO_BALANCE");
    return;
  }
  struct rent *r = rent_push(R);
  if (!r) {
    sim_json_error(c, "SERVER_ERROR"); /* 001: SERVER_ERROR - server error */
    return;
  }
  r->id = sim_next_id(s);
  r->account = c->acc;
  r->service = si;
  r->country = (size_t)ci;
  sim_phone(s, r->phone, sizeof r->phone);
  r->ordered_at = sim_now(s);
  r->end_at = r->ordered_at + (long long)hours * 3600;
  r->state = RENT_ACTIVE;
  if (rent_json(c, phone_answer(r))) {
    rent_pop(R);
    return;
  }
  r->charged = cost;
  a->balance -= cost;
  take_stock(s, si, (size_t)ci);
}

/* 001 "get status for rent". */
static void get_rent_status(struct sim_call *c) {
  struct sc_sim *s = c->s;
  const char *id = sim_param(c, "id");
  /* 001: NO_ID_RENT - rent ID is not specified */
  if (!id || !*id) {
    sim_json_error(c, "NO_ID_RENT");
    return;
  }
  /* 001: INVALID_PHONE - the number is rented not by you (invalid rent
   * ID); a malformed id names no rent either. */
  struct rent *r = find_rent(s, sim_parse_id(id), c->acc);
  if (!r) {
    sim_json_error(c, "INVALID_PHONE");
    return;
  }
  switch (r->state) {
  case RENT_FINISHED:
  case RENT_EXPIRED:
    /* 001: STATUS_FINISH - rent paid and completed; lifecycle.json gives
     * the same answer for a rent whose time ran out. */
    sim_json_error(c, "STATUS_FINISH");
    return;
  case RENT_CANCELLED:
    sim_json_error(c, "STATUS_CANCEL"); /* 001: rent canceled with a refund */
    return;
  case RENT_REVOKED:
    sim_json_error(c, "STATUS_REVOKE"); /* 001: number blocked, funds returned */
    return;
  case RENT_ACTIVE:
    break;
  }
  size_t visible = r->nsms;
  /* Fault: the newest SMS is left out (an off-by-one in the listing). */
  if (sim_fault(s, SIM_F_RENT_SMS_MISSING) && visible)
    visible--;
  /* 001: "successful only when there is a sms (box 'quantity' > 0)";
   * STATUS_WAIT_CODE - waiting for the first SMS. */
  if (!visible) {
    sim_json_error(c, "STATUS_WAIT_CODE");
    return;
  }
  /* $page* counts from 0, from new to old; $size* defaults to 10. A
   * malformed value is the default. */
  long page = parse_hours(sim_param(c, "page"));
  long size = parse_hours(sim_param(c, "size"));
  if (page < 0)
    page = 0;
  if (size <= 0)
    size = RENT_PAGE_DEFAULT;
  if (size > RENT_PAGE_MAX)
    size = RENT_PAGE_MAX;
  char num[24], date[64];
  cJSON *root = cJSON_CreateObject();
  snprintf(num, sizeof num, "%zu", visible);
  /* 001: "quantity": "2" (a string): the SMS on the rent. */
  int ok = root && cJSON_AddStringToObject(root, "status", "success") &&
           cJSON_AddStringToObject(root, "quantity", num);
  cJSON *vals = ok ? cJSON_AddObjectToObject(root, "values") : NULL;
  ok = ok && vals;
  unsigned long long first = (unsigned long long)page * (unsigned long)size;
  for (long k = 0; ok && k < size && first + (unsigned long)k < visible; k++) {
    /* newest first */
    const struct rent_sms *m = &r->sms[visible - 1 - (first + (size_t)k)];
    snprintf(num, sizeof num, "%ld", k);
    sim_fmt_time(date, sizeof date, m->at, SIM_TIME_001);
    cJSON *o = cJSON_AddObjectToObject(vals, num);
    ok = o && cJSON_AddStringToObject(o, "phoneFrom", m->from) &&
         cJSON_AddStringToObject(o, "text", m->text) &&
         cJSON_AddStringToObject(o, "service", service_code(s, r)) &&
         cJSON_AddStringToObject(o, "date", date);
  }
  if (!ok) {
    cJSON_Delete(root);
    root = NULL;
  }
  rent_json(c, root);
}

/* 001 "Rental Status Change". The value list was lost in the copy: 1 =
 * finish (the PHP sample's comment), 2 = cancel (the protocol's well-known
 * value; CANT_CANCEL and ALREADY_CANCEL show that one exists). */
static void set_rent_status(struct sim_call *c) {
  struct sc_sim *s = c->s;
  const char *id = sim_param(c, "id");
  const char *st = sim_param(c, "status");
  /* 001: NO_ID_RENT - rent ID is not specified */
  if (!id || !*id) {
    sim_json_error(c, "NO_ID_RENT");
    return;
  }
  /* 001: INCORECT_STATUS - missing or incorrectly specified status */
  if (!st || (strcmp(st, "1") != 0 && strcmp(st, "2") != 0)) {
    sim_json_error(c, "INCORECT_STATUS");
    return;
  }
  /* 001: INVALID_PHONE - the number is rented not by you */
  struct rent *r = find_rent(s, sim_parse_id(id), c->acc);
  if (!r) {
    sim_json_error(c, "INVALID_PHONE");
    return;
  }
  int cancel = st[0] == '2';
  switch (r->state) {
  case RENT_ACTIVE:
    break;
  case RENT_CANCELLED:
  case RENT_REVOKED:
    /* 001: ALREADY_CANCEL - the lease has already been canceled (a revoked
     * rent was ended with the money returned, like a cancel). */
    sim_json_error(c, "ALREADY_CANCEL");
    return;
  case RENT_FINISHED:
  case RENT_EXPIRED:
    /* 001: ALREADY_FINISH - the lease has already been completed */
    sim_json_error(c, "ALREADY_FINISH");
    return;
  }
  if (!cancel) {
    /* 1: finish. Paid time is not returned. */
    r->state = RENT_FINISHED;
    sc_buf_adds(c->out, "{\"status\":\"success\"}");
    c->ctype = "application/json";
    return;
  }
  /* 001: CANT_CANCEL - it is impossible to cancel the lease (more than 20
   * min.). The fault lets a late cancel through, with the refund. */
  if (sim_now(s) - r->ordered_at > s->rent->cancel_window &&
      !sim_fault(s, SIM_F_RENT_LATE_CANCEL)) {
    sim_json_error(c, "CANT_CANCEL");
    return;
  }
  /* 001 "get status for rent": STATUS_CANCEL - rent canceled with a
   * refund: everything charged for this rent, extensions included. */
  r->state = RENT_CANCELLED;
  if (!r->refunded) {
    r->refunded = 1;
    s->accounts[r->account].balance += r->charged;
  }
  sc_buf_adds(c->out, "{\"status\":\"success\"}");
  c->ctype = "application/json";
}

/* 001 "List current activations". */
static void get_rent_list(struct sim_call *c) {
  struct sim_rent *R = c->s->rent;
  size_t found = 0;
  for (size_t i = 0; i < R->n; i++)
    found += R->v[i].account == c->acc && R->v[i].state == RENT_ACTIVE;
  /* 001: NO_NUMBERS - no rented numbers */
  if (!found) {
    sim_json_error(c, "NO_NUMBERS");
    return;
  }
  cJSON *root = cJSON_CreateObject();
  int ok = root && cJSON_AddStringToObject(root, "status", "success");
  cJSON *vals = ok ? cJSON_AddObjectToObject(root, "values") : NULL;
  ok = ok && vals;
  /* "This method displays only the last 10 numbers": newest first. */
  size_t k = 0;
  char num[24], idb[24];
  for (size_t i = R->n; ok && i-- > 0 && k < RENT_LIST_MAX;) {
    const struct rent *r = &R->v[i];
    if (r->account != c->acc || r->state != RENT_ACTIVE)
      continue;
    snprintf(num, sizeof num, "%zu", k++);
    snprintf(idb, sizeof idb, "%llu", r->id);
    cJSON *o = cJSON_AddObjectToObject(vals, num);
    /* id and phone are strings: {"id": "12345", "phone": "79181234567"} */
    ok = o && cJSON_AddStringToObject(o, "id", idb) &&
         cJSON_AddStringToObject(o, "phone", r->phone);
  }
  if (!ok) {
    cJSON_Delete(root);
    root = NULL;
  }
  rent_json(c, root);
}

/* What an extension of a rent by $rent_time would be, shared by
 * continueRentNumber and getContinueRentPriceNumber. */
struct extension {
  struct rent *r;
  long hours;
  long max;       /* for MAX_HOURS_EXCEED */
  int reorder;    /* a finished rent ordered again under a new id */
  long long cost; /* cents */
};

/* Checks an extension request in 001's order of errors; NULL when it may
 * go ahead, else the error token (|ext->max| set for MAX_HOURS_EXCEED).
 * |required|: $rent_time has no default (getContinueRentPriceNumber). */
static const char *check_extension(struct sim_call *c, int required,
                                   struct extension *ext) {
  struct sc_sim *s = c->s;
  memset(ext, 0, sizeof(*ext));
  const char *id = sim_param(c, "id");
  const char *rt = sim_param(c, "rent_time");
  /* 001: NO_ID_RENT - there is no rent ID */
  if (!id || !*id)
    return "NO_ID_RENT";
  /* "Extend your lease": $rent_time - rental time (by default: 4 hours);
   * "Get the cost of rent renewal": $rent_time - rent time, no default.
   * INVALID_TIME - wrong time. Available number of hours from 4 to 1344. */
  if (!rt || !*rt) {
    if (required)
      return "INVALID_TIME";
    ext->hours = s->rent->min_hours;
  } else {
    ext->hours = parse_hours(rt);
    if (ext->hours < s->rent->min_hours || ext->hours > s->rent->max_hours)
      return "INVALID_TIME";
  }
  /* 001: INVALID_PHONE - incorrect rent ID */
  ext->r = find_rent(s, sim_parse_id(id), c->acc);
  if (!ext->r)
    return "INVALID_PHONE";
  long long now = sim_now(s);
  switch (ext->r->state) {
  case RENT_ACTIVE:
    break;
  case RENT_FINISHED:
    /* "When a completed rent is prolonged, it will be reordered, a new id
     * will be provided" — while its number is still ours (endDate not
     * passed) and only once; afterwards the number has expired. */
    if (ext->r->end_at <= now || ext->r->reorder)
      return "RENT_DIE";
    ext->reorder = 1;
    break;
  case RENT_EXPIRED:
  case RENT_CANCELLED:
  case RENT_REVOKED:
    /* 001: RENT_DIE - rent cannot be extended because the number has
     * expired (a cancelled or revoked number was given back). */
    return "RENT_DIE";
  }
  /* 001: MAX_HOURS_EXCEED - the maximum of available time was exceeded;
   * max - maximum available time. Decision: a rent may reach at most
   * max_hours ahead of now. */
  long long left = ext->reorder ? 0 : ext->r->end_at - now;
  ext->max = s->rent->max_hours - (long)((left + 3599) / 3600);
  if (ext->max < 0)
    ext->max = 0;
  if (ext->hours > ext->max)
    return "MAX_HOURS_EXCEED";
  ext->cost = hour_cents(ext->r->service) * ext->hours;
  return NULL;
}

/* 001 "Extend your lease": its error form carries one more key,
 * {"status":"error","message":TOKEN,"info":DETAILS}, for two of its
 * tokens. */
static void extension_error(struct sim_call *c, const char *tok,
                            const struct extension *ext) {
  const struct sim_rent *R = c->s->rent;
  cJSON *info = NULL;
  int ok = 1;
  if (strcmp(tok, "MAX_HOURS_EXCEED") == 0) {
    /* "max - maximum available time" */
    info = cJSON_CreateObject();
    ok = info && sim_add_num(info, "max", (double)ext->max);
  } else if (strcmp(tok, "INVALID_TIME") == 0) {
    /* "Available number of hours from 4 to 1344" */
    info = cJSON_CreateObject();
    ok = info && sim_add_num(info, "min", (double)R->min_hours) &&
         sim_add_num(info, "max", (double)R->max_hours);
  }
  if (ok)
    sim_json_error_info(c, tok, info);
  else
    sim_json_error(c, "SERVER_ERROR"); /* 001: SERVER_ERROR - server error */
  cJSON_Delete(info);
}

/* 001 "Extend your lease". Its error form carries one more key: {"status":
 * "error","message":TOKEN,"info":DETAILS}. */
static void continue_rent_number(struct sim_call *c) {
  struct sc_sim *s = c->s;
  struct sim_rent *R = s->rent;
  struct extension ext;
  const char *tok = check_extension(c, 0, &ext);
  if (tok) {
    extension_error(c, tok, &ext);
    return;
  }
  struct sim_account *a = &s->accounts[c->acc];
  /* The fault extends without taking the money. */
  long long cost = sim_fault(s, SIM_F_RENT_EXTEND_FREE) ? 0 : ext.cost;
  /* 001: NO_BALANCE - insufficient funds */
  if (a->balance < ext.cost) {
    sim_json_error(c, "NO_BALANCE");
    return;
  }
  if (!ext.reorder) {
    struct rent *r = ext.r;
    long long old_end = r->end_at;
    r->end_at += (long long)ext.hours * 3600;
    if (rent_json(c, phone_answer(r))) {
      r->end_at = old_end;
      return;
    }
    r->charged += cost;
    a->balance -= cost;
    return;
  }
  /* A finished rent ordered again: the same number under a new id, from
   * now for $rent_time hours, without the old SMS. */
  size_t old = (size_t)(ext.r - R->v);
  if (account_rents(R, c->acc) >= RENT_MAX_PER_ACCOUNT) {
    sim_json_error(c, "NO_NUMBERS");
    return;
  }
  struct rent *r = rent_push(R); /* may move R->v */
  if (!r) {
    sim_json_error(c, "SERVER_ERROR");
    return;
  }
  struct rent *p = &R->v[old];
  r->id = sim_next_id(s);
  r->parent = p->id;
  r->account = p->account;
  r->service = p->service;
  r->country = p->country;
  memcpy(r->phone, p->phone, sizeof r->phone);
  r->ordered_at = sim_now(s);
  r->end_at = r->ordered_at + (long long)ext.hours * 3600;
  r->state = RENT_ACTIVE;
  if (rent_json(c, phone_answer(r))) {
    rent_pop(R);
    return;
  }
  p->reorder = r->id;
  r->charged = cost;
  a->balance -= cost;
}

/* 001 "Get the cost of rent renewal". Its error form has no "info". */
static void get_continue_rent_price(struct sim_call *c) {
  struct extension ext;
  const char *tok = check_extension(c, 1, &ext);
  if (tok) {
    sim_json_error(c, tok);
    return;
  }
  /* {"status": "success", "price": 6.33, "currency": 840}; $currency* is
   * not honoured: the fixture has one currency. */
  cJSON *root = cJSON_CreateObject();
  if (!root || !cJSON_AddStringToObject(root, "status", "success") ||
      !cJSON_AddNumberToObject(root, "price", sim_money_double(ext.cost)) ||
      !cJSON_AddNumberToObject(root, "currency", RENT_CURRENCY)) {
    cJSON_Delete(root);
    root = NULL;
  }
  rent_json(c, root);
}

static const struct sim_action rent_actions[] = {
    {"getRentServicesAndCountries", get_services_and_countries, SIM_JSON},
    {"getRentNumber", get_rent_number, SIM_JSON},
    {"getRentStatus", get_rent_status, SIM_JSON},
    {"setRentStatus", set_rent_status, SIM_JSON},
    {"getRentList", get_rent_list, SIM_JSON},
    {"continueRentNumber", continue_rent_number, SIM_JSON},
    {"getContinueRentPriceNumber", get_continue_rent_price, SIM_JSON},
    {NULL, NULL, 0},
};

/* ---- the module's operations -------------------------------------------- */

static int rent_init(struct sc_sim *s) {
  s->rent = sc_calloc(1, sizeof(*s->rent));
  if (!s->rent)
    return -1;
  s->rent->min_hours = (long)sim_timing(s, "rent_min_hours", RENT_MIN_HOURS);
  s->rent->max_hours = (long)sim_timing(s, "rent_max_hours", RENT_MAX_HOURS);
  s->rent->cancel_window =
      sim_timing(s, "rent_cancel_window_seconds", RENT_CANCEL_WINDOW);
  if (s->rent->min_hours < 1 || s->rent->max_hours < s->rent->min_hours ||
      s->rent->max_hours > RENT_MAX_HOURS * 100) {
    s->rent->min_hours = RENT_MIN_HOURS; /* a range no rent can take */
    s->rent->max_hours = RENT_MAX_HOURS;
  }
  return 0;
}

static void rent_reset(struct sc_sim *s) {
  struct sim_rent *R = s->rent;
  if (!R)
    return;
  for (size_t i = 0; i < R->n; i++)
    sc_free(R->v[i].sms);
  sc_free(R->v);
  R->v = NULL;
  R->n = R->cap = 0;
}

static void rent_destroy(struct sc_sim *s) {
  if (!s || !s->rent)
    return;
  rent_reset(s);
  sc_free(s->rent);
  s->rent = NULL;
}

/* 001 "Order a virtual number rental": the rent ends at endDate. The time
 * was paid for, so nothing is returned (lifecycle.json "expire"). */
static void rent_expire(struct sc_sim *s) {
  struct sim_rent *R = s->rent;
  if (!R)
    return;
  long long now = sim_now(s);
  for (size_t i = 0; i < R->n; i++)
    if (R->v[i].state == RENT_ACTIVE && now >= R->v[i].end_at)
      R->v[i].state = RENT_EXPIRED;
}

static void rent_dump(struct sc_sim *s, cJSON *root) {
  struct sim_rent *R = s->rent;
  cJSON *arr = cJSON_AddArrayToObject(root, "rents");
  for (size_t i = 0; arr && R && i < R->n; i++) {
    const struct rent *r = &R->v[i];
    char id[24];
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddItemToArray(arr, o)) {
      cJSON_Delete(o);
      return;
    }
    snprintf(id, sizeof id, "%llu", r->id);
    const char *st = r->state == RENT_ACTIVE && r->nsms
                         ? "ACTIVE_SMS"
                         : rent_state_names[r->state];
    if (!cJSON_AddStringToObject(o, "id", id) ||
        !cJSON_AddStringToObject(o, "apiKey", s->accounts[r->account].key) ||
        !cJSON_AddStringToObject(o, "service", service_code(s, r)) ||
        !cJSON_AddStringToObject(o, "country", sim_country(s, r->country)->id) ||
        !cJSON_AddStringToObject(o, "phone", r->phone) ||
        !cJSON_AddStringToObject(o, "state", st) ||
        !cJSON_AddNumberToObject(o, "cost", sim_money_double(r->charged)) ||
        !cJSON_AddBoolToObject(o, "refunded", r->refunded) ||
        !cJSON_AddNumberToObject(o, "orderedAt", (double)r->ordered_at) ||
        !cJSON_AddNumberToObject(o, "endAt", (double)r->end_at) ||
        !cJSON_AddNumberToObject(o, "sms", (double)r->nsms))
      return;
    if (r->parent) {
      snprintf(id, sizeof id, "%llu", r->parent);
      if (!cJSON_AddStringToObject(o, "reorderOf", id))
        return;
    }
  }
}

/* ARCH: POST {control}/rent-sms {"rentId","phoneFrom","text"} - an SMS
 * arrives on a rented number. 200 {"ok":true}; 400 for bad input, 404 for
 * an unknown rent, 409 for a rent that has ended. */
static int rent_control(struct sc_sim *s, const char *path,
                        const cJSON *body, struct sc_buf *out) {
  if (strcmp(path, "rent-sms") != 0)
    return 0;
  char idb[32], from[32];
  if (sim_json_text(cJSON_GetObjectItemCaseSensitive(body, "rentId"), idb,
                    sizeof idb) ||
      !sim_parse_id(idb))
    return sim_ctl_error(out, 400, "rentId required (a rent id)");
  /* phoneFrom is answered as "msisdn as string": 7 to 15 digits. */
  size_t flen = 0;
  if (sim_json_text(cJSON_GetObjectItemCaseSensitive(body, "phoneFrom"), from,
                    sizeof from) ||
      (flen = strlen(from)) < 7 || flen > 15 ||
      strspn(from, "0123456789") != flen)
    return sim_ctl_error(out, 400, "phoneFrom required (7 to 15 digits)");
  const cJSON *jt = cJSON_GetObjectItemCaseSensitive(body, "text");
  if (!cJSON_IsString(jt) || !jt->valuestring || !*jt->valuestring)
    return sim_ctl_error(out, 400, "text required (a non-empty string)");
  if (strlen(jt->valuestring) >= SIM_TEXT_MAX)
    return sim_ctl_error(out, 400, "text longer than 255 bytes");
  unsigned long long id = sim_parse_id(idb);
  int rc;
  pthread_mutex_lock(&s->mu);
  rent_expire(s);
  struct sim_rent *R = s->rent;
  struct rent *r = NULL;
  for (size_t i = 0; R && i < R->n && !r; i++)
    if (R->v[i].id == id)
      r = &R->v[i];
  if (!r) {
    rc = sim_ctl_error(out, 404, "no such rent");
  } else if (r->state != RENT_ACTIVE) {
    rc = sim_ctl_error(out, 409, "rent has ended");
  } else if (r->nsms >= RENT_MAX_SMS) {
    rc = sim_ctl_error(out, 409, "too many SMS on this rent");
  } else {
    if (r->nsms == r->capsms) {
      size_t nc = r->capsms ? r->capsms * 2 : 4;
      struct rent_sms *nv = sc_realloc(r->sms, nc * sizeof(*nv));
      if (nv) {
        r->sms = nv;
        r->capsms = nc;
      }
    }
    if (r->nsms == r->capsms) {
      rc = sim_ctl_error(out, 500, "out of memory");
    } else {
      struct rent_sms *m = &r->sms[r->nsms++];
      memcpy(m->from, from, flen + 1);
      snprintf(m->text, sizeof m->text, "%s", jt->valuestring);
      m->at = sim_now(s);
      rc = sim_ctl_ok(out);
    }
  }
  pthread_mutex_unlock(&s->mu);
  return rc;
}

static const char *const rent_control_paths[] = {"rent-sms", NULL};

const struct sim_module sim_rent_module = {
    .name = "rent",
    .actions = rent_actions,
    .control_paths = rent_control_paths,
    .init = rent_init,
    .init_error = "out of memory",
    .reset = rent_reset,
    .destroy = rent_destroy,
    .expire = rent_expire,
    .state = rent_dump,
    .control = rent_control,
};
