/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The sysroot device scan: every bus's modaliases, the DMI device, hostile entries skipped, stable order. */
#include "testutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "devices.h"
#include "select.h"

static void test_scan_tree(void **state)
{
	(void)state;
	char *root = tu_mkdtemp();
	struct hvd_ctx *ctx = NULL;
	struct device_list list;

	tu_write_str(root, "sys/bus/vmbus/devices/f8615163-0001/modalias", "vmbus:635161f83edfc546913ff2d2f965ed0e\n");
	tu_write_str(root, "sys/bus/pci/devices/0000:00:02.0/modalias", "pci:v00001AF4d00001001sv00001AF4sd00000002bc01sc00i00\n");
	tu_write_str(root, "sys/bus/pci/devices/0000:00:01.0/modalias", "pci:v00001AF4d00001000sv00001AF4sd00000001bc02sc00i00\n");
	tu_write_str(root, "sys/bus/pci/devices/0000:00:03.0/vendor", "0x8086\n");           /* no modalias: skipped */
	tu_write_str(root, "sys/bus/pci/devices/0000:00:04.0/modalias", "pci:v1 evil\n");      /* blank inside */
	tu_write_str(root, "sys/bus/pci/devices/0000:00:05.0/modalias", "nocolon\n");
	tu_write(root, "sys/bus/pci/devices/0000:00:06.0/modalias", "pci:\x1b[31m\n", 9);
	tu_mkdirs(root, "sys/bus/pci/devices/0000:00:07.0/modalias");                        /* a directory */
	tu_write_str(root, "sys/bus/virtio/devices/virtio0/modalias", "virtio:d00000001v00001AF4\n");
	tu_write_str(root, "sys/bus/empty/README", "no devices directory\n");
	tu_write_str(root, "sys/class/dmi/id/modalias", "dmi:bvnPhoenix:svnVMware,Inc.:pnVMwareVirtualPlatform:\n");
	/* A link out of the sysroot must not be followed outside it. */
	tu_mkdirs(root, "sys/bus/acpi/devices");
	tu_symlink(root, "sys/bus/acpi/devices/LNK0", "/proc/self");

	assert_int_equal(hvd_ctx_new(&ctx, root), 0);
	assert_int_equal(devices_scan(ctx, &list), 0);
	assert_int_equal(list.n, 5);
	assert_string_equal(list.v[0].bus, "dmi");
	assert_string_equal(list.v[1].bus, "pci");
	assert_string_equal(list.v[1].name, "0000:00:01.0");
	assert_string_equal(list.v[1].modalias, "pci:v00001AF4d00001000sv00001AF4sd00000001bc02sc00i00");
	assert_string_equal(list.v[2].name, "0000:00:02.0");
	assert_string_equal(list.v[3].bus, "virtio");
	assert_string_equal(list.v[4].bus, "vmbus");
	assert_string_equal(list.v[4].modalias, "vmbus:635161f83edfc546913ff2d2f965ed0e");
	devices_free(&list);
	assert_int_equal(list.n, 0);
	hvd_ctx_unref(ctx);
	tu_rm_rf(root);
	free(root);
}

static void test_no_sys(void **state)
{
	(void)state;
	char *root = tu_mkdtemp();
	struct hvd_ctx *ctx = NULL;
	struct device_list list;

	assert_int_equal(hvd_ctx_new(&ctx, root), 0);
	assert_int_equal(devices_scan(ctx, &list), 0);
	assert_int_equal(list.n, 0);
	devices_free(&list);
	hvd_ctx_unref(ctx);
	tu_rm_rf(root);
	free(root);
}

/* 2,000 devices: all found, in order. */
static void test_many(void **state)
{
	(void)state;
	char *root = tu_mkdtemp();
	struct hvd_ctx *ctx = NULL;
	struct device_list list;

	for (int i = 0; i < 2000; i++) {
		char rel[128], alias[64];
		snprintf(rel, sizeof(rel), "sys/bus/virtio/devices/virtio%04d/modalias", i);
		snprintf(alias, sizeof(alias), "virtio:d%08Xv00001AF4\n", i % 30);
		tu_write_str(root, rel, alias);
	}
	assert_int_equal(hvd_ctx_new(&ctx, root), 0);
	assert_int_equal(devices_scan(ctx, &list), 0);
	assert_int_equal(list.n, 2000);
	assert_string_equal(list.v[1999].name, "virtio1999");
	assert_string_equal(list.v[1999].modalias, "virtio:d00000013v00001AF4");  /* 1999 % 30 = 0x13 */
	devices_free(&list);
	hvd_ctx_unref(ctx);
	tu_rm_rf(root);
	free(root);
}

/* The tier of a module no rule names comes from its device's class or bus. */
static void test_tier_for_modalias(void **state)
{
	(void)state;
	assert_int_equal(tier_for_modalias("pci:v00008086d00002922sv00001AF4sd00001100bc01sc06i01"), TIER_BOOT);
	assert_int_equal(tier_for_modalias("pci:v00001D0Fd0000EC20sv00001D0Fsd0000EC20bc02sc00i00"), TIER_NETWORK);
	assert_int_equal(tier_for_modalias("pci:v00001234d00001111sv00001AF4sd00001100bc03sc00i00"), TIER_DISPLAY);
	assert_int_equal(tier_for_modalias("pci:v00008086d00002918sv00001AF4sd00001100bc06sc01i00"), TIER_INTEGRATION);
	assert_int_equal(tier_for_modalias("pci:v00008086d00002918bc"), TIER_INTEGRATION);  /* truncated */
	assert_int_equal(tier_for_modalias("virtio:d00000002v00001AF4"), TIER_BOOT);
	assert_int_equal(tier_for_modalias("virtio:d00000008v00001AF4"), TIER_BOOT);
	assert_int_equal(tier_for_modalias("virtio:d00000001v00001AF4"), TIER_NETWORK);
	assert_int_equal(tier_for_modalias("virtio:d00000010v00001AF4"), TIER_DISPLAY);
	assert_int_equal(tier_for_modalias("virtio:d00000005v00001AF4"), TIER_INTEGRATION);
	assert_int_equal(tier_for_modalias("xen:vbd"), TIER_BOOT);
	assert_int_equal(tier_for_modalias("xen:vif"), TIER_NETWORK);
	assert_int_equal(tier_for_modalias("vmbus:dc7450528589e2468057a307dc18a502"), TIER_INTEGRATION);
}

static void test_distro_family(void **state)
{
	(void)state;
	assert_int_equal(distro_from_os_release("NAME=\"Debian\"\nID=debian\n"), DISTRO_DEBIAN);
	assert_int_equal(distro_from_os_release("ID=ubuntu\nID_LIKE=debian\n"), DISTRO_UBUNTU);
	assert_int_equal(distro_from_os_release("ID=linuxmint\nID_LIKE=\"ubuntu debian\"\n"), DISTRO_UBUNTU);
	assert_int_equal(distro_from_os_release("ID=\"rocky\"\nID_LIKE=\"rhel centos fedora\"\n"), DISTRO_RHEL);
	assert_int_equal(distro_from_os_release("ID=fedora\r\n"), DISTRO_FEDORA);
	assert_int_equal(distro_from_os_release("ID='opensuse-leap'\nID_LIKE='suse opensuse'\n"), DISTRO_SUSE);
	assert_int_equal(distro_from_os_release("ID=arch\n"), -1);
	assert_int_equal(distro_from_os_release("IDX=debian\nVERSION_ID=12\n"), -1);
	assert_int_equal(distro_from_os_release(""), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scan_tree),
		cmocka_unit_test(test_no_sys),
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_tier_for_modalias),
		cmocka_unit_test(test_distro_family),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
