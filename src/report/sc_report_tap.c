/* sc_report_tap.c — the run as TAP 14 (see sc_report.h): the findings by
 * cause as comments, then a test point per result, with a YAML block for
 * every result that did not pass, and the ledger as comments. */
#include "sc_report_int.h"

/* key: "value" at |indent| spaces, nothing when |v| is NULL. */
static void yaml_str(struct sc_out *o, int indent, const char *key,
                     const char *v) {
  if (!v)
    return;
  sc_out_f(o, "%*s%s: \"", indent, "", key);
  rpt_esc(o, v, ESC_YAML, 0);
  sc_out_s(o, "\"\n");
}

static const char *severity(const struct sc_check_result *c, enum outcome oc) {
  if (oc == OC_ERROR)
    return "error";
  switch (rpt_verdict(c)) {
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
  enum sc_verdict v = rpt_verdict(c);

  sc_out_s(o, "  ---\n");
  sc_out_f(o, "  severity: %s\n", severity(c, oc));
  sc_out_f(o, "  verdict: %s\n", sc_verdict_name(v));
  if (v == SC_VERDICT_WARN && r->strict)
    sc_out_s(o, "  strict: true\n");
  if (c->baseline)
    sc_out_s(o, "  baseline: true\n");
  if (rpt_stale(c, oc))
    sc_out_s(o, "  baseline_stale: true\n");
  sc_out_f(o, "  category: %s\n", rpt_cat_label(rpt_cat(c)));
  yaml_str(o, 2, "action", c->action);
  yaml_str(o, 2, "message", c->message);
  yaml_str(o, 2, "cause", c->cause);
  yaml_str(o, 2, "blocked_by", c->blocked_by);
  if (oc == OC_ERROR && v == SC_VERDICT_BLOCKED)
    yaml_str(o, 2, "unexplained", rpt_unexplained_why(r, c));
  if (rpt_status_shown(c))
    sc_out_f(o, "  http_status: %ld\n", c->http_status);
  if (rpt_ndevs(c))
    sc_out_s(o, "  deviations:\n");
  for (size_t k = 0; k < rpt_ndevs(c); k++) {
    const struct sc_check_dev *d = &c->devs[k];
    sc_out_s(o, "    - code: \"");
    rpt_esc(o, rpt_str_or(d->code, "?"), ESC_YAML, 0);
    sc_out_f(o, "\"\n      verdict: %s\n      offset: %zu\n",
             sc_verdict_name(rpt_dev_verdict(d)), d->offset);
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
  sc_out_num(o, rpt_finite_pos(c->ms), 3, 0);
  sc_out_s(o, "\n");
  if (rpt_nexchanges(c))
    sc_out_s(o, "  exchanges:\n");
  for (size_t k = 0; k < rpt_nexchanges(c); k++) {
    const struct sc_exchange *e = &c->ex[k];
    sc_out_s(o, "    - method: \"");
    rpt_esc(o, rpt_str_or(e->method, "?"), ESC_YAML, 0);
    sc_out_s(o, "\"\n");
    yaml_str(o, 6, "url", e->url);
    yaml_str(o, 6, "request_body", e->request_body);
    sc_out_f(o, "      status: %ld\n", e->status);
    yaml_str(o, 6, "content_type", e->content_type);
    if (e->body) {
      sc_out_s(o, "      body: \"");
      rpt_escn(o, e->body, rpt_body_shown(e), ESC_YAML, 0);
      sc_out_s(o, "\"\n");
      sc_out_f(o, "      body_len: %zu\n", e->body_len);
      if (rpt_body_binary(e))
        sc_out_s(o, "      body_binary: true\n");
      if (rpt_body_cut(e))
        sc_out_s(o, "      body_truncated: true\n");
    }
    yaml_str(o, 6, "transport_error", e->transport_error);
    sc_out_s(o, "      ms: ");
    sc_out_num(o, rpt_finite_pos(e->ms), 3, 0);
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

  if (rpt_begin(r, out, &o, &v, &l))
    return -1;
  sc_out_s(&o, "TAP version 14\n");
  if (rpt_nresults(r))
    sc_out_f(&o, "1..%zu\n", rpt_nresults(r));
  else
    sc_out_s(&o, "1..0 # SKIP no checks were run\n");
  sc_out_s(&o, "# ");
  rpt_esc(&o, rpt_str_or(r->tool, "smsconform"), ESC_TAP, 200);
  sc_out_s(&o, ": ");
  rpt_esc(&o, rpt_str_or(r->target, "(no target)"), ESC_TAP, 200);
  sc_out_s(&o, ", profile ");
  rpt_esc(&o, rpt_str_or(r->profile, "(none)"), ESC_TAP, 200);
  sc_out_s(&o, r->strict ? ", strict\n" : "\n");
  if (rpt_nunsupported(r)) {
    sc_out_s(&o, "# scope: the endpoint does not implement ");
    rpt_scope(&o, r, ESC_TAP);
    sc_out_s(&o, "\n");
  }
  if (v.ng)
    sc_out_f(&o, "# findings by cause (%zu):\n", v.ng);
  for (size_t k = 0; k < v.ng && k < TAP_CAUSES; k++) {
    const struct cgroup *g = &v.g[k];
    sc_out_f(&o, "#   %zu ", g->n);
    rpt_glabel(&o, r, &v, g, 1, ESC_TAP, 200);
    sc_out_s(&o, ": ");
    rpt_gverdicts(&o, g);
    if (rpt_gowners(NULL, r, &v, g, ESC_TAP, 0)) {
      sc_out_s(&o, ", blocked by ");
      rpt_gowners(&o, r, &v, g, ESC_TAP, 3);
    }
    if (!g->by_id) {
      sc_out_s(&o, " (");
      rpt_gids(&o, r, &v, g, ESC_TAP, 3);
      sc_out_s(&o, ")");
    }
    sc_out_s(&o, "\n");
  }
  if (v.ng > TAP_CAUSES)
    sc_out_f(&o, "#   \xE2\x80\xA6 and %zu more causes\n", v.ng - TAP_CAUSES);
  for (size_t i = 0; i < rpt_nresults(r); i++) {
    const struct sc_check_result *c = &r->results[i];
    enum outcome oc = (enum outcome)v.oc[i];
    int ok = oc == OC_PASS || oc == OC_SKIP || oc == OC_WARN ||
             oc == OC_UNSUPPORTED || oc == OC_BLOCKED;
    sc_out_f(&o, "%s %zu - ", ok ? "ok" : "not ok", i + 1);
    rpt_esc(&o, rpt_id(c), ESC_TAP, 0);
    if (oc == OC_SKIP) {
      sc_out_s(&o, " # SKIP ");
      rpt_esc(&o, rpt_str_or(c->message, "skipped"), ESC_TAP, 0);
    } else if (oc == OC_UNSUPPORTED) {
      sc_out_s(&o, " # SKIP unsupported: ");
      rpt_esc(&o,
              rpt_str_or(c->message, "the endpoint does not implement this"),
              ESC_TAP, 0);
    } else if (oc == OC_BLOCKED) {
      sc_out_s(&o, " # SKIP blocked by ");
      rpt_esc(&o, rpt_str_or(c->blocked_by, "(no check named)"), ESC_TAP, 0);
      sc_out_s(&o, ": ");
      rpt_esc(&o, rpt_str_or(c->message, "a step it needs failed"), ESC_TAP, 0);
    } else if (oc == OC_ACCEPTED) {
      sc_out_s(&o, " # TODO accepted by baseline: ");
      rpt_esc(&o, rpt_str_or(c->message, sc_verdict_name(rpt_verdict(c))),
              ESC_TAP, 0);
    }
    sc_out_s(&o, "\n");
    if (oc != OC_PASS || c->baseline)
      tap_yaml(&o, r, c, oc);
  }
  if (rpt_nspend(r) || rpt_max_spend_set(r)) {
    sc_out_s(&o, "# ledger: ");
    rpt_ledger_line(&o, r, &l, ESC_TAP, 20);
    sc_out_s(&o, "\n");
  }
  for (size_t i = 0; i < rpt_nspend(r); i++) {
    sc_out_s(&o, "# purchase ");
    rpt_purchase(&o, &r->spend[i], 1, ESC_TAP);
    sc_out_s(&o, "\n");
  }
  rpt_view_free(&v);
  return sc_out_end(&o);
}
