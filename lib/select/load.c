/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hvd_selection_load(): insert a selection into the running kernel, one module at a time. */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include "select.h"

/*
 * The outcome string for a failure: kept in the selection's pool (one copy of
 * each text) until the selection goes, never freed by a later load, because a
 * caller may still hold what hvd_selection_get_module() gave it.
 */
static const char *failed_outcome(struct hvd_selection *sel, int r)
{
	_cleanup_free_ char *o = strdup_printf("failed: %s", strerror(-r));
	char **nv;

	if (!o)
		return NULL;
	for (size_t i = 0; i < sel->n_outcomes; i++)
		if (strcmp(sel->outcomes[i], o) == 0)
			return sel->outcomes[i];
	nv = realloc(sel->outcomes, (sel->n_outcomes + 1) * sizeof(*nv));
	if (!nv)
		return NULL;
	sel->outcomes = nv;
	nv[sel->n_outcomes] = TAKE_PTR(o);
	return nv[sel->n_outcomes++];
}

HVD_EXPORT int hvd_selection_load(struct hvd_selection *sel, unsigned int flags)
{
	bool dry = flags & HVD_LOAD_DRY_RUN;
	int absent = 0;

	ctx_clear_error();
	if (!sel || (flags & ~(unsigned)HVD_LOAD_DRY_RUN))
		return -EINVAL;
	if (!sel->target)
		return ctx_set_error(sel->ctx, -EINVAL, "a packages-only selection has no modules to load");
	if (!dry && !target_is_running(sel->target))
		return ctx_set_error(sel->ctx, -EXDEV, "kernel %s is not the running kernel: only --dry-run is possible",
		                     target_version(sel->target));
	for (size_t i = 0; i < sel->n_mods; i++) {
		struct sel_module *m = &sel->mods[i];
		const char *o;
		bool present = false;
		int r;

		if (m->omitted) {
			o = "omitted";
		} else if (m->blacklisted) {
			o = "blacklisted";
		} else if (m->state == MOD_MISSING) {
			o = "missing";
		} else if (m->state == MOD_BUILTIN) {
			o = "builtin";
			present = true;
		} else {
			/* One failure does not stop the rest: each module is tried on its own. */
			r = target_insert(sel->target, m->name, dry);
			if (r == 0) {
				o = dry ? "would insert" : "inserted";
				present = true;
			} else if (r == 1) {
				o = "blacklisted";
			} else if (r == 2) {
				o = "already loaded";
				present = true;
			} else if (r == 3) {
				/* What the command does is its own (install NAME /bin/true disables NAME). */
				o = dry ? "would run its modprobe.d install command instead" : "ran its modprobe.d install command";
				present = true;
			} else {
				o = failed_outcome(sel, r);
				if (!o)
					return -ENOMEM;
				info(sel->ctx, "inserting %s failed: %s", m->name, strerror(-r));
			}
		}
		/* Every other outcome is a static string. */
		m->pub.outcome = o;
		if (m->tier == TIER_BOOT && !present)
			absent++;
	}
	return absent;
}
