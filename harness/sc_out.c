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

/* Writes all of [p, p+n) to |fd|; 0, or -1 with errno set. */
static int write_all(int fd, const char *p, size_t n) {
  while (n) {
    ssize_t k = write(fd, p, n);
    if (k < 0 && errno == EINTR)
      continue;
    if (k <= 0) {
      if (k == 0)
        errno = EIO;
      return -1;
    }
    p += k;
    n -= (size_t)k;
  }
  return 0;
}

static int save_fail(const char *path, int e, char *err, size_t errlen) {
  snprintf(err, errlen, "cannot write %s: %s", path, strerror(e));
  return -1;
}

int sc_out_save(const char *path, const char *text, size_t len,
                const char *tail, char *err, size_t errlen) {
  static unsigned long serial; /* tells two saves of one process apart */
  struct stat st;
  size_t tlen = tail ? strlen(tail) : 0;
  int have = stat(path, &st) == 0;

  if (have && S_ISDIR(st.st_mode))
    return save_fail(path, EISDIR, err, errlen);
  if (have && !S_ISREG(st.st_mode)) {
    /* a device or a FIFO: there is nothing to rename over */
    int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
    if (fd < 0)
      return save_fail(path, errno, err, errlen);
    int rc = write_all(fd, text, len) || write_all(fd, tail, tlen) ? -1 : 0;
    int e = errno;
    if (close(fd) && !rc) {
      rc = -1;
      e = errno;
    }
    return rc ? save_fail(path, e, err, errlen) : 0;
  }
  char tmp[4096];
  int fd = -1;
  for (int tries = 0; fd < 0 && tries < 100; tries++) {
    unsigned long k = __atomic_add_fetch(&serial, 1, __ATOMIC_RELAXED);
    int n = snprintf(tmp, sizeof tmp, "%s.%ld.%lu.tmp", path, (long)getpid(),
                     k);
    if (n < 0 || (size_t)n >= sizeof tmp)
      return save_fail(path, ENAMETOOLONG, err, errlen);
    fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0 && errno != EEXIST)
      return save_fail(path, errno, err, errlen);
  }
  if (fd < 0)
    return save_fail(path, EEXIST, err, errlen);
  int e = 0;
  if (have && fchmod(fd, st.st_mode & 07777))
    e = errno;
  if (!e && (write_all(fd, text, len) || write_all(fd, tail, tlen) ||
             fsync(fd)))
    e = errno;
  if (close(fd) && !e)
    e = errno;
  if (!e && rename(tmp, path))
    e = errno;
  if (e) {
    unlink(tmp);
    return save_fail(path, e, err, errlen);
  }
  return 0;
}
