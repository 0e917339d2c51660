/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Module resolution: finding the target tree (and saying clearly why not), and,
 * against Debian's real kernel when tests/kernel/fetch-kernel has it, states,
 * lookups of modaliases, dependencies and blacklists.
 */
#include "testutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "kmod.h"
#include "sysroot.h"

static struct hvd_ctx *ctx_at(const char *root)
{
	struct hvd_ctx *ctx = NULL;
	assert_int_equal(hvd_ctx_new(&ctx, root), 0);
	return ctx;
}

static void test_no_tree(void **state)
{
	(void)state;
	char *root = tu_mkdtemp();
	struct hvd_ctx *ctx = ctx_at(root);
	struct target *t = NULL;

	/* No lib/modules at all in the sysroot. */
	assert_int_equal(target_open(ctx, NULL, NULL, &t), -ENOENT);
	assert_null(t);
	assert_non_null(strstr(hvd_ctx_get_error(ctx), "no kernel module tree in"));
	assert_non_null(strstr(hvd_ctx_get_error(ctx), "--moddir"));

	/* A named version that is not there. */
	assert_int_equal(target_open(ctx, NULL, "6.6.6", &t), -ENOENT);
	assert_non_null(strstr(hvd_ctx_get_error(ctx), "/lib/modules/6.6.6 (kernel 6.6.6)"));
	assert_int_equal(target_open(ctx, NULL, "../../etc", &t), -EINVAL);

	/* A directory that was never depmod'ed. */
	tu_mkdirs(root, "lib/modules/6.1.0-1-amd64/kernel");
	assert_int_equal(target_open(ctx, NULL, NULL, &t), -ENOENT);
	assert_non_null(strstr(hvd_ctx_get_error(ctx), "no modules.dep: run depmod"));

	/* Two kernels: ambiguous, and the message names both. */
	tu_mkdirs(root, "lib/modules/6.12.0-1-amd64");
	assert_int_equal(target_open(ctx, NULL, NULL, &t), -EINVAL);
	assert_non_null(strstr(hvd_ctx_get_error(ctx), "6.1.0-1-amd64, 6.12.0-1-amd64"));
	assert_non_null(strstr(hvd_ctx_get_error(ctx), "--kernel"));

	_cleanup_free_ char *moddir = tu_path(root, "nowhere");
	assert_int_equal(target_open(ctx, moddir, NULL, &t), -ENOENT);
	hvd_ctx_unref(ctx);
	tu_rm_rf(root);
	free(root);
}

/* The Debian kernel tree, or NULL (the test is then skipped). */
static char *debian_moddir(void)
{
	FILE *p = popen(HVD_TEST_SRCDIR "/../kernel/fetch-kernel 2>/dev/null", "r");
	char root[4096] = "", ver[256] = "";
	char *moddir = NULL;

	if (!p)
		return NULL;
	if (fscanf(p, "%4095s %255s", root, ver) == 2)
		moddir = strdup_printf("%s/lib/modules/%s", root, ver);
	if (pclose(p) != 0) {
		free(moddir);
		return NULL;
	}
	return moddir;
}

static bool contains(char **v, const char *s)
{
	for (; v && *v; v++)
		if (strcmp(*v, s) == 0)
			return true;
	return false;
}

static void test_debian_tree(void **state)
{
	(void)state;
	_cleanup_free_ char *moddir = debian_moddir();
	if (!moddir)
		skip();
	char *root = tu_mkdtemp();
	struct hvd_ctx *ctx = ctx_at(root);
	struct target *t = NULL;
	char **names = NULL, **pre = NULL, **deps = NULL;

	tu_write_str(root, "etc/modprobe.d/local.conf", "blacklist vmwgfx\n");
	assert_int_equal(target_open(ctx, moddir, NULL, &t), 0);
	assert_false(target_is_running(t));
	assert_non_null(strstr(moddir, target_version(t)));

	assert_int_equal(target_state(t, "hv_vmbus"), MOD_LOADABLE);
	assert_int_equal(target_state(t, "hv-vmbus"), MOD_LOADABLE);
	assert_int_equal(target_state(t, "no_such_module_at_all"), MOD_MISSING);
	assert_int_equal(target_state(t, "hyperv_fb"), MOD_MISSING);   /* gone from 6.1's Debian build */
	/* Built-in modules are present, not missing. */
	assert_int_equal(target_state(t, "xen_kbdfront"), MOD_BUILTIN);

	assert_int_equal(target_lookup(t, "vmbus:635161f83edfc546913ff2d2f965ed0e", &names), 0);
	assert_true(contains(names, "hv_netvsc"));
	strv_free(names);
	assert_int_equal(target_lookup(t, "pci:v000015ADd000007C0sv000015ADsd000007C0bc01sc07i00", &names), 0);
	assert_true(contains(names, "vmw_pvscsi"));
	strv_free(names);
	assert_int_equal(target_lookup(t, "acpi:VMBUS:", &names), 0);
	assert_true(contains(names, "hv_vmbus"));
	strv_free(names);
	assert_int_equal(target_lookup(t, "bogus:nothing", &names), 0);
	assert_null(names[0]);
	strv_free(names);

	assert_int_equal(target_deps(t, "hv_storvsc", &pre, &deps), 0);
	assert_true(contains(deps, "hv_vmbus"));
	assert_true(contains(deps, "scsi_mod"));
	strv_free(pre);
	strv_free(deps);

	/* The sysroot's modprobe.d is the configuration that counts. */
	assert_true(target_blacklisted(t, "vmwgfx"));
	assert_false(target_blacklisted(t, "vmxnet3"));
	/* Not the running kernel: nothing may be inserted; a dry run reports. */
	assert_int_equal(target_insert(t, "vmwgfx", true), 1);
	target_free(t);
	hvd_ctx_unref(ctx);
	tu_rm_rf(root);
	free(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_tree),
		cmocka_unit_test(test_debian_tree),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
