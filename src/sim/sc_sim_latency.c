/* sc_sim_latency.c — see sc_sim_latency.h.
 *
 * A table of held connections, each with the monotonic time it is due,
 * and one timer thread that sleeps on |cv| until the earliest is due,
 * takes the due ones out of the table and resumes them. The table holds
 * at most the daemon's connection limit; a linear scan per wake-up is
 * cheaper than keeping it sorted at that size.
 *
 * Locking: |mu| guards the table and |stopping|. A connection is
 * suspended under |mu|, so the timer thread cannot find it in the table
 * before it is suspended; it is resumed outside |mu| by whoever took it
 * out of the table (the timer thread alone), exactly once. */
#include "sc_sim_latency.h"

#include "sc_alloc.h"

#include <limits.h>
#include <pthread.h>
#include <stddef.h>
#include <time.h>

/* Connections resumed per pass of the timer thread (it passes again at
 * once when more are due). */
#define RESUME_BATCH 64

struct held {
  struct MHD_Connection *conn;
  long long due; /* CLOCK_MONOTONIC nanoseconds */
};

struct sim_latency {
  pthread_mutex_t mu;
  pthread_cond_t cv; /* CLOCK_MONOTONIC: a new hold, or stop */
  pthread_t thread;
  int mu_ok, cv_ok, thread_ok;
  int stopping;      /* mu: resume everything, hold nothing more */
  struct held *held; /* mu */
  size_t n, cap;     /* mu */
};

static long long mono_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Under mu: moves up to RESUME_BATCH connections that are due at |now|
 * (all of them once stopping) from the table to |out|; returns how many,
 * and in |*next| the earliest due time left (LLONG_MAX when none). */
static size_t take_due(struct sim_latency *l, long long now,
                       struct MHD_Connection **out, long long *next) {
  size_t k = 0;
  *next = LLONG_MAX;
  for (size_t i = 0; i < l->n;) {
    if (k < RESUME_BATCH && (l->stopping || l->held[i].due <= now)) {
      out[k++] = l->held[i].conn;
      l->held[i] = l->held[--l->n];
    } else {
      if (l->held[i].due < *next)
        *next = l->held[i].due;
      i++;
    }
  }
  return k;
}

static void *timer_main(void *arg) {
  struct sim_latency *l = arg;
  struct MHD_Connection *due[RESUME_BATCH];
  pthread_mutex_lock(&l->mu);
  for (;;) {
    long long next;
    size_t k = take_due(l, mono_ns(), due, &next);
    if (k) {
      pthread_mutex_unlock(&l->mu);
      for (size_t i = 0; i < k; i++)
        MHD_resume_connection(due[i]);
      pthread_mutex_lock(&l->mu);
      continue;
    }
    if (l->stopping)
      break; /* the table is empty: take_due took everything */
    if (next == LLONG_MAX) {
      pthread_cond_wait(&l->cv, &l->mu);
    } else {
      struct timespec ts = {.tv_sec = (time_t)(next / 1000000000LL),
                            .tv_nsec = (long)(next % 1000000000LL)};
      pthread_cond_timedwait(&l->cv, &l->mu, &ts);
    }
  }
  pthread_mutex_unlock(&l->mu);
  return NULL;
}

struct sim_latency *sim_latency_new(void) {
  struct sim_latency *l = sc_calloc(1, sizeof *l);
  pthread_condattr_t ca;
  int ca_ok = 0;
  if (!l)
    return NULL;
  if (pthread_mutex_init(&l->mu, NULL))
    goto fail;
  l->mu_ok = 1;
  ca_ok = pthread_condattr_init(&ca) == 0;
  if (!ca_ok || pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) ||
      pthread_cond_init(&l->cv, &ca))
    goto fail;
  l->cv_ok = 1;
  pthread_condattr_destroy(&ca);
  ca_ok = 0;
  if (pthread_create(&l->thread, NULL, timer_main, l))
    goto fail;
  l->thread_ok = 1;
  return l;
fail:
  if (ca_ok)
    pthread_condattr_destroy(&ca);
  sim_latency_destroy(l);
  return NULL;
}

int sim_latency_hold(struct sim_latency *l, struct MHD_Connection *conn,
                     unsigned ms) {
  int rc = -1;
  pthread_mutex_lock(&l->mu);
  if (l->stopping)
    goto out;
  if (l->n == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 16;
    struct held *h = sc_realloc(l->held, cap * sizeof *h);
    if (!h)
      goto out;
    l->held = h;
    l->cap = cap;
  }
  MHD_suspend_connection(conn);
  l->held[l->n].conn = conn;
  l->held[l->n].due = mono_ns() + (long long)ms * 1000000LL;
  l->n++;
  pthread_cond_signal(&l->cv);
  rc = 0;
out:
  pthread_mutex_unlock(&l->mu);
  return rc;
}

void sim_latency_stop(struct sim_latency *l) {
  if (!l || !l->thread_ok)
    return;
  pthread_mutex_lock(&l->mu);
  l->stopping = 1;
  pthread_cond_signal(&l->cv);
  pthread_mutex_unlock(&l->mu);
  pthread_join(l->thread, NULL);
  l->thread_ok = 0;
}

void sim_latency_destroy(struct sim_latency *l) {
  if (!l)
    return;
  sim_latency_stop(l);
  if (l->cv_ok)
    pthread_cond_destroy(&l->cv);
  if (l->mu_ok)
    pthread_mutex_destroy(&l->mu);
  sc_free(l->held);
  sc_free(l);
}
