/* sc_report_json.c — the run as JSON (schema SC_REPORT_SCHEMA, see
 * sc_report.h): data, not display, so text is escaped losslessly and a body
 * that is not UTF-8 goes as base64. `compare` reads it back
 * (sc_compare_read.c). */
#include "sc_report_int.h"

#include "sc_buf.h"
#include "sc_escape.h"

#include <string.h>

static void json_esc(struct sc_out *o, const char *p, size_t n) {
  rpt_json_esc(o, p, n, 0);
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
  int bin = rpt_body_binary(e);
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
  json_knum(o, 10, "ms", rpt_finite_pos(e->ms), 3, 0);
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
  json_kstr(o, 0, 6, "category", rpt_cat_label(rpt_cat(c)));
  json_kstr(o, 0, 6, "action", c->action);
  json_tags(o, c->tags);
  json_kstr(o, 0, 6, "requirement", c->requirement);
  json_kstr(o, 0, 6, "doc", c->doc);
  json_kstr(o, 0, 6, "section", c->section);
  json_kstr(o, 0, 6, "verdict", sc_verdict_name(rpt_verdict(c)));
  json_kstr(o, 0, 6, "outcome", rpt_oc_names[oc]);
  json_kstr(o, 0, 6, "message", c->message);
  json_kstr(o, 0, 6, "cause", c->cause);
  json_kstr(o, 0, 6, "blocked_by", c->blocked_by);
  if (oc == OC_ERROR && rpt_verdict(c) == SC_VERDICT_BLOCKED)
    json_kstr(o, 0, 6, "unexplained", rpt_unexplained_why(r, c));
  json_key(o, 0, 6, "http_status");
  sc_out_f(o, "%ld", c->http_status);
  json_key(o, 0, 6, "deviations");
  sc_out_s(o, "[");
  for (size_t k = 0; k < rpt_ndevs(c); k++) {
    const struct sc_check_dev *d = &c->devs[k];
    sc_out_s(o, k ? ",\n        {" : "\n        {");
    json_kstr(o, 1, 10, "code", d->code);
    json_kstr(o, 0, 10, "verdict", sc_verdict_name(rpt_dev_verdict(d)));
    json_key(o, 0, 10, "offset");
    sc_out_f(o, "%zu", d->offset);
    json_kstr(o, 0, 10, "message", d->message);
    sc_out_s(o, "\n        }");
  }
  sc_out_s(o, rpt_ndevs(c) ? "\n      ]" : "]");
  json_kstr(o, 0, 6, "expected", c->expected);
  json_kstr(o, 0, 6, "actual", c->actual);
  json_kstr(o, 0, 6, "curl", c->curl);
  json_kbool(o, 6, "baseline", c->baseline);
  if (c->baseline)
    json_kbool(o, 6, "baseline_stale", rpt_stale(c, oc));
  json_knum(o, 6, "ms", rpt_finite_pos(c->ms), 3, 0);
  json_key(o, 0, 6, "exchanges");
  sc_out_s(o, "[");
  for (size_t k = 0; k < rpt_nexchanges(c); k++) {
    sc_out_s(o, k ? ",\n" : "\n");
    json_exchange(o, &c->ex[k]);
  }
  sc_out_s(o, rpt_nexchanges(c) ? "\n      ]" : "]");
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
      const char *b = rpt_gowner(r, v, g, i);
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
      json_str(o, rpt_gres(r, v, g, i)->id);
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
  for (size_t i = 0; i < rpt_nspend(r); i++) {
    const struct sc_spend *s = &r->spend[i];
    sc_out_s(o, i ? ",\n    {" : "\n    {");
    json_kstr(o, 1, 6, "what", s->what);
    json_kstr(o, 0, 6, "id", s->id);
    json_kstr(o, 0, 6, "check", s->check);
    json_key(o, 0, 6, "cost");
    if (rpt_cost_known(s))
      sc_out_num(o, s->cost, 15, 1);
    else
      sc_out_s(o, "null");
    json_kbool(o, 6, "cost_known", rpt_cost_known(s));
    json_kbool(o, 6, "refunded", rpt_spend_state(s) == SC_SPEND_RELEASED);
    json_kstr(o, 0, 6, "state", sc_spend_state_name(rpt_spend_state(s)));
    json_kstr(o, 0, 6, "note", s->note);
    sc_out_s(o, "\n    }");
  }
  sc_out_s(o, rpt_nspend(r) ? "\n  ]" : "]");
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
  for (size_t i = 0; i < rpt_nspend(r); i++)
    if (rpt_spend_state(&r->spend[i]) == SC_SPEND_LEFT_ACTIVE) {
      sc_out_s(o, n++ ? ", " : "");
      json_str(o, r->spend[i].id);
    }
  sc_out_s(o, "]}");
  json_key(o, 0, 4, "max_spend");
  if (rpt_max_spend_set(r))
    sc_out_num(o, r->max_spend, 15, 1);
  else
    sc_out_s(o, "null");
  sc_out_s(o, "\n  }");
}

int sc_report_json(const struct sc_report *r, FILE *out) {
  struct sc_out o;
  struct rview v;
  struct ledger l;

  if (rpt_begin(r, out, &o, &v, &l))
    return -1;
  sc_out_s(&o, "{");
  json_kstr(&o, 1, 2, "schema", SC_REPORT_SCHEMA);
  json_kstr(&o, 0, 2, "tool", r->tool);
  json_kstr(&o, 0, 2, "target", r->target);
  json_kstr(&o, 0, 2, "profile", r->profile);
  json_kstr(&o, 0, 2, "started", r->started);
  json_knum(&o, 2, "seconds", rpt_finite_pos(r->seconds), 3, 0);
  json_key(&o, 0, 2, "requests");
  sc_out_f(&o, "%lu", r->requests);
  json_kbool(&o, 2, "strict", r->strict);
  json_kstr(&o, 0, 2, "verdict", rpt_run_verdict(&v));
  json_key(&o, 0, 2, "counts");
  sc_out_s(&o, "{");
  for (int k = 0; k < SC_VERDICT__COUNT; k++)
    sc_out_f(&o, "%s\"%s\": %zu", k ? ", " : "",
             sc_verdict_name((enum sc_verdict)k), v.verdict[k]);
  sc_out_s(&o, "}");
  json_key(&o, 0, 2, "outcomes");
  sc_out_s(&o, "{");
  for (int k = 0; k < OC__COUNT; k++)
    sc_out_f(&o, "%s\"%s\": %zu", k ? ", " : "", rpt_oc_names[k], v.t[k]);
  sc_out_s(&o, "}");
  json_key(&o, 0, 2, "scope");
  sc_out_s(&o, "{\"unsupported\": [");
  for (size_t i = 0; i < rpt_nunsupported(r); i++) {
    sc_out_s(&o, i ? ", " : "");
    json_str(&o, r->unsupported[i]);
  }
  sc_out_s(&o, "]}");
  json_causes(&o, r, &v);
  json_key(&o, 0, 2, "results");
  sc_out_s(&o, "[");
  for (size_t i = 0; i < rpt_nresults(r); i++) {
    sc_out_s(&o, i ? ",\n" : "\n");
    json_result(&o, r, &r->results[i], (enum outcome)v.oc[i]);
  }
  sc_out_s(&o, rpt_nresults(r) ? "\n  ]" : "]");
  json_ledger(&o, r, &l);
  sc_out_s(&o, "\n}\n");
  rpt_view_free(&v);
  return sc_out_end(&o);
}
