/* sc_report_console.c — the summary `run` prints (see sc_report.h): text
 * from the model is escaped so that it cannot drive a terminal. */
#include "sc_report_int.h"

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
  rpt_esc(o, v, ESC_LINE, cap);
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
    rpt_glabel(o, r, v, g, 1, ESC_LINE, 200);
    sc_out_s(o, "\n         ");
    rpt_gverdicts(o, g);
    if (rpt_gowners(NULL, r, v, g, ESC_LINE, 0)) {
      sc_out_s(o, ", blocked by ");
      rpt_gowners(o, r, v, g, ESC_LINE, 3);
    }
    if (!g->by_id) {
      sc_out_s(o, ": ");
      rpt_gids(o, r, v, g, ESC_LINE, 3);
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
  for (size_t i = 0; i < rpt_nresults(r); i++) {
    const struct sc_check_result *c = &r->results[i];
    enum outcome oc = (enum outcome)v->oc[i];
    if (oc != OC_FAIL && oc != OC_ERROR)
      continue;
    if (!n++)
      sc_out_s(o, "\nFailures:\n");
    sc_out_f(o, "  %s%-5s%s ", red, sc_verdict_name(rpt_verdict(c)), off);
    rpt_esc(o, rpt_id(c), ESC_LINE, 200);
    sc_out_s(o, "\n");
    if (c->message) {
      sc_out_s(o, "        ");
      rpt_esc(o, c->message, ESC_LINE, 300);
      sc_out_s(o, "\n");
    }
    con_line(o, "cause", c->cause, 200);
    if (rpt_verdict(c) == SC_VERDICT_BLOCKED || c->blocked_by) {
      sc_out_s(o, "        blocked by: ");
      rpt_blocked_by(o, r, c, oc, ESC_LINE, 200);
      sc_out_s(o, "\n");
    }
    if (rpt_status_shown(c))
      sc_out_f(o, "        HTTP status: %ld\n", c->http_status);
    for (size_t k = 0; k < rpt_ndevs(c) && k < CON_DEVS; k++) {
      sc_out_s(o, "        deviation: ");
      rpt_dev(o, &c->devs[k], ESC_LINE, 300);
      sc_out_s(o, "\n");
    }
    if (rpt_ndevs(c) > CON_DEVS)
      sc_out_f(o, "        \xE2\x80\xA6 and %zu more deviations\n",
               rpt_ndevs(c) - CON_DEVS);
    if (c->doc) {
      sc_out_s(o, "        source: ");
      rpt_citation(o, c, ESC_LINE, 200);
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

  if (rpt_begin(r, out, &o, &v, &l))
    return -1;
  con_causes(&o, r, &v);
  con_failures(&o, r, &v, red, off);

  sc_out_s(&o, "\nCATEGORY   ");
  for (size_t j = 0; j < sizeof cols / sizeof *cols; j++)
    sc_out_f(&o, " %*s", width[j], sc_verdict_name(cols[j]));
  sc_out_s(&o, "\n");
  for (size_t k = 0; k <= SC_CAT__COUNT; k++) {
    if (!v.ncat[k])
      continue;
    sc_out_f(&o, "%-11s", rpt_cat_label(k));
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
    for (size_t i = 0; i < rpt_nresults(r) && n < 5; i++)
      if (rpt_stale(&r->results[i], (enum outcome)v.oc[i])) {
        sc_out_s(&o, n++ ? ", " : " ");
        rpt_esc(&o, rpt_id(&r->results[i]), ESC_LINE, 120);
      }
    sc_out_s(&o, v.nstale > n ? ", \xE2\x80\xA6\n" : "\n");
  }
  if (rpt_nunsupported(r)) {
    sc_out_s(&o, "scope       not implemented by the endpoint: ");
    rpt_scope(&o, r, ESC_LINE);
    sc_out_s(&o, "\n");
  }
  if (rpt_nspend(r) || rpt_max_spend_set(r)) {
    sc_out_s(&o, "ledger      ");
    rpt_ledger_line(&o, r, &l, ESC_LINE, 10);
    sc_out_s(&o, "\n");
    for (size_t i = 0; i < rpt_nspend(r); i++) {
      const struct sc_spend *s = &r->spend[i];
      if (rpt_spend_state(s) != SC_SPEND_LEFT_ACTIVE)
        continue;
      sc_out_f(&o, "            %sleft active%s ", yel, off);
      rpt_purchase(&o, s, 0, ESC_LINE);
      sc_out_s(&o, "\n");
    }
  }

  int bad = v.t[OC_FAIL] + v.t[OC_ERROR] > 0;
  sc_out_f(&o, "\n%s%s%s  %zu checks, %lu requests, ",
           bad ? red : (v.t[OC_WARN] ? yel : grn), bad ? "FAIL" : "PASS", off,
           rpt_nresults(r), r->requests);
  sc_out_num(&o, rpt_finite_pos(r->seconds), 2, 0);
  sc_out_s(&o, " s, spent ");
  rpt_money(&o, l.spent);
  sc_out_s(&o, ", profile ");
  rpt_esc(&o, rpt_str_or(r->profile, "(none)"), ESC_LINE, 120);
  sc_out_s(&o, "\n");
  rpt_view_free(&v);
  return sc_out_end(&o);
}
