/* sc_compare_int.h — the vendor comparison's inside, shared by its files:
 *
 *   sc_compare_read.c  the reader: a JSON report back into a struct
 *                      sc_report, every field checked
 *   sc_compare.c       the model (vendors, in the order added) and the view
 *                      every writer works from
 *   sc_compare_out.c   what the writers share: the staged output, strings
 *                      escaped for a format, and what SC_COMPARE_STABLE
 *                      scrubs from them
 *   sc_compare_html.c  the HTML page: cards, SVG charts, the matrix, and
 *                      the data island its script reads
 *   sc_compare_md.c    the Markdown writer
 *   sc_compare_json.c  the JSON writer and the console table
 *
 * The reader needs nothing of the model; the model needs only the
 * reader's quoting; the writers read the model through a view. */
#ifndef SC_COMPARE_INT_H
#define SC_COMPARE_INT_H

#include "sc_buf.h"
#include "sc_compare.h"
#include "sc_out.h"
#include "sc_report.h"

#include <stddef.h>
#include <stdio.h>

/* ---------------------------------------------------------------- reader */

/* A value from the file quoted in a message: one line, at most 40 code
 * points, nothing that could drive a terminal; "" when out of memory. */
void cmp_quote(const char *s, char *out, size_t cap);

/* ----------------------------------------------------------------- model */

struct vendor {
  char *name;
  char *note;    /* NULL or one line for the card */
  char *dialect; /* NULL or the dialect that decided what is unsupported */
  struct sc_report rep;
};

struct sc_compare {
  struct vendor *v;
  size_t nv;
};

/* ------------------------------------------------------------------ view */

/* Counted columns: the verdicts, "unsupported" standing for both a
 * result UNSUPPORTED and no result at all. */
#define COL_MAP(X)                                                             \
  X(PASS, "PASS", 'P')                                                         \
  X(WARN, "WARN", 'W')                                                         \
  X(FAIL, "FAIL", 'F')                                                         \
  X(ERROR, "ERROR", 'E')                                                       \
  X(SKIP, "SKIP", 'S')                                                         \
  X(BLOCKED, "BLOCKED", 'B')                                                   \
  X(UNSUP, "unsupported", 'U')

enum col {
#define COL_ENUM(name, str, letter) COL_##name,
  COL_MAP(COL_ENUM)
#undef COL_ENUM
      COL__COUNT
};

/* A column's name ("unsupported") and its letter in the page ('U'). */
extern const char *const cmp_col_names[COL__COUNT];
extern const char cmp_col_letters[COL__COUNT];

/* A result's verdict, one outside the enum as ERROR. */
static inline enum sc_verdict cmp_verdict_ix(const struct sc_check_result *r) {
  return (unsigned)r->verdict < SC_VERDICT__COUNT ? r->verdict
                                                  : SC_VERDICT_ERROR;
}

/* Category index, SC_CAT__COUNT standing for "unknown". */
static inline size_t cmp_cat_ix(const struct sc_check_result *r) {
  return (unsigned)r->cat < SC_CAT__COUNT ? (size_t)r->cat : SC_CAT__COUNT;
}

/* Latency of one action at one vendor. */
struct alat {
  const char *a; /* the action's name: a span into a URL or body */
  size_t alen;
  double p50, p95;
  size_t n;
};

struct vstat {
  size_t col[COL__COUNT];
  size_t verdict[SC_VERDICT__COUNT]; /* the results, by verdict */
  size_t cat[SC_CAT__COUNT + 1][COL__COUNT];
  struct alat *acts; /* sorted by name */
  size_t nacts;
  double p50, p95; /* over every request to the target */
  size_t nlat;
};

struct row {
  const struct sc_check_result *first; /* id, category, action, citation */
  size_t action; /* index into view.actions; SIZE_MAX: none */
};

struct view {
  const struct sc_compare *c;
  size_t nv;
  struct row *rows; /* in order of first appearance */
  size_t nrows;
  size_t *order;                       /* display position -> row */
  const struct sc_check_result **cell; /* [row * nv + vendor] or NULL */
  unsigned char *col;                  /* [row * nv + vendor]: enum col */
  const char **actions; /* in order of first appearance; "" = none */
  size_t nactions;
  struct vstat *st; /* per vendor */
  struct alat *all; /* every action with a latency, sorted, unique */
  size_t nall;
};

/* Builds the view of |c|; 0, or -1 out of memory (|v| freed). With
 * |timing| the latencies as well. */
int cmp_view_build(const struct sc_compare *c, struct view *v, int timing);
void cmp_view_free(struct view *v);
/* Vendor |st|'s figures. */
void cmp_score_of(const struct vstat *st, struct sc_compare_score *s);
/* The latency of action [a, a+n) at one vendor, or NULL. */
const struct alat *cmp_find_alat(const struct vstat *st, const char *a,
                                 size_t n);

/* ---------------------------------------------------------------- output */

struct out {
  struct sc_out w;   /* the staged output (sc_out.h) */
  struct sc_buf tmp; /* one string on its way through two escapings */
  struct sc_buf scr; /* one string with its loopback ports scrubbed */
  unsigned flags;
};

void cmp_out_init(struct out *o, FILE *f, unsigned flags);
/* Frees what |o| holds: 0 when every byte reached the FILE, else -1. */
int cmp_out_end(struct out *o);
/* A writer's first and last steps: the view of |c| built (|timing|: with
 * the latency figures) and |o| set up on |out|, 0 or -1 (nothing to free
 * then); and both let go, 0 when every byte reached the FILE. */
int cmp_begin(const struct sc_compare *c, FILE *out, unsigned flags,
              int timing, struct out *o, struct view *v);
int cmp_finish(struct out *o, struct view *v);
/* After appending to the staged output directly, through the scratch
 * buffers: a failure in either is the output's. */
void cmp_out_check(struct out *o);

static inline int cmp_stable(const struct out *o) {
  return (o->flags & SC_COMPARE_STABLE) != 0;
}

/* Under SC_COMPARE_STABLE, points [*s, *s + *n) at a copy with loopback
 * ports and dates scrubbed (in |o->scr|, valid until the next call);
 * otherwise leaves it. */
void cmp_out_scrub(struct out *o, const char **s, size_t *n);
/* [s, s+n) escaped for |m| (see sc_report_escape); NULL writes nothing. */
void cmp_out_escn(struct out *o, const char *s, size_t n, enum sc_report_esc m,
                  size_t cap);
void cmp_out_esc(struct out *o, const char *s, enum sc_report_esc m,
                 size_t cap);
/* "doc § section", or whichever half is there, escaped for |m|. */
void cmp_out_citation(struct out *o, const struct sc_check_result *c,
                      enum sc_report_esc m, size_t cap);
/* "87.5 %", or "n/a" when no check applies. */
void cmp_out_score(struct out *o, const struct sc_compare_score *s);

static inline const char *cmp_str_or(const char *s, const char *dflt) {
  return s ? s : dflt;
}

#endif
