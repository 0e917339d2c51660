/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * hvd_capture(): run the probes with a read hook on the context, so that what
 * the sysroot and the CPUID source hand them lands in a new sysroot tree: every
 * file read, every path found, every directory listed with its entries, and the
 * CPUID leaves asked for as cpuid.txt. No probe knows about capturing. Written
 * into a temporary sibling and renamed into place: the target is either
 * complete or absent.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <dirent.h>
#include <ftw.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "base/cpuid.h"
#include "base/escape.h"
#include "facts.h"
#include "base/internal.h"

struct capture {
	int dir_fd;                /* the tree being written */
	int error;                 /* first write error, reported at the end */
	struct strbuf cpuid;       /* the captured cpuid.txt */
};

static void record_error(struct capture *cap, int r)
{
	if (r < 0 && cap->error == 0)
		cap->error = r;
}

/*
 * mkdir -p RELPATH below the capture directory; returns an O_PATH fd of it or
 * -errno. Directories are 0777 less the umask, whatever the source's mode (a
 * read-only one would stop the capture writing into it); none is followed if
 * it is a link.
 */
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
		if (mkdirat(fd, c, 0777) < 0 && errno != EEXIST) {
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

/*
 * Write RELPATH with MODE's permission bits (the umask applies, as it does to
 * any new file): never wider than the source, so a root-only product_serial
 * stays root-only. CONTENT NULL makes an empty placeholder for a file found but
 * not read, kept only where nothing better is there yet; content replaces what
 * is there unless that is longer (the same file read with a larger bound).
 */
static int write_file(int base_fd, const char *relpath, mode_t mode, const char *content, size_t len)
{
	_cleanup_free_ char *dir = strdup(relpath);
	_cleanup_close_ int dfd = -1, fd = -1;
	const char *base = relpath;
	struct stat st;

	if (!dir)
		return -ENOMEM;
	char *slash = strrchr(dir, '/');
	if (slash) {
		*slash = '\0';
		base = slash + 1;
	}
	dfd = mkdirs(base_fd, slash ? dir : ".");
	if (dfd < 0)
		return dfd;
	if (fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if (!content || (S_ISREG(st.st_mode) && (size_t)st.st_size > len))
			return 0;
		/* Replaced, not truncated: an existing file keeps its mode through O_TRUNC. */
		if (unlinkat(dfd, base, 0) < 0)
			return -errno;
	}
	fd = openat(dfd, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode & 0777);
	if (fd < 0)
		return -errno;
	while (len > 0) {
		ssize_t w = write(fd, content, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? -errno : -EIO;
		content += w;
		len -= (size_t)w;
	}
	return close(TAKE_FD(fd)) < 0 ? -errno : 0;
}

/* The read hook: what the sysroot handed a probe becomes the same path in the capture. */
static void on_path(void *data, const char *relpath, mode_t mode, const char *content, size_t len)
{
	struct capture *cap = data;

	if (S_ISDIR(mode)) {
		int fd = mkdirs(cap->dir_fd, relpath);
		if (fd >= 0)
			close(fd);
		record_error(cap, fd);
		return;
	}
	/* A link that resolves nowhere (mode 0) or a device: a regular file holds the name. */
	record_error(cap, write_file(cap->dir_fd, relpath, mode ? mode : 0444, content, len));
}

static void on_cpuid(void *data, uint32_t leaf, uint32_t subleaf, const uint32_t regs[4])
{
	struct capture *cap = data;

	cpuid_format_line(&cap->cpuid, leaf, subleaf, regs);
}

/*
 * A dump none of whose leaves a probe asked for still makes CPUID "available,
 * from a dump" (not "no CPUID at all"), and the parser rejects a dump without
 * leaves: keep its first leaf. Any leaf of the source dump replays the same,
 * since only leaves that answered steer the probe.
 */
static void keep_dump(struct capture *cap, const struct cpuid_dump *dump)
{
	uint32_t leaf, subleaf, regs[4];

	if (cpuid_dump_entry(dump, 0, &leaf, &subleaf, regs) < 0)
		return;
	strbuf_puts(&cap->cpuid, "# the dump held no leaf a probe asked for; its first leaf keeps it a dump\n");
	cpuid_format_line(&cap->cpuid, leaf, subleaf, regs);
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
	const struct read_hook hook = { .data = &cap, .path = on_path, .cpuid = on_cpuid };
	struct hvd_ctx view;
	struct facts f;
	_cleanup_free_ char *tmp = NULL, *tree = NULL, *name = NULL, *shown = NULL;
	size_t l;
	int r;

	ctx_clear_error();
	if (!ctx || !dir || !*dir)
		return -EINVAL;
	/* "newdir/" names newdir: its temporary sibling is newdir.tmpXXXXXX, not newdir/.tmpXXXXXX. */
	for (l = strlen(dir); l > 1 && dir[l - 1] == '/'; l--)
		;
	name = strndup(dir, l);
	shown = escape_name(dir);
	if (!name || !shown)
		return -ENOMEM;
	dir = name;
	r = check_target(dir);
	if (r < 0)
		return ctx_set_error(ctx, r, "%s: %s", shown,
		                         r == -ENOTEMPTY ? "directory is not empty" :
		                         r == -EEXIST ? "exists and is not a directory" : strerror(-r));
	/*
	 * The tree is built as TMP/tree, TMP a private sibling of DIR, and renamed
	 * to DIR when complete. The tree itself is made by mkdir(), so it gets
	 * 0777 less the umask like every directory in it, not mkdtemp()'s 0700.
	 */
	tmp = strdup_printf("%s.tmpXXXXXX", dir);
	if (!tmp)
		return -ENOMEM;
	if (!mkdtemp(tmp))
		return ctx_set_error(ctx, -errno, "%s: cannot create a temporary directory beside it: %m", shown);
	tree = strdup_printf("%s/tree", tmp);
	if (!tree)
		r = -ENOMEM;
	else if (mkdir(tree, 0777) < 0 ||
	         (cap.dir_fd = open(tree, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		r = -errno;
	if (r < 0) {
		rm_rf(tmp);
		return ctx_set_error(ctx, r, "%s: cannot create a temporary directory beside it: %s", shown,
		                     strerror(-r));
	}
	strbuf_puts(&cap.cpuid, "CPU:\n");

	/*
	 * The probes run on a private view of the context with the hook installed:
	 * threads detecting with CTX meanwhile neither record into this capture nor
	 * see its hook.
	 */
	ctx_view(ctx, &view);
	view.hook = &hook;
	r = probe_all(&view, &f);
	if (r >= 0)
		facts_free(&f);
	/* A probe's located error (a broken cpuid.txt: FILE:LINE: why) is the reason, not its errno's name. */
	_cleanup_free_ char *why = r < 0 && ctx_error(ctx) ? strdup(ctx_error(ctx)) : NULL;

	if (r >= 0 && cap.cpuid.len == strlen("CPU:\n") && ctx->cpuid_dump)
		keep_dump(&cap, ctx->cpuid_dump);
	if (r >= 0 && cap.cpuid.len > strlen("CPU:\n"))
		r = cap.cpuid.oom ? -ENOMEM : write_file(cap.dir_fd, "cpuid.txt", 0644, cap.cpuid.buf, cap.cpuid.len);
	if (r >= 0 && cap.error < 0)
		r = cap.error;
	close(cap.dir_fd);
	strbuf_free(&cap.cpuid);
	if (r >= 0 && rename(tree, dir) < 0)
		r = -errno;
	rm_rf(tmp);
	if (r < 0)
		return ctx_set_error(ctx, r, "capture into %s failed: %s", shown, why ? why : strerror(-r));
	return 0;
}
