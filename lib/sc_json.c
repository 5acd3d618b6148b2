/* sc_json.c — strict RFC 8259 JSON validation with byte offsets, and the
 * one-pass parser that builds cJSON's tree (see sc_json.h).
 *
 * One forward pass over the bytes, no recursion: the open arrays and
 * objects are kept in a fixed stack of SC_JSON_MAX_DEPTH entries. Every
 * read is guarded by the span length, so the input need not be
 * NUL-terminated and may hold NUL bytes. The grammar is written once
 * (walk()); the validator runs it without a tree, the parser with one, so
 * both accept and refuse the same bytes with the same codes and offsets.
 *
 * Offsets: an error points at the first byte that makes the input invalid,
 * i.e. the first byte no valid JSON text with the same prefix could have.
 * Examples: "-01" is NUMBER at the '1'; "\u12" followed by '"' is ESCAPE at
 * the '"'; inside a string, UTF-8 "\xED\xA0\x80" is UTF8 at the 0xA0. When
 * the input ends where more bytes are required the offset is |len|
 * (TRUNCATED, or EMPTY when there is no value at all).
 *
 * Codes: when the offending byte also starts invalid UTF-8 (a stray 0xFF
 * after a value, 0xE5 after "1e"), the code is UTF8 rather than TRAILING,
 * UNEXPECTED, NUMBER or ESCAPE: a body that is not UTF-8 is not JSON at all
 * (RFC 8259 section 8.1), which is the more useful diagnosis. */
#include "sc_json.h"

#include "sc_escape.h"

#include <float.h>
#include <limits.h>
#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* What a byte means inside a string (RFC 8259 section 7):
 * unescaped = %x20-21 / %x23-5B / %x5D-10FFFF. */
enum {
  S_PLAIN = 0, /* printable ASCII other than '"' and '\\' */
  S_QUOTE = 1, /* '"' ends the string */
  S_ESC = 2,   /* '\\' starts an escape */
  S_CTRL = 3,  /* %x00-1F must be escaped */
  S_UTF8 = 4   /* >= 0x80: a multi-byte UTF-8 sequence (RFC 8259 section 8.1) */
};

static const unsigned char str_class[256] = {
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, /* 0x00 */
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, /* 0x10 */
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x20 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x30 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x40 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, /* 0x50 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x60 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x70 */
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, /* 0x80 */
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, /* 0x90 */
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, /* 0xA0 */
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, /* 0xB0 */
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, /* 0xC0 */
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, /* 0xD0 */
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, /* 0xE0 */
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, /* 0xF0 */
};

/* RFC 8259 section 2: ws = %x20 / %x09 / %x0A / %x0D. Nothing else (no
 * form feed, no NBSP, no BOM). */
static inline size_t skip_ws(const unsigned char *p, size_t len, size_t i) {
  /* compact JSON has none: one test for the usual case */
  if (i < len && p[i] > ' ')
    return i;
  while (i < len &&
         (p[i] == ' ' || p[i] == '\n' || p[i] == '\r' || p[i] == '\t'))
    i++;
  return i;
}

static int is_digit(unsigned char c) {
  return (unsigned)(c - '0') < 10;
}

static int is_hex(unsigned char c) {
  return (unsigned)(c - '0') < 10 || (unsigned)((c | 0x20) - 'a') < 6;
}

/* The byte at |i| is not allowed there by the grammar: |code| at |i|,
 * unless it starts invalid UTF-8, which is UTF8 at |i| wherever it occurs
 * (RFC 8259 section 8.1: a JSON text is UTF-8). */
static enum sc_json_err bad_byte(const unsigned char *p, size_t len, size_t i,
                                 enum sc_json_err code, size_t *off) {
  size_t ignored;

  *off = i;
  if (p[i] >= 0x80 && !sc_utf8_seq(p, len, i, &ignored))
    return SC_JSON_ERR_UTF8;
  return code;
}

/* Scans the string whose opening quote is at |*pos| (RFC 8259 section 7).
 * On success |*pos| is just past the closing quote, and |*esc| is set when
 * the string holds an escape (it is left alone otherwise). Escaped
 * surrogates are not paired up: "\uD800" alone is syntactically valid
 * (section 8.2). */
/* Inlined into scan_value: keys and short values are most of the strings
 * of a body, and a call per string cost more than scanning it. */
static inline __attribute__((always_inline)) enum sc_json_err
scan_string(const unsigned char *p, size_t len, size_t *pos, size_t *off,
            int *esc) {
  size_t i = *pos + 1, n, k;

  for (;;) {
    /* The hot loop: most string bytes are plain ASCII. Eight at a time: a
     * word with no byte < 0x20, '"', '\\' or >= 0x80 is plain. A borrow
     * can flag a plain byte after a flagged one, never the first flagged
     * one, and a flag only hands over to the byte loop below. */
    while (len - i >= 8) {
      const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
      uint64_t w, q, b;
      memcpy(&w, p + i, 8);
      q = w ^ (ones * '"');
      b = w ^ (ones * '\\');
      if (((w - ones * 0x20) | (q - ones) | (b - ones) | w) & highs)
        break;
      i += 8;
    }
    while (i < len && str_class[p[i]] == S_PLAIN)
      i++;
    if (i >= len)
      goto truncated;
    switch (str_class[p[i]]) {
    case S_QUOTE:
      *pos = i + 1;
      return SC_JSON_ERR_OK;
    case S_ESC:
      *esc = 1;
      if (++i >= len)
        goto truncated;
      switch (p[i]) {
      case '"':
      case '\\':
      case '/':
      case 'b':
      case 'f':
      case 'n':
      case 'r':
      case 't':
        i++;
        break;
      case 'u': /* exactly four hex digits */
        for (k = 1; k <= 4; k++) {
          if (i + k >= len)
            goto truncated;
          if (!is_hex(p[i + k]))
            return bad_byte(p, len, i + k, SC_JSON_ERR_ESCAPE, off);
        }
        i += 5;
        break;
      default:
        return bad_byte(p, len, i, SC_JSON_ERR_ESCAPE, off);
      }
      break;
    case S_CTRL:
      *off = i;
      return SC_JSON_ERR_STRING_CTRL;
    default: /* S_UTF8 */
      /* Fast path for runs of the common well-formed sequences of SMS
       * texts: C2-DF 80-BF (Cyrillic, Greek, ...) and E1-EC/EE-EF 80-BF
       * 80-BF (CJK, punctuation). E0, ED and 4-byte forms have narrower
       * ranges and go through sc_utf8_seq(). */
      for (;;) {
        unsigned char c = p[i];
        if (c <= 0xDF) {
          if (c < 0xC2 || len - i < 2 || (p[i + 1] & 0xC0) != 0x80)
            break;
          i += 2;
        } else if (c <= 0xEF && c != 0xE0 && c != 0xED) {
          if (len - i < 3 || (p[i + 1] & 0xC0) != 0x80 ||
              (p[i + 2] & 0xC0) != 0x80)
            break;
          i += 3;
        } else {
          break;
        }
        if (i >= len || p[i] < 0x80)
          break;
      }
      if (i >= len || str_class[p[i]] != S_UTF8)
        break;
      n = sc_utf8_seq(p, len, i, off);
      if (!n) {
        if (*off == len)
          goto truncated;
        return SC_JSON_ERR_UTF8;
      }
      i += n;
      break;
    }
  }
truncated:
  *off = len;
  return SC_JSON_ERR_TRUNCATED;
}

/* Scans the number starting at |*pos| (RFC 8259 section 6):
 *   number = [ minus ] int [ frac ] [ exp ]
 *   int = zero / ( digit1-9 *DIGIT )
 *   frac = decimal-point 1*DIGIT
 *   exp = e [ minus / plus ] 1*DIGIT
 * The range is not limited (section 6 allows "1e99999"). A digit, letter,
 * '.', '+' or '-' right after the number is NUMBER at that byte, so "-01",
 * "0x1" and "1.5.3" read as malformed numbers rather than as trailing bytes. */
static enum sc_json_err scan_number(const unsigned char *p, size_t len,
                                    size_t *pos, size_t *off) {
  size_t i = *pos;
  unsigned char c;

  if (p[i] == '-')
    i++;
  if (i >= len)
    goto truncated;
  if (p[i] == '0') {
    i++;
  } else if (is_digit(p[i])) {
    while (i < len && is_digit(p[i]))
      i++;
  } else {
    goto bad;
  }
  if (i < len && p[i] == '.') {
    if (++i >= len)
      goto truncated;
    if (!is_digit(p[i]))
      goto bad;
    while (i < len && is_digit(p[i]))
      i++;
  }
  if (i < len && (p[i] == 'e' || p[i] == 'E')) {
    if (++i >= len)
      goto truncated;
    if (p[i] == '+' || p[i] == '-')
      if (++i >= len)
        goto truncated;
    if (!is_digit(p[i]))
      goto bad;
    while (i < len && is_digit(p[i]))
      i++;
  }
  if (i < len) {
    c = p[i];
    if (is_digit(c) || (unsigned)((c | 0x20) - 'a') < 26 || c == '.' ||
        c == '+' || c == '-')
      goto bad;
  }
  *pos = i;
  return SC_JSON_ERR_OK;
bad:
  return bad_byte(p, len, i, SC_JSON_ERR_NUMBER, off);
truncated:
  *off = len;
  return SC_JSON_ERR_TRUNCATED;
}

/* Scans the literal |lit| (true, false or null; RFC 8259 section 3, which
 * also makes them lowercase only) at |*pos|. */
static enum sc_json_err scan_literal(const unsigned char *p, size_t len,
                                     size_t *pos, const char *lit,
                                     size_t *off) {
  size_t i = *pos, k;

  for (k = 0; lit[k]; k++) {
    if (i + k >= len) {
      *off = len;
      return SC_JSON_ERR_TRUNCATED;
    }
    if (p[i + k] != (unsigned char)lit[k])
      return bad_byte(p, len, i + k, SC_JSON_ERR_UNEXPECTED, off);
  }
  *pos = i + k;
  return SC_JSON_ERR_OK;
}

/* The value of the four hex digits at |p|. */
static unsigned hex4(const unsigned char *p) {
  unsigned v = 0;
  for (int k = 0; k < 4; k++) {
    unsigned c = p[k];
    v = v << 4 | (c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
  }
  return v;
}

/* ---- the tree: what cJSON_ParseWithLength builds ----
 *
 * cJSON's conventions (cJSON.c, parse_array and parse_object): a node is
 * zeroed before it is filled; children are linked by next and prev in
 * order, the first child's prev points at the last child and the last
 * child's next is NULL; a member's key is in |string|, its value in the
 * same node; true has valueint 1; a number's valueint is its double
 * saturated to INT_MIN..INT_MAX. Every node is linked into the tree as
 * soon as it is allocated and every string stored as soon as it is made,
 * so cJSON_Delete of the root frees a tree that was left half-built. */

static cJSON *new_node(void) {
  cJSON *n = cJSON_malloc(sizeof *n);
  if (n)
    memset(n, 0, sizeof *n);
  return n;
}

/* Appends a new zeroed node to the children of |c|; NULL when out of
 * memory. */
static inline cJSON *add_child(cJSON *c) {
  cJSON *n = new_node();
  if (!n)
    return NULL;
  if (!c->child) {
    c->child = n;
    n->prev = n;
  } else {
    cJSON *last = c->child->prev;
    last->next = n;
    n->prev = last;
    c->child->prev = n;
  }
  return n;
}

/* Writes code point |u| (at most U+10FFFF) as UTF-8 at |out|; returns the
 * number of bytes. */
static size_t put_utf8(unsigned char *out, unsigned long u) {
  if (u < 0x80) {
    out[0] = (unsigned char)u;
    return 1;
  }
  if (u < 0x800) {
    out[0] = (unsigned char)(0xC0 | u >> 6);
    out[1] = (unsigned char)(0x80 | (u & 0x3F));
    return 2;
  }
  if (u < 0x10000) {
    out[0] = (unsigned char)(0xE0 | u >> 12);
    out[1] = (unsigned char)(0x80 | (u >> 6 & 0x3F));
    out[2] = (unsigned char)(0x80 | (u & 0x3F));
    return 3;
  }
  out[0] = (unsigned char)(0xF0 | u >> 18);
  out[1] = (unsigned char)(0x80 | (u >> 12 & 0x3F));
  out[2] = (unsigned char)(0x80 | (u >> 6 & 0x3F));
  out[3] = (unsigned char)(0x80 | (u & 0x3F));
  return 4;
}

/* The contents of the VALID string whose bytes between the quotes are
 * p[s..e), unescaped, NUL-terminated, from cJSON_malloc: what cJSON's
 * parse_string makes of it ("\u0000" becomes a NUL byte that ends the C
 * string early, as there). NULL with |*why| = NOMEM when out of memory,
 * or SURROGATE for a surrogate escape without its pair, which cJSON
 * refuses. Unescaped strings, nearly all of them, are one copy. */
static char *make_string(const unsigned char *p, size_t s, size_t e, int esc,
                         enum sc_json_err *why) {
  unsigned char *out = cJSON_malloc(e - s + 1);
  size_t o = 0, i = s;

  if (!out) {
    *why = SC_JSON_ERR_NOMEM;
    return NULL;
  }
  if (!esc) {
    memcpy(out, p + s, e - s);
    out[e - s] = '\0';
    return (char *)out;
  }
  while (i < e) {
    const unsigned char *bs = memchr(p + i, '\\', e - i);
    size_t run = bs ? (size_t)(bs - (p + i)) : e - i;
    unsigned long u, lo;

    memcpy(out + o, p + i, run);
    o += run;
    i += run;
    if (i >= e)
      break;
    /* p[i] is a backslash; the scan checked the escape is complete */
    switch (p[i + 1]) {
    case 'b':
      out[o++] = '\b';
      break;
    case 'f':
      out[o++] = '\f';
      break;
    case 'n':
      out[o++] = '\n';
      break;
    case 'r':
      out[o++] = '\r';
      break;
    case 't':
      out[o++] = '\t';
      break;
    case 'u':
      u = hex4(p + i + 2);
      i += 4;
      /* RFC 8259 section 8.2: a pair of escapes, high then low, is one
       * code point; anything else with a surrogate has no UTF-8 form */
      if (u >= 0xDC00 && u <= 0xDFFF)
        goto lone;
      if (u >= 0xD800 && u <= 0xDBFF) {
        if (e - (i + 2) < 6 || p[i + 2] != '\\' || p[i + 3] != 'u')
          goto lone;
        lo = hex4(p + i + 4);
        if (lo < 0xDC00 || lo > 0xDFFF)
          goto lone;
        u = 0x10000 + ((u & 0x3FF) << 10 | (lo & 0x3FF));
        i += 6;
      }
      o += put_utf8(out + o, u);
      break;
    default: /* '"', '\\', '/' stand for themselves */
      out[o++] = p[i + 1];
      break;
    }
    i += 2;
  }
  out[o] = '\0';
  return (char *)out;
lone:
  cJSON_free(out);
  *why = SC_JSON_ERR_SURROGATE;
  return NULL;
}

/* Powers of ten that a double holds exactly. */
static const double pow10_exact[] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* The double of the VALID number token p[0..n), bit for bit what cJSON's
 * parse_number gets from strtod (which rounds correctly): when the
 * significant digits make an integer m <= 2^53 and the power of ten e is
 * within +-22, both m and 10^|e| are exact doubles and one IEEE multiply
 * or divide rounds m * 10^e correctly (Clinger's fast path); otherwise
 * strtod itself on a NUL-terminated copy, with '.' replaced by the
 * locale's decimal point as cJSON does. Returns 0, or -1 when the copy
 * could not be allocated. */
static int number_value(const unsigned char *p, size_t n, double *out) {
  uint64_t m = 0;
  long e = 0, x = 0;
  size_t i = 0;
  int neg = 0, digits = 0, many = 0, eneg = 0;

  if (p[0] == '-') {
    neg = 1;
    i++;
  }
  for (; i < n && is_digit(p[i]); i++) {
    if (digits < 19) {
      m = m * 10 + (unsigned)(p[i] - '0');
      digits += m != 0; /* leading zeros are not significant */
    } else {
      many = 1;
    }
  }
  if (i < n && p[i] == '.') {
    for (i++; i < n && is_digit(p[i]); i++) {
      if (digits < 19) {
        m = m * 10 + (unsigned)(p[i] - '0');
        digits += m != 0;
        e--;
      } else {
        many = 1;
      }
    }
  }
  if (i < n) { /* 'e' or 'E' */
    i++;
    if (p[i] == '+' || p[i] == '-')
      eneg = p[i++] == '-';
    for (; i < n; i++)
      if (x < 100000) /* far past any finite nonzero double */
        x = x * 10 + (p[i] - '0');
    e += eneg ? -x : x;
  }
#if defined(FLT_EVAL_METHOD) && FLT_EVAL_METHOD == 0
  if (!many) {
    double d = (double)m;
    if (neg)
      d = -d; /* before rounding, so that every rounding mode agrees */
    if (m == 0) {
      *out = d;
      return 0;
    }
    if (m <= (uint64_t)1 << 53 && e >= -22 && e <= 22) {
      *out = e < 0 ? d / pow10_exact[-e] : d * pow10_exact[e];
      return 0;
    }
  }
#else
  (void)many;
  (void)pow10_exact;
#endif
  {
    char small[64], *buf = small;
    char point = *localeconv()->decimal_point;
    if (n >= sizeof small && !(buf = cJSON_malloc(n + 1)))
      return -1;
    for (i = 0; i < n; i++)
      buf[i] = p[i] == '.' ? point : (char)p[i];
    buf[n] = '\0';
    *out = strtod(buf, NULL);
    if (buf != small)
      cJSON_free(buf);
  }
  return 0;
}

/* Fills |item| as the number token p[0..n): NOMEM or OK. */
static enum sc_json_err set_number(cJSON *item, const unsigned char *p,
                                   size_t n) {
  double d;
  if (number_value(p, n, &d) != 0)
    return SC_JSON_ERR_NOMEM;
  item->type = cJSON_Number;
  item->valuedouble = d;
  /* cJSON saturates (cJSON.c, parse_number) */
  if (d >= INT_MAX)
    item->valueint = INT_MAX;
  else if (d <= (double)INT_MIN)
    item->valueint = INT_MIN;
  else
    item->valueint = (int)d;
  return SC_JSON_ERR_OK;
}

/* ---- the grammar ---- */

/* Walks one scalar value (a string, number or literal) starting at |*i|;
 * with |item| (when building) it also fills |item|. Inlined into walk(). */
static inline __attribute__((always_inline)) enum sc_json_err
scalar(const unsigned char *p, size_t len, size_t *i, size_t *off,
       cJSON *item) {
  size_t start = *i;
  enum sc_json_err rc;
  int esc = 0;
  switch (p[*i]) {
  case '"':
    rc = scan_string(p, len, i, off, &esc);
    if (item && rc == SC_JSON_ERR_OK) {
      item->type = cJSON_String;
      if (!(item->valuestring = make_string(p, start + 1, *i - 1, esc, &rc)))
        return rc;
    }
    return rc;
  case '-':
  case '0':
  case '1':
  case '2':
  case '3':
  case '4':
  case '5':
  case '6':
  case '7':
  case '8':
  case '9':
    rc = scan_number(p, len, i, off);
    if (item && rc == SC_JSON_ERR_OK)
      rc = set_number(item, p + start, *i - start);
    return rc;
  case 't':
    rc = scan_literal(p, len, i, "true", off);
    if (item) {
      item->type = cJSON_True;
      item->valueint = 1;
    }
    return rc;
  case 'f':
    rc = scan_literal(p, len, i, "false", off);
    if (item)
      item->type = cJSON_False;
    return rc;
  case 'n':
    rc = scan_literal(p, len, i, "null", off);
    if (item)
      item->type = cJSON_NULL;
    return rc;
  default:
    return bad_byte(p, len, *i, SC_JSON_ERR_UNEXPECTED, off);
  }
}

/* Walks one JSON value (RFC 8259 section 3) starting exactly at |*pos| (no
 * leading whitespace) and ending anywhere: on success |*pos| is just past
 * the value. The open containers live in |stack|, one byte ('[' or '{') per
 * level, so the nesting costs SC_JSON_MAX_DEPTH bytes of C stack at most
 * (and as many pointers when building). On error |*off| is the offending
 * offset.
 *
 * With |root| NULL it only validates. With a |root| node it also makes the
 * value there, as cJSON would; then it may stop early on a valid prefix
 * with NOMEM or SURROGATE (offset unset), which the caller sorts out (see
 * sc_json_parse). Inlined into both callers so that the validator's copy
 * carries no trace of the tree. */
static inline __attribute__((always_inline)) enum sc_json_err
walk(const unsigned char *p, size_t len, size_t *pos, size_t *off,
     cJSON *root) {
  unsigned char stack[SC_JSON_MAX_DEPTH];
  cJSON *open[SC_JSON_MAX_DEPTH];
  cJSON *item = root;
  size_t depth = 0, i = *pos, start;
  enum sc_json_err rc;
  int esc;

value: /* a value must start at |i|; when building, |item| receives it */
  if (i >= len)
    goto truncated;
  switch (p[i]) {
  case '{': /* section 4: begin-object *( member ) end-object */
  case '[': /* section 5: begin-array *( value ) end-array */
    if (depth == SC_JSON_MAX_DEPTH) {
      *off = i;
      return SC_JSON_ERR_DEPTH;
    }
    if (root) {
      item->type = p[i] == '[' ? cJSON_Array : cJSON_Object;
      open[depth] = item;
    }
    stack[depth++] = p[i];
    i = skip_ws(p, len, i + 1);
    if (i >= len)
      goto truncated;
    if (p[i] == (stack[depth - 1] == '[' ? ']' : '}')) {
      depth--;
      i++;
      goto after;
    }
    if (stack[depth - 1] == '[') {
      if (root && !(item = add_child(open[depth - 1])))
        return SC_JSON_ERR_NOMEM;
      goto value;
    }
    goto key;
  default:
    rc = scalar(p, len, &i, off, item);
    break;
  }
  if (rc != SC_JSON_ERR_OK)
    return rc;

after: /* a value ended just before |i| */
  if (depth == 0) {
    *pos = i;
    return SC_JSON_ERR_OK;
  }
  i = skip_ws(p, len, i);
  if (i >= len)
    goto truncated;
  if (p[i] == ',') {
    /* value-separator; no trailing comma (sections 4 and 5) */
    i = skip_ws(p, len, i + 1);
    if (stack[depth - 1] == '[') {
      if (root && !(item = add_child(open[depth - 1])))
        return SC_JSON_ERR_NOMEM;
      goto value;
    }
    goto key;
  }
  if (p[i] == (stack[depth - 1] == '[' ? ']' : '}')) {
    depth--;
    i++;
    goto after;
  }
  return bad_byte(p, len, i, SC_JSON_ERR_UNEXPECTED, off);

key: /* section 4: member = string name-separator value */
  if (i >= len)
    goto truncated;
  if (p[i] != '"')
    return bad_byte(p, len, i, SC_JSON_ERR_UNEXPECTED, off);
  start = i + 1;
  esc = 0;
  rc = scan_string(p, len, &i, off, &esc);
  if (rc != SC_JSON_ERR_OK)
    return rc;
  if (root) {
    if (!(item = add_child(open[depth - 1])))
      return SC_JSON_ERR_NOMEM;
    if (!(item->string = make_string(p, start, i - 1, esc, &rc)))
      return rc;
  }
  i = skip_ws(p, len, i);
  if (i >= len)
    goto truncated;
  if (p[i] != ':')
    return bad_byte(p, len, i, SC_JSON_ERR_UNEXPECTED, off);
  i = skip_ws(p, len, i + 1);
  goto value;

truncated:
  *off = len;
  return SC_JSON_ERR_TRUNCATED;
}

/* Validation only: see walk(). */
static enum sc_json_err scan_value(const unsigned char *p, size_t len,
                                   size_t *pos, size_t *off) {
  return walk(p, len, pos, off, NULL);
}

/* One JSON text (RFC 8259 section 2: JSON-text = ws value ws) at |p|,
 * validated, and built at |root| when it is not NULL. Returns the code and
 * sets |*off| as sc_json_validate reports them (walk() may also stop with
 * NOMEM or SURROGATE when building). */
static inline __attribute__((always_inline)) enum sc_json_err
text(const unsigned char *p, size_t len, size_t *off, cJSON *root) {
  enum sc_json_err rc;
  size_t i;

  *off = 0;
  i = skip_ws(p, len, 0);
  if (i >= len) {
    *off = len;
    return SC_JSON_ERR_EMPTY;
  }
  rc = walk(p, len, &i, off, root);
  if (rc != SC_JSON_ERR_OK)
    return rc;
  i = skip_ws(p, len, i);
  if (i < len)
    return bad_byte(p, len, i, SC_JSON_ERR_TRAILING, off);
  return SC_JSON_ERR_OK;
}

enum sc_json_err sc_json_validate(const char *buf, size_t len,
                                  struct sc_json_error *err) {
  enum sc_json_err rc;
  size_t off;

  if (!buf)
    len = 0;
  rc = text((const unsigned char *)buf, len, &off, NULL);
  if (err) {
    err->code = rc;
    err->offset = rc == SC_JSON_ERR_OK ? 0 : off;
  }
  return rc;
}

cJSON *sc_json_parse(const char *buf, size_t len, struct sc_json_error *err) {
  enum sc_json_err rc;
  size_t off = 0, at;
  cJSON *root = NULL;

  if (!buf)
    len = 0;
  root = new_node();
  if (!root) {
    rc = SC_JSON_ERR_NOMEM;
    goto stopped;
  }
  rc = text((const unsigned char *)buf, len, &off, root);
  if (rc == SC_JSON_ERR_OK)
    goto out;
  cJSON_Delete(root);
  root = NULL;
  if (rc != SC_JSON_ERR_NOMEM && rc != SC_JSON_ERR_SURROGATE)
    goto out;
stopped:
  /* The walk stopped building on a valid prefix. What it would have found
   * further on decides, in the order a validation, then cJSON, then a
   * search for a lone surrogate would: the rest of the text may be
   * invalid, hold a lone surrogate, or be fine (then memory failed). A
   * cold path: it costs a second pass. */
  rc = text((const unsigned char *)buf, len, &off, NULL);
  if (rc != SC_JSON_ERR_OK)
    goto out;
  at = sc_json_lone_surrogate(buf, len);
  if (at != (size_t)-1) {
    rc = SC_JSON_ERR_SURROGATE;
    off = at;
  } else {
    rc = SC_JSON_ERR_NOMEM;
    off = 0;
  }
out:
  if (err) {
    err->code = rc;
    err->offset = rc == SC_JSON_ERR_OK ? 0 : off;
  }
  return root;
}

/* Parses |s| as "[N]" (decimal, no sign). Returns 1 and sets |*n|, or 0. */
static int parse_index(const char *s, size_t *n) {
  size_t v = 0;
  const char *q = s + 1;

  if (s[0] != '[' || !is_digit((unsigned char)*q))
    return 0;
  for (; is_digit((unsigned char)*q); q++) {
    if (v > (SIZE_MAX - 9) / 10)
      return 0;
    v = v * 10 + (size_t)(*q - '0');
  }
  if (q[0] != ']' || q[1] != '\0')
    return 0;
  *n = v;
  return 1;
}

/* Within the container whose opening byte is at |i|, finds the value
 * selected by |step|: the element of index "[N]" of an array, or the first
 * member of an object whose raw key bytes equal |step| (no unescaping, so a
 * key written with escapes does not match). Returns its offset or
 * (size_t)-1. Every skipped value goes through scan_value(), so malformed
 * input cannot make this read out of bounds. */
static size_t locate_step(const unsigned char *p, size_t len, size_t i,
                          const char *step) {
  size_t off, idx = 0, n, klen = strlen(step), start;
  int esc = 0;

  if (p[i] == '[') {
    if (!parse_index(step, &idx))
      return (size_t)-1;
    i = skip_ws(p, len, i + 1);
    for (n = 0;; n++) {
      if (i >= len || p[i] == ']')
        return (size_t)-1;
      if (n == idx)
        return i;
      if (scan_value(p, len, &i, &off) != SC_JSON_ERR_OK)
        return (size_t)-1;
      i = skip_ws(p, len, i);
      if (i >= len || p[i] != ',')
        return (size_t)-1;
      i = skip_ws(p, len, i + 1);
    }
  }
  if (p[i] != '{')
    return (size_t)-1;
  i = skip_ws(p, len, i + 1);
  for (;;) {
    if (i >= len || p[i] != '"')
      return (size_t)-1;
    start = i + 1;
    if (scan_string(p, len, &i, &off, &esc) != SC_JSON_ERR_OK)
      return (size_t)-1;
    n = i - 1 - start; /* raw key length, quotes excluded */
    i = skip_ws(p, len, i);
    if (i >= len || p[i] != ':')
      return (size_t)-1;
    i = skip_ws(p, len, i + 1);
    if (n == klen && memcmp(p + start, step, n) == 0)
      return i < len ? i : (size_t)-1;
    if (scan_value(p, len, &i, &off) != SC_JSON_ERR_OK)
      return (size_t)-1;
    i = skip_ws(p, len, i);
    if (i >= len || p[i] != ',')
      return (size_t)-1;
    i = skip_ws(p, len, i + 1);
  }
}

size_t sc_json_locate(const char *buf, size_t len, const char *const *path,
                      size_t npath) {
  /* The walk trusts the structure, so check it first; this is the slow
   * path of a report, not of parsing. */
  if (!buf || sc_json_validate(buf, len, NULL) != SC_JSON_ERR_OK)
    return (size_t)-1;
  return sc_json_locate_valid(buf, len, path, npath);
}

size_t sc_json_locate_valid(const char *buf, size_t len,
                            const char *const *path, size_t npath) {
  const unsigned char *p = (const unsigned char *)buf;
  size_t i, k;

  if (!buf)
    return (size_t)-1;
  if (npath && !path)
    return (size_t)-1;
  i = skip_ws(p, len, 0);
  for (k = 0; k < npath; k++) {
    if (!path[k])
      return (size_t)-1;
    i = locate_step(p, len, i, path[k]);
    if (i == (size_t)-1)
      return i;
  }
  return i;
}

size_t sc_json_lone_surrogate(const char *buf, size_t len) {
  const unsigned char *p = (const unsigned char *)buf;
  /* valid JSON: a backslash only ever starts an escape inside a string */
  for (size_t i = 0; i + 1 < len; i++) {
    if (p[i] != '\\')
      continue;
    if (p[i + 1] != 'u' || i + 6 > len) {
      i++;
      continue;
    }
    unsigned u = hex4(p + i + 2);
    if (u >= 0xDC00 && u <= 0xDFFF)
      return i;
    if (u >= 0xD800 && u <= 0xDBFF) {
      if (i + 12 > len || p[i + 6] != '\\' || p[i + 7] != 'u')
        return i;
      unsigned lo = hex4(p + i + 8);
      if (lo < 0xDC00 || lo > 0xDFFF)
        return i;
      i += 11; /* the pair */
      continue;
    }
    i += 5;
  }
  return (size_t)-1;
}

const char *sc_json_err_name(enum sc_json_err e) {
  switch (e) {
#define SC_JSON_NAME(name, msg)                                                \
  case SC_JSON_ERR_##name:                                                     \
    return #name;
    SC_JSON_ERR_MAP(SC_JSON_NAME)
#undef SC_JSON_NAME
  }
  return "UNKNOWN";
}

const char *sc_json_strerror(enum sc_json_err e) {
  switch (e) {
#define SC_JSON_MSG(name, msg)                                                 \
  case SC_JSON_ERR_##name:                                                     \
    return msg;
    SC_JSON_ERR_MAP(SC_JSON_MSG)
#undef SC_JSON_MSG
  }
  return "unknown JSON error";
}

int sc_json_set_key(cJSON *item, const char *key) {
  size_t n = strlen(key) + 1;
  char *k = cJSON_malloc(n);
  if (!k)
    return 0;
  memcpy(k, key, n);
  if (!(item->type & cJSON_StringIsConst))
    cJSON_free(item->string);
  item->string = k;
  item->type &= ~cJSON_StringIsConst;
  return 1;
}
