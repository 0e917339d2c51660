/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* JSON string escaping: valid JSON for any input bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "internal.h"

static char *esc(const char *s)
{
	struct strbuf sb = { 0 };
	strbuf_json_string(&sb, s);
	return strbuf_steal(&sb);
}

static void test_json_escape(void **state)
{
	(void)state;
	struct { const char *in, *out; } cases[] = {
		{ "VMware, Inc.", "\"VMware, Inc.\"" },
		{ "a\"b\\c", "\"a\\\"b\\\\c\"" },
		{ "tab\there\nnl", "\"tab\\there\\nnl\"" },
		{ "\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"" },
		{ "caf\xc3\xa9", "\"caf\xc3\xa9\"" },             /* valid UTF-8 kept */
		{ "bad\xff\xfe", "\"bad\\u00ff\\u00fe\"" },        /* invalid bytes escaped */
		{ "\xc0\xaf", "\"\\u00c0\\u00af\"" },              /* overlong '/' rejected */
		{ "\xed\xa0\x80", "\"\\u00ed\\u00a0\\u0080\"" },   /* surrogate rejected */
		{ "trunc\xe2\x82", "\"trunc\\u00e2\\u0082\"" },     /* truncated sequence */
		{ "", "\"\"" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *o = esc(cases[i].in);
		assert_string_equal(o, cases[i].out);
		free(o);
	}
	char *o = esc(NULL);
	assert_string_equal(o, "null");
	free(o);
}

static void test_printf_grows(void **state)
{
	(void)state;
	struct strbuf sb = { 0 };
	for (int i = 0; i < 1000; i++)
		strbuf_printf(&sb, "%04d,", i);
	assert_int_equal(sb.len, 5000);
	assert_memory_equal(sb.buf + 4995, "0999,", 5);
	strbuf_free(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_escape),
		cmocka_unit_test(test_printf_grows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
