/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ACPI probe: header parsing, the FADT hypervisor id, device ids, on real-machine-like and hostile trees. */
#include "testutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "facts.h"
#include "probe/acpi.h"
#include "sysroot.h"
#include "sysroot_fx.h"

/* The first 36 bytes of this Firecracker guest's APIC table (xxd /sys/firmware/acpi/tables/APIC). */
static const uint8_t fc_apic[36] = {
	0x41, 0x50, 0x49, 0x43, 0x48, 0x00, 0x00, 0x00, 0x06, 0x56, 0x46, 0x49, 0x52, 0x45, 0x43, 0x4b,
	0x46, 0x43, 0x56, 0x4d, 0x4d, 0x41, 0x44, 0x54, 0x00, 0x00, 0x00, 0x00, 0x46, 0x43, 0x41, 0x54,
	0x19, 0x01, 0x24, 0x20,
};

/* A table of LEN bytes (at least 36) with the given header; the caller frees. */
static uint8_t *mk_table(size_t len, const char sig[4], uint32_t claimed_len, uint8_t rev,
                         const char oem[6], const char oem_table[8], const char creator[4])
{
	uint8_t *t = calloc(1, len < 36 ? 36 : len);
	memcpy(t, sig, 4);
	t[4] = claimed_len & 0xff;
	t[5] = claimed_len >> 8 & 0xff;
	t[6] = claimed_len >> 16 & 0xff;
	t[7] = claimed_len >> 24 & 0xff;
	t[8] = rev;
	memcpy(t + 10, oem, 6);
	memcpy(t + 16, oem_table, 8);
	memcpy(t + 28, creator, 4);
	return t;
}

/* A table named and signed NAME (4 characters). */
static void write_table(const char *root, const char *name, size_t len, uint8_t rev,
                        const char oem[6], const char oem_table[8], const char creator[4])
{
	uint8_t *t = mk_table(len, name, (uint32_t)len, rev, oem, oem_table, creator);
	char *rel = tu_path("sys/firmware/acpi/tables", name);
	tu_write(root, rel, t, len);
	free(rel);
	free(t);
}

/* A FADT of LEN bytes claiming CLAIMED bytes and revision REV, with HV (8 bytes) at 268 when it fits. */
static void write_fadt(const char *root, size_t len, uint32_t claimed, uint8_t rev, const char *oem,
                       const char *oem_table, const char *creator, const char *hv)
{
	size_t alloc = len < 276 ? 276 : len;
	uint8_t *t = mk_table(alloc, "FACP", claimed, rev, oem, oem_table, creator);
	if (hv)
		memcpy(t + 268, hv, 8);
	tu_write(root, "sys/firmware/acpi/tables/FACP", t, len);
	free(t);
}

static void mk_acpi_devices(const char *root, const char *const *names)
{
	for (; *names; names++) {
		char *rel = tu_path("sys/bus/acpi/devices", *names);
		tu_mkdirs(root, rel);
		free(rel);
	}
}

struct fx {
	struct sysroot_fx s;     /* first: sysroot_fx_free() frees the whole */
	struct acpi_facts a;
};

static int setup(void **state)
{
	*state = sysroot_fx_new(sizeof(struct fx), false);
	return 0;
}

static int setup_manual(void **state)
{
	*state = sysroot_fx_new(sizeof(struct fx), true);
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;
	acpi_facts_free(&fx->a);
	sysroot_fx_free(&fx->s);
	return 0;
}

static void run_probe(struct fx *fx)
{
	sysroot_fx_open(&fx->s);
	assert_int_equal(probe_acpi(fx->s.ctx, &fx->a), 0);
}

static const struct acpi_table *find(const struct acpi_facts *a, const char *sig)
{
	for (size_t i = 0; i < a->n_tables; i++)
		if (strcmp(a->tables[i].signature, sig) == 0)
			return &a->tables[i];
	return NULL;
}

/* ---- pure parser ---- */

static void test_parse_firecracker_header(void **state)
{
	(void)state;
	struct acpi_table t;
	assert_int_equal(acpi_parse_header(fc_apic, sizeof(fc_apic), &t), 0);
	assert_string_equal(t.signature, "APIC");
	assert_int_equal(t.length, 0x48);
	assert_int_equal(t.revision, 6);
	assert_string_equal(t.oem_id, "FIRECK");
	assert_string_equal(t.oem_table_id, "FCVMMADT");
	assert_string_equal(t.creator_id, "FCAT");
}

static void test_parse_truncated(void **state)
{
	(void)state;
	struct acpi_table t;
	memset(&t, 0xaa, sizeof(t));
	assert_int_equal(acpi_parse_header(fc_apic, 0, &t), -EBADMSG);
	assert_string_equal(t.signature, "");
	assert_int_equal(acpi_parse_header(fc_apic, 10, &t), -EBADMSG);
	assert_int_equal(acpi_parse_header(fc_apic, 35, &t), -EBADMSG);
	assert_string_equal(t.oem_id, "");
	assert_int_equal(acpi_parse_header(NULL, 36, &t), -EBADMSG);
	assert_int_equal(acpi_parse_header(fc_apic, 36, &t), 0);
}

static void test_parse_padding_and_garbage(void **state)
{
	(void)state;
	struct acpi_table t;
	uint8_t *b = mk_table(36, "DSDT", 36, 2, "BOCHS ", "BXPC    ", "BXPC");
	assert_int_equal(acpi_parse_header(b, 36, &t), 0);
	assert_string_equal(t.oem_id, "BOCHS");          /* blank padding removed */
	assert_string_equal(t.oem_table_id, "BXPC");
	free(b);

	b = mk_table(36, "FACP", 36, 4, "VMW\0\0\0", "VMW\0\0\0\0\0", "VMW\0");
	assert_int_equal(acpi_parse_header(b, 36, &t), 0);
	assert_string_equal(t.oem_id, "VMW");            /* NUL padding removed */
	assert_string_equal(t.creator_id, "VMW");
	free(b);

	/* Binary garbage is kept raw (JSON output escapes it); only trailing blanks/NULs go. */
	b = mk_table(36, "\xff\x01 \0", 0xffffffff, 0xff, "\x01\xfe\"\\\n ", "\x80\x81\0\x82\0\0  ", "\0\0\0\0");
	assert_int_equal(acpi_parse_header(b, 36, &t), 0);
	assert_memory_equal(t.signature, "\xff\x01\0", 3);
	assert_int_equal(t.length, 0xffffffffu);
	assert_int_equal(t.revision, 0xff);
	assert_string_equal(t.oem_id, "\x01\xfe\"\\\n");
	assert_int_equal(strlen(t.oem_table_id), 2);     /* stops at the embedded NUL */
	assert_memory_equal(t.oem_table_id, "\x80\x81", 3);
	assert_string_equal(t.creator_id, "");
	free(b);
}

static void test_fadt_hv_vendor(void **state)
{
	(void)state;
	char hv[9];
	uint8_t *b = mk_table(276, "FACP", 276, 6, "VRTUAL", "MICROSFT", "MSFT");

	memcpy(b + 268, "MsHyperV", 8);
	assert_int_equal(acpi_fadt_hv_vendor(b, 276, hv), 1);
	assert_string_equal(hv, "MsHyperV");
	/* Fewer bytes read than the id needs. */
	assert_int_equal(acpi_fadt_hv_vendor(b, 275, hv), 0);
	assert_string_equal(hv, "");
	/* Revision 5 FADTs have no such field, whatever the bytes say. */
	b[8] = 5;
	assert_int_equal(acpi_fadt_hv_vendor(b, 276, hv), 0);
	b[8] = 6;
	/* A table claiming fewer bytes than the id needs. */
	b[4] = 0x0c;
	b[5] = 0x01;   /* 268 */
	assert_int_equal(acpi_fadt_hv_vendor(b, 276, hv), 0);
	b[4] = 0x14;   /* 276 again */
	assert_int_equal(acpi_fadt_hv_vendor(b, 276, hv), 1);
	/* All zeros: not present. */
	memset(b + 268, 0, 8);
	assert_int_equal(acpi_fadt_hv_vendor(b, 276, hv), 0);
	assert_int_equal(acpi_fadt_hv_vendor(NULL, 276, hv), 0);
	free(b);
}

/* ---- trees ---- */

static void test_firecracker(void **state)
{
	struct fx *fx = *state;
	static const char *const devs[] = {
		"ACPI0013:00", "AMZNC10C:00", "LNXSYBUS:00", "LNXSYBUS:01", "LNXSYSTM:00", "PNP0303:00",
		"PNP0501:00", "PNP0A08:00", "VMGENCTR:00", "device:00", "device:01", "device:1f", NULL,
	};
	tu_write(fx->s.root, "sys/firmware/acpi/tables/APIC", fc_apic, sizeof(fc_apic));
	write_table(fx->s.root, "DSDT", 0xf53, 2, "FIRECK", "FCVMDSDT", "FCAT");
	write_table(fx->s.root, "MCFG", 0x3c, 1, "FIRECK", "FCMVMCFG", "FCAT");
	/* Firecracker's FADT: revision 6, 276 bytes, hypervisor id "FIRECKVM". */
	write_fadt(fx->s.root, 276, 276, 6, "FIRECK", "FCVMFADT", "FCAT", "FIRECKVM");
	tu_mkdirs(fx->s.root, "sys/firmware/acpi/tables/data");
	tu_mkdirs(fx->s.root, "sys/firmware/acpi/tables/dynamic");
	mk_acpi_devices(fx->s.root, devs);
	run_probe(fx);

	assert_true(fx->a.present);
	assert_int_equal(fx->a.n_tables, 4);   /* data/ and dynamic/ skipped */
	const char *order[] = { "APIC", "DSDT", "FACP", "MCFG" };
	for (size_t i = 0; i < 4; i++) {
		assert_string_equal(fx->a.tables[i].signature, order[i]);
		assert_string_equal(fx->a.tables[i].oem_id, "FIRECK");
		assert_string_equal(fx->a.tables[i].creator_id, "FCAT");
	}
	assert_string_equal(fx->a.tables[1].oem_table_id, "FCVMDSDT");
	assert_int_equal(fx->a.tables[1].length, 0xf53);
	assert_true(fx->a.fadt_hv_vendor_present);
	assert_string_equal(fx->a.fadt_hv_vendor, "FIRECKVM");

	const char *hids[] = { "ACPI0013", "AMZNC10C", "LNXSYBUS", "LNXSYSTM", "PNP0303",
	                       "PNP0501", "PNP0A08", "VMGENCTR", "device" };
	assert_int_equal(fx->a.n_hids, ARRAY_SIZE(hids));
	for (size_t i = 0; i < ARRAY_SIZE(hids); i++)
		assert_string_equal(fx->a.hids[i], hids[i]);
	assert_null(fx->a.hids[fx->a.n_hids]);
}

static void test_hyperv_gen2(void **state)
{
	struct fx *fx = *state;
	static const char *const devs[] = { "VMBUS:00", "VMBUS:01", "MSFT1000:00", "PNP0003:00", "ACPI0004:00", NULL };
	write_table(fx->s.root, "DSDT", 0x2000, 2, "MSFTVM", "DSDT01  ", "MSFT");
	write_table(fx->s.root, "APIC", 0x100, 4, "VRTUAL", "MICROSFT", "MSFT");
	write_table(fx->s.root, "WAET", 0x28, 1, "VRTUAL", "MICROSFT", "MSFT");
	write_fadt(fx->s.root, 276, 276, 6, "VRTUAL", "MICROSFT", "MSFT", "MsHyperV");
	mk_acpi_devices(fx->s.root, devs);
	run_probe(fx);

	assert_int_equal(fx->a.n_tables, 4);
	const struct acpi_table *dsdt = find(&fx->a, "DSDT");
	assert_non_null(dsdt);
	assert_string_equal(dsdt->oem_id, "MSFTVM");
	assert_string_equal(dsdt->oem_table_id, "DSDT01");
	const struct acpi_table *facp = find(&fx->a, "FACP");
	assert_non_null(facp);
	assert_string_equal(facp->oem_id, "VRTUAL");
	assert_string_equal(facp->oem_table_id, "MICROSFT");
	assert_string_equal(facp->creator_id, "MSFT");
	assert_int_equal(facp->revision, 6);
	assert_true(fx->a.fadt_hv_vendor_present);
	assert_string_equal(fx->a.fadt_hv_vendor, "MsHyperV");
	assert_int_equal(fx->a.n_hids, 4);
	assert_string_equal(fx->a.hids[0], "ACPI0004");
	assert_string_equal(fx->a.hids[1], "MSFT1000");
	assert_string_equal(fx->a.hids[2], "PNP0003");
	assert_string_equal(fx->a.hids[3], "VMBUS");
}

static void test_vmware(void **state)
{
	struct fx *fx = *state;
	static const char *const devs[] = { "VMW0005:00", "PNP0A03:00", NULL };
	write_table(fx->s.root, "DSDT", 0x10000, 1, "PTLTD ", "Custom  ", "MSFT");
	write_table(fx->s.root, "SRAT", 0x80, 2, "VMWARE", "MEMPLUG ", "VMW ");
	write_fadt(fx->s.root, 244, 244, 4, "INTEL ", "440BX   ", "PTL ", NULL);
	mk_acpi_devices(fx->s.root, devs);
	run_probe(fx);

	assert_string_equal(find(&fx->a, "DSDT")->oem_id, "PTLTD");
	assert_string_equal(find(&fx->a, "DSDT")->oem_table_id, "Custom");
	assert_string_equal(find(&fx->a, "SRAT")->oem_id, "VMWARE");
	assert_string_equal(find(&fx->a, "SRAT")->creator_id, "VMW");
	assert_string_equal(find(&fx->a, "FACP")->creator_id, "PTL");
	assert_false(fx->a.fadt_hv_vendor_present);
	assert_string_equal(fx->a.fadt_hv_vendor, "");
	assert_int_equal(fx->a.n_hids, 2);
	assert_string_equal(fx->a.hids[1], "VMW0005");
}

static void test_no_acpi(void **state)
{
	struct fx *fx = *state;
	tu_mkdirs(fx->s.root, "sys/firmware");
	run_probe(fx);
	assert_false(fx->a.present);
	assert_int_equal(fx->a.n_tables, 0);
	assert_null(fx->a.hids);
	assert_int_equal(fx->a.n_hids, 0);
	assert_false(fx->a.fadt_hv_vendor_present);
}

static void test_hostile_tables(void **state)
{
	struct fx *fx = *state;
	uint8_t *full = mk_table(36, "SSDT", 36, 2, "GOOD  ", "TABLE   ", "ASL ");

	tu_write(fx->s.root, "sys/firmware/acpi/tables/SSDT1", full, 0);
	tu_write(fx->s.root, "sys/firmware/acpi/tables/SSDT2", full, 10);
	tu_write(fx->s.root, "sys/firmware/acpi/tables/SSDT3", full, 35);
	tu_write(fx->s.root, "sys/firmware/acpi/tables/SSDT4", full, 36);
	free(full);
	/* Claims revision 6 and 276 bytes but holds only 100: no hypervisor id. */
	write_fadt(fx->s.root, 100, 276, 6, "VRTUAL", "MICROSFT", "MSFT", "MsHyperV");
	/* A directory and a FIFO where tables belong. */
	tu_mkdirs(fx->s.root, "sys/firmware/acpi/tables/BERT");
	char *fifo = tu_path(fx->s.root, "sys/firmware/acpi/tables/HEST");
	assert_int_equal(mkfifo(fifo, 0644), 0);
	free(fifo);
	/* A symlink loop, and a link out of the sysroot. */
	tu_symlink(fx->s.root, "sys/firmware/acpi/tables/LOOP", "LOOP");
	tu_symlink(fx->s.root, "sys/firmware/acpi/tables/OUTS", "/etc/passwd");
	/* A 2 MB table: only its header is read. */
	size_t big = 2u << 20;
	uint8_t *b = mk_table(big, "DSDT", (uint32_t)big, 2, "\x01\x02\x03\xff\xfe\xfd", "\0\0\0\0\0\0\0\0", "    ");
	tu_write(fx->s.root, "sys/firmware/acpi/tables/DSDT", b, big);
	free(b);
	/* The ACPI devices directory is a file. */
	tu_write_str(fx->s.root, "sys/bus/acpi/devices", "not a directory\n");
	run_probe(fx);

	assert_true(fx->a.present);
	/* DSDT FACP HEST LOOP OUTS SSDT1-4; BERT skipped. */
	assert_int_equal(fx->a.n_tables, 9);
	const char *sigs[] = { "DSDT", "FACP", "HEST", "LOOP", "OUTS", "SSDT", "SSDT", "SSDT", "SSDT" };
	for (size_t i = 0; i < ARRAY_SIZE(sigs); i++)
		assert_string_equal(fx->a.tables[i].signature, sigs[i]);
	assert_string_equal(fx->a.tables[0].oem_id, "\x01\x02\x03\xff\xfe\xfd");
	assert_string_equal(fx->a.tables[0].oem_table_id, "");
	assert_string_equal(fx->a.tables[0].creator_id, "");
	assert_int_equal(fx->a.tables[0].length, big);
	assert_string_equal(fx->a.tables[1].oem_id, "VRTUAL");
	assert_false(fx->a.fadt_hv_vendor_present);
	for (size_t i = 2; i < 8; i++) {
		assert_string_equal(fx->a.tables[i].oem_id, "");
		assert_int_equal(fx->a.tables[i].length, 0);
	}
	assert_string_equal(fx->a.tables[8].oem_id, "GOOD");
	assert_string_equal(fx->a.tables[8].creator_id, "ASL");
	assert_int_equal(fx->a.n_hids, 0);
}

static void test_many_tables_capped(void **state)
{
	struct fx *fx = *state;
	uint8_t *t = mk_table(36, "SSDT", 36, 2, "OEM   ", "T       ", "ASL ");
	for (unsigned i = 0; i < ACPI_MAX_TABLES + 50; i++) {
		char name[64];
		snprintf(name, sizeof(name), "sys/firmware/acpi/tables/SSDT%u", i);
		tu_write(fx->s.root, name, t, 36);
	}
	free(t);
	run_probe(fx);
	assert_int_equal(fx->a.n_tables, ACPI_MAX_TABLES);
}

static void test_hids_edge_cases(void **state)
{
	struct fx *fx = *state;
	/* Truncation reorders: "AB0:00" sorts before "AB:00", "AB" before "AB0". */
	static const char *const devs[] = { "AB0:00", "AB:00", "AB:01", "A:B:C", "NOCOLON", ":00", NULL };
	mk_acpi_devices(fx->s.root, devs);
	/* More distinct ids than the cap. */
	for (unsigned i = 0; i < ACPI_MAX_HIDS + 10; i++) {
		char name[64];
		snprintf(name, sizeof(name), "sys/bus/acpi/devices/ZZ%04u:00", i);
		tu_mkdirs(fx->s.root, name);
	}
	run_probe(fx);
	assert_false(fx->a.present);
	assert_int_equal(fx->a.n_hids, ACPI_MAX_HIDS);
	assert_string_equal(fx->a.hids[0], "A:B");
	assert_string_equal(fx->a.hids[1], "AB");
	assert_string_equal(fx->a.hids[2], "AB0");
	assert_string_equal(fx->a.hids[3], "NOCOLON");
	assert_string_equal(fx->a.hids[4], "ZZ0000");
	for (size_t i = 1; i < fx->a.n_hids; i++)
		assert_true(strcmp(fx->a.hids[i - 1], fx->a.hids[i]) < 0);
	assert_null(fx->a.hids[ACPI_MAX_HIDS]);
}

/* This machine's own tables, when there are any: every header must parse. */
static void test_live(void **state)
{
	(void)state;
	struct hvd_ctx *ctx = NULL;
	struct acpi_facts a;
	assert_int_equal(hvd_ctx_new(&ctx, "/"), 0);
	assert_int_equal(probe_acpi(ctx, &a), 0);
	if (a.present) {
		for (size_t i = 0; i < a.n_tables; i++)
			assert_int_equal(strlen(a.tables[i].signature), 4);
	}
	acpi_facts_free(&a);
	hvd_ctx_unref(ctx);
}

#define T(t) cmocka_unit_test_setup_teardown(t, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_firecracker_header), cmocka_unit_test(test_parse_truncated),
		cmocka_unit_test(test_parse_padding_and_garbage), cmocka_unit_test(test_fadt_hv_vendor),
		T(test_firecracker), T(test_hyperv_gen2), T(test_vmware), T(test_no_acpi),
		T(test_hostile_tables), cmocka_unit_test_setup_teardown(test_hostile_tables, setup_manual, teardown), T(test_many_tables_capped), T(test_hids_edge_cases),
		cmocka_unit_test(test_live),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
