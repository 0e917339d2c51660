/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Evidence from text: the `dmidecode` output and kernel boot log of a bug
 * report (hvd_ctx_add_dmidecode, hvd_ctx_add_boot_log). The files are host
 * paths, read and parsed at once (dmidecode.c, bootlog.c are pure); the
 * context keeps the facts they showed, and every detection adds them to what
 * the sysroot shows:
 *
 *  - the sysroot wins: a text only fills what the tree lacks (a field, the
 *    SMBIOS bits, the ACPI tables, a kernel fact);
 *  - among texts, the one added first wins (the command adds --from-dmidecode
 *    before --from-log);
 *  - a context whose sysroot is the running system reads nothing of it once a
 *    text is added, no CPUID instruction either (a report describes another
 *    machine); a captured tree, and a CPUID dump, still count.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <string.h>

#include "bootlog.h"
#include "dmidecode.h"
#include "facts.h"
#include "base/internal.h"
#include "base/sysroot.h"

#define DMIDECODE_MAX_SIZE (16u << 20)   /* real dumps are < 1 MiB */
#define BOOTLOG_MAX_SIZE   (64u << 20)   /* read at most this much of a log: its first boot is at the start */

struct text_facts {
	struct facts f;      /* what the texts showed, merged */
};

void text_facts_free(struct text_facts *t)
{
	if (!t)
		return;
	facts_free(&t->f);
	free(t);
}

bool ctx_text_only(const struct hvd_ctx *ctx)
{
	return ctx && ctx->text && ctx->live;
}

/* ------------------------------------------------------------ merging */

static int dup_into(char **dst, const char *src)
{
	if (*dst || !src)
		return 0;
	*dst = strdup(src);
	return *dst ? 1 : -ENOMEM;
}

static int fill_dmi(struct dmi_facts *d, const struct dmi_facts *s)
{
	int r;

	for (size_t i = 0; i < DMI_FIELD_COUNT; i++) {
		if ((r = dup_into(&d->field[i], s->field[i])) < 0)
			return r;
		if (r > 0) {
			d->field_src[i] = s->field_src[i];
			d->field_line[i] = s->field_line[i];
		}
	}
	d->present |= s->present;
	if (!d->smbios && s->smbios) {
		d->smbios = true;
		d->smbios_major = s->smbios_major;
		d->smbios_minor = s->smbios_minor;
		d->vm_bit = s->vm_bit;
		d->uefi_bit = s->uefi_bit;
		d->bits_line = s->bits_line;
	}
	if (!d->oem_strings && s->oem_strings && s->n_oem_strings) {
		d->oem_strings = calloc(s->n_oem_strings + 1, sizeof(char *));
		if (!d->oem_strings)
			return -ENOMEM;
		for (size_t i = 0; i < s->n_oem_strings; i++) {
			d->oem_strings[i] = strdup(s->oem_strings[i]);
			if (!d->oem_strings[i])
				return -ENOMEM;
			d->n_oem_strings = i + 1;
		}
		d->oem_line = s->oem_line;
	}
	return 0;
}

static int fill_acpi(struct acpi_facts *d, const struct acpi_facts *s)
{
	d->present |= s->present;
	if (d->n_tables || !s->n_tables)
		return 0;
	d->tables = calloc(s->n_tables, sizeof(*d->tables));
	if (!d->tables)
		return -ENOMEM;
	memcpy(d->tables, s->tables, s->n_tables * sizeof(*d->tables));
	d->n_tables = s->n_tables;
	return 0;
}

static int fill_string(char **d, struct text_line *dl, const char *s, struct text_line sl)
{
	int r = dup_into(d, s);

	if (r > 0)
		*dl = sl;
	return r < 0 ? r : 0;
}

static int fill_platform(struct platform_facts *d, const struct platform_facts *s)
{
	int r;

	if (!d->efi && s->efi) {
		d->efi = true;
		d->efi_line = s->efi_line;
	}
	if (!d->vmbus && s->vmbus) {
		d->vmbus = true;
		d->vmbus_line = s->vmbus_line;
	}
	if ((r = fill_string(&d->osrelease, &d->osrelease_line, s->osrelease, s->osrelease_line)) < 0 ||
	    (r = fill_string(&d->arch, &d->arch_line, s->arch, s->arch_line)) < 0 ||
	    (r = fill_string(&d->clocksources, &d->clocksources_line, s->clocksources, s->clocksources_line)) < 0 ||
	    (r = fill_string(&d->hypervisor_detected, &d->hypervisor_detected_line, s->hypervisor_detected,
	                     s->hypervisor_detected_line)) < 0 ||
	    (r = fill_string(&d->paravirt_on, &d->paravirt_on_line, s->paravirt_on, s->paravirt_on_line)) < 0)
		return r;
	return 0;
}

/* Add to F what the texts showed and F lacks. */
static int fill(struct facts *f, const struct facts *t)
{
	int r;

	if ((r = fill_dmi(&f->dmi, &t->dmi)) < 0 ||
	    (r = fill_acpi(&f->acpi, &t->acpi)) < 0 ||
	    (r = fill_platform(&f->plat, &t->plat)) < 0)
		return r;
	return 0;
}

int text_facts_fill(const struct hvd_ctx *ctx, struct facts *f)
{
	return ctx && ctx->text ? fill(f, &ctx->text->f) : 0;
}

/* ------------------------------------------------------------ the API */

static int read_text(struct hvd_ctx *ctx, const char *path, size_t max, char **data, size_t *len)
{
	/* O_NONBLOCK: a FIFO must not wait for a writer (read_regular_fd refuses it anyway). */
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	int r;

	if (fd < 0)
		return ctx_set_error(ctx, -errno, "%s: %s", path, strerror(errno));
	r = read_regular_fd(fd, max, data, len);
	if (r == -EINVAL)
		return ctx_set_error(ctx, r, "%s: not a regular file", path);
	if (r < 0)
		return ctx_set_error(ctx, r, "%s: %s", path, strerror(-r));
	return r;   /* 1: longer than MAX, the first MAX bytes read */
}

static int add(struct hvd_ctx *ctx, struct facts *parsed)
{
	int r;

	if (!ctx->text) {
		ctx->text = calloc(1, sizeof(*ctx->text));
		if (!ctx->text)
			return -ENOMEM;
		ctx->text->f.dmi.vm_bit = ctx->text->f.dmi.uefi_bit = -1;
	}
	r = fill(&ctx->text->f, parsed);
	return r;
}

HVD_EXPORT int hvd_ctx_add_dmidecode(struct hvd_ctx *ctx, const char *path)
{
	_cleanup_free_ char *data = NULL;
	struct facts parsed = { 0 };
	struct text_error e;
	size_t len = 0;
	int r;

	ctx_clear_error();
	if (!ctx || !path)
		return -EINVAL;
	r = read_text(ctx, path, DMIDECODE_MAX_SIZE, &data, &len);
	if (r < 0)
		return r;
	if (r > 0)
		return ctx_set_error(ctx, -EBADMSG, "%s: longer than %u bytes: not dmidecode output", path,
		                     DMIDECODE_MAX_SIZE);
	parsed.dmi.vm_bit = parsed.dmi.uefi_bit = -1;
	r = dmidecode_parse(data, len, &parsed.dmi, &e);
	if (r == -EBADMSG)
		return ctx_set_error(ctx, r, "%s:%u: %s", path, e.line, e.why);
	if (r < 0)
		return ctx_set_error(ctx, r, "%s: %s", path, strerror(-r));
	r = add(ctx, &parsed);
	facts_free(&parsed);
	if (r < 0)
		return ctx_set_error(ctx, r, "%s: %s", path, strerror(-r));
	dbg(ctx, "%s: dmidecode output read", path);
	return 0;
}

HVD_EXPORT int hvd_ctx_add_boot_log(struct hvd_ctx *ctx, const char *path)
{
	_cleanup_free_ char *data = NULL;
	struct facts parsed;
	size_t len = 0;
	int r;

	ctx_clear_error();
	if (!ctx || !path)
		return -EINVAL;
	r = read_text(ctx, path, BOOTLOG_MAX_SIZE, &data, &len);
	if (r < 0)
		return r;
	if (r > 0)
		info(ctx, "%s: longer than %u bytes, read only those", path, BOOTLOG_MAX_SIZE);
	r = bootlog_parse(data, len, &parsed);
	if (r < 0)
		return ctx_set_error(ctx, r, "%s: %s", path, strerror(-r));
	r = add(ctx, &parsed);
	facts_free(&parsed);
	if (r < 0)
		return ctx_set_error(ctx, r, "%s: %s", path, strerror(-r));
	dbg(ctx, "%s: boot log read", path);
	return 0;
}
