/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fault injection: the library's allocations (malloc, calloc, realloc,
 * reallocarray, strdup, strndup, vasprintf, opendir, fdopendir) and reads are
 * routed through wrappers (-Wl,--wrap=...), and a whole detection + JSON +
 * database check + driver selection is run again and again, failing the Nth
 * call for N = 1, 2, ... until a run completes without reaching N. Each run
 * must return -ENOMEM (or, for reads, any negative errno or an honest
 * answer), crash nothing, and leave no allocation made through the wrappers
 * unfreed (counted here; ASan/LSan and valgrind see the rest).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "hvdetect.h"
#include "testutil.h"

/* ---- the wrappers ---- */
void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
void *__real_reallocarray(void *p, size_t n, size_t size);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
int __real_vasprintf(char **out, const char *format, va_list ap);
DIR *__real_opendir(const char *path);
DIR *__real_fdopendir(int fd);
ssize_t __real_read(int fd, void *buf, size_t n);
void __real_free(void *p);

void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);
void *__wrap_reallocarray(void *p, size_t n, size_t size);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);
int __wrap_vasprintf(char **out, const char *format, va_list ap);
DIR *__wrap_opendir(const char *path);
DIR *__wrap_fdopendir(int fd);
ssize_t __wrap_read(int fd, void *buf, size_t n);
void __wrap_free(void *p);

enum fault_kind { FAULT_ALLOC, FAULT_READ };
static enum fault_kind kind;
static unsigned long fail_at;   /* 0: never */
static unsigned long calls;     /* calls of the kind being injected, this run */
static bool injected;
static bool active;             /* only count calls made inside the scenario */

/* Live allocations made through the wrappers: an open-addressing set. */
#define LIVE_CAP (1u << 16)
static void *live[LIVE_CAP];
static size_t n_live;

static size_t slot_of(const void *p)
{
	return ((uintptr_t)p >> 4) * 2654435761u % LIVE_CAP;
}

static void live_add(void *p)
{
	if (!p || !active)
		return;
	size_t i = slot_of(p);
	while (live[i] && live[i] != (void *)1)
		i = (i + 1) % LIVE_CAP;
	live[i] = p;
	n_live++;
}

static bool live_del(void *p)
{
	if (!p)
		return false;
	for (size_t i = slot_of(p), k = 0; live[i] && k < LIVE_CAP; i = (i + 1) % LIVE_CAP, k++)
		if (live[i] == p) {
			live[i] = (void *)1;  /* tombstone */
			n_live--;
			return true;
		}
	return false;
}

static void live_reset(void)
{
	memset(live, 0, sizeof(live));
	n_live = 0;
}

static bool should_fail(enum fault_kind k)
{
	if (!active || kind != k)
		return false;
	calls++;
	if (fail_at && calls == fail_at) {
		injected = true;
		return true;
	}
	return false;
}

void *__wrap_malloc(size_t n)
{
	if (should_fail(FAULT_ALLOC))
		return errno = ENOMEM, NULL;
	void *p = __real_malloc(n);
	live_add(p);
	return p;
}

void *__wrap_calloc(size_t n, size_t size)
{
	if (should_fail(FAULT_ALLOC))
		return errno = ENOMEM, NULL;
	void *p = __real_calloc(n, size);
	live_add(p);
	return p;
}

void *__wrap_realloc(void *p, size_t n)
{
	if (should_fail(FAULT_ALLOC))
		return errno = ENOMEM, NULL;
	bool tracked = live_del(p);
	void *q = __real_realloc(p, n);
	if (q)
		live_add(q);
	else if (tracked)
		live_add(p);
	return q;
}

void *__wrap_reallocarray(void *p, size_t n, size_t size)
{
	if (should_fail(FAULT_ALLOC))
		return errno = ENOMEM, NULL;
	bool tracked = live_del(p);
	void *q = __real_reallocarray(p, n, size);
	if (q)
		live_add(q);
	else if (tracked)
		live_add(p);
	return q;
}

char *__wrap_strdup(const char *s)
{
	if (should_fail(FAULT_ALLOC))
		return errno = ENOMEM, NULL;
	char *p = __real_strdup(s);
	live_add(p);
	return p;
}

char *__wrap_strndup(const char *s, size_t n)
{
	if (should_fail(FAULT_ALLOC))
		return errno = ENOMEM, NULL;
	char *p = __real_strndup(s, n);
	live_add(p);
	return p;
}

int __wrap_vasprintf(char **out, const char *format, va_list ap)
{
	if (should_fail(FAULT_ALLOC))
		return errno = ENOMEM, -1;
	int r = __real_vasprintf(out, format, ap);
	if (r >= 0)
		live_add(*out);
	return r;
}

DIR *__wrap_opendir(const char *path)
{
	if (should_fail(FAULT_ALLOC))
		return errno = ENOMEM, NULL;
	return __real_opendir(path);
}

DIR *__wrap_fdopendir(int fd)
{
	if (should_fail(FAULT_ALLOC))
		return errno = ENOMEM, NULL;
	return __real_fdopendir(fd);
}

ssize_t __wrap_read(int fd, void *buf, size_t n)
{
	if (should_fail(FAULT_READ))
		return errno = EIO, -1;
	return __real_read(fd, buf, n);
}

void __wrap_free(void *p)
{
	live_del(p);
	__real_free(p);
}

/* ---- the scenario ---- */
struct outcome {
	int r;            /* first negative return, or 0 */
	char *json;       /* the verdict's JSON when detection succeeded (real malloc) */
	char *selection;  /* the selection's module list when it succeeded */
};

/* "linux-image-6.1.0-56-amd64" -> "6.1.0-56-amd64" */
static const char *startswith_image(const char *pkg)
{
	return strncmp(pkg, "linux-image-", 12) == 0 ? pkg + 12 : pkg;
}

static char *fixture;   /* a sysroot with a cpuid.txt */
static char *moddir;    /* a kernel module tree, or NULL */
static char *dbdir;

static void quiet_log(void *u, int prio, const char *file, int line, const char *fn,
                      const char *format, va_list args)
{
	(void)u; (void)prio; (void)file; (void)line; (void)fn; (void)format; (void)args;
}

static char *keep(const char *s)
{
	/* A copy outside the wrappers' accounting. */
	return s ? __real_strdup(s) : NULL;
}

static void scenario(struct outcome *o)
{
	struct hvd_ctx *ctx = NULL;
	struct hvd_verdict *v = NULL;
	struct hvd_selection *sel = NULL;
	char *json = NULL, *report = NULL, *mods = NULL;
	int r;

	memset(o, 0, sizeof(*o));
	r = hvd_ctx_new(&ctx, fixture);
	if (r < 0)
		goto out;
	hvd_ctx_set_log_fn(ctx, quiet_log, NULL);
	hvd_ctx_set_log_priority(ctx, 7);  /* every log line allocates: inject there too */
	r = hvd_detect(&v, ctx);
	if (r < 0)
		goto out;
	r = hvd_verdict_to_json(v, &json);
	if (r < 0)
		goto out;
	o->json = keep(json);
	r = hvd_driverdb_check(ctx, dbdir, "", &report);
	if (r < 0)
		goto out;
	if (!moddir)
		goto out;
	struct hvd_select_options so = HVD_SELECT_OPTIONS_INIT;
	so.moddir = moddir;
	so.vendor_db = dbdir;
	so.admin_db = "";
	r = hvd_select(&sel, ctx, v, &so);
	if (r < 0)
		goto out;
	r = hvd_selection_format(sel, "modules-load", &mods);
	if (r < 0)
		goto out;
	o->selection = keep(mods);
out:
	o->r = r < 0 ? r : 0;
	free(json);
	free(report);
	free(mods);
	hvd_selection_unref(sel);
	hvd_verdict_unref(v);
	hvd_ctx_unref(ctx);
}

static void outcome_free(struct outcome *o)
{
	__real_free(o->json);
	__real_free(o->selection);
}

static unsigned long run_all(enum fault_kind k, const struct outcome *base)
{
	unsigned long n;

	for (n = 1;; n++) {
		struct outcome o;

		kind = k;
		fail_at = n;
		calls = 0;
		injected = false;
		live_reset();
		active = true;
		scenario(&o);
		active = false;
		if (n_live != 0)
			fail_msg("%s failure %lu: %zu allocation(s) leaked", k == FAULT_ALLOC ? "allocation" : "read",
			         n, n_live);
		if (!injected) {
			/* The run got past every call: it must give the baseline answer. */
			assert_int_equal(o.r, 0);
			assert_string_equal(o.json, base->json);
			outcome_free(&o);
			break;
		}
		if (k == FAULT_ALLOC) {
			/* Either the failure was absorbed and the answer is the same, or the caller is told. */
			if (o.r == 0) {
				assert_string_equal(o.json, base->json);
				if (moddir)
					assert_string_equal(o.selection, base->selection);
			} else if (o.r != -ENOMEM) {
				fail_msg("allocation failure %lu: returned %d (%s), not -ENOMEM", n, o.r, strerror(-o.r));
			}
		} else {
			/* A failed read is a source that could not be read: an error, or a (possibly different) answer. */
			assert_true(o.r <= 0);
			if (o.r == 0)
				assert_non_null(o.json);
		}
		outcome_free(&o);
	}
	return n;
}

static void baseline(struct outcome *base)
{
	kind = FAULT_ALLOC;
	fail_at = 0;
	live_reset();
	active = true;
	scenario(base);
	active = false;
	assert_int_equal(base->r, 0);
	assert_int_equal(n_live, 0);
	assert_non_null(base->json);
	if (moddir)
		assert_non_null(base->selection);
}

static void test_alloc_failures(void **state)
{
	(void)state;
	struct outcome base;
	baseline(&base);
	unsigned long n = run_all(FAULT_ALLOC, &base);
	print_message("allocation failures injected at each of %lu calls\n", n - 1);
	assert_true(n > 50);  /* a real scenario allocates; otherwise the wrappers are not wired */
	outcome_free(&base);
}

static void test_read_failures(void **state)
{
	(void)state;
	struct outcome base;
	baseline(&base);
	unsigned long n = run_all(FAULT_READ, &base);
	print_message("read failures injected at each of %lu calls\n", n - 1);
	assert_true(n > 10);
	outcome_free(&base);
}

/*
 * Selection needs a module tree libkmod can load: the Debian kernel that
 * tests/kernel/fetch-kernel caches (or HVD_FAULTS_MODDIR). Without one, the
 * scenario stops after the database check.
 */
static char *find_moddir(void)
{
	const char *env = getenv("HVD_FAULTS_MODDIR");
	if (env && *env)
		return strdup(env);
	const char *home = getenv("HOME");
	char *cache = NULL, *cur = NULL, *path = NULL;
	if (getenv("XDG_CACHE_HOME"))
		cache = tu_path(getenv("XDG_CACHE_HOME"), "hvdetect/kernel");
	else if (home)
		cache = tu_path(home, ".cache/hvdetect/kernel");
	if (!cache)
		return NULL;
	char *curfile = tu_path(cache, "current");
	FILE *f = fopen(curfile, "r");
	free(curfile);
	char line[256];
	if (f && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		const char *ver = startswith_image(line);
		if (asprintf(&path, "%s/%s/lib/modules/%s", cache, ver, ver) < 0)
			path = NULL;
		if (path && access(path, R_OK) < 0) {
			free(path);
			path = NULL;
		}
	}
	if (f)
		fclose(f);
	free(cur);
	free(cache);
	return path;
}

static int setup(void **state)
{
	(void)state;
	fixture = tu_path(HVD_TEST_SRCDIR, "../fixtures/azure-gen2");
	dbdir = tu_path(HVD_TEST_SRCDIR, "../../data/drivers.d");
	moddir = find_moddir();
	if (!moddir)
		print_message("no cached kernel module tree: selection is not fault-injected\n");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(moddir);
	free(fixture);
	free(dbdir);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alloc_failures),
		cmocka_unit_test(test_read_failures),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
