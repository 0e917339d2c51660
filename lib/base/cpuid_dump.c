/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Replayed CPUID: the text `cpuid -1 -r` (or `cpuid -r`) prints, parsed into a
 * sorted array. The text comes from bug reports and fixture trees, so it is
 * hostile: every number is range-checked, every line fully validated, sizes
 * and counts are capped.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cpuid.h"
#include "internal.h"
#include "sysroot.h"

struct cpuid_entry {
	uint32_t leaf, subleaf;
	uint32_t regs[4];
	uint32_t seq;  /* line order, so that sorting keeps the first of duplicates */
};

struct cpuid_dump {
	size_t n;
	struct cpuid_entry *e;
};

void cpuid_dump_free(struct cpuid_dump *dump)
{
	if (!dump)
		return;
	free(dump->e);
	free(dump);
}

size_t cpuid_dump_count(const struct cpuid_dump *dump)
{
	return dump ? dump->n : 0;
}

static inline uint64_t key(uint32_t leaf, uint32_t subleaf)
{
	return (uint64_t)leaf << 32 | subleaf;
}

/* Index of the first entry whose key is >= K (n when none). */
static size_t lower_bound(const struct cpuid_dump *d, uint64_t k)
{
	size_t lo = 0, hi = d->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (key(d->e[mid].leaf, d->e[mid].subleaf) < k)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int cpuid_dump_lookup(const struct cpuid_dump *dump, uint32_t leaf, uint32_t subleaf, uint32_t regs[4])
{
	size_t i;

	if (!dump)
		return -ENOENT;
	i = lower_bound(dump, key(leaf, subleaf));
	if (i == dump->n || dump->e[i].leaf != leaf || dump->e[i].subleaf != subleaf)
		return -ENOENT;
	memcpy(regs, dump->e[i].regs, sizeof(dump->e[i].regs));
	return 0;
}

int cpuid_dump_entry(const struct cpuid_dump *dump, size_t i, uint32_t *leaf, uint32_t *subleaf, uint32_t regs[4])
{
	if (!dump || i >= dump->n)
		return -ENOENT;
	*leaf = dump->e[i].leaf;
	*subleaf = dump->e[i].subleaf;
	memcpy(regs, dump->e[i].regs, sizeof(dump->e[i].regs));
	return 0;
}

int cpuid_dump_next_leaf(const struct cpuid_dump *dump, uint32_t leaf, uint32_t *found)
{
	size_t i;

	if (!dump)
		return -ENOENT;
	i = lower_bound(dump, key(leaf, 0));
	if (i == dump->n)
		return -ENOENT;
	*found = dump->e[i].leaf;
	return 0;
}

/* ---- the parser ---- */

struct cursor {
	const char *p, *end;  /* the current line, without its newline */
	const char *msg;      /* why it failed */
};

static bool at_blank(const struct cursor *c)
{
	return c->p < c->end && (*c->p == ' ' || *c->p == '\t');
}

static void skip_blanks(struct cursor *c)
{
	while (at_blank(c))
		c->p++;
}

static bool eat(struct cursor *c, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(c->end - c->p) < n || memcmp(c->p, lit, n) != 0)
		return false;
	c->p += n;
	return true;
}

/* Hex digit values, -1 for anything else: the parser's hot loop, so a table. */
static const int8_t hex_digit[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6, ['6'] = 7, ['7'] = 8,
	['8'] = 9, ['9'] = 10, ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
	['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

/* The value of hex digit CH, or -1 (the table stores value + 1 so that its zero default means "none"). */
static inline int hexval(char ch)
{
	return hex_digit[(unsigned char)ch] - 1;
}

/*
 * "0x" and hex digits, ending at a blank, at ':' or at the end of the line.
 * Leading zeros are allowed; a value above 32 bits is not.
 */
static bool parse_hex(struct cursor *c, uint32_t *out, const char *what)
{
	uint32_t v = 0;
	size_t digits = 0, significant = 0;
	int d;

	if (c->end - c->p < 2 || c->p[0] != '0' || (c->p[1] != 'x' && c->p[1] != 'X')) {
		c->msg = what;
		return false;
	}
	c->p += 2;
	for (; c->p < c->end && *c->p == '0'; c->p++)
		digits++;
	for (; c->p < c->end && (d = hexval(*c->p)) >= 0; c->p++, digits++) {
		if (++significant > 8) {
			c->msg = "number does not fit in 32 bits";
			return false;
		}
		v = v << 4 | (uint32_t)d;
	}
	if (digits == 0 || (c->p < c->end && !at_blank(c) && *c->p != ':')) {
		c->msg = "bad hexadecimal number";
		return false;
	}
	*out = v;
	return true;
}

/* "   0x40000000 0x00: eax=0x40000001 ebx=0x4b4d564b ecx=0x564b4d56 edx=0x0000004d" */
static bool parse_leaf_line(struct cursor *c, struct cpuid_entry *e)
{
	static const char *const reg_names[4] = { "eax=", "ebx=", "ecx=", "edx=" };
	static const char *const reg_missing[4] = {
		"missing eax=", "missing ebx=", "missing ecx=", "missing edx=",
	};

	skip_blanks(c);
	if (!parse_hex(c, &e->leaf, "expected a leaf line (\"0xLEAF 0xSUB: eax=...\") or a CPU header"))
		return false;
	if (!at_blank(c)) {
		c->msg = "expected a subleaf after the leaf";
		return false;
	}
	skip_blanks(c);
	if (!parse_hex(c, &e->subleaf, "expected a subleaf after the leaf"))
		return false;
	if (!eat(c, ":")) {
		c->msg = "expected ':' after the subleaf";
		return false;
	}
	for (size_t i = 0; i < 4; i++) {
		if (!at_blank(c)) {
			c->msg = c->p == c->end ? reg_missing[i] : "expected a blank between registers";
			return false;
		}
		skip_blanks(c);
		if (!eat(c, reg_names[i])) {
			c->msg = reg_missing[i];
			return false;
		}
		if (!parse_hex(c, &e->regs[i], "expected 0x and a register value"))
			return false;
	}
	skip_blanks(c);
	if (c->p != c->end) {
		c->msg = "unexpected text after edx";
		return false;
	}
	return true;
}

/* "CPU:" (cpuid -1) or "CPU 12:" (cpuid, all CPUs). Returns false when the line is not a header. */
static bool parse_header(struct cursor *c)
{
	struct cursor t = *c;
	size_t digits = 0;

	skip_blanks(&t);
	if (!eat(&t, "CPU"))
		return false;
	if (at_blank(&t)) {
		skip_blanks(&t);
		while (t.p < t.end && *t.p >= '0' && *t.p <= '9' && digits < 10) {
			t.p++;
			digits++;
		}
		if (digits == 0)
			return false;
	}
	if (!eat(&t, ":"))
		return false;
	skip_blanks(&t);
	return t.p == t.end;
}

static int cmp_entry(const void *a, const void *b)
{
	const struct cpuid_entry *x = a, *y = b;
	uint64_t kx = key(x->leaf, x->subleaf), ky = key(y->leaf, y->subleaf);

	if (kx != ky)
		return kx < ky ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Sort by (leaf, subleaf) and drop later duplicates. `cpuid` prints in order, so usually nothing moves. */
static void sort_unique(struct cpuid_dump *d)
{
	size_t out = 0;
	bool sorted = true;

	for (size_t i = 1; i < d->n && sorted; i++)
		sorted = key(d->e[i - 1].leaf, d->e[i - 1].subleaf) < key(d->e[i].leaf, d->e[i].subleaf);
	if (sorted)
		return;
	qsort(d->e, d->n, sizeof(d->e[0]), cmp_entry);
	for (size_t i = 0; i < d->n; i++)
		if (out == 0 || key(d->e[out - 1].leaf, d->e[out - 1].subleaf) != key(d->e[i].leaf, d->e[i].subleaf))
			d->e[out++] = d->e[i];
	d->n = out;
}

int cpuid_dump_parse(const char *text, size_t len, struct cpuid_dump **dump,
                     size_t *error_line, const char **error_msg)
{
	struct cpuid_dump *d = NULL;
	const char *p = text, *end = text + len;
	size_t line = 0, cap = 0, headers = 0;
	bool keeping = true;   /* still in the first CPU's section */
	const char *msg = NULL;

	if (!dump || (!text && len))
		return -EINVAL;
	*dump = NULL;
	d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		struct cursor c;
		struct cpuid_entry e;

		line++;
		if (memchr(p, '\0', n)) {
			msg = "NUL byte in line";
			goto bad;
		}
		/* Trailing blanks and a CR (a dump that went through a Windows editor) are harmless. */
		while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r'))
			n--;
		c = (struct cursor){ .p = p, .end = p + n };
		p = nl ? nl + 1 : end;
		skip_blanks(&c);
		if (c.p == c.end || *c.p == '#')
			continue;
		if (parse_header(&c)) {
			/* A header after the first CPU's leaves starts another CPU: validate, do not keep. */
			if (headers++ > 0 || d->n > 0)
				keeping = false;
			continue;
		}
		if (!parse_leaf_line(&c, &e)) {
			msg = c.msg;
			goto bad;
		}
		if (!keeping)
			continue;
		if (d->n == CPUID_DUMP_MAX_LEAVES) {
			msg = "too many leaves";
			goto bad;
		}
		if (d->n == cap) {
			size_t ncap = cap ? cap * 2 : 128;
			struct cpuid_entry *ne;

			if (ncap > CPUID_DUMP_MAX_LEAVES)
				ncap = CPUID_DUMP_MAX_LEAVES;
			ne = realloc(d->e, ncap * sizeof(*ne));
			if (!ne) {
				cpuid_dump_free(d);
				return -ENOMEM;
			}
			d->e = ne;
			cap = ncap;
		}
		e.seq = (uint32_t)d->n;
		d->e[d->n++] = e;
	}
	if (d->n == 0) {
		line = line ? line : 1;
		msg = "no CPUID leaves in the dump";
		goto bad;
	}
	sort_unique(d);
	*dump = d;
	return 0;

bad:
	cpuid_dump_free(d);
	if (error_line)
		*error_line = line;
	if (error_msg)
		*error_msg = msg;
	return -EBADMSG;
}

/* ---- loading into a context ---- */

static int load_text(struct hvd_ctx *ctx, const char *name, const char *text, size_t len)
{
	struct cpuid_dump *d;
	size_t line = 0;
	const char *msg = NULL;
	int r;

	r = cpuid_dump_parse(text, len, &d, &line, &msg);
	if (r == -EBADMSG)
		return ctx_set_error(ctx, r, "%s:%zu: %s", name, line, msg);
	if (r < 0)
		return ctx_set_error(ctx, r, "%s: %s", name, strerror(-r));
	cpuid_dump_free(ctx->cpuid_dump);
	ctx->cpuid_dump = d;
	dbg(ctx, "%s: %zu CPUID leaves", name, d->n);
	return 0;
}

/* Read at most CPUID_DUMP_MAX_SIZE bytes of a regular host file; 1 when it is longer. */
static int read_host_file(const char *path, char **data, size_t *len)
{
	/* A device or FIFO given as the dump is refused before it is opened. */
	_cleanup_close_ int fd = host_open_regular(path);

	if (fd < 0)
		return fd;
	return read_regular_fd(fd, CPUID_DUMP_MAX_SIZE, data, len);
}

static int load_error(struct hvd_ctx *ctx, const char *name, int r)
{
	if (r == 1)
		return ctx_set_error(ctx, -EFBIG, "%s: larger than %u bytes, not a CPUID dump", name,
		                     CPUID_DUMP_MAX_SIZE);
	if (r == -EINVAL)
		return ctx_set_error(ctx, r, "%s: not a regular file", name);
	return ctx_set_error(ctx, r, "%s: %s", name, strerror(-r));
}

int cpuid_dump_load_file(struct hvd_ctx *ctx, const char *path)
{
	_cleanup_free_ char *data = NULL;
	size_t len = 0;
	int r;

	if (!ctx || !path)
		return -EINVAL;
	r = read_host_file(path, &data, &len);
	if (r != 0)
		return load_error(ctx, path, r);
	return load_text(ctx, path, data, len);
}

static int load_sysroot(struct hvd_ctx *ctx, const char *relpath, bool optional)
{
	_cleanup_free_ char *data = NULL, *name = NULL;
	size_t len = 0, sl;
	int r;

	if (!ctx || !relpath)
		return -EINVAL;
	sl = strlen(ctx->sysroot);
	name = strdup_printf("%s%s%s", ctx->sysroot, sl && ctx->sysroot[sl - 1] == '/' ? "" : "/", relpath);
	if (!name)
		return -ENOMEM;
	r = sysroot_read(ctx, relpath, CPUID_DUMP_MAX_SIZE, &data, &len);
	if (optional && (r == -ENOENT || r == -EISDIR))
		return 0;
	if (r != 0)
		return load_error(ctx, name, r);
	return load_text(ctx, name, data, len);
}

int cpuid_dump_load_sysroot(struct hvd_ctx *ctx, const char *relpath)
{
	return load_sysroot(ctx, relpath, false);
}

int cpuid_dump_load_sysroot_optional(struct hvd_ctx *ctx, const char *relpath)
{
	return load_sysroot(ctx, relpath, true);
}

void cpuid_format_line(struct strbuf *sb, uint32_t leaf, uint32_t subleaf, const uint32_t regs[4])
{
	strbuf_printf(sb, "   0x%08x 0x%02x: eax=0x%08x ebx=0x%08x ecx=0x%08x edx=0x%08x\n",
	              leaf, subleaf, regs[0], regs[1], regs[2], regs[3]);
}
