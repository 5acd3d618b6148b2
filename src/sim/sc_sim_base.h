/* sc_sim_base.h — the layer under the simulator's core and its modules
 * (sc_sim_base.c): the fixture's tables, the simulated clock and the rng,
 * money, id and time text, look-ups, purchases, refunds and expiry, and
 * the answer helpers of the handler API and of the control protocol.
 * Modules call this layer, never the core; it reaches the modules only
 * through the table in s->modules. */
#ifndef SC_SIM_BASE_H
#define SC_SIM_BASE_H

#include "sc_sim_int.h"

/* ---- the fixture --------------------------------------------------------- */

extern const struct sim_service sim_services[];
extern const size_t sim_nservices;
extern const struct sim_country sim_countries[];
extern const size_t sim_ncountries;
extern const struct sim_provider sim_providers[SIM_NPROV];

/* Operators of country |ci| (index into sim_countries), NULL-terminated;
 * NULL when the fixture has none there. */
const char *const *sim_operators(size_t ci);

/* ---- helpers ------------------------------------------------------------- */

/* Whether the simulator serves |action|: the profile lists it and, under
 * serve --actions, the list names it. An action it does not serve answers
 * as one the dialect does not know. */
int sim_offers(const struct sc_sim *s, const char *action);

/* Simulated time: real time plus what /control/clock advanced. */
long long sim_now(const struct sc_sim *s);
/* Deterministic random numbers from the seed (call under mu). */
uint64_t sim_rand(struct sc_sim *s);
/* The next activation/rent/mail id (one sequence for all; under mu). */
unsigned long long sim_next_id(struct sc_sim *s);
/* An 11-digit phone number from the rng, written to |buf| (>= 12 bytes). */
void sim_phone(struct sc_sim *s, char *buf, size_t n);

/* A parameter from the POST form if present, else from the query. */
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
/* The JSON error form {"status":"error","message":TOKEN} of 001's rent and
 * e-mail sections, replacing whatever the body held. */
void sim_json_error(struct sim_call *c, const char *tok);

/* Answers a plain-text token (the body is exactly |tok|). */
void sim_token(struct sim_call *c, const char *tok);
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
/* Service index by short code; -1 if unknown. */
long sim_service_index(const char *code);
/* Country index by numeric id (and, when |lenient|, ISO code or slug);
 * -1 if unknown. */
long sim_country_index(const char *country, int lenient);
struct sim_offer *sim_offer_at(struct sc_sim *s, size_t service,
                               size_t country);

/* Provider |p|'s price and numbers on offer |o|: the stock is split
 * evenly, the cheaper providers taking the remainder. */
long long sim_prov_price(const struct sim_offer *o, size_t p);
long sim_prov_count(const struct sim_offer *o, size_t p);

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
