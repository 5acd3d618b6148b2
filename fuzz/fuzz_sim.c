/* fuzz_sim.c — the simulator's request handling over its real HTTP
 * surface: query string and form body decoding, routing, the handler and
 * REST dialects and the control protocol. Two simulators run in the
 * process (sms-activate and rest-v1, on loopback); the input is one
 * request:
 *
 *   METHOD TARGET "\n" [HEADER-LINE "\n"]... "\n" BODY
 *
 * A first line without a space is a handler query string
 * ("action=getBalance&api_key=K1"). The target frames the request itself
 * (Host, Content-Length, Connection: close), so header lines that would
 * change the framing are dropped, and so are requests that mention
 * webhooks: those make the simulator call out to a URL. Every request must
 * get an HTTP answer within 20 s (or a closed connection, the HTTP layer's
 * way to refuse garbage), and never a 5xx. */
#include "fuzz.h"

#include "sc_buf.h"

#include "sc_sim.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define ANSWER_MS 20000
#define RESET_EVERY 1000

static struct sc_sim *handler, *rest;

/* memmem, which POSIX lacks. */
static const char *find(const void *hay, size_t n, const char *needle) {
  size_t k = strlen(needle);
  const char *h = hay;
  for (size_t i = 0; i + k <= n; i++)
    if (memcmp(h + i, needle, k) == 0)
      return h + i;
  return NULL;
}
static unsigned long execs;

static struct sc_sim *start(const char *profile) {
  char err[256];
  struct sc_sim_config cfg = {.profile = profile,
                              .keys = "K1:1000000,K2:1000000",
                              .stock = 100000,
                              .rate_limit = 1000000000u,
                              .early_cancel_seconds = -1};
  struct sc_sim *s = sc_sim_new(&cfg, err, sizeof err);
  if (!s)
    fz_fail("the %s simulator does not start: %s", profile, err);
  return s;
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  handler = start("sms-activate");
  rest = start("rest-v1");
  return 0;
}

static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits until |fd| is ready for |events| or |deadline| (now_ms) passes;
 * signals (libFuzzer's alarm) do not cut the wait short. */
static int wait_for(int fd, short events, long long deadline) {
  for (;;) {
    long long left = deadline - now_ms();
    if (left <= 0)
      return 0;
    struct pollfd pf = {.fd = fd, .events = events};
    int pr = poll(&pf, 1, (int)left);
    if (pr > 0)
      return 1;
    if (pr < 0 && errno != EINTR)
      return 0;
  }
}

/* The Content-Length of the head [p, e), or -1 when it has none. */
static long content_length(const char *p, const char *e) {
  static const char name[] = "\r\ncontent-length:";
  size_t k = sizeof name - 1;
  for (; e - p >= (long)k; p++)
    if (strncasecmp(p, name, k) == 0)
      return atol(p + k);
  return -1;
}

/* Sends |req| to |port| and reads one answer (after any 100 Continue),
 * framed by its Content-Length, or until the server closes. Returns its
 * HTTP status. |head_only|: the answer has no body (HEAD). */
static int exchange(unsigned port, const struct sc_buf *req, int head_only) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  FZ_CHECK(fd >= 0, "socket: %s", strerror(errno));
  struct sockaddr_in a = {.sin_family = AF_INET,
                          .sin_port = htons((uint16_t)port)};
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
    /* libFuzzer's timeout alarm may interrupt it; it goes on regardless */
    FZ_CHECK(errno == EINTR, "connect: %s", strerror(errno));
    FZ_CHECK(wait_for(fd, POLLOUT, now_ms() + ANSWER_MS), "connect: no answer");
    int e = 0;
    socklen_t el = sizeof e;
    getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &el);
    FZ_CHECK(e == 0, "connect: %s", strerror(e));
  }
  size_t off = 0;
  while (off < req->len) {
    ssize_t n = send(fd, req->ptr + off, req->len - off, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break; /* the server may answer and close before reading it all */
    off += (size_t)n;
  }
  long long deadline = now_ms() + ANSWER_MS;
  static char resp[1 << 16];
  size_t got = 0, start = 0;
  int status = 0;
  for (;;) {
    /* a complete answer in resp[start, got)? */
    const char *h = resp + start, *e = resp + got;
    const char *blank = find(h, (size_t)(e - h), "\r\n\r\n");
    if (blank) {
      FZ_CHECK(e - h >= 12 && memcmp(h, "HTTP/1.", 7) == 0,
               "not an HTTP answer to:\n%.*s",
               (int)(req->len > 400 ? 400 : req->len), req->ptr);
      status = atoi(h + 9);
      size_t body = (size_t)(blank + 4 - resp);
      if (status == 100) {
        start = body;
        continue;
      }
      long cl = content_length(h, blank + 2);
      if (head_only || status == 204 || status == 304 ||
          (cl >= 0 && got - body >= (size_t)cl) || got == sizeof resp)
        break;
    }
    FZ_CHECK(wait_for(fd, POLLIN, deadline),
             "no answer within %d ms to:\n%.*s", ANSWER_MS,
             (int)(req->len > 400 ? 400 : req->len), req->ptr);
    ssize_t n = recv(fd, resp + got, sizeof resp - got, 0);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    got += (size_t)n;
  }
  close(fd);
  /* closing without a word is how the HTTP layer may refuse garbage */
  FZ_CHECK(status != 0 || got == 0, "no HTTP answer in %zu bytes to:\n%.*s",
           got, (int)(req->len > 400 ? 400 : req->len), req->ptr);
  return status;
}

static int framing(const char *line, size_t n) {
  static const char *const names[] = {"connection", "content-length",
                                      "transfer-encoding", "expect", "host",
                                      "keep-alive", "upgrade"};
  for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
    size_t k = strlen(names[i]);
    if (n >= k && strncasecmp(line, names[i], k) == 0)
      return 1;
  }
  return 0;
}

static void post(struct sc_sim *s, const char *path) {
  struct sc_buf b;
  sc_buf_init(&b, 1024);
  sc_buf_printf(&b,
                "POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n"
                "Connection: close\r\n\r\n{}",
                path);
  FZ_CHECK(exchange(sc_sim_port(s), &b, 0) == 200, "POST %s failed", path);
  sc_buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (find(data, size, "ebhook") || find(data, size, "EBHOOK"))
    return 0;
  if (++execs % RESET_EVERY == 0) {
    post(handler, "/control/reset");
    post(rest, "/control/reset");
  }
  const char *p = (const char *)data, *e = p + size;
  const char *nl = memchr(p, '\n', size);
  const char *line_end = nl ? nl : e;
  struct sc_buf req;
  sc_buf_init(&req, 4u << 20);
  const char *sp = memchr(p, ' ', (size_t)(line_end - p));
  const char *target;
  size_t tlen;
  if (sp && sp > p) {
    sc_buf_add(&req, p, (size_t)(sp - p));
    target = sp + 1;
    tlen = (size_t)(line_end - target);
    sc_buf_addc(&req, ' ');
    sc_buf_add(&req, target, tlen);
  } else {
    target = "/stubs/handler_api.php";
    tlen = strlen(target);
    sc_buf_adds(&req, "GET /stubs/handler_api.php?");
    sc_buf_add(&req, p, (size_t)(line_end - p));
  }
  sc_buf_adds(&req, " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
  /* Header lines up to an empty line; the rest is the body. */
  const char *q = nl ? nl + 1 : e;
  while (q < e) {
    const char *le = memchr(q, '\n', (size_t)(e - q));
    if (!le)
      le = e;
    if (le == q) {
      q++;
      break;
    }
    if (!framing(q, (size_t)(le - q))) {
      sc_buf_add(&req, q, (size_t)(le - q));
      sc_buf_adds(&req, "\r\n");
    }
    q = le < e ? le + 1 : e;
  }
  size_t blen = (size_t)(e - q);
  sc_buf_printf(&req, "Content-Length: %zu\r\n\r\n", blen);
  sc_buf_add(&req, q, blen);
  if (req.err) {
    sc_buf_free(&req);
    return 0;
  }
  struct sc_sim *s =
      tlen >= 7 && memcmp(target, "/api/v1", 7) == 0 ? rest : handler;
  int st = exchange(sc_sim_port(s), &req, strncmp(req.ptr, "HEAD ", 5) == 0);
  FZ_CHECK(st == 0 || (st >= 100 && st < 500),
           "HTTP %d from the %s simulator for:\n%.*s",
           st, sc_sim_profile(s), (int)(req.len > 600 ? 600 : req.len),
           req.ptr);
  sc_buf_free(&req);
  return 0;
}
