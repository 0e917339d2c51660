/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ACPI table header parsing: pure functions, no I/O (fuzzable). */
#ifndef HVD_PROBE_ACPI_H
#define HVD_PROBE_ACPI_H

#include <stddef.h>
#include <stdint.h>

#include "detect/facts.h"

#define ACPI_HEADER_LEN        36u
/* FADT (ACPI 6.0+, revision 6): the Hypervisor Vendor Identity is the last 8 bytes of 276. */
#define ACPI_FADT_HV_OFFSET    268u
#define ACPI_FADT_HV_LEN       8u
#define ACPI_FADT_MIN_HV_LEN   (ACPI_FADT_HV_OFFSET + ACPI_FADT_HV_LEN)
#define ACPI_FADT_HV_REVISION  6u

/* Caps against hostile trees: real machines have a few dozen tables and ids. */
#define ACPI_MAX_TABLES        256u
#define ACPI_MAX_HIDS          256u

/*
 * Parse the standard description header in the LEN bytes of BUF into OUT
 * (zeroed first). Text fields are fixed-width: copied raw, then trailing blanks
 * and NULs removed. Returns 0, or -EBADMSG when LEN is shorter than a header.
 */
int acpi_parse_header(const uint8_t *buf, size_t len, struct acpi_table *out);

/*
 * The FADT's Hypervisor Vendor Identity from the LEN bytes read of a FADT:
 * 1 and the 8 raw bytes plus a NUL in OUT when the header says revision >= 6,
 * the table claims at least 276 bytes, that many were read, and the id is not
 * all zeros; 0 otherwise (OUT emptied).
 */
int acpi_fadt_hv_vendor(const uint8_t *buf, size_t len, char out[ACPI_FADT_HV_LEN + 1]);

#endif
