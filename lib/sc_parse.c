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
#include "sc_result.h"
#include "sc_schema.h"
#include "sc_spec.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

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

/* The HTTP status the view's profile declares for the error answer in
 * |r| ("errors"."http_status"; "*" for a token no document defines), or
 * 0 when it declares none. */
static int declared_status(const struct sc_view *v,
                           const struct sc_result *r) {
  if (!v->ix->error_status || r->kind != SC_KIND_ERROR)
    return 0;
  return sc_profile_error_status(v->profile,
                                 r->token ? r->token->name : "*");
}

/* An empty body with HTTP 204 where the profile's override says a success
 * has no body ("no_body"): sc_parse took it as a success. */
static bool empty_success(const struct sc_view *v, const struct sc_input *in,
                          const struct sc_result *r) {
  return v->ix->no_body && in->http_status == 204 &&
         r->kind == SC_KIND_SUCCESS && !r->token && !r->json;
}

static void check_http(const struct sc_view *v, const struct sc_input *in,
                       struct sc_result *r, bool json) {
  int st = in->http_status;
  int want = declared_status(v, r);
  if (empty_success(v, in, r))
    return; /* the documented answer: no body, so no content type */
  if (want) {
    if (st >= 500 && st != want)
      sc_result_add(r, SC_DEV_HTTP_5XX, 0, "HTTP status %d", st);
    else if (st != 0 && st != want)
      sc_result_add(r, SC_DEV_HTTP_STATUS, 0,
                    "HTTP status %d; profile %s answers %s with %d", st,
                    v->profile->name, r->token ? r->token->name : "an error",
                    want);
  } else if (st >= 500) {
    sc_result_add(r, SC_DEV_HTTP_5XX, 0, "HTTP status %d", st);
  } else if (st != 0 && st != 200 && !v->profile->rest &&
             !has_dev(r, SC_DEV_PROBLEM_DETAILS)) {
    sc_result_add(r, SC_DEV_HTTP_STATUS, 0,
                  "HTTP status %d; the handler API answers 200", st);
  }
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

/* The form an error token came in. */
enum eform {
  EF_TEXT,     /* plain text */
  EF_MESSAGE,  /* {"status":"error","message":T} (001's rent and email) */
  EF_ENVELOPE, /* {"status":"error","error":T} (001's Python sample) */
  EF_PROBLEM   /* {"title":T,"details":...} */
};

/* Classifies a known token against the action: sets kind and r->form
 * (the success form naming the token), and checks that the action may
 * answer it. Whether the envelope form is documented is the caller's
 * (json_error's) question, not this one's. */
static void judge_token(const struct sc_view *v, const struct sc_token *t,
                        size_t off, enum eform ef, struct sc_result *r) {
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
    if (v->ix->errors_declared)
      return; /* one form for every error: check_declared_form's */
    bool json_form = listed & SC_VTOK_JSON;
    bool as_json_message = ef == EF_MESSAGE;
    if (ef != EF_ENVELOPE && json_form != as_json_message &&
        !(listed & SC_VTOK_COMMON) &&
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

/* The form a profile's "errors" declares, as the parser names forms. */
static enum eform declared_eform(const struct sc_view_ix *ix) {
  switch (ix->error_form) {
  case SC_ERROR_FORM_STATUS_ERROR:
    return ix->error_key && strcmp(ix->error_key, "message") == 0
               ? EF_MESSAGE
               : EF_ENVELOPE;
  case SC_ERROR_FORM_PROBLEM:
    return EF_PROBLEM;
  case SC_ERROR_FORM_TEXT:
    break;
  }
  return EF_TEXT;
}

static const char *eform_text(enum eform ef) {
  switch (ef) {
  case EF_MESSAGE:
    return "{\"status\":\"error\",\"message\":...}";
  case EF_ENVELOPE:
    return "{\"status\":\"error\",\"error\":...}";
  case EF_PROBLEM:
    return "{\"title\",\"details\"} JSON";
  case EF_TEXT:
    break;
  }
  return "plain text";
}

/* Where the view's profile declares its error envelope ("errors"), an
 * error answer in that form is the documented one and one in any other
 * form the deviation ERROR_FORM (specs/README.md, "A vendor's own
 * profile"). |name| is the token as the answer names it. */
static void check_declared_form(const struct sc_view *v, const char *name,
                                enum eform ef, size_t off,
                                struct sc_result *r) {
  if (!v->ix->errors_declared || r->kind != SC_KIND_ERROR)
    return;
  enum eform want = declared_eform(v->ix);
  if (ef != want)
    sc_result_add(r, SC_DEV_ERROR_FORM, off,
                  "%.40s sent as %s; profile %s answers errors as %s", name,
                  eform_text(ef), v->profile->name, eform_text(want));
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

static bool has_leak(const struct sc_result *r);
static void text_leak_check(struct sc_result *r, const char *body,
                            const char *s, const char *e);

/* Checks one field's bytes; records a deviation when they do not fit. A
 * field that may hold any text is also looked at for server error text
 * (STATUS_OK:CODE): the only place of an answer that passes where such
 * text can be. */
static void check_field(const struct sc_seg *sg, const char *body,
                        const char *p, size_t n, struct sc_result *r) {
  size_t off = (size_t)(p - body);
  char shown[48]; /* filled only on the paths that report it */
#define SHOWN (show(shown, sizeof(shown), p, n, 24), shown)
  switch (sg->type) {
  case SC_FTYPE_ID:
    if (!sc_lex_digits(p, n, 1, 20))
      sc_result_add(r, SC_DEV_FIELD, off, "%s \"%s\" is not a numeric id",
                    sg->name, SHOWN);
    break;
  case SC_FTYPE_INT:
    if (!(n && (sc_lex_digits(p, n, 1, 20) ||
                (p[0] == '-' && sc_lex_digits(p + 1, n - 1, 1, 19)))))
      sc_result_add(r, SC_DEV_FIELD, off, "%s \"%s\" is not a whole number",
                    sg->name, SHOWN);
    break;
  case SC_FTYPE_DECIMAL:
    if (!sc_lex_decimal(p, n))
      sc_result_add(r, SC_DEV_FIELD, off,
                    "%s \"%s\" is not a decimal number (digits, one '.')",
                    sg->name, SHOWN);
    break;
  case SC_FTYPE_MSISDN:
    if (sc_lex_digits(p, n, 6, 15))
      break;
    if (n && p[0] == '+')
      sc_result_add(r, SC_DEV_FIELD, off,
                    "%s \"%s\" has a '+': the handler API sends digits only",
                    sg->name, SHOWN);
    else
      sc_result_add(r, SC_DEV_FIELD, off,
                    "%s \"%s\" is not a phone number of 6 to 15 digits",
                    sg->name, SHOWN);
    break;
  case SC_FTYPE_TEXT:
  case SC_FTYPE_REST:
    if (n == 0)
      sc_result_add(r, SC_DEV_FIELD, off, "%s is empty", sg->name);
    else if (!has_leak(r))
      text_leak_check(r, body, p, p + n);
    break;
  case SC_FTYPE_BANNED_DATE:
    if (!banned_date(p, n))
      sc_result_add(r, SC_DEV_FIELD, off,
                    "%s \"%s\" is not a date of the form 'Y-m-d H-i-s'",
                    sg->name, SHOWN);
    if (!has_leak(r))
      text_leak_check(r, body, p, p + n);
    break;
  case SC_FTYPE__COUNT:
    break;
  }
#undef SHOWN
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
  judge_token(v, t, (size_t)(p - body), EF_TEXT, r);
  check_declared_form(v, t->name, EF_TEXT, (size_t)(p - body), r);
}

/* ---- JSON ---- */

/* The string value of |it|, or NULL. */
static const char *str_value(const cJSON *it) {
  return it && (it->type & 0xFF) == cJSON_String ? it->valuestring : NULL;
}

/* Error answers in JSON: {"status":"error","message":T} (001's rent and
 * email sections), {"status":"error","error":T} (what 001's Python sample
 * reads for getOperators and getActiveActivations; a profile's
 * error_envelope says where it is documented) and {"title":T,
 * "details":...} (a dialect some vendors use with a 4xx status). Returns
 * true when |j| is one of them. */
static bool json_error(const struct sc_view *v, const cJSON *j, size_t off,
                       struct sc_result *r) {
  /* The first member of each name, as cJSON_GetObjectItemCaseSensitive
   * finds it (its walk also ends at a child without a key, i.e. at once
   * in an array), in one walk instead of five. */
  const cJSON *m_status = NULL, *m_msg = NULL, *m_title = NULL,
              *m_details = NULL, *m_error = NULL;
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
    else if (k[0] == 'e' && !m_error && strcmp(k, "error") == 0)
      m_error = c;
  }
  const char *status = str_value(m_status);
  const char *msg = str_value(m_msg);
  const char *err = str_value(m_error);
  const char *title = str_value(m_title);
  const char *name = NULL;
  enum eform ef;
  bool declared = v->ix->errors_declared;
  if (status && (msg || err) && strcmp(status, "error") == 0) {
    /* With both members, the one that names a token: "message" first, as
     * 001 documents it; "error" when only it names one, or when it is
     * the key the profile declares. */
    bool envelope = !msg || (err && !sc_spec_token(v->spec, msg, strlen(msg)) &&
                             sc_spec_token(v->spec, err, strlen(err)));
    if (err && msg && declared && declared_eform(v->ix) == EF_ENVELOPE)
      envelope = true;
    name = envelope ? err : msg;
    ef = envelope ? EF_ENVELOPE : EF_MESSAGE;
  } else if (title && m_details) {
    name = title;
    ef = EF_PROBLEM;
  } else {
    return false;
  }
  if (ef == EF_PROBLEM && !declared)
    sc_result_add(r, SC_DEV_PROBLEM_DETAILS, off,
                  "error %.60s sent as {\"title\",\"details\"} JSON, not as "
                  "the documented plain-text token", name);
  if (ef == EF_ENVELOPE && !v->ix->error_envelope && !declared)
    sc_result_add(r, SC_DEV_ERROR_FORM, off,
                  "%.40s sent as {\"status\":\"error\",\"error\":...}, which "
                  "profile %s does not document for %s (001's Python sample "
                  "reads it for getOperators and getActiveActivations only)",
                  name, v->profile->name, v->action->name);
  const struct sc_token *t = sc_spec_token(v->spec, name, strlen(name));
  if (!t) {
    /* the token with its fields, as the text form writes it
     * ("WRONG_MAX_PRICE:0.50"): the name before the colon, when the token
     * has fields; the fields are not judged here */
    size_t id = 0;
    while (name[id] && is_ident(name[id]))
      id++;
    const struct sc_token *tf =
        name[id] == ':' ? sc_spec_token(v->spec, name, id) : NULL;
    t = tf && tf->nsegs > 0 ? tf : NULL;
  }
  if (!t) {
    r->kind = SC_KIND_ERROR;
    sc_result_add(r, SC_DEV_UNKNOWN_TOKEN, off,
                  "\"%.60s\" is not a token of any source document", name);
    check_declared_form(v, name, ef, off, r);
    return true;
  }
  judge_token(v, t, off, ef, r);
  if (declared) {
    check_declared_form(v, name, ef, off, r);
  } else if (ef == EF_PROBLEM && r->ndevs &&
             r->devs[r->ndevs - 1].code == SC_DEV_ERROR_FORM) {
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

/* ---- server error text ----
 *
 * An endpoint whose database query or code failed often sends the error
 * itself: "no such column: abc", a PHP warning, a Python traceback. Such
 * text is a FAIL of its own (SERVER_ERROR_TEXT), found in any body (plain
 * text, the string values of JSON, HTML) and put first among the
 * deviations. The markers are data: one text matched byte for byte, the
 * engine it belongs to, and optionally a check of what surrounds it where
 * the text alone could be prose. ERROR_SQL, the token 001 documents, is
 * not among them: it says an SQL error happened without leaking it. */

/* Judges the bytes around a marker found at |at| in [s, e); |q| is just
 * past its text. */
typedef bool (*leak_tail_fn)(const char *s, const char *at, const char *q,
                             const char *e);

struct leak_marker {
  const char *text;
  size_t len;
  const char *engine;
  leak_tail_fn tail; /* NULL: the text alone is the marker */
};

/* [p, p+n) holds [m, m+k)? The first occurrence, or NULL. */
static const char *find(const char *p, size_t n, const char *m, size_t k) {
  while (n >= k) {
    const char *c = memchr(p, m[0], n - k + 1);
    if (!c)
      return NULL;
    if (memcmp(c, m, k) == 0)
      return c;
    n -= (size_t)(c + 1 - p);
    p = c + 1;
  }
  return NULL;
}

/* The end of the line that starts at |q|, looking no further than |max|
 * bytes. */
static const char *line_end(const char *q, const char *e, size_t max) {
  const char *le = q;
  while (le < e && *le != '\n' && (size_t)(le - q) < max)
    le++;
  return le;
}

/* A class or constant name follows: sqlite3.OperationalError,
 * SQLITE_ERROR, PG::UndefinedColumn. */
static bool tail_upper(const char *s, const char *at, const char *q,
                       const char *e) {
  (void)s;
  (void)at;
  return q < e && *q >= 'A' && *q <= 'Z';
}

/* A function name follows: mysqli_query. */
static bool tail_lower(const char *s, const char *at, const char *q,
                       const char *e) {
  (void)s;
  (void)at;
  return q < e && *q >= 'a' && *q <= 'z';
}

/* Oracle's "ORA-00942: table or view does not exist": five digits and a
 * colon, not inside a longer word or number. */
static bool tail_ora(const char *s, const char *at, const char *q,
                     const char *e) {
  if (at > s && is_ident(at[-1]))
    return false;
  return e - q >= 6 && sc_lex_digits(q, 5, 5, 5) && q[5] == ':';
}

/* PHP's error line starts NAME: or, in its HTML form, <b>NAME</b>:. */
static const char *php_colon(const char *q, const char *e) {
  if (e - q >= 5 && memcmp(q, "</b>:", 5) == 0)
    return q + 5;
  return q < e && *q == ':' ? q + 1 : NULL;
}

static bool tail_php_fatal(const char *s, const char *at, const char *q,
                           const char *e) {
  (void)s;
  (void)at;
  return php_colon(q, e) != NULL;
}

/* A PHP warning or notice, which prose may begin the same way, also says
 * where: "Warning: Undefined variable $x in /var/www/a.php on line 3"
 * (in HTML "... in <b>/var/www/a.php</b> on line <b>3</b>"). */
static bool tail_php_line(const char *s, const char *at, const char *q,
                          const char *e) {
  (void)s;
  (void)at;
  if (!(q = php_colon(q, e)))
    return false;
  const char *le = line_end(q, e, 600);
  const char *on = find(q, (size_t)(le - q), " on line ", 9);
  if (!on || !find(q, (size_t)(on - q), " in ", 4))
    return false;
  const char *d = on + 9;
  if (le - d >= 3 && memcmp(d, "<b>", 3) == 0)
    d += 3;
  return d < le && *d >= '0' && *d <= '9';
}

/* PHP's "Stack trace:" is followed by frame #0. */
static bool tail_stack(const char *s, const char *at, const char *q,
                       const char *e) {
  (void)s;
  (void)at;
  const char *h = find(q, (size_t)(e - q) < 24 ? (size_t)(e - q) : 24, "#0", 2);
  return h != NULL;
}

/* Past a frame's function name (com.x.Y.z, Object.<anonymous>, with a
 * dot when |dotted|); NULL when there is none. */
static const char *frame_name(const char *q, const char *e, bool dotted) {
  bool dot = false;
  const char *n = q;
  while (q < e && (is_ident(*q) || *q == '.' || *q == '$' || *q == '<' ||
                   *q == '>')) {
    dot |= *q == '.';
    q++;
  }
  return q > n && (dot || !dotted) ? q : NULL;
}

/* A Java frame: "\tat com.x.Y.z(Y.java:12)". */
static bool tail_java_frame(const char *s, const char *at, const char *q,
                            const char *e) {
  if (at == s || at[-1] != '\t' || !(q = frame_name(q, e, true)))
    return false;
  return q < e && *q == '(';
}

/* A Node.js frame: "    at getBalance (/app/x.js:3:9)", its place
 * ending in :LINE:COLUMN). */
static bool tail_node_frame(const char *s, const char *at, const char *q,
                            const char *e) {
  if (at - s < 4 || memcmp(at - 4, "    ", 4) != 0 ||
      !(q = frame_name(q, e, false)) || e - q < 2 ||
      memcmp(q, " (", 2) != 0)
    return false;
  const char *le = line_end(q, e, 300);
  const char *c = memchr(q, ')', (size_t)(le - q));
  /* back from the ')': digits, ':', digits, ':' */
  int colons = 0;
  while (c && c > q && colons < 2) {
    const char *d = c;
    while (d > q && d[-1] >= '0' && d[-1] <= '9')
      d--;
    if (d == c || d == q || d[-1] != ':')
      return false;
    c = d - 1;
    colons++;
  }
  return colons == 2;
}

/* |tail| (|n| bytes) further on the line that starts at |q|. */
static bool on_line(const char *q, const char *e, const char *tail,
                    size_t n) {
  const char *le = line_end(q, e, 200);
  return find(q, (size_t)(le - q), tail, n) != NULL;
}

/* PostgreSQL's 'relation "x" does not exist', 'column "x" does not
 * exist', on one line. */
static bool tail_pg_missing(const char *s, const char *at, const char *q,
                            const char *e) {
  (void)s;
  (void)at;
  return on_line(q, e, "\" does not exist", 16);
}

/* MySQL's "Table 'db.t' doesn't exist", on one line. */
static bool tail_my_missing(const char *s, const char *at, const char *q,
                            const char *e) {
  (void)s;
  (void)at;
  return on_line(q, e, "' doesn't exist", 15);
}

/* Go's "goroutine 1 [running]:". */
static bool tail_goroutine(const char *s, const char *at, const char *q,
                           const char *e) {
  (void)s;
  (void)at;
  const char *d = q;
  while (d < e && *d >= '0' && *d <= '9')
    d++;
  return d > q && e - d >= 2 && d[0] == ' ' && d[1] == '[';
}

#define LEAK(t, eng, tail) {t, sizeof(t) - 1, eng, tail}
#define LEAK_END {NULL, 0, NULL, NULL}

/* The markers, in lists by their first byte so that a scan looks at each
 * byte once and compares only the few markers that start with it. */
static const struct leak_marker leak_tab[] = {
    LEAK("ActiveRecord::", "Ruby on Rails", tail_upper), LEAK_END,
    LEAK("Call to undefined function", "PHP", NULL),
    LEAK("Call to a member function", "PHP", NULL),
    LEAK("Cannot read properties of undefined", "Node.js", NULL),
    LEAK("Cannot read property '", "Node.js", NULL), LEAK_END,
    LEAK("DBD::", "Perl DBI", NULL),
    LEAK("Deprecated", "PHP", tail_php_line), LEAK_END,
    LEAK("Exception in thread", "Java", NULL),
    LEAK("ER_BAD_FIELD_ERROR", "MySQL", NULL),
    LEAK("ER_NO_SUCH_TABLE", "MySQL", NULL),
    LEAK("ER_PARSE_ERROR", "MySQL", NULL), LEAK_END,
    LEAK("Fatal error", "PHP", tail_php_fatal), LEAK_END,
    LEAK("MySQLdb.", "MySQL", tail_upper),
    LEAK("Microsoft.Data.SqlClient.", "SQL Server", NULL), LEAK_END,
    LEAK("Notice", "PHP", tail_php_line),
    LEAK("NoneType' object", "Python", NULL), LEAK_END,
    LEAK("ORA-", "Oracle", tail_ora), LEAK_END,
    LEAK("PG::", "PostgreSQL", tail_upper),
    LEAK("Parse error", "PHP", tail_php_line), LEAK_END,
    LEAK("SQLITE_", "SQLite", tail_upper),
    LEAK("SQLSTATE[", "SQL (PHP PDO)", NULL),
    LEAK("SQLite3::", "SQLite", NULL),
    LEAK("Stack trace:", "PHP", tail_stack),
    LEAK("System.Data.SqlClient.", "SQL Server", NULL),
    LEAK("Server Error in '/' Application", "ASP.NET", NULL),
    LEAK("SequelizeDatabaseError", "SQL (Sequelize)", NULL), LEAK_END,
    LEAK("Traceback (most recent call last):", "Python", NULL),
    LEAK("Table '", "MySQL", tail_my_missing), LEAK_END,
    LEAK("Unknown column '", "MySQL", NULL),
    LEAK("Unclosed quotation mark after the character string", "SQL Server",
         NULL),
    LEAK("UnhandledPromiseRejection", "Node.js", NULL), LEAK_END,
    LEAK("Warning", "PHP", tail_php_line), LEAK_END,
    LEAK("You have an error in your SQL syntax", "MySQL", NULL), LEAK_END,
    LEAK("[Microsoft][", "SQL Server (ODBC)", NULL), LEAK_END,
    LEAK("asyncpg.exceptions.", "PostgreSQL", NULL),
    LEAK("at ", "Java", tail_java_frame),
    LEAK("at ", "Node.js", tail_node_frame), LEAK_END,
    LEAK("cx_Oracle.", "Oracle", NULL),
    LEAK("column \"", "PostgreSQL", tail_pg_missing), LEAK_END,
    LEAK("database is locked", "SQLite", NULL),
    LEAK("django.db.utils.", "SQL (Django)", tail_upper), LEAK_END,
    LEAK("goroutine ", "Go", tail_goroutine), LEAK_END,
    LEAK("java.lang.", "Java", tail_upper),
    LEAK("java.sql.", "SQL (Java JDBC)", tail_upper), LEAK_END,
    LEAK("mysqli_", "MySQL", tail_lower),
    LEAK("mysql.connector.errors", "MySQL", NULL), LEAK_END,
    LEAK("no such column", "SQLite", NULL),
    LEAK("no such table", "SQLite", NULL),
    LEAK("node:internal/", "Node.js", NULL), LEAK_END,
    LEAK("psycopg2.", "PostgreSQL", NULL),
    LEAK("pymysql.err.", "MySQL", NULL),
    LEAK("panic: runtime error", "Go", NULL), LEAK_END,
    LEAK("relation \"", "PostgreSQL", tail_pg_missing), LEAK_END,
    LEAK("sqlite3.", "SQLite", tail_upper),
    LEAK("syntax error at or near", "PostgreSQL", NULL),
    LEAK("sqlalchemy.exc.", "SQL (SQLAlchemy)", tail_upper), LEAK_END,
};

/* B(c): the bit of a second byte in a list's mask (by its low six bits;
 * bytes that share them only cost a comparison). */
#define B(c) ((uint64_t)1 << ((unsigned char)(c) & 63))

/* The lists of leak_tab: where each starts, and the second bytes of its
 * markers, so that most bytes that start a marker of prose ("c" of
 * "Country") are passed over after one test. */
static const struct leak_list {
  unsigned char at; /* index in leak_tab */
  uint64_t second;
} leak_lists[] = {
    {0, B('c')}, /* A */
    {2, B('a')}, /* C */
    {7, B('B') | B('e')}, /* D */
    {10, B('x') | B('R')}, /* E */
    {15, B('a')}, /* F */
    {17, B('y') | B('i')}, /* M */
    {20, B('o')}, /* N */
    {23, B('R')}, /* O */
    {25, B('G') | B('a')}, /* P */
    {28, B('Q') | B('t') | B('y') | B('e')}, /* S */
    {36, B('r') | B('a')}, /* T */
    {39, B('n')}, /* U */
    {43, B('a')}, /* W */
    {45, B('o')}, /* Y */
    {47, B('M')}, /* [ */
    {49, B('s') | B('t')}, /* a */
    {53, B('x') | B('o')}, /* c */
    {56, B('a') | B('j')}, /* d */
    {59, B('o')}, /* g */
    {61, B('a')}, /* j */
    {64, B('y')}, /* m */
    {67, B('o')}, /* n */
    {71, B('s') | B('y') | B('a')}, /* p */
    {75, B('e')}, /* r */
    {77, B('q') | B('y')}, /* s */
};

/* The list (number + 1) of each first byte; 0: no marker starts with it.
 * sc_leak_marker_check proves this index, the lists and the masks right. */
static const unsigned char leak_by_byte[256] = {
    ['A'] = 1, ['C'] = 2, ['D'] = 3, ['E'] = 4, ['F'] = 5, ['M'] = 6,
    ['N'] = 7, ['O'] = 8, ['P'] = 9, ['S'] = 10, ['T'] = 11, ['U'] = 12,
    ['W'] = 13, ['Y'] = 14, ['['] = 15, ['a'] = 16, ['c'] = 17, ['d'] = 18,
    ['g'] = 19, ['j'] = 20, ['m'] = 21, ['n'] = 22, ['p'] = 23, ['r'] = 24,
    ['s'] = 25,
};

struct leak_hit {
  const struct leak_marker *m;
  const char *at;
};

/* The marker of list |k| that starts at |p| in [s, e), if any. */
static const struct leak_marker *leak_at(const char *s, const unsigned char *p,
                                         const char *e, unsigned char k) {
  for (const struct leak_marker *m = &leak_tab[leak_lists[k - 1].at]; m->text;
       m++) {
    if (p[1] == (unsigned char)m->text[1] &&
        (size_t)((const unsigned char *)e - p) >= m->len &&
        memcmp(p, m->text, m->len) == 0 &&
        (!m->tail || m->tail(s, (const char *)p, (const char *)p + m->len, e)))
      return m;
  }
  return NULL;
}

/* The first marker in [s, e), by position: one look-up per byte, and the
 * markers of a list compared only where the next byte is one of their
 * second bytes. (Passing over eight bytes below 'A' at once, as
 * plain_ascii tests words, made the bench's JSON no faster: its strings
 * are names and texts more than digits.) */
static bool leak_find(const char *s, const char *e, struct leak_hit *h) {
  const unsigned char *p = (const unsigned char *)s,
                      *last = (const unsigned char *)e - 1;
  for (; p < last; p++) {
    unsigned char k = leak_by_byte[*p];
    if (__builtin_expect(k != 0, 0) && (leak_lists[k - 1].second & B(p[1]))) {
      const struct leak_marker *m = leak_at(s, p, e, k);
      if (m) {
        h->m = m;
        h->at = (const char *)p;
        return true;
      }
    }
  }
  return false;
}

bool sc_leak_marker_check(char *why, size_t whylen) {
  const size_t n = sizeof leak_tab / sizeof *leak_tab;
  const size_t nlists = sizeof leak_lists / sizeof *leak_lists;
  if (n == 0 || leak_tab[n - 1].text) {
    snprintf(why, whylen, "the table does not end with a list end");
    return false;
  }
  size_t seen_lists = 0;
  for (unsigned b = 0; b < 256; b++) {
    size_t first = 0, all = 0, listed = 0;
    for (size_t k = 0; k < n; k++)
      if (leak_tab[k].text && (unsigned char)leak_tab[k].text[0] == b &&
          !all++)
        first = k + 1;
    unsigned char li = leak_by_byte[b];
    if (!first && !li)
      continue;
    if (!first || !li || li > nlists || leak_lists[li - 1].at != first - 1) {
      snprintf(why, whylen,
               "byte 0x%02x: list %u, but its first marker is at %zu", b, li,
               first);
      return false;
    }
    seen_lists++;
    if (first > 1 && leak_tab[first - 2].text) {
      snprintf(why, whylen, "byte 0x%02x: its list does not follow a list end",
               b);
      return false;
    }
    for (size_t k = first - 1; leak_tab[k].text; k++, listed++) {
      const struct leak_marker *m = &leak_tab[k];
      if ((unsigned char)m->text[0] != b || m->len < 3 ||
          m->len != strlen(m->text) ||
          !(leak_lists[li - 1].second & B(m->text[1]))) {
        snprintf(why, whylen,
                 "marker \"%s\" in the list of byte 0x%02x (its first byte, "
                 "a length below 3, or a second byte not in the mask)",
                 m->text, b);
        return false;
      }
    }
    if (listed != all) {
      snprintf(why, whylen, "byte 0x%02x: %zu markers, %zu in its list", b,
               all, listed);
      return false;
    }
  }
  if (seen_lists != nlists) {
    snprintf(why, whylen, "%zu lists, %zu reached from leak_by_byte", nlists,
             seen_lists);
    return false;
  }
  return true;
}

const char *sc_leak_marker(size_t i, const char **engine) {
  size_t k = 0;
  for (size_t t = 0; t < sizeof leak_tab / sizeof *leak_tab; t++) {
    if (!leak_tab[t].text || k++ != i)
      continue;
    if (engine)
      *engine = leak_tab[t].engine;
    return leak_tab[t].text;
  }
  return NULL;
}

size_t sc_leak_scan(const char *p, size_t n, const char **engine,
                    const char **marker) {
  struct leak_hit h;
  if (!p || !leak_find(p, p + n, &h))
    return (size_t)-1;
  if (engine)
    *engine = h.m->engine;
  if (marker)
    *marker = h.m->text;
  return (size_t)(h.at - p);
}

/* True once server error text was found (it is then devs[0]). */
static bool has_leak(const struct sc_result *r) {
  return r->ndevs && r->devs[0].code == SC_DEV_SERVER_ERROR_TEXT;
}

/* Records |code| as devs[0]: the deviation a report names first. When the
 * list is full, the last one is dropped (and counted) to make room. */
static void add_first(struct sc_result *r, enum sc_dev code, size_t off,
                      const char *msg) {
  if (r->ndevs == SC_MAX_DEVIATIONS) {
    r->ndevs--;
    r->ndevs_dropped++;
  }
  sc_result_add(r, code, off, "%s", msg);
  struct sc_deviation d = r->devs[r->ndevs - 1];
  memmove(&r->devs[1], &r->devs[0], (r->ndevs - 1) * sizeof d);
  r->devs[0] = d;
}

/* SERVER_ERROR_TEXT for the marker |h| found in [s, e); |off| is where
 * the report points, |path| the JSON path of the string ("" for text). */
static void leak_report(struct sc_result *r, const struct leak_hit *h,
                        const char *e, size_t off, const char *path) {
  char shown[64], msg[SC_DEV_MESSAGE_MAX];
  const char *le = line_end(h->at, e, 40);
  show(shown, sizeof shown, h->at, (size_t)(le - h->at), 40);
  snprintf(msg, sizeof msg, "%s%s%s error text in the answer: \"%s\" "
                            "(marker \"%s\")",
           path, path[0] ? ": " : "", h->m->engine, shown, h->m->text);
  add_first(r, SC_DEV_SERVER_ERROR_TEXT, off, msg);
}

/* The first string value of |j| (depth first) holding a marker. */
static const cJSON *json_leak(const cJSON *j, struct leak_hit *h) {
  for (const cJSON *c = j->child; c; c = c->next) {
    int type = c->type & 0xFF;
    if (!(type & (cJSON_String | cJSON_Object | cJSON_Array)))
      continue; /* numbers, booleans, null: the most of a large body */
    if (type == cJSON_String) {
      const char *v = c->valuestring;
      /* a value shorter than eight bytes (an id, a code, a name) is too
       * short to be an error message */
      if (v && v[0] && v[1] && v[2] && v[3] && v[4] && v[5] && v[6] &&
          v[7] && leak_find(v, v + strlen(v), h))
        return c;
    } else if ((type == cJSON_Object || type == cJSON_Array) && c->child) {
      const cJSON *f = json_leak(c, h);
      if (f)
        return f;
    }
  }
  return NULL;
}

#define LEAK_PATH_MAX 16

/* The steps from |j| to |target| as sc_json_locate takes them; returns
 * their count, 0 when |target| is deeper than LEAK_PATH_MAX. */
static size_t json_steps(const cJSON *j, const cJSON *target,
                         const char **steps, char (*idx)[16], size_t depth) {
  if (depth == LEAK_PATH_MAX)
    return 0;
  bool object = (j->type & 0xFF) == cJSON_Object;
  int i = 0;
  for (const cJSON *c = j->child; c; c = c->next, i++) {
    if (object) {
      steps[depth] = c->string;
    } else {
      snprintf(idx[depth], sizeof idx[depth], "[%d]", i);
      steps[depth] = idx[depth];
    }
    if (c == target)
      return depth + 1;
    size_t n = c->child ? json_steps(c, target, steps, idx, depth + 1) : 0;
    if (n)
      return n;
  }
  return 0;
}

/* Looks for server error text in the string values of the parsed JSON
 * [p, e) of |body|. */
static void json_leak_check(struct sc_result *r, const char *body,
                            const char *p, const char *e) {
  struct leak_hit h;
  const cJSON *s = r->json ? json_leak(r->json, &h) : NULL;
  if (!s)
    return;
  const char *steps[LEAK_PATH_MAX];
  char idx[LEAK_PATH_MAX][16], path[96];
  size_t n = json_steps(r->json, s, steps, idx, 0);
  size_t off = (size_t)(p - body), at = (size_t)-1;
  if (n)
    at = sc_json_locate_valid(p, (size_t)(e - p), steps, n);
  if (at != (size_t)-1)
    off += at;
  size_t l = (size_t)snprintf(path, sizeof path, "$");
  for (size_t i = 0; i < n && l < sizeof path; i++)
    l += (size_t)snprintf(path + l, sizeof path - l,
                          steps[i] == idx[i] ? "%s" : ".%s", steps[i]);
  leak_report(r, &h, s->valuestring + strlen(s->valuestring), off, path);
}

/* Looks for server error text in the bytes [s, e) of |body|. */
static void text_leak_check(struct sc_result *r, const char *body,
                            const char *s, const char *e) {
  struct leak_hit h;
  if (leak_find(s, e, &h))
    leak_report(r, &h, e, (size_t)(h.at - body), "");
}

/* True for a success of the documented shape without a deviation, but
 * for whitespace or a byte order mark around it (which do not change what
 * the answer says, and which a client's re-written body drops). */
static bool clean_success(const struct sc_result *r) {
  if (r->kind != SC_KIND_SUCCESS || r->ndevs_dropped)
    return false;
  for (size_t i = 0; i < r->ndevs; i++)
    if (r->devs[i].code != SC_DEV_WHITESPACE && r->devs[i].code != SC_DEV_BOM)
      return false;
  return true;
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
    /* the profile's override: a success is an empty body with HTTP 204 */
    if (v.ix->no_body && in->http_status == 204)
      out->kind = SC_KIND_SUCCESS;
    else
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
    /* A success of the documented shape is not what a server that failed
     * sends: its strings are data (names, SMS texts), and a large answer
     * (getPrices) costs nothing more. Every other JSON answer has its
     * string values scanned; one that is not JSON at all, its bytes. */
    if (!out->json)
      text_leak_check(out, body, body, end);
    else if (!clean_success(out))
      json_leak_check(out, body, p, end);
    goto http;
  }
  if (*p == '<') {
    char shown[48];
    show(shown, sizeof(shown), p, (size_t)(end - p), 24);
    sc_result_add(out, SC_DEV_HTML_BODY, (size_t)(p - body),
                  "markup \"%s\" where a protocol answer belongs", shown);
    text_leak_check(out, body, body, end);
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
  /* Error text is looked for where it can be, so that the common answers
   * cost nothing more: an answer that passes (or only warns) is a token,
   * numbers and at most quotes and whitespace around, apart from its text
   * fields (STATUS_OK:CODE), which check_field scans; one that fails is
   * scanned whole, past the token's name (no marker starts inside one). */
  if (out->verdict == SC_VERDICT_FAIL && !has_leak(out))
    text_leak_check(out, body,
                    out->token_span.ptr
                        ? out->token_span.ptr + out->token_span.len
                        : body,
                    end);
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
