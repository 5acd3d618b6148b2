/* sc_report_junit.c — the run as JUnit XML (see sc_report.h): a testsuite
 * per category, every result a testcase. What does not fail the run but
 * did not pass (SKIP, UNSUPPORTED, an explained BLOCKED, a failure the
 * baseline accepts) is <skipped> with the reason; the run's scope, ledger
 * and purchases are properties of every suite. */
#include "sc_report_int.h"

#include <string.h>

/* Seconds for a time attribute: three decimals, never negative. */
static void out_secs(struct sc_out *o, double s) {
  sc_out_num(o, rpt_finite_pos(s), 3, 0);
}

/* 1 when |s| is an RFC 3339 date-time that xs:dateTime accepts as well:
 * YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM), real calendar dates. */
static int num2(const char *s, int *v) {
  if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
    return 0;
  *v = (s[0] - '0') * 10 + (s[1] - '0');
  return 1;
}

static int is_datetime(const char *s) {
  static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int y1, y2, mo, d, h, mi, se, oh, om;
  if (!s || strlen(s) < 20)
    return 0;
  if (!num2(s, &y1) || !num2(s + 2, &y2) || s[4] != '-' || !num2(s + 5, &mo) ||
      s[7] != '-' || !num2(s + 8, &d) || s[10] != 'T' || !num2(s + 11, &h) ||
      s[13] != ':' || !num2(s + 14, &mi) || s[16] != ':' || !num2(s + 17, &se))
    return 0;
  int y = y1 * 100 + y2;
  int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (y == 0 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] ||
      (mo == 2 && d == 29 && !leap) || h > 23 || mi > 59 || se > 59)
    return 0;
  s += 19;
  if (*s == '.') {
    s++;
    if (*s < '0' || *s > '9')
      return 0;
    while (*s >= '0' && *s <= '9')
      s++;
  }
  if (s[0] == 'Z' && s[1] == '\0')
    return 1;
  if ((s[0] == '+' || s[0] == '-') && num2(s + 1, &oh) && s[3] == ':' &&
      num2(s + 4, &om) && s[6] == '\0')
    return oh < 14 ? om <= 59 : oh == 14 && om == 0;
  return 0;
}

/* "label: value\n" in element content, nothing when |v| is NULL. */
static void xml_line(struct sc_out *o, const char *label, const char *v) {
  if (!v)
    return;
  sc_out_s(o, label);
  sc_out_s(o, ": ");
  rpt_esc(o, v, ESC_XML, 0);
  sc_out_s(o, "\n");
}

/* What a result says, as plain lines: why it did not pass, what the
 * parser found in the answer, what was expected and what came, which
 * document says so, and how to reproduce it. */
static void junit_detail(struct sc_out *o, const struct sc_report *r,
                         const struct sc_check_result *c, enum outcome oc) {
  xml_line(o, "message", c->message);
  xml_line(o, "cause", c->cause);
  if (rpt_verdict(c) == SC_VERDICT_BLOCKED || c->blocked_by) {
    sc_out_s(o, "blocked by: ");
    rpt_blocked_by(o, r, c, oc, ESC_XML, 0);
    sc_out_s(o, "\n");
  }
  if (rpt_status_shown(c))
    sc_out_f(o, "http status: %ld\n", c->http_status);
  for (size_t k = 0; k < rpt_ndevs(c); k++) {
    sc_out_s(o, "deviation: ");
    rpt_dev(o, &c->devs[k], ESC_XML, 0);
    sc_out_s(o, "\n");
  }
  xml_line(o, "expected", c->expected);
  xml_line(o, "actual", c->actual);
  if (c->doc || c->section) {
    sc_out_s(o, "source: ");
    rpt_citation(o, c, ESC_XML, 0);
    sc_out_s(o, "\n");
  }
  xml_line(o, "requirement", c->requirement);
  xml_line(o, "reproduce", c->curl);
}

/* The exchanges, for <system-out>: "> " lines went out, "< " came back. */
static void junit_exchanges(struct sc_out *o, const struct sc_check_result *c) {
  for (size_t k = 0; k < rpt_nexchanges(c); k++) {
    const struct sc_exchange *e = &c->ex[k];
    sc_out_f(o, "exchange %zu:\n&gt; ", k + 1);
    rpt_esc(o, rpt_str_or(e->method, "?"), ESC_XML, 0);
    sc_out_s(o, " ");
    rpt_esc(o, e->url, ESC_XML, 0);
    sc_out_s(o, "\n");
    if (e->request_body) {
      sc_out_s(o, "&gt; ");
      rpt_esc(o, e->request_body, ESC_XML, 0);
      sc_out_s(o, "\n");
    }
    if (e->transport_error) {
      sc_out_s(o, "! ");
      rpt_esc(o, e->transport_error, ESC_XML, 0);
      sc_out_s(o, "\n");
    }
    if (e->status || !e->transport_error) {
      sc_out_f(o, "&lt; %ld ", e->status);
      rpt_esc(o, rpt_str_or(e->content_type, "(no content type)"), ESC_XML, 0);
      sc_out_s(o, " (");
      sc_out_num(o, rpt_finite_pos(e->ms), 1, 0);
      sc_out_f(o, " ms, %zu bytes%s)\n&lt; ", e->body ? e->body_len : 0,
               rpt_body_binary(e) ? ", not UTF-8 text" : "");
      rpt_escn(o, e->body, rpt_body_shown(e), ESC_XML, 0);
      if (rpt_body_cut(e))
        sc_out_s(o, "[truncated]");
      sc_out_s(o, "\n");
    }
  }
}

static void junit_property(struct sc_out *o, const char *name, const char *v) {
  sc_out_s(o, "      <property name=\"");
  sc_out_s(o, name);
  sc_out_s(o, "\" value=\"");
  rpt_esc(o, rpt_str_or(v, ""), ESC_XML_ATTR, 0);
  sc_out_s(o, "\"/>\n");
}

/* The run's scope and ledger as properties: every suite carries them, as
 * it carries the target and the profile. */
static void junit_ledger(struct sc_out *o, const struct sc_report *r,
                         const struct ledger *l) {
  if (rpt_nunsupported(r)) {
    sc_out_s(o, "      <property name=\"unsupported\" value=\"");
    rpt_scope(o, r, ESC_XML_ATTR);
    sc_out_s(o, "\"/>\n");
  }
  if (!rpt_nspend(r) && !rpt_max_spend_set(r))
    return;
  sc_out_s(o, "      <property name=\"ledger\" value=\"");
  rpt_ledger_line(o, r, l, ESC_XML_ATTR, 20);
  sc_out_s(o, "\"/>\n");
  for (size_t i = 0; i < rpt_nspend(r); i++) {
    sc_out_f(o, "      <property name=\"purchase.%zu\" value=\"", i + 1);
    rpt_purchase(o, &r->spend[i], 1, ESC_XML_ATTR);
    sc_out_s(o, "\"/>\n");
  }
}

/* The longest message attribute, in code points. */
#define ATTR_CAP 1000

/* The message attribute of a <skipped>: "unsupported: ...", "blocked by
 * X: ...", "accepted by baseline: ..." or the reason itself. */
static void junit_skipped(struct sc_out *o, const struct sc_report *r,
                          const struct sc_check_result *c, enum outcome oc) {
  enum sc_verdict v = rpt_verdict(c);
  sc_out_s(o, "      <skipped message=\"");
  if (oc == OC_UNSUPPORTED) {
    sc_out_s(o, "unsupported: ");
    rpt_esc(o, rpt_str_or(c->message, "the endpoint does not implement this"),
            ESC_XML_ATTR, ATTR_CAP);
  } else if (oc == OC_BLOCKED) {
    sc_out_s(o, "blocked by ");
    rpt_esc(o, rpt_str_or(c->blocked_by, "(no check named)"), ESC_XML_ATTR,
            200);
    sc_out_s(o, ": ");
    rpt_esc(o, rpt_str_or(c->message, "a step it needs failed"), ESC_XML_ATTR,
            ATTR_CAP);
  } else if (oc == OC_ACCEPTED) {
    sc_out_s(o, "accepted by baseline: ");
    rpt_esc(o, rpt_str_or(c->message, sc_verdict_name(v)), ESC_XML_ATTR,
            ATTR_CAP);
  } else {
    rpt_esc(o, rpt_str_or(c->message, "skipped"), ESC_XML_ATTR, ATTR_CAP);
  }
  sc_out_f(o, "\">verdict: %s\n", sc_verdict_name(v));
  junit_detail(o, r, c, oc);
  sc_out_s(o, "</skipped>\n");
}

static void junit_case(struct sc_out *o, const struct sc_report *r,
                       const struct sc_check_result *c, enum outcome oc) {
  enum sc_verdict v = rpt_verdict(c);

  sc_out_s(o, "    <testcase name=\"");
  rpt_esc(o, rpt_id(c), ESC_XML_ATTR, 0);
  sc_out_s(o, "\" classname=\"smsconform.");
  sc_out_s(o, rpt_cat_label(rpt_cat(c)));
  sc_out_s(o, "\" time=\"");
  out_secs(o, c->ms / 1000.0);
  sc_out_s(o, "\"");
  if (oc == OC_PASS && !c->baseline) {
    sc_out_s(o, "/>\n");
    return;
  }
  sc_out_s(o, ">\n");
  switch (oc) {
  case OC_PASS:
  case OC_WARN:
  case OC__COUNT:
    break;
  case OC_SKIP:
  case OC_UNSUPPORTED:
  case OC_BLOCKED:
  case OC_ACCEPTED:
    junit_skipped(o, r, c, oc);
    break;
  case OC_FAIL:
  case OC_ERROR:
    sc_out_s(o, oc == OC_ERROR ? "      <error message=\""
                               : "      <failure message=\"");
    if (v == SC_VERDICT_BLOCKED) {
      sc_out_s(o, "blocked by ");
      rpt_blocked_by(o, r, c, oc, ESC_XML_ATTR, 200);
      sc_out_s(o, ": ");
    }
    rpt_esc(o, rpt_str_or(c->message, sc_verdict_name(v)), ESC_XML_ATTR,
            ATTR_CAP);
    sc_out_s(o, "\" type=\"");
    sc_out_s(o, v == SC_VERDICT_BLOCKED ? "BLOCKED"
                : oc == OC_ERROR        ? "ERROR"
                : v == SC_VERDICT_WARN  ? "WARNING"
                                        : "DEVIATION");
    sc_out_s(o, "\">");
    if (v == SC_VERDICT_WARN)
      sc_out_s(o, "WARN counts as a failure (--strict)\n");
    if (v == SC_VERDICT_BLOCKED)
      sc_out_s(o, "BLOCKED, and no failure of this run explains it: it "
                  "counts as an error\n");
    junit_detail(o, r, c, oc);
    sc_out_s(o, oc == OC_ERROR ? "</error>\n" : "</failure>\n");
    break;
  }
  sc_out_s(o, "      <system-out>");
  if (oc == OC_WARN) {
    sc_out_s(o, "WARN\n");
    junit_detail(o, r, c, oc);
  }
  if (rpt_stale(c, oc))
    sc_out_s(o, "in the baseline, but does not fail now: the entry can go\n");
  junit_exchanges(o, c);
  sc_out_s(o, "</system-out>\n    </testcase>\n");
}

int sc_report_junit(const struct sc_report *r, FILE *out) {
  struct sc_out o;
  struct rview v;
  struct ledger l;

  if (rpt_begin(r, out, &o, &v, &l))
    return -1;
  sc_out_s(&o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  sc_out_f(&o,
           "<testsuites name=\"smsconform\" tests=\"%zu\" failures=\"%zu\" "
           "errors=\"%zu\" skipped=\"%zu\" time=\"",
           rpt_nresults(r), v.t[OC_FAIL], v.t[OC_ERROR],
           v.t[OC_SKIP] + v.t[OC_UNSUPPORTED] + v.t[OC_BLOCKED] +
               v.t[OC_ACCEPTED]);
  out_secs(&o, r->seconds);
  sc_out_s(&o, "\">\n");
  for (size_t k = 0; k <= SC_CAT__COUNT; k++) {
    const size_t *n = v.cat[k];
    if (!v.ncat[k])
      continue;
    sc_out_s(&o, "  <testsuite name=\"");
    sc_out_s(&o, rpt_cat_label(k));
    sc_out_f(&o,
             "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\" "
             "time=\"",
             v.ncat[k], n[OC_FAIL], n[OC_ERROR],
             n[OC_SKIP] + n[OC_UNSUPPORTED] + n[OC_BLOCKED] + n[OC_ACCEPTED]);
    out_secs(&o, v.cat_ms[k] / 1000.0);
    sc_out_s(&o, "\"");
    if (is_datetime(r->started)) {
      sc_out_s(&o, " timestamp=\"");
      sc_out_s(&o, r->started);
      sc_out_s(&o, "\"");
    }
    sc_out_s(&o, ">\n    <properties>\n");
    junit_property(&o, "tool", r->tool);
    junit_property(&o, "target", r->target);
    junit_property(&o, "profile", r->profile);
    junit_property(&o, "started", r->started);
    junit_property(&o, "strict", r->strict ? "true" : "false");
    junit_ledger(&o, r, &l);
    sc_out_s(&o, "    </properties>\n");
    for (size_t i = 0; i < rpt_nresults(r); i++)
      if (rpt_cat(&r->results[i]) == k)
        junit_case(&o, r, &r->results[i], (enum outcome)v.oc[i]);
    sc_out_s(&o, "  </testsuite>\n");
  }
  sc_out_s(&o, "</testsuites>\n");
  rpt_view_free(&v);
  return sc_out_end(&o);
}
