/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The driver-selection part of detect-hypervisor (--modules, --packages,
 * --format, --portable, --hypervisor, --load, --check-db ...). Kept apart from
 * detect-hypervisor.c, which only splices these option rows into its table
 * and calls select_run() for the "select" action.
 */
#ifndef HVD_TOOLS_SELECT_CMD_H
#define HVD_TOOLS_SELECT_CMD_H

#include <stdbool.h>

#include <hvdetect.h>

#include "buf.h"

/* Exit status when a boot-tier module is missing from the target kernel (or, after --load, not present). */
#define EXIT_MISSING_BOOT 3

/*
 * Option rows for detect-hypervisor's options[] table: FN is the function that
 * hands the option to select_option() (its name and argument).
 */
#define SELECT_OPTION_ROWS(FN) \
	{ "modules",    0, no_argument,       NULL,     "select drivers: print the modules to load, one per line, in load order", FN, 0 }, \
	{ "packages",   0, no_argument,       NULL,     "select drivers: print the guest-tools packages for the distribution", FN, 0 }, \
	{ "format",     0, required_argument, "FORMAT", "select drivers: print a dracut, modules-load or initramfs-tools file", FN, 0 }, \
	{ "portable",   0, no_argument,       NULL,     "also select the boot drivers of every supported hypervisor", FN, 0 }, \
	{ "hypervisor", 0, required_argument, "NAME",   "select for NAME (kvm, vmware, hyperv, xen, azure, aws, gce ...) instead", FN, 0 }, \
	{ "load",       0, no_argument,       NULL,     "select drivers and insert them into the running kernel", FN, 0 }, \
	{ "dry-run",    0, no_argument,       NULL,     "with --load: say what would be inserted, insert nothing", FN, 0 }, \
	{ "moddir",     0, required_argument, "DIR",    "select for the kernel modules in DIR (a /lib/modules/VERSION folder)", FN, 0 }, \
	{ "kernel",     0, required_argument, "VERSION","select for kernel VERSION (below the sysroot's lib/modules)", FN, 0 }, \
	{ "distro",     0, required_argument, "FAMILY", "packages for FAMILY: rhel, fedora, debian, ubuntu or suse", FN, 0 }, \
	{ "db-dir",     0, required_argument, "DIR",    "read the driver database from DIR only", FN, 0 }, \
	{ "check-db",   0, no_argument,       NULL,     "validate the driver database; print every error as file:line: message", FN, 0 }

/* Record one of the options above. Returns 0, or -EINVAL after printing why. */
int select_option(const char *name, const char *arg);
/* Run the selection on CTX; JSON: print the verdict with a "selection" member. Returns an exit status or -errno. */
int select_run(struct hvd_ctx *ctx, bool json, bool quiet, struct buf *out);

#endif
