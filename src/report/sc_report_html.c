/* sc_report_html.c — the run as one self-contained HTML file (see
 * sc_report.h): a summary card with the findings by cause, the counts and
 * the ledger, then every check with its details, filtered by a small
 * script that the page's Content-Security-Policy allows by hash. */
#include "sc_report_int.h"

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
  rpt_esc(o, v, ESC_HTML, 0);
  sc_out_s(o, "</dd>\n");
}

static void html_pre(struct sc_out *o, const char *label, const char *v) {
  if (!v)
    return;
  sc_out_s(o, "<dt>");
  sc_out_s(o, label);
  sc_out_s(o, "</dt><dd><pre>");
  rpt_esc(o, v, ESC_HTML, 0);
  sc_out_s(o, "</pre></dd>\n");
}

static void html_exchange(struct sc_out *o, size_t k,
                          const struct sc_exchange *e) {
  sc_out_f(o, "<div class=\"ex\"><h4>exchange %zu: ", k + 1);
  rpt_esc(o, rpt_str_or(e->method, "?"), ESC_HTML, 0);
  sc_out_s(o, " ");
  rpt_esc(o, e->url, ESC_HTML, 0);
  sc_out_s(o, "</h4>\n<dl>\n");
  html_pre(o, "request body", e->request_body);
  if (e->transport_error)
    html_dd(o, "transport error", e->transport_error);
  sc_out_f(o, "<dt>status</dt><dd>%ld</dd>\n", e->status);
  html_dd(o, "content type", rpt_str_or(e->content_type, "(none)"));
  sc_out_s(o, "<dt>time</dt><dd>");
  sc_out_num(o, rpt_finite_pos(e->ms), 1, 0);
  sc_out_s(o, " ms</dd>\n");
  if (e->body) {
    sc_out_f(o, "<dt>body</dt><dd>%zu bytes%s%s<pre>", e->body_len,
             rpt_body_binary(e) ? ", not UTF-8 text (bytes shown as \\xNN)"
                                : "",
             rpt_body_cut(e) ? ", truncated" : "");
    rpt_escn(o, e->body, rpt_body_shown(e), ESC_HTML, 0);
    sc_out_s(o, "</pre></dd>\n");
  }
  sc_out_s(o, "</dl></div>\n");
}

static void html_check(struct sc_out *o, const struct sc_report *r,
                       const struct rview *v, size_t i) {
  const struct sc_check_result *c = &r->results[i];
  enum outcome oc = (enum outcome)v->oc[i];
  const char *vn = rpt_oc_names[oc];

  sc_out_f(o,
           "<tbody class=\"check\" id=\"c%zu\" data-cat=\"%s\" "
           "data-verdict=\"%s\">\n<tr class=\"sum\"><td class=\"v v-%s\">%s",
           i + 1, rpt_cat_label(rpt_cat(c)), vn, vn, vn);
  if (oc == OC_FAIL && rpt_verdict(c) == SC_VERDICT_WARN)
    sc_out_s(o, " (WARN, strict)");
  if (oc == OC_ERROR && rpt_verdict(c) == SC_VERDICT_BLOCKED)
    sc_out_s(o, " (BLOCKED, unexplained)");
  sc_out_s(o, "</td><td class=\"id\">");
  rpt_esc(o, rpt_str_or(c->id, ""), ESC_HTML, 0);
  sc_out_f(o, "</td><td>%s</td><td>", rpt_cat_label(rpt_cat(c)));
  rpt_esc(o, c->message, ESC_HTML, 0);
  sc_out_s(o, "</td><td class=\"num\">");
  sc_out_num(o, rpt_finite_pos(c->ms), 1, 0);
  sc_out_s(o, "</td></tr>\n<tr class=\"detail\"><td colspan=\"5\"><details>"
              "<summary>details</summary>\n<dl>\n");
  sc_out_f(o, "<dt>verdict</dt><dd>%s</dd>\n", sc_verdict_name(rpt_verdict(c)));
  if (c->cause)
    html_dd(o, "cause", c->cause);
  if (rpt_verdict(c) == SC_VERDICT_BLOCKED || c->blocked_by) {
    sc_out_s(o, "<dt>blocked by</dt><dd>");
    rpt_blocked_by(o, r, c, oc, ESC_HTML, 0);
    sc_out_s(o, "</dd>\n");
  }
  if (rpt_status_shown(c))
    sc_out_f(o, "<dt>HTTP status</dt><dd>%ld</dd>\n", c->http_status);
  if (rpt_ndevs(c)) {
    sc_out_s(o, "<dt>deviations</dt><dd><ol>");
    for (size_t k = 0; k < rpt_ndevs(c); k++) {
      sc_out_s(o, "<li>");
      rpt_dev(o, &c->devs[k], ESC_HTML, 0);
      sc_out_s(o, "</li>");
    }
    sc_out_s(o, "</ol></dd>\n");
  }
  html_dd(o, "requirement", rpt_str_or(c->requirement, ""));
  sc_out_s(o, "<dt>source</dt><dd>");
  rpt_citation(o, c, ESC_HTML, 0);
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
  for (size_t k = 0; k < rpt_nexchanges(c); k++)
    html_exchange(o, k, &c->ex[k]);
  sc_out_s(o, "</details></td></tr>\n</tbody>\n");
}

/* The findings grouped by cause, what fails first, then the largest. */
static void html_causes(struct sc_out *o, const struct sc_report *r,
                        const struct rview *v) {
  sc_out_s(o, "<h2>Findings by cause</h2>\n");
  if (!v->ng) {
    sc_out_s(o, rpt_nresults(r) ? "<p>None: every check passed.</p>\n"
                                : "<p>None: no checks were run.</p>\n");
    return;
  }
  sc_out_s(o, "<table class=\"causes\">\n<tr><th class=\"num\">checks</th>"
              "<th>cause</th><th>verdicts</th><th>blocked by</th>"
              "<th>first checks</th></tr>\n");
  for (size_t k = 0; k < v->ng; k++) {
    const struct cgroup *g = &v->g[k];
    sc_out_f(o, "<tr><td class=\"num\">%zu</td><td>", g->n);
    rpt_glabel(o, r, v, g, 0, ESC_HTML, 300);
    sc_out_s(o, "</td><td>");
    rpt_gverdicts(o, g);
    sc_out_s(o, "</td><td>");
    rpt_gowners(o, r, v, g, ESC_HTML, 5);
    sc_out_s(o, "</td><td>");
    rpt_gids(o, r, v, g, ESC_HTML, 5);
    sc_out_s(o, "</td></tr>\n");
  }
  sc_out_s(o, "</table>\n");
}

static void html_ledger(struct sc_out *o, const struct sc_report *r,
                        const struct ledger *l) {
  if (!rpt_nspend(r) && !rpt_max_spend_set(r))
    return;
  sc_out_s(o, "<h2>Ledger</h2>\n");
  if (rpt_nspend(r))
    sc_out_s(o, "<table class=\"spend\">\n<tr><th>what</th><th>id</th>"
                "<th>bought by</th><th class=\"num\">cost</th><th>state</th>"
                "<th>note</th></tr>\n");
  for (size_t i = 0; i < rpt_nspend(r); i++) {
    const struct sc_spend *s = &r->spend[i];
    enum sc_spend_state st = rpt_spend_state(s);
    sc_out_s(o, "<tr><td>");
    rpt_esc(o, s->what, ESC_HTML, 0);
    sc_out_s(o, "</td><td>");
    rpt_esc(o, s->id, ESC_HTML, 0);
    sc_out_s(o, "</td><td>");
    rpt_esc(o, s->check, ESC_HTML, 0);
    sc_out_s(o, "</td><td class=\"num\">");
    if (rpt_cost_known(s))
      rpt_money(o, s->cost);
    else
      sc_out_s(o, "price unknown");
    sc_out_f(o, "</td><td class=\"v v-%s\">%s</td><td>",
             st == SC_SPEND_LEFT_ACTIVE ? "FAIL" : "PASS",
             sc_spend_state_name(st));
    rpt_esc(o, s->note, ESC_HTML, 0);
    sc_out_s(o, "</td></tr>\n");
  }
  if (rpt_nspend(r))
    sc_out_s(o, "</table>\n");
  sc_out_s(o, rpt_nspend(r) ? "<p class=\"ledger\">Total: "
                            : "<p class=\"ledger\">Nothing was bought: ");
  rpt_ledger_line(o, r, l, ESC_HTML, 50);
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

  if (rpt_begin(r, out, &o, &v, &l))
    return -1;
  verdict = rpt_run_verdict(&v);

  sc_out_s(&o, html_head);
  sc_out_f(&o, "<title>smsconform %s: ", verdict);
  rpt_esc(&o, rpt_str_or(r->target, "(no target)"), ESC_HTML, 200);
  sc_out_s(&o, "</title>\n");
  sc_out_s(&o, html_style);
  sc_out_f(&o,
           "<header class=\"card\">\n<h1>smsconform: <span class=\"v "
           "v-%s\">%s</span></h1>\n<dl>\n",
           verdict, verdict);
  html_dd(&o, "target", rpt_str_or(r->target, "(no target)"));
  html_dd(&o, "profile", rpt_str_or(r->profile, "(none)"));
  html_dd(&o, "tool", rpt_str_or(r->tool, "smsconform"));
  html_dd(&o, "started", rpt_str_or(r->started, "(unknown)"));
  sc_out_s(&o, "<dt>duration</dt><dd>");
  sc_out_num(&o, rpt_finite_pos(r->seconds), 3, 0);
  sc_out_f(&o,
           " s</dd>\n<dt>requests</dt><dd>%lu</dd>\n<dt>strict</dt><dd>%s"
           "</dd>\n",
           r->requests, r->strict ? "yes: WARN counts as a failure" : "no");
  if (rpt_nunsupported(r)) {
    sc_out_s(&o, "<dt>scope</dt><dd>the endpoint does not implement ");
    rpt_scope(&o, r, ESC_HTML);
    sc_out_s(&o, " (their checks are UNSUPPORTED)</dd>\n");
  }
  sc_out_s(&o, "</dl>\n");
  html_causes(&o, r, &v);
  sc_out_s(&o, "<h2>Checks per category</h2>\n<table class=\"counts\">\n"
               "<tr><th>category</th>");
  for (size_t j = 0; j < sizeof(cols) / sizeof(cols[0]); j++)
    sc_out_f(&o, "<th class=\"num\">%s</th>", rpt_oc_names[cols[j]]);
  sc_out_s(&o, "</tr>\n");
  for (size_t k = 0; k <= SC_CAT__COUNT; k++) {
    if (!v.ncat[k])
      continue;
    sc_out_f(&o, "<tr><td>%s</td>", rpt_cat_label(k));
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
      sc_out_f(&o, "<option>%s</option>", rpt_cat_label(k));
  sc_out_s(&o, "</select></label>\n<label>verdict <select name=\"verdict\">"
               "<option value=\"\">all</option>");
  for (size_t j = 0; j < sizeof(cols) / sizeof(cols[0]); j++)
    sc_out_f(&o, "<option>%s</option>", rpt_oc_names[cols[j]]);
  sc_out_s(&o, "</select></label>\n</form>\n");

  sc_out_s(&o, "<table id=\"checks\">\n<thead><tr><th>verdict</th><th>check"
               "</th><th>category</th><th>message</th><th class=\"num\">ms</th>"
               "</tr></thead>\n");
  for (size_t i = 0; i < rpt_nresults(r); i++)
    html_check(&o, r, &v, i);
  sc_out_s(&o,
           "</table>\n<script>" HTML_SCRIPT "</script>\n</body>\n</html>\n");
  rpt_view_free(&v);
  return sc_out_end(&o);
}
