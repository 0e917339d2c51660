/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * dmidecode's text output (dmidecode.h). What the text looks like, from
 * dmidecode 2.x and 3.x:
 *
 *   # dmidecode 3.1                          header lines ("SMBIOS 2.7 present.", ...)
 *   Handle 0x0000, DMI type 0, 24 bytes      a structure: handle, type, length
 *   BIOS Information                         its title
 *   <TAB>Vendor: SeaBIOS                     "key: value" lines
 *   <TAB>Characteristics:                    a list, its items indented once more
 *   <TAB><TAB>System is a virtual machine
 *                                            a blank line ends the structure
 *
 * dmidecode up to 2.8 puts the type on its own line ("Handle 0x0000" then
 * "<TAB>DMI type 0, 20 bytes." then the title, indented). A partial dump may
 * hold titles and keys only, no handles. Text pasted through mail or a ticket
 * may lose its indentation: inside a structure indentation is not relied on
 * (a line without ": " after a "Key:" line is a list item).
 *
 * What is checked: every line outside a structure must be a header, a comment,
 * a handle or a known structure title; NUL bytes are refused. Up to
 * DMIDECODE_MAX_PREAMBLE lines before the first of those are a report's own
 * header and skipped; the dump ends with its "End Of Table" structure (what
 * follows, a shell prompt or another command, is not read). Inside a structure anything goes: unknown keys and
 * types are dmidecode's business.
 */
#define _GNU_SOURCE
#include "dmidecode.h"

#include <stdio.h>
#include <string.h>

#include "base/internal.h"
#include "probe/smbios.h"

/* dmidecode's structure titles (dmi_type names), so that a partial dump without handles is still recognised. */
static const struct { const char *title; int type; } titles[] = {
	{ "BIOS Information", 0 }, { "System Information", 1 }, { "Base Board Information", 2 },
	{ "Chassis Information", 3 }, { "Processor Information", 4 }, { "Memory Controller Information", 5 },
	{ "Memory Module Information", 6 }, { "Cache Information", 7 }, { "Port Connector Information", 8 },
	{ "System Slot Information", 9 }, { "On Board Device Information", 10 }, { "OEM Strings", 11 },
	{ "System Configuration Options", 12 }, { "BIOS Language Information", 13 }, { "Group Associations", 14 },
	{ "System Event Log", 15 }, { "Physical Memory Array", 16 }, { "Memory Device", 17 },
	{ "32-bit Memory Error Information", 18 }, { "Memory Array Mapped Address", 19 },
	{ "Memory Device Mapped Address", 20 }, { "Built-in Pointing Device", 21 }, { "Portable Battery", 22 },
	{ "System Reset", 23 }, { "Hardware Security", 24 }, { "System Power Controls", 25 },
	{ "Voltage Probe", 26 }, { "Cooling Device", 27 }, { "Temperature Probe", 28 },
	{ "Electrical Current Probe", 29 }, { "Out-of-band Remote Access", 30 },
	{ "Boot Integrity Services Entry Point", 31 }, { "System Boot Information", 32 },
	{ "64-bit Memory Error Information", 33 }, { "Management Device", 34 },
	{ "Management Device Component", 35 }, { "Management Device Threshold Data", 36 },
	{ "Memory Channel", 37 }, { "IPMI Device Information", 38 }, { "System Power Supply", 39 },
	{ "Additional Information", 40 }, { "Onboard Device", 41 },
	{ "Management Controller Host Interface", 42 }, { "TPM Device", 43 },
	{ "Processor Additional Information", 44 }, { "Firmware Inventory Information", 45 },
	{ "String Property", 46 }, { "Inactive", 126 }, { "End Of Table", 127 },
	{ "OEM-specific Type", -1 }, { "Unknown Type", -1 },
};

/* Lines dmidecode prints outside structures (prefixes). */
static const char *const headers[] = {
	"SMBIOS ", "Legacy DMI ", "Getting SMBIOS data from ", "Scanning ", "Reading SMBIOS/DMI data from ",
	"Table at ", "Table is unreachable", "Invalid entry length", "Wrong DMI structures ",
	"No SMBIOS nor DMI entry point found", "<TRUNCATED>", "SYSID ",
};

/* The chassis types as dmidecode names them (SMBIOS 7.4.1); sysfs gives the number. */
static const char *const chassis_types[] = {
	NULL, "Other", "Unknown", "Desktop", "Low Profile Desktop", "Pizza Box", "Mini Tower", "Tower",
	"Portable", "Laptop", "Notebook", "Hand Held", "Docking Station", "All In One", "Sub Notebook",
	"Space-saving", "Lunch Box", "Main Server Chassis", "Expansion Chassis", "Sub Chassis",
	"Bus Expansion Chassis", "Peripheral Chassis", "RAID Chassis", "Rack Mount Chassis", "Sealed-case PC",
	"Multi-system", "CompactPCI", "AdvancedTCA", "Blade", "Blade Enclosing", "Tablet", "Convertible",
	"Detachable", "IoT Gateway", "Embedded PC", "Mini PC", "Stick PC",
};

struct parser {
	struct dmi_facts *out;
	struct text_error *err;
	uint32_t lineno;
	bool started;            /* a dmidecode line was seen */
	int version;             /* "SMBIOS M.m present.": M << 8 | m, -1 unknown */

	/* The current structure. */
	bool in_struct;          /* a handle or title opened one; a blank line closes it */
	bool want_type;          /* old format: "Handle 0x0000" alone, "DMI type N, M bytes." follows */
	bool have_title;
	int type;                /* -1 unknown */
	long length;             /* formatted length, -1 unknown */
	bool first_of_type;      /* the first structure of its type (later ones only fill gaps) */
	size_t key_indent;       /* indentation of its key lines, SIZE_MAX before the first */
	bool in_list;            /* after a "Key:" line without a value */
	bool chars_list;         /* ... which is type 0's "Characteristics:" */
	bool vm, uefi;           /* items of that list */
	uint32_t chars_line;
	bool seen_type[5];       /* types 0-3 already decoded once (11 accumulates) */
	bool done;               /* "End Of Table" ended: what follows is not dmidecode's */
};

static int fail(struct parser *p, const char *format, ...) HVD_PRINTF(2, 3);
static int fail(struct parser *p, const char *format, ...)
{
	va_list ap;

	p->err->line = p->lineno;
	va_start(ap, format);
	vsnprintf(p->err->why, sizeof(p->err->why), format, ap);
	va_end(ap);
	return -EBADMSG;
}

/* A copy of the value V (LEN bytes) as a DMI string: capped, trailing blanks stripped; NULL when absent. */
static int value_dup(const char *v, size_t len, char **out)
{
	char *s;

	*out = NULL;
	while (len > 0 && (*v == ' ' || *v == '\t'))
		v++, len--;
	if (len > SMBIOS_MAX_STRING)
		len = SMBIOS_MAX_STRING;
	s = strndup(v, len);
	if (!s)
		return -ENOMEM;
	len = strip_trailing(s, strlen(s));
	/* dmidecode's words for a string that is not there (sysfs shows those empty). */
	if (len == 0 || strcmp(s, "Not Specified") == 0 || strcmp(s, "<BAD INDEX>") == 0 ||
	    strcmp(s, "<OUT OF SPEC>") == 0) {
		free(s);
		return 0;
	}
	*out = s;
	return 0;
}

static int set_field(struct parser *p, enum dmi_field f, const char *v, size_t len)
{
	char *s;
	int r;

	if (p->out->field[f])
		return 0;
	r = value_dup(v, len, &s);
	if (r < 0 || !s)
		return r;
	p->out->field[f] = s;
	p->out->field_src[f] = SRC_SMBIOS;
	p->out->field_line[f] = (struct text_line) { TEXT_DMIDECODE, p->lineno };
	p->out->present = true;
	return 0;
}

static bool key_is(const char *key, size_t klen, const char *name)
{
	return klen == strlen(name) && memcmp(key, name, klen) == 0;
}

static int chassis_type(struct parser *p, const char *v, size_t len)
{
	char *s;
	int r;

	if (p->out->field[DMI_CHASSIS_TYPE])
		return 0;
	r = value_dup(v, len, &s);
	if (r < 0 || !s)
		return r;
	for (size_t i = 1; i < ARRAY_SIZE(chassis_types); i++)
		if (strcasecmp(s, chassis_types[i]) == 0) {
			free(s);
			p->out->field[DMI_CHASSIS_TYPE] = strdup_printf("%zu", i);
			if (!p->out->field[DMI_CHASSIS_TYPE])
				return -ENOMEM;
			p->out->field_src[DMI_CHASSIS_TYPE] = SRC_SMBIOS;
			p->out->field_line[DMI_CHASSIS_TYPE] = (struct text_line) { TEXT_DMIDECODE, p->lineno };
			return 0;
		}
	free(s);   /* a name this table does not know: sysfs would give a number, so none */
	return 0;
}

static int oem_string(struct parser *p, const char *v, size_t len)
{
	struct dmi_facts *d = p->out;
	char *s;
	int r;

	if (d->n_oem_strings >= SMBIOS_MAX_OEM_STRINGS)
		return 0;
	r = value_dup(v, len, &s);
	if (r < 0 || !s)
		return r;
	if (!d->oem_strings) {
		d->oem_strings = calloc(SMBIOS_MAX_OEM_STRINGS + 1, sizeof(char *));
		if (!d->oem_strings) {
			free(s);
			return -ENOMEM;
		}
		d->oem_line = (struct text_line) { TEXT_DMIDECODE, p->lineno };
	}
	d->oem_strings[d->n_oem_strings++] = s;
	return 0;
}

/* One "Key: value" line of the current structure. */
static int key_line(struct parser *p, const char *key, size_t klen, const char *v, size_t vlen)
{
	static const struct { int type; const char *key; enum dmi_field f; } map[] = {
		{ 0, "Vendor", DMI_BIOS_VENDOR }, { 0, "Version", DMI_BIOS_VERSION }, { 0, "Release Date", DMI_BIOS_DATE },
		{ 1, "Manufacturer", DMI_SYS_VENDOR }, { 1, "Product Name", DMI_PRODUCT_NAME },
		{ 1, "Version", DMI_PRODUCT_VERSION }, { 1, "Serial Number", DMI_PRODUCT_SERIAL },
		{ 1, "SKU Number", DMI_PRODUCT_SKU }, { 1, "Family", DMI_PRODUCT_FAMILY },
		{ 2, "Manufacturer", DMI_BOARD_VENDOR }, { 2, "Product Name", DMI_BOARD_NAME },
		{ 2, "Version", DMI_BOARD_VERSION },
		{ 3, "Manufacturer", DMI_CHASSIS_VENDOR }, { 3, "Asset Tag", DMI_CHASSIS_ASSET_TAG },
	};

	if (p->type == 11 && klen > 7 && memcmp(key, "String ", 7) == 0)
		return oem_string(p, v, vlen);
	if (p->type < 0 || p->type > 3 || !p->first_of_type)
		return 0;
	if (p->type == 3 && key_is(key, klen, "Type"))
		return chassis_type(p, v, vlen);
	for (size_t i = 0; i < ARRAY_SIZE(map); i++)
		if (map[i].type == p->type && key_is(key, klen, map[i].key))
			return set_field(p, map[i].f, v, vlen);
	return 0;
}

static void list_item(struct parser *p, const char *s, size_t len)
{
	if (!p->chars_list)
		return;
	if (key_is(s, len, "System is a virtual machine"))
		p->vm = true;
	else if (key_is(s, len, "UEFI is supported"))
		p->uefi = true;
}

/* The end of a structure: type 0's characteristics become the VM and UEFI bits. */
static void end_struct(struct parser *p)
{
	if (p->in_struct && p->type == 0 && p->first_of_type && p->chars_line && p->out->vm_bit < 0) {
		/*
		 * Extension byte 2 (offset 0x13) exists from SMBIOS 2.4 on, in a structure
		 * of 20 bytes or more: only then does a missing item mean a clear bit.
		 */
		bool byte2 = p->length >= 0x14 && (p->version < 0 || p->version >= 0x0204);
		p->out->vm_bit = p->vm ? 1 : byte2 ? 0 : -1;
		p->out->uefi_bit = p->uefi ? 1 : byte2 ? 0 : -1;
		if (p->out->vm_bit >= 0 || p->out->uefi_bit >= 0) {
			p->out->bits_line = (struct text_line) { TEXT_DMIDECODE, p->chars_line };
			p->out->smbios = true;
		}
	}
	if (p->in_struct && p->type >= 0 && p->type < (int)ARRAY_SIZE(p->seen_type))
		p->seen_type[p->type] = true;
	if (p->in_struct && p->type == 127)
		p->done = true;
	p->in_struct = p->want_type = p->have_title = false;
	p->in_list = p->chars_list = p->vm = p->uefi = false;
	p->chars_line = 0;
	p->type = -1;
	p->length = -1;
	p->key_indent = SIZE_MAX;
}

static void begin_struct(struct parser *p, int type, long length)
{
	end_struct(p);
	p->in_struct = true;
	p->started = true;
	p->out->present = true;   /* dmidecode found a table */
	p->type = type;
	p->length = length;
	p->first_of_type = type < 0 || type >= (int)ARRAY_SIZE(p->seen_type) || !p->seen_type[type];
}

/* "DMI type N, M bytes" (with or without a final '.'), at S. */
static bool parse_type(const char *s, int *type, long *length)
{
	unsigned t;
	long l;
	int n = 0;

	if (sscanf(s, "DMI type %u, %ld bytes%n", &t, &l, &n) != 2 || n == 0 || t > 255 || l < 0 || l > 255)
		return false;
	*type = (int)t;
	*length = l;
	return true;
}

static int title_type(const char *s, size_t len, bool *known)
{
	for (size_t i = 0; i < ARRAY_SIZE(titles); i++)
		if (key_is(s, len, titles[i].title)) {
			*known = true;
			return titles[i].type;
		}
	*known = false;
	return -1;
}

static int line(struct parser *p, const char *s, size_t len)
{
	size_t indent = 0, col = 0;
	const char *colon;

	if (memchr(s, '\0', len))
		return fail(p, "a NUL byte: binary data, not dmidecode output");
	while (len > 0 && (s[len - 1] == '\r' || s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	while (indent < len && (s[indent] == ' ' || s[indent] == '\t'))
		col += s[indent++] == '\t' ? 8 - col % 8 : 1;
	s += indent;
	len -= indent;

	if (len == 0) {
		end_struct(p);
		return 0;
	}
	if (s[0] == '#') {
		if (!p->started && len >= 11 && memcmp(s, "# dmidecode", 11) == 0)
			p->started = true;
		return 0;
	}
	if (len > 9 && memcmp(s, "Handle 0x", 9) == 0) {
		const char *comma = memchr(s, ',', len);
		int type = -1;
		long length = -1;

		if (comma && (comma + 2 > s + len || !parse_type(comma + 2, &type, &length)))
			return fail(p, "a handle line without 'DMI type N, M bytes'");
		begin_struct(p, type, length);
		p->want_type = !comma;
		return 0;
	}
	if (p->in_struct && p->want_type) {
		int type;
		long length;

		if (!parse_type(s, &type, &length))
			return fail(p, "'DMI type N, M bytes.' expected after a handle line");
		p->type = type;
		p->length = length;
		p->first_of_type = type >= (int)ARRAY_SIZE(p->seen_type) || !p->seen_type[type];
		p->want_type = false;
		return 0;
	}
	if (p->in_struct && !p->have_title) {
		p->have_title = true;   /* any title: dmidecode knows more types than this table */
		return 0;
	}
	if (p->in_struct) {
		colon = memmem(s, len, ": ", 2);
		if (!colon && s[len - 1] == ':')
			colon = s + len - 1;
		/* A list item: indented deeper than the keys, or (indentation lost) no "key:" in it. */
		if (p->in_list && ((p->key_indent != SIZE_MAX && col > p->key_indent) || !colon)) {
			list_item(p, s, len);
			return 0;
		}
		if (p->key_indent == SIZE_MAX)
			p->key_indent = col;
		p->in_list = p->chars_list = false;
		if (!colon)
			return 0;   /* a line of dmidecode's own that is neither: nothing to take */
		if (colon == s + len - 1) {
			p->in_list = true;
			p->chars_list = p->type == 0 && key_is(s, len - 1, "Characteristics");
			if (p->chars_list && p->first_of_type && !p->chars_line)
				p->chars_line = p->lineno;
			return 0;
		}
		return key_line(p, s, (size_t)(colon - s), colon + 2, len - (size_t)(colon + 2 - s));
	}

	/* Outside a structure. */
	for (size_t i = 0; i < ARRAY_SIZE(headers); i++)
		if (len >= strlen(headers[i]) && memcmp(s, headers[i], strlen(headers[i])) == 0) {
			if (!p->started && i >= 2)
				break;   /* before dmidecode's first line only "SMBIOS x.y present" starts it */
			if (i == 0) {
				unsigned major, minor;
				if (sscanf(s, "SMBIOS %u.%u", &major, &minor) == 2 && major < 256 && minor < 256) {
					p->version = (int)(major << 8 | minor);
					p->out->smbios_major = (int)major;
					p->out->smbios_minor = (int)minor;
				}
			}
			p->started = true;
			return 0;
		}
	if (p->started && s[0] >= '0' && s[0] <= '9' && memmem(s, len, " structures occupying ", 22))
		return 0;
	{
		bool known;
		int type = title_type(s, len, &known);

		if (known) {
			begin_struct(p, type, -1);
			p->have_title = true;
			return 0;
		}
	}
	if (!p->started && p->lineno <= DMIDECODE_MAX_PREAMBLE)
		return 0;
	if (!p->started)
		return fail(p, "no dmidecode output in the first %u lines (no 'Handle 0x..., DMI type', "
		            "'SMBIOS x.y present' or structure title)", DMIDECODE_MAX_PREAMBLE);
	return fail(p, "not dmidecode output: an unindented line that is no handle, header or structure title");
}

int dmidecode_parse(const char *text, size_t len, struct dmi_facts *out, struct text_error *err)
{
	struct parser p = { .out = out, .err = err, .version = -1 };
	const char *end = text ? text + len : NULL;
	int r = 0;

	memset(out, 0, sizeof(*out));
	memset(err, 0, sizeof(*err));
	out->vm_bit = out->uefi_bit = -1;
	end_struct(&p);
	for (const char *s = text; s && s < end; ) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);

		if (p.lineno == UINT32_MAX) {
			r = fail(&p, "too many lines");
			break;
		}
		p.lineno++;
		if ((r = line(&p, s, n)) < 0 || p.done)
			break;
		s = nl ? nl + 1 : end;
	}
	if (r == 0) {
		end_struct(&p);
		if (!p.started) {
			p.lineno = 1;
			r = fail(&p, "not dmidecode output: no 'Handle 0x..., DMI type', 'SMBIOS x.y present' or "
			         "structure title");
		}
	}
	if (r < 0) {
		dmi_facts_free(out);
		out->vm_bit = out->uefi_bit = -1;
	}
	return r;
}
