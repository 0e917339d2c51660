/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A main() for the fuzz harnesses when libFuzzer is not there (gcc builds):
 * every file named, and every file in every directory named, is fed to
 * LLVMFuzzerTestOneInput once. This is how CI replays the checked-in corpora.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static int run_file(const char *path, size_t *count)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	uint8_t *data = NULL;
	size_t len = 0, cap = 0;
	for (;;) {
		if (len == cap) {
			cap = cap ? cap * 2 : 4096;
			uint8_t *n = realloc(data, cap);
			if (!n)
				abort();
			data = n;
		}
		size_t got = fread(data + len, 1, cap - len, f);
		len += got;
		if (got == 0)
			break;
	}
	fclose(f);
	/* An exact-size copy, so that ASan sees a read past the input as one. */
	uint8_t *exact = malloc(len ? len : 1);
	if (!exact)
		abort();
	if (len)
		memcpy(exact, data, len);
	free(data);
	LLVMFuzzerTestOneInput(exact, len);
	free(exact);
	(*count)++;
	return 0;
}


static int run_path(const char *path, size_t *count)
{
	struct stat st;
	if (stat(path, &st) < 0) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return run_file(path, count);

	struct dirent **ents;
	int n = scandir(path, &ents, NULL, alphasort);
	if (n < 0) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	int r = 0;
	for (int i = 0; i < n; i++) {
		if (ents[i]->d_name[0] != '.') {
			char *p;
			if (asprintf(&p, "%s/%s", path, ents[i]->d_name) < 0)
				abort();
			if (run_path(p, count) < 0)
				r = -1;
			free(p);
		}
		free(ents[i]);
	}
	free(ents);
	return r;
}

int main(int argc, char **argv)
{
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return 2;
	}
	size_t count = 0;
	int r = 0;
	for (int i = 1; i < argc; i++)
		if (run_path(argv[i], &count) < 0)
			r = 1;
	printf("%s: %zu inputs replayed\n", argv[0], count);
	if (count == 0) {
		fprintf(stderr, "%s: no input found\n", argv[0]);
		return 1;
	}
	return r;
}
