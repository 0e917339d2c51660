/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A kernel boot log (bootlog.h). Each line first loses what the tool that
 * printed it put in front of the kernel's message, in any order and nesting:
 *
 *   <6>                                     dmesg -r, /dev/kmsg priorities
 *   [    0.000000]  [Mon Nov 30 11:35:00 2020]   dmesg, dmesg -T timestamps
 *   kern  :info  :                          dmesg -x
 *   Nov 30 11:35:00 host kernel:            journalctl -k, syslog (up to "kernel:")
 *   ESC[0m ...                              terminal sequences on a serial console
 *
 * then the message is matched against the few lines the kernel prints about
 * its platform. Nothing else is read; nothing is an error.
 *
 * One boot only: a second "Linux version" line (a log of several boots) ends
 * the reading, so facts of different boots (a VM migrated, a disk moved to
 * other hardware) never mix.
 */
#define _GNU_SOURCE
#include "bootlog.h"

#include <stdio.h>
#include <string.h>

#include "base/internal.h"
#include "probe/smbios.h"

struct span {
	const char *s;
	size_t n;
};

static bool starts(struct span m, const char *prefix, struct span *rest)
{
	size_t l = strlen(prefix);

	if (m.n < l || memcmp(m.s, prefix, l) != 0)
		return false;
	if (rest)
		*rest = (struct span) { m.s + l, m.n - l };
	return true;
}

static bool has(struct span m, const char *needle)
{
	return memmem(m.s, m.n, needle, strlen(needle)) != NULL;
}

static struct span trim(struct span m)
{
	while (m.n > 0 && (m.s[0] == ' ' || m.s[0] == '\t'))
		m.s++, m.n--;
	while (m.n > 0 && (m.s[m.n - 1] == ' ' || m.s[m.n - 1] == '\t' || m.s[m.n - 1] == '\r'))
		m.n--;
	return m;
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* Drop one prefix a printing tool adds; false when there is none. */
static bool strip_one(struct span *m)
{
	const char *s = m->s;
	size_t n = m->n, i;

	/* Terminal escape sequences (CSI ... final byte) and carriage returns of a serial console. */
	if (n >= 2 && s[0] == '\x1b' && s[1] == '[') {
		for (i = 2; i < n && i < 32 && !(s[i] >= 0x40 && s[i] <= 0x7e); i++)
			;
		if (i < n && i < 32) {
			*m = (struct span) { s + i + 1, n - i - 1 };
			return true;
		}
		return false;
	}
	if (n >= 1 && (s[0] == '\r' || s[0] == ' ')) {
		*m = (struct span) { s + 1, n - 1 };
		return true;
	}
	/* "<6>" */
	if (n >= 3 && s[0] == '<' && is_digit(s[1])) {
		for (i = 1; i < n && i < 6 && is_digit(s[i]); i++)
			;
		if (i < n && s[i] == '>') {
			*m = (struct span) { s + i + 1, n - i - 1 };
			return true;
		}
		return false;
	}
	/* "[    0.000000]" or "[Mon Nov 30 11:35:00 2020]": digits, blanks, '.', ':', letters. */
	if (n >= 3 && s[0] == '[') {
		bool digit = false;
		for (i = 1; i < n && i < 48 && s[i] != ']'; i++) {
			char c = s[i];
			digit |= is_digit(c);
			if (!(is_digit(c) || c == ' ' || c == '.' || c == ':' || c == ',' || c == '-' ||
			      (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
				return false;
		}
		if (i < n && s[i] == ']' && digit) {
			*m = (struct span) { s + i + 1, n - i - 1 };
			return true;
		}
		return false;
	}
	/* dmesg -x: "kern  :info  : " */
	if (n > 5 && memcmp(s, "kern ", 5) == 0) {
		const char *c1 = memchr(s, ':', n < 16 ? n : 16);
		const char *c2 = c1 ? memchr(c1 + 1, ':', (size_t)(s + (n < 24 ? n : 24) - c1 - 1)) : NULL;
		if (c2) {
			*m = (struct span) { c2 + 1, (size_t)(s + n - c2 - 1) };
			return true;
		}
		return false;
	}
	/* syslog / journal: "... kernel: " or "kernel:[" within the first 160 bytes. */
	{
		size_t lim = n < 160 ? n : 160;
		const char *k = memmem(s, lim, "kernel:", 7);
		if (k && (k == s || k[-1] == ' ')) {
			*m = (struct span) { k + 7, (size_t)(s + n - k - 7) };
			return true;
		}
	}
	return false;
}

static struct span message(const char *s, size_t n)
{
	struct span m = { s, n < BOOTLOG_MAX_LINE ? n : BOOTLOG_MAX_LINE };

	while (m.n > 0 && (m.s[m.n - 1] == '\r' || m.s[m.n - 1] == ' '))
		m.n--;
	for (int i = 0; i < 64 && strip_one(&m); i++)
		;
	return m;
}

/* A malloc'ed copy of M: capped, trimmed; NULL in *OUT when blank. */
static int dup_span(struct span m, char **out)
{
	*out = NULL;
	m = trim(m);
	if (m.n > SMBIOS_MAX_STRING)
		m.n = SMBIOS_MAX_STRING;
	if (m.n == 0)
		return 0;
	*out = strndup(m.s, m.n);
	return *out ? 0 : -ENOMEM;
}

static int set_string(char **field, struct text_line *at, struct span m, uint32_t line)
{
	int r;

	if (*field)
		return 0;
	r = dup_span(m, field);
	if (r == 0 && *field)
		*at = (struct text_line) { TEXT_LOG, line };
	return r;
}

/* ------------------------------------------------------------------ DMI */

static int dmi_set(struct dmi_facts *d, enum dmi_field f, struct span m, uint32_t line)
{
	int r = set_string(&d->field[f], &d->field_line[f], m, line);

	if (d->field[f])
		d->field_src[f] = SRC_SYSFS;
	return r;
}

/* A BIOS date as firmware writes it: digits and at least two '/' or '-' ("04/01/2014", "2014-04-01"). */
static bool date_like(struct span m)
{
	unsigned sep = 0;

	if (m.n < 6 || m.n > 10)
		return false;
	for (size_t i = 0; i < m.n; i++) {
		if (m.s[i] == '/' || m.s[i] == '-')
			sep++;
		else if (!is_digit(m.s[i]))
			return false;
	}
	return sep == 2;
}

/*
 * Vendors whose names hold blanks, from the signature tables and common
 * hardware: a prefix match decides the split first. Longest first where one
 * is a prefix of another.
 */
static const char *const vendors[] = {
	"Microsoft Corporation", "VMware, Inc.", "innotek GmbH", "Oracle Corporation", "Amazon EC2",
	"Alibaba Cloud", "Red Hat Inc.", "Red Hat", "OpenStack Foundation", "Cloud Hypervisor",
	"Parallels Software International Inc.", "Parallels International GmbH.", "Apple Inc.", "Dell Inc.",
	"Hewlett-Packard", "Super Micro Computer, Inc.", "ASUSTeK COMPUTER INC.", "ASUSTeK Computer Inc.",
	"Gigabyte Technology Co., Ltd.", "Micro-Star International Co., Ltd.", "Intel Corporation",
	"Intel(R) Client Systems", "To Be Filled By O.E.M.", "System manufacturer", "Default string",
	"Quanta Cloud Technology Inc.", "Cisco Systems Inc", "Google", "Tencent Cloud",
};

/* Words that end a company's name ("Dell Inc.", "innotek GmbH", "Foo Co., Ltd."). */
static const char *const company_suffixes[] = {
	"Inc.", "Inc", "INC.", "Corporation", "Corp.", "GmbH", "GmbH.", "Ltd.", "Ltd", "LTD", "LLC", "AG",
	"S.A.", "B.V.", "Co.,Ltd.", "Limited",
};

static bool word_at(struct span m, size_t i, const char *w)
{
	size_t l = strlen(w);
	return i + l <= m.n && memcmp(m.s + i, w, l) == 0 && (i + l == m.n || m.s[i + l] == ' ');
}

/* Where the vendor ends in "VENDOR PRODUCT" (the index of the separating blank), or M.n when no product. */
static size_t vendor_end(struct span vp, struct span board)
{
	const char *sp;

	if (vp.n > 0 && vp.s[vp.n - 1] == ' ')
		return vp.n - 1;        /* empty product */
	/* 1. A known vendor. */
	for (size_t i = 0; i < ARRAY_SIZE(vendors); i++)
		if (word_at(vp, 0, vendors[i]) && strlen(vendors[i]) < vp.n)
			return strlen(vendors[i]);
	/* 2. The product is the board (most VMs, many boards): "innotek GmbH VirtualBox/VirtualBox". */
	if (board.n > 0 && board.n + 1 < vp.n && vp.s[vp.n - board.n - 1] == ' ' &&
	    memcmp(vp.s + vp.n - board.n, board.s, board.n) == 0)
		return vp.n - board.n - 1;
	/* 3. A company suffix closes the vendor. */
	for (size_t i = 0; i + 1 < vp.n; i++) {
		if (vp.s[i] != ' ')
			continue;
		for (size_t k = 0; k < ARRAY_SIZE(company_suffixes); k++) {
			size_t l = strlen(company_suffixes[k]);
			if (word_at(vp, i + 1, company_suffixes[k]) && i + 1 + l < vp.n)
				return i + 1 + l;
		}
	}
	/* 4. The first word. */
	sp = memchr(vp.s, ' ', vp.n);
	return sp ? (size_t)(sp - vp.s) : vp.n;
}

int bootlog_dmi_ident(const char *s, size_t len, uint32_t line, struct dmi_facts *d)
{
	struct span all = { s, len }, ident, bios, vp, board = { NULL, 0 };
	const char *p = NULL, *slash = NULL;
	size_t ve;
	int r;

	/* The last ", BIOS ": the BIOS version is the field least likely to hold one. */
	for (const char *q = all.s; (q = memmem(q, (size_t)(all.s + all.n - q), ", BIOS ", 7)); q++)
		p = q;
	/* Blank version and date: the line ends in ", BIOS" once its trailing blanks are gone. */
	if (!p && all.n >= 6 && memcmp(all.s + all.n - 6, ", BIOS", 6) == 0)
		p = all.s + all.n - 6;
	if (!p)
		return 0;
	ident = (struct span) { all.s, (size_t)(p - all.s) };
	bios = p + 7 <= all.s + all.n ? (struct span) { p + 7, (size_t)(all.s + all.n - p - 7) }
	                              : (struct span) { all.s + all.n, 0 };
	while (bios.n > 0 && bios.s[bios.n - 1] == ' ')
		bios.n--;

	/* BIOS: "<version> <date>"; a last word that is no date belongs to the version. */
	{
		const char *sp = bios.n ? memrchr(bios.s, ' ', bios.n) : NULL;
		struct span date = { NULL, 0 }, version = bios;

		if (sp) {
			date = (struct span) { sp + 1, (size_t)(bios.s + bios.n - sp - 1) };
			version = (struct span) { bios.s, (size_t)(sp - bios.s) };
		} else if (date_like(bios)) {
			date = bios;
			version = (struct span) { bios.s, 0 };
		}
		if (date.n && !date_like(date)) {
			version = bios;
			date.n = 0;
		}
		if ((r = dmi_set(d, DMI_BIOS_VERSION, version, line)) < 0 ||
		    (r = dmi_set(d, DMI_BIOS_DATE, date, line)) < 0)
			return r;
	}

	/* "<vendor> <product>/<board>": the board follows the last '/', absent without one. */
	if (ident.n)
		slash = memrchr(ident.s, '/', ident.n);
	vp = ident;
	if (slash) {
		board = (struct span) { slash + 1, (size_t)(ident.s + ident.n - slash - 1) };
		vp.n = (size_t)(slash - ident.s);
		if ((r = dmi_set(d, DMI_BOARD_NAME, board, line)) < 0)
			return r;
	}
	if (vp.n > 0 && vp.s[0] == ' ') {
		/* An empty vendor: the kernel printed "" then the blank. */
		r = dmi_set(d, DMI_PRODUCT_NAME, (struct span) { vp.s + 1, vp.n - 1 }, line);
	} else {
		ve = vendor_end(vp, board);
		r = dmi_set(d, DMI_SYS_VENDOR, (struct span) { vp.s, ve }, line);
		if (r == 0 && ve < vp.n)
			r = dmi_set(d, DMI_PRODUCT_NAME, (struct span) { vp.s + ve + 1, vp.n - ve - 1 }, line);
	}
	if (r < 0)
		return r;
	d->present = true;
	return 1;
}

/* ------------------------------------------------------------------ ACPI */

static void fixed(struct span *m, size_t width, char *out, size_t out_size)
{
	struct span f = { m->s, m->n < width ? m->n : width };

	m->s += f.n;
	m->n -= f.n;
	f = trim(f);
	if (f.n >= out_size)
		f.n = out_size - 1;
	for (size_t i = 0; i < f.n; i++)
		out[i] = f.s[i] ? f.s[i] : '?';
	out[f.n] = '\0';
}

static bool skip_hex(struct span *m, bool allow_0x)
{
	size_t i = 0;

	if (allow_0x && m->n >= 2 && m->s[0] == '0' && (m->s[1] == 'x' || m->s[1] == 'X'))
		i = 2;
	size_t start = i;
	while (i < m->n && i < 24 && ((m->s[i] >= '0' && m->s[i] <= '9') || (m->s[i] >= 'a' && m->s[i] <= 'f') ||
	                               (m->s[i] >= 'A' && m->s[i] <= 'F')))
		i++;
	if (i == start)
		return false;
	m->s += i;
	m->n -= i;
	return true;
}

static bool skip_char(struct span *m, char c)
{
	if (m->n == 0 || m->s[0] != c)
		return false;
	m->s++, m->n--;
	return true;
}

/*
 * "FACP 0x00000000BFFE1C6B 000074 (v01 BOCHS  BXPC     00000001 BXPC 00000001)"
 * (acpi_tb_print_table_header: fixed-width fields, left-aligned today,
 * right-aligned in kernels before 4.x, without "0x" then); "RSDP ... (v02 BOCHS )".
 */
static int acpi_line(struct span m, uint32_t line, struct acpi_facts *a)
{
	struct acpi_table t = { 0 };
	struct span sig = { m.s, 4 };
	const char *lp;

	if (m.n < 12 || m.s[4] != ' ')
		return 0;
	for (size_t i = 0; i < 4; i++)
		if ((unsigned char)m.s[i] < 0x21 || (unsigned char)m.s[i] > 0x7e)
			return 0;
	m.s += 5, m.n -= 5;
	if (!skip_hex(&m, true) || !skip_char(&m, ' ') || !skip_hex(&m, false))
		return 0;
	while (m.n && m.s[0] == ' ')
		m.s++, m.n--;
	if (m.n < 6 || memcmp(m.s, "(v", 2) != 0 || !is_digit(m.s[2]) || !is_digit(m.s[3]) || m.s[4] != ' ')
		return 0;
	t.revision = (uint8_t)((m.s[2] - '0') * 10 + (m.s[3] - '0'));
	m.s += 5, m.n -= 5;
	lp = memchr(m.s, ')', m.n);
	if (!lp)
		return 0;
	m.n = (size_t)(lp - m.s);
	memcpy(t.signature, sig.s, 4);
	fixed(&m, 6, t.oem_id, sizeof(t.oem_id));
	skip_char(&m, ' ');
	fixed(&m, 8, t.oem_table_id, sizeof(t.oem_table_id));
	skip_char(&m, ' ');
	if (m.n >= 8)
		m.s += 8, m.n -= 8;   /* OEM revision */
	skip_char(&m, ' ');
	fixed(&m, 4, t.creator_id, sizeof(t.creator_id));
	t.at = (struct text_line) { TEXT_LOG, line };

	if (a->n_tables >= BOOTLOG_MAX_TABLES)
		return 0;
	if (!a->tables) {
		a->tables = calloc(BOOTLOG_MAX_TABLES, sizeof(*a->tables));
		if (!a->tables)
			return -ENOMEM;
	}
	a->tables[a->n_tables++] = t;
	a->present = true;
	return 0;
}

/* ------------------------------------------------------------ clocksources */

static bool clock_char(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '-' || c == '.';
}

/* Clocksources every machine of its architecture registers: the line of the first other one is the fact's. */
static bool generic_clock(struct span n)
{
	static const char *const generic[] = { "tsc-early", "tsc", "hpet", "acpi_pm", "jiffies", "refined-jiffies",
	                                       "pit", "arch_sys_counter" };
	for (size_t i = 0; i < ARRAY_SIZE(generic); i++)
		if (n.n == strlen(generic[i]) && memcmp(n.s, generic[i], n.n) == 0)
			return true;
	return false;
}

/* Append NAME to the blank-separated list, unless it is there already. */
static int add_clock(struct platform_facts *p, struct span name)
{
	size_t old = p->clocksources ? strlen(p->clocksources) : 0;
	char *joined;

	for (const char *q = p->clocksources; q && *q; ) {
		const char *sp = strchr(q, ' ');
		size_t l = sp ? (size_t)(sp - q) : strlen(q);
		if (l == name.n && memcmp(q, name.s, l) == 0)
			return 0;
		q = sp ? sp + 1 : q + l;
	}
	joined = realloc(p->clocksources, old + name.n + 2);
	if (!joined)
		return -ENOMEM;
	if (old)
		joined[old++] = ' ';
	memcpy(joined + old, name.s, name.n);
	joined[old + name.n] = '\0';
	p->clocksources = joined;
	return 1;
}

/* -------------------------------------------------------------- the lines */

struct reader {
	struct facts *f;
	uint32_t line;
	unsigned n_clocks;
	bool clock_telling;     /* the fact's line is a clocksource not every machine registers */
	bool seen_linux;        /* a "Linux version" line was read */
};

static int clock(struct reader *rd, struct span name)
{
	struct platform_facts *p = &rd->f->plat;
	size_t i = 0;
	int r;

	while (i < name.n && i < 64 && clock_char(name.s[i]))
		i++;
	name.n = i;
	if (name.n == 0 || rd->n_clocks >= BOOTLOG_MAX_CLOCKS)
		return 0;
	r = add_clock(p, name);
	if (r <= 0)
		return r;
	rd->n_clocks++;
	/* The fact's line: the first clocksource not every machine registers, else the first. */
	if (!p->clocksources_line.text || (!rd->clock_telling && !generic_clock(name)))
		p->clocksources_line = (struct text_line) { TEXT_LOG, rd->line };
	rd->clock_telling |= !generic_clock(name);
	return 0;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lt = strlen(suffix);
	return ls >= lt && strcmp(s + ls - lt, suffix) == 0;
}

/* Returns 1 to stop reading (a second boot), 0, or -ENOMEM. */
static int read_line(struct reader *rd, struct span m)
{
	struct facts *f = rd->f;
	struct platform_facts *p = &f->plat;
	struct span rest;

	if (starts(m, "Linux version ", &rest)) {
		const char *sp;
		if (rd->seen_linux)
			return 1;
		rd->seen_linux = true;
		sp = memchr(rest.s, ' ', rest.n);
		if (sp)
			rest.n = (size_t)(sp - rest.s);
		int r = set_string(&p->osrelease, &p->osrelease_line, rest, rd->line);
		if (r < 0 || !p->osrelease || p->arch)
			return r;
		/* Distribution kernels name their architecture: Debian "-amd64"/"-arm64", Fedora ".x86_64"/".aarch64". */
		const char *arch = NULL;
		if (ends_with(p->osrelease, "amd64") || ends_with(p->osrelease, "x86_64"))
			arch = "x86_64";
		else if (ends_with(p->osrelease, "arm64") || ends_with(p->osrelease, "aarch64"))
			arch = "aarch64";
		if (arch) {
			p->arch = strdup(arch);
			if (!p->arch)
				return -ENOMEM;
			p->arch_line = p->osrelease_line;
		}
		return 0;
	}
	if (starts(m, "DMI: ", &rest) || starts(m, "Hardware name: ", &rest)) {
		if (f->dmi.present)
			return 0;
		int r = bootlog_dmi_ident(rest.s, rest.n, rd->line, &f->dmi);
		return r < 0 ? r : 0;
	}
	if (starts(m, "Hypervisor detected: ", &rest))
		return set_string(&p->hypervisor_detected, &p->hypervisor_detected_line, rest, rd->line);
	if (starts(m, "smccc: KVM: hypervisor services detected", NULL))
		return set_string(&p->hypervisor_detected, &p->hypervisor_detected_line,
		                  (struct span) { "KVM", 3 }, rd->line);
	if (starts(m, "Booting paravirtualized kernel on ", &rest))
		return set_string(&p->paravirt_on, &p->paravirt_on_line, rest, rd->line);
	if (starts(m, "ACPI: ", &rest))
		return acpi_line(rest, rd->line, &f->acpi);
	if (starts(m, "efi: ", &rest)) {
		if (!p->efi && (starts(rest, "EFI v", NULL) || has(rest, "ACPI=0x") || has(rest, "ACPI 2.0=0x") ||
		                has(rest, "SMBIOS=0x") || has(rest, "SMBIOS 3.0=0x"))) {
			p->efi = true;
			p->efi_line = (struct text_line) { TEXT_LOG, rd->line };
		}
		return 0;
	}
	if (starts(m, "clocksource: Switched to clocksource ", &rest) || starts(m, "Switched to clocksource ", &rest))
		return clock(rd, rest);
	if (starts(m, "clocksource: ", &rest) && has(rest, ": mask: 0x"))
		return clock(rd, rest);
	if (starts(m, "kvm-clock: Using msrs ", NULL))
		return clock(rd, (struct span) { "kvm-clock", 9 });
	if (starts(m, "hv_vmbus: Vmbus version:", NULL) || starts(m, "hv_vmbus: Vmbus version ", NULL)) {
		if (!p->vmbus) {
			p->vmbus = true;
			p->vmbus_line = (struct text_line) { TEXT_LOG, rd->line };
		}
		return 0;
	}
	return 0;
}

int bootlog_parse(const char *text, size_t len, struct facts *f)
{
	struct reader rd = { .f = f };
	const char *end = text ? text + len : NULL;
	int r = 0;

	memset(f, 0, sizeof(*f));
	f->dmi.vm_bit = f->dmi.uefi_bit = -1;
	for (const char *s = text; s && s < end && rd.line < UINT32_MAX; ) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);

		rd.line++;
		/* A NUL ends a C string early: the rest of such a line is not looked at. */
		const char *nul = memchr(s, '\0', n);
		r = read_line(&rd, message(s, nul ? (size_t)(nul - s) : n));
		if (r != 0)
			break;
		s = nl ? nl + 1 : end;
	}
	if (r < 0) {
		facts_free(f);
		f->dmi.vm_bit = f->dmi.uefi_bit = -1;
		return r;
	}
	return 0;
}
