/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Device tree (arm64, ppc, riscv): the hypervisor node and the machine's compatible list and model. */
#include <string.h>

#include "detect/facts.h"
#include "base/internal.h"
#include "base/sysroot.h"
#include "platform.h"

int dt_join_stringlist(const char *buf, size_t len, char **out)
{
	const char *p = buf, *end = buf + len;
	char *s, *o;

	*out = NULL;
	if (!buf || len == 0)
		return 0;
	s = malloc(len + 1);
	if (!s)
		return -ENOMEM;
	o = s;
	while (p < end) {
		const char *nul = memchr(p, '\0', (size_t)(end - p));
		size_t l = nul ? (size_t)(nul - p) : (size_t)(end - p);
		if (l > 0) {
			if (o != s)
				*o++ = ' ';
			memcpy(o, p, l);
			o += l;
		}
		p += l + 1;
	}
	*o = '\0';
	if (o == s)
		free(s);
	else
		*out = s;
	return 0;
}

/* Returns 0 (value or not) or -ENOMEM. */
static int read_stringlist(struct hvd_ctx *ctx, const char *path, char **value)
{
	_cleanup_free_ char *data = NULL;
	size_t len = 0;
	int r;

	*value = NULL;
	r = sysroot_read(ctx, path, READ_MAX_ATTR, &data, &len);
	if (r < 0) {
		if (r != -ENOENT)
			dbg(ctx, "%s: %d", path, r);
		return r == -ENOMEM ? r : 0;
	}
	return dt_join_stringlist(data, len, value);
}

int probe_devicetree(struct hvd_ctx *ctx, struct platform_facts *out)
{
	int r;

	/* Most machines have no device tree: one lookup instead of three. */
	if (sysroot_exists(ctx, "proc/device-tree") != 1)
		return 0;
	if ((r = read_stringlist(ctx, "proc/device-tree/hypervisor/compatible", &out->dt_hypervisor_compatible)) < 0 ||
	    (r = read_stringlist(ctx, "proc/device-tree/compatible", &out->dt_compatible)) < 0 ||
	    (r = read_stringlist(ctx, "proc/device-tree/model", &out->dt_model)) < 0)
		return r;
	return 0;
}
