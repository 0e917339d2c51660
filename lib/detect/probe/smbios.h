/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The raw SMBIOS parser: a pure function over the two files Linux exports in
 * sys/firmware/dmi/tables (smbios_entry_point and DMI). No I/O, so that it can
 * be fuzzed on its own. Both buffers are hostile.
 */
#ifndef HVD_PROBE_SMBIOS_H
#define HVD_PROBE_SMBIOS_H

#include <stddef.h>
#include <stdint.h>

#include "detect/facts.h"

#define SMBIOS_MAX_STRING      1024u   /* bytes kept of one string */
#define SMBIOS_MAX_OEM_STRINGS 64u     /* type 11 strings kept, over all type 11 structures */
#define SMBIOS_MAX_STRUCTURES  65536u  /* structures walked before giving up */

/*
 * Parse the entry point EP (EP_LEN bytes, "_SM_" or "_SM3_") and the structure
 * table TABLE (TABLE_LEN bytes) into OUT.
 *
 * OUT's raw-table part (smbios, smbios_major/minor, vm_bit, uefi_bit,
 * oem_strings, n_oem_strings, smbios_problem) must be empty, as after zeroing;
 * it is overwritten. Of the id fields, only those still NULL are filled (their
 * field_src set to SRC_SMBIOS), so whatever the sysfs files said wins.
 *
 * out->smbios is true when the entry point was accepted and at least one
 * complete structure was walked. out->smbios_problem says what was wrong
 * (rejected entry point, bad checksum, truncated table ...), even when the
 * table was still used. On -ENOMEM OUT may hold partial results: release it
 * with dmi_facts_free().
 *
 * Returns 1 when the table was used, 0 when it was rejected, -ENOMEM.
 */
int smbios_parse(const uint8_t *ep, size_t ep_len, const uint8_t *table, size_t table_len,
                 struct dmi_facts *out);

/* Append a problem to out->smbios_problem ("; "-separated). Returns 0 or -ENOMEM. */
int smbios_add_problem(struct dmi_facts *out, const char *format, ...) __attribute__((format(printf, 2, 3)));

#endif
