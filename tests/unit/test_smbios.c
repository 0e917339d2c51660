/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The raw SMBIOS parser, on tables assembled by smbios_builder.h: real-looking ones and hostile ones. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <cmocka.h>

#include "facts.h"
#include "internal.h"
#include "probe/smbios.h"
#include "smbios_builder.h"

static void facts_init(struct dmi_facts *d)
{
	memset(d, 0, sizeof(*d));
}

#define assert_field(d, f, s)                                   \
	do {                                                    \
		assert_non_null((d)->field[f]);                 \
		assert_string_equal((d)->field[f], s);          \
	} while (0)

#define assert_problem(d, needle)                                                   \
	do {                                                                        \
		assert_non_null((d)->smbios_problem);                               \
		if (!strstr((d)->smbios_problem, needle))                           \
			fail_msg("problem \"%s\" lacks \"%s\"", (d)->smbios_problem, needle); \
	} while (0)

/* A VMware (BIOS firmware) table: Phoenix BIOS, SMBIOS 2.4. */
static void build_vmware(struct sb_table *t, bool end)
{
	uint8_t f[32];
	size_t n;

	n = sb_type0(f, 1, 2, 3, 0x10);
	sb_struct(t, 0, f, n, "Phoenix Technologies LTD", "6.00", "11/12/2020", NULL);
	n = sb_type1(f, 1, 2, 3, 4, 0, 0);
	sb_struct(t, 1, f, n, "VMware, Inc.", "VMware Virtual Platform", "None",
	          "VMware-56 4d 2b 1a 3c 5e 6f 70-81 92 a3 b4 c5 d6 e7 f8", NULL);
	uint8_t board[11] = { 1, 2, 3, 0, 0, 0x09, 0, 0, 0, 0x0a, 0 };
	sb_struct(t, 2, board, sizeof(board), "Intel Corporation", "440BX Desktop Reference Platform", "None", NULL);
	uint8_t chassis[9] = { 1, 0x01, 0, 0, 2, 3, 3, 3, 2 };
	sb_struct(t, 3, chassis, sizeof(chassis), "No Enclosure", "No Asset Tag", NULL);
	uint8_t oem[1] = { 2 };
	sb_struct(t, 11, oem, sizeof(oem), "[MS_VM_CERT/SHA1/27d66596a61c48dd3dc7216fd715126e33f59ae7]",
	          "Welcome to the Virtual Machine", NULL);
	if (end)
		sb_end(t);
}

static void test_vmware_ep2(void **state)
{
	(void)state;
	struct sb_table t = { 0 };
	struct dmi_facts d;
	uint8_t ep[31];

	build_vmware(&t, true);
	sb_ep2(ep, 2, 4, (uint16_t)t.len, (uint16_t)t.count);
	facts_init(&d);
	assert_int_equal(smbios_parse(ep, sizeof(ep), t.buf, t.len, &d), 1);
	assert_true(d.smbios);
	assert_null(d.smbios_problem);
	assert_int_equal(d.smbios_major, 2);
	assert_int_equal(d.smbios_minor, 4);
	assert_field(&d, DMI_BIOS_VENDOR, "Phoenix Technologies LTD");
	assert_field(&d, DMI_BIOS_VERSION, "6.00");
	assert_field(&d, DMI_BIOS_DATE, "11/12/2020");
	assert_field(&d, DMI_SYS_VENDOR, "VMware, Inc.");
	assert_field(&d, DMI_PRODUCT_NAME, "VMware Virtual Platform");
	assert_field(&d, DMI_PRODUCT_VERSION, "None");
	assert_field(&d, DMI_PRODUCT_SERIAL, "VMware-56 4d 2b 1a 3c 5e 6f 70-81 92 a3 b4 c5 d6 e7 f8");
	assert_null(d.field[DMI_PRODUCT_SKU]);      /* string number 0: none */
	assert_null(d.field[DMI_PRODUCT_FAMILY]);
	assert_field(&d, DMI_BOARD_VENDOR, "Intel Corporation");
	assert_field(&d, DMI_BOARD_NAME, "440BX Desktop Reference Platform");
	assert_field(&d, DMI_BOARD_VERSION, "None");
	assert_field(&d, DMI_CHASSIS_VENDOR, "No Enclosure");
	assert_field(&d, DMI_CHASSIS_TYPE, "1");
	assert_field(&d, DMI_CHASSIS_ASSET_TAG, "No Asset Tag");
	for (int i = 0; i < DMI_FIELD_COUNT; i++)
		assert_int_equal(d.field_src[i], d.field[i] ? SRC_SMBIOS : SRC_NONE);
	assert_int_equal(d.vm_bit, 1);
	assert_int_equal(d.uefi_bit, 0);
	assert_int_equal(d.n_oem_strings, 2);
	assert_string_equal(d.oem_strings[0], "[MS_VM_CERT/SHA1/27d66596a61c48dd3dc7216fd715126e33f59ae7]");
	assert_string_equal(d.oem_strings[1], "Welcome to the Virtual Machine");
	assert_null(d.oem_strings[2]);
	dmi_facts_free(&d);
	sb_free(&t);
}

/* A Hyper-V generation 2 table behind a 3.x entry point. */
static void build_hyperv_gen2(struct sb_table *t)
{
	uint8_t f[32];
	size_t n;

	n = sb_type0(f, 1, 2, 3, 0x18);
	sb_struct(t, 0, f, n, "Microsoft Corporation", "Hyper-V UEFI Release v4.1", "04/06/2022", NULL);
	n = sb_type1(f, 1, 2, 3, 4, 5, 6);
	sb_struct(t, 1, f, n, "Microsoft Corporation", "Virtual Machine", "Hyper-V UEFI Release v4.1",
	          "0000-0002-4851-0718-7734-2936-80", "None", "Virtual Machine", NULL);
	uint8_t board[11] = { 1, 2, 3, 4, 5, 0x09, 0, 0, 0, 0x0a, 0 };
	sb_struct(t, 2, board, sizeof(board), "Microsoft Corporation", "Virtual Machine",
	          "Hyper-V UEFI Release v4.1", "0000-0011-9412-8413-3617-5040-08", "None", NULL);
	/* Chassis type 3 (desktop) with the lock bit set. */
	uint8_t chassis[9] = { 1, 0x83, 2, 3, 4, 3, 3, 3, 2 };
	sb_struct(t, 3, chassis, sizeof(chassis), "Microsoft Corporation", "Hyper-V UEFI Release v4.1",
	          "6520-9357-8722-7712-6046-6939-05", "7783-7084-3265-9085-8269-3286-77   ", NULL);
	sb_end(t);
}

static void test_hyperv_gen2_ep3(void **state)
{
	(void)state;
	struct sb_table t = { 0 };
	struct dmi_facts d;
	uint8_t ep[24];

	build_hyperv_gen2(&t);
	/* The 3.x length is a maximum: a longer claim is not a problem. */
	sb_ep3(ep, 3, 1, (uint32_t)t.len + 4096);
	facts_init(&d);
	assert_int_equal(smbios_parse(ep, sizeof(ep), t.buf, t.len, &d), 1);
	assert_true(d.smbios);
	assert_null(d.smbios_problem);
	assert_int_equal(d.smbios_major, 3);
	assert_int_equal(d.smbios_minor, 1);
	assert_int_equal(d.vm_bit, 1);
	assert_int_equal(d.uefi_bit, 1);
	assert_field(&d, DMI_BIOS_VENDOR, "Microsoft Corporation");
	assert_field(&d, DMI_BIOS_VERSION, "Hyper-V UEFI Release v4.1");
	assert_field(&d, DMI_PRODUCT_NAME, "Virtual Machine");
	assert_field(&d, DMI_PRODUCT_SKU, "None");
	assert_field(&d, DMI_PRODUCT_FAMILY, "Virtual Machine");
	assert_field(&d, DMI_BOARD_VERSION, "Hyper-V UEFI Release v4.1");
	assert_field(&d, DMI_CHASSIS_TYPE, "3");
	assert_field(&d, DMI_CHASSIS_ASSET_TAG, "7783-7084-3265-9085-8269-3286-77");
	assert_null(d.oem_strings);
	assert_int_equal(d.n_oem_strings, 0);
	dmi_facts_free(&d);
	sb_free(&t);
}

/* Before 2.4 neither the extension byte 2 nor SKU/family exist, whatever the structure length. */
static void test_version_gating(void **state)
{
	(void)state;
	struct sb_table t = { 0 };
	struct dmi_facts d;
	uint8_t ep[31], f[32];
	size_t n;

	n = sb_type0(f, 1, 2, 0, 0x18);
	sb_struct(&t, 0, f, n, "American Megatrends Inc.", "090008  \t ", NULL);
	n = sb_type1(f, 1, 2, 0, 0, 1, 2);
	sb_struct(&t, 1, f, n, "Microsoft Corporation", "Virtual Machine", NULL);
	sb_end(&t);

	sb_ep2(ep, 2, 3, (uint16_t)t.len, (uint16_t)t.count);
	facts_init(&d);
	assert_int_equal(smbios_parse(ep, sizeof(ep), t.buf, t.len, &d), 1);
	assert_int_equal(d.vm_bit, -1);
	assert_int_equal(d.uefi_bit, -1);
	assert_field(&d, DMI_BIOS_VERSION, "090008");   /* trailing blanks stripped */
	assert_null(d.field[DMI_PRODUCT_SKU]);
	assert_null(d.field[DMI_PRODUCT_FAMILY]);
	dmi_facts_free(&d);

	/* The same table as 2.4 has them. */
	sb_ep2(ep, 2, 4, (uint16_t)t.len, (uint16_t)t.count);
	facts_init(&d);
	assert_int_equal(smbios_parse(ep, sizeof(ep), t.buf, t.len, &d), 1);
	assert_int_equal(d.vm_bit, 1);
	assert_int_equal(d.uefi_bit, 1);
	assert_field(&d, DMI_PRODUCT_SKU, "Microsoft Corporation");
	dmi_facts_free(&d);

	/* Version 2.51 (0x33) is a known BIOS mistake for 2.6. */
	sb_ep2(ep, 2, 0x33, (uint16_t)t.len, (uint16_t)t.count);
	facts_init(&d);
	assert_int_equal(smbios_parse(ep, sizeof(ep), t.buf, t.len, &d), 1);
	assert_int_equal(d.smbios_minor, 6);
	assert_int_equal(d.vm_bit, 1);
	dmi_facts_free(&d);
	sb_free(&t);

	/* A 2.4 type 0 too short for byte 0x13: unknown. */
	uint8_t short0[0x13 - 4] = { 1, 0, 0, 0, 0 };
	sb_struct(&t, 0, short0, sizeof(short0), "SeaBIOS", NULL);
	sb_end(&t);
	sb_ep2(ep, 2, 8, (uint16_t)t.len, (uint16_t)t.count);
	facts_init(&d);
	assert_int_equal(smbios_parse(ep, sizeof(ep), t.buf, t.len, &d), 1);
	assert_field(&d, DMI_BIOS_VENDOR, "SeaBIOS");
	assert_int_equal(d.vm_bit, -1);
	dmi_facts_free(&d);
	sb_free(&t);
}

static void test_sysfs_wins(void **state)
{
	(void)state;
	struct sb_table t = { 0 };
	struct dmi_facts d;
	uint8_t ep[24];

	build_vmware(&t, true);
	sb_ep3(ep, 3, 0, (uint32_t)t.len);
	facts_init(&d);
	d.field[DMI_SYS_VENDOR] = strdup("QEMU");
	d.field_src[DMI_SYS_VENDOR] = SRC_SYSFS;
	d.field[DMI_CHASSIS_TYPE] = strdup("17");
	d.field_src[DMI_CHASSIS_TYPE] = SRC_SYSFS;
	assert_int_equal(smbios_parse(ep, sizeof(ep), t.buf, t.len, &d), 1);
	assert_field(&d, DMI_SYS_VENDOR, "QEMU");
	assert_int_equal(d.field_src[DMI_SYS_VENDOR], SRC_SYSFS);
	assert_field(&d, DMI_CHASSIS_TYPE, "17");
	assert_int_equal(d.field_src[DMI_CHASSIS_TYPE], SRC_SYSFS);
	assert_field(&d, DMI_PRODUCT_NAME, "VMware Virtual Platform");
	assert_int_equal(d.field_src[DMI_PRODUCT_NAME], SRC_SMBIOS);
	dmi_facts_free(&d);
	sb_free(&t);
}

/* The first structure of a type wins, like the kernel's id files. */
static void test_first_structure_wins(void **state)
{
	(void)state;
	struct sb_table t = { 0 };
	struct dmi_facts d;
	uint8_t ep[24];
	uint8_t board[4] = { 1, 2, 0, 0 };

	sb_struct(&t, 2, board, sizeof(board), "First", "Board A", NULL);
	sb_struct(&t, 2, board, sizeof(board), "Second", "Board B", NULL);
	sb_end(&t);
	sb_ep3(ep, 3, 0, (uint32_t)t.len);
	facts_init(&d);
	assert_int_equal(smbios_parse(ep, sizeof(ep), t.buf, t.len, &d), 1);
	assert_field(&d, DMI_BOARD_VENDOR, "First");
	assert_field(&d, DMI_BOARD_NAME, "Board A");
	dmi_facts_free(&d);
	sb_free(&t);
}

static void test_oem_strings(void **state)
{
	(void)state;
	struct sb_table t = { 0 };
	struct dmi_facts d;
	uint8_t ep[24];
	/* Count 4, but only three strings exist and one is blank. */
	uint8_t four[1] = { 4 };
	sb_struct(&t, 11, four, sizeof(four), "vboxVer_7.0.14", "   ", "vboxRev_161095", NULL);
	uint8_t one[1] = { 1 };
	sb_struct(&t, 11, one, sizeof(one), "openstack-nova", NULL);
	sb_end(&t);
	sb_ep3(ep, 3, 2, (uint32_t)t.len);
	facts_init(&d);
	assert_int_equal(smbios_parse(ep, sizeof(ep), t.buf, t.len, &d), 1);
	assert_int_equal(d.n_oem_strings, 3);
	assert_string_equal(d.oem_strings[0], "vboxVer_7.0.14");
	assert_string_equal(d.oem_strings[1], "vboxRev_161095");
	assert_string_equal(d.oem_strings[2], "openstack-nova");
	assert_null(d.oem_strings[3]);
	dmi_facts_free(&d);
	sb_free(&t);
}

static void test_oem_strings_capped(void **state)
{
	(void)state;
	struct sb_table t = { 0 };
	struct dmi_facts d;
	uint8_t ep[24];
	char names[200][8];

	/* 200 strings through the byte-sized count, in one structure built by hand. */
	uint8_t hdr[5] = { 11, 5, 0, 0, 200 };
	sb_bytes(&t, hdr, sizeof(hdr));
	for (int i = 0; i < 200; i++) {
		snprintf(names[i], sizeof(names[i]), "s%03d", i);
		sb_bytes(&t, names[i], strlen(names[i]) + 1);
	}
	sb_bytes(&t, "", 1);
	t.count++;
	sb_end(&t);
	sb_ep3(ep, 3, 0, (uint32_t)t.len);
	facts_init(&d);
	assert_int_equal(smbios_parse(ep, sizeof(ep), t.buf, t.len, &d), 1);
	assert_int_equal(d.n_oem_strings, SMBIOS_MAX_OEM_STRINGS);
	assert_string_equal(d.oem_strings[0], "s000");
	assert_string_equal(d.oem_strings[SMBIOS_MAX_OEM_STRINGS - 1], "s063");
	assert_null(d.oem_strings[SMBIOS_MAX_OEM_STRINGS]);
	dmi_facts_free(&d);
	sb_free(&t);
}

static void test_long_string_capped_raw_bytes_kept(void **state)
{
	(void)state;
	struct sb_table t = { 0 };
	struct dmi_facts d;
	uint8_t ep[24], f[32];
	char *big = malloc(5001);
	memset(big, 'x', 5000);
	big[5000] = '\0';
	big[0] = '\x1b';   /* raw control and high bytes survive: escaping is the JSON layer's job */
	big[1] = '\xff';

	size_t n = sb_type1(f, 1, 2, 0, 0, 0, 0);
	sb_struct(&t, 1, f, n, big, "$(touch x)`touch y`'\"; touch z", NULL);
	sb_end(&t);
	sb_ep3(ep, 3, 0, (uint32_t)t.len);
	facts_init(&d);
	assert_int_equal(smbios_parse(ep, sizeof(ep), t.buf, t.len, &d), 1);
	assert_int_equal(strlen(d.field[DMI_SYS_VENDOR]), SMBIOS_MAX_STRING);
	assert_int_equal((unsigned char)d.field[DMI_SYS_VENDOR][0], 0x1b);
	assert_int_equal((unsigned char)d.field[DMI_SYS_VENDOR][1], 0xff);
	assert_field(&d, DMI_PRODUCT_NAME, "$(touch x)`touch y`'\"; touch z");
	dmi_facts_free(&d);
	sb_free(&t);
	free(big);
}

static void test_checksums_reported_not_fatal(void **state)
{
	(void)state;
	struct sb_table t = { 0 };
	struct dmi_facts d;
	uint8_t ep2[31], ep3[24];

	build_vmware(&t, true);
	sb_ep2(ep2, 2, 7, (uint16_t)t.len, (uint16_t)t.count);
	ep2[4]++;
	facts_init(&d);
	assert_int_equal(smbios_parse(ep2, sizeof(ep2), t.buf, t.len, &d), 1);
	assert_true(d.smbios);
	assert_problem(&d, "entry point checksum wrong");
	assert_field(&d, DMI_SYS_VENDOR, "VMware, Inc.");
	dmi_facts_free(&d);

	sb_ep2(ep2, 2, 7, (uint16_t)t.len, (uint16_t)t.count);
	ep2[0x15]++;   /* intermediate checksum; the outer one is now wrong too */
	facts_init(&d);
	assert_int_equal(smbios_parse(ep2, sizeof(ep2), t.buf, t.len, &d), 1);
	assert_problem(&d, "intermediate checksum wrong");
	assert_problem(&d, "entry point checksum wrong");
	dmi_facts_free(&d);

	sb_ep3(ep3, 3, 0, (uint32_t)t.len);
	ep3[5] ^= 0x55;
	facts_init(&d);
	assert_int_equal(smbios_parse(ep3, sizeof(ep3), t.buf, t.len, &d), 1);
	assert_problem(&d, "entry point checksum wrong");
	assert_int_equal(d.vm_bit, 1);
	dmi_facts_free(&d);

	/* A length byte beyond the buffer: the checksum cannot be computed, the table is still used. */
	sb_ep3(ep3, 3, 0, (uint32_t)t.len);
	ep3[6] = 32;
	facts_init(&d);
	assert_int_equal(smbios_parse(ep3, sizeof(ep3), t.buf, t.len, &d), 1);
	assert_problem(&d, "entry point length 32 invalid");
	dmi_facts_free(&d);
	sb_free(&t);
}

static void test_bad_entry_points(void **state)
{
	(void)state;
	struct sb_table t = { 0 };
	struct dmi_facts d;
	uint8_t ep2[31], ep3[24];

	build_vmware(&t, true);
	struct { const uint8_t *ep; size_t len; const char *problem; } cases[] = {
		{ NULL, 0, "entry point empty" },
		{ ep2, 0, "entry point empty" },
		{ ep2, 20, "entry point truncated (20 of 31 bytes)" },
		{ ep2, 4, "entry point truncated" },
		{ ep3, 23, "entry point truncated (23 of 24 bytes)" },
		{ ep3, 5, "entry point truncated" },
		{ ep3, 3, "no _SM_ or _SM3_ anchor" },
		{ (const uint8_t *)"_DMI_\0\0\0\0\0\0\0\0\0\0", 15, "no _SM_ or _SM3_ anchor" },
		{ (const uint8_t *)"garbage garbage garbage garbage", 31, "no _SM_ or _SM3_ anchor" },
	};
	sb_ep2(ep2, 2, 7, (uint16_t)t.len, (uint16_t)t.count);
	sb_ep3(ep3, 3, 0, (uint32_t)t.len);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		facts_init(&d);
		assert_int_equal(smbios_parse(cases[i].ep, cases[i].len, t.buf, t.len, &d), 0);
		assert_false(d.smbios);
		assert_problem(&d, cases[i].problem);
		assert_null(d.field[DMI_SYS_VENDOR]);
		assert_int_equal(d.vm_bit, -1);
		dmi_facts_free(&d);
	}

	/* _SM_ whose intermediate anchor is wrong. */
	sb_ep2(ep2, 2, 7, (uint16_t)t.len, (uint16_t)t.count);
	memcpy(ep2 + 0x10, "_DMX_", 5);
	facts_init(&d);
	assert_int_equal(smbios_parse(ep2, sizeof(ep2), t.buf, t.len, &d), 0);
	assert_problem(&d, "intermediate anchor _DMI_ missing");
	assert_false(d.smbios);
	dmi_facts_free(&d);
	sb_free(&t);
}

static void test_empty_table(void **state)
{
	(void)state;
	struct dmi_facts d;
	uint8_t ep[24];

	sb_ep3(ep, 3, 0, 100);
	facts_init(&d);
	assert_int_equal(smbios_parse(ep, sizeof(ep), NULL, 0, &d), 0);
	assert_false(d.smbios);
	assert_problem(&d, "table empty");
	assert_int_equal(d.smbios_major, 3);
	dmi_facts_free(&d);
}

static void test_table_shorter_than_claimed(void **state)
{
	(void)state;
	struct sb_table t = { 0 };
	struct dmi_facts d;
	uint8_t ep[31];

	build_vmware(&t, true);
	/* Whole structures, but fewer bytes than the 2.x entry point says. */
	sb_ep2(ep, 2, 7, (uint16_t)(t.len + 50), (uint16_t)(t.count + 3));
	facts_init(&d);
	assert_int_equal(smbios_parse(ep, sizeof(ep), t.buf, t.len, &d), 1);
	char want[80];
	snprintf(want, sizeof(want), "table shorter than the entry point says (%zu of %zu bytes)", t.len, t.len + 50);
	assert_problem(&d, want);
	assert_field(&d, DMI_SYS_VENDOR, "VMware, Inc.");
	assert_int_equal(d.n_oem_strings, 2);
	dmi_facts_free(&d);
	sb_free(&t);
}

static void test_table_cut_mid_structure(void **state)
{
	(void)state;
	struct sb_table t = { 0 };
	struct dmi_facts d;
	uint8_t ep[24], f[32];
	size_t n, off1, off2;

	n = sb_type0(f, 1, 2, 3, 0x10);
	sb_struct(&t, 0, f, n, "Phoenix Technologies LTD", "6.00", "11/12/2020", NULL);
	n = sb_type1(f, 1, 2, 0, 0, 0, 0);
	off1 = sb_struct(&t, 1, f, n, "VMware, Inc.", "VMware Virtual Platform", NULL);
	off2 = t.len;
	sb_end(&t);
	sb_ep3(ep, 3, 0, (uint32_t)t.len);

	/* Cut inside the strings of type 1: it is not decoded, type 0 is. */
	facts_init(&d);
	assert_int_equal(smbios_parse(ep, sizeof(ep), t.buf, off2 - 3, &d), 1);
	char want[80];
	snprintf(want, sizeof(want), "table truncated at offset 0x%zx", off1);
	assert_problem(&d, want);
	assert_problem(&d, "not terminated");
	assert_field(&d, DMI_BIOS_VENDOR, "Phoenix Technologies LTD");
	assert_null(d.field[DMI_SYS_VENDOR]);
	assert_int_equal(d.vm_bit, 1);
	dmi_facts_free(&d);

	/* Cut inside the formatted area of type 1, and inside its header. */
	for (size_t cut = off1 + 1; cut < off1 + 10; cut += 3) {
		facts_init(&d);
		assert_int_equal(smbios_parse(ep, sizeof(ep), t.buf, cut, &d), 1);
		assert_problem(&d, want);
		assert_null(d.field[DMI_SYS_VENDOR]);
		dmi_facts_free(&d);
	}

	/* Every possible cut of the first structure: rejected, never an out-of-bounds read. */
	for (size_t cut = 1; cut < off1; cut++) {
		uint8_t *copy = malloc(cut);   /* exact-size copy so ASan sees any overread */
		memcpy(copy, t.buf, cut);
		facts_init(&d);
		assert_int_equal(smbios_parse(ep, sizeof(ep), copy, cut, &d), 0);
		assert_false(d.smbios);
		assert_problem(&d, "table truncated at offset 0x0");
		dmi_facts_free(&d);
		free(copy);
	}
	sb_free(&t);
}

static void test_structure_length_below_header(void **state)
{
	(void)state;
	for (uint8_t l = 0; l < 4; l++) {
		struct sb_table t = { 0 };
		struct dmi_facts d;
		uint8_t ep[24];
		uint8_t board[4] = { 1, 0, 0, 0 };

		sb_struct(&t, 2, board, sizeof(board), "Board maker", NULL);
		size_t bad = t.len;
		uint8_t hdr[4] = { 1, l, 0x34, 0x12 };
		sb_bytes(&t, hdr, 4);
		sb_bytes(&t, "x\0\0", 3);
		sb_end(&t);
		sb_ep3(ep, 3, 0, (uint32_t)t.len);
		facts_init(&d);
		assert_int_equal(smbios_parse(ep, sizeof(ep), t.buf, t.len, &d), 1);
		char want[64];
		snprintf(want, sizeof(want), "structure at offset 0x%zx has length %u", bad, l);
		assert_problem(&d, want);
		assert_field(&d, DMI_BOARD_VENDOR, "Board maker");
		dmi_facts_free(&d);

		/* As the first structure: nothing usable. */
		facts_init(&d);
		assert_int_equal(smbios_parse(ep, sizeof(ep), t.buf + bad, t.len - bad, &d), 0);
		assert_false(d.smbios);
		assert_problem(&d, "structure at offset 0x0 has length");
		dmi_facts_free(&d);
		sb_free(&t);
	}
}

static void test_formatted_length_past_end(void **state)
{
	(void)state;
	struct dmi_facts d;
	uint8_t ep[24];
	uint8_t table[8] = { 1, 0xff, 0, 0, 1, 2, 0, 0 };

	sb_ep3(ep, 3, 0, sizeof(table));
	facts_init(&d);
	assert_int_equal(smbios_parse(ep, sizeof(ep), table, sizeof(table), &d), 0);
	assert_string_equal(d.smbios_problem, "table truncated at offset 0x0");
	dmi_facts_free(&d);

	/* One byte too long: caught by the length check, not only by the string scan after it. */
	table[1] = sizeof(table) + 1;
	facts_init(&d);
	assert_int_equal(smbios_parse(ep, sizeof(ep), table, sizeof(table), &d), 0);
	assert_string_equal(d.smbios_problem, "table truncated at offset 0x0");
	dmi_facts_free(&d);
}

static void test_unterminated_strings(void **state)
{
	(void)state;
	struct dmi_facts d;
	uint8_t ep[24];
	/* Type 1 whose last string has its NUL but no second one; then nothing. */
	uint8_t table[] = { 1, 8, 0, 0, 1, 2, 0, 0, 'A', 0, 'B', 0 };
	uint8_t nonul[] = { 1, 8, 0, 0, 1, 2, 0, 0, 'A', 0, 'B' };

	sb_ep3(ep, 3, 0, 1000);
	facts_init(&d);
	assert_int_equal(smbios_parse(ep, sizeof(ep), table, sizeof(table), &d), 0);
	assert_problem(&d, "strings of type 1 not terminated");
	assert_null(d.field[DMI_SYS_VENDOR]);
	dmi_facts_free(&d);

	facts_init(&d);
	assert_int_equal(smbios_parse(ep, sizeof(ep), nonul, sizeof(nonul), &d), 0);
	assert_problem(&d, "not terminated");
	dmi_facts_free(&d);

	/* Formatted area filling the table exactly: no room for a terminator. */
	facts_init(&d);
	assert_int_equal(smbios_parse(ep, sizeof(ep), table, 8, &d), 0);
	assert_problem(&d, "not terminated");
	dmi_facts_free(&d);
}

static void test_string_index_beyond_set(void **state)
{
	(void)state;
	struct sb_table t = { 0 };
	struct dmi_facts d;
	uint8_t ep[24], f[32];

	size_t n = sb_type1(f, 1, 255, 3, 2, 0, 0);
	sb_struct(&t, 1, f, n, "Maker", "Second", NULL);
	/* No strings at all, every index points nowhere. */
	uint8_t board[4] = { 1, 2, 255, 0 };
	sb_struct(&t, 2, board, sizeof(board), NULL);
	sb_end(&t);
	sb_ep3(ep, 3, 0, (uint32_t)t.len);
	facts_init(&d);
	assert_int_equal(smbios_parse(ep, sizeof(ep), t.buf, t.len, &d), 1);
	assert_null(d.smbios_problem);
	assert_field(&d, DMI_SYS_VENDOR, "Maker");
	assert_null(d.field[DMI_PRODUCT_NAME]);
	assert_null(d.field[DMI_PRODUCT_VERSION]);
	assert_field(&d, DMI_PRODUCT_SERIAL, "Second");
	assert_null(d.field[DMI_BOARD_VENDOR]);
	assert_null(d.field[DMI_BOARD_NAME]);
	dmi_facts_free(&d);
	sb_free(&t);
}

static void test_end_of_table_and_limits(void **state)
{
	(void)state;
	struct sb_table t = { 0 };
	struct dmi_facts d;
	uint8_t ep3[24], ep2[31];
	uint8_t board[4] = { 1, 0, 0, 0 };

	sb_struct(&t, 2, board, sizeof(board), "Before", NULL);
	sb_end(&t);
	size_t end = t.len;
	uint8_t chassis[5] = { 1, 1, 0, 0, 0 };
	sb_struct(&t, 3, chassis, sizeof(chassis), "After", NULL);

	/* Type 127 ends the walk. */
	sb_ep3(ep3, 3, 0, (uint32_t)t.len);
	facts_init(&d);
	assert_int_equal(smbios_parse(ep3, sizeof(ep3), t.buf, t.len, &d), 1);
	assert_field(&d, DMI_BOARD_VENDOR, "Before");
	assert_null(d.field[DMI_CHASSIS_VENDOR]);
	dmi_facts_free(&d);


	/* The 3.x maximum is honoured even when the file is longer. */
	sb_ep3(ep3, 3, 0, (uint32_t)(end - 2));
	facts_init(&d);
	assert_int_equal(smbios_parse(ep3, sizeof(ep3), t.buf, t.len, &d), 1);
	assert_problem(&d, "table truncated");
	assert_field(&d, DMI_BOARD_VENDOR, "Before");
	dmi_facts_free(&d);
	sb_free(&t);

	/* The 2.x structure count ends the walk before any end-of-table structure. */
	sb_struct(&t, 2, board, sizeof(board), "Board", NULL);
	sb_struct(&t, 3, chassis, sizeof(chassis), "Chassis", NULL);
	sb_end(&t);
	for (uint16_t count = 1; count <= 3; count++) {
		sb_ep2(ep2, 2, 7, (uint16_t)t.len, count);
		facts_init(&d);
		assert_int_equal(smbios_parse(ep2, sizeof(ep2), t.buf, t.len, &d), 1);
		assert_null(d.smbios_problem);
		assert_field(&d, DMI_BOARD_VENDOR, "Board");
		if (count == 1)
			assert_null(d.field[DMI_CHASSIS_VENDOR]);
		else
			assert_field(&d, DMI_CHASSIS_VENDOR, "Chassis");
		dmi_facts_free(&d);
	}
	sb_free(&t);
}

static void test_too_many_structures(void **state)
{
	(void)state;
	struct sb_table t = { 0 };
	struct dmi_facts d;
	uint8_t ep3[24], ep2[31];
	uint8_t f[32];

	for (unsigned i = 0; i < SMBIOS_MAX_STRUCTURES; i++)
		sb_struct(&t, 200, NULL, 0, NULL);
	size_t n = sb_type1(f, 1, 0, 0, 0, 0, 0);
	sb_struct(&t, 1, f, n, "Hidden", NULL);
	for (unsigned i = 0; i < 1000; i++)
		sb_struct(&t, 200, NULL, 0, NULL);

	sb_ep3(ep3, 3, 0, (uint32_t)t.len);
	facts_init(&d);
	assert_int_equal(smbios_parse(ep3, sizeof(ep3), t.buf, t.len, &d), 1);
	char want[80];
	snprintf(want, sizeof(want), "more than 65536 structures, stopped at offset 0x%x", SMBIOS_MAX_STRUCTURES * 6);
	assert_problem(&d, want);
	assert_null(d.field[DMI_SYS_VENDOR]);
	dmi_facts_free(&d);

	/* A 2.x table claims at most 64K bytes; a count of 0xffff over a short table ends at its end. */
	sb_ep2(ep2, 2, 7, 0xffff, 0xffff);
	facts_init(&d);
	assert_int_equal(smbios_parse(ep2, sizeof(ep2), t.buf, 0xffff, &d), 1);
	assert_problem(&d, "table truncated at offset 0xfffc");   /* 0xffff = 10922 * 6 + 3 */
	dmi_facts_free(&d);
	sb_free(&t);
}

/* Deterministic garbage: entry points with valid anchors over random tables, and random entry points. */
static uint32_t lcg(uint32_t *s)
{
	*s = *s * 1664525u + 1013904223u;
	return *s >> 8;
}

static void test_garbage(void **state)
{
	(void)state;
	uint32_t seed = 12345;
	uint8_t ep3[24], ep2[31];

	for (int round = 0; round < 3000; round++) {
		size_t len = lcg(&seed) % 700;
		uint8_t *table = malloc(len ? len : 1);
		/* Bias towards small bytes so that lengths and string numbers hit interesting values. */
		for (size_t i = 0; i < len; i++)
			table[i] = (uint8_t)(lcg(&seed) % (round % 2 ? 256 : 8));
		struct dmi_facts d;
		facts_init(&d);
		int r;
		if (round % 3 == 0) {
			sb_ep2(ep2, 2, (uint8_t)(lcg(&seed) % 9), (uint16_t)len, (uint16_t)(lcg(&seed) % 50));
			r = smbios_parse(ep2, sizeof(ep2), table, len, &d);
		} else if (round % 3 == 1) {
			sb_ep3(ep3, 3, 0, (uint32_t)(lcg(&seed) % 1000));
			r = smbios_parse(ep3, sizeof(ep3), table, len, &d);
		} else {
			uint8_t ep[32];
			for (size_t i = 0; i < sizeof(ep); i++)
				ep[i] = (uint8_t)lcg(&seed);
			memcpy(ep, round % 4 ? "_SM3_" : "_SM_", round % 4 ? 5 : 4);
			r = smbios_parse(ep, lcg(&seed) % 33, table, len, &d);
		}
		assert_true(r == 0 || r == 1);
		assert_int_equal(d.smbios, r == 1);
		if (!d.smbios)
			assert_non_null(d.smbios_problem);
		for (int f = 0; f < DMI_FIELD_COUNT; f++)
			if (d.field[f])
				assert_true(strlen(d.field[f]) > 0 && strlen(d.field[f]) <= SMBIOS_MAX_STRING);
		assert_true(d.n_oem_strings <= SMBIOS_MAX_OEM_STRINGS);
		assert_true(d.vm_bit >= -1 && d.vm_bit <= 1);
		dmi_facts_free(&d);
		free(table);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vmware_ep2),
		cmocka_unit_test(test_hyperv_gen2_ep3),
		cmocka_unit_test(test_version_gating),
		cmocka_unit_test(test_sysfs_wins),
		cmocka_unit_test(test_first_structure_wins),
		cmocka_unit_test(test_oem_strings),
		cmocka_unit_test(test_oem_strings_capped),
		cmocka_unit_test(test_long_string_capped_raw_bytes_kept),
		cmocka_unit_test(test_checksums_reported_not_fatal),
		cmocka_unit_test(test_bad_entry_points),
		cmocka_unit_test(test_empty_table),
		cmocka_unit_test(test_table_shorter_than_claimed),
		cmocka_unit_test(test_table_cut_mid_structure),
		cmocka_unit_test(test_structure_length_below_header),
		cmocka_unit_test(test_formatted_length_past_end),
		cmocka_unit_test(test_unterminated_strings),
		cmocka_unit_test(test_string_index_beyond_set),
		cmocka_unit_test(test_end_of_table_and_limits),
		cmocka_unit_test(test_too_many_structures),
		cmocka_unit_test(test_garbage),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
