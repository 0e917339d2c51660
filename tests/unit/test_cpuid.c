/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The CPUID source and probe: facts from each dump, edge cases of the leaves, the live path, capture and replay. */
#include "testutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "cpuid.h"
#include "facts.h"
#include "internal.h"
#include "sysroot_fx.h"

#define DATA HVD_TEST_SRCDIR "/../data/cpuid/"
#define HV_INTERFACE_HV1 0x31237648u

static void probe_file(struct sysroot_fx *fx, const char *path, struct cpuid_facts *f)
{
	assert_int_equal(hvd_ctx_set_cpuid_dump(fx->ctx, path), 0);
	assert_int_equal(probe_cpuid(fx->ctx, f), 0);
	assert_true(f->available);
	assert_true(f->from_dump);
}

/* Probe a dump given as text (written beside the sysroot's files, loaded as a host path). */
static void probe_text(struct sysroot_fx *fx, const char *text, struct cpuid_facts *f)
{
	_cleanup_free_ char *path = tu_path(fx->root, "dump.txt");
	tu_write_str(fx->root, "dump.txt", text);
	probe_file(fx, path, f);
}

static void assert_range(const struct cpuid_facts *f, size_t i, uint32_t base, uint32_t max_leaf, const char *sig)
{
	char expect[12] = { 0 };

	assert_true(i < f->n_ranges);
	memcpy(expect, sig, strlen(sig));
	assert_int_equal(f->ranges[i].base, base);
	assert_int_equal(f->ranges[i].max_leaf, max_leaf);
	assert_memory_equal(f->ranges[i].signature, expect, 12);
}

static void assert_no_hv_leaves(const struct cpuid_facts *f)
{
	assert_false(f->hv_leaves);
	assert_int_equal(f->hv_interface, 0);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(f->hv_features[i], 0);
		assert_int_equal(f->hv_isolation[i], 0);
	}
}

/* ---- facts from each dump ---- */

static void test_firecracker(void **state)
{
	struct cpuid_facts f;

	probe_file(*state, DATA "firecracker-amd.txt", &f);
	assert_string_equal(f.vendor, "AuthenticAMD");
	assert_int_equal(f.max_basic, 0xd);
	assert_int_equal(f.max_ext, 0x80000021);
	assert_true(f.hypervisor_bit);
	/* 0x40000100 answers EAX = 0: not a range. */
	assert_int_equal(f.n_ranges, 1);
	assert_range(&f, 0, 0x40000000, 0x40000001, "KVMKVMKVM");
	assert_no_hv_leaves(&f);
	assert_true(f.has_sev_leaf);
	assert_int_equal(f.sev_eax, 0);
	assert_false(f.tdx);
}

static void test_firecracker_all_cpus(void **state)
{
	struct sysroot_fx *fx = *state;
	struct cpuid_facts one, all;

	probe_file(fx, DATA "firecracker-amd.txt", &one);
	probe_file(fx, DATA "firecracker-amd-allcpus.txt", &all);
	assert_memory_equal(&one, &all, sizeof(one));
}

static void test_vmware(void **state)
{
	struct cpuid_facts f;

	probe_file(*state, DATA "vmware.txt", &f);
	assert_string_equal(f.vendor, "GenuineIntel");
	assert_int_equal(f.max_basic, 0x16);
	assert_int_equal(f.max_ext, 0x80000008);
	assert_true(f.hypervisor_bit);
	assert_int_equal(f.n_ranges, 1);
	assert_range(&f, 0, 0x40000000, 0x40000010, "VMwareVMware");
	assert_no_hv_leaves(&f);
	assert_false(f.has_sev_leaf);   /* max_ext 0x80000008 */
	assert_false(f.tdx);
}

static void test_hyperv(void **state)
{
	struct cpuid_facts f;

	probe_file(*state, DATA "hyperv.txt", &f);
	assert_string_equal(f.vendor, "GenuineIntel");
	assert_true(f.hypervisor_bit);
	/* 0x40000100 is all zeros: not a range. */
	assert_int_equal(f.n_ranges, 1);
	assert_range(&f, 0, 0x40000000, 0x4000000b, "Microsoft Hv");
	assert_true(f.hv_leaves);
	assert_int_equal(f.hv_max_leaf, 0x4000000b);
	assert_int_equal(f.hv_interface, HV_INTERFACE_HV1);
	assert_int_equal(f.hv_features[0], 0x00002e7f);
	assert_int_equal(f.hv_features[1], 0x003b8030);
	assert_int_equal(f.hv_features[2], 0x00000002);
	assert_int_equal(f.hv_features[3], 0x0ed7b7b2);
	/* The dump holds a 0x4000000c line, but it lies beyond the range's max leaf. */
	for (int i = 0; i < 4; i++)
		assert_int_equal(f.hv_isolation[i], 0);
	assert_false(f.has_sev_leaf);
	assert_false(f.tdx);
}

static void test_hyperv_root(void **state)
{
	struct cpuid_facts f;

	probe_file(*state, DATA "hyperv-root.txt", &f);
	assert_range(&f, 0, 0x40000000, 0x4000000b, "Microsoft Hv");
	assert_true(f.hv_leaves);
	assert_int_equal(f.hv_interface, HV_INTERFACE_HV1);
	assert_int_equal(f.hv_features[1] & 1, 1);             /* CreatePartitions */
	assert_int_equal(f.hv_features[1] >> 12 & 1, 1);       /* CpuManagement */
}

static void test_azure_cvm_snp(void **state)
{
	struct cpuid_facts f;

	probe_file(*state, DATA "azure-cvm-snp.txt", &f);
	assert_string_equal(f.vendor, "AuthenticAMD");
	assert_range(&f, 0, 0x40000000, 0x4000000c, "Microsoft Hv");
	assert_true(f.hv_leaves);
	assert_int_equal(f.hv_features[1] >> 22 & 1, 1);       /* isolated */
	assert_int_equal(f.hv_isolation[1] & 0xf, 2);          /* SEV-SNP */
	assert_true(f.has_sev_leaf);
	assert_int_equal(f.sev_eax, 0x0001001b);
}

static void test_sev_snp(void **state)
{
	struct cpuid_facts f;

	probe_file(*state, DATA "sev-snp.txt", &f);
	assert_string_equal(f.vendor, "AuthenticAMD");
	assert_int_equal(f.max_ext, 0x80000021);
	assert_int_equal(f.n_ranges, 1);
	assert_range(&f, 0, 0x40000000, 0x40000001, "KVMKVMKVM");
	assert_true(f.has_sev_leaf);
	assert_int_equal(f.sev_eax & 0x1a, 0x1a);              /* SEV, SEV-ES, SEV-SNP */
	assert_false(f.tdx);
	assert_no_hv_leaves(&f);
}

static void test_tdx(void **state)
{
	struct cpuid_facts f;

	probe_file(*state, DATA "tdx.txt", &f);
	assert_string_equal(f.vendor, "GenuineIntel");
	assert_int_equal(f.max_basic, 0x23);
	assert_true(f.tdx);
	assert_false(f.has_sev_leaf);
	assert_range(&f, 0, 0x40000000, 0x40000001, "KVMKVMKVM");
}

static void test_kvm_hyperv(void **state)
{
	struct cpuid_facts f;

	probe_file(*state, DATA "kvm-hyperv.txt", &f);
	assert_int_equal(f.n_ranges, 2);
	assert_range(&f, 0, 0x40000000, 0x4000000a, "Microsoft Hv");
	assert_range(&f, 1, 0x40000100, 0x40000101, "KVMKVMKVM");
	assert_true(f.hv_leaves);
	assert_int_equal(f.hv_interface, HV_INTERFACE_HV1);
	assert_int_equal(f.hv_features[0], 0x00000e7f);
}

static void test_xen_viridian(void **state)
{
	struct cpuid_facts f;

	probe_file(*state, DATA "xen-viridian.txt", &f);
	assert_int_equal(f.n_ranges, 2);
	assert_range(&f, 0, 0x40000000, 0x40000006, "Microsoft Hv");
	assert_range(&f, 1, 0x40000100, 0x40000105, "XenVMMXenVMM");
	assert_true(f.hv_leaves);
	assert_int_equal(f.hv_max_leaf, 0x40000006);
	assert_int_equal(f.hv_features[0], 0x6e);
}

static void test_tcg(void **state)
{
	struct cpuid_facts f;

	probe_file(*state, DATA "tcg.txt", &f);
	assert_string_equal(f.vendor, "AuthenticAMD");
	assert_true(f.hypervisor_bit);
	assert_int_equal(f.n_ranges, 1);
	assert_range(&f, 0, 0x40000000, 0x40000001, "TCGTCGTCGTCG");
	assert_false(f.has_sev_leaf);   /* max_ext 0x8000000a */
}

static void test_virtualbox(void **state)
{
	struct cpuid_facts f;

	probe_file(*state, DATA "virtualbox.txt", &f);
	assert_int_equal(f.n_ranges, 1);
	assert_range(&f, 0, 0x40000000, 0x40000010, "VBoxVBoxVBox");
	assert_no_hv_leaves(&f);
}

static void test_intel_baremetal(void **state)
{
	struct cpuid_facts f;

	probe_file(*state, DATA "intel-baremetal.txt", &f);
	assert_string_equal(f.vendor, "GenuineIntel");
	assert_false(f.hypervisor_bit);
	assert_int_equal(f.n_ranges, 0);   /* the 0x4000xxxx garbage repeats leaf 0x16 */
	assert_no_hv_leaves(&f);
	assert_false(f.tdx);
	assert_false(f.has_sev_leaf);
}

/* ---- edge cases of the leaves ---- */

#define INTEL0(max) "   0x00000000 0x00: eax=" max " ebx=0x756e6547 ecx=0x6c65746e edx=0x49656e69\n"
#define LEAF1_HV    "   0x00000001 0x00: eax=0x000906ea ebx=0x0 ecx=0x80000000 edx=0x0\n"
#define LEAF1_NOHV  "   0x00000001 0x00: eax=0x000906ea ebx=0x0 ecx=0x7fffffff edx=0x0\n"
#define KVM_EAX0    "   0x40000000 0x00: eax=0x00000000 ebx=0x4b4d564b ecx=0x564b4d56 edx=0x0000004d\n"

static void test_old_kvm_eax_zero(void **state)
{
	struct sysroot_fx *fx = *state;
	struct cpuid_facts f;

	/* Old KVM answered EAX = 0 at 0x40000000: under the hypervisor bit the signature still counts. */
	probe_text(fx, INTEL0("0x0d") LEAF1_HV KVM_EAX0, &f);
	assert_int_equal(f.n_ranges, 1);
	assert_range(&f, 0, 0x40000000, 0, "KVMKVMKVM");

	/* Without the bit it is garbage. */
	probe_text(fx, INTEL0("0x0d") LEAF1_NOHV KVM_EAX0, &f);
	assert_int_equal(f.n_ranges, 0);

	/* Only the first range gets that benefit. */
	probe_text(fx, INTEL0("0x0d") LEAF1_HV
	           "   0x40000000 0x00: eax=0x40000001 ebx=0x4b4d564b ecx=0x564b4d56 edx=0x0000004d\n"
	           "   0x40000100 0x00: eax=0x00000000 ebx=0x7263694d ecx=0x666f736f edx=0x76482074\n", &f);
	assert_int_equal(f.n_ranges, 1);
}

static void test_hyperv_short_range(void **state)
{
	struct sysroot_fx *fx = *state;
	struct cpuid_facts f;

	/* Microsoft Hv with max leaf base+1: base+3 is in the dump but must not be read. */
	probe_text(fx, INTEL0("0x0d") LEAF1_HV
	           "   0x40000000 0x00: eax=0x40000001 ebx=0x7263694d ecx=0x666f736f edx=0x76482074\n"
	           "   0x40000001 0x00: eax=0x31237648 ebx=0x0 ecx=0x0 edx=0x0\n"
	           "   0x40000003 0x00: eax=0xffffffff ebx=0xffffffff ecx=0x0 edx=0x0\n", &f);
	assert_true(f.hv_leaves);
	assert_int_equal(f.hv_max_leaf, 0x40000001);
	assert_int_equal(f.hv_interface, HV_INTERFACE_HV1);
	assert_int_equal(f.hv_features[0], 0);
	assert_int_equal(f.hv_features[1], 0);

	/* The Hyper-V leaves come from the range so signed, here the second one. */
	probe_text(fx, INTEL0("0x0d") LEAF1_HV
	           "   0x40000000 0x00: eax=0x40000001 ebx=0x4b4d564b ecx=0x564b4d56 edx=0x0000004d\n"
	           "   0x40000001 0x00: eax=0x01007afb ebx=0x0 ecx=0x0 edx=0x0\n"
	           "   0x40000200 0x00: eax=0x40000205 ebx=0x7263694d ecx=0x666f736f edx=0x76482074\n"
	           "   0x40000201 0x00: eax=0x31237648 ebx=0x0 ecx=0x0 edx=0x0\n"
	           "   0x40000203 0x00: eax=0x00000e7f ebx=0x1 ecx=0x0 edx=0x0\n", &f);
	assert_int_equal(f.n_ranges, 2);
	assert_range(&f, 1, 0x40000200, 0x40000205, "Microsoft Hv");
	assert_int_equal(f.hv_interface, HV_INTERFACE_HV1);
	assert_int_equal(f.hv_features[0], 0xe7f);
	assert_int_equal(f.hv_features[1], 1);
}

static void test_leaves_beyond_max(void **state)
{
	struct sysroot_fx *fx = *state;
	struct cpuid_facts f;

	/* TDX and SEV leaves present in the dump but beyond the reported maxima; leaf 1 beyond max 0. */
	probe_text(fx, INTEL0("0x00")
	           "   0x00000001 0x00: eax=0x0 ebx=0x0 ecx=0x80000000 edx=0x0\n"
	           "   0x00000021 0x00: eax=0x00000000 ebx=0x65746e49 ecx=0x20202020 edx=0x5844546c\n"
	           "   0x80000000 0x00: eax=0x80000008 ebx=0x0 ecx=0x0 edx=0x0\n"
	           "   0x8000001f 0x00: eax=0x0000001b ebx=0x0 ecx=0x0 edx=0x0\n", &f);
	assert_int_equal(f.max_basic, 0);
	assert_false(f.hypervisor_bit);
	assert_false(f.tdx);
	assert_false(f.has_sev_leaf);

	/* A 0x80000000 EAX outside the extended range is no maximum. */
	probe_text(fx, INTEL0("0x21")
	           "   0x00000021 0x00: eax=0x00000000 ebx=0x65746e49 ecx=0x5844546c edx=0x20202020\n"
	           "   0x80000000 0x00: eax=0x00000021 ebx=0x0 ecx=0x0 edx=0x0\n", &f);
	assert_int_equal(f.max_ext, 0);
	assert_false(f.tdx);   /* ECX/EDX swapped: not the TDX signature */

	/* No leaf 0 at all: nothing is known, nothing is read but the ranges. */
	probe_text(fx, "   0x00000001 0x00: eax=0x0 ebx=0x0 ecx=0x80000000 edx=0x0\n"
	           "   0x40000000 0x00: eax=0x40000010 ebx=0x61774d56 ecx=0x4d566572 edx=0x65726177\n", &f);
	assert_string_equal(f.vendor, "");
	assert_int_equal(f.max_basic, 0);
	assert_false(f.hypervisor_bit);
	assert_range(&f, 0, 0x40000000, 0x40000010, "VMwareVMware");
}

static void test_many_ranges(void **state)
{
	struct sysroot_fx *fx = *state;
	struct strbuf sb = { 0 };
	struct cpuid_facts f;
	_cleanup_free_ char *text = NULL;

	/* A range in every one of the 256 slots, the last one at 0x4000ff00: only the first 16 kept. */
	strbuf_puts(&sb, "CPU:\n" INTEL0("0x0d") LEAF1_HV);
	for (uint32_t k = 0; k < 256; k++) {
		uint32_t base = 0x40000000 + k * 0x100;
		const uint32_t regs[4] = { base + 0xff, 0x41414141, 0x42424242, k };
		cpuid_format_line(&sb, base, 0, regs);
	}
	text = strbuf_steal(&sb);
	probe_text(fx, text, &f);
	assert_int_equal(f.n_ranges, CPUID_MAX_RANGES);
	for (size_t i = 0; i < f.n_ranges; i++)
		assert_int_equal(f.ranges[i].base, 0x40000000 + i * 0x100);

	/* A lone range at the top slot is found; one past it (0x40010000) is not a hypervisor range. */
	probe_text(fx, INTEL0("0x0d") LEAF1_HV
	           "   0x4000ff00 0x00: eax=0x4000ff01 ebx=0x4b4d564b ecx=0x564b4d56 edx=0x0000004d\n"
	           "   0x40010000 0x00: eax=0x40010001 ebx=0x4b4d564b ecx=0x564b4d56 edx=0x0000004d\n", &f);
	assert_int_equal(f.n_ranges, 1);
	assert_range(&f, 0, 0x4000ff00, 0x4000ff01, "KVMKVMKVM");

	/* A range whose max leaf runs into the next range's is not plausible. */
	probe_text(fx, INTEL0("0x0d") LEAF1_HV
	           "   0x40000100 0x00: eax=0x40000200 ebx=0x4b4d564b ecx=0x564b4d56 edx=0x0000004d\n", &f);
	assert_int_equal(f.n_ranges, 0);
}

/* ---- no CPUID source ---- */

static void test_no_source(void **state)
{
	struct sysroot_fx *fx = *state;
	struct cpuid_facts f;
	uint32_t regs[4];

	/* A sysroot other than "/" without a dump: no CPUID, never the live CPU's. */
	assert_false(cpuid_available(fx->ctx));
	assert_int_equal(cpuid_query(fx->ctx, 0, 0, regs), -ENOENT);
	assert_int_equal(probe_cpuid(fx->ctx, &f), 0);
	assert_false(f.available);
	assert_int_equal(f.n_ranges, 0);
	assert_string_equal(f.vendor, "");
}

static void test_no_live_flag(void **state)
{
	(void)state;
	struct hvd_ctx *ctx = NULL;
	struct cpuid_facts f;
	uint32_t regs[4];

	assert_int_equal(hvd_ctx_new(&ctx, "/"), 0);
	assert_int_equal(hvd_ctx_set_flags(ctx, HVD_CTX_NO_LIVE_CPUID), 0);
	assert_false(cpuid_available(ctx));
	assert_int_equal(cpuid_query(ctx, 0, 0, regs), -ENOENT);
	assert_int_equal(probe_cpuid(ctx, &f), 0);
	assert_false(f.available);

	/* A dump still works with the flag: the flag only forbids the instruction. */
	assert_int_equal(hvd_ctx_set_cpuid_dump(ctx, DATA "vmware.txt"), 0);
	assert_int_equal(probe_cpuid(ctx, &f), 0);
	assert_true(f.available);
	assert_range(&f, 0, 0x40000000, 0x40000010, "VMwareVMware");
	hvd_ctx_unref(ctx);
}

/* ---- the live path ---- */

#if defined(__x86_64__) || defined(__i386__)
/* "vendor_id" and whether "flags" has "hypervisor", from /proc/cpuinfo (x86 only: used by the live test there). */
static bool read_cpuinfo(char vendor[13], bool *hv)
{
	FILE *fp = fopen("/proc/cpuinfo", "re");
	char line[8192];
	bool have_vendor = false, have_flags = false;

	if (!fp)
		return false;
	*hv = false;
	while (fgets(line, sizeof(line), fp) && !(have_vendor && have_flags)) {
		if (!have_vendor && sscanf(line, "vendor_id : %12s", vendor) == 1)
			have_vendor = true;
		else if (!have_flags && strncmp(line, "flags", 5) == 0) {
			have_flags = true;
			*hv = strstr(line, " hypervisor") != NULL;
		}
	}
	fclose(fp);
	return have_vendor && have_flags;
}
#endif

static void compare_facts(const struct cpuid_facts *a, const struct cpuid_facts *b)
{
	assert_string_equal(a->vendor, b->vendor);
	assert_int_equal(a->max_basic, b->max_basic);
	assert_int_equal(a->max_ext, b->max_ext);
	assert_int_equal(a->hypervisor_bit, b->hypervisor_bit);
	assert_int_equal(a->n_ranges, b->n_ranges);
	assert_memory_equal(a->ranges, b->ranges, sizeof(a->ranges));
	assert_int_equal(a->hv_leaves, b->hv_leaves);
	assert_int_equal(a->hv_interface, b->hv_interface);
	assert_int_equal(a->hv_max_leaf, b->hv_max_leaf);
	assert_memory_equal(a->hv_features, b->hv_features, sizeof(a->hv_features));
	assert_memory_equal(a->hv_isolation, b->hv_isolation, sizeof(a->hv_isolation));
	assert_int_equal(a->has_sev_leaf, b->has_sev_leaf);
	assert_int_equal(a->sev_eax, b->sev_eax);
	assert_int_equal(a->tdx, b->tdx);
}

static void test_live(void **state)
{
	struct sysroot_fx *fx = *state;
	struct hvd_ctx *ctx = NULL;
	struct cpuid_facts f, dumped;
	char vendor[13] = "";
	bool hv = false;

	assert_int_equal(hvd_ctx_new(&ctx, "/"), 0);
#if defined(__x86_64__) || defined(__i386__)
	assert_true(cpuid_available(ctx));
	assert_false(cpuid_is_dump(ctx));
	assert_int_equal(probe_cpuid(ctx, &f), 0);
	assert_true(f.available);
	assert_false(f.from_dump);
	assert_true(f.max_basic >= 1);
	if (!read_cpuinfo(vendor, &hv)) {
		hvd_ctx_unref(ctx);
		skip();
	}
	/* The kernel read the same instruction. */
	assert_string_equal(f.vendor, vendor);
	assert_int_equal(f.hypervisor_bit, hv);
	print_message("live: %s, hypervisor bit %d, %zu range(s)%s%.12s\n", f.vendor, f.hypervisor_bit,
	              f.n_ranges, f.n_ranges ? ", first signed " : "", f.n_ranges ? f.ranges[0].signature : "");
	if (!f.hypervisor_bit) {
		assert_int_equal(f.n_ranges, 0);
	} else {
		assert_true(f.n_ranges >= 1);
		assert_int_equal(f.ranges[0].base, 0x40000000);
	}

	/* The `cpuid` tool, when installed, must see the same facts through a dump. */
	_cleanup_free_ char *path = tu_path(fx->root, "live.txt");
	_cleanup_free_ char *cmd = strdup_printf("cpuid -1 -r > '%s' 2>/dev/null", path);
	if (system("command -v cpuid >/dev/null 2>&1") == 0 && system(cmd) == 0) {
		probe_file(fx, path, &dumped);
		compare_facts(&f, &dumped);
	} else {
		print_message("cpuid(1) not installed: live facts not compared with its dump\n");
	}
#else
	assert_false(cpuid_available(ctx));
	assert_int_equal(probe_cpuid(ctx, &f), 0);
	assert_false(f.available);
	(void)fx; (void)dumped; (void)vendor; (void)hv;
#endif
	hvd_ctx_unref(ctx);
}

/* ---- capture and replay ---- */

static size_t count_lines_with(const char *path, const char *prefix)
{
	FILE *fp = fopen(path, "re");
	char line[256];
	size_t n = 0;

	assert_non_null(fp);
	while (fgets(line, sizeof(line), fp))
		if (strncmp(line, prefix, strlen(prefix)) == 0)
			n++;
	fclose(fp);
	return n;
}

/* Capture CTX into a fresh directory, and probe the capture in a new context. */
static void capture_and_replay(struct hvd_ctx *ctx, const char *dir, struct cpuid_facts *replayed)
{
	struct hvd_ctx *rctx = NULL;
	int r = hvd_capture(ctx, dir);

	if (r < 0)
		print_error("capture: %s\n", hvd_ctx_get_error(ctx));
	assert_int_equal(r, 0);
	assert_int_equal(hvd_ctx_new(&rctx, dir), 0);
	assert_true(cpuid_is_dump(rctx));
	assert_int_equal(probe_cpuid(rctx, replayed), 0);
	assert_true(replayed->from_dump);
	hvd_ctx_unref(rctx);
}

static void test_capture_replay_dump(void **state)
{
	struct sysroot_fx *fx = *state;
	_cleanup_free_ char *out = tu_path(fx->root, "capture");
	_cleanup_free_ char *txt = tu_path(out, "cpuid.txt");
	struct cpuid_facts f, replayed;

	/* Through the sysroot's tree, which holds nothing but the dump file. */
	probe_file(fx, DATA "xen-viridian.txt", &f);
	capture_and_replay(fx->ctx, out, &replayed);
	compare_facts(&f, &replayed);
	/* Only what the probe asked: 2 range bases + 2 Hyper-V leaves, not every line of the dump. */
	assert_int_equal(count_lines_with(txt, "   0x4000"), 4);
}

static void test_capture_replay_live(void **state)
{
	struct sysroot_fx *fx = *state;
	_cleanup_free_ char *out = tu_path(fx->root, "capture");
	_cleanup_free_ char *txt = tu_path(out, "cpuid.txt");
	struct hvd_ctx *ctx = NULL;
	struct cpuid_facts f, replayed;

#if !defined(__x86_64__) && !defined(__i386__)
	skip();
#endif
	assert_int_equal(hvd_ctx_new(&ctx, "/"), 0);
	assert_int_equal(probe_cpuid(ctx, &f), 0);
	capture_and_replay(ctx, out, &replayed);
	compare_facts(&f, &replayed);
	/*
	 * Live, each hypervisor leaf is a VM exit: the probe reads each range's base,
	 * one more to find the end, and the Hyper-V leaves; never the 256 slots.
	 */
	size_t hv_reads = f.n_ranges + (f.n_ranges < CPUID_MAX_RANGES) + (f.hv_leaves ? 3 : 0);
	size_t n = count_lines_with(txt, "   0x4000");
	print_message("live capture: %zu hypervisor leaves read for %zu range(s)\n", n, f.n_ranges);
	assert_true(n <= (f.hypervisor_bit ? hv_reads : 0));
	hvd_ctx_unref(ctx);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, sysroot_fx_setup_open, sysroot_fx_teardown)
	const struct CMUnitTest tests[] = {
		T(test_firecracker),
		T(test_firecracker_all_cpus),
		T(test_vmware),
		T(test_hyperv),
		T(test_hyperv_root),
		T(test_azure_cvm_snp),
		T(test_sev_snp),
		T(test_tdx),
		T(test_kvm_hyperv),
		T(test_xen_viridian),
		T(test_tcg),
		T(test_virtualbox),
		T(test_intel_baremetal),
		T(test_old_kvm_eax_zero),
		T(test_hyperv_short_range),
		T(test_leaves_beyond_max),
		T(test_many_ranges),
		T(test_no_source),
		T(test_no_live_flag),
		T(test_live),
		T(test_capture_replay_dump),
		T(test_capture_replay_live),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
