/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * dmidecode's text output as evidence: a pure function (no I/O) from the text
 * to the same DMI facts the sysfs and raw SMBIOS probes produce. The text is
 * hostile: any bytes, any length.
 */
#ifndef HVD_DETECT_DMIDECODE_H
#define HVD_DETECT_DMIDECODE_H

#include <stddef.h>
#include <stdint.h>

#include "facts.h"

#define DMIDECODE_MAX_PREAMBLE 64u   /* lines of a report's own header skipped before dmidecode's first line */

/* Where a text is not what it should be: its line (1-based) and why. */
struct text_error {
	uint32_t line;
	char why[160];
};

/*
 * Parse LEN bytes of `dmidecode` output (2.x or 3.x; complete, or some structures
 * only) into OUT, which is overwritten. Read: types 0 (vendor, version, date, the
 * characteristics "System is a virtual machine" and "UEFI is supported"), 1, 2, 3
 * and 11. Each field remembers its line (field_line, TEXT_DMIDECODE); strings are
 * capped at SMBIOS_MAX_STRING bytes, trailing blanks stripped; "Not Specified"
 * and blank strings are absent, as sysfs shows them.
 *
 * Returns 0; -EBADMSG when the text is not dmidecode output (ERR says where and
 * why, OUT is emptied); -ENOMEM (OUT emptied).
 */
int dmidecode_parse(const char *text, size_t len, struct dmi_facts *out, struct text_error *err);

#endif
