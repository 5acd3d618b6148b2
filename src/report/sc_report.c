/* sc_report.c — the outcome of a run (see sc_report.h): names, freeing,
 * what counts as a failure, and the view every writer works from (each
 * result's outcome, and the findings grouped by cause), made once before
 * it writes. The writers are sc_report_{junit,tap,json,md,html,console}.c.
 *
 * How a verdict counts in this run (its outcome) depends on the run's
 * options and on the other results: with r->strict a WARN blocks like a
 * FAIL; UNSUPPORTED never blocks; a BLOCKED result is explained when the
 * check its blocked_by names is in the report with FAIL, ERROR or
 * UNSUPPORTED (or is itself an explained BLOCKED), and is otherwise an
 * ERROR: a step failed and no check of the run owns the finding. A
 * blocking result whose check is in the baseline (c->baseline) is
 * reported but accepted. */
#include "sc_report_int.h"

#include "sc_alloc.h"

#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- model */

const char *sc_cat_name(enum sc_cat c) {
  switch (c) {
#define SC_CAT_NAME(name, str)                                                 \
  case SC_CAT_##name:                                                          \
    return str;
    SC_CAT_MAP(SC_CAT_NAME)
#undef SC_CAT_NAME
  case SC_CAT__COUNT:
    break;
  }
  return "unknown";
}

const char *sc_spend_state_name(enum sc_spend_state s) {
  switch (s) {
#define SC_SPEND_NAME(name, str)                                               \
  case SC_SPEND_##name:                                                        \
    return str;
    SC_SPEND_STATE_MAP(SC_SPEND_NAME)
#undef SC_SPEND_NAME
  case SC_SPEND__COUNT:
    break;
  }
  return "unknown";
}

void sc_report_count(struct sc_report *r) {
  if (!r)
    return;
  memset(r->counts, 0, sizeof(r->counts));
  for (size_t i = 0; i < rpt_nresults(r); i++)
    r->counts[rpt_verdict(&r->results[i])]++;
}

void sc_exchange_free(struct sc_exchange *e) {
  sc_free(e->method);
  sc_free(e->url);
  sc_free(e->request_body);
  sc_free(e->request_auth);
  sc_free(e->content_type);
  sc_free(e->body);
  sc_free(e->transport_error);
}

void sc_check_result_free(struct sc_check_result *c) {
  sc_free(c->id);
  sc_free(c->action);
  sc_free(c->tags);
  sc_free(c->requirement);
  sc_free(c->doc);
  sc_free(c->section);
  sc_free(c->message);
  sc_free(c->expected);
  sc_free(c->actual);
  sc_free(c->curl);
  sc_free(c->blocked_by);
  sc_free(c->cause);
  for (size_t k = 0; k < rpt_ndevs(c); k++) {
    sc_free(c->devs[k].code);
    sc_free(c->devs[k].message);
  }
  sc_free(c->devs);
  for (size_t k = 0; k < rpt_nexchanges(c); k++)
    sc_exchange_free(&c->ex[k]);
  sc_free(c->ex);
  memset(c, 0, sizeof *c);
}

void sc_report_free(struct sc_report *r) {
  if (!r)
    return;
  for (size_t i = 0; i < rpt_nresults(r); i++)
    sc_check_result_free(&r->results[i]);
  sc_free(r->results);
  for (size_t i = 0; i < rpt_nspend(r); i++) {
    sc_free(r->spend[i].what);
    sc_free(r->spend[i].id);
    sc_free(r->spend[i].check);
    sc_free(r->spend[i].note);
  }
  sc_free(r->spend);
  for (size_t i = 0; i < rpt_nunsupported(r); i++)
    sc_free(r->unsupported[i]);
  sc_free(r->unsupported);
  sc_free(r->tool);
  sc_free(r->target);
  sc_free(r->profile);
  sc_free(r->started);
  memset(r, 0, sizeof(*r));
}

const char *const rpt_oc_names[OC__COUNT] = {
#define OC_NAME(name) #name,
    OC_MAP(OC_NAME)
#undef OC_NAME
};

/* The result whose id is |id|, or NULL. */
static const struct sc_check_result *find_result(const struct sc_report *r,
                                                 const char *id) {
  for (size_t i = 0; id && i < rpt_nresults(r); i++)
    if (r->results[i].id && strcmp(r->results[i].id, id) == 0)
      return &r->results[i];
  return NULL;
}

/* The links of blocked_by followed at most: a longer chain, or a cycle,
 * explains nothing. */
#define BLOCK_DEPTH 8

/* 1 when the step that blocked |c| (a BLOCKED result) is a finding of the
 * run: the check that owns it is in the report with FAIL or ERROR (its
 * failure carries the exit code), or UNSUPPORTED (the endpoint does not
 * implement that action: not a failure), or is BLOCKED itself by such a
 * check. */
static int blocked_explained(const struct sc_report *r,
                             const struct sc_check_result *c) {
  for (int depth = 0; depth < BLOCK_DEPTH; depth++) {
    const struct sc_check_result *o = find_result(r, c->blocked_by);
    if (!o || o == c)
      return 0;
    switch (rpt_verdict(o)) {
    case SC_VERDICT_FAIL:
    case SC_VERDICT_ERROR:
    case SC_VERDICT_UNSUPPORTED:
      return 1;
    case SC_VERDICT_BLOCKED:
      c = o;
      break;
    default:
      return 0;
    }
  }
  return 0;
}

int sc_report_unexplained(const struct sc_report *r,
                          const struct sc_check_result *c) {
  return rpt_verdict(c) == SC_VERDICT_BLOCKED && !blocked_explained(r, c);
}

/* Why a BLOCKED result that nothing explains fails the run. */
const char *rpt_unexplained_why(const struct sc_report *r,
                                const struct sc_check_result *c) {
  if (!c->blocked_by || !*c->blocked_by)
    return "no check is named as the owner of the step that failed";
  if (!find_result(r, c->blocked_by))
    return "the check that owns the step is not in this run";
  return "the check that owns the step did not fail";
}

/* FAIL and ERROR block a run, and so does WARN under --strict (then it is
 * OC_FAIL) and a BLOCKED that nothing explains (then it is OC_ERROR); a
 * blocking result accepted by the baseline is OC_ACCEPTED. */
static enum outcome outcome_of(const struct sc_report *r,
                               const struct sc_check_result *c) {
  enum sc_verdict v = rpt_verdict(c);
  int unexplained = v == SC_VERDICT_BLOCKED && !blocked_explained(r, c);
  int blocking = v == SC_VERDICT_FAIL || v == SC_VERDICT_ERROR ||
                 (v == SC_VERDICT_WARN && r->strict) || unexplained;
  if (blocking && c->baseline)
    return OC_ACCEPTED;
  switch (v) {
  case SC_VERDICT_PASS:
    return OC_PASS;
  case SC_VERDICT_SKIP:
    return OC_SKIP;
  case SC_VERDICT_UNSUPPORTED:
    return OC_UNSUPPORTED;
  case SC_VERDICT_BLOCKED:
    return unexplained ? OC_ERROR : OC_BLOCKED;
  case SC_VERDICT_WARN:
    return r->strict ? OC_FAIL : OC_WARN;
  case SC_VERDICT_FAIL:
    return OC_FAIL;
  default:
    return OC_ERROR;
  }
}

int sc_report_blocks(const struct sc_report *r,
                     const struct sc_check_result *c) {
  enum outcome oc = outcome_of(r, c);
  return oc == OC_FAIL || oc == OC_ERROR;
}

size_t sc_report_blockers(const struct sc_report *r) {
  size_t n = 0;
  for (size_t i = 0; i < rpt_nresults(r); i++)
    n += (size_t)sc_report_blocks(r, &r->results[i]);
  return n;
}

/* ----------------------------------------------------------------- view */

struct citem {
  const char *key;
  int by_id;
  size_t idx;
};

static int by_key(const void *a, const void *b) {
  const struct citem *x = a, *y = b;
  if (x->by_id != y->by_id)
    return x->by_id - y->by_id;
  int d = strcmp(x->key, y->key);
  if (d)
    return d;
  return (x->idx > y->idx) - (x->idx < y->idx);
}

/* What a group asks of the vendor: 2 something fails, 1 something warns
 * or is blocked, 0 nothing (not implemented, skipped). */
static int group_rank(const struct cgroup *g) {
  if (g->v[SC_VERDICT_FAIL] + g->v[SC_VERDICT_ERROR] > g->accepted)
    return 2;
  return g->v[SC_VERDICT_WARN] || g->v[SC_VERDICT_BLOCKED] ? 1 : 0;
}

/* What fails first, then what warns or is blocked, then the rest; the
 * largest first within each. */
static int by_size(const void *a, const void *b) {
  const struct cgroup *x = a, *y = b;
  int sx = group_rank(x), sy = group_rank(y);
  if (sx != sy)
    return sy - sx;
  if (x->n != y->n)
    return x->n > y->n ? -1 : 1;
  return (x->at > y->at) - (x->at < y->at);
}

void rpt_view_free(struct rview *v) {
  sc_free(v->oc);
  sc_free(v->items);
  sc_free(v->g);
  memset(v, 0, sizeof *v);
}

/* Builds the view of |r|: 0, or -1 when out of memory (|v| freed). */
int rpt_view_build(const struct sc_report *r, struct rview *v) {
  size_t n = rpt_nresults(r), k = 0;
  struct citem *it;

  memset(v, 0, sizeof *v);
  v->oc = sc_calloc(n ? n : 1, sizeof *v->oc);
  v->items = sc_calloc(n ? n : 1, sizeof *v->items);
  v->g = sc_calloc(n ? n : 1, sizeof *v->g);
  it = sc_calloc(n ? n : 1, sizeof *it);
  if (!v->oc || !v->items || !v->g || !it) {
    sc_free(it);
    rpt_view_free(v);
    return -1;
  }
  for (size_t i = 0; i < n; i++) {
    const struct sc_check_result *c = &r->results[i];
    enum outcome o = outcome_of(r, c);
    size_t cat = rpt_cat(c);
    v->oc[i] = (unsigned char)o;
    v->cat[cat][o]++;
    v->catv[cat][rpt_verdict(c)]++;
    v->ncat[cat]++;
    v->t[o]++;
    v->verdict[rpt_verdict(c)]++;
    v->cat_ms[cat] += rpt_finite_pos(c->ms);
    v->nstale += (size_t)rpt_stale(c, o);
    if (rpt_verdict(c) == SC_VERDICT_PASS)
      continue;
    it[k].by_id = !c->cause || !*c->cause;
    it[k].key = it[k].by_id ? rpt_id(c) : c->cause;
    it[k].idx = i;
    k++;
  }
  qsort(it, k, sizeof *it, by_key);
  for (size_t j = 0; j < k; j++) {
    const struct sc_check_result *c = &r->results[it[j].idx];
    if (!j || it[j].by_id != it[j - 1].by_id ||
        strcmp(it[j].key, it[j - 1].key) != 0) {
      struct cgroup *g = &v->g[v->ng++];
      g->label = it[j].key;
      g->by_id = it[j].by_id;
      g->first = j;
      g->at = it[j].idx;
    }
    struct cgroup *g = &v->g[v->ng - 1];
    v->items[j] = it[j].idx;
    g->n++;
    g->v[rpt_verdict(c)]++;
    g->accepted += v->oc[it[j].idx] == OC_ACCEPTED;
  }
  v->nitems = k;
  qsort(v->g, v->ng, sizeof *v->g, by_size);
  sc_free(it);
  return 0;
}

/* The run's verdict: the worst outcome, an accepted, skipped, unsupported
 * or (explained) blocked result counting as passed. */
const char *rpt_run_verdict(const struct rview *v) {
  if (v->t[OC_ERROR])
    return "ERROR";
  if (v->t[OC_FAIL])
    return "FAIL";
  if (v->t[OC_WARN])
    return "WARN";
  return "PASS";
}

/* --------------------------------------------------------------- ledger */

enum sc_spend_state rpt_spend_state(const struct sc_spend *s) {
  if ((unsigned)s->state >= SC_SPEND__COUNT)
    return SC_SPEND_LEFT_ACTIVE;
  if (s->state == SC_SPEND_RELEASED && !s->refunded)
    return SC_SPEND_LEFT_ACTIVE;
  return s->state;
}

void rpt_ledger_of(const struct sc_report *r, struct ledger *l) {
  memset(l, 0, sizeof *l);
  for (size_t i = 0; i < rpt_nspend(r); i++) {
    const struct sc_spend *s = &r->spend[i];
    enum sc_spend_state st = rpt_spend_state(s);
    l->n[st]++;
    if (!rpt_cost_known(s)) {
      l->unknown++;
      continue;
    }
    l->spent += s->cost;
    if (st == SC_SPEND_RELEASED)
      l->refunded += s->cost;
    else if (st == SC_SPEND_LEFT_ACTIVE)
      l->left += s->cost;
  }
}

int rpt_begin(const struct sc_report *r, FILE *out, struct sc_out *o,
              struct rview *v, struct ledger *l) {
  if (!r || !out || rpt_view_build(r, v))
    return -1;
  rpt_ledger_of(r, l);
  sc_out_init(o, out);
  return 0;
}
