/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Raw SMBIOS: entry point, structure walk, and the few structure types the
 * verdict needs (0 BIOS, 1 system, 2 board, 3 chassis, 11 OEM strings).
 * Offsets and rules follow the DMTF SMBIOS specification (DSP0134) and what
 * Linux's drivers/firmware/dmi_scan.c accepts from real firmware.
 */
#define _GNU_SOURCE
#include "smbios.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/internal.h"

#define EP2_LEN 0x1F   /* "_SM_" entry point, through the intermediate "_DMI_" part */
#define EP3_LEN 0x18   /* "_SM3_" entry point */
#define TYPE_END 127

struct entry_point {
	int major, minor;
	uint64_t table_len;   /* 2.x: exact length; 3.x: maximum size */
	unsigned count;       /* 2.x structure count; 0 when unknown (3.x) */
	bool v3;
};

/* One structure, already checked to lie within the table. */
struct structure {
	const uint8_t *p;     /* header and formatted area */
	uint8_t type, len;
	const uint8_t *strs;  /* string set ... */
	const uint8_t *end;   /* ... up to the first NUL of its double-NUL terminator */
};

static uint16_t le16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t le32(const uint8_t *p) { return (uint32_t)le16(p) | (uint32_t)le16(p + 2) << 16; }

static bool checksum_ok(const uint8_t *p, size_t n)
{
	uint8_t sum = 0;
	for (size_t i = 0; i < n; i++)
		sum = (uint8_t)(sum + p[i]);
	return sum == 0;
}

int smbios_add_problem(struct dmi_facts *out, const char *format, ...)
{
	va_list ap;
	char *msg, *joined;

	va_start(ap, format);
	msg = strdup_vprintf(format, ap);
	va_end(ap);
	if (!msg)
		return -ENOMEM;
	if (!out->smbios_problem) {
		out->smbios_problem = msg;
		return 0;
	}
	joined = strdup_printf("%s; %s", out->smbios_problem, msg);
	free(msg);
	if (!joined)
		return -ENOMEM;
	free(out->smbios_problem);
	out->smbios_problem = joined;
	return 0;
}

/*
 * Checksums: a wrong one is recorded in smbios_problem, but the table is still
 * used when everything else holds. Linux rejects such an entry point, yet
 * firmware that gets the sum wrong exists (patched or hand-built tables in
 * hypervisors, BIOS updates that edit strings in place), and the structure
 * walk below is bounds-checked on its own, so the checksum adds no safety —
 * only the question whether the firmware author was careful, which the
 * problem text preserves for the reader. Anchors and lengths, which the walk
 * depends on, are enforced.
 */
static int parse_entry_point(const uint8_t *ep, size_t ep_len, struct entry_point *e, struct dmi_facts *out)
{
	int r;

	if (!ep || ep_len == 0)
		return smbios_add_problem(out, "entry point empty") ?: 0;

	if (ep_len >= 5 && memcmp(ep, "_SM3_", 5) == 0) {
		if (ep_len < EP3_LEN)
			return smbios_add_problem(out, "entry point truncated (%zu of %u bytes)", ep_len, EP3_LEN) ?: 0;
		uint8_t len = ep[6];
		if (len < EP3_LEN || len > ep_len)
			r = smbios_add_problem(out, "entry point length %u invalid", len);
		else
			r = checksum_ok(ep, len) ? 0 : smbios_add_problem(out, "entry point checksum wrong");
		if (r < 0)
			return r;
		e->major = ep[7];
		e->minor = ep[8];
		e->table_len = le32(ep + 0x0C);
		e->count = 0;
		e->v3 = true;
		return 1;
	}

	if (ep_len >= 4 && memcmp(ep, "_SM_", 4) == 0) {
		if (ep_len < EP2_LEN)
			return smbios_add_problem(out, "entry point truncated (%zu of %u bytes)", ep_len, EP2_LEN) ?: 0;
		/* 0x1E is accepted too: SMBIOS 2.1 printed the length wrong. */
		uint8_t len = ep[5];
		if (len < 0x1E || len > ep_len)
			r = smbios_add_problem(out, "entry point length %u invalid", len);
		else
			r = checksum_ok(ep, len) ? 0 : smbios_add_problem(out, "entry point checksum wrong");
		if (r < 0)
			return r;
		if (memcmp(ep + 0x10, "_DMI_", 5) != 0)
			return smbios_add_problem(out, "intermediate anchor _DMI_ missing") ?: 0;
		if (!checksum_ok(ep + 0x10, 15) && (r = smbios_add_problem(out, "intermediate checksum wrong")) < 0)
			return r;
		e->major = ep[6];
		e->minor = ep[7];
		/* Versions some BIOSes report wrongly; the same fix-ups as Linux. */
		if (e->major == 2 && (e->minor == 0x1F || e->minor == 0x21))
			e->minor = 3;
		else if (e->major == 2 && e->minor == 0x33)
			e->minor = 6;
		e->table_len = le16(ep + 0x16);
		e->count = le16(ep + 0x1C);
		return 1;
	}

	return smbios_add_problem(out, "entry point has no _SM_ or _SM3_ anchor") ?: 0;
}

/*
 * A malloc'ed copy of the string P..NUL: at most SMBIOS_MAX_STRING bytes,
 * trailing blanks stripped. *VALUE stays NULL for a blank string. Returns
 * -ENOMEM or 0.
 */
static int copy_string(const uint8_t *p, const uint8_t *nul, char **value)
{
	size_t len = (size_t)(nul - p);

	*value = NULL;
	if (len > SMBIOS_MAX_STRING)
		len = SMBIOS_MAX_STRING;
	/* Trailing blanks go before anything is allocated: a table of blank strings costs no allocation. */
	while (len > 0 && isspace(p[len - 1]))
		len--;
	if (len == 0)
		return 0;
	char *v = malloc(len + 1);
	if (!v)
		return -ENOMEM;
	memcpy(v, p, len);
	v[len] = '\0';
	*value = v;
	return 0;
}

/* The end (its NUL) of the string starting at P, which is before S->end. */
static const uint8_t *string_end(const struct structure *s, const uint8_t *p)
{
	/* s->end points at a NUL, so this always finds one. */
	return memchr(p, 0, (size_t)(s->end - p) + 1);
}

/*
 * String number IDX (1-based) of S, as copy_string() makes it. *VALUE stays
 * NULL for index 0, an index beyond the set, or a blank string.
 */
static int get_string(const struct structure *s, unsigned idx, char **value)
{
	const uint8_t *p = s->strs;

	*value = NULL;
	if (idx == 0)
		return 0;
	for (unsigned k = 1; p < s->end; k++) {
		const uint8_t *nul = string_end(s, p);
		if (k == idx)
			return copy_string(p, nul, value);
		p = nul + 1;
	}
	return 0;
}

/* Fill FIELD from the string whose number is at OFFSET, unless sysfs (or an earlier structure) already did. */
static int set_string_field(struct dmi_facts *out, enum dmi_field field, const struct structure *s, uint8_t offset)
{
	char *v;
	int r;

	if (out->field[field] || s->len <= offset)
		return 0;
	r = get_string(s, s->p[offset], &v);
	if (r < 0 || !v)
		return r;
	out->field[field] = v;
	out->field_src[field] = SRC_SMBIOS;
	return 0;
}

static int decode_bios(struct dmi_facts *out, const struct structure *s, int version)
{
	int r;

	if ((r = set_string_field(out, DMI_BIOS_VENDOR, s, 0x04)) < 0 ||
	    (r = set_string_field(out, DMI_BIOS_VERSION, s, 0x05)) < 0 ||
	    (r = set_string_field(out, DMI_BIOS_DATE, s, 0x08)) < 0)
		return r;
	/* Characteristics Extension Byte 2 exists from SMBIOS 2.4 on. */
	if (out->vm_bit < 0 && version >= 0x0204 && s->len > 0x13) {
		out->uefi_bit = (s->p[0x13] >> 3) & 1;
		out->vm_bit = (s->p[0x13] >> 4) & 1;
	}
	return 0;
}

static int decode_system(struct dmi_facts *out, const struct structure *s, int version)
{
	int r;

	if ((r = set_string_field(out, DMI_SYS_VENDOR, s, 0x04)) < 0 ||
	    (r = set_string_field(out, DMI_PRODUCT_NAME, s, 0x05)) < 0 ||
	    (r = set_string_field(out, DMI_PRODUCT_VERSION, s, 0x06)) < 0 ||
	    (r = set_string_field(out, DMI_PRODUCT_SERIAL, s, 0x07)) < 0)
		return r;
	if (version < 0x0204)
		return 0;
	if ((r = set_string_field(out, DMI_PRODUCT_SKU, s, 0x19)) < 0 ||
	    (r = set_string_field(out, DMI_PRODUCT_FAMILY, s, 0x1A)) < 0)
		return r;
	return 0;
}

static int decode_board(struct dmi_facts *out, const struct structure *s)
{
	int r;

	if ((r = set_string_field(out, DMI_BOARD_VENDOR, s, 0x04)) < 0 ||
	    (r = set_string_field(out, DMI_BOARD_NAME, s, 0x05)) < 0 ||
	    (r = set_string_field(out, DMI_BOARD_VERSION, s, 0x06)) < 0)
		return r;
	return 0;
}

static int decode_chassis(struct dmi_facts *out, const struct structure *s)
{
	int r;

	if ((r = set_string_field(out, DMI_CHASSIS_VENDOR, s, 0x04)) < 0 ||
	    (r = set_string_field(out, DMI_CHASSIS_ASSET_TAG, s, 0x08)) < 0)
		return r;
	/* Bit 7 is the lock flag; sysfs prints the rest in decimal. */
	if (!out->field[DMI_CHASSIS_TYPE] && s->len > 0x05) {
		out->field[DMI_CHASSIS_TYPE] = strdup_printf("%u", s->p[0x05] & 0x7fu);
		if (!out->field[DMI_CHASSIS_TYPE])
			return -ENOMEM;
		out->field_src[DMI_CHASSIS_TYPE] = SRC_SMBIOS;
	}
	return 0;
}

/*
 * One pass over the string set: asking get_string() for each number in turn
 * rescans the set from its start, and 255 blank strings in each of thousands
 * of type 11 structures made that quadratic walk cost a third of a second.
 */
static int decode_oem_strings(struct dmi_facts *out, const struct structure *s)
{
	const uint8_t *p = s->strs;

	if (s->len <= 0x04)
		return 0;
	for (unsigned i = 1; i <= s->p[0x04] && p < s->end && out->n_oem_strings < SMBIOS_MAX_OEM_STRINGS; i++) {
		const uint8_t *nul = string_end(s, p);
		char *v;
		int r = copy_string(p, nul, &v);
		if (r < 0)
			return r;
		p = nul + 1;
		if (!v)
			continue;
		if (!out->oem_strings) {
			out->oem_strings = calloc(SMBIOS_MAX_OEM_STRINGS + 1, sizeof(char *));
			if (!out->oem_strings) {
				free(v);
				return -ENOMEM;
			}
		}
		out->oem_strings[out->n_oem_strings++] = v;
	}
	return 0;
}

static int decode(struct dmi_facts *out, const struct structure *s, int version)
{
	switch (s->type) {
	case 0: return decode_bios(out, s, version);
	case 1: return decode_system(out, s, version);
	case 2: return decode_board(out, s);
	case 3: return decode_chassis(out, s);
	case 11: return decode_oem_strings(out, s);
	default: return 0;
	}
}

/*
 * Walk the structures in TABLE[0..LIMIT). Each is checked in full (header,
 * formatted area, string set and its terminator) before it is decoded, so a
 * decoder never reads past the table. Returns the number of structures
 * walked, or -ENOMEM.
 */
static long walk(const uint8_t *t, size_t limit, unsigned count, int version, struct dmi_facts *out)
{
	size_t off = 0;
	unsigned n = 0;
	int r = 0;

	while (off < limit) {
		if (count && n >= count)
			break;
		if (n >= SMBIOS_MAX_STRUCTURES) {
			r = smbios_add_problem(out, "more than %u structures, stopped at offset 0x%zx",
			                       SMBIOS_MAX_STRUCTURES, off);
			break;
		}
		if (limit - off < 4) {
			r = smbios_add_problem(out, "table truncated at offset 0x%zx", off);
			break;
		}
		struct structure s = { .p = t + off, .type = t[off], .len = t[off + 1] };
		if (s.len < 4) {
			r = smbios_add_problem(out, "structure at offset 0x%zx has length %u", off, s.len);
			break;
		}
		if (s.len > limit - off) {
			r = smbios_add_problem(out, "table truncated at offset 0x%zx", off);
			break;
		}
		size_t i = off + s.len;
		while (i + 1 < limit && (t[i] || t[i + 1]))
			i++;
		if (i + 1 >= limit) {
			r = smbios_add_problem(out, "table truncated at offset 0x%zx (strings of type %u not terminated)",
			                       off, s.type);
			break;
		}
		s.strs = t + off + s.len;
		s.end = t + i;
		if ((r = decode(out, &s, version)) < 0)
			return r;
		n++;
		off = i + 2;
		/*
		 * End of table. Linux reads on past it behind a 2.x entry point
		 * (OEM structures after it were seen), but nothing this parser
		 * decodes lives there.
		 */
		if (s.type == TYPE_END)
			break;
	}
	return r < 0 ? r : (long)n;
}

int smbios_parse(const uint8_t *ep, size_t ep_len, const uint8_t *table, size_t table_len,
                 struct dmi_facts *out)
{
	struct entry_point e = { 0 };
	size_t limit;
	long n;
	int r;

	out->smbios = false;
	out->smbios_major = out->smbios_minor = 0;
	out->vm_bit = out->uefi_bit = -1;

	r = parse_entry_point(ep, ep_len, &e, out);
	if (r <= 0)
		return r;
	out->smbios_major = e.major;
	out->smbios_minor = e.minor;

	if (!table || table_len == 0)
		return smbios_add_problem(out, "table empty") ?: 0;

	limit = table_len;
	if (e.table_len > 0 && e.table_len < limit)
		limit = (size_t)e.table_len;
	/*
	 * Behind a 3.x entry point the length is only a maximum (and Linux trims
	 * the exported file to the walked size), so only a 2.x table can be
	 * shorter than it claims.
	 */
	if (!e.v3 && table_len < e.table_len &&
	    (r = smbios_add_problem(out, "table shorter than the entry point says (%zu of %" PRIu64 " bytes)",
	                            table_len, e.table_len)) < 0)
		return r;

	n = walk(table, limit, e.count, e.major << 8 | e.minor, out);
	if (n < 0)
		return (int)n;
	out->smbios = n > 0;
	return out->smbios ? 1 : 0;
}
