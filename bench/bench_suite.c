/* bench_suite.c — what a run of the suite costs: its wall time against its
 * request floor, at a given latency of the endpoint, and its requests and
 * purchases per tier, with and without the control protocol.
 *
 * Wall time (the default). For each profile the full default suite is run
 * in-process exactly as `smsconform run --profile P` runs it (the embedded
 * simulator with the same configuration, the same keys, the default
 * --jobs), the simulator holding every answer outside /control/ for
 * --latency MS (plus up to --jitter MS), and timed. The R requests of a
 * recorded run (sc_record) are replayed (bench_replay.h) against a fresh
 * simulator with the same latency: no parsing, no checking, no report.
 * Two floors:
 *
 *   floor     the requests as the suite can issue them: each check's
 *             requests one after the other (every request depends on the
 *             answer before it), the checks that run in parallel spread
 *             over as many streams as the suite had, then the checks that
 *             need the endpoint alone (their first request is a control
 *             reset) one at a time;
 *   flat      all R requests in order, as many at once, ignoring that
 *             dependency: the transport's and simulator's limit. Only
 *             without latency.
 *
 * The streams: --jobs N when given; else as many connections as the suite
 * held open to the simulator at once (bench_conn.h), which is the
 * engine's default --jobs whatever it is.
 *
 * Without latency the recorded run is one of its own before the timed
 * ones (recording costs CPU time next to loopback answers), and each timed
 * run is followed by its floors. With latency the floor is replayed on a
 * thread of its own while the suite runs, each against its own simulator:
 * both wait on the latency, not on a core, so neither slows the other, and
 * a floor that would take as long again as the run costs no time. Its
 * recording is made without latency, as it does not change what the
 * checks send (requests= and replayed= show it). --apart replays it after
 * the run instead, from a recording of the first timed run.
 *
 * The bound is max(chain x latency, D x latency / streams), D being the
 * requests that wait (outside /control/) and chain the most of them that
 * one check made: no schedule of the recorded requests over that many
 * streams ends sooner, whatever the engine does.
 *
 * Cost (--cost). For each profile, the smoke and full tiers, each with
 * control (the run as `smsconform run` makes it) and without (the run not
 * given the control URL, as against a vendor's paid endpoint; the keys
 * have a balance of a million and every offer a stock of a million, so
 * that nothing runs out): the requests, the purchases in the ledger, and
 * what became of them (released: cancelled with the money back; used: a
 * code came or it was completed; left active: still held at the end).
 *
 * Usage: bench_suite [--reps N] [--jobs N] [--latency MS] [--jitter MS]
 *                    [--apart] [--cost] [PROFILE...]
 * Output, per profile: "suite profile=P latency_ms=L jitter_ms=J jobs=N
 * streams=S peak_conns=C checks=N pass=.. warn=.. fail=.. error=.. skip=..
 * requests=R replayed=R delayed=D chain=N alone_delayed=N suite_s=...
 * floor_s=... bound_s=... flat_s=... ratio=... flat_ratio=..." (medians of
 * N runs; ratio = suite / floor; jobs=0: the engine's default); with
 * --cost four lines "cost profile=P tier=smoke|full control=yes|no
 * checks=N ... requests=R purchases=N numbers=N released=N used=N
 * left_active=N spent=X suite_s=..." (numbers: the purchases that gave a
 * phone number of its own). */
#include <smsconform/smsconform.h>

#include "bench_conn.h"
#include "bench_replay.h"
#include "bench_util.h"
#include "sc_checks.h"
#include "sc_record.h"
#include "sc_report.h"
#include "sc_run.h"
#include "sc_sim.h"
#include "sc_spec.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define KEY1 "smsconform-k1"
#define KEY2 "smsconform-k2"
#define REPS_MAX 99
#define PROFILES_MAX 16

static void die(const char *msg) {
  fprintf(stderr, "bench_suite: %s\n", msg);
  exit(1);
}

struct bench_opts {
  int reps;
  unsigned jobs;       /* --jobs; 0 = the engine's default */
  unsigned latency_ms; /* the simulator's, for the suite and the floor */
  unsigned jitter_ms;
  int cost;
  int apart; /* with latency: the floor after the suite, not beside it */
  const char *profiles[PROFILES_MAX];
  size_t nprof;
};

/* One run of the suite: how it is set up. */
struct suite_setup {
  const char *profile;
  unsigned jobs;
  unsigned latency_ms, jitter_ms;
  int smoke;   /* --tier smoke */
  int control; /* the run is given the control URL */
  int rich;    /* a large balance and stock: nothing runs out */
};

/* One run of the suite: what came of it. */
struct suite_run {
  double seconds;
  unsigned long requests;
  size_t checks;
  size_t counts[SC_VERDICT__COUNT];
  unsigned peak_conns; /* connections open to the endpoint at once */
  size_t purchases, released, used, left_active;
  size_t numbers; /* purchases that gave a phone number of its own */
  double spent; /* the known prices */
};

/* The embedded simulator as `smsconform run` starts it (sc_cli_run.c),
 * with the latency of |su|; |su->rich| gives the keys a million each and
 * every offer a stock of a million. */
static struct sc_sim *start_sim(const struct sc_spec *spec,
                                const struct suite_setup *su, char *url,
                                char *ctl, size_t n) {
  static const char rich_keys[] = KEY1 ":1000000," KEY2 ":1000000";
  struct sc_sim_config cfg = {.keys = su->rich ? rich_keys
                                               : KEY1 ":100," KEY2 ":100",
                              .seed = 1,
                              .early_cancel_seconds = -1,
                              .profile = su->profile,
                              .latency_ms = su->latency_ms,
                              .latency_jitter_ms = su->jitter_ms,
                              .stock = su->rich ? 1000000 : 0,
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

/* Whether a purchase of |what| ("getNumber tg/0") gave a phone number of
 * its own: the action sells, comes from the activation or rent actions of
 * specs/actions/, and names no earlier purchase (no id-typed parameter; an
 * extension or an additional service is not a new number, a mailbox is no
 * number). */
static int new_number(const struct sc_spec *spec, const char *what) {
  char name[64];
  snprintf(name, sizeof name, "%.*s", (int)strcspn(what, " "), what);
  const struct sc_action *a = sc_spec_action(spec, name);
  if (!a || !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(a->json, "spends")))
    return 0;
  if (strcmp(a->file, "actions/activation.json") != 0 &&
      strcmp(a->file, "actions/rent.json") != 0)
    return 0;
  const cJSON *p;
  cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(a->json, "params")) {
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(p, "type");
    if (cJSON_IsString(t) && strcmp(t->valuestring, "id") == 0)
      return 0;
  }
  return 1;
}

/* The ledger of |rep| into |out|. A purchase counts as released as the
 * reports count it: state RELEASED with the money back (sc_report.h). */
static void count_spend(const struct sc_spec *spec, const struct sc_report *rep,
                        struct suite_run *out) {
  out->purchases = rep->nspend;
  for (size_t i = 0; i < rep->nspend; i++) {
    const struct sc_spend *s = &rep->spend[i];
    out->numbers += s->what && new_number(spec, s->what);
    if (s->cost_known)
      out->spent += s->cost;
    if (s->state == SC_SPEND_RELEASED && s->refunded)
      out->released++;
    else if (s->state == SC_SPEND_USED)
      out->used++;
    else
      out->left_active++;
  }
}

/* One full run as |su| says; with |rec| every exchange is recorded into a
 * new recording there. */
static void run_suite(const struct sc_spec *spec, const struct suite_setup *su,
                      struct sc_record **rec, struct suite_run *out) {
  char url[256], ctl[256], err[512];
  struct sc_sim *sim = start_sim(spec, su, url, ctl, sizeof url);
  struct sc_run_opts o = {.catalogue = sc_checks_catalogue(),
                          .spec = spec,
                          .profile = su->profile,
                          .url = url,
                          .control = su->control ? ctl : NULL,
                          .key = KEY1,
                          .key2 = KEY2,
                          .jobs = su->jobs,
                          .smoke = su->smoke};
  if (rec && !(o.record = *rec = sc_record_new(su->profile, url, o.control)))
    die("out of memory");
  memset(out, 0, sizeof *out);
  struct sc_report rep;
  bench_conn_watch(sc_sim_port(sim));
  double t0 = bench_now();
  int rc = sc_run(&o, &rep, err, sizeof err);
  out->seconds = bench_now() - t0;
  out->peak_conns = bench_conn_peak();
  bench_conn_watch(0);
  sc_sim_destroy(sim);
  if (rc != SC_RUN_OK) {
    fprintf(stderr, "bench_suite: run %s: %s\n", su->profile, err);
    exit(1);
  }
  out->requests = rep.requests;
  out->checks = rep.nresults;
  memcpy(out->counts, rep.counts, sizeof out->counts);
  count_spend(spec, &rep, out);
  sc_report_free(&rep);
}

/* Saves |rec| (destroying it) and reads it back as |plan|. */
static void plan_from(struct sc_record *rec, struct bench_plan *plan) {
  char dir[] = "/tmp/bench_suite.XXXXXX", err[256], path[1024];
  if (!mkdtemp(dir))
    die("mkdtemp");
  if (sc_record_save(rec, dir, err, sizeof err))
    die(err);
  sc_record_destroy(rec);
  bench_plan_load(plan, dir, KEY1, KEY2);
  snprintf(path, sizeof path, "%s/recording.json", dir);
  unlink(path);
  rmdir(dir);
}

/* One replay of |plan| against a fresh simulator set up as |su|. */
static double floor_once(const struct sc_spec *spec,
                         const struct suite_setup *su, struct bench_plan *plan,
                         unsigned streams, enum bench_order order) {
  char url[256], ctl[256], base[64];
  unsigned long nreq = 0;
  struct sc_sim *sim = start_sim(spec, su, url, ctl, sizeof url);
  snprintf(base, sizeof base, "http://127.0.0.1:%u", sc_sim_port(sim));
  bench_plan_retarget(plan, base);
  double t = bench_replay(plan, streams, order, &nreq);
  sc_sim_destroy(sim);
  if (nreq != plan->nreq)
    die("the replay did not make every recorded request");
  return t;
}

/* A floor replay on a thread of its own, beside a run of the suite. */
struct floor_job {
  const struct sc_spec *spec;
  const struct suite_setup *su;
  struct bench_plan *plan;
  unsigned streams;
  double seconds;
};

static void *floor_thread(void *arg) {
  struct floor_job *j = arg;
  j->seconds =
      floor_once(j->spec, j->su, j->plan, j->streams, BENCH_ORDER_FLOOR);
  return NULL;
}

/* The streams of the floor: --jobs, else the connections the suite held
 * at once. */
static unsigned pick_streams(const struct bench_opts *b, unsigned peak) {
  unsigned n = b->jobs ? b->jobs : peak;
  if (n < 1 || n > 64)
    die("cannot tell how many streams the suite used");
  return n;
}

/* The figures of one profile, medians of the runs. */
struct figures {
  double suite, floor, flat, bound; /* seconds; flat 0: not measured */
  unsigned streams, peak;
};

static void print_suite(const struct suite_setup *su, const struct figures *f,
                        const struct suite_run *sr,
                        const struct bench_plan *plan) {
  printf("suite profile=%s latency_ms=%u jitter_ms=%u jobs=%u streams=%u "
         "peak_conns=%u checks=%zu pass=%zu warn=%zu fail=%zu error=%zu "
         "skip=%zu requests=%lu replayed=%zu delayed=%zu chain=%zu "
         "alone_delayed=%zu suite_s=%.3f floor_s=%.3f bound_s=%.3f",
         su->profile, su->latency_ms, su->jitter_ms, su->jobs, f->streams,
         f->peak, sr->checks, sr->counts[SC_VERDICT_PASS],
         sr->counts[SC_VERDICT_WARN], sr->counts[SC_VERDICT_FAIL],
         sr->counts[SC_VERDICT_ERROR], sr->counts[SC_VERDICT_SKIP],
         sr->requests, plan->nreq, plan->ndelayed, plan->chain,
         plan->alone_delayed, f->suite, f->floor, f->bound);
  if (f->flat > 0)
    printf(" flat_s=%.3f ratio=%.2f flat_ratio=%.2f\n", f->flat,
           f->suite / f->floor, f->suite / f->flat);
  else
    printf(" flat_s=- ratio=%.2f flat_ratio=-\n", f->suite / f->floor);
  fflush(stdout);
}

/* max(chain x latency, delayed requests x latency / streams). */
static double bound(const struct bench_plan *plan, unsigned latency_ms,
                    unsigned streams) {
  double lat = latency_ms / 1000.0;
  double by_chain = (double)plan->chain * lat,
         by_streams = (double)plan->ndelayed * lat / streams;
  return by_chain > by_streams ? by_chain : by_streams;
}

/* The wall-time benchmark of one profile: one output line. Without
 * latency, or with --apart, each run of the suite is followed by its
 * floor; with latency the floor is replayed beside the run (both wait on
 * the endpoint, neither on a core), from a recording made without
 * latency. */
static void bench_latency(const struct sc_spec *spec,
                          const struct bench_opts *b, const char *prof) {
  struct suite_setup su = {.profile = prof,
                           .jobs = b->jobs,
                           .latency_ms = b->latency_ms,
                           .jitter_ms = b->jitter_ms,
                           .control = 1},
                     fast = su;
  int slow = b->latency_ms || b->jitter_ms, beside = slow && !b->apart;
  struct sc_record *rec = NULL;
  struct suite_run sr;
  struct bench_plan plan = {0};
  struct figures f = {0};
  double suite_t[REPS_MAX], floor_t[REPS_MAX], flat_t[REPS_MAX];
  fast.latency_ms = fast.jitter_ms = 0;
  if (!slow || beside) { /* the recording, untimed */
    run_suite(spec, &fast, &rec, &sr);
    plan_from(rec, &plan);
    f.streams = pick_streams(b, sr.peak_conns);
  }
  for (int r = 0; r < b->reps; r++) {
    struct floor_job job = {spec, &su, &plan, f.streams, 0};
    pthread_t th;
    if (beside && pthread_create(&th, NULL, floor_thread, &job))
      die("cannot start a thread");
    run_suite(spec, &su, slow && !beside && r == 0 ? &rec : NULL, &sr);
    if (beside)
      pthread_join(th, NULL);
    if (sr.peak_conns > f.peak)
      f.peak = sr.peak_conns;
    if (slow && !beside && r == 0) {
      plan_from(rec, &plan);
      f.streams = pick_streams(b, sr.peak_conns);
    }
    suite_t[r] = sr.seconds;
    floor_t[r] =
        beside ? job.seconds
               : floor_once(spec, &su, &plan, f.streams, BENCH_ORDER_FLOOR);
    flat_t[r] =
        slow ? 0 : floor_once(spec, &su, &plan, f.streams, BENCH_ORDER_FLAT);
  }
  if (!b->jobs && f.peak != f.streams)
    fprintf(stderr,
            "bench_suite: %s: the runs held up to %u connections, "
            "the recorded one %u\n",
            prof, f.peak, f.streams);
  f.suite = bench_median(suite_t, b->reps);
  f.floor = bench_median(floor_t, b->reps);
  f.flat = slow ? 0 : bench_median(flat_t, b->reps);
  f.bound = bound(&plan, b->latency_ms, f.streams);
  print_suite(&su, &f, &sr, &plan);
  bench_plan_free(&plan);
}

/* The cost benchmark of one profile: four output lines. */
static void bench_cost(const struct sc_spec *spec, const struct bench_opts *b,
                       const char *prof) {
  for (int k = 0; k < 4; k++) {
    struct suite_setup su = {.profile = prof,
                             .jobs = b->jobs,
                             .latency_ms = b->latency_ms,
                             .jitter_ms = b->jitter_ms,
                             .smoke = k < 2,
                             .control = k % 2 == 0,
                             .rich = k % 2 == 1};
    struct suite_run sr;
    run_suite(spec, &su, NULL, &sr);
    printf("cost profile=%s tier=%s control=%s checks=%zu pass=%zu warn=%zu "
           "fail=%zu error=%zu skip=%zu requests=%lu purchases=%zu "
           "numbers=%zu released=%zu used=%zu left_active=%zu spent=%.2f "
           "suite_s=%.3f\n",
           prof, su.smoke ? "smoke" : "full", su.control ? "yes" : "no",
           sr.checks, sr.counts[SC_VERDICT_PASS], sr.counts[SC_VERDICT_WARN],
           sr.counts[SC_VERDICT_FAIL], sr.counts[SC_VERDICT_ERROR],
           sr.counts[SC_VERDICT_SKIP], sr.requests, sr.purchases, sr.numbers,
           sr.released,
           sr.used, sr.left_active, sr.spent, sr.seconds);
    fflush(stdout);
  }
}

static int usage(void) {
  fprintf(stderr, "usage: bench_suite [--reps N] [--jobs N] [--latency MS] "
                  "[--jitter MS] [--apart] [--cost] [PROFILE...]\n");
  return 2;
}

/* The command line into |b|; 0, or 2 on a usage error. */
static int parse_args(struct bench_opts *b, int argc, char **argv) {
  memset(b, 0, sizeof *b);
  b->reps = 5;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (strcmp(a, "--cost") == 0)
      b->cost = 1;
    else if (strcmp(a, "--apart") == 0)
      b->apart = 1;
    else if (strcmp(a, "--reps") == 0 && v && ++i)
      b->reps = atoi(v);
    else if (strcmp(a, "--jobs") == 0 && v && ++i)
      b->jobs = (unsigned)atoi(v);
    else if (strcmp(a, "--latency") == 0 && v && ++i)
      b->latency_ms = (unsigned)atoi(v);
    else if (strcmp(a, "--jitter") == 0 && v && ++i)
      b->jitter_ms = (unsigned)atoi(v);
    else if (a[0] != '-' && b->nprof < PROFILES_MAX)
      b->profiles[b->nprof++] = a;
    else
      return usage();
  }
  if (b->reps < 1 || b->reps > REPS_MAX || b->jobs > 64 ||
      b->latency_ms > 60000 || b->jitter_ms > 60000)
    return usage();
  if (!b->nprof) {
    static const char *const all[] = {"sms-activate", "koalasms", "smsbulk",
                                      "securesms", "rest-v1"};
    for (; b->nprof < sizeof all / sizeof *all; b->nprof++)
      b->profiles[b->nprof] = all[b->nprof];
  }
  return 0;
}

int main(int argc, char **argv) {
  struct bench_opts b;
  if (parse_args(&b, argc, argv))
    return 2;
  curl_global_init(CURL_GLOBAL_DEFAULT);
  enum sc_err err;
  struct sc_spec *spec = sc_spec_new(NULL, &err, NULL);
  if (!spec)
    die(sc_strerror(err));
  for (size_t k = 0; k < b.nprof; k++) {
    if (b.cost)
      bench_cost(spec, &b, b.profiles[k]);
    else
      bench_latency(spec, &b, b.profiles[k]);
  }
  sc_spec_destroy(spec);
  curl_global_cleanup();
  return 0;
}
