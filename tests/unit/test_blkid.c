/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lib/disks/blkid.c against real image files made with mkfs and sfdisk (libblkid probes files directly). */
#include "testutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "internal.h"
#include "verdict.h"

#define TOOLS_PATH "PATH=/usr/sbin:/sbin:/usr/bin:/bin; export PATH; "

static char *tmpdir;

static bool have_tools(void)
{
	return system(TOOLS_PATH "{ command -v mkfs.vfat && command -v mkfs.ext4 && command -v sfdisk; } >/dev/null") == 0;
}

/* Run a shell command in the temporary directory; fail the test when it fails. */
static void sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void sh(const char *fmt, ...)
{
	va_list ap;
	char *cmd = NULL, *full = NULL;

	va_start(ap, fmt);
	assert_true(vasprintf(&cmd, fmt, ap) >= 0);
	va_end(ap);
	assert_true(asprintf(&full, TOOLS_PATH "cd '%s' && { %s; } >/dev/null 2>&1", tmpdir, cmd) >= 0);
	if (system(full) != 0)
		fail_msg("command failed: %s", cmd);
	free(cmd);
	free(full);
}

static int setup(void **state)
{
	(void)state;
	tmpdir = tu_mkdtemp();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tu_rm_rf(tmpdir);
	free(tmpdir);
	return 0;
}

static struct hvd_ctx *new_ctx(const char *sysroot)
{
	struct hvd_ctx *ctx = NULL;
	assert_int_equal(hvd_ctx_new(&ctx, sysroot), 0);
	return ctx;
}

static struct hvd_driver_disks *find(struct hvd_ctx *ctx, const char *name)
{
	struct hvd_driver_disks *d = NULL;
	char *path = tu_path(tmpdir, name);
	const char *paths[] = { path, NULL };

	assert_int_equal(hvd_find_driver_disks(&d, ctx, paths), 0);
	free(path);
	return d;
}

static void test_oemdrv_images_found(void **state)
{
	(void)state;
	if (!have_tools())
		skip();
	sh("truncate -s 4M fat.img && mkfs.vfat -n OEMDRV fat.img");
	sh("truncate -s 8M ext.img && mkfs.ext4 -q -F -L OEMDRV ext.img");
	struct hvd_ctx *ctx = new_ctx("/");
	char *fat = tu_path(tmpdir, "fat.img"), *ext = tu_path(tmpdir, "ext.img");
	const char *paths[] = { fat, ext, NULL };
	struct hvd_driver_disks *d = NULL;

	assert_int_equal(hvd_find_driver_disks(&d, ctx, paths), 0);
	assert_int_equal(hvd_driver_disks_get_count(d), 2);
	const struct hvd_driver_disk *a = hvd_driver_disks_get(d, 0), *b = hvd_driver_disks_get(d, 1);
	assert_string_equal(a->device, fat);
	assert_string_equal(a->fstype, "vfat");
	assert_string_equal(a->label, "OEMDRV");
	assert_non_null(a->uuid);
	assert_int_equal(a->partno, 0);
	assert_string_equal(b->device, ext);
	assert_string_equal(b->fstype, "ext4");
	assert_string_equal(b->label, "OEMDRV");
	assert_null(hvd_driver_disks_get(d, 2));

	/* Reference counting: the extra reference keeps the list alive. */
	assert_ptr_equal(hvd_driver_disks_ref(d), d);
	assert_null(hvd_driver_disks_unref(d));
	assert_string_equal(hvd_driver_disks_get(d, 0)->label, "OEMDRV");
	hvd_driver_disks_unref(d);
	hvd_ctx_unref(ctx);
	free(fat);
	free(ext);
}

static void test_other_labels_ignored(void **state)
{
	(void)state;
	if (!have_tools())
		skip();
	/* Anaconda matches the label exactly; near misses are not driver disks. */
	sh("truncate -s 4M a.img && mkfs.vfat -n OEMDRV2 a.img");
	sh("truncate -s 8M b.img && mkfs.ext4 -q -F -L oemdrv b.img");
	sh("truncate -s 1M empty.img");
	struct hvd_ctx *ctx = new_ctx("/");
	const char *names[] = { "a.img", "b.img", "empty.img" };
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		struct hvd_driver_disks *d = find(ctx, names[i]);
		assert_int_equal(hvd_driver_disks_get_count(d), 0);
		hvd_driver_disks_unref(d);
	}
	hvd_ctx_unref(ctx);
}

static void test_partition_of_image(void **state)
{
	(void)state;
	if (!have_tools())
		skip();
	/* Partition 2 (sector 6144 on) holds the OEMDRV filesystem; partition 1 another one. */
	sh("truncate -s 8M part.img && printf 'start=2048,size=4096,type=83\\nstart=6144,type=c\\n' | sfdisk part.img");
	sh("truncate -s 2M p1.img && mkfs.vfat -n DATA p1.img && dd if=p1.img of=part.img bs=512 seek=2048 conv=notrunc");
	sh("truncate -s 2M p2.img && mkfs.vfat -n OEMDRV p2.img && dd if=p2.img of=part.img bs=512 seek=6144 conv=notrunc");
	struct hvd_ctx *ctx = new_ctx("/");
	struct hvd_driver_disks *d = find(ctx, "part.img");

	assert_int_equal(hvd_driver_disks_get_count(d), 1);
	assert_int_equal(hvd_driver_disks_get(d, 0)->partno, 2);
	assert_string_equal(hvd_driver_disks_get(d, 0)->fstype, "vfat");
	hvd_driver_disks_unref(d);
	hvd_ctx_unref(ctx);
}

static void test_bad_paths(void **state)
{
	(void)state;
	struct hvd_ctx *ctx = new_ctx("/");
	struct hvd_driver_disks *d = (void *)1;
	char *missing = tu_path(tmpdir, "missing.img");
	const char *p1[] = { missing, NULL };
	const char *p2[] = { tmpdir, NULL };
	struct hvd_target_disk *t = (void *)1;

	assert_int_equal(hvd_find_driver_disks(&d, ctx, p1), -ENOENT);
	assert_null(d);
	assert_non_null(strstr(hvd_ctx_get_error(ctx), "missing.img"));
	assert_int_equal(hvd_find_driver_disks(&d, ctx, p2), -EISDIR);
	assert_int_equal(hvd_check_target_disk(&t, ctx, missing, NULL), -ENOENT);
	assert_null(t);
	assert_int_equal(hvd_check_target_disk(&t, ctx, "/dev/null", NULL), -EINVAL);
	assert_int_equal(hvd_find_driver_disks(NULL, ctx, p1), -EINVAL);
	assert_int_equal(hvd_find_driver_disks(&d, NULL, p1), -EINVAL);
	assert_int_equal(hvd_check_target_disk(&t, ctx, NULL, NULL), -EINVAL);
	hvd_target_disk_free(NULL);
	assert_null(hvd_driver_disks_unref(NULL));
	hvd_ctx_unref(ctx);
	free(missing);
}

static void test_fixture_sysroot_has_no_devices(void **state)
{
	(void)state;
	struct hvd_ctx *ctx = new_ctx(tmpdir);
	struct hvd_driver_disks *d = NULL;

	/* The host's /dev must never leak into the answer for a fixture tree. */
	assert_int_equal(hvd_find_driver_disks(&d, ctx, NULL), 0);
	assert_int_equal(hvd_driver_disks_get_count(d), 0);
	hvd_driver_disks_unref(d);
	hvd_ctx_unref(ctx);
}

static struct hvd_target_disk *check(const char *name, const struct hvd_verdict *v)
{
	struct hvd_ctx *ctx = new_ctx("/");
	struct hvd_target_disk *t = NULL;
	char *path = tu_path(tmpdir, name);

	assert_int_equal(hvd_check_target_disk(&t, ctx, path, v), 0);
	assert_string_equal(t->device, path);
	free(path);
	hvd_ctx_unref(ctx);
	return t;
}

static void make_targets(void)
{
	sh("truncate -s 16M gpt-esp.img && printf 'label: gpt\\nsize=4M,type=21686148-6449-6E6F-744E-656564454649\\nsize=4M,type=U\\ntype=L\\n' | sfdisk gpt-esp.img");
	sh("truncate -s 16M gpt-noesp.img && printf 'label: gpt\\ntype=L\\n' | sfdisk gpt-noesp.img");
	sh("truncate -s 16M mbr.img && printf 'label: dos\\ntype=83\\n' | sfdisk mbr.img");
	sh("truncate -s 16M mbr-esp.img && printf 'label: dos\\nsize=4M,type=ef\\ntype=83\\n' | sfdisk mbr-esp.img");
	sh("truncate -s 16M blank.img");
}

static void test_target_layouts(void **state)
{
	(void)state;
	if (!have_tools())
		skip();
	make_targets();
	struct hvd_target_disk *t;

	t = check("gpt-esp.img", NULL);
	assert_string_equal(t->table, "gpt");
	assert_int_equal(t->esp_partno, 2);
	assert_int_equal(t->n_partitions, 3);
	assert_int_equal(t->uefi_only, 0);
	assert_null(t->warning);
	hvd_target_disk_free(t);

	t = check("gpt-noesp.img", NULL);
	assert_string_equal(t->table, "gpt");
	assert_int_equal(t->esp_partno, 0);
	hvd_target_disk_free(t);

	t = check("mbr.img", NULL);
	assert_string_equal(t->table, "dos");
	assert_int_equal(t->esp_partno, 0);
	assert_int_equal(t->n_partitions, 1);
	hvd_target_disk_free(t);

	t = check("mbr-esp.img", NULL);
	assert_string_equal(t->table, "dos");
	assert_int_equal(t->esp_partno, 1);
	hvd_target_disk_free(t);

	t = check("blank.img", NULL);
	assert_string_equal(t->table, "none");
	assert_int_equal(t->n_partitions, 0);
	hvd_target_disk_free(t);
}

static void test_uefi_only_warnings(void **state)
{
	(void)state;
	if (!have_tools())
		skip();
	make_targets();
	struct hvd_verdict gen2 = { .hypervisor = "hyperv", .generation = 2, .firmware = "uefi" };
	struct hvd_verdict gen1 = { .hypervisor = "hyperv", .generation = 1, .firmware = "bios" };
	struct hvd_verdict vmw_efi = { .hypervisor = "vmware", .firmware = "uefi" };
	struct hvd_verdict vmw_bios = { .hypervisor = "vmware", .firmware = "bios" };
	struct hvd_verdict kvm_efi = { .hypervisor = "kvm", .firmware = "uefi" };
	struct hvd_target_disk *t;

	assert_true(hvd_verdict_is_uefi_only(&gen2));
	assert_true(hvd_verdict_is_uefi_only(&vmw_efi));
	assert_false(hvd_verdict_is_uefi_only(&gen1));
	assert_false(hvd_verdict_is_uefi_only(&vmw_bios));
	assert_false(hvd_verdict_is_uefi_only(&kvm_efi));
	assert_false(hvd_verdict_is_uefi_only(NULL));

	/* The measured case: an MBR-only target on a gen2 platform. */
	t = check("mbr.img", &gen2);
	assert_int_equal(t->uefi_only, 1);
	assert_non_null(t->warning);
	assert_non_null(strstr(t->warning, "Hyper-V generation 2"));
	assert_non_null(strstr(t->warning, "mbr.img"));
	hvd_target_disk_free(t);

	const char *bad[] = { "mbr.img", "mbr-esp.img", "gpt-noesp.img", "blank.img" };
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		t = check(bad[i], &vmw_efi);
		assert_non_null(t->warning);
		assert_non_null(strstr(t->warning, "VMware"));
		hvd_target_disk_free(t);
		t = check(bad[i], &gen1);
		assert_null(t->warning);
		hvd_target_disk_free(t);
		t = check(bad[i], &kvm_efi);
		assert_null(t->warning);
		hvd_target_disk_free(t);
	}
	t = check("gpt-esp.img", &gen2);
	assert_int_equal(t->uefi_only, 1);
	assert_null(t->warning);
	hvd_target_disk_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_oemdrv_images_found, setup, teardown),
		cmocka_unit_test_setup_teardown(test_other_labels_ignored, setup, teardown),
		cmocka_unit_test_setup_teardown(test_partition_of_image, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_paths, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fixture_sysroot_has_no_devices, setup, teardown),
		cmocka_unit_test_setup_teardown(test_target_layouts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_uefi_only_warnings, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
