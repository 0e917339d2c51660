/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Helpers for unit tests: build small sysroot trees in a temporary directory. */
#ifndef HVD_TESTUTIL_H
#define HVD_TESTUTIL_H

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static inline char *tu_mkdtemp(void)
{
	char *d = strdup("/tmp/hvd-test-XXXXXX");
	if (!d || !mkdtemp(d))
		abort();
	return d;
}

/* ROOT/REL, malloc'ed. */
static inline char *tu_path(const char *root, const char *rel)
{
	char *p;
	if (asprintf(&p, "%s/%s", root, rel) < 0)
		abort();
	return p;
}

/* mkdir -p ROOT/REL */
static inline void tu_mkdirs(const char *root, const char *rel)
{
	char *path = tu_path(root, rel);
	for (char *p = path + strlen(root) + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			mkdir(path, 0755);
			*p = '/';
		}
	}
	mkdir(path, 0755);
	free(path);
}

/* Write LEN bytes of DATA to ROOT/REL, creating parent directories. */
static inline void tu_write(const char *root, const char *rel, const void *data, size_t len)
{
	char *path = tu_path(root, rel);
	char *dir = strdup(rel);
	char *slash = strrchr(dir, '/');
	if (slash) {
		*slash = '\0';
		tu_mkdirs(root, dir);
	}
	free(dir);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0)
		abort();
	free(path);
}

static inline void tu_write_str(const char *root, const char *rel, const char *s)
{
	tu_write(root, rel, s, strlen(s));
}

static inline void tu_symlink(const char *root, const char *rel, const char *target)
{
	char *path = tu_path(root, rel);
	if (symlink(target, path) < 0)
		abort();
	free(path);
}

static inline int tu_rm_entry(const char *p, const struct stat *s, int f, struct FTW *w)
{
	(void)s; (void)f; (void)w;
	chmod(p, 0700);
	return remove(p);
}

static inline void tu_rm_rf(const char *root)
{
	nftw(root, tu_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

#endif
