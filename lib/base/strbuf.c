/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A growable string, and JSON string escaping that is safe for any bytes. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

static bool grow(struct strbuf *sb, size_t extra)
{
	if (sb->oom)
		return false;
	if (sb->len + extra + 1 <= sb->cap)
		return true;
	size_t ncap = sb->cap ? sb->cap : 256;
	while (ncap < sb->len + extra + 1) {
		if (ncap > SIZE_MAX / 2) {
			sb->oom = true;
			return false;
		}
		ncap *= 2;
	}
	char *n = realloc(sb->buf, ncap);
	if (!n) {
		sb->oom = true;
		return false;
	}
	sb->buf = n;
	sb->cap = ncap;
	return true;
}

void strbuf_append(struct strbuf *sb, const char *s, size_t len)
{
	if (!grow(sb, len))
		return;
	memcpy(sb->buf + sb->len, s, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

void strbuf_puts(struct strbuf *sb, const char *s)
{
	strbuf_append(sb, s, strlen(s));
}

void strbuf_printf(struct strbuf *sb, const char *format, ...)
{
	va_list ap;
	int n;

	va_start(ap, format);
	n = vsnprintf(NULL, 0, format, ap);
	va_end(ap);
	if (n < 0 || !grow(sb, (size_t)n))
		return;
	va_start(ap, format);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, format, ap);
	va_end(ap);
	sb->len += (size_t)n;
}

/* Length of the valid UTF-8 sequence at S (at most AVAIL bytes), or 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t avail)
{
	size_t n;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0) { n = 2; cp = s[0] & 0x1f; }
	else if ((s[0] & 0xf0) == 0xe0) { n = 3; cp = s[0] & 0x0f; }
	else if ((s[0] & 0xf8) == 0xf0) { n = 4; cp = s[0] & 0x07; }
	else return 0;
	if (n > avail)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* Reject overlong forms, surrogates and values past U+10FFFF. */
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

/*
 * Control characters become \uXXXX; a byte that is not part of valid UTF-8 is
 * written as \u00XX (its Latin-1 reading), so the output is always valid JSON
 * and no byte of the input is silently lost.
 */
void strbuf_json_string(struct strbuf *sb, const char *s)
{
	if (!s) {
		strbuf_puts(sb, "null");
		return;
	}
	const unsigned char *p = (const unsigned char *)s;
	size_t avail = strlen(s);

	strbuf_append(sb, "\"", 1);
	while (avail > 0) {
		/* Printable ASCII needs no escaping: copy the whole run at once (the common case). */
		size_t run = 0;
		while (run < avail && p[run] >= 0x20 && p[run] < 0x7f && p[run] != '"' && p[run] != '\\')
			run++;
		if (run > 0) {
			strbuf_append(sb, (const char *)p, run);
			p += run;
			avail -= run;
			continue;
		}
		size_t n = utf8_len(p, avail);
		if (n == 0) {
			strbuf_printf(sb, "\\u%04x", *p);
			n = 1;
		} else if (*p == '"' || *p == '\\') {
			char e[2] = { '\\', (char)*p };
			strbuf_append(sb, e, 2);
		} else if (*p == '\n') {
			strbuf_append(sb, "\\n", 2);
		} else if (*p == '\t') {
			strbuf_append(sb, "\\t", 2);
		} else if (*p < 0x20 || *p == 0x7f) {
			strbuf_printf(sb, "\\u%04x", *p);
		} else {
			strbuf_append(sb, (const char *)p, n);
		}
		p += n;
		avail -= n;
	}
	strbuf_append(sb, "\"", 1);
}

char *strbuf_steal(struct strbuf *sb)
{
	char *s = sb->oom ? NULL : sb->buf;

	if (!s && !sb->oom)
		s = strdup("");
	if (sb->oom)
		free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->cap = 0;
	sb->oom = false;
	return s;
}

void strbuf_free(struct strbuf *sb)
{
	free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->cap = 0;
	sb->oom = false;
}
