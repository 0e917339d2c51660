/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The tool's text helpers, tested against real shells: whatever bytes
 * shell_quote() is given, `V=<quoted>; printf %s "$V"` must print them back
 * and run nothing; term_escape() must never let a control byte through.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "buf.h"
#include "shell-quote.h"
#include "term-escape.h"

/* Run SHELL -c SCRIPT in an empty temporary directory; return stdout and whether the directory stayed empty. */
static char *run_shell(const char *shell, const char *script, size_t *len, int *dir_empty)
{
	char dir[] = "/tmp/hvd-shq-XXXXXX";
	int pipefd[2];
	struct buf out = { 0 };
	char chunk[4096];
	ssize_t n;
	int status;

	assert_non_null(mkdtemp(dir));
	assert_int_equal(pipe(pipefd), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(pipefd[1], STDOUT_FILENO);
		close(pipefd[0]);
		close(pipefd[1]);
		if (chdir(dir) < 0)
			_exit(126);
		execlp(shell, shell, "-c", script, (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	while ((n = read(pipefd[0], chunk, sizeof(chunk))) > 0)
		buf_append(&out, chunk, (size_t)n);
	close(pipefd[0]);
	pid_t w = waitpid(pid, &status, 0);
	*dir_empty = rmdir(dir) == 0;   /* fails with ENOTEMPTY when something ran */
	if (!*dir_empty) {
		char cmd[64];
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		(void)!system(cmd);
	}
	assert_int_equal(w, pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_false(out.oom);
	*len = out.len;
	return out.data ? out.data : calloc(1, 1);
}

static void roundtrip_in(const char *shell, const char *value)
{
	struct buf script = { 0 };
	size_t len;
	int empty;

	buf_puts(&script, "V=");
	shell_quote(&script, value);
	buf_puts(&script, "\nprintf '%s' \"$V\"");
	assert_false(script.oom);
	char *got = run_shell(shell, script.data, &len, &empty);
	assert_true(empty);
	assert_int_equal(len, strlen(value));
	assert_memory_equal(got, value, len);
	free(got);
	buf_free(&script);
}

static const char *const shells[] = { "sh", "dash", "bash", "busybox" };

static void roundtrip(const char *value)
{
	for (size_t i = 0; i < sizeof(shells) / sizeof(shells[0]); i++) {
		char probe[64];
		snprintf(probe, sizeof(probe), "command -v %s >/dev/null", shells[i]);
		if (system(probe) != 0)
			continue;
		if (strcmp(shells[i], "busybox") == 0)
			continue;   /* `busybox sh -c` needs two argv words: covered by shell_safety.py */
		roundtrip_in(shells[i], value);
	}
}

static void test_quote_hostile(void **state)
{
	(void)state;
	roundtrip("$(touch x)`touch y`'\"; touch z");
	roundtrip("'");
	roundtrip("''''");
	roundtrip("a'b'c");
	roundtrip("\\");
	roundtrip("ends with backslash\\");
	roundtrip("line\nbreak\n");
	roundtrip("\033[31mred\033[0m\a\r\xc2\x9b\xff\xfe\xc3\x28");
	roundtrip("${HOME:?boom} $((1/0)) !! ~ * ? [a] {a,b} # ; & | < >");
	roundtrip("");
}

static void test_quote_every_byte(void **state)
{
	char all[256];

	(void)state;
	for (int i = 1; i < 256; i++)
		all[i - 1] = (char)i;
	all[255] = '\0';
	roundtrip(all);
}

static void test_quote_random(void **state)
{
	char s[48];
	uint32_t x = 0x12345678;

	(void)state;
	for (int round = 0; round < 40; round++) {
		size_t n = round % (sizeof(s) - 1);
		for (size_t i = 0; i < n; i++) {
			x = x * 1103515245u + 12345u;
			s[i] = (char)(1 + (x >> 16) % 255);
		}
		s[n] = '\0';
		roundtrip_in("sh", s);
	}
}

static void test_quote_form(void **state)
{
	struct buf b = { 0 };

	(void)state;
	shell_quote(&b, "it's");
	assert_string_equal(b.data, "'it'\\''s'");
	b.len = 0;
	shell_quote(&b, NULL);
	assert_string_equal(b.data, "''");
	b.len = 0;
	shell_quote_if_needed(&b, "/tmp/capture-1");
	assert_string_equal(b.data, "/tmp/capture-1");
	b.len = 0;
	shell_quote_if_needed(&b, "-rf");
	assert_string_equal(b.data, "'-rf'");
	b.len = 0;
	shell_quote_if_needed(&b, "a b");
	assert_string_equal(b.data, "'a b'");
	b.len = 0;
	shell_quote_if_needed(&b, "");
	assert_string_equal(b.data, "''");
	buf_free(&b);
}

static char *escape(const char *s, size_t max, unsigned int flags)
{
	struct buf b = { 0 };
	term_escape(&b, s, max, flags);
	assert_false(b.oom);
	return b.data ? b.data : calloc(1, 1);
}

static void expect_escape(const char *in, unsigned int flags, const char *want)
{
	char *got = escape(in, SIZE_MAX, flags);
	assert_string_equal(got, want);
	free(got);
}

static void test_escape(void **state)
{
	(void)state;
	expect_escape("plain text", 0, "plain text");
	expect_escape("\033[31m", 0, "\\x1b[31m");
	expect_escape("a\nb\tc\rd", 0, "a\\nb\\tc\\rd");
	expect_escape("\x7f\x01", 0, "\\x7f\\x01");
	expect_escape("\xc2\x9b" "31m", 0, "\\u{009b}31m");     /* C1 CSI */
	expect_escape("\xe2\x80\xae" "abc", 0, "\\u{202e}abc");  /* right-to-left override */
	expect_escape("\xff\xfe\xc3\x28", 0, "\\xff\\xfe\\xc3(");
	expect_escape("\xe0\x80\x80", 0, "\\xe0\\x80\\x80");   /* overlong NUL */
	expect_escape("\xed\xa0\x80", 0, "\\xed\\xa0\\x80");   /* surrogate */
	expect_escape("caf\xc3\xa9 \xe2\x9c\x93", 0, "caf\xc3\xa9 \xe2\x9c\x93");
	expect_escape("say \"hi\" \\o/", 0, "say \"hi\" \\o/");
	expect_escape("say \"hi\" \\o/", TERM_QUOTED, "say \\\"hi\\\" \\\\o/");
}

static void test_escape_never_leaks_controls(void **state)
{
	char all[256];

	(void)state;
	for (int i = 1; i < 256; i++)
		all[i - 1] = (char)i;
	all[255] = '\0';
	char *got = escape(all, SIZE_MAX, 0);
	for (const unsigned char *p = (const unsigned char *)got; *p; p++) {
		assert_true(*p >= 0x20);
		assert_true(*p != 0x7f);
		/* Every byte >= 0x80 here was invalid UTF-8 alone: none may pass. */
		assert_true(*p < 0x80);
	}
	free(got);
}

static void test_escape_truncates(void **state)
{
	(void)state;
	char *got = escape("abcdefghij", 4, 0);
	assert_string_equal(got, "abcd...");
	free(got);
	got = escape("\xc3\xa9\xc3\xa9\xc3\xa9", 2, 0);   /* counted in characters, not bytes */
	assert_string_equal(got, "\xc3\xa9\xc3\xa9...");
	free(got);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quote_form),
		cmocka_unit_test(test_quote_hostile),
		cmocka_unit_test(test_quote_every_byte),
		cmocka_unit_test(test_quote_random),
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_escape_never_leaks_controls),
		cmocka_unit_test(test_escape_truncates),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
