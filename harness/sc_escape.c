/* sc_escape.c — UTF-8 checking and output escaping (see sc_escape.h). */
#include "sc_escape.h"

#include "sc_buf.h"

/* Length of the valid UTF-8 sequence at p (RFC 3629 table 3-7), or 0. */
static size_t utf8_seq(const unsigned char *p, size_t n) {
  unsigned char c = p[0];
  if (c < 0x80)
    return 1;
  size_t len;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0)
      lo = 0xA0;
    else if (c == 0xED)
      hi = 0x9F; /* no UTF-16 surrogates */
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0)
      lo = 0x90;
    else if (c == 0xF4)
      hi = 0x8F; /* nothing above U+10FFFF */
  } else {
    return 0;
  }
  if (n < len || p[1] < lo || p[1] > hi)
    return 0;
  for (size_t i = 2; i < len; i++)
    if (p[i] < 0x80 || p[i] > 0xBF)
      return 0;
  return len;
}

size_t sc_utf8_check(const char *p, size_t n) {
  const unsigned char *u = (const unsigned char *)p;
  size_t i = 0;
  while (i < n) {
    if (u[i] == 0)
      return i;
    size_t l = utf8_seq(u + i, n - i);
    if (l == 0)
      return i;
    i += l;
  }
  return (size_t)-1;
}

int sc_escape_json(struct sc_buf *b, const char *p, size_t n) {
  const unsigned char *u = (const unsigned char *)p;
  size_t i = 0, run = 0;
  while (i < n) {
    unsigned char c = u[i];
    const char *esc = NULL;
    char hex[8];
    size_t l = 1;
    if (c == '"')
      esc = "\\\"";
    else if (c == '\\')
      esc = "\\\\";
    else if (c == '\n')
      esc = "\\n";
    else if (c == '\r')
      esc = "\\r";
    else if (c == '\t')
      esc = "\\t";
    else if (c < 0x20 || c == 0x7f) {
      hex[0] = '\\';
      hex[1] = 'u';
      hex[2] = '0';
      hex[3] = '0';
      hex[4] = "0123456789abcdef"[c >> 4];
      hex[5] = "0123456789abcdef"[c & 15];
      hex[6] = '\0';
      esc = hex;
    } else if (c >= 0x80) {
      l = utf8_seq(u + i, n - i);
      if (l == 0) {
        esc = "\\ufffd";
        l = 1;
      }
    }
    if (esc) {
      sc_buf_add(b, p + i - run, run);
      run = 0;
      sc_buf_adds(b, esc);
    } else {
      run += l;
    }
    i += l;
  }
  sc_buf_add(b, p + n - run, run);
  return b->err;
}
