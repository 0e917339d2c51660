/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "term-escape.h"

/* Length of the valid UTF-8 sequence at P (at most AVAIL bytes) and its code point, or 0. */
static size_t utf8_decode(const unsigned char *p, size_t avail, uint32_t *cp)
{
	size_t n;
	uint32_t c, min;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	} else if ((p[0] & 0xe0) == 0xc0) {
		n = 2; c = p[0] & 0x1f; min = 0x80;
	} else if ((p[0] & 0xf0) == 0xe0) {
		n = 3; c = p[0] & 0x0f; min = 0x800;
	} else if ((p[0] & 0xf8) == 0xf0) {
		n = 4; c = p[0] & 0x07; min = 0x10000;
	} else
		return 0;
	if (avail < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

/* Characters that are valid but invisible or reorder text around them. */
static int hidden_codepoint(uint32_t c)
{
	return (c >= 0x80 && c <= 0x9f) ||          /* C1 controls */
	       c == 0xad ||                         /* soft hyphen */
	       (c >= 0x200b && c <= 0x200f) ||      /* zero width, LRM, RLM */
	       (c >= 0x2028 && c <= 0x202e) ||      /* line/paragraph separators, bidi embeddings */
	       (c >= 0x2060 && c <= 0x206f) ||      /* word joiner, bidi isolates */
	       c == 0xfeff ||                       /* BOM / zero width no-break space */
	       (c >= 0xfff9 && c <= 0xfffb);        /* interlinear annotation */
}

/* Escape one character at P into OUT (NUL-terminated); returns bytes consumed. */
static size_t escape_one(const unsigned char *p, size_t avail, unsigned int flags, char out[16])
{
	uint32_t c;
	size_t n = utf8_decode(p, avail, &c);

	if (n == 0) {
		snprintf(out, 16, "\\x%02x", p[0]);
		return 1;
	}
	if (n == 1) {
		switch (c) {
		case '\n': strcpy(out, "\\n"); break;
		case '\t': strcpy(out, "\\t"); break;
		case '\r': strcpy(out, "\\r"); break;
		default:
			if ((flags & TERM_QUOTED) && (c == '\\' || c == '"'))
				snprintf(out, 16, "\\%c", (char)c);
			else if (c < 0x20 || c == 0x7f)
				snprintf(out, 16, "\\x%02x", (unsigned)c);
			else {
				out[0] = (char)c;
				out[1] = '\0';
			}
		}
		return 1;
	}
	if (hidden_codepoint(c))
		snprintf(out, 16, "\\u{%04x}", (unsigned)c);
	else {
		memcpy(out, p, n);
		out[n] = '\0';
	}
	return n;
}

static size_t columns(const char *e)
{
	/* An escape is ASCII; a passed-through character is one column however many bytes. */
	return (unsigned char)e[0] >= 0x80 ? 1 : strlen(e);
}

size_t term_escape(struct buf *b, const char *s, size_t max_columns, unsigned int flags)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t avail = strlen(s), cols = 0;
	char e[16];

	while (avail > 0) {
		size_t used = escape_one(p, avail, flags, e);
		size_t w = columns(e);
		if (cols + w > max_columns) {
			buf_puts(b, "...");
			return cols + 3;
		}
		buf_puts(b, e);
		cols += w;
		p += used;
		avail -= used;
	}
	return cols;
}

size_t term_escape_ends(struct buf *b, const char *s, size_t max_columns, unsigned int flags)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t avail = strlen(s), total = 0, head, tail, cols = 0;
	char e[16];

	for (size_t off = 0; off < avail;) {
		off += escape_one(p + off, avail - off, flags, e);
		total += columns(e);
	}
	if (total <= max_columns || max_columns < 16)
		return term_escape(b, s, max_columns, flags);
	/* Half the budget for each end, less the " ... " between them. */
	head = (max_columns - 5) / 2;
	tail = max_columns - 5 - head;
	while (avail > 0) {
		size_t used = escape_one(p, avail, flags, e), w = columns(e);
		if (cols + w > head)
			break;
		buf_puts(b, e);
		cols += w;
		p += used;
		avail -= used;
	}
	buf_puts(b, " ... ");
	/* Skip to where the last TAIL columns begin, one character at a time: none is cut. */
	while (avail > 0 && total - cols > tail) {
		size_t used = escape_one(p, avail, flags, e);
		cols += columns(e);
		p += used;
		avail -= used;
	}
	while (avail > 0) {
		size_t used = escape_one(p, avail, flags, e);
		buf_puts(b, e);
		p += used;
		avail -= used;
	}
	return head + 5 + (total - cols);
}
