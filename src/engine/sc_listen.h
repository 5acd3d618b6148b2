/* sc_listen.h — a loopback HTTP listener the runner starts to receive
 * webhooks.
 *
 * The listener binds 127.0.0.1 on a free port and records every POST it
 * receives (path, content type, body) in arrival order; it answers each one
 * with the status the check chose for it (sc_listen_script), so that a
 * check can refuse the first delivery and watch the endpoint retry. Any
 * other method is answered 405 and not recorded.
 *
 * The requests are served on libmicrohttpd's own thread; every function
 * here is safe to call from any thread while that happens. Waiting is
 * always bounded: sc_listen_wait and sc_listen_settle take a timeout. */
#ifndef SC_LISTEN_H
#define SC_LISTEN_H

#include <stddef.h>

/* Bodies longer than this are cut (the hit says so); a webhook is small. */
#define SC_LISTEN_BODY_MAX (64u * 1024u)
/* POSTs kept; later ones are counted and answered but not stored. */
#define SC_LISTEN_HITS_MAX 256u

struct sc_listen;

/* One POST as it was received. */
struct sc_listen_hit {
  char path[256];         /* the request path (no query), cut to fit */
  char content_type[128]; /* "" when none was sent */
  char *body;             /* NUL-terminated; len bytes before the NUL */
  size_t len;
  int truncated; /* the body was longer than SC_LISTEN_BODY_MAX */
  int status;    /* what the listener answered */
};

/* Starts a listener on 127.0.0.1, port 0 (the system picks a free one).
 * Every POST is answered 200 until sc_listen_script says otherwise.
 * Returns NULL with a message in |err| (|errlen| bytes) on failure. */
struct sc_listen *sc_listen_new(char *err, size_t errlen);
/* Stops the listener (waiting for its thread) and frees it; accepts NULL. */
void sc_listen_destroy(struct sc_listen *l);

/* The port it listens on. */
unsigned sc_listen_port(const struct sc_listen *l);
/* "http://127.0.0.1:PORT|path|" into |buf| (|n| bytes); |path| starts
 * with '/'. Returns 0, or -1 when it does not fit. */
int sc_listen_url(const struct sc_listen *l, const char *path, char *buf,
                  size_t n);

/* The answers to come: the POST numbered k (0-based, counted since the
 * start) gets |statuses|[k] for k < |n|, every later one |then|. Statuses
 * must be 100..599. Returns 0, or -1 on bad arguments or allocation
 * failure (the script in force stays). */
int sc_listen_script(struct sc_listen *l, const int *statuses, size_t n,
                     int then);

/* POSTs received so far (stored or not). */
size_t sc_listen_count(struct sc_listen *l);
/* A copy of POST |i| into |out| (release with sc_listen_hit_free). Returns
 * 0, or -1 when there is no such stored POST or memory ran out; |out| is
 * reset either way. */
int sc_listen_hit(struct sc_listen *l, size_t i, struct sc_listen_hit *out);
void sc_listen_hit_free(struct sc_listen_hit *h);

/* Blocks until at least |n| POSTs have come or |timeout_ms| has passed;
 * returns the count then. */
size_t sc_listen_wait(struct sc_listen *l, size_t n, long timeout_ms);
/* Blocks until no POST has come for |quiet_ms|, or |timeout_ms| has passed
 * in all; returns the count then. */
size_t sc_listen_settle(struct sc_listen *l, long quiet_ms, long timeout_ms);

#endif
