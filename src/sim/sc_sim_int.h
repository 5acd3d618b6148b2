/* sc_sim_int.h — the simulator's inside: the types its source files share
 * and the operations table of a module.
 *
 *   sc_sim.c       core: configuration, HTTP glue, routing, the control
 *                  protocol, transport-level faults; reaches its modules
 *                  only through their struct sim_module
 *   sc_sim_base.c  the layer below core and modules (sc_sim_base.h): the
 *                  fixture, clock, money, look-ups, purchases, expiry,
 *                  answer helpers
 *   sc_sim_act.c   activation actions of the handler dialects
 *   sc_sim_cat.c   balance, catalogue, e-mail, partner and wallet actions
 *   sc_sim_rent.c  rent actions and the control path rent-sms
 *   sc_sim_hook.c  webhooks: queue, delivery thread, retries on the
 *                  simulated clock, and the control path webhook
 *   sc_sim_rest.c  the REST dialect (002) under /api/v1/
 *   sc_sim_latency.c  the core's helper for answers that wait: suspended
 *                  connections and the timer thread that resumes them
 *                  (sc_sim_latency.h; free of simulator state)
 *
 * Dependencies point one way: the core calls the modules through their
 * tables and the base layer; a module calls the base layer only (and the
 * parser library), never the core or another module.
 *
 * Threads: libmicrohttpd serves the connections from a pool of 4 threads
 * (sc_sim.c start_server); an answer that waits suspends its connection
 * instead of sleeping in one of them (sc_sim_latency.h).
 *
 * Locking: one mutex, s->mu, guards every piece of state below that is
 * marked "mu". Action handlers and module operations run with it held,
 * after expiry has been applied (unless struct sim_module says otherwise);
 * they never block (no network, no sleeping). */
#ifndef SC_SIM_INT_H
#define SC_SIM_INT_H

#include "sc_buf.h"
#include "sc_sim.h"
#include "sc_sim_catalogue.h"

#include <cjson/cJSON.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

struct sc_spec;
struct sc_profile;

#define SIM_MAX_ACCOUNTS 512
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
/* the longest latency_ms, and the longest latency_jitter_ms */
#define SIM_LATENCY_MAX_MS 60000u

/* The dialects; the profile names of specs/profiles/. A profile file that
 * extends one is served by its base's code (sc_profile_base) with the
 * file's data over it: tokens, error envelope, paths, timings. */
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

/* The services, countries and providers are the catalogue's
 * (sc_sim_catalogue.h: struct sim_service, sim_country, sim_provider),
 * reached through s->cat with the look-ups of sc_sim_base.h. */

/* One (service, country) offer; the catalogue has every pair. */
struct sim_offer {
  size_t service; /* index into the catalogue's services */
  size_t country; /* index into the catalogue's countries */
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

/* One fixed rate-limit window (sim_window_count): it opens at a key's
 * first request and lasts SIM_RATE_WINDOW seconds of the simulated clock
 * (sim_now), so /control/clock can end it and a test's requests never
 * straddle a wall-clock minute. */
#define SIM_RATE_WINDOW 60 /* 002 "Rate Limits": N requests per minute */
struct sim_window {
  long long start; /* simulated seconds; 0 = no window open */
  unsigned long count;
};

/* Module state, owned by the module files (opaque to the core). */
struct sim_rent;
struct sim_hooks;
struct sim_rest;
struct sim_mail;
struct sim_latency;

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
  /* requests per minute per key (serve --rate-limit): rest-v1's (300 when
   * the config gives 0; sc_sim_rest.c counts them), or the handler
   * dialects' (0 = none; the core counts them in |windows|) */
  unsigned rate_limit;
  /* every answer outside /control/ waits latency_ms plus a jitter in
   * [0, jitter_ms] (sc_sim_latency.h); |latency| is NULL when both are 0 */
  unsigned latency_ms, jitter_ms;
  struct sim_latency *latency;
  /* every offer's stock after a reset; 0 = the catalogue's own */
  long stock;
  int control_v1; /* no /control/account (sc_sim_config.control_v1) */
  /* what is sold: the catalogue loaded at creation (read-only) */
  struct sim_catalogue *cat;
  unsigned char faults[SIM_F__COUNT];
  /* serve --actions: the comma list of the actions offered, owned; NULL =
   * every action of the profile (see sim_offers) */
  char *actions;
  /* the modules, in the core's order (sc_sim.c); set once at creation */
  const struct sim_module *const *modules;
  size_t nmodules;
  /* everything below is guarded by mu */
  struct sim_account accounts[SIM_MAX_ACCOUNTS];
  size_t naccounts;
  /* the accounts of the configuration (--keys); those after them were
   * made by /control/account and are gone at a reset */
  size_t nfixed;
  struct sim_offer *offers; /* services x countries of s->cat */
  size_t noffers;
  struct sim_activation *acts; /* in purchase order, so ascending ids */
  size_t nacts, capacts;
  /* no activation can expire before this simulated second (a bound that
   * is never later than the earliest expiry, so sim_expire_locked scans
   * only when one may be due) */
  long long next_expiry;
  long long clock_offset; /* seconds added by /control/clock */
  uint64_t rng;
  /* the jitter's own stream of the seed, so that ids and phones do not
   * depend on how many requests waited */
  uint64_t latency_rng;
  /* the handler dialects' rate-limit window of each account */
  struct sim_window windows[SIM_MAX_ACCOUNTS];
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
  int waited; /* the answer's latency was applied (sc_sim.c on_request) */
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
  /* the reference token of an error answered in a JSON form (sim_error),
   * or NULL */
  const char *json_err;
  /* the action being answered, once known: sim_param reads its parameters
   * under the profile's wire names ("rename"); NULL before */
  const char *served;
  int error; /* the answer is an error (sim_error) */
  long long retry_after; /* seconds for a Retry-After header; 0 = none */
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

/* Whether fault |f| is switched on. */
static inline int sim_fault(const struct sc_sim *s, enum sim_fault f) {
  return s->faults[f] != 0;
}

/* ---- modules ------------------------------------------------------------- */

/* What a module offers the core. Every member but |name| may be NULL (the
 * module has no such part), except that |control_paths| needs |control|.
 * The core calls each operation for every module that has it, in the
 * order of its table; destroy in the reverse order. */
struct sim_module {
  const char *name;
  /* The handler-API actions, ending with {NULL, NULL, 0}. The core looks an
   * action up in every module's table, and only offers it when the profile
   * lists it (sim_offers); action names are unique across modules. */
  const struct sim_action *actions;
  /* The /control/ paths the module serves, NULL-terminated: each a POST
   * with a JSON object body, handed to |control|. */
  const char *const *control_paths;
  /* Allocates the module's state (mu exists and is not held); 0 on
   * success. |init_error| is the message sc_sim_new fails with when init
   * fails. */
  int (*init)(struct sc_sim *s);
  const char *init_error;
  /* Under mu: back to the fixture (/control/reset, and once after init). */
  void (*reset)(struct sc_sim *s);
  /* Frees the module's state after the server stopped; also after a failed
   * or missing init. */
  void (*destroy)(struct sc_sim *s);
  /* Under mu, on every request (sim_expire_locked): ends what is due. */
  void (*expire)(struct sc_sim *s);
  /* Under mu: adds the module's part to the /control/state dump. */
  void (*state)(struct sc_sim *s, cJSON *root);
  /* Serves /control/<path> for one of |control_paths|, returning the HTTP
   * status, or 0 when |path| is not the module's. Called without mu; the
   * module locks. */
  int (*control)(struct sc_sim *s, const char *path, const cJSON *body,
                 struct sc_buf *out);
  /* Under mu: an SMS reached activation |a| (sim_deliver_sms). */
  void (*sms)(struct sc_sim *s, const struct sim_activation *a);
  /* Under mu: /control/clock moved the simulated clock. */
  void (*clock)(struct sc_sim *s);
  /* A request outside /control/: when the module owns it, serves it, sets
   * |*ret| and returns 1; else returns 0 and the core serves it. Called
   * without mu; the module locks. */
  int (*handle)(struct sc_sim *s, struct MHD_Connection *conn,
                const char *url, const char *method, struct sim_req *r,
                enum MHD_Result *ret);
};

extern const struct sim_module sim_act_module;  /* sc_sim_act.c */
extern const struct sim_module sim_cat_module;  /* sc_sim_cat.c */
extern const struct sim_module sim_rent_module; /* sc_sim_rent.c */
extern const struct sim_module sim_rest_module; /* sc_sim_rest.c */
extern const struct sim_module sim_hook_module; /* sc_sim_hook.c */

#endif
