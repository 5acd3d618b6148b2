/* sc_sim_base.h — the layer under the simulator's core and its modules
 * (sc_sim_base.c): the fixture's tables, the simulated clock and the rng,
 * money, id and time text, look-ups, purchases, refunds and expiry, and
 * the answer helpers of the handler API and of the control protocol.
 * Modules call this layer, never the core; it reaches the modules only
 * through the table in s->modules. */
#ifndef SC_SIM_BASE_H
#define SC_SIM_BASE_H

#include "sc_sim_int.h"

/* ---- the fixture: the catalogue loaded at creation (s->cat) -------------- */

/* The services, countries and providers, in the catalogue's order; |i|
 * must be below the count. */
static inline size_t sim_nservices(const struct sc_sim *s) {
  return s->cat->nservices;
}
static inline const struct sim_service *sim_service(const struct sc_sim *s,
                                                    size_t i) {
  return &s->cat->services[i];
}
static inline size_t sim_ncountries(const struct sc_sim *s) {
  return s->cat->ncountries;
}
static inline const struct sim_country *sim_country(const struct sc_sim *s,
                                                    size_t i) {
  return &s->cat->countries[i];
}
static inline size_t sim_nproviders(const struct sc_sim *s) {
  return s->cat->nproviders;
}
static inline const struct sim_provider *
sim_provider(const struct sc_sim *s, size_t p) {
  return &s->cat->providers[p];
}

/* Operators of country |ci|, NULL-terminated; NULL when it has none. */
static inline const char *const *sim_operators(const struct sc_sim *s,
                                               size_t ci) {
  return s->cat->countries[ci].operators;
}

/* Under mu: every offer back to the catalogue's cost and stock (the stock
 * is s->stock instead when that is set). */
void sim_fixture_reset(struct sc_sim *s);

/* ---- helpers ------------------------------------------------------------- */

/* Whether the simulator serves |action|: the profile lists it and, under
 * serve --actions, the list names it. An action it does not serve answers
 * as one the dialect does not know. */
int sim_offers(const struct sc_sim *s, const char *action);

/* Simulated time: real time plus what /control/clock advanced. */
long long sim_now(const struct sc_sim *s);
/* The timing rule |name| of the profile served, rounded to a whole number
 * (sc_profile_timing: the profile's "timing", else lifecycle.json's rule),
 * or |def| when neither gives one or the value is negative. */
long long sim_timing(const struct sc_sim *s, const char *name,
                     long long def);
/* Deterministic random numbers from the seed (call under mu). */
uint64_t sim_rand(struct sc_sim *s);
/* The same generator on the stream |state| (s->rng is sim_rand's; a
 * stream of its own keeps other draws from moving ids and phones). */
uint64_t sim_rand_from(uint64_t *state);
/* Under mu: counts one request in the rate-limit window |w| of |limit|
 * requests per SIM_RATE_WINDOW simulated seconds, opening a new window
 * when none is open, the last one has ended, or the clock went back.
 * Refused requests count too, as they do at a real limiter. Returns 0
 * within the limit, else the seconds until the window ends (at least 1),
 * for Retry-After. */
long long sim_window_count(struct sc_sim *s, struct sim_window *w,
                           unsigned long limit);
/* The next activation/rent/mail id (one sequence for all; under mu). */
unsigned long long sim_next_id(struct sc_sim *s);
/* An 11-digit phone number from the rng, written to |buf| (>= 12 bytes). */
void sim_phone(struct sc_sim *s, char *buf, size_t n);

/* A parameter from the POST form if present, else from the query: the
 * reference parameter |name| under its wire name, which the profile's
 * "rename" for the action being served (c->served) may change. */
const char *sim_param(struct sim_call *c, const char *name);
/* "12.50" into cents; -1 if malformed or negative. */
long long sim_parse_money(const char *str);
long long sim_money_from_double(double d);
/* A positive decimal id; 0 if not one. */
unsigned long long sim_parse_id(const char *str);
/* Appends cents as "12.50" after |prefix|. */
void sim_money_fmt(struct sc_buf *b, const char *prefix, long long cents);
/* cents as a JSON number 12.5 (a double of the exact decimal). */
double sim_money_double(long long cents);

/* A parameter that is present and not empty, else NULL. */
const char *sim_opt_param(struct sim_call *c, const char *name);
/* cents as "12.50" (sign when negative) into |buf|. */
void sim_money_text(char *buf, size_t n, long long cents);
/* Simulated time |t| in UTC (the epoch when |t| cannot be shown), in one
 * of the documents' forms. */
enum sim_time_form {
  SIM_TIME_001,     /* 001's "2022-06-01 17:30:57" */
  SIM_TIME_ISO,     /* 001 rent's "2022-06-01T17:30:57" */
  SIM_TIME_RFC3339  /* 002's "2022-06-01T17:30:57Z" */
};
void sim_fmt_time(char *buf, size_t n, long long t, enum sim_time_form f);

/* JSON building: each returns 0 when an allocation failed. sim_push frees
 * |item| when it cannot be added. */
int sim_add_str(cJSON *o, const char *key, const char *v);
int sim_add_num(cJSON *o, const char *key, double v);
int sim_push(cJSON *arr, cJSON *item);
/* Answers |root| when |ok| (everything was built), else ERROR_SQL. */
void sim_answer(struct sim_call *c, cJSON *root, int ok);
/* Error answers, all of them: |text| is the reference token, with its
 * fields after a ':' when it has any ("WRONG_MAX_PRICE:0.50"). The answer
 * replaces whatever the body held and is written as the profile says
 * (specs/README.md, "A vendor's own profile"): the token that plays
 * |text|'s part ("tokens" ... "plays"), in the profile's error form
 * ("errors"."form") with its HTTP status ("errors"."http_status"; the
 * status is left alone when it declares none). A profile that declares no
 * form answers in the action's own: the bare token when |json| is 0, the
 * {"status":"error","message":TOKEN} of 001's rent and e-mail sections
 * when it is 1. Sets c->error, and c->json_err for a JSON form. */
void sim_error(struct sim_call *c, const char *text, int json);
/* sim_error(c, tok, 1). */
void sim_json_error(struct sim_call *c, const char *tok);
/* sim_json_error with an "info" member beside the token in the JSON forms
 * (|info| is copied; 001's continueRentNumber: "info": {"max": N}). */
void sim_json_error_info(struct sim_call *c, const char *tok,
                         const cJSON *info);
/* The rendering under sim_error, for an answer that is not a struct
 * sim_call (the REST dialect): writes the error |text| into |out|
 * (replacing it) with |info| as sim_json_error_info adds it; sets |*ctype|
 * to the JSON form's content type (NULL for the text form) and |*ref| to
 * the reference token's name as the spec spells it (NULL for a token the
 * spec lacks). Returns the HTTP status the profile declares, 0 when none,
 * 500 when out of memory (|out| then holds ERROR_SQL). */
int sim_error_render(const struct sc_sim *s, const char *text, int json,
                     const cJSON *info, struct sc_buf *out,
                     const char **ctype, const char **ref);

/* Answers a plain-text token: |tok| is the reference token with its
 * fields, written with the name of the token that plays its part in the
 * profile; an error token goes to sim_error instead. sim_tokenf formats
 * |tok| first. */
void sim_token(struct sim_call *c, const char *tok);
void sim_tokenf(struct sim_call *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Answers JSON: prints |root| unformatted, frees it, sets the JSON content
 * type. A NULL |root| (allocation failure) answers ERROR_SQL with 500. */
void sim_json(struct sim_call *c, cJSON *root);
/* The token for an unknown service in this dialect (BAD_SERVICE, or
 * WRONG_SERVICE for securesms). */
const char *sim_bad_service(const struct sc_sim *s);

struct sim_account *sim_find_account(struct sc_sim *s, const char *key,
                                     size_t *idx);
/* Any account's activation |id|, or NULL (a binary search: ids are handed
 * out in ascending order and activations are only appended). */
struct sim_activation *sim_act_by_id(struct sc_sim *s, unsigned long long id);
/* The activation |id| if it belongs to account |acc| (or to anyone under
 * the cross-account fault); NULL otherwise. */
struct sim_activation *sim_find_act(struct sc_sim *s, unsigned long long id,
                                    size_t acc);
/* Service index by short code; -1 if unknown (or NULL). Binary searches
 * of the catalogue's indices. */
static inline long sim_service_index(const struct sc_sim *s,
                                     const char *code) {
  return sim_catalogue_service(s->cat, code);
}
/* Service index by 002's REST identifier ("telegram"); -1 if unknown. */
static inline long sim_service_rest_index(const struct sc_sim *s,
                                          const char *name) {
  return sim_catalogue_service_rest(s->cat, name);
}
/* Country index by numeric id (and, when |lenient|, ISO code or slug);
 * -1 if unknown. */
static inline long sim_country_index(const struct sc_sim *s,
                                     const char *country, int lenient) {
  return sim_catalogue_country(s->cat, country, lenient);
}
/* Country index by ISO code in any case (002); -1 if unknown. */
static inline long sim_country_iso_index(const struct sc_sim *s,
                                         const char *iso) {
  return sim_catalogue_country_iso(s->cat, iso);
}
/* The live offer of a service and country; NULL when either is out of
 * range. */
static inline struct sim_offer *sim_offer_at(struct sc_sim *s, size_t service,
                                             size_t country) {
  if (service >= s->cat->nservices || country >= s->cat->ncountries)
    return NULL;
  return &s->offers[service * s->cat->ncountries + country];
}

/* Provider |p|'s price and numbers on offer |o|: the stock is split
 * evenly, the cheaper providers taking the remainder. */
static inline long long sim_prov_price(const struct sc_sim *s,
                                       const struct sim_offer *o, size_t p) {
  return (o->cost * (long long)s->cat->providers[p].pct + 50) / 100;
}
static inline long sim_prov_count(const struct sc_sim *s,
                                  const struct sim_offer *o, size_t p) {
  long n = (long)s->cat->nproviders;
  long stock = o->stock > 0 ? o->stock : 0;
  return stock / n + ((long)p < stock % n ? 1 : 0);
}

/* Buys a number: checks stock, the per-account cap and the balance, charges
 * and records the activation. Returns NULL with |*token| set to the refusal
 * (NO_NUMBERS, NO_BALANCE, ERROR_SQL). Faults NO_CHARGE and
 * SELL_NO_BALANCE apply here. */
struct sim_activation *sim_buy(struct sc_sim *s, size_t acc,
                               struct sim_offer *o, const char **token);
/* sim_buy for the SELL_ALWAYS fault: neither the stock nor the balance is
 * checked (the balance may go negative, the stock stays at 0); only the
 * per-account cap and memory can refuse. */
struct sim_activation *sim_buy_any(struct sc_sim *s, size_t acc,
                                   struct sim_offer *o, const char **token);
/* Refunds |a| once (a second call is a no-op, except under DOUBLE_REFUND
 * where the module decides). */
void sim_refund(struct sc_sim *s, struct sim_activation *a);
/* Under mu: activations past their lifetime without a code are cancelled
 * and refunded, then every module's expire operation runs (rents past
 * their end are closed). Every request runs it. */
void sim_expire_locked(struct sc_sim *s);
/* Delivers an SMS to |a| (state becomes SIM_ST_OK) and hands it to every
 * module's sms operation (which queues its webhook). */
void sim_deliver_sms(struct sc_sim *s, struct sim_activation *a,
                     const char *code, const char *text);

/* Control helpers: a 4xx/5xx {"error":msg} or {"ok":true}; return the
 * status. */
int sim_ctl_error(struct sc_buf *out, int code, const char *msg);
int sim_ctl_ok(struct sc_buf *out);
/* A JSON string or non-negative number as text; 0 on success. */
int sim_json_text(const cJSON *it, char *buf, size_t n);

#endif
