/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The thread-safety contract (hvdetect.h, "Threads"): separate contexts used
 * from several threads at once give the same answers as one thread alone; one
 * configured context and one verdict shared by threads that detect, capture
 * and select with options of their own give each thread its own answers and
 * its own error messages; and the library keeps no mutable global state beyond
 * its once-initialised dlopen() handles and the per-thread error message
 * (checked on the shared object's writable sections). CI runs this under
 * ThreadSanitizer too (.ci/sanitize).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>

#include <cmocka.h>

#include "hvdetect.h"
#include "testutil.h"

#define KA "6.1.0-1-hvdtest"
#define KB "6.12.0-2-hvdtest"

static const char *const fixtures[] = {
	"azure-gen2", "aws-nitro", "firecracker", "gce", "hyperv-gen1", "kvm-q35-seabios",
	"vmware-efi", "xen-hvm", "arm64-kvm-dt", "bare-metal-intel", "xen-dom0", "s390x-zvm",
};
#define N_FIX (sizeof(fixtures) / sizeof(fixtures[0]))
#define N_THREADS 6
#define ROUNDS 8

static char *expected[N_FIX];
static char *expected_check;

/* Detection, JSON and a database check, each on its own context. */
static int answer(const char *fixture, char **json, char **check)
{
	char *root = NULL;
	struct hvd_ctx *ctx = NULL;
	struct hvd_verdict *v = NULL;
	int r;

	if (asprintf(&root, "%s/../fixtures/%s", HVD_TEST_SRCDIR, fixture) < 0)
		return -ENOMEM;
	r = hvd_ctx_new(&ctx, root);
	free(root);
	if (r < 0)
		return r;
	r = hvd_detect(&v, ctx);
	if (r >= 0)
		r = hvd_verdict_to_json(v, json);
	if (r >= 0 && check) {
		char *db;
		if (asprintf(&db, "%s/../../data/drivers.d", HVD_TEST_SRCDIR) < 0)
			r = -ENOMEM;
		else {
			r = hvd_driverdb_check(ctx, db, "", check);
			free(db);
		}
	}
	hvd_verdict_unref(v);
	hvd_ctx_unref(ctx);
	return r;
}

static void *worker(void *arg)
{
	size_t id = (size_t)(uintptr_t)arg;
	uintptr_t mismatches = 0;

	for (size_t round = 0; round < ROUNDS; round++)
		for (size_t k = 0; k < N_FIX; k++) {
			/* Each thread walks the fixtures from a different start, so they overlap differently. */
			size_t i = (k + id * 5 + round) % N_FIX;
			char *json = NULL, *check = NULL;
			int r = answer(fixtures[i], &json, (k % 3 == 0) ? &check : NULL);
			if (r < 0 || !json || strcmp(json, expected[i]) != 0 ||
			    (check && strcmp(check, expected_check) != 0))
				mismatches++;
			free(json);
			free(check);
		}
	return (void *)mismatches;
}

static void test_threads_agree(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_FIX; i++) {
		assert_int_equal(answer(fixtures[i], &expected[i], i == 0 ? &expected_check : NULL), 0);
		assert_non_null(expected[i]);
	}
	/* The fixtures must differ, or agreement would prove nothing. */
	assert_string_not_equal(expected[0], expected[1]);

	pthread_t t[N_THREADS];
	for (size_t i = 0; i < N_THREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, worker, (void *)(uintptr_t)i), 0);
	uintptr_t total = 0;
	for (size_t i = 0; i < N_THREADS; i++) {
		void *ret;
		assert_int_equal(pthread_join(t[i], &ret), 0);
		total += (uintptr_t)ret;
	}
	assert_int_equal(total, 0);
	for (size_t i = 0; i < N_FIX; i++)
		free(expected[i]);
	free(expected_check);
}

/* One context shared by threads that only read it (the documented use: verdicts are immutable). */
static struct hvd_verdict *shared_verdict;
static char *shared_json;

static void *reader(void *arg)
{
	(void)arg;
	uintptr_t bad = 0;
	for (int i = 0; i < 200; i++) {
		char *json = NULL;
		if (hvd_verdict_to_json(shared_verdict, &json) < 0 || strcmp(json, shared_json) != 0)
			bad++;
		free(json);
	}
	return (void *)bad;
}

static void test_shared_verdict_readers(void **state)
{
	(void)state;
	char *root = tu_path(HVD_TEST_SRCDIR, "../fixtures/hyperv-gen1");
	struct hvd_ctx *ctx = NULL;
	assert_int_equal(hvd_ctx_new(&ctx, root), 0);
	assert_int_equal(hvd_detect(&shared_verdict, ctx), 0);
	assert_int_equal(hvd_verdict_to_json(shared_verdict, &shared_json), 0);
	pthread_t t[4];
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, reader, NULL), 0);
	for (int i = 0; i < 4; i++) {
		void *ret;
		assert_int_equal(pthread_join(t[i], &ret), 0);
		assert_int_equal((uintptr_t)ret, 0);
	}
	free(shared_json);
	hvd_verdict_unref(shared_verdict);
	hvd_ctx_unref(ctx);
	free(root);
}

/* ---- one context and one verdict, shared: threads select with options of their own ---- */

#define N_SHARED 4
#define SHARED_ROUNDS 12

static struct hvd_ctx *sh_ctx;
static struct hvd_verdict *sh_v;
static char *sh_moddir[2];
static char *sh_expected[N_SHARED];
static const char *const sh_db = HVD_TEST_SRCDIR "/../modtree/drivers.d";

/* Thread I's options: its own kernel, target and flags, so that a mix-up shows in the answer. */
static struct hvd_select_options sh_opts(size_t i)
{
	static const char *const targets[N_SHARED] = { NULL, "hyperv", NULL, "vmware" };
	struct hvd_select_options o = HVD_SELECT_OPTIONS_INIT;

	o.moddir = sh_moddir[i % 2];
	o.hypervisor = targets[i];
	o.flags = i == 2 ? HVD_SELECT_PORTABLE : 0;
	o.vendor_db = sh_db;
	o.admin_db = "";
	return o;
}

static int sh_answer(size_t i, char **json)
{
	struct hvd_select_options o = sh_opts(i);
	struct hvd_selection *sel = NULL;
	int r = hvd_select(&sel, sh_ctx, sh_v, &o);

	if (r >= 0)
		r = hvd_selection_format(sel, "json", json);
	hvd_selection_unref(sel);
	return r;
}

static void *sh_worker(void *arg)
{
	size_t id = (size_t)(uintptr_t)arg;
	uintptr_t bad = 0;
	char missing[64];

	snprintf(missing, sizeof(missing), "/nonexistent/thread-%zu", id);
	for (size_t round = 0; round < SHARED_ROUNDS; round++) {
		/* References are taken and dropped concurrently: counts change atomically. */
		struct hvd_ctx *ctx = hvd_ctx_ref(sh_ctx);
		struct hvd_verdict *v = hvd_verdict_ref(sh_v), *mine = NULL;
		char *json = NULL;

		if (sh_answer(id, &json) < 0 || strcmp(json, sh_expected[id]) != 0)
			bad++;
		free(json);
		/* A failure's message is this thread's: its own path, whatever the others do meanwhile. */
		struct hvd_select_options o = sh_opts(id);
		struct hvd_selection *sel = NULL;
		o.moddir = missing;
		const char *e;
		if (hvd_select(&sel, ctx, v, &o) != -ENOENT || !(e = hvd_ctx_get_error(ctx)) || !strstr(e, missing))
			bad++;
		/* Detection from the shared context, between selections, is the verdict again. */
		if (hvd_detect(&mine, ctx) < 0 || strcmp(hvd_verdict_get_hypervisor(mine), "kvm") != 0)
			bad++;
		hvd_verdict_unref(mine);
		hvd_verdict_unref(v);
		hvd_ctx_unref(ctx);
	}
	return (void *)bad;
}

/* A capture from the shared context while the others select: its hook is its own. */
static void *sh_capturer(void *arg)
{
	char *base = arg;
	uintptr_t bad = 0;

	for (int i = 0; i < 3; i++) {
		char *dir = NULL;
		struct hvd_ctx *replay = NULL;
		struct hvd_verdict *v = NULL;
		if (asprintf(&dir, "%s/capture%d", base, i) < 0)
			return (void *)1;
		if (hvd_capture(sh_ctx, dir) < 0 || hvd_ctx_new(&replay, dir) < 0 || hvd_detect(&v, replay) < 0 ||
		    strcmp(hvd_verdict_get_hypervisor(v), "kvm") != 0)
			bad++;
		hvd_verdict_unref(v);
		hvd_ctx_unref(replay);
		free(dir);
	}
	return (void *)bad;
}

static void test_shared_context_selects(void **state)
{
	(void)state;
	char *root = tu_path(HVD_TEST_SRCDIR, "../integration/fixtures/kvm");
	char *base = tu_mkdtemp();

	sh_moddir[0] = tu_path(HVD_MODTREE, "lib/modules/" KA);
	sh_moddir[1] = tu_path(HVD_MODTREE, "lib/modules/" KB);
	assert_int_equal(hvd_ctx_new(&sh_ctx, root), 0);
	assert_int_equal(hvd_detect(&sh_v, sh_ctx), 0);
	for (size_t i = 0; i < N_SHARED; i++) {
		assert_int_equal(sh_answer(i, &sh_expected[i]), 0);
		/* Each thread's answer names its own kernel; and they differ, or agreement would prove nothing. */
		assert_non_null(strstr(sh_expected[i], i % 2 ? KB : KA));
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(sh_expected[i], sh_expected[j]);
	}

	pthread_t t[N_SHARED + 1];
	for (size_t i = 0; i < N_SHARED; i++)
		assert_int_equal(pthread_create(&t[i], NULL, sh_worker, (void *)(uintptr_t)i), 0);
	assert_int_equal(pthread_create(&t[N_SHARED], NULL, sh_capturer, base), 0);
	uintptr_t total = 0;
	for (size_t i = 0; i <= N_SHARED; i++) {
		void *ret;
		assert_int_equal(pthread_join(t[i], &ret), 0);
		total += (uintptr_t)ret;
	}
	assert_int_equal(total, 0);

	for (size_t i = 0; i < N_SHARED; i++)
		free(sh_expected[i]);
	free(sh_moddir[0]);
	free(sh_moddir[1]);
	hvd_verdict_unref(sh_v);
	hvd_ctx_unref(sh_ctx);
	tu_rm_rf(base);
	free(base);
	free(root);
}

/*
 * Writable data in the shared object: only the dlopen() state (lib_*, set
 * once under pthread_once, and the sym_* pointers it fills), the toolchain's
 * own symbols, and per thread (.tbss, .tdata) the calling thread's last error
 * message (last_error, ctx.c). A new mutable global fails this test: make it
 * per-context, an argument, or const.
 */
static void test_no_mutable_globals(void **state)
{
	(void)state;
	/* __aarch64_have_lse_atomics: libgcc's outline atomics, set once by its constructor (aarch64). */
	static const char *const allowed[] = { "__TMC_END__", "__dso_handle", "completed.0", "completed.1",
	                                       "lib_kmod", "lib_udev", "lib_blkid", "__aarch64_have_lse_atomics",
	                                       NULL };
	char *cmd;
	assert_true(asprintf(&cmd, "objdump -t '%s'", HVD_LIBFILE) >= 0);
	FILE *f = popen(cmd, "r");
	free(cmd);
	if (!f)
		skip();
	char line[1024];
	size_t seen = 0, bad = 0;
	while (fgets(line, sizeof(line), f)) {
		/* "addr l     O .bss\t0000000000000008 name" */
		bool tls = strstr(line, " .tbss\t") || strstr(line, " .tdata\t");
		if (!tls && !strstr(line, " .data\t") && !strstr(line, " .bss\t"))
			continue;
		char *name = strrchr(line, ' ');
		if (!name)
			continue;
		name++;
		name[strcspn(name, "\n")] = '\0';
		/* Not data: section symbols (".data") and Arm's mapping symbols ("$d", "$x"). */
		if (name[0] == '.' || name[0] == '$')
			continue;
		seen++;
		/* Sanitizer builds add their own bookkeeping (__odr_asan.*, __asan_*). */
		bool ok = strncmp(name, "sym_", 4) == 0 || strncmp(name, "__odr_asan", 10) == 0 ||
		          strncmp(name, "__asan", 6) == 0 || strncmp(name, "__ubsan", 7) == 0;
		for (size_t i = 0; !ok && allowed[i]; i++)
			ok = strcmp(name, allowed[i]) == 0;
		/* _TLS_MODULE_BASE_: the linker's anchor for aarch64 TLS descriptors, no variable. */
		if (tls)
			ok = strcmp(name, "last_error") == 0 || strcmp(name, "_TLS_MODULE_BASE_") == 0;
		if (!ok) {
			print_error("mutable global in libhvdetect: %s\n", name);
			bad++;
		}
	}
	int st = pclose(f);
	if (st != 0 && seen == 0)
		skip();  /* no objdump */
	assert_true(seen > 0);
	assert_int_equal(bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_threads_agree),
		cmocka_unit_test(test_shared_verdict_readers),
		cmocka_unit_test(test_shared_context_selects),
		cmocka_unit_test(test_no_mutable_globals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
