/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hvd_selection_load(): insert a selection into the running kernel, one module at a time. */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include "select.h"

static int set_outcome(struct sel_module *m, const char *s)
{
	char *o = strdup(s);
	if (!o)
		return -ENOMEM;
	free(m->outcome);
	m->outcome = o;
	m->pub.outcome = o;
	return 0;
}

HVD_EXPORT int hvd_selection_load(struct hvd_selection *sel, unsigned int flags)
{
	bool dry = flags & HVD_LOAD_DRY_RUN;
	int absent = 0;

	if (!sel || (flags & ~(unsigned)HVD_LOAD_DRY_RUN))
		return -EINVAL;
	if (!dry && !target_is_running(sel->target))
		return ctx_set_error(sel->ctx, -EXDEV, "kernel %s is not the running kernel: only --dry-run is possible",
		                     target_version(sel->target));
	for (size_t i = 0; i < sel->n_mods; i++) {
		struct sel_module *m = &sel->mods[i];
		_cleanup_free_ char *failed = NULL;
		const char *o;
		bool present = false;
		int r;

	ctx_clear_error();
		if (m->blacklisted) {
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
			} else {
				failed = strdup_printf("failed: %s", strerror(-r));
				if (!failed)
					return -ENOMEM;
				o = failed;
				info(sel->ctx, "inserting %s failed: %s", m->name, strerror(-r));
			}
		}
		if (set_outcome(m, o) < 0)
			return -ENOMEM;
		if (m->tier == TIER_BOOT && !present)
			absent++;
	}
	return absent;
}
