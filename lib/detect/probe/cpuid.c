/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The CPUID probe: records what the leaves say (base/cpuid_source.c answers
 * them, live or from a dump); detect/verdict.c interprets it.
 */
#include <string.h>

#include "base/cpuid.h"
#include "detect/facts.h"
#include "base/internal.h"

#define HV_BASE        0x40000000u
#define HV_LAST_BASE   0x4000ff00u
#define HV_STEP        0x100u
#define EXT_BASE       0x80000000u
#define LEAF_SEV       0x8000001fu
#define LEAF_TDX       0x21u

/* Registers hold text in little-endian byte order, whatever the host's order (a dump may be read anywhere). */
static void put_le32(char *dst, uint32_t v)
{
	dst[0] = (char)(v & 0xff);
	dst[1] = (char)(v >> 8 & 0xff);
	dst[2] = (char)(v >> 16 & 0xff);
	dst[3] = (char)(v >> 24 & 0xff);
}

static bool is_plausible_max(uint32_t base, uint32_t max_leaf)
{
	return max_leaf >= base && max_leaf - base <= 0xff;
}

/*
 * Whether the range at BASE (its base leaf answered REGS) is worth recording.
 * A range's EAX must be a leaf of that range. The one exception is the first
 * range under a set hypervisor bit: old KVM answered EAX = 0 there, and Linux
 * accepts its signature regardless, so a non-zero signature keeps it (with the
 * EAX as given).
 */
static bool is_range(const struct cpuid_facts *out, uint32_t base, const uint32_t regs[4])
{
	if (is_plausible_max(base, regs[0]))
		return true;
	return base == HV_BASE && out->hypervisor_bit && (regs[1] | regs[2] | regs[3]) != 0;
}

static void add_range(struct cpuid_facts *out, uint32_t base, const uint32_t regs[4])
{
	struct cpuid_range *rg = &out->ranges[out->n_ranges++];

	rg->base = base;
	rg->max_leaf = regs[0];
	put_le32(rg->signature, regs[1]);
	put_le32(rg->signature + 4, regs[2]);
	put_le32(rg->signature + 8, regs[3]);
}

/*
 * Live: each CPUID in a guest is a VM exit, so walk the ranges only while they
 * are valid (hypervisors stack theirs contiguously from 0x40000000).
 */
static void scan_ranges_live(struct hvd_ctx *ctx, struct cpuid_facts *out)
{
	uint32_t regs[4];

	for (uint32_t base = HV_BASE; base <= HV_LAST_BASE && out->n_ranges < CPUID_MAX_RANGES; base += HV_STEP) {
		if (cpuid_query(ctx, base, 0, regs) < 0 || !is_range(out, base, regs))
			break;
		add_range(out, base, regs);
		if (!is_plausible_max(base, regs[0]))
			break;
	}
}

/* From a dump: every range it holds (a gap means nothing when the dump was hand-made or filtered). */
static void scan_ranges_dump(struct hvd_ctx *ctx, struct cpuid_facts *out)
{
	uint32_t regs[4], found;

	for (uint32_t base = HV_BASE; base <= HV_LAST_BASE && out->n_ranges < CPUID_MAX_RANGES; base += HV_STEP) {
		/* Jump over the empty stretch instead of 256 lookups. */
		if (cpuid_dump_next_leaf(ctx->cpuid_dump, base, &found) < 0 || found > HV_LAST_BASE + 0xff)
			break;
		base = found & ~(HV_STEP - 1);
		if (cpuid_query(ctx, base, 0, regs) == 0 && is_range(out, base, regs))
			add_range(out, base, regs);
	}
}

static void read_hyperv_leaves(struct hvd_ctx *ctx, struct cpuid_facts *out)
{
	const struct cpuid_range *hv = NULL;
	uint32_t regs[4];

	for (size_t i = 0; i < out->n_ranges && !hv; i++)
		if (memcmp(out->ranges[i].signature, "Microsoft Hv", 12) == 0)
			hv = &out->ranges[i];
	if (!hv)
		return;
	out->hv_leaves = true;
	out->hv_max_leaf = hv->max_leaf;
	/* Compared as offsets: a first range kept with EAX = 0 has no leaves beyond its base. */
	if (hv->max_leaf >= hv->base && hv->max_leaf - hv->base >= 1 &&
	    cpuid_query(ctx, hv->base + 1, 0, regs) == 0) {
		out->hv_interface_known = true;
		out->hv_interface = regs[0];
	}
	if (hv->max_leaf >= hv->base && hv->max_leaf - hv->base >= 3 &&
	    cpuid_query(ctx, hv->base + 3, 0, regs) == 0)
		memcpy(out->hv_features, regs, sizeof(regs));
	if (hv->max_leaf >= hv->base && hv->max_leaf - hv->base >= 0xc &&
	    cpuid_query(ctx, hv->base + 0xc, 0, regs) == 0)
		memcpy(out->hv_isolation, regs, sizeof(regs));
}

int probe_cpuid(struct hvd_ctx *ctx, struct cpuid_facts *out)
{
	uint32_t regs[4];

	memset(out, 0, sizeof(*out));
	if (!cpuid_available(ctx)) {
		dbg(ctx, "no CPUID source");
		return 0;
	}
	out->available = true;
	out->from_dump = cpuid_is_dump(ctx);

	if (cpuid_query(ctx, 0, 0, regs) == 0) {
		out->max_basic = regs[0];
		put_le32(out->vendor, regs[1]);
		put_le32(out->vendor + 4, regs[3]);
		put_le32(out->vendor + 8, regs[2]);
		out->vendor[12] = '\0';
	}
	if (cpuid_query(ctx, EXT_BASE, 0, regs) == 0 && (regs[0] & 0xffff0000u) == EXT_BASE)
		out->max_ext = regs[0];
	if (out->max_basic >= 1 && cpuid_query(ctx, 1, 0, regs) == 0)
		out->hypervisor_bit = regs[2] >> 31 & 1;

	if (out->from_dump)
		scan_ranges_dump(ctx, out);
	else if (out->hypervisor_bit)
		scan_ranges_live(ctx, out);
	read_hyperv_leaves(ctx, out);

	if (out->max_ext >= LEAF_SEV && cpuid_query(ctx, LEAF_SEV, 0, regs) == 0) {
		out->has_sev_leaf = true;
		out->sev_eax = regs[0];
	}
	if (out->max_basic >= LEAF_TDX && cpuid_query(ctx, LEAF_TDX, 0, regs) == 0) {
		char sig[12];

		put_le32(sig, regs[1]);
		put_le32(sig + 4, regs[3]);
		put_le32(sig + 8, regs[2]);
		out->tdx = memcmp(sig, "IntelTDX    ", 12) == 0;
	}
	dbg(ctx, "CPUID (%s): vendor %s, max 0x%x/0x%x, hypervisor bit %d, %zu hypervisor range(s)",
	    out->from_dump ? "dump" : "live", out->vendor, out->max_basic, out->max_ext,
	    out->hypervisor_bit, out->n_ranges);
	return 0;
}
