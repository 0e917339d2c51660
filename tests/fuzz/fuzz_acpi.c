/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* acpi_parse_header() and acpi_fadt_hv_vendor() over one hostile table. */
#include <errno.h>
#include <string.h>

#include "probe/acpi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct acpi_table t;
	int r = acpi_parse_header(data, size, &t);
	if (r == 0) {
		/* Fixed-width fields must come back NUL-terminated. */
		if (strlen(t.signature) >= sizeof(t.signature) || strlen(t.oem_id) >= sizeof(t.oem_id) ||
		    strlen(t.oem_table_id) >= sizeof(t.oem_table_id) ||
		    strlen(t.creator_id) >= sizeof(t.creator_id))
			__builtin_trap();
	} else if (r != -EBADMSG || size >= ACPI_HEADER_LEN) {
		__builtin_trap();
	}

	char hv[ACPI_FADT_HV_LEN + 1];
	memset(hv, 'X', sizeof(hv));
	r = acpi_fadt_hv_vendor(data, size, hv);
	if (r == 1 && (size < ACPI_FADT_MIN_HV_LEN || hv[ACPI_FADT_HV_LEN] != '\0'))
		__builtin_trap();
	if (r == 0 && hv[0] != '\0')
		__builtin_trap();
	if (r != 0 && r != 1)
		__builtin_trap();
	return 0;
}
