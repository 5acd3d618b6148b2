/* sc_out.c — see sc_out.h. */
#include "sc_out.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

static int save_fail(const char *path, int e, char *err, size_t errlen) {
  snprintf(err, errlen, "cannot write %s: %s", path, strerror(e));
  return -1;
}

FILE *sc_save_open(struct sc_save *s, const char *path, char *err,
                   size_t errlen) {
  static unsigned long serial; /* tells two saves of one process apart */
  struct stat st;
  int have = stat(path, &st) == 0;
  s->path = path;
  s->tmp[0] = '\0';
  if (have && S_ISDIR(st.st_mode)) {
    save_fail(path, EISDIR, err, errlen);
    return NULL;
  }
  int fd = -1;
  if (have && !S_ISREG(st.st_mode)) {
    /* a device or a FIFO: there is nothing to rename over */
    fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
    if (fd < 0) {
      save_fail(path, errno, err, errlen);
      return NULL;
    }
  }
  for (int tries = 0; fd < 0 && tries < 100; tries++) {
    unsigned long k = __atomic_add_fetch(&serial, 1, __ATOMIC_RELAXED);
    int n = snprintf(s->tmp, sizeof s->tmp, "%s.%ld.%lu.tmp", path,
                     (long)getpid(), k);
    if (n < 0 || (size_t)n >= sizeof s->tmp) {
      save_fail(path, ENAMETOOLONG, err, errlen);
      return NULL;
    }
    fd = open(s->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0 && errno != EEXIST) {
      save_fail(path, errno, err, errlen);
      return NULL;
    }
  }
  if (fd < 0) {
    save_fail(path, EEXIST, err, errlen);
    return NULL;
  }
  int e = s->tmp[0] && have && fchmod(fd, st.st_mode & 07777) ? errno : 0;
  FILE *f = e ? NULL : fdopen(fd, "w");
  if (!f) {
    e = e ? e : errno;
    close(fd);
    if (s->tmp[0])
      unlink(s->tmp);
    save_fail(path, e, err, errlen);
  }
  return f;
}

int sc_save_close(struct sc_save *s, FILE *f, int ok, char *err,
                  size_t errlen) {
  int e = 0;
  if (!ok)
    e = errno ? errno : EIO;
  if (!e && (fflush(f) || (s->tmp[0] && fsync(fileno(f)))))
    e = errno;
  if (fclose(f) && !e)
    e = errno;
  if (!e && s->tmp[0] && rename(s->tmp, s->path))
    e = errno;
  if (e) {
    if (s->tmp[0])
      unlink(s->tmp);
    return save_fail(s->path, e, err, errlen);
  }
  return 0;
}

int sc_out_save(const char *path, const char *text, size_t len,
                const char *tail, char *err, size_t errlen) {
  struct sc_save s;
  FILE *f = sc_save_open(&s, path, err, errlen);
  if (!f)
    return -1;
  size_t tlen = tail ? strlen(tail) : 0;
  errno = 0;
  int ok = fwrite(text, 1, len, f) == len && fwrite(tail, 1, tlen, f) == tlen;
  return sc_save_close(&s, f, ok, err, errlen);
}
