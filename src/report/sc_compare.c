/* sc_compare.c — the comparison's model and its view (see sc_compare.h;
 * the reader is sc_compare_read.c, the writers sc_compare_{html,md,json}.c).
 *
 * The model holds the vendors, each with its report, in the order added.
 * A writer first builds a view: the rows (distinct check ids, in the order
 * they first appear) in display order (by action, then category), one cell
 * per row and vendor, the tallies and the latencies; then it writes. */
#include "sc_compare_int.h"

#include "sc_alloc.h"
#include "sc_escape.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- model */

/* A string -> index map (open addressing, FNV-1a) over borrowed keys: the
 * check ids and actions of a comparison, 5000 lookups for 500 checks and
 * 10 vendors. */
struct smap {
  const char **key;
  size_t *val;
  size_t cap, n;
};

static size_t hash_str(const char *s) {
  uint64_t h = 14695981039346656037u;
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 1099511628211u;
  return (size_t)h;
}

static void smap_free(struct smap *m) {
  sc_free(m->key);
  sc_free(m->val);
  memset(m, 0, sizeof *m);
}

/* The slot of |k|: its own, or the empty one where it would go. */
static size_t smap_slot(const struct smap *m, const char *k) {
  size_t i = hash_str(k) & (m->cap - 1);
  while (m->key[i] && strcmp(m->key[i], k) != 0)
    i = (i + 1) & (m->cap - 1);
  return i;
}

static const size_t *smap_get(const struct smap *m, const char *k) {
  if (!m->cap)
    return NULL;
  size_t i = smap_slot(m, k);
  return m->key[i] ? &m->val[i] : NULL;
}

/* Adds |k| -> |v| (|k| must not be there). 0, or -1 out of memory. */
static int smap_put(struct smap *m, const char *k, size_t v) {
  if (2 * (m->n + 1) > m->cap) {
    struct smap g = {0};
    g.cap = m->cap ? m->cap * 2 : 64;
    g.key = sc_calloc(g.cap, sizeof *g.key);
    g.val = sc_calloc(g.cap, sizeof *g.val);
    if (!g.key || !g.val) {
      smap_free(&g);
      return -1;
    }
    for (size_t i = 0; i < m->cap; i++)
      if (m->key[i]) {
        size_t s = smap_slot(&g, m->key[i]);
        g.key[s] = m->key[i];
        g.val[s] = m->val[i];
      }
    g.n = m->n;
    smap_free(m);
    *m = g;
  }
  size_t s = smap_slot(m, k);
  m->key[s] = k;
  m->val[s] = v;
  m->n++;
  return 0;
}

struct sc_compare *sc_compare_new(void) {
  return sc_calloc(1, sizeof(struct sc_compare));
}

void sc_compare_destroy(struct sc_compare *c) {
  if (!c)
    return;
  for (size_t i = 0; i < c->nv; i++) {
    sc_free(c->v[i].name);
    sc_free(c->v[i].note);
    sc_free(c->v[i].dialect);
    sc_report_free(&c->v[i].rep);
  }
  sc_free(c->v);
  sc_free(c);
}

size_t sc_compare_nvendors(const struct sc_compare *c) {
  return c ? c->nv : 0;
}

static size_t nres(const struct sc_report *r) {
  return r->results ? r->nresults : 0;
}

/* A name or note: UTF-8 text without control characters. */
static int plain_text(const char *s) {
  if (sc_utf8_check(s, strlen(s)) != (size_t)-1)
    return 0;
  for (; *s; s++)
    if ((unsigned char)*s < 0x20 || *s == 0x7f)
      return 0;
  return 1;
}

int sc_compare_add(struct sc_compare *c, const char *name, const char *note,
                   const char *dialect, struct sc_report *rep, char *err,
                   size_t errlen) {
  struct sc_report r = *rep;
  struct smap seen = {0};
  struct vendor *nv;
  int rc = -1;

  memset(rep, 0, sizeof *rep);
  if (!name || !*name || strlen(name) > SC_COMPARE_NAME_MAX ||
      !plain_text(name)) {
    snprintf(err, errlen,
             "a vendor name is 1 to %d bytes of text without control "
             "characters",
             SC_COMPARE_NAME_MAX);
    goto out;
  }
  for (size_t i = 0; i < c->nv; i++)
    if (strcmp(c->v[i].name, name) == 0) {
      snprintf(err, errlen, "two vendors are named '%s': name each one", name);
      goto out;
    }
  if (c->nv == SC_COMPARE_MAX_VENDORS) {
    snprintf(err, errlen, "more than %d vendors", SC_COMPARE_MAX_VENDORS);
    goto out;
  }
  for (size_t i = 0; i < nres(&r); i++) {
    const char *id = r.results[i].id;
    char q[200];
    if (!id || !*id) {
      snprintf(err, errlen, "result %zu has no check id", i + 1);
      goto out;
    }
    if (smap_get(&seen, id)) {
      cmp_quote(id, q, sizeof q);
      snprintf(err, errlen, "check '%s' appears twice", q);
      goto out;
    }
    if (smap_put(&seen, id, i)) {
      snprintf(err, errlen, "out of memory");
      goto out;
    }
  }
  if (!(nv = sc_realloc(c->v, (c->nv + 1) * sizeof *c->v))) {
    snprintf(err, errlen, "out of memory");
    goto out;
  }
  c->v = nv;
  nv = &c->v[c->nv];
  memset(nv, 0, sizeof *nv);
  nv->name = sc_strdup(name);
  nv->note = note && *note ? sc_strdup(note) : NULL;
  nv->dialect = dialect && *dialect ? sc_strdup(dialect) : NULL;
  if (!nv->name || (note && *note && !nv->note) ||
      (dialect && *dialect && !nv->dialect)) {
    sc_free(nv->name);
    sc_free(nv->note);
    sc_free(nv->dialect);
    snprintf(err, errlen, "out of memory");
    goto out;
  }
  nv->rep = r;
  memset(&r, 0, sizeof r);
  c->nv++;
  rc = 0;
out:
  smap_free(&seen);
  sc_report_free(&r);
  return rc;
}

/* ----------------------------------------------------------------- view */

const char *const cmp_col_names[COL__COUNT] = {
#define COL_NAME(name, str, letter) str,
    COL_MAP(COL_NAME)
#undef COL_NAME
};

const char cmp_col_letters[COL__COUNT] = {
#define COL_LETTER(name, str, letter) letter,
    COL_MAP(COL_LETTER)
#undef COL_LETTER
};

static enum col col_of(const struct sc_check_result *r) {
  if (!r)
    return COL_UNSUP;
  switch (r->verdict) {
  case SC_VERDICT_PASS:
    return COL_PASS;
  case SC_VERDICT_WARN:
    return COL_WARN;
  case SC_VERDICT_FAIL:
    return COL_FAIL;
  case SC_VERDICT_SKIP:
    return COL_SKIP;
  case SC_VERDICT_BLOCKED:
    return COL_BLOCKED;
  case SC_VERDICT_UNSUPPORTED:
    return COL_UNSUP;
  default:
    return COL_ERROR;
  }
}

/* A row's place in the display: action, category, first appearance. */
struct place {
  size_t action, cat, row;
};

static int by_place(const void *a, const void *b) {
  const struct place *x = a, *y = b;
  if (x->action != y->action)
    return x->action < y->action ? -1 : 1;
  if (x->cat != y->cat)
    return x->cat < y->cat ? -1 : 1;
  return (x->row > y->row) - (x->row < y->row);
}

void cmp_view_free(struct view *v) {
  for (size_t j = 0; v->st && j < v->nv; j++)
    sc_free(v->st[j].acts);
  sc_free(v->st);
  sc_free(v->rows);
  sc_free(v->order);
  sc_free(v->cell);
  sc_free(v->col);
  sc_free(v->actions);
  sc_free(v->all);
  memset(v, 0, sizeof *v);
}

/* The action a request to |target| asked for: its `action` parameter (in
 * the query or a form body), else |check_action|. 0 when the request did
 * not go to the target (control, webhooks) or got no answer. */
static int span_param(const char *q, const char **a, size_t *n) {
  while (q && *q) {
    size_t seg = strcspn(q, "&#");
    if (seg > 7 && strncmp(q, "action=", 7) == 0) {
      *a = q + 7;
      *n = seg - 7;
      return 1;
    }
    if (q[seg] != '&')
      break;
    q += seg + 1;
  }
  return 0;
}

static int exchange_action(const char *target, const struct sc_check_result *c,
                           const struct sc_exchange *e, const char **a,
                           size_t *n) {
  size_t tl;
  if (!target || !e->url || e->transport_error || e->status <= 0)
    return 0;
  tl = strcspn(target, "?#");
  if (!tl || strncmp(e->url, target, tl) != 0 || !strchr("?/#", e->url[tl]))
    return 0;
  if (!span_param(strchr(e->url, '?') ? strchr(e->url, '?') + 1 : NULL, a, n) &&
      !span_param(e->request_body, a, n)) {
    if (!c->action)
      return 0;
    *a = c->action;
    *n = strlen(c->action);
  }
  if (!*n || *n > 64)
    return 0;
  for (size_t i = 0; i < *n; i++)
    if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                "0123456789._-",
                (*a)[i]))
      return 0;
  return 1;
}

struct sample {
  const char *a;
  size_t alen;
  double ms;
};

static int span_cmp(const char *a, size_t an, const char *b, size_t bn) {
  int d = memcmp(a, b, an < bn ? an : bn);
  return d ? d : (an > bn) - (an < bn);
}

static int by_action_ms(const void *x, const void *y) {
  const struct sample *a = x, *b = y;
  int d = span_cmp(a->a, a->alen, b->a, b->alen);
  if (d)
    return d;
  return (a->ms > b->ms) - (a->ms < b->ms);
}

static int by_ms(const void *x, const void *y) {
  const double *a = x, *b = y;
  return (*a > *b) - (*a < *b);
}

static int by_alat(const void *x, const void *y) {
  const struct alat *a = x, *b = y;
  return span_cmp(a->a, a->alen, b->a, b->alen);
}

/* The nearest rank of percentile |p| among |n| sorted values: the index
 * of the ceil(p * n)-th one (no libm: the run library does not link it). */
static size_t rank(size_t n, double p) {
  double x = p * (double)n;
  size_t k = (size_t)x;
  if ((double)k < x)
    k++;
  return k ? (k > n ? n : k) - 1 : 0;
}

static double pct(const double *v, size_t n, double p) {
  return n ? v[rank(n, p)] : 0;
}

static double pct_s(const struct sample *s, size_t n, double p) {
  return n ? s[rank(n, p)].ms : 0;
}

static int latency(const struct vendor *vd, struct vstat *st) {
  const struct sc_report *r = &vd->rep;
  size_t n = 0, k = 0;
  for (size_t i = 0; i < nres(r); i++)
    n += r->results[i].ex ? r->results[i].nex : 0;
  if (!n)
    return 0;
  struct sample *s = sc_calloc(n, sizeof *s);
  double *all = sc_calloc(n, sizeof *all);
  if (!s || !all)
    goto oom;
  for (size_t i = 0; i < nres(r); i++) {
    const struct sc_check_result *c = &r->results[i];
    for (size_t x = 0; c->ex && x < c->nex; x++)
      if (exchange_action(r->target, c, &c->ex[x], &s[k].a, &s[k].alen)) {
        s[k].ms = isfinite(c->ex[x].ms) ? c->ex[x].ms : 0;
        all[k] = s[k].ms;
        k++;
      }
  }
  qsort(s, k, sizeof *s, by_action_ms);
  qsort(all, k, sizeof *all, by_ms);
  st->nlat = k;
  st->p50 = pct(all, k, 0.50);
  st->p95 = pct(all, k, 0.95);
  if (k && !(st->acts = sc_calloc(k, sizeof *st->acts)))
    goto oom;
  for (size_t i = 0; i < k;) {
    size_t e = i;
    while (e < k && span_cmp(s[e].a, s[e].alen, s[i].a, s[i].alen) == 0)
      e++;
    struct alat *a = &st->acts[st->nacts++];
    a->a = s[i].a;
    a->alen = s[i].alen;
    a->n = e - i;
    a->p50 = pct_s(s + i, e - i, 0.50);
    a->p95 = pct_s(s + i, e - i, 0.95);
    i = e;
  }
  sc_free(s);
  sc_free(all);
  return 0;
oom:
  sc_free(s);
  sc_free(all);
  return -1;
}

const struct alat *cmp_find_alat(const struct vstat *st, const char *a,
                                 size_t n) {
  struct alat key = {.a = a, .alen = n};
  return st->nacts ? bsearch(&key, st->acts, st->nacts, sizeof key, by_alat)
                   : NULL;
}

/* Gives every result of every vendor its row: |rowof[j][i]| is the row of
 * vendor |j|'s result |i|. A row is made where its check id first appears
 * and an action is numbered where it first appears; the rows without an
 * action get SIZE_MAX, so that they go last. 0, or -1 out of memory. */
static int view_rows(struct view *v, size_t **rowof) {
  const struct sc_compare *c = v->c;
  struct smap ids = {0}, acts = {0};
  int rc = -1;

  for (size_t j = 0; j < c->nv; j++) {
    const struct sc_report *r = &c->v[j].rep;
    if (nres(r) && !(rowof[j] = sc_calloc(nres(r), sizeof **rowof)))
      goto out;
    for (size_t i = 0; i < nres(r); i++) {
      const struct sc_check_result *res = &r->results[i];
      const size_t *at = smap_get(&ids, res->id);
      if (at) {
        rowof[j][i] = *at;
        continue;
      }
      const char *a = res->action ? res->action : "";
      const size_t *ai = smap_get(&acts, a);
      if (!ai) {
        if (smap_put(&acts, a, v->nactions))
          goto out;
        v->actions[v->nactions++] = a;
        ai = smap_get(&acts, a);
      }
      v->rows[v->nrows].first = res;
      v->rows[v->nrows].action = *ai;
      if (smap_put(&ids, res->id, v->nrows))
        goto out;
      rowof[j][i] = v->nrows++;
    }
  }
  const size_t *none = smap_get(&acts, "");
  if (none)
    for (size_t i = 0; i < v->nrows; i++)
      if (v->rows[i].action == *none)
        v->rows[i].action = SIZE_MAX;
  rc = 0;
out:
  smap_free(&ids);
  smap_free(&acts);
  return rc;
}

/* Fills |v->order|: the rows by action, category and first appearance.
 * 0, or -1 out of memory. */
static int view_order(struct view *v) {
  struct place *pl = sc_calloc(v->nrows ? v->nrows : 1, sizeof *pl);
  if (!pl)
    return -1;
  for (size_t i = 0; i < v->nrows; i++) {
    pl[i].action = v->rows[i].action;
    pl[i].cat = cmp_cat_ix(v->rows[i].first);
    pl[i].row = i;
  }
  qsort(pl, v->nrows, sizeof *pl, by_place);
  for (size_t i = 0; i < v->nrows; i++)
    v->order[i] = pl[i].row;
  sc_free(pl);
  return 0;
}

/* Fills the cells from |rowof| (see view_rows), and the tallies. */
static void view_cells(struct view *v, size_t *const *rowof) {
  const struct sc_compare *c = v->c;
  size_t ncell = v->nrows * c->nv;

  for (size_t j = 0; j < c->nv; j++) {
    const struct sc_report *r = &c->v[j].rep;
    for (size_t i = 0; i < nres(r); i++) {
      size_t x = rowof[j][i] * c->nv + j;
      v->cell[x] = &r->results[i];
      /* as in the run: a BLOCKED that nothing of the vendor's report
       * explains is an ERROR */
      v->col[x] = sc_report_unexplained(r, &r->results[i])
                      ? COL_ERROR
                      : (unsigned char)col_of(&r->results[i]);
    }
  }
  for (size_t i = 0; i < ncell; i++)
    if (!v->cell[i])
      v->col[i] = COL_UNSUP;
  for (size_t i = 0; i < v->nrows; i++)
    for (size_t j = 0; j < c->nv; j++) {
      const struct sc_check_result *res = v->cell[i * c->nv + j];
      enum col k = (enum col)v->col[i * c->nv + j];
      v->st[j].col[k]++;
      v->st[j].cat[cmp_cat_ix(v->rows[i].first)][k]++;
      if (res)
        v->st[j].verdict[cmp_verdict_ix(res)]++;
    }
}

/* The latencies per vendor, and |v->all|: every action any vendor has one
 * for, once. 0, or -1 out of memory. */
static int view_latency(struct view *v) {
  const struct sc_compare *c = v->c;
  size_t n = 0, u = 0;

  for (size_t j = 0; j < c->nv; j++) {
    if (latency(&c->v[j], &v->st[j]))
      return -1;
    n += v->st[j].nacts;
  }
  if (n && !(v->all = sc_calloc(n, sizeof *v->all)))
    return -1;
  for (size_t j = 0; j < c->nv; j++)
    for (size_t k = 0; k < v->st[j].nacts; k++)
      v->all[v->nall++] = v->st[j].acts[k];
  if (v->nall)
    qsort(v->all, v->nall, sizeof *v->all, by_alat);
  for (size_t k = 0; k < v->nall; k++)
    if (!u || by_alat(&v->all[u - 1], &v->all[k]) != 0)
      v->all[u++] = v->all[k];
  v->nall = u;
  return 0;
}

int cmp_view_build(const struct sc_compare *c, struct view *v, int timing) {
  size_t total = 0, ncell, **rowof = NULL;
  int rc = -1;

  memset(v, 0, sizeof *v);
  v->c = c;
  v->nv = c->nv;
  for (size_t j = 0; j < c->nv; j++)
    total += nres(&c->v[j].rep);
  if (!(v->st = sc_calloc(c->nv ? c->nv : 1, sizeof *v->st)) ||
      !(rowof = sc_calloc(c->nv ? c->nv : 1, sizeof *rowof)) ||
      !(v->rows = sc_calloc(total ? total : 1, sizeof *v->rows)) ||
      !(v->actions = sc_calloc(total ? total : 1, sizeof *v->actions)) ||
      view_rows(v, rowof))
    goto out;
  if (v->nrows && (size_t)-1 / v->nrows < (c->nv ? c->nv : 1))
    goto out;
  ncell = v->nrows * c->nv;
  if (!(v->order = sc_calloc(v->nrows ? v->nrows : 1, sizeof *v->order)) ||
      !(v->cell = sc_calloc(ncell ? ncell : 1, sizeof *v->cell)) ||
      !(v->col = sc_calloc(ncell ? ncell : 1, sizeof *v->col)) || view_order(v))
    goto out;
  view_cells(v, rowof);
  if (timing && view_latency(v))
    goto out;
  rc = 0;
out:
  for (size_t j = 0; rowof && j < c->nv; j++)
    sc_free(rowof[j]);
  sc_free(rowof);
  if (rc)
    cmp_view_free(v);
  return rc;
}

void cmp_score_of(const struct vstat *st, struct sc_compare_score *s) {
  memset(s, 0, sizeof *s);
  memcpy(s->n, st->verdict, sizeof s->n);
  s->unsupported = st->col[COL_UNSUP];
  s->passed = st->col[COL_PASS] + st->col[COL_WARN];
  s->applicable = s->passed + st->col[COL_FAIL] + st->col[COL_ERROR];
  s->score = s->applicable ? (double)s->passed / (double)s->applicable : -1;
}

size_t sc_compare_nchecks(const struct sc_compare *c) {
  struct view v;
  size_t n;
  if (!c || cmp_view_build(c, &v, 0))
    return 0;
  n = v.nrows;
  cmp_view_free(&v);
  return n;
}

const char *sc_compare_score(const struct sc_compare *c, size_t i,
                             struct sc_compare_score *s) {
  struct view v;
  memset(s, 0, sizeof *s);
  s->score = -1;
  if (!c || i >= c->nv || cmp_view_build(c, &v, 0))
    return NULL;
  cmp_score_of(&v.st[i], s);
  cmp_view_free(&v);
  return c->v[i].name;
}
