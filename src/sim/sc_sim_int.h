/* sc_sim_int.h — the simulator's inside, shared by its source files.
 *
 *   sc_sim.c       core: configuration, HTTP glue, routing, the control
 *                  protocol, the fixture, transport-level faults
 *   sc_sim_act.c   activation actions of the handler dialects
 *   sc_sim_cat.c   balance, catalogue, e-mail, partner and wallet actions
 *   sc_sim_rent.c  rent actions and the control path rent-sms
 *   sc_sim_hook.c  webhooks: queue, delivery thread, retries on the
 *                  simulated clock, and the control path webhook
 *   sc_sim_rest.c  the REST dialect (002) under /api/v1/
 *
 * Locking: one mutex, s->mu, guards every piece of state below that is
 * marked "mu". Action handlers and module hooks run with it held, after
 * expiry has been applied; they never block (no network, no sleeping). */
#ifndef SC_SIM_INT_H
#define SC_SIM_INT_H

#include "sc_buf.h"
#include "sc_sim.h"

#include <cjson/cJSON.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

struct sc_spec;
struct sc_profile;

#define SIM_MAX_ACCOUNTS 64
#define SIM_MAX_ACTIVATIONS_PER_ACCOUNT 1000 /* beyond it: NO_NUMBERS */
#define SIM_BODY_MAX (64 * 1024)             /* larger request bodies: 413 */
/* The largest answer body. The per-account caps bound every answer: the
 * /control/state dump of 64 accounts with 1000 activations and 1000 rents
 * each is about 35 MB, getActiveActivations of 1000 activations about
 * 0.5 MB. */
#define SIM_OUT_MAX ((size_t)64 << 20)
#define SIM_CODE_MAX 64
#define SIM_TEXT_MAX 256
#define SIM_ORDER_MAX 64

/* The dialects; the profile names of specs/profiles/. */
enum sim_dialect {
  SIM_SMS_ACTIVATE, /* 001, the reference */
  SIM_KOALASMS,     /* 000 */
  SIM_SMSBULK,      /* 003 */
  SIM_SECURESMS,    /* 004 */
  SIM_REST_V1       /* 002 */
};

/* The fault catalogue: X(ENUM, "name", "family", "what it breaks").
 * Each is a realistic vendor bug that a conformance run must catch; the
 * file that owns the family implements it. */
#define SIM_FAULT_MAP(X)                                                     \
  /* transport and format (sc_sim.c) */                                      \
  X(TOKEN_SPELLING, "token-spelling", "format",                              \
    "setStatus 8 answers ACCESS_CANCELED instead of ACCESS_CANCEL")          \
  X(TRAILING_NEWLINE, "trailing-newline", "format",                          \
    "every plain-text answer ends with a newline (a WARN; FAIL with --strict)")                           \
  X(CONTENT_TYPE_HTML, "content-type-html", "transport",                     \
    "plain-text answers are labelled text/html")                             \
  X(HTML_ERROR_PAGE, "html-error-page", "transport",                         \
    "a wrong API key gets an HTML 403 page instead of BAD_KEY")              \
  X(HTTP_500_ERRORS, "http-500-errors", "transport",                         \
    "error tokens are sent with HTTP status 500")                            \
  X(POST_IGNORED, "post-ignored", "transport",                               \
    "parameters in a POST form are ignored (only the query is read)")        \
  X(KEY_ECHOED, "key-echoed", "error",                                       \
    "BAD_KEY repeats the rejected key back: BAD_KEY:<key>")                  \
  X(BAD_ACTION_TOKEN, "bad-action-token", "error",                           \
    "an unknown action answers WRONG_ACTION instead of BAD_ACTION (and "     \
    "the other way round under smsbulk)")                                    \
  X(SQL_LEAK, "sql-leak", "error",                                           \
    "a non-numeric activation id leaks a SQL error message")                 \
  X(KEY_JSON_ERROR, "key-json-error", "error",                               \
    "a wrong API key gets HTTP 200 {\"error\":\"Invalid API key\"} instead " \
    "of BAD_KEY")                                                            \
  X(KEY_ECHO_HTML, "key-echo-html", "error",                                 \
    "a wrong API key gets an HTML 401 page that repeats the key sent")       \
  X(JSON_STATUS_ERROR, "json-status-error", "format",                        \
    "actions that answer JSON on success send their error tokens as "        \
    "{\"status\":\"error\",\"error\":\"TOKEN\"} (a WARN where no document "  \
    "shows that form; FAIL with --strict)")                                  \
  X(SQL_ERROR_JSON, "sql-error-json", "error",                               \
    "an unknown or malformed id gets SQLite's error text: "                  \
    "{\"error\":\"no such column: abc\"} from JSON actions, "                \
    "sqlite3.OperationalError: ... from text ones")                          \
  X(IDS_FROM_ONE, "ids-from-one", "conforming",                              \
    "not a deviation: ids are counted from 1 (1, 2, 3, ... like SQLite "     \
    "AUTOINCREMENT), which a runner must not take for unknown ids")          \
  /* activation (sc_sim_act.c) */                                            \
  X(PHONE_PLUS, "phone-plus", "format",                                      \
    "getNumber answers the phone with a leading +")                          \
  X(V2_MISSING_KEY, "v2-missing-key", "format",                              \
    "getNumberV2 leaves out activationTime")                                 \
  X(V2_TIME_SKEW, "v2-time-skew", "lifecycle",                               \
    "getNumberV2's activationTime is an hour off the server clock")          \
  X(NO_CHARGE, "no-charge", "money",                                         \
    "a purchase does not charge the balance")                                \
  X(NO_REFUND, "no-refund", "money", "cancel (8) does not refund")           \
  X(DOUBLE_REFUND, "double-refund", "money",                                 \
    "a cancel (8) after status 1 refunds the price twice")            \
  X(EXPIRY_NO_REFUND, "expiry-no-refund", "money",                           \
    "an activation that expires without a code is not refunded")            \
  X(IGNORE_MAX_PRICE, "ignore-max-price", "money",                           \
    "maxPrice below the price is ignored and the number sold")               \
  X(SELL_NO_BALANCE, "sell-no-balance", "money",                             \
    "numbers are sold when the balance is too low (it goes negative)")       \
  X(ORDER_ID_REPEAT, "order-id-repeat", "money",                             \
    "a repeated orderId buys a second number instead of ORDER_ALREADY_EXISTS") \
  X(EARLY_STATUS_OK, "early-status-ok", "lifecycle",                         \
    "getStatus answers STATUS_OK with a made-up code before any SMS")        \
  X(CANCEL_NOT_REFLECTED, "cancel-not-reflected", "lifecycle",               \
    "after a cancel, getStatus still answers STATUS_WAIT_CODE")              \
  X(EARLY_CANCEL_ALLOWED, "early-cancel-allowed", "lifecycle",               \
    "cancel is accepted inside the early-cancel window")                     \
  X(RETRY_NO_LASTCODE, "retry-no-lastcode", "lifecycle",                     \
    "STATUS_WAIT_RETRY comes without the previous code")                     \
  X(STATUS_V2_STALE, "status-v2-stale", "lifecycle",                         \
    "getStatusV2 reports no SMS after a code arrived")                       \
  X(ACTIVE_LIST_STALE, "active-list-stale", "lifecycle",                     \
    "getActiveActivations keeps listing cancelled activations")              \
  X(CROSS_ACCOUNT, "cross-account", "isolation",                             \
    "getStatus and setStatus work on another account's activation")         \
  X(UNKNOWN_ID_NO_NUMBERS, "unknown-id-no-numbers", "error",                 \
    "an unknown activation id is answered NO_NUMBERS instead of "            \
    "NO_ACTIVATION")                                                         \
  X(NEAR_MISS_NO_ACTIVATIONS, "near-miss-no-activations", "error",           \
    "an unknown activation id is answered NO_ACTIVATIONS (one letter more "  \
    "than NO_ACTIVATION)")                                                   \
  X(SET_STATUS_EMPTY, "set-status-empty", "error",                           \
    "setStatus with a status value the document does not list gets an "      \
    "empty 200 body instead of BAD_STATUS")                                  \
  X(NEAR_MISS_BALANCE_FORWARD, "near-miss-balance-forward", "error",         \
    "getNumber without enough balance answers NO_BALANCE_FORWARD instead "   \
    "of NO_BALANCE")                                                         \
  X(SELL_UNKNOWN_SERVICE, "sell-unknown-service", "money",                   \
    "getNumber and getNumberV2 sell a number of the first service, at its "  \
    "price, for an unknown or missing service code")                         \
  X(SELL_ALWAYS, "sell-always", "money",                                     \
    "getNumber and getNumberV2 sell whenever a service is named: unknown "   \
    "service or country, maxPrice, balance (it goes negative) and stock "    \
    "are ignored")                                                           \
  /* catalogue (sc_sim_cat.c) */                                             \
  X(BALANCE_COMMA, "balance-comma", "format",                                \
    "ACCESS_BALANCE uses a decimal comma (ACCESS_BALANCE:12,50)")            \
  X(PRICES_NO_COUNT, "prices-no-count", "format",                            \
    "getPrices leaves out the count of numbers in stock")                    \
  X(STOCK_STALE, "stock-stale", "lifecycle",                                 \
    "getNumbersStatus does not go down after a purchase")                    \
  /* rent (sc_sim_rent.c) */                                                 \
  X(RENT_LATE_CANCEL, "rent-late-cancel", "lifecycle",                       \
    "a rent can be cancelled (and refunded) after the cancel window")        \
  X(RENT_SMS_MISSING, "rent-sms-missing", "lifecycle",                       \
    "getRentStatus does not list an SMS that arrived on the number")        \
  X(RENT_EXTEND_FREE, "rent-extend-free", "money",                           \
    "continueRentNumber extends the rent without charging")                  \
  /* webhooks (sc_sim_hook.c) */                                             \
  X(WEBHOOK_PAYLOAD, "webhook-payload", "webhook",                           \
    "the webhook payload names the code field smsCode instead of code")      \
  X(WEBHOOK_NO_RETRY, "webhook-no-retry", "webhook",                         \
    "a webhook that got a non-200 answer is never retried")                  \
  X(WEBHOOK_RETRY_FOREVER, "webhook-retry-forever", "webhook",               \
    "a webhook that is never answered 200 is retried every 30 minutes past " \
    "the 8 attempts")                                                        \
  /* REST (sc_sim_rest.c) */                                                 \
  X(REST_REFUND_AFTER_SMS, "rest-refund-after-sms", "money",                 \
    "DELETE refunds an activation that already received an SMS")            \
  X(REST_NO_RATE_HEADERS, "rest-no-rate-headers", "rest",                    \
    "answers carry no X-RateLimit-* headers")                                \
  X(REST_NO_429, "rest-no-429", "rest",                                      \
    "requests past the rate limit are served instead of 429")                \
  X(REST_NO_AUTH, "rest-no-auth", "rest",                                    \
    "requests without a Bearer token are served as the first account")

enum sim_fault {
#define SIM_FAULT_ENUM(e, name, family, what) SIM_F_##e,
  SIM_FAULT_MAP(SIM_FAULT_ENUM)
#undef SIM_FAULT_ENUM
  SIM_F__COUNT
};

/* ---- the fixture --------------------------------------------------------- */

struct sim_service {
  const char *code;     /* 001's short code: "tg" */
  const char *name;     /* display name: "Telegram" */
  const char *rest;     /* 002's full lower-case name: "telegram" */
};

struct sim_country {
  const char *id;   /* 001's numeric id: "0" */
  const char *iso;  /* ISO 3166-1 alpha-2, lower case: "ru" */
  const char *slug; /* 003's name slug: "russia" */
  const char *eng, *rus, *chn;
};

extern const struct sim_service sim_services[];
extern const size_t sim_nservices;
extern const struct sim_country sim_countries[];
extern const size_t sim_ncountries;

/* Providers (000 and 004 let a purchase name them; the fixture invents
 * three, 004's example names 2260 and 2266): each sells at a percentage of
 * the offer's cost and holds a share of its stock. */
#define SIM_NPROV 3
struct sim_provider {
  unsigned id;
  unsigned pct; /* price as a percentage of the offer's cost */
};
extern const struct sim_provider sim_providers[SIM_NPROV];

/* Operators of country |ci| (index into sim_countries), NULL-terminated;
 * NULL when the fixture has none there. */
const char *const *sim_operators(size_t ci);

#define SIM_FIXTURE_COST 50 /* cents */
#define SIM_FIXTURE_STOCK 10

/* One (service, country) offer; the fixture has every pair. */
struct sim_offer {
  size_t service; /* index into sim_services */
  size_t country; /* index into sim_countries */
  long long cost; /* cents */
  long stock;
};

/* ---- state --------------------------------------------------------------- */

enum sim_act_state {
  SIM_ST_WAIT_CODE,  /* bought, no SMS yet (also after status 1) */
  SIM_ST_OK,         /* a code arrived */
  SIM_ST_WAIT_RETRY, /* status 3 after a code: waiting for the next one */
  SIM_ST_DONE,       /* status 6: completed */
  SIM_ST_CANCEL      /* status 8 or expiry: cancelled and refunded */
};

struct sim_account {
  char *key;
  long long start_cents; /* from the config; restored by /control/reset */
  long long balance;     /* cents */
  long long base;        /* balance + unrefunded charges == base */
  unsigned nact;         /* activations bought */
  char *webhook_url;     /* /control/webhook; NULL = none (sc_sim_hook.c) */
};

struct sim_activation {
  unsigned long long id;
  size_t account;
  size_t offer;
  char phone[16]; /* digits, no + */
  long long cost; /* cents charged */
  int refunded;
  enum sim_act_state state;
  int ready;           /* status 1 seen */
  long long bought_at; /* simulated seconds */
  char code[SIM_CODE_MAX];
  char lastcode[SIM_CODE_MAX];
  char text[SIM_TEXT_MAX]; /* the last SMS's text */
  long long sms_at;        /* when the last SMS arrived; 0 = none */
  unsigned nsms;           /* SMS received so far */
  char order_id[SIM_ORDER_MAX];
  unsigned long long parent; /* getAdditionalService / multi: parent id */
  int call;                  /* a voice activation (getIncomingCallStatus) */
  int forward;
};

/* Module state, owned by the module files (opaque to the core). */
struct sim_rent;
struct sim_hooks;
struct sim_rest;
struct sim_mail;

struct sc_sim {
  struct MHD_Daemon *daemon;
  unsigned port;
  pthread_mutex_t mu;
  int mu_ok;
  unsigned long seed;
  enum sim_dialect dialect;
  const char *profile_name;
  struct sc_spec *own_spec;      /* loaded here when the config gave none */
  const struct sc_spec *spec;
  const struct sc_profile *profile;
  int early_cancel; /* seconds */
  int lifetime;     /* seconds */
  unsigned rate_limit; /* REST requests per minute */
  long stock;          /* per offer after a reset */
  unsigned char faults[SIM_F__COUNT];
  /* serve --actions: the comma list of the actions offered, owned; NULL =
   * every action of the profile (see sim_offers) */
  char *actions;
  /* everything below is guarded by mu */
  struct sim_account accounts[SIM_MAX_ACCOUNTS];
  size_t naccounts;
  struct sim_offer *offers; /* sim_nservices * sim_ncountries */
  size_t noffers;
  struct sim_activation *acts; /* in purchase order, so ascending ids */
  size_t nacts, capacts;
  /* no activation can expire before this simulated second (a bound that
   * is never later than the earliest expiry, so sim_expire_locked scans
   * only when one may be due) */
  long long next_expiry;
  long long clock_offset; /* seconds added by /control/clock */
  uint64_t rng;
  unsigned long long next_id;
  struct sim_rent *rent;
  struct sim_hooks *hooks;
  struct sim_rest *rest;
  struct sim_mail *mail;
};

/* ---- one handler-API request --------------------------------------------- */

struct sim_req {
  struct sc_buf body;
  int too_big;
  char **pairs; /* decoded form fields: key, value, key, value ... */
  size_t npairs;
};

struct sim_call {
  struct sc_sim *s;
  struct MHD_Connection *conn;
  struct sim_req *req;
  size_t acc;         /* the caller's account (index into s->accounts) */
  struct sc_buf *out; /* the body */
  unsigned status;    /* HTTP status; 200 unless a handler says otherwise */
  const char *ctype;  /* content type; the dialect's text type by default */
  const char *action; /* set by the route (a path per action); NULL = the
                         action= parameter */
  int json_action;    /* the action answers JSON on success (SIM_JSON) */
  const char *json_err; /* the token sim_json_error answered, or NULL */
};

typedef void (*sim_action_fn)(struct sim_call *c);

/* struct sim_action's |answer|: the form of the action's success answer,
 * which the faults that reshape JSON actions' errors read. */
#define SIM_TEXT 0
#define SIM_JSON 1

struct sim_action {
  const char *name; /* the action= value */
  sim_action_fn fn;
  int answer; /* SIM_TEXT or SIM_JSON */
};

/* Each module's actions, ending with {NULL, NULL, 0}. The core looks an action
 * up in these tables, and only offers it when the profile lists it. */
extern const struct sim_action sim_actions_act[];
extern const struct sim_action sim_actions_cat[];
extern const struct sim_action sim_actions_rent[];

/* ---- core helpers (sc_sim.c) --------------------------------------------- */

static inline int sim_fault(const struct sc_sim *s, enum sim_fault f) {
  return s->faults[f] != 0;
}

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
 * and refunded; rents past their end are closed. Every request runs it. */
void sim_expire_locked(struct sc_sim *s);
/* Delivers an SMS to |a| (state becomes SIM_ST_OK) and queues its webhook. */
void sim_deliver_sms(struct sc_sim *s, struct sim_activation *a,
                     const char *code, const char *text);

/* ---- module hooks (each module file defines its own) ---------------------
 * init: allocate state (no lock yet), 0 on success; reset: back to the
 * fixture (under mu); destroy: free (after the server stopped); state: add
 * to the /control/state dump (under mu); control: handle /control/<path>,
 * returning the HTTP status, or 0 when the path is not the module's (called
 * without mu; the module locks). */
int sim_rent_init(struct sc_sim *s);
void sim_rent_reset(struct sc_sim *s);
void sim_rent_destroy(struct sc_sim *s);
void sim_rent_state(struct sc_sim *s, cJSON *root);
int sim_rent_control(struct sc_sim *s, const char *path, const cJSON *body,
                     struct sc_buf *out);
/* Called under mu every request: ends rents whose time is up. */
void sim_rent_expire(struct sc_sim *s);

int sim_mail_init(struct sc_sim *s);
void sim_mail_reset(struct sc_sim *s);
void sim_mail_destroy(struct sc_sim *s);
void sim_mail_state(struct sc_sim *s, cJSON *root);

int sim_hook_init(struct sc_sim *s); /* starts the delivery thread */
void sim_hook_reset(struct sc_sim *s);
void sim_hook_destroy(struct sc_sim *s); /* stops it */
void sim_hook_state(struct sc_sim *s, cJSON *root);
int sim_hook_control(struct sc_sim *s, const char *path, const cJSON *body,
                     struct sc_buf *out);
/* Under mu: queue the webhook for an SMS on activation |a| (no-op when the
 * account has no webhook URL), and wake the delivery thread. */
void sim_hook_sms(struct sc_sim *s, const struct sim_activation *a);
/* Under mu: the clock moved; wake the delivery thread. */
void sim_hook_clock(struct sc_sim *s);

int sim_rest_init(struct sc_sim *s);
void sim_rest_reset(struct sc_sim *s);
void sim_rest_destroy(struct sc_sim *s);
/* Serves |url| under /api/v1/ (called without mu). */
enum MHD_Result sim_rest_handle(struct sc_sim *s, struct MHD_Connection *conn,
                                const char *url, const char *method,
                                struct sim_req *r);

/* Control helpers: a 4xx/5xx {"error":msg} or {"ok":true}; return the
 * status. */
int sim_ctl_error(struct sc_buf *out, int code, const char *msg);
int sim_ctl_ok(struct sc_buf *out);
/* A JSON string or non-negative number as text; 0 on success. */
int sim_json_text(const cJSON *it, char *buf, size_t n);
/* Queues an HTTP answer (copies the body). */
enum MHD_Result sim_reply(struct MHD_Connection *conn, unsigned code,
                          const char *ctype, struct sc_buf *body);

#endif
