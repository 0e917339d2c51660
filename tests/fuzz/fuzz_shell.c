/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The CLI's escapers over hostile bytes: shell_quote() and
 * shell_quote_if_needed() must give one POSIX sh word that evaluates to the
 * input exactly (checked by a small sh word reader here); term_escape() must
 * leave no byte that drives a terminal and stay within its column budget;
 * term_escape_ends() too, keeping both ends of what it shortens.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "shell-quote.h"
#include "term-escape.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * Evaluate one sh word built only from '...' quoting, \x escapes and bare
 * characters of the safe set; anything else (a bare $, `, space, ~ ...) fails.
 */
static char *sh_unquote(const char *w, size_t n, bool *ok)
{
	static const char safe[] =
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-+./,:@%";
	char *out = malloc(n + 1);
	size_t o = 0;
	*ok = false;
	if (!out)
		return NULL;
	for (size_t i = 0; i < n;) {
		if (w[i] == '\'') {
			const char *end = memchr(w + i + 1, '\'', n - i - 1);
			if (!end)
				goto done;
			size_t l = (size_t)(end - (w + i + 1));
			memcpy(out + o, w + i + 1, l);
			o += l;
			i += l + 2;
		} else if (w[i] == '\\') {
			if (i + 1 >= n || w[i + 1] == '\n')
				goto done;
			out[o++] = w[i + 1];
			i += 2;
		} else if (w[i] && strchr(safe, w[i])) {
			if (i == 0 && w[i] == '-')
				goto done;
			out[o++] = w[i++];
		} else {
			goto done;
		}
	}
	*ok = true;
done:
	out[o] = '\0';
	return out;
}

static void check_quote(const char *s, bool if_needed)
{
	struct buf b = { 0 };
	if (if_needed)
		shell_quote_if_needed(&b, s);
	else
		shell_quote(&b, s);
	if (b.oom) {
		buf_free(&b);
		return;
	}
	bool ok;
	char *back = sh_unquote(b.data ? b.data : "", b.len, &ok);
	if (back && (!ok || strcmp(back, s) != 0))
		__builtin_trap();
	if (!if_needed && (b.len < 2 || b.data[0] != '\''))
		__builtin_trap();
	free(back);
	buf_free(&b);
}

/* No byte that drives a terminal: C0, DEL, or C1 (U+0080..U+009F encode as C2 80..C2 9F). */
static void check_safe(const struct buf *b)
{
	const unsigned char *o = (const unsigned char *)b->data;
	for (size_t i = 0; i < b->len; i++) {
		if (o[i] < 0x20 || o[i] == 0x7f)
			__builtin_trap();
		if (o[i] == 0xC2 && i + 1 < b->len && o[i + 1] >= 0x80 && o[i + 1] <= 0x9F)
			__builtin_trap();
	}
}

/*
 * term_escape_ends(): as safe; within the budget; and when it had to leave out
 * the middle, its output ends exactly as the whole escaped string does (the
 * reason at the end of a message survives) and starts as it does.
 */
static void check_term_ends(const char *s, size_t max_columns, unsigned int flags)
{
	struct buf b = { 0 }, all = { 0 };
	size_t cols = term_escape_ends(&b, s, max_columns, flags);
	size_t total = term_escape(&all, s, SIZE_MAX, flags);

	if (b.oom || all.oom)
		goto out;
	check_safe(&b);
	if (total <= max_columns || max_columns < 16) {
		if (max_columns >= 16 && (b.len != all.len || (b.len && memcmp(b.data, all.data, b.len) != 0)))
			__builtin_trap();
		goto out;
	}
	if (cols > max_columns)
		__builtin_trap();
	/* Some " ... " (the text may hold its own) splits the output into a head and a tail of the whole. */
	bool split = false;
	for (const char *mid = b.data; !split && (mid = memmem(mid, b.len - (size_t)(mid - b.data), " ... ", 5));
	     mid++) {
		size_t head = (size_t)(mid - b.data), tail = b.len - head - 5;
		split = head <= all.len && tail <= all.len && memcmp(b.data, all.data, head) == 0 &&
		        memcmp(mid + 5, all.data + all.len - tail, tail) == 0;
	}
	if (!split)
		__builtin_trap();
out:
	buf_free(&b);
	buf_free(&all);
}

static void check_term(const char *s, size_t max_columns, unsigned int flags)
{
	struct buf b = { 0 };
	size_t cols = term_escape(&b, s, max_columns, flags);
	if (b.oom) {
		buf_free(&b);
		return;
	}
	const unsigned char *o = (const unsigned char *)b.data;
	for (size_t i = 0; i < b.len; i++) {
		if (o[i] < 0x20 || o[i] == 0x7f)
			__builtin_trap();
		/* U+0080..U+009F (C1) encode as C2 80..C2 9F. */
		if (o[i] == 0xC2 && i + 1 < b.len && o[i + 1] >= 0x80 && o[i + 1] <= 0x9F)
			__builtin_trap();
	}
	if (max_columns != SIZE_MAX && cols > max_columns + 3)
		__builtin_trap();
	buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	size_t cols = data[0] == 0xff ? SIZE_MAX : data[0];
	char *s = strndup((const char *)data + 1, size - 1);
	if (!s)
		return 0;
	check_quote(s, false);
	check_quote(s, true);
	check_term(s, cols, 0);
	check_term(s, cols, TERM_QUOTED);
	check_term_ends(s, cols, 0);
	check_term_ends(s, cols, TERM_QUOTED);
	free(s);
	return 0;
}
