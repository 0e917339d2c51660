/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The driver database parser: valid rules, every kind of malformed line with its file:line, drop-in merging. */
#include "testutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "driverdb.h"

static struct hvd_ctx *new_ctx(void)
{
	struct hvd_ctx *ctx = NULL;
	assert_int_equal(hvd_ctx_new(&ctx, NULL), 0);
	return ctx;
}

static void test_valid_rules(void **state)
{
	(void)state;
	struct hvd_ctx *ctx = new_ctx();
	struct driverdb db = { 0 };
	const char *text =
		"# comment\n"
		"\n"
		"match hypervisor=hyperv generation=2   # trailing comment\n"
		"module hv_vmbus boot initramfs\n"
		"module hyperv-drm|hyperv_fb display\n"
		"module hv_sock integration explicit\n"
		"package rhel,debian hyperv-daemons\n"
		"package * common-tool\n"
		"\tmatch device=pci:v000015ADd000007C0*,pci:v000015ADd000007B0*\r\n"
		"module vmw_pvscsi boot initramfs\n";
	assert_int_equal(driverdb_parse(ctx, &db, "t.conf", text, strlen(text), NULL), 0);
	assert_int_equal(db.n_rules, 2);
	const struct db_rule *r = &db.rules[0];
	assert_string_equal(r->file, "t.conf");
	assert_int_equal(r->line, 3);
	assert_string_equal(r->cond[KEY_HYPERVISOR][0], "hyperv");
	assert_string_equal(r->cond[KEY_GENERATION][0], "2");
	assert_null(r->cond[KEY_PLATFORM]);
	assert_int_equal(r->n_modules, 3);
	assert_string_equal(r->modules[0].names[0], "hv_vmbus");
	assert_int_equal(r->modules[0].tier, TIER_BOOT);
	assert_true(r->modules[0].initramfs);
	assert_false(r->modules[0].explicit_load);
	assert_int_equal(r->modules[0].line, 4);
	/* Names are normalised like the kernel's, alternatives kept in order. */
	assert_string_equal(r->modules[1].names[0], "hyperv_drm");
	assert_string_equal(r->modules[1].names[1], "hyperv_fb");
	assert_null(r->modules[1].names[2]);
	assert_true(r->modules[2].explicit_load);
	assert_int_equal(r->n_packages, 2);
	assert_int_equal(r->packages[0].families, (1u << DISTRO_RHEL) | (1u << DISTRO_DEBIAN));
	assert_int_equal(r->packages[1].families, (1u << DISTRO_COUNT) - 1);
	assert_string_equal(db.rules[1].cond[KEY_DEVICE][1], "pci:v000015ADd000007B0*");
	assert_int_equal(db.rules[1].line, 9);
	driverdb_free(&db);
	hvd_ctx_unref(ctx);
}

static void test_matching(void **state)
{
	(void)state;
	struct hvd_ctx *ctx = new_ctx();
	struct driverdb db = { 0 };
	const char *text =
		"match hypervisor=kvm,qemu platform=!aws,!gce\nmodule a integration\n"
		"match hypervisor=hyperv generation=1 firmware=bios\nmodule b boot\n"
		"match device=virtio:d00000002v* arch=x86_*\nmodule c boot\n";
	assert_int_equal(driverdb_parse(ctx, &db, "m.conf", text, strlen(text), NULL), 0);
	struct match_input kvm = { .hypervisor = "kvm" }, aws = { .hypervisor = "kvm", .platform = "aws" },
	                   ovirt = { .hypervisor = "kvm", .platform = "ovirt" },
	                   gen1 = { .hypervisor = "hyperv", .generation = 1, .firmware = "bios" },
	                   gen2 = { .hypervisor = "hyperv", .generation = 2, .firmware = "uefi" },
	                   x86 = { .hypervisor = "kvm", .arch = "x86_64" };
	assert_true(rule_matches_verdict(&db.rules[0], &kvm));
	assert_true(rule_matches_verdict(&db.rules[0], &ovirt));
	assert_false(rule_matches_verdict(&db.rules[0], &aws));
	assert_true(rule_matches_verdict(&db.rules[1], &gen1));
	assert_false(rule_matches_verdict(&db.rules[1], &gen2));
	assert_false(rule_matches_verdict(&db.rules[1], &kvm));
	assert_true(rule_matches_verdict(&db.rules[2], &x86));
	assert_false(rule_matches_verdict(&db.rules[2], &kvm));   /* arch unknown: no match */
	assert_true(rule_matches_modalias(&db.rules[2], "virtio:d00000002v00001AF4"));
	assert_false(rule_matches_modalias(&db.rules[2], "virtio:d00000001v00001AF4"));
	assert_true(rule_matches_modalias(&db.rules[0], "anything:"));
	driverdb_free(&db);
	hvd_ctx_unref(ctx);
}

/* Each malformed line, alone after a valid rule, gives exactly this file:line: message. */
static const struct { const char *line; const char *msg; } bad[] = {
	{ "frobnicate x", "unknown directive 'frobnicate'" },
	{ "match", "'match' needs at least one KEY=VALUE condition" },
	{ "match hypervisor", "expected KEY=VALUE, got 'hypervisor'" },
	{ "match =kvm", "expected KEY=VALUE, got '=kvm'" },
	{ "match colour=blue", "unknown match key 'colour'" },
	{ "match hypervisor=kvm hypervisor=xen", "duplicate match key 'hypervisor'" },
	{ "match hypervisor=", "empty value for 'hypervisor'" },
	{ "match hypervisor=kvm,", "empty value for 'hypervisor'" },
	{ "match hypervisor=vmwear", "unknown hypervisor 'vmwear'" },
	{ "match generation=3", "generation must be 1 or 2, got '3'" },
	{ "match firmware=efi", "firmware must be uefi or bios, got 'efi'" },
	{ "match platform=a/b", "invalid platform value 'a/b'" },
	{ "match device=15ad07c0", "device pattern '15ad07c0' has no bus prefix" },
	{ "module", "'module' needs a module name and a tier" },
	{ "module vmxnet3", "module 'vmxnet3' has no tier" },
	{ "module vmxnet3 fast", "unknown tier 'fast'" },
	{ "module vmx/net3 boot", "invalid module name 'vmx/net3'" },
	{ "module a||b boot", "empty module name in 'a||b'" },
	{ "module vmxnet3 boot initrd", "unknown module flag 'initrd'" },
	{ "module vmxnet3 boot explicit explicit", "duplicate module flag 'explicit'" },
	{ "package debian", "'package' needs a distribution family" },
	{ "package arch tools", "unknown distribution family 'arch'" },
	{ "package debian too$ls", "invalid package name 'too$ls'" },
	{ "module a boot\x01", "control character 0x01 in line" },
	{ "module a b\xc3\xa9ot", "non-ASCII byte 0xc3 in line" },
};

static void test_malformed_lines(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct hvd_ctx *ctx = new_ctx();
		struct driverdb db = { 0 };
		_cleanup_free_ char *text = strdup_printf("# ok\nmatch hypervisor=kvm\nmodule virtio_pci boot\n%s\n", bad[i].line);
		_cleanup_free_ char *want = strdup_printf("bad.conf:4: %s", bad[i].msg);
		int r = driverdb_parse(ctx, &db, "bad.conf", text, strlen(text), NULL);

		if (r != -EBADMSG || !hvd_ctx_get_error(ctx) || !startswith(hvd_ctx_get_error(ctx), want))
			fail_msg("line '%s': r=%d error '%s', want '%s'", bad[i].line, r,
			         hvd_ctx_get_error(ctx) ? hvd_ctx_get_error(ctx) : "(none)", want);
		driverdb_free(&db);
		hvd_ctx_unref(ctx);
	}
}

static void test_structure_errors(void **state)
{
	(void)state;
	struct hvd_ctx *ctx = new_ctx();
	struct driverdb db = { 0 };
	const char *t1 = "module a boot\n";
	assert_int_equal(driverdb_parse(ctx, &db, "s.conf", t1, strlen(t1), NULL), -EBADMSG);
	assert_string_equal(hvd_ctx_get_error(ctx), "s.conf:1: 'module' outside a rule (no 'match' line before it)");
	driverdb_free(&db);
	/* An empty rule is reported at its match line, also when it is the last one. */
	const char *t2 = "match hypervisor=kvm\n\nmatch hypervisor=xen\nmodule x boot\nmatch platform=aws\n";
	assert_int_equal(driverdb_parse(ctx, &db, "e.conf", t2, strlen(t2), NULL), -EBADMSG);
	assert_string_equal(hvd_ctx_get_error(ctx), "e.conf:1: rule has no 'module' or 'package' line");
	driverdb_free(&db);
	struct strbuf all = { 0 };
	assert_int_equal(driverdb_parse(ctx, &db, "e.conf", t2, strlen(t2), &all), -EBADMSG);
	_cleanup_free_ char *s = strbuf_steal(&all);
	assert_string_equal(s, "e.conf:1: rule has no 'module' or 'package' line\n"
	                       "e.conf:5: rule has no 'module' or 'package' line\n");
	driverdb_free(&db);
	/* A long line and a NUL byte. */
	char *big = malloc(5000);
	memcpy(big, "match hypervisor=kvm\nmodule a boot\n", 35);
	memset(big + 35, 'x', 4500);
	memcpy(big + 4535, "\nmodule b\0 boot\n", 16);
	struct strbuf e2 = { 0 };
	assert_int_equal(driverdb_parse(ctx, &db, "l.conf", big, 4551, &e2), -EBADMSG);
	_cleanup_free_ char *s2 = strbuf_steal(&e2);
	assert_string_equal(s2, "l.conf:3: line longer than 4096 bytes\nl.conf:4: NUL byte in line\n");
	free(big);
	driverdb_free(&db);
	hvd_ctx_unref(ctx);
}

/* Validation mode reports every error; the normal mode stops at the first. */
static void test_all_errors(void **state)
{
	(void)state;
	struct hvd_ctx *ctx = new_ctx();
	struct driverdb db = { 0 };
	struct strbuf errors = { 0 };
	const char *text = "match hypervisor=kvm\nmodule a fast\nmodule b boot\nbogus\nmatch colour=red\nmodule c boot\n";

	assert_int_equal(driverdb_parse(ctx, &db, "x.conf", text, strlen(text), &errors), -EBADMSG);
	_cleanup_free_ char *s = strbuf_steal(&errors);
	/* The body of the broken match (line 6) is not reported again. */
	assert_string_equal(s, "x.conf:2: unknown tier 'fast' (expected boot, network, integration or display)\n"
	                       "x.conf:4: unknown directive 'bogus' (expected match, module or package)\n"
	                       "x.conf:5: unknown match key 'colour' (expected hypervisor, platform, generation, firmware, arch or device)\n");
	assert_string_equal(hvd_ctx_get_error(ctx), "x.conf:2: unknown tier 'fast' (expected boot, network, integration or display)");
	driverdb_free(&db);
	hvd_ctx_unref(ctx);
}

static void test_dropin_dirs(void **state)
{
	(void)state;
	struct hvd_ctx *ctx = new_ctx();
	struct driverdb db = { 0 };
	char *root = tu_mkdtemp();

	tu_write_str(root, "vendor/20-b.conf", "match hypervisor=kvm\nmodule vendor_b boot\n");
	tu_write_str(root, "vendor/10-a.conf", "match hypervisor=kvm\nmodule vendor_a boot\n");
	tu_write_str(root, "vendor/README", "not a database file\n");
	tu_write_str(root, "admin/20-b.conf", "match hypervisor=kvm\nmodule admin_b boot\n");
	tu_write_str(root, "admin/15-c.conf", "match hypervisor=kvm\nmodule admin_c boot\n");
	_cleanup_free_ char *vendor = tu_path(root, "vendor"), *admin = tu_path(root, "admin");

	assert_int_equal(driverdb_load(ctx, &db, vendor, admin, NULL), 0);
	assert_int_equal(db.n_rules, 3);
	/* Lexical order of the merged names; the admin's 20-b.conf replaces the vendor's. */
	assert_string_equal(db.rules[0].modules[0].names[0], "vendor_a");
	assert_string_equal(db.rules[1].modules[0].names[0], "admin_c");
	assert_string_equal(db.rules[2].modules[0].names[0], "admin_b");
	assert_true(strstr(db.rules[2].file, "/admin/20-b.conf") != NULL);
	driverdb_free(&db);

	/* One bad file: nothing is loaded, and the error names the file and line. */
	tu_write_str(root, "admin/30-bad.conf", "match hypervisor=kvm\nmodule x sometimes\n");
	assert_int_equal(driverdb_load(ctx, &db, vendor, admin, NULL), -EBADMSG);
	assert_int_equal(db.n_rules, 0);
	assert_non_null(strstr(hvd_ctx_get_error(ctx), "/admin/30-bad.conf:2: unknown tier 'sometimes'"));

	/* No files at all is an error of its own. */
	_cleanup_free_ char *none = tu_path(root, "none");
	assert_int_equal(driverdb_load(ctx, &db, none, NULL, NULL), -ENOENT);
	tu_rm_rf(root);
	free(root);
	hvd_ctx_unref(ctx);
}

/* The shipped database must parse, and every file must have at least one rule. */
static void test_shipped_database(void **state)
{
	(void)state;
	struct hvd_ctx *ctx = new_ctx();
	struct driverdb db = { 0 };
	struct strbuf errors = { 0 };
	int r = driverdb_load(ctx, &db, HVD_TEST_SRCDIR "/../../data/drivers.d", NULL, &errors);
	_cleanup_free_ char *s = strbuf_steal(&errors);

	if (r != 0)
		fail_msg("shipped database: %s", s ? s : "?");
	static const char *const families[] = { "aws", "azure", "gce", "hyperv", "kvm", "vmware", "xen" };
	for (size_t f = 0; f < ARRAY_SIZE(families); f++) {
		size_t rules = 0;
		for (size_t i = 0; i < db.n_rules; i++) {
			const char *base = strrchr(db.rules[i].file, '/');
			_cleanup_free_ char *want = strdup_printf("/%s.conf", families[f]);
			rules += base && strcmp(base, want) == 0;
		}
		if (rules == 0)
			fail_msg("no rules for %s", families[f]);
	}
	driverdb_free(&db);
	hvd_ctx_unref(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_rules),
		cmocka_unit_test(test_matching),
		cmocka_unit_test(test_malformed_lines),
		cmocka_unit_test(test_structure_errors),
		cmocka_unit_test(test_all_errors),
		cmocka_unit_test(test_dropin_dirs),
		cmocka_unit_test(test_shipped_database),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
