/* sc_buf.c — growable buffer with a hard cap (see sc_buf.h). */
#include "sc_buf.h"

#include "sc_alloc.h"

#include <stdio.h>
#include <string.h>

void sc_buf_init(struct sc_buf *b, size_t max) {
  memset(b, 0, sizeof(*b));
  b->max = max;
}

void sc_buf_free(struct sc_buf *b) {
  if (!b)
    return;
  sc_free(b->ptr);
  b->ptr = NULL;
  b->len = b->cap = 0;
}

static int fail(struct sc_buf *b, int err) {
  sc_buf_free(b);
  b->err = err;
  return err;
}

int sc_buf_add_file(struct sc_buf *b, FILE *f) {
  char chunk[65536];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
    if (sc_buf_add(b, chunk, n))
      return b->err;
  return ferror(f) ? -1 : 0;
}

int sc_buf_add(struct sc_buf *b, const void *p, size_t n) {
  if (b->err)
    return b->err;
  if (n > b->max || b->len > b->max - n)
    return fail(b, SC_BUF_E2BIG);
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + n + 1)
      cap *= 2;
    char *np = sc_realloc(b->ptr, cap);
    if (!np)
      return fail(b, SC_BUF_ENOMEM);
    b->ptr = np;
    b->cap = cap;
  }
  if (n)
    memcpy(b->ptr + b->len, p, n);
  b->len += n;
  b->ptr[b->len] = '\0';
  return 0;
}

int sc_buf_adds(struct sc_buf *b, const char *s) {
  return sc_buf_add(b, s, strlen(s));
}

int sc_buf_addc(struct sc_buf *b, char c) {
  return sc_buf_add(b, &c, 1);
}

int sc_buf_vprintf(struct sc_buf *b, const char *fmt, va_list ap) {
  char small[256];
  va_list ap2;
  va_copy(ap2, ap);
  int n = vsnprintf(small, sizeof(small), fmt, ap2);
  va_end(ap2);
  if (n < 0)
    return fail(b, SC_BUF_ENOMEM);
  if ((size_t)n < sizeof(small))
    return sc_buf_add(b, small, (size_t)n);
  char *big = sc_malloc((size_t)n + 1);
  if (!big)
    return fail(b, SC_BUF_ENOMEM);
  vsnprintf(big, (size_t)n + 1, fmt, ap);
  int rc = sc_buf_add(b, big, (size_t)n);
  sc_free(big);
  return rc;
}

int sc_buf_printf(struct sc_buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int rc = sc_buf_vprintf(b, fmt, ap);
  va_end(ap);
  return rc;
}

char *sc_buf_take(struct sc_buf *b, size_t *len) {
  if (b->err)
    return NULL;
  if (!b->ptr && sc_buf_add(b, "", 0))
    return NULL;
  char *p = b->ptr;
  if (len)
    *len = b->len;
  b->ptr = NULL;
  b->len = b->cap = 0;
  return p;
}

void sc_buf_reset(struct sc_buf *b) {
  b->len = 0;
  b->err = 0;
  if (b->ptr)
    b->ptr[0] = '\0';
}
