/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The selection, end to end and offline: a verdict from a small sysroot, the
 * database in tests/modtree/drivers.d, and two kernel module trees that
 * tests/modtree/mkmodtree.py builds from stub .ko files with depmod (ctest's
 * "modtree" fixture). libkmod resolves them as it would a real kernel's, so
 * tiers, dependencies and softdeps, built-ins, blacklists, missing boot
 * drivers, portable sets, named targets, every output format, the options and
 * their errors are all checked here without a network.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "hvdetect.h"
#include "internal.h"
#include "testutil.h"

#define KA "6.1.0-1-hvdtest"   /* every stub module */
#define KB "6.12.0-2-hvdtest"  /* virtio and virtio_ring built in, vmw_pvscsi missing */

static char *moddir_a, *moddir_b;
static const char *const db = HVD_TEST_SRCDIR "/../modtree/drivers.d";

/* A KVM guest: CPUID and DMI say so; virtio network, block and GPU devices, on PCI and on the virtio bus. */
static char *kvm_sysroot(const char *os_release)
{
	char *root = tu_mkdtemp();

	tu_write_str(root, "cpuid.txt", "CPU:\n   0x40000000 0x00: eax=0x40000001 ebx=0x4b4d564b ecx=0x564b4d56 edx=0x0000004d\n");
	tu_write_str(root, "sys/class/dmi/id/sys_vendor", "QEMU\n");
	tu_write_str(root, "sys/class/dmi/id/product_name", "Standard PC (Q35 + ICH9, 2009)\n");
	tu_write_str(root, "sys/bus/pci/devices/0000:00:02.0/modalias", "pci:v00001AF4d00001000sv00001AF4sd00000001bc02sc00i00\n");
	tu_write_str(root, "sys/bus/pci/devices/0000:00:03.0/modalias", "pci:v00001AF4d00001001sv00001AF4sd00000002bc01sc00i00\n");
	tu_write_str(root, "sys/bus/virtio/devices/virtio0/modalias", "virtio:d00000001v00001AF4\n");
	tu_write_str(root, "sys/bus/virtio/devices/virtio1/modalias", "virtio:d00000002v00001AF4\n");
	tu_write_str(root, "sys/bus/virtio/devices/virtio2/modalias", "virtio:d00000010v00001AF4\n");
	if (os_release)
		tu_write_str(root, "etc/os-release", os_release);
	return root;
}

struct fx {
	char *root;
	struct hvd_ctx *ctx;
	struct hvd_verdict *v;
};

static struct fx *fx_open(const char *os_release)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->root = kvm_sysroot(os_release);
	assert_int_equal(hvd_ctx_new(&f->ctx, f->root), 0);
	assert_int_equal(hvd_detect(&f->v, f->ctx), 0);
	/* The selection below is only meaningful for the verdict it was written for. */
	assert_string_equal(hvd_verdict_get_hypervisor(f->v), "kvm");
	return f;
}

static void fx_close(struct fx *f)
{
	hvd_verdict_unref(f->v);
	hvd_ctx_unref(f->ctx);
	tu_rm_rf(f->root);
	free(f->root);
	free(f);
}

static int setup(void **state)
{
	(void)state;
	char *stamp;

	moddir_a = tu_path(HVD_MODTREE, "lib/modules/" KA);
	moddir_b = tu_path(HVD_MODTREE, "lib/modules/" KB);
	stamp = tu_path(HVD_MODTREE, "stamp");
	if (access(stamp, F_OK) != 0) {
		/* Not a skip: without the trees nothing here would be tested. */
		fprintf(stderr, "test_select: no module trees in %s: run it through ctest (fixture modtree)\n", HVD_MODTREE);
		free(stamp);
		return -1;
	}
	free(stamp);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(moddir_a);
	free(moddir_b);
	return 0;
}

/* cp -a FROM ROOT/REL (a symlink would not do: the sysroot confines it). */
static void copy_tree(const char *from, const char *root, const char *rel)
{
	char *cmd;
	assert_true(asprintf(&cmd, "cp -a '%s' '%s/%s'", from, root, rel) > 0);
	assert_int_equal(system(cmd), 0);
	free(cmd);
}

static struct hvd_select_options opts_for(const char *moddir)
{
	struct hvd_select_options o = HVD_SELECT_OPTIONS_INIT;
	o.moddir = moddir;
	o.vendor_db = db;
	o.admin_db = "";
	return o;
}

/* The selection as "name tier state" lines, in load order: one string to compare. */
static char *summary(const struct hvd_selection *sel)
{
	struct strbuf sb = { 0 };

	for (size_t i = 0; i < hvd_selection_get_module_count(sel); i++) {
		const struct hvd_module *m = hvd_selection_get_module(sel, i);
		strbuf_printf(&sb, "%s %s %s%s%s%s\n", m->name, m->tier, m->state, m->initramfs ? " initramfs" : "",
		              m->explicit_load ? " explicit" : "", m->dependency ? " dependency" : "");
	}
	strbuf_puts(&sb, "");
	return strbuf_steal(&sb);
}

static char *format(const struct hvd_selection *sel, const char *fmt)
{
	char *out = NULL;
	assert_int_equal(hvd_selection_format(sel, fmt, &out), 0);
	assert_non_null(out);
	return out;
}

static const struct hvd_module *module(const struct hvd_selection *sel, const char *name)
{
	for (size_t i = 0; i < hvd_selection_get_module_count(sel); i++)
		if (strcmp(hvd_selection_get_module(sel, i)->name, name) == 0)
			return hvd_selection_get_module(sel, i);
	return NULL;
}

static bool has_warning(const struct hvd_selection *sel, const char *text)
{
	for (size_t i = 0; i < hvd_selection_get_warning_count(sel); i++)
		if (strstr(hvd_selection_get_warning(sel, i), text))
			return true;
	return false;
}

/*
 * Tiers in order (boot, network, integration, display; database order within
 * one), each module after what it needs: dependencies from modules.dep, the
 * softdep from modinfo, and the rule or relation that brought each in.
 */
static void test_tiers_and_dependencies(void **state)
{
	(void)state;
	struct fx *f = fx_open("ID=debian\n");
	struct hvd_select_options o = opts_for(moddir_a);
	struct hvd_selection *sel = NULL;

	assert_int_equal(hvd_select(&sel, f->ctx, f->v, &o), 0);
	_cleanup_free_ char *s = summary(sel);
	assert_string_equal(s,
		"virtio boot loadable initramfs dependency\n"
		"virtio_ring boot loadable initramfs dependency\n"
		"virtio_pci boot loadable initramfs\n"
		"virtio_blk boot loadable initramfs\n"
		"failover network loadable initramfs dependency\n"
		"net_failover network loadable initramfs dependency\n"
		"virtio_net network loadable initramfs\n"
		"ptp_kvm integration loadable explicit\n"
		"virtio_dma_buf display loadable dependency\n"
		"virtio_gpu display loadable\n");
	assert_string_equal(module(sel, "virtio")->reason, "dependency of virtio_pci");
	assert_string_equal(module(sel, "virtio_dma_buf")->reason, "softdep of virtio_gpu");
	assert_non_null(strstr(module(sel, "virtio_blk")->reason, "kvm.conf:"));
	assert_null(module(sel, "virtio_scsi"));     /* no such device, and its rule needs one */
	assert_string_equal(hvd_selection_get_kernel(sel), KA);
	assert_string_equal(hvd_selection_get_moddir(sel), moddir_a);
	assert_int_equal(hvd_selection_get_missing_boot_count(sel), 0);
	assert_int_equal(hvd_selection_get_warning_count(sel), 0);
	assert_string_equal(hvd_selection_get_distro(sel), "debian");
	hvd_selection_unref(sel);
	fx_close(f);
}

/* The same machine against the other kernel: what it builds in is "builtin" or needs no loading at all. */
static void test_builtins(void **state)
{
	(void)state;
	struct fx *f = fx_open(NULL);
	struct hvd_select_options o = opts_for(moddir_b);
	struct hvd_selection *sel = NULL;

	assert_int_equal(hvd_select(&sel, f->ctx, f->v, &o), 0);
	_cleanup_free_ char *s = summary(sel);
	/* depmod knows no symbol a built-in exports: virtio and virtio_ring are no module's dependency here. */
	assert_string_equal(s,
		"virtio_pci boot loadable initramfs\n"
		"virtio_blk boot loadable initramfs\n"
		"failover network loadable initramfs dependency\n"
		"net_failover network loadable initramfs dependency\n"
		"virtio_net network loadable initramfs\n"
		"ptp_kvm integration loadable explicit\n"
		"virtio_dma_buf display loadable dependency\n"
		"virtio_gpu display loadable\n");
	assert_null(hvd_selection_get_distro(sel));   /* no os-release */
	hvd_selection_unref(sel);

	/* Xen's front ends are built into both kernels (modules.builtin). */
	o.hypervisor = "xen";
	assert_int_equal(hvd_select(&sel, f->ctx, f->v, &o), 0);
	_cleanup_free_ char *x = summary(sel);
	assert_string_equal(x, "xen_blkfront boot builtin initramfs\nxen_netfront network builtin initramfs\n");
	/* Nothing to add to an initramfs for a built-in; still a module the target has. */
	_cleanup_free_ char *dracut = format(sel, "dracut");
	assert_non_null(strstr(dracut, "add_drivers+=\" \"\n"));
	_cleanup_free_ char *mods = format(sel, "modules");
	assert_string_equal(mods, "xen_blkfront\nxen_netfront\n");
	hvd_selection_unref(sel);
	fx_close(f);
}

/* Every output format, exactly. */
static void test_formats(void **state)
{
	(void)state;
	struct fx *f = fx_open("NAME=\"Rocky Linux\"\nID=\"rocky\"\nID_LIKE=\"rhel centos fedora\"\n");
	struct hvd_select_options o = opts_for(moddir_a);
	struct hvd_selection *sel = NULL;
	_cleanup_free_ char *header = NULL, *want = NULL;

	assert_int_equal(hvd_select(&sel, f->ctx, f->v, &o), 0);
	header = strdup_printf("# Generated by hvdetect %s for kvm, kernel " KA ".\n", hvd_version());

	_cleanup_free_ char *mods = format(sel, "modules");
	assert_string_equal(mods, "virtio\nvirtio_ring\nvirtio_pci\nvirtio_blk\nfailover\nnet_failover\nvirtio_net\n"
	                          "ptp_kvm\nvirtio_dma_buf\nvirtio_gpu\n");
	_cleanup_free_ char *pkgs = format(sel, "packages");
	assert_string_equal(pkgs, "qemu-guest-agent\n");
	_cleanup_free_ char *dracut = format(sel, "dracut");
	want = strdup_printf("%s# dracut.conf.d snippet: the drivers this target needs in its initramfs.\n"
	                     "add_drivers+=\" virtio_pci virtio_blk virtio_net \"\n", header);
	assert_string_equal(dracut, want);
	free(want);
	_cleanup_free_ char *ml = format(sel, "modules-load");
	want = strdup_printf("%s# modules-load.d: modules no device triggers, so udev never loads them.\nptp_kvm\n", header);
	assert_string_equal(ml, want);
	free(want);
	_cleanup_free_ char *it = format(sel, "initramfs-tools");
	want = strdup_printf("%s# /etc/initramfs-tools/modules: included in the initramfs and loaded early.\n"
	                     "virtio_pci\nvirtio_blk\nvirtio_net\n", header);
	assert_string_equal(it, want);
	_cleanup_free_ char *json = format(sel, "json");
	assert_true(startswith(json, "{\"hypervisor\": \"kvm\", \"platform\": null, \"portable\": false, \"kernel\": \"" KA "\""));
	assert_non_null(strstr(json, "\"complete\": true, \"modules\": [{\"name\": \"virtio\", \"tier\": \"boot\", "
	                             "\"state\": \"loadable\", \"reason\": \"dependency of virtio_pci\", \"initramfs\": true, "
	                             "\"explicit\": false, \"dependency\": true, \"note\": null, \"outcome\": null, \"omitted\": false, "
	                             "\"missing_boot\": false}"));
	assert_non_null(strstr(json, "\"distro\": \"rhel\", \"packages\": [\"qemu-guest-agent\"]"));
	assert_true(json[strlen(json) - 1] == '\n');

	/* The family can be overridden, and back; an unknown one is refused with a message. */
	assert_int_equal(hvd_selection_set_distro(sel, "suse"), 0);
	assert_string_equal(hvd_selection_get_distro(sel), "suse");
	assert_int_equal(hvd_selection_set_distro(sel, "beos"), -EINVAL);
	assert_non_null(strstr(hvd_ctx_get_error(f->ctx), "beos"));
	assert_int_equal(hvd_selection_set_distro(sel, NULL), 0);
	assert_string_equal(hvd_selection_get_distro(sel), "rhel");

	char *out = (char *)1;
	assert_int_equal(hvd_selection_format(sel, "yaml", &out), -EINVAL);
	assert_null(out);
	hvd_selection_unref(sel);
	fx_close(f);
}

/* modprobe.d of the target: a blacklisted module is dropped with a warning; what others need is not. */
static void test_blacklist(void **state)
{
	(void)state;
	struct fx *f = fx_open(NULL);
	struct hvd_select_options o = opts_for(moddir_a);
	struct hvd_selection *sel = NULL;

	tu_write_str(f->root, "etc/modprobe.d/local.conf", "blacklist virtio_gpu\nblacklist virtio_ring\n");
	assert_int_equal(hvd_select(&sel, f->ctx, f->v, &o), 0);
	const struct hvd_module *gpu = module(sel, "virtio_gpu");
	assert_non_null(gpu);
	assert_string_equal(gpu->state, "blacklisted");
	assert_non_null(strstr(gpu->note, "blacklisted"));
	assert_true(has_warning(sel, "virtio_gpu is blacklisted"));
	/* Its softdep is not pulled in for a module that will not load. */
	assert_null(module(sel, "virtio_dma_buf"));
	/* Like udev, the blacklist applies to what is asked for, not to what that needs. */
	assert_string_equal(module(sel, "virtio_ring")->state, "loadable");
	_cleanup_free_ char *mods = format(sel, "modules");
	assert_null(strstr(mods, "virtio_gpu"));
	assert_non_null(strstr(mods, "virtio_ring\n"));
	assert_int_equal(hvd_selection_get_missing_boot_count(sel), 0);
	hvd_selection_unref(sel);
	fx_close(f);
}

/* A boot-tier module the kernel lacks: counted, warned about, "complete": false (the CLI's exit 3). */
static void test_missing_boot(void **state)
{
	(void)state;
	struct fx *f = fx_open(NULL);
	struct hvd_select_options o = opts_for(moddir_b);
	struct hvd_selection *sel = NULL;

	o.hypervisor = "vmware";
	assert_int_equal(hvd_select(&sel, f->ctx, f->v, &o), 0);
	assert_int_equal(hvd_selection_get_missing_boot_count(sel), 1);
	assert_string_equal(module(sel, "vmw_pvscsi")->state, "missing");
	assert_true(has_warning(sel, "boot-tier module vmw_pvscsi is missing from kernel " KB
	                             ": the target cannot boot without it"));
	_cleanup_free_ char *json = format(sel, "json");
	assert_non_null(strstr(json, "\"complete\": false"));
	_cleanup_free_ char *mods = format(sel, "modules");
	assert_string_equal(mods, "vmxnet3\nvmw_balloon\n");
	hvd_selection_unref(sel);

	/* The other kernel has it. */
	o.moddir = moddir_a;
	assert_int_equal(hvd_select(&sel, f->ctx, f->v, &o), 0);
	assert_int_equal(hvd_selection_get_missing_boot_count(sel), 0);
	hvd_selection_unref(sel);
	fx_close(f);
}

/*
 * A target root (options version 2): the machine is the context's (its verdict
 * and devices), the kernel and the distribution are the target's, found by the
 * sysroot rules: usr/lib/modules too, a version named or the only one.
 */
static void test_target_root(void **state)
{
	(void)state;
	struct fx *f = fx_open("ID=fedora\n");
	struct hvd_select_options o = opts_for(NULL);
	struct hvd_selection *sel = NULL;
	char *target = tu_mkdtemp();

	/* Before the payload: no kernel, no os-release. Packages only, the installer's own family. */
	o.target_root = target;
	o.flags = HVD_SELECT_PACKAGES_ONLY;
	assert_int_equal(hvd_select(&sel, f->ctx, f->v, &o), 0);
	assert_null(hvd_selection_get_distro(sel));
	assert_null(hvd_selection_get_kernel(sel));
	assert_int_equal(hvd_selection_get_module_count(sel), 0);
	assert_string_equal(hvd_selection_get_packages(sel, "fedora")[0], "qemu-guest-agent");
	char *out = (char *)1;
	assert_int_equal(hvd_selection_format(sel, "dracut", &out), -EINVAL);
	assert_non_null(strstr(hvd_ctx_get_error(f->ctx), "packages-only"));
	assert_int_equal(hvd_selection_load(sel, HVD_LOAD_DRY_RUN), -EINVAL);
	hvd_selection_unref(sel);
	/* Without it there is no module tree in the target to select against: the caller's error. */
	o.flags = 0;
	assert_int_equal(hvd_select(&sel, f->ctx, f->v, &o), -ENOENT);
	assert_non_null(strstr(hvd_ctx_get_error(f->ctx), "no kernel module tree"));

	/* The payload is in: a kernel below usr/lib/modules, an os-release. */
	tu_write_str(target, "usr/lib/os-release", "ID=\"rocky\"\nID_LIKE=\"rhel centos fedora\"\n");
	tu_write_str(target, "usr/lib/modules/.keep", "");
	copy_tree(moddir_b, target, "usr/lib/modules/" KB);
	assert_int_equal(hvd_select(&sel, f->ctx, f->v, &o), 0);
	assert_string_equal(hvd_selection_get_kernel(sel), KB);
	assert_string_equal(hvd_selection_get_distro(sel), "rhel");
	/* The machine's devices, the target's kernel: virtio is built into KB. */
	const struct hvd_module *vm = module(sel, "virtio");
	assert_true(!vm || strcmp(vm->state, "builtin") == 0);
	assert_string_equal(module(sel, "virtio_blk")->state, "loadable");
	hvd_selection_unref(sel);
	/* Named by version, below usr/lib/modules. */
	o.kernel = KB;
	assert_int_equal(hvd_select(&sel, f->ctx, f->v, &o), 0);
	assert_string_equal(hvd_selection_get_kernel(sel), KB);
	hvd_selection_unref(sel);
	/* Two kernels: name one. */
	o.kernel = NULL;
	copy_tree(moddir_a, target, "usr/lib/modules/" KA);
	assert_int_equal(hvd_select(&sel, f->ctx, f->v, &o), -EINVAL);
	assert_non_null(strstr(hvd_ctx_get_error(f->ctx), "several kernels"));
	/* A version-1 caller is still served, and never sees the new fields. */
	struct hvd_select_options v1 = opts_for(moddir_a);
	v1.version = 1;
	v1.target_root = "/nonexistent";   /* past a version-1 struct: not read */
	assert_int_equal(hvd_select(&sel, f->ctx, f->v, &v1), 0);
	assert_string_equal(hvd_selection_get_kernel(sel), KA);
	hvd_selection_unref(sel);
	v1.flags = HVD_SELECT_PACKAGES_ONLY;
	assert_int_equal(hvd_select(&sel, f->ctx, f->v, &v1), -EINVAL);
	tu_rm_rf(target);
	free(target);
	fx_close(f);
}

/* The caller's own modules: added ones go into the files, omitted ones nowhere; an omitted boot driver is missing. */
static void test_add_omit(void **state)
{
	(void)state;
	struct fx *f = fx_open(NULL);
	struct hvd_select_options o = opts_for(moddir_a);
	struct hvd_selection *sel = NULL;
	const char *const add[] = { "virtio-console", "hv_vmbus", "nosuchmodule", NULL };
	const char *const omit[] = { "virtio_blk", "virtio_gpu", "virtio_balloon", NULL };
	const char *const bad[] = { "x$(reboot)", NULL };
	const char *const both[] = { "hv-vmbus", NULL };

	o.add_modules = add;
	o.omit_modules = omit;
	assert_int_equal(hvd_select(&sel, f->ctx, f->v, &o), 0);
	const struct hvd_module *blk = module(sel, "virtio_blk");
	assert_true(blk->omitted && blk->missing_boot);
	assert_int_equal(hvd_selection_get_missing_boot_count(sel), 1);
	assert_true(has_warning(sel, "boot-tier module virtio_blk is omitted: the target cannot boot without it"));
	assert_true(module(sel, "virtio_gpu")->omitted && !module(sel, "virtio_gpu")->missing_boot);
	assert_true(has_warning(sel, "module virtio_balloon was to be omitted, but nothing selects it"));
	assert_true(module(sel, "virtio_console")->explicit_load && module(sel, "virtio_console")->initramfs);
	assert_string_equal(module(sel, "nosuchmodule")->state, "missing");
	assert_false(module(sel, "nosuchmodule")->missing_boot);
	_cleanup_free_ char *dracut = format(sel, "dracut");
	assert_null(strstr(dracut, "virtio_blk"));
	assert_non_null(strstr(dracut, " virtio_console "));
	assert_non_null(strstr(dracut, " hv_vmbus "));
	_cleanup_free_ char *ml = format(sel, "modules-load");
	assert_non_null(strstr(ml, "\nvirtio_console\n"));
	assert_null(strstr(ml, "nosuchmodule"));
	_cleanup_free_ char *mods = format(sel, "modules");
	assert_null(strstr(mods, "virtio_gpu"));
	assert_int_equal(hvd_selection_load(sel, HVD_LOAD_DRY_RUN), 1);
	assert_string_equal(module(sel, "virtio_blk")->outcome, "omitted");
	hvd_selection_unref(sel);
	/* Names go into sourced files: checked. Added and omitted at once: the caller's mistake. */
	o.add_modules = bad;
	assert_int_equal(hvd_select(&sel, f->ctx, f->v, &o), -EINVAL);
	assert_non_null(strstr(hvd_ctx_get_error(f->ctx), "not a module name"));
	o.add_modules = add;
	o.omit_modules = both;
	assert_int_equal(hvd_select(&sel, f->ctx, f->v, &o), -EINVAL);
	assert_non_null(strstr(hvd_ctx_get_error(f->ctx), "both added and omitted"));
	fx_close(f);
}

/* A named target: its rules, not this machine's devices; an alternative; an optional module missing. */
static void test_named_target(void **state)
{
	(void)state;
	struct fx *f = fx_open("ID=ubuntu\n");
	struct hvd_select_options o = opts_for(moddir_a);
	struct hvd_selection *sel = NULL;

	o.hypervisor = "azure";
	assert_int_equal(hvd_select(&sel, f->ctx, NULL, &o), 0);
	_cleanup_free_ char *s = summary(sel);
	assert_string_equal(s,
		"hv_vmbus boot loadable initramfs\n"
		"hv_storvsc boot loadable initramfs\n"
		"hv_netvsc network loadable initramfs\n"
		"hv_sock integration missing explicit\n"
		"hyperv_drm display loadable\n");
	assert_string_equal(module(sel, "hyperv_drm")->note, "alternative taken: hyperv_fb is not in this kernel");
	assert_true(has_warning(sel, "integration-tier module hv_sock is missing"));
	assert_int_equal(hvd_selection_get_missing_boot_count(sel), 0);
	const char *const *p = hvd_selection_get_packages(sel, NULL);
	assert_string_equal(p[0], "linux-cloud-tools-virtual");
	assert_null(p[1]);
	p = hvd_selection_get_packages(sel, "fedora");
	assert_string_equal(p[0], "hyperv-daemons");
	assert_null(hvd_selection_get_packages(sel, "beos"));
	_cleanup_free_ char *json = format(sel, "json");
	assert_true(startswith(json, "{\"hypervisor\": \"hyperv\", \"platform\": \"azure\""));
	hvd_selection_unref(sel);
	fx_close(f);
}

/* Portable: every hypervisor's boot tier on top; the extras a kernel lacks are warnings, not missing boot drivers. */
static void test_portable(void **state)
{
	(void)state;
	struct fx *f = fx_open(NULL);
	struct hvd_select_options o = opts_for(moddir_a);
	struct hvd_selection *sel = NULL;

	o.flags = HVD_SELECT_PORTABLE;
	assert_int_equal(hvd_select(&sel, f->ctx, f->v, &o), 0);
	const char *boot[] = { "hv_vmbus", "hv_storvsc", "virtio_pci", "virtio_blk", "virtio_scsi", "vmw_pvscsi",
	                       "xen_blkfront" };
	for (size_t i = 0; i < ARRAY_SIZE(boot); i++) {
		const struct hvd_module *m = module(sel, boot[i]);
		if (!m)
			fail_msg("portable selection lacks %s", boot[i]);
		assert_string_equal(m->tier, "boot");
	}
	/* What this machine needs beyond the boot tier is still there; another hypervisor's is not. */
	assert_non_null(module(sel, "virtio_net"));
	assert_null(module(sel, "hv_netvsc"));
	_cleanup_free_ char *json = format(sel, "json");
	assert_non_null(strstr(json, "\"portable\": true"));
	_cleanup_free_ char *dracut = format(sel, "dracut");
	assert_non_null(strstr(dracut, "for every supported hypervisor (portable)"));
	assert_non_null(strstr(dracut, " vmw_pvscsi "));
	assert_null(strstr(dracut, "xen_blkfront"));   /* built in */
	hvd_selection_unref(sel);

	/* The other kernel lacks vmw_pvscsi: a warning for an image that may migrate, not a missing boot driver. */
	o.moddir = moddir_b;
	assert_int_equal(hvd_select(&sel, f->ctx, f->v, &o), 0);
	assert_string_equal(module(sel, "vmw_pvscsi")->state, "missing");
	assert_int_equal(hvd_selection_get_missing_boot_count(sel), 0);
	assert_true(has_warning(sel, "vmw_pvscsi is missing"));
	hvd_selection_unref(sel);

	/* No verdict and no name: the boot tier alone. */
	assert_int_equal(hvd_select(&sel, f->ctx, NULL, &o), 0);
	for (size_t i = 0; i < hvd_selection_get_module_count(sel); i++)
		assert_string_equal(hvd_selection_get_module(sel, i)->tier, "boot");
	hvd_selection_unref(sel);
	fx_close(f);
}

/* The options are checked, and the kernel can be named by version below the sysroot. */
static void test_options(void **state)
{
	(void)state;
	struct fx *f = fx_open(NULL);
	struct hvd_select_options o = opts_for(moddir_a);
	struct hvd_selection *sel = (struct hvd_selection *)1;

	o.version = HVD_SELECT_OPTIONS_VERSION + 1;
	assert_int_equal(hvd_select(&sel, f->ctx, f->v, &o), -EINVAL);
	assert_null(sel);
	assert_non_null(strstr(hvd_ctx_get_error(f->ctx), "version"));
	o = opts_for(moddir_a);
	o.kernel = KA;
	assert_int_equal(hvd_select(&sel, f->ctx, f->v, &o), -EINVAL);
	assert_non_null(strstr(hvd_ctx_get_error(f->ctx), "both"));
	o = opts_for(moddir_a);
	o.flags = 1u << 7;
	assert_int_equal(hvd_select(&sel, f->ctx, f->v, &o), -EINVAL);
	o = opts_for(moddir_a);
	o.hypervisor = "nosuchcloud";
	assert_int_equal(hvd_select(&sel, f->ctx, f->v, &o), -EINVAL);
	assert_non_null(strstr(hvd_ctx_get_error(f->ctx), "nosuchcloud"));
	assert_int_equal(hvd_select(&sel, f->ctx, NULL, NULL), -EINVAL);   /* nothing to select for */
	assert_int_equal(hvd_select(NULL, f->ctx, f->v, NULL), -EINVAL);

	/* No database: the default places are this build's, the test gives "" for both. */
	o = opts_for(moddir_a);
	o.vendor_db = "";
	assert_int_equal(hvd_select(&sel, f->ctx, f->v, &o), -ENOENT);
	assert_non_null(strstr(hvd_ctx_get_error(f->ctx), "no driver database"));

	/* KERNEL: a version below the sysroot's lib/modules; one kernel there is the default. */
	tu_mkdirs(f->root, "lib/modules");
	copy_tree(moddir_b, f->root, "lib/modules/" KB);
	o = opts_for(NULL);
	o.kernel = KB;
	assert_int_equal(hvd_select(&sel, f->ctx, f->v, &o), 0);
	assert_string_equal(hvd_selection_get_kernel(sel), KB);
	hvd_selection_unref(sel);
	o.kernel = NULL;
	assert_int_equal(hvd_select(&sel, f->ctx, f->v, &o), 0);
	assert_string_equal(hvd_selection_get_kernel(sel), KB);
	hvd_selection_unref(sel);
	/* Two kernels: which one is for the caller to say. */
	copy_tree(moddir_a, f->root, "lib/modules/" KA);
	assert_int_equal(hvd_select(&sel, f->ctx, f->v, &o), -EINVAL);
	assert_non_null(strstr(hvd_ctx_get_error(f->ctx), "several kernels"));
	o.kernel = "9.9.9";
	assert_int_equal(hvd_select(&sel, f->ctx, f->v, &o), -ENOENT);
	assert_non_null(strstr(hvd_ctx_get_error(f->ctx), "9.9.9"));
	fx_close(f);
}

/*
 * Errors belong to the call: a failure's message is not reported for a later
 * call that fails without one, and a call that succeeds leaves none.
 */
static void test_errors_belong_to_the_call(void **state)
{
	(void)state;
	struct fx *f = fx_open(NULL);
	struct hvd_select_options good = opts_for(moddir_a), bad = opts_for("/nonexistent/6.1.0");
	struct hvd_selection *sel = NULL, *none = NULL;
	char *out = NULL;

	assert_int_equal(hvd_select(&sel, f->ctx, f->v, &good), 0);
	assert_null(hvd_ctx_get_error(f->ctx));
	assert_int_equal(hvd_select(&none, f->ctx, f->v, &bad), -ENOENT);
	assert_non_null(strstr(hvd_ctx_get_error(f->ctx), "no kernel module tree at /nonexistent/6.1.0"));
	/* The next call fails for its own reason: the module tree is not it. */
	assert_int_equal(hvd_selection_format(sel, "bogus", &out), -EINVAL);
	const char *e = hvd_ctx_get_error(f->ctx);
	assert_true(!e || !strstr(e, "module tree"));
	/* A successful call leaves no message at all. */
	assert_int_equal(hvd_select(&none, f->ctx, f->v, &bad), -ENOENT);
	assert_int_equal(hvd_selection_format(sel, "modules", &out), 0);
	free(out);
	assert_null(hvd_ctx_get_error(f->ctx));
	/* A message is about its context: another context's call does not show it. */
	struct hvd_ctx *other = NULL;
	assert_int_equal(hvd_ctx_new(&other, f->root), 0);
	assert_int_equal(hvd_select(&none, f->ctx, f->v, &bad), -ENOENT);
	assert_null(hvd_ctx_get_error(other));
	assert_non_null(hvd_ctx_get_error(f->ctx));
	hvd_ctx_unref(other);
	hvd_selection_unref(sel);
	fx_close(f);
}

/* Loading on another kernel than the running one: a dry run only; outcomes are set, and stay. */
static void test_load_dry_run(void **state)
{
	(void)state;
	struct fx *f = fx_open(NULL);
	struct hvd_select_options o = opts_for(moddir_a);
	struct hvd_selection *sel = NULL;

	assert_int_equal(hvd_select(&sel, f->ctx, f->v, &o), 0);
	assert_null(hvd_selection_get_module(sel, 0)->outcome);
	assert_int_equal(hvd_selection_load(sel, 0), -EXDEV);
	assert_non_null(strstr(hvd_ctx_get_error(f->ctx), "not the running kernel"));
	assert_int_equal(hvd_selection_load(sel, HVD_LOAD_DRY_RUN), 0);
	const char *first = hvd_selection_get_module(sel, 0)->outcome;
	assert_string_equal(first, "would insert");
	assert_int_equal(hvd_selection_load(sel, HVD_LOAD_DRY_RUN), 0);
	assert_string_equal(first, "would insert");
	hvd_selection_unref(sel);

	o.hypervisor = "vmware";
	o.moddir = moddir_b;
	assert_int_equal(hvd_select(&sel, f->ctx, NULL, &o), 0);
	/* One boot module is absent afterwards: the missing vmw_pvscsi. */
	assert_int_equal(hvd_selection_load(sel, HVD_LOAD_DRY_RUN), 1);
	assert_string_equal(module(sel, "vmw_pvscsi")->outcome, "missing");
	hvd_selection_unref(sel);
	fx_close(f);
}

/* ---- the running kernel's tree under another name (--load --moddir /lib/modules/$(uname -r)) ---- */

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

#define CHILD_CHECK(cond)                                                              \
	do {                                                                           \
		if (!(cond)) {                                                         \
			fprintf(stderr, "%s:%d: %s failed (%s)\n", __FILE__, __LINE__, #cond, \
			        ctx ? hvd_ctx_get_error(ctx) ? hvd_ctx_get_error(ctx) : "-" : "-"); \
			_exit(1);                                                      \
		}                                                                      \
	} while (0)

/*
 * In a user namespace, chrooted into a tree whose lib/modules/$(uname -r) is
 * test kernel A, the context on "/" is live and that tree is the running
 * kernel's: a MODDIR naming it another way may be loaded from (no EXDEV), and
 * another tree may not. Inserting fails with EPERM (no user namespace may
 * load modules), so nothing reaches the real kernel; the failure outcome of a
 * first load stays valid after a second. Exit 0 pass, 1 fail, 77 skip.
 */
static int running_tree_child(const char *jail)
{
	struct hvd_ctx *ctx = NULL;
	struct hvd_selection *sel = NULL;
	struct hvd_select_options o = HVD_SELECT_OPTIONS_INIT;
	char map[64];
	uid_t uid = getuid();
	gid_t gid = getgid();

	if (unshare(CLONE_NEWUSER) < 0)
		return 77;
	snprintf(map, sizeof(map), "0 %u 1\n", (unsigned)uid);
	if (write_file("/proc/self/uid_map", map) < 0 || write_file("/proc/self/setgroups", "deny") < 0)
		return 77;
	snprintf(map, sizeof(map), "0 %u 1\n", (unsigned)gid);
	if (write_file("/proc/self/gid_map", map) < 0 || chroot(jail) < 0 || chdir("/") < 0)
		return 77;

	CHILD_CHECK(hvd_ctx_new(&ctx, "/") == 0);
	o.flags = HVD_SELECT_NO_DEVICES;
	o.hypervisor = "kvm";
	o.vendor_db = "/db";
	o.admin_db = "";
	o.moddir = "/kernels/running";   /* a symlink to /lib/modules/$(uname -r) */
	CHILD_CHECK(hvd_select(&sel, ctx, NULL, &o) == 0);
	int r = hvd_selection_load(sel, 0);
	CHILD_CHECK(r != -EXDEV);
	CHILD_CHECK(r > 0);   /* the boot modules could not be inserted */
	const struct hvd_module *m = hvd_selection_get_module(sel, 0);
	const char *first = m->outcome;
	CHILD_CHECK(first && startswith(first, "failed: "));
	_cleanup_free_ char *copy = strdup(first);
	CHILD_CHECK(hvd_selection_load(sel, 0) > 0);
	CHILD_CHECK(strcmp(first, copy) == 0);   /* still readable: not freed by the second load */
	hvd_selection_unref(sel);

	o.moddir = "/kernels/" KB;   /* a tree, but not the running kernel's */
	CHILD_CHECK(hvd_select(&sel, ctx, NULL, &o) == 0);
	CHILD_CHECK(hvd_selection_load(sel, 0) == -EXDEV);
	hvd_selection_unref(sel);
	hvd_ctx_unref(ctx);
	return 0;
}

static void test_running_tree(void **state)
{
	(void)state;
	struct utsname u;
	struct hvd_ctx *ctx = NULL;
	struct hvd_selection *sel = NULL;
	struct hvd_select_options o = opts_for(moddir_a);
	char *jail = tu_mkdtemp();
	char *cmd = NULL;
	int status;

	assert_int_equal(uname(&u), 0);
	/* libkmod is loaded once, here, where it can be found: the jail holds no libraries. */
	o.hypervisor = "kvm";
	assert_int_equal(hvd_ctx_new(&ctx, jail), 0);
	assert_int_equal(hvd_select(&sel, ctx, NULL, &o), 0);
	hvd_selection_unref(sel);
	hvd_ctx_unref(ctx);

	assert_true(asprintf(&cmd, "mkdir -p '%s/lib/modules' '%s/kernels' && cp -a '%s' '%s/lib/modules/%s' && "
	                     "cp -a '%s' '%s/kernels/' && cp -a '%s' '%s/db' && ln -s '/lib/modules/%s' '%s/kernels/running'",
	                     jail, jail, moddir_a, jail, u.release, moddir_b, jail, db, jail, u.release, jail) > 0);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(running_tree_child(jail));   /* _exit: the parent owns the test run and the jail */
	assert_int_equal(waitpid(pid, &status, 0), pid);
	tu_rm_rf(jail);
	free(jail);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) == 77)
		skip();   /* no user namespaces here: nothing could be shown without loading for real */
	assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tiers_and_dependencies),
		cmocka_unit_test(test_builtins),
		cmocka_unit_test(test_formats),
		cmocka_unit_test(test_blacklist),
		cmocka_unit_test(test_missing_boot),
		cmocka_unit_test(test_named_target),
		cmocka_unit_test(test_target_root),
		cmocka_unit_test(test_add_omit),
		cmocka_unit_test(test_portable),
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_errors_belong_to_the_call),
		cmocka_unit_test(test_load_dry_run),
		cmocka_unit_test(test_running_tree),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
