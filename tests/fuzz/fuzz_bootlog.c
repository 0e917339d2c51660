/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bootlog_parse() over a hostile log, then the verdict on what it found.
 * Input: the log itself.
 */
#include <errno.h>
#include <string.h>

#include "bootlog.h"
#include "facts.h"
#include "probe/smbios.h"
#include "verdict.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct facts f;
	struct hvd_verdict *v = NULL;

	int r = bootlog_parse((const char *)data, size, &f);
	if (r < 0 && r != -ENOMEM)
		__builtin_trap();
	if (r < 0)
		return 0;
	for (size_t i = 0; i < DMI_FIELD_COUNT; i++)
		if (f.dmi.field[i] && (strlen(f.dmi.field[i]) > SMBIOS_MAX_STRING || f.dmi.field_line[i].text != TEXT_LOG))
			__builtin_trap();
	if (f.acpi.n_tables > BOOTLOG_MAX_TABLES || (f.plat.clocksources && strlen(f.plat.clocksources) > 65 * BOOTLOG_MAX_CLOCKS))
		__builtin_trap();
	for (size_t i = 0; i < f.acpi.n_tables; i++)
		if (strlen(f.acpi.tables[i].oem_id) > 6 || strlen(f.acpi.tables[i].oem_table_id) > 8 ||
		    strlen(f.acpi.tables[i].creator_id) > 4 || !f.acpi.tables[i].at.line)
			__builtin_trap();
	if (verdict_decide(&v, &f) == 0) {
		char *json = NULL;
		if (hvd_verdict_to_json(v, &json) == 0)
			free(json);
		hvd_verdict_unref(v);
	}
	facts_free(&f);
	return 0;
}
