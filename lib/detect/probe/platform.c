/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * probe_platform(): the small sources that are not tables or buses of their
 * own — firmware type, Xen, device tree, VMBus, and what the kernel says.
 * EFI and Xen are a few existence checks and attributes, kept here; the rest
 * lives in devicetree.c, vmbus.c and kernel.c.
 */
#include <string.h>

#include "detect/facts.h"
#include "base/internal.h"
#include "base/sysroot.h"
#include "platform.h"

int read_attr_optional(struct hvd_ctx *ctx, const char *path, char **value)
{
	int r = sysroot_read_attr(ctx, path, value);
	if (r < 0) {
		*value = NULL;
		if (r != -ENOENT)
			dbg(ctx, "%s: %d", path, r);
		return r == -ENOMEM ? r : 0;
	}
	if (!**value) {
		free(*value);
		*value = NULL;
	}
	return 0;
}

static int probe_xen(struct hvd_ctx *ctx, struct platform_facts *out)
{
	int r;

	if ((r = read_attr_optional(ctx, "sys/hypervisor/type", &out->hypervisor_type)) < 0)
		return r;
	out->proc_xen = sysroot_exists(ctx, "proc/xen") != 0;
	if (out->proc_xen &&
	    (r = read_attr_optional(ctx, "proc/xen/capabilities", &out->xen_capabilities)) < 0)
		return r;
	return 0;
}

int probe_platform(struct hvd_ctx *ctx, struct platform_facts *out)
{
	int r;

	memset(out, 0, sizeof(*out));
	out->efi = sysroot_exists(ctx, "sys/firmware/efi") != 0;
	out->lparcfg = sysroot_exists(ctx, "proc/ppc64/lparcfg") != 0;
	if ((r = probe_xen(ctx, out)) < 0 ||
	    (r = probe_devicetree(ctx, out)) < 0 ||
	    (r = probe_vmbus(ctx, out)) < 0 ||
	    (r = probe_kernel(ctx, out)) < 0) {
		platform_facts_free(out);
		return r;
	}
	return 0;
}
