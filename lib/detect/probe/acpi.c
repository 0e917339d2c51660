/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ACPI: the header of every table in sys/firmware/acpi/tables, the FADT's
 * Hypervisor Vendor Identity, and the ids of the ACPI devices. Only headers
 * are read (36 bytes, 276 for the FADT): the DSDT can be megabytes.
 */
#include <string.h>

#include "detect/facts.h"
#include "base/internal.h"
#include "base/sysroot.h"
#include "acpi.h"

#define TABLES_DIR  "sys/firmware/acpi/tables"
#define DEVICES_DIR "sys/bus/acpi/devices"

/* Copy a fixed-width field of N bytes into OUT (N+1 bytes), dropping trailing blanks and NULs. */
static void copy_field(char *out, const uint8_t *field, size_t n)
{
	memcpy(out, field, n);
	out[n] = '\0';
	while (n > 0 && (out[n - 1] == ' ' || out[n - 1] == '\0'))
		out[--n] = '\0';
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int acpi_parse_header(const uint8_t *buf, size_t len, struct acpi_table *out)
{
	memset(out, 0, sizeof(*out));
	if (!buf || len < ACPI_HEADER_LEN)
		return -EBADMSG;
	copy_field(out->signature, buf, 4);
	out->length = le32(buf + 4);
	out->revision = buf[8];
	copy_field(out->oem_id, buf + 10, 6);
	copy_field(out->oem_table_id, buf + 16, 8);
	copy_field(out->creator_id, buf + 28, 4);
	return 0;
}

int acpi_fadt_hv_vendor(const uint8_t *buf, size_t len, char out[ACPI_FADT_HV_LEN + 1])
{
	static const uint8_t zero[ACPI_FADT_HV_LEN];

	memset(out, 0, ACPI_FADT_HV_LEN + 1);
	if (!buf || len < ACPI_FADT_MIN_HV_LEN)
		return 0;
	if (buf[8] < ACPI_FADT_HV_REVISION || le32(buf + 4) < ACPI_FADT_MIN_HV_LEN)
		return 0;
	if (memcmp(buf + ACPI_FADT_HV_OFFSET, zero, ACPI_FADT_HV_LEN) == 0)
		return 0;
	memcpy(out, buf + ACPI_FADT_HV_OFFSET, ACPI_FADT_HV_LEN);
	return 1;
}

static void table_from_name(struct acpi_table *t, const char *name)
{
	memset(t, 0, sizeof(*t));
	/* sysfs names duplicates "SSDT1", "SSDT2": the signature is the first four characters. */
	strncpy(t->signature, name, sizeof(t->signature) - 1);
}

/* Returns 1 when the table was added, 0 when the entry is not a table, -ENOMEM. */
static int read_table(struct hvd_ctx *ctx, const char *name, struct acpi_facts *out)
{
	_cleanup_free_ char *path = strdup_printf(TABLES_DIR "/%s", name);
	_cleanup_free_ char *data = NULL;
	struct acpi_table *t = &out->tables[out->n_tables];
	bool fadt = startswith(name, "FACP");
	size_t len = 0;
	int r;

	if (!path)
		return -ENOMEM;
	r = sysroot_read(ctx, path, fadt ? ACPI_FADT_MIN_HV_LEN : ACPI_HEADER_LEN, &data, &len);
	if (r == -EISDIR)
		return 0;          /* "data", "dynamic" */
	if (r == -ENOMEM)
		return r;
	if (r < 0 || acpi_parse_header((const uint8_t *)data, len, t) < 0 || t->signature[0] == '\0') {
		dbg(ctx, "ACPI table %s: unreadable or truncated header (%d, %zu bytes)", name, r, len);
		table_from_name(t, name);
		out->n_tables++;
		return 1;
	}
	out->n_tables++;
	if (fadt && strcmp(t->signature, "FACP") == 0 && !out->fadt_hv_vendor_present)
		out->fadt_hv_vendor_present =
			acpi_fadt_hv_vendor((const uint8_t *)data, len, out->fadt_hv_vendor) == 1;
	return 1;
}

static int probe_tables(struct hvd_ctx *ctx, struct acpi_facts *out)
{
	char **names = NULL;
	size_t n = 0;
	int r;

	r = sysroot_list(ctx, TABLES_DIR, &names, &n);
	if (r < 0) {
		dbg(ctx, "no ACPI tables: %d", r);
		return r == -ENOMEM ? r : 0;
	}
	out->present = true;
	if (n > 0) {
		out->tables = calloc(n < ACPI_MAX_TABLES ? n : ACPI_MAX_TABLES, sizeof(*out->tables));
		if (!out->tables) {
			strv_free(names);
			return -ENOMEM;
		}
	}
	for (size_t i = 0; i < n && r >= 0; i++) {
		if (out->n_tables == ACPI_MAX_TABLES) {
			dbg(ctx, "more than %u ACPI tables: the rest ignored", ACPI_MAX_TABLES);
			break;
		}
		r = read_table(ctx, names[i], out);
	}
	strv_free(names);
	return r < 0 ? r : 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * "VMBUS:00" -> "VMBUS". The listing is enough: reading each device's hid or
 * modalias file would cost a read per device for the same answer.
 */
static int probe_hids(struct hvd_ctx *ctx, struct acpi_facts *out)
{
	char **names = NULL;
	size_t n = 0, kept = 0;
	int r;

	r = sysroot_list(ctx, DEVICES_DIR, &names, &n);
	if (r < 0) {
		dbg(ctx, "no ACPI devices: %d", r);
		return r == -ENOMEM ? r : 0;
	}
	for (size_t i = 0; i < n; i++) {
		char *colon = strrchr(names[i], ':');
		if (colon)
			*colon = '\0';
	}
	/* Truncation can reorder ("AB0:00" < "AB:00" but "AB" < "AB0"): sort again, then drop repeats. */
	qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n; i++) {
		if (names[i][0] == '\0' || kept == ACPI_MAX_HIDS ||
		    (kept > 0 && strcmp(names[kept - 1], names[i]) == 0)) {
			free(names[i]);
			continue;
		}
		names[kept++] = names[i];
	}
	names[kept] = NULL;
	out->hids = names;
	out->n_hids = kept;
	return 0;
}

int probe_acpi(struct hvd_ctx *ctx, struct acpi_facts *out)
{
	int r;

	memset(out, 0, sizeof(*out));
	if ((r = probe_tables(ctx, out)) < 0 || (r = probe_hids(ctx, out)) < 0) {
		acpi_facts_free(out);
		return r;
	}
	return 0;
}
