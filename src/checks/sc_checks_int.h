/* sc_checks_int.h — shared by the files of the check catalogue:
 * sc_checks.c (the handler API's activations, money, isolation, transport,
 * and the steps below), sc_checks_rest.c (the REST dialect),
 * sc_checks_rent.c (rent, e-mail, partner, webhooks) and
 * sc_checks_robust.c (bad inputs per parameter type).
 *
 * The steps (ck_buy, ck_sms, ...) state a finding when they fail, so a
 * check can stop at the first step that returns 0. */
#ifndef SC_CHECKS_INT_H
#define SC_CHECKS_INT_H

#include "sc_checks.h"
#include "sc_run_int.h"
#include "sc_spec.h"

#include <cjson/cJSON.h>

/* ---- reading the spec ---------------------------------------------------- */

const cJSON *ck_jget(const cJSON *o, const char *k);
const char *ck_jstr(const cJSON *o, const char *k);
/* Sets d->doc/section from the first citation in |sources|, preferring
 * the profile's own documents. */
void ck_cite(const struct ck_env *env, const cJSON *sources, struct ck_def *d);
const cJSON *ck_param_named(const struct sc_view *v, const char *name);
const cJSON *ck_param_typed(const struct sc_view *v, const char *type);
/* True when the action comes from specs/actions/<family>.json. */
int ck_in_family(const struct sc_view *v, const char *family);
/* The state |name| of lifecycle.json's |machine| ("activation", "rent"),
 * or NULL. */
const cJSON *ck_state_named(const struct ck_env *env, const char *machine,
                           const char *name);
/* True when lifecycle row |t| ("profiles") names the profile or the
 * built-in profile it is made from (sc_profile_base). */
int ck_row_names_profile(const struct ck_env *env, const cJSON *t);
/* The id of the lifecycle check of setStatus |status| in state |from|
 * (lifecycle.setStatus.FROM.STATUS[.early|.late]), |late| after the
 * early-cancel window: the owner of that step. */
void ck_transition_id(const struct ck_env *env, const char *from,
                      const char *status, int late, char *out, size_t n);
/* Marks |d| as resting on the timing rule |timing| when the profile
 * borrows it from another document ("borrowed"): its FAIL is then a WARN
 * that names the source. The first borrowed rule marked stays. */
void ck_mark_borrowed(const struct ck_env *env, const char *timing,
                      struct ck_def *d);
/* Whether the endpoint says (with |reader|, as a step owned by |owner|)
 * that the random id |id| names nothing, so that |action| may be sent to
 * it: 1, and the id is marked absent (ck_absent). An answer that shows it
 * exists is SKIP; any other answer is judged against |gone_tokens| (NULL:
 * SKIP too). */
int ck_confirm_absent(struct ck *c, const char *reader, const char *owner,
                      const char *id, const char *const *gone_tokens,
                      const char *action);
/* The strings of |arr| into |out| (NULL-terminated, |cap| slots). */
size_t ck_strings_of(const cJSON *arr, const char **out, size_t cap);
int ck_listed(const char *const *list, const char *s);
/* The first |max| of |tokens| (NULL-terminated if shorter) that the action
 * may answer, into |out| (NULL-terminated; |max| + 1 slots). */
size_t ck_allowed_tokens(const struct sc_view *v, const char *const *tokens,
                         size_t max, const char **out);

/* ---- steps ----------------------------------------------------------------
 */

/* --service / --country, or the fixture's tg / 0. */
const char *ck_svc(struct ck *c);
const char *ck_ctry(struct ck *c);
/* The value a plain call gives parameter |p| (an entry of an action's
 * "params"): the run's service, country and "en" for those types, |id| for
 * id-typed ones; for required ones also the rent length, the documents'
 * example site, coin and network, status 1, or an enum's first value.
 * NULL when the runner knows none (and for the key). */
const char *ck_param_value(struct ck *c, const cJSON *p, const char *id);
/* The site the e-mail checks ask mailboxes for. */
extern const char CK_MAIL_SITE[];
/* Values for the parameters of |action| that a plain call needs, as
 * name, value pairs into |kv| (capacity |cap|); |id| fills id-typed ones.
 * Returns the number of strings, or -1 when a required parameter has no
 * value the runner knows. */
int ck_fill_params(struct ck *c, const char *action, const char *id,
                   const char **kv, int cap);
/* A purchase a check needs as its setup, refused for want of money or
 * stock (ck_ran_out). Without control nothing resets either between
 * checks: SKIP with that reason and 1. With control, a check that shares
 * the sandbox is to run again alone (ck_rerun_alone): 1; one that runs
 * alone from a reset has the refusal to judge: 0. */
int ck_buy_refused(struct ck *c, const struct ck_ans *a);
/* getRentNumber for the shortest rent, booked in the ledger; the rent id
 * into |id| (sc_checks_rent.c). 1 on success. */
int ck_rent(struct ck *c, char *id, size_t n);
/* Books a purchase of |id| made with |action| since the balance of |who|
 * was |before| cents: the balance difference is its price. Returns the
 * price in cents, or -1 when the balance cannot be read (the check has
 * failed). */
long long ck_book(struct ck *c, enum ck_who who, const char *action,
                  const char *what, const char *id, long long before);
/* getNumber, booked in the spend ledger; the id into |id|. 1 on success. */
int ck_buy(struct ck *c, enum ck_who who, char *id, size_t n);
/* An activation of the first account that the check only reads (never
 * changes): one purchase serves every such check of the run (ck_shared),
 * bought again after a sandbox reset or near the end of its lifetime. */
int ck_buy_to_read(struct ck *c, char *id, size_t n);
int ck_set_status(struct ck *c, struct ck_ans *a, enum ck_who who,
                  const char *id, const char *status);
/* getStatus of |id| is one of |allowed|; 1 when it is. */
int ck_expect_status(struct ck *c, const char *id, const char *const *allowed,
                     const char *what);
/* POSTs |o| (freed here) to control |path| when |ok| (building it
 * succeeded); 1 on HTTP 200. Control bodies are built with cJSON: ids come
 * from the endpoint and keys from the user. */
int ck_ctl_obj(struct ck *c, const char *path, cJSON *o, int ok);
/* Control: an SMS with |code| to activation |id|; the first account's
 * balance set to |amount|; the clock forward. */
int ck_sms(struct ck *c, const char *id, const char *code);
int ck_set_balance(struct ck *c, double amount);
int ck_advance(struct ck *c, int seconds);
/* Control, from a check that has the sandbox to itself (ck_has_sandbox):
 * the run's service and country get CK_FIXTURE_STOCK numbers and both
 * accounts CK_FIXTURE_STOCK times 100.00, so that no purchase of the
 * checks is refused for want of them. The catalogue's provision. */
#define CK_FIXTURE_STOCK 10000
void ck_provision(struct ck *c);
/* |cents| as the handler API writes money: "12.50", "-0.30". */
void ck_money_text(long long cents, char *buf, size_t n);
/* The first account's balance is |want| cents: ck_ok, else ck_fail. */
void ck_expect_balance(struct ck *c, long long want, const char *what);
/* "TOKEN:value" for the token that plays reference token |ref|'s part in
 * the profile (ck_token), into |out|: how an expected answer is shown. */
void ck_token_text(struct ck *c, const char *ref, const char *value, char *out,
                   size_t n);

/* ---- building the plan ----------------------------------------------------
 */

/* What sc_checks_catalogue() hands the engine, with ck_fill_params above:
 * every check for the profile into |p| (sc_checks.c); 0 or -1. */
int ck_build_plan(struct ck_plan *p, const struct ck_env *env);
/* The shortest rent in hours: the profile's rent_min_hours, else
 * lifecycle.json's (sc_checks_rent.c). */
int ck_rent_hours(const struct ck_env *env);

struct ck_builder {
  struct ck_plan *p;
  const struct ck_env *env;
  int err;
};

/* Adds a copy of |d| unless its id is already planned. */
void ck_add(struct ck_builder *b, struct ck_def *d);

/* The parts of the plan kept in their own files. */
void ck_plan_rest(struct ck_builder *b);   /* sc_checks_rest.c */
void ck_plan_rent(struct ck_builder *b);   /* sc_checks_rent.c */
void ck_plan_robust(struct ck_builder *b); /* sc_checks_robust.c */

#endif
