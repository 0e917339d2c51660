/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libkmod, libudev and libblkid are loaded with dlopen() the first time a
 * selection or a disk check needs them, never for detection: linking them
 * made every detection pay for mapping and relocating them and what they pull
 * in (libcrypto, libzstd, liblzma) -- about 93% of a detect-hypervisor run.
 *
 * Files that use one of these libraries include its header, then this one,
 * call dlopen_<lib>() before the first use, and otherwise call the functions
 * by their usual names: the macros below route every call through a pointer
 * resolved once per process (pthread_once), the only process-wide state the
 * library keeps, and it never changes after that.
 */
#ifndef HVD_DLOPEN_H
#define HVD_DLOPEN_H

#include <blkid.h>
#include <stdbool.h>
#include <libkmod.h>
#include <libudev.h>

struct hvd_ctx;

#define KMOD_SYMBOLS(X) \
	X(kmod_new) \
	X(kmod_unref) \
	X(kmod_load_resources) \
	X(kmod_set_log_fn) \
	X(kmod_set_log_priority) \
	X(kmod_list_next) \
	X(kmod_module_apply_filter) \
	X(kmod_module_get_dependencies) \
	X(kmod_module_get_initstate) \
	X(kmod_module_get_install_commands) \
	X(kmod_module_get_module) \
	X(kmod_module_get_name) \
	X(kmod_module_get_path) \
	X(kmod_module_get_softdeps) \
	X(kmod_module_new_from_lookup) \
	X(kmod_module_new_from_name) \
	X(kmod_module_new_from_name_lookup) \
	X(kmod_module_probe_insert_module) \
	X(kmod_module_unref) \
	X(kmod_module_unref_list)

#define UDEV_SYMBOLS(X) \
	X(udev_new) \
	X(udev_unref) \
	X(udev_device_get_property_value) \
	X(udev_device_get_subsystem) \
	X(udev_device_get_sysname) \
	X(udev_device_new_from_syspath) \
	X(udev_device_unref) \
	X(udev_enumerate_add_match_property) \
	X(udev_enumerate_get_list_entry) \
	X(udev_enumerate_new) \
	X(udev_enumerate_scan_devices) \
	X(udev_enumerate_unref) \
	X(udev_list_entry_get_name) \
	X(udev_list_entry_get_next)

#define BLKID_SYMBOLS(X) \
	X(blkid_dev_devname) \
	X(blkid_dev_iterate_begin) \
	X(blkid_dev_iterate_end) \
	X(blkid_dev_next) \
	X(blkid_dev_set_search) \
	X(blkid_do_safeprobe) \
	X(blkid_free_probe) \
	X(blkid_get_cache) \
	X(blkid_new_probe) \
	X(blkid_probe_all) \
	X(blkid_partition_get_partno) \
	X(blkid_partition_get_size) \
	X(blkid_partition_get_start) \
	X(blkid_partition_get_type) \
	X(blkid_partition_get_type_string) \
	X(blkid_partlist_get_partition) \
	X(blkid_partlist_get_table) \
	X(blkid_partlist_numof_partitions) \
	X(blkid_parttable_get_type) \
	X(blkid_probe_enable_partitions) \
	X(blkid_probe_enable_superblocks) \
	X(blkid_probe_get_partitions) \
	X(blkid_probe_lookup_value) \
	X(blkid_probe_set_device) \
	X(blkid_probe_set_partitions_flags) \
	X(blkid_probe_set_superblocks_flags) \
	X(blkid_put_cache)

#define DLSYM_DECLARE(s) extern __typeof__(s) *sym_##s;
KMOD_SYMBOLS(DLSYM_DECLARE)
UDEV_SYMBOLS(DLSYM_DECLARE)
BLKID_SYMBOLS(DLSYM_DECLARE)

/*
 * Load the library (once per process). Returns 0, or -EOPNOTSUPP when it is
 * not installed or lacks a symbol; the reason goes to hvd_ctx_get_error().
 */
int dlopen_kmod(struct hvd_ctx *ctx);
int dlopen_udev(struct hvd_ctx *ctx);
int dlopen_blkid(struct hvd_ctx *ctx);
/* For a caller with a fallback: loads libudev like dlopen_udev(), but reports no error. */
bool dlopen_udev_available(void);

#ifndef HVD_DLOPEN_NO_REDIRECT
#define kmod_new sym_kmod_new
#define kmod_unref sym_kmod_unref
#define kmod_load_resources sym_kmod_load_resources
#define kmod_set_log_fn sym_kmod_set_log_fn
#define kmod_set_log_priority sym_kmod_set_log_priority
#define kmod_list_next sym_kmod_list_next
#define kmod_module_apply_filter sym_kmod_module_apply_filter
#define kmod_module_get_dependencies sym_kmod_module_get_dependencies
#define kmod_module_get_initstate sym_kmod_module_get_initstate
#define kmod_module_get_install_commands sym_kmod_module_get_install_commands
#define kmod_module_get_module sym_kmod_module_get_module
#define kmod_module_get_name sym_kmod_module_get_name
#define kmod_module_get_path sym_kmod_module_get_path
#define kmod_module_get_softdeps sym_kmod_module_get_softdeps
#define kmod_module_new_from_lookup sym_kmod_module_new_from_lookup
#define kmod_module_new_from_name sym_kmod_module_new_from_name
#define kmod_module_new_from_name_lookup sym_kmod_module_new_from_name_lookup
#define kmod_module_probe_insert_module sym_kmod_module_probe_insert_module
#define kmod_module_unref sym_kmod_module_unref
#define kmod_module_unref_list sym_kmod_module_unref_list
#define udev_new sym_udev_new
#define udev_unref sym_udev_unref
#define udev_device_get_property_value sym_udev_device_get_property_value
#define udev_device_get_subsystem sym_udev_device_get_subsystem
#define udev_device_get_sysname sym_udev_device_get_sysname
#define udev_device_new_from_syspath sym_udev_device_new_from_syspath
#define udev_device_unref sym_udev_device_unref
#define udev_enumerate_add_match_property sym_udev_enumerate_add_match_property
#define udev_enumerate_get_list_entry sym_udev_enumerate_get_list_entry
#define udev_enumerate_new sym_udev_enumerate_new
#define udev_enumerate_scan_devices sym_udev_enumerate_scan_devices
#define udev_enumerate_unref sym_udev_enumerate_unref
#define udev_list_entry_get_name sym_udev_list_entry_get_name
#define udev_list_entry_get_next sym_udev_list_entry_get_next
#define blkid_dev_devname sym_blkid_dev_devname
#define blkid_dev_iterate_begin sym_blkid_dev_iterate_begin
#define blkid_dev_iterate_end sym_blkid_dev_iterate_end
#define blkid_dev_next sym_blkid_dev_next
#define blkid_dev_set_search sym_blkid_dev_set_search
#define blkid_do_safeprobe sym_blkid_do_safeprobe
#define blkid_free_probe sym_blkid_free_probe
#define blkid_get_cache sym_blkid_get_cache
#define blkid_new_probe sym_blkid_new_probe
#define blkid_probe_all sym_blkid_probe_all
#define blkid_partition_get_partno sym_blkid_partition_get_partno
#define blkid_partition_get_size sym_blkid_partition_get_size
#define blkid_partition_get_start sym_blkid_partition_get_start
#define blkid_partition_get_type sym_blkid_partition_get_type
#define blkid_partition_get_type_string sym_blkid_partition_get_type_string
#define blkid_partlist_get_partition sym_blkid_partlist_get_partition
#define blkid_partlist_get_table sym_blkid_partlist_get_table
#define blkid_partlist_numof_partitions sym_blkid_partlist_numof_partitions
#define blkid_parttable_get_type sym_blkid_parttable_get_type
#define blkid_probe_enable_partitions sym_blkid_probe_enable_partitions
#define blkid_probe_enable_superblocks sym_blkid_probe_enable_superblocks
#define blkid_probe_get_partitions sym_blkid_probe_get_partitions
#define blkid_probe_lookup_value sym_blkid_probe_lookup_value
#define blkid_probe_set_device sym_blkid_probe_set_device
#define blkid_probe_set_partitions_flags sym_blkid_probe_set_partitions_flags
#define blkid_probe_set_superblocks_flags sym_blkid_probe_set_superblocks_flags
#define blkid_put_cache sym_blkid_put_cache
#endif

#endif
