/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Platform probe: EFI, Xen, device tree, VMBus, cpuinfo, kernel release and arch, s390x / ppc64 files. */
#include "testutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/utsname.h>
#include <cmocka.h>

#include "facts.h"
#include "probe/platform.h"
#include "sysroot.h"
#include "sysroot_fx.h"

/* The first processor block of this Firecracker guest's proc/cpuinfo (flags shortened). */
#define FC_CPU(n, vendor, flags) \
	"processor\t: " #n "\n" \
	"vendor_id\t: " vendor "\n" \
	"cpu family\t: 25\nmodel\t\t: 1\nmodel name\t: AMD EPYC\nstepping\t: 1\n" \
	"microcode\t: 0x1000065\ncpu MHz\t\t: 2445.424\ncache size\t: 512 KB\n" \
	"fpu\t\t: yes\nfpu_exception\t: yes\ncpuid level\t: 13\nwp\t\t: yes\n" \
	"flags\t\t: " flags "\n" \
	"bugs\t\t: sysret_ss_attrs null_seg spectre_v1\nbogomips\t: 4890.84\n" \
	"power management:\n\n"
#define FC_FLAGS "fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush " \
	"mmx fxsr sse sse2 ht syscall nx mmxext fxsr_opt pdpe1gb rdtscp lm constant_tsc rep_good nopl " \
	"cpuid pni ssse3 fma cx16 sse4_1 sse4_2 x2apic movbe popcnt aes xsave avx f16c rdrand hypervisor " \
	"lahf_lm cmp_legacy cr8_legacy abm sse4a misalignsse topoext vmmcall fsgsbase"

static const char fc_cpuinfo[] = FC_CPU(0, "AuthenticAMD", FC_FLAGS) FC_CPU(1, "AuthenticAMD", FC_FLAGS);

static const char arm64_cpuinfo[] =
	"processor\t: 0\nBogoMIPS\t: 50.00\n"
	"Features\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics cpuid asimdrdm\n"
	"CPU implementer\t: 0x41\nCPU architecture: 8\nCPU variant\t: 0x3\nCPU part\t: 0xd0c\nCPU revision\t: 1\n\n";

static const char s390x_cpuinfo[] =
	"vendor_id       : IBM/S390\n# processors    : 2\nbogomips per cpu: 3241.00\nmax thread id   : 0\n"
	"features\t: esan3 zarch stfle msa ldisp eimm dfp edat etf3eh highgprs te vx sie\n"
	"processor 0: version = FF,  identification = 2F5F08,  machine = 3906\n\n"
	"cpu number      : 0\ncpu MHz dynamic : 5208\n";

static const char s390x_sysinfo[] =
	"Manufacturer:         IBM\nType:                 3906\nModel:                702              M04\n"
	"LPAR Number:          27\nLPAR Name:            LP27\n\n"
	"VM00 Name:            LINUX01\n"
	"VM00 Control Program: z/VM    7.2.0   \n"
	"VM00 Adjustment:      62\n";

struct fx {
	struct sysroot_fx s;     /* first: sysroot_fx_free() frees the whole */
	struct platform_facts p;
};

static int setup(void **state)
{
	*state = sysroot_fx_new(sizeof(struct fx), false);
	return 0;
}

static int setup_manual(void **state)
{
	*state = sysroot_fx_new(sizeof(struct fx), true);
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;
	platform_facts_free(&fx->p);
	sysroot_fx_free(&fx->s);
	return 0;
}

static void run_probe(struct fx *fx)
{
	sysroot_fx_open(&fx->s);
	assert_false(fx->s.ctx->live);
	assert_int_equal(probe_platform(fx->s.ctx, &fx->p), 0);
}

static void mkfifo_at(const char *root, const char *rel)
{
	char *p = tu_path(root, rel);
	assert_int_equal(mkfifo(p, 0644), 0);
	free(p);
}

/* ---- pure parsers ---- */

static void test_cpuinfo_parse(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		bool hv;
		const char *vendor, *arch;
	} cases[] = {
		{ fc_cpuinfo, true, "AuthenticAMD", "x86_64" },
		{ "processor\t: 0\nvendor_id\t: GenuineIntel\nflags\t\t: fpu lahf_lm hypervisor_x\n\n", false, "GenuineIntel", "i686" },
		{ "vendor_id:GenuineIntel\nflags:lm\thypervisor\n", true, "GenuineIntel", "x86_64" },
		{ arm64_cpuinfo, false, NULL, "aarch64" },
		{ s390x_cpuinfo, false, "IBM/S390", "s390x" },
		{ "processor\t: 0\ncpu\t\t: POWER9 (architected), altivec supported\nclock\t\t: 2200.000000MHz\n\n"
		  "timebase\t: 512000000\nplatform\t: pSeries\n", false, NULL, "ppc64le" },
		{ "processor\t: 0\nhart\t\t: 0\nisa\t\t: rv64imafdc_zicsr\nmmu\t\t: sv39\n\n", false, NULL, "riscv64" },
		{ "", false, NULL, NULL },
		{ "\n\n\n", false, NULL, NULL },
		{ "no colon here\n:\n::::\nflags", false, NULL, NULL },
		{ "flags : hypervisor", true, NULL, NULL },
		/* Only the first block: a later processor's flags do not count. */
		{ "processor : 0\nvendor_id : AuthenticAMD\nflags : lm\n\nprocessor : 1\nvendor_id : Other\nflags : hypervisor\n",
		  false, "AuthenticAMD", "x86_64" },
		/* Leading blank lines do not end the block before it starts. */
		{ "\n\nvendor_id : HygonGenuine\nflags : lm hypervisor\n", true, "HygonGenuine", "x86_64" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct cpuinfo ci;
		assert_int_equal(cpuinfo_parse(cases[i].text, strlen(cases[i].text), &ci), 0);
		if (ci.hypervisor_flag != cases[i].hv)
			fail_msg("case %zu: hypervisor flag %d", i, ci.hypervisor_flag);
		if (!(cases[i].vendor ? streq_ptr(ci.vendor_id, cases[i].vendor) : ci.vendor_id == NULL))
			fail_msg("case %zu: vendor %s", i, ci.vendor_id ? ci.vendor_id : "(null)");
		if (!(cases[i].arch ? streq_ptr(ci.arch, cases[i].arch) : ci.arch == NULL))
			fail_msg("case %zu: arch %s", i, ci.arch ? ci.arch : "(null)");
		cpuinfo_done(&ci);
	}
	/* Binary garbage with NULs. */
	static const char junk[] = "fl\0ags : hyper\0visor\n\xff\xfe:\x01\nvendor_id :\0\n";
	struct cpuinfo ci;
	assert_int_equal(cpuinfo_parse(junk, sizeof(junk) - 1, &ci), 0);
	assert_false(ci.hypervisor_flag);
	cpuinfo_done(&ci);
	assert_int_equal(cpuinfo_parse(NULL, 0, &ci), 0);
	assert_null(ci.arch);
}

static void test_dt_join(void **state)
{
	(void)state;
	char *s = NULL;
	static const char l1[] = "xen,xen-4.4\0xen,xen\0";
	assert_int_equal(dt_join_stringlist(l1, sizeof(l1) - 1, &s), 0);
	assert_string_equal(s, "xen,xen-4.4 xen,xen");
	free(s);
	static const char l2[] = "\0\0linux,dummy-virt\0\0\0other";   /* empty entries, no final NUL */
	assert_int_equal(dt_join_stringlist(l2, sizeof(l2) - 1, &s), 0);
	assert_string_equal(s, "linux,dummy-virt other");
	free(s);
	assert_int_equal(dt_join_stringlist("\0\0\0", 3, &s), 0);
	assert_null(s);
	assert_int_equal(dt_join_stringlist("", 0, &s), 0);
	assert_null(s);
}

static void test_text_line_value(void **state)
{
	(void)state;
	bool oom = true;
	char *v = text_line_value(s390x_sysinfo, strlen(s390x_sysinfo), "VM00 Control Program:", &oom);
	assert_false(oom);
	assert_string_equal(v, "z/VM 7.2.0");
	free(v);
	static const char kvm[] = "VM00 Control Program: KVM/Linux\n";
	v = text_line_value(kvm, sizeof(kvm) - 1, "VM00 Control Program:", &oom);
	assert_string_equal(v, "KVM/Linux");
	free(v);
	static const char none[] = "VM00 Control Program:     \nVM00 Control Program: second\n";
	v = text_line_value(none, sizeof(none) - 1, "VM00 Control Program:", &oom);
	assert_null(v);           /* the first matching line is empty */
	assert_false(oom);
	assert_null(text_line_value("VM00 Control", 12, "VM00 Control Program:", &oom));
	assert_null(text_line_value(NULL, 0, "VM00 Control Program:", &oom));
}

/* ---- trees ---- */

static void test_firecracker(void **state)
{
	struct fx *fx = *state;
	tu_write_str(fx->s.root, "proc/cpuinfo", fc_cpuinfo);
	tu_write_str(fx->s.root, "proc/sys/kernel/osrelease", "6.1.0-28-cloud-amd64\n");
	tu_write_str(fx->s.root, "proc/sys/kernel/arch", "x86_64\n");
	tu_mkdirs(fx->s.root, "sys/firmware/acpi/tables");
	tu_mkdirs(fx->s.root, "sys/bus/pci/devices");
	run_probe(fx);
	assert_false(fx->p.efi);
	assert_null(fx->p.hypervisor_type);
	assert_false(fx->p.proc_xen);
	assert_null(fx->p.xen_capabilities);
	assert_null(fx->p.dt_compatible);
	assert_null(fx->p.dt_hypervisor_compatible);
	assert_null(fx->p.dt_model);
	assert_false(fx->p.vmbus);
	assert_int_equal(fx->p.n_vmbus_devices, 0);
	assert_null(fx->p.vmbus_class_ids);
	assert_true(fx->p.cpuinfo_hypervisor_flag);
	assert_string_equal(fx->p.cpuinfo_vendor, "AuthenticAMD");
	assert_string_equal(fx->p.osrelease, "6.1.0-28-cloud-amd64");
	assert_string_equal(fx->p.arch, "x86_64");
	assert_null(fx->p.sysinfo_vm);
	assert_false(fx->p.lparcfg);
}

static void test_hyperv_gen2(void **state)
{
	struct fx *fx = *state;
	static const char *const ids[][2] = {
		{ "f8615163-0001-46c5-913f-f2d2f965ed0e", "{f8615163-df3e-46c5-913f-f2d2f965ed0e}" },   /* network */
		{ "ba6163d9-0002-4d29-b605-72e2ffb1dc7f", "{ba6163d9-04a1-4d29-b605-72e2ffb1dc7f}" },   /* SCSI */
		{ "57164f39-0003-4e78-ab55-382f3bd5422d", "{57164f39-9115-4e78-ab55-382f3bd5422d}" },   /* heartbeat */
		{ "da0a7802-0004-4aac-8e77-0558eb1073f8", "{da0a7802-e377-4aac-8e77-0558eb1073f8}" },   /* video */
	};
	tu_mkdirs(fx->s.root, "sys/firmware/efi/efivars");
	for (size_t i = 0; i < ARRAY_SIZE(ids); i++) {
		char rel[256], target[256], val[64];
		snprintf(rel, sizeof(rel), "sys/devices/LNXSYSTM:00/VMBUS:00/%s/class_id", ids[i][0]);
		snprintf(val, sizeof(val), "%s\n", ids[i][1]);
		tu_write_str(fx->s.root, rel, val);
		tu_mkdirs(fx->s.root, "sys/bus/vmbus/devices");
		snprintf(rel, sizeof(rel), "sys/bus/vmbus/devices/%s", ids[i][0]);
		snprintf(target, sizeof(target), "../../../devices/LNXSYSTM:00/VMBUS:00/%s", ids[i][0]);
		tu_symlink(fx->s.root, rel, target);
	}
	/* A channel without class_id, one with an empty one, and a loop: skipped. */
	tu_mkdirs(fx->s.root, "sys/bus/vmbus/devices/00000000-no-class");
	tu_write_str(fx->s.root, "sys/bus/vmbus/devices/00000001-empty/class_id", "\n");
	tu_symlink(fx->s.root, "sys/bus/vmbus/devices/00000002-loop", "00000002-loop");
	tu_write_str(fx->s.root, "proc/cpuinfo", FC_CPU(0, "GenuineIntel", "fpu lm hypervisor"));
	run_probe(fx);
	assert_true(fx->p.efi);
	assert_true(fx->p.vmbus);
	assert_int_equal(fx->p.n_vmbus_devices, ARRAY_SIZE(ids));
	/* In listing order: sorted by device name. */
	const size_t order[] = { 2, 1, 3, 0 };
	for (size_t i = 0; i < ARRAY_SIZE(order); i++)
		assert_string_equal(fx->p.vmbus_class_ids[i], ids[order[i]][1]);
	assert_null(fx->p.vmbus_class_ids[ARRAY_SIZE(ids)]);
	assert_string_equal(fx->p.cpuinfo_vendor, "GenuineIntel");
	/* No proc/sys/kernel/arch: inferred from cpuinfo. */
	assert_string_equal(fx->p.arch, "x86_64");
}

static void test_vmbus_cap(void **state)
{
	struct fx *fx = *state;
	for (unsigned i = 0; i < VMBUS_MAX_DEVICES + 20; i++) {
		char rel[128];
		snprintf(rel, sizeof(rel), "sys/bus/vmbus/devices/dev%04u/class_id", i);
		tu_write_str(fx->s.root, rel, "{f8615163-df3e-46c5-913f-f2d2f965ed0e}\n");
	}
	run_probe(fx);
	assert_int_equal(fx->p.n_vmbus_devices, VMBUS_MAX_DEVICES);
	assert_null(fx->p.vmbus_class_ids[VMBUS_MAX_DEVICES]);
}

static void test_vmbus_without_devices(void **state)
{
	struct fx *fx = *state;
	tu_mkdirs(fx->s.root, "sys/bus/vmbus");
	run_probe(fx);
	assert_true(fx->p.vmbus);
	assert_int_equal(fx->p.n_vmbus_devices, 0);
}

static void test_xen_dom0(void **state)
{
	struct fx *fx = *state;
	tu_write_str(fx->s.root, "sys/hypervisor/type", "xen\n");
	tu_write_str(fx->s.root, "sys/hypervisor/properties/capabilities", "xen-3.0-x86_64 hvm-3.0-x86_32\n");
	tu_write_str(fx->s.root, "proc/xen/capabilities", "control_d\n");
	run_probe(fx);
	assert_string_equal(fx->p.hypervisor_type, "xen");
	assert_true(fx->p.proc_xen);
	assert_string_equal(fx->p.xen_capabilities, "control_d");
}

static void test_xen_domu(void **state)
{
	struct fx *fx = *state;
	tu_write_str(fx->s.root, "sys/hypervisor/type", "xen\n");
	tu_write_str(fx->s.root, "proc/xen/capabilities", "");
	run_probe(fx);
	assert_string_equal(fx->p.hypervisor_type, "xen");
	assert_true(fx->p.proc_xen);
	assert_null(fx->p.xen_capabilities);   /* empty: not said */
}

static void test_arm64_devicetree(void **state)
{
	struct fx *fx = *state;
	static const char hyp[] = "xen,xen-4.17\0xen,xen\0";
	static const char compat[] = "linux,dummy-virt\0";
	static const char model[] = "linux,dummy-virt\0";
	tu_write(fx->s.root, "proc/device-tree/hypervisor/compatible", hyp, sizeof(hyp) - 1);
	tu_write(fx->s.root, "proc/device-tree/compatible", compat, sizeof(compat) - 1);
	tu_write(fx->s.root, "proc/device-tree/model", model, sizeof(model) - 1);
	tu_write_str(fx->s.root, "proc/cpuinfo", arm64_cpuinfo);
	run_probe(fx);
	assert_string_equal(fx->p.dt_hypervisor_compatible, "xen,xen-4.17 xen,xen");
	assert_string_equal(fx->p.dt_compatible, "linux,dummy-virt");
	assert_string_equal(fx->p.dt_model, "linux,dummy-virt");
	assert_false(fx->p.cpuinfo_hypervisor_flag);
	assert_null(fx->p.cpuinfo_vendor);
	assert_string_equal(fx->p.arch, "aarch64");
}

static void test_wsl2(void **state)
{
	struct fx *fx = *state;
	tu_write_str(fx->s.root, "proc/sys/kernel/osrelease", "5.15.153.1-microsoft-standard-WSL2\n");
	tu_write_str(fx->s.root, "proc/cpuinfo", FC_CPU(0, "GenuineIntel", "fpu lm hypervisor"));
	run_probe(fx);
	assert_string_equal(fx->p.osrelease, "5.15.153.1-microsoft-standard-WSL2");
	assert_true(fx->p.cpuinfo_hypervisor_flag);
}

static void test_s390x(void **state)
{
	struct fx *fx = *state;
	tu_write_str(fx->s.root, "proc/cpuinfo", s390x_cpuinfo);
	tu_write_str(fx->s.root, "proc/sysinfo", s390x_sysinfo);
	run_probe(fx);
	assert_string_equal(fx->p.sysinfo_vm, "z/VM 7.2.0");
	assert_string_equal(fx->p.arch, "s390x");
	assert_string_equal(fx->p.cpuinfo_vendor, "IBM/S390");
}

static void test_ppc64_lpar(void **state)
{
	struct fx *fx = *state;
	tu_write_str(fx->s.root, "proc/ppc64/lparcfg", "lparcfg 1.9\npartition_id=5\n");
	tu_write_str(fx->s.root, "proc/cpuinfo", "processor\t: 0\ncpu\t\t: POWER10 (architected)\n\n");
	static const char model[] = "IBM,9080-HEX\0";
	tu_write(fx->s.root, "proc/device-tree/model", model, sizeof(model) - 1);
	run_probe(fx);
	assert_true(fx->p.lparcfg);
	assert_string_equal(fx->p.arch, "ppc64le");
	assert_string_equal(fx->p.dt_model, "IBM,9080-HEX");
}

static void test_big_cpuinfo(void **state)
{
	struct fx *fx = *state;
	/* 512 CPUs, about 1 MB; the only "hypervisor" is beyond the bounded read. */
	size_t cap = 2u << 20, len = 0;
	char *t = malloc(cap);
	for (int i = 0; i < 512; i++)
		len += (size_t)snprintf(t + len, cap - len, FC_CPU(%d, "AuthenticAMD", "fpu lm %s"), i,
		                        i == 511 ? "hypervisor" : "nohv");
	assert_true(len > CPUINFO_READ_MAX);
	tu_write(fx->s.root, "proc/cpuinfo", t, len);
	free(t);
	run_probe(fx);
	assert_false(fx->p.cpuinfo_hypervisor_flag);
	assert_string_equal(fx->p.cpuinfo_vendor, "AuthenticAMD");
	assert_string_equal(fx->p.arch, "x86_64");
}

static void test_hostile(void **state)
{
	struct fx *fx = *state;
	tu_mkdirs(fx->s.root, "proc");
	mkfifo_at(fx->s.root, "proc/cpuinfo");
	tu_mkdirs(fx->s.root, "sys/hypervisor/type");                  /* directory where a file belongs */
	tu_mkdirs(fx->s.root, "proc/xen");
	tu_symlink(fx->s.root, "proc/xen/capabilities", "capabilities");  /* loop */
	tu_write(fx->s.root, "proc/device-tree/compatible", "\0\0\0\0", 4);
	tu_symlink(fx->s.root, "proc/device-tree/model", "/../../../../etc/hostname");
	tu_write_str(fx->s.root, "proc/sys/kernel/arch", "   \n");
	mkfifo_at(fx->s.root, "proc/sysinfo");
	tu_write_str(fx->s.root, "sys/bus/vmbus", "a file\n");
	/* 10 MB of hypervisor compatible: bounded. */
	size_t big = 10u << 20;
	char *b = malloc(big);
	memset(b, 'x', big);
	tu_write(fx->s.root, "proc/device-tree/hypervisor/compatible", b, big);
	free(b);
	run_probe(fx);
	assert_null(fx->p.hypervisor_type);
	assert_true(fx->p.proc_xen);
	assert_null(fx->p.xen_capabilities);
	assert_null(fx->p.dt_compatible);
	assert_null(fx->p.dt_model);
	assert_int_equal(strlen(fx->p.dt_hypervisor_compatible), READ_MAX_ATTR);
	assert_false(fx->p.cpuinfo_hypervisor_flag);
	assert_null(fx->p.arch);              /* blank file, no cpuinfo, not live */
	assert_null(fx->p.sysinfo_vm);
	assert_true(fx->p.vmbus);             /* it exists, whatever it is */
	assert_int_equal(fx->p.n_vmbus_devices, 0);
}

static void test_empty_root(void **state)
{
	struct fx *fx = *state;
	run_probe(fx);
	struct platform_facts zero;
	memset(&zero, 0, sizeof(zero));
	assert_memory_equal(&fx->p, &zero, sizeof(zero));
}

/*
 * The running system: the arch is proc/sys/kernel/arch, or uname itself. The two agree on a
 * real machine; under qemu-user emulation (the cross build's tests) /proc is the build
 * machine's while uname says the emulated architecture, and the probe reads /proc.
 */
static void test_live_arch(void **state)
{
	(void)state;
	struct hvd_ctx *ctx = NULL;
	struct platform_facts p;
	struct utsname u;
	char karch[65] = "";
	FILE *f = fopen("/proc/sys/kernel/arch", "re");
	if (f) {
		if (!fgets(karch, sizeof(karch), f))
			karch[0] = '\0';
		karch[strcspn(karch, "\n")] = '\0';
		fclose(f);
	}
	assert_int_equal(uname(&u), 0);
	assert_int_equal(hvd_ctx_new(&ctx, "/"), 0);
	assert_int_equal(probe_platform(ctx, &p), 0);
	assert_non_null(p.arch);
	assert_string_equal(p.arch, karch[0] ? karch : u.machine);
	assert_string_equal(p.osrelease, u.release);
	platform_facts_free(&p);
	hvd_ctx_unref(ctx);
}

#define T(t) cmocka_unit_test_setup_teardown(t, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cpuinfo_parse), cmocka_unit_test(test_dt_join),
		cmocka_unit_test(test_text_line_value),
		T(test_firecracker), T(test_hyperv_gen2), T(test_vmbus_cap), T(test_vmbus_without_devices),
		T(test_xen_dom0), T(test_xen_domu), T(test_arm64_devicetree), T(test_wsl2), T(test_s390x),
		T(test_ppc64_lpar), T(test_big_cpuinfo), T(test_hostile), cmocka_unit_test_setup_teardown(test_hostile, setup_manual, teardown), T(test_empty_root),
		cmocka_unit_test(test_live_arch),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
