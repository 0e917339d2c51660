/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * hvdetect — which hypervisor is this guest running on, and which drivers and
 * guest-tools packages does it need.
 *
 * This header is the whole stable API. Conventions (after libkmod/libgit2):
 *  - one opaque context, hvd_ctx, with _new/_ref/_unref; _unref(NULL) is a no-op;
 *  - functions that create objects take the out-parameter first and return 0 or
 *    a negative errno value (see "Errors" below);
 *  - "not found" is a result (a NULL string, a zero count), not an error;
 *  - strings returned by getters are owned by the object they came from and stay
 *    valid until that object is released;
 *  - the library never prints; diagnostics go to the log callback.
 *
 * Threads. The library keeps no mutable global state: libkmod, libudev and
 * libblkid are dlopen()ed once per process (pthread_once), and error messages
 * are kept per thread. _ref() and _unref() are atomic on every object.
 *  - hvd_ctx: configure it first (hvd_ctx_set_cpuid_dump, _set_flags,
 *    _set_log_fn, _set_log_priority); after that any number of threads may use
 *    it at once: detect, capture, select, check the driver database, look for
 *    disks. A setter must not run while another thread uses the context. The
 *    log callback may be called from several threads at once.
 *  - hvd_verdict and hvd_driver_disks never change: read them, and select from
 *    one verdict, in any number of threads.
 *  - hvd_selection: its getters and hvd_selection_format() may run in any
 *    number of threads; hvd_selection_load() and hvd_selection_set_distro()
 *    change it and must not run while another thread uses the same selection.
 *  - everything a call needs beyond its objects is an argument (the selection's
 *    kernel and database: struct hvd_select_options), never context state.
 */
#ifndef HVDETECT_H
#define HVDETECT_H

#include <stdarg.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* HVD_VERSION_MAJOR, _MINOR, _PATCH and HVD_VERSION_STRING, from the build's one version number. */
#include "hvdetect-version.h"

/* Library version string, e.g. "0.1.0" (the library's: the header's is HVD_VERSION_STRING). */
const char *hvd_version(void);

/*
 * Errors. Every function that can fail returns a negative errno value:
 *  -EINVAL    bad argument (NULL where an object is required, bad flag, bad name)
 *  -ENOMEM    out of memory
 *  -ENOENT    a file the caller named (sysroot, CPUID dump, module tree) does not exist
 *  -EBADMSG   a file the caller named is malformed (CPUID dump, driver database);
 *             hvd_ctx_get_error() says where and why
 *  -ELOOP, -EXDEV, -EACCES, -EISDIR, -EIO ...  passed through from the system
 * Evidence sources that are missing or unreadable on the machine itself are not
 * errors: they are simply absent from the evidence.
 *
 * Errors belong to the call. A call that fails may leave a one-line message
 * saying where and why (hvd_ctx_get_error). Every function that returns an
 * error code first clears the calling thread's message, so a message is never
 * older than the thread's last such call, and never another thread's.
 */

/* ------------------------------------------------------------------------ */
/* Context                                                                   */
/* ------------------------------------------------------------------------ */

struct hvd_ctx;

/*
 * Create a context reading the machine below SYSROOT (NULL or "/" for the
 * running system). Every file is opened relative to the sysroot, and no path,
 * symlink or ".." ever leads outside it. With a sysroot other than "/", live
 * CPUID is never used: CPUID data come from a dump (hvd_ctx_set_cpuid_dump), or
 * from SYSROOT/cpuid.txt when that file exists (what --capture writes), or are
 * absent.
 */
int hvd_ctx_new(struct hvd_ctx **ctx, const char *sysroot);
struct hvd_ctx *hvd_ctx_ref(struct hvd_ctx *ctx);
struct hvd_ctx *hvd_ctx_unref(struct hvd_ctx *ctx);

/* The sysroot as given (never NULL; "/" for the running system). */
const char *hvd_ctx_get_sysroot(const struct hvd_ctx *ctx);

/*
 * Replay CPUID from a text dump in the format `cpuid -1 -r` prints (the
 * multi-CPU `cpuid -r` output is accepted too: CPU 0 is used). The file is read
 * and validated at once: -ENOENT if missing, -EBADMSG if malformed (the line is
 * in hvd_ctx_get_error()). PATH is an ordinary host path, not sysroot-relative.
 */
int hvd_ctx_set_cpuid_dump(struct hvd_ctx *ctx, const char *path);

/*
 * Evidence from a bug report's text (symbols of LIBHVDETECT_3). PATH is a host
 * path, read and parsed at once; each call adds what its file shows, and every
 * detection on the context weighs it like the probes' facts. Evidence read
 * from a text has the source "dmidecode" or "log" and a key "line N: ...".
 *
 *  - hvd_ctx_add_dmidecode: `dmidecode` output (2.x or 3.x, complete or only
 *    some structures): types 0, 1, 2, 3 and 11, with the BIOS characteristics
 *    "System is a virtual machine" and "UEFI is supported". -EBADMSG when the
 *    text is not dmidecode output ("FILE:LINE: why" in hvd_ctx_get_error()).
 *  - hvd_ctx_add_boot_log: a kernel log (dmesg, dmesg -T, journalctl -k, a
 *    syslog, a serial console): the "DMI:" line, "Hypervisor detected:", the
 *    ACPI table lines, "efi:", "Booting paravirtualized kernel on", the
 *    clocksources, the VMBus connection and "Linux version". A log showing
 *    none of them is no error: it adds nothing.
 *
 * The sysroot wins: a text fills only what the tree does not show, and of two
 * texts the one added first. A context on the running system (sysroot "/")
 * reads nothing of it, no CPUID instruction either, once a text is added: the
 * report describes another machine. A CPUID dump (hvd_ctx_set_cpuid_dump) and
 * a captured sysroot still count. Driver selection then scans no devices.
 * Returns 0, -ENOENT, -EBADMSG, -ENOMEM, -EINVAL (NULL, or not a regular file).
 */
int hvd_ctx_add_dmidecode(struct hvd_ctx *ctx, const char *path);
int hvd_ctx_add_boot_log(struct hvd_ctx *ctx, const char *path);

/* Behaviour flags (hvd_ctx_set_flags). */
enum hvd_ctx_flags {
	/* Never execute the CPUID instruction (live CPUID is then absent). */
	HVD_CTX_NO_LIVE_CPUID = 1u << 0,
};
int hvd_ctx_set_flags(struct hvd_ctx *ctx, unsigned int flags);
unsigned int hvd_ctx_get_flags(const struct hvd_ctx *ctx);

/*
 * Logging. PRIORITY is a syslog priority (LOG_ERR=3 ... LOG_DEBUG=7). The
 * default priority is LOG_ERR, overridden at hvd_ctx_new() by the environment
 * variable HVD_LOG ("err", "info", "debug" or a number), read with
 * secure_getenv. The default callback discards everything: the library never
 * prints on its own.
 */
typedef void (*hvd_log_fn)(void *userdata, int priority, const char *file, int line,
                           const char *fn, const char *format, va_list args);
void hvd_ctx_set_log_fn(struct hvd_ctx *ctx, hvd_log_fn fn, void *userdata);
void hvd_ctx_set_log_priority(struct hvd_ctx *ctx, int priority);
int hvd_ctx_get_log_priority(const struct hvd_ctx *ctx);

/*
 * The message the calling thread's last call left when it failed, if that call
 * was on CTX or on an object made from CTX (a selection), e.g.
 * "dump.txt:7: expected 'eax=0x...'"; NULL when that call succeeded, failed
 * without a message, or was about another context. Valid until the thread's
 * next call into the library.
 */
const char *hvd_ctx_get_error(const struct hvd_ctx *ctx);

/*
 * Snapshot what the library reads on this machine into DIR (which must not
 * exist yet, or be an empty directory): every file a detection reads, every
 * path it finds and every directory it lists with its entries, at their sysroot
 * paths, plus the CPUID leaves it asks for as DIR/cpuid.txt. Files keep the
 * source's permissions, never wider, less the umask. The result is itself a
 * sysroot: `detect-hypervisor --sysroot DIR` gives the same verdict. Written
 * into a temporary directory beside DIR and renamed into place, so DIR is
 * either complete or absent.
 */
int hvd_capture(struct hvd_ctx *ctx, const char *dir);

/* ------------------------------------------------------------------------ */
/* Detection                                                                 */
/* ------------------------------------------------------------------------ */

struct hvd_verdict;

/* Run every probe and weigh the evidence. */
int hvd_detect(struct hvd_verdict **verdict, struct hvd_ctx *ctx);
struct hvd_verdict *hvd_verdict_ref(struct hvd_verdict *v);
struct hvd_verdict *hvd_verdict_unref(struct hvd_verdict *v);

/*
 * Identifiers are lower-case and stable; hvd_identifier() (below) lists them all:
 *  hypervisor:   kvm vmware hyperv xen none other ...  (never NULL)
 *  platform:     azure aws gce openstack firecracker wsl ... or NULL
 *  generation:   1 or 2 for Hyper-V, 0 otherwise
 *  firmware:     "uefi", "bios", or NULL when unknown
 *  role:         "guest", "host" (Hyper-V root partition, Xen dom0), "none"
 *  confidential: "sev" "sev-es" "sev-snp" "tdx" "hyperv-vbs" "hyperv-snp"
 *                "hyperv-tdx" or NULL
 *  systemd_id:   what systemd-detect-virt --vm would print ("kvm", "microsoft",
 *                "oracle", "amazon", "none", ...)
 *  arch:         "x86_64", "aarch64", ... (the machine's, from the sysroot when known)
 *  confidence:   0..100
 */
const char *hvd_verdict_get_hypervisor(const struct hvd_verdict *v);
const char *hvd_verdict_get_platform(const struct hvd_verdict *v);
int hvd_verdict_get_generation(const struct hvd_verdict *v);
const char *hvd_verdict_get_firmware(const struct hvd_verdict *v);
const char *hvd_verdict_get_role(const struct hvd_verdict *v);
const char *hvd_verdict_get_confidential(const struct hvd_verdict *v);
const char *hvd_verdict_get_systemd_id(const struct hvd_verdict *v);
const char *hvd_verdict_get_arch(const struct hvd_verdict *v);
int hvd_verdict_get_confidence(const struct hvd_verdict *v);

/*
 * One piece of evidence: a fact one source gave, and what the verdict made of
 * it. VALUE is the raw text the machine gave (attacker-controlled: escape it
 * before printing). POINTS_TO is the hypervisor or platform identifier the fact
 * supports, or NULL; NOTE explains (including conflicts), or NULL.
 * New fields are only ever appended; the library owns the struct.
 */
struct hvd_evidence {
	const char *source;    /* "cpuid" "dmi" "smbios" "acpi" "efi" "xen" "devicetree" "vmbus" "pci" "cpuinfo" "kernel" */
	const char *key;       /* e.g. "0x40000000 signature", "sys_vendor", "FACP oem_id" */
	const char *value;
	const char *points_to;
	const char *note;
	int weight;            /* how much it counted in the verdict; 0 = context only */
};
size_t hvd_verdict_get_evidence_count(const struct hvd_verdict *v);
const struct hvd_evidence *hvd_verdict_get_evidence(const struct hvd_verdict *v, size_t index);

/*
 * The verdict as one JSON object (UTF-8; bytes that are not valid UTF-8 or are
 * control characters are escaped), newline-terminated. *JSON is malloc'ed; free() it.
 */
int hvd_verdict_to_json(const struct hvd_verdict *v, char **json);

/* ------------------------------------------------------------------------ */
/* Identifiers                                                               */
/* ------------------------------------------------------------------------ */

/*
 * Every hypervisor and platform identifier a verdict can give (the driver
 * database's hypervisor= and platform= vocabularies). Lists only grow; the
 * order carries no meaning beyond being stable within one library version.
 */
enum hvd_id_kind {
	HVD_ID_HYPERVISOR = 0,
	HVD_ID_PLATFORM = 1,
};

/*
 * The I-th identifier of KIND (0-based), or NULL past the end (and for an
 * unknown KIND). Static strings. To list them all:
 *     for (size_t i = 0; (id = hvd_identifier(HVD_ID_PLATFORM, i)); i++) ...
 */
const char *hvd_identifier(enum hvd_id_kind kind, size_t i);

/*
 * For a platform identifier, the hypervisor its virtual machines run on
 * ("aws" -> "kvm", "azure" -> "hyperv"); NULL for an unknown identifier, or when
 * it varies (OpenStack, Cloud Hypervisor ...). A cloud's bare-metal instance
 * runs on no hypervisor at all: a verdict's own hypervisor always says.
 */
const char *hvd_platform_hypervisor(const char *platform);

/*
 * 1 when hvd_select() accepts NAME as a named target (every hypervisor
 * identifier, and the platforms listed there), 0 otherwise (NULL included).
 */
int hvd_identifier_selectable(const char *name);

/* ------------------------------------------------------------------------ */
/* Disks (libblkid): driver-update disks and the installation target        */
/* ------------------------------------------------------------------------ */

/*
 * A driver-update disk: a filesystem labelled "OEMDRV" (Anaconda's convention).
 * DEVICE is the block device or image file it was found on; PARTNO is 0 when
 * the filesystem fills DEVICE, else the number of the partition of an image
 * file that holds it. New fields are only ever appended; the library owns the struct.
 */
struct hvd_driver_disk {
	const char *device;
	const char *fstype;    /* "vfat", "iso9660", "ext4", ... */
	const char *label;     /* "OEMDRV" */
	const char *uuid;      /* or NULL */
	int partno;
};
struct hvd_driver_disks;

/*
 * Find driver-update disks. PATHS is a NULL-terminated list of block devices
 * or image files to probe (an image with a partition table is searched
 * partition by partition); a path that does not exist is -ENOENT. With PATHS
 * NULL, the block devices of the running system are scanned through libblkid
 * (only when the context's sysroot is the running system: a fixture sysroot
 * has no devices, so the list is empty). Nothing found is an empty list.
 */
int hvd_find_driver_disks(struct hvd_driver_disks **disks, struct hvd_ctx *ctx,
                          const char *const *paths);
struct hvd_driver_disks *hvd_driver_disks_ref(struct hvd_driver_disks *disks);
struct hvd_driver_disks *hvd_driver_disks_unref(struct hvd_driver_disks *disks);
size_t hvd_driver_disks_get_count(const struct hvd_driver_disks *disks);
const struct hvd_driver_disk *hvd_driver_disks_get(const struct hvd_driver_disks *disks, size_t index);

/*
 * What an installation target disk (a block device or an image file) holds,
 * and whether the platform of VERDICT can boot from it.
 *  table:      "gpt", "dos", "other" (another scheme libblkid knows), or
 *              "none" (no partition table yet)
 *  esp_partno: number of the first EFI system partition (GPT type
 *              C12A7328-F81F-11D2-BA4B-00A0C93EC93B, MBR type 0xef), 0 = none
 *  uefi_only:  1 when the verdict's platform boots through UEFI only (Hyper-V
 *              generation 2, VMware with EFI firmware), 0 otherwise or without a verdict
 *  warning:    NULL when the disk suits the platform; otherwise one sentence,
 *              e.g. for a UEFI-only platform and a target without GPT and an ESP
 * New fields are only ever appended; the library owns the struct.
 */
struct hvd_target_disk {
	const char *device;
	const char *table;
	int esp_partno;
	int uefi_only;
	const char *warning;
	int n_partitions;      /* entries in the partition table */
};

/*
 * Check the target disk PATH (-ENOENT when missing; a device or file libblkid
 * cannot read is passed through as a negative errno). VERDICT may be NULL
 * (then no platform rule applies). Free the result with hvd_target_disk_free().
 */
int hvd_check_target_disk(struct hvd_target_disk **target, struct hvd_ctx *ctx, const char *path,
                          const struct hvd_verdict *verdict);
void hvd_target_disk_free(struct hvd_target_disk *target);

/* 1 when VERDICT's platform boots through UEFI only (see hvd_target_disk.uefi_only). */
int hvd_verdict_is_uefi_only(const struct hvd_verdict *verdict);

/* ------------------------------------------------------------------------ */
/* Driver selection                                                          */
/* ------------------------------------------------------------------------ */
/*
 * A selection maps a verdict (and the devices present) to kernel modules and
 * guest-tools packages through the driver database (hvdetect-drivers.d(5)),
 * and resolves every module against the target kernel's module tree.
 * libkmod and libudev are only touched here, never by detection alone.
 */

struct hvd_selection;

enum hvd_select_flags {
	/*
	 * For images that migrate: what the target needs, plus the boot-tier modules
	 * of every hypervisor the database knows (those extras missing from the
	 * kernel are warnings, not missing boot modules). With V NULL and no
	 * HYPERVISOR, the boot tier alone.
	 */
	HVD_SELECT_PORTABLE = 1u << 0,
	/* Do not scan devices: database rules on the verdict only. */
	HVD_SELECT_NO_DEVICES = 1u << 1,
	/*
	 * Packages only (options version 2): open no module tree, select no
	 * module. For an installer that needs the guest-tools packages before the
	 * target has a kernel; the formats that name a kernel are then -EINVAL.
	 */
	HVD_SELECT_PACKAGES_ONLY = 1u << 2,
};

/*
 * How to select: an argument of each hvd_select() call, not state of the
 * context, so that one verdict can be selected for several kernels, from as
 * many threads, at once. Start from HVD_SELECT_OPTIONS_INIT (or zero the struct
 * and set VERSION); passing NULL options is the same as HVD_SELECT_OPTIONS_INIT.
 * The strings are only read during the call.
 */
#define HVD_SELECT_OPTIONS_VERSION 2
struct hvd_select_options {
	/*
	 * HVD_SELECT_OPTIONS_VERSION: later versions only append fields. Version 1
	 * (up to admin_db) is still accepted; its callers never see the rest.
	 */
	unsigned int version;
	/* enum hvd_select_flags */
	unsigned int flags;
	/*
	 * Select for this named target instead of the verdict: a hypervisor
	 * identifier, or one of the platforms "azure" (hyperv), "aws" and "gce"
	 * (kvm) (hvd_identifier_selectable() says which names). The verdict (which
	 * may then be NULL) only supplies the architecture, this machine's devices
	 * are not scanned (they are not the target's), and the database's device
	 * rules that name that hypervisor or platform all apply.
	 */
	const char *hypervisor;
	/*
	 * The kernel to select for: MODDIR, a /lib/modules/<version> directory (a
	 * host path), or KERNEL, a version looked up under the sysroot's
	 * lib/modules; not both. Both NULL: the running kernel on the live system,
	 * in a sysroot its only one.
	 */
	const char *moddir;
	const char *kernel;
	/*
	 * The driver database (hvdetect-drivers.d(5)), host paths: VENDOR_DB
	 * defaults to the installed $datadir/hvdetect/drivers.d (in the build
	 * tree's copy of the library, uninstalled: the source tree's
	 * data/drivers.d), ADMIN_DB to
	 * /etc/hvdetect/drivers.d; a file in ADMIN_DB replaces the same-named one
	 * in VENDOR_DB. NULL is the default, "" none.
	 */
	const char *vendor_db;
	const char *admin_db;
	/* ---- version 2 ---- */
	/*
	 * The system being installed (a host path, e.g. /mnt/sysroot), read by
	 * the sysroot rules as the context's sysroot is: its kernel (KERNEL below
	 * its lib/modules or usr/lib/modules, else its only one there) and its
	 * distribution family (etc/os-release, else usr/lib/os-release). The
	 * verdict and the devices stay the context's: the machine the installer
	 * runs on. NULL: the context's sysroot is the target.
	 */
	const char *target_root;
	/*
	 * Modules the caller adds (NULL-terminated; NULL none): each goes into the
	 * initramfs and is loaded by name; one the kernel lacks is a warning.
	 */
	const char *const *add_modules;
	/*
	 * Modules the caller leaves out (NULL-terminated; NULL none): they stay
	 * in the list, marked omitted, and no format or load includes them. A
	 * boot-tier module omitted counts as a missing boot module.
	 */
	const char *const *omit_modules;
};
#define HVD_SELECT_OPTIONS_INIT { HVD_SELECT_OPTIONS_VERSION, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL }

/*
 * Validate the driver database in VENDOR_DB and ADMIN_DB (as in struct
 * hvd_select_options: NULL the default, "" none). Returns 0 when it is valid,
 * -EBADMSG when not; *REPORT (malloc'ed, may be empty; free() it) holds every
 * error, one "file:line: message" per line.
 */
int hvd_driverdb_check(struct hvd_ctx *ctx, const char *vendor_db, const char *admin_db, char **report);

/*
 * Select modules and packages for the verdict V, as OPTS say (NULL: the
 * defaults). V may be NULL when OPTS name a hypervisor, or with
 * HVD_SELECT_PORTABLE.
 * Errors: -EBADMSG bad database, -ENOENT no database or no module tree (see
 * hvd_ctx_get_error), -EINVAL bad name, bad options (an unknown version,
 * both MODDIR and KERNEL) or several kernels in the sysroot.
 */
int hvd_select(struct hvd_selection **sel, struct hvd_ctx *ctx, const struct hvd_verdict *v,
               const struct hvd_select_options *opts);
struct hvd_selection *hvd_selection_ref(struct hvd_selection *sel);
struct hvd_selection *hvd_selection_unref(struct hvd_selection *sel);

/*
 * One module of a selection, in load order (dependencies first).
 * New fields are only ever appended; the library owns the struct.
 */
struct hvd_module {
	const char *name;     /* as the kernel names it ("hv_vmbus") */
	const char *tier;     /* "boot" "network" "integration" "display" */
	const char *state;    /* "builtin" "loadable" "loaded" "missing" "blacklisted" */
	const char *reason;   /* the rule "file:line", "modalias:<alias>", or "dependency of X" / "softdep of X" */
	const char *note;     /* why it was dropped, which alternative was taken, ... or NULL */
	const char *outcome;  /* after hvd_selection_load(): "inserted" "would insert" "already loaded"
	                         "builtin" "blacklisted" "missing" "omitted" "failed: <reason>"; NULL before */
	int initramfs;        /* belongs in the installed system's initramfs */
	int explicit_load;    /* no device triggers it: load it by name */
	int dependency;       /* pulled in by another module, not selected itself */
	int omitted;          /* left out by the caller (hvd_select_options.omit_modules) */
	int missing_boot;     /* counted in hvd_selection_get_missing_boot_count(): missing or omitted,
	                         and the target cannot boot without it */
};
size_t hvd_selection_get_module_count(const struct hvd_selection *sel);
const struct hvd_module *hvd_selection_get_module(const struct hvd_selection *sel, size_t index);

/* The target kernel's version and module directory. */
const char *hvd_selection_get_kernel(const struct hvd_selection *sel);
const char *hvd_selection_get_moddir(const struct hvd_selection *sel);
/*
 * Missing boot-tier modules (the selection cannot boot this target): 0 when
 * complete. The modules whose missing_boot is set are the ones counted.
 */
size_t hvd_selection_get_missing_boot_count(const struct hvd_selection *sel);
/* Warnings (missing optional modules, blacklisted ones ...), one sentence each. */
size_t hvd_selection_get_warning_count(const struct hvd_selection *sel);
const char *hvd_selection_get_warning(const struct hvd_selection *sel, size_t index);

/*
 * Distribution family of the sysroot ("rhel" "fedora" "debian" "ubuntu" "suse"),
 * from etc/os-release ID then ID_LIKE, or NULL when unknown.
 */
const char *hvd_selection_get_distro(const struct hvd_selection *sel);
/*
 * Guest-tools packages for FAMILY (NULL: the sysroot's). A NULL-terminated
 * array owned by the selection (empty for an unknown family); NULL on bad arguments.
 */
const char *const *hvd_selection_get_packages(const struct hvd_selection *sel, const char *family);

/*
 * Render the selection (*OUT is malloc'ed; free() it):
 *  "modules"          one module per line, load order (missing and blacklisted left out)
 *  "packages"         one package per line, for the sysroot's family (or FAMILY via
 *                     hvd_selection_set_distro)
 *  "dracut"           a dracut.conf.d snippet (add_drivers+= the initramfs modules)
 *  "modules-load"     a modules-load.d file (the explicit-load modules)
 *  "initramfs-tools"  an /etc/initramfs-tools/modules file (the initramfs modules)
 *  "json"             the selection as one JSON object
 * The three files start with the provenance line "# Generated by hvdetect
 * VERSION for WHAT, kernel VERSION." (HVD_FORMAT_HEADER is its start: a file
 * beginning so was written from a selection). A packages-only selection
 * renders "packages" and "json" alone (-EINVAL for the rest).
 */
#define HVD_FORMAT_HEADER "# Generated by hvdetect "
int hvd_selection_format(const struct hvd_selection *sel, const char *format, char **out);
/* Override the distribution family used by "packages"/"json" (NULL: back to the detected one). */
int hvd_selection_set_distro(struct hvd_selection *sel, const char *family);

enum hvd_load_flags {
	HVD_LOAD_DRY_RUN = 1u << 0,   /* say what would be inserted, insert nothing */
};
/*
 * Insert the selection's modules into the running kernel with libkmod, in load
 * order, honouring blacklists; every module's outcome is set (see hvd_module).
 * One failure does not stop the rest. Returns the number of boot-tier modules
 * not present afterwards (0 = success), or a negative errno: -EXDEV when the
 * selection's kernel is not the running one (allowed with HVD_LOAD_DRY_RUN); a
 * MODDIR that is the same directory as the live system's
 * /lib/modules/$(uname -r) is the running one. Loading again sets new outcomes;
 * the outcome strings of an earlier load stay valid as long as the selection.
 */
int hvd_selection_load(struct hvd_selection *sel, unsigned int flags);

#ifdef __cplusplus
}
#endif
#endif
