/* run_util.h — running the suite against an embedded simulator, for the
 * runner tests (test_run.c and test_checks_*.c). */
#ifndef RUN_UTIL_H
#define RUN_UTIL_H

#include "sc_report.h"
#include "sc_run.h"

#define RU_KEY1 "run-test-key-1"
#define RU_KEY2 "run-test-key-2"

struct sc_spec;

/* The embedded spec, loaded by ru_setup (a TestSuite .init) and freed by
 * ru_teardown (.fini). */
extern struct sc_spec *ru_spec;
void ru_setup(void);
void ru_teardown(void);

struct ru_opts {
  const char *profile;      /* NULL = sms-activate */
  /* The profile the simulator speaks; NULL = |profile|. */
  const char *sim_profile;
  /* The spec of the simulator and the run; NULL = ru_spec. */
  const struct sc_spec *spec;
  const char *faults;       /* "a,b" or NULL */
  const char *const *only;  /* --only patterns, or NULL */
  unsigned rate_limit;      /* rest-v1 requests per minute; 0 = default */
  int no_control;           /* run without --control */
  int no_key2;              /* run without a second account */
  int strict;
  int smoke;                /* --tier smoke */
  const char *sim_actions;  /* the simulator serves only these ("A,B") */
  const char *const *actions; /* run --actions */
  double max_spend;         /* run --max-spend; 0 = unlimited (loopback) */
  int allow_wait;           /* run --allow-wait */
  unsigned stock;           /* the simulator's stock; 0 = its default */
  int control_v1;           /* the simulator makes no accounts (v1 only) */
  /* The checks; NULL = the built-in catalogue (sc_checks_catalogue). */
  const struct sc_catalogue *catalogue;
  /* When set, the simulator is left running and handed over here (stop
   * it with sc_sim_destroy): a test looks at its state after the run. */
  struct sc_sim **keep;
};

/* The embedded spec plus the user's profile file |path| (as `--profile
 * FILE` loads it); asserts that it loads without a problem. Release it
 * with sc_spec_destroy. */
struct sc_spec *ru_spec_with(const char *path);

/* Starts a simulator as |o| says (keys RU_KEY1 and RU_KEY2 with 100 each,
 * seed 3), runs the suite against it and stops it; asserts that the run
 * happened. Release |rep| with sc_report_free. */
void ru_run(const struct ru_opts *o, struct sc_report *rep);

/* The simulator's handler URL, for requests of a test's own. */
void ru_url(struct sc_sim *sim, char *buf, size_t n);

/* The result of check |id|, or NULL. */
const struct sc_check_result *ru_find(const struct sc_report *r,
                                      const char *id);

/* Runs the whole suite (no --only, as a user starts it) against the
 * simulator with |fault| and expects check |id| to FAIL with expected,
 * actual, a cause and a curl line, its message holding |quote| (unless
 * NULL), and the run to fail. */
void ru_expect_caught(const char *profile, const char *fault, const char *id,
                      const char *quote);

#endif
