/* sc_ledger.h — the money of a run: every purchase an endpoint sold,
 * whichever check's request it answered, with its price and what became of
 * it; and the spending ceiling (--max-spend), kept before every request
 * that may sell.
 *
 * A request that may sell reserves its estimated price first
 * (sc_ledger_reserve); the reservation fails when spent + reserved +
 * estimate would pass the ceiling, so threads buying at once can never
 * pass it together. When the answer comes the reservation is settled:
 * booked as a sale (sc_ledger_book) or dropped. Thread-safe: one mutex. */
#ifndef SC_LEDGER_H
#define SC_LEDGER_H

#include "sc_report.h"

#include <pthread.h>
#include <stddef.h>

struct sc_ledger_item {
  char *action; /* the action that sold it: getNumber, getRentNumber, ... */
  char *what;   /* "getNumber tg/0" */
  char *id;     /* activation, rent or mailbox id; "" when none came */
  char *check;  /* the id of the check whose request bought it */
  double cost;
  int cost_known;
  enum sc_spend_state state;
  int used;     /* a code came or it was completed: no refund is due */
  int settled;  /* RELEASED or given up: clean-up leaves it alone */
  char *note;
  double bought; /* monotonic seconds */
};

struct sc_ledger {
  pthread_mutex_t mu;
  struct sc_ledger_item *items;
  size_t n, cap;
  double spent;    /* known costs of the purchases not given back */
  double reserved; /* estimates of the requests in flight */
  /* what the ceiling counts: every known cost booked, less what a cancel
   * gave back (a sandbox reset gives nothing back to the ceiling) */
  double committed;
  double ceiling;  /* < 0: none */
  double paid;     /* every known cost booked, given back or not */
};

void sc_ledger_init(struct sc_ledger *l, double ceiling);
void sc_ledger_free(struct sc_ledger *l);

/* Reserves |estimate| for one request that may sell. Returns 0 when it
 * fits under the ceiling (or there is none), -1 (nothing reserved) when
 * it does not. */
int sc_ledger_reserve(struct sc_ledger *l, double estimate);
/* Drops a reservation (the request sold nothing, or was not sent). */
void sc_ledger_unreserve(struct sc_ledger *l, double estimate);

/* Books a sale of |id| by |action| for |check|, at |cost| when
 * |cost_known|. A sale of an id already booked and not settled is the
 * same purchase: nothing new is booked (a check that reads the answer
 * again). Returns 0, or -1 when out of memory (the sale is then counted
 * in spent all the same). */
int sc_ledger_book(struct sc_ledger *l, const char *action, const char *what,
                   const char *id, const char *check, double cost,
                   int cost_known, double now);

/* The price of the latest purchase of |id| as measured (a balance
 * difference in a check that runs alone): replaces the estimate. A
 * purchase without an id (|id| "") is booked anew at that price. */
void sc_ledger_price(struct sc_ledger *l, const char *action,
                     const char *what, const char *id, const char *check,
                     double cost, double now);

/* The latest purchase of |id| came back (RELEASED: its money too), or was
 * used (a code came, it was completed: no money back). */
void sc_ledger_released(struct sc_ledger *l, const char *id);
void sc_ledger_used(struct sc_ledger *l, const char *id);
/* Left active: clean-up could not give it back; |note| says why. */
void sc_ledger_left(struct sc_ledger *l, size_t i, const char *note);
/* A sandbox reset gave every account its money back and forgot every
 * purchase: everything is released. */
void sc_ledger_reset(struct sc_ledger *l);

/* True when this run bought |id|. */
int sc_ledger_owns(struct sc_ledger *l, const char *id);

/* What the ceiling counts (spent and not given back by a cancel; a
 * sandbox reset gives it nothing back), with what requests in flight hold
 * reserved into |held| (may be NULL). */
double sc_ledger_committed_held(struct sc_ledger *l, double *held);

/* Copies the purchases into |rep->spend| (the report's ledger). Returns 0
 * or -1 when out of memory. */
int sc_ledger_report(struct sc_ledger *l, struct sc_report *rep);

#endif
