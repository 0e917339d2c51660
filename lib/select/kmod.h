/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The target kernel's module tree, through libkmod: the one place that knows
 * libkmod's types. Everything here works on module names (normalised, '_'),
 * so the selection logic stays independent of libkmod.
 */
#ifndef HVD_KMOD_H
#define HVD_KMOD_H

#include <stdbool.h>

#include "base/internal.h"

struct target;

/*
 * A kernel version as it may appear in a generated file or on a terminal:
 * 1-64 bytes of [A-Za-z0-9._+~-], starting with a letter or digit (uname's
 * release, Debian's 6.1.0-13-amd64, RHEL's 5.14.0-362.8.1.el9_3.x86_64). It
 * comes from a directory name, so it is checked before anything prints it.
 */
bool valid_kernel_version(const char *v);
/* A module name: 1-255 bytes of [A-Za-z0-9_-] (what the kernel's build makes of a file name). */
bool valid_module_name(const char *name);

enum mod_state { MOD_MISSING, MOD_BUILTIN, MOD_LOADABLE, MOD_LOADED };
extern const char *const mod_state_names[];

/*
 * Open the module tree the selection is for: MODDIR (a /lib/modules/<ver>
 * directory, host path) if given; else VERSION under the sysroot's
 * lib/modules; else the running kernel's (live) or the sysroot's only version.
 * A missing tree is -ENOENT, several candidates -EINVAL; the context's error
 * says which and what to pass instead.
 */
int target_open(struct hvd_ctx *ctx, const char *moddir, const char *version, struct target **out);
struct target *target_free(struct target *t);
/*
 * A target with only a MODDIR and a VERSION, taken as they are, that looks
 * nothing up and loads no library: for feeding the renderers (selformat.c)
 * names no real tree could give (tests/fuzz/fuzz_selformat.c). NULL on OOM.
 */
struct target *target_new_detached(const char *moddir, const char *version);
const char *target_version(const struct target *t);
const char *target_moddir(const struct target *t);
/* The target is the kernel running here (so "loaded" and --load mean something). */
bool target_is_running(const struct target *t);

/*
 * Resolve ALIAS (a modalias, an alias or a module name) as modprobe/udev do.
 * *NAMES: a NULL-terminated malloc'ed vector (possibly empty). 0 or -errno.
 */
int target_lookup(struct target *t, const char *alias, char ***names);
enum mod_state target_state(struct target *t, const char *name);
/* Blacklisted in the target's modprobe.d configuration. */
bool target_blacklisted(struct target *t, const char *name);
/* Soft "pre" dependencies and hard dependencies of NAME, as name vectors (possibly empty). */
int target_deps(struct target *t, const char *name, char ***pre, char ***deps);
/*
 * Insert NAME with its dependencies, honouring blacklists (DRY_RUN: only say
 * what would happen). Returns 0 inserted (or would be), 1 blacklisted,
 * 2 already loaded, 3 its modprobe.d install command ran (or would run)
 * instead, or -errno.
 */
int target_insert(struct target *t, const char *name, bool dry_run);

#endif
