/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* probe_dmi on temporary sysroot trees: sysfs id files, raw tables, and trees that fight back. */
#include "testutil.h"

#include <grp.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "facts.h"
#include "sysroot.h"
#include "sysroot_fx.h"
#include "smbios_builder.h"

#define ID "sys/class/dmi/id/"
#define EP_PATH "sys/firmware/dmi/tables/smbios_entry_point"
#define TABLE_PATH "sys/firmware/dmi/tables/DMI"

struct fx {
	struct sysroot_fx s;     /* first: sysroot_fx_free() frees the whole */
	struct dmi_facts d;
};

static int setup(void **state)
{
	struct fx *fx = sysroot_fx_new(sizeof(*fx), false);
	sysroot_fx_open(&fx->s);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;
	dmi_facts_free(&fx->d);
	sysroot_fx_free(&fx->s);
	return 0;
}

/* A VMware-like table whose strings differ from the sysfs files written by the tests, to see who wins. */
static void write_tables(const char *root, bool v3)
{
	struct sb_table t = { 0 };
	uint8_t f[32];
	size_t n;

	n = sb_type0(f, 1, 2, 3, 0x10);
	sb_struct(&t, 0, f, n, "Phoenix (table)", "6.00 (table)", "11/12/2020", NULL);
	n = sb_type1(f, 1, 2, 0, 3, 0, 0);
	sb_struct(&t, 1, f, n, "VMware (table)", "Platform (table)", "VMware-56 4d 2b 1a", NULL);
	uint8_t oem[1] = { 1 };
	sb_struct(&t, 11, oem, sizeof(oem), "[MS_VM_CERT/SHA1/27d66596a61c48dd3dc7216fd715126e33f59ae7]", NULL);
	sb_end(&t);
	if (v3) {
		uint8_t ep[24];
		sb_ep3(ep, 3, 0, (uint32_t)t.len);
		tu_write(root, EP_PATH, ep, sizeof(ep));
	} else {
		uint8_t ep[31];
		sb_ep2(ep, 2, 7, (uint16_t)t.len, (uint16_t)t.count);
		tu_write(root, EP_PATH, ep, sizeof(ep));
	}
	tu_write(root, TABLE_PATH, t.buf, t.len);
	sb_free(&t);
}

static void test_sysfs_then_table(void **state)
{
	struct fx *fx = *state;

	tu_write_str(fx->s.root, ID "sys_vendor", "VMware, Inc.\n");
	tu_write_str(fx->s.root, ID "product_name", "VMware Virtual Platform\n");
	tu_write_str(fx->s.root, ID "bios_vendor", "Phoenix Technologies LTD\n");
	tu_write_str(fx->s.root, ID "bios_version", "6.00\n");
	tu_write_str(fx->s.root, ID "chassis_type", "1\n");
	write_tables(fx->s.root, false);

	assert_int_equal(probe_dmi(fx->s.ctx, &fx->d), 0);
	assert_true(fx->d.present);
	assert_string_equal(fx->d.field[DMI_SYS_VENDOR], "VMware, Inc.");
	assert_int_equal(fx->d.field_src[DMI_SYS_VENDOR], SRC_SYSFS);
	assert_string_equal(fx->d.field[DMI_PRODUCT_NAME], "VMware Virtual Platform");
	assert_string_equal(fx->d.field[DMI_BIOS_VERSION], "6.00");
	assert_string_equal(fx->d.field[DMI_CHASSIS_TYPE], "1");
	/* What sysfs lacks comes from the table. */
	assert_string_equal(fx->d.field[DMI_PRODUCT_SERIAL], "VMware-56 4d 2b 1a");
	assert_int_equal(fx->d.field_src[DMI_PRODUCT_SERIAL], SRC_SMBIOS);
	assert_string_equal(fx->d.field[DMI_BIOS_DATE], "11/12/2020");
	assert_int_equal(fx->d.field_src[DMI_BIOS_DATE], SRC_SMBIOS);
	assert_null(fx->d.field[DMI_BOARD_VENDOR]);
	assert_int_equal(fx->d.field_src[DMI_BOARD_VENDOR], SRC_NONE);
	assert_true(fx->d.smbios);
	assert_null(fx->d.smbios_problem);
	assert_int_equal(fx->d.smbios_major, 2);
	assert_int_equal(fx->d.smbios_minor, 7);
	assert_int_equal(fx->d.vm_bit, 1);
	assert_int_equal(fx->d.uefi_bit, 0);
	assert_int_equal(fx->d.n_oem_strings, 1);
	assert_string_equal(fx->d.oem_strings[0], "[MS_VM_CERT/SHA1/27d66596a61c48dd3dc7216fd715126e33f59ae7]");
}

/* No id directory (e.g. a kernel without CONFIG_DMI_SYSFS) but raw tables: present=false, fields from the table. */
static void test_tables_only(void **state)
{
	struct fx *fx = *state;

	write_tables(fx->s.root, true);
	assert_int_equal(probe_dmi(fx->s.ctx, &fx->d), 0);
	assert_false(fx->d.present);
	assert_true(fx->d.smbios);
	assert_int_equal(fx->d.smbios_major, 3);
	assert_string_equal(fx->d.field[DMI_SYS_VENDOR], "VMware (table)");
	assert_int_equal(fx->d.field_src[DMI_SYS_VENDOR], SRC_SMBIOS);
}

static void test_blanks_and_empty_files(void **state)
{
	struct fx *fx = *state;

	tu_write_str(fx->s.root, ID "sys_vendor", "Microsoft Corporation\n");
	tu_write_str(fx->s.root, ID "bios_version", "090008  \n");   /* Hyper-V gen1 */
	tu_write_str(fx->s.root, ID "board_name", "");
	tu_write_str(fx->s.root, ID "board_version", "   \n");
	tu_write(fx->s.root, ID "product_sku", "\0\0\n", 3);
	assert_int_equal(probe_dmi(fx->s.ctx, &fx->d), 0);
	assert_true(fx->d.present);
	assert_string_equal(fx->d.field[DMI_BIOS_VERSION], "090008");
	assert_null(fx->d.field[DMI_BOARD_NAME]);
	assert_int_equal(fx->d.field_src[DMI_BOARD_NAME], SRC_NONE);
	assert_null(fx->d.field[DMI_BOARD_VERSION]);
	assert_null(fx->d.field[DMI_PRODUCT_SKU]);
	/* No raw tables at all (Firecracker): not a problem. */
	assert_false(fx->d.smbios);
	assert_null(fx->d.smbios_problem);
	assert_int_equal(fx->d.vm_bit, -1);
	assert_int_equal(fx->d.uefi_bit, -1);
}

static void test_huge_files_bounded(void **state)
{
	struct fx *fx = *state;
	size_t big = 10u * 1024 * 1024;
	char *data = malloc(big);

	memset(data, 'V', big);
	tu_write(fx->s.root, ID "sys_vendor", data, big);

	/* A valid table followed by 10 MB of zeros, behind a 3.x maximum that claims all of it. */
	struct sb_table t = { 0 };
	uint8_t board[4] = { 1, 0, 0, 0 };
	sb_struct(&t, 2, board, sizeof(board), "Board", NULL);
	sb_end(&t);
	memset(data, 0, big);
	memcpy(data, t.buf, t.len);
	tu_write(fx->s.root, TABLE_PATH, data, big);
	uint8_t ep[24];
	sb_ep3(ep, 3, 0, (uint32_t)big);
	/* And a 10 MB entry point: only its first bytes are read. */
	memset(data, 'E', big);
	memcpy(data, ep, sizeof(ep));
	tu_write(fx->s.root, EP_PATH, data, big);
	sb_free(&t);
	free(data);

	assert_int_equal(probe_dmi(fx->s.ctx, &fx->d), 0);
	assert_non_null(fx->d.field[DMI_SYS_VENDOR]);
	assert_int_equal(strlen(fx->d.field[DMI_SYS_VENDOR]), READ_MAX_ATTR);
	assert_true(fx->d.smbios);
	assert_string_equal(fx->d.field[DMI_BOARD_VENDOR], "Board");
	assert_non_null(fx->d.smbios_problem);
	assert_non_null(strstr(fx->d.smbios_problem, "DMI table longer than 1048576 bytes"));
}

static void make_fifo(const char *root, const char *rel)
{
	char *p = tu_path(root, rel);
	assert_int_equal(mkfifo(p, 0644), 0);
	free(p);
}

static void test_fifo_and_directory(void **state)
{
	struct fx *fx = *state;

	tu_write_str(fx->s.root, ID "sys_vendor", "QEMU\n");
	make_fifo(fx->s.root, ID "product_name");
	tu_mkdirs(fx->s.root, ID "bios_vendor");
	tu_mkdirs(fx->s.root, "sys/firmware/dmi/tables");
	make_fifo(fx->s.root, EP_PATH);
	tu_mkdirs(fx->s.root, TABLE_PATH);

	assert_int_equal(probe_dmi(fx->s.ctx, &fx->d), 0);
	assert_true(fx->d.present);
	assert_string_equal(fx->d.field[DMI_SYS_VENDOR], "QEMU");
	assert_null(fx->d.field[DMI_PRODUCT_NAME]);
	assert_null(fx->d.field[DMI_BIOS_VENDOR]);
	assert_false(fx->d.smbios);
	assert_non_null(fx->d.smbios_problem);
	assert_non_null(strstr(fx->d.smbios_problem, "smbios_entry_point unreadable"));
}

static void test_entry_point_without_table(void **state)
{
	struct fx *fx = *state;
	uint8_t ep[24];

	sb_ep3(ep, 3, 0, 100);
	tu_write(fx->s.root, EP_PATH, ep, sizeof(ep));
	assert_int_equal(probe_dmi(fx->s.ctx, &fx->d), 0);
	assert_false(fx->d.present);
	assert_false(fx->d.smbios);
	assert_non_null(fx->d.smbios_problem);
	assert_non_null(strstr(fx->d.smbios_problem, "DMI table unreadable"));
}

static void test_garbage_tables(void **state)
{
	struct fx *fx = *state;
	uint8_t junk[300];

	for (size_t i = 0; i < sizeof(junk); i++)
		junk[i] = (uint8_t)(i * 37 + 11);
	tu_write(fx->s.root, EP_PATH, junk, 31);
	tu_write(fx->s.root, TABLE_PATH, junk, sizeof(junk));
	assert_int_equal(probe_dmi(fx->s.ctx, &fx->d), 0);
	assert_false(fx->d.smbios);
	assert_non_null(fx->d.smbios_problem);
	assert_non_null(strstr(fx->d.smbios_problem, "no _SM_ or _SM3_ anchor"));
}

static void test_missing_tree(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(probe_dmi(fx->s.ctx, &fx->d), 0);
	assert_false(fx->d.present);
	assert_false(fx->d.smbios);
	assert_null(fx->d.smbios_problem);
	assert_null(fx->d.oem_strings);
	assert_int_equal(fx->d.vm_bit, -1);
	for (int i = 0; i < DMI_FIELD_COUNT; i++) {
		assert_null(fx->d.field[i]);
		assert_int_equal(fx->d.field_src[i], SRC_NONE);
	}
}

/*
 * product_serial is root-only on real systems. As root, the probe runs in a
 * child that drops to nobody, so the file really is unreadable (EACCES).
 * Exit codes: 0 pass, 10+ which check failed.
 */
static int unreadable_child(const char *root)
{
	struct hvd_ctx *ctx = NULL;
	struct dmi_facts d;
	char *v = NULL;

	/* The context first: the sysroot may sit below a directory nobody cannot search (/tmp at 0700). */
	if (hvd_ctx_new(&ctx, root) < 0)
		return 11;
	if (geteuid() == 0 &&
	    (setgroups(0, NULL) < 0 || setgid(65534) < 0 || setuid(65534) < 0))
		return 10;
	/* The set-up must really produce EACCES, or this test proves nothing. */
	if (sysroot_read_attr(ctx, ID "product_serial", &v) != -EACCES)
		return 12;
	if (probe_dmi(ctx, &d) != 0)
		return 13;
	int rc = 0;
	if (!d.present || !d.field[DMI_SYS_VENDOR] || strcmp(d.field[DMI_SYS_VENDOR], "Xen") != 0)
		rc = 14;
	else if (d.field[DMI_PRODUCT_SERIAL])
		rc = 15;
	dmi_facts_free(&d);
	hvd_ctx_unref(ctx);
	return rc;
}

static void test_unreadable_file(void **state)
{
	struct fx *fx = *state;

	tu_write_str(fx->s.root, ID "sys_vendor", "Xen\n");
	tu_write_str(fx->s.root, ID "product_serial", "secret\n");
	char *p = tu_path(fx->s.root, ID "product_serial");
	assert_int_equal(chmod(p, 0400), 0);
	if (geteuid() != 0)
		assert_int_equal(chmod(p, 0), 0);
	free(p);
	assert_int_equal(chmod(fx->s.root, 0755), 0);

	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(unreadable_child(fx->s.root));
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

#define T(t) cmocka_unit_test_setup_teardown(t, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_sysfs_then_table), T(test_tables_only), T(test_blanks_and_empty_files),
		T(test_huge_files_bounded), T(test_fifo_and_directory), T(test_entry_point_without_table),
		T(test_garbage_tables), T(test_missing_tree), T(test_unreadable_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
