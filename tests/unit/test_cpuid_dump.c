/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The `cpuid -r` dump parser and the loaders: real dumps, odd but valid text, every kind of malformed line. */
#include "testutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "cpuid.h"
#include "internal.h"
#include "sysroot_fx.h"

#define DATA HVD_TEST_SRCDIR "/../data/cpuid/"

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0;

	assert_non_null(f);
	*len = 0;
	for (;;) {
		buf = realloc(buf, cap + 4096 + 1);
		assert_non_null(buf);
		cap += 4096;
		size_t n = fread(buf + *len, 1, cap - *len, f);
		*len += n;
		if (n == 0)
			break;
	}
	fclose(f);
	buf[*len] = '\0';
	return buf;
}

/* Number of leaf lines in the first CPU's section of a `cpuid -r` text, counted independently of the parser. */
static size_t count_first_cpu_lines(const char *text)
{
	size_t n = 0, headers = 0;
	const char *p = text;

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t l = nl ? (size_t)(nl - p) : strlen(p);
		if (strncmp(p, "CPU", 3) == 0) {
			if (++headers > 1)
				break;
		} else if (l > 3 && strncmp(p, "   0x", 5) == 0) {
			n++;
		}
		p = nl ? nl + 1 : p + l;
	}
	return n;
}

static struct cpuid_dump *parse_ok(const char *text)
{
	struct cpuid_dump *d = NULL;
	size_t line = 0;
	const char *msg = NULL;
	int r = cpuid_dump_parse(text, strlen(text), &d, &line, &msg);

	if (r != 0)
		print_error("unexpected failure at line %zu: %s\n", line, msg ? msg : "?");
	assert_int_equal(r, 0);
	assert_non_null(d);
	return d;
}

static void assert_regs(const struct cpuid_dump *d, uint32_t leaf, uint32_t sub,
                        uint32_t a, uint32_t b, uint32_t c, uint32_t e)
{
	uint32_t regs[4];

	assert_int_equal(cpuid_dump_lookup(d, leaf, sub, regs), 0);
	assert_int_equal(regs[0], a);
	assert_int_equal(regs[1], b);
	assert_int_equal(regs[2], c);
	assert_int_equal(regs[3], e);
}

static void test_real_single_cpu(void **state)
{
	(void)state;
	size_t len;
	_cleanup_free_ char *text = slurp(DATA "firecracker-amd.txt", &len);
	struct cpuid_dump *d = parse_ok(text);
	uint32_t regs[4];

	assert_int_equal(cpuid_dump_count(d), count_first_cpu_lines(text));
	assert_regs(d, 0, 0, 0x0000000d, 0x68747541, 0x444d4163, 0x69746e65);
	assert_regs(d, 0x40000000, 0, 0x40000001, 0x4b4d564b, 0x564b4d56, 0x0000004d);
	/* Subleaves are distinct entries. */
	assert_regs(d, 0x0000000d, 0x0c, 0x00000018, 0, 0x00000001, 0);
	assert_int_equal(cpuid_dump_lookup(d, 0x0000000d, 0x03, regs), -ENOENT);
	assert_int_equal(cpuid_dump_lookup(d, 0x40000002, 0, regs), -ENOENT);
	assert_int_equal(cpuid_dump_lookup(d, 0xffffffff, 0xffffffff, regs), -ENOENT);
	cpuid_dump_free(d);
}

static void test_real_all_cpus_uses_cpu0(void **state)
{
	(void)state;
	size_t len;
	_cleanup_free_ char *text = slurp(DATA "firecracker-amd-allcpus.txt", &len);
	struct cpuid_dump *d = parse_ok(text);
	uint32_t regs[4];

	assert_non_null(strstr(text, "CPU 1:"));
	assert_int_equal(cpuid_dump_count(d), count_first_cpu_lines(text));
	/* CPU 0's initial APIC id (leaf 1 EBX[31:24]) and x2APIC id (leaf 0xb EDX) are 0; CPU 1's are not. */
	assert_int_equal(cpuid_dump_lookup(d, 1, 0, regs), 0);
	assert_int_equal(regs[1] >> 24, 0);
	assert_int_equal(cpuid_dump_lookup(d, 0xb, 0, regs), 0);
	assert_int_equal(regs[3], 0);
	cpuid_dump_free(d);
}

static void test_headers_and_layout(void **state)
{
	(void)state;
	struct cpuid_dump *d;
	uint32_t regs[4];

	/* No header at all (a hand-trimmed dump), blank lines, comments, CRLF, trailing blanks, tabs, upper-case hex. */
	d = parse_ok("# comment\n\n"
	             "\t0x00000000 0x00: eax=0x1 ebx=0x2 ecx=0x3 edx=0x4  \r\n"
	             "0X00000001   0x0:\teax=0xABCDEF01 ebx=0x0 ecx=0x80000000 edx=0x0\n"
	             "   \n");
	assert_int_equal(cpuid_dump_count(d), 2);
	assert_regs(d, 0, 0, 1, 2, 3, 4);
	assert_regs(d, 1, 0, 0xabcdef01, 0, 0x80000000, 0);
	cpuid_dump_free(d);

	/* "CPU 0:" then another CPU: only the first kept. The last line has no newline. */
	d = parse_ok("CPU 0:\n   0x00000000 0x00: eax=0x1 ebx=0x0 ecx=0x0 edx=0x0\n"
	             "CPU 1:\n   0x00000000 0x00: eax=0x2 ebx=0x0 ecx=0x0 edx=0x0\n"
	             "   0x00000005 0x00: eax=0x2 ebx=0x0 ecx=0x0 edx=0x0");
	assert_int_equal(cpuid_dump_count(d), 1);
	assert_regs(d, 0, 0, 1, 0, 0, 0);
	assert_int_equal(cpuid_dump_lookup(d, 5, 0, regs), -ENOENT);
	cpuid_dump_free(d);

	/* Leaves before any header belong to the first CPU; a header after them starts the second. */
	d = parse_ok("   0x00000000 0x00: eax=0x7 ebx=0x0 ecx=0x0 edx=0x0\n"
	             "CPU 1:\n   0x00000000 0x00: eax=0x8 ebx=0x0 ecx=0x0 edx=0x0\n");
	assert_int_equal(cpuid_dump_count(d), 1);
	assert_regs(d, 0, 0, 7, 0, 0, 0);
	cpuid_dump_free(d);
}

static void test_duplicates_and_order(void **state)
{
	(void)state;
	struct cpuid_dump *d;
	uint32_t found = 0;

	/* Out of order, and 0x4 twice: the first one wins even after sorting. */
	d = parse_ok("CPU:\n"
	             "   0x40000100 0x00: eax=0x40000101 ebx=0x0 ecx=0x0 edx=0x0\n"
	             "   0x00000004 0x01: eax=0x41 ebx=0x0 ecx=0x0 edx=0x0\n"
	             "   0x00000004 0x00: eax=0x40 ebx=0x0 ecx=0x0 edx=0x0\n"
	             "   0x00000000 0x00: eax=0x4 ebx=0x0 ecx=0x0 edx=0x0\n"
	             "   0x00000004 0x00: eax=0x99 ebx=0x0 ecx=0x0 edx=0x0\n"
	             "   0x00000004 0x01: eax=0x98 ebx=0x0 ecx=0x0 edx=0x0\n");
	assert_int_equal(cpuid_dump_count(d), 4);
	assert_regs(d, 4, 0, 0x40, 0, 0, 0);
	assert_regs(d, 4, 1, 0x41, 0, 0, 0);
	assert_int_equal(cpuid_dump_next_leaf(d, 1, &found), 0);
	assert_int_equal(found, 4);
	assert_int_equal(cpuid_dump_next_leaf(d, 0x40000000, &found), 0);
	assert_int_equal(found, 0x40000100);
	assert_int_equal(cpuid_dump_next_leaf(d, 0x40000101, &found), -ENOENT);
	cpuid_dump_free(d);
}

static void test_format_roundtrip(void **state)
{
	(void)state;
	struct strbuf sb = { 0 };
	const uint32_t in[4] = { 0x40000001, 0x4b4d564b, 0xffffffff, 0 };
	struct cpuid_dump *d;

	strbuf_puts(&sb, "CPU:\n");
	cpuid_format_line(&sb, 0x40000000, 0x1f, in);
	assert_string_equal(sb.buf, "CPU:\n   0x40000000 0x1f: eax=0x40000001 ebx=0x4b4d564b ecx=0xffffffff edx=0x00000000\n");
	d = parse_ok(sb.buf);
	assert_regs(d, 0x40000000, 0x1f, in[0], in[1], in[2], in[3]);
	cpuid_dump_free(d);
	strbuf_free(&sb);
}

struct bad_case {
	const char *name;
	const char *text;
	size_t len;       /* 0: strlen */
	size_t line;
	const char *msg;  /* a substring of the reason */
};

#define GOOD "   0x00000000 0x00: eax=0x0000000d ebx=0x68747541 ecx=0x444d4163 edx=0x69746e65\n"

static void test_malformed(void **state)
{
	(void)state;
	static const char garbage[] = "\x7f" "ELF\x02\x01\x01\0\0\0\0\n\x03\0>\0";
	static const struct bad_case cases[] = {
		{ "empty file", "", 0, 1, "no CPUID leaves" },
		{ "header only", "CPU:\n\n", 0, 2, "no CPUID leaves" },
		{ "bad hex digit", "CPU:\n" GOOD "   0x00000001 0x00: eax=0x00a00f11 ebx=0x0102zz00 ecx=0x0 edx=0x0\n", 0, 3, "bad hexadecimal" },
		{ "no digits", "CPU:\n   0x00000001 0x00: eax=0x ebx=0x0 ecx=0x0 edx=0x0\n", 0, 2, "bad hexadecimal" },
		{ "decimal register", "   0x00000001 0x00: eax=17 ebx=0x0 ecx=0x0 edx=0x0\n", 0, 1, "expected 0x" },
		{ "missing register", "CPU:\n" GOOD GOOD "   0x00000001 0x00: eax=0x1 ebx=0x2 ecx=0x3\n", 0, 4, "missing edx=" },
		{ "registers out of order", "   0x00000001 0x00: eax=0x1 ecx=0x3 ebx=0x2 edx=0x4\n", 0, 1, "missing ebx=" },
		{ "truncated line", "CPU:\n" GOOD "   0x40000000 0x00: eax=0x400", 0, 3, "missing ebx=" },
		{ "truncated after colon", "CPU:\n   0x40000000 0x00:\n", 0, 2, "missing eax=" },
		{ "huge register", "CPU:\n   0x00000000 0x00: eax=0x100000000 ebx=0x0 ecx=0x0 edx=0x0\n", 0, 2, "32 bits" },
		{ "huge leaf", "\n\n   0xffffffffffffffffff 0x00: eax=0x0 ebx=0x0 ecx=0x0 edx=0x0\n", 0, 3, "32 bits" },
		{ "huge subleaf", "   0x00000000 0x123456789: eax=0x0 ebx=0x0 ecx=0x0 edx=0x0\n", 0, 1, "32 bits" },
		{ "no subleaf", "   0x40000000: eax=0x0 ebx=0x0 ecx=0x0 edx=0x0\n", 0, 1, "subleaf" },
		{ "no colon", "   0x40000000 0x00 eax=0x0 ebx=0x0 ecx=0x0 edx=0x0\n", 0, 1, "':'" },
		{ "trailing text", GOOD "   0x1 0x0: eax=0x0 ebx=0x0 ecx=0x0 edx=0x0 esi=0x1\n", 0, 2, "after edx" },
		{ "glued registers", "   0x1 0x0: eax=0x0ebx=0x0 ecx=0x0 edx=0x0\n", 0, 1, "bad hexadecimal" },
		{ "negative", "   -0x1 0x0: eax=0x0 ebx=0x0 ecx=0x0 edx=0x0\n", 0, 1, "leaf line" },
		{ "bad header", "CPU x:\n" GOOD, 0, 1, "leaf line" },
		{ "prose", "This is not a dump.\n", 0, 1, "leaf line" },
		{ "binary garbage with NUL", garbage, sizeof(garbage) - 1, 1, "NUL" },
		{ "binary garbage", "\xff\xfe\x80\x81\n", 0, 1, "leaf line" },
		{ "garbage in another CPU", "CPU 0:\n" GOOD "CPU 1:\n" GOOD "   0x1 0x0: eax=0xg ebx=0x0 ecx=0x0 edx=0x0\n", 0, 5, "bad hexadecimal" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct bad_case *c = &cases[i];
		struct cpuid_dump *d = (struct cpuid_dump *)&d;  /* must be reset to NULL */
		size_t line = 0;
		const char *msg = NULL;
		int r = cpuid_dump_parse(c->text, c->len ? c->len : strlen(c->text), &d, &line, &msg);

		print_message("%s: %d line %zu: %s\n", c->name, r, line, msg ? msg : "(null)");
		assert_int_equal(r, -EBADMSG);
		assert_null(d);
		assert_int_equal(line, c->line);
		assert_non_null(msg);
		assert_non_null(strstr(msg, c->msg));
	}
}

static void test_too_many_leaves(void **state)
{
	(void)state;
	struct strbuf sb = { 0 };
	const uint32_t regs[4] = { 0 };
	struct cpuid_dump *d = NULL;
	size_t line = 0;
	const char *msg = NULL;

	strbuf_puts(&sb, "CPU:\n");
	for (uint32_t i = 0; i < CPUID_DUMP_MAX_LEAVES; i++)
		cpuid_format_line(&sb, i, 0, regs);
	assert_false(sb.oom);
	assert_int_equal(cpuid_dump_parse(sb.buf, sb.len, &d, &line, &msg), 0);
	assert_int_equal(cpuid_dump_count(d), CPUID_DUMP_MAX_LEAVES);
	cpuid_dump_free(d);

	cpuid_format_line(&sb, 0x80000000, 0, regs);
	assert_int_equal(cpuid_dump_parse(sb.buf, sb.len, &d, &line, &msg), -EBADMSG);
	assert_int_equal(line, CPUID_DUMP_MAX_LEAVES + 2);
	assert_string_equal(msg, "too many leaves");
	strbuf_free(&sb);
}

/* ---- loaders ---- */

static void test_load_file(void **state)
{
	struct sysroot_fx *fx = *state;
	_cleanup_free_ char *bad = tu_path(fx->root, "bad.txt");
	_cleanup_free_ char *missing = tu_path(fx->root, "missing.txt");
	_cleanup_free_ char *fifo = tu_path(fx->root, "fifo");
	_cleanup_free_ char *expect = NULL;
	uint32_t regs[4];

	assert_false(cpuid_is_dump(fx->ctx));
	assert_int_equal(cpuid_dump_load_file(fx->ctx, DATA "vmware.txt"), 0);
	assert_true(cpuid_is_dump(fx->ctx));
	assert_int_equal(cpuid_query(fx->ctx, 0x40000000, 0, regs), 0);
	assert_int_equal(regs[0], 0x40000010);

	/* Failures name the file (and the line) and keep the dump already loaded. */
	tu_write_str(fx->root, "bad.txt", "CPU:\n" GOOD "   0x1 0x0: eax=0x1 ebx=0x2\n");
	assert_int_equal(hvd_ctx_set_cpuid_dump(fx->ctx, bad), -EBADMSG);
	expect = strdup_printf("%s:3: missing ecx=", bad);
	assert_string_equal(hvd_ctx_get_error(fx->ctx), expect);
	assert_int_equal(cpuid_query(fx->ctx, 0x40000000, 0, regs), 0);
	assert_int_equal(regs[0], 0x40000010);

	assert_int_equal(hvd_ctx_set_cpuid_dump(fx->ctx, missing), -ENOENT);
	assert_non_null(strstr(hvd_ctx_get_error(fx->ctx), missing));
	assert_int_equal(cpuid_dump_load_file(fx->ctx, fx->root), -EISDIR);
	assert_int_equal(mkfifo(fifo, 0644), 0);
	assert_int_equal(cpuid_dump_load_file(fx->ctx, fifo), -EINVAL);  /* and no hang */

	/* A later good load replaces the dump. */
	assert_int_equal(cpuid_dump_load_file(fx->ctx, DATA "hyperv.txt"), 0);
	assert_int_equal(cpuid_query(fx->ctx, 0x40000000, 0, regs), 0);
	assert_int_equal(regs[0], 0x4000000b);
}

static void test_load_file_too_big(void **state)
{
	struct sysroot_fx *fx = *state;
	_cleanup_free_ char *path = tu_path(fx->root, "big.txt");
	_cleanup_free_ char *blanks = malloc(CPUID_DUMP_MAX_SIZE + 1);

	/* Blank lines would parse: only the size rejects it. */
	memset(blanks, '\n', CPUID_DUMP_MAX_SIZE + 1);
	memcpy(blanks, GOOD, strlen(GOOD));
	tu_write(fx->root, "big.txt", blanks, CPUID_DUMP_MAX_SIZE + 1);
	assert_int_equal(cpuid_dump_load_file(fx->ctx, path), -EFBIG);
	tu_write(fx->root, "big.txt", blanks, CPUID_DUMP_MAX_SIZE);
	assert_int_equal(cpuid_dump_load_file(fx->ctx, path), 0);
	tu_write(fx->root, "cpuid.txt", blanks, CPUID_DUMP_MAX_SIZE + 1);
	assert_int_equal(cpuid_dump_load_sysroot(fx->ctx, "cpuid.txt"), -EFBIG);
}

static void test_load_sysroot(void **state)
{
	struct sysroot_fx *fx = *state;
	_cleanup_free_ char *expect = NULL;
	struct hvd_ctx *ctx2 = NULL;
	uint32_t regs[4];

	assert_int_equal(cpuid_dump_load_sysroot(fx->ctx, "cpuid.txt"), -ENOENT);
	assert_non_null(strstr(hvd_ctx_get_error(fx->ctx), "cpuid.txt"));

	tu_write_str(fx->root, "cpuid.txt", "CPU:\n   0x40000000 0x00: eax=0x40000001 ebx=0x4b4d564b ecx=0x564b4d56 edx=0x0000004d\n");
	assert_int_equal(cpuid_dump_load_sysroot(fx->ctx, "cpuid.txt"), 0);
	assert_int_equal(cpuid_query(fx->ctx, 0x40000000, 0, regs), 0);
	assert_int_equal(regs[1], 0x4b4d564b);

	/* A captured tree carries its dump: a new context picks it up; a broken one fails the detection, with its line. */
	assert_int_equal(hvd_ctx_new(&ctx2, fx->root), 0);
	assert_true(cpuid_is_dump(ctx2));
	hvd_ctx_unref(ctx2);

	tu_write_str(fx->root, "cpuid.txt", "CPU:\n\n   0x40000000 0x00: eax=0x4000000100\n");
	assert_int_equal(cpuid_dump_load_sysroot(fx->ctx, "cpuid.txt"), -EBADMSG);
	expect = strdup_printf("%s/cpuid.txt:3: number does not fit in 32 bits", fx->root);
	assert_string_equal(hvd_ctx_get_error(fx->ctx), expect);
	assert_int_equal(hvd_ctx_new(&ctx2, fx->root), 0);
	struct hvd_verdict *v = (struct hvd_verdict *)1;
	assert_int_equal(hvd_detect(&v, ctx2), -EBADMSG);
	assert_null(v);
	assert_string_equal(hvd_ctx_get_error(ctx2), expect);
	/* Naming a good dump explicitly overrides the broken one. */
	assert_int_equal(hvd_ctx_set_cpuid_dump(ctx2, DATA "vmware.txt"), 0);
	assert_int_equal(hvd_detect(&v, ctx2), 0);
	hvd_verdict_unref(v);
	hvd_ctx_unref(ctx2);

	/* Confined like every sysroot read: a link out of the tree resolves inside it. */
	_cleanup_free_ char *dump_path = tu_path(fx->root, "cpuid.txt");
	assert_int_equal(unlink(dump_path), 0);
	tu_symlink(fx->root, "cpuid.txt", DATA "vmware.txt");
	assert_int_equal(cpuid_dump_load_sysroot(fx->ctx, "cpuid.txt"), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_single_cpu),
		cmocka_unit_test(test_real_all_cpus_uses_cpu0),
		cmocka_unit_test(test_headers_and_layout),
		cmocka_unit_test(test_duplicates_and_order),
		cmocka_unit_test(test_format_roundtrip),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_too_many_leaves),
		cmocka_unit_test_setup_teardown(test_load_file, sysroot_fx_setup_open, sysroot_fx_teardown),
		cmocka_unit_test_setup_teardown(test_load_file_too_big, sysroot_fx_setup_open, sysroot_fx_teardown),
		cmocka_unit_test_setup_teardown(test_load_sysroot, sysroot_fx_setup_open, sysroot_fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
