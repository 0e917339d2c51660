/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* STUB — to be written: CPUID source (live/dump) and the CPUID probe. */
#include <string.h>
#include "../cpuid.h"
#include "../facts.h"
#include "../internal.h"

bool cpuid_available(const struct hvd_ctx *ctx) { (void)ctx; return false; }
bool cpuid_is_dump(const struct hvd_ctx *ctx) { (void)ctx; return false; }
int cpuid_query(struct hvd_ctx *ctx, uint32_t leaf, uint32_t subleaf, uint32_t regs[4])
{ (void)ctx; (void)leaf; (void)subleaf; (void)regs; return -ENOENT; }
int probe_cpuid(struct hvd_ctx *ctx, struct cpuid_facts *out) { (void)ctx; memset(out, 0, sizeof(*out)); return 0; }
