/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "shell-quote.h"
#include "term-escape.h"

int output_line(struct buf *b, const struct hvd_verdict *v)
{
	const char *platform = hvd_verdict_get_platform(v);

	/* Identifiers are the library's own lower-case words, but never trust a format blindly. */
	term_escape(b, hvd_verdict_get_hypervisor(v), SIZE_MAX, 0);
	if (platform) {
		buf_putc(b, ' ');
		term_escape(b, platform, SIZE_MAX, 0);
	}
	buf_putc(b, '\n');
	return 0;
}

int output_json(struct buf *b, const struct hvd_verdict *v)
{
	char *json = NULL;
	int r = hvd_verdict_to_json(v, &json);

	if (r < 0)
		return r;
	buf_puts(b, json);
	free(json);
	return 0;
}

static void shell_var(struct buf *b, const char *name, const char *value)
{
	buf_puts(b, name);
	buf_putc(b, '=');
	shell_quote(b, value);
	buf_putc(b, '\n');
}

static void shell_var_int(struct buf *b, const char *name, long long value)
{
	char num[32];

	snprintf(num, sizeof(num), "%lld", value);
	shell_var(b, name, num);
}

int output_shell(struct buf *b, const struct hvd_verdict *v)
{
	size_t n = hvd_verdict_get_evidence_count(v);
	char name[64];

	shell_var(b, "HVD_HYPERVISOR", hvd_verdict_get_hypervisor(v));
	shell_var(b, "HVD_PLATFORM", hvd_verdict_get_platform(v));
	int gen = hvd_verdict_get_generation(v);
	if (gen)
		shell_var_int(b, "HVD_GENERATION", gen);
	else
		shell_var(b, "HVD_GENERATION", "");
	shell_var(b, "HVD_FIRMWARE", hvd_verdict_get_firmware(v));
	shell_var(b, "HVD_ROLE", hvd_verdict_get_role(v));
	shell_var(b, "HVD_CONFIDENTIAL", hvd_verdict_get_confidential(v));
	shell_var(b, "HVD_SYSTEMD_ID", hvd_verdict_get_systemd_id(v));
	shell_var(b, "HVD_ARCH", hvd_verdict_get_arch(v));
	shell_var_int(b, "HVD_CONFIDENCE", hvd_verdict_get_confidence(v));
	shell_var_int(b, "HVD_EVIDENCE_COUNT", (long long)n);
	for (size_t i = 0; i < n; i++) {
		const struct hvd_evidence *e = hvd_verdict_get_evidence(v, i);
		if (!e)
			return -EINVAL;
#define EV(field, value) \
		(snprintf(name, sizeof(name), "HVD_EVIDENCE_%zu_" field, i), shell_var(b, name, value))
		EV("SOURCE", e->source);
		EV("KEY", e->key);
		EV("VALUE", e->value);
		EV("POINTS_TO", e->points_to);
		EV("NOTE", e->note);
#undef EV
		snprintf(name, sizeof(name), "HVD_EVIDENCE_%zu_WEIGHT", i);
		shell_var_int(b, name, e->weight);
	}
	return 0;
}

/* ---- --explain ---- */

enum { COL_SOURCE, COL_KEY, COL_VALUE, COL_POINTS_TO, COL_WEIGHT, COL_NOTE, N_COLS };

static const char *const col_title[N_COLS] = { "SOURCE", "KEY", "VALUE", "POINTS TO", "WEIGHT", "NOTE" };
/* Columns beyond these widths are cut: the full bytes are in --json and --shell. */
static const size_t col_max[N_COLS] = { 16, 40, 64, 20, 6, 160 };

/* One cell as it will be printed: quoted values show leading and trailing blanks and "". */
static void cell(struct buf *b, const struct hvd_evidence *e, int col)
{
	char num[16];

	switch (col) {
	case COL_SOURCE:    term_escape(b, e->source ? e->source : "-", col_max[col], 0); break;
	case COL_KEY:       term_escape(b, e->key ? e->key : "-", col_max[col], 0); break;
	case COL_POINTS_TO: term_escape(b, e->points_to ? e->points_to : "-", col_max[col], 0); break;
	case COL_NOTE:      term_escape(b, e->note ? e->note : "", col_max[col], 0); break;
	case COL_WEIGHT:
		snprintf(num, sizeof(num), "%d", e->weight);
		buf_puts(b, num);
		break;
	case COL_VALUE:
		if (!e->value) {
			buf_putc(b, '-');
			break;
		}
		buf_putc(b, '"');
		term_escape(b, e->value, col_max[col] - 2, TERM_QUOTED);
		buf_putc(b, '"');
		break;
	}
}

/* Cells are escaped ASCII plus passed-through UTF-8: count characters, not bytes. */
static size_t cell_width(const char *s, size_t len)
{
	size_t w = 0;
	for (size_t i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			w++;
	return w;
}

static void summary(struct buf *b, const char *label, const char *value)
{
	buf_printf(b, "%-14s", label);
	term_escape(b, value ? value : "-", 200, 0);
	buf_putc(b, '\n');
}

int output_explain(struct buf *b, const struct hvd_verdict *v)
{
	size_t n = hvd_verdict_get_evidence_count(v);
	size_t width[N_COLS];
	char num[32];

	summary(b, "hypervisor", hvd_verdict_get_hypervisor(v));
	summary(b, "platform", hvd_verdict_get_platform(v));
	snprintf(num, sizeof(num), "%d", hvd_verdict_get_generation(v));
	summary(b, "generation", hvd_verdict_get_generation(v) ? num : NULL);
	summary(b, "firmware", hvd_verdict_get_firmware(v));
	summary(b, "role", hvd_verdict_get_role(v));
	summary(b, "confidential", hvd_verdict_get_confidential(v));
	summary(b, "systemd id", hvd_verdict_get_systemd_id(v));
	summary(b, "arch", hvd_verdict_get_arch(v));
	snprintf(num, sizeof(num), "%d/100", hvd_verdict_get_confidence(v));
	summary(b, "confidence", num);
	buf_putc(b, '\n');
	if (n == 0) {
		buf_puts(b, "evidence: none\n");
		return 0;
	}

	for (int c = 0; c < N_COLS; c++)
		width[c] = strlen(col_title[c]);
	for (size_t i = 0; i < n; i++) {
		const struct hvd_evidence *e = hvd_verdict_get_evidence(v, i);
		if (!e)
			return -EINVAL;
		for (int c = 0; c < N_COLS; c++) {
			struct buf tmp = { 0 };
			cell(&tmp, e, c);
			if (tmp.oom)
				return -ENOMEM;
			size_t w = cell_width(tmp.data ? tmp.data : "", tmp.len);
			if (w > width[c])
				width[c] = w;
			buf_free(&tmp);
		}
	}

	struct buf row = { 0 };
	for (size_t i = 0; i <= n; i++) {
		const struct hvd_evidence *e = i ? hvd_verdict_get_evidence(v, i - 1) : NULL;
		row.len = 0;
		for (int c = 0; c < N_COLS; c++) {
			if (c)
				buf_puts(&row, "  ");
			size_t start = row.len;
			if (e)
				cell(&row, e, c);
			else
				buf_puts(&row, col_title[c]);
			size_t w = row.oom ? 0 : cell_width(row.data + start, row.len - start);
			/* Numbers align right, text left. */
			if (c == COL_WEIGHT && e) {
				struct buf tmp = { 0 };
				buf_append(&tmp, row.data + start, row.len - start);
				row.len = start;
				buf_pad(&row, width[c] - w);
				buf_append(&row, tmp.data ? tmp.data : "", tmp.len);
				if (tmp.oom)
					row.oom = true;
				buf_free(&tmp);
			} else if (c + 1 < N_COLS)
				buf_pad(&row, width[c] - w);
		}
		if (row.oom) {
			buf_free(&row);
			return -ENOMEM;
		}
		while (row.len > 0 && row.data[row.len - 1] == ' ')
			row.len--;
		buf_append(b, row.data, row.len);
		buf_putc(b, '\n');
	}
	buf_free(&row);
	return 0;
}
