/* sc_compare_md.c — the comparison in Markdown (see sc_compare.h): the
 * vendors with their scores and counts, the checks per category, the
 * latencies (not under SC_COMPARE_STABLE), the checks where the vendors
 * differ, and each vendor's deviations. */
#include "sc_compare_int.h"

#include <stdio.h>

/* The longest Markdown cell, in code points. */
#define MD_CELL 160

static void md_cell(struct out *o, const char *s) {
  sc_out_s(&o->w, " ");
  cmp_out_esc(o, s, SC_REPORT_ESC_MD, MD_CELL);
  sc_out_s(&o->w, " |");
}

static void md_vendor_heads(struct out *o, const struct view *v,
                            const char *first) {
  sc_out_f(&o->w, "| %s |", first);
  for (size_t j = 0; j < v->nv; j++)
    md_cell(o, v->c->v[j].name);
  sc_out_s(&o->w, "\n|---|");
  for (size_t j = 0; j < v->nv; j++)
    sc_out_s(&o->w, "---|");
  sc_out_s(&o->w, "\n");
}

/* 1 when the vendors do not all have the same verdict for row |i|. */
static int row_differs(const struct view *v, size_t i) {
  for (size_t j = 1; j < v->nv; j++)
    if (v->col[i * v->nv + j] != v->col[i * v->nv])
      return 1;
  return 0;
}

/* The table of vendors: target, profile, score, counts and (without
 * SC_COMPARE_STABLE) latency; then the vendors' notes. */
static void md_vendors(struct out *o, const struct view *v) {
  const struct sc_compare *c = v->c;
  int notes = 0;

  sc_out_s(&o->w, "| vendor | target | profile | score | PASS | WARN | FAIL | "
                  "ERROR | SKIP | BLOCKED | unsupported |");
  sc_out_s(&o->w, cmp_stable(o)
                      ? "\n|---|---|---|---:|---:|---:|---:|---:|---:|---:|"
                        "---:|\n"
                      : " p50 ms | p95 ms |\n|---|---|---|---:|---:|---:|"
                        "---:|---:|---:|---:|---:|---:|---:|\n");
  for (size_t j = 0; j < v->nv; j++) {
    const struct vendor *vd = &c->v[j];
    const struct vstat *st = &v->st[j];
    struct sc_compare_score s;
    cmp_score_of(st, &s);
    sc_out_s(&o->w, "|");
    md_cell(o, vd->name);
    md_cell(o, vd->rep.target);
    sc_out_s(&o->w, " ");
    cmp_out_esc(o, cmp_str_or(vd->rep.profile, "(none)"), SC_REPORT_ESC_MD,
                MD_CELL);
    if (vd->dialect) {
      sc_out_s(&o->w, ", dialect ");
      cmp_out_esc(o, vd->dialect, SC_REPORT_ESC_MD, MD_CELL);
    }
    sc_out_s(&o->w, " | **");
    cmp_out_score(o, &s);
    sc_out_s(&o->w, "** |");
    for (int k = 0; k < COL__COUNT; k++)
      sc_out_f(&o->w, " %zu |", st->col[k]);
    if (!cmp_stable(o)) {
      if (st->nlat) {
        sc_out_s(&o->w, " ");
        sc_out_num(&o->w, st->p50, 2, 0);
        sc_out_s(&o->w, " | ");
        sc_out_num(&o->w, st->p95, 2, 0);
        sc_out_s(&o->w, " |");
      } else {
        sc_out_s(&o->w, " | |");
      }
    }
    sc_out_s(&o->w, "\n");
  }
  for (size_t j = 0; j < v->nv; j++)
    if (c->v[j].note) {
      sc_out_s(&o->w, notes++ ? "- **" : "\n- **");
      cmp_out_esc(o, c->v[j].name, SC_REPORT_ESC_MD, MD_CELL);
      sc_out_s(&o->w, "**: ");
      cmp_out_esc(o, c->v[j].note, SC_REPORT_ESC_MD, 0);
      sc_out_s(&o->w, "\n");
    }
}

static void md_categories(struct out *o, const struct view *v) {
  sc_out_s(&o->w, "\n### Checks per category\n\nPassed of applicable, then "
                  "the checks that failed, were blocked or were not "
                  "supported.\n\n");
  md_vendor_heads(o, v, "category");
  for (size_t k = 0; k <= SC_CAT__COUNT; k++) {
    int any = 0;
    for (size_t j = 0; j < v->nv && !any; j++)
      for (int x = 0; x < COL__COUNT; x++)
        any |= v->st[j].cat[k][x] != 0;
    if (!any)
      continue;
    sc_out_f(&o->w, "| %s |", sc_cat_name((enum sc_cat)k));
    for (size_t j = 0; j < v->nv; j++) {
      const size_t *n = v->st[j].cat[k];
      size_t applicable =
          n[COL_PASS] + n[COL_WARN] + n[COL_FAIL] + n[COL_ERROR];
      sc_out_f(&o->w, " %zu/%zu", n[COL_PASS] + n[COL_WARN], applicable);
      if (n[COL_FAIL])
        sc_out_f(&o->w, ", %zu FAIL", n[COL_FAIL]);
      if (n[COL_ERROR])
        sc_out_f(&o->w, ", %zu ERROR", n[COL_ERROR]);
      if (n[COL_BLOCKED])
        sc_out_f(&o->w, ", %zu BLOCKED", n[COL_BLOCKED]);
      if (n[COL_UNSUP])
        sc_out_f(&o->w, ", %zu unsupported", n[COL_UNSUP]);
      sc_out_s(&o->w, " |");
    }
    sc_out_s(&o->w, "\n");
  }
}

static void md_latency(struct out *o, const struct view *v) {
  if (cmp_stable(o) || !v->nall)
    return;
  sc_out_s(&o->w, "\n### Latency per action\n\np50 / p95 in ms of the "
                  "requests naming each action.\n\n");
  md_vendor_heads(o, v, "action");
  for (size_t k = 0; k < v->nall; k++) {
    sc_out_s(&o->w, "| ");
    cmp_out_escn(o, v->all[k].a, v->all[k].alen, SC_REPORT_ESC_MD, MD_CELL);
    sc_out_s(&o->w, " |");
    for (size_t j = 0; j < v->nv; j++) {
      const struct alat *a =
          cmp_find_alat(&v->st[j], v->all[k].a, v->all[k].alen);
      sc_out_s(&o->w, " ");
      if (a) {
        sc_out_num(&o->w, a->p50, 2, 0);
        sc_out_s(&o->w, " / ");
        sc_out_num(&o->w, a->p95, 2, 0);
      }
      sc_out_s(&o->w, " |");
    }
    sc_out_s(&o->w, "\n");
  }
}

/* The rows where the vendors do not all have the same verdict, folded. */
static void md_differ(struct out *o, const struct view *v) {
  size_t ndiff = 0;

  for (size_t i = 0; i < v->nrows; i++)
    ndiff += (size_t)row_differs(v, v->order[i]);
  if (!ndiff)
    return;
  sc_out_f(&o->w,
           "\n### Where the vendors differ\n\n<details><summary>%zu of "
           "%zu checks</summary>\n\n",
           ndiff, v->nrows);
  md_vendor_heads(o, v, "check");
  for (size_t i = 0; i < v->nrows; i++) {
    size_t r = v->order[i];
    if (!row_differs(v, r))
      continue;
    sc_out_s(&o->w, "|");
    md_cell(o, v->rows[r].first->id);
    for (size_t j = 0; j < v->nv; j++) {
      enum col k = (enum col)v->col[r * v->nv + j];
      sc_out_f(&o->w, " %s |",
               k == COL_FAIL    ? "**FAIL**"
               : k == COL_ERROR ? "**ERROR**"
               : k == COL_UNSUP ? "\xE2\x80\x94"
                                : cmp_col_names[k]);
    }
    sc_out_s(&o->w, "\n");
  }
  sc_out_s(&o->w, "\n\xE2\x80\x94 unsupported: not implemented by that "
                  "vendor's endpoint, or not in its run.\n\n</details>\n");
}

/* Per vendor, folded: every FAIL, ERROR and WARN with what was expected,
 * what came back and the document that demands it. */
static void md_deviations(struct out *o, const struct view *v) {
  sc_out_s(&o->w, "\n### Deviations\n");
  for (size_t j = 0; j < v->nv; j++) {
    const struct vstat *st = &v->st[j];
    sc_out_s(&o->w, "\n<details><summary>");
    cmp_out_esc(o, v->c->v[j].name, SC_REPORT_ESC_HTML, MD_CELL);
    sc_out_f(&o->w, ": %zu FAIL, %zu ERROR, %zu WARN</summary>\n\n",
             st->col[COL_FAIL], st->col[COL_ERROR], st->col[COL_WARN]);
    if (!st->col[COL_FAIL] && !st->col[COL_ERROR] && !st->col[COL_WARN]) {
      sc_out_s(&o->w, "None.\n\n</details>\n");
      continue;
    }
    sc_out_s(&o->w,
             "| check | verdict | message | expected | actual | source |\n"
             "|---|---|---|---|---|---|\n");
    for (size_t i = 0; i < v->nrows; i++) {
      const struct sc_check_result *r = v->cell[v->order[i] * v->nv + j];
      enum col k = (enum col)v->col[v->order[i] * v->nv + j];
      if (k != COL_FAIL && k != COL_ERROR && k != COL_WARN)
        continue;
      sc_out_s(&o->w, "|");
      md_cell(o, r->id);
      sc_out_f(&o->w, " %s |", cmp_col_names[k]);
      md_cell(o, r->message);
      md_cell(o, r->expected);
      md_cell(o, r->actual);
      sc_out_s(&o->w, " ");
      cmp_out_citation(o, r, SC_REPORT_ESC_MD, MD_CELL);
      sc_out_s(&o->w, " |\n");
    }
    sc_out_s(&o->w, "\n</details>\n");
  }
}

int sc_compare_markdown(const struct sc_compare *c, FILE *out, unsigned flags) {
  struct out o;
  struct view v;

  if (cmp_begin(c, out, flags, !(flags & SC_COMPARE_STABLE), &o, &v))
    return -1;
  sc_out_f(&o.w, "## smsconform: vendor comparison\n\n%zu checks, %zu vendors",
           v.nrows, v.nv);
  if (!cmp_stable(&o) && v.nv && c->v[0].rep.tool) {
    sc_out_s(&o.w, ", ");
    cmp_out_esc(&o, c->v[0].rep.tool, SC_REPORT_ESC_MD, 80);
  }
  sc_out_s(&o.w,
           ". The score is the share of the applicable checks passed: "
           "PASS and WARN (a variant vendors send) pass, FAIL and ERROR do "
           "not, SKIP, BLOCKED (a step the check needs failed; the check "
           "that owns that step has the finding) and unsupported (not "
           "implemented by the endpoint, or not in the vendor's run) do not "
           "count.\n\n");
  md_vendors(&o, &v);
  md_categories(&o, &v);
  md_latency(&o, &v);
  md_differ(&o, &v);
  md_deviations(&o, &v);
  return cmp_finish(&o, &v);
}
