/* bench_conn.c — see bench_conn.h. No header of this file declares
 * connect(): its definition here takes the address as bytes. */
#define _DEFAULT_SOURCE 1 /* syscall() */

#include "bench_conn.h"

#include <errno.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define FD_MAX 65536

static atomic_uint watched;          /* the port, host order; 0 = none */
static atomic_uchar is_open[FD_MAX]; /* the fd is a connection to it */
static atomic_uint nopen, peak;
static atomic_ulong made;

int connect(int fd, const void *addr, unsigned len);

/* The port of an AF_INET or AF_INET6 address (both keep it in bytes 2-3,
 * network order); 0 for any other family. */
static unsigned addr_port(const void *addr, unsigned len) {
  const unsigned char *b = addr;
  unsigned short family;
  if (!addr || len < 4)
    return 0;
  memcpy(&family, b, sizeof family); /* sa_family: host order */
  if (family != 2 && family != 10)   /* AF_INET, AF_INET6 (Linux) */
    return 0;
  return (unsigned)b[2] << 8 | b[3];
}

static void opened(int fd) {
  if (fd < 0 || fd >= FD_MAX || atomic_exchange(&is_open[fd], 1))
    return;
  unsigned n = atomic_fetch_add(&nopen, 1) + 1;
  unsigned p = atomic_load(&peak);
  while (n > p && !atomic_compare_exchange_weak(&peak, &p, n))
    ;
  atomic_fetch_add(&made, 1);
}

int connect(int fd, const void *addr, unsigned len) {
  long rc = syscall(SYS_connect, fd, addr, len);
  int e = errno;
  unsigned w = atomic_load(&watched);
  if (w && (rc == 0 || e == EINPROGRESS) && addr_port(addr, len) == w)
    opened(fd);
  errno = e;
  return (int)rc;
}

int close(int fd) {
  if (fd >= 0 && fd < FD_MAX && atomic_load(&is_open[fd]) &&
      atomic_exchange(&is_open[fd], 0))
    atomic_fetch_sub(&nopen, 1);
  return (int)syscall(SYS_close, fd);
}

void bench_conn_watch(unsigned port) {
  atomic_store(&watched, 0);
  for (int fd = 0; fd < FD_MAX; fd++)
    atomic_store(&is_open[fd], 0);
  atomic_store(&nopen, 0);
  atomic_store(&peak, 0);
  atomic_store(&made, 0);
  atomic_store(&watched, port);
}

unsigned bench_conn_peak(void) {
  return atomic_load(&peak);
}

unsigned long bench_conn_made(void) {
  return atomic_load(&made);
}
