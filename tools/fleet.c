/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Fleet facts: Ansible and Prometheus (see fleet.h). Public API only. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fleet.h"

/* ---- Ansible ---- */

/* JSON of one library renderer without its closing "}\n", so that members can follow. */
static int json_open_object(struct buf *b, char *json)
{
	size_t l = strlen(json);

	while (l && (json[l - 1] == '\n' || json[l - 1] == ' '))
		l--;
	if (!l || json[0] != '{' || json[l - 1] != '}')
		return -EBADMSG;
	buf_append(b, json, l - 1);
	return 0;
}

int fleet_ansible(struct buf *b, const struct hvd_verdict *v, const struct hvd_selection *sel)
{
	char *vj = NULL, *sj = NULL;
	int r = hvd_verdict_to_json(v, &vj);

	if (r >= 0 && sel)
		r = hvd_selection_format(sel, "json", &sj);
	if (r >= 0)
		r = json_open_object(b, vj);
	if (r >= 0) {
		if (sel)
			buf_printf(b, ", \"missing_boot_drivers\": %zu, \"selection\": ",
			           hvd_selection_get_missing_boot_count(sel));
		else
			buf_puts(b, ", \"missing_boot_drivers\": null, \"selection\": null");
		if (sj) {
			size_t l = strlen(sj);
			while (l && sj[l - 1] == '\n')
				l--;
			buf_append(b, sj, l);
		}
		buf_puts(b, "}\n");
	}
	free(vj);
	free(sj);
	return r;
}

/* ---- Prometheus ---- */

/* The code point of the UTF-8 sequence at S (N bytes left), its length in *LEN; -1 if invalid. */
static long utf8_decode(const unsigned char *s, size_t n, size_t *len)
{
	unsigned long c;
	size_t need;

	*len = 1;
	if (s[0] < 0x80)
		return s[0];
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		c = s[0] & 0x1f;
		need = 1;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		c = s[0] & 0x0f;
		need = 2;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		c = s[0] & 0x07;
		need = 3;
	} else {
		return -1;
	}
	if (n < need + 1)
		return -1;
	for (size_t i = 1; i <= need; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return -1;
		c = (c << 6) | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and code points past U+10FFFF are not UTF-8. */
	if ((need == 2 && c < 0x800) || (need == 3 && c < 0x10000) || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return -1;
	*len = need + 1;
	return (long)c;
}

/* Zero-width, bidi and other invisible formatting characters: the set term-escape.c escapes. */
static bool invisible(long c)
{
	return c == 0xad || (c >= 0x200b && c <= 0x200f) || (c >= 0x2028 && c <= 0x202e) ||
	       (c >= 0x2060 && c <= 0x206f) || c == 0xfeff || (c >= 0xfff9 && c <= 0xfffb);
}

void prom_label_value(struct buf *b, const char *str, size_t max)
{
	const unsigned char *s = (const unsigned char *)(str ? str : "");
	size_t n = strlen((const char *)s), chars = 0;

	for (size_t i = 0; i < n && chars < max; chars++) {
		size_t len;
		long c = utf8_decode(s + i, n - i, &len);

		if (c == '\\')
			buf_puts(b, "\\\\");
		else if (c == '"')
			buf_puts(b, "\\\"");
		else if (c == '\n')
			buf_puts(b, "\\n");
		else if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) || invisible(c))
			/* Not UTF-8, a control character a reader could trip over, or one that
			 * disguises the text around it in a dashboard: U+FFFD. */
			buf_puts(b, "\xef\xbf\xbd");
		else
			buf_append(b, (const char *)s + i, len);
		i += len;
	}
}

/* The first DMI fact named NAME among the evidence: sysfs, SMBIOS, dmidecode text ("line N: NAME"). */
static const char *dmi_value(const struct hvd_verdict *v, const char *name)
{
	size_t n = hvd_verdict_get_evidence_count(v), nl = strlen(name);

	for (size_t i = 0; i < n; i++) {
		const struct hvd_evidence *e = hvd_verdict_get_evidence(v, i);
		size_t kl;

		if (!e || !e->source || !e->key || !e->value)
			continue;
		if (strcmp(e->source, "dmi") != 0 && strcmp(e->source, "smbios") != 0 &&
		    strcmp(e->source, "dmidecode") != 0)
			continue;
		kl = strlen(e->key);
		if (strcmp(e->key, name) == 0 || (kl > nl + 2 && strcmp(e->key + kl - nl, name) == 0 &&
		                                  e->key[kl - nl - 1] == ' ' && e->key[kl - nl - 2] == ':'))
			return e->value;
	}
	return NULL;
}

static void label(struct buf *b, bool first, const char *name, const char *value, size_t max)
{
	buf_printf(b, "%s%s=\"", first ? "" : ",", name);
	prom_label_value(b, value, max);
	buf_putc(b, '"');
}

enum { LABEL_MAX = 128 };

int fleet_prometheus(struct buf *b, const struct hvd_verdict *v, const struct hvd_selection *sel)
{
	char gen[16] = "";

	if (hvd_verdict_get_generation(v))
		snprintf(gen, sizeof(gen), "%d", hvd_verdict_get_generation(v));
	buf_puts(b, "# HELP hvdetect_info What hvdetect found this machine runs on (the labels); always 1.\n"
	            "# TYPE hvdetect_info gauge\n"
	            "hvdetect_info{");
	label(b, true, "hypervisor", hvd_verdict_get_hypervisor(v), LABEL_MAX);
	label(b, false, "platform", hvd_verdict_get_platform(v), LABEL_MAX);
	label(b, false, "generation", gen, LABEL_MAX);
	label(b, false, "firmware", hvd_verdict_get_firmware(v), LABEL_MAX);
	label(b, false, "role", hvd_verdict_get_role(v), LABEL_MAX);
	label(b, false, "confidential", hvd_verdict_get_confidential(v), LABEL_MAX);
	label(b, false, "systemd_id", hvd_verdict_get_systemd_id(v), LABEL_MAX);
	label(b, false, "arch", hvd_verdict_get_arch(v), LABEL_MAX);
	/* The machine's own words: attacker-controlled, escaped and cut. */
	label(b, false, "vendor", dmi_value(v, "sys_vendor"), LABEL_MAX);
	label(b, false, "product", dmi_value(v, "product_name"), LABEL_MAX);
	label(b, false, "version", hvd_version(), LABEL_MAX);
	buf_puts(b, "} 1\n");
	buf_printf(b, "# HELP hvdetect_confidence How sure hvdetect is of its verdict, 0 to 100.\n"
	              "# TYPE hvdetect_confidence gauge\n"
	              "hvdetect_confidence %d\n", hvd_verdict_get_confidence(v));
	if (sel) {
		buf_puts(b, "# HELP hvdetect_missing_boot_drivers Boot-tier drivers this machine needs that the kernel lacks.\n"
		            "# TYPE hvdetect_missing_boot_drivers gauge\n"
		            "hvdetect_missing_boot_drivers{");
		label(b, true, "kernel", hvd_selection_get_kernel(sel), LABEL_MAX);
		buf_printf(b, "} %zu\n", hvd_selection_get_missing_boot_count(sel));
	}
	return b->oom ? -ENOMEM : 0;
}
