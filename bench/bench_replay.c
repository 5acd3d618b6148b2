/* bench_replay.c — see bench_replay.h. */
#include "bench_replay.h"

#include "bench_util.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void die(const char *msg) {
  fprintf(stderr, "bench_replay: %s\n", msg);
  exit(1);
}

/* ---- the plan ------------------------------------------------------------ */

struct subst {
  const char *from, *to;
};

/* |s| with every occurrence of each |t[k].from| replaced by |t[k].to| (the
 * first that matches at a position wins); NULL for NULL |s|. */
static char *substitute(const char *s, const struct subst *t, size_t nt) {
  if (!s)
    return NULL;
  size_t cap = strlen(s) + 64, o = 0;
  char *out = malloc(cap);
  if (!out)
    die("out of memory");
  for (const char *p = s; *p;) {
    const char *to = NULL;
    size_t skip = 1;
    for (size_t k = 0; k < nt && !to; k++)
      if (strncmp(p, t[k].from, strlen(t[k].from)) == 0) {
        to = t[k].to;
        skip = strlen(t[k].from);
      }
    size_t tl = to ? strlen(to) : 1;
    if (o + tl + 1 > cap && !(out = realloc(out, cap = cap * 2 + tl)))
      die("out of memory");
    memcpy(out + o, to ? to : p, tl);
    o += tl;
    p += skip;
  }
  out[o] = '\0';
  return out;
}

/* Replaces |*s| by |*s| with |t| substituted. */
static void substitute_in(char **s, const struct subst *t, size_t nt) {
  char *n = substitute(*s, t, nt);
  free(*s);
  *s = n;
}

static char *dup_str(const cJSON *o, const char *k) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
  char *s = cJSON_IsString(v) ? strdup(v->valuestring) : NULL;
  if (cJSON_IsString(v) && !s)
    die("out of memory");
  return s;
}

static cJSON *read_json(const char *dir) {
  char path[1024];
  snprintf(path, sizeof path, "%s/recording.json", dir);
  FILE *f = fopen(path, "rb");
  if (!f)
    die("cannot read the recording");
  fseek(f, 0, SEEK_END);
  long len = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = len >= 0 ? malloc((size_t)len + 1) : NULL;
  if (!buf || fread(buf, 1, (size_t)len, f) != (size_t)len)
    die("cannot read the recording");
  fclose(f);
  cJSON *root = cJSON_ParseWithLength(buf, (size_t)len);
  free(buf);
  if (!root)
    die("the recording is not JSON");
  return root;
}

/* One check's recorded exchanges |c| into |s|, keys substituted; |base|
 * is the origin its URLs start with. */
static void load_seq(struct bench_seq *s, const cJSON *c, const char *base,
                     const struct subst *keys, size_t nkeys) {
  s->n = (size_t)cJSON_GetArraySize(c);
  s->r = calloc(s->n ? s->n : 1, sizeof *s->r);
  if (!s->r)
    die("out of memory");
  size_t k = 0;
  const cJSON *e;
  cJSON_ArrayForEach(e, c) {
    struct bench_req *r = &s->r[k++];
    r->method = dup_str(e, "method");
    r->url = dup_str(e, "url");
    r->body = dup_str(e, "body");
    r->auth = dup_str(e, "auth");
    if (!r->method || !r->url)
      die("a recorded request has no method or URL");
    substitute_in(&r->url, keys, nkeys);
    substitute_in(&r->body, keys, nkeys);
    substitute_in(&r->auth, keys, nkeys);
    size_t bl = strlen(base);
    if (strncmp(r->url, base, bl) != 0 ||
        strncmp(r->url + bl, "/control/", 9) != 0)
      s->ndelayed++;
  }
  s->alone = s->n && strstr(s->r[0].url, "/control/reset") != NULL;
}

void bench_plan_load(struct bench_plan *p, const char *dir, const char *key1,
                     const char *key2) {
  memset(p, 0, sizeof *p);
  cJSON *root = read_json(dir);
  /* the base: scheme, host and port of the target */
  const cJSON *target = cJSON_GetObjectItemCaseSensitive(root, "target");
  if (!cJSON_IsString(target) || strlen(target->valuestring) < 8)
    die("the recording has no target");
  const char *t = target->valuestring, *slash = strchr(t + 7, '/');
  snprintf(p->base, sizeof p->base, "%.*s",
           (int)(slash ? (size_t)(slash - t) : strlen(t)), t);
  /* KEY2's placeholder first: KEY's is a prefix of it */
  const struct subst keys[] = {{"$SMSCONFORM_KEY2", key2},
                               {"$SMSCONFORM_KEY", key1}};
  const cJSON *checks = cJSON_GetObjectItemCaseSensitive(root, "checks"), *c;
  p->n = (size_t)cJSON_GetArraySize(checks);
  p->s = calloc(p->n ? p->n : 1, sizeof *p->s);
  if (!p->s)
    die("out of memory");
  size_t i = 0;
  cJSON_ArrayForEach(c, checks) {
    struct bench_seq *s = &p->s[i++];
    load_seq(s, c, p->base, keys, 2);
    p->nreq += s->n;
    p->ndelayed += s->ndelayed;
    if (s->ndelayed > p->chain)
      p->chain = s->ndelayed;
    if (s->alone)
      p->alone_delayed += s->ndelayed;
  }
  cJSON_Delete(root);
}

void bench_plan_retarget(struct bench_plan *p, const char *base) {
  const struct subst t[] = {{p->base, base}};
  for (size_t i = 0; i < p->n; i++)
    for (size_t k = 0; k < p->s[i].n; k++) {
      struct bench_req *r = &p->s[i].r[k];
      substitute_in(&r->url, t, 1);
      substitute_in(&r->body, t, 1);
      substitute_in(&r->auth, t, 1);
    }
  snprintf(p->base, sizeof p->base, "%s", base);
}

void bench_plan_free(struct bench_plan *p) {
  for (size_t i = 0; i < p->n; i++) {
    for (size_t k = 0; k < p->s[i].n; k++) {
      free(p->s[i].r[k].method);
      free(p->s[i].r[k].url);
      free(p->s[i].r[k].body);
      free(p->s[i].r[k].auth);
    }
    free(p->s[i].r);
  }
  free(p->s);
  memset(p, 0, sizeof *p);
}

/* ---- the replay ---------------------------------------------------------- */

#define STREAMS_MAX 64

struct stream {
  CURL *easy;
  struct curl_slist *hl;
  char auth[256];
  const struct bench_seq *seq; /* the check this stream is replaying */
  size_t next;                 /* its next request */
  int busy;
};

struct replay {
  const struct bench_plan *p;
  enum bench_order order;
  CURLM *m;
  struct stream st[STREAMS_MAX];
  unsigned n;    /* streams */
  unsigned busy; /* streams with a transfer */
  size_t ci, ri; /* the next check (and request, flat) to hand out */
  int phase;     /* 0: the parallel checks, 1: those that run alone */
};

static size_t discard(char *p, size_t size, size_t n, void *ud) {
  (void)p;
  (void)ud;
  return size * n;
}

/* Starts |r| on stream |st|. */
static void start(CURLM *m, struct stream *st, const struct bench_req *r) {
  CURL *e = st->easy;
  curl_slist_free_all(st->hl);
  st->hl = curl_slist_append(NULL, "Expect:");
  if (r->auth) {
    snprintf(st->auth, sizeof st->auth, "Authorization: %s", r->auth);
    st->hl = curl_slist_append(st->hl, st->auth);
  }
  int json = strstr(r->url, "/control/") || strstr(r->url, "/api/v1");
  if (r->body)
    st->hl = curl_slist_append(st->hl, json ? "Content-Type: application/json"
                                            : "Content-Type: application/"
                                              "x-www-form-urlencoded");
  if (!st->hl)
    die("out of memory");
  curl_easy_setopt(e, CURLOPT_URL, r->url);
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, st->hl);
  curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, NULL);
  curl_easy_setopt(e, CURLOPT_NOBODY, 0L);
  curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
  if (r->body) {
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE,
                     (curl_off_t)strlen(r->body));
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, r->body);
  }
  if (strcmp(r->method, "GET") != 0 &&
      !(r->body && strcmp(r->method, "POST") == 0))
    curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, r->method);
  if (strcmp(r->method, "HEAD") == 0)
    curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
  if (curl_multi_add_handle(m, e) != CURLM_OK)
    die("curl_multi_add_handle");
  st->busy = 1;
}

/* Gives idle stream |i| the next request it may send now, if any. 1 when
 * one was started. */
static int feed(struct replay *x, unsigned i) {
  const struct bench_plan *p = x->p;
  struct stream *s = &x->st[i];
  if (x->order == BENCH_ORDER_FLAT) {
    while (x->ci < p->n && x->ri >= p->s[x->ci].n) {
      x->ci++;
      x->ri = 0;
    }
    if (x->ci == p->n)
      return 0;
    start(x->m, s, &p->s[x->ci].r[x->ri++]);
    return 1;
  }
  if (s->seq && s->next < s->seq->n) {
    start(x->m, s, &s->seq->r[s->next++]);
    return 1;
  }
  s->seq = NULL;
  /* the checks that run alone go one at a time, on stream 0 */
  if (x->phase == 1 && (i != 0 || x->busy))
    return 0;
  while (x->ci < p->n && (p->s[x->ci].alone != x->phase || !p->s[x->ci].n))
    x->ci++;
  if (x->ci == p->n)
    return 0;
  s->seq = &p->s[x->ci++];
  s->next = 0;
  start(x->m, s, &s->seq->r[s->next++]);
  return 1;
}

static void replay_init(struct replay *x, const struct bench_plan *p,
                        unsigned streams, enum bench_order order) {
  memset(x, 0, sizeof *x);
  x->p = p;
  x->order = order;
  x->n = streams;
  if (!(x->m = curl_multi_init()) || streams < 1 || streams > STREAMS_MAX)
    die("cannot set up the replay");
  curl_multi_setopt(x->m, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)streams);
  for (unsigned i = 0; i < streams; i++) {
    CURL *e = x->st[i].easy = curl_easy_init();
    if (!e)
      die("curl_easy_init");
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, 30000L);
    curl_easy_setopt(e, CURLOPT_USERAGENT, "smsconform");
    curl_easy_setopt(e, CURLOPT_PRIVATE, &x->st[i]);
  }
}

static void replay_free(struct replay *x) {
  for (unsigned i = 0; i < x->n; i++) {
    curl_easy_cleanup(x->st[i].easy);
    curl_slist_free_all(x->st[i].hl);
  }
  curl_multi_cleanup(x->m);
}

/* Collects the transfers that ended; returns how many. */
static unsigned reap(struct replay *x) {
  CURLMsg *msg;
  int left;
  unsigned ended = 0;
  while ((msg = curl_multi_info_read(x->m, &left))) {
    if (msg->msg != CURLMSG_DONE)
      continue;
    struct stream *s;
    curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&s);
    curl_multi_remove_handle(x->m, msg->easy_handle);
    s->busy = 0;
    x->busy--;
    ended++;
  }
  return ended;
}

double bench_replay(const struct bench_plan *p, unsigned streams,
                    enum bench_order order, unsigned long *nreq) {
  struct replay x;
  replay_init(&x, p, streams, order);
  unsigned long done = 0;
  double t0 = bench_now();
  for (;;) {
    for (unsigned i = 0; i < x.n; i++)
      if (!x.st[i].busy && feed(&x, i))
        x.busy++;
    if (!x.busy) {
      if (order == BENCH_ORDER_FLOOR && x.phase == 0) {
        /* every parallel check is done: now those that run alone */
        x.phase = 1;
        x.ci = 0;
        continue;
      }
      break;
    }
    int still;
    curl_multi_perform(x.m, &still);
    unsigned ended = reap(&x);
    done += ended;
    /* a stream that became free is given its next request at once */
    if (!ended)
      curl_multi_poll(x.m, NULL, 0, 100, NULL);
  }
  double t = bench_now() - t0;
  replay_free(&x);
  *nreq = done;
  return t;
}
