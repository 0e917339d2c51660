/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The registry of hypervisor and platform identifiers: well-formed and unique,
 * what hvd_identifier() & co. enumerate, and every other list of identifiers
 * (the shipped driver database, the signature tables, hvd_select's names)
 * within it.
 */
#include "testutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "driverdb.h"
#include "internal.h"
#include "registry.h"
#include "signatures.h"

static size_t registry_size(void)
{
	size_t n = 0;
	while (registry_at(n))
		n++;
	return n;
}

static bool well_formed(const char *id)
{
	if (!id || !*id || *id == '-' || id[strlen(id) - 1] == '-')
		return false;
	for (const char *p = id; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
			return false;
	return true;
}

static void test_entries_well_formed(void **state)
{
	(void)state;
	size_t n = registry_size();
	bool seen_platform = false;

	assert_true(n > 0);
	for (size_t i = 0; i < n; i++) {
		const struct reg_entry *e = registry_at(i);
		if (!well_formed(e->id))
			fail_msg("entry %zu: identifier '%s' is not lower-case [a-z0-9-]", i, e->id ? e->id : "(null)");
		/* Unique over both kinds: a name given to hvd_select() means one thing. */
		for (size_t j = 0; j < i; j++)
			if (strcmp(registry_at(j)->id, e->id) == 0)
				fail_msg("identifier '%s' registered twice (entries %zu and %zu)", e->id, j, i);
		if (!e->name || !*e->name)
			fail_msg("%s: no human name", e->id);
		assert_true(e->kind == REG_HYPERVISOR || e->kind == REG_PLATFORM);
		assert_int_equal(e->flags & ~(unsigned)(REG_SELECTABLE | REG_HAS_METAL), 0);
		if (e->kind == REG_HYPERVISOR) {
			/* Listed by kind: hypervisors first (hvd_identifier's order). */
			if (seen_platform)
				fail_msg("hypervisor '%s' listed after a platform", e->id);
			if (!e->systemd_id || !well_formed(e->systemd_id))
				fail_msg("hypervisor '%s': systemd id '%s'", e->id, e->systemd_id ? e->systemd_id : "(null)");
			if (e->hypervisor)
				fail_msg("hypervisor '%s' names a hypervisor of its own", e->id);
			if (e->flags & REG_HAS_METAL)
				fail_msg("hypervisor '%s' has the platform flag REG_HAS_METAL", e->id);
			assert_ptr_equal(registry_find(REG_HYPERVISOR, e->id), e);
			assert_null(registry_find(REG_PLATFORM, e->id));
		} else {
			seen_platform = true;
			if (e->hypervisor && !registry_find(REG_HYPERVISOR, e->hypervisor))
				fail_msg("platform '%s' runs on '%s', not a registered hypervisor", e->id, e->hypervisor);
			if (e->hypervisor && strcmp(e->hypervisor, "none") == 0)
				fail_msg("platform '%s' runs on 'none'", e->id);
			/* hvd_select() needs a hypervisor to match the database's rules against. */
			if ((e->flags & REG_SELECTABLE) && !e->hypervisor)
				fail_msg("selectable platform '%s' has no hypervisor", e->id);
			if (e->systemd_id && !well_formed(e->systemd_id))
				fail_msg("platform '%s': systemd id '%s'", e->id, e->systemd_id);
			assert_ptr_equal(registry_find(REG_PLATFORM, e->id), e);
			assert_null(registry_find(REG_HYPERVISOR, e->id));
		}
	}
	assert_true(seen_platform);
	assert_null(registry_at(n));
	assert_null(registry_at((size_t)-1));
	assert_null(registry_find(REG_HYPERVISOR, NULL));
	assert_null(registry_find(REG_HYPERVISOR, ""));
	assert_null(registry_find(REG_HYPERVISOR, "KVM"));
	assert_null(registry_find(REG_PLATFORM, "kvm"));
}

/* What verdict.c and select.c relied on before the registry: kept. */
static void test_known_entries(void **state)
{
	(void)state;
	static const struct { const char *id, *systemd_id; } hvs[] = {
		{ "none", "none" }, { "kvm", "kvm" }, { "qemu", "qemu" }, { "vmware", "vmware" },
		{ "hyperv", "microsoft" }, { "xen", "xen" }, { "virtualbox", "oracle" },
		{ "parallels", "parallels" }, { "bhyve", "bhyve" }, { "acrn", "acrn" }, { "qnx", "qnx" },
		{ "vmm", "vm-other" }, { "apple", "apple" }, { "powervm", "powervm" }, { "zvm", "zvm" },
		{ "other", "vm-other" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(hvs); i++) {
		const struct reg_entry *e = registry_find(REG_HYPERVISOR, hvs[i].id);
		if (!e)
			fail_msg("hypervisor '%s' is not registered", hvs[i].id);
		assert_string_equal(e->systemd_id, hvs[i].systemd_id);
		assert_true(e->flags & REG_SELECTABLE);
	}

	const struct reg_entry *aws = registry_find(REG_PLATFORM, "aws");
	const struct reg_entry *gce = registry_find(REG_PLATFORM, "gce");
	const struct reg_entry *azure = registry_find(REG_PLATFORM, "azure");
	assert_non_null(aws);
	assert_non_null(gce);
	assert_non_null(azure);
	assert_string_equal(aws->systemd_id, "amazon");
	assert_string_equal(gce->systemd_id, "google");
	assert_null(azure->systemd_id);
	assert_string_equal(azure->hypervisor, "hyperv");
	assert_true(aws->flags & REG_HAS_METAL);
	/* The clouds whose VMs verdict.c takes to run on KVM (cloud_default_hv). */
	static const char *const kvm_clouds[] = { "aws", "oracle", "alibaba", "gce" };
	for (size_t i = 0; i < ARRAY_SIZE(kvm_clouds); i++) {
		const struct reg_entry *e = registry_find(REG_PLATFORM, kvm_clouds[i]);
		assert_non_null(e);
		assert_string_equal(e->hypervisor, "kvm");
	}
	assert_null(registry_find(REG_PLATFORM, "openstack")->hypervisor);
	assert_null(registry_find(REG_PLATFORM, "cloud-hypervisor")->hypervisor);

	/* hvd_select's named platforms are azure, aws and gce, no other (hvdetect.h). */
	for (size_t i = 0; registry_at(i); i++) {
		const struct reg_entry *e = registry_at(i);
		bool want = e->kind == REG_HYPERVISOR || strcmp(e->id, "azure") == 0 ||
		            strcmp(e->id, "aws") == 0 || strcmp(e->id, "gce") == 0;
		if (!!(e->flags & REG_SELECTABLE) != want)
			fail_msg("'%s' %s selectable", e->id, want ? "should be" : "should not be");
	}
}

static void check_enumeration(enum hvd_id_kind kind, enum reg_kind rk)
{
	size_t n = 0;

	for (size_t i = 0; registry_at(i); i++) {
		const struct reg_entry *e = registry_at(i);
		if (e->kind != rk)
			continue;
		const char *id = hvd_identifier(kind, n);
		if (!id)
			fail_msg("hvd_identifier(%d, %zu) is NULL, the table has '%s'", kind, n, e->id);
		/* The registry's own string, so a static one. */
		assert_ptr_equal(id, e->id);
		n++;
	}
	assert_true(n > 0);
	assert_null(hvd_identifier(kind, n));
	assert_null(hvd_identifier(kind, n + 1));
	assert_null(hvd_identifier(kind, (size_t)-1));
}

static void test_public_enumeration(void **state)
{
	(void)state;
	size_t n_hv = 0, n_pf = 0;

	check_enumeration(HVD_ID_HYPERVISOR, REG_HYPERVISOR);
	check_enumeration(HVD_ID_PLATFORM, REG_PLATFORM);
	while (hvd_identifier(HVD_ID_HYPERVISOR, n_hv))
		n_hv++;
	while (hvd_identifier(HVD_ID_PLATFORM, n_pf))
		n_pf++;
	assert_int_equal(n_hv + n_pf, registry_size());
	assert_null(hvd_identifier((enum hvd_id_kind)2, 0));
	assert_null(hvd_identifier((enum hvd_id_kind)-1, 0));

	for (size_t i = 0; registry_at(i); i++) {
		const struct reg_entry *e = registry_at(i);
		assert_int_equal(hvd_identifier_selectable(e->id), (e->flags & REG_SELECTABLE) ? 1 : 0);
		if (e->kind == REG_PLATFORM)
			assert_ptr_equal(hvd_platform_hypervisor(e->id), e->hypervisor);
		else
			assert_null(hvd_platform_hypervisor(e->id));
	}
	assert_string_equal(hvd_platform_hypervisor("aws"), "kvm");
	assert_string_equal(hvd_platform_hypervisor("azure"), "hyperv");
	assert_null(hvd_platform_hypervisor("openstack"));
	assert_null(hvd_platform_hypervisor("nosuchcloud"));
	assert_null(hvd_platform_hypervisor(NULL));
	assert_int_equal(hvd_identifier_selectable("kvm"), 1);
	assert_int_equal(hvd_identifier_selectable("azure"), 1);
	assert_int_equal(hvd_identifier_selectable("oracle"), 0);
	assert_int_equal(hvd_identifier_selectable("nosuchcloud"), 0);
	assert_int_equal(hvd_identifier_selectable(""), 0);
	assert_int_equal(hvd_identifier_selectable(NULL), 0);
}

/* hvd_select() takes exactly the selectable names; the name is checked before anything is read. */
static void test_select_names(void **state)
{
	(void)state;
	struct hvd_ctx *ctx = NULL;
	char *empty = tu_mkdtemp();

	assert_int_equal(hvd_ctx_new(&ctx, empty), 0);
	/* No database anywhere: an accepted name gets as far as loading it. */
	struct hvd_select_options so = HVD_SELECT_OPTIONS_INIT;
	so.vendor_db = so.admin_db = "";
	for (size_t i = 0; registry_at(i); i++) {
		const struct reg_entry *e = registry_at(i);
		struct hvd_selection *sel = NULL;
		so.hypervisor = e->id;
		int r = hvd_select(&sel, ctx, NULL, &so);
		assert_null(sel);
		if (e->flags & REG_SELECTABLE) {
			if (r == -EINVAL)
				fail_msg("hvd_select() rejects the selectable name '%s'", e->id);
		} else if (r != -EINVAL) {
			fail_msg("hvd_select() accepts the unselectable name '%s' (%d)", e->id, r);
		}
	}
	struct hvd_selection *sel = NULL;
	so.hypervisor = "nosuchcloud";
	assert_int_equal(hvd_select(&sel, ctx, NULL, &so), -EINVAL);
	assert_non_null(hvd_ctx_get_error(ctx));
	assert_non_null(strstr(hvd_ctx_get_error(ctx), "nosuchcloud"));
	hvd_ctx_unref(ctx);
	tu_rm_rf(empty);
	free(empty);
}

static bool has_glob(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

/* The shipped database validates, and names only registered platforms (the parser checks hypervisors). */
static void test_driverdb_vocabulary(void **state)
{
	(void)state;
	struct hvd_ctx *ctx = NULL;
	struct driverdb db = { 0 };
	struct strbuf errors = { 0 };

	assert_int_equal(hvd_ctx_new(&ctx, NULL), 0);
	int r = driverdb_load(ctx, &db, HVD_TEST_SRCDIR "/../../data/drivers.d", NULL, &errors);
	_cleanup_free_ char *report = strbuf_steal(&errors);
	if (r != 0)
		fail_msg("data/drivers.d does not validate: %s", report ? report : "?");
	assert_true(db.n_rules > 0);
	for (size_t i = 0; i < db.n_rules; i++) {
		const struct db_rule *rule = &db.rules[i];
		static const struct { enum match_key key; enum reg_kind kind; } keys[] = {
			{ KEY_HYPERVISOR, REG_HYPERVISOR }, { KEY_PLATFORM, REG_PLATFORM },
		};
		for (size_t k = 0; k < ARRAY_SIZE(keys); k++)
			for (char **v = rule->cond[keys[k].key]; v && *v; v++) {
				const char *id = **v == '!' ? *v + 1 : *v;
				if (!has_glob(id) && !registry_find(keys[k].kind, id))
					fail_msg("%s:%u: '%s' is not registered", rule->file, rule->line, id);
			}
	}
	driverdb_free(&db);

	/* Every registered hypervisor is a valid hypervisor= value, and nothing else is. */
	for (size_t i = 0; registry_at(i); i++) {
		const struct reg_entry *e = registry_at(i);
		_cleanup_free_ char *text = strdup_printf("match hypervisor=%s\nmodule m boot\n", e->id);
		struct driverdb one = { 0 };
		r = driverdb_parse(ctx, &one, "t.conf", text, strlen(text), NULL);
		if ((r == 0) != (e->kind == REG_HYPERVISOR))
			fail_msg("hypervisor=%s: parse gave %d", e->id, r);
		driverdb_free(&one);
	}
	hvd_ctx_unref(ctx);
}

static void check_meaning(const char *table, size_t i, const struct sig_meaning *m)
{
	if (m->hypervisor && !registry_find(REG_HYPERVISOR, m->hypervisor))
		fail_msg("%s[%zu] (%s): hypervisor '%s' is not registered", table, i,
		         m->meaning ? m->meaning : "?", m->hypervisor);
	if (m->platform && !registry_find(REG_PLATFORM, m->platform))
		fail_msg("%s[%zu] (%s): platform '%s' is not registered", table, i,
		         m->meaning ? m->meaning : "?", m->platform);
}

/* Every identifier a signature points to is registered (the CPUID table is static to signatures.c). */
static void test_signature_ids(void **state)
{
	(void)state;
	assert_true(n_dmi_signatures > 0 && n_acpi_signatures > 0 && n_pci_signatures > 0);
	for (size_t i = 0; i < n_dmi_signatures; i++)
		check_meaning("dmi_signatures", i, &dmi_signatures[i].m);
	for (size_t i = 0; i < n_acpi_signatures; i++)
		check_meaning("acpi_signatures", i, &acpi_signatures[i].m);
	for (size_t i = 0; i < n_pci_signatures; i++)
		check_meaning("pci_signatures", i, &pci_signatures[i].m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_entries_well_formed),
		cmocka_unit_test(test_known_entries),
		cmocka_unit_test(test_public_enumeration),
		cmocka_unit_test(test_select_names),
		cmocka_unit_test(test_driverdb_vocabulary),
		cmocka_unit_test(test_signature_ids),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
