/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The devices present and their modaliases: what udev would autoload drivers for. */
#ifndef HVD_DEVICES_H
#define HVD_DEVICES_H

#include <stddef.h>

#include "base/internal.h"

struct device {
	char *bus;       /* "pci", "vmbus", "virtio", "acpi", "platform", "dmi" ... */
	char *name;      /* the device's directory name (or the udev sysname) */
	char *modalias;
};

struct device_list {
	struct device *v;
	size_t n;
};

/*
 * Every device with a modalias: on the running system through libudev (what
 * udev itself autoloads for), in a sysroot by walking
 * sys/bus/<bus>/devices/<dev>/modalias plus the DMI id device. Devices without
 * a modalias are skipped; an unreadable bus is skipped with a debug message.
 * Sorted by bus then name, so the result does not depend on directory order.
 */
int devices_scan(struct hvd_ctx *ctx, struct device_list *out);
void devices_free(struct device_list *list);

#endif
