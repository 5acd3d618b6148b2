/* sc_sim_latency.h — answers that wait without holding up a thread
 * (sc_sim_latency.c).
 *
 * libmicrohttpd serves the simulator's connections from a pool of a few
 * threads, each polling many connections, so a request that slept in its
 * thread would hold up every connection of that thread. Instead the
 * request's connection is suspended (MHD_suspend_connection) and a timer
 * thread of this file resumes it when its time has come; libmicrohttpd
 * then calls the access handler again and the answer is made. N requests
 * held at once each wait their own time, not N times it.
 *
 * The daemon must be started with MHD_ALLOW_SUSPEND_RESUME. Free of the
 * simulator's state: it knows connections and milliseconds only. */
#ifndef SC_SIM_LATENCY_H
#define SC_SIM_LATENCY_H

#include <microhttpd.h>

struct sim_latency;

/* Starts the timer thread; NULL when it cannot (out of memory, no
 * thread). */
struct sim_latency *sim_latency_new(void);

/* From the access handler only: suspends |conn| and has it resumed |ms|
 * milliseconds from now. Returns 0 when the connection is held (the
 * handler then returns MHD_YES without an answer, and is called again on
 * resumption), -1 when it is not (out of memory, or after
 * sim_latency_stop): the caller answers at once. */
int sim_latency_hold(struct sim_latency *l, struct MHD_Connection *conn,
                     unsigned ms);

/* Resumes every held connection at once and stops the timer thread;
 * later sim_latency_hold calls are refused. Call before MHD_stop_daemon,
 * which must not find a connection suspended. Accepts NULL. */
void sim_latency_stop(struct sim_latency *l);

/* Frees |l| after sim_latency_stop and after the daemon stopped (an
 * access handler may still call sim_latency_hold until then). Accepts
 * NULL. */
void sim_latency_destroy(struct sim_latency *l);

#endif
