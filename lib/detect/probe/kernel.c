/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the running kernel says: proc/cpuinfo (the hypervisor flag, the CPU
 * vendor, the architecture when nothing better says it), the release (WSL2
 * kernels name themselves), and the s390x / ppc64 hypervisor files.
 */
#include <string.h>
#include <sys/utsname.h>

#include "detect/facts.h"
#include "base/internal.h"
#include "base/sysroot.h"
#include "platform.h"

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* Whether the blank-separated list S (LEN bytes) holds WORD as a whole word. */
static bool has_word(const char *s, size_t len, const char *word)
{
	size_t wl = strlen(word), i = 0;

	while (i < len) {
		while (i < len && is_blank(s[i]))
			i++;
		size_t start = i;
		while (i < len && !is_blank(s[i]))
			i++;
		if (i - start == wl && memcmp(s + start, word, wl) == 0)
			return true;
	}
	return false;
}

/* One "key : value" line split into trimmed, not NUL-terminated pieces. */
struct kv {
	const char *key, *value;
	size_t key_len, value_len;
};

static bool split_kv(const char *line, size_t len, struct kv *kv)
{
	const char *colon = memchr(line, ':', len);
	if (!colon)
		return false;
	kv->key = line;
	kv->key_len = (size_t)(colon - line);
	while (kv->key_len > 0 && is_blank(kv->key[kv->key_len - 1]))
		kv->key_len--;
	kv->value = colon + 1;
	kv->value_len = len - (size_t)(kv->value - line);
	while (kv->value_len > 0 && is_blank(kv->value[0])) {
		kv->value++;
		kv->value_len--;
	}
	while (kv->value_len > 0 && is_blank(kv->value[kv->value_len - 1]))
		kv->value_len--;
	return true;
}

static bool key_is(const struct kv *kv, const char *key)
{
	return kv->key_len == strlen(key) && memcmp(kv->key, key, kv->key_len) == 0;
}

static bool value_starts(const struct kv *kv, const char *prefix)
{
	size_t l = strlen(prefix);
	return kv->value_len >= l && memcmp(kv->value, prefix, l) == 0;
}

int cpuinfo_parse(const char *text, size_t len, struct cpuinfo *out)
{
	bool seen = false;

	memset(out, 0, sizeof(*out));
	if (!text)
		return 0;
	const char *p = text, *end = text + len;  /* after the check: NULL + len is undefined */
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
		const char *line = p;
		struct kv kv;
		bool blank = true;

		p += l + 1;
		for (size_t i = 0; i < l && blank; i++)
			blank = is_blank(line[i]);
		if (blank) {
			/* The first processor block ends at the first empty line. */
			if (seen)
				break;
			continue;
		}
		seen = true;
		if (!split_kv(line, l, &kv))
			continue;
		if (key_is(&kv, "flags")) {
			out->hypervisor_flag = has_word(kv.value, kv.value_len, "hypervisor");
			out->lm_flag = has_word(kv.value, kv.value_len, "lm");
		} else if (key_is(&kv, "vendor_id") && kv.value_len > 0 && !out->vendor_id) {
			out->vendor_id = strndup(kv.value, kv.value_len);
			if (!out->vendor_id)
				return -ENOMEM;
			if (strcmp(out->vendor_id, "IBM/S390") == 0)
				out->arch = "s390x";
		} else if (key_is(&kv, "CPU implementer")) {
			out->arch = "aarch64";
		} else if (key_is(&kv, "cpu") && value_starts(&kv, "POWER")) {
			out->arch = "ppc64le";
		} else if (key_is(&kv, "isa") && value_starts(&kv, "rv64")) {
			out->arch = "riscv64";
		} else if (key_is(&kv, "isa") && value_starts(&kv, "rv32")) {
			out->arch = "riscv32";
		}
	}
	if (!out->arch && out->vendor_id)
		out->arch = out->lm_flag ? "x86_64" : "i686";
	return 0;
}

void cpuinfo_done(struct cpuinfo *c)
{
	free(c->vendor_id);
	memset(c, 0, sizeof(*c));
}

char *text_line_value(const char *text, size_t len, const char *key, bool *oom)
{
	size_t kl = strlen(key);

	*oom = false;
	if (!text)
		return NULL;
	const char *p = text, *end = text + len;  /* after the check: NULL + len is undefined */
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
		const char *line = p;

		p += l + 1;
		if (l < kl || memcmp(line, key, kl) != 0)
			continue;
		/* The value is column-aligned ("z/VM    7.2.0"): collapse blank runs. */
		char *v = malloc(l - kl + 1), *o = v;
		if (!v) {
			*oom = true;
			return NULL;
		}
		for (size_t i = kl; i < l; i++) {
			if (is_blank(line[i])) {
				if (o != v && o[-1] != ' ')
					*o++ = ' ';
			} else if (line[i] != '\0') {
				*o++ = line[i];
			}
		}
		if (o != v && o[-1] == ' ')
			o--;
		*o = '\0';
		if (o == v) {
			free(v);
			return NULL;
		}
		return v;
	}
	return NULL;
}

/* Read PATH whole (bounded); 0 with *DATA NULL when it cannot be read, -ENOMEM. */
static int read_text(struct hvd_ctx *ctx, const char *path, size_t max, char **data, size_t *len)
{
	int r = sysroot_read(ctx, path, max, data, len);
	if (r < 0) {
		*data = NULL;
		*len = 0;
		if (r != -ENOENT)
			dbg(ctx, "%s: %d", path, r);
		return r == -ENOMEM ? r : 0;
	}
	return 0;
}

static int probe_cpuinfo(struct hvd_ctx *ctx, struct platform_facts *out, const char **arch)
{
	_cleanup_free_ char *text = NULL;
	struct cpuinfo ci;
	size_t len = 0;
	int r;

	*arch = NULL;
	if ((r = read_text(ctx, "proc/cpuinfo", CPUINFO_READ_MAX, &text, &len)) < 0)
		return r;
	if (!text)
		return 0;
	if ((r = cpuinfo_parse(text, len, &ci)) < 0)
		return r;
	out->cpuinfo_hypervisor_flag = ci.hypervisor_flag;
	out->cpuinfo_vendor = TAKE_PTR(ci.vendor_id);
	*arch = ci.arch;
	return 0;
}

static int probe_arch(struct hvd_ctx *ctx, struct platform_facts *out, const char *cpuinfo_arch)
{
	struct utsname u;
	int r;

	if ((r = read_attr_optional(ctx, "proc/sys/kernel/arch", &out->arch)) < 0 || out->arch)
		return r;
	if (cpuinfo_arch)
		out->arch = strdup(cpuinfo_arch);
	else if (ctx->live && uname(&u) == 0)
		out->arch = strdup(u.machine);
	else
		return 0;
	return out->arch ? 0 : -ENOMEM;
}

static int probe_sysinfo(struct hvd_ctx *ctx, struct platform_facts *out)
{
	_cleanup_free_ char *text = NULL;
	size_t len = 0;
	bool oom;
	int r;

	if ((r = read_text(ctx, "proc/sysinfo", SYSINFO_READ_MAX, &text, &len)) < 0 || !text)
		return r;
	out->sysinfo_vm = text_line_value(text, len, "VM00 Control Program:", &oom);
	return oom ? -ENOMEM : 0;
}

/*
 * The registered clocksources: a paravirtual one (kvm-clock, the Hyper-V TSC
 * page, xen) shows which hypervisor the kernel talks to, even when CPUID is
 * another's (PVM does not intercept CPUID). The current one alone may be
 * plain tsc once the kernel trusts it, so the available list comes first.
 */
static int probe_clocksource(struct hvd_ctx *ctx, struct platform_facts *out)
{
	int r = read_attr_optional(ctx, "sys/devices/system/clocksource/clocksource0/available_clocksource",
	                           &out->clocksources);
	if (r < 0 || out->clocksources)
		return r;
	return read_attr_optional(ctx, "sys/devices/system/clocksource/clocksource0/current_clocksource",
	                          &out->clocksources);
}

int probe_kernel(struct hvd_ctx *ctx, struct platform_facts *out)
{
	const char *cpuinfo_arch = NULL;
	int r;

	if ((r = probe_cpuinfo(ctx, out, &cpuinfo_arch)) < 0 ||
	    (r = probe_clocksource(ctx, out)) < 0 ||
	    (r = read_attr_optional(ctx, "proc/sys/kernel/osrelease", &out->osrelease)) < 0 ||
	    (r = probe_arch(ctx, out, cpuinfo_arch)) < 0 ||
	    (r = probe_sysinfo(ctx, out)) < 0)
		return r;
	return 0;
}
