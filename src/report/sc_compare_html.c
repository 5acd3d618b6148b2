/* sc_compare_html.c — the comparison as one self-contained HTML page (see
 * sc_compare.h): a card per vendor, the scores (and, without
 * SC_COMPARE_STABLE, the latencies) as inline SVG, the checks per category,
 * the matrix of checks by vendors with its filters, and the deviations.
 *
 * The page carries the cells' details (message, expected, actual,
 * exchanges) once, in a JSON data island escaped so that no "</script" or
 * "<!--" can occur in it, and its script shows them with textContent
 * only. */
#include "sc_compare_int.h"

#include "sc_escape.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* The page's script: filters (category, action, verdict, vendor, rows that
 * differ), read from and written to location.hash; the detail panel of a
 * cell, built from the data island with textContent only; and, for tests,
 * script errors and Content-Security-Policy violations recorded on <html>
 * (data-errors, data-csp) and data-ready once it ran. The policy below
 * allows this script and nothing else, by hash: if it changes, the hash
 * must change with it (test_compare checks it). Recompute with
 *   printf '%s' "$SCRIPT" | openssl dgst -sha256 -binary | base64 */
#define PAGE_SCRIPT                                                            \
  "(function(){\"use strict\";\n"                                              \
  "var D=document,H=D.documentElement,nerr=0;\n"                               \
  "window.addEventListener(\"error\",function(e){nerr++;H.setAttribute(\""     \
  "data-errors\",String(nerr));H.setAttribute(\"data-error\",String(e.mes"     \
  "sage));});\n"                                                               \
  "D.addEventListener(\"securitypolicyviolation\",function(e){H.setAttrib"     \
  "ute(\"data-csp\",String(e.violatedDirective));});\n"                        \
  "var data=JSON.parse(D.getElementById(\"data\").textContent),V=data.v,C"     \
  "=data.c,R=data.r,nv=V.length;\n"                                            \
  "var f=D.getElementById(\"filters\"),E=f.elements,t=D.getElementById(\""     \
  "matrix\"),P=D.getElementById(\"panel\"),cur=null;\n"                        \
  "var N={P:\"PASS\",W:\"WARN\",F:\"FAIL\",E:\"ERROR\",S:\"SKIP\",B:\"BLO"     \
  "CKED\",U:\"unsupported\"},K={};\n"                                          \
  "for(var k in N)K[N[k]]=k;\n"                                                \
  "function el(tag,text,cls){var e=D.createElement(tag);if(text!==undefin"     \
  "ed&&text!==null)e.textContent=String(text);if(cls)e.className=cls;retu"     \
  "rn e;}\n"                                                                   \
  "function vix(s){for(var j=0;j<nv;j++)if(V[j][0]===s)return j;return -1"     \
  ";}\n"                                                                       \
  "function differs(d){for(var i=1;i<d.length;i++)if(d.charAt(i)!==d.char"     \
  "At(0))return true;return false;}\n"                                         \
  "function hash(){var q=[];[\"cat\",\"action\",\"verdict\",\"vendor\"].f"     \
  "orEach(function(n){if(E[n].value)q.push(n+\"=\"+encodeURIComponent(E[n"     \
  "].value));});\n"                                                            \
  "if(E.diff.checked)q.push(\"diff=1\");if(cur)q.push(\"detail=\"+encodeU"     \
  "RIComponent(C[cur[0]][0]),\"in=\"+encodeURIComponent(V[cur[1]][0]));\n"     \
  "try{history.replaceState(null,\"\",\"#\"+q.join(\"&\"));}catch(x){}}\n"     \
  "function apply(){var cat=E.cat.value,act=E.action.value,ver=K[E.verdic"     \
  "t.value]||\"\",j=vix(E.vendor.value),diff=E.diff.checked,shown=0,rows="     \
  "t.rows;\n"                                                                  \
  "for(var r=0;r<rows.length;r++){var cs=rows[r].cells;if(cs.length===nv+"     \
  "1)for(var c=1;c<=nv;c++)cs[c].hidden=j>=0&&c-1!==j;}\n"                     \
  "for(var g=0;g<t.tBodies.length;g++){var b=t.tBodies[g],any=false,br=b."     \
  "rows,ga=!act||b.getAttribute(\"data-a\")===act;\n"                          \
  "for(var i=1;i<br.length;i++){var row=br[i],d=row.getAttribute(\"data-v"     \
  "\");\n"                                                                     \
  "var ok=ga&&(!cat||row.getAttribute(\"data-cat\")===cat)&&(!ver||(j<0?d"     \
  ".indexOf(ver)>=0:d.charAt(j)===ver))&&(!diff||differs(d));\n"               \
  "row.hidden=!ok;if(ok){any=true;shown++;}}b.hidden=!any;}\n"                 \
  "t.setAttribute(\"data-shown\",String(shown));D.getElementById(\"shown"      \
  "\").textContent=String(shown);hash();}\n"                                   \
  "function item(dl,k,v,pre){if(v===undefined||v===null||v===\"\")return;"     \
  "dl.appendChild(el(\"dt\",k));var dd=el(\"dd\");if(pre)dd.appendChild(e"     \
  "l(\"pre\",v));else dd.textContent=String(v);dl.appendChild(dd);}\n"         \
  "function hide(){P.hidden=true;P.textContent=\"\";cur=null;var s=t.quer"     \
  "ySelector(\"td.sel\");if(s)s.className=s.className.replace(\" sel\",\""     \
  "\");hash();}\n"                                                             \
  "function show(i,j){var c=C[i],r=R[i*nv+j],v=V[j];hide();cur=[i,j];\n"       \
  "var td=t.querySelector(\"tr[data-i=\\\"\"+i+\"\\\"]\");if(td&&td.cells"     \
  "[j+1])td.cells[j+1].className+=\" sel\";\n"                                 \
  "var x=el(\"button\",\"close\");x.type=\"button\";x.addEventListener(\""     \
  "click\",hide);P.appendChild(x);\n"                                          \
  "P.appendChild(el(\"h2\",c[0]));var dl=el(\"dl\");\n"                        \
  "item(dl,\"vendor\",v[0]);item(dl,\"verdict\",r?N[r[0]]:\"unsupported\""     \
  ");if(!r)item(dl,\"why\",v[1]);\n"                                           \
  "item(dl,\"requirement\",c[3]);item(dl,\"source\",r&&r[4]?r[4]:c[4]);it"     \
  "em(dl,\"category\",c[1]);item(dl,\"action\",c[2]);\n"                       \
  "if(r){item(dl,\"message\",r[1],1);item(dl,\"cause\",r[10]);item(dl,\"bl"    \
  "ocked by\",r[9]);item(dl,\"HTTP status\",r[11]);if(r[12].length)item(d"     \
  "l,\"deviations\",r[12].join(\"\\n\"),1);\n"                                 \
  "item(dl,\"expected\",r[2],1);item(dl,\"actual\",r[3],1);item(dl,\"repro"    \
  "duce\",r[5],1);if(r[6]!==null)item(dl,\"time\",r[6]+\" ms\");}\n"           \
  "P.appendChild(dl);\n"                                                       \
  "if(r&&r[7])r[7].forEach(function(e,n){var box=el(\"div\",null,\"ex\"),"     \
  "d2=el(\"dl\");box.appendChild(el(\"h3\",\"exchange \"+(n+1+r[8])+\": "      \
  "\"+e[0]+\" \"+e[1]));\n"                                                    \
  "item(d2,\"request body\",e[2],1);item(d2,\"transport error\",e[7]);ite"     \
  "m(d2,\"status\",e[3]);item(d2,\"content type\",e[4]);item(d2,\"time\","     \
  "e[8]===null?null:e[8]+\" ms\");\n"                                          \
  "if(e[5]!==null){d2.appendChild(el(\"dt\",\"body\"));var dd=el(\"dd\",e"     \
  "[6]);dd.appendChild(el(\"pre\",e[5]));d2.appendChild(dd);}\n"               \
  "box.appendChild(d2);P.appendChild(box);});\n"                               \
  "if(r&&r[8])P.appendChild(el(\"p\",\"the first \"+r[8]+\" exchanges are"     \
  " in the run's JSON report\"));\n"                                           \
  "if(r&&data.s)P.appendChild(el(\"p\",\"exchanges are left out of this f"     \
  "ile (written with --stable): the runs' JSON reports have them\"));\n"       \
  "P.setAttribute(\"data-check\",c[0]);P.setAttribute(\"data-vendor\",v[0"     \
  "]);P.hidden=false;hash();}\n"                                               \
  "t.addEventListener(\"click\",function(e){var td=e.target;while(td&&td!"     \
  "==t&&td.tagName!==\"TD\")td=td.parentNode;\n"                               \
  "if(!td||td===t)return;var i=td.parentNode.getAttribute(\"data-i\");if("     \
  "i!==null)show(+i,td.cellIndex-1);});\n"                                     \
  "D.addEventListener(\"keydown\",function(e){if(e.key===\"Escape\")hide("     \
  ");});\n"                                                                    \
  "var det=null,dv=null;location.hash.replace(/^#/,\"\").split(\"&\").for"     \
  "Each(function(p){var at=p.indexOf(\"=\"),n,v;if(at<0)return;\n"             \
  "try{n=decodeURIComponent(p.slice(0,at));v=decodeURIComponent(p.slice(a"     \
  "t+1));}catch(x){return;}\n"                                                 \
  "if(n===\"diff\")E.diff.checked=v===\"1\";else if(n===\"detail\")det=v;"     \
  "else if(n===\"in\")dv=v;\n"                                                 \
  "else if(n===\"cat\"||n===\"action\"||n===\"verdict\"||n===\"vendor\"){"     \
  "E[n].value=v;if(E[n].value!==v)E[n].value=\"\";}});\n"                      \
  "f.addEventListener(\"change\",apply);f.hidden=false;apply();\n"             \
  "if(det!==null)for(var i=0;i<C.length;i++)if(C[i][0]===det){var j=dv!=="     \
  "null?vix(dv):vix(E.vendor.value);\n"                                        \
  "for(var n=0;j<0&&n<nv;n++)if(R[i*nv+n])j=n;show(i,j<0?0:j);break;}\n"       \
  "H.setAttribute(\"data-ready\",\"1\");})();\n"
#define PAGE_SCRIPT_SHA256 "IDYzvAL/ri9BizjS8S8sgJd7rzLRTZbGslqnGPFn4X4="

static const char html_head[] =
    "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
    "'none'; style-src 'unsafe-inline'; script-src 'sha256-" PAGE_SCRIPT_SHA256
    "'; base-uri 'none'; form-action 'none'\">\n"
    "<meta name=\"viewport\" content=\"width=device-width, "
    "initial-scale=1\">\n";

static const char html_style[] =
    "<style>\n"
    "body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#1f2328}\n"
    "[hidden]{display:none!important}\n"
    "h2{margin-top:1.6em}\n"
    "#cards{display:flex;flex-wrap:wrap;gap:1em}\n"
    ".card{border:1px solid #d0d7de;border-radius:6px;padding:.7em .9em;"
    "box-sizing:border-box;min-width:13em;max-width:24em;flex:1}\n"
    ".card h3{margin:0;overflow-wrap:anywhere}"
    ".card .score{font-size:2em;font-weight:700;margin:.1em 0}\n"
    ".card dl{display:grid;grid-template-columns:max-content auto;"
    "gap:.1em .8em;margin:.4em 0}\n"
    ".card dt{font-weight:600}.card dd{margin:0;overflow-wrap:anywhere}\n"
    ".n{display:inline-block;padding:0 .4em;margin:.1em;border-radius:3px;"
    "font-size:12px}\n"
    "table{border-collapse:collapse}th,td{border:1px solid #d0d7de;"
    "padding:.2em .5em;text-align:left;vertical-align:top}\n"
    "td.num,th.num{text-align:right}\n"
    ".vP{background:#1a7f37;color:#fff}.vW{background:#9a6700;color:#fff}"
    ".vF{background:#cf222e;color:#fff}.vE{background:#8250df;color:#fff}"
    ".vS{background:#d0d7de;color:#1f2328}.vB{background:#ddf4ff;"
    "color:#0969da}.vU{background:#f6f8fa;color:#6e7781}\n"
    "#filters{margin:.6em 0;display:flex;flex-wrap:wrap;gap:.4em 1em;"
    "align-items:center}\n"
    "#matrix th,#matrix td{border:1px solid #fff}\n"
    "#matrix thead th{position:sticky;top:0;background:#fff;z-index:1;"
    "max-width:7em;overflow-wrap:anywhere;font-size:12px;"
    "vertical-align:bottom}\n"
    "#matrix tbody th{font:12px/1.5 ui-monospace,monospace;"
    "font-weight:400;white-space:nowrap}\n"
    "#matrix tr.gh th{background:#eaeef2;font:600 13px/1.6 system-ui,"
    "sans-serif;padding-top:.4em}\n"
    "#matrix td{min-width:2em;text-align:center;cursor:pointer;"
    "font:700 12px/1.5 ui-monospace,monospace}\n"
    "#matrix td.sel{outline:3px solid #0969da;outline-offset:-3px}\n"
    "#panel{position:fixed;top:0;right:0;width:min(46em,55vw);height:100vh;"
    "overflow:auto;background:#fff;border-left:2px solid #8c959f;"
    "padding:1em 1.2em;box-sizing:border-box;box-shadow:-4px 0 12px "
    "rgba(0,0,0,.15)}\n"
    "#panel h2{margin-top:.4em;font:600 15px ui-monospace,monospace;"
    "overflow-wrap:anywhere}\n"
    "#panel dl{display:grid;grid-template-columns:max-content auto;"
    "gap:.2em .8em}\n"
    "#panel dt{font-weight:600}#panel dd{margin:0;overflow-wrap:anywhere;"
    "min-width:0}\n"
    "pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f6f8fa;"
    "padding:.4em;margin:.2em 0;max-height:24em;overflow:auto}\n"
    ".ex{border-left:3px solid #d0d7de;padding-left:.6em;margin:.6em 0}\n"
    ".ex h3{font:600 13px ui-monospace,monospace;overflow-wrap:anywhere}\n"
    "svg text{font:12px system-ui,sans-serif;fill:#1f2328}\n"
    ".dev td{max-width:28em;overflow-wrap:anywhere}\n"
    "</style>\n</head>\n<body>\n";

/* A JSON string of the text [s, s+n) as the HTML page shows it (not-text
 * bytes as \xNN, invisible code points as \uNNNN), safe inside <script>;
 * null for NULL. */
static void out_datan(struct out *o, const char *s, size_t n) {
  if (o->w.err)
    return;
  if (!s) {
    sc_out_s(&o->w, "null");
    return;
  }
  cmp_out_scrub(o, &s, &n);
  sc_buf_reset(&o->tmp);
  sc_report_escape(&o->tmp, SC_REPORT_ESC_TEXT, s, n, 0);
  sc_buf_addc(&o->w.b, '"');
  sc_report_escape(&o->w.b, SC_REPORT_ESC_JSON_SCRIPT,
                   o->tmp.ptr ? o->tmp.ptr : "", o->tmp.len, 0);
  sc_buf_addc(&o->w.b, '"');
  cmp_out_check(o);
}

static void out_data(struct out *o, const char *s) {
  out_datan(o, s, s ? strlen(s) : 0);
}

/* Why vendor |j| has no result for a check. */
static const char *why_unsupported(const struct vendor *vd, char *buf,
                                   size_t len) {
  if (vd->dialect)
    snprintf(buf, len, "the %s document does not describe this check's action",
             vd->dialect);
  else
    snprintf(buf, len,
             "not in this vendor's run: its profile has no such "
             "check, or the run was filtered");
  return buf;
}

static const char *action_of(const struct view *v, const struct row *r) {
  return r->action == SIZE_MAX ? NULL : v->actions[r->action];
}

/* The longest text in a table cell of the page, in code points (the
 * panel shows everything). */
#define HTML_CELL 300

static void html_dd(struct out *o, const char *label, const char *v) {
  if (!v)
    return;
  sc_out_f(&o->w, "<dt>%s</dt><dd>", label);
  cmp_out_esc(o, v, SC_REPORT_ESC_HTML, HTML_CELL);
  sc_out_s(&o->w, "</dd>\n");
}

static void html_counts(struct out *o, const size_t *n) {
  for (int k = 0; k < COL__COUNT; k++)
    if (n[k])
      sc_out_f(&o->w, "<span class=\"n v%c\">%s %zu</span>", cmp_col_letters[k],
               cmp_col_names[k], n[k]);
}

static void html_card(struct out *o, const struct view *v, size_t j) {
  const struct vendor *vd = &v->c->v[j];
  const struct sc_report *r = &vd->rep;
  const struct vstat *st = &v->st[j];
  struct sc_compare_score s;

  cmp_score_of(st, &s);
  sc_out_s(&o->w, "<div class=\"card\"><h3>");
  cmp_out_esc(o, vd->name, SC_REPORT_ESC_HTML, 0);
  sc_out_s(&o->w, "</h3>\n<p class=\"score\">");
  cmp_out_score(o, &s);
  sc_out_f(&o->w, "</p>\n<p>%zu of %zu applicable checks passed</p>\n<dl>\n",
           s.passed, s.applicable);
  html_dd(o, "target", r->target);
  html_dd(o, "profile", cmp_str_or(r->profile, "(none)"));
  html_dd(o, "dialect", vd->dialect);
  html_dd(o, "note", vd->note);
  if (!cmp_stable(o)) {
    html_dd(o, "started", r->started);
    sc_out_s(&o->w, "<dt>duration</dt><dd>");
    sc_out_num(&o->w, r->seconds, 2, 0);
    sc_out_f(&o->w, " s, %lu requests</dd>\n", r->requests);
    if (st->nlat) {
      sc_out_s(&o->w, "<dt>latency</dt><dd>p50 ");
      sc_out_num(&o->w, st->p50, 2, 0);
      sc_out_s(&o->w, " ms, p95 ");
      sc_out_num(&o->w, st->p95, 2, 0);
      sc_out_s(&o->w, " ms</dd>\n");
    }
  }
  sc_out_s(&o->w, "</dl>\n<p>");
  html_counts(o, st->col);
  sc_out_s(&o->w, "</p></div>\n");
}

/* A horizontal bar chart, one row per vendor, inline SVG. |val| gives
 * vendor |j|'s values (up to two bars, NAN = none) and |label| their
 * text; |max| is the full width. */
#define CH_LABEL 170
#define CH_BAR 320

static void svg_label(struct out *o, const struct view *v, size_t j, int y) {
  sc_out_f(&o->w, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", CH_LABEL - 8,
           y + 13);
  cmp_out_esc(o, v->c->v[j].name, SC_REPORT_ESC_HTML, 24);
  sc_out_s(&o->w, "</text>\n");
}

static void svg_scores(struct out *o, const struct view *v) {
  int h = 24 * (int)v->nv + 10;
  sc_out_f(&o->w,
           "<svg class=\"chart\" role=\"img\" aria-label=\"score per vendor\" "
           "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n",
           CH_LABEL + CH_BAR + 70, h, CH_LABEL + CH_BAR + 70, h);
  for (size_t j = 0; j < v->nv; j++) {
    struct sc_compare_score s;
    int y = 6 + 24 * (int)j;
    cmp_score_of(&v->st[j], &s);
    svg_label(o, v, j, y);
    sc_out_f(&o->w,
             "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"18\" "
             "fill=\"#eaeef2\"/>\n",
             CH_LABEL, y, CH_BAR);
    if (s.score >= 0) {
      sc_out_f(&o->w, "<rect x=\"%d\" y=\"%d\" width=\"", CH_LABEL, y);
      sc_out_num(&o->w, s.score * CH_BAR, 1, 0);
      sc_out_f(&o->w, "\" height=\"18\" fill=\"%s\"/>\n",
               s.score >= 0.95   ? "#1a7f37"
               : s.score >= 0.75 ? "#9a6700"
                                 : "#cf222e");
    }
    sc_out_f(&o->w, "<text x=\"%d\" y=\"%d\">", CH_LABEL + CH_BAR + 6, y + 13);
    cmp_out_score(o, &s);
    sc_out_s(&o->w, "</text>\n");
  }
  sc_out_s(&o->w, "</svg>\n");
}

static void svg_latency(struct out *o, const struct view *v) {
  double max = 0;
  int h = 30 * (int)v->nv + 24;
  for (size_t j = 0; j < v->nv; j++)
    if (v->st[j].nlat && v->st[j].p95 > max)
      max = v->st[j].p95;
  if (!(max > 0))
    return;
  sc_out_f(&o->w,
           "<svg class=\"chart\" role=\"img\" aria-label=\"latency per "
           "vendor, p50 and p95\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d "
           "%d\">\n",
           CH_LABEL + CH_BAR + 120, h, CH_LABEL + CH_BAR + 120, h);
  for (size_t j = 0; j < v->nv; j++) {
    const struct vstat *st = &v->st[j];
    int y = 6 + 30 * (int)j;
    if (!st->nlat)
      continue;
    svg_label(o, v, j, y + 4);
    sc_out_f(&o->w, "<rect x=\"%d\" y=\"%d\" width=\"", CH_LABEL, y);
    sc_out_num(&o->w, st->p50 / max * CH_BAR, 1, 0);
    sc_out_f(&o->w,
             "\" height=\"11\" fill=\"#0969da\"/>\n<rect x=\"%d\" y=\"%d\" "
             "width=\"",
             CH_LABEL, y + 12);
    sc_out_num(&o->w, st->p95 / max * CH_BAR, 1, 0);
    sc_out_f(&o->w,
             "\" height=\"11\" fill=\"#8c959f\"/>\n<text x=\"%d\" y=\"%d\">",
             CH_LABEL + CH_BAR + 6, y + 16);
    sc_out_num(&o->w, st->p50, 2, 0);
    sc_out_s(&o->w, " / ");
    sc_out_num(&o->w, st->p95, 2, 0);
    sc_out_s(&o->w, " ms</text>\n");
  }
  sc_out_f(&o->w,
           "<text x=\"%d\" y=\"%d\">blue: p50, grey: p95 of the requests to "
           "each target</text>\n</svg>\n",
           CH_LABEL, h - 6);
}

static void html_vendor_heads(struct out *o, const struct view *v,
                              const char *first) {
  sc_out_f(&o->w, "<tr><th>%s</th>", first);
  for (size_t j = 0; j < v->nv; j++) {
    sc_out_s(&o->w, "<th>");
    cmp_out_esc(o, v->c->v[j].name, SC_REPORT_ESC_HTML, 0);
    sc_out_s(&o->w, "</th>");
  }
  sc_out_s(&o->w, "</tr>\n");
}

static void html_categories(struct out *o, const struct view *v) {
  sc_out_s(&o->w, "<h2>Checks per category</h2>\n<table class=\"cats\">\n");
  html_vendor_heads(o, v, "category");
  for (size_t k = 0; k <= SC_CAT__COUNT; k++) {
    int any = 0;
    for (size_t j = 0; j < v->nv && !any; j++)
      for (int x = 0; x < COL__COUNT; x++)
        any |= v->st[j].cat[k][x] != 0;
    if (!any)
      continue;
    sc_out_f(&o->w, "<tr><th>%s</th>", sc_cat_name((enum sc_cat)k));
    for (size_t j = 0; j < v->nv; j++) {
      sc_out_s(&o->w, "<td>");
      html_counts(o, v->st[j].cat[k]);
      sc_out_s(&o->w, "</td>");
    }
    sc_out_s(&o->w, "</tr>\n");
  }
  sc_out_s(&o->w, "</table>\n");
}

static void html_latency(struct out *o, const struct view *v) {
  if (!v->nall)
    return;
  sc_out_s(&o->w,
           "<h2>Latency per action</h2>\n<p>p50 / p95 in ms, and the number "
           "of requests, by the <code>action</code> the request named.</p>\n"
           "<table class=\"lat\">\n");
  html_vendor_heads(o, v, "action");
  for (size_t k = 0; k < v->nall; k++) {
    sc_out_s(&o->w, "<tr><th>");
    cmp_out_escn(o, v->all[k].a, v->all[k].alen, SC_REPORT_ESC_HTML, 0);
    sc_out_s(&o->w, "</th>");
    for (size_t j = 0; j < v->nv; j++) {
      const struct alat *a =
          cmp_find_alat(&v->st[j], v->all[k].a, v->all[k].alen);
      sc_out_s(&o->w, "<td class=\"num\">");
      if (a) {
        sc_out_num(&o->w, a->p50, 2, 0);
        sc_out_s(&o->w, " / ");
        sc_out_num(&o->w, a->p95, 2, 0);
        sc_out_f(&o->w, " (%zu)", a->n);
      }
      sc_out_s(&o->w, "</td>");
    }
    sc_out_s(&o->w, "</tr>\n");
  }
  sc_out_s(&o->w, "</table>\n");
}

static void html_filters(struct out *o, const struct view *v) {
  sc_out_s(&o->w, "<form id=\"filters\" hidden>\n<label>category <select "
                  "name=\"cat\"><option value=\"\">all</option>");
  for (size_t k = 0; k <= SC_CAT__COUNT; k++) {
    int any = 0;
    for (size_t j = 0; j < v->nv; j++)
      for (int x = 0; x < COL__COUNT; x++)
        any |= v->st[j].cat[k][x] != 0;
    if (any)
      sc_out_f(&o->w, "<option>%s</option>", sc_cat_name((enum sc_cat)k));
  }
  sc_out_s(&o->w, "</select></label>\n<label>action <select name=\"action\">"
                  "<option value=\"\">all</option>");
  for (size_t a = 0; a < v->nactions; a++) {
    if (!*v->actions[a])
      continue;
    sc_out_s(&o->w, "<option>");
    cmp_out_esc(o, v->actions[a], SC_REPORT_ESC_HTML, 0);
    sc_out_s(&o->w, "</option>");
  }
  sc_out_s(&o->w, "</select></label>\n<label>verdict <select name=\"verdict\">"
                  "<option value=\"\">any</option>");
  for (int k = 0; k < COL__COUNT; k++)
    sc_out_f(&o->w, "<option>%s</option>", cmp_col_names[k]);
  sc_out_s(&o->w, "</select></label>\n<label>vendor <select name=\"vendor\">"
                  "<option value=\"\">all</option>");
  for (size_t j = 0; j < v->nv; j++) {
    sc_out_s(&o->w, "<option>");
    cmp_out_esc(o, v->c->v[j].name, SC_REPORT_ESC_HTML, 0);
    sc_out_s(&o->w, "</option>");
  }
  sc_out_f(&o->w,
           "</select></label>\n<label><input type=\"checkbox\" "
           "name=\"diff\"> only where the vendors differ</label>\n"
           "<span><span id=\"shown\">%zu</span> of %zu checks shown</span>\n"
           "</form>\n",
           v->nrows, v->nrows);
}

static void html_matrix(struct out *o, const struct view *v) {
  size_t group = 0;
  int open = 0;

  sc_out_s(&o->w, "<h2 id=\"matrix-title\">Matrix</h2>\n<p>Rows are checks, by "
                  "action; columns are vendors. Select a cell for the check's "
                  "requirement, its source and what the vendor answered.</p>\n"
                  "<p>");
  for (int k = 0; k < COL__COUNT; k++)
    sc_out_f(&o->w, "<span class=\"n v%c\">%c %s</span> ", cmp_col_letters[k],
             k == COL_UNSUP ? '-' : cmp_col_letters[k], cmp_col_names[k]);
  sc_out_s(&o->w, "</p>\n");
  html_filters(o, v);
  sc_out_s(&o->w, "<table id=\"matrix\">\n<thead>");
  html_vendor_heads(o, v, "check");
  sc_out_s(&o->w, "</thead>\n");
  for (size_t i = 0; i < v->nrows; i++) {
    const struct row *rw = &v->rows[v->order[i]];
    const char *a = action_of(v, rw);
    if (!open || rw->action != group) {
      if (open)
        sc_out_s(&o->w, "</tbody>\n");
      open = 1;
      group = rw->action;
      sc_out_s(&o->w, "<tbody data-a=\"");
      cmp_out_esc(o, cmp_str_or(a, ""), SC_REPORT_ESC_HTML, 0);
      sc_out_f(&o->w, "\"><tr class=\"gh\"><th colspan=\"%zu\">", v->nv + 1);
      cmp_out_esc(o, cmp_str_or(a, "(checks not about one action)"),
                  SC_REPORT_ESC_HTML, 0);
      sc_out_s(&o->w, "</th></tr>\n");
    }
    sc_out_f(&o->w, "<tr data-i=\"%zu\" data-cat=\"%s\" data-v=\"", i,
             sc_cat_name((enum sc_cat)cmp_cat_ix(rw->first)));
    for (size_t j = 0; j < v->nv; j++)
      sc_out_f(&o->w, "%c", cmp_col_letters[v->col[v->order[i] * v->nv + j]]);
    sc_out_s(&o->w, "\"><th>");
    cmp_out_esc(o, rw->first->id, SC_REPORT_ESC_HTML, 0);
    sc_out_s(&o->w, "</th>");
    for (size_t j = 0; j < v->nv; j++) {
      enum col k = (enum col)v->col[v->order[i] * v->nv + j];
      sc_out_f(&o->w, "<td class=\"v%c\">%c</td>", cmp_col_letters[k],
               k == COL_UNSUP ? '-' : cmp_col_letters[k]);
    }
    sc_out_s(&o->w, "</tr>\n");
  }
  if (open)
    sc_out_s(&o->w, "</tbody>\n");
  sc_out_s(&o->w, "</table>\n");
}

static void html_deviations(struct out *o, const struct view *v) {
  sc_out_s(&o->w,
           "<h2>Deviations</h2>\n<p>Per vendor, every FAIL, ERROR and WARN "
           "with what was expected, what came back and the document that "
           "demands it.</p>\n");
  for (size_t j = 0; j < v->nv; j++) {
    const struct vstat *st = &v->st[j];
    size_t n = st->col[COL_FAIL] + st->col[COL_ERROR] + st->col[COL_WARN];
    sc_out_s(&o->w, "<details class=\"dev\"><summary><strong>");
    cmp_out_esc(o, v->c->v[j].name, SC_REPORT_ESC_HTML, 0);
    sc_out_f(&o->w, "</strong>: %zu FAIL, %zu ERROR, %zu WARN</summary>\n",
             st->col[COL_FAIL], st->col[COL_ERROR], st->col[COL_WARN]);
    if (!n) {
      sc_out_s(&o->w, "<p>none</p></details>\n");
      continue;
    }
    sc_out_s(&o->w,
             "<table>\n<tr><th>check</th><th>verdict</th><th>message</th>"
             "<th>expected</th><th>actual</th><th>source</th></tr>\n");
    for (size_t i = 0; i < v->nrows; i++) {
      const struct sc_check_result *c = v->cell[v->order[i] * v->nv + j];
      enum col k = (enum col)v->col[v->order[i] * v->nv + j];
      if (k != COL_FAIL && k != COL_ERROR && k != COL_WARN)
        continue;
      sc_out_s(&o->w, "<tr><td><code>");
      cmp_out_esc(o, c->id, SC_REPORT_ESC_HTML, HTML_CELL);
      sc_out_f(&o->w, "</code></td><td class=\"v%c\">%s</td><td>",
               cmp_col_letters[k], cmp_col_names[k]);
      cmp_out_esc(o, c->message, SC_REPORT_ESC_HTML, HTML_CELL);
      sc_out_s(&o->w, "</td><td>");
      cmp_out_esc(o, c->expected, SC_REPORT_ESC_HTML, HTML_CELL);
      sc_out_s(&o->w, "</td><td>");
      cmp_out_esc(o, c->actual, SC_REPORT_ESC_HTML, HTML_CELL);
      sc_out_s(&o->w, "</td><td>");
      cmp_out_citation(o, c, SC_REPORT_ESC_HTML, HTML_CELL);
      sc_out_s(&o->w, "</td></tr>\n");
    }
    sc_out_s(&o->w, "</table></details>\n");
  }
}

/* The exchanges shown per cell: the last ones (a deviation is usually in
 * the last answer); the others stay in the run's JSON report. */
#define HTML_EXCHANGES 12

static void data_exchange(struct out *o, const struct sc_exchange *e) {
  int bin = e->body && sc_utf8_check(e->body, e->body_len) != (size_t)-1;
  size_t shown =
      e->body_len > SC_REPORT_BODY_MAX ? SC_REPORT_BODY_MAX : e->body_len;
  sc_out_s(&o->w, "[");
  out_data(o, cmp_str_or(e->method, "?"));
  sc_out_s(&o->w, ",");
  out_data(o, e->url);
  sc_out_s(&o->w, ",");
  out_data(o, e->request_body);
  sc_out_f(&o->w, ",%ld,", e->status);
  out_data(o, e->content_type);
  sc_out_s(&o->w, ",");
  out_datan(o, e->body, e->body ? shown : 0);
  sc_out_f(&o->w, ",\"%zu bytes%s%s\",", e->body ? e->body_len : 0,
           bin ? ", not UTF-8 text (bytes shown as \\\\xNN)" : "",
           e->body_truncated || shown < e->body_len ? ", truncated" : "");
  out_data(o, e->transport_error);
  sc_out_s(&o->w, ",");
  sc_out_num(&o->w, e->ms, 1, 0);
  sc_out_s(&o->w, "]");
}

/* "doc § section" as a data string, or null. */
static void data_citation(struct out *o, const struct sc_check_result *c) {
  struct sc_buf b;
  if (!c->doc && !c->section) {
    sc_out_s(&o->w, "null");
    return;
  }
  sc_buf_init(&b, SIZE_MAX);
  sc_buf_adds(&b, cmp_str_or(c->doc, ""));
  if (c->doc && c->section)
    sc_buf_adds(&b, " \xC2\xA7 ");
  sc_buf_adds(&b, cmp_str_or(c->section, ""));
  if (b.err)
    o->w.err = -1;
  else
    out_datan(o, b.ptr ? b.ptr : "", b.len);
  sc_buf_free(&b);
}

/* A cell's blocked_by, cause, HTTP status (null when 200 or none) and
 * deviations ("JSON_MISSING FAIL at byte 12: message"). */
static void data_why(struct out *o, const struct sc_check_result *c) {
  struct sc_buf b;
  out_data(o, c->blocked_by);
  sc_out_s(&o->w, ",");
  out_data(o, c->cause);
  if (c->http_status && c->http_status != 200)
    sc_out_f(&o->w, ",%ld,[", c->http_status);
  else
    sc_out_s(&o->w, ",null,[");
  sc_buf_init(&b, SIZE_MAX);
  for (size_t k = 0; c->devs && k < c->ndevs; k++) {
    const struct sc_check_dev *d = &c->devs[k];
    enum sc_verdict dv = (unsigned)d->verdict < SC_VERDICT__COUNT
                             ? d->verdict
                             : SC_VERDICT_ERROR;
    sc_buf_reset(&b);
    sc_buf_printf(&b, "%s %s at byte %zu: ", cmp_str_or(d->code, "?"),
                  sc_verdict_name(dv), d->offset);
    sc_buf_adds(&b, cmp_str_or(d->message, ""));
    if (b.err) {
      o->w.err = -1;
      break;
    }
    if (k)
      sc_out_s(&o->w, ",");
    out_datan(o, b.ptr ? b.ptr : "", b.len);
  }
  sc_buf_free(&b);
  sc_out_s(&o->w, "]");
}

static void data_island(struct out *o, const struct view *v) {
  char why[200];
  sc_out_f(&o->w,
           "<script type=\"application/json\" id=\"data\">{\"s\":%d,\"v\":[",
           cmp_stable(o));
  for (size_t j = 0; j < v->nv; j++) {
    sc_out_s(&o->w, j ? ",[" : "[");
    out_data(o, v->c->v[j].name);
    sc_out_s(&o->w, ",");
    out_data(o, why_unsupported(&v->c->v[j], why, sizeof why));
    sc_out_s(&o->w, "]");
  }
  sc_out_s(&o->w, "],\n\"c\":[");
  for (size_t i = 0; i < v->nrows; i++) {
    const struct sc_check_result *f = v->rows[v->order[i]].first;
    sc_out_s(&o->w, i ? ",\n[" : "\n[");
    out_data(o, f->id);
    sc_out_f(&o->w, ",\"%s\",", sc_cat_name((enum sc_cat)cmp_cat_ix(f)));
    out_data(o, f->action);
    sc_out_s(&o->w, ",");
    out_data(o, f->requirement);
    sc_out_s(&o->w, ",");
    data_citation(o, f);
    sc_out_s(&o->w, "]");
  }
  sc_out_s(&o->w, "],\n\"r\":[");
  for (size_t i = 0; i < v->nrows; i++)
    for (size_t j = 0; j < v->nv; j++) {
      const struct sc_check_result *c = v->cell[v->order[i] * v->nv + j];
      sc_out_s(&o->w, i || j ? ",\n" : "\n");
      if (!c) {
        sc_out_s(&o->w, "null");
        continue;
      }
      size_t nex = c->ex ? c->nex : 0;
      size_t skip = nex > HTML_EXCHANGES ? nex - HTML_EXCHANGES : 0;
      sc_out_f(&o->w, "[\"%c\",",
               cmp_col_letters[v->col[v->order[i] * v->nv + j]]);
      out_data(o, c->message);
      sc_out_s(&o->w, ",");
      out_data(o, c->expected);
      sc_out_s(&o->w, ",");
      out_data(o, c->actual);
      sc_out_s(&o->w, ",");
      data_citation(o, c);
      sc_out_s(&o->w, ",");
      out_data(o, c->curl);
      sc_out_s(&o->w, ",");
      if (cmp_stable(o)) {
        sc_out_s(&o->w, "null,[],0,");
      } else {
        sc_out_num(&o->w, c->ms, 1, 0);
        sc_out_s(&o->w, ",[");
        for (size_t x = skip; x < nex; x++) {
          if (x > skip)
            sc_out_s(&o->w, ",");
          data_exchange(o, &c->ex[x]);
        }
        sc_out_f(&o->w, "],%zu,", skip);
      }
      data_why(o, c);
      sc_out_s(&o->w, "]");
    }
  sc_out_s(&o->w, "]}</script>\n");
}

int sc_compare_html(const struct sc_compare *c, FILE *out, unsigned flags) {
  struct out o;
  struct view v;

  if (cmp_begin(c, out, flags, !(flags & SC_COMPARE_STABLE), &o, &v))
    return -1;
  sc_out_s(&o.w, html_head);
  sc_out_f(&o.w, "<title>smsconform: %zu vendors, %zu checks</title>\n", v.nv,
           v.nrows);
  sc_out_s(&o.w, html_style);
  sc_out_f(&o.w,
           "<header>\n<h1>Vendor comparison</h1>\n<p>%zu checks, %zu "
           "vendors",
           v.nrows, v.nv);
  if (!cmp_stable(&o) && v.nv && c->v[0].rep.tool) {
    sc_out_s(&o.w, ", ");
    cmp_out_esc(&o, c->v[0].rep.tool, SC_REPORT_ESC_HTML, 80);
  }
  sc_out_s(&o.w,
           ". The score is the share of the applicable checks passed: "
           "PASS and WARN (a variant vendors send) pass, FAIL and ERROR do "
           "not, SKIP, BLOCKED (a step the check needs failed; the check "
           "that owns that step has the finding) and unsupported do not "
           "count.</p>\n</header>\n<section id=\"cards\">\n");
  for (size_t j = 0; j < v.nv; j++)
    html_card(&o, &v, j);
  sc_out_s(&o.w, "</section>\n<h2>Scores</h2>\n");
  svg_scores(&o, &v);
  if (!cmp_stable(&o))
    svg_latency(&o, &v);
  html_categories(&o, &v);
  if (!cmp_stable(&o))
    html_latency(&o, &v);
  html_matrix(&o, &v);
  html_deviations(&o, &v);
  sc_out_s(&o.w, "<aside id=\"panel\" hidden></aside>\n");
  data_island(&o, &v);
  sc_out_s(&o.w, "<script>" PAGE_SCRIPT "</script>\n</body>\n</html>\n");
  return cmp_finish(&o, &v);
}
