/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * strbuf_json_string() over hostile bytes: the output must be one valid JSON
 * string literal (checked by a strict validator here) of printable ASCII and
 * well-formed UTF-8, with no raw control byte.
 */
#include <string.h>

#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Length of the well-formed UTF-8 sequence at S (RFC 3629), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	if (s[0] < 0x80)
		return 1;
	size_t len;
	unsigned int min, cp;
	if ((s[0] & 0xE0) == 0xC0)
		len = 2, min = 0x80, cp = s[0] & 0x1F;
	else if ((s[0] & 0xF0) == 0xE0)
		len = 3, min = 0x800, cp = s[0] & 0x0F;
	else if ((s[0] & 0xF8) == 0xF0)
		len = 4, min = 0x10000, cp = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return len;
}

static void check_json_string(const unsigned char *s, size_t n)
{
	if (n < 2 || s[0] != '"' || s[n - 1] != '"')
		__builtin_trap();
	for (size_t i = 1; i < n - 1;) {
		if (s[i] < 0x20 || s[i] == 0x7f)
			__builtin_trap();
		if (s[i] == '"')
			__builtin_trap();  /* unescaped quote before the end */
		if (s[i] == '\\') {
			if (i + 1 >= n - 1)
				__builtin_trap();
			unsigned char e = s[i + 1];
			if (e == 'u') {
				if (i + 6 > n - 1)
					__builtin_trap();
				for (size_t k = 2; k < 6; k++)
					if (!strchr("0123456789abcdefABCDEF", s[i + k]) || !s[i + k])
						__builtin_trap();
				i += 6;
			} else if (strchr("\"\\/bfnrt", e) && e) {
				i += 2;
			} else {
				__builtin_trap();
			}
			continue;
		}
		size_t l = utf8_len(s + i, n - 1 - i);
		if (l == 0)
			__builtin_trap();
		i += l;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = strndup((const char *)data, size);
	if (!s)
		return 0;
	struct strbuf sb = { 0 };
	strbuf_json_string(&sb, s);
	if (!sb.oom) {
		if (!sb.buf || strlen(sb.buf) != sb.len)
			__builtin_trap();
		check_json_string((const unsigned char *)sb.buf, sb.len);
	}
	strbuf_free(&sb);
	free(s);
	return 0;
}
