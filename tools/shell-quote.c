/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include "shell-quote.h"

void shell_quote(struct buf *b, const char *s)
{
	buf_putc(b, '\'');
	for (const char *p = s ? s : ""; *p; ) {
		size_t run = strcspn(p, "'");
		buf_append(b, p, run);
		p += run;
		if (*p == '\'') {
			buf_puts(b, "'\\''");
			p++;
		}
	}
	buf_putc(b, '\'');
}

void shell_quote_if_needed(struct buf *b, const char *s)
{
	static const char safe[] =
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-+./,:@%";

	/* A leading '-' would read as an option, a leading '~' or '=' as an expansion. */
	if (s && *s && s[0] != '-' && strspn(s, safe) == strlen(s))
		buf_puts(b, s);
	else
		shell_quote(b, s);
}
