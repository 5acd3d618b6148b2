/* test_sim_latency.c — tests for sc_sim_latency.c and the core's use of
 * it (latency_ms, latency_jitter_ms) over real HTTP (libcurl).
 *
 * Criterion re-execs its workers, so every Test starts its own simulator on
 * 127.0.0.1 port 0 and stops it before returning. Assertions run on the
 * main test thread only: the client threads record what they saw. */
#include "sc_alloc.h"
#include "sim_util.h"

#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define BALANCE "/stubs/handler_api.php?api_key=K1&action=getBalance"

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static struct sc_sim *start(const char *profile, unsigned ms, unsigned jitter) {
  return su_start_cfg((struct sc_sim_config){.profile = profile,
                                             .latency_ms = ms,
                                             .latency_jitter_ms = jitter,
                                             .early_cancel_seconds = 120,
                                             .lifetime_seconds = 1200});
}

/* One request of a client thread: what it asked and what it saw. */
struct client {
  char url[256];
  const char *const *headers;
  int rc;
  long code;
  double ms; /* wall time of the exchange */
};

static void *client_main(void *arg) {
  struct client *c = arg;
  struct su_resp r;
  double t0 = now_ms();
  c->rc = su_fetch(c->url, NULL, NULL, c->headers, &r);
  c->ms = now_ms() - t0;
  c->code = r.code;
  su_resp_free(&r);
  return NULL;
}

/* |n| clients sending |path| at once; the wall time of them all. */
static double concurrently(struct sc_sim *s, const char *path,
                           const char *const *headers, struct client *cl,
                           size_t n) {
  pthread_t th[16];
  cr_assert_leq(n, 16u);
  double t0 = now_ms();
  for (size_t i = 0; i < n; i++) {
    snprintf(cl[i].url, sizeof cl[i].url, "http://127.0.0.1:%u%s",
             sc_sim_port(s), path);
    cl[i].headers = headers;
    cr_assert_eq(pthread_create(&th[i], NULL, client_main, &cl[i]), 0);
  }
  for (size_t i = 0; i < n; i++)
    pthread_join(th[i], NULL);
  return now_ms() - t0;
}

/* The wall time of one request to |path| (asserting it was answered). */
static double timed(struct sc_sim *s, const char *method, const char *path,
                    const char *body, long want) {
  double t0 = now_ms();
  struct su_resp r = su_http(s, method, path, body, NULL);
  double ms = now_ms() - t0;
  cr_expect_eq(r.code, want, "%s -> %ld %s", path, r.code, r.body);
  su_resp_free(&r);
  return ms;
}

/* |n| clients at once against a 100 ms latency: each waits about 100 ms,
 * and all of them together well under |n| x 100 ms; with 16, under the
 * 400 ms that sleeping in the pool's 4 threads would take at least, so a
 * held answer holds up no other connection. */
static void concurrent_clients(size_t n) {
  struct sc_sim *s = start(NULL, 100, 0);
  struct client cl[16];
  memset(cl, 0, sizeof cl);
  double total = concurrently(s, BALANCE, NULL, cl, n);
  for (size_t i = 0; i < n; i++) {
    cr_expect_eq(cl[i].rc, 0, "client %zu got no answer", i);
    cr_expect_eq(cl[i].code, 200);
    cr_expect_geq(cl[i].ms, 100.0, "client %zu: %.1f ms", i, cl[i].ms);
    cr_expect_lt(cl[i].ms, 300.0, "client %zu: %.1f ms", i, cl[i].ms);
  }
  cr_expect_lt(total, 300.0, "%zu requests took %.1f ms in all", n, total);
  fprintf(stderr, "%zu concurrent requests at 100 ms latency: %.1f ms in all\n",
          n, total);
  su_stop(s);
}

Test(sim_latency, eight_concurrent_answers_each_wait_their_own_time) {
  concurrent_clients(8);
}

Test(sim_latency, sixteen_concurrent_answers_outrun_a_sleeping_pool) {
  concurrent_clients(16);
}

/* The REST dialect waits the same way; /control/ never waits. */
Test(sim_latency, rest_waits_and_control_does_not) {
  struct sc_sim *s = start("rest-v1", 150, 0);
  static const char *const auth[] = {"Authorization: Bearer K1", NULL};
  struct client cl[4];
  memset(cl, 0, sizeof cl);
  double total = concurrently(s, "/api/v1/balance", auth, cl, 4);
  for (size_t i = 0; i < 4; i++) {
    cr_expect_eq(cl[i].code, 200);
    cr_expect_geq(cl[i].ms, 150.0, "client %zu: %.1f ms", i, cl[i].ms);
  }
  cr_expect_lt(total, 280.0, "4 requests took %.1f ms in all", total);
  cr_expect_lt(timed(s, NULL, "/control/state", NULL, 200), 100.0);
  cr_expect_lt(timed(s, NULL, "/control/clock", "{\"advance\":1}", 200), 100.0);
  /* an answer that is not the API's waits too */
  cr_expect_geq(timed(s, NULL, "/nowhere", NULL, 404), 150.0);
  su_stop(s);
}

/* Each answer waits latency_ms plus a jitter in [0, latency_jitter_ms],
 * and the jitter varies from one answer to the next. */
Test(sim_latency, jitter_is_bounded) {
  struct sc_sim *s = start(NULL, 40, 80);
  double lo = 1e9, hi = 0;
  for (int i = 0; i < 12; i++) {
    double ms = timed(s, NULL, BALANCE, NULL, 200);
    cr_expect_geq(ms, 40.0, "answer %d after %.1f ms", i, ms);
    cr_expect_lt(ms, 40.0 + 80.0 + 40.0, "answer %d after %.1f ms", i, ms);
    lo = ms < lo ? ms : lo;
    hi = ms > hi ? ms : hi;
  }
  cr_expect_gt(hi - lo, 10.0, "12 answers all within %.1f..%.1f ms", lo, hi);
  su_stop(s);
}

/* The jitter draws from a stream of the seed of its own: ids and phones
 * are those of the seed, with or without latency. */
Test(sim_latency, jitter_leaves_ids_and_phones_alone) {
  char *got[2];
  for (int i = 0; i < 2; i++) {
    struct sc_sim *s = start(NULL, i ? 1 : 0, i ? 5 : 0);
    for (int k = 0; k < 3; k++)
      sc_free(su_api(s, "api_key=K1&action=getBalance"));
    got[i] = su_api(s, "api_key=K1&action=getNumber&service=tg&country=0");
    su_stop(s);
  }
  cr_expect_str_eq(got[1], got[0]);
  cr_expect(strncmp(got[0], "ACCESS_NUMBER:", 14) == 0, "%s", got[0]);
  sc_free(got[0]);
  sc_free(got[1]);
}

/* Stopping the simulator with answers still held does not wait for them
 * (nor crash): held connections are resumed and closed. */
Test(sim_latency, destroy_with_held_answers) {
  struct sc_sim *s = start(NULL, 10000, 0);
  struct client c;
  memset(&c, 0, sizeof c);
  snprintf(c.url, sizeof c.url, "http://127.0.0.1:%u%s", sc_sim_port(s),
           BALANCE);
  pthread_t th;
  cr_assert_eq(pthread_create(&th, NULL, client_main, &c), 0);
  struct timespec pause = {.tv_nsec = 200 * 1000000L};
  nanosleep(&pause, NULL);
  double t0 = now_ms();
  su_stop(s);
  double stop_ms = now_ms() - t0;
  pthread_join(th, NULL);
  cr_expect_lt(stop_ms, 2000.0, "stopping took %.1f ms", stop_ms);
  cr_expect_lt(c.ms, 5000.0, "the held client waited %.1f ms", c.ms);
}

/* A latency above the bound is refused. */
Test(sim_latency, over_the_bound_is_refused) {
  char err[256];
  struct sc_sim_config cfg = {.keys = "K1", .latency_ms = 60001};
  cr_expect_null(sc_sim_new(&cfg, err, sizeof err));
  cr_expect(strstr(err, "at most 60000 ms") != NULL, "%s", err);
  cfg.latency_ms = 0;
  cfg.latency_jitter_ms = 60001;
  cr_expect_null(sc_sim_new(&cfg, err, sizeof err));
  cr_expect(strstr(err, "at most 60000 ms") != NULL, "%s", err);
}
