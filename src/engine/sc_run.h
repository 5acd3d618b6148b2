/* sc_run.h — `smsconform run`: the check plan and its execution.
 *
 * Checks come from the catalogue the run is handed (struct sc_catalogue;
 * the built-in one is sc_checks_catalogue(), sc_checks.h), generated from
 * the spec for one profile, filtered by --only/--skip/--tier, and run
 * against one endpoint: concurrently (--jobs), except that with control
 * a check that changes what every check sees (the clock, stock, prices,
 * balances) runs alone, from a reset sandbox. The outcome is a struct
 * sc_report (sc_report.h). */
#ifndef SC_RUN_H
#define SC_RUN_H

#include "sc_report.h"

#include <stddef.h>
#include <stdio.h>

struct sc_spec;
struct sc_record;
struct ck;
struct ck_env;
struct ck_plan;

/* The check catalogue a run draws its checks from: the engine knows no
 * check of its own, only what this table gives it (sc_run_int.h has the
 * types). Every member is required. */
struct sc_catalogue {
  /* Appends every check for the profile of |env| to |p| (ck_plan_add).
   * 0, or -1 on allocation failure; the caller frees |p| either way. */
  int (*build_plan)(struct ck_plan *p, const struct ck_env *env);
  /* The length in hours of every rent and extension the checks make;
   * env->rent_hours holds it, in decimal, before build_plan is called. */
  int (*rent_hours)(const struct ck_env *env);
  /* Values for the parameters of |action| that a plain call needs, as
   * name, value pairs into |kv| (capacity |cap|); |id| (may be NULL)
   * fills id-typed ones. The number of strings, or -1 when a required
   * parameter has no known value. The support probes use it. */
  int (*fill_params)(struct ck *c, const char *action, const char *id,
                     const char **kv, int cap);
  /* With control, right after the reset before the checks that share the
   * sandbox (may be NULL): gives the fixture the stock and money those
   * checks will draw on together, through |c| (ck_ctl), which has the
   * sandbox to itself. What it cannot set is no error: a check that runs
   * out is run again alone (ck_rerun_alone). */
  void (*provision)(struct ck *c);
};

/* Checks (and requests) at once by default: against a vendor 50-300 ms
 * away the run waits on the network, not on the machine, and a vendor's
 * rate limit is honoured (429, Retry-After) whatever the number. */
#define SC_RUN_JOBS 8

struct sc_run_opts {
  const struct sc_catalogue *catalogue; /* required: the checks */
  const struct sc_spec *spec;
  const char *profile;  /* NULL = the reference */
  const char *url;      /* handler URL, or REST base for rest-v1; an
                           action whose profile gives it a "path" is sent
                           to that path on this URL's origin */
  const char *control;  /* control base URL; NULL = none */
  const char *key;      /* required */
  const char *key2;     /* NULL = no isolation checks */
  unsigned jobs;        /* 0 = SC_RUN_JOBS */
  long timeout_ms;      /* 0 = 10000 */
  size_t max_body;      /* 0 = 1 MiB */
  double rate;          /* requests per second; 0 = unlimited */
  double max_spend;     /* money the run may spend; <0 = unlimited */
  const char *const *only; /* id globs or tags; NULL-terminated or NULL */
  const char *const *skip;
  int smoke;            /* --tier smoke */
  double budget;        /* seconds; 0 = none: checks not started are SKIP */
  int strict;
  /* --actions: the actions the endpoint implements, NULL-terminated; the
   * rest of the profile's are unsupported without probing. NULL = probe
   * each action (support.<action>). */
  const char *const *actions;
  int allow_wait;       /* seconds a check may wait in real time; 0 = none */
  double price;         /* --price: a number's price there; <= 0 = ask
                           getPrices */
  unsigned long long seed; /* of the random ids; 0 = from the clock (a
                              --replay takes the recorded one) */
  const char *service;  /* a service that exists at the endpoint; "tg" */
  const char *country;  /* a country id with stock; "0" */
  struct sc_record *record;       /* --record: every exchange goes here */
  const struct sc_record *replay; /* --replay: answers come from here */
  FILE *progress;       /* a TTY to draw progress on, or NULL */
  int color;
};

/* Outcome of sc_run. */
#define SC_RUN_OK 0
#define SC_RUN_UNREACHABLE 3
#define SC_RUN_FAILED -1

/* Runs the plan; fills |rep| (release with sc_report_free). Returns
 * SC_RUN_OK when the run happened (whatever the verdicts);
 * SC_RUN_UNREACHABLE when the endpoint gave no final HTTP answer to a
 * first probe, with every planned check ERROR in |rep| ("not run: the
 * endpoint does not answer: ...", and the probe's curl line) and the same
 * reason in |err|; or SC_RUN_FAILED with a message in |err| and |rep|
 * empty (among others when |o| hands no catalogue). */
int sc_run(const struct sc_run_opts *o, struct sc_report *rep, char *err,
           size_t errlen);

/* Prints the plan without running: one line per check (id, category,
 * needs, requirement), or with |json| a JSON object {"profile", "checks":
 * [{"id", "category", "action", "tags", "tier", "needs", "requirement",
 * "doc", "section"}]}. 0, or -1 with a message in |err| (no catalogue, no
 * such profile, an action --actions names that the profile lacks, out of
 * memory). */
int sc_run_list(const struct sc_run_opts *o, FILE *out, int json, char *err,
                size_t errlen);

#endif
