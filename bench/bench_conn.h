/* bench_conn.h — the TCP connections this process holds open to one
 * port, counted as they are made and closed: how many streams a run kept
 * to its endpoint at once, whatever its default concurrency.
 *
 * bench_conn.c defines connect() and close() in the program; the dynamic
 * linker resolves every library's calls to them there first (libcurl's
 * among them), and they go on to the system calls. */
#ifndef BENCH_CONN_H
#define BENCH_CONN_H

/* Counts from now on the connections made to TCP |port| (any address;
 * 0 = none), from zero. */
void bench_conn_watch(unsigned port);

/* The most connections to the watched port open at once, and the
 * number made, since bench_conn_watch. */
unsigned bench_conn_peak(void);
unsigned long bench_conn_made(void);

#endif
