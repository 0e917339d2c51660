/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Confined, bounded file access below the sysroot.
 *
 * Resolution is done by the kernel with openat2(RESOLVE_IN_ROOT |
 * RESOLVE_NO_MAGICLINKS) where it exists (Linux >= 5.6): the sysroot behaves
 * as "/" for every absolute symlink and "..". Where openat2 is missing or
 * filtered (old kernels, seccomp in containers), a user-space resolver with the
 * same semantics walks the path one component at a time with O_NOFOLLOW.
 */
#define _GNU_SOURCE
#include "sysroot.h"

#include <stddef.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#define MAX_SYMLINKS 40   /* as the kernel's MAXSYMLINKS */

static int sys_openat2(int dirfd, const char *path, struct open_how *how)
{
#ifdef SYS_openat2
	long r = syscall(SYS_openat2, dirfd, path, how, sizeof(*how));
	return r < 0 ? -errno : (int)r;
#else
	(void)dirfd; (void)path; (void)how;
	return -ENOSYS;
#endif
}

/* One path component stack for the fallback resolver. */
struct walk {
	int fds[256];       /* fds[0] is the root; fds[depth] the current directory */
	int depth;
	int links;
};

static int open_here(struct walk *w, int oflags)
{
	int fd = openat(w->fds[w->depth], ".", oflags);
	return fd < 0 ? -errno : fd;
}

static void walk_close(struct walk *w)
{
	for (int i = 1; i <= w->depth; i++)
		close(w->fds[i]);
	w->depth = 0;
}

/*
 * Walk PATH component by component from the current position of W. Every
 * component but the last is opened O_PATH|O_NOFOLLOW; symlinks are read and
 * their targets walked in turn (absolute ones from the root). ".." never rises
 * above the root. The last component is opened with OFLAGS.
 */
static int walk_path(struct walk *w, const char *path, int oflags, bool final)
{
	/*
	 * One component at a time, copied to the stack: no allocation here, so an
	 * allocation failure cannot turn "exists" into "absent" (sysroot_exists()
	 * has no error to return), and a symlink chain costs no heap.
	 */
	char c[NAME_MAX + 1];
	const char *p = path;

	if (path[0] == '/')
		walk_close(w);
	while (*p == '/')
		p++;
	if (*p == '\0')
		return final ? open_here(w, oflags) : 0;

	while (*p) {
		size_t len = strcspn(p, "/");
		if (len > NAME_MAX)
			return -ENAMETOOLONG;
		memcpy(c, p, len);
		c[len] = '\0';
		p += len;
		while (*p == '/')
			p++;
		bool last = final && *p == '\0';

		if (strcmp(c, ".") == 0 || strcmp(c, "..") == 0) {
			if (c[1] == '.' && w->depth > 0)
				close(w->fds[w->depth--]);
			if (last)
				return open_here(w, oflags);
			continue;
		}

		struct stat st;
		if (fstatat(w->fds[w->depth], c, &st, AT_SYMLINK_NOFOLLOW) < 0)
			return -errno;
		if (S_ISLNK(st.st_mode)) {
			char target[4096];
			ssize_t l = readlinkat(w->fds[w->depth], c, target, sizeof(target) - 1);
			if (l < 0)
				return -errno;
			target[l] = '\0';
			if (++w->links > MAX_SYMLINKS)
				return -ELOOP;
			int r = walk_path(w, target, oflags, last);
			if (r < 0 || last)
				return r;
			continue;
		}
		if (last) {
			int fd = openat(w->fds[w->depth], c, oflags | O_NOFOLLOW);
			return fd < 0 ? -errno : fd;
		}
		if (!S_ISDIR(st.st_mode))
			return -ENOTDIR;
		if (w->depth + 1 >= (int)ARRAY_SIZE(w->fds))
			return -ENAMETOOLONG;
		int fd = openat(w->fds[w->depth], c, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			return -errno;
		w->fds[++w->depth] = fd;
	}
	return 0;
}

static int open_manual(struct hvd_ctx *ctx, const char *relpath, int oflags)
{
	struct walk w = { .depth = 0, .links = 0 };
	w.fds[0] = ctx->root_fd;
	int r = walk_path(&w, relpath, oflags, true);
	walk_close(&w);
	return r;
}

int sysroot_open(struct hvd_ctx *ctx, const char *relpath, int oflags)
{
	if (!ctx || !relpath)
		return -EINVAL;
	while (*relpath == '/')
		relpath++;
	if (*relpath == '\0')
		relpath = ".";
	/* openat2 rejects O_PATH combined with anything but O_CLOEXEC/O_DIRECTORY/O_NOFOLLOW. */
	oflags |= O_CLOEXEC | ((oflags & O_PATH) ? 0 : O_NOCTTY);

	if (!ctx->force_manual_resolve) {
		struct open_how how = {
			.flags = (uint64_t)oflags,
			.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
		};
		int fd = sys_openat2(ctx->root_fd, relpath, &how);
		if (fd >= 0 || (fd != -ENOSYS && fd != -EPERM && fd != -E2BIG))
			return fd;
		/* openat2 unavailable or filtered: fall back for the rest of this context. */
		ctx->force_manual_resolve = 1;
	}
	return open_manual(ctx, relpath, oflags);
}

int read_regular_fd(int fd, size_t max, char **data, size_t *len)
{
	_cleanup_free_ char *buf = NULL;
	struct stat st;
	size_t have = 0, cap;
	int truncated = 0;

	if (fstat(fd, &st) < 0)
		return -errno;
	if (S_ISDIR(st.st_mode))
		return -EISDIR;
	if (!S_ISREG(st.st_mode))
		return -EINVAL;

	/*
	 * sysfs reports 4096 for attributes and the true size for binary files; /proc says 0.
	 * Asking for one byte more than the size fstat gave lets a file of exactly that
	 * size end on a short read instead of a second read() that returns 0.
	 */
	size_t exact = st.st_size > 0 && (size_t)st.st_size < max ? (size_t)st.st_size : 0;
	cap = exact ? exact + 1 : (max < 4096 ? max : 4096);
	buf = malloc(cap + 1);
	if (!buf)
		return -ENOMEM;
	for (;;) {
		if (have == cap) {
			if (cap >= max) {
				/* fstat already says so (a sysfs binary file, a file on disk): no read needed. */
				if (st.st_size > 0 && (size_t)st.st_size > max) {
					truncated = 1;
					break;
				}
				/* Otherwise (/proc says 0) probe one more byte. */
				char extra;
				ssize_t r;
				do
					r = read(fd, &extra, 1);
				while (r < 0 && errno == EINTR);
				truncated = r > 0;
				break;
			}
			size_t ncap = cap * 2 < max ? cap * 2 : max;
			char *nbuf = realloc(buf, ncap + 1);
			if (!nbuf)
				return -ENOMEM;
			buf = nbuf;
			cap = ncap;
		}
		ssize_t r = read(fd, buf + have, cap - have);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (r == 0)
			break;
		have += (size_t)r;
		/* A regular file read short at the size it reported has ended. */
		if (exact && have == exact && have < cap)
			break;
	}
	buf[have] = '\0';
	*len = have;
	*data = TAKE_PTR(buf);
	return truncated;
}

int reopen_regular(int pathfd, int oflags)
{
	char proc[sizeof("/proc/self/fd/") + 3 * sizeof(int)];
	struct stat st;
	int fd;

	if (fstat(pathfd, &st) < 0)
		return -errno;
	if (S_ISDIR(st.st_mode))
		return -EISDIR;
	if (!S_ISREG(st.st_mode))
		return -EINVAL;
	/*
	 * The O_PATH descriptor pins the inode that was checked: reopened through
	 * /proc, it cannot have been swapped for a device since.
	 */
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", pathfd);
	fd = open(proc, oflags | O_CLOEXEC | O_NOCTTY);
	if (fd >= 0)
		return fd;
	/*
	 * No /proc, or ours is closed to us: a process that changed its user
	 * (setuid) is not dumpable, and its /proc/self/fd belongs to root. The
	 * file's own EACCES comes here too; the caller's fallback sees it again.
	 */
	return errno == ENOENT || errno == EACCES || errno == EPERM ? -EAGAIN : -errno;
}

/*
 * Open RELPATH for reading when it is a regular file, and never otherwise:
 * opening a device node has side effects (a watchdog starts, a tape rewinds),
 * and a tree handed to us (a capture unpacked by root) can hold one in any
 * place. So the type is checked on an O_PATH descriptor, which opens nothing,
 * and only a regular file is reopened for reading, through /proc, by that
 * descriptor: no rename can put a device there meanwhile. Without /proc (or
 * with /proc/self closed to a process that changed its user) the path is
 * opened again and must lead to the same inode: a device could only get there
 * by a rename racing this call.
 *
 * The live system's own root is opened directly, as before: its sys/ and
 * proc/ are sysfs and procfs, which hold no device nodes, and only its root
 * user could make them otherwise; the O_PATH round costs 3.5 us a file, a
 * third of a detection.
 */
static int open_regular(struct hvd_ctx *ctx, const char *relpath)
{
	_cleanup_close_ int pfd = -1;
	struct stat a, b;
	int fd;

	/* O_NONBLOCK: opening a FIFO must not wait for a writer (read_regular_fd refuses it). */
	if (ctx->live)
		return sysroot_open(ctx, relpath, O_RDONLY | O_NONBLOCK);
	pfd = sysroot_open(ctx, relpath, O_PATH);
	if (pfd < 0)
		return pfd;
	fd = reopen_regular(pfd, O_RDONLY | O_NONBLOCK);
	if (fd != -EAGAIN)
		return fd;
	fd = sysroot_open(ctx, relpath, O_RDONLY | O_NONBLOCK);
	if (fd < 0)
		return fd;
	if (fstat(pfd, &a) < 0 || fstat(fd, &b) < 0 || a.st_dev != b.st_dev || a.st_ino != b.st_ino) {
		close(fd);
		return -EAGAIN;
	}
	return fd;
}

int host_open_regular(const char *path)
{
	_cleanup_close_ int pfd = open(path, O_PATH | O_CLOEXEC);
	struct stat a, b;
	int fd;

	if (pfd < 0)
		return -errno;
	fd = reopen_regular(pfd, O_RDONLY | O_NONBLOCK);
	if (fd != -EAGAIN)
		return fd;
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	if (fstat(pfd, &a) < 0 || fstat(fd, &b) < 0 || a.st_dev != b.st_dev || a.st_ino != b.st_ino) {
		close(fd);
		return -EAGAIN;
	}
	return fd;
}

int sysroot_read(struct hvd_ctx *ctx, const char *relpath, size_t max, char **data, size_t *len)
{
	_cleanup_close_ int fd = -1;
	int r;

	if (!data || !len)
		return -EINVAL;
	fd = open_regular(ctx, relpath);
	if (fd < 0)
		return fd;
	r = read_regular_fd(fd, max, data, len);
	if (r >= 0 && ctx->hook) {
		struct stat st;
		if (fstat(fd, &st) == 0)
			ctx->hook->path(ctx->hook->data, relpath, st.st_mode, *data, *len);
	}
	return r;
}

int sysroot_read_attr(struct hvd_ctx *ctx, const char *relpath, char **value)
{
	char *data = NULL;
	size_t len = 0;
	int r = sysroot_read(ctx, relpath, READ_MAX_ATTR, &data, &len);
	if (r < 0)
		return r;
	strip_trailing(data, len);
	*value = data;
	return r;
}

/*
 * Tell the hook that RELPATH (MODE) was found by an existence check. A small
 * regular file's content goes along: it was checked for a reason (lparcfg),
 * and a later probe may read it.
 */
static void report_exists(struct hvd_ctx *ctx, const char *relpath, mode_t mode)
{
	_cleanup_free_ char *data = NULL;
	size_t len = 0;

	if (S_ISREG(mode)) {
		_cleanup_close_ int fd = open_regular(ctx, relpath);
		/* Longer than an attribute (1) or unreadable: found, content unknown. */
		if (fd < 0 || read_regular_fd(fd, READ_MAX_ATTR, &data, &len) != 0) {
			free(data);
			data = NULL;
			len = 0;
		}
	}
	ctx->hook->path(ctx->hook->data, relpath, mode, data, len);
}

int sysroot_exists(struct hvd_ctx *ctx, const char *relpath)
{
	_cleanup_close_ int fd = sysroot_open(ctx, relpath, O_PATH);
	struct stat st;

	if (fd < 0 || fstat(fd, &st) < 0)
		return 0;
	if (ctx->hook)
		report_exists(ctx, relpath, st.st_mode);
	return S_ISDIR(st.st_mode) ? 1 : 2;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void strv_free(char **strv)
{
	if (!strv)
		return;
	for (char **s = strv; *s; s++)
		free(*s);
	free(strv);
}

/* The kernel's record, as getdents64(2) fills the buffer. */
struct kdirent {
	uint64_t ino;
	int64_t off;
	unsigned short reclen;
	unsigned char type;
	char name[];
};

/* Append NAME to the NULL-terminated vector *V (*COUNT entries, *CAP slots). */
static int strv_push(char ***v, size_t *count, size_t *cap, const char *name)
{
	if (*count == LIST_MAX)
		return -E2BIG;
	if (*count + 1 >= *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		char **nv = realloc(*v, ncap * sizeof(**v));
		if (!nv)
			return -ENOMEM;
		*v = nv;
		*cap = ncap;
	}
	(*v)[*count] = strdup(name);
	if (!(*v)[*count])
		return -ENOMEM;
	(*v)[++*count] = NULL;
	return 0;
}

/*
 * Tell the hook about the directory RELPATH (open as FD) and each of its NAMES
 * with the type it resolves to inside the sysroot (mode 0: it does not resolve,
 * a dangling link say). Probes use names as data (ACPI device ids), so a replay
 * needs them even when nothing below them is read; their content is not sent,
 * since nobody read it (an ACPI MSDM table holds a licence key). One open per
 * entry, paid only while a hook is set.
 */
static int report_listing(struct hvd_ctx *ctx, const char *relpath, int fd, char *const *names)
{
	struct stat st;

	if (fstat(fd, &st) == 0)
		ctx->hook->path(ctx->hook->data, relpath, st.st_mode, NULL, 0);
	for (char *const *name = names; *name; name++) {
		_cleanup_free_ char *path = strdup_printf("%s/%s", relpath, *name);
		if (!path)
			return -ENOMEM;
		_cleanup_close_ int efd = sysroot_open(ctx, path, O_PATH);
		mode_t mode = efd >= 0 && fstat(efd, &st) == 0 ? st.st_mode : 0;
		ctx->hook->path(ctx->hook->data, path, mode, NULL, 0);
	}
	return 0;
}

int sysroot_list(struct hvd_ctx *ctx, const char *relpath, char ***names, size_t *n)
{
	_cleanup_close_ int fd = sysroot_open(ctx, relpath, O_RDONLY | O_DIRECTORY);
	_cleanup_free_ char *buf = NULL;
	char **v = NULL;
	size_t count = 0, cap = 0;
	int r = 0;

	if (fd < 0)
		return fd;
	/*
	 * getdents64 straight into a buffer: fdopendir() would add an fstat and two
	 * fcntl calls per listing, and O_DIRECTORY already guarantees a directory.
	 */
	const size_t bufsize = 32768;
	buf = malloc(bufsize);
	if (!buf)
		return -ENOMEM;
	while (r == 0) {
		long got = syscall(SYS_getdents64, fd, buf, bufsize);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			r = -errno;
			break;
		}
		if (got == 0)
			break;
		for (size_t off = 0; r == 0 && off + sizeof(struct kdirent) <= (size_t)got;) {
			const struct kdirent *de = (const struct kdirent *)(buf + off);
			if (de->reclen < sizeof(struct kdirent) || off + de->reclen > (size_t)got ||
			    !memchr(de->name, '\0', de->reclen - offsetof(struct kdirent, name))) {
				r = -EIO;
				break;
			}
			off += de->reclen;
			if (strcmp(de->name, ".") == 0 || strcmp(de->name, "..") == 0)
				continue;
			r = strv_push(&v, &count, &cap, de->name);
		}
	}
	if (r < 0) {
		if (v)
			v[count] = NULL;
		strv_free(v);
		return r;
	}
	if (!v) {
		v = calloc(1, sizeof(*v));
		if (!v)
			return -ENOMEM;
	}
	qsort(v, count, sizeof(*v), cmp_str);
	if (ctx->hook && (r = report_listing(ctx, relpath, fd, v)) < 0) {
		strv_free(v);
		return r;
	}
	*names = v;
	*n = count;
	return 0;
}
