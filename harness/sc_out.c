/* sc_out.c — see sc_out.h. */
#include "sc_out.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#define OUT_CHUNK 16384

void sc_out_init(struct sc_out *o, FILE *f) {
  o->f = f;
  o->err = f ? 0 : -1;
  sc_buf_init(&o->b, SIZE_MAX);
}

void sc_out_flush(struct sc_out *o) {
  if (o->b.err)
    o->err = -1;
  if (o->err || !o->f)
    return;
  if (o->b.len && fwrite(o->b.ptr, 1, o->b.len, o->f) != o->b.len)
    o->err = -1;
  sc_buf_reset(&o->b);
}

int sc_out_end(struct sc_out *o) {
  sc_out_flush(o);
  if (!o->err && o->f && (fflush(o->f) != 0 || ferror(o->f)))
    o->err = -1;
  sc_buf_free(&o->b);
  return o->err ? -1 : 0;
}

void sc_out_check(struct sc_out *o) {
  if (o->b.err)
    o->err = -1;
  else if (o->f && o->b.len >= OUT_CHUNK)
    sc_out_flush(o);
}

void sc_out_n(struct sc_out *o, const char *p, size_t n) {
  if (o->err)
    return;
  sc_buf_add(&o->b, p, n);
  sc_out_check(o);
}

void sc_out_s(struct sc_out *o, const char *s) {
  sc_out_n(o, s, strlen(s));
}

void sc_out_f(struct sc_out *o, const char *fmt, ...) {
  va_list ap;
  if (o->err)
    return;
  va_start(ap, fmt);
  sc_buf_vprintf(&o->b, fmt, ap);
  va_end(ap);
  sc_out_check(o);
}

void sc_out_num(struct sc_out *o, double v, int prec, int g) {
  char tmp[400];
  if (!isfinite(v))
    v = 0;
  int n = g ? snprintf(tmp, sizeof(tmp), "%.*g", prec, v)
            : snprintf(tmp, sizeof(tmp), "%.*f", prec, v);
  if (n < 0 || (size_t)n >= sizeof(tmp)) {
    o->err = -1;
    return;
  }
  for (int i = 0; i < n; i++)
    if (tmp[i] == ',')
      tmp[i] = '.';
  sc_out_n(o, tmp, (size_t)n);
}
