/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outfile.h"

int buf_write_file_atomic(const struct buf *b, const char *path, const char **what)
{
	char *dup_dir = strdup(path), *dup_base = strdup(path), *tmp = NULL;
	int fd = -1, r = 0, dfd = -1;
	mode_t mask;

	*what = "cannot write";
	if (!dup_dir || !dup_base || b->oom) {
		r = -ENOMEM;
		goto out;
	}
	const char *dir = dirname(dup_dir), *base = basename(dup_base);
	if (!*base || strcmp(base, "/") == 0 || strcmp(base, ".") == 0 || strcmp(base, "..") == 0) {
		r = -EISDIR;
		goto out;
	}
	if (asprintf(&tmp, "%s/.%s.XXXXXX", dir, base) < 0) {
		tmp = NULL;
		r = -ENOMEM;
		goto out;
	}
	*what = "cannot create a temporary file beside";
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		r = -errno;
		free(tmp);
		tmp = NULL;
		goto out;
	}
	/* mkostemp() makes it 0600; a collector running as another user must read it. */
	mask = umask(0);
	umask(mask);
	*what = "cannot write";
	if (fchmod(fd, 0666 & ~mask) < 0 || (r = buf_write_all(b, fd)) < 0 || fsync(fd) < 0) {
		r = r < 0 ? r : -errno;
		goto out;
	}
	if (close(fd) < 0) {
		fd = -1;
		r = -errno;
		goto out;
	}
	fd = -1;
	*what = "cannot rename the temporary file over";
	if (rename(tmp, path) < 0) {
		r = -errno;
		goto out;
	}
	free(tmp);
	tmp = NULL;
	/* The rename itself survives a crash once the directory is flushed too; best effort. */
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		(void)fsync(dfd);
		close(dfd);
	}
out:
	if (fd >= 0)
		close(fd);
	if (tmp) {
		unlink(tmp);
		free(tmp);
	}
	free(dup_dir);
	free(dup_base);
	return r;
}
