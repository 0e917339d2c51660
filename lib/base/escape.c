/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define _GNU_SOURCE
#include <string.h>

#include "escape.h"

static bool plain_byte(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '\\';
}

bool name_is_plain(const char *s)
{
	for (; s && *s; s++)
		if (!plain_byte((unsigned char)*s))
			return false;
	return true;
}

void strbuf_escaped(struct strbuf *sb, const char *s)
{
	size_t i = 0;

	if (!s) {
		strbuf_puts(sb, "(null)");
		return;
	}
	for (; i < ESCAPE_MAX_IN && s[i]; i++) {
		unsigned char c = (unsigned char)s[i];
		size_t run = 0;
		while (i + run < ESCAPE_MAX_IN && s[i + run] && plain_byte((unsigned char)s[i + run]))
			run++;
		if (run) {
			strbuf_append(sb, s + i, run);
			i += run - 1;
		} else if (c == '\\') {
			strbuf_puts(sb, "\\\\");
		} else {
			strbuf_printf(sb, "\\x%02x", c);
		}
	}
	if (s[i])
		strbuf_puts(sb, "...");
}

char *escape_name(const char *s)
{
	struct strbuf sb = { 0 };

	strbuf_escaped(&sb, s);
	strbuf_puts(&sb, "");
	return strbuf_steal(&sb);
}
