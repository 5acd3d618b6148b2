/* sc_escape.c — UTF-8 checking and output escaping (see sc_escape.h). */
#include "sc_escape.h"

#include "sc_buf.h"

#include <string.h>

/* Checks the UTF-8 sequence whose lead byte |p[i]| is >= 0x80, following
 * RFC 3629 section 4 (the grammar RFC 8259 section 8.1 refers to): no
 * overlong forms (C0, C1, E0 80-9F, F0 80-8F), no UTF-16 surrogates
 * (ED A0-BF), nothing above U+10FFFF (F4 90-BF, F5-FF), no stray
 * continuation bytes (80-BF as lead). Returns the sequence length, or 0 with
 * |*bad| set to the offset of the first byte that cannot belong to a valid
 * sequence (|len| when the input ends inside the sequence). */
size_t sc_utf8_seq(const unsigned char *p, size_t len, size_t i,
                   size_t *bad) {
  unsigned char c = p[i], lo = 0x80, hi = 0xBF;
  size_t n, k;

  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0)
      lo = 0xA0; /* below is overlong */
    else if (c == 0xED)
      hi = 0x9F; /* above is a surrogate U+D800-DFFF */
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0)
      lo = 0x90; /* below is overlong */
    else if (c == 0xF4)
      hi = 0x8F; /* above is beyond U+10FFFF */
  } else {
    *bad = i;
    return 0;
  }
  for (k = 1; k < n; k++) {
    if (i + k >= len) {
      *bad = len;
      return 0;
    }
    if (p[i + k] < lo || p[i + k] > hi) {
      *bad = i + k;
      return 0;
    }
    lo = 0x80;
    hi = 0xBF;
  }
  return n;
}

size_t sc_utf8_check(const char *p, size_t n) {
  const unsigned char *u = (const unsigned char *)p;
  size_t i = 0;
  size_t bad;
  while (i < n) {
    if (u[i] == 0)
      return i;
    size_t l = u[i] < 0x80 ? 1 : sc_utf8_seq(u, n, i, &bad);
    if (l == 0)
      return i;
    i += l;
  }
  return (size_t)-1;
}

int sc_escape_controls(struct sc_buf *b, const char *p, size_t n,
                       const char *also) {
  const unsigned char *u = (const unsigned char *)p;
  for (size_t i = 0; i < n;) {
    size_t len = 1, bad;
    if (u[i] >= 0x80 && !(len = sc_utf8_seq(u, n, i, &bad)))
      len = 1; /* not UTF-8: shown byte by byte */
    if (u[i] < 0x20 || u[i] == 0x7f || (u[i] >= 0x80 && len == 1) ||
        (u[i] == 0xc2 && u[i + 1] <= 0x9f) ||
        (u[i] < 0x80 && also && strchr(also, u[i]))) {
      for (size_t k = 0; k < len; k++)
        sc_buf_printf(b, "\\x%02x", u[i + k]);
    } else {
      sc_buf_add(b, u + i, len);
    }
    i += len;
  }
  return b->err;
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
      size_t bad;
      l = sc_utf8_seq(u, n, i, &bad);
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

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int sc_base64_encode(struct sc_buf *b, const void *data, size_t n) {
  const unsigned char *p = data;
  char q[4];
  for (size_t i = 0; i < n; i += 3) {
    unsigned long v = (unsigned long)p[i] << 16;
    if (i + 1 < n)
      v |= (unsigned long)p[i + 1] << 8;
    if (i + 2 < n)
      v |= p[i + 2];
    q[0] = b64[v >> 18 & 63];
    q[1] = b64[v >> 12 & 63];
    q[2] = i + 1 < n ? b64[v >> 6 & 63] : '=';
    q[3] = i + 2 < n ? b64[v & 63] : '=';
    sc_buf_add(b, q, 4);
  }
  return b->err;
}

static int b64_value(char c) {
  for (int i = 0; i < 64; i++)
    if (b64[i] == c)
      return i;
  return -1;
}

int sc_base64_decode(struct sc_buf *b, const char *s, size_t n) {
  if (n % 4)
    return -1;
  for (size_t i = 0; i < n; i += 4) {
    int v[4];
    size_t pad = 0;
    for (size_t k = 0; k < 4; k++) {
      /* '=' only as the last one or two characters of the text */
      if (s[i + k] == '=' && i + 4 == n && k >= 2) {
        v[k] = 0;
        pad++;
      } else if (pad || (v[k] = b64_value(s[i + k])) < 0) {
        return -1;
      }
    }
    unsigned long w = (unsigned long)v[0] << 18 | (unsigned long)v[1] << 12 |
                      (unsigned long)v[2] << 6 | (unsigned long)v[3];
    char out[3] = {(char)(w >> 16), (char)(w >> 8 & 0xFF), (char)(w & 0xFF)};
    sc_buf_add(b, out, 3 - pad);
  }
  return b->err ? -1 : 0;
}

int sc_escape_query(struct sc_buf *b, const char *p, size_t n) {
  static const char hex[] = "0123456789ABCDEF";
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)p[i];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
        (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
        c == '~') {
      sc_buf_addc(b, (char)c);
    } else {
      char e[3] = {'%', hex[c >> 4], hex[c & 15]};
      sc_buf_add(b, e, 3);
    }
  }
  return b->err;
}
