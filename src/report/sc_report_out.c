/* sc_report_out.c — what the report writers share (see sc_report_int.h):
 * escaping, and the pieces several formats print the same way.
 *
 * Untrusted text (anything that came from an endpoint, and to be safe every
 * string of the model) goes through rpt_esc() with the escaping rules of
 * the format. The display formats share one rule for what cannot be shown
 * as it is: a byte that is not text (a control character, or a byte of
 * invalid UTF-8) is written as the four characters \xNN, and a code point
 * that is valid but invisible or misleading on screen (C1 controls,
 * zero-width and bidirectional marks, line/paragraph separators, the byte
 * order mark, U+FFFE/U+FFFF) as \uNNNN. JSON is data, not display: there
 * text is escaped losslessly and a body that is not UTF-8 goes as base64. */
#include "sc_report_int.h"

#include "sc_buf.h"
#include "sc_escape.h"

#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------- escaping */

/* Decodes the unit at |u[i]|: its length with |*cp| set, or 0 when the
 * byte starts no valid UTF-8 sequence (|*cp| is then the byte). */
size_t rpt_decode(const unsigned char *u, size_t n, size_t i,
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
int rpt_invisible(unsigned long cp) {
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
  if (rpt_invisible(cp)) {
    snprintf(tmp, 32, "%su%04lx", m == ESC_YAML ? "\\" : bs, cp);
    return tmp;
  }
  return NULL;
}

/* Appends [s, s+n) escaped for |m|. When |cap| is not 0 at most |cap| code
 * points are shown, then an ellipsis. NULL |s| writes nothing. */
void rpt_escn(struct sc_out *o, const char *s, size_t n, enum esc m,
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
    size_t l = rpt_decode(u, n, i, &cp);
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

void rpt_esc(struct sc_out *o, const char *s, enum esc m, size_t cap) {
  if (s)
    rpt_escn(o, s, strlen(s), m, cap);
}

/* [p, p+n) as the inside of a JSON string: sc_escape_json(), and besides
 * the invisible code points (see rpt_invisible()) as \uXXXX, so that a JSON
 * report shown in a terminal cannot drive it; still lossless. With
 * |script| also <, > and & as \u003c, \u003e, \u0026, so that the string
 * can stand inside an HTML <script> element: no "</script" and no "<!--"
 * can appear. */
void rpt_json_esc(struct sc_out *o, const char *p, size_t n, int script) {
  const unsigned char *u = (const unsigned char *)p;
  size_t i = 0, run = 0;
  while (!o->err && i < n) {
    unsigned long cp;
    size_t l = rpt_decode(u, n, i, &cp);
    if ((l > 1 && rpt_invisible(cp)) ||
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

/* ------------------------------------------------ what writers share */

/* A body as displayed: at most SC_REPORT_BODY_MAX bytes even if the runner
 * kept more. */
size_t rpt_body_shown(const struct sc_exchange *e) {
  if (!e->body)
    return 0;
  return e->body_len > SC_REPORT_BODY_MAX ? SC_REPORT_BODY_MAX : e->body_len;
}

int rpt_body_cut(const struct sc_exchange *e) {
  return e->body_truncated || (e->body && e->body_len > SC_REPORT_BODY_MAX);
}

/* 1 when the body is not UTF-8 text (NUL bytes or invalid sequences). */
int rpt_body_binary(const struct sc_exchange *e) {
  return e->body && sc_utf8_check(e->body, e->body_len) != (size_t)-1;
}

/* An amount of money: two decimals, three or four when the amount has
 * them (a price of 0.025). */
void rpt_money(struct sc_out *o, double v) {
  double a = v < 0 ? -v : v;
  int prec = 2;
  if (isfinite(a) && a < 1e12)
    for (double scale = 100; prec < 4; prec++, scale *= 10) {
      double s = a * scale, fr = s - (double)(long long)s;
      if (fr < 1e-6 || fr > 1 - 1e-6)
        break;
    }
  sc_out_num(o, v, prec, 0);
}

/* "doc § section", or whichever half is there. */
void rpt_citation(struct sc_out *o, const struct sc_check_result *c, enum esc m,
                  size_t cap) {
  rpt_esc(o, c->doc, m, cap);
  if (c->doc && c->section)
    sc_out_s(o, " \xC2\xA7 "); /* § */
  rpt_esc(o, c->section, m, cap);
}

/* "88 BLOCKED, 2 FAIL": the verdicts of a group, worst first. */
void rpt_gverdicts(struct sc_out *o, const struct cgroup *g) {
  int first = 1;
  for (int k = SC_VERDICT__COUNT - 1; k >= 0; k--)
    if (g->v[k]) {
      sc_out_f(o, "%s%zu %s", first ? "" : ", ", g->v[k],
               sc_verdict_name((enum sc_verdict)k));
      first = 0;
    }
  if (g->accepted)
    sc_out_f(o, " (%zu accepted by the baseline)", g->accepted);
}

/* The blocked_by of |g|'s |k|-th result when no earlier result of |g|
 * names the same check, else NULL. */
const char *rpt_gowner(const struct sc_report *r, const struct rview *v,
                       const struct cgroup *g, size_t k) {
  const char *b = rpt_gres(r, v, g, k)->blocked_by;
  if (!b || !*b)
    return NULL;
  for (size_t j = 0; j < k; j++) {
    const char *p = rpt_gres(r, v, g, j)->blocked_by;
    if (p && strcmp(p, b) == 0)
      return NULL;
  }
  return b;
}

/* The checks that |g|'s BLOCKED results are blocked by, "a, b, … (5 in
 * all)", at most |max| of them (0: all), escaped for |m|; with a NULL |o|
 * only counted. Returns how many there are. */
size_t rpt_gowners(struct sc_out *o, const struct sc_report *r,
                   const struct rview *v, const struct cgroup *g, enum esc m,
                   size_t max) {
  size_t total = 0;
  for (size_t k = 0; k < g->n; k++) {
    const char *b = rpt_gowner(r, v, g, k);
    if (!b)
      continue;
    if (o && (!max || total < max)) {
      if (total)
        sc_out_s(o, ", ");
      rpt_esc(o, b, m, 120);
    }
    total++;
  }
  if (o && max && total > max)
    sc_out_f(o, ", \xE2\x80\xA6 (%zu in all)", total);
  return total;
}

/* The ids of |g|'s first |max| results, then "… and N more". */
void rpt_gids(struct sc_out *o, const struct sc_report *r,
              const struct rview *v, const struct cgroup *g, enum esc m,
              size_t max) {
  for (size_t k = 0; k < g->n && k < max; k++) {
    if (k)
      sc_out_s(o, ", ");
    rpt_esc(o, rpt_id(rpt_gres(r, v, g, k)), m, 120);
  }
  if (g->n > max)
    sc_out_f(o, ", \xE2\x80\xA6 and %zu more", g->n - max);
}

/* A group's heading: its cause; for a check without one its message,
 * after its id when |with_id| (formats that do not list the group's
 * checks beside it). */
void rpt_glabel(struct sc_out *o, const struct sc_report *r,
                const struct rview *v, const struct cgroup *g, int with_id,
                enum esc m, size_t cap) {
  const char *msg = g->by_id ? rpt_gres(r, v, g, 0)->message : NULL;
  if (!g->by_id || with_id)
    rpt_esc(o, g->label, m, cap);
  if (g->by_id && with_id && msg)
    sc_out_s(o, ": ");
  if (g->by_id && (msg || !with_id))
    rpt_esc(o, rpt_str_or(msg, "(no message)"), m, cap);
}

/* One deviation: "JSON_MISSING FAIL at byte 12: message". */
void rpt_dev(struct sc_out *o, const struct sc_check_dev *d, enum esc m,
             size_t cap) {
  rpt_esc(o, rpt_str_or(d->code, "?"), m, 64);
  sc_out_f(o, " %s at byte %zu: ", sc_verdict_name(rpt_dev_verdict(d)),
           d->offset);
  rpt_esc(o, rpt_str_or(d->message, ""), m, cap);
}

/* "format.getBalance", and why it fails the run when nothing explains
 * it. */
void rpt_blocked_by(struct sc_out *o, const struct sc_report *r,
                    const struct sc_check_result *c, enum outcome oc,
                    enum esc m, size_t cap) {
  rpt_esc(o, rpt_str_or(c->blocked_by, "(no check named)"), m, cap);
  if (oc == OC_ERROR ||
      (oc == OC_ACCEPTED && rpt_verdict(c) == SC_VERDICT_BLOCKED)) {
    sc_out_s(o, " (");
    sc_out_s(o, rpt_unexplained_why(r, c));
    sc_out_s(o, ")");
  }
}

/* The ledger on one line: "spent 1.00, refunded 0.75, left active 1: 1234
 * (0.25); 2 purchases at an unknown price; max spend 5.00", at most
 * |maxids| ids, escaped for |m|. */
void rpt_ledger_line(struct sc_out *o, const struct sc_report *r,
                     const struct ledger *l, enum esc m, size_t maxids) {
  size_t n = 0;
  sc_out_s(o, "spent ");
  rpt_money(o, l->spent);
  sc_out_s(o, ", refunded ");
  rpt_money(o, l->refunded);
  sc_out_f(o, ", left active %zu", l->n[SC_SPEND_LEFT_ACTIVE]);
  for (size_t i = 0; i < rpt_nspend(r); i++) {
    const struct sc_spend *s = &r->spend[i];
    if (rpt_spend_state(s) != SC_SPEND_LEFT_ACTIVE)
      continue;
    if (n < maxids) {
      sc_out_s(o, n ? ", " : ": ");
      rpt_esc(o, rpt_str_or(s->id, "(no id)"), m, 64);
    }
    n++;
  }
  if (n > maxids)
    sc_out_f(o, ", \xE2\x80\xA6 and %zu more", n - maxids);
  if (n) {
    sc_out_s(o, " (");
    rpt_money(o, l->left);
    sc_out_s(o, ")");
  }
  if (l->unknown)
    sc_out_f(o, "; %zu purchase%s at an unknown price", l->unknown,
             l->unknown == 1 ? "" : "s");
  if (rpt_max_spend_set(r)) {
    sc_out_s(o, "; max spend ");
    rpt_money(o, r->max_spend);
  }
}

/* The actions the endpoint does not implement: "a, b, c". */
void rpt_scope(struct sc_out *o, const struct sc_report *r, enum esc m) {
  for (size_t i = 0; i < rpt_nunsupported(r); i++) {
    if (i)
      sc_out_s(o, ", ");
    rpt_esc(o, r->unsupported[i], m, 120);
  }
}

/* One purchase as text: "1234: getNumber tg/0, bought by format.getNumber,
 * 0.25, left-active (why)"; without the state unless |state|. */
void rpt_purchase(struct sc_out *o, const struct sc_spend *s, int state,
                  enum esc m) {
  rpt_esc(o, rpt_str_or(s->id, "(no id)"), m, 64);
  sc_out_s(o, ": ");
  rpt_esc(o, rpt_str_or(s->what, "(unknown)"), m, 120);
  if (s->check) {
    sc_out_s(o, ", bought by ");
    rpt_esc(o, s->check, m, 120);
  }
  sc_out_s(o, ", ");
  if (rpt_cost_known(s))
    rpt_money(o, s->cost);
  else
    sc_out_s(o, "price unknown");
  if (state)
    sc_out_f(o, ", %s", sc_spend_state_name(rpt_spend_state(s)));
  if (s->note) {
    sc_out_s(o, " (");
    rpt_esc(o, s->note, m, 300);
    sc_out_s(o, ")");
  }
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
    rpt_json_esc(&o, s, n, m == SC_REPORT_ESC_JSON_SCRIPT);
  else if ((unsigned)m < sizeof(modes) / sizeof(modes[0]))
    rpt_escn(&o, s, n, modes[m], cap);
  else
    return -1;
  *b = o.b;
  return b->err;
}
