/* sc_compare_json.c — the comparison as JSON (schema SC_COMPARE_SCHEMA,
 * see sc_compare.h), and the table `compare` and `run --target` print on
 * the console. */
#include "sc_compare_int.h"

#include <stdio.h>
#include <string.h>

/* --------------------------------------------------------------- JSON */

/* A JSON string, lossless; null for NULL. */
static void out_json(struct out *o, const char *s) {
  if (!s) {
    sc_out_s(&o->w, "null");
    return;
  }
  sc_out_s(&o->w, "\"");
  cmp_out_esc(o, s, SC_REPORT_ESC_JSON, 0);
  sc_out_s(&o->w, "\"");
}

static void json_counts(struct out *o, const size_t *n) {
  sc_out_s(&o->w, "{");
  for (int k = 0; k < COL__COUNT; k++)
    sc_out_f(&o->w, "%s\"%s\": %zu", k ? ", " : "", cmp_col_names[k], n[k]);
  sc_out_s(&o->w, "}");
}

/* "categories": the counts of each category the vendor has results in. */
static void json_categories(struct out *o, const struct vstat *st) {
  int first = 1;
  sc_out_s(&o->w, ",\n     \"categories\": {");
  for (size_t k = 0; k <= SC_CAT__COUNT; k++) {
    size_t any = 0;
    for (int x = 0; x < COL__COUNT; x++)
      any += st->cat[k][x];
    if (!any)
      continue;
    sc_out_f(&o->w, "%s\"%s\": ", first ? "" : ", ",
             sc_cat_name((enum sc_cat)k));
    json_counts(o, st->cat[k]);
    first = 0;
  }
  sc_out_s(&o->w, "}");
}

/* "latency": over every request to the target, and per action. */
static void json_latency(struct out *o, const struct vstat *st) {
  sc_out_s(&o->w, ",\n     \"latency\": {\"p50\": ");
  sc_out_num(&o->w, st->p50, 3, 0);
  sc_out_s(&o->w, ", \"p95\": ");
  sc_out_num(&o->w, st->p95, 3, 0);
  sc_out_f(&o->w, ", \"requests\": %zu, \"actions\": {", st->nlat);
  for (size_t k = 0; k < st->nacts; k++) {
    sc_out_s(&o->w, k ? ", \"" : "\"");
    cmp_out_escn(o, st->acts[k].a, st->acts[k].alen, SC_REPORT_ESC_JSON, 0);
    sc_out_s(&o->w, "\": {\"p50\": ");
    sc_out_num(&o->w, st->acts[k].p50, 3, 0);
    sc_out_s(&o->w, ", \"p95\": ");
    sc_out_num(&o->w, st->acts[k].p95, 3, 0);
    sc_out_f(&o->w, ", \"requests\": %zu}", st->acts[k].n);
  }
  sc_out_s(&o->w, "}}");
}

/* A deviation after its "id": the result's verdict, message, expected,
 * actual and citation, its cause, its HTTP status and the parser's
 * deviations. */
static void json_deviation(struct out *o, const struct sc_check_result *r,
                           enum col k) {
  out_json(o, r->id);
  sc_out_f(&o->w, ", \"verdict\": \"%s\", \"message\": ", cmp_col_names[k]);
  out_json(o, r->message);
  sc_out_s(&o->w, ", \"expected\": ");
  out_json(o, r->expected);
  sc_out_s(&o->w, ", \"actual\": ");
  out_json(o, r->actual);
  sc_out_s(&o->w, ", \"doc\": ");
  out_json(o, r->doc);
  sc_out_s(&o->w, ", \"section\": ");
  out_json(o, r->section);
  sc_out_s(&o->w, ",\n        \"cause\": ");
  out_json(o, r->cause);
  sc_out_f(&o->w, ", \"http_status\": %ld, \"deviations\": [", r->http_status);
  for (size_t d = 0; r->devs && d < r->ndevs; d++) {
    const struct sc_check_dev *dv = &r->devs[d];
    sc_out_s(&o->w, d ? ", {\"code\": " : "{\"code\": ");
    out_json(o, dv->code);
    sc_out_f(&o->w, ", \"verdict\": \"%s\", \"offset\": %zu, \"message\": ",
             sc_verdict_name((unsigned)dv->verdict < SC_VERDICT__COUNT
                                 ? dv->verdict
                                 : SC_VERDICT_ERROR),
             dv->offset);
    out_json(o, dv->message);
    sc_out_s(&o->w, "}");
  }
  sc_out_s(&o->w, "]}");
}

/* "deviations": vendor |j|'s FAIL, ERROR and WARN, in display order. */
static void json_deviations(struct out *o, const struct view *v, size_t j) {
  int first = 1;
  sc_out_s(&o->w, ",\n     \"deviations\": [");
  for (size_t i = 0; i < v->nrows; i++) {
    const struct sc_check_result *r = v->cell[v->order[i] * v->nv + j];
    enum col k = (enum col)v->col[v->order[i] * v->nv + j];
    if (k != COL_FAIL && k != COL_ERROR && k != COL_WARN)
      continue;
    sc_out_s(&o->w, first ? "\n       {\"id\": " : ",\n       {\"id\": ");
    first = 0;
    json_deviation(o, r, k);
  }
  sc_out_s(&o->w, first ? "]}" : "\n     ]}");
}

static void json_vendor(struct out *o, const struct view *v, size_t j) {
  const struct vendor *vd = &v->c->v[j];
  const struct vstat *st = &v->st[j];
  struct sc_compare_score s;

  cmp_score_of(st, &s);
  sc_out_s(&o->w, "    {\"name\": ");
  out_json(o, vd->name);
  sc_out_s(&o->w, ", \"target\": ");
  out_json(o, vd->rep.target);
  sc_out_s(&o->w, ", \"profile\": ");
  out_json(o, vd->rep.profile);
  sc_out_s(&o->w, ",\n     \"dialect\": ");
  out_json(o, vd->dialect);
  sc_out_s(&o->w, ", \"note\": ");
  out_json(o, vd->note);
  if (!cmp_stable(o)) {
    sc_out_s(&o->w, ",\n     \"tool\": ");
    out_json(o, vd->rep.tool);
    sc_out_s(&o->w, ", \"started\": ");
    out_json(o, vd->rep.started);
    sc_out_s(&o->w, ", \"seconds\": ");
    sc_out_num(&o->w, vd->rep.seconds, 3, 0);
    sc_out_f(&o->w, ", \"requests\": %lu", vd->rep.requests);
  }
  sc_out_s(&o->w, ",\n     \"score\": ");
  if (s.score < 0)
    sc_out_s(&o->w, "null");
  else
    sc_out_num(&o->w, s.score, 4, 0);
  sc_out_f(&o->w, ", \"passed\": %zu, \"applicable\": %zu,\n     \"counts\": ",
           s.passed, s.applicable);
  json_counts(o, st->col);
  json_categories(o, st);
  if (!cmp_stable(o))
    json_latency(o, st);
  json_deviations(o, v, j);
}

int sc_compare_json(const struct sc_compare *c, FILE *out, unsigned flags) {
  struct out o;
  struct view v;

  if (cmp_begin(c, out, flags, !(flags & SC_COMPARE_STABLE), &o, &v))
    return -1;
  sc_out_f(&o.w,
           "{\n  \"schema\": \"%s\",\n  \"stable\": %s,\n  \"checks\": %zu,"
           "\n  \"vendors\": [\n",
           SC_COMPARE_SCHEMA, cmp_stable(&o) ? "true" : "false", v.nrows);
  for (size_t j = 0; j < v.nv; j++) {
    json_vendor(&o, &v, j);
    sc_out_s(&o.w, j + 1 < v.nv ? ",\n" : "\n");
  }
  sc_out_s(&o.w, "  ],\n  \"rows\": [");
  for (size_t i = 0; i < v.nrows; i++) {
    const struct sc_check_result *f = v.rows[v.order[i]].first;
    sc_out_s(&o.w, i ? ",\n    {\"id\": " : "\n    {\"id\": ");
    out_json(&o, f->id);
    sc_out_f(&o.w, ", \"category\": \"%s\", \"action\": ",
             sc_cat_name((enum sc_cat)cmp_cat_ix(f)));
    out_json(&o, f->action);
    sc_out_s(&o.w, ",\n     \"requirement\": ");
    out_json(&o, f->requirement);
    sc_out_s(&o.w, ", \"doc\": ");
    out_json(&o, f->doc);
    sc_out_s(&o.w, ", \"section\": ");
    out_json(&o, f->section);
    sc_out_s(&o.w, ",\n     \"verdicts\": [");
    for (size_t j = 0; j < v.nv; j++) {
      const struct sc_check_result *r = v.cell[v.order[i] * v.nv + j];
      sc_out_s(&o.w, j ? ", " : "");
      if (!r)
        sc_out_s(&o.w, "null");
      else if (cmp_verdict_ix(r) == SC_VERDICT_UNSUPPORTED)
        sc_out_s(&o.w, "\"UNSUPPORTED\"");
      else
        sc_out_f(&o.w, "\"%s\"", cmp_col_names[v.col[v.order[i] * v.nv + j]]);
    }
    sc_out_s(&o.w, "]}");
  }
  sc_out_s(&o.w, v.nrows ? "\n  ]\n}\n" : "]\n}\n");
  return cmp_finish(&o, &v);
}

/* ------------------------------------------------------------ console */

int sc_compare_console(const struct sc_compare *c, FILE *out) {
  struct out o;
  struct view v;

  if (cmp_begin(c, out, 0, 0, &o, &v))
    return -1;
  sc_out_f(&o.w, "\n%-20s %8s %5s %5s %5s %5s %5s %7s %11s\n", "VENDOR",
           "SCORE", "PASS", "WARN", "FAIL", "ERROR", "SKIP", "BLOCKED",
           "UNSUPPORTED");
  for (size_t j = 0; j < v.nv; j++) {
    struct sc_compare_score s;
    const char *name = c->v[j].name;
    size_t width = 0;
    cmp_score_of(&v.st[j], &s);
    sc_buf_reset(&o.tmp);
    sc_report_escape(&o.tmp, SC_REPORT_ESC_LINE, name, strlen(name), 64);
    for (size_t k = 0; k < o.tmp.len; k++)
      width += ((unsigned char)o.tmp.ptr[k] & 0xC0) != 0x80;
    sc_out_n(&o.w, o.tmp.ptr ? o.tmp.ptr : "", o.tmp.len);
    cmp_out_check(&o);
    sc_out_f(&o.w, "%*s", width < 20 ? (int)(20 - width) : 0, "");
    if (s.score < 0) {
      sc_out_f(&o.w, " %8s", "n/a");
    } else {
      double pc = 100 * s.score;
      /* " %6.1f", whatever LC_NUMERIC says */
      sc_out_s(&o.w, pc < 9.95 ? "    " : pc < 99.95 ? "   " : "  ");
      sc_out_num(&o.w, pc, 1, 0);
      sc_out_s(&o.w, " %");
    }
    sc_out_f(&o.w, " %5zu %5zu %5zu %5zu %5zu %7zu %11zu\n",
             s.n[SC_VERDICT_PASS], s.n[SC_VERDICT_WARN], s.n[SC_VERDICT_FAIL],
             s.n[SC_VERDICT_ERROR], s.n[SC_VERDICT_SKIP],
             s.n[SC_VERDICT_BLOCKED], s.unsupported);
  }
  return cmp_finish(&o, &v);
}
