/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The floors under bench/run's targets: what this machine charges for the
 * work no implementation can skip. It does not use libhvdetect.
 *
 *   hvd-bench-floor noop
 *       start and exit (with hyperfine: the process floor).
 *   hvd-bench-floor kmod MODDIR ALIASFILE
 *       the least a selection process can do: dlopen libkmod (which maps and
 *       relocates libcrypto, liblzma, libzstd), open MODDIR's indexes, look
 *       up every modalias of ALIASFILE; prints how many resolved.
 *   hvd-bench-floor read ROOT FILE [N]
 *       median ns of open + fstat + read + close of FILE, relative to the
 *       directory ROOT as the library reads a sysroot (what reading one sysfs
 *       attribute or fixture file costs), and of an open of an absent path
 *       next to it; one line of key=value pairs.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "timing.h"

struct kmod_ctx;
struct kmod_list;

static int kmod_floor(const char *moddir, const char *aliasfile)
{
	void *h = dlopen("libkmod.so.2", RTLD_NOW);
	if (!h) {
		fprintf(stderr, "hvd-bench-floor: %s\n", dlerror());
		return 2;
	}
	struct kmod_ctx *(*knew)(const char *, const char *const *) =
		(struct kmod_ctx *(*)(const char *, const char *const *))dlsym(h, "kmod_new");
	int (*kload)(struct kmod_ctx *) = (int (*)(struct kmod_ctx *))dlsym(h, "kmod_load_resources");
	int (*klookup)(struct kmod_ctx *, const char *, struct kmod_list **) =
		(int (*)(struct kmod_ctx *, const char *, struct kmod_list **))dlsym(h, "kmod_module_new_from_lookup");
	if (!knew || !kload || !klookup)
		return 2;
	struct kmod_ctx *k = knew(moddir, NULL);
	if (!k || kload(k) < 0) {
		fprintf(stderr, "hvd-bench-floor: cannot open the module tree %s\n", moddir);
		return 2;
	}
	FILE *f = fopen(aliasfile, "re");
	if (!f) {
		fprintf(stderr, "hvd-bench-floor: %s: %s\n", aliasfile, strerror(errno));
		return 2;
	}
	char line[4096];
	int resolved = 0;
	while (fgets(line, sizeof(line), f)) {
		struct kmod_list *l = NULL;
		line[strcspn(line, "\n")] = '\0';
		if (line[0] && klookup(k, line, &l) >= 0 && l)
			resolved++;
	}
	fclose(f);
	printf("%d\n", resolved);
	return 0;   /* like a one-shot tool, leave the rest to exit() */
}

static int read_floor(const char *root, const char *file, long n)
{
	int dfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	unsigned long long *t = calloc((size_t)n, sizeof(*t)), *m = calloc((size_t)n, sizeof(*m));
	char buf[4096];
	size_t dl = strlen(file);
	char *absent = malloc(dl + sizeof(".absent"));

	if (dfd < 0 || !t || !m || !absent)
		return 2;
	memcpy(absent, file, dl);
	memcpy(absent + dl, ".absent", sizeof(".absent"));
	for (long i = 0; i < n; i++) {
		struct stat st;
		unsigned long long t0 = now_ns();
		int fd = openat(dfd, file, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
		if (fd < 0 || fstat(fd, &st) < 0 || read(fd, buf, sizeof(buf)) < 0) {
			fprintf(stderr, "hvd-bench-floor: %s: %s\n", file, strerror(errno));
			return 2;
		}
		close(fd);
		unsigned long long t1 = now_ns();
		if (openat(dfd, absent, O_RDONLY | O_CLOEXEC) >= 0)
			return 2;
		unsigned long long t2 = now_ns();
		t[i] = t1 - t0;
		m[i] = t2 - t1;
	}
	qsort(t, (size_t)n, sizeof(*t), cmp_ull);
	qsort(m, (size_t)n, sizeof(*m), cmp_ull);
	printf("read_ns=%llu absent_ns=%llu runs=%ld\n", t[n / 2], m[n / 2], n);
	free(t);
	free(m);
	free(absent);
	close(dfd);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "noop") == 0)
		return 0;
	if (argc == 4 && strcmp(argv[1], "kmod") == 0)
		return kmod_floor(argv[2], argv[3]);
	if ((argc == 4 || argc == 5) && strcmp(argv[1], "read") == 0) {
		long n = argc == 5 ? strtol(argv[4], NULL, 10) : 20000;
		return n > 0 && n <= 10000000 ? read_floor(argv[2], argv[3], n) : 2;
	}
	fputs("usage: hvd-bench-floor noop | kmod MODDIR ALIASFILE | read ROOT FILE [N]\n", stderr);
	return 2;
}
