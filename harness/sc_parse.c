/* sc_parse.c — the shared response parser.
 *
 * One entry point, sc_parse(): body bytes in, a normalized result out. The
 * body is never trusted: it may be empty, binary, HTML, gigantic or
 * malicious. Nothing here asserts on it; every oddity is a deviation with
 * the byte offset where it was found. Text answers are parsed in place
 * (fields are spans into the body); JSON is validated strictly (sc_json.c)
 * before cJSON reads it. */
#include "sc_escape.h"
#include "sc_json.h"
#include "sc_parse_int.h"
#include "sc_schema.h"
#include "sc_spec.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const struct {
  const char *name;
  enum sc_verdict verdict;
  const char *what;
} devs[] = {
#define SC_DEV_ROW(nm, v, msg) {#nm, SC_VERDICT_##v, msg},
    SC_DEV_MAP(SC_DEV_ROW)
#undef SC_DEV_ROW
};

const char *sc_dev_name(enum sc_dev d) {
  return (unsigned)d < SC_DEV__COUNT ? devs[d].name : "UNKNOWN";
}
const char *sc_dev_describe(enum sc_dev d) {
  return (unsigned)d < SC_DEV__COUNT ? devs[d].what : "unknown deviation";
}
enum sc_verdict sc_dev_verdict(enum sc_dev d) {
  return (unsigned)d < SC_DEV__COUNT ? devs[d].verdict : SC_VERDICT_FAIL;
}

const char *sc_verdict_name(enum sc_verdict v) {
  switch (v) {
#define SC_VERDICT_NAME(nm, code)                                            \
  case SC_VERDICT_##nm:                                                      \
    return #nm;
    SC_VERDICT_MAP(SC_VERDICT_NAME)
#undef SC_VERDICT_NAME
  case SC_VERDICT__COUNT:
    break;
  }
  return "UNKNOWN";
}

const char *sc_kind_name(enum sc_kind k) {
  switch (k) {
#define SC_KIND_NAME(nm, str)                                                \
  case SC_KIND_##nm:                                                         \
    return str;
    SC_KIND_MAP(SC_KIND_NAME)
#undef SC_KIND_NAME
  }
  return "unknown";
}

void sc_result_add(struct sc_result *r, enum sc_dev code, size_t offset,
                   const char *fmt, ...) {
  enum sc_verdict v = sc_dev_verdict(code);
  if (v > r->verdict)
    r->verdict = v;
  if (r->ndevs == SC_MAX_DEVIATIONS) {
    r->ndevs_dropped++;
    return;
  }
  struct sc_deviation *d = &r->devs[r->ndevs++];
  d->code = code;
  d->verdict = v;
  d->offset = offset;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(d->message, sizeof(d->message), fmt, ap);
  va_end(ap);
}

static bool has_dev(const struct sc_result *r, enum sc_dev code) {
  for (size_t i = 0; i < r->ndevs; i++)
    if (r->devs[i].code == code)
      return true;
  return false;
}

static bool is_ws(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* [A-Za-z0-9_] by table: the token scan runs over every text answer. */
static const bool ident_byte[256] = {
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1,
    ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1, ['A'] = 1, ['B'] = 1,
    ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1,
    ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1,
    ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1,
    ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1,
    ['_'] = 1, ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1,
    ['f'] = 1, ['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1,
    ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1,
    ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1,
    ['x'] = 1, ['y'] = 1, ['z'] = 1,
};

static bool is_ident(char c) {
  return ident_byte[(unsigned char)c];
}

/* True when [p, p+n) is ASCII without NUL, eight bytes at a time: then it
 * is valid UTF-8 and sc_utf8_check has nothing to find. A false answer
 * only means "look closer" (a borrow can set a high bit). */
static bool plain_ascii(const char *p, size_t n) {
  const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
  size_t i = 0;
  for (; n - i >= 8; i += 8) {
    uint64_t w;
    memcpy(&w, p + i, 8);
    if (((w - ones) | w) & highs)
      return false;
  }
  for (; i < n; i++)
    if ((unsigned char)(p[i] - 1) >= 0x7f)
      return false;
  return true;
}

/* Bytes shown in a message: printable ASCII, others as \xHH; at most
 * |max| input bytes. */
static void show(char *out, size_t outlen, const char *p, size_t n,
                 size_t max) {
  size_t o = 0;
  for (size_t i = 0; i < n && i < max && o + 5 < outlen; i++) {
    unsigned char c = (unsigned char)p[i];
    if (c >= 0x20 && c < 0x7f && c != '\\')
      out[o++] = (char)c;
    else
      o += (size_t)snprintf(out + o, outlen - o, "\\x%02x", c);
  }
  if (n > max && o + 4 < outlen) {
    memcpy(out + o, "...", 3);
    o += 3;
  }
  out[o] = '\0';
}

/* ---- HTTP status and content type ---- */

static void check_http(const struct sc_view *v, const struct sc_input *in,
                       struct sc_result *r, bool json) {
  int st = in->http_status;
  if (st >= 500)
    sc_result_add(r, SC_DEV_HTTP_5XX, 0, "HTTP status %d", st);
  else if (st != 0 && st != 200 && !v->profile->rest &&
           !has_dev(r, SC_DEV_PROBLEM_DETAILS))
    sc_result_add(r, SC_DEV_HTTP_STATUS, 0,
                  "HTTP status %d; the handler API answers 200", st);
  const char *ct = in->content_type;
  if (!ct)
    return;
  bool html = strstr(ct, "html") != NULL;
  bool ctjson = strstr(ct, "json") != NULL;
  if (html)
    sc_result_add(r, SC_DEV_CONTENT_TYPE, 0,
                  "content type \"%.60s\" for a protocol answer", ct);
  else if (json && !ctjson && v->profile->rest)
    sc_result_add(r, SC_DEV_CONTENT_TYPE, 0,
                  "content type \"%.60s\" for a JSON body", ct);
  else if (!json && ctjson)
    sc_result_add(r, SC_DEV_CONTENT_TYPE, 0,
                  "content type \"%.60s\" for a plain-text answer", ct);
}

/* ---- tokens ---- */

/* Classifies a known token against the action: sets kind and r->form
 * (the success form naming the token), and checks that the action may
 * answer it. */
static void judge_token(const struct sc_view *v, const struct sc_token *t,
                        size_t off, bool as_json_message,
                        struct sc_result *r) {
  r->token = t;
  switch (t->kind) {
  case SC_TOKKIND_SUCCESS:
    r->kind = SC_KIND_SUCCESS;
    break;
  case SC_TOKKIND_STATUS:
    r->kind = SC_KIND_STATUS;
    break;
  case SC_TOKKIND_ERROR:
    r->kind = SC_KIND_ERROR;
    break;
  case SC_TOKKIND_LIBRARY:
  case SC_TOKKIND__COUNT:
    r->kind = SC_KIND_NOT_PROTOCOL;
    sc_result_add(r, SC_DEV_LIBRARY_NAME, off,
                  "%s is a client-library name, never a wire answer",
                  t->name);
    return;
  }
  /* A success form naming this token? Then where the view lists it as an
   * error. |t| is what sc_spec_token found, so its index in the spec's
   * tokens is a key of the view's index. */
  size_t ti = (size_t)(t - v->spec->tokens);
  int form = v->ix->form[ti];
  unsigned listed = v->ix->tok[ti];
  if (form >= 0) {
    r->form = form;
    return;
  }
  if (listed) {
    if (t->kind != SC_TOKKIND_ERROR)
      r->kind = t->kind == SC_TOKKIND_STATUS ? SC_KIND_STATUS : SC_KIND_ERROR;
    bool json_form = listed & SC_VTOK_JSON;
    if (json_form != as_json_message && !(listed & SC_VTOK_COMMON) &&
        !(json_form && (listed & SC_VTOK_ERRORS)))
      sc_result_add(r, SC_DEV_ERROR_FORM, off,
                    "%s answered as %s; %s answers it as %s", t->name,
                    as_json_message ? "JSON" : "plain text", v->action->name,
                    json_form ? "{\"status\":\"error\",\"message\":...}"
                              : "plain text");
    return;
  }
  if (t->kind == SC_TOKKIND_ERROR) {
    sc_result_add(r, SC_DEV_UNDOCUMENTED_TOKEN, off,
                  "%s is not documented as an answer of %s in profile %s",
                  t->name, v->action->name, v->profile->name);
    return;
  }
  sc_result_add(r, SC_DEV_WRONG_ANSWER, off, "%s is not an answer of %s",
                t->name, v->action->name);
  r->kind = SC_KIND_NOT_PROTOCOL;
}

bool sc_lex_digits(const char *p, size_t n, size_t min, size_t max) {
  if (n < min || n > max)
    return false;
  for (size_t i = 0; i < n; i++)
    if (p[i] < '0' || p[i] > '9')
      return false;
  return true;
}

bool sc_lex_decimal(const char *p, size_t n) {
  size_t i = 0;
  if (i < n && p[i] == '-')
    i++;
  size_t d0 = i;
  while (i < n && p[i] >= '0' && p[i] <= '9')
    i++;
  if (i == d0)
    return false;
  if (i < n && p[i] == '.') {
    size_t f0 = ++i;
    while (i < n && p[i] >= '0' && p[i] <= '9')
      i++;
    if (i == f0)
      return false;
  }
  return i == n;
}

/* PHP 'Y-m-d H-i-s' with one- or two-digit month, day and hour (001). */
static bool banned_date(const char *p, size_t n) {
  size_t i = 0;
  const char *fmt = "4-2-2 2-2-2";
  for (const char *f = fmt; *f; f++) {
    if (*f == '-' || *f == ' ') {
      if (i >= n || p[i] != *f)
        return false;
      i++;
      continue;
    }
    size_t max = (size_t)(*f - '0'), d = 0;
    while (i < n && d < max && p[i] >= '0' && p[i] <= '9') {
      i++;
      d++;
    }
    if (d == 0 || (max == 4 && d != 4))
      return false;
  }
  return i == n;
}

/* Checks one field's bytes; records a deviation when they do not fit. */
static void check_field(const struct sc_seg *sg, const char *body,
                        const char *p, size_t n, struct sc_result *r) {
  size_t off = (size_t)(p - body);
  char shown[48];
  show(shown, sizeof(shown), p, n, 24);
  switch (sg->type) {
  case SC_FTYPE_ID:
    if (!sc_lex_digits(p, n, 1, 20))
      sc_result_add(r, SC_DEV_FIELD, off, "%s \"%s\" is not a numeric id",
                    sg->name, shown);
    break;
  case SC_FTYPE_INT:
    if (!(n && (sc_lex_digits(p, n, 1, 20) ||
                (p[0] == '-' && sc_lex_digits(p + 1, n - 1, 1, 19)))))
      sc_result_add(r, SC_DEV_FIELD, off, "%s \"%s\" is not a whole number",
                    sg->name, shown);
    break;
  case SC_FTYPE_DECIMAL:
    if (!sc_lex_decimal(p, n))
      sc_result_add(r, SC_DEV_FIELD, off,
                    "%s \"%s\" is not a decimal number (digits, one '.')",
                    sg->name, shown);
    break;
  case SC_FTYPE_MSISDN:
    if (sc_lex_digits(p, n, 6, 15))
      break;
    if (n && p[0] == '+')
      sc_result_add(r, SC_DEV_FIELD, off,
                    "%s \"%s\" has a '+': the handler API sends digits only",
                    sg->name, shown);
    else
      sc_result_add(r, SC_DEV_FIELD, off,
                    "%s \"%s\" is not a phone number of 6 to 15 digits",
                    sg->name, shown);
    break;
  case SC_FTYPE_TEXT:
  case SC_FTYPE_REST:
    if (n == 0)
      sc_result_add(r, SC_DEV_FIELD, off, "%s is empty", sg->name);
    break;
  case SC_FTYPE_BANNED_DATE:
    if (!banned_date(p, n))
      sc_result_add(r, SC_DEV_FIELD, off,
                    "%s \"%s\" is not a date of the form 'Y-m-d H-i-s'",
                    sg->name, shown);
    break;
  case SC_FTYPE__COUNT:
    break;
  }
}

void sc_match_pattern(const struct sc_token *t, const char *body,
                      const char *p, const char *e, struct sc_result *r) {
  for (size_t i = 0; i < t->nsegs; i++) {
    const struct sc_seg *sg = &t->segs[i];
    size_t off = (size_t)(p - body);
    if (!sg->is_field) {
      size_t have = (size_t)(e - p);
      if (have >= sg->lit_len && memcmp(p, sg->lit, sg->lit_len) == 0) {
        p += sg->lit_len;
        /* 001 writes "ACCESS_BALANCE: 'account balance'": a space between
         * ':' and a field is a variant, not part of the field. */
        if (sg->lit[sg->lit_len - 1] == ':' && p < e && *p == ' ' &&
            i + 1 < t->nsegs && t->segs[i + 1].is_field) {
          sc_result_add(r, SC_DEV_FIELD_VARIANT, (size_t)(p - body),
                        "a space after ':' in %s", t->name);
          while (p < e && *p == ' ')
            p++;
        }
        continue;
      }
      /* BANNED:'date' without its quotes is a variant. */
      if (sg->lit[0] == '\'' && sg->lit_len == 1) {
        sc_result_add(r, SC_DEV_FIELD_VARIANT, off,
                      "%s without the quotes of its documented form", t->name);
        continue;
      }
      if (sg->lit_len > 1 && sg->lit[sg->lit_len - 1] == '\'' &&
          have >= sg->lit_len - 1 &&
          memcmp(p, sg->lit, sg->lit_len - 1) == 0) {
        sc_result_add(r, SC_DEV_FIELD_VARIANT, off + sg->lit_len - 1,
                      "%s without the quotes of its documented form", t->name);
        p += sg->lit_len - 1;
        continue;
      }
      char shown[48];
      show(shown, sizeof(shown), p, have, 24);
      sc_result_add(r, SC_DEV_PATTERN, off, "%s: expected \"%.*s\", found \"%s\"",
                    t->name, (int)sg->lit_len, sg->lit, have ? shown : "end");
      return;
    }
    /* A field runs to the next literal's first byte, or to the end. */
    const char *fe = e;
    if (sg->type != SC_FTYPE_REST && i + 1 < t->nsegs && !t->segs[i + 1].is_field) {
      const char *q = memchr(p, t->segs[i + 1].lit[0], (size_t)(e - p));
      if (q)
        fe = q;
    }
    check_field(sg, body, p, (size_t)(fe - p), r);
    if (r->nfields < SC_MAX_FIELDS) {
      struct sc_field *f = &r->fields[r->nfields++];
      f->name = sg->name;
      f->type = sc_ftype_name(sg->type);
      f->value.ptr = p;
      f->value.len = (size_t)(fe - p);
    }
    p = fe;
  }
  if (p < e) {
    char shown[48];
    show(shown, sizeof(shown), p, (size_t)(e - p), 24);
    sc_result_add(r, SC_DEV_PATTERN, (size_t)(p - body),
                  "%s: unexpected \"%s\" after the answer", t->name, shown);
  }
}

static void parse_text(const struct sc_view *v, const char *body,
                       const char *p, const char *e, struct sc_result *r) {
  /* Surrounding quotes: a JSON-encoded or quoted token. */
  if (e - p >= 2 && (*p == '"' || *p == '\'') && e[-1] == *p) {
    sc_result_add(r, SC_DEV_QUOTED, (size_t)(p - body),
                  "the answer is wrapped in %c quotes", *p);
    p++;
    e--;
  }
  size_t bad = plain_ascii(p, (size_t)(e - p))
                   ? (size_t)-1
                   : sc_utf8_check(p, (size_t)(e - p));
  if (bad != (size_t)-1)
    sc_result_add(r, SC_DEV_BINARY, (size_t)(p - body) + bad,
                  "byte 0x%02x is a NUL or not valid UTF-8",
                  (unsigned char)p[bad]);
  const char *q = p;
  while (q < e && is_ident(*q))
    q++;
  size_t n = (size_t)(q - p);
  char shown[64]; /* filled only on the paths that report it */
  if (n == 0) {
    show(shown, sizeof(shown), p, (size_t)(e - p), 32);
    sc_result_add(r, SC_DEV_NOT_PROTOCOL, (size_t)(p - body),
                  "\"%s\" is neither a protocol token nor JSON", shown);
    return;
  }
  const struct sc_token *t = sc_spec_token(v->spec, p, n);
  if (!t && n < 64) {
    /* The same token in other letter case is still a FAIL, but named. */
    char up[64];
    for (size_t i = 0; i < n; i++)
      up[i] = (p[i] >= 'a' && p[i] <= 'z') ? (char)(p[i] - 32) : p[i];
    t = sc_spec_token(v->spec, up, n);
    if (t) {
      sc_result_add(r, SC_DEV_TOKEN_CASE, (size_t)(p - body),
                    "\"%.*s\" is %s in the wrong letter case", (int)n, p,
                    t->name);
      r->token = t;
      r->token_span.ptr = p;
      r->token_span.len = n;
      r->kind = SC_KIND_NOT_PROTOCOL;
      return;
    }
  }
  if (!t) {
    bool tokenish = p[0] >= 'A' && p[0] <= 'Z' && n >= 3;
    for (size_t i = 0; i < n && tokenish; i++)
      tokenish = !(p[i] >= 'a' && p[i] <= 'z');
    if (tokenish && (q == e || *q == ':'))
      sc_result_add(r, SC_DEV_UNKNOWN_TOKEN, (size_t)(p - body),
                    "\"%.*s\" is not a token of any source document",
                    (int)(n > 60 ? 60 : n), p);
    else {
      show(shown, sizeof(shown), p, (size_t)(e - p), 32);
      sc_result_add(r, SC_DEV_NOT_PROTOCOL, (size_t)(p - body),
                    "\"%s\" is neither a protocol token nor JSON", shown);
    }
    return;
  }
  r->token_span.ptr = p;
  r->token_span.len = n;
  sc_match_pattern(t, body, q, e, r);
  judge_token(v, t, (size_t)(p - body), false, r);
}

/* ---- JSON ---- */

/* The string value of |it|, or NULL. */
static const char *str_value(const cJSON *it) {
  return it && (it->type & 0xFF) == cJSON_String ? it->valuestring : NULL;
}

/* Error answers in JSON: {"status":"error","message":T} (001's rent and
 * email sections) and {"title":T,"details":...} (a dialect some vendors
 * use with a 4xx status). Returns true when |j| is one of them. */
static bool json_error(const struct sc_view *v, const cJSON *j, size_t off,
                       struct sc_result *r) {
  /* The first member of each name, as cJSON_GetObjectItemCaseSensitive
   * finds it (its walk also ends at a child without a key, i.e. at once
   * in an array), in one walk instead of four. */
  const cJSON *m_status = NULL, *m_msg = NULL, *m_title = NULL,
              *m_details = NULL;
  for (const cJSON *c = j->child; c && c->string; c = c->next) {
    const char *k = c->string;
    if (k[0] == 's' && !m_status && strcmp(k, "status") == 0)
      m_status = c;
    else if (k[0] == 'm' && !m_msg && strcmp(k, "message") == 0)
      m_msg = c;
    else if (k[0] == 't' && !m_title && strcmp(k, "title") == 0)
      m_title = c;
    else if (k[0] == 'd' && !m_details && strcmp(k, "details") == 0)
      m_details = c;
  }
  const char *status = str_value(m_status);
  const char *msg = str_value(m_msg);
  const char *title = str_value(m_title);
  const char *name = NULL;
  bool problem = false;
  if (status && msg && strcmp(status, "error") == 0) {
    name = msg;
  } else if (title && m_details) {
    name = title;
    problem = true;
  } else {
    return false;
  }
  if (problem)
    sc_result_add(r, SC_DEV_PROBLEM_DETAILS, off,
                  "error %.60s sent as {\"title\",\"details\"} JSON, not as "
                  "the documented plain-text token", name);
  const struct sc_token *t = sc_spec_token(v->spec, name, strlen(name));
  if (!t) {
    r->kind = SC_KIND_ERROR;
    sc_result_add(r, SC_DEV_UNKNOWN_TOKEN, off,
                  "\"%.60s\" is not a token of any source document", name);
    return true;
  }
  judge_token(v, t, off, !problem, r);
  if (problem && r->ndevs && r->devs[r->ndevs - 1].code == SC_DEV_ERROR_FORM) {
    /* the PROBLEM_DETAILS deviation already says it */
    r->ndevs--;
  }
  return true;
}

static enum sc_err parse_json(const struct sc_view *v, const char *body,
                              const char *p, const char *e,
                              struct sc_result *r) {
  size_t off = (size_t)(p - body);
  struct sc_json_error jerr;
  /* Strict validation and cJSON's tree in one pass (sc_json.h). */
  r->json = sc_json_parse(p, (size_t)(e - p), &jerr);
  if (!r->json) {
    size_t at = off + jerr.offset;
    switch (jerr.code) {
    case SC_JSON_ERR_NOMEM:
      return SC_ERR_NOMEM;
    case SC_JSON_ERR_SURROGATE:
      /* Valid syntax that cJSON's tree cannot hold: a lone surrogate
       * escape. */
      sc_result_add(r, SC_DEV_JSON_SYNTAX, at,
                    "\\u%.4s at byte %zu is a surrogate without its pair: "
                    "no UTF-8 text holds it (RFC 8259 section 8.2), and "
                    "cJSON refuses the body",
                    p + jerr.offset + 2, at);
      return SC_ERR_OK;
    default:
      sc_result_add(r, SC_DEV_JSON_SYNTAX, at, "%s at byte %zu",
                    sc_json_strerror(jerr.code), at);
      return SC_ERR_OK;
    }
  }
  if (json_error(v, r->json, off, r))
    return SC_ERR_OK;
  /* The success form that fits best: fewest FAILs, first on a tie. With
   * one JSON form there is nothing to rank: it is matched once, recording
   * (the count of FAILs does not depend on recording). */
  const struct sc_view_ix *ix = v->ix;
  const cJSON *best = NULL;
  size_t best_fails = (size_t)-1;
  int best_i = -1;
  if (ix->nschemas == 1) {
    best = ix->schemas[0];
    best_i = ix->schema_form[0];
  }
  for (size_t k = 0; ix->nschemas > 1 && k < ix->nschemas; k++) {
    size_t fails =
        sc_schema_match(ix->schemas[k], r->json, p, (size_t)(e - p), NULL,
                        ix->shapes);
    if (fails < best_fails) {
      best_fails = fails;
      best = ix->schemas[k];
      best_i = ix->schema_form[k];
    }
  }
  if (!best) {
    sc_result_add(r, SC_DEV_JSON_UNEXPECTED, off,
                  "%s answers plain text, not JSON", v->action->name);
    return SC_ERR_OK;
  }
  size_t before = r->ndevs;
  size_t fails =
      sc_schema_match(best, r->json, p, (size_t)(e - p), r, ix->shapes);
  if (ix->nschemas == 1)
    best_fails = fails;
  for (size_t k = before; k < r->ndevs; k++)
    r->devs[k].offset += off;
  r->form = best_i;
  r->kind = best_fails == 0 ? SC_KIND_SUCCESS : SC_KIND_NOT_PROTOCOL;
  return SC_ERR_OK;
}

/* ---- entry point ---- */

enum sc_err sc_parse(const struct sc_spec *spec, const struct sc_input *in,
                     struct sc_result *out) {
  /* Reset what a reader may look at; the deviation and field arrays are
   * read only up to ndevs / nfields, so they are not cleared (a 3.5 KB
   * memset per call was the largest cost of a text answer). */
  out->token = NULL;
  out->token_span.ptr = NULL;
  out->token_span.len = 0;
  out->nfields = 0;
  out->ndevs = 0;
  out->ndevs_dropped = 0;
  out->json = NULL;
  out->form = -1;
  out->kind = SC_KIND_NOT_PROTOCOL;
  out->verdict = SC_VERDICT_PASS;
  if (!spec || !in || !in->action || (!in->body && in->body_len))
    return SC_ERR_INVAL;
  struct sc_view v;
  enum sc_err e = sc_spec_view(spec, in->action, in->profile, &v);
  if (e)
    return e;
  /* A view of a loaded spec comes from its table, indexed (judge_token
   * and parse_json read the index); a spec without one cannot be used. */
  if (!v.ix)
    return SC_ERR_SPEC;
  const char *body = in->body ? in->body : "";
  const char *p = body, *end = body + in->body_len;
  bool json = false;

  if (p == end) {
    sc_result_add(out, SC_DEV_EMPTY_BODY, 0, "the body is empty");
    goto http;
  }
  if (end - p >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
    sc_result_add(out, SC_DEV_BOM, 0, "a UTF-8 byte order mark");
    p += 3;
  }
  const char *s = p;
  while (p < end && is_ws(*p))
    p++;
  if (p > s)
    sc_result_add(out, SC_DEV_WHITESPACE, (size_t)(s - body),
                  "whitespace before the answer");
  if (p == end) {
    sc_result_add(out, SC_DEV_EMPTY_BODY, (size_t)(s - body),
                  "the body holds only whitespace");
    goto http;
  }
  if (*p == '{' || *p == '[') {
    json = true;
    /* JSON whitespace after the value is part of the JSON text. */
    if ((e = parse_json(&v, body, p, end, out)))
      return e;
    goto http;
  }
  if (*p == '<') {
    char shown[48];
    show(shown, sizeof(shown), p, (size_t)(end - p), 24);
    sc_result_add(out, SC_DEV_HTML_BODY, (size_t)(p - body),
                  "markup \"%s\" where a protocol answer belongs", shown);
    goto http;
  }
  const char *t = end;
  while (t > p && is_ws(t[-1]))
    t--;
  if (t < end)
    sc_result_add(out, SC_DEV_WHITESPACE, (size_t)(t - body),
                  "whitespace after the answer");
  if (v.profile->rest)
    sc_result_add(out, SC_DEV_TEXT_UNEXPECTED, (size_t)(p - body),
                  "the REST dialect answers JSON, not plain text");
  parse_text(&v, body, p, t, out);
http:
  check_http(&v, in, out, json);
  return SC_ERR_OK;
}

void sc_result_free(struct sc_result *r) {
  if (!r)
    return;
  cJSON_Delete(r->json);
  r->json = NULL;
}
