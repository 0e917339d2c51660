/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * DMI: the kernel's sysfs id files first (they are what every other tool
 * reads, and the kernel already fixed up quirks), then the raw SMBIOS table
 * for what the id files lack: the "virtual machine" and "UEFI" bits, OEM
 * strings, and any field whose file is missing or unreadable.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include "detect/facts.h"
#include "base/internal.h"
#include "base/sysroot.h"
#include "smbios.h"

#define DMI_ID_DIR "sys/class/dmi/id"
#define SMBIOS_EP_PATH "sys/firmware/dmi/tables/smbios_entry_point"
#define SMBIOS_TABLE_PATH "sys/firmware/dmi/tables/DMI"
/* An entry point is at most 32 bytes; anything longer is not one. */
#define READ_MAX_EP 64u

static int read_id_field(struct hvd_ctx *ctx, struct dmi_facts *out, enum dmi_field f)
{
	char path[128];
	char *v = NULL;
	int r;

	snprintf(path, sizeof(path), DMI_ID_DIR "/%s", dmi_field_names[f]);
	r = sysroot_read_attr(ctx, path, &v);
	if (r == -ENOMEM)
		return r;
	if (r < 0) {
		/* Missing, root-only (product_serial), or not a regular file: just not known. */
		dbg(ctx, "%s: %s", path, strerror(-r));
		return 0;
	}
	if (r > 0)
		dbg(ctx, "%s: longer than %u bytes, truncated", path, READ_MAX_ATTR);
	if (!*v) {
		free(v);
		return 0;
	}
	out->field[f] = v;
	out->field_src[f] = SRC_SYSFS;
	return 0;
}

static int read_tables(struct hvd_ctx *ctx, struct dmi_facts *out)
{
	_cleanup_free_ char *ep = NULL, *table = NULL;
	size_t ep_len = 0, table_len = 0;
	int r, rt;

	r = sysroot_read(ctx, SMBIOS_EP_PATH, READ_MAX_EP, &ep, &ep_len);
	rt = sysroot_read(ctx, SMBIOS_TABLE_PATH, READ_MAX_TABLE, &table, &table_len);
	if (r == -ENOMEM || rt == -ENOMEM)
		return -ENOMEM;
	if (r == -ENOENT && rt == -ENOENT) {
		/* No SMBIOS at all (Firecracker, kvmtool, Xen PV ...): a result, not a problem. */
		dbg(ctx, "no raw SMBIOS tables");
		return 0;
	}
	if (r < 0)
		return smbios_add_problem(out, "smbios_entry_point unreadable: %s", strerror(-r));
	if (rt < 0)
		return smbios_add_problem(out, "DMI table unreadable: %s", strerror(-rt));
	if (rt > 0 && (r = smbios_add_problem(out, "DMI table longer than %u bytes, read only those", READ_MAX_TABLE)) < 0)
		return r;

	r = smbios_parse((const uint8_t *)ep, ep_len, (const uint8_t *)table, table_len, out);
	if (r < 0)
		return r;
	dbg(ctx, "SMBIOS %d.%d %s%s%s", out->smbios_major, out->smbios_minor,
	    out->smbios ? "parsed" : "rejected", out->smbios_problem ? ": " : "",
	    out->smbios_problem ? out->smbios_problem : "");
	return 0;
}

int probe_dmi(struct hvd_ctx *ctx, struct dmi_facts *out)
{
	int r;

	memset(out, 0, sizeof(*out));
	out->vm_bit = out->uefi_bit = -1;

	out->present = sysroot_exists(ctx, DMI_ID_DIR) == 1;
	for (size_t f = 0; out->present && f < DMI_FIELD_COUNT; f++) {
		if ((r = read_id_field(ctx, out, (enum dmi_field)f)) < 0)
			goto fail;
	}
	if ((r = read_tables(ctx, out)) < 0)
		goto fail;
	return 0;
fail:
	dmi_facts_free(out);
	out->vm_bit = out->uefi_bit = -1;
	return r;
}
