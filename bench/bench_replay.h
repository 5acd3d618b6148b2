/* bench_replay.h — a run's recorded requests replayed with bare libcurl
 * multi: the request floor of bench_suite.
 *
 * A plan is read from a recording (sc_record_save's recording.json): one
 * sequence per check, the check's requests in the order it made them,
 * the sequences in the order the checks made their first request. The
 * replay sends them with nothing parsed or judged: one easy handle per
 * stream kept for the whole replay (keep-alive), the bodies thrown
 * away. */
#ifndef BENCH_REPLAY_H
#define BENCH_REPLAY_H

#include <stddef.h>

struct bench_req {
  char *method, *url, *body, *auth;
};

/* One check's requests, each depending on the answer before it. */
struct bench_seq {
  struct bench_req *r;
  size_t n;
  size_t ndelayed; /* requests outside /control/ */
  int alone;       /* the check ran with the endpoint to itself: its first
                      request is a control reset */
};

struct bench_plan {
  struct bench_seq *s;
  size_t n;
  size_t nreq; /* requests in all sequences */
  /* The requests an endpoint with latency makes wait: those outside
   * /control/, which the simulator answers at once (sc_sim.h). */
  size_t ndelayed;      /* in all sequences */
  size_t chain;         /* in the sequence that has the most */
  size_t alone_delayed; /* in the sequences that run alone */
  char base[256];       /* scheme://host:port the URLs point at */
};

/* Reads DIR/recording.json into |p| (zeroed first); the requests carry
 * the recording's key placeholders replaced by |key1| and |key2| (copied
 * into the plan's strings). Exits the program when it cannot. */
void bench_plan_load(struct bench_plan *p, const char *dir, const char *key1,
                     const char *key2);

/* Points every URL, body and Authorization value of |p| that names its
 * base at |base| ("http://127.0.0.1:PORT") instead. */
void bench_plan_retarget(struct bench_plan *p, const char *base);

/* Frees what |p| owns and zeroes it. Accepts a zeroed plan. */
void bench_plan_free(struct bench_plan *p);

/* How the replay orders the requests. */
enum bench_order {
  /* the suite's dependency structure: a check's requests one after the
   * other on one stream, the checks that run in parallel spread over the
   * streams, then the checks that run alone, one at a time */
  BENCH_ORDER_FLOOR,
  /* every request on its own, in the recording's order, as many at once
   * as there are streams: the transport's and endpoint's limit */
  BENCH_ORDER_FLAT
};

/* Replays |p| on |streams| streams (1..64) in |order|. Returns the wall
 * time in seconds; |*nreq| receives the number of requests that ended. */
double bench_replay(const struct bench_plan *p, unsigned streams,
                    enum bench_order order, unsigned long *nreq);

#endif
