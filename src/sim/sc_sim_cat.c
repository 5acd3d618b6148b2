/* sc_sim_cat.c — the simulator's balance, catalogue, e-mail, partner and
 * wallet actions.
 *
 * Sources, cited at each rule:
 *   000 = seeds/000_7813cc59b783eb5c.txt (KoalaSMS),
 *   001 = seeds/001_ac8db1c65ff3c54b.txt (the handler API reference),
 *   003 = seeds/003_5a5597502c76a51c.txt (SMSBulk),
 *   004 = seeds/004_67353fd389171043.txt (SecureSMS).
 * Which profile offers which action is decided by the core from
 * specs/profiles/; a handler here only picks the profile's answer shape.
 *
 * The catalogue is read from the live fixture (s->offers: cost and stock
 * per service and country, which /control/price, /control/stock and every
 * purchase change), so prices and counts always agree with what getNumber
 * would sell.
 *
 * Providers. 000 (getPricesV2/V3) and 004 (getPricesV3, top countries)
 * break an offer down by provider: the catalogue's providers
 * (sc_sim_catalogue.h), whose counts always add up to the offer's live
 * count.
 *
 * Money is in cents. E-mail purchases and partner software take money from
 * the core's accounts[].balance; the account invariant
 *   balance + unrefunded charges (numbers, mailboxes, software) == base
 * keeps holding, and /control/state lists every charge of this module
 * under "mail" and "partner" so that a test can check it. */
#include "sc_sim_base.h"

#include "sc_alloc.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- small helpers ------------------------------------------------------- */

static int add_money(cJSON *o, const char *key, long long cents) {
  return cJSON_AddNumberToObject(o, key, sim_money_double(cents)) != NULL;
}

/* The e-mail API's success wrapper, {"status":"OK", ...} (001 "Mail
 * reactivation" example); NULL when out of memory. */
static cJSON *ok_root(void) {
  cJSON *o = cJSON_CreateObject();
  if (o && !sim_add_str(o, "status", "OK")) {
    cJSON_Delete(o);
    return NULL;
  }
  return o;
}

static double country_num(const struct sc_sim *s, size_t ci) {
  return (double)sim_country(s, ci)->num;
}

/* Adds |count| numbers at |cents| to a {price level: count} map, merging
 * equal levels (000 getPricesV2, 001 freePriceMap). */
static int add_level(cJSON *map, long long cents, long count) {
  char lv[32];
  sim_money_text(lv, sizeof lv, cents);
  cJSON *it = cJSON_GetObjectItemCaseSensitive(map, lv);
  if (it) {
    cJSON_SetNumberValue(it, it->valuedouble + (double)count);
    return 1;
  }
  return sim_add_num(map, lv, (double)count);
}

/* ---- filters ------------------------------------------------------------- */

/* The optional service and country filters of a catalogue call. A value
 * that names nothing matches nothing: where a document lists no error for
 * it, the answer is the empty result. */
struct filter {
  long si, ci;     /* -1 = all */
  int bad_service; /* given but unknown */
  int bad_country; /* given but unknown */
};

static void read_filter(struct sim_call *c, struct filter *f) {
  const char *sv = sim_opt_param(c, "service");
  const char *cv = sim_opt_param(c, "country");
  /* 003 "Triple format support": a country is an id, an ISO code or a
   * slug; the other dialects know numeric ids only. */
  int lenient = c->s->dialect == SIM_SMSBULK;
  f->si = sv ? sim_service_index(c->s, sv) : -1;
  f->ci = cv ? sim_country_index(c->s, cv, lenient) : -1;
  f->bad_service = sv && f->si < 0;
  f->bad_country = cv && f->ci < 0;
}

static int f_service(const struct filter *f, size_t si) {
  return !f->bad_service && (f->si < 0 || (size_t)f->si == si);
}

static int f_country(const struct filter *f, size_t ci) {
  return !f->bad_country && (f->ci < 0 || (size_t)f->ci == ci);
}

/* ---- balance ------------------------------------------------------------- */

static void balance_answer(struct sim_call *c) {
  long long b = c->s->accounts[c->acc].balance;
  if (sim_fault(c->s, SIM_F_BALANCE_COMMA)) {
    /* The fault: a locale-formatted amount, 12,50. */
    sc_buf_printf(c->out, "ACCESS_BALANCE:%s%lld,%02lld", b < 0 ? "-" : "",
                  llabs(b) / 100, llabs(b) % 100);
    return;
  }
  /* 001: ACCESS_BALANCE: 'account balance'; 003 shows the wire form
   * ACCESS_BALANCE:42.50. */
  sim_money_fmt(c->out, "ACCESS_BALANCE:", b);
}

static void get_balance(struct sim_call *c) {
  balance_answer(c);
}

/* 001 "Balance request with cashback account": the balance including the
 * cashback when it is spent on activations. The simulator has no cashback,
 * so the amount is the balance. */
static void get_balance_and_cashback(struct sim_call *c) {
  balance_answer(c);
}

/* ---- prices -------------------------------------------------------------- */

/* One price-table entry for offer |o| into |e|; 0 when out of memory. */
typedef int (*entry_fn)(const struct sc_sim *s, cJSON *e,
                        const struct sim_offer *o);

/* Answers {country: {service: entry}} over the offers |f| selects; a
 * country with no service selected is left out. */
static void price_table(struct sim_call *c, const struct filter *f,
                        entry_fn fill) {
  struct sc_sim *s = c->s;
  cJSON *root = cJSON_CreateObject();
  int ok = root != NULL;
  for (size_t ci = 0; ok && ci < sim_ncountries(s); ci++) {
    if (!f_country(f, ci))
      continue;
    cJSON *co = NULL;
    for (size_t si = 0; ok && si < sim_nservices(s); si++) {
      if (!f_service(f, si))
        continue;
      if (!co)
        ok = (co = cJSON_AddObjectToObject(root, sim_country(s, ci)->id)) !=
             NULL;
      cJSON *e =
          ok ? cJSON_AddObjectToObject(co, sim_service(s, si)->code) : NULL;
      ok = e && fill(s, e, sim_offer_at(s, si, ci));
    }
  }
  sim_answer(c, root, ok);
}

/* |cents| as cJSON prints the double cents / 100 ("0.5", "12", "0.05"):
 * a body written here reads byte for byte as one built with cJSON. */
static void put_money(struct sc_buf *b, long long cents) {
  unsigned long long a = (unsigned long long)llabs(cents);
  const char *sign = cents < 0 ? "-" : "";
  if (a % 100 == 0)
    sc_buf_printf(b, "%s%llu", sign, a / 100);
  else if (a % 10 == 0)
    sc_buf_printf(b, "%s%llu.%llu", sign, a / 100, a % 100 / 10);
  else
    sc_buf_printf(b, "%s%llu.%02llu", sign, a / 100, a % 100);
}

/* getPrices' table {country: {service: {cost, count}}} written straight
 * into the answer, the bytes cJSON prints for the same tree: a catalogue
 * of 200 countries and 500 services is 100 000 entries, which as a cJSON
 * tree cost four nodes each and most of the answer's time to print. */
static void prices_stream(struct sim_call *c, const struct filter *f) {
  struct sc_sim *s = c->s;
  struct sc_buf *b = c->out;
  /* The fault: the stock count is dropped from every entry. */
  int with_count = !sim_fault(s, SIM_F_PRICES_NO_COUNT);
  int first_country = 1;
  sc_buf_addc(b, '{');
  for (size_t ci = 0; ci < sim_ncountries(s) && !b->err; ci++) {
    if (!f_country(f, ci))
      continue;
    int first = 1;
    for (size_t si = 0; si < sim_nservices(s); si++) {
      if (!f_service(f, si))
        continue;
      const struct sim_offer *o = sim_offer_at(s, si, ci);
      if (first)
        sc_buf_printf(b, "%s\"%s\":{", first_country ? "" : ",",
                      sim_country(s, ci)->id);
      sc_buf_printf(b, "%s\"%s\":{\"cost\":", first ? "" : ",",
                    sim_service(s, si)->code);
      put_money(b, o->cost);
      if (with_count)
        sc_buf_printf(b, ",\"count\":%ld", o->stock);
      sc_buf_addc(b, '}');
      first = first_country = 0;
    }
    if (!first)
      sc_buf_addc(b, '}');
  }
  sc_buf_addc(b, '}');
  if (b->err) {
    sc_buf_reset(b);
    sim_json(c, NULL); /* ERROR_SQL, as for any answer out of memory */
    return;
  }
  c->ctype = "application/json";
}

/* getPrices: {country: {service: {cost, count}}} in every dialect (001
 * samples: prices['0'] # {'fb': {'cost': 9, 'count': 27934}}; 000 and 003
 * examples; 004 "getPrices gives cost + count"). */
static void get_prices(struct sim_call *c) {
  struct sc_sim *s = c->s;
  struct filter f;
  read_filter(c, &f);
  if (f.bad_service &&
      (s->dialect == SIM_SMSBULK || s->dialect == SIM_SECURESMS)) {
    /* 003 "Error Codes": BAD_SERVICE; 004 "Errors": WRONG_SERVICE. 001 and
     * 000 list no error here: their answer is the empty result. */
    sim_token(c, sim_bad_service(s));
    return;
  }
  if (f.bad_country && s->dialect == SIM_SMSBULK) {
    sim_token(c, "BAD_COUNTRY"); /* 003: country not recognized */
    return;
  }
  prices_stream(c, &f);
}

/* 000 getPricesV2's entry: {price level: count}, the levels being the
 * providers' prices. */
static int entry_levels(const struct sc_sim *s, cJSON *e,
                        const struct sim_offer *o) {
  int ok = 1;
  for (size_t p = 0; ok && p < sim_nproviders(s); p++)
    ok = add_level(e, sim_prov_price(s, o, p), sim_prov_count(s, o, p));
  return ok;
}

/* One 000 getPricesV3 entry: price (the cheapest), count and the providers
 * map, each provider with its count, a list of prices and provider_id. */
static int v3_koala(const struct sc_sim *s, cJSON *e,
                    const struct sim_offer *o) {
  int ok = add_money(e, "price", o->cost) &&
           sim_add_num(e, "count", (double)o->stock);
  cJSON *pm = ok ? cJSON_AddObjectToObject(e, "providers") : NULL;
  ok = pm != NULL;
  for (size_t p = 0; ok && p < sim_nproviders(s); p++) {
    char id[16];
    snprintf(id, sizeof id, "%u", sim_provider(s, p)->id);
    cJSON *pe = cJSON_AddObjectToObject(pm, id);
    cJSON *pl = pe ? cJSON_AddArrayToObject(pe, "price") : NULL;
    ok = pl && sim_add_num(pe, "count", (double)sim_prov_count(s, o, p)) &&
         sim_push(pl, cJSON_CreateNumber(
                          sim_money_double(sim_prov_price(s, o, p)))) &&
         sim_add_num(pe, "provider_id", sim_provider(s, p)->id);
  }
  return ok;
}

/* One 004 getPricesV3 entry: provider id -> {price, count, provider_id}. */
static int v3_secure(const struct sc_sim *s, cJSON *e,
                     const struct sim_offer *o) {
  int ok = 1;
  for (size_t p = 0; ok && p < sim_nproviders(s); p++) {
    char id[16];
    snprintf(id, sizeof id, "%u", sim_provider(s, p)->id);
    cJSON *pe = cJSON_AddObjectToObject(e, id);
    ok = pe && add_money(pe, "price", sim_prov_price(s, o, p)) &&
         sim_add_num(pe, "count", (double)sim_prov_count(s, o, p)) &&
         sim_add_num(pe, "provider_id", sim_provider(s, p)->id);
  }
  return ok;
}

/* getPricesV3's entry in 000's or 004's shape (the two documents disagree;
 * see the securesms profile's conflicts). */
static int entry_v3(const struct sc_sim *s, cJSON *e,
                    const struct sim_offer *o) {
  return s->dialect == SIM_SECURESMS ? v3_secure(s, e, o) : v3_koala(s, e, o);
}

/* getPricesV2 and getPricesV3: {country: {service: ...}}; an unknown
 * service is 000's BAD_SERVICE, 004's WRONG_SERVICE. */
static void get_prices_v2(struct sim_call *c) {
  struct filter f;
  read_filter(c, &f);
  if (f.bad_service)
    sim_token(c, sim_bad_service(c->s));
  else
    price_table(c, &f, entry_levels);
}

static void get_prices_v3(struct sim_call *c) {
  struct filter f;
  read_filter(c, &f);
  if (f.bad_service)
    sim_token(c, sim_bad_service(c->s));
  else
    price_table(c, &f, entry_v3);
}

/* 001 "Get up-to-date prices for services for verification": the format
 * after "JSON - object in format" is lost. Decision: keyed by service
 * first (the only filter is the service), then country id, each with cost
 * and count as in getPrices. No error is listed: an unknown service gives
 * the empty object. */
static void get_prices_verification(struct sim_call *c) {
  struct sc_sim *s = c->s;
  struct filter f;
  read_filter(c, &f);
  f.ci = -1; /* 001 names no country parameter here */
  f.bad_country = 0;
  cJSON *root = cJSON_CreateObject();
  int ok = root != NULL;
  for (size_t si = 0; ok && si < sim_nservices(s); si++) {
    if (!f_service(&f, si))
      continue;
    cJSON *se = cJSON_AddObjectToObject(root, sim_service(s, si)->code);
    ok = se != NULL;
    for (size_t ci = 0; ok && ci < sim_ncountries(s); ci++) {
      const struct sim_offer *o = sim_offer_at(s, si, ci);
      cJSON *e = cJSON_AddObjectToObject(se, sim_country(s, ci)->id);
      ok = e && add_money(e, "cost", o->cost) &&
           sim_add_num(e, "count", (double)o->stock);
    }
  }
  sim_answer(c, root, ok);
}

/* ---- stock --------------------------------------------------------------- */

/* The counts getNumbersStatus reports, one per offer, into |n| (noffers
 * entries): the live stock, or under STOCK_STALE the stock with every
 * number sold on the offer still counted (the vendor counts its pool, not
 * what is left of it). */
static void reported_stock(const struct sc_sim *s, long *n) {
  for (size_t i = 0; i < s->noffers; i++)
    n[i] = s->offers[i].stock;
  if (sim_fault(s, SIM_F_STOCK_STALE))
    for (size_t i = 0; i < s->nacts; i++)
      n[s->acts[i].offer]++;
}

/* One getNumbersStatus key and count; 0 when out of memory. */
static int add_count(cJSON *root, const char *code, const char *suffix,
                     long n) {
  char key[SIM_CAT_CODE_MAX + 16];
  snprintf(key, sizeof key, "%s_%s", code, suffix);
  return sim_add_num(root, key, (double)n);
}

/* getNumbersStatus. 001: keys are the service code, an underscore and the
 * forwarding flag (0 - no, 1 - yes; samples read status['vk_0']); the
 * fixture has no forwarding numbers, so only "_0" keys are sent. Without a
 * country the counts are summed over every country (001 marks country
 * optional and does not say more). 003: keys are service_countryid
 * ('wa_187'), one per service and country; BAD_COUNTRY for a country it
 * cannot resolve. The operator filter (001: megafon, mts, ... for countries
 * 0, 1, 2) does not narrow anything: the fixture's stock is not split by
 * operator, and 001 getNumber falls back to "the first operator that
 * matches" for an operator that does not work in the country. */
static void get_numbers_status(struct sim_call *c) {
  struct sc_sim *s = c->s;
  struct filter f;
  read_filter(c, &f);
  int bulk = s->dialect == SIM_SMSBULK;
  if (f.bad_country && bulk) {
    sim_token(c, "BAD_COUNTRY"); /* 003: country not recognized */
    return;
  }
  long *n = sc_calloc(s->noffers, sizeof *n);
  cJSON *root = n ? cJSON_CreateObject() : NULL;
  int ok = root != NULL;
  if (ok)
    reported_stock(s, n);
  size_t nc = sim_ncountries(s);
  for (size_t si = 0; ok && si < sim_nservices(s); si++) {
    const char *code = sim_service(s, si)->code;
    long sum = 0;
    int any = 0;
    for (size_t ci = 0; ok && ci < nc; ci++) {
      if (!f_country(&f, ci))
        continue;
      if (bulk)
        ok = add_count(root, code, sim_country(s, ci)->id, n[si * nc + ci]);
      sum += n[si * nc + ci];
      any = 1;
    }
    if (ok && any && !bulk)
      ok = add_count(root, code, "0", sum);
  }
  sc_free(n);
  sim_answer(c, root, ok);
}

/* ---- countries, operators, services -------------------------------------- */

/* 001 "Get a list of all countries": {id: {id, rus, eng, chn, visible,
 * retry, rent, multiService}} (samples read countries['0']['eng']); every
 * catalogue country is visible and offers retry, rent and multi-service,
 * so each flag is 1. 003: a list of {id, iso} with the ISO code upper-case
 * ("TR"). 004: {id: {id, eng, rus, chn}} without the flags. */
static void get_countries(struct sim_call *c) {
  struct sc_sim *s = c->s;
  int bulk = s->dialect == SIM_SMSBULK;
  cJSON *root = bulk ? cJSON_CreateArray() : cJSON_CreateObject();
  int ok = root != NULL;
  for (size_t ci = 0; ok && ci < sim_ncountries(s); ci++) {
    const struct sim_country *k = sim_country(s, ci);
    if (bulk) {
      char iso[3] = {(char)toupper((unsigned char)k->iso[0]),
                     (char)toupper((unsigned char)k->iso[1]), '\0'};
      cJSON *e = cJSON_CreateObject();
      ok = sim_push(root, e) && sim_add_num(e, "id", country_num(s, ci)) &&
           sim_add_str(e, "iso", iso);
      continue;
    }
    cJSON *e = cJSON_AddObjectToObject(root, k->id);
    ok = e && sim_add_num(e, "id", country_num(s, ci)) &&
         sim_add_str(e, "rus", k->rus) && sim_add_str(e, "eng", k->eng) &&
         sim_add_str(e, "chn", k->chn);
    if (ok && s->dialect != SIM_SECURESMS)
      ok = sim_add_num(e, "visible", 1) && sim_add_num(e, "retry", 1) &&
           sim_add_num(e, "rent", 1) && sim_add_num(e, "multiService", 1);
  }
  sim_answer(c, root, ok);
}

/* 001 "Request available operators": {"status":"success",
 * "countryOperators": {country: [names]}}, for one country or, without
 * one, every country; OPERATORS_NOT_FOUND when nothing matches (e.g. a
 * non-existent country, or one the catalogue lists no operators for). */
static void get_operators(struct sim_call *c) {
  struct sc_sim *s = c->s;
  struct filter f;
  read_filter(c, &f);
  f.si = -1;
  f.bad_service = 0;
  cJSON *root = cJSON_CreateObject();
  cJSON *map = root ? cJSON_CreateObject() : NULL;
  int ok = map != NULL, found = 0;
  for (size_t ci = 0; ok && ci < sim_ncountries(s); ci++) {
    const char *const *ops = sim_operators(s, ci);
    if (!f_country(&f, ci) || !ops)
      continue;
    cJSON *arr = cJSON_AddArrayToObject(map, sim_country(s, ci)->id);
    ok = arr != NULL;
    for (size_t i = 0; ok && ops[i]; i++)
      ok = sim_push(arr, cJSON_CreateString(ops[i]));
    found = 1;
  }
  if (ok && !found) {
    cJSON_Delete(map);
    cJSON_Delete(root);
    sim_token(c, "OPERATORS_NOT_FOUND");
    return;
  }
  if (!ok || !sim_add_str(root, "status", "success") ||
      !cJSON_AddItemToObject(root, "countryOperators", map)) {
    cJSON_Delete(map);
    sim_answer(c, root, 0);
    return;
  }
  sim_answer(c, root, 1);
}

/* 001 "Get a list of all services" / 004 "Services GET": {"status":
 * "success", "services": [{code, name}]}. With a country, the services
 * that have a price there (in the catalogue: all of them; an unknown
 * country has none, 001 listing no error). The catalogue's names are one
 * per service, the same in every $lang (ru, en, es, cn), so lang changes
 * nothing. */
static void get_services_list(struct sim_call *c) {
  struct sc_sim *s = c->s;
  struct filter f;
  read_filter(c, &f);
  int priced = !f.bad_country; /* does the country filter leave any? */
  cJSON *root = cJSON_CreateObject();
  int ok = root && sim_add_str(root, "status", "success");
  cJSON *arr = ok ? cJSON_AddArrayToObject(root, "services") : NULL;
  ok = arr != NULL;
  for (size_t si = 0; ok && priced && si < sim_nservices(s); si++) {
    cJSON *e = cJSON_CreateObject();
    ok = sim_push(arr, e) &&
         sim_add_str(e, "code", sim_service(s, si)->code) &&
         sim_add_str(e, "name", sim_service(s, si)->name);
  }
  sim_answer(c, root, ok);
}

/* ---- top countries ------------------------------------------------------- */

/* One country's figures for a service (or all services, si < 0): the
 * providers' counts summed and their cheapest prices. */
struct top_row {
  size_t ci;
  long count;                               /* all providers */
  long pcount[SIM_CAT_MAX_PROVIDERS];       /* per provider */
  long long pprice[SIM_CAT_MAX_PROVIDERS];  /* per provider, cheapest over
                                               the services */
};

static void top_fill(const struct sc_sim *s, long si, size_t ci,
                     struct top_row *r) {
  size_t np = sim_nproviders(s);
  memset(r, 0, sizeof *r);
  r->ci = ci;
  for (size_t p = 0; p < np; p++)
    r->pprice[p] = -1;
  for (size_t k = 0; k < sim_nservices(s); k++) {
    if (si >= 0 && (size_t)si != k)
      continue;
    const struct sim_offer *o = &s->offers[k * sim_ncountries(s) + ci];
    r->count += o->stock > 0 ? o->stock : 0;
    for (size_t p = 0; p < np; p++) {
      long long pr = sim_prov_price(s, o, p);
      r->pcount[p] += sim_prov_count(s, o, p);
      if (r->pprice[p] < 0 || pr < r->pprice[p])
        r->pprice[p] = pr;
    }
  }
}

#define SIM_TOP_MAX 10 /* 001: "Get TOP 10 countries by a service" */

/* Fills |rows| with the catalogue's countries, most numbers first (a
 * stable sort: ties keep the catalogue's order); returns how many, at most
 * SIM_TOP_MAX. */
static size_t top_rows(const struct sc_sim *s, long si, struct top_row *rows) {
  size_t n = 0;
  for (size_t ci = 0; ci < sim_ncountries(s); ci++) {
    struct top_row r;
    top_fill(s, si, ci, &r);
    size_t j = n < SIM_TOP_MAX ? n : SIM_TOP_MAX - 1;
    if (n == SIM_TOP_MAX && rows[j].count >= r.count)
      continue;
    while (j > 0 && rows[j - 1].count < r.count) {
      rows[j] = rows[j - 1];
      j--;
    }
    rows[j] = r;
    if (n < SIM_TOP_MAX)
      n++;
  }
  return n;
}

/* 004's entry of a top country: {provider id: {price, count}}. */
static int top_secure(const struct sc_sim *s, cJSON *root,
                      const struct top_row *r) {
  cJSON *e = cJSON_AddObjectToObject(root, sim_country(s, r->ci)->slug);
  int ok = e != NULL;
  for (size_t p = 0; ok && p < sim_nproviders(s); p++) {
    char id[16];
    snprintf(id, sizeof id, "%u", sim_provider(s, p)->id);
    cJSON *pe = cJSON_AddObjectToObject(e, id);
    ok = pe && add_money(pe, "price", r->pprice[p]) &&
         sim_add_num(pe, "count", (double)r->pcount[p]);
  }
  return ok;
}

/* 001's entry of a top country at position |i|. */
static int top_ref(const struct sc_sim *s, cJSON *root, size_t i,
                   const struct top_row *r, int free_price) {
  char pos[24];
  snprintf(pos, sizeof pos, "%zu", i);
  cJSON *e = cJSON_AddObjectToObject(root, pos);
  int ok = e && sim_add_num(e, "country", country_num(s, r->ci)) &&
           sim_add_num(e, "count", (double)r->count) &&
           add_money(e, "price", r->pprice[0]) &&
           add_money(e, "retail_price", 2 * r->pprice[0]);
  if (ok && free_price) {
    cJSON *m = cJSON_AddObjectToObject(e, "freePriceMap");
    ok = m != NULL;
    for (size_t p = 0; ok && p < sim_nproviders(s); p++)
      ok = add_level(m, r->pprice[p], r->pcount[p]);
  }
  return ok;
}

/* 001 "Request for top countries by service FreePrice": entries keyed by
 * position, {country, count, price, retail_price} and with freePrice=true a
 * freePriceMap of price level -> count. The service is optional ("the top
 * countries for all services" without it: counts summed over the services,
 * the cheapest price). retail_price is twice the price, as in the example
 * (15.00 / 30.00). No error is listed: an unknown service gives {}.
 * 004 "Top countries GET": {country slug: {provider id: {price, count}}},
 * WRONG_SERVICE for an unknown service. */
static void get_top_countries(struct sim_call *c) {
  struct sc_sim *s = c->s;
  const char *sv = sim_opt_param(c, "service");
  const char *fp = sim_opt_param(c, "freePrice");
  long si = sv ? sim_service_index(s, sv) : -1;
  int secure = s->dialect == SIM_SECURESMS;
  if (sv && si < 0 && secure) {
    sim_token(c, sim_bad_service(s)); /* 004: WRONG_SERVICE */
    return;
  }
  int free_price = fp && (strcmp(fp, "true") == 0 || strcmp(fp, "1") == 0);
  cJSON *root = cJSON_CreateObject();
  int ok = root != NULL;
  struct top_row rows[SIM_TOP_MAX];
  size_t n = sv && si < 0 ? 0 : top_rows(s, si, rows);
  for (size_t i = 0; ok && i < n; i++)
    ok = secure ? top_secure(s, root, &rows[i])
                : top_ref(s, root, i, &rows[i], free_price);
  sim_answer(c, root, ok);
}

/* Per country: activations bought of one service, bought of any, and
 * completed (status 6). */
struct share_count {
  unsigned long bought, all, done;
};

/* 001 "Get TOP 10 countries by a service": a list of {country, share,
 * rate}. share: purchases of the service in the country as a percentage of
 * all purchases of the service; rate: the percentage of the country's
 * activations (any service) that completed (status 6). Both from the live
 * activations, 0 when there are none, rounded to cents of a percent; most
 * share first. WRONG_SERVICE for a missing or unknown service. */
static void get_list_top_countries(struct sim_call *c) {
  struct sc_sim *s = c->s;
  long si = sim_service_index(s, sim_param(c, "service"));
  if (si < 0) {
    sim_token(c, "WRONG_SERVICE"); /* 001: WRONG_SERVICE - incorrect service */
    return;
  }
  struct share_count *cnt = sc_calloc(sim_ncountries(s), sizeof *cnt);
  if (!cnt) {
    sim_answer(c, NULL, 0);
    return;
  }
  unsigned long total = 0;
  for (size_t i = 0; i < s->nacts; i++) {
    const struct sim_offer *o = &s->offers[s->acts[i].offer];
    struct share_count *k = &cnt[o->country];
    k->all++;
    k->done += s->acts[i].state == SIM_ST_DONE;
    k->bought += o->service == (size_t)si;
    total += o->service == (size_t)si;
  }
  struct row {
    size_t ci;
    double share, rate;
  } rows[SIM_TOP_MAX];
  size_t n = 0;
  for (size_t ci = 0; ci < sim_ncountries(s); ci++) {
    const struct share_count *k = &cnt[ci];
    struct row r = {ci, total ? 100.0 * (double)k->bought / (double)total : 0,
                    k->all ? 100.0 * (double)k->done / (double)k->all : 0};
    r.share = (double)(long long)(r.share * 100 + 0.5) / 100;
    r.rate = (double)(long long)(r.rate * 100 + 0.5) / 100;
    /* insertion, most share first, keeping at most SIM_TOP_MAX */
    size_t j = n < SIM_TOP_MAX ? n : SIM_TOP_MAX - 1;
    if (n == SIM_TOP_MAX && rows[j].share >= r.share)
      continue;
    while (j > 0 && rows[j - 1].share < r.share) {
      rows[j] = rows[j - 1];
      j--;
    }
    rows[j] = r;
    if (n < SIM_TOP_MAX)
      n++;
  }
  sc_free(cnt);
  cJSON *root = cJSON_CreateArray();
  int ok = root != NULL;
  for (size_t i = 0; ok && i < n; i++) {
    cJSON *e = cJSON_CreateObject();
    ok = sim_push(root, e) &&
         sim_add_num(e, "country", country_num(s, rows[i].ci)) &&
         sim_add_num(e, "share", rows[i].share) &&
         sim_add_num(e, "rate", rows[i].rate);
  }
  sim_answer(c, root, ok);
}

/* ---- wallet -------------------------------------------------------------- */

/* 004 "Deposit wallet GET": {"wallet_address": ...}, a "static crypto
 * address for top-ups (USDT/TRX on Tron)". Decision: one address per
 * account, derived from its key (a Tron address: 'T' and 33 base58
 * characters), the same on every call. 004 documents only coin=usdt and
 * network=tron and no error for other values, so coin and network do not
 * change the answer. */
static void get_wallet_address(struct sim_call *c) {
  static const char b58[] =
      "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  uint64_t h = 1469598103934665603ull; /* FNV-1a */
  for (const char *p = c->s->accounts[c->acc].key; *p; p++)
    h = (h ^ (unsigned char)*p) * 1099511628211ull;
  char addr[35];
  addr[0] = 'T';
  for (size_t i = 1; i < 34; i++) {
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    addr[i] = b58[h % (sizeof b58 - 1)];
  }
  addr[34] = '\0';
  cJSON *root = cJSON_CreateObject();
  sim_answer(c, root, root && sim_add_str(root, "wallet_address", addr));
}

/* ---- e-mail activations (001 "Email API", "Mail API Version 2") ---------
 *
 * A mailbox purchase waits for one letter from the site it was bought for.
 * No control path of ARCH v1 delivers a letter (/control/sms knows only
 * number activations), so a purchase stays waiting (status 3) until it is
 * cancelled (status 4); status 5 (success) is never reached, and
 * checkMailActivation answers the waiting state with an empty value.
 * Purchases do not expire (001 gives e-mail no lifetime). */

/* The offers of getDomains; every site gets all of them. mail_type 1 =
 * zones, 2 = popular domains (001 "Buy verification by mail"). Prices are
 * invented. */
static const struct mail_offer {
  int type;
  const char *name;
  long long cost; /* cents */
} mail_offers[] = {
    {1, "com", 10},       {1, "net", 10},         {1, "org", 10},
    {2, "gmail.com", 25}, {2, "outlook.com", 20}, {2, "yahoo.com", 20},
};
#define NMAIL_OFFERS (sizeof mail_offers / sizeof *mail_offers)

/* Mailbox purchases per account since the last reset; beyond it
 * CHANNELS_LIMIT (001: "account blocked"), as getNumber's cap. */
#define SIM_MAIL_MAX_PER_ACCOUNT 100
#define SIM_SITE_MAX 253 /* a host name */

enum mail_status {
  MAIL_WAITING = 3,   /* 001 "Description of API statuses": 3 - Waiting */
  MAIL_CANCELLED = 4, /* 4 - Cancel */
};

struct mail_buy {
  unsigned long long id;
  unsigned long long parent; /* reorder: the purchase repeated; 0 = none */
  size_t account;
  size_t offer; /* index into mail_offers */
  char site[SIM_SITE_MAX + 1];
  char email[96];
  long long cost; /* cents charged */
  int refunded;
  enum mail_status status;
  long long bought_at;
};

struct sim_mail {
  struct mail_buy *buys;
  size_t n, cap;
  unsigned nbuys[SIM_MAX_ACCOUNTS];
  unsigned npartner[SIM_MAX_ACCOUNTS];       /* software bought */
  long long partner_spent[SIM_MAX_ACCOUNTS]; /* cents, never refunded */
};

static int mail_init(struct sc_sim *s) {
  s->mail = sc_calloc(1, sizeof *s->mail);
  return s->mail ? 0 : -1;
}

static void mail_reset(struct sc_sim *s) {
  struct sim_mail *m = s->mail;
  if (!m)
    return;
  sc_free(m->buys);
  memset(m, 0, sizeof *m);
}

static void mail_destroy(struct sc_sim *s) {
  if (!s || !s->mail)
    return;
  sc_free(s->mail->buys);
  sc_free(s->mail);
  s->mail = NULL;
}

/* A site is a host name: 1..253 letters, digits, '.', '-' or '_'. */
static int valid_site(const char *site) {
  size_t n = site ? strlen(site) : 0;
  if (n == 0 || n > SIM_SITE_MAX)
    return 0;
  for (size_t i = 0; i < n; i++)
    if (!isalnum((unsigned char)site[i]) && !strchr(".-_", site[i]))
      return 0;
  return 1;
}

/* The caller's purchase |id| (a decimal string); NULL when it does not
 * exist for this account. */
static struct mail_buy *find_mail(struct sim_call *c, const char *id) {
  struct sim_mail *m = c->s->mail;
  unsigned long long n = sim_parse_id(id);
  for (size_t i = 0; n && i < m->n; i++)
    if (m->buys[i].id == n)
      return m->buys[i].account == c->acc ? &m->buys[i] : NULL;
  return NULL;
}

/* A random lower-case mailbox name. */
static void mail_local(struct sc_sim *s, char *buf, size_t n) {
  static const char al[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  size_t len = n - 1 < 10 ? n - 1 : 10;
  for (size_t i = 0; i < len; i++)
    buf[i] = al[sim_rand(s) % (sizeof al - 1)];
  buf[len] = '\0';
}

/* Records and charges a purchase of |offer| for |site| at |email| (NULL =
 * a new address); answers it. The caller has checked cap and balance. */
static void mail_record(struct sim_call *c, size_t offer, const char *site,
                        const char *email, unsigned long long parent) {
  struct sc_sim *s = c->s;
  struct sim_mail *m = s->mail;
  if (m->n == m->cap) {
    size_t nc = m->cap ? m->cap * 2 : 16;
    struct mail_buy *nb = sc_realloc(m->buys, nc * sizeof *nb);
    if (!nb) {
      sim_json(c, NULL); /* ERROR_SQL, nothing charged */
      return;
    }
    m->buys = nb;
    m->cap = nc;
  }
  struct mail_buy *b = &m->buys[m->n];
  memset(b, 0, sizeof *b);
  b->account = c->acc;
  b->offer = offer;
  b->parent = parent;
  snprintf(b->site, sizeof b->site, "%s", site);
  if (email) {
    snprintf(b->email, sizeof b->email, "%s", email);
  } else {
    char local[16];
    mail_local(s, local, sizeof local);
    const struct mail_offer *mo = &mail_offers[offer];
    if (mo->type == 1) /* a zone: a box on one of our domains there */
      snprintf(b->email, sizeof b->email, "%s@inbox%02u.%s", local,
               (unsigned)(sim_rand(s) % 100), mo->name);
    else
      snprintf(b->email, sizeof b->email, "%s@%s", local, mo->name);
  }
  cJSON *root = ok_root();
  cJSON *resp = root ? cJSON_AddObjectToObject(root, "response") : NULL;
  b->id = sim_next_id(s);
  int ok = resp && sim_add_str(resp, "email", b->email) &&
           sim_add_num(resp, "id", (double)b->id);
  if (!ok) {
    sim_answer(c, root, 0); /* nothing recorded or charged */
    return;
  }
  b->cost = mail_offers[offer].cost;
  b->status = MAIL_WAITING;
  b->bought_at = sim_now(s);
  s->accounts[c->acc].balance -= b->cost; /* refunded on cancel, once */
  m->nbuys[c->acc]++;
  m->n++;
  sim_answer(c, root, 1);
}

/* The refusals common to a purchase and a reorder; 1 when one was sent. */
static int mail_refuse(struct sim_call *c, long long cost) {
  if (c->s->mail->nbuys[c->acc] >= SIM_MAIL_MAX_PER_ACCOUNT) {
    sim_json_error(c, "CHANNELS_LIMIT"); /* 001: account blocked */
    return 1;
  }
  /* 001 "Mail reactivation": BAD_BALANCE - insufficient funds. "Buy
   * verification by mail" lists no balance error; the e-mail API's own
   * word is used there too. */
  if (c->s->accounts[c->acc].balance < cost) {
    sim_json_error(c, "BAD_BALANCE");
    return 1;
  }
  return 0;
}

/* 001 "Get a list with offers": BAD_SITE when the site is not specified
 * (or is not a host name); else {"status":"OK","response":{"zones":[...],
 * "popular":[...]}}, each offer with its name and cost. */
static void get_domains(struct sim_call *c) {
  if (!valid_site(sim_param(c, "site"))) {
    sim_json_error(c, "BAD_SITE"); /* 001: Site is not specified */
    return;
  }
  cJSON *root = ok_root();
  cJSON *resp = root ? cJSON_AddObjectToObject(root, "response") : NULL;
  cJSON *zones = resp ? cJSON_AddArrayToObject(resp, "zones") : NULL;
  cJSON *pop = zones ? cJSON_AddArrayToObject(resp, "popular") : NULL;
  int ok = pop != NULL;
  for (size_t i = 0; ok && i < NMAIL_OFFERS; i++) {
    cJSON *e = cJSON_CreateObject();
    ok = sim_push(mail_offers[i].type == 1 ? zones : pop, e) &&
         sim_add_str(e, "name", mail_offers[i].name) &&
         add_money(e, "cost", mail_offers[i].cost);
  }
  sim_answer(c, root, ok);
}

/* 001 "Buy verification by mail": site, mail_type (1 - zones 2 -
 * popular) and mail_domain; MAIL_TYPE_ERROR when there is no such domain
 * for the site (also for a missing site or an unknown mail_type: 001 lists
 * no other error for them). */
static void buy_mail(struct sim_call *c) {
  const char *site = sim_param(c, "site");
  const char *type = sim_param(c, "mail_type");
  const char *dom = sim_param(c, "mail_domain");
  size_t offer = NMAIL_OFFERS;
  int t = type && strlen(type) == 1 ? type[0] - '0' : 0;
  for (size_t i = 0; dom && i < NMAIL_OFFERS; i++)
    if (mail_offers[i].type == t && strcmp(mail_offers[i].name, dom) == 0)
      offer = i;
  if (!valid_site(site) || offer == NMAIL_OFFERS) {
    sim_json_error(c, "MAIL_TYPE_ERROR");
    return;
  }
  if (!mail_refuse(c, mail_offers[offer].cost))
    mail_record(c, offer, site, NULL, 0);
}

/* 001 "Mail reactivation": the same mailbox bought again under a new id,
 * at its offer's price. ACTIVATION_NOT_FOUND for an id that is unknown,
 * another account's, or cancelled (a cancelled purchase gave its mailbox
 * back). BLOCKED_SITE is never answered: no control path blocks a site. */
static void reorder_mail(struct sim_call *c) {
  struct mail_buy *b = find_mail(c, sim_param(c, "id"));
  if (!b || b->status == MAIL_CANCELLED) {
    sim_json_error(c, "ACTIVATION_NOT_FOUND");
    return;
  }
  /* copies: mail_record may move the array */
  size_t offer = b->offer;
  unsigned long long parent = b->id;
  char site[SIM_SITE_MAX + 1], email[96];
  memcpy(site, b->site, sizeof site);
  memcpy(email, b->email, sizeof email);
  if (!mail_refuse(c, mail_offers[offer].cost))
    mail_record(c, offer, site, email, parent);
}

/* 001 "Get a list of active purchases": page, per_page, search, sort (desc,
 * asc). Decisions (001 gives no defaults): pages count from 1 (0 or a
 * missing/invalid page is the first), per_page 10 by default and at most 100
 * (001's history allows 100), newest first unless sort=asc, search matches
 * part of the e-mail address or the site. Each item: id, email, site, date,
 * status (3/4/5 as in "Description of API statuses") and cost; "total" is
 * the number of matches before paging. */
static void get_mail_history(struct sim_call *c) {
  struct sim_mail *m = c->s->mail;
  const char *pg = sim_param(c, "page");
  const char *pp = sim_param(c, "per_page");
  const char *search = sim_opt_param(c, "search");
  const char *sort = sim_param(c, "sort");
  unsigned long long page = sim_parse_id(pg), per = sim_parse_id(pp);
  if (page == 0)
    page = 1;
  if (page > 1000000000ull) /* far past any list; keeps the arithmetic */
    page = 1000000000ull;
  if (per == 0)
    per = 10;
  if (per > 100)
    per = 100;
  int asc = sort && strcmp(sort, "asc") == 0;
  cJSON *root = ok_root();
  cJSON *resp = root ? cJSON_AddObjectToObject(root, "response") : NULL;
  cJSON *list = resp ? cJSON_AddArrayToObject(resp, "list") : NULL;
  int ok = list != NULL;
  unsigned long long match = 0;
  for (size_t k = 0; ok && k < m->n; k++) {
    const struct mail_buy *b = &m->buys[asc ? k : m->n - 1 - k];
    if (b->account != c->acc ||
        (search && !strstr(b->email, search) && !strstr(b->site, search)))
      continue;
    match++;
    if (match <= (page - 1) * per || match > page * per)
      continue;
    char date[32];
    sim_fmt_time(date, sizeof date, b->bought_at, SIM_TIME_001);
    cJSON *e = cJSON_CreateObject();
    ok = sim_push(list, e) && sim_add_num(e, "id", (double)b->id) &&
         sim_add_str(e, "email", b->email) && sim_add_str(e, "site", b->site) &&
         sim_add_str(e, "date", date) && sim_add_num(e, "status", b->status) &&
         add_money(e, "cost", b->cost);
  }
  ok = ok && sim_add_num(resp, "total", (double)match);
  sim_answer(c, root, ok);
}

/* 001 "Cancel the email purchase": EARLY_CANCEL_DENIED during the first 2
 * minutes (the profile's early-cancel window); then cancelled and
 * refunded, once. A second cancel answers OK again and refunds nothing
 * (Mail API Version 2 follows "the principles of the REST API", where a
 * cancel is idempotent). 001 lists no error for an unknown id; the e-mail
 * API's ACTIVATION_NOT_FOUND ("Mail reactivation") is used. */
static void cancel_mail(struct sim_call *c) {
  struct sc_sim *s = c->s;
  struct mail_buy *b = find_mail(c, sim_param(c, "id"));
  if (!b) {
    sim_json_error(c, "ACTIVATION_NOT_FOUND");
    return;
  }
  if (b->status == MAIL_WAITING) {
    if (sim_now(s) - b->bought_at < s->early_cancel) {
      sim_json_error(c, "EARLY_CANCEL_DENIED");
      return;
    }
    b->status = MAIL_CANCELLED;
    if (!b->refunded) {
      b->refunded = 1;
      s->accounts[b->account].balance += b->cost;
    }
  }
  cJSON *root = ok_root();
  sim_answer(c, root, root != NULL);
}

/* 001 "Check if the e-mail has been recieved": {"status":"OK","response":
 * {"value": the letter}}. 001 does not say what comes before a letter; the
 * same form is sent with an empty value and the purchase's status (3
 * waiting, 4 cancelled). Unknown id: ACTIVATION_NOT_FOUND, as for cancel. */
static void check_mail(struct sim_call *c) {
  struct mail_buy *b = find_mail(c, sim_param(c, "id"));
  if (!b) {
    sim_json_error(c, "ACTIVATION_NOT_FOUND");
    return;
  }
  cJSON *root = ok_root();
  cJSON *resp = root ? cJSON_AddObjectToObject(root, "response") : NULL;
  int ok = resp && sim_add_num(resp, "id", (double)b->id) &&
           sim_add_str(resp, "email", b->email) &&
           sim_add_num(resp, "status", b->status) &&
           sim_add_str(resp, "value", "");
  sim_answer(c, root, ok);
}

static const char *const mail_status_names[] = {"", "", "", "WAITING",
                                                "CANCELLED"};

static void mail_dump(struct sc_sim *s, cJSON *root) {
  struct sim_mail *m = s->mail;
  cJSON *arr = cJSON_AddArrayToObject(root, "mail");
  cJSON *parr = arr ? cJSON_AddArrayToObject(root, "partner") : NULL;
  int ok = parr != NULL;
  for (size_t i = 0; ok && i < m->n; i++) {
    const struct mail_buy *b = &m->buys[i];
    char id[32], parent[32];
    snprintf(id, sizeof id, "%llu", b->id);
    snprintf(parent, sizeof parent, "%llu", b->parent);
    cJSON *e = cJSON_CreateObject();
    ok = sim_push(arr, e) && sim_add_str(e, "id", id) &&
         sim_add_str(e, "apiKey", s->accounts[b->account].key) &&
         sim_add_str(e, "site", b->site) && sim_add_str(e, "email", b->email) &&
         add_money(e, "cost", b->cost) &&
         cJSON_AddBoolToObject(e, "refunded", b->refunded) &&
         sim_add_str(e, "state", mail_status_names[b->status]) &&
         sim_add_num(e, "boughtAt", (double)b->bought_at) &&
         (b->parent ? sim_add_str(e, "parent", parent)
                    : cJSON_AddNullToObject(e, "parent") != NULL);
  }
  for (size_t a = 0; ok && a < s->naccounts; a++) {
    if (!m->npartner[a])
      continue;
    cJSON *e = cJSON_CreateObject();
    ok = sim_push(parr, e) && sim_add_str(e, "apiKey", s->accounts[a].key) &&
         sim_add_num(e, "count", m->npartner[a]) &&
         add_money(e, "spent", m->partner_spent[a]);
  }
}

/* ---- partner software (001 "API Partner software") ----------------------- */

/* The products on sale; invented (001 names none). */
static const struct partner_product {
  unsigned id;
  long long cost; /* cents */
} products[] = {{1, 100}, {2, 250}, {3, 500}};

/* 001 "Buy partner software": $id of the software; {"status":"success",
 * "key": licence key, "manual": "Software download link: ..."}. BAD_DATA
 * for an id that is wrong or not a number. The id is read from "id" or,
 * failing that, "productId" (the name the protocol's URL is known to use,
 * see specs/actions/partner.json). The section lists no balance error
 * although it sells: NO_BALANCE, the activation API's token, is answered
 * when the balance is short. */
static void buy_partner(struct sim_call *c) {
  struct sc_sim *s = c->s;
  const char *idp = sim_param(c, "id");
  if (!idp)
    idp = sim_param(c, "productId");
  unsigned long long id = sim_parse_id(idp);
  const struct partner_product *p = NULL;
  for (size_t i = 0; i < sizeof products / sizeof *products; i++)
    if (products[i].id == id)
      p = &products[i];
  if (!p) {
    sim_token(c, "BAD_DATA"); /* 001: Incorrect ID or ID is not a number */
    return;
  }
  if (s->accounts[c->acc].balance < p->cost) {
    sim_token(c, "NO_BALANCE");
    return;
  }
  static const char al[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  char key[26], manual[96];
  for (size_t i = 0; i < 25; i++)
    key[i] = al[sim_rand(s) % (sizeof al - 1)];
  key[25] = '\0';
  snprintf(manual, sizeof manual,
           "Software download link: https://example.com/partner/%u", p->id);
  cJSON *root = cJSON_CreateObject();
  int ok = root && sim_add_str(root, "status", "success") &&
           sim_add_str(root, "key", key) && sim_add_str(root, "manual", manual);
  if (ok) { /* charged only when the answer can be sent */
    s->accounts[c->acc].balance -= p->cost;
    s->mail->npartner[c->acc]++;
    s->mail->partner_spent[c->acc] += p->cost;
  }
  sim_answer(c, root, ok);
}

static const struct sim_action cat_actions[] = {
    {"getBalance", get_balance, SIM_TEXT},
    {"getBalanceAndCashBack", get_balance_and_cashback, SIM_TEXT},
    {"getPrices", get_prices, SIM_JSON},
    {"getPricesV2", get_prices_v2, SIM_JSON},
    {"getPricesV3", get_prices_v3, SIM_JSON},
    {"getPricesVerification", get_prices_verification, SIM_JSON},
    {"getNumbersStatus", get_numbers_status, SIM_JSON},
    {"getCountries", get_countries, SIM_JSON},
    {"getOperators", get_operators, SIM_JSON},
    {"getServicesList", get_services_list, SIM_JSON},
    {"getTopCountriesByService", get_top_countries, SIM_JSON},
    {"getListOfTopCountriesByService", get_list_top_countries, SIM_JSON},
    {"getActualWalletAddress", get_wallet_address, SIM_JSON},
    {"getDomains", get_domains, SIM_JSON},
    {"buyMailActivation", buy_mail, SIM_JSON},
    {"reorderMailActivation", reorder_mail, SIM_JSON},
    {"getMailHistory", get_mail_history, SIM_JSON},
    {"cancelMailActivation", cancel_mail, SIM_JSON},
    {"checkMailActivation", check_mail, SIM_JSON},
    {"buyPartnerProduct", buy_partner, SIM_JSON},
    {NULL, NULL, 0},
};

const struct sim_module sim_cat_module = {
    .name = "cat",
    .actions = cat_actions,
    .init = mail_init,
    .init_error = "out of memory",
    .reset = mail_reset,
    .destroy = mail_destroy,
    .state = mail_dump,
};
