/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Disks through libblkid: driver-update disks (label OEMDRV) and the installation target's layout. */
#define _GNU_SOURCE
#include <blkid.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "base/dlopen.h"
#include "base/internal.h"
#include "detect/verdict.h"

/* Anaconda looks for exactly this label (blkid -t LABEL=OEMDRV), case and all. */
#define DRIVER_DISK_LABEL "OEMDRV"
#define ESP_GPT_GUID "c12a7328-f81f-11d2-ba4b-00a0c93ec93b"
#define ESP_MBR_TYPE 0xef
/* A hostile image may declare any number of partitions; libblkid caps its own lists, we cap ours. */
#define PARTITIONS_MAX 256

struct hvd_driver_disks {
	int refcount;
	size_t n, cap;
	struct hvd_driver_disk *disks;  /* every string member owned */
};

static void blkid_probe_freep(blkid_probe *pr)
{
	if (*pr)
		blkid_free_probe(*pr);
}
#define _cleanup_probe_ _cleanup_(blkid_probe_freep)

static void driver_disk_clear(struct hvd_driver_disk *d)
{
	free((char *)d->device);
	free((char *)d->fstype);
	free((char *)d->label);
	free((char *)d->uuid);
}

static int disks_add(struct hvd_driver_disks *l, const char *device, int partno, blkid_probe pr)
{
	const char *type = NULL, *label = NULL, *uuid = NULL;
	struct hvd_driver_disk d = { .partno = partno };

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 4;
		struct hvd_driver_disk *n = reallocarray(l->disks, cap, sizeof(*n));
		if (!n)
			return -ENOMEM;
		l->disks = n;
		l->cap = cap;
	}
	blkid_probe_lookup_value(pr, "TYPE", &type, NULL);
	blkid_probe_lookup_value(pr, "LABEL", &label, NULL);
	blkid_probe_lookup_value(pr, "UUID", &uuid, NULL);
	d.device = strdup(device);
	d.fstype = type ? strdup(type) : NULL;
	d.label = label ? strdup(label) : NULL;
	d.uuid = uuid ? strdup(uuid) : NULL;
	if (!d.device || (type && !d.fstype) || (label && !d.label) || (uuid && !d.uuid)) {
		driver_disk_clear(&d);
		return -ENOMEM;
	}
	l->disks[l->n++] = d;
	return 0;
}

/*
 * Open a caller-named path for probing: only block devices and regular files,
 * so that a FIFO or a tty given by mistake never blocks us.
 */
static int open_probe_target(struct hvd_ctx *ctx, const char *path)
{
	_cleanup_close_ int fd = -1;
	struct stat st;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return ctx_set_error(ctx, -errno, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0)
		return ctx_set_error(ctx, -errno, "%s: %s", path, strerror(errno));
	if (S_ISDIR(st.st_mode))
		return ctx_set_error(ctx, -EISDIR, "%s: is a directory", path);
	if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode))
		return ctx_set_error(ctx, -EINVAL, "%s: neither a block device nor a regular file", path);
	return TAKE_FD(fd);
}

/* A probe of FD's byte range [OFFSET, OFFSET+SIZE) (SIZE 0: to the end) looking for filesystems. */
static int new_fs_probe(blkid_probe *out, int fd, uint64_t offset, uint64_t size)
{
	blkid_probe pr = blkid_new_probe();

	if (!pr)
		return -ENOMEM;
	if (blkid_probe_set_device(pr, fd, (blkid_loff_t)offset, (blkid_loff_t)size) < 0) {
		blkid_free_probe(pr);
		return -EIO;
	}
	blkid_probe_enable_superblocks(pr, 1);
	blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_LABEL | BLKID_SUBLKS_TYPE | BLKID_SUBLKS_UUID);
	*out = pr;
	return 0;
}

static bool probe_has_label(blkid_probe pr, const char *want)
{
	const char *label = NULL;

	return blkid_probe_lookup_value(pr, "LABEL", &label, NULL) == 0 && label && strcmp(label, want) == 0;
}

/* The partition list of FD, or NULL (no table, or unreadable). Owned by PR. */
static blkid_partlist probe_partitions(blkid_probe pr)
{
	blkid_probe_enable_partitions(pr, 1);
	blkid_probe_set_partitions_flags(pr, BLKID_PARTS_ENTRY_DETAILS);
	return blkid_probe_get_partitions(pr);
}

static int search_path(struct hvd_driver_disks *l, struct hvd_ctx *ctx, const char *path)
{
	_cleanup_close_ int fd = -1;
	_cleanup_probe_ blkid_probe pr = NULL;
	_cleanup_probe_ blkid_probe parts = NULL;
	blkid_partlist ls;
	int r, n;

	fd = open_probe_target(ctx, path);
	if (fd < 0)
		return fd;
	r = new_fs_probe(&pr, fd, 0, 0);
	if (r < 0)
		return r;
	r = blkid_do_safeprobe(pr);
	if (r == 0) {
		if (probe_has_label(pr, DRIVER_DISK_LABEL)) {
			dbg(ctx, "%s: driver-update disk", path);
			return disks_add(l, path, 0, pr);
		}
		return 0;  /* a filesystem, but not ours: it fills the device, so no partitions to search */
	}

	/* An image with a partition table: the live system would see partitions as devices. */
	parts = blkid_new_probe();
	if (!parts)
		return -ENOMEM;
	if (blkid_probe_set_device(parts, fd, 0, 0) < 0)
		return 0;
	ls = probe_partitions(parts);
	n = ls ? blkid_partlist_numof_partitions(ls) : 0;
	if (n > PARTITIONS_MAX)
		n = PARTITIONS_MAX;
	for (int i = 0; i < n; i++) {
		blkid_partition par = blkid_partlist_get_partition(ls, i);
		_cleanup_probe_ blkid_probe fs = NULL;
		blkid_loff_t start, size;

		if (!par)
			continue;
		start = blkid_partition_get_start(par);
		size = blkid_partition_get_size(par);
		if (start < 0 || size <= 0 || start > INT64_MAX / 512 || size > INT64_MAX / 512)
			continue;
		r = new_fs_probe(&fs, fd, (uint64_t)start * 512, (uint64_t)size * 512);
		if (r == -ENOMEM)
			return r;
		if (r < 0 || blkid_do_safeprobe(fs) != 0 || !probe_has_label(fs, DRIVER_DISK_LABEL))
			continue;
		dbg(ctx, "%s: partition %d is a driver-update disk", path, blkid_partition_get_partno(par));
		r = disks_add(l, path, blkid_partition_get_partno(par), fs);
		if (r < 0)
			return r;
	}
	return 0;
}

static void blkid_cache_putp(blkid_cache *c)
{
	if (*c)
		blkid_put_cache(*c);
}

/* Every block device the kernel lists, through libblkid's cache (never written: "/dev/null"). */
static int search_live(struct hvd_driver_disks *l, struct hvd_ctx *ctx)
{
	_cleanup_(blkid_cache_putp) blkid_cache cache = NULL;
	blkid_dev_iterate it;
	blkid_dev dev;
	int r = 0;

	if (blkid_get_cache(&cache, "/dev/null") < 0)
		return -ENOMEM;
	if (blkid_probe_all(cache) < 0)
		dbg(ctx, "blkid: scanning block devices failed; reporting what was found");
	it = blkid_dev_iterate_begin(cache);
	if (!it)
		return -ENOMEM;
	blkid_dev_set_search(it, "LABEL", DRIVER_DISK_LABEL);
	while (blkid_dev_next(it, &dev) == 0) {
		const char *name = blkid_dev_devname(dev);

		if (!name)
			continue;
		/* Probe again ourselves: the cache may be stale, and the probe gives every field. */
		r = search_path(l, ctx, name);
		if (r == -ENOMEM)
			break;
		if (r < 0)
			dbg(ctx, "%s: vanished or unreadable (%s)", name, strerror(-r));
		r = 0;
	}
	blkid_dev_iterate_end(it);
	return r;
}

HVD_EXPORT int hvd_find_driver_disks(struct hvd_driver_disks **out, struct hvd_ctx *ctx,
                                     const char *const *paths)
{
	struct hvd_driver_disks *l;
	int r = 0;

	ctx_clear_error();
	if (!out || !ctx)
		return -EINVAL;
	*out = NULL;
	r = dlopen_blkid(ctx);
	if (r < 0)
		return r;
	l = calloc(1, sizeof(*l));
	if (!l)
		return -ENOMEM;
	l->refcount = 1;
	if (paths) {
		for (size_t i = 0; paths[i] && r >= 0; i++)
			r = search_path(l, ctx, paths[i]);
	} else if (ctx->live) {
		r = search_live(l, ctx);
	}
	if (r < 0) {
		hvd_driver_disks_unref(l);
		return r;
	}
	*out = l;
	return 0;
}

HVD_EXPORT struct hvd_driver_disks *hvd_driver_disks_ref(struct hvd_driver_disks *l)
{
	if (l)
		ref_inc(&l->refcount);
	return l;
}

HVD_EXPORT struct hvd_driver_disks *hvd_driver_disks_unref(struct hvd_driver_disks *l)
{
	if (!l || !ref_dec(&l->refcount))
		return NULL;
	for (size_t i = 0; i < l->n; i++)
		driver_disk_clear(&l->disks[i]);
	free(l->disks);
	free(l);
	return NULL;
}

HVD_EXPORT size_t hvd_driver_disks_get_count(const struct hvd_driver_disks *l)
{
	return l ? l->n : 0;
}

HVD_EXPORT const struct hvd_driver_disk *hvd_driver_disks_get(const struct hvd_driver_disks *l, size_t index)
{
	return l && index < l->n ? &l->disks[index] : NULL;
}

/* ------------------------------------------------------------------------ */

static bool partition_is_esp(blkid_partition par, bool gpt)
{
	if (gpt) {
		const char *guid = blkid_partition_get_type_string(par);
		return guid && strcasecmp(guid, ESP_GPT_GUID) == 0;
	}
	return blkid_partition_get_type(par) == ESP_MBR_TYPE;
}

HVD_EXPORT void hvd_target_disk_free(struct hvd_target_disk *t)
{
	if (!t)
		return;
	free((char *)t->device);
	free((char *)t->warning);
	free(t);
}

static int target_warning(struct hvd_target_disk *t, const char *platform)
{
	const char *problem;

	if (!platform || (streq_ptr(t->table, "gpt") && t->esp_partno > 0))
		return 0;
	if (streq_ptr(t->table, "gpt"))
		problem = "has a GPT without an EFI system partition";
	else if (streq_ptr(t->table, "dos"))
		problem = t->esp_partno > 0 ? "has an MBR (dos) partition table, not GPT"
		                            : "has an MBR (dos) partition table and no EFI system partition";
	else
		problem = "has no partition table";
	t->warning = strdup_printf("%s boots through UEFI only, but %s %s: it needs a GPT with an EFI system partition",
	                           platform, t->device, problem);
	return t->warning ? 0 : -ENOMEM;
}

HVD_EXPORT int hvd_check_target_disk(struct hvd_target_disk **out, struct hvd_ctx *ctx, const char *path,
                                     const struct hvd_verdict *verdict)
{
	_cleanup_close_ int fd = -1;
	_cleanup_probe_ blkid_probe pr = NULL;
	struct hvd_target_disk *t;
	const char *platform = verdict_uefi_only_platform(verdict);
	blkid_partlist ls;
	blkid_parttable tab;
	int r, n;

	ctx_clear_error();
	if (!out || !ctx || !path)
		return -EINVAL;
	*out = NULL;
	r = dlopen_blkid(ctx);
	if (r < 0)
		return r;
	fd = open_probe_target(ctx, path);
	if (fd < 0)
		return fd;
	pr = blkid_new_probe();
	if (!pr)
		return -ENOMEM;
	if (blkid_probe_set_device(pr, fd, 0, 0) < 0)
		return ctx_set_error(ctx, -EIO, "%s: libblkid cannot read it", path);

	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->device = strdup(path);
	t->table = "none";
	t->uefi_only = platform != NULL;
	if (!t->device) {
		hvd_target_disk_free(t);
		return -ENOMEM;
	}

	ls = probe_partitions(pr);
	tab = ls ? blkid_partlist_get_table(ls) : NULL;
	if (tab) {
		const char *type = blkid_parttable_get_type(tab);
		bool gpt = streq_ptr(type, "gpt");

		/* Static strings: the public struct never points into libblkid's probe. */
		t->table = gpt ? "gpt" : streq_ptr(type, "dos") ? "dos" : "other";
		n = blkid_partlist_numof_partitions(ls);
		t->n_partitions = n < 0 ? 0 : n;
		if (n > PARTITIONS_MAX)
			n = PARTITIONS_MAX;
		for (int i = 0; i < n && !t->esp_partno; i++) {
			blkid_partition par = blkid_partlist_get_partition(ls, i);
			if (par && partition_is_esp(par, gpt))
				t->esp_partno = blkid_partition_get_partno(par);
		}
	}
	dbg(ctx, "%s: table %s, ESP partition %d", path, t->table, t->esp_partno);
	r = target_warning(t, platform);
	if (r < 0) {
		hvd_target_disk_free(t);
		return r;
	}
	*out = t;
	return 0;
}
