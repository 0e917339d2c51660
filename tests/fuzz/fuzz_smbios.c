/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * smbios_parse() over a hostile entry point and table. Input: one byte N, then
 * N bytes of entry point (smbios_entry_point), the rest is the table (DMI).
 */
#include <errno.h>
#include <string.h>

#include "facts.h"
#include "probe/smbios.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	size_t ep_len = data[0];
	data++, size--;
	if (ep_len > size)
		ep_len = size;

	struct dmi_facts d;
	memset(&d, 0, sizeof(d));
	int r = smbios_parse(data, ep_len, data + ep_len, size - ep_len, &d);
	if (r < 0 && r != -ENOMEM)
		__builtin_trap();
	if (r == 1 && !d.smbios)
		__builtin_trap();
	for (size_t i = 0; i < d.n_oem_strings; i++)
		if (!d.oem_strings[i] || strlen(d.oem_strings[i]) > SMBIOS_MAX_STRING)
			__builtin_trap();
	for (size_t i = 0; i < DMI_FIELD_COUNT; i++)
		if (d.field[i] && strlen(d.field[i]) > SMBIOS_MAX_STRING)
			__builtin_trap();
	dmi_facts_free(&d);
	return 0;
}
