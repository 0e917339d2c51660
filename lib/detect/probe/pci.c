/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * PCI: the ids and class of every device, from sys/bus/pci/devices. This runs
 * on every detection, so each device costs one read (its modalias); the
 * separate id files are read only when the modalias is missing or malformed.
 */
#include <string.h>

#include "detect/facts.h"
#include "base/internal.h"
#include "base/sysroot.h"
#include "pci.h"

#define DEVICES_DIR "sys/bus/pci/devices"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* TAG followed by exactly DIGITS hex digits at *P (within END); advances *P. */
static bool take_field(const char **p, const char *end, const char *tag, size_t digits, uint32_t *out)
{
	size_t tl = strlen(tag);
	uint32_t v = 0;

	if ((size_t)(end - *p) < tl + digits || memcmp(*p, tag, tl) != 0)
		return false;
	for (size_t i = 0; i < digits; i++) {
		int h = hexval((*p)[tl + i]);
		if (h < 0)
			return false;
		v = v << 4 | (uint32_t)h;
	}
	*p += tl + digits;
	*out = v;
	return true;
}

int pci_parse_modalias(const char *s, size_t len, struct pci_device *out)
{
	const char *p = s, *end;
	uint32_t v, d, sv, sd, bc, sc, pi;

	if (!s)
		return -EBADMSG;
	while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == ' ' || s[len - 1] == '\0'))
		len--;
	end = s + len;
	if (!take_field(&p, end, "pci:v", 8, &v) || !take_field(&p, end, "d", 8, &d) ||
	    !take_field(&p, end, "sv", 8, &sv) || !take_field(&p, end, "sd", 8, &sd) ||
	    !take_field(&p, end, "bc", 2, &bc) || !take_field(&p, end, "sc", 2, &sc) ||
	    !take_field(&p, end, "i", 2, &pi) || p != end)
		return -EBADMSG;
	if (v > 0xffff || d > 0xffff || sv > 0xffff || sd > 0xffff)
		return -EBADMSG;
	out->vendor = (uint16_t)v;
	out->device = (uint16_t)d;
	out->subvendor = (uint16_t)sv;
	out->subdevice = (uint16_t)sd;
	out->class_code = bc << 16 | sc << 8 | pi;
	return 0;
}

int pci_parse_id(const char *s, uint32_t max, uint32_t *out)
{
	uint64_t v = 0;
	size_t n = 0;

	if (!s)
		return -EBADMSG;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	for (; *s && *s != '\n'; s++, n++) {
		int h = hexval(*s);
		if (h < 0 || n >= 8)
			return -EBADMSG;
		v = v << 4 | (uint64_t)h;
	}
	if (n == 0 || (*s == '\n' && s[1] != '\0') || v > max)
		return -EBADMSG;
	*out = (uint32_t)v;
	return 0;
}

/* The id files of SLOT, for a device whose modalias is missing or malformed. Returns 0, -ENOENT, -ENOMEM. */
static int read_id_files(struct hvd_ctx *ctx, const char *slot, struct pci_device *d)
{
	static const struct { const char *file; uint32_t max; bool required; } files[] = {
		{ "vendor", 0xffff, true }, { "device", 0xffff, true },
		{ "subsystem_vendor", 0xffff, false }, { "subsystem_device", 0xffff, false },
		{ "class", 0xffffff, false },
	};
	uint32_t v[ARRAY_SIZE(files)] = { 0 };

	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		_cleanup_free_ char *path = strdup_printf(DEVICES_DIR "/%s/%s", slot, files[i].file);
		_cleanup_free_ char *value = NULL;
		int r;

		if (!path)
			return -ENOMEM;
		r = sysroot_read_attr(ctx, path, &value);
		if (r == -ENOMEM)
			return r;
		if (r < 0 || pci_parse_id(value, files[i].max, &v[i]) < 0) {
			if (files[i].required)
				return -ENOENT;
			v[i] = 0;
		}
	}
	d->vendor = (uint16_t)v[0];
	d->device = (uint16_t)v[1];
	d->subvendor = (uint16_t)v[2];
	d->subdevice = (uint16_t)v[3];
	d->class_code = v[4];
	return 0;
}

/* Returns 1 when the device was filled, 0 when it says nothing usable, -ENOMEM. */
static int read_device(struct hvd_ctx *ctx, const char *slot, struct pci_device *d)
{
	_cleanup_free_ char *path = strdup_printf(DEVICES_DIR "/%s/modalias", slot);
	_cleanup_free_ char *data = NULL;
	size_t len = 0;
	int r;

	if (!path)
		return -ENOMEM;
	memset(d, 0, sizeof(*d));
	r = sysroot_read(ctx, path, READ_MAX_ATTR, &data, &len);
	if (r == -ENOMEM)
		return r;
	if (r >= 0 && pci_parse_modalias(data, len, d) == 0)
		goto found;
	/* A loop or a non-directory would fail the same way for every id file. */
	if (r < 0 && r != -ENOENT) {
		dbg(ctx, "%s: %d", path, r);
		return 0;
	}
	dbg(ctx, "%s: %s, trying the id files", path, r < 0 ? "missing" : "malformed");
	r = read_id_files(ctx, slot, d);
	if (r == -ENOMEM)
		return r;
	if (r < 0)
		return 0;
found:
	d->slot = strdup(slot);
	return d->slot ? 1 : -ENOMEM;
}

int probe_pci(struct hvd_ctx *ctx, struct pci_facts *out)
{
	char **names = NULL;
	size_t n = 0;
	int r;

	memset(out, 0, sizeof(*out));
	r = sysroot_list(ctx, DEVICES_DIR, &names, &n);
	if (r < 0) {
		dbg(ctx, DEVICES_DIR ": %d", r);
		/* Too many entries still means a PCI bus; anything else, none we can see. */
		out->present = r == -E2BIG;
		return r == -ENOMEM ? r : 0;
	}
	out->present = true;
	if (n > PCI_MAX_DEVICES) {
		dbg(ctx, "%zu PCI devices, reading the first %u", n, PCI_MAX_DEVICES);
		n = PCI_MAX_DEVICES;
	}
	if (n > 0) {
		out->devs = calloc(n, sizeof(*out->devs));
		if (!out->devs) {
			strv_free(names);
			return -ENOMEM;
		}
	}
	r = 0;
	for (size_t i = 0; i < n; i++) {
		r = read_device(ctx, names[i], &out->devs[out->n]);
		if (r < 0)
			break;
		out->n += (size_t)r;
	}
	strv_free(names);
	if (r < 0) {
		pci_facts_free(out);
		return r;
	}
	return 0;
}
