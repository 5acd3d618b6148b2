/* sc_report.c — report writers (see sc_report.h): JUnit XML, TAP 14, JSON,
 * Markdown and one self-contained HTML file.
 *
 * Every writer stages its output in one sc_buf and hands it to the FILE in
 * chunks, so an allocation failure and a write failure end the same way:
 * the writer stops producing, and returns -1. Nothing here allocates except
 * that buffer.
 *
 * Untrusted text (anything that came from an endpoint, and to be safe every
 * string of the model) goes through out_esc() with the escaping rules of
 * the format. The display formats share one rule for what cannot be shown
 * as it is: a byte that is not text (a control character, or a byte of
 * invalid UTF-8) is written as the four characters \xNN, and a code point
 * that is valid but invisible or misleading on screen (C1 controls,
 * zero-width and bidirectional marks, line/paragraph separators, the byte
 * order mark, U+FFFE/U+FFFF) as \uNNNN. JSON is data, not display: there
 * text is escaped losslessly and a body that is not UTF-8 goes as base64.
 *
 * How a verdict counts in this run (its outcome) depends on the run's
 * options: with r->strict a WARN blocks like a FAIL, and a blocking result
 * whose check is in the baseline (c->baseline) is reported but accepted. */
#include "sc_report.h"

#include "sc_alloc.h"
#include "sc_buf.h"
#include "sc_escape.h"
#include "sc_out.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* ---------------------------------------------------------------- model */

const char *sc_cat_name(enum sc_cat c) {
  switch (c) {
#define SC_CAT_NAME(name, str)                                                 \
  case SC_CAT_##name:                                                          \
    return str;
    SC_CAT_MAP(SC_CAT_NAME)
#undef SC_CAT_NAME
  case SC_CAT__COUNT:
    break;
  }
  return "unknown";
}

/* A verdict outside the enum is a runner bug; it is reported as ERROR
 * rather than trusted as an index. */
static enum sc_verdict verdict_of(const struct sc_check_result *c) {
  return (unsigned)c->verdict < SC_VERDICT__COUNT ? c->verdict
                                                  : SC_VERDICT_ERROR;
}

/* Category index, SC_CAT__COUNT standing for "unknown". */
static size_t cat_of(const struct sc_check_result *c) {
  return (unsigned)c->cat < SC_CAT__COUNT ? (size_t)c->cat : SC_CAT__COUNT;
}

static const char *cat_label(size_t k) {
  return sc_cat_name((enum sc_cat)k);
}

void sc_report_count(struct sc_report *r) {
  if (!r)
    return;
  memset(r->counts, 0, sizeof(r->counts));
  for (size_t i = 0; r->results && i < r->nresults; i++)
    r->counts[verdict_of(&r->results[i])]++;
}

void sc_exchange_free(struct sc_exchange *e) {
  sc_free(e->method);
  sc_free(e->url);
  sc_free(e->request_body);
  sc_free(e->request_auth);
  sc_free(e->content_type);
  sc_free(e->body);
  sc_free(e->transport_error);
}

void sc_check_result_free(struct sc_check_result *c) {
  sc_free(c->id);
  sc_free(c->action);
  sc_free(c->tags);
  sc_free(c->requirement);
  sc_free(c->doc);
  sc_free(c->section);
  sc_free(c->message);
  sc_free(c->expected);
  sc_free(c->actual);
  sc_free(c->curl);
  for (size_t k = 0; c->ex && k < c->nex; k++)
    sc_exchange_free(&c->ex[k]);
  sc_free(c->ex);
  memset(c, 0, sizeof *c);
}

void sc_report_free(struct sc_report *r) {
  if (!r)
    return;
  for (size_t i = 0; r->results && i < r->nresults; i++)
    sc_check_result_free(&r->results[i]);
  sc_free(r->results);
  for (size_t i = 0; r->spend && i < r->nspend; i++) {
    sc_free(r->spend[i].what);
    sc_free(r->spend[i].id);
  }
  sc_free(r->spend);
  sc_free(r->tool);
  sc_free(r->target);
  sc_free(r->profile);
  sc_free(r->started);
  memset(r, 0, sizeof(*r));
}

/* What a result counts as in this run. */
#define OC_MAP(X)                                                              \
  X(PASS)                                                                      \
  X(SKIP)                                                                      \
  X(WARN)                                                                      \
  X(FAIL)                                                                      \
  X(ERROR)                                                                     \
  X(ACCEPTED)

enum outcome {
#define OC_ENUM(name) OC_##name,
  OC_MAP(OC_ENUM)
#undef OC_ENUM
  OC__COUNT
};

static const char *const oc_names[] = {
#define OC_NAME(name) #name,
    OC_MAP(OC_NAME)
#undef OC_NAME
};

/* FAIL and ERROR block a run, and so does WARN under --strict (then it is
 * OC_FAIL); a blocking result accepted by the baseline is OC_ACCEPTED. */
static enum outcome outcome_of(const struct sc_report *r,
                               const struct sc_check_result *c) {
  enum sc_verdict v = verdict_of(c);
  int blocking = v == SC_VERDICT_FAIL || v == SC_VERDICT_ERROR ||
                 (v == SC_VERDICT_WARN && r->strict);
  if (blocking && c->baseline)
    return OC_ACCEPTED;
  switch (v) {
  case SC_VERDICT_PASS:
    return OC_PASS;
  case SC_VERDICT_SKIP:
    return OC_SKIP;
  case SC_VERDICT_WARN:
    return r->strict ? OC_FAIL : OC_WARN;
  case SC_VERDICT_FAIL:
    return OC_FAIL;
  default:
    return OC_ERROR;
  }
}

int sc_report_blocks(const struct sc_report *r,
                     const struct sc_check_result *c) {
  enum outcome oc = outcome_of(r, c);
  return oc == OC_FAIL || oc == OC_ERROR;
}

size_t sc_report_blockers(const struct sc_report *r) {
  size_t n = 0;
  for (size_t i = 0; i < r->nresults; i++)
    n += (size_t)sc_report_blocks(r, &r->results[i]);
  return n;
}

/* Outcomes per category (the last row: unknown categories). */
struct tally {
  size_t cat[SC_CAT__COUNT + 1][OC__COUNT];
  size_t ncat[SC_CAT__COUNT + 1];
  size_t oc[OC__COUNT];
  size_t verdict[SC_VERDICT__COUNT];
  double cat_ms[SC_CAT__COUNT + 1];
};

static size_t nresults(const struct sc_report *r) {
  return r->results ? r->nresults : 0;
}

static size_t nexchanges(const struct sc_check_result *c) {
  return c->ex ? c->nex : 0;
}

static double finite_pos(double v) {
  return isfinite(v) && v > 0 ? v : 0;
}

static void tally(const struct sc_report *r, struct tally *t) {
  memset(t, 0, sizeof(*t));
  for (size_t i = 0; i < nresults(r); i++) {
    const struct sc_check_result *c = &r->results[i];
    enum outcome o = outcome_of(r, c);
    t->cat[cat_of(c)][o]++;
    t->ncat[cat_of(c)]++;
    t->oc[o]++;
    t->verdict[verdict_of(c)]++;
    t->cat_ms[cat_of(c)] += finite_pos(c->ms);
  }
}

/* The run's verdict: the worst outcome, an accepted or skipped result
 * counting as passed. */
static const char *run_verdict(const struct tally *t) {
  if (t->oc[OC_ERROR])
    return "ERROR";
  if (t->oc[OC_FAIL])
    return "FAIL";
  if (t->oc[OC_WARN])
    return "WARN";
  return "PASS";
}

static const char *str_or(const char *s, const char *dflt) {
  return s ? s : dflt;
}

/* A check's name where one is required (JUnit, TAP): never empty. */
static const char *id_of(const struct sc_check_result *c) {
  return c->id && *c->id ? c->id : "(no id)";
}

/* --------------------------------------------------------------- output */

/* Seconds for a time attribute: three decimals, never negative. */
static void out_secs(struct sc_out *o, double s) {
  sc_out_num(o, finite_pos(s), 3, 0);
}

/* ------------------------------------------------------------- escaping */

enum esc {
  ESC_XML,      /* XML element content */
  ESC_XML_ATTR, /* XML attribute value between double quotes */
  ESC_HTML,     /* HTML text or attribute value between double quotes */
  ESC_MD,       /* Markdown text on one line, table cells included */
  ESC_YAML,     /* inside a YAML double-quoted scalar */
  ESC_TAP,      /* a TAP description or directive reason */
  ESC_LINE,     /* one line of plain text (a Markdown code block) */
  ESC_TEXT      /* plain text with its line breaks (shown by textContent) */
};

/* Decodes the unit at |u[i]|: its length with |*cp| set, or 0 when the
 * byte starts no valid UTF-8 sequence (|*cp| is then the byte). */
static size_t decode(const unsigned char *u, size_t n, size_t i,
                     unsigned long *cp) {
  size_t bad, l;
  *cp = u[i];
  if (u[i] < 0x80)
    return 1;
  l = sc_utf8_seq(u, n, i, &bad);
  if (l == 2)
    *cp = (u[i] & 0x1FUL) << 6 | (u[i + 1] & 0x3FUL);
  else if (l == 3)
    *cp =
        (u[i] & 0x0FUL) << 12 | (u[i + 1] & 0x3FUL) << 6 | (u[i + 2] & 0x3FUL);
  else if (l == 4)
    *cp = (u[i] & 0x07UL) << 18 | (u[i + 1] & 0x3FUL) << 12 |
          (u[i + 2] & 0x3FUL) << 6 | (u[i + 3] & 0x3FUL);
  return l;
}

/* Valid code points that show as nothing or reorder what follows: C1
 * controls, zero-width and bidi marks, line and paragraph separators,
 * bidi embeddings and isolates, the BOM, and the two BMP noncharacters
 * that XML 1.0 excludes. */
static int invisible(unsigned long cp) {
  return (cp >= 0x80 && cp <= 0x9F) || (cp >= 0x200B && cp <= 0x200F) ||
         (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x2069) ||
         cp == 0xFEFF || cp == 0xFFFE || cp == 0xFFFF;
}

/* The replacement for one unit in mode |m|, or NULL to copy it as it is
 * (a tab or newline "replaced" by itself is kept as well). |bad|: the unit
 * is a byte of invalid UTF-8. */
static const char *esc_one(enum esc m, unsigned long cp, int bad,
                           char tmp[32]) {
  /* a literal backslash in the output text */
  const char *bs = m == ESC_MD || m == ESC_TAP || m == ESC_YAML ? "\\\\" : "\\";

  if (bad) {
    snprintf(tmp, 32, "%sx%02lx", bs, cp);
    return tmp;
  }
  if (cp == '\t' || cp == '\n' || cp == '\r') {
    static const char *const ws[][3] = {
        /* tab       newline   carriage return */
        [ESC_XML] = {"\t", "\n", "&#13;"},
        [ESC_XML_ATTR] = {"&#9;", "&#10;", "&#13;"},
        [ESC_HTML] = {"\t", "\n", NULL},
        [ESC_MD] = {" ", "<br>", NULL},
        [ESC_YAML] = {"\\t", "\\n", "\\r"},
        [ESC_TAP] = {NULL, NULL, NULL},
        [ESC_LINE] = {"\t", NULL, NULL},
        [ESC_TEXT] = {"\t", "\n", NULL},
    };
    const char *w = ws[m][cp == '\t' ? 0 : cp == '\n' ? 1 : 2];
    if (w)
      return w;
  }
  if (cp < 0x20 || cp == 0x7F) {
    /* YAML has its own \xNN escape: the character itself, losslessly */
    snprintf(tmp, 32, "%sx%02lx", m == ESC_YAML ? "\\" : bs, cp);
    return tmp;
  }
  if (cp < 0x80) {
    switch (m) {
    case ESC_XML:
    case ESC_XML_ATTR:
    case ESC_HTML:
    case ESC_MD:
      if (cp == '&')
        return "&amp;";
      if (cp == '<')
        return "&lt;";
      if (cp == '>')
        return "&gt;";
      if (m == ESC_MD) {
        if (strchr("\\`*_[]|~@$", (int)cp)) {
          tmp[0] = '\\';
          tmp[1] = (char)cp;
          tmp[2] = '\0';
          return tmp;
        }
        return NULL;
      }
      if (m == ESC_XML)
        return NULL;
      if (cp == '"')
        return "&quot;";
      if (cp == '\'')
        return m == ESC_HTML ? "&#39;" : "&apos;";
      return NULL;
    case ESC_YAML:
      if (cp == '"')
        return "\\\"";
      if (cp == '\\')
        return "\\\\";
      return NULL;
    case ESC_TAP:
      if (cp == '#')
        return "\\#";
      if (cp == '\\')
        return "\\\\";
      return NULL;
    case ESC_LINE:
    case ESC_TEXT:
      return NULL;
    }
    return NULL;
  }
  if (invisible(cp)) {
    snprintf(tmp, 32, "%su%04lx", m == ESC_YAML ? "\\" : bs, cp);
    return tmp;
  }
  return NULL;
}

/* Appends [s, s+n) escaped for |m|. When |cap| is not 0 at most |cap| code
 * points are shown, then an ellipsis. NULL |s| writes nothing. */
static void out_escn(struct sc_out *o, const char *s, size_t n, enum esc m,
                     size_t cap) {
  const unsigned char *u = (const unsigned char *)s;
  size_t i = 0, run = 0, shown = 0;
  char tmp[32];

  if (!s)
    return;
  while (i < n) {
    unsigned long cp;
    if (cap && shown == cap) {
      sc_out_n(o, s + i - run, run);
      sc_out_s(o, "\xE2\x80\xA6"); /* U+2026 */
      return;
    }
    shown++;
    size_t l = decode(u, n, i, &cp);
    const char *rep = esc_one(m, cp, l == 0, tmp);
    if (l == 0)
      l = 1;
    if (rep) {
      sc_out_n(o, s + i - run, run);
      run = 0;
      sc_out_s(o, rep);
    } else {
      run += l;
    }
    i += l;
  }
  sc_out_n(o, s + n - run, run);
}

static void out_esc(struct sc_out *o, const char *s, enum esc m, size_t cap) {
  if (s)
    out_escn(o, s, strlen(s), m, cap);
}

/* A body as displayed: at most SC_REPORT_BODY_MAX bytes even if the runner
 * kept more. */
static size_t body_shown(const struct sc_exchange *e) {
  if (!e->body)
    return 0;
  return e->body_len > SC_REPORT_BODY_MAX ? SC_REPORT_BODY_MAX : e->body_len;
}

static int body_cut(const struct sc_exchange *e) {
  return e->body_truncated || (e->body && e->body_len > SC_REPORT_BODY_MAX);
}

/* 1 when the body is not UTF-8 text (NUL bytes or invalid sequences). */
static int body_binary(const struct sc_exchange *e) {
  return e->body && sc_utf8_check(e->body, e->body_len) != (size_t)-1;
}

/* "doc § section", or whichever half is there. */
static void out_citation(struct sc_out *o, const struct sc_check_result *c,
                         enum esc m, size_t cap) {
  out_esc(o, c->doc, m, cap);
  if (c->doc && c->section)
    sc_out_s(o, " \xC2\xA7 "); /* § */
  out_esc(o, c->section, m, cap);
}

/* -------------------------------------------------------------- JUnit */

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
  out_esc(o, v, ESC_XML, 0);
  sc_out_s(o, "\n");
}

/* What a deviation says, as plain lines: what was expected, what came,
 * which document says so, and how to reproduce it. */
static void junit_detail(struct sc_out *o, const struct sc_check_result *c) {
  xml_line(o, "message", c->message);
  xml_line(o, "expected", c->expected);
  xml_line(o, "actual", c->actual);
  if (c->doc || c->section) {
    sc_out_s(o, "source: ");
    out_citation(o, c, ESC_XML, 0);
    sc_out_s(o, "\n");
  }
  xml_line(o, "requirement", c->requirement);
  xml_line(o, "reproduce", c->curl);
}

/* The exchanges, for <system-out>: "> " lines went out, "< " came back. */
static void junit_exchanges(struct sc_out *o, const struct sc_check_result *c) {
  for (size_t k = 0; k < nexchanges(c); k++) {
    const struct sc_exchange *e = &c->ex[k];
    sc_out_f(o, "exchange %zu:\n&gt; ", k + 1);
    out_esc(o, str_or(e->method, "?"), ESC_XML, 0);
    sc_out_s(o, " ");
    out_esc(o, e->url, ESC_XML, 0);
    sc_out_s(o, "\n");
    if (e->request_body) {
      sc_out_s(o, "&gt; ");
      out_esc(o, e->request_body, ESC_XML, 0);
      sc_out_s(o, "\n");
    }
    if (e->transport_error) {
      sc_out_s(o, "! ");
      out_esc(o, e->transport_error, ESC_XML, 0);
      sc_out_s(o, "\n");
    }
    if (e->status || !e->transport_error) {
      sc_out_f(o, "&lt; %ld ", e->status);
      out_esc(o, str_or(e->content_type, "(no content type)"), ESC_XML, 0);
      sc_out_s(o, " (");
      sc_out_num(o, finite_pos(e->ms), 1, 0);
      sc_out_f(o, " ms, %zu bytes%s)\n&lt; ", e->body ? e->body_len : 0,
               body_binary(e) ? ", not UTF-8 text" : "");
      out_escn(o, e->body, body_shown(e), ESC_XML, 0);
      if (body_cut(e))
        sc_out_s(o, "[truncated]");
      sc_out_s(o, "\n");
    }
  }
}

static void junit_property(struct sc_out *o, const char *name, const char *v) {
  sc_out_s(o, "      <property name=\"");
  sc_out_s(o, name);
  sc_out_s(o, "\" value=\"");
  out_esc(o, str_or(v, ""), ESC_XML_ATTR, 0);
  sc_out_s(o, "\"/>\n");
}

/* The longest message attribute, in code points. */
#define ATTR_CAP 1000

static void junit_case(struct sc_out *o, const struct sc_report *r,
                       const struct sc_check_result *c) {
  enum outcome oc = outcome_of(r, c);
  enum sc_verdict v = verdict_of(c);

  sc_out_s(o, "    <testcase name=\"");
  out_esc(o, id_of(c), ESC_XML_ATTR, 0);
  sc_out_s(o, "\" classname=\"smsconform.");
  sc_out_s(o, cat_label(cat_of(c)));
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
    break;
  case OC_SKIP:
    sc_out_s(o, "      <skipped message=\"");
    out_esc(o, str_or(c->message, "skipped"), ESC_XML_ATTR, ATTR_CAP);
    sc_out_s(o, "\"/>\n");
    break;
  case OC_ACCEPTED:
    sc_out_s(o, "      <skipped message=\"accepted by baseline: ");
    out_esc(o, str_or(c->message, sc_verdict_name(v)), ESC_XML_ATTR, ATTR_CAP);
    sc_out_s(o, "\">");
    sc_out_f(o, "verdict: %s\n", sc_verdict_name(v));
    junit_detail(o, c);
    sc_out_s(o, "</skipped>\n");
    break;
  case OC_FAIL:
  case OC_ERROR:
    sc_out_s(o, oc == OC_ERROR ? "      <error message=\""
                               : "      <failure message=\"");
    out_esc(o, str_or(c->message, sc_verdict_name(v)), ESC_XML_ATTR, ATTR_CAP);
    sc_out_s(o, "\" type=\"");
    sc_out_s(o, oc == OC_ERROR         ? "ERROR"
                : v == SC_VERDICT_WARN ? "WARNING"
                                       : "DEVIATION");
    sc_out_s(o, "\">");
    if (v == SC_VERDICT_WARN)
      sc_out_s(o, "WARN counts as a failure (--strict)\n");
    junit_detail(o, c);
    sc_out_s(o, oc == OC_ERROR ? "</error>\n" : "</failure>\n");
    break;
  case OC_WARN:
  case OC__COUNT:
    break;
  }
  sc_out_s(o, "      <system-out>");
  if (oc == OC_WARN) {
    sc_out_s(o, "WARN\n");
    junit_detail(o, c);
  }
  if (oc == OC_PASS)
    sc_out_s(o, "in the baseline, but passes now: the entry can go\n");
  junit_exchanges(o, c);
  sc_out_s(o, "</system-out>\n    </testcase>\n");
}

int sc_report_junit(const struct sc_report *r, FILE *out) {
  struct sc_out o;
  struct tally t;

  if (!r || !out)
    return -1;
  sc_out_init(&o, out);
  tally(r, &t);
  sc_out_s(&o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  sc_out_f(&o,
           "<testsuites name=\"smsconform\" tests=\"%zu\" failures=\"%zu\" "
           "errors=\"%zu\" skipped=\"%zu\" time=\"",
           nresults(r), t.oc[OC_FAIL], t.oc[OC_ERROR],
           t.oc[OC_SKIP] + t.oc[OC_ACCEPTED]);
  out_secs(&o, r->seconds);
  sc_out_s(&o, "\">\n");
  for (size_t k = 0; k <= SC_CAT__COUNT; k++) {
    const size_t *n = t.cat[k];
    if (!t.ncat[k])
      continue;
    sc_out_s(&o, "  <testsuite name=\"");
    sc_out_s(&o, cat_label(k));
    sc_out_f(&o,
             "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\" "
             "time=\"",
             t.ncat[k], n[OC_FAIL], n[OC_ERROR], n[OC_SKIP] + n[OC_ACCEPTED]);
    out_secs(&o, t.cat_ms[k] / 1000.0);
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
    sc_out_s(&o, "    </properties>\n");
    for (size_t i = 0; i < nresults(r); i++)
      if (cat_of(&r->results[i]) == k)
        junit_case(&o, r, &r->results[i]);
    sc_out_s(&o, "  </testsuite>\n");
  }
  sc_out_s(&o, "</testsuites>\n");
  return sc_out_end(&o);
}

/* ---------------------------------------------------------------- TAP */

/* key: "value" at |indent| spaces, nothing when |v| is NULL. */
static void yaml_str(struct sc_out *o, int indent, const char *key,
                     const char *v) {
  if (!v)
    return;
  sc_out_f(o, "%*s%s: \"", indent, "", key);
  out_esc(o, v, ESC_YAML, 0);
  sc_out_s(o, "\"\n");
}

static void tap_yaml(struct sc_out *o, const struct sc_report *r,
                     const struct sc_check_result *c) {
  enum sc_verdict v = verdict_of(c);

  sc_out_s(o, "  ---\n");
  sc_out_f(o, "  severity: %s\n",
           v == SC_VERDICT_WARN    ? "warn"
           : v == SC_VERDICT_ERROR ? "error"
                                   : "fail");
  sc_out_f(o, "  verdict: %s\n", sc_verdict_name(v));
  if (v == SC_VERDICT_WARN && r->strict)
    sc_out_s(o, "  strict: true\n");
  if (c->baseline)
    sc_out_s(o, "  baseline: true\n");
  sc_out_f(o, "  category: %s\n", cat_label(cat_of(c)));
  yaml_str(o, 2, "action", c->action);
  yaml_str(o, 2, "message", c->message);
  yaml_str(o, 2, "expected", c->expected);
  yaml_str(o, 2, "actual", c->actual);
  yaml_str(o, 2, "doc", c->doc);
  yaml_str(o, 2, "section", c->section);
  yaml_str(o, 2, "requirement", c->requirement);
  yaml_str(o, 2, "curl", c->curl);
  yaml_str(o, 2, "tags", c->tags);
  sc_out_s(o, "  ms: ");
  sc_out_num(o, finite_pos(c->ms), 3, 0);
  sc_out_s(o, "\n");
  if (nexchanges(c))
    sc_out_s(o, "  exchanges:\n");
  for (size_t k = 0; k < nexchanges(c); k++) {
    const struct sc_exchange *e = &c->ex[k];
    sc_out_s(o, "    - method: \"");
    out_esc(o, str_or(e->method, "?"), ESC_YAML, 0);
    sc_out_s(o, "\"\n");
    yaml_str(o, 6, "url", e->url);
    yaml_str(o, 6, "request_body", e->request_body);
    sc_out_f(o, "      status: %ld\n", e->status);
    yaml_str(o, 6, "content_type", e->content_type);
    if (e->body) {
      sc_out_s(o, "      body: \"");
      out_escn(o, e->body, body_shown(e), ESC_YAML, 0);
      sc_out_s(o, "\"\n");
      sc_out_f(o, "      body_len: %zu\n", e->body_len);
      if (body_binary(e))
        sc_out_s(o, "      body_binary: true\n");
      if (body_cut(e))
        sc_out_s(o, "      body_truncated: true\n");
    }
    yaml_str(o, 6, "transport_error", e->transport_error);
    sc_out_s(o, "      ms: ");
    sc_out_num(o, finite_pos(e->ms), 3, 0);
    sc_out_s(o, "\n");
  }
  sc_out_s(o, "  ...\n");
}

int sc_report_tap(const struct sc_report *r, FILE *out) {
  struct sc_out o;

  if (!r || !out)
    return -1;
  sc_out_init(&o, out);
  sc_out_s(&o, "TAP version 14\n");
  if (nresults(r))
    sc_out_f(&o, "1..%zu\n", nresults(r));
  else
    sc_out_s(&o, "1..0 # SKIP no checks were run\n");
  sc_out_s(&o, "# ");
  out_esc(&o, str_or(r->tool, "smsconform"), ESC_TAP, 200);
  sc_out_s(&o, ": ");
  out_esc(&o, str_or(r->target, "(no target)"), ESC_TAP, 200);
  sc_out_s(&o, ", profile ");
  out_esc(&o, str_or(r->profile, "(none)"), ESC_TAP, 200);
  sc_out_s(&o, r->strict ? ", strict\n" : "\n");
  for (size_t i = 0; i < nresults(r); i++) {
    const struct sc_check_result *c = &r->results[i];
    enum outcome oc = outcome_of(r, c);
    int ok = oc == OC_PASS || oc == OC_SKIP || oc == OC_WARN;
    sc_out_f(&o, "%s %zu - ", ok ? "ok" : "not ok", i + 1);
    out_esc(&o, id_of(c), ESC_TAP, 0);
    if (oc == OC_SKIP) {
      sc_out_s(&o, " # SKIP ");
      out_esc(&o, str_or(c->message, "skipped"), ESC_TAP, 0);
    } else if (oc == OC_ACCEPTED) {
      sc_out_s(&o, " # TODO accepted by baseline: ");
      out_esc(&o, str_or(c->message, sc_verdict_name(verdict_of(c))), ESC_TAP,
              0);
    }
    sc_out_s(&o, "\n");
    if (oc != OC_PASS && oc != OC_SKIP)
      tap_yaml(&o, r, c);
  }
  return sc_out_end(&o);
}

/* --------------------------------------------------------------- JSON */

/* [p, p+n) as the inside of a JSON string: sc_escape_json(), and besides
 * the invisible code points (see invisible()) as \uXXXX, so that a JSON
 * report shown in a terminal cannot drive it; still lossless. With
 * |script| also <, > and & as \u003c, \u003e, \u0026, so that the string
 * can stand inside an HTML <script> element: no "</script" and no "<!--"
 * can appear. */
static void json_esc_for(struct sc_out *o, const char *p, size_t n,
                         int script) {
  const unsigned char *u = (const unsigned char *)p;
  size_t i = 0, run = 0;
  while (!o->err && i < n) {
    unsigned long cp;
    size_t l = decode(u, n, i, &cp);
    if ((l > 1 && invisible(cp)) ||
        (script && (cp == '<' || cp == '>' || cp == '&'))) {
      sc_escape_json(&o->b, p + i - run, run);
      run = 0;
      sc_buf_printf(&o->b, "\\u%04lx", cp);
      sc_out_check(o);
    } else {
      run += l ? l : 1;
    }
    i += l ? l : 1;
  }
  if (!o->err) {
    sc_escape_json(&o->b, p + n - run, run);
    sc_out_check(o);
  }
}

static void json_esc(struct sc_out *o, const char *p, size_t n) {
  json_esc_for(o, p, n, 0);
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
  int bin = body_binary(e);
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
  json_knum(o, 10, "ms", finite_pos(e->ms), 3, 0);
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
                        const struct sc_check_result *c) {
  sc_out_s(o, "    {");
  json_kstr(o, 1, 6, "id", c->id);
  json_kstr(o, 0, 6, "category", cat_label(cat_of(c)));
  json_kstr(o, 0, 6, "action", c->action);
  json_tags(o, c->tags);
  json_kstr(o, 0, 6, "requirement", c->requirement);
  json_kstr(o, 0, 6, "doc", c->doc);
  json_kstr(o, 0, 6, "section", c->section);
  json_kstr(o, 0, 6, "verdict", sc_verdict_name(verdict_of(c)));
  json_kstr(o, 0, 6, "outcome", oc_names[outcome_of(r, c)]);
  json_kstr(o, 0, 6, "message", c->message);
  json_kstr(o, 0, 6, "expected", c->expected);
  json_kstr(o, 0, 6, "actual", c->actual);
  json_kstr(o, 0, 6, "curl", c->curl);
  json_kbool(o, 6, "baseline", c->baseline);
  json_knum(o, 6, "ms", finite_pos(c->ms), 3, 0);
  json_key(o, 0, 6, "exchanges");
  sc_out_s(o, "[");
  for (size_t k = 0; k < nexchanges(c); k++) {
    sc_out_s(o, k ? ",\n" : "\n");
    json_exchange(o, &c->ex[k]);
  }
  sc_out_s(o, nexchanges(c) ? "\n      ]" : "]");
  sc_out_s(o, "\n    }");
}

int sc_report_json(const struct sc_report *r, FILE *out) {
  struct sc_out o;
  struct tally t;
  double total = 0, net = 0;

  if (!r || !out)
    return -1;
  sc_out_init(&o, out);
  tally(r, &t);
  sc_out_s(&o, "{");
  json_kstr(&o, 1, 2, "schema", SC_REPORT_SCHEMA);
  json_kstr(&o, 0, 2, "tool", r->tool);
  json_kstr(&o, 0, 2, "target", r->target);
  json_kstr(&o, 0, 2, "profile", r->profile);
  json_kstr(&o, 0, 2, "started", r->started);
  json_knum(&o, 2, "seconds", finite_pos(r->seconds), 3, 0);
  json_key(&o, 0, 2, "requests");
  sc_out_f(&o, "%lu", r->requests);
  json_kbool(&o, 2, "strict", r->strict);
  json_kstr(&o, 0, 2, "verdict", run_verdict(&t));
  json_key(&o, 0, 2, "counts");
  sc_out_s(&o, "{");
  for (int v = 0; v < SC_VERDICT__COUNT; v++)
    sc_out_f(&o, "%s\"%s\": %zu", v ? ", " : "",
             sc_verdict_name((enum sc_verdict)v), t.verdict[v]);
  sc_out_s(&o, "}");
  json_key(&o, 0, 2, "outcomes");
  sc_out_s(&o, "{");
  for (int k = 0; k < OC__COUNT; k++)
    sc_out_f(&o, "%s\"%s\": %zu", k ? ", " : "", oc_names[k], t.oc[k]);
  sc_out_s(&o, "}");
  json_key(&o, 0, 2, "results");
  sc_out_s(&o, "[");
  for (size_t i = 0; i < nresults(r); i++) {
    sc_out_s(&o, i ? ",\n" : "\n");
    json_result(&o, r, &r->results[i]);
  }
  sc_out_s(&o, nresults(r) ? "\n  ]" : "]");
  json_key(&o, 0, 2, "spend");
  sc_out_s(&o, "[");
  for (size_t i = 0; r->spend && i < r->nspend; i++) {
    const struct sc_spend *s = &r->spend[i];
    sc_out_s(&o, i ? ",\n    {" : "\n    {");
    json_kstr(&o, 1, 6, "what", s->what);
    json_kstr(&o, 0, 6, "id", s->id);
    json_knum(&o, 6, "cost", s->cost, 15, 1);
    json_kbool(&o, 6, "refunded", s->refunded);
    sc_out_s(&o, "\n    }");
    if (isfinite(s->cost)) {
      total += s->cost;
      if (!s->refunded)
        net += s->cost;
    }
  }
  sc_out_s(&o, r->spend && r->nspend ? "\n  ]" : "]");
  json_knum(&o, 2, "spend_total", total, 15, 1);
  json_knum(&o, 2, "spend_net", net, 15, 1);
  sc_out_s(&o, "\n}\n");
  return sc_out_end(&o);
}

/* ----------------------------------------------------------- Markdown */

/* Longest cell, in code points; the rest is cut with an ellipsis. */
#define MD_CELL 160

static void md_cell(struct sc_out *o, const char *s) {
  sc_out_s(o, " ");
  out_esc(o, s, ESC_MD, MD_CELL);
  sc_out_s(o, " |");
}

static void md_citation_cell(struct sc_out *o,
                             const struct sc_check_result *c) {
  sc_out_s(o, " ");
  out_citation(o, c, ESC_MD, MD_CELL);
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

/* The results whose outcome is in the set |mask| (bits 1 << outcome), in
 * run order, as one table: check, [verdict,] message, expected, actual,
 * source. */
static void md_table(struct sc_out *o, const struct sc_report *r, unsigned mask,
                     int with_verdict) {
  size_t n = 0;
  for (size_t i = 0; i < nresults(r); i++) {
    const struct sc_check_result *c = &r->results[i];
    if (!(mask & 1u << outcome_of(r, c)))
      continue;
    if (!n++)
      sc_out_s(o, with_verdict
                      ? "| check | verdict | message | expected | actual | "
                        "source |\n|---|---|---|---|---|---|\n"
                      : "| check | message | expected | actual | source |\n"
                        "|---|---|---|---|---|\n");
    sc_out_s(o, "|");
    md_cell(o, c->id);
    if (with_verdict)
      md_cell(o, sc_verdict_name(verdict_of(c)));
    md_cell(o, c->message);
    md_cell(o, c->expected);
    md_cell(o, c->actual);
    md_citation_cell(o, c);
    sc_out_s(o, "\n");
  }
}

int sc_report_markdown(const struct sc_report *r, FILE *out) {
  static const enum outcome cols[] = {OC_PASS,  OC_WARN, OC_FAIL,
                                      OC_ERROR, OC_SKIP, OC_ACCEPTED};
  struct sc_out o;
  struct tally t;
  size_t fence = 3;

  if (!r || !out)
    return -1;
  sc_out_init(&o, out);
  tally(r, &t);

  sc_out_f(&o, "## smsconform: %s \xE2\x80\x94 ", run_verdict(&t));
  out_esc(&o, str_or(r->target, "(no target)"), ESC_MD, MD_CELL);
  sc_out_s(&o, " (profile ");
  out_esc(&o, str_or(r->profile, "none"), ESC_MD, MD_CELL);
  sc_out_s(&o, ")\n\n");
  out_esc(&o, str_or(r->tool, "smsconform"), ESC_MD, MD_CELL);
  sc_out_s(&o, ", started ");
  out_esc(&o, str_or(r->started, "(unknown)"), ESC_MD, MD_CELL);
  sc_out_s(&o, ", ");
  sc_out_num(&o, finite_pos(r->seconds), 1, 0);
  sc_out_f(&o, " s, %lu requests%s\n\n", r->requests,
           r->strict ? ", strict: WARN counts as a failure" : "");

  sc_out_s(&o, "| category | PASS | WARN | FAIL | ERROR | SKIP | ACCEPTED |\n"
               "|---|---:|---:|---:|---:|---:|---:|\n");
  for (size_t k = 0; k <= SC_CAT__COUNT; k++) {
    if (!t.ncat[k])
      continue;
    sc_out_f(&o, "| %s |", cat_label(k));
    for (size_t j = 0; j < sizeof(cols) / sizeof(cols[0]); j++)
      sc_out_f(&o, " %zu |", t.cat[k][cols[j]]);
    sc_out_s(&o, "\n");
  }
  sc_out_s(&o, "| **total** |");
  for (size_t j = 0; j < sizeof(cols) / sizeof(cols[0]); j++)
    sc_out_f(&o, " **%zu** |", t.oc[cols[j]]);
  sc_out_s(&o, "\n");

  size_t nfail = t.oc[OC_FAIL] + t.oc[OC_ERROR];
  if (nfail) {
    sc_out_f(&o, "\n### Failures (%zu)\n\n", nfail);
    md_table(&o, r, 1u << OC_FAIL | 1u << OC_ERROR, 1);
  }
  if (t.oc[OC_WARN]) {
    sc_out_f(&o, "\n### Warnings (%zu)\n\n", t.oc[OC_WARN]);
    md_table(&o, r, 1u << OC_WARN, 0);
  }
  if (t.oc[OC_ACCEPTED]) {
    sc_out_f(&o,
             "\n<details><summary>Accepted by the baseline (%zu)</summary>\n\n",
             t.oc[OC_ACCEPTED]);
    md_table(&o, r, 1u << OC_ACCEPTED, 1);
    sc_out_s(&o, "\n</details>\n");
  }
  if (t.oc[OC_SKIP]) {
    sc_out_f(&o,
             "\n<details><summary>Skipped (%zu)</summary>\n\n"
             "| check | reason |\n|---|---|\n",
             t.oc[OC_SKIP]);
    for (size_t i = 0; i < nresults(r); i++) {
      const struct sc_check_result *c = &r->results[i];
      if (outcome_of(r, c) != OC_SKIP)
        continue;
      sc_out_s(&o, "|");
      md_cell(&o, c->id);
      md_cell(&o, c->message);
      sc_out_s(&o, "\n");
    }
    sc_out_s(&o, "\n</details>\n");
  }
  /* the reproduction lines in a code block whose fence no backtick run
   * inside can close */
  size_t nrepro = 0;
  for (size_t i = 0; i < nresults(r); i++) {
    const struct sc_check_result *c = &r->results[i];
    enum outcome oc = outcome_of(r, c);
    if ((oc == OC_FAIL || oc == OC_ERROR) && c->curl) {
      nrepro++;
      if (backticks(c->curl) >= fence)
        fence = backticks(c->curl) + 1;
    }
  }
  if (nrepro) {
    sc_out_s(&o, "\n<details><summary>Reproduce the failures</summary>\n\n");
    md_fence(&o, fence);
    for (size_t i = 0; i < nresults(r); i++) {
      const struct sc_check_result *c = &r->results[i];
      enum outcome oc = outcome_of(r, c);
      if ((oc != OC_FAIL && oc != OC_ERROR) || !c->curl)
        continue;
      sc_out_s(&o, "# ");
      out_esc(&o, id_of(c), ESC_LINE, 0);
      sc_out_s(&o, "\n");
      out_esc(&o, c->curl, ESC_LINE, 0);
      sc_out_s(&o, "\n");
    }
    md_fence(&o, fence);
    sc_out_s(&o, "\n</details>\n");
  }
  if (r->spend && r->nspend) {
    double total = 0, net = 0;
    sc_out_s(&o, "\n### Spend\n\n| what | id | cost | refunded |\n"
                 "|---|---|---:|---|\n");
    for (size_t i = 0; i < r->nspend; i++) {
      const struct sc_spend *s = &r->spend[i];
      sc_out_s(&o, "|");
      md_cell(&o, s->what);
      md_cell(&o, s->id);
      sc_out_s(&o, " ");
      sc_out_num(&o, s->cost, 4, 0);
      sc_out_s(&o, s->refunded ? " | yes |\n" : " | no |\n");
      if (isfinite(s->cost)) {
        total += s->cost;
        if (!s->refunded)
          net += s->cost;
      }
    }
    sc_out_s(&o, "| **total** | | ");
    sc_out_num(&o, total, 4, 0);
    sc_out_s(&o, " | net ");
    sc_out_num(&o, net, 4, 0);
    sc_out_s(&o, " |\n");
  }
  return sc_out_end(&o);
}

/* --------------------------------------------------------------- HTML */

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
    ".v-FAIL,.v-ERROR{color:#cf222e}.v-SKIP,.v-ACCEPTED{color:#57606a}\n"
    "tr.detail td{border-top:0;background:#fcfcfc}\n"
    ".ex{border-left:3px solid #ddd;padding-left:.6em;margin:.5em 0}\n"
    "</style>\n</head>\n<body>\n";

static void html_dd(struct sc_out *o, const char *label, const char *v) {
  sc_out_s(o, "<dt>");
  sc_out_s(o, label);
  sc_out_s(o, "</dt><dd>");
  out_esc(o, v, ESC_HTML, 0);
  sc_out_s(o, "</dd>\n");
}

static void html_pre(struct sc_out *o, const char *label, const char *v) {
  if (!v)
    return;
  sc_out_s(o, "<dt>");
  sc_out_s(o, label);
  sc_out_s(o, "</dt><dd><pre>");
  out_esc(o, v, ESC_HTML, 0);
  sc_out_s(o, "</pre></dd>\n");
}

static void html_exchange(struct sc_out *o, size_t k,
                          const struct sc_exchange *e) {
  sc_out_f(o, "<div class=\"ex\"><h4>exchange %zu: ", k + 1);
  out_esc(o, str_or(e->method, "?"), ESC_HTML, 0);
  sc_out_s(o, " ");
  out_esc(o, e->url, ESC_HTML, 0);
  sc_out_s(o, "</h4>\n<dl>\n");
  html_pre(o, "request body", e->request_body);
  if (e->transport_error)
    html_dd(o, "transport error", e->transport_error);
  sc_out_f(o, "<dt>status</dt><dd>%ld</dd>\n", e->status);
  html_dd(o, "content type", str_or(e->content_type, "(none)"));
  sc_out_s(o, "<dt>time</dt><dd>");
  sc_out_num(o, finite_pos(e->ms), 1, 0);
  sc_out_s(o, " ms</dd>\n");
  if (e->body) {
    sc_out_f(o, "<dt>body</dt><dd>%zu bytes%s%s<pre>", e->body_len,
             body_binary(e) ? ", not UTF-8 text (bytes shown as \\xNN)" : "",
             body_cut(e) ? ", truncated" : "");
    out_escn(o, e->body, body_shown(e), ESC_HTML, 0);
    sc_out_s(o, "</pre></dd>\n");
  }
  sc_out_s(o, "</dl></div>\n");
}

static void html_check(struct sc_out *o, const struct sc_report *r, size_t i) {
  const struct sc_check_result *c = &r->results[i];
  enum outcome oc = outcome_of(r, c);
  const char *v = oc_names[oc];

  sc_out_f(o,
           "<tbody class=\"check\" id=\"c%zu\" data-cat=\"%s\" "
           "data-verdict=\"%s\">\n<tr class=\"sum\"><td class=\"v v-%s\">%s",
           i + 1, cat_label(cat_of(c)), v, v, v);
  if (oc == OC_FAIL && verdict_of(c) == SC_VERDICT_WARN)
    sc_out_s(o, " (WARN, strict)");
  sc_out_s(o, "</td><td class=\"id\">");
  out_esc(o, str_or(c->id, ""), ESC_HTML, 0);
  sc_out_f(o, "</td><td>%s</td><td>", cat_label(cat_of(c)));
  out_esc(o, c->message, ESC_HTML, 0);
  sc_out_s(o, "</td><td class=\"num\">");
  sc_out_num(o, finite_pos(c->ms), 1, 0);
  sc_out_s(o, "</td></tr>\n<tr class=\"detail\"><td colspan=\"5\"><details>"
              "<summary>details</summary>\n<dl>\n");
  sc_out_f(o, "<dt>verdict</dt><dd>%s</dd>\n", sc_verdict_name(verdict_of(c)));
  html_dd(o, "requirement", str_or(c->requirement, ""));
  sc_out_s(o, "<dt>source</dt><dd>");
  out_citation(o, c, ESC_HTML, 0);
  sc_out_s(o, "</dd>\n");
  if (c->action)
    html_dd(o, "action", c->action);
  if (c->tags)
    html_dd(o, "tags", c->tags);
  if (c->baseline)
    html_dd(o, "baseline",
            oc == OC_ACCEPTED ? "a known failure, accepted by the baseline"
                              : "in the baseline, but does not fail now");
  html_pre(o, "expected", c->expected);
  html_pre(o, "actual", c->actual);
  html_pre(o, "reproduce", c->curl);
  sc_out_s(o, "</dl>\n");
  for (size_t k = 0; k < nexchanges(c); k++)
    html_exchange(o, k, &c->ex[k]);
  sc_out_s(o, "</details></td></tr>\n</tbody>\n");
}

int sc_report_html(const struct sc_report *r, FILE *out) {
  static const enum outcome cols[] = {OC_PASS,  OC_WARN, OC_FAIL,
                                      OC_ERROR, OC_SKIP, OC_ACCEPTED};
  struct sc_out o;
  struct tally t;
  const char *verdict;

  if (!r || !out)
    return -1;
  sc_out_init(&o, out);
  tally(r, &t);
  verdict = run_verdict(&t);

  sc_out_s(&o, html_head);
  sc_out_f(&o, "<title>smsconform %s: ", verdict);
  out_esc(&o, str_or(r->target, "(no target)"), ESC_HTML, 200);
  sc_out_s(&o, "</title>\n");
  sc_out_s(&o, html_style);
  sc_out_f(&o,
           "<header class=\"card\">\n<h1>smsconform: <span class=\"v "
           "v-%s\">%s</span></h1>\n<dl>\n",
           verdict, verdict);
  html_dd(&o, "target", str_or(r->target, "(no target)"));
  html_dd(&o, "profile", str_or(r->profile, "(none)"));
  html_dd(&o, "tool", str_or(r->tool, "smsconform"));
  html_dd(&o, "started", str_or(r->started, "(unknown)"));
  sc_out_s(&o, "<dt>duration</dt><dd>");
  sc_out_num(&o, finite_pos(r->seconds), 3, 0);
  sc_out_f(&o,
           " s</dd>\n<dt>requests</dt><dd>%lu</dd>\n<dt>strict</dt><dd>%s"
           "</dd>\n</dl>\n<table class=\"counts\">\n<tr><th>category</th>",
           r->requests, r->strict ? "yes: WARN counts as a failure" : "no");
  for (size_t j = 0; j < sizeof(cols) / sizeof(cols[0]); j++)
    sc_out_f(&o, "<th class=\"num\">%s</th>", oc_names[cols[j]]);
  sc_out_s(&o, "</tr>\n");
  for (size_t k = 0; k <= SC_CAT__COUNT; k++) {
    if (!t.ncat[k])
      continue;
    sc_out_f(&o, "<tr><td>%s</td>", cat_label(k));
    for (size_t j = 0; j < sizeof(cols) / sizeof(cols[0]); j++)
      sc_out_f(&o, "<td class=\"num\">%zu</td>", t.cat[k][cols[j]]);
    sc_out_s(&o, "</tr>\n");
  }
  sc_out_s(&o, "<tr><th>total</th>");
  for (size_t j = 0; j < sizeof(cols) / sizeof(cols[0]); j++)
    sc_out_f(&o, "<th class=\"num\">%zu</th>", t.oc[cols[j]]);
  sc_out_s(&o, "</tr>\n</table>\n");

  if (r->spend && r->nspend) {
    double total = 0, net = 0;
    sc_out_s(&o,
             "<h2>Spend</h2>\n<table class=\"spend\">\n<tr><th>what</th>"
             "<th>id</th><th class=\"num\">cost</th><th>refunded</th></tr>\n");
    for (size_t i = 0; i < r->nspend; i++) {
      const struct sc_spend *s = &r->spend[i];
      sc_out_s(&o, "<tr><td>");
      out_esc(&o, s->what, ESC_HTML, 0);
      sc_out_s(&o, "</td><td>");
      out_esc(&o, s->id, ESC_HTML, 0);
      sc_out_s(&o, "</td><td class=\"num\">");
      sc_out_num(&o, s->cost, 4, 0);
      sc_out_f(&o, "</td><td>%s</td></tr>\n", s->refunded ? "yes" : "no");
      if (isfinite(s->cost)) {
        total += s->cost;
        if (!s->refunded)
          net += s->cost;
      }
    }
    sc_out_s(&o, "<tr><th>total</th><th></th><th class=\"num\">");
    sc_out_num(&o, total, 4, 0);
    sc_out_s(&o, "</th><th>net ");
    sc_out_num(&o, net, 4, 0);
    sc_out_s(&o, "</th></tr>\n</table>\n");
  }
  sc_out_s(&o, "</header>\n");

  /* Hidden until the script runs: without it every check is shown. */
  sc_out_s(&o, "<form id=\"filters\" hidden>\n<label>category <select "
               "name=\"cat\"><option value=\"\">all</option>");
  for (size_t k = 0; k <= SC_CAT__COUNT; k++)
    if (t.ncat[k])
      sc_out_f(&o, "<option>%s</option>", cat_label(k));
  sc_out_s(&o, "</select></label>\n<label>verdict <select name=\"verdict\">"
               "<option value=\"\">all</option>");
  for (size_t j = 0; j < sizeof(cols) / sizeof(cols[0]); j++)
    sc_out_f(&o, "<option>%s</option>", oc_names[cols[j]]);
  sc_out_s(&o, "</select></label>\n</form>\n");

  sc_out_s(&o, "<table id=\"checks\">\n<thead><tr><th>verdict</th><th>check"
               "</th><th>category</th><th>message</th><th class=\"num\">ms</th>"
               "</tr></thead>\n");
  for (size_t i = 0; i < nresults(r); i++)
    html_check(&o, r, i);
  sc_out_s(&o,
           "</table>\n<script>" HTML_SCRIPT "</script>\n</body>\n</html>\n");
  return sc_out_end(&o);
}

/* ------------------------------------------------ shared escaping */

int sc_report_escape(struct sc_buf *b, enum sc_report_esc m, const char *s,
                     size_t n, size_t cap) {
  static const enum esc modes[] = {
      [SC_REPORT_ESC_HTML] = ESC_HTML,
      [SC_REPORT_ESC_MD] = ESC_MD,
      [SC_REPORT_ESC_LINE] = ESC_LINE,
      [SC_REPORT_ESC_TEXT] = ESC_TEXT,
  };
  struct sc_out o = {.f = NULL, .b = *b, .err = 0};

  if (!s || b->err)
    return b->err;
  if (m == SC_REPORT_ESC_JSON || m == SC_REPORT_ESC_JSON_SCRIPT)
    json_esc_for(&o, s, n, m == SC_REPORT_ESC_JSON_SCRIPT);
  else if ((unsigned)m < sizeof(modes) / sizeof(modes[0]))
    out_escn(&o, s, n, modes[m], cap);
  else
    return -1;
  *b = o.b;
  return b->err;
}
