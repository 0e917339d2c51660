/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* detect-hypervisor's driver selection (see select-cmd.h). Public API only. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "fleet.h"
#include "select-cmd.h"
#include "term-escape.h"

static struct {
	bool packages, portable, load, dry_run, check_db;
	const char *format, *hypervisor, *moddir, *kernel, *distro, *db_dir;
} opt;


int select_option(const char *name, const char *arg)
{
	static const char *const formats[] = { "dracut", "modules-load", "initramfs-tools", "modules", "packages", "json",
	                                        "ansible", "prometheus" };
	static const char *const families[] = { "rhel", "fedora", "debian", "ubuntu", "suse" };
	bool ok = false;

	if (arg && !*arg) {
		diag("", "--%s needs a value", name);
		return -EINVAL;
	}
	if (strcmp(name, "modules") == 0) {
		/* The default output: the action alone says selection was asked for. */
	} else if (strcmp(name, "packages") == 0)
		opt.packages = true;
	else if (strcmp(name, "portable") == 0)
		opt.portable = true;
	else if (strcmp(name, "load") == 0)
		opt.load = true;
	else if (strcmp(name, "dry-run") == 0)
		opt.dry_run = true;
	else if (strcmp(name, "check-db") == 0)
		opt.check_db = true;
	else if (strcmp(name, "hypervisor") == 0)
		opt.hypervisor = arg;
	else if (strcmp(name, "moddir") == 0)
		opt.moddir = arg;
	else if (strcmp(name, "kernel") == 0)
		opt.kernel = arg;
	else if (strcmp(name, "db-dir") == 0)
		opt.db_dir = arg;
	else if (strcmp(name, "format") == 0) {
		for (size_t i = 0; i < sizeof(formats) / sizeof(*formats); i++)
			ok |= strcmp(arg, formats[i]) == 0;
		if (!ok) {
			diag("", "--format %s: expected dracut, modules-load, initramfs-tools, modules, packages, json, "
			     "ansible or prometheus", arg);
			return -EINVAL;
		}
		opt.format = arg;
	} else if (strcmp(name, "distro") == 0) {
		for (size_t i = 0; i < sizeof(families) / sizeof(*families); i++)
			ok |= strcmp(arg, families[i]) == 0;
		if (!ok) {
			diag("", "--distro %s: expected rhel, fedora, debian, ubuntu or suse", arg);
			return -EINVAL;
		}
		opt.distro = arg;
	} else {
		return -EINVAL;
	}
	if (opt.moddir && opt.kernel) {
		diag("", "--moddir and --kernel cannot be used together");
		return -EINVAL;
	}
	return 0;
}

/* --db-dir DIR is the whole database: the shipped and the admin's directories are not read. */
static const char *db_vendor(void) { return opt.db_dir; }
static const char *db_admin(void) { return opt.db_dir ? "" : NULL; }

static int check_db(struct hvd_ctx *ctx, bool quiet, struct buf *out)
{
	char *report = NULL;
	int r = hvd_driverdb_check(ctx, db_vendor(), db_admin(), &report);

	if (report && *report)
		/* The report is the result: exactly file:line: message lines, nothing added. */
		(void)!write(STDERR_FILENO, report, strlen(report));
	free(report);
	if (r == -EBADMSG || r == -ENOENT)
		return 2;
	if (r < 0)
		return lib_error(ctx, r, "--check-db", NULL);
	if (!quiet)
		buf_puts(out, "The driver database is valid.\n");
	return 0;
}

/* The verdict's JSON object with a "selection" member appended. */
static int merged_json(const struct hvd_verdict *v, const char *sel_json, struct buf *out)
{
	char *vj = NULL;
	int r = hvd_verdict_to_json(v, &vj);
	size_t l;

	if (r < 0)
		return r;
	l = strlen(vj);
	while (l && (vj[l - 1] == '\n' || vj[l - 1] == ' '))
		l--;
	if (!l || vj[l - 1] != '}') {
		free(vj);
		return -EBADMSG;
	}
	buf_append(out, vj, l - 1);
	buf_puts(out, ", \"selection\": ");
	buf_append(out, sel_json, strlen(sel_json) - (sel_json[strlen(sel_json) - 1] == '\n'));
	buf_puts(out, "}\n");
	free(vj);
	return 0;
}

static void print_load(const struct hvd_selection *sel, struct buf *out)
{
	size_t n = hvd_selection_get_module_count(sel);

	for (size_t i = 0; i < n; i++) {
		const struct hvd_module *m = hvd_selection_get_module(sel, i);
		buf_printf(out, "%-28s %-12s %s\n", m->name, m->tier, m->outcome ? m->outcome : "?");
	}
}

/* --format ansible or prometheus (fleet.c); SEL NULL when no selection could be made. */
static int fleet_format(const char *format, const struct hvd_verdict *v, const struct hvd_selection *sel,
                        struct buf *out)
{
	int r = strcmp(format, "ansible") == 0 ? fleet_ansible(out, v, sel) : fleet_prometheus(out, v, sel);

	if (r < 0)
		diag("", "cannot format the %s facts: %s", format, strerror(-r));
	return r;
}

int select_run(struct hvd_ctx *ctx, bool json, bool quiet, struct buf *out)
{
	struct hvd_verdict *v = NULL;
	struct hvd_selection *sel = NULL;
	char *text = NULL;
	struct hvd_select_options so = HVD_SELECT_OPTIONS_INIT;
	bool fleet = opt.format && (strcmp(opt.format, "ansible") == 0 || strcmp(opt.format, "prometheus") == 0);
	int r, status;

	if (opt.check_db)
		return check_db(ctx, quiet, out);
	so.flags = opt.portable ? HVD_SELECT_PORTABLE : 0;
	/*
	 * Packages depend on the verdict, the devices and the distribution, not on a kernel:
	 * without --moddir or --kernel, --packages opens no module tree (a target being
	 * installed may have none yet). With one, the kernel is checked too (exit 3).
	 */
	if (!opt.load && !opt.moddir && !opt.kernel &&
	    (opt.format ? strcmp(opt.format, "packages") == 0 : opt.packages))
		so.flags |= HVD_SELECT_PACKAGES_ONLY;
	so.hypervisor = opt.hypervisor;
	so.moddir = opt.moddir;
	so.kernel = opt.kernel;
	so.vendor_db = db_vendor();
	so.admin_db = db_admin();
	/* Detection runs even with --hypervisor: the architecture still comes from this machine. */
	r = hvd_detect(&v, ctx);
	if (r < 0)
		return lib_error(ctx, r, "detection failed", NULL);
	r = hvd_select(&sel, ctx, v, &so);
	if (r < 0 && fleet) {
		/* Fleet facts still report the verdict: the selection's numbers are left out, and said why. */
		const char *e = hvd_ctx_get_error(ctx);
		diag("warning: ", "no driver selection, its facts are left out: %s", e ? e : strerror(-r));
		r = fleet_format(opt.format, v, NULL, out);
		hvd_verdict_unref(v);
		return r < 0 ? r : 0;
	}
	if (r < 0) {
		hvd_verdict_unref(v);
		return lib_error(ctx, r, "driver selection failed", NULL);
	}
	if (opt.distro)
		hvd_selection_set_distro(sel, opt.distro);
	if (!quiet)
		for (size_t i = 0; i < hvd_selection_get_warning_count(sel); i++)
			diag("warning: ", "%s", hvd_selection_get_warning(sel, i));
	status = hvd_selection_get_missing_boot_count(sel) ? EXIT_MISSING_BOOT : 0;

	if (opt.load) {
		r = hvd_selection_load(sel, opt.dry_run ? HVD_LOAD_DRY_RUN : 0);
		if (r < 0) {
			lib_error(ctx, r, "--load", NULL);
			goto out;
		}
		status = r > 0 ? EXIT_MISSING_BOOT : 0;
	}
	if (json) {
		r = hvd_selection_format(sel, "json", &text);
		if (r >= 0)
			r = merged_json(v, text, out);
	} else if (quiet) {
		r = 0;
	} else if (opt.load) {
		print_load(sel, out);
	} else if (fleet) {
		r = fleet_format(opt.format, v, sel, out);
	} else {
		const char *format = opt.format ? opt.format : opt.packages ? "packages" : "modules";
		if (strcmp(format, "packages") == 0 && !hvd_selection_get_distro(sel)) {
			diag("", "cannot tell the distribution family (no etc/os-release): pass --distro FAMILY");
			r = -EINVAL;
			goto out;
		}
		r = hvd_selection_format(sel, format, &text);
		if (r >= 0)
			buf_puts(out, text);
	}
	if (r < 0)
		diag("", "cannot format the selection: %s", strerror(-r));
out:
	free(text);
	hvd_selection_unref(sel);
	hvd_verdict_unref(v);
	return r < 0 ? r : status;
}
