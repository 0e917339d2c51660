/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * hvd_capture(): run the probes with a recorder attached, so that exactly what
 * the library reads lands in a new sysroot tree (plus the CPUID leaves it asked
 * for, as cpuid.txt). Written into a temporary sibling and renamed into place:
 * the target is either complete or absent.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <dirent.h>
#include <ftw.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cpuid.h"
#include "facts.h"
#include "internal.h"
#include "sysroot.h"

struct capture {
	int dir_fd;
	int error;                 /* first write error, reported at the end */
	struct strbuf cpuid;   /* the captured cpuid.txt */
};

/* mkdir -p RELPATH below the capture directory; returns an O_PATH fd of it or -errno. */
static int mkdirs(int base_fd, const char *relpath)
{
	_cleanup_free_ char *copy = strdup(relpath);
	char *save = NULL;
	int fd;

	if (!copy)
		return -ENOMEM;
	fd = dup(base_fd);
	if (fd < 0)
		return -errno;
	for (char *c = strtok_r(copy, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
		if (strcmp(c, ".") == 0 || strcmp(c, "..") == 0)
			continue;
		if (mkdirat(fd, c, 0755) < 0 && errno != EEXIST) {
			int r = -errno;
			close(fd);
			return r;
		}
		int nfd = openat(fd, c, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		close(fd);
		if (nfd < 0)
			return -errno;
		fd = nfd;
	}
	return fd;
}

static void record_error(struct capture *cap, int r)
{
	if (r < 0 && cap->error == 0)
		cap->error = r;
}

void capture_dir(struct hvd_ctx *ctx, const char *relpath)
{
	int fd = mkdirs(ctx->capture->dir_fd, relpath);
	if (fd >= 0)
		close(fd);
	record_error(ctx->capture, fd);
}

void capture_file(struct hvd_ctx *ctx, const char *relpath, const char *data, size_t len)
{
	_cleanup_free_ char *dir = strdup(relpath);
	const char *base;
	char *slash;
	int dfd, fd;

	if (!dir) {
		record_error(ctx->capture, -ENOMEM);
		return;
	}
	slash = strrchr(dir, '/');
	if (slash) {
		*slash = '\0';
		base = slash + 1;
		dfd = mkdirs(ctx->capture->dir_fd, dir);
	} else {
		base = relpath;
		dfd = dup(ctx->capture->dir_fd);
		if (dfd < 0)
			dfd = -errno;
	}
	if (dfd < 0) {
		record_error(ctx->capture, dfd);
		return;
	}
	fd = openat(dfd, base, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	close(dfd);
	if (fd < 0) {
		record_error(ctx->capture, -errno);
		return;
	}
	while (len > 0) {
		ssize_t w = write(fd, data, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			record_error(ctx->capture, w < 0 ? -errno : -EIO);
			break;
		}
		data += w;
		len -= (size_t)w;
	}
	if (close(fd) < 0)
		record_error(ctx->capture, -errno);
}

void capture_cpuid(struct hvd_ctx *ctx, uint32_t leaf, uint32_t subleaf, const uint32_t regs[4])
{
	cpuid_format_line(&ctx->capture->cpuid, leaf, subleaf, regs);
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	return remove(path) < 0 ? -1 : 0;
}

static void rm_rf(const char *path)
{
	nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* DIR may be absent or an empty directory. */
static int check_target(const char *dir)
{
	struct stat st;

	if (lstat(dir, &st) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISDIR(st.st_mode))
		return -EEXIST;
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	size_t n = 0;
	/* A plain readdir is enough here: DIR is a host path, not a sysroot one. */
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -errno;
	}
	struct dirent *de;
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			n++;
	closedir(d);
	return n ? -ENOTEMPTY : 0;
}

HVD_EXPORT int hvd_capture(struct hvd_ctx *ctx, const char *dir)
{
	struct capture cap = { .dir_fd = -1 };
	struct facts f;
	_cleanup_free_ char *tmp = NULL;
	int r;

	if (!ctx || !dir || !*dir || ctx->capture)
		return -EINVAL;
	r = check_target(dir);
	if (r < 0)
		return ctx_set_error(ctx, r, "%s: %s", dir,
		                         r == -ENOTEMPTY ? "directory is not empty" :
		                         r == -EEXIST ? "exists and is not a directory" : strerror(-r));
	tmp = strdup_printf("%s.tmpXXXXXX", dir);
	if (!tmp)
		return -ENOMEM;
	if (!mkdtemp(tmp))
		return ctx_set_error(ctx, -errno, "%s: cannot create: %m", tmp);
	chmod(tmp, 0755);
	cap.dir_fd = open(tmp, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (cap.dir_fd < 0) {
		r = -errno;
		rm_rf(tmp);
		return r;
	}
	strbuf_puts(&cap.cpuid, "CPU:\n");

	ctx->capture = &cap;
	r = probe_all(ctx, &f);
	ctx->capture = NULL;
	if (r >= 0)
		facts_free(&f);

	if (r >= 0 && cap.cpuid.len > strlen("CPU:\n")) {
		if (cap.cpuid.oom)
			r = -ENOMEM;
		else {
			/* Written through the same recorder so that errors are collected in one place. */
			ctx->capture = &cap;
			capture_file(ctx, "cpuid.txt", cap.cpuid.buf, cap.cpuid.len);
			ctx->capture = NULL;
		}
	}
	if (r >= 0 && cap.error < 0)
		r = cap.error;
	close(cap.dir_fd);
	strbuf_free(&cap.cpuid);
	if (r >= 0 && rename(tmp, dir) < 0)
		r = -errno;
	if (r < 0) {
		rm_rf(tmp);
		return ctx_set_error(ctx, r, "capture into %s failed: %s", dir, strerror(-r));
	}
	return 0;
}
