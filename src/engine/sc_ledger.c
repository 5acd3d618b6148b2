/* sc_ledger.c — the money of a run (see sc_ledger.h). */
#include "sc_ledger.h"

#include "sc_alloc.h"

#include <string.h>

void sc_ledger_init(struct sc_ledger *l, double ceiling) {
  memset(l, 0, sizeof *l);
  pthread_mutex_init(&l->mu, NULL);
  l->ceiling = ceiling;
}

static void item_free(struct sc_ledger_item *it) {
  sc_free(it->action);
  sc_free(it->what);
  sc_free(it->id);
  sc_free(it->check);
  sc_free(it->note);
}

void sc_ledger_free(struct sc_ledger *l) {
  for (size_t i = 0; i < l->n; i++)
    item_free(&l->items[i]);
  sc_free(l->items);
  pthread_mutex_destroy(&l->mu);
  memset(l, 0, sizeof *l);
}

/* A cent of slack: prices are decimals of two places, sums of doubles
 * are not exact. */
#define CENT_SLACK 0.005

int sc_ledger_reserve(struct sc_ledger *l, double estimate) {
  pthread_mutex_lock(&l->mu);
  int ok = l->ceiling < 0 ||
           l->committed + l->reserved + estimate <= l->ceiling + CENT_SLACK;
  if (ok)
    l->reserved += estimate;
  pthread_mutex_unlock(&l->mu);
  return ok ? 0 : -1;
}

void sc_ledger_unreserve(struct sc_ledger *l, double estimate) {
  pthread_mutex_lock(&l->mu);
  l->reserved -= estimate;
  if (l->reserved < CENT_SLACK)
    l->reserved = 0;
  pthread_mutex_unlock(&l->mu);
}

/* The latest purchase of |id| not yet settled, or NULL. Locked. */
static struct sc_ledger_item *latest(struct sc_ledger *l, const char *id) {
  if (!id || !*id)
    return NULL;
  for (size_t i = l->n; i-- > 0;)
    if (l->items[i].id && strcmp(l->items[i].id, id) == 0)
      return l->items[i].settled ? NULL : &l->items[i];
  return NULL;
}

/* Appends a purchase. Locked. */
static int append(struct sc_ledger *l, const char *action, const char *what,
                  const char *id, const char *check, double cost,
                  int cost_known, double now) {
  if (l->n == l->cap) {
    size_t nc = l->cap ? 2 * l->cap : 32;
    struct sc_ledger_item *n = sc_realloc(l->items, nc * sizeof *n);
    if (!n)
      return -1;
    l->items = n;
    l->cap = nc;
  }
  struct sc_ledger_item *it = &l->items[l->n];
  memset(it, 0, sizeof *it);
  it->action = sc_strdup(action ? action : "");
  it->what = sc_strdup(what ? what : "");
  it->id = sc_strdup(id ? id : "");
  it->check = sc_strdup(check ? check : "");
  if (!it->action || !it->what || !it->id || !it->check) {
    item_free(it);
    return -1;
  }
  it->cost = cost_known ? cost : 0;
  it->cost_known = cost_known;
  it->state = SC_SPEND_LEFT_ACTIVE;
  it->bought = now;
  l->n++;
  return 0;
}

int sc_ledger_book(struct sc_ledger *l, const char *action, const char *what,
                   const char *id, const char *check, double cost,
                   int cost_known, double now) {
  pthread_mutex_lock(&l->mu);
  int rc = 0;
  if (!latest(l, id)) {
    rc = append(l, action, what, id, check, cost, cost_known, now);
    if (cost_known) {
      l->spent += cost;
      l->paid += cost;
      l->committed += cost;
    }
  }
  pthread_mutex_unlock(&l->mu);
  return rc;
}

void sc_ledger_price(struct sc_ledger *l, const char *action,
                     const char *what, const char *id, const char *check,
                     double cost, double now) {
  pthread_mutex_lock(&l->mu);
  struct sc_ledger_item *it = latest(l, id);
  if (!it) {
    if (append(l, action, what, id, check, cost, 1, now) == 0) {
      l->spent += cost;
      l->paid += cost;
      l->committed += cost;
    }
  } else {
    double old = it->cost_known ? it->cost : 0;
    l->spent += cost - old;
    l->paid += cost - old;
    l->committed += cost - old;
    it->cost = cost;
    it->cost_known = 1;
  }
  pthread_mutex_unlock(&l->mu);
}

void sc_ledger_released(struct sc_ledger *l, const char *id) {
  pthread_mutex_lock(&l->mu);
  struct sc_ledger_item *it = latest(l, id);
  if (it) {
    it->state = SC_SPEND_RELEASED;
    it->settled = 1;
    if (it->cost_known) {
      l->spent -= it->cost;
      l->committed -= it->cost;
    }
  }
  pthread_mutex_unlock(&l->mu);
}

void sc_ledger_used(struct sc_ledger *l, const char *id) {
  pthread_mutex_lock(&l->mu);
  struct sc_ledger_item *it = latest(l, id);
  if (it) {
    it->used = 1;
    it->state = SC_SPEND_USED;
  }
  pthread_mutex_unlock(&l->mu);
}

void sc_ledger_left(struct sc_ledger *l, size_t i, const char *note) {
  pthread_mutex_lock(&l->mu);
  if (i < l->n) {
    struct sc_ledger_item *it = &l->items[i];
    it->state = SC_SPEND_LEFT_ACTIVE;
    sc_free(it->note);
    it->note = note ? sc_strdup(note) : NULL;
  }
  pthread_mutex_unlock(&l->mu);
}

void sc_ledger_reset(struct sc_ledger *l) {
  pthread_mutex_lock(&l->mu);
  for (size_t i = 0; i < l->n; i++) {
    struct sc_ledger_item *it = &l->items[i];
    if (it->settled)
      continue;
    it->settled = 1;
    if (!it->used) {
      it->state = SC_SPEND_RELEASED;
      if (it->cost_known)
        l->spent -= it->cost;
    }
  }
  pthread_mutex_unlock(&l->mu);
}

int sc_ledger_owns(struct sc_ledger *l, const char *id) {
  pthread_mutex_lock(&l->mu);
  int found = 0;
  for (size_t i = 0; id && *id && i < l->n && !found; i++)
    found = strcmp(l->items[i].id, id) == 0;
  pthread_mutex_unlock(&l->mu);
  return found;
}

double sc_ledger_committed_held(struct sc_ledger *l, double *held) {
  pthread_mutex_lock(&l->mu);
  double s = l->committed;
  if (held)
    *held = l->reserved;
  pthread_mutex_unlock(&l->mu);
  return s;
}

int sc_ledger_report(struct sc_ledger *l, struct sc_report *rep) {
  pthread_mutex_lock(&l->mu);
  int rc = 0;
  if (l->n && (rep->spend = sc_calloc(l->n, sizeof *rep->spend))) {
    for (size_t i = 0; i < l->n; i++) {
      const struct sc_ledger_item *it = &l->items[i];
      struct sc_spend *s = &rep->spend[i];
      s->what = sc_strdup(it->what);
      s->id = sc_strdup(it->id);
      s->check = sc_strdup(it->check);
      s->note = it->note ? sc_strdup(it->note) : NULL;
      s->cost = it->cost;
      s->cost_known = it->cost_known;
      s->state = it->state;
      s->refunded = it->state == SC_SPEND_RELEASED;
      if (!s->what || !s->id || !s->check || (it->note && !s->note))
        rc = -1;
    }
    rep->nspend = l->n;
  } else if (l->n) {
    rc = -1;
  }
  pthread_mutex_unlock(&l->mu);
  return rc;
}
