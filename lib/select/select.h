/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The selection object, shared by select.c (building it), selformat.c (rendering) and load.c (--load). */
#ifndef HVD_SELECT_H
#define HVD_SELECT_H

#include "driverdb.h"
#include "base/internal.h"
#include "kmod.h"

struct sel_module {
	/* Public view: its strings point at the members below, at static names, or into the outcome pool. */
	struct hvd_module pub;
	char *name, *reason, *note;
	enum tier tier;
	enum mod_state state;
	bool blacklisted;
	bool omitted;                  /* hvd_select_options.omit_modules */
};

struct hvd_selection {
	int refcount;                  /* changed atomically */
	struct hvd_ctx *ctx;
	struct hvd_ctx *target_ctx;    /* the options' target root, reporting to ctx; or NULL */
	struct target *target;         /* NULL for a packages-only selection */
	char *hypervisor, *platform;   /* what was selected for */
	bool portable;
	struct sel_module *mods;       /* load order */
	size_t n_mods;
	char **warnings;
	size_t n_warnings;
	char **packages[DISTRO_COUNT]; /* NULL-terminated each */
	int distro;                    /* detected family, or -1 */
	int distro_override;           /* -1: none */
	size_t missing_boot;
	/*
	 * Every "failed: <reason>" outcome any load has set, kept until the
	 * selection goes: an outcome a getter returned stays valid after the next load.
	 */
	char **outcomes;
	size_t n_outcomes;
};

/* Modalias -> tier for a module no rule names: by the device's class or bus. */
enum tier tier_for_modalias(const char *modalias);
/* Distribution family from an os-release text (ID, then ID_LIKE), or -1. */
int distro_from_os_release(const char *text);

#endif
