/* sc_run_int.h — between the runner's engine (sc_run.c) and the check
 * catalogue it is handed (struct sc_catalogue, sc_run.h; the built-in one
 * is src/checks/). The catalogue builds on what is declared here; the
 * engine reaches the catalogue only through that table.
 *
 * A check is a function run with a struct ck: it talks to the endpoint
 * through ck_api/ck_rest/ck_ctl (each exchange is recorded for the report
 * with the key redacted) and states its findings with ck_ok / ck_fail /
 * ck_warn / ck_skip. A check that states nothing ends as ERROR: no check
 * passes by saying nothing. */
#ifndef SC_RUN_INT_H
#define SC_RUN_INT_H

#include "sc_http.h"
#include "sc_report.h"
#include "sc_run.h"

#include <smsconform/smsconform.h>

#include <stdarg.h>
#include <stddef.h>

struct sc_spec;
struct sc_profile;
struct cJSON;

/* What a check needs; checks whose needs are not met are SKIP with the
 * reason. */
#define CK_CONTROL 0x01u /* the control protocol */
#define CK_KEY2 0x02u    /* a second account */
#define CK_SPEND 0x04u   /* buys something */
#define CK_ALONE 0x08u   /* with control: changes what every check sees
                            (stock, prices, balances, webhook targets) or
                            needs an account with nothing bought; runs
                            alone, from a reset sandbox (CK_WAIT checks
                            too: they move the clock) */
#define CK_SMOKE 0x10u   /* part of --tier smoke */
#define CK_WAIT 0x20u    /* time must pass (ck_def.wait seconds): the
                            control clock, or --allow-wait */
#define CK_SUPPORT 0x40u /* support.<action>: runs before the others */

struct ck;
typedef void (*ck_fn)(struct ck *c);

struct ck_def {
  char id[128];
  enum sc_cat cat;
  char action[64];
  char tags[96];
  char requirement[320];
  const char *doc;     /* points into the spec */
  const char *section; /* points into the spec */
  unsigned needs;
  ck_fn fn;
  /* arguments, meaning per check function */
  char arg[64];
  char arg2[64];
  const struct cJSON *json;
  int iarg;
  int wait; /* CK_WAIT: seconds that must pass */
  /* The check rests on a rule the profile borrows from another document
   * (its timing): what it says and where it comes from. A FAIL of such a
   * check is reported as WARN. "" when none. */
  char borrowed[256];
  /* Checks of one group run one after another, in the order of the plan,
   * and a check with |after| starts once the first of that group (before
   * it in the plan) has ended: the robustness checks of one action, the
   * first of which to need the pool fills it for the others (the same one
   * in a run and in its replay), and those that read what another
   * action's first bought. "" = none. */
  char group[64];
  char after[64];
};

/* What the catalogue may look at while building the plan. */
struct ck_env {
  const struct sc_spec *spec;
  const struct sc_profile *profile;
  const char *profile_name;
  int rest;
  char rent_hours[16]; /* every rent and extension's length, in hours
                          (sc_catalogue.rent_hours) */
};

struct ck_plan {
  struct ck_def *defs;
  size_t n, cap;
};

/* Appends a copy of |d|; -1 on allocation failure. */
int ck_plan_add(struct ck_plan *p, const struct ck_def *d);
/* The timing rule |name| (seconds, hours or a count, as the rule says):
 * the profile's "timing", else lifecycle.json's rule of that name
 * (sc_profile_timing); 0 when neither gives one. */
int ck_timing(const struct ck_env *env, const char *name);
/* As ck_timing; 1 with the value in |*out| when a rule gives one, else 0
 * and |*out| 0. */
int ck_timing_known(const struct ck_env *env, const char *name, int *out);
/* The token that plays reference token |ref|'s part in the profile (its
 * "tokens" entry with "plays": |ref|), else |ref| itself
 * (sc_profile_token_for): what a check that names |ref| expects. */
const char *ck_token(const struct ck_env *env, const char *ref);

/* ---- during a check ----------------------------------------------------- */

/* The key a wrong-key request carries. */
#define CK_WRONG_KEY "smsconform-wrong-key-0000"

/* Whose key a request carries. */
enum ck_who { CK_WHO_KEY1, CK_WHO_KEY2, CK_WHO_NOKEY, CK_WHO_BADKEY };

/* One answer, parsed for its action. */
struct ck_ans {
  struct sc_http_resp r;
  struct sc_result res;
  int ok;            /* an HTTP answer came (any status) */
  char token[64];    /* the token's name, or "" */
  char field[2][64]; /* the first two fields' values, e.g. id and phone */
  int echo;          /* the answer holds the API key it was sent with */
  int unknown_action; /* the answer is the dialect's unknown-action signal */
  /* The answer is the empty success of an action whose profile says
   * "no_body": HTTP 204, no body; the parser's kind SUCCESS without a
   * token (smsconform.h). */
  int empty;
};

void ck_ans_free(struct ck_ans *a);

/* The handler API: |action| with NULL-terminated name, value pairs.
 * Parameters are named as the reference names them (the spec's
 * "params"); the engine sends the request where and as the profile says:
 * at the override's "path" on the origin of the run's URL (else the URL
 * itself), with its "method" (POST: the pairs as a form body), each
 * parameter under its wire name ("rename"). Returns 0 when an answer
 * came. */
int ck_api(struct ck *c, struct ck_ans *a, enum ck_who who, const char *action,
           ...) __attribute__((sentinel));
int ck_api_v(struct ck *c, struct ck_ans *a, enum ck_who who, int post,
             const char *action, const char *const *kv, size_t nkv);
/* A raw query string (robustness), sent as ck_api_v sends its pairs: the
 * key pair is added first unless |who| is CK_WHO_NOKEY. */
int ck_api_raw(struct ck *c, struct ck_ans *a, enum ck_who who,
               const char *action, const char *query, int post);
/* The REST dialect: |method| on the base URL followed by |path| (which
 * may carry a query), with |json| as the body (NULL = none) and the key of
 * |who| as a Bearer token. The answer is judged as |action| (a name in
 * specs/actions/rest.json). With |no_retry| a 429 comes back instead of
 * being waited out. Returns 0 when an answer came. */
int ck_rest(struct ck *c, struct ck_ans *a, enum ck_who who,
            const char *method, const char *action, const char *path,
            const char *json, int no_retry);
/* The control protocol: POST {control}/|path| with a JSON body built from
 * |fmt|. Returns the HTTP status (0 on transport failure). */
int ck_ctl(struct ck *c, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Findings. expected/actual may be NULL. */
void ck_ok(struct ck *c);
void ck_fail(struct ck *c, const char *expected, const char *actual,
             const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void ck_warn(struct ck *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void ck_skip(struct ck *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void ck_error(struct ck *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The endpoint does not implement the check's own action: UNSUPPORTED. */
void ck_unsupported(struct ck *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* A step the check needs failed and check |owner| judges that step: the
 * check is BLOCKED (blocked_by |owner|), not failed. */
void ck_blocked(struct ck *c, const char *owner, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* True once the check has failed, skipped or errored (stop early). */
int ck_done(const struct ck *c);

/* Steps. Between ck_step and ck_step_end a failure is the step's, owned
 * by check |owner| ("format.getBalance"): the check becomes BLOCKED by it
 * instead of failing, unless the check is |owner| itself. Returns the
 * step that was running, for ck_step_end; steps nest. */
const char *ck_step(struct ck *c, const char *owner);
void ck_step_end(struct ck *c, const char *prev);

/* An activation id that no endpoint hands out in practice: 18 random
 * digits, into |buf|. */
void ck_unknown_id(struct ck *c, char *buf, size_t n);
/* Marks |id| as checked absent at the endpoint (getStatus said it does
 * not exist), so that this check may send setStatus to it. */
void ck_absent(struct ck *c, const char *id);
/* True when this run bought |id|. */
int ck_owns(struct ck *c, const char *id);

/* Lets |seconds| pass at the endpoint: the control clock when there is
 * control, else a real wait when --allow-wait allows that long. 1 when
 * the time passed; else the check is SKIP (or ERROR) and 0. */
int ck_wait(struct ck *c, int seconds);

/* 0 when the endpoint is known not to implement |action| (support.*,
 * --actions); 1 otherwise. ck_not_implemented records that it does not
 * (what no request can probe: the webhooks it never sends). */
int ck_supported(struct ck *c, const char *action);
/* 0 when the endpoint is known to implement none of the profile's actions
 * (it does not speak the dialect at all). */
int ck_supported_any(struct ck *c);
void ck_not_implemented(struct ck *c, const char *action);

/* The listed price of a number of the run's service and country (from
 * getPrices or --price) into |*price|; 1 when known. */
int ck_listed_price(struct ck *c, double *price);

/* A last look at the check once every other check has run: |fn| is
 * called with the check's own struct ck, may still state a finding, and
 * owns |arg| (it frees it). For what is watched without holding the
 * endpoint: webhook POSTs that come late are counted until the run ends
 * instead of being waited for alone. Returns -1 (and calls nothing) when
 * it cannot be kept: the check then looks at once. */
/* State the checks of one run share (a family's pools, say): a zeroed
 * block of |size| bytes under |name|, made by the first check that asks
 * and the same for every later one; |free_fn| (may be NULL) releases what
 * it holds when the run ends, before the block is freed. NULL when out of
 * memory. The caller guards what is inside. */
#define CK_RUN_STATE_MAX 4
void *ck_run_state(struct ck *c, const char *name, size_t size,
                   void (*free_fn)(void *));

/* Something one check makes that other checks only read (a purchase
 * read by getStatus, never changed): |make| is run once per run (and again
 * after a sandbox reset, or when the one made is older than |max_age|
 * seconds; 0 = any age) by the first check that asks, into |out|; the
 * others wait for it and get the same value. Returns 1 with the value, or
 * 0 when it could not be made: the check that made it states why, the
 * others are BLOCKED by the check that owns the failed step. */
#define CK_SHARED_MAX 8
typedef int (*ck_make_fn)(struct ck *c, char *out, size_t n);
int ck_shared(struct ck *c, const char *name, double max_age, ck_make_fn make,
              char *out, size_t n);

typedef void (*ck_later_fn)(struct ck *c, void *arg);
int ck_later(struct ck *c, ck_later_fn fn, void *arg);

/* The answer judged by the parser, and its token one of |allowed| (NULL =
 * any success or status answer). |allowed| names reference tokens: each
 * stands for the token that plays its part in the profile (ck_token), and
 * the empty success of a "no_body" action (ck_ans.empty) matches any of
 * them that is a success token. FAIL with expected vs actual otherwise;
 * parser WARNs become WARN. Returns 1 when it matched. */
int ck_expect(struct ck *c, const struct ck_ans *a, const char *const *allowed,
              const char *what);
/* True when |a| carries the token that plays reference token |ref|'s part
 * in the profile (ck_token). */
int ck_token_is(const struct ck *c, const struct ck_ans *a, const char *ref);
/* Keeps |a| as the answer the check's verdict rests on (its HTTP status
 * and the parser's deviations, for the report), unless the check passes
 * or keeps one already: for checks that judge an answer themselves. */
void ck_judged(struct ck *c, const struct ck_ans *a);
/* As ck_expect for one token. */
int ck_expect1(struct ck *c, const struct ck_ans *a, const char *token,
               const char *what);

/* The check's definition and context. */
const struct ck_def *ck_def(const struct ck *c);
const struct ck_env *ck_env(const struct ck *c);
const struct sc_run_opts *ck_opts(const struct ck *c);
/* Every answer that sells is booked in the run's ledger by the engine,
 * whichever check's request it answered (sc_ledger.h). ck_spent gives a
 * purchase its measured price (a balance difference in a check that runs
 * alone, or a price the answer states); clean-up gives back what is not
 * released: setStatus 8, setRentStatus 2, cancelMailActivation or
 * DELETE. */
void ck_spent(struct ck *c, const char *action, const char *what,
              const char *id, double cost);
void ck_refunded(struct ck *c, const char *id);
/* From here to the check's end no other check moves money (buys, cancels,
 * refunds): what it reads of a balance is its own doing. ck_balance does
 * it; a check that reads a balance another way calls it first. */
void ck_hold_money(struct ck *c);
/* True when no other check's purchases can move the balance while this
 * one reads it: it runs alone, or it holds the money (ck_hold_money). */
int ck_alone(const struct ck *c);
/* A purchase was refused for want of money or stock (NO_BALANCE,
 * NO_NUMBERS) while the check shares the control sandbox with others:
 * they may have drawn it empty. Returns 1 and the check stops; what it
 * found is dropped and it runs again alone, from a reset. 0 when the
 * check runs alone already or without control: the refusal is the
 * endpoint's answer to judge. */
int ck_rerun_alone(struct ck *c);
/* True when |a| refuses a purchase for want of money or stock: its token
 * is flagged "runs_out" in tokens.json (in the profile's spelling). A
 * selling request so answered while the check shares the control sandbox
 * puts the check back to run alone (ck_rerun_alone) by itself, unless the
 * check is a robustness check: those judge any answer their bad values
 * get, and a refusal is one. */
int ck_ran_out(const struct ck *c, const struct ck_ans *a);
/* True when the check has the control sandbox to itself: it runs alone,
 * from a reset (CK_ALONE, CK_WAIT, or put back by ck_rerun_alone). Only
 * then may it send the control operations that change what every check
 * sees (the clock, stock, prices, balances, webhook targets). */
int ck_has_sandbox(const struct ck *c);

/* The ids a selling answer carries: a text field of type id, or in JSON
 * the id of the answer, of each element of a list, or of an object one
 * level down (phone.id of a rent, response.id of a mailbox); at most
 * |max|. */
size_t ck_answer_ids(const struct ck_ans *a, char ids[][64], size_t max);

/* True when |url| names this machine (127.x, localhost, [::1]). */
int ck_is_loopback(const char *url);

/* Money of an ACCESS_BALANCE answer (or a balance JSON) in cents; -1 if
 * none. */
long long ck_balance(struct ck *c, enum ck_who who);

#endif
