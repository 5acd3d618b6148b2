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

/* One request between the caller's thread and the I/O thread. */
struct job {
  const struct sc_http_req *req;
  struct sc_http_resp *resp;
  CURL *easy;
  struct curl_slist *hl;
  struct sc_buf body, head;
  size_t nheaders;
  int too_big, bad_headers;
  CURLcode rc;
  double t0;
  int done;
  char errbuf[CURL_ERROR_SIZE];
  struct job *next;
};

struct sc_http {
  struct sc_http_opts o;
  CURLM *multi;
  pthread_t th;
  int th_ok;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  /* guarded by mu */
  struct job *head, *tail; /* waiting to start */
  unsigned running;
  int stop;
  double next_start;  /* rate limit: earliest next start (monotonic s) */
  double pause_until; /* Retry-After: no start before this */
  unsigned long requests;
  unsigned long long bytes;
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

/* Sets up the easy handle in the caller's thread. */
static int job_setup(struct sc_http *h, struct job *j) {
  const struct sc_http_req *rq = j->req;
  sc_buf_init(&j->body, h->o.max_body);
  sc_buf_init(&j->head, SC_HTTP_HEADERS_MAX);
  j->easy = curl_easy_init();
  if (!j->easy)
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
  CURL *e = j->easy;
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
  bad |= curl_easy_setopt(e, CURLOPT_PRIVATE, j) != CURLE_OK;
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
  curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_getinfo(j->easy, CURLINFO_CONTENT_TYPE, &ct);
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

static void job_free(struct job *j) {
  if (j->easy)
    curl_easy_cleanup(j->easy);
  curl_slist_free_all(j->hl);
  sc_buf_free(&j->body);
  sc_buf_free(&j->head);
}

/* The I/O thread: starts queued jobs within the limits, drives the multi
 * handle, hands finished jobs back. */
static void *io_main(void *arg) {
  struct sc_http *h = arg;
  pthread_mutex_lock(&h->mu);
  while (!h->stop) {
    double now = mono_now();
    while (h->head && h->running < h->o.jobs && now >= h->next_start &&
           now >= h->pause_until) {
      struct job *j = h->head;
      h->head = j->next;
      if (!h->head)
        h->tail = NULL;
      j->t0 = now;
      if (curl_multi_add_handle(h->multi, j->easy) != CURLM_OK) {
        j->rc = CURLE_OUT_OF_MEMORY;
        job_finish(j);
        j->done = 1;
        pthread_cond_broadcast(&h->cv);
        continue;
      }
      h->running++;
      h->requests++;
      if (h->o.rate > 0)
        h->next_start = (h->next_start > now ? h->next_start : now) +
                        1.0 / h->o.rate;
    }
    int wait_ms = 1000;
    if (h->head) {
      double until = h->next_start > h->pause_until ? h->next_start
                                                    : h->pause_until;
      double d = (until - now) * 1000.0;
      if (h->running < h->o.jobs && d < wait_ms)
        wait_ms = d > 1 ? (int)d : 1;
    }
    pthread_mutex_unlock(&h->mu);
    int still = 0;
    curl_multi_perform(h->multi, &still);
    CURLMsg *m;
    int left;
    while ((m = curl_multi_info_read(h->multi, &left))) {
      if (m->msg != CURLMSG_DONE)
        continue;
      struct job *j = NULL;
      curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&j);
      j->rc = m->data.result;
      curl_multi_remove_handle(h->multi, j->easy);
      job_finish(j);
      pthread_mutex_lock(&h->mu);
      h->running--;
      h->bytes += j->resp->len + j->resp->headers_len;
      j->done = 1;
      pthread_cond_broadcast(&h->cv);
      pthread_mutex_unlock(&h->mu);
    }
    curl_multi_poll(h->multi, NULL, 0, wait_ms, NULL);
    pthread_mutex_lock(&h->mu);
  }
  pthread_mutex_unlock(&h->mu);
  return NULL;
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
  h->multi = curl_multi_init();
  if (!h->multi || pthread_mutex_init(&h->mu, NULL)) {
    snprintf(err, errlen, "cannot set up libcurl");
    curl_multi_cleanup(h->multi);
    sc_free(h);
    return NULL;
  }
  pthread_cond_init(&h->cv, NULL);
  curl_multi_setopt(h->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS,
                    (long)h->o.jobs);
  if (pthread_create(&h->th, NULL, io_main, h)) {
    snprintf(err, errlen, "cannot start the I/O thread");
    sc_http_destroy(h);
    return NULL;
  }
  h->th_ok = 1;
  return h;
}

void sc_http_destroy(struct sc_http *h) {
  if (!h)
    return;
  if (h->th_ok) {
    pthread_mutex_lock(&h->mu);
    h->stop = 1;
    pthread_mutex_unlock(&h->mu);
    curl_multi_wakeup(h->multi);
    pthread_join(h->th, NULL);
  }
  curl_multi_cleanup(h->multi);
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

/* One attempt: queue, wake the I/O thread, wait. */
static int do_once(struct sc_http *h, const struct sc_http_req *req,
                   struct sc_http_resp *resp) {
  struct job j;
  memset(&j, 0, sizeof j);
  memset(resp, 0, sizeof *resp);
  j.req = req;
  j.resp = resp;
  if (job_setup(h, &j)) {
    job_free(&j);
    resp->err = SC_HTTP_NOMEM;
    snprintf(resp->errmsg, sizeof resp->errmsg, "cannot set up the request");
    return -1;
  }
  pthread_mutex_lock(&h->mu);
  if (h->stop) {
    pthread_mutex_unlock(&h->mu);
    job_free(&j);
    resp->err = SC_HTTP_OTHER;
    return -1;
  }
  if (h->tail)
    h->tail->next = &j;
  else
    h->head = &j;
  h->tail = &j;
  pthread_mutex_unlock(&h->mu);
  curl_multi_wakeup(h->multi);
  pthread_mutex_lock(&h->mu);
  while (!j.done)
    pthread_cond_wait(&h->cv, &h->mu);
  pthread_mutex_unlock(&h->mu);
  job_free(&j);
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

int sc_http_do(struct sc_http *h, const struct sc_http_req *req,
               struct sc_http_resp *resp) {
  int retries = 0;
  for (;;) {
    int rc = do_once(h, req, resp);
    resp->retries = retries;
    if (rc || req->no_retry || (resp->status != 429 && resp->status != 503) ||
        retries == 3)
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
