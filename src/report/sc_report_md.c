/* sc_report_md.c — the run in Markdown (see sc_report.h), as a CI job
 * summary shows it: the findings by cause, the counts per category, the
 * failures and warnings as tables, the rest folded, the reproduction lines
 * and the ledger. */
#include "sc_report_int.h"

#include "sc_buf.h"

#include <stdio.h>
#include <string.h>

/* Longest cell, in code points; the rest is cut with an ellipsis. */
#define MD_CELL 160

static void md_cell(struct sc_out *o, const char *s) {
  sc_out_s(o, " ");
  rpt_esc(o, s, ESC_MD, MD_CELL);
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
    size_t l = rpt_decode((const unsigned char *)p, n, i, &cp);
    char tmp[32];
    if (l == 0 || cp < 0x20 || cp == 0x7F) { /* not from the runner: hex */
      snprintf(tmp, sizeof tmp, "\\x%02lx", l ? cp : (unsigned char)p[i]);
      sc_buf_adds(b, tmp);
      i++;
    } else if (rpt_invisible(cp)) {
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
  rpt_escn(o, s, (size_t)(q1 - s), ESC_MD, MD_CELL);
  md_code_span(o, q1 + 1, (size_t)(q2 - q1 - 1));
  rpt_esc(o, q2 + 1, ESC_MD, MD_CELL);
  sc_out_s(o, " |");
}

static void md_citation_cell(struct sc_out *o,
                             const struct sc_check_result *c) {
  sc_out_s(o, " ");
  rpt_citation(o, c, ESC_MD, MD_CELL);
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
    rpt_esc(o, c->cause, ESC_MD, MD_CELL);
    n++;
  }
  if (rpt_verdict(c) == SC_VERDICT_BLOCKED || c->blocked_by) {
    sc_out_s(o, n++ ? "<br>blocked by " : "blocked by ");
    rpt_blocked_by(o, r, c, oc, ESC_MD, MD_CELL);
  }
  if (rpt_status_shown(c))
    sc_out_f(o, "%sHTTP %ld", n++ ? "<br>" : "", c->http_status);
  for (size_t k = 0; k < rpt_ndevs(c); k++) {
    sc_out_s(o, n++ ? "<br>" : "");
    rpt_dev(o, &c->devs[k], ESC_MD, MD_CELL);
  }
  sc_out_s(o, " |");
}

/* The results whose outcome is in the set |mask| (bits 1 << outcome), in
 * run order, as one table: check, [verdict,] message, expected, actual,
 * detail, source. */
static void md_table(struct sc_out *o, const struct sc_report *r,
                     const struct rview *v, unsigned mask, int with_verdict) {
  size_t n = 0;
  for (size_t i = 0; i < rpt_nresults(r); i++) {
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
      md_cell(o, sc_verdict_name(rpt_verdict(c)));
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
  for (size_t i = 0; i < rpt_nresults(r); i++) {
    const struct sc_check_result *c = &r->results[i];
    if (v->oc[i] != want)
      continue;
    sc_out_s(o, "|");
    md_cell(o, c->id);
    if (want == OC_BLOCKED)
      md_cell(o, rpt_str_or(c->blocked_by, ""));
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
    sc_out_s(o, rpt_nresults(r) ? "None: every check passed.\n\n"
                                : "None: no checks were run.\n\n");
    return;
  }
  sc_out_s(o, "| checks | cause | verdicts | blocked by | first checks |\n"
              "|---:|---|---|---|---|\n");
  for (size_t k = 0; k < v->ng; k++) {
    const struct cgroup *g = &v->g[k];
    sc_out_f(o, "| %zu | ", g->n);
    rpt_glabel(o, r, v, g, 0, ESC_MD, MD_CELL);
    sc_out_s(o, " | ");
    rpt_gverdicts(o, g);
    sc_out_s(o, " | ");
    rpt_gowners(o, r, v, g, ESC_MD, 3);
    sc_out_s(o, " | ");
    rpt_gids(o, r, v, g, ESC_MD, 5);
    sc_out_s(o, " |\n");
  }
  sc_out_s(o, "\n");
}

/* The heading: the run's verdict, target, profile, tool, time, and the
 * scope. */
static void md_head(struct sc_out *o, const struct sc_report *r,
                    const struct rview *v) {
  sc_out_f(o, "## smsconform: %s \xE2\x80\x94 ", rpt_run_verdict(v));
  rpt_esc(o, rpt_str_or(r->target, "(no target)"), ESC_MD, MD_CELL);
  sc_out_s(o, " (profile ");
  rpt_esc(o, rpt_str_or(r->profile, "none"), ESC_MD, MD_CELL);
  sc_out_s(o, ")\n\n");
  rpt_esc(o, rpt_str_or(r->tool, "smsconform"), ESC_MD, MD_CELL);
  sc_out_s(o, ", started ");
  rpt_esc(o, rpt_str_or(r->started, "(unknown)"), ESC_MD, MD_CELL);
  sc_out_s(o, ", ");
  sc_out_num(o, rpt_finite_pos(r->seconds), 1, 0);
  sc_out_f(o, " s, %lu requests%s\n\n", r->requests,
           r->strict ? ", strict: WARN counts as a failure" : "");
  if (rpt_nunsupported(r)) {
    sc_out_s(o, "**Scope**: the endpoint does not implement ");
    rpt_scope(o, r, ESC_MD);
    sc_out_s(o, " (their checks are UNSUPPORTED).\n\n");
  }
}

/* The outcomes per category, and their totals. */
static void md_counts(struct sc_out *o, const struct rview *v) {
  static const enum outcome cols[] = {OC_PASS,    OC_WARN,    OC_FAIL,
                                      OC_ERROR,   OC_SKIP,    OC_UNSUPPORTED,
                                      OC_BLOCKED, OC_ACCEPTED};
  const size_t ncols = sizeof cols / sizeof *cols;

  sc_out_s(o, "| category | PASS | WARN | FAIL | ERROR | SKIP | UNSUPPORTED "
              "| BLOCKED | ACCEPTED |\n"
              "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  for (size_t k = 0; k <= SC_CAT__COUNT; k++) {
    if (!v->ncat[k])
      continue;
    sc_out_f(o, "| %s |", rpt_cat_label(k));
    for (size_t j = 0; j < ncols; j++)
      sc_out_f(o, " %zu |", v->cat[k][cols[j]]);
    sc_out_s(o, "\n");
  }
  sc_out_s(o, "| **total** |");
  for (size_t j = 0; j < ncols; j++)
    sc_out_f(o, " **%zu** |", v->t[cols[j]]);
  sc_out_s(o, "\n");
}

/* The results by outcome: failures and warnings as tables, the accepted,
 * blocked, unsupported and skipped ones folded. */
static void md_results(struct sc_out *o, const struct sc_report *r,
                       const struct rview *v) {
  size_t nfail = v->t[OC_FAIL] + v->t[OC_ERROR];
  if (nfail) {
    sc_out_f(o, "\n### Failures (%zu)\n\n", nfail);
    md_table(o, r, v, 1u << OC_FAIL | 1u << OC_ERROR, 1);
  }
  if (v->t[OC_WARN]) {
    sc_out_f(o, "\n### Warnings (%zu)\n\n", v->t[OC_WARN]);
    md_table(o, r, v, 1u << OC_WARN, 0);
  }
  if (v->t[OC_ACCEPTED]) {
    sc_out_f(o,
             "\n<details><summary>Accepted by the baseline (%zu)</summary>\n\n",
             v->t[OC_ACCEPTED]);
    md_table(o, r, v, 1u << OC_ACCEPTED, 1);
    sc_out_s(o, "\n</details>\n");
  }
  md_folded(o, r, v, OC_BLOCKED, "Blocked");
  md_folded(o, r, v, OC_UNSUPPORTED, "Unsupported");
  if (!v->t[OC_SKIP])
    return;
  sc_out_f(o,
           "\n<details><summary>Skipped (%zu)</summary>\n\n"
           "| check | reason |\n|---|---|\n",
           v->t[OC_SKIP]);
  for (size_t i = 0; i < rpt_nresults(r); i++) {
    const struct sc_check_result *c = &r->results[i];
    if (v->oc[i] != OC_SKIP)
      continue;
    sc_out_s(o, "|");
    md_cell(o, c->id);
    md_cell(o, c->message);
    sc_out_s(o, "\n");
  }
  sc_out_s(o, "\n</details>\n");
}

/* The entries of the baseline that no longer fail. */
static void md_stale(struct sc_out *o, const struct sc_report *r,
                     const struct rview *v) {
  if (!v->nstale)
    return;
  sc_out_f(o,
           "\n### Baseline entries that no longer fail (%zu)\n\n"
           "They can be removed from the baseline:\n\n",
           v->nstale);
  for (size_t i = 0; i < rpt_nresults(r); i++) {
    const struct sc_check_result *c = &r->results[i];
    if (!rpt_stale(c, (enum outcome)v->oc[i]))
      continue;
    sc_out_s(o, "- ");
    rpt_esc(o, rpt_id(c), ESC_MD, MD_CELL);
    sc_out_f(o, " (now %s)\n", sc_verdict_name(rpt_verdict(c)));
  }
}

/* The failures' reproduction lines, in a code block whose fence no
 * backtick run inside can close. */
static void md_repro(struct sc_out *o, const struct sc_report *r,
                     const struct rview *v) {
  size_t nrepro = 0, fence = 3;
  for (size_t i = 0; i < rpt_nresults(r); i++) {
    const struct sc_check_result *c = &r->results[i];
    if ((v->oc[i] == OC_FAIL || v->oc[i] == OC_ERROR) && c->curl) {
      nrepro++;
      if (backticks(c->curl) >= fence)
        fence = backticks(c->curl) + 1;
    }
  }
  if (!nrepro)
    return;
  sc_out_s(o, "\n<details><summary>Reproduce the failures</summary>\n\n");
  md_fence(o, fence);
  for (size_t i = 0; i < rpt_nresults(r); i++) {
    const struct sc_check_result *c = &r->results[i];
    if ((v->oc[i] != OC_FAIL && v->oc[i] != OC_ERROR) || !c->curl)
      continue;
    sc_out_s(o, "# ");
    rpt_esc(o, rpt_id(c), ESC_LINE, 0);
    sc_out_s(o, "\n");
    rpt_esc(o, c->curl, ESC_LINE, 0);
    sc_out_s(o, "\n");
  }
  md_fence(o, fence);
  sc_out_s(o, "\n</details>\n");
}

/* The purchases, and the ledger's totals. */
static void md_ledger(struct sc_out *o, const struct sc_report *r,
                      const struct ledger *l) {
  if (!rpt_nspend(r) && !rpt_max_spend_set(r))
    return;
  sc_out_s(o, "\n### Ledger\n\n");
  if (rpt_nspend(r))
    sc_out_s(o, "| what | id | bought by | cost | state | note |\n"
                "|---|---|---|---:|---|---|\n");
  for (size_t i = 0; i < rpt_nspend(r); i++) {
    const struct sc_spend *s = &r->spend[i];
    sc_out_s(o, "|");
    md_cell(o, s->what);
    md_cell(o, s->id);
    md_cell(o, s->check);
    sc_out_s(o, " ");
    if (rpt_cost_known(s))
      rpt_money(o, s->cost);
    else
      sc_out_s(o, "price unknown");
    sc_out_f(o, " | %s |", sc_spend_state_name(rpt_spend_state(s)));
    md_cell(o, s->note);
    sc_out_s(o, "\n");
  }
  sc_out_s(o, rpt_nspend(r) ? "\n**Total**: " : "Nothing was bought: ");
  rpt_ledger_line(o, r, l, ESC_MD, 50);
  sc_out_s(o, ".\n");
}

int sc_report_markdown(const struct sc_report *r, FILE *out) {
  struct sc_out o;
  struct rview v;
  struct ledger l;

  if (rpt_begin(r, out, &o, &v, &l))
    return -1;
  md_head(&o, r, &v);
  md_causes(&o, r, &v);
  md_counts(&o, &v);
  md_results(&o, r, &v);
  md_stale(&o, r, &v);
  md_repro(&o, r, &v);
  md_ledger(&o, r, &l);
  rpt_view_free(&v);
  return sc_out_end(&o);
}
