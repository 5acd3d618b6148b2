/* sc_http.c — the runner's HTTP transport (see sc_http.h). */
#include "sc_http.h"

#include "sc_alloc.h"
#include "sc_buf.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define HEADER_LINES_MAX 200
#define IDLE_MAX 64

static const char *const err_names[] = {
#define SC_HTTP_ERR_NAME(name, msg) #name,
    SC_HTTP_ERR_MAP(SC_HTTP_ERR_NAME)
#undef SC_HTTP_ERR_NAME
};
static const char *const err_msgs[] = {
#define SC_HTTP_ERR_MSG(name, msg) msg,
    SC_HTTP_ERR_MAP(SC_HTTP_ERR_MSG)
#undef SC_HTTP_ERR_MSG
};

const char *sc_http_err_name(enum sc_http_err e) {
  return (size_t)e < sizeof err_names / sizeof *err_names ? err_names[e]
                                                          : "?";
}

const char *sc_http_err_message(enum sc_http_err e) {
  return (size_t)e < sizeof err_msgs / sizeof *err_msgs ? err_msgs[e] : "?";
}

/* A stream: one libcurl multi handle carrying one easy handle, driven
 * by the thread whose transfer it carries. Between transfers the multi
 * keeps the stream's connection alive (keep-alive), and the easy handle
 * is reset, not remade. */
struct stream {
  CURLM *multi;
  CURL *easy;
};

/* One request, performed in its caller's thread on a stream. */
struct job {
  const struct sc_http_req *req;
  struct sc_http_resp *resp;
  struct stream *st;
  struct curl_slist *hl;
  struct sc_buf body, head;
  size_t nheaders;
  int too_big, bad_headers;
  CURLcode rc;
  double t0;
  char errbuf[CURL_ERROR_SIZE];
};

struct sc_http {
  struct sc_http_opts o;
  pthread_mutex_t mu;
  pthread_cond_t cv; /* a transfer ended: a slot under the cap is free */
  /* guarded by mu */
  unsigned running;
  double next_start;  /* rate limit: earliest next start (monotonic s) */
  double pause_until; /* Retry-After: no start before this */
  unsigned long requests;
  unsigned long long bytes;
  /* Streams between transfers. A transfer takes one with its slot, so
   * no more streams, and connections, are made than transfers can run at
   * once (|jobs|). */
  struct stream *idle[IDLE_MAX];
  size_t nidle;
};

static double mono_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static size_t on_body(char *p, size_t size, size_t n, void *ud) {
  struct job *j = ud;
  size_t len = size * n;
  if (sc_buf_add(&j->body, p, len)) {
    j->too_big = 1;
    return 0; /* aborts the transfer */
  }
  return len;
}

static size_t on_header(char *p, size_t size, size_t n, void *ud) {
  struct job *j = ud;
  size_t len = size * n;
  /* A new status line (after 1xx answers): keep only the final block. */
  if (len >= 5 && memcmp(p, "HTTP/", 5) == 0) {
    sc_buf_free(&j->head);
    sc_buf_init(&j->head, SC_HTTP_HEADERS_MAX);
    j->nheaders = 0;
  }
  if (++j->nheaders > HEADER_LINES_MAX || sc_buf_add(&j->head, p, len)) {
    j->bad_headers = 1;
    return 0;
  }
  return len;
}

static enum sc_http_err map_err(const struct job *j) {
  if (j->too_big)
    return SC_HTTP_TOO_BIG;
  if (j->bad_headers)
    return SC_HTTP_HEADERS;
  switch (j->rc) {
  case CURLE_OK:
    return SC_HTTP_OK;
  case CURLE_COULDNT_CONNECT:
  case CURLE_COULDNT_RESOLVE_HOST:
  case CURLE_COULDNT_RESOLVE_PROXY:
    return SC_HTTP_CONNECT;
  case CURLE_OPERATION_TIMEDOUT:
    return SC_HTTP_TIMEOUT;
  case CURLE_RECV_ERROR:
  case CURLE_SEND_ERROR:
  case CURLE_PARTIAL_FILE:
  case CURLE_GOT_NOTHING:
    return SC_HTTP_RESET;
  case CURLE_FILESIZE_EXCEEDED:
    return SC_HTTP_TOO_BIG;
  case CURLE_OUT_OF_MEMORY:
    return SC_HTTP_NOMEM;
  case CURLE_UNSUPPORTED_PROTOCOL:
  case CURLE_WEIRD_SERVER_REPLY:
  case CURLE_BAD_CONTENT_ENCODING:
  case CURLE_HTTP2:
  case CURLE_HTTP2_STREAM:
  case CURLE_URL_MALFORMAT:
    return SC_HTTP_PROTOCOL;
  case CURLE_SSL_CONNECT_ERROR:
  case CURLE_PEER_FAILED_VERIFICATION:
  case CURLE_SSL_CERTPROBLEM:
  case CURLE_SSL_CIPHER:
  case CURLE_SSL_CACERT_BADFILE:
    return SC_HTTP_TLS;
  default:
    return SC_HTTP_OTHER;
  }
}

static void stream_free(struct stream *st) {
  if (!st)
    return;
  if (st->easy)
    curl_easy_cleanup(st->easy);
  if (st->multi)
    curl_multi_cleanup(st->multi);
  sc_free(st);
}

static struct stream *stream_new(void) {
  struct stream *st = sc_calloc(1, sizeof *st);
  if (!st)
    return NULL;
  st->multi = curl_multi_init();
  st->easy = curl_easy_init();
  if (!st->multi || !st->easy) {
    stream_free(st);
    return NULL;
  }
  return st;
}

/* Sets up the stream start_slot gave |j| (or a new one). */
static int job_setup(struct sc_http *h, struct job *j) {
  const struct sc_http_req *rq = j->req;
  sc_buf_init(&j->body, h->o.max_body);
  sc_buf_init(&j->head, SC_HTTP_HEADERS_MAX);
  if (j->st)
    curl_easy_reset(j->st->easy);
  else
    j->st = stream_new();
  if (!j->st)
    return -1;
  for (size_t i = 0; rq->headers && rq->headers[i]; i++) {
    struct curl_slist *n = curl_slist_append(j->hl, rq->headers[i]);
    if (!n)
      return -1;
    j->hl = n;
  }
  /* No "Expect: 100-continue" round trip. */
  struct curl_slist *n = curl_slist_append(j->hl, "Expect:");
  if (!n)
    return -1;
  j->hl = n;
  CURL *e = j->st->easy;
  int bad = 0;
  bad |= curl_easy_setopt(e, CURLOPT_URL, rq->url) != CURLE_OK;
  bad |= curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L) != CURLE_OK;
  bad |= curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L) != CURLE_OK;
  bad |= curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https") !=
         CURLE_OK;
  bad |= curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, h->o.timeout_ms) != CURLE_OK;
  bad |= curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
                          h->o.timeout_ms < 5000 ? h->o.timeout_ms : 5000L) !=
         CURLE_OK;
  bad |= curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE,
                          (curl_off_t)h->o.max_body) != CURLE_OK;
  bad |= curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body) != CURLE_OK;
  bad |= curl_easy_setopt(e, CURLOPT_WRITEDATA, j) != CURLE_OK;
  bad |= curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header) != CURLE_OK;
  bad |= curl_easy_setopt(e, CURLOPT_HEADERDATA, j) != CURLE_OK;
  bad |= curl_easy_setopt(e, CURLOPT_ERRORBUFFER, j->errbuf) != CURLE_OK;
  bad |= curl_easy_setopt(e, CURLOPT_HTTPHEADER, j->hl) != CURLE_OK;
  bad |= curl_easy_setopt(e, CURLOPT_USERAGENT, "smsconform") != CURLE_OK;
  if (rq->body) {
    bad |= curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE,
                            (curl_off_t)rq->body_len) != CURLE_OK;
    bad |= curl_easy_setopt(e, CURLOPT_POSTFIELDS, rq->body) != CURLE_OK;
  }
  if (rq->method && strcmp(rq->method, "GET") != 0 &&
      !(rq->body && strcmp(rq->method, "POST") == 0))
    bad |= curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, rq->method) != CURLE_OK;
  if (rq->method && strcmp(rq->method, "HEAD") == 0)
    bad |= curl_easy_setopt(e, CURLOPT_NOBODY, 1L) != CURLE_OK;
  return bad ? -1 : 0;
}

static void job_finish(struct job *j) {
  struct sc_http_resp *r = j->resp;
  r->ms = (mono_now() - j->t0) * 1000.0;
  r->err = map_err(j);
  if (r->err != SC_HTTP_OK)
    snprintf(r->errmsg, sizeof r->errmsg, "%s",
             j->errbuf[0] ? j->errbuf : curl_easy_strerror(j->rc));
  long status = 0;
  char *ct = NULL;
  curl_easy_getinfo(j->st->easy, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_getinfo(j->st->easy, CURLINFO_CONTENT_TYPE, &ct);
  r->status = status;
  snprintf(r->ctype, sizeof r->ctype, "%s", ct ? ct : "");
  if (sc_buf_add(&j->body, "", 0) == 0) {
    r->body = sc_buf_take(&j->body, &r->len);
    if (!r->body)
      r->body = sc_strdup("");
  }
  if (!r->body && r->err == SC_HTTP_OK)
    r->err = SC_HTTP_NOMEM;
  if (sc_buf_add(&j->head, "", 0) == 0)
    r->headers = sc_buf_take(&j->head, &r->headers_len);
}

/* Releases what |j| holds; its stream goes back to |h|'s idle ones with
 * its connection. */
static void job_free(struct sc_http *h, struct job *j) {
  if (j->st) {
    pthread_mutex_lock(&h->mu);
    if (h->nidle < IDLE_MAX) {
      h->idle[h->nidle++] = j->st;
      j->st = NULL;
    }
    pthread_mutex_unlock(&h->mu);
    stream_free(j->st);
  }
  curl_slist_free_all(j->hl);
  sc_buf_free(&j->body);
  sc_buf_free(&j->head);
}

struct sc_http *sc_http_new(const struct sc_http_opts *opts, char *err,
                            size_t errlen) {
  struct sc_http *h = sc_calloc(1, sizeof *h);
  if (!h) {
    snprintf(err, errlen, "out of memory");
    return NULL;
  }
  if (opts)
    h->o = *opts;
  if (!h->o.jobs)
    h->o.jobs = 4;
  if (h->o.timeout_ms <= 0)
    h->o.timeout_ms = 10000;
  if (!h->o.max_body)
    h->o.max_body = 1 << 20;
  if (h->o.max_pause_ms <= 0)
    h->o.max_pause_ms = 10000;
  if (pthread_mutex_init(&h->mu, NULL)) {
    snprintf(err, errlen, "cannot set up libcurl");
    sc_free(h);
    return NULL;
  }
  pthread_cond_init(&h->cv, NULL);
  /* The streams are made here, in one thread: libcurl's global set-up
   * runs with the first of them, not in several callers at once. */
  while (h->nidle < h->o.jobs && h->nidle < IDLE_MAX) {
    struct stream *e = stream_new();
    if (!e) {
      snprintf(err, errlen, "cannot set up libcurl");
      sc_http_destroy(h);
      return NULL;
    }
    h->idle[h->nidle++] = e;
  }
  return h;
}

void sc_http_destroy(struct sc_http *h) {
  if (!h)
    return;
  for (size_t i = 0; i < h->nidle; i++)
    stream_free(h->idle[i]);
  pthread_cond_destroy(&h->cv);
  pthread_mutex_destroy(&h->mu);
  sc_free(h);
}

void sc_http_resp_free(struct sc_http_resp *r) {
  if (!r)
    return;
  sc_free(r->body);
  sc_free(r->headers);
  r->body = r->headers = NULL;
  r->len = r->headers_len = 0;
}

const char *sc_http_header(const struct sc_http_resp *r, const char *name,
                           char *buf, size_t n) {
  size_t nl = strlen(name);
  const char *p = r->headers;
  while (p && *p) {
    const char *eol = strchr(p, '\n');
    size_t len = eol ? (size_t)(eol - p) : strlen(p);
    if (len > nl && p[nl] == ':' && strncasecmp(p, name, nl) == 0) {
      const char *v = p + nl + 1;
      const char *end = p + len;
      while (v < end && (*v == ' ' || *v == '\t'))
        v++;
      while (end > v && (end[-1] == '\r' || end[-1] == ' '))
        end--;
      snprintf(buf, n, "%.*s", (int)(end - v), v);
      return buf;
    }
    p = eol ? eol + 1 : NULL;
  }
  return NULL;
}

void sc_http_stats(struct sc_http *h, unsigned long *requests,
                   unsigned long long *bytes) {
  pthread_mutex_lock(&h->mu);
  if (requests)
    *requests = h->requests;
  if (bytes)
    *bytes = h->bytes;
  pthread_mutex_unlock(&h->mu);
}

static void sleep_s(double s) {
  struct timespec ts;
  ts.tv_sec = (time_t)s;
  ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
  nanosleep(&ts, NULL);
}

/* Waits for a start within the cap, the rate and any Retry-After pause,
 * and takes it with an idle stream, if there is one, into |*st|: as no
 * more than |jobs| transfers run at once, no more than |jobs| streams
 * (and connections) are ever made. */
static void start_slot(struct sc_http *h, struct stream **st) {
  pthread_mutex_lock(&h->mu);
  for (;;) {
    double now = mono_now();
    if (h->running >= h->o.jobs) {
      pthread_cond_wait(&h->cv, &h->mu);
      continue;
    }
    double until =
        h->next_start > h->pause_until ? h->next_start : h->pause_until;
    if (now >= until) {
      h->running++;
      h->requests++;
      if (h->o.rate > 0)
        h->next_start = (h->next_start > now ? h->next_start : now) +
                        1.0 / h->o.rate;
      *st = h->nidle ? h->idle[--h->nidle] : NULL;
      pthread_mutex_unlock(&h->mu);
      return;
    }
    /* a short nap at most: a pause set meanwhile is seen on waking */
    double d = until - now;
    pthread_mutex_unlock(&h->mu);
    sleep_s(d < 0.05 ? d : 0.05);
    pthread_mutex_lock(&h->mu);
  }
}

/* Gives the slot back; |started| is false when the transfer could not
 * be set up (it is then not counted as a request). */
static void end_slot(struct sc_http *h, int started, size_t bytes) {
  pthread_mutex_lock(&h->mu);
  h->running--;
  if (!started)
    h->requests--;
  h->bytes += bytes;
  pthread_cond_signal(&h->cv);
  pthread_mutex_unlock(&h->mu);
}

/* Drives |st|'s multi handle until its one transfer ends, in the calling
 * thread; the transfer's own result. */
static CURLcode perform(struct stream *st) {
  if (curl_multi_add_handle(st->multi, st->easy) != CURLM_OK)
    return CURLE_OUT_OF_MEMORY;
  int running = 1;
  CURLMcode mc = CURLM_OK;
  for (;;) {
    mc = curl_multi_perform(st->multi, &running);
    if (mc != CURLM_OK || !running)
      break;
    /* returns early when libcurl's own timers (the request timeout among
     * them) fall due sooner */
    mc = curl_multi_poll(st->multi, NULL, 0, 1000, NULL);
    if (mc != CURLM_OK)
      break;
  }
  CURLcode rc = mc == CURLM_OUT_OF_MEMORY ? CURLE_OUT_OF_MEMORY
                                          : CURLE_FAILED_INIT;
  CURLMsg *m;
  int left;
  while ((m = curl_multi_info_read(st->multi, &left)))
    if (m->msg == CURLMSG_DONE && m->easy_handle == st->easy)
      rc = m->data.result;
  curl_multi_remove_handle(st->multi, st->easy);
  return rc;
}

/* One attempt, in the caller's thread on its stream: no hand-off to
 * another thread and back per request. */
static int do_once(struct sc_http *h, const struct sc_http_req *req,
                   struct sc_http_resp *resp) {
  struct job j;
  memset(&j, 0, sizeof j);
  memset(resp, 0, sizeof *resp);
  j.req = req;
  j.resp = resp;
  start_slot(h, &j.st);
  if (job_setup(h, &j)) {
    end_slot(h, 0, 0);
    job_free(h, &j);
    resp->err = SC_HTTP_NOMEM;
    snprintf(resp->errmsg, sizeof resp->errmsg, "cannot set up the request");
    return -1;
  }
  j.t0 = mono_now();
  j.rc = perform(j.st);
  job_finish(&j);
  end_slot(h, 1, resp->len + resp->headers_len);
  job_free(h, &j);
  return resp->err == SC_HTTP_OK ? 0 : -1;
}

/* Seconds of a Retry-After header in delta-seconds form; -1 otherwise. */
static long retry_after(const struct sc_http_resp *r) {
  char v[32];
  if (!sc_http_header(r, "Retry-After", v, sizeof v))
    return -1;
  char *end;
  long s = strtol(v, &end, 10);
  return (end != v && !*end && s >= 0) ? s : -1;
}

/* Whether the body of |r| is one of the answers that ask the client to
 * wait (opts.retry_bodies). */
static int asks_to_wait(const struct sc_http *h, const struct sc_http_resp *r) {
  size_t n = r->len;
  while (n && (r->body[n - 1] == '\n' || r->body[n - 1] == '\r'))
    n--;
  for (size_t i = 0; h->o.retry_bodies && h->o.retry_bodies[i]; i++)
    if (strlen(h->o.retry_bodies[i]) == n &&
        memcmp(r->body, h->o.retry_bodies[i], n) == 0)
      return 1;
  return 0;
}

int sc_http_do(struct sc_http *h, const struct sc_http_req *req,
               struct sc_http_resp *resp) {
  int retries = 0;
  for (;;) {
    int rc = do_once(h, req, resp);
    resp->retries = retries;
    int wait = resp->status == 429 || resp->status == 503 ||
               (!rc && resp->body && asks_to_wait(h, resp));
    if (rc || req->no_retry || !wait || retries == 3)
      return rc;
    long ra = retry_after(resp);
    if (ra < 0 || ra * 1000 > h->o.max_pause_ms)
      return rc;
    /* Pause every new request, not only this one: the endpoint asked. */
    pthread_mutex_lock(&h->mu);
    double until = mono_now() + (double)(ra ? ra : 1);
    if (until > h->pause_until)
      h->pause_until = until;
    pthread_mutex_unlock(&h->mu);
    sc_http_resp_free(resp);
    retries++;
  }
}
