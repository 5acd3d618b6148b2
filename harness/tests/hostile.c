/* hostile.c — see hostile.h. */
#include "hostile.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
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

static void serve(struct hostile *h, int fd, const char *path) {
  static const char zeros[16384];
  char line[256];
  if (!strcmp(path, "/ok")) {
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
    sends(h, fd, "HTTP/1.1 302 Found\r\nLocation: http://127.0.0.2:9/steal\r\n"
                 "Content-Length: 0\r\n\r\n");
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
    snprintf(line, sizeof line,
             "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
             "Content-Length: %zu\r\n\r\n",
             sizeof body - 1);
    sends(h, fd, line);
    send_all(h, fd, body, sizeof body - 1);
  } else if (!strcmp(path, "/markup")) {
    static const char body[] =
        "<script>alert(1)</script>]]><![CDATA[&amp;\x01\x1b[31mRED\x1b[0m"
        "\x1b]0;title\x07";
    snprintf(line, sizeof line,
             "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
             "Content-Length: %zu\r\n\r\n",
             sizeof body - 1);
    sends(h, fd, line);
    sends(h, fd, body);
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
    if (strstr(head, "\r\n\r\n"))
      break;
  }
  head[n] = '\0';
  char method[16] = "", path[1024] = "";
  sscanf(head, "%15s %1023s", method, path);
  char *q = strchr(path, '?');
  if (q)
    *q = '\0';
  pthread_mutex_lock(&h->mu);
  h->requests++;
  if (h->loglen + n + 2 < LOG_MAX) {
    memcpy(h->log + h->loglen, head, n);
    h->loglen += n;
    h->log[h->loglen++] = '\n';
    h->log[h->loglen] = '\0';
  }
  pthread_mutex_unlock(&h->mu);
  serve(h, fd, path);
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

struct hostile *hostile_start(void) {
  struct hostile *h = calloc(1, sizeof *h);
  if (!h)
    return NULL;
  pthread_mutex_init(&h->mu, NULL);
  h->fd = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(h->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in sa = {0};
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
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
