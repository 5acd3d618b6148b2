/* hostile.c — see hostile.h. */
#include "hostile.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONNS 256
#define LOG_MAX (256 * 1024)

struct hostile {
  int fd;
  unsigned port;
  pthread_t th;
  atomic_int stop;
  pthread_mutex_t mu;
  pthread_t conns[MAX_CONNS];
  int nconns;
  unsigned requests;
  char mode[32];         /* the behaviour for every path; "" = by path */
  atomic_uint other_port; /* where /redirect points, on 127.0.0.2 */
  atomic_uint waited;     /* requests /wait-once has seen */
  char log[LOG_MAX];
  size_t loglen;
};

struct conn {
  struct hostile *h;
  int fd;
};

/* Waits up to |ms| for |fd| to be readable, waking every 50 ms to check
 * the stop flag. 1 readable, 0 timeout, -1 stopping. */
static int wait_in(struct hostile *h, int fd, int ms) {
  for (int waited = 0; ms < 0 || waited < ms; waited += 50) {
    if (atomic_load(&h->stop))
      return -1;
    struct pollfd p = {fd, POLLIN, 0};
    int r = poll(&p, 1, 50);
    if (r > 0)
      return 1;
  }
  return 0;
}

static int send_all(struct hostile *h, int fd, const void *p, size_t n) {
  const char *c = p;
  while (n) {
    if (atomic_load(&h->stop))
      return -1;
    struct pollfd pf = {fd, POLLOUT, 0};
    if (poll(&pf, 1, 50) <= 0)
      continue;
    ssize_t w = send(fd, c, n, MSG_NOSIGNAL);
    if (w <= 0)
      return -1;
    c += w;
    n -= (size_t)w;
  }
  return 0;
}

static int sends(struct hostile *h, int fd, const char *s) {
  return send_all(h, fd, s, strlen(s));
}

static void hang(struct hostile *h, int fd) {
  char b[512];
  while (wait_in(h, fd, -1) == 1)
    if (recv(fd, b, sizeof b, 0) <= 0)
      break; /* the client gave up */
}

static void rst_close(int fd) {
  struct linger l = {1, 0};
  setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
  close(fd);
}

/* ---- the gzip bomb ------------------------------------------------------ */

/* RFC 1952 member holding one RFC 1951 dynamic-Huffman block that inflates
 * to BOMB_SIZE zero bytes: a literal 0, then <length 258, distance 1>
 * pairs of two bits each (code 285 and distance code 0 both one bit long),
 * three more literals and the end-of-block code: about 1 MB that inflates
 * to 1 GiB, written by hand so that the tests need no zlib. */
#define BOMB_SIZE (1u << 30)

struct bits {
  unsigned char *p;
  size_t n; /* bits written */
};

/* |nbits| bits of |v|, least significant first (RFC 1951 3.1.1). */
static void put_bits(struct bits *b, uint32_t v, unsigned nbits) {
  for (unsigned i = 0; i < nbits; i++, b->n++)
    if (v >> i & 1)
      b->p[b->n / 8] |= (unsigned char)(1u << (b->n % 8));
}

/* A Huffman code, most significant bit first. */
static void put_code(struct bits *b, uint32_t code, unsigned len) {
  for (unsigned i = len; i-- > 0; b->n++)
    if (code >> i & 1)
      b->p[b->n / 8] |= (unsigned char)(1u << (b->n % 8));
}

/* CRC-32 arithmetic modulo the reflected polynomial, as in zlib's
 * crc32_combine: a * b mod P. */
static uint32_t multmodp(uint32_t a, uint32_t b) {
  uint32_t m = 1u << 31, p = 0;
  for (;;) {
    if (a & m) {
      p ^= b;
      if ((a & (m - 1)) == 0)
        break;
    }
    m >>= 1;
    b = b & 1 ? (b >> 1) ^ 0xedb88320u : b >> 1;
  }
  return p;
}

/* CRC-32 of |n| zero bytes: the initial register times x^(8n). */
static uint32_t crc32_zeros(uint64_t n) {
  uint32_t p = 1u << 31, x8 = 1u << 23; /* 1 and x^8 */
  for (; n; n >>= 1, x8 = multmodp(x8, x8))
    if (n & 1)
      p = multmodp(p, x8);
  return multmodp(p, 0xffffffffu) ^ 0xffffffffu;
}

static unsigned char *bomb;
static size_t bomb_len;

static void bomb_make(void) {
  const uint64_t pairs = (BOMB_SIZE - 1) / 258, tail = BOMB_SIZE - 1 - pairs * 258;
  size_t cap = 10 + 64 + (size_t)(pairs * 2 / 8) + 16 + 8;
  struct bits b = {calloc(1, cap), 0};
  if (!b.p)
    return;
  static const unsigned char head[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255};
  memcpy(b.p, head, sizeof head);
  b.n = 8 * sizeof head;
  put_bits(&b, 1, 1);  /* BFINAL */
  put_bits(&b, 2, 2);  /* BTYPE dynamic */
  put_bits(&b, 29, 5); /* HLIT: 286 literal/length codes */
  put_bits(&b, 0, 5);  /* HDIST: 1 distance code */
  put_bits(&b, 14, 4); /* HCLEN: 18 code length codes */
  /* code length code lengths in RFC order 16 17 18 0 8 7 9 6 10 5 11 4
   * 12 3 13 2 14 1: symbol 18 one bit, symbols 1 and 2 two bits */
  static const unsigned char cl[18] = {0, 0, 1, 0, 0, 0, 0, 0, 0,
                                       0, 0, 0, 0, 0, 0, 2, 0, 2};
  for (int i = 0; i < 18; i++)
    put_bits(&b, cl[i], 3);
  /* canonical codes: 18 -> 0, 1 -> 10, 2 -> 11 */
  /* literal/length lengths: 0 -> 2, 1..255 -> 0, 256 -> 2, 257..284 -> 0,
   * 285 -> 1; then the distance length: 0 -> 1 */
  put_code(&b, 3, 2);  /* 2 */
  put_code(&b, 0, 1);  /* 18: 138 zeros */
  put_bits(&b, 127, 7);
  put_code(&b, 0, 1);  /* 18: 117 zeros */
  put_bits(&b, 106, 7);
  put_code(&b, 3, 2);  /* 2 (end of block) */
  put_code(&b, 0, 1);  /* 18: 28 zeros */
  put_bits(&b, 17, 7);
  put_code(&b, 2, 2);  /* 1 (length 258) */
  put_code(&b, 2, 2);  /* 1 (distance 1) */
  /* canonical codes: 285 -> 0, 0 -> 10, 256 -> 11; distance 0 -> 0 */
  put_code(&b, 2, 2); /* the first zero, a literal */
  b.n += (size_t)pairs * 2; /* each pair: 285 "0", distance "0" */
  for (uint64_t i = 0; i < tail; i++)
    put_code(&b, 2, 2);
  put_code(&b, 3, 2); /* end of block */
  size_t n = (b.n + 7) / 8;
  uint32_t crc = crc32_zeros(BOMB_SIZE), size = BOMB_SIZE;
  for (int i = 0; i < 4; i++)
    b.p[n + (size_t)i] = (unsigned char)(crc >> (8 * i));
  for (int i = 0; i < 4; i++)
    b.p[n + 4 + (size_t)i] = (unsigned char)(size >> (8 * i));
  bomb = b.p;
  bomb_len = n + 8;
}

const unsigned char *hostile_gzip_bomb(size_t *len) {
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once(&once, bomb_make);
  *len = bomb_len;
  return bomb;
}

/* 100 ms, the drip interval; -1 when the server is stopping. */
static int drip_pause(struct hostile *h) {
  nanosleep(&(struct timespec){0, 100000000}, NULL);
  return atomic_load(&h->stop) ? -1 : 0;
}

/* A 200 answer of |ctype| carrying the |n| bytes at |body|. */
static void answer(struct hostile *h, int fd, const char *ctype,
                   const char *body, size_t n) {
  char head[256];
  snprintf(head, sizeof head,
           "HTTP/1.1 200 OK\r\nContent-Type: %s\r\n"
           "Content-Length: %zu\r\n\r\n",
           ctype, n);
  if (!sends(h, fd, head))
    send_all(h, fd, body, n);
}

static void serve(struct hostile *h, int fd, const char *path,
                  const char *query) {
  static const char zeros[16384];
  char line[1400];
  if (!strcmp(path, "/ok")) {
    sends(h, fd, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                 "Content-Length: 2\r\nConnection: close\r\n\r\nOK");
  } else if (!strcmp(path, "/wait-once")) {
    /* 003's RATE_LIMITED with a Retry-After, then OK */
    if (atomic_fetch_add(&h->waited, 1) == 0)
      sends(h, fd, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                   "Retry-After: 1\r\nContent-Length: 12\r\n"
                   "Connection: close\r\n\r\nRATE_LIMITED");
    else
      sends(h, fd, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                   "Content-Length: 2\r\nConnection: close\r\n\r\nOK");
  } else if (!strcmp(path, "/hang")) {
    hang(h, fd);
  } else if (!strcmp(path, "/hang-body")) {
    sends(h, fd, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                 "Content-Length: 100\r\n\r\n0123456789");
    hang(h, fd);
  } else if (!strcmp(path, "/big")) {
    sends(h, fd, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                 "Content-Length: 52428800\r\n\r\n");
    for (size_t sent = 0; sent < 52428800u; sent += sizeof zeros)
      if (send_all(h, fd, zeros, sizeof zeros))
        break;
  } else if (!strcmp(path, "/endless")) {
    sends(h, fd, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                 "Transfer-Encoding: chunked\r\n\r\n");
    while (!sends(h, fd, "4000\r\n") && !send_all(h, fd, zeros, 16384) &&
           !sends(h, fd, "\r\n"))
      ;
  } else if (!strcmp(path, "/bad-chunk")) {
    sends(h, fd, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                 "ZZZ\r\nhello\r\n");
  } else if (!strcmp(path, "/reset")) {
    rst_close(fd);
    return;
  } else if (!strcmp(path, "/reset-mid")) {
    sends(h, fd, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nACCESS_");
    nanosleep(&(struct timespec){0, 50000000}, NULL);
    rst_close(fd);
    return;
  } else if (!strcmp(path, "/headers")) {
    sends(h, fd, "HTTP/1.1 200 OK\r\n");
    for (int i = 0; i < 10000; i++) {
      snprintf(line, sizeof line, "X-Junk-%d: %d\r\n", i, i);
      if (sends(h, fd, line))
        break;
    }
    sends(h, fd, "Content-Length: 2\r\n\r\nOK");
  } else if (!strcmp(path, "/http09")) {
    sends(h, fd, "ACCESS_BALANCE:100\r\nno status line here\r\n");
  } else if (!strcmp(path, "/redirect")) {
    /* the request's own query, key and all, to another host */
    snprintf(line, sizeof line,
             "HTTP/1.1 302 Found\r\nLocation: http://127.0.0.2:%u/steal%s%.1024s"
             "\r\nContent-Length: 0\r\n\r\n",
             atomic_load(&h->other_port), *query ? "?" : "", query);
    sends(h, fd, line);
  } else if (!strcmp(path, "/redirect-file")) {
    sends(h, fd, "HTTP/1.1 302 Found\r\nLocation: file:///etc/passwd\r\n"
                 "Content-Length: 0\r\n\r\n");
  } else if (!strcmp(path, "/redirect-loop")) {
    sends(h, fd, "HTTP/1.1 302 Found\r\nLocation: /redirect-loop\r\n"
                 "Content-Length: 0\r\n\r\n");
  } else if (!strcmp(path, "/1xx")) {
    for (int i = 0; i < 1000; i++)
      if (sends(h, fd, "HTTP/1.1 100 Continue\r\n\r\n"))
        break;
    hang(h, fd);
  } else if (!strcmp(path, "/binary")) {
    static const char body[] = "ACCESS_BALANCE:\xff\xfe\x00\x01\xc3";
    answer(h, fd, "text/plain", body, sizeof body - 1);
  } else if (!strcmp(path, "/markup")) {
    static const char body[] =
        "<script>alert(1)</script>]]><![CDATA[&amp;\x01\x1b[31mRED\x1b[0m"
        "\x1b]0;title\x07";
    answer(h, fd, "text/html", body, sizeof body - 1);
  } else if (!strcmp(path, "/drip-head")) {
    /* slowloris: a status line, then one header line every 100 ms */
    int ok = !sends(h, fd, "HTTP/1.1 200 OK\r\n");
    for (unsigned i = 0; ok && !drip_pause(h); i++) {
      snprintf(line, sizeof line, "X-Drip-%u: %u\r\n", i, i);
      ok = !sends(h, fd, line);
    }
  } else if (!strcmp(path, "/drip-body")) {
    /* slowloris: a promised megabyte, one byte every 100 ms */
    int ok = !sends(h, fd, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                           "Content-Length: 1048576\r\n\r\n");
    while (ok && !drip_pause(h))
      ok = !sends(h, fd, "A");
  } else if (!strcmp(path, "/gzip")) {
    /* sent whether or not the client accepts an encoding */
    size_t n;
    const unsigned char *gz = hostile_gzip_bomb(&n);
    snprintf(line, sizeof line,
             "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
             "Content-Encoding: gzip\r\nContent-Length: %zu\r\n\r\n",
             n);
    if (gz && !sends(h, fd, line))
      send_all(h, fd, gz, n);
  } else if (!strcmp(path, "/tls-alert")) {
    /* a TLS record (fatal alert, protocol_version) to a plain request */
    static const char alert[] = "\x15\x03\x03\x00\x02\x02\x46";
    send_all(h, fd, alert, sizeof alert - 1);
  } else if (!strcmp(path, "/bad-utf8")) {
    /* a token, then invalid UTF-8 (overlong '/', a surrogate, past
     * U+10FFFF, a lone continuation byte, a cut sequence), NULs and C1
     * controls (U+009B is CSI; so is a lone 0x9b to a Latin-1 terminal) */
    static const char body[] = "ACCESS_BALANCE:1\xc0\xaf\xed\xa0\x80"
                               "\xf4\x90\x80\x80\x80\x00\x00\xc2\x9b"
                               "2J\x9b" "31m\xc2\x9d" "0;t\xc2\x9c\xe2\x82";
    snprintf(line, sizeof line,
             "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8"
             "\r\nContent-Length: %zu\r\n\r\n",
             sizeof body - 1);
    sends(h, fd, line);
    send_all(h, fd, body, sizeof body - 1);
  } else if (!strcmp(path, "/escapes")) {
    /* terminal escapes (CSI, OSC title and hyperlink, BEL, backspace,
     * carriage return) in the reason phrase, the headers and the body */
    static const char body[] =
        "ACCESS_BALANCE:\x1b[31m100\x1b[0m\x1b]0;pwned\x07\x1b[2J\x08\r"
        "\x1b]8;;http://evil.example/\x1b\\click\x1b]8;;\x1b\\\x7f\x01";
    snprintf(line, sizeof line,
             "HTTP/1.1 200 \x1b[2J\x1b]0;pwned\x07OK\x01\r\n"
             "Content-Type: text/plain\x1b[5m\r\n"
             "X-Evil: \x1b[31mred\x1b[0m\x08\x7f\r\n"
             "Content-Length: %zu\r\n\r\n",
             sizeof body - 1);
    sends(h, fd, line);
    send_all(h, fd, body, sizeof body - 1);
  } else if (!strcmp(path, "/markup-token")) {
    /* the markup after a token, where messages quote the body */
    static const char body[] =
        "ACCESS_BALANCE:<script>alert(1)</script>]]><!-- --></td>"
        "<img src=x onerror=alert(2)>&amp;\"'`";
    answer(h, fd, "text/plain", body, sizeof body - 1);
  } else {
    sends(h, fd, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
  }
  close(fd);
}

static void *conn_main(void *arg) {
  struct conn *c = arg;
  struct hostile *h = c->h;
  int fd = c->fd;
  free(c);
  char head[8192];
  size_t n = 0;
  while (n + 1 < sizeof head && wait_in(h, fd, 5000) == 1) {
    ssize_t r = recv(fd, head + n, sizeof head - 1 - n, 0);
    if (r <= 0)
      break;
    n += (size_t)r;
    head[n] = '\0';
    /* a TLS ClientHello (record type 22) has no blank line: answer it */
    if (strstr(head, "\r\n\r\n") || head[0] == 0x16)
      break;
  }
  head[n] = '\0';
  char method[16] = "", path[1024] = "";
  sscanf(head, "%15s %1023s", method, path);
  char *q = strchr(path, '?');
  if (q)
    *q++ = '\0';
  pthread_mutex_lock(&h->mu);
  h->requests++;
  if (h->loglen + n + 2 < LOG_MAX) {
    memcpy(h->log + h->loglen, head, n);
    h->loglen += n;
    h->log[h->loglen++] = '\n';
    h->log[h->loglen] = '\0';
  }
  pthread_mutex_unlock(&h->mu);
  serve(h, fd, h->mode[0] ? h->mode : path, q ? q : "");
  return NULL;
}

static void *accept_main(void *arg) {
  struct hostile *h = arg;
  while (wait_in(h, h->fd, -1) == 1) {
    int fd = accept(h->fd, NULL, NULL);
    if (fd < 0)
      continue;
    struct conn *c = malloc(sizeof *c);
    pthread_mutex_lock(&h->mu);
    int full = h->nconns == MAX_CONNS;
    pthread_mutex_unlock(&h->mu);
    if (!c || full) {
      free(c);
      close(fd);
      continue;
    }
    c->h = h;
    c->fd = fd;
    pthread_t t;
    if (pthread_create(&t, NULL, conn_main, c)) {
      free(c);
      close(fd);
      continue;
    }
    pthread_mutex_lock(&h->mu);
    h->conns[h->nconns++] = t;
    pthread_mutex_unlock(&h->mu);
  }
  return NULL;
}

struct hostile *hostile_start_at(const char *addr, const char *behaviour) {
  struct sockaddr_in sa = {0};
  sa.sin_family = AF_INET;
  if (inet_pton(AF_INET, addr, &sa.sin_addr) != 1 ||
      (behaviour && strlen(behaviour) >= sizeof ((struct hostile *)0)->mode))
    return NULL;
  struct hostile *h = calloc(1, sizeof *h);
  if (!h)
    return NULL;
  pthread_mutex_init(&h->mu, NULL);
  if (behaviour)
    strcpy(h->mode, behaviour);
  atomic_store(&h->other_port, 9u); /* discard: nothing listens there */
  h->fd = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(h->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  socklen_t len = sizeof sa;
  if (h->fd < 0 || bind(h->fd, (struct sockaddr *)&sa, sizeof sa) ||
      listen(h->fd, 64) ||
      getsockname(h->fd, (struct sockaddr *)&sa, &len) ||
      pthread_create(&h->th, NULL, accept_main, h)) {
    if (h->fd >= 0)
      close(h->fd);
    free(h);
    return NULL;
  }
  h->port = ntohs(sa.sin_port);
  return h;
}

struct hostile *hostile_start(void) {
  return hostile_start_at("127.0.0.1", NULL);
}

struct hostile *hostile_start_mode(const char *behaviour) {
  return hostile_start_at("127.0.0.1", behaviour);
}

void hostile_redirect_to(struct hostile *h, unsigned port) {
  atomic_store(&h->other_port, port);
}

unsigned hostile_port(const struct hostile *h) { return h->port; }

unsigned hostile_requests(struct hostile *h) {
  pthread_mutex_lock(&h->mu);
  unsigned n = h->requests;
  pthread_mutex_unlock(&h->mu);
  return n;
}

int hostile_saw(struct hostile *h, const char *s) {
  pthread_mutex_lock(&h->mu);
  int r = strstr(h->log, s) != NULL;
  pthread_mutex_unlock(&h->mu);
  return r;
}

void hostile_stop(struct hostile *h) {
  if (!h)
    return;
  atomic_store(&h->stop, 1);
  pthread_join(h->th, NULL);
  for (int i = 0; i < h->nconns; i++)
    pthread_join(h->conns[i], NULL);
  close(h->fd);
  pthread_mutex_destroy(&h->mu);
  free(h);
}
