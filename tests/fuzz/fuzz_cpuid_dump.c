/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cpuid_dump_parse() over hostile text, then every lookup the probes make on the result. */
#include <string.h>

#include "cpuid.h"
#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cpuid_dump *dump = NULL;
	size_t line = 0;
	const char *msg = NULL;

	int r = cpuid_dump_parse((const char *)data, size, &dump, &line, &msg);
	if (r == -EBADMSG) {
		if (dump || !msg || line == 0)
			__builtin_trap();
		return 0;
	}
	if (r < 0) {
		if (r != -ENOMEM || dump)
			__builtin_trap();
		return 0;
	}
	if (r != 0 || !dump)
		__builtin_trap();
	size_t n = cpuid_dump_count(dump);
	if (n == 0 || n > CPUID_DUMP_MAX_LEAVES)
		__builtin_trap();

	static const uint32_t leaves[] = { 0, 1, 0x21, 0x40000000, 0x40000001, 0x40000003,
	                                   0x4000000C, 0x40000100, 0x80000000, 0x8000001F, 0xFFFFFFFF };
	uint32_t regs[4];
	for (size_t i = 0; i < sizeof(leaves) / sizeof(leaves[0]); i++) {
		(void)cpuid_dump_lookup(dump, leaves[i], 0, regs);
		uint32_t found;
		if (cpuid_dump_next_leaf(dump, leaves[i], &found) == 0 && found < leaves[i])
			__builtin_trap();
	}
	/* Walk every leaf the dump holds, as the range scan does. */
	uint32_t leaf = 0, found;
	size_t steps = 0;
	while (cpuid_dump_next_leaf(dump, leaf, &found) == 0) {
		if (cpuid_dump_lookup(dump, found, 0, regs) < 0 && cpuid_dump_lookup(dump, found, 1, regs) < 0) {
			/* a leaf held only with other subleaves is fine */
		}
		if (++steps > n || found == UINT32_MAX)
			break;
		leaf = found + 1;
	}
	if (steps > n)
		__builtin_trap();
	cpuid_dump_free(dump);
	return 0;
}
