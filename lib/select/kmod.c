/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Module resolution against the target kernel with libkmod (see kmod.h). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <libkmod.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include "base/dlopen.h"
#include "base/escape.h"
#include "kmod.h"
#include "base/sysroot.h"

const char *const mod_state_names[] = { "missing", "builtin", "loadable", "loaded" };

static bool alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool valid_kernel_version(const char *v)
{
	size_t n = 0;

	if (!v || !alnum(v[0]))
		return false;
	for (; v[n]; n++)
		if (n == 64 || !(alnum(v[n]) || strchr("._+~-", v[n])))
			return false;
	return true;
}

bool valid_module_name(const char *name)
{
	size_t n = 0;

	if (!name || !*name)
		return false;
	for (; name[n]; n++)
		if (n == 255 || !(alnum(name[n]) || name[n] == '_' || name[n] == '-'))
			return false;
	return true;
}

/* The error for a kernel version that valid_kernel_version() refuses; WHERE says where it came from. */
static int bad_version(struct hvd_ctx *ctx, const char *version, const char *where)
{
	_cleanup_free_ char *esc = escape_name(version);

	return ctx_set_error(ctx, -EINVAL,
	                     "invalid kernel version '%s'%s%s: a version is letters, digits and ._+~- (at most 64, "
	                     "starting with a letter or digit)", esc ? esc : "?", where ? " " : "", where ? where : "");
}

struct target {
	struct hvd_ctx *ctx;
	struct kmod_ctx *kmod;
	char *moddir;
	char *version;
	bool running;
	char *config[6];   /* modprobe.d paths handed to libkmod, NULL-terminated */
	/*
	 * Modules looked up so far, kept referenced until target_free(): libkmod
	 * keeps a module (its path, dependencies, softdeps) in its pool only while
	 * someone holds it, and a selection asks about the same modules many times
	 * (virtio_ring once for every virtio driver).
	 */
	struct kmod_module **held;
	size_t n_held, cap_held;
};

/* Keep M referenced for the target's lifetime (see struct target); unref it if that fails. */
static void hold(struct target *t, struct kmod_module *m)
{
	if (t->n_held == t->cap_held) {
		size_t ncap = t->cap_held ? t->cap_held * 2 : 64;
		struct kmod_module **n = realloc(t->held, ncap * sizeof(struct kmod_module *));
		if (!n) {
			kmod_module_unref(m);
			return;
		}
		t->held = n;
		t->cap_held = ncap;
	}
	t->held[t->n_held++] = m;
}

/* libkmod prints to stderr by default; the library never prints, so its messages go to our log. */
static void kmod_log_bridge(void *data, int priority, const char *file, int line, const char *fn,
                            const char *format, va_list args) HVD_PRINTF(6, 0);
static void kmod_log_bridge(void *data, int priority, const char *file, int line, const char *fn,
                            const char *format, va_list args)
{
	struct hvd_ctx *ctx = data;
	_cleanup_free_ char *msg = NULL;

	if (ctx->log_priority < priority || !(msg = strdup_vprintf(format, args)))
		return;
	/* libkmod ends its messages with a newline; our log lines carry none. */
	strip_trailing(msg, strlen(msg));
	ctx_log(ctx, priority, file, line, fn, "libkmod: %s", msg);
}

static bool is_module_tree(const char *dir)
{
	_cleanup_free_ char *dep = strdup_printf("%s/modules.dep", dir);
	_cleanup_free_ char *bin = strdup_printf("%s/modules.dep.bin", dir);
	struct stat st;

	return (dep && stat(dep, &st) == 0) || (bin && stat(bin, &st) == 0);
}

/*
 * DIR is the running kernel's module tree, /lib/modules/RELEASE, under whatever
 * name it was given (a symlink, a trailing slash, a bind mount): the same
 * directory, by device and inode.
 */
static bool is_running_tree(const char *dir, const char *release)
{
	_cleanup_free_ char *own = strdup_printf("/lib/modules/%s", release);
	struct stat a, b;

	return own && *release && stat(dir, &a) == 0 && stat(own, &b) == 0 && a.st_dev == b.st_dev &&
	       a.st_ino == b.st_ino;
}

/* The sysroot as a host path prefix ("" for "/"), so that "/lib/..." can be appended. */
static const char *root_prefix(const struct hvd_ctx *ctx)
{
	return strcmp(ctx->sysroot, "/") == 0 ? "" : ctx->sysroot;
}

/* The one version in the sysroot's lib/modules (or usr/lib/modules), and its directory relative to the sysroot. */
static int sysroot_single_version(struct hvd_ctx *ctx, char **version, char **reldir)
{
	static const char *const bases[] = { "lib/modules", "usr/lib/modules" };

	for (size_t b = 0; b < ARRAY_SIZE(bases); b++) {
		char **names = NULL;
		size_t n = 0, found = 0;
		const char *pick = NULL;
		int r;

		if (sysroot_list(ctx, bases[b], &names, &n) < 0)
			continue;
		for (size_t i = 0; i < n; i++) {
			_cleanup_free_ char *rel = strdup_printf("%s/%s", bases[b], names[i]);
			if (rel && sysroot_exists(ctx, rel) == 1) {
				found++;
				pick = names[i];
			}
		}
		if (found > 1) {
			_cleanup_free_ char *list = NULL;
			struct strbuf sb = { 0 };
			for (size_t i = 0; i < n; i++) {
				strbuf_puts(&sb, i ? ", " : "");
				strbuf_escaped(&sb, names[i]);
			}
			list = strbuf_steal(&sb);
			strv_free(names);
			return ctx_set_error(ctx, -EINVAL,
			                     "%s/%s holds several kernels (%s): choose one with --kernel VERSION",
			                     root_prefix(ctx), bases[b], list ? list : "?");
		}
		if (found == 1) {
			if (!valid_kernel_version(pick)) {
				_cleanup_free_ char *where = strdup_printf("(the directory below %s/%s)", root_prefix(ctx), bases[b]);
				r = bad_version(ctx, pick, where);
				strv_free(names);
				return r;
			}
			*version = strdup(pick);
			*reldir = strdup_printf("%s/%s", bases[b], pick);
			strv_free(names);
			return *version && *reldir ? 0 : -ENOMEM;
		}
		strv_free(names);
	}
	return ctx_set_error(ctx, -ENOENT,
	                     "no kernel module tree in %s/lib/modules: pass --moddir DIR or --kernel VERSION",
	                     root_prefix(ctx));
}

static bool same_inode(int a, int b)
{
	struct stat sa, sb;

	return a >= 0 && b >= 0 && fstat(a, &sa) == 0 && fstat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

/*
 * libkmod opens what it is given by host path, following every link on the
 * host: an absolute link inside a sysroot (lib/modules/V -> /lib/modules/V)
 * would hand it the host's tree. So the directory REL is resolved inside the
 * sysroot first, and libkmod gets a host path to that same directory: the
 * plain one when it leads there, else the resolved location (/proc/self/fd
 * names it). *HOST is malloc'ed; *FD an O_PATH descriptor of the directory.
 */
static int confined_dir(struct hvd_ctx *ctx, const char *rel, char **host, int *fd)
{
	_cleanup_close_ int dfd = sysroot_open(ctx, rel, O_PATH | O_DIRECTORY);
	_cleanup_free_ char *plain = NULL;
	char proc[64], real[4096];
	ssize_t l;

	if (dfd < 0)
		return dfd;
	plain = strdup_printf("%s/%s", root_prefix(ctx), rel);
	if (!plain)
		return -ENOMEM;
	_cleanup_close_ int hfd = open(plain, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (!same_inode(dfd, hfd)) {
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", dfd);
		l = readlink(proc, real, sizeof(real) - 1);
		if (l <= 0 || real[0] != '/')
			return -EXDEV;
		real[l] = '\0';
		_cleanup_close_ int rfd = open(real, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (!same_inode(dfd, rfd))
			return -EXDEV;
		free(plain);
		plain = strdup(real);
		if (!plain)
			return -ENOMEM;
	}
	*host = TAKE_PTR(plain);
	*fd = TAKE_FD(dfd);
	return 0;
}

/*
 * libkmod prints to stderr while kmod_new() runs, before any log function can
 * be set: every line of the configuration and of the tree's modules.softdep it
 * rejects ("ignoring bad line starting with '<raw bytes>'") went to our
 * caller's terminal as it was. So what libkmod is handed is checked first,
 * line by line, the way kmod_config_parse() reads it (libkmod 30).
 */

#define CONF_MAX (8u << 20)   /* bytes of modprobe.d configuration (or of modules.softdep), all files together */

/* libkmod's underscores(): '-' becomes '_' outside brackets; an unmatched bracket is an error. */
static bool kmod_name_ok(char *s)
{
	if (!s)
		return false;
	for (size_t i = 0; s[i]; i++) {
		if (s[i] == '-') {
			s[i] = '_';
		} else if (s[i] == ']') {
			return false;
		} else if (s[i] == '[') {
			i += strcspn(s + i, "]");
			if (!s[i])
				return false;
		}
	}
	return true;
}

/*
 * Whether kmod_config_parse() takes the logical LINE (continuations joined)
 * without an error message; LINE is changed. Only printable ASCII and tabs
 * pass, so that even what it logs later cannot drive a terminal. SOFTDEP_ONLY:
 * a tree's modules.softdep, where depmod writes nothing but "softdep" lines.
 */
static bool kmod_config_line_ok(char *line, bool softdep_only)
{
	char *save = NULL, *cmd, *name, *rest;

	for (const char *c = line; *c; c++)
		if ((*c < 0x20 && *c != '\t') || *c > 0x7e)
			return false;
	if (line[0] == '\0' || line[0] == '#')
		return true;
	cmd = strtok_r(line, "\t ", &save);
	if (!cmd)
		return true;
	if (softdep_only && strcmp(cmd, "softdep") != 0)
		return false;
	name = strtok_r(NULL, "\t ", &save);
	if (strcmp(cmd, "alias") == 0)
		return kmod_name_ok(name) && kmod_name_ok(strtok_r(NULL, "\t ", &save));
	if (strcmp(cmd, "blacklist") == 0)
		return kmod_name_ok(name);
	if (strcmp(cmd, "options") != 0 && strcmp(cmd, "install") != 0 && strcmp(cmd, "remove") != 0 &&
	    strcmp(cmd, "softdep") != 0)
		return false;   /* include, config (deprecated) and anything else: an error message */
	rest = strtok_r(NULL, "", &save);
	return kmod_name_ok(name) && rest;
}

/*
 * The next logical line of TEXT[*POS..LEN) as libkmod's freadline_wrapped()
 * makes it: a backslash takes the next byte as it is, and a backslash before a
 * newline joins the lines. *LINES counts the physical lines. NULL at the end;
 * malloc'ed, NULs inside cut it short as they do for libkmod.
 */
static char *kmod_next_line(const char *text, size_t len, size_t *pos, unsigned *lines)
{
	struct strbuf sb = { 0 };

	if (*pos >= len)
		return NULL;
	while (*pos < len) {
		char c = text[(*pos)++];
		if (c == '\n')
			break;
		if (c == '\\' && *pos < len) {
			c = text[(*pos)++];
			if (c == '\n') {
				(*lines)++;
				continue;
			}
		}
		strbuf_append(&sb, &c, 1);
	}
	(*lines)++;
	strbuf_puts(&sb, "");
	return strbuf_steal(&sb);
}

/* Whether every logical line of TEXT passes kmod_config_line_ok(); *BAD gets the first failing line's number. */
static bool kmod_text_ok(const char *text, size_t len, bool softdep_only, unsigned *bad)
{
	size_t pos = 0;
	unsigned lines = 0;

	for (char *l; (*bad = lines + 1, l = kmod_next_line(text, len, &pos, &lines));) {
		bool ok = kmod_config_line_ok(l, softdep_only);
		free(l);
		if (!ok)
			return false;
	}
	return true;
}

/*
 * Every modules.* file at the top of the tree is what libkmod (and modarch.c)
 * read by host path: each must be a regular file, and a link among them must
 * lead, on the host, where it leads inside the sysroot.
 */
static int check_tree_files(struct hvd_ctx *ctx, const char *rel, int dfd)
{
	char **names = NULL;
	size_t n = 0;
	int r = sysroot_list(ctx, rel, &names, &n);

	if (r < 0)
		return r;
	for (size_t i = 0; i < n && r >= 0; i++) {
		struct stat st;
		if (strncmp(names[i], "modules.", 8) != 0 || fstatat(dfd, names[i], &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (S_ISLNK(st.st_mode)) {
			_cleanup_free_ char *path = strdup_printf("%s/%s", rel, names[i]);
			_cleanup_close_ int cfd = path ? sysroot_open(ctx, path, O_PATH) : -ENOMEM;
			_cleanup_close_ int hfd = openat(dfd, names[i], O_PATH | O_CLOEXEC);
			if (cfd == -ENOMEM)
				r = -ENOMEM;
			else if ((cfd >= 0 || hfd >= 0) && !same_inode(cfd, hfd))
				r = -EXDEV;
			else if (cfd >= 0 && fstat(cfd, &st) < 0)
				r = -errno;
			else if (cfd < 0)
				continue;
		}
		if (r >= 0 && !S_ISREG(st.st_mode))
			r = -EINVAL;
		if (r < 0 && r != -ENOMEM) {
			_cleanup_free_ char *esc = escape_name(names[i]);
			r = ctx_set_error(ctx, r, "%s/%s/%s %s: refusing the module tree", root_prefix(ctx), rel,
			                  esc ? esc : "?",
			                  r == -EXDEV ? "is a link that leads outside the sysroot" : "is not a regular file");
		}
		/* libkmod parses modules.softdep inside kmod_new(), where what it rejects goes to stderr. */
		if (r >= 0 && strcmp(names[i], "modules.softdep") == 0) {
			_cleanup_free_ char *path = strdup_printf("%s/%s", rel, names[i]), *text = NULL;
			size_t len = 0;
			unsigned bad = 0;
			if (!path)
				r = -ENOMEM;
			else if ((r = sysroot_read(ctx, path, CONF_MAX, &text, &len)) != 0)
				r = ctx_set_error(ctx, r > 0 ? -EFBIG : r, "%s/%s: %s: refusing the module tree", root_prefix(ctx),
				                  path, r > 0 ? "larger than 8 MiB" : strerror(-r));
			else if (!kmod_text_ok(text, len, true, &bad))
				r = ctx_set_error(ctx, -EBADMSG, "%s/%s line %u is not a line depmod writes: refusing the module "
				                  "tree", root_prefix(ctx), path, bad);
		}
	}
	strv_free(names);
	return r;
}

/* libkmod's configuration directories, in its order of precedence (a name in an earlier one wins). */
static const char *const conf_dirs[] = {
	"etc/modprobe.d", "run/modprobe.d", "usr/local/lib/modprobe.d", "lib/modprobe.d", "usr/lib/modprobe.d",
};

struct conf_file {
	char *name;
	size_t dir;
};

static int cmp_conf(const void *a, const void *b)
{
	const struct conf_file *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : (x->dir > y->dir) - (x->dir < y->dir);
}

/*
 * Write the lines of the configuration file PATH (TEXT) that libkmod takes
 * without a word to MFD, one logical line per line (a backslash doubled, as
 * libkmod reads it back); the others are left out, with a warning in our log
 * (libkmod would have printed its own on stderr, the bytes as they were).
 */
static int config_lines(struct hvd_ctx *ctx, int mfd, const char *path, const char *text, size_t len)
{
	struct strbuf out = { 0 };
	size_t pos = 0;
	unsigned lines = 0;
	char *l;

	for (unsigned first = 1; (l = kmod_next_line(text, len, &pos, &lines)); first = lines + 1) {
		_cleanup_free_ char *copy = strdup(l);
		if (!copy) {
			free(l);
			strbuf_free(&out);
			return -ENOMEM;
		}
		if (kmod_config_line_ok(copy, false)) {
			for (const char *c = l; *c; c++)
				strbuf_puts(&out, *c == '\\' ? "\\\\" : (char[]){ *c, '\0' });
			strbuf_puts(&out, "\n");
		} else {
			_cleanup_free_ char *esc = escape_name(l), *where = escape_name(path);
			warn(ctx, "%s line %u: left out: libkmod would reject '%s'", where ? where : "?", first,
			     esc ? esc : "?");
		}
		free(l);
	}
	if (out.oom) {
		strbuf_free(&out);
		return -ENOMEM;
	}
	if (out.len && write(mfd, out.buf, out.len) != (ssize_t)out.len) {
		int r = -errno;
		strbuf_free(&out);
		return ctx_set_error(ctx, r, "cannot hand the sysroot's modprobe.d to libkmod: %s", strerror(-r));
	}
	strbuf_free(&out);
	return 0;
}

/*
 * The sysroot's modprobe.d configuration, read inside the sysroot, as one
 * in-memory file (*FD, a memfd) for libkmod: libkmod would open the
 * directories' files by host path and follow a link to the host's own (an
 * etc/modprobe.d -> /etc/modprobe.d made it report the host's blacklist).
 * The files are the ones libkmod takes (*.conf and *.alias, no dot files),
 * each name once (the earliest directory's), in the order of their names, as
 * libkmod reads them; one that is not a regular file is left out, as libkmod
 * leaves out directories (it would block on a FIFO).
 */
static int sysroot_config(struct hvd_ctx *ctx, int *fd)
{
	struct conf_file *files = NULL;
	size_t n = 0, cap = 0, total = 0;
	int r = 0, mfd = -1;

	for (size_t d = 0; d < ARRAY_SIZE(conf_dirs) && r >= 0; d++) {
		char **names = NULL;
		size_t nn = 0;
		if (sysroot_list(ctx, conf_dirs[d], &names, &nn) < 0)
			continue;
		for (size_t i = 0; i < nn && r >= 0; i++) {
			size_t l = strlen(names[i]);
			if (names[i][0] == '.' || l < 6 ||
			    (strcmp(names[i] + l - 5, ".conf") != 0 && strcmp(names[i] + l - 6, ".alias") != 0))
				continue;
			if (n == cap) {
				size_t ncap = cap ? cap * 2 : 32;
				struct conf_file *nf = realloc(files, ncap * sizeof(*nf));
				if (!nf) {
					r = -ENOMEM;
					break;
				}
				files = nf;
				cap = ncap;
			}
			files[n] = (struct conf_file){ .name = strdup(names[i]), .dir = d };
			if (!files[n].name)
				r = -ENOMEM;
			else
				n++;
		}
		strv_free(names);
	}
	if (r >= 0) {
		mfd = memfd_create("hvdetect-modprobe.d", MFD_CLOEXEC);
		if (mfd < 0)
			r = ctx_set_error(ctx, -errno, "cannot hand the sysroot's modprobe.d to libkmod: memfd_create: %s",
			                  strerror(errno));
	}
	if (n > 1)
		qsort(files, n, sizeof(*files), cmp_conf);
	for (size_t i = 0; i < n && r >= 0; i++) {
		_cleanup_free_ char *path = NULL, *text = NULL;
		size_t len = 0;
		if (i > 0 && strcmp(files[i].name, files[i - 1].name) == 0)
			continue;   /* an earlier directory's file of that name wins */
		path = strdup_printf("%s/%s", conf_dirs[files[i].dir], files[i].name);
		if (!path) {
			r = -ENOMEM;
			break;
		}
		r = sysroot_read(ctx, path, CONF_MAX, &text, &len);
		if (r < 0) {
			_cleanup_free_ char *where = escape_name(path);
			dbg(ctx, "%s: %s: left out of the configuration", where ? where : "?", strerror(-r));
			r = 0;
			continue;
		}
		total += len + 1;
		if (r > 0 || total > CONF_MAX) {
			r = ctx_set_error(ctx, -EFBIG, "the sysroot's modprobe.d holds more than %u bytes of configuration",
			                  CONF_MAX);
			break;
		}
		r = config_lines(ctx, mfd, path, text, len);
	}
	for (size_t i = 0; i < n; i++)
		free(files[i].name);
	free(files);
	if (r < 0) {
		if (mfd >= 0)
			close(mfd);
		return r;
	}
	*fd = mfd;
	return 0;
}

int target_open(struct hvd_ctx *ctx, const char *moddir, const char *version, struct target **out)
{
	static const char *const conf[] = {
		"/etc/modprobe.d", "/run/modprobe.d", "/usr/local/lib/modprobe.d", "/lib/modprobe.d", "/usr/lib/modprobe.d",
	};
	_cleanup_free_ char *rel = NULL;   /* the tree's directory relative to a sysroot that is not live */
	_cleanup_close_ int dfd = -1, cfd = -1;
	struct target *t;
	struct utsname u;
	int r = dlopen_kmod(ctx);

	if (r < 0)
		return r;
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->ctx = ctx;
	if (uname(&u) < 0)
		u.release[0] = '\0';
	if (moddir) {
		const char *slash;
		size_t l = strlen(moddir);
		while (l > 1 && moddir[l - 1] == '/')
			l--;
		t->moddir = strndup(moddir, l);
		if (!t->moddir) {
			r = -ENOMEM;
			goto fail;
		}
		slash = strrchr(t->moddir, '/');
		t->version = strdup(slash ? slash + 1 : t->moddir);
		/* Only on the live system is there a running kernel to compare with. */
		t->running = ctx->live && is_running_tree(t->moddir, u.release);
		/* The directory's name is the kernel version every output states. */
		if (t->version && !valid_kernel_version(t->version)) {
			r = bad_version(ctx, t->version, "(the name of --moddir)");
			goto fail;
		}
	} else if (version) {
		if (!valid_kernel_version(version)) {
			r = bad_version(ctx, version, NULL);
			goto fail;
		}
		t->version = strdup(version);
		if (ctx->live)
			t->moddir = strdup_printf("/lib/modules/%s", version);
		else if (!(rel = strdup_printf("lib/modules/%s", version)))
			r = -ENOMEM;
		else if (sysroot_exists(ctx, rel) != 1) {
			/* A root whose lib is not (yet) a link to usr/lib keeps its kernels in usr/lib/modules. */
			_cleanup_free_ char *usr = strdup_printf("usr/lib/modules/%s", version);
			if (!usr)
				r = -ENOMEM;
			else if (sysroot_exists(ctx, usr) == 1) {
				free(rel);
				rel = TAKE_PTR(usr);
			}
		}
		t->running = ctx->live && strcmp(version, u.release) == 0;
	} else if (ctx->live) {
		if (!valid_kernel_version(u.release)) {
			r = bad_version(ctx, u.release, "(of the running kernel)");
			goto fail;
		}
		t->version = strdup(u.release);
		t->moddir = strdup_printf("/lib/modules/%s", u.release);
		t->running = true;
	} else {
		r = sysroot_single_version(ctx, &t->version, &rel);
		if (r < 0)
			goto fail;
	}
	if (rel) {
		/* Inside the sysroot, as every other file is read: libkmod gets that directory's host path. */
		r = confined_dir(ctx, rel, &t->moddir, &dfd);
		if (r == -EXDEV) {
			r = ctx_set_error(ctx, r, "%s/%s resolves inside the sysroot to a directory that cannot be named "
			                  "on the host (is /proc mounted?): refusing the module tree", root_prefix(ctx), rel);
			goto fail;
		}
		if (r < 0 && r != -ENOMEM && !(t->moddir = strdup_printf("%s/%s", root_prefix(ctx), rel)))
			r = -ENOMEM;
		if (r < 0 && r != -ENOENT && r != -ENOTDIR && r != -ELOOP)
			goto fail;
		r = 0;
	}
	if (!t->version || !t->moddir || r < 0) {
		r = -ENOMEM;
		goto fail;
	}
	if (!is_module_tree(t->moddir) || (rel && dfd < 0)) {
		struct stat st;
		if ((rel && dfd < 0) || stat(t->moddir, &st) < 0)
			r = ctx_set_error(ctx, -ENOENT,
			                  "no kernel module tree at %s (kernel %s): pass --moddir DIR or --kernel VERSION",
			                  t->moddir, t->version);
		else
			r = ctx_set_error(ctx, -ENOENT, "%s is not an indexed module tree (no modules.dep: run depmod)",
			                  t->moddir);
		goto fail;
	}
	if (rel && (r = check_tree_files(ctx, rel, dfd)) < 0)
		goto fail;
	if (ctx->live) {
		for (size_t i = 0; i < ARRAY_SIZE(conf); i++) {
			t->config[i] = strdup_printf("%s%s", root_prefix(ctx), conf[i]);
			if (!t->config[i]) {
				r = -ENOMEM;
				goto fail;
			}
		}
	} else {
		/* The sysroot's configuration, read inside it; libkmod reads it from memory, by a /proc path. */
		struct stat st;
		r = sysroot_config(ctx, &cfd);
		if (r < 0)
			goto fail;
		t->config[0] = strdup_printf("/proc/self/fd/%d", cfd);
		if (!t->config[0]) {
			r = -ENOMEM;
			goto fail;
		}
		if (stat(t->config[0], &st) < 0) {
			r = ctx_set_error(ctx, -errno, "cannot hand the sysroot's modprobe.d to libkmod: %s: %s",
			                  t->config[0], strerror(errno));
			goto fail;
		}
	}
	t->kmod = kmod_new(t->moddir, (const char *const *)t->config);
	if (!t->kmod) {
		r = ctx_set_error(ctx, -ENOMEM, "libkmod could not open %s", t->moddir);
		goto fail;
	}
	kmod_set_log_fn(t->kmod, kmod_log_bridge, ctx);
	kmod_set_log_priority(t->kmod, ctx->log_priority);
	/* The indexes are mmap'ed once instead of re-opened for every lookup. */
	r = kmod_load_resources(t->kmod);
	if (r < 0) {
		r = ctx_set_error(ctx, r, "libkmod could not load the indexes of %s", t->moddir);
		goto fail;
	}
	*out = t;
	return 0;
fail:
	target_free(t);
	return r;
}

struct target *target_free(struct target *t)
{
	if (!t)
		return NULL;
	for (size_t i = 0; i < t->n_held; i++)
		kmod_module_unref(t->held[i]);
	free(t->held);
	if (t->kmod)   /* a detached target never loaded libkmod */
		kmod_unref(t->kmod);
	for (size_t i = 0; i < ARRAY_SIZE(t->config); i++)
		free(t->config[i]);
	free(t->moddir);
	free(t->version);
	free(t);
	return NULL;
}

struct target *target_new_detached(const char *moddir, const char *version)
{
	struct target *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->moddir = strdup(moddir ? moddir : "");
	t->version = strdup(version ? version : "");
	if (!t->moddir || !t->version)
		return target_free(t);
	return t;
}

const char *target_version(const struct target *t) { return t ? t->version : NULL; }
const char *target_moddir(const struct target *t) { return t ? t->moddir : NULL; }
bool target_is_running(const struct target *t) { return t && t->running; }

/*
 * The names of LIST's modules. They come from the target's index, which is as
 * hostile as the tree it lies in (a .ko named "x\e[31m$(id).ko" is indexed by
 * depmod as it is), and end up in generated files and on terminals: one that
 * is not a module name makes the whole answer an error (-EBADMSG).
 */
static int list_to_names(struct target *t, struct kmod_list *list, char ***names)
{
	struct kmod_list *l;
	size_t n = 0, i = 0;
	char **v;

	kmod_list_foreach(l, list)
		n++;
	v = calloc(n + 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	kmod_list_foreach(l, list) {
		struct kmod_module *m = kmod_module_get_module(l);
		const char *name = kmod_module_get_name(m);
		if (!valid_module_name(name)) {
			_cleanup_free_ char *esc = escape_name(name ? name : "");
			kmod_module_unref(m);
			strv_free(v);
			return ctx_set_error(t->ctx, -EBADMSG,
			                     "the module index of kernel %s names a module '%s': not a module name "
			                     "(letters, digits, _ and - only); refusing the tree", t->version,
			                     esc ? esc : "?");
		}
		v[i] = strdup(name);
		kmod_module_unref(m);
		if (!v[i]) {
			strv_free(v);
			return -ENOMEM;
		}
		i++;
	}
	*names = v;
	return 0;
}

int target_lookup(struct target *t, const char *alias, char ***names)
{
	struct kmod_list *list = NULL;
	int r = kmod_module_new_from_lookup(t->kmod, alias, &list);

	if (r < 0)
		return r;
	r = list_to_names(t, list, names);
	kmod_module_unref_list(list);
	return r;
}

enum mod_state target_state(struct target *t, const char *name)
{
	struct kmod_module *m = NULL;
	enum mod_state s;

	/* Only modules.dep and modules.builtin are consulted: aliases are not module names. */
	if (kmod_module_new_from_name_lookup(t->kmod, name, &m) < 0 || !m)
		return MOD_MISSING;
	if (t->running) {
		int st = kmod_module_get_initstate(m);
		if (st == KMOD_MODULE_LIVE || st == KMOD_MODULE_COMING) {
			hold(t, m);
			return MOD_LOADED;
		}
	}
	/* Found, but without a file: it came from modules.builtin. */
	s = kmod_module_get_path(m) ? MOD_LOADABLE : MOD_BUILTIN;
	hold(t, m);
	return s;
}

bool target_blacklisted(struct target *t, const char *name)
{
	struct kmod_list *list = NULL, *kept = NULL;
	bool bl = false;

	if (kmod_module_new_from_lookup(t->kmod, name, &list) < 0 || !list)
		return false;
	if (kmod_module_apply_filter(t->kmod, KMOD_FILTER_BLACKLIST, list, &kept) == 0)
		bl = kept == NULL;
	kmod_module_unref_list(kept);
	kmod_module_unref_list(list);
	return bl;
}

int target_deps(struct target *t, const char *name, char ***pre, char ***deps)
{
	struct kmod_module *m = NULL;
	struct kmod_list *lpre = NULL, *lpost = NULL, *ldeps;
	int r;

	*pre = *deps = NULL;
	r = kmod_module_new_from_name(t->kmod, name, &m);
	if (r < 0)
		return r;
	r = kmod_module_get_softdeps(m, &lpre, &lpost);
	if (r < 0)
		lpre = lpost = NULL;
	r = list_to_names(t, lpre, pre);
	kmod_module_unref_list(lpre);
	kmod_module_unref_list(lpost);
	if (r < 0)
		goto out;
	ldeps = kmod_module_get_dependencies(m);
	r = list_to_names(t, ldeps, deps);
	kmod_module_unref_list(ldeps);
out:
	hold(t, m);
	if (r < 0) {
		strv_free(*pre);
		*pre = NULL;
	}
	return r;
}

int target_insert(struct target *t, const char *name, bool dry_run)
{
	struct kmod_module *m = NULL;
	unsigned flags = KMOD_PROBE_APPLY_BLACKLIST;
	int r;

	r = kmod_module_new_from_name(t->kmod, name, &m);
	if (r < 0)
		return r;
	if (t->running) {
		int st = kmod_module_get_initstate(m);
		if (st == KMOD_MODULE_LIVE || st == KMOD_MODULE_BUILTIN) {
			kmod_module_unref(m);
			return 2;
		}
	}
	if (dry_run)
		flags |= KMOD_PROBE_DRY_RUN;
	/* modprobe.d's "install NAME COMMAND" runs COMMAND instead of inserting NAME (often /bin/true, to disable it). */
	const char *cmd = kmod_module_get_install_commands(m);
	bool install = cmd && *cmd;
	r = kmod_module_probe_insert_module(m, flags, NULL, NULL, NULL, NULL);
	kmod_module_unref(m);
	if (r > 0)   /* libkmod reports the blacklist outcome as a positive value */
		return 1;
	return r == 0 && install ? 3 : r;
}
