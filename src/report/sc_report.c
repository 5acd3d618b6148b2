/* sc_report.c — report writers (see sc_report.h): the console summary,
 * JUnit XML, TAP 14, JSON, Markdown and one self-contained HTML file.
 *
 * Every writer stages its output in one sc_buf and hands it to the FILE in
 * chunks, so an allocation failure and a write failure end the same way:
 * the writer stops producing, and returns -1. Besides that buffer a writer
 * allocates only its view of the report (struct rview: each result's
 * outcome, and the findings grouped by cause), made once before it writes.
 *
 * Untrusted text (anything that came from an endpoint, and to be safe every
 * string of the model) goes through out_esc() with the escaping rules of
 * the format. The display formats share one rule for what cannot be shown
 * as it is: a byte that is not text (a control character, or a byte of
 * invalid UTF-8) is written as the four characters \xNN, and a code point
 * that is valid but invisible or misleading on screen (C1 controls,
 * zero-width and bidirectional marks, line/paragraph separators, the byte
 * order mark, U+FFFE/U+FFFF) as \uNNNN. JSON is data, not display: there
 * text is escaped losslessly and a body that is not UTF-8 goes as base64.
 *
 * How a verdict counts in this run (its outcome) depends on the run's
 * options and on the other results: with r->strict a WARN blocks like a
 * FAIL; UNSUPPORTED never blocks; a BLOCKED result is explained when the
 * check its blocked_by names is in the report with FAIL, ERROR or
 * UNSUPPORTED (or is itself an explained BLOCKED), and is otherwise an
 * ERROR: a step failed and no check of the run owns the finding. A
 * blocking result whose check is in the baseline (c->baseline) is
 * reported but accepted. */
#include "sc_report.h"

#include "sc_alloc.h"
#include "sc_buf.h"
#include "sc_escape.h"
#include "sc_out.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
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

/* A verdict outside the enum is a runner bug; it is reported as ERROR
 * rather than trusted as an index. */
static enum sc_verdict verdict_of(const struct sc_check_result *c) {
  return (unsigned)c->verdict < SC_VERDICT__COUNT ? c->verdict
                                                  : SC_VERDICT_ERROR;
}

static enum sc_verdict dev_verdict(const struct sc_check_dev *d) {
  return (unsigned)d->verdict < SC_VERDICT__COUNT ? d->verdict
                                                  : SC_VERDICT_ERROR;
}

/* Category index, SC_CAT__COUNT standing for "unknown". */
static size_t cat_of(const struct sc_check_result *c) {
  return (unsigned)c->cat < SC_CAT__COUNT ? (size_t)c->cat : SC_CAT__COUNT;
}

static const char *cat_label(size_t k) {
  return sc_cat_name((enum sc_cat)k);
}

static size_t nresults(const struct sc_report *r) {
  return r->results ? r->nresults : 0;
}

static size_t nexchanges(const struct sc_check_result *c) {
  return c->ex ? c->nex : 0;
}

static size_t ndevs(const struct sc_check_result *c) {
  return c->devs ? c->ndevs : 0;
}

static size_t nspend(const struct sc_report *r) {
  return r->spend ? r->nspend : 0;
}

static size_t nunsupported(const struct sc_report *r) {
  size_t n = 0;
  while (r->unsupported && r->unsupported[n])
    n++;
  return n;
}

/* The HTTP status a report shows: not when there was no answer (0), and
 * not the ordinary 200. */
static int status_shown(const struct sc_check_result *c) {
  return c->http_status != 0 && c->http_status != 200;
}

static double finite_pos(double v) {
  return isfinite(v) && v > 0 ? v : 0;
}

void sc_report_count(struct sc_report *r) {
  if (!r)
    return;
  memset(r->counts, 0, sizeof(r->counts));
  for (size_t i = 0; i < nresults(r); i++)
    r->counts[verdict_of(&r->results[i])]++;
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
  for (size_t k = 0; k < ndevs(c); k++) {
    sc_free(c->devs[k].code);
    sc_free(c->devs[k].message);
  }
  sc_free(c->devs);
  for (size_t k = 0; k < nexchanges(c); k++)
    sc_exchange_free(&c->ex[k]);
  sc_free(c->ex);
  memset(c, 0, sizeof *c);
}

void sc_report_free(struct sc_report *r) {
  if (!r)
    return;
  for (size_t i = 0; i < nresults(r); i++)
    sc_check_result_free(&r->results[i]);
  sc_free(r->results);
  for (size_t i = 0; i < nspend(r); i++) {
    sc_free(r->spend[i].what);
    sc_free(r->spend[i].id);
    sc_free(r->spend[i].check);
    sc_free(r->spend[i].note);
  }
  sc_free(r->spend);
  for (size_t i = 0; i < nunsupported(r); i++)
    sc_free(r->unsupported[i]);
  sc_free(r->unsupported);
  sc_free(r->tool);
  sc_free(r->target);
  sc_free(r->profile);
  sc_free(r->started);
  memset(r, 0, sizeof(*r));
}

/* What a result counts as in this run. */
#define OC_MAP(X)                                                              \
  X(PASS)                                                                      \
  X(SKIP)                                                                      \
  X(UNSUPPORTED)                                                               \
  X(BLOCKED)                                                                   \
  X(WARN)                                                                      \
  X(FAIL)                                                                      \
  X(ERROR)                                                                     \
  X(ACCEPTED)

enum outcome {
#define OC_ENUM(name) OC_##name,
  OC_MAP(OC_ENUM)
#undef OC_ENUM
  OC__COUNT
};

static const char *const oc_names[] = {
#define OC_NAME(name) #name,
    OC_MAP(OC_NAME)
#undef OC_NAME
};

/* The result whose id is |id|, or NULL. */
static const struct sc_check_result *find_result(const struct sc_report *r,
                                                 const char *id) {
  for (size_t i = 0; id && i < nresults(r); i++)
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
    switch (verdict_of(o)) {
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
  return verdict_of(c) == SC_VERDICT_BLOCKED && !blocked_explained(r, c);
}

/* Why a BLOCKED result that nothing explains fails the run. */
static const char *unexplained_why(const struct sc_report *r,
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
  enum sc_verdict v = verdict_of(c);
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
  for (size_t i = 0; i < nresults(r); i++)
    n += (size_t)sc_report_blocks(r, &r->results[i]);
  return n;
}

/* An entry of the baseline that does not fail now: it can go. */
static int stale(const struct sc_check_result *c, enum outcome oc) {
  return c->baseline && oc != OC_ACCEPTED;
}

/* ------------------------------------------------------------ the view */

/* Results that did not pass for the same reason: the same cause, or one
 * check's own id when it has none. */
struct cgroup {
  const char *label;
  int by_id;
  size_t first, n; /* its results: items[first .. first + n), run order */
  size_t at;       /* the run index of its first result */
  size_t v[SC_VERDICT__COUNT];
  size_t accepted; /* by the baseline */
};

/* What every writer works from: outcomes, tallies, groups. */
struct rview {
  unsigned char *oc; /* enum outcome per result */
  size_t cat[SC_CAT__COUNT + 1][OC__COUNT];
  size_t catv[SC_CAT__COUNT + 1][SC_VERDICT__COUNT];
  size_t ncat[SC_CAT__COUNT + 1];
  size_t t[OC__COUNT];
  size_t verdict[SC_VERDICT__COUNT];
  double cat_ms[SC_CAT__COUNT + 1];
  size_t nstale;
  size_t *items; /* indexes of the results that did not pass, grouped */
  size_t nitems;
  struct cgroup *g; /* what fails first, then the largest (by_size) */
  size_t ng;
};

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

/* A check's name where one is required (JUnit, TAP): never empty. */
static const char *id_of(const struct sc_check_result *c) {
  return c->id && *c->id ? c->id : "(no id)";
}

static void rview_free(struct rview *v) {
  sc_free(v->oc);
  sc_free(v->items);
  sc_free(v->g);
  memset(v, 0, sizeof *v);
}

/* Builds the view of |r|: 0, or -1 when out of memory (|v| freed). */
static int rview_build(const struct sc_report *r, struct rview *v) {
  size_t n = nresults(r), k = 0;
  struct citem *it;

  memset(v, 0, sizeof *v);
  v->oc = sc_calloc(n ? n : 1, sizeof *v->oc);
  v->items = sc_calloc(n ? n : 1, sizeof *v->items);
  v->g = sc_calloc(n ? n : 1, sizeof *v->g);
  it = sc_calloc(n ? n : 1, sizeof *it);
  if (!v->oc || !v->items || !v->g || !it) {
    sc_free(it);
    rview_free(v);
    return -1;
  }
  for (size_t i = 0; i < n; i++) {
    const struct sc_check_result *c = &r->results[i];
    enum outcome o = outcome_of(r, c);
    size_t cat = cat_of(c);
    v->oc[i] = (unsigned char)o;
    v->cat[cat][o]++;
    v->catv[cat][verdict_of(c)]++;
    v->ncat[cat]++;
    v->t[o]++;
    v->verdict[verdict_of(c)]++;
    v->cat_ms[cat] += finite_pos(c->ms);
    v->nstale += (size_t)stale(c, o);
    if (verdict_of(c) == SC_VERDICT_PASS)
      continue;
    it[k].by_id = !c->cause || !*c->cause;
    it[k].key = it[k].by_id ? id_of(c) : c->cause;
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
    g->v[verdict_of(c)]++;
    g->accepted += v->oc[it[j].idx] == OC_ACCEPTED;
  }
  v->nitems = k;
  qsort(v->g, v->ng, sizeof *v->g, by_size);
  sc_free(it);
  return 0;
}

static const struct sc_check_result *gres(const struct sc_report *r,
                                          const struct rview *v,
                                          const struct cgroup *g, size_t k) {
  return &r->results[v->items[g->first + k]];
}

/* The run's verdict: the worst outcome, an accepted, skipped, unsupported
 * or (explained) blocked result counting as passed. */
static const char *run_verdict(const struct rview *v) {
  if (v->t[OC_ERROR])
    return "ERROR";
  if (v->t[OC_FAIL])
    return "FAIL";
  if (v->t[OC_WARN])
    return "WARN";
  return "PASS";
}

static const char *str_or(const char *s, const char *dflt) {
  return s ? s : dflt;
}

/* The ledger's totals. A purchase counts as released only when its state
 * says so and its money came back (refunded): a state left at its zero
 * value, RELEASED, without the refund is shown as left active, so that no
 * purchase looks settled that was not. */
struct ledger {
  double spent;    /* the known prices of every purchase */
  double refunded; /* of those released */
  double left;     /* of those left active */
  size_t n[SC_SPEND__COUNT];
  size_t unknown; /* purchases whose price is not known */
};

static enum sc_spend_state spend_state(const struct sc_spend *s) {
  if ((unsigned)s->state >= SC_SPEND__COUNT)
    return SC_SPEND_LEFT_ACTIVE;
  if (s->state == SC_SPEND_RELEASED && !s->refunded)
    return SC_SPEND_LEFT_ACTIVE;
  return s->state;
}

static int cost_known(const struct sc_spend *s) {
  return s->cost_known && isfinite(s->cost);
}

static void ledger_of(const struct sc_report *r, struct ledger *l) {
  memset(l, 0, sizeof *l);
  for (size_t i = 0; i < nspend(r); i++) {
    const struct sc_spend *s = &r->spend[i];
    enum sc_spend_state st = spend_state(s);
    l->n[st]++;
    if (!cost_known(s)) {
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

/* --------------------------------------------------------------- output */

/* Seconds for a time attribute: three decimals, never negative. */
static void out_secs(struct sc_out *o, double s) {
  sc_out_num(o, finite_pos(s), 3, 0);
}

/* An amount of money: two decimals, three or four when the amount has
 * them (a price of 0.025). */
static void out_money(struct sc_out *o, double v) {
  double a = v < 0 ? -v : v;
  int prec = 2;
  if (isfinite(a) && a < 1e12)
    for (double scale = 100; prec < 4; prec++, scale *= 10) {
      double s = a * scale, fr = s - (double)(long long)s;
      if (fr < 1e-6 || fr > 1 - 1e-6)
        break;
    }
  sc_out_num(o, v, prec, 0);
}

static int max_spend_set(const struct sc_report *r) {
  return isfinite(r->max_spend) && r->max_spend >= 0;
}

/* ------------------------------------------------------------- escaping */

enum esc {
  ESC_XML,      /* XML element content */
  ESC_XML_ATTR, /* XML attribute value between double quotes */
  ESC_HTML,     /* HTML text or attribute value between double quotes */
  ESC_MD,       /* Markdown text on one line, table cells included */
  ESC_YAML,     /* inside a YAML double-quoted scalar */
  ESC_TAP,      /* a TAP description or directive reason */
  ESC_LINE,     /* one line of plain text (a Markdown code block) */
  ESC_TEXT      /* plain text with its line breaks (shown by textContent) */
};

/* Decodes the unit at |u[i]|: its length with |*cp| set, or 0 when the
 * byte starts no valid UTF-8 sequence (|*cp| is then the byte). */
static size_t decode(const unsigned char *u, size_t n, size_t i,
                     unsigned long *cp) {
  size_t bad, l;
  *cp = u[i];
  if (u[i] < 0x80)
    return 1;
  l = sc_utf8_seq(u, n, i, &bad);
  if (l == 2)
    *cp = (u[i] & 0x1FUL) << 6 | (u[i + 1] & 0x3FUL);
  else if (l == 3)
    *cp =
        (u[i] & 0x0FUL) << 12 | (u[i + 1] & 0x3FUL) << 6 | (u[i + 2] & 0x3FUL);
  else if (l == 4)
    *cp = (u[i] & 0x07UL) << 18 | (u[i + 1] & 0x3FUL) << 12 |
          (u[i + 2] & 0x3FUL) << 6 | (u[i + 3] & 0x3FUL);
  return l;
}

/* Valid code points that show as nothing or reorder what follows: C1
 * controls, zero-width and bidi marks, line and paragraph separators,
 * bidi embeddings and isolates, the BOM, and the two BMP noncharacters
 * that XML 1.0 excludes. */
static int invisible(unsigned long cp) {
  return (cp >= 0x80 && cp <= 0x9F) || (cp >= 0x200B && cp <= 0x200F) ||
         (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x2069) ||
         cp == 0xFEFF || cp == 0xFFFE || cp == 0xFFFF;
}

/* The replacement for one unit in mode |m|, or NULL to copy it as it is
 * (a tab or newline "replaced" by itself is kept as well). |bad|: the unit
 * is a byte of invalid UTF-8. */
static const char *esc_one(enum esc m, unsigned long cp, int bad,
                           char tmp[32]) {
  /* a literal backslash in the output text */
  const char *bs = m == ESC_MD || m == ESC_TAP || m == ESC_YAML ? "\\\\" : "\\";

  if (bad) {
    snprintf(tmp, 32, "%sx%02lx", bs, cp);
    return tmp;
  }
  if (cp == '\t' || cp == '\n' || cp == '\r') {
    static const char *const ws[][3] = {
        /* tab       newline   carriage return */
        [ESC_XML] = {"\t", "\n", "&#13;"},
        [ESC_XML_ATTR] = {"&#9;", "&#10;", "&#13;"},
        [ESC_HTML] = {"\t", "\n", NULL},
        [ESC_MD] = {" ", "<br>", NULL},
        [ESC_YAML] = {"\\t", "\\n", "\\r"},
        [ESC_TAP] = {NULL, NULL, NULL},
        [ESC_LINE] = {"\t", NULL, NULL},
        [ESC_TEXT] = {"\t", "\n", NULL},
    };
    const char *w = ws[m][cp == '\t' ? 0 : cp == '\n' ? 1 : 2];
    if (w)
      return w;
  }
  if (cp < 0x20 || cp == 0x7F) {
    /* YAML has its own \xNN escape: the character itself, losslessly */
    snprintf(tmp, 32, "%sx%02lx", m == ESC_YAML ? "\\" : bs, cp);
    return tmp;
  }
  if (cp < 0x80) {
    switch (m) {
    case ESC_XML:
    case ESC_XML_ATTR:
    case ESC_HTML:
    case ESC_MD:
      if (cp == '&')
        return "&amp;";
      if (cp == '<')
        return "&lt;";
      if (cp == '>')
        return "&gt;";
      if (m == ESC_MD) {
        if (strchr("\\`*_[]|~@$", (int)cp)) {
          tmp[0] = '\\';
          tmp[1] = (char)cp;
          tmp[2] = '\0';
          return tmp;
        }
        return NULL;
      }
      if (m == ESC_XML)
        return NULL;
      if (cp == '"')
        return "&quot;";
      if (cp == '\'')
        return m == ESC_HTML ? "&#39;" : "&apos;";
      return NULL;
    case ESC_YAML:
      if (cp == '"')
        return "\\\"";
      if (cp == '\\')
        return "\\\\";
      return NULL;
    case ESC_TAP:
      if (cp == '#')
        return "\\#";
      if (cp == '\\')
        return "\\\\";
      return NULL;
    case ESC_LINE:
    case ESC_TEXT:
      return NULL;
    }
    return NULL;
  }
  if (invisible(cp)) {
    snprintf(tmp, 32, "%su%04lx", m == ESC_YAML ? "\\" : bs, cp);
    return tmp;
  }
  return NULL;
}

/* Appends [s, s+n) escaped for |m|. When |cap| is not 0 at most |cap| code
 * points are shown, then an ellipsis. NULL |s| writes nothing. */
static void out_escn(struct sc_out *o, const char *s, size_t n, enum esc m,
                     size_t cap) {
  const unsigned char *u = (const unsigned char *)s;
  size_t i = 0, run = 0, shown = 0;
  char tmp[32];

  if (!s)
    return;
  while (i < n) {
    unsigned long cp;
    if (cap && shown == cap) {
      sc_out_n(o, s + i - run, run);
      sc_out_s(o, "\xE2\x80\xA6"); /* U+2026 */
      return;
    }
    shown++;
    size_t l = decode(u, n, i, &cp);
    const char *rep = esc_one(m, cp, l == 0, tmp);
    if (l == 0)
      l = 1;
    if (rep) {
      sc_out_n(o, s + i - run, run);
      run = 0;
      sc_out_s(o, rep);
    } else {
      run += l;
    }
    i += l;
  }
  sc_out_n(o, s + n - run, run);
}

static void out_esc(struct sc_out *o, const char *s, enum esc m, size_t cap) {
  if (s)
    out_escn(o, s, strlen(s), m, cap);
}

/* A body as displayed: at most SC_REPORT_BODY_MAX bytes even if the runner
 * kept more. */
static size_t body_shown(const struct sc_exchange *e) {
  if (!e->body)
    return 0;
  return e->body_len > SC_REPORT_BODY_MAX ? SC_REPORT_BODY_MAX : e->body_len;
}

static int body_cut(const struct sc_exchange *e) {
  return e->body_truncated || (e->body && e->body_len > SC_REPORT_BODY_MAX);
}

/* 1 when the body is not UTF-8 text (NUL bytes or invalid sequences). */
static int body_binary(const struct sc_exchange *e) {
  return e->body && sc_utf8_check(e->body, e->body_len) != (size_t)-1;
}

/* "doc § section", or whichever half is there. */
static void out_citation(struct sc_out *o, const struct sc_check_result *c,
                         enum esc m, size_t cap) {
  out_esc(o, c->doc, m, cap);
  if (c->doc && c->section)
    sc_out_s(o, " \xC2\xA7 "); /* § */
  out_esc(o, c->section, m, cap);
}

/* ------------------------------------------- findings and ledger, as text */

/* "88 BLOCKED, 2 FAIL": the verdicts of a group, worst first. */
static void out_gverdicts(struct sc_out *o, const struct cgroup *g) {
  int first = 1;
  for (int k = SC_VERDICT__COUNT - 1; k >= 0; k--)
    if (g->v[k]) {
      sc_out_f(o, "%s%zu %s", first ? "" : ", ", g->v[k],
               sc_verdict_name((enum sc_verdict)k));
      first = 0;
    }
  if (g->accepted)
    sc_out_f(o, " (%zu accepted by the baseline)", g->accepted);
}

/* The blocked_by of |g|'s |k|-th result when no earlier result of |g|
 * names the same check, else NULL. */
static const char *gowner(const struct sc_report *r, const struct rview *v,
                          const struct cgroup *g, size_t k) {
  const char *b = gres(r, v, g, k)->blocked_by;
  if (!b || !*b)
    return NULL;
  for (size_t j = 0; j < k; j++) {
    const char *p = gres(r, v, g, j)->blocked_by;
    if (p && strcmp(p, b) == 0)
      return NULL;
  }
  return b;
}

/* The checks that |g|'s BLOCKED results are blocked by, "a, b, … (5 in
 * all)", at most |max| of them (0: all), escaped for |m|; with a NULL |o|
 * only counted. Returns how many there are. */
static size_t out_gowners(struct sc_out *o, const struct sc_report *r,
                          const struct rview *v, const struct cgroup *g,
                          enum esc m, size_t max) {
  size_t total = 0;
  for (size_t k = 0; k < g->n; k++) {
    const char *b = gowner(r, v, g, k);
    if (!b)
      continue;
    if (o && (!max || total < max)) {
      if (total)
        sc_out_s(o, ", ");
      out_esc(o, b, m, 120);
    }
    total++;
  }
  if (o && max && total > max)
    sc_out_f(o, ", \xE2\x80\xA6 (%zu in all)", total);
  return total;
}

/* The ids of |g|'s first |max| results, then "… and N more". */
static void out_gids(struct sc_out *o, const struct sc_report *r,
                     const struct rview *v, const struct cgroup *g, enum esc m,
                     size_t max) {
  for (size_t k = 0; k < g->n && k < max; k++) {
    if (k)
      sc_out_s(o, ", ");
    out_esc(o, id_of(gres(r, v, g, k)), m, 120);
  }
  if (g->n > max)
    sc_out_f(o, ", \xE2\x80\xA6 and %zu more", g->n - max);
}

/* A group's heading: its cause; for a check without one its message,
 * after its id when |with_id| (formats that do not list the group's
 * checks beside it). */
static void out_glabel(struct sc_out *o, const struct sc_report *r,
                       const struct rview *v, const struct cgroup *g,
                       int with_id, enum esc m, size_t cap) {
  const char *msg = g->by_id ? gres(r, v, g, 0)->message : NULL;
  if (!g->by_id || with_id)
    out_esc(o, g->label, m, cap);
  if (g->by_id && with_id && msg)
    sc_out_s(o, ": ");
  if (g->by_id && (msg || !with_id))
    out_esc(o, str_or(msg, "(no message)"), m, cap);
}

/* One deviation: "JSON_MISSING FAIL at byte 12: message". */
static void out_dev(struct sc_out *o, const struct sc_check_dev *d, enum esc m,
                    size_t cap) {
  out_esc(o, str_or(d->code, "?"), m, 64);
  sc_out_f(o, " %s at byte %zu: ", sc_verdict_name(dev_verdict(d)), d->offset);
  out_esc(o, str_or(d->message, ""), m, cap);
}

/* "format.getBalance", and why it fails the run when nothing explains
 * it. */
static void out_blocked_by(struct sc_out *o, const struct sc_report *r,
                           const struct sc_check_result *c, enum outcome oc,
                           enum esc m, size_t cap) {
  out_esc(o, str_or(c->blocked_by, "(no check named)"), m, cap);
  if (oc == OC_ERROR ||
      (oc == OC_ACCEPTED && verdict_of(c) == SC_VERDICT_BLOCKED)) {
    sc_out_s(o, " (");
    sc_out_s(o, unexplained_why(r, c));
    sc_out_s(o, ")");
  }
}

/* The ledger on one line: "spent 1.00, refunded 0.75, left active 1: 1234
 * (0.25); 2 purchases at an unknown price; max spend 5.00", at most
 * |maxids| ids, escaped for |m|. */
static void out_ledger_line(struct sc_out *o, const struct sc_report *r,
                            const struct ledger *l, enum esc m, size_t maxids) {
  size_t n = 0;
  sc_out_s(o, "spent ");
  out_money(o, l->spent);
  sc_out_s(o, ", refunded ");
  out_money(o, l->refunded);
  sc_out_f(o, ", left active %zu", l->n[SC_SPEND_LEFT_ACTIVE]);
  for (size_t i = 0; i < nspend(r); i++) {
    const struct sc_spend *s = &r->spend[i];
    if (spend_state(s) != SC_SPEND_LEFT_ACTIVE)
      continue;
    if (n < maxids) {
      sc_out_s(o, n ? ", " : ": ");
      out_esc(o, str_or(s->id, "(no id)"), m, 64);
    }
    n++;
  }
  if (n > maxids)
    sc_out_f(o, ", \xE2\x80\xA6 and %zu more", n - maxids);
  if (n) {
    sc_out_s(o, " (");
    out_money(o, l->left);
    sc_out_s(o, ")");
  }
  if (l->unknown)
    sc_out_f(o, "; %zu purchase%s at an unknown price", l->unknown,
             l->unknown == 1 ? "" : "s");
  if (max_spend_set(r)) {
    sc_out_s(o, "; max spend ");
    out_money(o, r->max_spend);
  }
}

/* The actions the endpoint does not implement: "a, b, c". */
static void out_scope(struct sc_out *o, const struct sc_report *r, enum esc m) {
  for (size_t i = 0; i < nunsupported(r); i++) {
    if (i)
      sc_out_s(o, ", ");
    out_esc(o, r->unsupported[i], m, 120);
  }
}

/* One purchase as text: "1234: getNumber tg/0, bought by format.getNumber,
 * 0.25, left-active (why)"; without the state unless |state|. */
static void out_purchase(struct sc_out *o, const struct sc_spend *s, int state,
                         enum esc m) {
  out_esc(o, str_or(s->id, "(no id)"), m, 64);
  sc_out_s(o, ": ");
  out_esc(o, str_or(s->what, "(unknown)"), m, 120);
  if (s->check) {
    sc_out_s(o, ", bought by ");
    out_esc(o, s->check, m, 120);
  }
  sc_out_s(o, ", ");
  if (cost_known(s))
    out_money(o, s->cost);
  else
    sc_out_s(o, "price unknown");
  if (state)
    sc_out_f(o, ", %s", sc_spend_state_name(spend_state(s)));
  if (s->note) {
    sc_out_s(o, " (");
    out_esc(o, s->note, m, 300);
    sc_out_s(o, ")");
  }
}

/* -------------------------------------------------------------- JUnit */

/* 1 when |s| is an RFC 3339 date-time that xs:dateTime accepts as well:
 * YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM), real calendar dates. */
static int num2(const char *s, int *v) {
  if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
    return 0;
  *v = (s[0] - '0') * 10 + (s[1] - '0');
  return 1;
}

static int is_datetime(const char *s) {
  static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int y1, y2, mo, d, h, mi, se, oh, om;
  if (!s || strlen(s) < 20)
    return 0;
  if (!num2(s, &y1) || !num2(s + 2, &y2) || s[4] != '-' || !num2(s + 5, &mo) ||
      s[7] != '-' || !num2(s + 8, &d) || s[10] != 'T' || !num2(s + 11, &h) ||
      s[13] != ':' || !num2(s + 14, &mi) || s[16] != ':' || !num2(s + 17, &se))
    return 0;
  int y = y1 * 100 + y2;
  int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (y == 0 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] ||
      (mo == 2 && d == 29 && !leap) || h > 23 || mi > 59 || se > 59)
    return 0;
  s += 19;
  if (*s == '.') {
    s++;
    if (*s < '0' || *s > '9')
      return 0;
    while (*s >= '0' && *s <= '9')
      s++;
  }
  if (s[0] == 'Z' && s[1] == '\0')
    return 1;
  if ((s[0] == '+' || s[0] == '-') && num2(s + 1, &oh) && s[3] == ':' &&
      num2(s + 4, &om) && s[6] == '\0')
    return oh < 14 ? om <= 59 : oh == 14 && om == 0;
  return 0;
}

/* "label: value\n" in element content, nothing when |v| is NULL. */
static void xml_line(struct sc_out *o, const char *label, const char *v) {
  if (!v)
    return;
  sc_out_s(o, label);
  sc_out_s(o, ": ");
  out_esc(o, v, ESC_XML, 0);
  sc_out_s(o, "\n");
}

/* What a result says, as plain lines: why it did not pass, what the
 * parser found in the answer, what was expected and what came, which
 * document says so, and how to reproduce it. */
static void junit_detail(struct sc_out *o, const struct sc_report *r,
                         const struct sc_check_result *c, enum outcome oc) {
  xml_line(o, "message", c->message);
  xml_line(o, "cause", c->cause);
  if (verdict_of(c) == SC_VERDICT_BLOCKED || c->blocked_by) {
    sc_out_s(o, "blocked by: ");
    out_blocked_by(o, r, c, oc, ESC_XML, 0);
    sc_out_s(o, "\n");
  }
  if (status_shown(c))
    sc_out_f(o, "http status: %ld\n", c->http_status);
  for (size_t k = 0; k < ndevs(c); k++) {
    sc_out_s(o, "deviation: ");
    out_dev(o, &c->devs[k], ESC_XML, 0);
    sc_out_s(o, "\n");
  }
  xml_line(o, "expected", c->expected);
  xml_line(o, "actual", c->actual);
  if (c->doc || c->section) {
    sc_out_s(o, "source: ");
    out_citation(o, c, ESC_XML, 0);
    sc_out_s(o, "\n");
  }
  xml_line(o, "requirement", c->requirement);
  xml_line(o, "reproduce", c->curl);
}

/* The exchanges, for <system-out>: "> " lines went out, "< " came back. */
static void junit_exchanges(struct sc_out *o, const struct sc_check_result *c) {
  for (size_t k = 0; k < nexchanges(c); k++) {
    const struct sc_exchange *e = &c->ex[k];
    sc_out_f(o, "exchange %zu:\n&gt; ", k + 1);
    out_esc(o, str_or(e->method, "?"), ESC_XML, 0);
    sc_out_s(o, " ");
    out_esc(o, e->url, ESC_XML, 0);
    sc_out_s(o, "\n");
    if (e->request_body) {
      sc_out_s(o, "&gt; ");
      out_esc(o, e->request_body, ESC_XML, 0);
      sc_out_s(o, "\n");
    }
    if (e->transport_error) {
      sc_out_s(o, "! ");
      out_esc(o, e->transport_error, ESC_XML, 0);
      sc_out_s(o, "\n");
    }
    if (e->status || !e->transport_error) {
      sc_out_f(o, "&lt; %ld ", e->status);
      out_esc(o, str_or(e->content_type, "(no content type)"), ESC_XML, 0);
      sc_out_s(o, " (");
      sc_out_num(o, finite_pos(e->ms), 1, 0);
      sc_out_f(o, " ms, %zu bytes%s)\n&lt; ", e->body ? e->body_len : 0,
               body_binary(e) ? ", not UTF-8 text" : "");
      out_escn(o, e->body, body_shown(e), ESC_XML, 0);
      if (body_cut(e))
        sc_out_s(o, "[truncated]");
      sc_out_s(o, "\n");
    }
  }
}

static void junit_property(struct sc_out *o, const char *name, const char *v) {
  sc_out_s(o, "      <property name=\"");
  sc_out_s(o, name);
  sc_out_s(o, "\" value=\"");
  out_esc(o, str_or(v, ""), ESC_XML_ATTR, 0);
  sc_out_s(o, "\"/>\n");
}

/* The run's scope and ledger as properties: every suite carries them, as
 * it carries the target and the profile. */
static void junit_ledger(struct sc_out *o, const struct sc_report *r,
                         const struct ledger *l) {
  if (nunsupported(r)) {
    sc_out_s(o, "      <property name=\"unsupported\" value=\"");
    out_scope(o, r, ESC_XML_ATTR);
    sc_out_s(o, "\"/>\n");
  }
  if (!nspend(r) && !max_spend_set(r))
    return;
  sc_out_s(o, "      <property name=\"ledger\" value=\"");
  out_ledger_line(o, r, l, ESC_XML_ATTR, 20);
  sc_out_s(o, "\"/>\n");
  for (size_t i = 0; i < nspend(r); i++) {
    sc_out_f(o, "      <property name=\"purchase.%zu\" value=\"", i + 1);
    out_purchase(o, &r->spend[i], 1, ESC_XML_ATTR);
    sc_out_s(o, "\"/>\n");
  }
}

/* The longest message attribute, in code points. */
#define ATTR_CAP 1000

/* The message attribute of a <skipped>: "unsupported: ...", "blocked by
 * X: ...", "accepted by baseline: ..." or the reason itself. */
static void junit_skipped(struct sc_out *o, const struct sc_report *r,
                          const struct sc_check_result *c, enum outcome oc) {
  enum sc_verdict v = verdict_of(c);
  sc_out_s(o, "      <skipped message=\"");
  if (oc == OC_UNSUPPORTED) {
    sc_out_s(o, "unsupported: ");
    out_esc(o, str_or(c->message, "the endpoint does not implement this"),
            ESC_XML_ATTR, ATTR_CAP);
  } else if (oc == OC_BLOCKED) {
    sc_out_s(o, "blocked by ");
    out_esc(o, str_or(c->blocked_by, "(no check named)"), ESC_XML_ATTR, 200);
    sc_out_s(o, ": ");
    out_esc(o, str_or(c->message, "a step it needs failed"), ESC_XML_ATTR,
            ATTR_CAP);
  } else if (oc == OC_ACCEPTED) {
    sc_out_s(o, "accepted by baseline: ");
    out_esc(o, str_or(c->message, sc_verdict_name(v)), ESC_XML_ATTR, ATTR_CAP);
  } else {
    out_esc(o, str_or(c->message, "skipped"), ESC_XML_ATTR, ATTR_CAP);
  }
  sc_out_f(o, "\">verdict: %s\n", sc_verdict_name(v));
  junit_detail(o, r, c, oc);
  sc_out_s(o, "</skipped>\n");
}

static void junit_case(struct sc_out *o, const struct sc_report *r,
                       const struct sc_check_result *c, enum outcome oc) {
  enum sc_verdict v = verdict_of(c);

  sc_out_s(o, "    <testcase name=\"");
  out_esc(o, id_of(c), ESC_XML_ATTR, 0);
  sc_out_s(o, "\" classname=\"smsconform.");
  sc_out_s(o, cat_label(cat_of(c)));
  sc_out_s(o, "\" time=\"");
  out_secs(o, c->ms / 1000.0);
  sc_out_s(o, "\"");
  if (oc == OC_PASS && !c->baseline) {
    sc_out_s(o, "/>\n");
    return;
  }
  sc_out_s(o, ">\n");
  switch (oc) {
  case OC_PASS:
  case OC_WARN:
  case OC__COUNT:
    break;
  case OC_SKIP:
  case OC_UNSUPPORTED:
  case OC_BLOCKED:
  case OC_ACCEPTED:
    junit_skipped(o, r, c, oc);
    break;
  case OC_FAIL:
  case OC_ERROR:
    sc_out_s(o, oc == OC_ERROR ? "      <error message=\""
                               : "      <failure message=\"");
    if (v == SC_VERDICT_BLOCKED) {
      sc_out_s(o, "blocked by ");
      out_blocked_by(o, r, c, oc, ESC_XML_ATTR, 200);
      sc_out_s(o, ": ");
    }
    out_esc(o, str_or(c->message, sc_verdict_name(v)), ESC_XML_ATTR, ATTR_CAP);
    sc_out_s(o, "\" type=\"");
    sc_out_s(o, v == SC_VERDICT_BLOCKED ? "BLOCKED"
                : oc == OC_ERROR        ? "ERROR"
                : v == SC_VERDICT_WARN  ? "WARNING"
                                        : "DEVIATION");
    sc_out_s(o, "\">");
    if (v == SC_VERDICT_WARN)
      sc_out_s(o, "WARN counts as a failure (--strict)\n");
    if (v == SC_VERDICT_BLOCKED)
      sc_out_s(o, "BLOCKED, and no failure of this run explains it: it "
                  "counts as an error\n");
    junit_detail(o, r, c, oc);
    sc_out_s(o, oc == OC_ERROR ? "</error>\n" : "</failure>\n");
    break;
  }
  sc_out_s(o, "      <system-out>");
  if (oc == OC_WARN) {
    sc_out_s(o, "WARN\n");
    junit_detail(o, r, c, oc);
  }
  if (stale(c, oc))
    sc_out_s(o, "in the baseline, but does not fail now: the entry can go\n");
  junit_exchanges(o, c);
  sc_out_s(o, "</system-out>\n    </testcase>\n");
}

int sc_report_junit(const struct sc_report *r, FILE *out) {
  struct sc_out o;
  struct rview v;
  struct ledger l;

  if (!r || !out || rview_build(r, &v))
    return -1;
  ledger_of(r, &l);
  sc_out_init(&o, out);
  sc_out_s(&o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  sc_out_f(&o,
           "<testsuites name=\"smsconform\" tests=\"%zu\" failures=\"%zu\" "
           "errors=\"%zu\" skipped=\"%zu\" time=\"",
           nresults(r), v.t[OC_FAIL], v.t[OC_ERROR],
           v.t[OC_SKIP] + v.t[OC_UNSUPPORTED] + v.t[OC_BLOCKED] +
               v.t[OC_ACCEPTED]);
  out_secs(&o, r->seconds);
  sc_out_s(&o, "\">\n");
  for (size_t k = 0; k <= SC_CAT__COUNT; k++) {
    const size_t *n = v.cat[k];
    if (!v.ncat[k])
      continue;
    sc_out_s(&o, "  <testsuite name=\"");
    sc_out_s(&o, cat_label(k));
    sc_out_f(&o,
             "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\" "
             "time=\"",
             v.ncat[k], n[OC_FAIL], n[OC_ERROR],
             n[OC_SKIP] + n[OC_UNSUPPORTED] + n[OC_BLOCKED] + n[OC_ACCEPTED]);
    out_secs(&o, v.cat_ms[k] / 1000.0);
    sc_out_s(&o, "\"");
    if (is_datetime(r->started)) {
      sc_out_s(&o, " timestamp=\"");
      sc_out_s(&o, r->started);
      sc_out_s(&o, "\"");
    }
    sc_out_s(&o, ">\n    <properties>\n");
    junit_property(&o, "tool", r->tool);
    junit_property(&o, "target", r->target);
    junit_property(&o, "profile", r->profile);
    junit_property(&o, "started", r->started);
    junit_property(&o, "strict", r->strict ? "true" : "false");
    junit_ledger(&o, r, &l);
    sc_out_s(&o, "    </properties>\n");
    for (size_t i = 0; i < nresults(r); i++)
      if (cat_of(&r->results[i]) == k)
        junit_case(&o, r, &r->results[i], (enum outcome)v.oc[i]);
    sc_out_s(&o, "  </testsuite>\n");
  }
  sc_out_s(&o, "</testsuites>\n");
  rview_free(&v);
  return sc_out_end(&o);
}

/* ---------------------------------------------------------------- TAP */

/* key: "value" at |indent| spaces, nothing when |v| is NULL. */
static void yaml_str(struct sc_out *o, int indent, const char *key,
                     const char *v) {
  if (!v)
    return;
  sc_out_f(o, "%*s%s: \"", indent, "", key);
  out_esc(o, v, ESC_YAML, 0);
  sc_out_s(o, "\"\n");
}

static const char *severity(const struct sc_check_result *c, enum outcome oc) {
  if (oc == OC_ERROR)
    return "error";
  switch (verdict_of(c)) {
  case SC_VERDICT_PASS:
    return "pass";
  case SC_VERDICT_WARN:
    return "warn";
  case SC_VERDICT_FAIL:
    return "fail";
  case SC_VERDICT_ERROR:
    return "error";
  default:
    return "skip";
  }
}

static void tap_yaml(struct sc_out *o, const struct sc_report *r,
                     const struct sc_check_result *c, enum outcome oc) {
  enum sc_verdict v = verdict_of(c);

  sc_out_s(o, "  ---\n");
  sc_out_f(o, "  severity: %s\n", severity(c, oc));
  sc_out_f(o, "  verdict: %s\n", sc_verdict_name(v));
  if (v == SC_VERDICT_WARN && r->strict)
    sc_out_s(o, "  strict: true\n");
  if (c->baseline)
    sc_out_s(o, "  baseline: true\n");
  if (stale(c, oc))
    sc_out_s(o, "  baseline_stale: true\n");
  sc_out_f(o, "  category: %s\n", cat_label(cat_of(c)));
  yaml_str(o, 2, "action", c->action);
  yaml_str(o, 2, "message", c->message);
  yaml_str(o, 2, "cause", c->cause);
  yaml_str(o, 2, "blocked_by", c->blocked_by);
  if (oc == OC_ERROR && v == SC_VERDICT_BLOCKED)
    yaml_str(o, 2, "unexplained", unexplained_why(r, c));
  if (status_shown(c))
    sc_out_f(o, "  http_status: %ld\n", c->http_status);
  if (ndevs(c))
    sc_out_s(o, "  deviations:\n");
  for (size_t k = 0; k < ndevs(c); k++) {
    const struct sc_check_dev *d = &c->devs[k];
    sc_out_s(o, "    - code: \"");
    out_esc(o, str_or(d->code, "?"), ESC_YAML, 0);
    sc_out_f(o, "\"\n      verdict: %s\n      offset: %zu\n",
             sc_verdict_name(dev_verdict(d)), d->offset);
    yaml_str(o, 6, "message", d->message);
  }
  yaml_str(o, 2, "expected", c->expected);
  yaml_str(o, 2, "actual", c->actual);
  yaml_str(o, 2, "doc", c->doc);
  yaml_str(o, 2, "section", c->section);
  yaml_str(o, 2, "requirement", c->requirement);
  yaml_str(o, 2, "curl", c->curl);
  yaml_str(o, 2, "tags", c->tags);
  sc_out_s(o, "  ms: ");
  sc_out_num(o, finite_pos(c->ms), 3, 0);
  sc_out_s(o, "\n");
  if (nexchanges(c))
    sc_out_s(o, "  exchanges:\n");
  for (size_t k = 0; k < nexchanges(c); k++) {
    const struct sc_exchange *e = &c->ex[k];
    sc_out_s(o, "    - method: \"");
    out_esc(o, str_or(e->method, "?"), ESC_YAML, 0);
    sc_out_s(o, "\"\n");
    yaml_str(o, 6, "url", e->url);
    yaml_str(o, 6, "request_body", e->request_body);
    sc_out_f(o, "      status: %ld\n", e->status);
    yaml_str(o, 6, "content_type", e->content_type);
    if (e->body) {
      sc_out_s(o, "      body: \"");
      out_escn(o, e->body, body_shown(e), ESC_YAML, 0);
      sc_out_s(o, "\"\n");
      sc_out_f(o, "      body_len: %zu\n", e->body_len);
      if (body_binary(e))
        sc_out_s(o, "      body_binary: true\n");
      if (body_cut(e))
        sc_out_s(o, "      body_truncated: true\n");
    }
    yaml_str(o, 6, "transport_error", e->transport_error);
    sc_out_s(o, "      ms: ");
    sc_out_num(o, finite_pos(e->ms), 3, 0);
    sc_out_s(o, "\n");
  }
  sc_out_s(o, "  ...\n");
}

/* The longest group shown as a TAP comment, in groups. */
#define TAP_CAUSES 20

int sc_report_tap(const struct sc_report *r, FILE *out) {
  struct sc_out o;
  struct rview v;
  struct ledger l;

  if (!r || !out || rview_build(r, &v))
    return -1;
  ledger_of(r, &l);
  sc_out_init(&o, out);
  sc_out_s(&o, "TAP version 14\n");
  if (nresults(r))
    sc_out_f(&o, "1..%zu\n", nresults(r));
  else
    sc_out_s(&o, "1..0 # SKIP no checks were run\n");
  sc_out_s(&o, "# ");
  out_esc(&o, str_or(r->tool, "smsconform"), ESC_TAP, 200);
  sc_out_s(&o, ": ");
  out_esc(&o, str_or(r->target, "(no target)"), ESC_TAP, 200);
  sc_out_s(&o, ", profile ");
  out_esc(&o, str_or(r->profile, "(none)"), ESC_TAP, 200);
  sc_out_s(&o, r->strict ? ", strict\n" : "\n");
  if (nunsupported(r)) {
    sc_out_s(&o, "# scope: the endpoint does not implement ");
    out_scope(&o, r, ESC_TAP);
    sc_out_s(&o, "\n");
  }
  if (v.ng)
    sc_out_f(&o, "# findings by cause (%zu):\n", v.ng);
  for (size_t k = 0; k < v.ng && k < TAP_CAUSES; k++) {
    const struct cgroup *g = &v.g[k];
    sc_out_f(&o, "#   %zu ", g->n);
    out_glabel(&o, r, &v, g, 1, ESC_TAP, 200);
    sc_out_s(&o, ": ");
    out_gverdicts(&o, g);
    if (out_gowners(NULL, r, &v, g, ESC_TAP, 0)) {
      sc_out_s(&o, ", blocked by ");
      out_gowners(&o, r, &v, g, ESC_TAP, 3);
    }
    if (!g->by_id) {
      sc_out_s(&o, " (");
      out_gids(&o, r, &v, g, ESC_TAP, 3);
      sc_out_s(&o, ")");
    }
    sc_out_s(&o, "\n");
  }
  if (v.ng > TAP_CAUSES)
    sc_out_f(&o, "#   \xE2\x80\xA6 and %zu more causes\n", v.ng - TAP_CAUSES);
  for (size_t i = 0; i < nresults(r); i++) {
    const struct sc_check_result *c = &r->results[i];
    enum outcome oc = (enum outcome)v.oc[i];
    int ok = oc == OC_PASS || oc == OC_SKIP || oc == OC_WARN ||
             oc == OC_UNSUPPORTED || oc == OC_BLOCKED;
    sc_out_f(&o, "%s %zu - ", ok ? "ok" : "not ok", i + 1);
    out_esc(&o, id_of(c), ESC_TAP, 0);
    if (oc == OC_SKIP) {
      sc_out_s(&o, " # SKIP ");
      out_esc(&o, str_or(c->message, "skipped"), ESC_TAP, 0);
    } else if (oc == OC_UNSUPPORTED) {
      sc_out_s(&o, " # SKIP unsupported: ");
      out_esc(&o, str_or(c->message, "the endpoint does not implement this"),
              ESC_TAP, 0);
    } else if (oc == OC_BLOCKED) {
      sc_out_s(&o, " # SKIP blocked by ");
      out_esc(&o, str_or(c->blocked_by, "(no check named)"), ESC_TAP, 0);
      sc_out_s(&o, ": ");
      out_esc(&o, str_or(c->message, "a step it needs failed"), ESC_TAP, 0);
    } else if (oc == OC_ACCEPTED) {
      sc_out_s(&o, " # TODO accepted by baseline: ");
      out_esc(&o, str_or(c->message, sc_verdict_name(verdict_of(c))), ESC_TAP,
              0);
    }
    sc_out_s(&o, "\n");
    if (oc != OC_PASS || c->baseline)
      tap_yaml(&o, r, c, oc);
  }
  if (nspend(r) || max_spend_set(r)) {
    sc_out_s(&o, "# ledger: ");
    out_ledger_line(&o, r, &l, ESC_TAP, 20);
    sc_out_s(&o, "\n");
  }
  for (size_t i = 0; i < nspend(r); i++) {
    sc_out_s(&o, "# purchase ");
    out_purchase(&o, &r->spend[i], 1, ESC_TAP);
    sc_out_s(&o, "\n");
  }
  rview_free(&v);
  return sc_out_end(&o);
}

/* --------------------------------------------------------------- JSON */

/* [p, p+n) as the inside of a JSON string: sc_escape_json(), and besides
 * the invisible code points (see invisible()) as \uXXXX, so that a JSON
 * report shown in a terminal cannot drive it; still lossless. With
 * |script| also <, > and & as \u003c, \u003e, \u0026, so that the string
 * can stand inside an HTML <script> element: no "</script" and no "<!--"
 * can appear. */
static void json_esc_for(struct sc_out *o, const char *p, size_t n,
                         int script) {
  const unsigned char *u = (const unsigned char *)p;
  size_t i = 0, run = 0;
  while (!o->err && i < n) {
    unsigned long cp;
    size_t l = decode(u, n, i, &cp);
    if ((l > 1 && invisible(cp)) ||
        (script && (cp == '<' || cp == '>' || cp == '&'))) {
      sc_escape_json(&o->b, p + i - run, run);
      run = 0;
      sc_buf_printf(&o->b, "\\u%04lx", cp);
      sc_out_check(o);
    } else {
      run += l ? l : 1;
    }
    i += l ? l : 1;
  }
  if (!o->err) {
    sc_escape_json(&o->b, p + n - run, run);
    sc_out_check(o);
  }
}

static void json_esc(struct sc_out *o, const char *p, size_t n) {
  json_esc_for(o, p, n, 0);
}

static void json_str(struct sc_out *o, const char *s) {
  if (!s) {
    sc_out_s(o, "null");
    return;
  }
  sc_out_s(o, "\"");
  json_esc(o, s, strlen(s));
  sc_out_s(o, "\"");
}

/* ,\n<indent>"key": */
static void json_key(struct sc_out *o, int first, int indent, const char *key) {
  sc_out_f(o, "%s\n%*s\"%s\": ", first ? "" : ",", indent, "", key);
}

static void json_kstr(struct sc_out *o, int first, int indent, const char *key,
                      const char *v) {
  json_key(o, first, indent, key);
  json_str(o, v);
}

static void json_knum(struct sc_out *o, int indent, const char *key, double v,
                      int prec, int g) {
  json_key(o, 0, indent, key);
  sc_out_num(o, v, prec, g);
}

static void json_kbool(struct sc_out *o, int indent, const char *key, int v) {
  json_key(o, 0, indent, key);
  sc_out_s(o, v ? "true" : "false");
}

static void base64(struct sc_out *o, const unsigned char *p, size_t n) {
  struct sc_buf b;
  sc_buf_init(&b, (n / 3 + 1) * 4 + 1);
  if (sc_base64_encode(&b, p, n) == 0)
    sc_out_n(o, b.ptr ? b.ptr : "", b.len);
  sc_buf_free(&b);
}

/* A body is a JSON string when it is UTF-8 text without NUL bytes
 * ("body_encoding": "utf-8"), base64 of the exact bytes otherwise. */
static void json_exchange(struct sc_out *o, const struct sc_exchange *e) {
  int bin = body_binary(e);
  sc_out_s(o, "        {");
  json_kstr(o, 1, 10, "method", e->method);
  json_kstr(o, 0, 10, "url", e->url);
  json_kstr(o, 0, 10, "request_body", e->request_body);
  if (e->request_auth)
    json_kstr(o, 0, 10, "request_auth", e->request_auth);
  json_key(o, 0, 10, "status");
  sc_out_f(o, "%ld", e->status);
  json_kstr(o, 0, 10, "content_type", e->content_type);
  json_key(o, 0, 10, "body");
  if (!e->body) {
    sc_out_s(o, "null");
  } else if (bin) {
    sc_out_s(o, "\"");
    base64(o, (const unsigned char *)e->body, e->body_len);
    sc_out_s(o, "\"");
  } else {
    sc_out_s(o, "\"");
    json_esc(o, e->body, e->body_len);
    sc_out_s(o, "\"");
  }
  json_kstr(o, 0, 10, "body_encoding", bin ? "base64" : "utf-8");
  json_key(o, 0, 10, "body_len");
  sc_out_f(o, "%zu", e->body ? e->body_len : 0);
  json_kbool(o, 10, "body_truncated", e->body_truncated);
  json_kstr(o, 0, 10, "transport_error", e->transport_error);
  json_knum(o, 10, "ms", finite_pos(e->ms), 3, 0);
  sc_out_s(o, "\n        }");
}

/* "tags": the space-separated list as an array of strings. */
static void json_tags(struct sc_out *o, const char *tags) {
  const char *p = tags;
  int first = 1;
  json_key(o, 0, 6, "tags");
  sc_out_s(o, "[");
  while (p && *p) {
    size_t sp = strspn(p, " \t");
    p += sp;
    size_t n = strcspn(p, " \t");
    if (!n)
      break;
    sc_out_s(o, first ? "\"" : ", \"");
    json_esc(o, p, n);
    sc_out_s(o, "\"");
    first = 0;
    p += n;
  }
  sc_out_s(o, "]");
}

static void json_result(struct sc_out *o, const struct sc_report *r,
                        const struct sc_check_result *c, enum outcome oc) {
  sc_out_s(o, "    {");
  json_kstr(o, 1, 6, "id", c->id);
  json_kstr(o, 0, 6, "category", cat_label(cat_of(c)));
  json_kstr(o, 0, 6, "action", c->action);
  json_tags(o, c->tags);
  json_kstr(o, 0, 6, "requirement", c->requirement);
  json_kstr(o, 0, 6, "doc", c->doc);
  json_kstr(o, 0, 6, "section", c->section);
  json_kstr(o, 0, 6, "verdict", sc_verdict_name(verdict_of(c)));
  json_kstr(o, 0, 6, "outcome", oc_names[oc]);
  json_kstr(o, 0, 6, "message", c->message);
  json_kstr(o, 0, 6, "cause", c->cause);
  json_kstr(o, 0, 6, "blocked_by", c->blocked_by);
  if (oc == OC_ERROR && verdict_of(c) == SC_VERDICT_BLOCKED)
    json_kstr(o, 0, 6, "unexplained", unexplained_why(r, c));
  json_key(o, 0, 6, "http_status");
  sc_out_f(o, "%ld", c->http_status);
  json_key(o, 0, 6, "deviations");
  sc_out_s(o, "[");
  for (size_t k = 0; k < ndevs(c); k++) {
    const struct sc_check_dev *d = &c->devs[k];
    sc_out_s(o, k ? ",\n        {" : "\n        {");
    json_kstr(o, 1, 10, "code", d->code);
    json_kstr(o, 0, 10, "verdict", sc_verdict_name(dev_verdict(d)));
    json_key(o, 0, 10, "offset");
    sc_out_f(o, "%zu", d->offset);
    json_kstr(o, 0, 10, "message", d->message);
    sc_out_s(o, "\n        }");
  }
  sc_out_s(o, ndevs(c) ? "\n      ]" : "]");
  json_kstr(o, 0, 6, "expected", c->expected);
  json_kstr(o, 0, 6, "actual", c->actual);
  json_kstr(o, 0, 6, "curl", c->curl);
  json_kbool(o, 6, "baseline", c->baseline);
  if (c->baseline)
    json_kbool(o, 6, "baseline_stale", stale(c, oc));
  json_knum(o, 6, "ms", finite_pos(c->ms), 3, 0);
  json_key(o, 0, 6, "exchanges");
  sc_out_s(o, "[");
  for (size_t k = 0; k < nexchanges(c); k++) {
    sc_out_s(o, k ? ",\n" : "\n");
    json_exchange(o, &c->ex[k]);
  }
  sc_out_s(o, nexchanges(c) ? "\n      ]" : "]");
  sc_out_s(o, "\n    }");
}

/* "causes": the findings grouped by cause, what fails first, then the
 * largest. */
static void json_causes(struct sc_out *o, const struct sc_report *r,
                        const struct rview *v) {
  json_key(o, 0, 2, "causes");
  sc_out_s(o, "[");
  for (size_t k = 0; k < v->ng; k++) {
    const struct cgroup *g = &v->g[k];
    int first = 1;
    sc_out_s(o, k ? ",\n    {" : "\n    {");
    json_kstr(o, 1, 6, "cause", g->label);
    json_kbool(o, 6, "by_id", g->by_id);
    json_key(o, 0, 6, "count");
    sc_out_f(o, "%zu", g->n);
    json_key(o, 0, 6, "verdicts");
    sc_out_s(o, "{");
    for (int x = SC_VERDICT__COUNT - 1; x >= 0; x--)
      if (g->v[x]) {
        sc_out_f(o, "%s\"%s\": %zu", first ? "" : ", ",
                 sc_verdict_name((enum sc_verdict)x), g->v[x]);
        first = 0;
      }
    sc_out_s(o, "}");
    json_key(o, 0, 6, "accepted");
    sc_out_f(o, "%zu", g->accepted);
    json_key(o, 0, 6, "blocked_by");
    sc_out_s(o, "[");
    first = 1;
    for (size_t i = 0; i < g->n; i++) {
      const char *b = gowner(r, v, g, i);
      if (!b)
        continue;
      sc_out_s(o, first ? "" : ", ");
      json_str(o, b);
      first = 0;
    }
    sc_out_s(o, "]");
    json_key(o, 0, 6, "checks");
    sc_out_s(o, "[");
    for (size_t i = 0; i < g->n; i++) {
      sc_out_s(o, i ? ", " : "");
      json_str(o, gres(r, v, g, i)->id);
    }
    sc_out_s(o, "]\n    }");
  }
  sc_out_s(o, v->ng ? "\n  ]" : "]");
}

/* "spend" (one entry per purchase), the totals of the version 1 schema,
 * and "ledger". */
static void json_ledger(struct sc_out *o, const struct sc_report *r,
                        const struct ledger *l) {
  size_t n = 0;
  json_key(o, 0, 2, "spend");
  sc_out_s(o, "[");
  for (size_t i = 0; i < nspend(r); i++) {
    const struct sc_spend *s = &r->spend[i];
    sc_out_s(o, i ? ",\n    {" : "\n    {");
    json_kstr(o, 1, 6, "what", s->what);
    json_kstr(o, 0, 6, "id", s->id);
    json_kstr(o, 0, 6, "check", s->check);
    json_key(o, 0, 6, "cost");
    if (cost_known(s))
      sc_out_num(o, s->cost, 15, 1);
    else
      sc_out_s(o, "null");
    json_kbool(o, 6, "cost_known", cost_known(s));
    json_kbool(o, 6, "refunded", spend_state(s) == SC_SPEND_RELEASED);
    json_kstr(o, 0, 6, "state", sc_spend_state_name(spend_state(s)));
    json_kstr(o, 0, 6, "note", s->note);
    sc_out_s(o, "\n    }");
  }
  sc_out_s(o, nspend(r) ? "\n  ]" : "]");
  json_knum(o, 2, "spend_total", l->spent, 15, 1);
  json_knum(o, 2, "spend_net", l->spent - l->refunded, 15, 1);
  json_key(o, 0, 2, "ledger");
  sc_out_s(o, "{");
  json_key(o, 1, 4, "spent");
  sc_out_num(o, l->spent, 15, 1);
  json_knum(o, 4, "refunded", l->refunded, 15, 1);
  json_key(o, 0, 4, "unknown_cost");
  sc_out_f(o, "%zu", l->unknown);
  json_key(o, 0, 4, "states");
  sc_out_s(o, "{");
  for (int k = 0; k < SC_SPEND__COUNT; k++)
    sc_out_f(o, "%s\"%s\": %zu", k ? ", " : "",
             sc_spend_state_name((enum sc_spend_state)k), l->n[k]);
  sc_out_s(o, "}");
  json_key(o, 0, 4, "left_active");
  sc_out_f(o, "{\"count\": %zu, \"cost\": ", l->n[SC_SPEND_LEFT_ACTIVE]);
  sc_out_num(o, l->left, 15, 1);
  sc_out_s(o, ", \"ids\": [");
  for (size_t i = 0; i < nspend(r); i++)
    if (spend_state(&r->spend[i]) == SC_SPEND_LEFT_ACTIVE) {
      sc_out_s(o, n++ ? ", " : "");
      json_str(o, r->spend[i].id);
    }
  sc_out_s(o, "]}");
  json_key(o, 0, 4, "max_spend");
  if (max_spend_set(r))
    sc_out_num(o, r->max_spend, 15, 1);
  else
    sc_out_s(o, "null");
  sc_out_s(o, "\n  }");
}

int sc_report_json(const struct sc_report *r, FILE *out) {
  struct sc_out o;
  struct rview v;
  struct ledger l;

  if (!r || !out || rview_build(r, &v))
    return -1;
  ledger_of(r, &l);
  sc_out_init(&o, out);
  sc_out_s(&o, "{");
  json_kstr(&o, 1, 2, "schema", SC_REPORT_SCHEMA);
  json_kstr(&o, 0, 2, "tool", r->tool);
  json_kstr(&o, 0, 2, "target", r->target);
  json_kstr(&o, 0, 2, "profile", r->profile);
  json_kstr(&o, 0, 2, "started", r->started);
  json_knum(&o, 2, "seconds", finite_pos(r->seconds), 3, 0);
  json_key(&o, 0, 2, "requests");
  sc_out_f(&o, "%lu", r->requests);
  json_kbool(&o, 2, "strict", r->strict);
  json_kstr(&o, 0, 2, "verdict", run_verdict(&v));
  json_key(&o, 0, 2, "counts");
  sc_out_s(&o, "{");
  for (int k = 0; k < SC_VERDICT__COUNT; k++)
    sc_out_f(&o, "%s\"%s\": %zu", k ? ", " : "",
             sc_verdict_name((enum sc_verdict)k), v.verdict[k]);
  sc_out_s(&o, "}");
  json_key(&o, 0, 2, "outcomes");
  sc_out_s(&o, "{");
  for (int k = 0; k < OC__COUNT; k++)
    sc_out_f(&o, "%s\"%s\": %zu", k ? ", " : "", oc_names[k], v.t[k]);
  sc_out_s(&o, "}");
  json_key(&o, 0, 2, "scope");
  sc_out_s(&o, "{\"unsupported\": [");
  for (size_t i = 0; i < nunsupported(r); i++) {
    sc_out_s(&o, i ? ", " : "");
    json_str(&o, r->unsupported[i]);
  }
  sc_out_s(&o, "]}");
  json_causes(&o, r, &v);
  json_key(&o, 0, 2, "results");
  sc_out_s(&o, "[");
  for (size_t i = 0; i < nresults(r); i++) {
    sc_out_s(&o, i ? ",\n" : "\n");
    json_result(&o, r, &r->results[i], (enum outcome)v.oc[i]);
  }
  sc_out_s(&o, nresults(r) ? "\n  ]" : "]");
  json_ledger(&o, r, &l);
  sc_out_s(&o, "\n}\n");
  rview_free(&v);
  return sc_out_end(&o);
}

/* ----------------------------------------------------------- Markdown */

/* Longest cell, in code points; the rest is cut with an ellipsis. */
#define MD_CELL 160

static void md_cell(struct sc_out *o, const char *s) {
  sc_out_s(o, " ");
  out_esc(o, s, ESC_MD, MD_CELL);
  sc_out_s(o, " |");
}

/* Decodes the runner's rendering of a body (sc_escape_controls with the
 * quote and the backslash as \x22 and \x5c) into |b| for a code span:
 * those two back to themselves, every other \xNN (a control byte, a byte
 * that is not UTF-8) kept as written. At most MD_CELL code points; 1 when
 * more were cut. */
static int md_span_text(struct sc_buf *b, const char *p, size_t n) {
  size_t shown = 0;
  for (size_t i = 0; i < n; shown++) {
    if (shown == MD_CELL)
      return 1;
    if (n - i >= 4 && p[i] == '\\' && p[i + 1] == 'x' &&
        (!strncmp(p + i + 2, "22", 2) || !strncmp(p + i + 2, "5c", 2))) {
      sc_buf_addc(b, p[i + 2] == '2' ? '"' : '\\');
      i += 4;
      continue;
    }
    unsigned long cp;
    size_t l = decode((const unsigned char *)p, n, i, &cp);
    char tmp[32];
    if (l == 0 || cp < 0x20 || cp == 0x7F) { /* not from the runner: hex */
      snprintf(tmp, sizeof tmp, "\\x%02lx", l ? cp : (unsigned char)p[i]);
      sc_buf_adds(b, tmp);
      i++;
    } else if (invisible(cp)) {
      snprintf(tmp, sizeof tmp, "\\u%04lx", cp);
      sc_buf_adds(b, tmp);
      i += l;
    } else if (cp == '|') { /* a GFM table splits at it, even in code */
      sc_buf_adds(b, "\\|");
      i++;
    } else {
      sc_buf_add(b, p + i, l);
      i += l;
    }
  }
  return 0;
}

/* [p, p+n) as one code span: a fence of one backtick more than the
 * longest run inside, and a space inside each end when the text starts
 * or ends with a backtick or a space (CommonMark strips one of each). */
static void md_code_span(struct sc_out *o, const char *p, size_t n) {
  struct sc_buf b;
  sc_buf_init(&b, 8 * MD_CELL + 64);
  int cut = md_span_text(&b, p, n);
  size_t best = 0, run = 0;
  for (size_t i = 0; i < b.len; i++) {
    run = b.ptr[i] == '`' ? run + 1 : 0;
    if (run > best)
      best = run;
  }
  int pad = b.len && (b.ptr[0] == '`' || b.ptr[b.len - 1] == '`' ||
                      (b.ptr[0] == ' ' && b.ptr[b.len - 1] == ' '));
  for (size_t i = 0; i <= best; i++)
    sc_out_s(o, "`");
  sc_out_s(o, pad ? " " : "");
  if (b.err)
    o->err = -1; /* out of memory: the report is cut here, visibly */
  else
    sc_out_n(o, b.ptr, b.len);
  sc_out_s(o, pad ? " " : "");
  for (size_t i = 0; i <= best; i++)
    sc_out_s(o, "`");
  if (cut)
    sc_out_s(o, "\xE2\x80\xA6"); /* U+2026 */
  sc_buf_free(&b);
}

/* "actual": the body the runner quoted ("...", between the first and the
 * last double quote, none inside) as a code span, the rest as text. */
static void md_actual_cell(struct sc_out *o, const char *s) {
  const char *q1 = s ? strchr(s, '"') : NULL, *q2 = s ? strrchr(s, '"') : NULL;
  if (!q1 || q2 == q1 || strchr(q1 + 1, '"') != q2) {
    md_cell(o, s);
    return;
  }
  sc_out_s(o, " ");
  out_escn(o, s, (size_t)(q1 - s), ESC_MD, MD_CELL);
  md_code_span(o, q1 + 1, (size_t)(q2 - q1 - 1));
  out_esc(o, q2 + 1, ESC_MD, MD_CELL);
  sc_out_s(o, " |");
}

static void md_citation_cell(struct sc_out *o,
                             const struct sc_check_result *c) {
  sc_out_s(o, " ");
  out_citation(o, c, ESC_MD, MD_CELL);
  sc_out_s(o, " |");
}

/* Longest run of backticks in |s|, to fence a code block around it. */
static size_t backticks(const char *s) {
  size_t best = 0, run = 0;
  for (; s && *s; s++) {
    run = *s == '`' ? run + 1 : 0;
    if (run > best)
      best = run;
  }
  return best;
}

static void md_fence(struct sc_out *o, size_t n) {
  for (size_t i = 0; i < n; i++)
    sc_out_s(o, "`");
  sc_out_s(o, "\n");
}

/* A result's detail as one cell: its cause, what blocked it, the HTTP
 * status of the answer and the parser's deviations on it, one per line. */
static void md_detail_cell(struct sc_out *o, const struct sc_report *r,
                           const struct sc_check_result *c, enum outcome oc) {
  int n = 0;
  sc_out_s(o, " ");
  if (c->cause) {
    sc_out_s(o, "cause: ");
    out_esc(o, c->cause, ESC_MD, MD_CELL);
    n++;
  }
  if (verdict_of(c) == SC_VERDICT_BLOCKED || c->blocked_by) {
    sc_out_s(o, n++ ? "<br>blocked by " : "blocked by ");
    out_blocked_by(o, r, c, oc, ESC_MD, MD_CELL);
  }
  if (status_shown(c))
    sc_out_f(o, "%sHTTP %ld", n++ ? "<br>" : "", c->http_status);
  for (size_t k = 0; k < ndevs(c); k++) {
    sc_out_s(o, n++ ? "<br>" : "");
    out_dev(o, &c->devs[k], ESC_MD, MD_CELL);
  }
  sc_out_s(o, " |");
}

/* The results whose outcome is in the set |mask| (bits 1 << outcome), in
 * run order, as one table: check, [verdict,] message, expected, actual,
 * detail, source. */
static void md_table(struct sc_out *o, const struct sc_report *r,
                     const struct rview *v, unsigned mask, int with_verdict) {
  size_t n = 0;
  for (size_t i = 0; i < nresults(r); i++) {
    const struct sc_check_result *c = &r->results[i];
    if (!(mask & 1u << v->oc[i]))
      continue;
    if (!n++)
      sc_out_s(o, with_verdict
                      ? "| check | verdict | message | expected | actual | "
                        "detail | source |\n|---|---|---|---|---|---|---|\n"
                      : "| check | message | expected | actual | detail | "
                        "source |\n|---|---|---|---|---|---|\n");
    sc_out_s(o, "|");
    md_cell(o, c->id);
    if (with_verdict)
      md_cell(o, sc_verdict_name(verdict_of(c)));
    md_cell(o, c->message);
    md_cell(o, c->expected);
    md_actual_cell(o, c->actual);
    md_detail_cell(o, r, c, (enum outcome)v->oc[i]);
    md_citation_cell(o, c);
    sc_out_s(o, "\n");
  }
}

/* The results of one outcome that are not failures (blocked,
 * unsupported), folded: check, [blocked by,] reason, detail. */
static void md_folded(struct sc_out *o, const struct sc_report *r,
                      const struct rview *v, enum outcome want,
                      const char *title) {
  if (!v->t[want])
    return;
  sc_out_f(o, "\n<details><summary>%s (%zu)</summary>\n\n", title, v->t[want]);
  sc_out_s(o, want == OC_BLOCKED
                  ? "| check | blocked by | reason | detail |\n"
                    "|---|---|---|---|\n"
                  : "| check | reason | detail |\n|---|---|---|\n");
  for (size_t i = 0; i < nresults(r); i++) {
    const struct sc_check_result *c = &r->results[i];
    if (v->oc[i] != want)
      continue;
    sc_out_s(o, "|");
    md_cell(o, c->id);
    if (want == OC_BLOCKED)
      md_cell(o, str_or(c->blocked_by, ""));
    md_cell(o, c->message);
    md_detail_cell(o, r, c, want);
    sc_out_s(o, "\n");
  }
  sc_out_s(o, "\n</details>\n");
}

/* The opening of every report: the findings grouped by cause. */
static void md_causes(struct sc_out *o, const struct sc_report *r,
                      const struct rview *v) {
  sc_out_s(o, "### Findings by cause\n\n");
  if (!v->ng) {
    sc_out_s(o, nresults(r) ? "None: every check passed.\n\n"
                            : "None: no checks were run.\n\n");
    return;
  }
  sc_out_s(o, "| checks | cause | verdicts | blocked by | first checks |\n"
              "|---:|---|---|---|---|\n");
  for (size_t k = 0; k < v->ng; k++) {
    const struct cgroup *g = &v->g[k];
    sc_out_f(o, "| %zu | ", g->n);
    out_glabel(o, r, v, g, 0, ESC_MD, MD_CELL);
    sc_out_s(o, " | ");
    out_gverdicts(o, g);
    sc_out_s(o, " | ");
    out_gowners(o, r, v, g, ESC_MD, 3);
    sc_out_s(o, " | ");
    out_gids(o, r, v, g, ESC_MD, 5);
    sc_out_s(o, " |\n");
  }
  sc_out_s(o, "\n");
}

int sc_report_markdown(const struct sc_report *r, FILE *out) {
  static const enum outcome cols[] = {OC_PASS,    OC_WARN,    OC_FAIL,
                                      OC_ERROR,   OC_SKIP,    OC_UNSUPPORTED,
                                      OC_BLOCKED, OC_ACCEPTED};
  struct sc_out o;
  struct rview v;
  struct ledger l;
  size_t fence = 3;

  if (!r || !out || rview_build(r, &v))
    return -1;
  ledger_of(r, &l);
  sc_out_init(&o, out);

  sc_out_f(&o, "## smsconform: %s \xE2\x80\x94 ", run_verdict(&v));
  out_esc(&o, str_or(r->target, "(no target)"), ESC_MD, MD_CELL);
  sc_out_s(&o, " (profile ");
  out_esc(&o, str_or(r->profile, "none"), ESC_MD, MD_CELL);
  sc_out_s(&o, ")\n\n");
  out_esc(&o, str_or(r->tool, "smsconform"), ESC_MD, MD_CELL);
  sc_out_s(&o, ", started ");
  out_esc(&o, str_or(r->started, "(unknown)"), ESC_MD, MD_CELL);
  sc_out_s(&o, ", ");
  sc_out_num(&o, finite_pos(r->seconds), 1, 0);
  sc_out_f(&o, " s, %lu requests%s\n\n", r->requests,
           r->strict ? ", strict: WARN counts as a failure" : "");
  if (nunsupported(r)) {
    sc_out_s(&o, "**Scope**: the endpoint does not implement ");
    out_scope(&o, r, ESC_MD);
    sc_out_s(&o, " (their checks are UNSUPPORTED).\n\n");
  }
  md_causes(&o, r, &v);

  sc_out_s(&o, "| category | PASS | WARN | FAIL | ERROR | SKIP | UNSUPPORTED "
               "| BLOCKED | ACCEPTED |\n"
               "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  for (size_t k = 0; k <= SC_CAT__COUNT; k++) {
    if (!v.ncat[k])
      continue;
    sc_out_f(&o, "| %s |", cat_label(k));
    for (size_t j = 0; j < sizeof(cols) / sizeof(cols[0]); j++)
      sc_out_f(&o, " %zu |", v.cat[k][cols[j]]);
    sc_out_s(&o, "\n");
  }
  sc_out_s(&o, "| **total** |");
  for (size_t j = 0; j < sizeof(cols) / sizeof(cols[0]); j++)
    sc_out_f(&o, " **%zu** |", v.t[cols[j]]);
  sc_out_s(&o, "\n");

  size_t nfail = v.t[OC_FAIL] + v.t[OC_ERROR];
  if (nfail) {
    sc_out_f(&o, "\n### Failures (%zu)\n\n", nfail);
    md_table(&o, r, &v, 1u << OC_FAIL | 1u << OC_ERROR, 1);
  }
  if (v.t[OC_WARN]) {
    sc_out_f(&o, "\n### Warnings (%zu)\n\n", v.t[OC_WARN]);
    md_table(&o, r, &v, 1u << OC_WARN, 0);
  }
  if (v.t[OC_ACCEPTED]) {
    sc_out_f(&o,
             "\n<details><summary>Accepted by the baseline (%zu)</summary>\n\n",
             v.t[OC_ACCEPTED]);
    md_table(&o, r, &v, 1u << OC_ACCEPTED, 1);
    sc_out_s(&o, "\n</details>\n");
  }
  md_folded(&o, r, &v, OC_BLOCKED, "Blocked");
  md_folded(&o, r, &v, OC_UNSUPPORTED, "Unsupported");
  if (v.t[OC_SKIP]) {
    sc_out_f(&o,
             "\n<details><summary>Skipped (%zu)</summary>\n\n"
             "| check | reason |\n|---|---|\n",
             v.t[OC_SKIP]);
    for (size_t i = 0; i < nresults(r); i++) {
      const struct sc_check_result *c = &r->results[i];
      if (v.oc[i] != OC_SKIP)
        continue;
      sc_out_s(&o, "|");
      md_cell(&o, c->id);
      md_cell(&o, c->message);
      sc_out_s(&o, "\n");
    }
    sc_out_s(&o, "\n</details>\n");
  }
  if (v.nstale) {
    sc_out_f(&o,
             "\n### Baseline entries that no longer fail (%zu)\n\n"
             "They can be removed from the baseline:\n\n",
             v.nstale);
    for (size_t i = 0; i < nresults(r); i++) {
      const struct sc_check_result *c = &r->results[i];
      if (!stale(c, (enum outcome)v.oc[i]))
        continue;
      sc_out_s(&o, "- ");
      out_esc(&o, id_of(c), ESC_MD, MD_CELL);
      sc_out_f(&o, " (now %s)\n", sc_verdict_name(verdict_of(c)));
    }
  }
  /* the reproduction lines in a code block whose fence no backtick run
   * inside can close */
  size_t nrepro = 0;
  for (size_t i = 0; i < nresults(r); i++) {
    const struct sc_check_result *c = &r->results[i];
    if ((v.oc[i] == OC_FAIL || v.oc[i] == OC_ERROR) && c->curl) {
      nrepro++;
      if (backticks(c->curl) >= fence)
        fence = backticks(c->curl) + 1;
    }
  }
  if (nrepro) {
    sc_out_s(&o, "\n<details><summary>Reproduce the failures</summary>\n\n");
    md_fence(&o, fence);
    for (size_t i = 0; i < nresults(r); i++) {
      const struct sc_check_result *c = &r->results[i];
      if ((v.oc[i] != OC_FAIL && v.oc[i] != OC_ERROR) || !c->curl)
        continue;
      sc_out_s(&o, "# ");
      out_esc(&o, id_of(c), ESC_LINE, 0);
      sc_out_s(&o, "\n");
      out_esc(&o, c->curl, ESC_LINE, 0);
      sc_out_s(&o, "\n");
    }
    md_fence(&o, fence);
    sc_out_s(&o, "\n</details>\n");
  }
  if (nspend(r) || max_spend_set(r)) {
    sc_out_s(&o, "\n### Ledger\n\n");
    if (nspend(r))
      sc_out_s(&o, "| what | id | bought by | cost | state | note |\n"
                   "|---|---|---|---:|---|---|\n");
    for (size_t i = 0; i < nspend(r); i++) {
      const struct sc_spend *s = &r->spend[i];
      sc_out_s(&o, "|");
      md_cell(&o, s->what);
      md_cell(&o, s->id);
      md_cell(&o, s->check);
      sc_out_s(&o, " ");
      if (cost_known(s))
        out_money(&o, s->cost);
      else
        sc_out_s(&o, "price unknown");
      sc_out_f(&o, " | %s |", sc_spend_state_name(spend_state(s)));
      md_cell(&o, s->note);
      sc_out_s(&o, "\n");
    }
    sc_out_s(&o, nspend(r) ? "\n**Total**: " : "Nothing was bought: ");
    out_ledger_line(&o, r, &l, ESC_MD, 50);
    sc_out_s(&o, ".\n");
  }
  rview_free(&v);
  return sc_out_end(&o);
}

/* --------------------------------------------------------------- HTML */

/* The filter script. The Content-Security-Policy below allows this script
 * and nothing else, by hash: if it changes, the hash must change with it
 * (test_report checks it). Recompute with
 *   printf '%s' "$SCRIPT" | openssl dgst -sha256 -binary | base64 */
#define HTML_SCRIPT                                                            \
  "(function(){var f=document.getElementById(\"filters\"),"                    \
  "b=document.querySelectorAll(\"tbody.check\");f.hidden=false;"               \
  "function u(){var c=f.elements.cat.value,v=f.elements.verdict.value;"        \
  "for(var i=0;i<b.length;i++){var d=b[i].dataset;"                            \
  "b[i].hidden=!!((c&&d.cat!==c)||(v&&d.verdict!==v));}}"                      \
  "f.addEventListener(\"change\",u);u();})();"
#define HTML_SCRIPT_SHA256 "Gycv9eT4QoFDzkoN06H2BfW91ApXjiLaMQ26rlZSP7I="

static const char html_head[] =
    "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
    "'none'; style-src 'unsafe-inline'; script-src 'sha256-" HTML_SCRIPT_SHA256
    "'; base-uri 'none'; form-action 'none'\">\n"
    "<meta name=\"viewport\" content=\"width=device-width, "
    "initial-scale=1\">\n";

static const char html_style[] =
    "<style>\n"
    "body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}\n"
    "[hidden]{display:none!important}\n"
    ".card{border:1px solid #ccc;border-radius:6px;padding:1em;"
    "margin-bottom:1em}\n"
    ".card dl{display:grid;grid-template-columns:max-content auto;"
    "gap:.2em 1em;margin:.5em 0}\n"
    ".card dt{font-weight:600}.card dd{margin:0;overflow-wrap:anywhere}\n"
    "table{border-collapse:collapse}th,td{border:1px solid #ddd;"
    "padding:.25em .5em;text-align:left;vertical-align:top}\n"
    "td.num,th.num{text-align:right}\n"
    "#checks{width:100%}#checks td.id{font-family:monospace}\n"
    "pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f6f6f6;"
    "padding:.4em;margin:.2em 0;max-height:30em;overflow:auto}\n"
    ".v{font-weight:700}.v-PASS{color:#1a7f37}.v-WARN{color:#9a6700}"
    ".v-FAIL,.v-ERROR{color:#cf222e}"
    ".v-SKIP,.v-ACCEPTED,.v-UNSUPPORTED{color:#57606a}"
    ".v-BLOCKED{color:#0969da}\n"
    "table.causes td{overflow-wrap:anywhere;max-width:40em}\n"
    "tr.detail td{border-top:0;background:#fcfcfc}\n"
    ".ex{border-left:3px solid #ddd;padding-left:.6em;margin:.5em 0}\n"
    "</style>\n</head>\n<body>\n";

static void html_dd(struct sc_out *o, const char *label, const char *v) {
  sc_out_s(o, "<dt>");
  sc_out_s(o, label);
  sc_out_s(o, "</dt><dd>");
  out_esc(o, v, ESC_HTML, 0);
  sc_out_s(o, "</dd>\n");
}

static void html_pre(struct sc_out *o, const char *label, const char *v) {
  if (!v)
    return;
  sc_out_s(o, "<dt>");
  sc_out_s(o, label);
  sc_out_s(o, "</dt><dd><pre>");
  out_esc(o, v, ESC_HTML, 0);
  sc_out_s(o, "</pre></dd>\n");
}

static void html_exchange(struct sc_out *o, size_t k,
                          const struct sc_exchange *e) {
  sc_out_f(o, "<div class=\"ex\"><h4>exchange %zu: ", k + 1);
  out_esc(o, str_or(e->method, "?"), ESC_HTML, 0);
  sc_out_s(o, " ");
  out_esc(o, e->url, ESC_HTML, 0);
  sc_out_s(o, "</h4>\n<dl>\n");
  html_pre(o, "request body", e->request_body);
  if (e->transport_error)
    html_dd(o, "transport error", e->transport_error);
  sc_out_f(o, "<dt>status</dt><dd>%ld</dd>\n", e->status);
  html_dd(o, "content type", str_or(e->content_type, "(none)"));
  sc_out_s(o, "<dt>time</dt><dd>");
  sc_out_num(o, finite_pos(e->ms), 1, 0);
  sc_out_s(o, " ms</dd>\n");
  if (e->body) {
    sc_out_f(o, "<dt>body</dt><dd>%zu bytes%s%s<pre>", e->body_len,
             body_binary(e) ? ", not UTF-8 text (bytes shown as \\xNN)" : "",
             body_cut(e) ? ", truncated" : "");
    out_escn(o, e->body, body_shown(e), ESC_HTML, 0);
    sc_out_s(o, "</pre></dd>\n");
  }
  sc_out_s(o, "</dl></div>\n");
}

static void html_check(struct sc_out *o, const struct sc_report *r,
                       const struct rview *v, size_t i) {
  const struct sc_check_result *c = &r->results[i];
  enum outcome oc = (enum outcome)v->oc[i];
  const char *vn = oc_names[oc];

  sc_out_f(o,
           "<tbody class=\"check\" id=\"c%zu\" data-cat=\"%s\" "
           "data-verdict=\"%s\">\n<tr class=\"sum\"><td class=\"v v-%s\">%s",
           i + 1, cat_label(cat_of(c)), vn, vn, vn);
  if (oc == OC_FAIL && verdict_of(c) == SC_VERDICT_WARN)
    sc_out_s(o, " (WARN, strict)");
  if (oc == OC_ERROR && verdict_of(c) == SC_VERDICT_BLOCKED)
    sc_out_s(o, " (BLOCKED, unexplained)");
  sc_out_s(o, "</td><td class=\"id\">");
  out_esc(o, str_or(c->id, ""), ESC_HTML, 0);
  sc_out_f(o, "</td><td>%s</td><td>", cat_label(cat_of(c)));
  out_esc(o, c->message, ESC_HTML, 0);
  sc_out_s(o, "</td><td class=\"num\">");
  sc_out_num(o, finite_pos(c->ms), 1, 0);
  sc_out_s(o, "</td></tr>\n<tr class=\"detail\"><td colspan=\"5\"><details>"
              "<summary>details</summary>\n<dl>\n");
  sc_out_f(o, "<dt>verdict</dt><dd>%s</dd>\n", sc_verdict_name(verdict_of(c)));
  if (c->cause)
    html_dd(o, "cause", c->cause);
  if (verdict_of(c) == SC_VERDICT_BLOCKED || c->blocked_by) {
    sc_out_s(o, "<dt>blocked by</dt><dd>");
    out_blocked_by(o, r, c, oc, ESC_HTML, 0);
    sc_out_s(o, "</dd>\n");
  }
  if (status_shown(c))
    sc_out_f(o, "<dt>HTTP status</dt><dd>%ld</dd>\n", c->http_status);
  if (ndevs(c)) {
    sc_out_s(o, "<dt>deviations</dt><dd><ol>");
    for (size_t k = 0; k < ndevs(c); k++) {
      sc_out_s(o, "<li>");
      out_dev(o, &c->devs[k], ESC_HTML, 0);
      sc_out_s(o, "</li>");
    }
    sc_out_s(o, "</ol></dd>\n");
  }
  html_dd(o, "requirement", str_or(c->requirement, ""));
  sc_out_s(o, "<dt>source</dt><dd>");
  out_citation(o, c, ESC_HTML, 0);
  sc_out_s(o, "</dd>\n");
  if (c->action)
    html_dd(o, "action", c->action);
  if (c->tags)
    html_dd(o, "tags", c->tags);
  if (c->baseline)
    html_dd(o, "baseline",
            oc == OC_ACCEPTED ? "a known failure, accepted by the baseline"
                              : "in the baseline, but does not fail now: "
                                "the entry can go");
  html_pre(o, "expected", c->expected);
  html_pre(o, "actual", c->actual);
  html_pre(o, "reproduce", c->curl);
  sc_out_s(o, "</dl>\n");
  for (size_t k = 0; k < nexchanges(c); k++)
    html_exchange(o, k, &c->ex[k]);
  sc_out_s(o, "</details></td></tr>\n</tbody>\n");
}

/* The findings grouped by cause, what fails first, then the largest. */
static void html_causes(struct sc_out *o, const struct sc_report *r,
                        const struct rview *v) {
  sc_out_s(o, "<h2>Findings by cause</h2>\n");
  if (!v->ng) {
    sc_out_s(o, nresults(r) ? "<p>None: every check passed.</p>\n"
                            : "<p>None: no checks were run.</p>\n");
    return;
  }
  sc_out_s(o, "<table class=\"causes\">\n<tr><th class=\"num\">checks</th>"
              "<th>cause</th><th>verdicts</th><th>blocked by</th>"
              "<th>first checks</th></tr>\n");
  for (size_t k = 0; k < v->ng; k++) {
    const struct cgroup *g = &v->g[k];
    sc_out_f(o, "<tr><td class=\"num\">%zu</td><td>", g->n);
    out_glabel(o, r, v, g, 0, ESC_HTML, 300);
    sc_out_s(o, "</td><td>");
    out_gverdicts(o, g);
    sc_out_s(o, "</td><td>");
    out_gowners(o, r, v, g, ESC_HTML, 5);
    sc_out_s(o, "</td><td>");
    out_gids(o, r, v, g, ESC_HTML, 5);
    sc_out_s(o, "</td></tr>\n");
  }
  sc_out_s(o, "</table>\n");
}

static void html_ledger(struct sc_out *o, const struct sc_report *r,
                        const struct ledger *l) {
  if (!nspend(r) && !max_spend_set(r))
    return;
  sc_out_s(o, "<h2>Ledger</h2>\n");
  if (nspend(r))
    sc_out_s(o, "<table class=\"spend\">\n<tr><th>what</th><th>id</th>"
                "<th>bought by</th><th class=\"num\">cost</th><th>state</th>"
                "<th>note</th></tr>\n");
  for (size_t i = 0; i < nspend(r); i++) {
    const struct sc_spend *s = &r->spend[i];
    enum sc_spend_state st = spend_state(s);
    sc_out_s(o, "<tr><td>");
    out_esc(o, s->what, ESC_HTML, 0);
    sc_out_s(o, "</td><td>");
    out_esc(o, s->id, ESC_HTML, 0);
    sc_out_s(o, "</td><td>");
    out_esc(o, s->check, ESC_HTML, 0);
    sc_out_s(o, "</td><td class=\"num\">");
    if (cost_known(s))
      out_money(o, s->cost);
    else
      sc_out_s(o, "price unknown");
    sc_out_f(o, "</td><td class=\"v v-%s\">%s</td><td>",
             st == SC_SPEND_LEFT_ACTIVE ? "FAIL" : "PASS",
             sc_spend_state_name(st));
    out_esc(o, s->note, ESC_HTML, 0);
    sc_out_s(o, "</td></tr>\n");
  }
  if (nspend(r))
    sc_out_s(o, "</table>\n");
  sc_out_s(o, nspend(r) ? "<p class=\"ledger\">Total: "
                        : "<p class=\"ledger\">Nothing was bought: ");
  out_ledger_line(o, r, l, ESC_HTML, 50);
  sc_out_s(o, ".</p>\n");
}

int sc_report_html(const struct sc_report *r, FILE *out) {
  static const enum outcome cols[] = {OC_PASS,    OC_WARN,    OC_FAIL,
                                      OC_ERROR,   OC_SKIP,    OC_UNSUPPORTED,
                                      OC_BLOCKED, OC_ACCEPTED};
  struct sc_out o;
  struct rview v;
  struct ledger l;
  const char *verdict;

  if (!r || !out || rview_build(r, &v))
    return -1;
  ledger_of(r, &l);
  sc_out_init(&o, out);
  verdict = run_verdict(&v);

  sc_out_s(&o, html_head);
  sc_out_f(&o, "<title>smsconform %s: ", verdict);
  out_esc(&o, str_or(r->target, "(no target)"), ESC_HTML, 200);
  sc_out_s(&o, "</title>\n");
  sc_out_s(&o, html_style);
  sc_out_f(&o,
           "<header class=\"card\">\n<h1>smsconform: <span class=\"v "
           "v-%s\">%s</span></h1>\n<dl>\n",
           verdict, verdict);
  html_dd(&o, "target", str_or(r->target, "(no target)"));
  html_dd(&o, "profile", str_or(r->profile, "(none)"));
  html_dd(&o, "tool", str_or(r->tool, "smsconform"));
  html_dd(&o, "started", str_or(r->started, "(unknown)"));
  sc_out_s(&o, "<dt>duration</dt><dd>");
  sc_out_num(&o, finite_pos(r->seconds), 3, 0);
  sc_out_f(&o,
           " s</dd>\n<dt>requests</dt><dd>%lu</dd>\n<dt>strict</dt><dd>%s"
           "</dd>\n",
           r->requests, r->strict ? "yes: WARN counts as a failure" : "no");
  if (nunsupported(r)) {
    sc_out_s(&o, "<dt>scope</dt><dd>the endpoint does not implement ");
    out_scope(&o, r, ESC_HTML);
    sc_out_s(&o, " (their checks are UNSUPPORTED)</dd>\n");
  }
  sc_out_s(&o, "</dl>\n");
  html_causes(&o, r, &v);
  sc_out_s(&o, "<h2>Checks per category</h2>\n<table class=\"counts\">\n"
               "<tr><th>category</th>");
  for (size_t j = 0; j < sizeof(cols) / sizeof(cols[0]); j++)
    sc_out_f(&o, "<th class=\"num\">%s</th>", oc_names[cols[j]]);
  sc_out_s(&o, "</tr>\n");
  for (size_t k = 0; k <= SC_CAT__COUNT; k++) {
    if (!v.ncat[k])
      continue;
    sc_out_f(&o, "<tr><td>%s</td>", cat_label(k));
    for (size_t j = 0; j < sizeof(cols) / sizeof(cols[0]); j++)
      sc_out_f(&o, "<td class=\"num\">%zu</td>", v.cat[k][cols[j]]);
    sc_out_s(&o, "</tr>\n");
  }
  sc_out_s(&o, "<tr><th>total</th>");
  for (size_t j = 0; j < sizeof(cols) / sizeof(cols[0]); j++)
    sc_out_f(&o, "<th class=\"num\">%zu</th>", v.t[cols[j]]);
  sc_out_s(&o, "</tr>\n</table>\n");
  if (v.nstale)
    sc_out_f(&o,
             "<p>%zu baseline entr%s no longer fail%s: see the checks "
             "marked so below; the entries can go.</p>\n",
             v.nstale, v.nstale == 1 ? "y" : "ies", v.nstale == 1 ? "s" : "");
  html_ledger(&o, r, &l);
  sc_out_s(&o, "</header>\n");

  /* Hidden until the script runs: without it every check is shown. */
  sc_out_s(&o, "<form id=\"filters\" hidden>\n<label>category <select "
               "name=\"cat\"><option value=\"\">all</option>");
  for (size_t k = 0; k <= SC_CAT__COUNT; k++)
    if (v.ncat[k])
      sc_out_f(&o, "<option>%s</option>", cat_label(k));
  sc_out_s(&o, "</select></label>\n<label>verdict <select name=\"verdict\">"
               "<option value=\"\">all</option>");
  for (size_t j = 0; j < sizeof(cols) / sizeof(cols[0]); j++)
    sc_out_f(&o, "<option>%s</option>", oc_names[cols[j]]);
  sc_out_s(&o, "</select></label>\n</form>\n");

  sc_out_s(&o, "<table id=\"checks\">\n<thead><tr><th>verdict</th><th>check"
               "</th><th>category</th><th>message</th><th class=\"num\">ms</th>"
               "</tr></thead>\n");
  for (size_t i = 0; i < nresults(r); i++)
    html_check(&o, r, &v, i);
  sc_out_s(&o,
           "</table>\n<script>" HTML_SCRIPT "</script>\n</body>\n</html>\n");
  rview_free(&v);
  return sc_out_end(&o);
}

/* ------------------------------------------------------------- console */

/* The groups the console shows; the rest are counted (every other format
 * lists them all). */
#define CON_CAUSES 12
/* The deviations shown per failure. */
#define CON_DEVS 3

static void con_line(struct sc_out *o, const char *label, const char *v,
                     size_t cap) {
  if (!v)
    return;
  sc_out_f(o, "        %s: ", label);
  out_esc(o, v, ESC_LINE, cap);
  sc_out_s(o, "\n");
}

static void con_causes(struct sc_out *o, const struct sc_report *r,
                       const struct rview *v) {
  size_t more = 0;
  if (!v->ng)
    return;
  sc_out_f(o, "\nFindings by cause (%zu check%s, %zu cause%s):\n", v->nitems,
           v->nitems == 1 ? "" : "s", v->ng, v->ng == 1 ? "" : "s");
  for (size_t k = 0; k < v->ng; k++) {
    const struct cgroup *g = &v->g[k];
    if (k >= CON_CAUSES) {
      more += g->n;
      continue;
    }
    /* "   90  getBalance unusable"
     * "       90 BLOCKED, blocked by format.getBalance: format.getNumber,
     *        format.getStatus, format.getPrices, … and 87 more" */
    sc_out_f(o, "  %5zu  ", g->n);
    out_glabel(o, r, v, g, 1, ESC_LINE, 200);
    sc_out_s(o, "\n         ");
    out_gverdicts(o, g);
    if (out_gowners(NULL, r, v, g, ESC_LINE, 0)) {
      sc_out_s(o, ", blocked by ");
      out_gowners(o, r, v, g, ESC_LINE, 3);
    }
    if (!g->by_id) {
      sc_out_s(o, ": ");
      out_gids(o, r, v, g, ESC_LINE, 3);
    }
    sc_out_s(o, "\n");
  }
  if (v->ng > CON_CAUSES)
    sc_out_f(o,
             "  \xE2\x80\xA6 and %zu more causes of %zu checks (the "
             "reports list them all)\n",
             v->ng - CON_CAUSES, more);
}

static void con_failures(struct sc_out *o, const struct sc_report *r,
                         const struct rview *v, const char *red,
                         const char *off) {
  size_t n = 0;
  for (size_t i = 0; i < nresults(r); i++) {
    const struct sc_check_result *c = &r->results[i];
    enum outcome oc = (enum outcome)v->oc[i];
    if (oc != OC_FAIL && oc != OC_ERROR)
      continue;
    if (!n++)
      sc_out_s(o, "\nFailures:\n");
    sc_out_f(o, "  %s%-5s%s ", red, sc_verdict_name(verdict_of(c)), off);
    out_esc(o, id_of(c), ESC_LINE, 200);
    sc_out_s(o, "\n");
    if (c->message) {
      sc_out_s(o, "        ");
      out_esc(o, c->message, ESC_LINE, 300);
      sc_out_s(o, "\n");
    }
    con_line(o, "cause", c->cause, 200);
    if (verdict_of(c) == SC_VERDICT_BLOCKED || c->blocked_by) {
      sc_out_s(o, "        blocked by: ");
      out_blocked_by(o, r, c, oc, ESC_LINE, 200);
      sc_out_s(o, "\n");
    }
    if (status_shown(c))
      sc_out_f(o, "        HTTP status: %ld\n", c->http_status);
    for (size_t k = 0; k < ndevs(c) && k < CON_DEVS; k++) {
      sc_out_s(o, "        deviation: ");
      out_dev(o, &c->devs[k], ESC_LINE, 300);
      sc_out_s(o, "\n");
    }
    if (ndevs(c) > CON_DEVS)
      sc_out_f(o, "        \xE2\x80\xA6 and %zu more deviations\n",
               ndevs(c) - CON_DEVS);
    if (c->doc) {
      sc_out_s(o, "        source: ");
      out_citation(o, c, ESC_LINE, 200);
      sc_out_s(o, "\n");
    }
    con_line(o, "reproduce", c->curl, 600);
  }
}

int sc_report_console(const struct sc_report *r, FILE *out, int color) {
  static const enum sc_verdict cols[] = {
      SC_VERDICT_PASS,   SC_VERDICT_WARN,  SC_VERDICT_FAIL,
      SC_VERDICT_SKIP,   SC_VERDICT_ERROR, SC_VERDICT_UNSUPPORTED,
      SC_VERDICT_BLOCKED};
  static const int width[] = {5, 5, 5, 5, 5, 11, 7};
  const char *red = color ? "\033[31m" : "", *yel = color ? "\033[33m" : "";
  const char *grn = color ? "\033[32m" : "", *off = color ? "\033[0m" : "";
  struct sc_out o;
  struct rview v;
  struct ledger l;

  if (!r || !out || rview_build(r, &v))
    return -1;
  ledger_of(r, &l);
  sc_out_init(&o, out);
  con_causes(&o, r, &v);
  con_failures(&o, r, &v, red, off);

  sc_out_s(&o, "\nCATEGORY   ");
  for (size_t j = 0; j < sizeof cols / sizeof *cols; j++)
    sc_out_f(&o, " %*s", width[j], sc_verdict_name(cols[j]));
  sc_out_s(&o, "\n");
  for (size_t k = 0; k <= SC_CAT__COUNT; k++) {
    if (!v.ncat[k])
      continue;
    sc_out_f(&o, "%-11s", cat_label(k));
    for (size_t j = 0; j < sizeof cols / sizeof *cols; j++)
      sc_out_f(&o, " %*zu", width[j], v.catv[k][cols[j]]);
    sc_out_s(&o, "\n");
  }
  sc_out_f(&o, "%-11s", "total");
  for (size_t j = 0; j < sizeof cols / sizeof *cols; j++)
    sc_out_f(&o, " %*zu", width[j], v.verdict[cols[j]]);
  sc_out_s(&o, "\n");

  if (v.t[OC_ACCEPTED])
    sc_out_f(&o,
             "baseline    %zu known failures accepted (reported, not "
             "failing)\n",
             v.t[OC_ACCEPTED]);
  if (v.nstale) {
    size_t n = 0;
    sc_out_f(&o,
             "baseline    %zu entr%s no longer fail%s (remove them):", v.nstale,
             v.nstale == 1 ? "y" : "ies", v.nstale == 1 ? "s" : "");
    for (size_t i = 0; i < nresults(r) && n < 5; i++)
      if (stale(&r->results[i], (enum outcome)v.oc[i])) {
        sc_out_s(&o, n++ ? ", " : " ");
        out_esc(&o, id_of(&r->results[i]), ESC_LINE, 120);
      }
    sc_out_s(&o, v.nstale > n ? ", \xE2\x80\xA6\n" : "\n");
  }
  if (nunsupported(r)) {
    sc_out_s(&o, "scope       not implemented by the endpoint: ");
    out_scope(&o, r, ESC_LINE);
    sc_out_s(&o, "\n");
  }
  if (nspend(r) || max_spend_set(r)) {
    sc_out_s(&o, "ledger      ");
    out_ledger_line(&o, r, &l, ESC_LINE, 10);
    sc_out_s(&o, "\n");
    for (size_t i = 0; i < nspend(r); i++) {
      const struct sc_spend *s = &r->spend[i];
      if (spend_state(s) != SC_SPEND_LEFT_ACTIVE)
        continue;
      sc_out_f(&o, "            %sleft active%s ", yel, off);
      out_purchase(&o, s, 0, ESC_LINE);
      sc_out_s(&o, "\n");
    }
  }

  int bad = v.t[OC_FAIL] + v.t[OC_ERROR] > 0;
  sc_out_f(&o, "\n%s%s%s  %zu checks, %lu requests, ",
           bad ? red : (v.t[OC_WARN] ? yel : grn), bad ? "FAIL" : "PASS", off,
           nresults(r), r->requests);
  sc_out_num(&o, finite_pos(r->seconds), 2, 0);
  sc_out_s(&o, " s, spent ");
  out_money(&o, l.spent);
  sc_out_s(&o, ", profile ");
  out_esc(&o, str_or(r->profile, "(none)"), ESC_LINE, 120);
  sc_out_s(&o, "\n");
  rview_free(&v);
  return sc_out_end(&o);
}

/* ------------------------------------------------ shared escaping */

int sc_report_escape(struct sc_buf *b, enum sc_report_esc m, const char *s,
                     size_t n, size_t cap) {
  static const enum esc modes[] = {
      [SC_REPORT_ESC_HTML] = ESC_HTML,
      [SC_REPORT_ESC_MD] = ESC_MD,
      [SC_REPORT_ESC_LINE] = ESC_LINE,
      [SC_REPORT_ESC_TEXT] = ESC_TEXT,
  };
  struct sc_out o = {.f = NULL, .b = *b, .err = 0};

  if (!s || b->err)
    return b->err;
  if (m == SC_REPORT_ESC_JSON || m == SC_REPORT_ESC_JSON_SCRIPT)
    json_esc_for(&o, s, n, m == SC_REPORT_ESC_JSON_SCRIPT);
  else if ((unsigned)m < sizeof(modes) / sizeof(modes[0]))
    out_escn(&o, s, n, modes[m], cap);
  else
    return -1;
  *b = o.b;
  return b->err;
}
