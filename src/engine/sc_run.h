/* sc_run.h — `smsconform run`: the check plan and its execution.
 *
 * Checks are generated from the spec for one profile (see sc_checks.c),
 * filtered by --only/--skip/--tier, and run against one endpoint: the
 * parallel-safe ones concurrently (--jobs), the ones that use the control
 * protocol or read the balance one at a time. The outcome is a struct
 * sc_report (sc_report.h). */
#ifndef SC_RUN_H
#define SC_RUN_H

#include "sc_report.h"

#include <stddef.h>
#include <stdio.h>

struct sc_spec;
struct sc_record;

struct sc_run_opts {
  const struct sc_spec *spec;
  const char *profile;  /* NULL = the reference */
  const char *url;      /* handler URL, or REST base for rest-v1 */
  const char *control;  /* control base URL; NULL = none */
  const char *key;      /* required */
  const char *key2;     /* NULL = no isolation checks */
  unsigned jobs;        /* 0 = 4 */
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
 * empty. */
int sc_run(const struct sc_run_opts *o, struct sc_report *rep, char *err,
           size_t errlen);

/* Prints the plan without running: one line per check (id, category,
 * needs, requirement), or with |json| a JSON object {"profile", "checks":
 * [{"id", "category", "action", "tags", "tier", "needs", "requirement",
 * "doc", "section"}]}. */
int sc_run_list(const struct sc_run_opts *o, FILE *out, int json, char *err,
                size_t errlen);

#endif
