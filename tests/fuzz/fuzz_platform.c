/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The text parsers of lib/detect/probe/ over one hostile file: the device-tree
 * string list joiner, proc/cpuinfo, "key: value" lines (proc/sysinfo), PCI
 * modaliases and sysfs id files, and os-release (driver selection).
 */
#include <string.h>

#include "internal.h"
#include "probe/pci.h"
#include "probe/platform.h"
#include "select.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The probes hand these parsers a buffer with a NUL after LEN bytes. */
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';

	char *joined = NULL;
	if (dt_join_stringlist(text, size, &joined) == 0 && joined) {
		size_t jl = strlen(joined);
		/* Separators become single spaces: never longer than the input, never empty. */
		if (jl == 0 || jl > size)
			__builtin_trap();
	}
	free(joined);

	struct cpuinfo ci;
	memset(&ci, 0, sizeof(ci));
	if (cpuinfo_parse(text, size, &ci) == 0 && ci.vendor_id && strlen(ci.vendor_id) > size)
		__builtin_trap();
	cpuinfo_done(&ci);

	static const char *const keys[] = { "VM00 Control Program:", "vendor_id", "flags", "model name" };
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		bool oom = false;
		char *v = text_line_value(text, size, keys[i], &oom);
		if (v && (v[0] == '\0' || strlen(v) > size))
			__builtin_trap();
		free(v);
	}

	struct pci_device dev;
	memset(&dev, 0, sizeof(dev));
	if (pci_parse_modalias(text, size, &dev) == 0 && dev.slot)
		__builtin_trap();
	uint32_t id;
	if (pci_parse_id(text, 0xffff, &id) == 0 && id > 0xffff)
		__builtin_trap();
	if (pci_parse_id(text, 0xffffff, &id) == 0 && id > 0xffffff)
		__builtin_trap();

	int fam = distro_from_os_release(text);
	if (fam < -1 || fam >= DISTRO_COUNT)
		__builtin_trap();

	free(text);
	return 0;
}
