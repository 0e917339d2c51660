/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The clock and the sort of the bench drivers (inproc.c, floor.c): medians of nanoseconds. */
#ifndef HVD_BENCH_TIMING_H
#define HVD_BENCH_TIMING_H

#include <time.h>

static inline unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ull + (unsigned long long)ts.tv_nsec;
}

/* qsort() comparator for unsigned long long. */
static inline int cmp_ull(const void *a, const void *b)
{
	unsigned long long x = *(const unsigned long long *)a, y = *(const unsigned long long *)b;

	return x < y ? -1 : x > y;
}

#endif
