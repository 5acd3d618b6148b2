/* bench_util.h — what the benchmark programs share. */
#ifndef BENCH_UTIL_H
#define BENCH_UTIL_H

/* The median of |v|'s |n| figures (|v| is sorted in place). */
double bench_median(double *v, int n);

/* Seconds on the monotonic clock. */
double bench_now(void);

#endif
