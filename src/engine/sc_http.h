/* sc_http.h — the runner's HTTP transport: a blocking call from many check
 * threads, each transfer performed in its caller's thread.
 *
 * Check code stays straight-line (request, look at the answer, next
 * request) while every transfer shares one set of streams (a libcurl multi
 * handle with one easy handle and its kept-alive connection each, at most
 * |jobs|), one concurrency cap, one rate limit and one Retry-After pause.
 * A stream is driven by the thread whose transfer it carries, not handed
 * to an I/O thread and back: on a loopback endpoint those two thread
 * switches per request cost more than the exchange.
 *
 * Hostile endpoints: redirects are never followed (a 3xx comes back as it
 * is, so the key never travels to another host), only http and https are
 * spoken, bodies and headers are capped, every transfer has a deadline,
 * and no content encoding is requested (no decompression bombs). */
#ifndef SC_HTTP_H
#define SC_HTTP_H

#include <stddef.h>

/* Transport outcomes: X(name, message). */
#define SC_HTTP_ERR_MAP(X)                                                   \
  X(OK, "answered")                                                          \
  X(CONNECT, "cannot connect")                                               \
  X(TIMEOUT, "no complete answer within the timeout")                        \
  X(RESET, "the connection broke before the answer was complete")           \
  X(TOO_BIG, "the answer is larger than the body cap")                       \
  X(HEADERS, "too many or too large response headers")                       \
  X(PROTOCOL, "not a valid HTTP answer")                                     \
  X(TLS, "TLS failure")                                                      \
  X(NOMEM, "out of memory")                                                  \
  X(OTHER, "transport error")

enum sc_http_err {
#define SC_HTTP_ERR_ENUM(name, msg) SC_HTTP_##name,
  SC_HTTP_ERR_MAP(SC_HTTP_ERR_ENUM)
#undef SC_HTTP_ERR_ENUM
};

const char *sc_http_err_name(enum sc_http_err e);
const char *sc_http_err_message(enum sc_http_err e);

struct sc_http_opts {
  unsigned jobs;       /* transfers at once; 0 = 4 */
  long timeout_ms;     /* per request, whole transfer; 0 = 10000 */
  size_t max_body;     /* bytes; 0 = 1 MiB */
  double rate;         /* requests started per second; 0 = unlimited */
  long max_pause_ms;   /* longest Retry-After honoured; 0 = 10000 */
  /* Bodies that ask the client to wait (a dialect's RATE_LIMITED), NULL-
   * terminated or NULL: an answer whose body is one of them, line end
   * aside, is waited out like a 429 when a Retry-After comes with it. */
  const char *const *retry_bodies;
};

struct sc_http_req {
  const char *method;  /* NULL = GET, or POST when body is set */
  const char *url;
  const char *body;    /* NULL = none */
  size_t body_len;
  const char *const *headers; /* NULL-terminated "Name: value" lines */
  int no_retry;        /* 1: hand a 429/503 back instead of waiting */
};

#define SC_HTTP_HEADERS_MAX (16 * 1024)

struct sc_http_resp {
  enum sc_http_err err;
  char errmsg[256];  /* libcurl's own words when err != OK */
  long status;       /* 0 when no status line came */
  char ctype[128];   /* Content-Type as sent; "" when none */
  char *body;        /* NUL-terminated (the NUL is not counted in len) */
  size_t len;
  char *headers;     /* raw header block of the final answer */
  size_t headers_len;
  double ms;         /* wall time of the exchange */
  int retries;       /* times a 429/503 was waited out */
};

struct sc_http;

struct sc_http *sc_http_new(const struct sc_http_opts *opts, char *err,
                            size_t errlen);
/* Frees, closing the kept connections; no sc_http_do may be under way.
 * Accepts NULL. */
void sc_http_destroy(struct sc_http *h);

/* Performs |req| and blocks until it ends; thread-safe. |resp| is always
 * filled (release with sc_http_resp_free). Returns 0 when an HTTP answer
 * came (any status), -1 on a transport error (resp->err says which). */
int sc_http_do(struct sc_http *h, const struct sc_http_req *req,
               struct sc_http_resp *resp);
void sc_http_resp_free(struct sc_http_resp *resp);

/* The value of header |name| (case-insensitive) in |resp|, copied to
 * |buf|; NULL when absent. */
const char *sc_http_header(const struct sc_http_resp *resp, const char *name,
                           char *buf, size_t n);

/* Requests performed so far and bytes received. */
void sc_http_stats(struct sc_http *h, unsigned long *requests,
                   unsigned long long *bytes);

#endif
