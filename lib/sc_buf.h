/* sc_buf.h — a growable byte buffer with a hard cap.
 *
 * A failed append (allocation failure or cap exceeded) frees the buffer and
 * leaves it in the error state; later appends are no-ops returning the same
 * error, so a writer can append many pieces and check once at the end. */
#ifndef SC_BUF_H
#define SC_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

struct sc_buf {
  char *ptr;   /* always NUL-terminated when len > 0 and no error */
  size_t len;
  size_t cap;  /* allocated */
  size_t max;  /* hard cap on len */
  int err;     /* 0, SC_BUF_ENOMEM or SC_BUF_E2BIG */
};

#define SC_BUF_ENOMEM 1
#define SC_BUF_E2BIG 2

void sc_buf_init(struct sc_buf *b, size_t max);
void sc_buf_free(struct sc_buf *b);
int sc_buf_add(struct sc_buf *b, const void *p, size_t n);
int sc_buf_adds(struct sc_buf *b, const char *s);
int sc_buf_addc(struct sc_buf *b, char c);
int sc_buf_printf(struct sc_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int sc_buf_vprintf(struct sc_buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
/* Appends everything left to read in |f|, up to the cap. 0; the buffer's
 * error (SC_BUF_E2BIG, SC_BUF_ENOMEM) when it stopped there; -1 when
 * reading failed (errno says why). */
int sc_buf_add_file(struct sc_buf *b, FILE *f);
/* Empties the buffer (and clears an error), keeping its cap. */
void sc_buf_reset(struct sc_buf *b);
/* Takes ownership of the bytes; the buffer is reset. NULL on error. */
char *sc_buf_take(struct sc_buf *b, size_t *len);

#endif
