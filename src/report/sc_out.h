/* sc_out.h — the buffered output of the report writers (sc_report_*.c)
 * and of the vendor comparison's writers (sc_compare_*.c).
 *
 * Pieces are staged in a buffer and written to the FILE in chunks. The
 * first failure (memory or I/O) is kept and everything after it is
 * skipped, so a writer appends freely and asks once, at the end, whether
 * every byte arrived. An out made as {.f = NULL, .b = buf} only collects
 * in |b| (it is never flushed). */
#ifndef SC_OUT_H
#define SC_OUT_H

#include "sc_buf.h"

#include <stddef.h>
#include <stdio.h>

struct sc_out {
  FILE *f;         /* NULL: collect only */
  struct sc_buf b; /* staged output */
  int err;         /* 0, or -1 after the first failure */
};

/* Starts writing to |f|; a NULL |f| is an out that has already failed. */
void sc_out_init(struct sc_out *o, FILE *f);
/* Writes what is staged to the FILE. */
void sc_out_flush(struct sc_out *o);
/* Flushes and frees: 0 when every byte reached the FILE, else -1. */
int sc_out_end(struct sc_out *o);
/* After appending to |b| directly: keeps its error, writes a full chunk. */
void sc_out_check(struct sc_out *o);

void sc_out_n(struct sc_out *o, const char *p, size_t n);
void sc_out_s(struct sc_out *o, const char *s);
void sc_out_f(struct sc_out *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* |v| with |prec| digits after the point ("%.*f"), or in "%.*g" form when
 * |g|, whatever LC_NUMERIC says; a value that is not finite is written as
 * 0 (no format here can hold inf or nan). */
void sc_out_num(struct sc_out *o, double v, int prec, int g);

/* Writes |len| bytes at |text|, then |tail| (a string, or NULL), to the file
 * |path| so that it is never left half written: the bytes go to a new file
 * beside it that is renamed over |path| once every byte reached the disk,
 * and removed on any failure, so |path| then keeps what it held before (or
 * stays absent). A |path| that exists and is not a regular file (a device
 * such as /dev/stdout, a FIFO) is written in place. Returns 0, or -1 with
 * "cannot write PATH: reason" in |err|. */
int sc_out_save(const char *path, const char *text, size_t len,
                const char *tail, char *err, size_t errlen);

/* The same for a writer that streams: sc_save_open gives the FILE to
 * write (the new file beside |path|, or |path| itself when it is a device
 * or a FIFO), or NULL with the message in |err|; sc_save_close closes it
 * and renames it over |path| when |ok| and every byte reached the disk,
 * else removes it and leaves |path| as it was. |path| must outlive |s|.
 * 0, or -1 with "cannot write PATH: reason" in |err|. */
struct sc_save {
  const char *path;
  char tmp[4096]; /* "": written in place */
};
FILE *sc_save_open(struct sc_save *s, const char *path, char *err,
                   size_t errlen);
int sc_save_close(struct sc_save *s, FILE *f, int ok, char *err,
                  size_t errlen);

#endif
