/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * dmidecode_parse() over hostile text, then the verdict on what it found.
 * Input: the text itself.
 */
#include <errno.h>
#include <string.h>

#include "dmidecode.h"
#include "facts.h"
#include "probe/smbios.h"
#include "verdict.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct facts f;
	struct text_error e;
	struct hvd_verdict *v = NULL;

	memset(&f, 0, sizeof(f));
	int r = dmidecode_parse((const char *)data, size, &f.dmi, &e);
	if (r < 0 && r != -ENOMEM && r != -EBADMSG)
		__builtin_trap();
	if (r == -EBADMSG && (e.line == 0 || !memchr(e.why, '\0', sizeof(e.why)) || f.dmi.present))
		__builtin_trap();
	for (size_t i = 0; i < DMI_FIELD_COUNT; i++) {
		if (f.dmi.field[i] && (strlen(f.dmi.field[i]) > SMBIOS_MAX_STRING || !f.dmi.field_line[i].line))
			__builtin_trap();
	}
	for (size_t i = 0; i < f.dmi.n_oem_strings; i++)
		if (!f.dmi.oem_strings[i] || strlen(f.dmi.oem_strings[i]) > SMBIOS_MAX_STRING)
			__builtin_trap();
	if (r == 0 && verdict_decide(&v, &f) == 0)
		hvd_verdict_unref(v);
	facts_free(&f);
	return 0;
}
