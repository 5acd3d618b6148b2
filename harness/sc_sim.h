/* sc_sim.h — the reference simulator (first slice).
 *
 * An HTTP server that speaks the SMS-activation handler API
 * (/stubs/handler_api.php: getBalance, getNumber, getStatus, setStatus) and
 * the "Sandbox control protocol v1" of ARCHITECTURE.md under /control/.
 * It is an independent, hand-written reading of seeds 001 and 004, so that the
 * suite can be checked against something that is not derived from
 * the JSON specs.
 *
 * Threads: libmicrohttpd serves each connection on its own thread; all state
 * sits behind one mutex inside struct sc_sim. No globals. */
#ifndef SC_SIM_H
#define SC_SIM_H

#include <stddef.h>

struct sc_sim_config {
  const char *host; /* IPv4 literal or "localhost"; NULL = 127.0.0.1 */
  unsigned port;    /* 0 = any free port, see sc_sim_port() */
  /* "K1:100,K2:0.5" (key:balance) or "K1,K2" (balance 100 each). */
  const char *keys;
  unsigned long seed;       /* ids and phone numbers derive from it */
  int early_cancel_seconds; /* 004: cancel only 2 min after purchase: 120 */
  int lifetime_seconds;     /* activation expires without a code: 1200 */
};

struct sc_sim;

/* Starts a simulator serving |cfg| (copied; the caller keeps ownership).
 * Returns NULL on failure with a message in |err| (|errlen| bytes, may be
 * 0). Negative |early_cancel_seconds| / non-positive |lifetime_seconds|
 * select the defaults 120 / 1200. */
struct sc_sim *sc_sim_new(const struct sc_sim_config *cfg, char *err,
                          size_t errlen);

/* The TCP port actually bound (useful with port 0). */
unsigned sc_sim_port(const struct sc_sim *sim);

/* Stops the server and frees everything. Accepts NULL. */
void sc_sim_destroy(struct sc_sim *sim);

#endif
