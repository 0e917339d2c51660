/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The device scan (see devices.h). */
#define _GNU_SOURCE
#include <libudev.h>
#include <string.h>

#include "devices.h"
#include "base/dlopen.h"
#include "base/sysroot.h"
#include "detect/facts.h"

/*
 * At most this many devices, and this many directory entries looked at below
 * sys/bus/BUS/devices in all (a device without a modalias, or with a broken one,
 * costs a read too): 200 bus directories linked to one directory of 20,000
 * entries took 48 s. A large server has a few thousand.
 */
#define DEVICES_MAX 100000u

void devices_free(struct device_list *list)
{
	if (!list)
		return;
	for (size_t i = 0; i < list->n; i++) {
		free(list->v[i].bus);
		free(list->v[i].name);
		free(list->v[i].modalias);
	}
	free(list->v);
	list->v = NULL;
	list->n = 0;
}

static int too_many(struct hvd_ctx *ctx, const char *what)
{
	return ctx_set_error(ctx, -E2BIG, "device scan: more than %u %s (a machine has a few thousand): refusing "
	                     "to go on", DEVICES_MAX, what);
}

static int add(struct hvd_ctx *ctx, struct device_list *list, size_t *cap, const char *bus, const char *name,
               const char *modalias)
{
	if (list->n == DEVICES_MAX)
		return too_many(ctx, "devices with a modalias");
	if (list->n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 32;
		struct device *nv = realloc(list->v, ncap * sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		list->v = nv;
		*cap = ncap;
	}
	struct device *d = &list->v[list->n];
	d->bus = strdup(bus);
	d->name = strdup(name);
	d->modalias = strdup(modalias);
	if (!d->bus || !d->name || !d->modalias) {
		free(d->bus);
		free(d->name);
		free(d->modalias);
		return -ENOMEM;
	}
	list->n++;
	return 0;
}

/* A modalias is one line of printable ASCII; anything else is not what the kernel writes. */
static bool sane_modalias(const char *s)
{
	if (!*s || !strchr(s, ':'))
		return false;
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f)
			return false;
	return true;
}

static int scan_sysroot(struct hvd_ctx *ctx, struct device_list *out, size_t *cap)
{
	char **buses = NULL;
	size_t nbus = 0;
	int r;

	size_t seen;

	r = sysroot_list(ctx, "sys/bus", &buses, &nbus);
	if (r == -ENOENT || r == -ENOTDIR)
		r = 0;
	if (r < 0)
		return r;
	seen = nbus;
	for (size_t b = 0; b < nbus && r >= 0; b++) {
		_cleanup_free_ char *dir = strdup_printf("sys/bus/%s/devices", buses[b]);
		char **devs = NULL;
		size_t ndev = 0;

		if (!dir) {
			r = -ENOMEM;
			break;
		}
		if (sysroot_list(ctx, dir, &devs, &ndev) < 0) {
			dbg(ctx, "cannot list %s", dir);
			continue;
		}
		seen += ndev;
		if (seen > DEVICES_MAX) {
			strv_free(devs);
			r = too_many(ctx, "entries below sys/bus/BUS/devices");
			break;
		}
		for (size_t d = 0; d < ndev && r >= 0; d++) {
			_cleanup_free_ char *path = strdup_printf("%s/%s/modalias", dir, devs[d]);
			_cleanup_free_ char *alias = NULL;

			if (!path) {
				r = -ENOMEM;
				break;
			}
			if (sysroot_read_attr(ctx, path, &alias) < 0)
				continue;
			if (!sane_modalias(alias)) {
				dbg(ctx, "%s: ignoring a malformed modalias", path);
				continue;
			}
			r = add(ctx, out, cap, buses[b], devs[d], alias);
		}
		strv_free(devs);
	}
	strv_free(buses);
	if (r < 0)
		return r;
	/* The DMI id device is not on a bus, yet udev autoloads for its modalias (vmw_balloon's alias). */
	_cleanup_free_ char *dmi = NULL;
	if (sysroot_read_attr(ctx, "sys/class/dmi/id/modalias", &dmi) >= 0 && sane_modalias(dmi))
		r = add(ctx, out, cap, "dmi", "id", dmi);
	return r;
}

static int scan_udev(struct hvd_ctx *ctx, struct device_list *out, size_t *cap)
{
	struct udev *udev;
	struct udev_enumerate *e = NULL;
	struct udev_list_entry *entry;
	int r = dlopen_udev(ctx);

	if (r < 0)
		return r;
	udev = udev_new();
	if (!udev)
		return -ENOMEM;
	e = udev_enumerate_new(udev);
	if (!e) {
		udev_unref(udev);
		return -ENOMEM;
	}
	r = udev_enumerate_add_match_property(e, "MODALIAS", "*");
	if (r >= 0)
		r = udev_enumerate_scan_devices(e);
	if (r < 0) {
		dbg(ctx, "udev enumeration failed: %s", strerror(-r));
		goto out;
	}
	udev_list_entry_foreach(entry, udev_enumerate_get_list_entry(e)) {
		struct udev_device *dev = udev_device_new_from_syspath(udev, udev_list_entry_get_name(entry));
		const char *alias, *subsystem;

		if (!dev)
			continue;
		alias = udev_device_get_property_value(dev, "MODALIAS");
		subsystem = udev_device_get_subsystem(dev);
		if (alias && sane_modalias(alias))
			r = add(ctx, out, cap, subsystem ? subsystem : "", udev_device_get_sysname(dev), alias);
		udev_device_unref(dev);
		if (r < 0)
			break;
	}
out:
	udev_enumerate_unref(e);
	udev_unref(udev);
	return r < 0 ? r : 0;
}

static int cmp_device(const void *a, const void *b)
{
	const struct device *x = a, *y = b;
	int c = strcmp(x->bus, y->bus);
	return c ? c : strcmp(x->name, y->name);
}

int devices_scan(struct hvd_ctx *ctx, struct device_list *out)
{
	size_t cap = 0;
	int r;

	out->v = NULL;
	out->n = 0;
	if (ctx_text_only(ctx)) {
		/* The verdict came from a bug report's text: this machine's devices are not that machine's. */
		dbg(ctx, "verdict from text: no devices scanned");
		return 0;
	}
	if (ctx->live && dlopen_udev_available()) {
		r = scan_udev(ctx, out, &cap);
	} else {
		/*
		 * A sysroot, or a live system without libudev (a minimal initramfs):
		 * the modalias files in sysfs say the same as udev's MODALIAS property.
		 */
		if (ctx->live)
			dbg(ctx, "libudev unavailable: scanning sysfs directly");
		r = scan_sysroot(ctx, out, &cap);
	}
	if (r < 0) {
		devices_free(out);
		return r;
	}
	if (out->n > 1)  /* qsort(NULL, 0, ...) is undefined */
		qsort(out->v, out->n, sizeof(*out->v), cmp_device);
	return 0;
}
