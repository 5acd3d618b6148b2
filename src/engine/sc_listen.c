/* sc_listen.c — see sc_listen.h.
 *
 * One libmicrohttpd daemon with its own polling thread. Per connection a
 * struct req gathers the upload; when it is complete the POST is numbered
 * and recorded under |mu|, its status taken from the script, and waiters
 * on |cv| (CLOCK_MONOTONIC) are woken. */
#include "sc_listen.h"

#include "sc_alloc.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

struct sc_listen {
  struct MHD_Daemon *daemon;
  unsigned port;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int mu_ok, cv_ok;
  /* guarded by mu */
  struct sc_listen_hit *hits;
  size_t nhits;   /* stored */
  size_t count;   /* received */
  double last_at; /* monotonic seconds of the last POST; 0 = none */
  int *script;    /* statuses for POST 0..nscript-1 */
  size_t nscript;
  int then; /* for every later one */
};

/* One request being received. */
struct req {
  char *body;
  size_t len;
  int truncated;
};

static double mono(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static enum MHD_Result reply(struct MHD_Connection *conn, unsigned status,
                             const char *text) {
  struct MHD_Response *resp = MHD_create_response_from_buffer(
      strlen(text), (void *)(uintptr_t)text, MHD_RESPMEM_PERSISTENT);
  if (!resp)
    return MHD_NO;
  MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
                          "text/plain; charset=utf-8");
  enum MHD_Result ret = MHD_queue_response(conn, status, resp);
  MHD_destroy_response(resp);
  return ret;
}

/* Appends |n| bytes to |r|, keeping at most SC_LISTEN_BODY_MAX. */
static int req_add(struct req *r, const char *p, size_t n) {
  if (r->len + n > SC_LISTEN_BODY_MAX) {
    r->truncated = 1;
    n = SC_LISTEN_BODY_MAX - r->len;
  }
  if (!n)
    return 0;
  char *nb = sc_realloc(r->body, r->len + n + 1);
  if (!nb)
    return -1;
  memcpy(nb + r->len, p, n);
  r->body = nb;
  r->len += n;
  r->body[r->len] = '\0';
  return 0;
}

/* Numbers and records a complete POST; returns the status to answer. */
static int record(struct sc_listen *l, struct MHD_Connection *conn,
                  const char *url, struct req *r) {
  const char *ct =
      MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Type");
  pthread_mutex_lock(&l->mu);
  size_t k = l->count++;
  int status = k < l->nscript ? l->script[k] : l->then;
  if (l->nhits < SC_LISTEN_HITS_MAX) {
    struct sc_listen_hit *h = &l->hits[l->nhits++];
    memset(h, 0, sizeof *h);
    snprintf(h->path, sizeof h->path, "%s", url ? url : "");
    snprintf(h->content_type, sizeof h->content_type, "%s", ct ? ct : "");
    h->body = r->body ? r->body : sc_strdup("");
    h->len = r->body ? r->len : 0;
    h->truncated = r->truncated;
    h->status = status;
    r->body = NULL; /* the hit owns it now */
    if (!h->body)   /* out of memory: keep the hit without a body */
      h->len = 0;
  }
  l->last_at = mono();
  pthread_cond_broadcast(&l->cv);
  pthread_mutex_unlock(&l->mu);
  return status;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
                                  const char *url, const char *method,
                                  const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls) {
  (void)version;
  struct sc_listen *l = cls;
  struct req *r = *con_cls;
  if (!r) {
    r = sc_calloc(1, sizeof *r);
    if (!r)
      return MHD_NO;
    *con_cls = r;
    return MHD_YES;
  }
  if (*upload_size) {
    if (req_add(r, upload, *upload_size))
      r->truncated = 1; /* out of memory: what came so far is kept */
    *upload_size = 0;
    return MHD_YES;
  }
  if (strcmp(method, "POST") != 0)
    return reply(conn, 405, "POST only\n");
  int status = record(l, conn, url, r);
  return reply(conn, (unsigned)status, status == 200 ? "OK\n" : "refused\n");
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe) {
  (void)cls;
  (void)conn;
  (void)toe;
  struct req *r = *con_cls;
  if (!r)
    return;
  sc_free(r->body);
  sc_free(r);
  *con_cls = NULL;
}

struct sc_listen *sc_listen_new(char *err, size_t errlen) {
  struct sc_listen *l = sc_calloc(1, sizeof *l);
  pthread_condattr_t ca;
  int ca_ok = 0;
  if (!l || !(l->hits = sc_calloc(SC_LISTEN_HITS_MAX, sizeof *l->hits))) {
    snprintf(err, errlen, "out of memory");
    goto fail;
  }
  l->then = 200;
  if (pthread_mutex_init(&l->mu, NULL)) {
    snprintf(err, errlen, "pthread_mutex_init failed");
    goto fail;
  }
  l->mu_ok = 1;
  ca_ok = pthread_condattr_init(&ca) == 0;
  if (!ca_ok || pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) ||
      pthread_cond_init(&l->cv, &ca)) {
    snprintf(err, errlen, "pthread_cond_init failed");
    goto fail;
  }
  l->cv_ok = 1;
  pthread_condattr_destroy(&ca);
  ca_ok = 0;
  struct sockaddr_in sa;
  memset(&sa, 0, sizeof sa);
  sa.sin_family = AF_INET;
  sa.sin_port = 0;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  l->daemon = MHD_start_daemon(
      MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO, 0, NULL, NULL, on_request,
      l, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
      MHD_OPTION_NOTIFY_COMPLETED, on_completed, l, MHD_OPTION_CONNECTION_LIMIT,
      (unsigned)64, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)10,
      MHD_OPTION_END);
  if (!l->daemon) {
    snprintf(err, errlen, "cannot listen on 127.0.0.1: %s", strerror(errno));
    goto fail;
  }
  const union MHD_DaemonInfo *di =
      MHD_get_daemon_info(l->daemon, MHD_DAEMON_INFO_BIND_PORT);
  l->port = di ? di->port : 0;
  if (!l->port) {
    snprintf(err, errlen, "cannot learn the listener's port");
    goto fail;
  }
  return l;
fail:
  if (ca_ok)
    pthread_condattr_destroy(&ca);
  sc_listen_destroy(l);
  return NULL;
}

void sc_listen_destroy(struct sc_listen *l) {
  if (!l)
    return;
  if (l->daemon)
    MHD_stop_daemon(l->daemon); /* joins its thread: no request after */
  for (size_t i = 0; l->hits && i < l->nhits; i++)
    sc_free(l->hits[i].body);
  sc_free(l->hits);
  sc_free(l->script);
  if (l->cv_ok)
    pthread_cond_destroy(&l->cv);
  if (l->mu_ok)
    pthread_mutex_destroy(&l->mu);
  sc_free(l);
}

unsigned sc_listen_port(const struct sc_listen *l) {
  return l ? l->port : 0;
}

int sc_listen_url(const struct sc_listen *l, const char *path, char *buf,
                  size_t n) {
  int k = snprintf(buf, n, "http://127.0.0.1:%u%s", l->port, path);
  return k < 0 || (size_t)k >= n ? -1 : 0;
}

int sc_listen_script(struct sc_listen *l, const int *statuses, size_t n,
                     int then) {
  if (then < 100 || then > 599 || (n && !statuses))
    return -1;
  for (size_t i = 0; i < n; i++)
    if (statuses[i] < 100 || statuses[i] > 599)
      return -1;
  int *copy = n ? sc_malloc(n * sizeof *copy) : NULL;
  if (n && !copy)
    return -1;
  if (n)
    memcpy(copy, statuses, n * sizeof *copy);
  pthread_mutex_lock(&l->mu);
  sc_free(l->script);
  l->script = copy;
  l->nscript = n;
  l->then = then;
  pthread_mutex_unlock(&l->mu);
  return 0;
}

size_t sc_listen_count(struct sc_listen *l) {
  pthread_mutex_lock(&l->mu);
  size_t n = l->count;
  pthread_mutex_unlock(&l->mu);
  return n;
}

void sc_listen_hit_free(struct sc_listen_hit *h) {
  if (!h)
    return;
  sc_free(h->body);
  memset(h, 0, sizeof *h);
}

int sc_listen_hit(struct sc_listen *l, size_t i, struct sc_listen_hit *out) {
  memset(out, 0, sizeof *out);
  int rc = -1;
  pthread_mutex_lock(&l->mu);
  if (i < l->nhits) {
    *out = l->hits[i];
    out->body = sc_malloc(l->hits[i].len + 1);
    if (out->body) {
      memcpy(out->body, l->hits[i].body ? l->hits[i].body : "", l->hits[i].len);
      out->body[l->hits[i].len] = '\0';
      rc = 0;
    }
  }
  pthread_mutex_unlock(&l->mu);
  if (rc)
    memset(out, 0, sizeof *out);
  return rc;
}

/* |at| (monotonic seconds) as an absolute timespec for the cv. */
static struct timespec abs_time(double at) {
  struct timespec ts;
  ts.tv_sec = (time_t)at;
  ts.tv_nsec = (long)((at - (double)ts.tv_sec) * 1e9);
  if (ts.tv_nsec >= 1000000000L) {
    ts.tv_sec++;
    ts.tv_nsec -= 1000000000L;
  }
  return ts;
}

size_t sc_listen_wait(struct sc_listen *l, size_t n, long timeout_ms) {
  double end = mono() + (double)(timeout_ms > 0 ? timeout_ms : 0) / 1000.0;
  pthread_mutex_lock(&l->mu);
  while (l->count < n && mono() < end) {
    struct timespec ts = abs_time(end);
    pthread_cond_timedwait(&l->cv, &l->mu, &ts);
  }
  size_t got = l->count;
  pthread_mutex_unlock(&l->mu);
  return got;
}

size_t sc_listen_settle(struct sc_listen *l, long quiet_ms, long timeout_ms) {
  double start = mono();
  double end = start + (double)(timeout_ms > 0 ? timeout_ms : 0) / 1000.0;
  double quiet = (double)(quiet_ms > 0 ? quiet_ms : 0) / 1000.0;
  pthread_mutex_lock(&l->mu);
  for (;;) {
    double now = mono();
    /* quiet since the later of the start and the last POST */
    double from = l->last_at > start ? l->last_at : start;
    if (now >= from + quiet || now >= end)
      break;
    double until = from + quiet < end ? from + quiet : end;
    struct timespec ts = abs_time(until);
    pthread_cond_timedwait(&l->cv, &l->mu, &ts);
  }
  size_t got = l->count;
  pthread_mutex_unlock(&l->mu);
  return got;
}
