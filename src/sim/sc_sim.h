/* sc_sim.h — the reference simulator.
 *
 * An HTTP server that speaks one dialect of the SMS-activation API: the
 * handler API (/stubs/handler_api.php) of sms-activate, koalasms, smsbulk or
 * securesms, or the REST dialect rest-v1 (/api/v1/), plus the "Sandbox
 * control protocol v1" of ARCHITECTURE.md under /control/. Which actions a
 * dialect offers comes from its profile in specs/; how each behaves is
 * hand-written code, an independent reading of the source documents, so
 * that a run of the suite against it checks both. A vendor's profile file
 * is served by the code of the built-in profile it extends, with what the
 * file says as data (specs/README.md, "A vendor's own profile").
 *
 * Threads: libmicrohttpd serves the connections from a pool of 4 threads,
 * and a timer thread resumes the answers that wait (latency_ms); all state
 * sits behind one mutex inside struct sc_sim. No globals. */
#ifndef SC_SIM_H
#define SC_SIM_H

#include <stddef.h>

struct sc_spec;

struct sc_sim_config {
  const char *host; /* IPv4 literal or "localhost"; NULL = 127.0.0.1 */
  unsigned port;    /* 0 = any free port, see sc_sim_port() */
  /* "K1:100,K2:0.5" (key:balance) or "K1,K2" (balance 100 each). */
  const char *keys;
  unsigned long seed;       /* ids and phone numbers derive from it */
  int early_cancel_seconds; /* 004: cancel only 2 min after purchase: 120 */
  int lifetime_seconds;     /* activation expires without a code: 1200 */
  /* NULL = "sms-activate". A built-in profile, or a profile file of |spec|
   * that extends one: served by the built-in one's code with the file's
   * tokens, error envelope and statuses, paths, methods, parameter names,
   * no_body, timings and unknown_action over it. */
  const char *profile;
  const char *faults;       /* "name,name" from `smsconform list faults` */
  /* "getNumber,getStatus": the actions served (each must be one of the
   * profile's, else sc_sim_new fails naming it); the profile's others
   * answer as an action the dialect does not know (BAD_ACTION; 003's
   * WRONG_ACTION under smsbulk; 404/405 under rest-v1). /control/ is
   * served whatever the list. NULL = every action of the profile. */
  const char *actions;
  /* Requests per minute per key, on the simulated clock (/control/clock
   * frees a used-up minute; /control/reset every key's): past it an answer
   * is the dialect's rate-limit answer. rest-v1: 0 = its documented 300,
   * 429 RATE_LIMITED with Retry-After and X-RateLimit-* (002); smsbulk:
   * its RATE_LIMITED token with Retry-After (003); the other handler
   * dialects: HTTP 429 RATE_LIMITED with Retry-After. The handler
   * dialects: 0 = no limit; requests that name no account are not
   * counted. /control/ is never limited. */
  unsigned rate_limit;
  /* Every answer outside /control/ waits latency_ms, plus up to
   * latency_jitter_ms more (drawn from a stream of the seed of its own, so
   * ids and phones stay those of the seed), without holding up other
   * connections: a slow vendor on loopback. 0 and 0 = answer at once. */
  unsigned latency_ms;
  unsigned latency_jitter_ms;
  /* numbers per service and country; 0 = the catalogue's (10 by default) */
  unsigned stock;
  /* The control protocol v1 of ARCHITECTURE.md only, without this
   * simulator's extension (POST /control/account answers 404): a vendor's
   * sandbox that offers just the table. */
  int control_v1;
  /* serve --catalogue: a catalogue.json (specs/README.md) to sell from;
   * sc_sim_new fails with its problems in |err| when it is refused. NULL =
   * the default catalogue embedded in the binary. */
  const char *catalogue;
  const struct sc_spec *spec; /* NULL = the embedded specs */
};

struct sc_sim;

/* Starts a simulator serving |cfg| (copied; the caller keeps ownership, and
 * |spec|, when given, must outlive the simulator). Returns NULL on failure
 * with a message in |err| (|errlen| bytes, may be 0). Negative
 * |early_cancel_seconds| / non-positive |lifetime_seconds| select the
 * profile's own timing ("timing", else lifecycle.json: 120 / 1200 for the
 * reference). */
struct sc_sim *sc_sim_new(const struct sc_sim_config *cfg, char *err,
                          size_t errlen);

/* The TCP port actually bound (useful with port 0). */
unsigned sc_sim_port(const struct sc_sim *sim);

/* The dialect served: the profile name, and whether it is REST. */
const char *sc_sim_profile(const struct sc_sim *sim);
int sc_sim_is_rest(const struct sc_sim *sim);

/* The fault catalogue, for `smsconform list faults`: i-th entry's name,
 * family and description; NULL name past the end. */
const char *sc_sim_fault_info(size_t i, const char **family,
                              const char **what);

/* Stops the server and frees everything. Accepts NULL. */
void sc_sim_destroy(struct sc_sim *sim);

#endif
