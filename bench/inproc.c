/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * In-process cost of one detection and one selection through the public API.
 *
 *   hvd-bench-inproc [--runs N] [--warmup N] detect SYSROOT
 *   hvd-bench-inproc [--runs N] [--warmup N] select SYSROOT MODDIR DBDIR
 *
 * Every iteration is what a caller pays for one answer: a fresh context (which
 * reads the sysroot's cpuid.txt), the detection, for "select" the device scan and
 * the resolution against MODDIR with the database in DBDIR, then releasing it
 * all. The first --warmup iterations (page cache, the one-time dlopen of libkmod)
 * are not counted. Prints one line of key=value pairs, times in nanoseconds.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hvdetect.h>

#include "timing.h"

/* One answer. *NMODS gets the selection's module count (0 for detect). */
static int once(const char *mode, const char *sysroot, const char *moddir, const char *dbdir,
                size_t *nmods)
{
	struct hvd_ctx *ctx = NULL;
	struct hvd_verdict *v = NULL;
	struct hvd_selection *sel = NULL;
	int r;

	r = hvd_ctx_new(&ctx, sysroot);
	if (r < 0)
		return r;
	r = hvd_detect(&v, ctx);
	if (r >= 0 && strcmp(mode, "select") == 0) {
		struct hvd_select_options so = HVD_SELECT_OPTIONS_INIT;
		so.moddir = moddir;
		so.vendor_db = dbdir;
		so.admin_db = "";
		r = hvd_select(&sel, ctx, v, &so);
		if (r >= 0)
			*nmods = hvd_selection_get_module_count(sel);
	}
	if (r < 0 && hvd_ctx_get_error(ctx))
		fprintf(stderr, "hvd-bench-inproc: %s\n", hvd_ctx_get_error(ctx));
	hvd_selection_unref(sel);
	hvd_verdict_unref(v);
	hvd_ctx_unref(ctx);
	return r;
}

static long parse_count(const char *s)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (errno || *end || n < 0 || n > 10000000)
		return -1;
	return n;
}

static int usage(void)
{
	fputs("usage: hvd-bench-inproc [--runs N] [--warmup N] detect SYSROOT\n"
	      "       hvd-bench-inproc [--runs N] [--warmup N] select SYSROOT MODDIR DBDIR\n", stderr);
	return 2;
}

int main(int argc, char **argv)
{
	long runs = 1000, warmup = 20;
	int i = 1;

	for (; i + 1 < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
		long *dst = strcmp(argv[i], "--runs") == 0 ? &runs :
		            strcmp(argv[i], "--warmup") == 0 ? &warmup : NULL;
		if (!dst || (*dst = parse_count(argv[i + 1])) < 0)
			return usage();
	}
	if (runs < 1 || i >= argc)
		return usage();
	const char *mode = argv[i];
	int need = strcmp(mode, "detect") == 0 ? 2 : strcmp(mode, "select") == 0 ? 4 : 0;
	if (need == 0 || argc - i != need)
		return usage();
	const char *sysroot = argv[i + 1];
	const char *moddir = need == 4 ? argv[i + 2] : NULL;
	const char *dbdir = need == 4 ? argv[i + 3] : NULL;

	unsigned long long *t = calloc((size_t)runs, sizeof(*t));
	if (!t)
		return 2;
	size_t nmods = 0;
	for (long k = 0; k < warmup + runs; k++) {
		unsigned long long t0 = now_ns();
		int r = once(mode, sysroot, moddir, dbdir, &nmods);
		unsigned long long t1 = now_ns();
		if (r < 0) {
			fprintf(stderr, "hvd-bench-inproc: %s %s: %s\n", mode, sysroot, strerror(-r));
			free(t);
			return 1;
		}
		if (k >= warmup)
			t[k - warmup] = t1 - t0;
	}

	unsigned long long sum = 0;
	for (long k = 0; k < runs; k++)
		sum += t[k];
	qsort(t, (size_t)runs, sizeof(*t), cmp_ull);
	printf("mode=%s runs=%ld median_ns=%llu min_ns=%llu p90_ns=%llu mean_ns=%llu modules=%zu\n",
	       mode, runs, t[runs / 2], t[0], t[(runs * 9) / 10], sum / (unsigned long long)runs, nmods);
	free(t);
	return 0;
}
