/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Hyper-V VMBus: whether the bus exists, and the class of each channel offered to this guest. */
#include <string.h>

#include "detect/facts.h"
#include "base/internal.h"
#include "base/sysroot.h"
#include "platform.h"

int probe_vmbus(struct hvd_ctx *ctx, struct platform_facts *out)
{
	char **names = NULL;
	size_t n = 0;
	int r;

	out->vmbus = sysroot_exists(ctx, "sys/bus/vmbus") != 0;
	if (!out->vmbus)
		return 0;
	r = sysroot_list(ctx, "sys/bus/vmbus/devices", &names, &n);
	if (r < 0) {
		dbg(ctx, "sys/bus/vmbus/devices: %d", r);
		return r == -ENOMEM ? r : 0;
	}
	if (n > VMBUS_MAX_DEVICES) {
		dbg(ctx, "%zu VMBus devices, reading the first %u", n, VMBUS_MAX_DEVICES);
		n = VMBUS_MAX_DEVICES;
	}
	out->vmbus_class_ids = calloc(n + 1, sizeof(char *));
	if (!out->vmbus_class_ids) {
		strv_free(names);
		return -ENOMEM;
	}
	r = 0;
	for (size_t i = 0; i < n; i++) {
		_cleanup_free_ char *path = strdup_printf("sys/bus/vmbus/devices/%s/class_id", names[i]);
		char *id = NULL;

		if (!path) {
			r = -ENOMEM;
			break;
		}
		r = sysroot_read_attr(ctx, path, &id);
		if (r == -ENOMEM)
			break;
		r = 0;
		/* A channel without a readable class says nothing about what it is. */
		if (!id || !*id) {
			dbg(ctx, "%s: unreadable or empty", path);
			free(id);
			continue;
		}
		out->vmbus_class_ids[out->n_vmbus_devices++] = id;
	}
	strv_free(names);
	return r;
}
