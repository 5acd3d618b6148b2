/* bench_suite.c — the suite's wall time against its request floor.
 *
 * For each profile: the full default suite is run in-process exactly as
 * `smsconform run --profile P` runs it (the embedded simulator with the
 * same configuration, the same keys, the default --jobs), and timed. One
 * more run is recorded (sc_record); the R requests of that recording are
 * then replayed against a fresh simulator with bare libcurl multi: no
 * parsing, no checking, no report, one easy handle per stream kept for the
 * whole replay (keep-alive), the bodies thrown away. Two floors:
 *
 *   floor     the requests as the suite can issue them: each check's
 *             requests one after the other (every request depends on the
 *             answer before it), the checks that run in parallel spread
 *             over --jobs streams, then the checks that need the endpoint
 *             alone (their first request is a control reset) one stream;
 *   flat      all R requests in order, --jobs at once, ignoring that
 *             dependency: the transport's and simulator's limit.
 *
 * The replay sends what the suite sent, so the simulator does the same
 * kind of work (some answers differ: ids are not the same ones).
 *
 * Usage: bench_suite [--reps N] [--jobs N] [PROFILE...]
 * Output: "suite profile=P checks=N requests=R suite_s=... floor_s=...
 * flat_s=... ratio=... flat_ratio=..." per profile, medians of N runs. */
#include <smsconform/smsconform.h>

#include "bench_util.h"
#include "sc_checks.h"
#include "sc_record.h"
#include "sc_report.h"
#include "sc_run.h"
#include "sc_sim.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define KEY1 "smsconform-k1"
#define KEY2 "smsconform-k2"

static void die(const char *msg) {
  fprintf(stderr, "bench_suite: %s\n", msg);
  exit(1);
}

static double mono(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The embedded simulator as `smsconform run` starts it (sc_cli.c). */
static struct sc_sim *start_sim(const struct sc_spec *spec,
                                const char *profile, char *url, char *ctl,
                                size_t n) {
  struct sc_sim_config cfg = {.keys = KEY1 ":100," KEY2 ":100",
                              .seed = 1,
                              .early_cancel_seconds = -1,
                              .profile = profile,
                              .spec = spec};
  char err[256];
  struct sc_sim *sim = sc_sim_new(&cfg, err, sizeof err);
  if (!sim) {
    fprintf(stderr, "bench_suite: simulator: %s\n", err);
    exit(1);
  }
  snprintf(url, n, "http://127.0.0.1:%u%s", sc_sim_port(sim),
           sc_sim_is_rest(sim) ? "/api/v1" : "/stubs/handler_api.php");
  snprintf(ctl, n, "http://127.0.0.1:%u/control", sc_sim_port(sim));
  return sim;
}

struct suite_run {
  double seconds;
  unsigned long requests;
  size_t checks;
  size_t counts[SC_VERDICT__COUNT];
};

/* One full run; with |rec| every exchange is recorded. */
static void run_suite(const struct sc_spec *spec, const char *profile,
                      unsigned jobs, struct sc_record **rec,
                      struct suite_run *out) {
  char url[256], ctl[256], err[512];
  struct sc_sim *sim = start_sim(spec, profile, url, ctl, sizeof url);
  struct sc_run_opts o = {.catalogue = sc_checks_catalogue(),
                          .spec = spec,
                          .profile = profile,
                          .url = url,
                          .control = ctl,
                          .key = KEY1,
                          .key2 = KEY2,
                          .jobs = jobs};
  if (rec && !(o.record = *rec = sc_record_new(profile, url, ctl)))
    die("out of memory");
  struct sc_report rep;
  double t0 = mono();
  int rc = sc_run(&o, &rep, err, sizeof err);
  out->seconds = mono() - t0;
  sc_sim_destroy(sim);
  if (rc != SC_RUN_OK) {
    fprintf(stderr, "bench_suite: run %s: %s\n", profile, err);
    exit(1);
  }
  out->requests = rep.requests;
  out->checks = rep.nresults;
  memcpy(out->counts, rep.counts, sizeof out->counts);
  sc_report_free(&rep);
}

/* ---- the recorded requests ----------------------------------------------- */

struct req {
  char *method, *url, *body, *auth;
};

struct seq {
  struct req *r;
  size_t n;
  int alone; /* the check ran with the endpoint to itself */
};

struct plan {
  struct seq *s;
  size_t n;
  size_t nreq;
};

/* |s| with the recording's placeholders and base URLs replaced. */
static char *rewrite(const char *s, const char *old_base, const char *base) {
  if (!s)
    return NULL;
  static const struct {
    const char *from, *to;
  } keys[] = {{"$SMSCONFORM_KEY2", KEY2}, {"$SMSCONFORM_KEY", KEY1}};
  size_t cap = strlen(s) * 2 + strlen(base) + 64, o = 0;
  char *out = malloc(cap);
  if (!out)
    die("out of memory");
  size_t ob = strlen(old_base);
  for (const char *p = s; *p;) {
    const char *to = NULL;
    size_t skip = 0;
    if (strncmp(p, old_base, ob) == 0) {
      to = base;
      skip = ob;
    }
    for (size_t k = 0; !to && k < 2; k++)
      if (strncmp(p, keys[k].from, strlen(keys[k].from)) == 0) {
        to = keys[k].to;
        skip = strlen(keys[k].from);
      }
    if (to) {
      size_t tl = strlen(to);
      if (o + tl + 1 >= cap && !(out = realloc(out, cap = cap * 2 + tl)))
        die("out of memory");
      memcpy(out + o, to, tl);
      o += tl;
      p += skip;
    } else {
      if (o + 2 >= cap && !(out = realloc(out, cap *= 2)))
        die("out of memory");
      out[o++] = *p++;
    }
  }
  out[o] = '\0';
  return out;
}

static char *dup_str(const cJSON *o, const char *k) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
  return cJSON_IsString(v) ? strdup(v->valuestring) : NULL;
}

/* Reads DIR/recording.json into |p|: one sequence per check, in the order
 * the checks made their first request. */
static void load_plan(const char *dir, struct plan *p, char *old_base,
                      size_t n) {
  char path[1024];
  snprintf(path, sizeof path, "%s/recording.json", dir);
  FILE *f = fopen(path, "rb");
  if (!f)
    die("cannot read the recording");
  fseek(f, 0, SEEK_END);
  long len = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)len + 1);
  if (!buf || fread(buf, 1, (size_t)len, f) != (size_t)len)
    die("cannot read the recording");
  fclose(f);
  cJSON *root = cJSON_ParseWithLength(buf, (size_t)len);
  free(buf);
  if (!root)
    die("the recording is not JSON");
  /* the base: scheme, host and port of the target */
  const cJSON *target = cJSON_GetObjectItemCaseSensitive(root, "target");
  if (!cJSON_IsString(target))
    die("the recording has no target");
  const char *t = target->valuestring, *slash = strchr(t + 7, '/');
  snprintf(old_base, n, "%.*s", (int)(slash ? slash - t : (long)strlen(t)), t);
  const cJSON *checks = cJSON_GetObjectItemCaseSensitive(root, "checks"), *c;
  p->n = (size_t)cJSON_GetArraySize(checks);
  p->s = calloc(p->n ? p->n : 1, sizeof *p->s);
  if (!p->s)
    die("out of memory");
  size_t i = 0;
  cJSON_ArrayForEach(c, checks) {
    struct seq *s = &p->s[i++];
    s->n = (size_t)cJSON_GetArraySize(c);
    s->r = calloc(s->n ? s->n : 1, sizeof *s->r);
    if (!s->r)
      die("out of memory");
    size_t k = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, c) {
      struct req *r = &s->r[k++];
      r->method = dup_str(e, "method");
      r->url = dup_str(e, "url");
      r->body = dup_str(e, "body");
      r->auth = dup_str(e, "auth");
      if (!r->method || !r->url)
        die("a recorded request has no method or URL");
    }
    s->alone = s->n && strstr(s->r[0].url, "/control/reset") != NULL;
    p->nreq += s->n;
  }
  cJSON_Delete(root);
}

/* The recording's URLs and keys made to point at |base|. */
static void retarget(struct plan *p, const char *old_base, const char *base) {
  for (size_t i = 0; i < p->n; i++)
    for (size_t k = 0; k < p->s[i].n; k++) {
      struct req *r = &p->s[i].r[k];
      char *u = rewrite(r->url, old_base, base);
      char *b = rewrite(r->body, old_base, base);
      char *a = rewrite(r->auth, old_base, base);
      free(r->url);
      free(r->body);
      free(r->auth);
      r->url = u;
      r->body = b;
      r->auth = a;
    }
}

static void plan_free(struct plan *p) {
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

struct stream {
  CURL *easy;
  struct curl_slist *hl;
  char auth[256];
  const struct seq *seq; /* the check this stream is replaying */
  size_t next;           /* its next request */
  int busy;
};

static size_t discard(char *p, size_t size, size_t n, void *ud) {
  (void)p;
  (void)ud;
  return size * n;
}

/* Starts |r| on stream |st|. */
static void start(CURLM *m, struct stream *st, const struct req *r) {
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

/* Replays |p| on |jobs| streams. |flat|: every request on its own, in
 * order; else a check's requests in sequence on one stream, and the
 * checks that ran alone one at a time after the others. Returns seconds;
 * |*nreq| receives the requests made. */
static double replay(const struct plan *p, unsigned jobs, int flat,
                     unsigned long *nreq) {
  CURLM *m = curl_multi_init();
  struct stream st[64];
  memset(st, 0, sizeof st);
  if (!m || jobs < 1 || jobs > 64)
    die("cannot set up the replay");
  curl_multi_setopt(m, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)jobs);
  for (unsigned i = 0; i < jobs; i++) {
    if (!(st[i].easy = curl_easy_init()))
      die("curl_easy_init");
    curl_easy_setopt(st[i].easy, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(st[i].easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(st[i].easy, CURLOPT_TIMEOUT_MS, 10000L);
    curl_easy_setopt(st[i].easy, CURLOPT_USERAGENT, "smsconform");
    curl_easy_setopt(st[i].easy, CURLOPT_PRIVATE, &st[i]);
  }
  /* cursors: the next check (or request, flat) to hand out per phase */
  size_t ci = 0, ri = 0;
  int phase = 0; /* 0: the parallel checks, 1: those that run alone */
  unsigned long done = 0;
  double t0 = mono();
  for (;;) {
    unsigned busy = 0;
    for (unsigned i = 0; i < jobs; i++)
      busy += (unsigned)st[i].busy;
    /* hand out work to idle streams */
    for (unsigned i = 0; i < jobs; i++) {
      struct stream *s = &st[i];
      if (s->busy)
        continue;
      if (flat) {
        while (ci < p->n && ri >= p->s[ci].n) {
          ci++;
          ri = 0;
        }
        if (ci < p->n) {
          start(m, s, &p->s[ci].r[ri++]);
          busy++;
        }
        continue;
      }
      if (s->seq && s->next < s->seq->n) {
        start(m, s, &s->seq->r[s->next++]);
        busy++;
        continue;
      }
      s->seq = NULL;
      /* the checks that ran alone start only when all others are done,
       * and then one at a time, on stream 0 */
      if (phase == 1 && (i != 0 || busy))
        continue;
      while (ci < p->n && (p->s[ci].alone != phase || !p->s[ci].n))
        ci++;
      if (ci == p->n && phase == 0) {
        if (busy)
          continue;
        phase = 1;
        ci = 0;
        i = (unsigned)-1; /* look again from stream 0 */
        continue;
      }
      if (ci < p->n) {
        s->seq = &p->s[ci++];
        s->next = 0;
        start(m, s, &s->seq->r[s->next++]);
        busy++;
      }
    }
    if (!busy)
      break;
    int still;
    curl_multi_perform(m, &still);
    CURLMsg *msg;
    int left, ended = 0;
    while ((msg = curl_multi_info_read(m, &left))) {
      if (msg->msg != CURLMSG_DONE)
        continue;
      struct stream *s;
      curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&s);
      curl_multi_remove_handle(m, msg->easy_handle);
      s->busy = 0;
      done++;
      ended = 1;
    }
    /* a stream that became free is given its next request at once */
    if (!ended)
      curl_multi_poll(m, NULL, 0, 100, NULL);
  }
  double t = mono() - t0;
  for (unsigned i = 0; i < jobs; i++) {
    curl_easy_cleanup(st[i].easy);
    curl_slist_free_all(st[i].hl);
  }
  curl_multi_cleanup(m);
  *nreq = done;
  return t;
}

/* ---- main ---------------------------------------------------------------- */

static void rm_dir(const char *dir) {
  char path[1024];
  snprintf(path, sizeof path, "%s/recording.json", dir);
  unlink(path);
  rmdir(dir);
}

int main(int argc, char **argv) {
  int reps = 5;
  unsigned jobs = 4; /* sc_run's default */
  const char *profiles[16];
  size_t nprof = 0;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc)
      reps = atoi(argv[++i]);
    else if (strcmp(argv[i], "--jobs") == 0 && i + 1 < argc)
      jobs = (unsigned)atoi(argv[++i]);
    else if (argv[i][0] != '-' && nprof < 16)
      profiles[nprof++] = argv[i];
    else {
      fprintf(stderr, "usage: bench_suite [--reps N] [--jobs N] [PROFILE...]\n");
      return 2;
    }
  }
  if (reps < 1 || reps > 99)
    reps = 5;
  if (jobs < 1 || jobs > 64)
    jobs = 4;
  if (!nprof) {
    static const char *const all[] = {"sms-activate", "koalasms", "smsbulk",
                                      "securesms", "rest-v1"};
    for (; nprof < 5; nprof++)
      profiles[nprof] = all[nprof];
  }
  curl_global_init(CURL_GLOBAL_DEFAULT);
  enum sc_err err;
  struct sc_spec *spec = sc_spec_new(NULL, &err, NULL);
  if (!spec)
    die(sc_strerror(err));

  for (size_t k = 0; k < nprof; k++) {
    const char *prof = profiles[k];
    /* the recording, and the plan replayed from it */
    char dir[] = "/tmp/bench_suite.XXXXXX", errbuf[256];
    if (!mkdtemp(dir))
      die("mkdtemp");
    struct sc_record *rec = NULL;
    struct suite_run sr;
    run_suite(spec, prof, jobs, &rec, &sr);
    if (sc_record_save(rec, dir, errbuf, sizeof errbuf))
      die(errbuf);
    sc_record_destroy(rec);
    struct plan plan = {0};
    char old_base[256];
    load_plan(dir, &plan, old_base, sizeof old_base);
    rm_dir(dir);

    double suite_t[99], floor_t[99], flat_t[99];
    unsigned long r_suite = 0, r_floor = 0, r_flat = 0;
    for (int r = 0; r < reps; r++) {
      run_suite(spec, prof, jobs, NULL, &sr);
      suite_t[r] = sr.seconds;
      r_suite = sr.requests;
      for (int flat = 0; flat < 2; flat++) {
        char url[256], ctl[256], base[64];
        struct sc_sim *sim = start_sim(spec, prof, url, ctl, sizeof url);
        snprintf(base, sizeof base, "http://127.0.0.1:%u", sc_sim_port(sim));
        retarget(&plan, old_base, base);
        snprintf(old_base, sizeof old_base, "%s", base);
        double t = replay(&plan, jobs, flat, flat ? &r_flat : &r_floor);
        sc_sim_destroy(sim);
        (flat ? flat_t : floor_t)[r] = t;
      }
    }
    double s = bench_median(suite_t, reps), fl = bench_median(floor_t, reps),
           fa = bench_median(flat_t, reps);
    printf("suite profile=%s checks=%zu pass=%zu warn=%zu fail=%zu "
           "error=%zu skip=%zu requests=%lu replayed=%lu suite_s=%.3f "
           "floor_s=%.3f flat_s=%.3f ratio=%.2f flat_ratio=%.2f\n",
           prof, sr.checks, sr.counts[SC_VERDICT_PASS],
           sr.counts[SC_VERDICT_WARN], sr.counts[SC_VERDICT_FAIL],
           sr.counts[SC_VERDICT_ERROR], sr.counts[SC_VERDICT_SKIP], r_suite,
           r_floor, s, fl, fa, s / fl, s / fa);
    fflush(stdout);
    if (r_floor != r_flat || r_floor != plan.nreq)
      die("the replays did not make every recorded request");
    plan_free(&plan);
  }
  sc_spec_destroy(spec);
  curl_global_cleanup();
  return 0;
}
