/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The CPUID source: the live instruction on x86 when the context is the
 * running system, else the replayed dump (base/cpuid_dump.c). Like the
 * sysroot, it tells the read hook what it answered, so a capture records it.
 */
#include "cpuid.h"
#include "internal.h"

#if defined(__x86_64__) || defined(__i386__)
#define HAVE_CPUID_INSN 1
/*
 * Inline rather than <cpuid.h>'s __cpuid_count: the library's own base/cpuid.h
 * would shadow the compiler's <cpuid.h> on the include path.
 */
static void cpuid_insn(uint32_t leaf, uint32_t subleaf, uint32_t regs[4])
{
	__asm__ __volatile__("cpuid"
	                     : "=a"(regs[0]), "=b"(regs[1]), "=c"(regs[2]), "=d"(regs[3])
	                     : "0"(leaf), "2"(subleaf));
}
#else
#define HAVE_CPUID_INSN 0
#endif

static bool live_cpuid(const struct hvd_ctx *ctx)
{
	return HAVE_CPUID_INSN && ctx->live && !(ctx->flags & HVD_CTX_NO_LIVE_CPUID);
}

bool cpuid_is_dump(const struct hvd_ctx *ctx)
{
	return ctx && ctx->cpuid_dump;
}

bool cpuid_available(const struct hvd_ctx *ctx)
{
	return ctx && (ctx->cpuid_dump || live_cpuid(ctx));
}

int cpuid_query(struct hvd_ctx *ctx, uint32_t leaf, uint32_t subleaf, uint32_t regs[4])
{
	int r = -ENOENT;

	if (!ctx)
		return -EINVAL;
	if (ctx->cpuid_dump)
		r = cpuid_dump_lookup(ctx->cpuid_dump, leaf, subleaf, regs);
#if HAVE_CPUID_INSN
	else if (live_cpuid(ctx)) {
		cpuid_insn(leaf, subleaf, regs);
		r = 0;
	}
#endif
	if (r == 0 && ctx->hook)
		ctx->hook->cpuid(ctx->hook->data, leaf, subleaf, regs);
	return r;
}
