/* sc_report_int.h — the report writers' inside, shared by their files:
 *
 *   sc_report.c          the model (names, freeing, what counts as a
 *                        failure), the view every writer works from, and
 *                        the ledger's totals
 *   sc_report_out.c      escaping for each format, and the pieces several
 *                        writers print the same way (findings by cause,
 *                        deviations, the ledger on one line)
 *   sc_report_junit.c    JUnit XML
 *   sc_report_tap.c      TAP 14
 *   sc_report_json.c     JSON (schema SC_REPORT_SCHEMA)
 *   sc_report_md.c       Markdown
 *   sc_report_html.c     one self-contained HTML file
 *   sc_report_console.c  the summary `run` prints
 *
 * Every writer stages its output in one struct sc_out (sc_out.h). */
#ifndef SC_REPORT_INT_H
#define SC_REPORT_INT_H

#include "sc_out.h"
#include "sc_report.h"

#include <math.h>
#include <stddef.h>

/* ----------------------------------------------------------------- model */

/* A verdict outside the enum is a runner bug; it is reported as ERROR
 * rather than trusted as an index. */
static inline enum sc_verdict rpt_verdict(const struct sc_check_result *c) {
  return (unsigned)c->verdict < SC_VERDICT__COUNT ? c->verdict
                                                  : SC_VERDICT_ERROR;
}

static inline enum sc_verdict rpt_dev_verdict(const struct sc_check_dev *d) {
  return (unsigned)d->verdict < SC_VERDICT__COUNT ? d->verdict
                                                  : SC_VERDICT_ERROR;
}

/* Category index, SC_CAT__COUNT standing for "unknown". */
static inline size_t rpt_cat(const struct sc_check_result *c) {
  return (unsigned)c->cat < SC_CAT__COUNT ? (size_t)c->cat : SC_CAT__COUNT;
}

static inline const char *rpt_cat_label(size_t k) {
  return sc_cat_name((enum sc_cat)k);
}

static inline size_t rpt_nresults(const struct sc_report *r) {
  return r->results ? r->nresults : 0;
}

static inline size_t rpt_nexchanges(const struct sc_check_result *c) {
  return c->ex ? c->nex : 0;
}

static inline size_t rpt_ndevs(const struct sc_check_result *c) {
  return c->devs ? c->ndevs : 0;
}

static inline size_t rpt_nspend(const struct sc_report *r) {
  return r->spend ? r->nspend : 0;
}

static inline size_t rpt_nunsupported(const struct sc_report *r) {
  size_t n = 0;
  while (r->unsupported && r->unsupported[n])
    n++;
  return n;
}

/* The HTTP status a report shows: not when there was no answer (0), and
 * not the ordinary 200. */
static inline int rpt_status_shown(const struct sc_check_result *c) {
  return c->http_status != 0 && c->http_status != 200;
}

static inline double rpt_finite_pos(double v) {
  return isfinite(v) && v > 0 ? v : 0;
}

static inline const char *rpt_str_or(const char *s, const char *dflt) {
  return s ? s : dflt;
}

/* A check's name where one is required (JUnit, TAP): never empty. */
static inline const char *rpt_id(const struct sc_check_result *c) {
  return c->id && *c->id ? c->id : "(no id)";
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

/* "PASS", ..., "ACCEPTED". */
extern const char *const rpt_oc_names[OC__COUNT];

/* An entry of the baseline that does not fail now: it can go. */
static inline int rpt_stale(const struct sc_check_result *c, enum outcome oc) {
  return c->baseline && oc != OC_ACCEPTED;
}

/* Why a BLOCKED result that nothing explains fails the run. */
const char *rpt_unexplained_why(const struct sc_report *r,
                                const struct sc_check_result *c);

/* ------------------------------------------------------------------ view */

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
  struct cgroup *g; /* what fails first, then the largest */
  size_t ng;
};

/* Builds the view of |r|: 0, or -1 when out of memory (|v| freed). */
int rpt_view_build(const struct sc_report *r, struct rview *v);
void rpt_view_free(struct rview *v);

/* The |k|-th result of group |g|. */
static inline const struct sc_check_result *rpt_gres(const struct sc_report *r,
                                                     const struct rview *v,
                                                     const struct cgroup *g,
                                                     size_t k) {
  return &r->results[v->items[g->first + k]];
}

/* The run's verdict: "PASS", "WARN", "FAIL" or "ERROR". */
const char *rpt_run_verdict(const struct rview *v);

/* ---------------------------------------------------------------- ledger */

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

void rpt_ledger_of(const struct sc_report *r, struct ledger *l);
/* A writer's first step: the view of |r| and its ledger built and |o| set
 * up on |out|; 0, or -1 with nothing to free. */
int rpt_begin(const struct sc_report *r, FILE *out, struct sc_out *o,
              struct rview *v, struct ledger *l);
/* What became of |s| as the reports show it (see struct ledger). */
enum sc_spend_state rpt_spend_state(const struct sc_spend *s);

static inline int rpt_cost_known(const struct sc_spend *s) {
  return s->cost_known && isfinite(s->cost);
}

static inline int rpt_max_spend_set(const struct sc_report *r) {
  return isfinite(r->max_spend) && r->max_spend >= 0;
}

/* -------------------------------------------------------------- escaping */

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
size_t rpt_decode(const unsigned char *u, size_t n, size_t i,
                  unsigned long *cp);
/* Valid code points that show as nothing or reorder what follows (see
 * sc_report_out.c): written as \uNNNN wherever text is displayed. */
int rpt_invisible(unsigned long cp);

/* Appends [s, s+n) escaped for |m|. When |cap| is not 0 at most |cap| code
 * points are shown, then an ellipsis. NULL |s| writes nothing. */
void rpt_escn(struct sc_out *o, const char *s, size_t n, enum esc m,
              size_t cap);
void rpt_esc(struct sc_out *o, const char *s, enum esc m, size_t cap);
/* [p, p+n) as the inside of a JSON string, lossless; with |script| safe
 * inside an HTML <script> element as well. */
void rpt_json_esc(struct sc_out *o, const char *p, size_t n, int script);

/* ---------------------------------------------------- what writers share */

/* A body as displayed: at most SC_REPORT_BODY_MAX bytes even if the runner
 * kept more; cut (by the runner or here); not UTF-8 text. */
size_t rpt_body_shown(const struct sc_exchange *e);
int rpt_body_cut(const struct sc_exchange *e);
int rpt_body_binary(const struct sc_exchange *e);

/* Each appends to |o|, escaped for |m| where it shows text. */

/* An amount of money: two decimals, three or four when it has them. */
void rpt_money(struct sc_out *o, double v);
/* "doc § section", or whichever half is there. */
void rpt_citation(struct sc_out *o, const struct sc_check_result *c, enum esc m,
                  size_t cap);
/* "88 BLOCKED, 2 FAIL": the verdicts of a group, worst first. */
void rpt_gverdicts(struct sc_out *o, const struct cgroup *g);
/* The blocked_by of |g|'s |k|-th result when no earlier result of |g|
 * names the same check, else NULL. */
const char *rpt_gowner(const struct sc_report *r, const struct rview *v,
                       const struct cgroup *g, size_t k);
/* The checks that |g|'s BLOCKED results are blocked by, at most |max| of
 * them (0: all); with a NULL |o| only counted. Returns how many. */
size_t rpt_gowners(struct sc_out *o, const struct sc_report *r,
                   const struct rview *v, const struct cgroup *g, enum esc m,
                   size_t max);
/* The ids of |g|'s first |max| results, then "… and N more". */
void rpt_gids(struct sc_out *o, const struct sc_report *r,
              const struct rview *v, const struct cgroup *g, enum esc m,
              size_t max);
/* A group's heading: its cause, or for a check without one its message,
 * after its id when |with_id|. */
void rpt_glabel(struct sc_out *o, const struct sc_report *r,
                const struct rview *v, const struct cgroup *g, int with_id,
                enum esc m, size_t cap);
/* One deviation: "JSON_MISSING FAIL at byte 12: message". */
void rpt_dev(struct sc_out *o, const struct sc_check_dev *d, enum esc m,
             size_t cap);
/* What blocked |c|, and why it fails the run when nothing explains it. */
void rpt_blocked_by(struct sc_out *o, const struct sc_report *r,
                    const struct sc_check_result *c, enum outcome oc,
                    enum esc m, size_t cap);
/* The ledger on one line, at most |maxids| ids of purchases left active. */
void rpt_ledger_line(struct sc_out *o, const struct sc_report *r,
                     const struct ledger *l, enum esc m, size_t maxids);
/* The actions the endpoint does not implement: "a, b, c". */
void rpt_scope(struct sc_out *o, const struct sc_report *r, enum esc m);
/* One purchase on one line; with its state when |state|. */
void rpt_purchase(struct sc_out *o, const struct sc_spend *s, int state,
                  enum esc m);

#endif
