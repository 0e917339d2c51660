/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* PCI probe: modalias parsing, the id-file fallback, hostile trees, and the device cap. */
#include "testutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <cmocka.h>

#include "facts.h"
#include "probe/pci.h"
#include "sysroot.h"
#include "sysroot_fx.h"

/* The modaliases of this Firecracker guest (cat /sys/bus/pci/devices/ * /modalias). */
static const struct {
	const char *slot, *modalias;
	uint16_t v, d, sv, sd;
	uint32_t cls;
} firecracker[] = {
	{ "0000:00:00.0", "pci:v00008086d00000D57sv00000000sd00000000bc06sc00i00\n", 0x8086, 0x0d57, 0, 0, 0x060000 },
	{ "0000:00:01.0", "pci:v00001AF4d00001045sv00001AF4sd00001045bcFFscFFi00\n", 0x1af4, 0x1045, 0x1af4, 0x1045, 0xffff00 },
	{ "0000:00:02.0", "pci:v00001AF4d00001042sv00001AF4sd00001042bc01sc80i00\n", 0x1af4, 0x1042, 0x1af4, 0x1042, 0x018000 },
	{ "0000:00:03.0", "pci:v00001AF4d00001041sv00001AF4sd00001041bc02sc00i00\n", 0x1af4, 0x1041, 0x1af4, 0x1041, 0x020000 },
	{ "0000:00:04.0", "pci:v00001AF4d00001053sv00001AF4sd00001053bcFFscFFi00\n", 0x1af4, 0x1053, 0x1af4, 0x1053, 0xffff00 },
	{ "0000:00:05.0", "pci:v00001AF4d00001044sv00001AF4sd00001044bcFFscFFi00\n", 0x1af4, 0x1044, 0x1af4, 0x1044, 0xffff00 },
};

/* The device directory lives under sys/devices; sys/bus/pci/devices/SLOT links to it, as in sysfs. */
static void mk_device(const char *root, const char *slot)
{
	char rel[256], target[256];
	snprintf(rel, sizeof(rel), "sys/devices/pci0000:00/%s", slot);
	tu_mkdirs(root, rel);
	tu_mkdirs(root, "sys/bus/pci/devices");
	snprintf(rel, sizeof(rel), "sys/bus/pci/devices/%s", slot);
	snprintf(target, sizeof(target), "../../../devices/pci0000:00/%s", slot);
	tu_symlink(root, rel, target);
}

static void dev_file(const char *root, const char *slot, const char *file, const char *content)
{
	char rel[256];
	snprintf(rel, sizeof(rel), "sys/devices/pci0000:00/%s/%s", slot, file);
	tu_write_str(root, rel, content);
}

struct fx {
	struct sysroot_fx s;     /* first: sysroot_fx_free() frees the whole */
	struct pci_facts p;
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
	pci_facts_free(&fx->p);
	sysroot_fx_free(&fx->s);
	return 0;
}

static void run_probe(struct fx *fx)
{
	sysroot_fx_open(&fx->s);
	assert_int_equal(probe_pci(fx->s.ctx, &fx->p), 0);
}

static const struct pci_device *find(const struct pci_facts *p, const char *slot)
{
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->devs[i].slot, slot) == 0)
			return &p->devs[i];
	return NULL;
}

/* ---- pure parsers ---- */

static void test_parse_modalias(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(firecracker); i++) {
		struct pci_device d = { 0 };
		const char *m = firecracker[i].modalias;
		assert_int_equal(pci_parse_modalias(m, strlen(m), &d), 0);
		assert_int_equal(d.vendor, firecracker[i].v);
		assert_int_equal(d.device, firecracker[i].d);
		assert_int_equal(d.subvendor, firecracker[i].sv);
		assert_int_equal(d.subdevice, firecracker[i].sd);
		assert_int_equal(d.class_code, firecracker[i].cls);
		assert_null(d.slot);
	}
	struct pci_device d = { 0 };
	const char *lower = "pci:v00001414d00005353sv00001414sd00005353bc03sc00i00";
	assert_int_equal(pci_parse_modalias(lower, strlen(lower), &d), 0);
	assert_int_equal(d.vendor, 0x1414);
	assert_int_equal(d.device, 0x5353);
	assert_int_equal(d.class_code, 0x030000);
	const char *lc = "pci:v000015add00000405sv000015adsd00000405bc03sc00i00";
	assert_int_equal(pci_parse_modalias(lc, strlen(lc), &d), 0);
	assert_int_equal(d.vendor, 0x15ad);
}

static void test_parse_modalias_malformed(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"",
		"pci:",
		"usb:v00001AF4d00001045sv00001AF4sd00001045bcFFscFFi00",
		"pci:v00001AF4d00001045sv00001AF4sd00001045bcFFscFFi0",     /* short */
		"pci:v00001AF4d00001045sv00001AF4sd00001045bcFFscFFi00x",   /* trailing */
		"pci:v00001AF4d00001045sv00001AF4sd00001045bcFFscFF",
		"pci:v0000 AF4d00001045sv00001AF4sd00001045bcFFscFFi00",
		"pci:v00001AF4d00001045sv00001AF4sd00001045bcGGscFFi00",
		"pci:v00011AF4d00001045sv00001AF4sd00001045bcFFscFFi00",    /* vendor > 16 bits */
		"pci:v00001AF4d00001045sv00001AF4sd0000104bcFFscFFi00",
		"pci:v00001AF4d00001045sd00001AF4sv00001045bcFFscFFi00",    /* fields swapped */
		"pci:v00001AF4d00001045sv00001AF4sd00001045bcFFscFFi00\nextra",
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct pci_device d = { 0 };
		if (pci_parse_modalias(bad[i], strlen(bad[i]), &d) != -EBADMSG)
			fail_msg("accepted \"%s\"", bad[i]);
	}
	/* Embedded NUL: only LEN counts. */
	const char nul[] = "pci:v00001AF4d00001045sv00001AF4sd00001045bcFF\0cFFi00";
	struct pci_device d = { 0 };
	assert_int_equal(pci_parse_modalias(nul, sizeof(nul) - 1, &d), -EBADMSG);
	assert_int_equal(pci_parse_modalias(NULL, 0, &d), -EBADMSG);
}

static void test_parse_id(void **state)
{
	(void)state;
	uint32_t v = 0;
	assert_int_equal(pci_parse_id("0x1af4", 0xffff, &v), 0);
	assert_int_equal(v, 0x1af4);
	assert_int_equal(pci_parse_id("0x1414\n", 0xffff, &v), 0);
	assert_int_equal(v, 0x1414);
	assert_int_equal(pci_parse_id("0x030000", 0xffffff, &v), 0);
	assert_int_equal(v, 0x030000);
	assert_int_equal(pci_parse_id("15AD", 0xffff, &v), 0);
	assert_int_equal(v, 0x15ad);
	assert_int_equal(pci_parse_id("0x10000", 0xffff, &v), -EBADMSG);
	assert_int_equal(pci_parse_id("0x", 0xffff, &v), -EBADMSG);
	assert_int_equal(pci_parse_id("", 0xffff, &v), -EBADMSG);
	assert_int_equal(pci_parse_id("0x12g4", 0xffff, &v), -EBADMSG);
	assert_int_equal(pci_parse_id("0x1af4\nx", 0xffff, &v), -EBADMSG);
	assert_int_equal(pci_parse_id("0x0000000000001af4", 0xffffffff, &v), -EBADMSG);
	assert_int_equal(pci_parse_id(NULL, 0xffff, &v), -EBADMSG);
}

/* ---- trees ---- */

static void test_firecracker(void **state)
{
	struct fx *fx = *state;
	for (size_t i = 0; i < ARRAY_SIZE(firecracker); i++) {
		mk_device(fx->s.root, firecracker[i].slot);
		dev_file(fx->s.root, firecracker[i].slot, "modalias", firecracker[i].modalias);
		/* Contradicting id files: they must not be read when the modalias is good. */
		dev_file(fx->s.root, firecracker[i].slot, "vendor", "0xdead\n");
	}
	run_probe(fx);
	assert_true(fx->p.present);
	assert_int_equal(fx->p.n, ARRAY_SIZE(firecracker));
	for (size_t i = 0; i < ARRAY_SIZE(firecracker); i++) {
		const struct pci_device *d = &fx->p.devs[i];
		assert_string_equal(d->slot, firecracker[i].slot);
		assert_int_equal(d->vendor, firecracker[i].v);
		assert_int_equal(d->device, firecracker[i].d);
		assert_int_equal(d->subvendor, firecracker[i].sv);
		assert_int_equal(d->subdevice, firecracker[i].sd);
		assert_int_equal(d->class_code, firecracker[i].cls);
	}
}

/* Hyper-V gen1: legacy PCI (PIIX4, Hyper-V video), here with old-style id files only. */
static void test_hyperv_gen1_id_files(void **state)
{
	struct fx *fx = *state;
	mk_device(fx->s.root, "0000:00:08.0");
	dev_file(fx->s.root, "0000:00:08.0", "vendor", "0x1414\n");
	dev_file(fx->s.root, "0000:00:08.0", "device", "0x5353\n");
	dev_file(fx->s.root, "0000:00:08.0", "subsystem_vendor", "0x0000\n");
	dev_file(fx->s.root, "0000:00:08.0", "subsystem_device", "0x0000\n");
	dev_file(fx->s.root, "0000:00:08.0", "class", "0x030000\n");
	mk_device(fx->s.root, "0000:00:07.1");
	dev_file(fx->s.root, "0000:00:07.1", "modalias", "pci:v00008086d00007111sv00001414sd00000000bc01sc01i80\n");
	run_probe(fx);
	assert_int_equal(fx->p.n, 2);
	const struct pci_device *vid = find(&fx->p, "0000:00:08.0");
	assert_non_null(vid);
	assert_int_equal(vid->vendor, 0x1414);
	assert_int_equal(vid->device, 0x5353);
	assert_int_equal(vid->class_code, 0x030000);
	const struct pci_device *ide = find(&fx->p, "0000:00:07.1");
	assert_non_null(ide);
	assert_int_equal(ide->vendor, 0x8086);
	assert_int_equal(ide->device, 0x7111);
	assert_int_equal(ide->subvendor, 0x1414);
	assert_int_equal(ide->class_code, 0x010180);
}

static void test_malformed_modalias(void **state)
{
	struct fx *fx = *state;
	/* Malformed, with good id files: the files are used. */
	mk_device(fx->s.root, "0000:00:01.0");
	dev_file(fx->s.root, "0000:00:01.0", "modalias", "pci:vGARBAGE\n");
	dev_file(fx->s.root, "0000:00:01.0", "vendor", "0x15ad\n");
	dev_file(fx->s.root, "0000:00:01.0", "device", "0x07b0\n");
	/* Malformed, no id files: nothing known, the device is left out. */
	mk_device(fx->s.root, "0000:00:02.0");
	dev_file(fx->s.root, "0000:00:02.0", "modalias", "\xff\xfe\x00\x01 binary");
	/* Malformed, bad id files. */
	mk_device(fx->s.root, "0000:00:03.0");
	dev_file(fx->s.root, "0000:00:03.0", "modalias", "");
	dev_file(fx->s.root, "0000:00:03.0", "vendor", "0x123456\n");
	dev_file(fx->s.root, "0000:00:03.0", "device", "0x0001\n");
	/* Bad optional id files read as zero. */
	mk_device(fx->s.root, "0000:00:04.0");
	dev_file(fx->s.root, "0000:00:04.0", "vendor", "0x1af4\n");
	dev_file(fx->s.root, "0000:00:04.0", "device", "0x1000\n");
	dev_file(fx->s.root, "0000:00:04.0", "class", "junk\n");
	run_probe(fx);
	assert_int_equal(fx->p.n, 2);
	assert_string_equal(fx->p.devs[0].slot, "0000:00:01.0");
	assert_int_equal(fx->p.devs[0].vendor, 0x15ad);
	assert_int_equal(fx->p.devs[0].device, 0x07b0);
	assert_int_equal(fx->p.devs[0].class_code, 0);
	assert_string_equal(fx->p.devs[1].slot, "0000:00:04.0");
	assert_int_equal(fx->p.devs[1].vendor, 0x1af4);
	assert_int_equal(fx->p.devs[1].class_code, 0);
}

static void test_hostile_tree(void **state)
{
	struct fx *fx = *state;
	mk_device(fx->s.root, "0000:00:01.0");
	dev_file(fx->s.root, "0000:00:01.0", "modalias", firecracker[1].modalias);
	/* Loops, a link out of the sysroot, a file and a FIFO where devices belong. */
	tu_symlink(fx->s.root, "sys/bus/pci/devices/0000:00:02.0", "0000:00:02.0");
	tu_symlink(fx->s.root, "sys/bus/pci/devices/0000:00:03.0", "0000:00:04.0");
	tu_symlink(fx->s.root, "sys/bus/pci/devices/0000:00:04.0", "0000:00:03.0");
	tu_symlink(fx->s.root, "sys/bus/pci/devices/0000:00:05.0", "/sys/devices/pci0000:00/0000:00:01.0/../../../../../../..");
	tu_write_str(fx->s.root, "sys/bus/pci/devices/0000:00:06.0", "file\n");
	char *fifo = tu_path(fx->s.root, "sys/bus/pci/devices/0000:00:07.0");
	assert_int_equal(mkfifo(fifo, 0644), 0);
	free(fifo);
	/* A FIFO and a directory where the modalias belongs. */
	mk_device(fx->s.root, "0000:00:08.0");
	fifo = tu_path(fx->s.root, "sys/devices/pci0000:00/0000:00:08.0/modalias");
	assert_int_equal(mkfifo(fifo, 0644), 0);
	free(fifo);
	mk_device(fx->s.root, "0000:00:09.0");
	tu_mkdirs(fx->s.root, "sys/devices/pci0000:00/0000:00:09.0/modalias");
	/* A 3 MB modalias. */
	mk_device(fx->s.root, "0000:00:0a.0");
	size_t big = 3u << 20;
	char *b = malloc(big);
	memset(b, 'A', big);
	char *rel = tu_path("sys/devices/pci0000:00/0000:00:0a.0", "modalias");
	tu_write(fx->s.root, rel, b, big);
	free(rel);
	free(b);
	run_probe(fx);
	assert_true(fx->p.present);
	assert_int_equal(fx->p.n, 1);
	assert_string_equal(fx->p.devs[0].slot, "0000:00:01.0");
	assert_int_equal(fx->p.devs[0].device, 0x1045);
}

static void test_no_pci(void **state)
{
	struct fx *fx = *state;
	tu_mkdirs(fx->s.root, "sys/bus");
	run_probe(fx);
	assert_false(fx->p.present);
	assert_int_equal(fx->p.n, 0);
	assert_null(fx->p.devs);
}

static void test_empty_bus(void **state)
{
	struct fx *fx = *state;
	tu_mkdirs(fx->s.root, "sys/bus/pci/devices");
	run_probe(fx);
	assert_true(fx->p.present);
	assert_int_equal(fx->p.n, 0);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_many_devices(void **state)
{
	struct fx *fx = *state;
	const unsigned count = 5000;
	for (unsigned i = 0; i < count; i++) {
		char rel[128], alias[128];
		snprintf(rel, sizeof(rel), "sys/bus/pci/devices/0000:%02x:%02x.%u/modalias", i / 256, (i / 8) % 32, i % 8);
		snprintf(alias, sizeof(alias), "pci:v00001AF4d%08Xsv00001AF4sd00000001bc02sc00i00\n", 0x1000 + i);
		tu_write_str(fx->s.root, rel, alias);
	}
	double t0 = now();
	run_probe(fx);
	double elapsed = now() - t0;
	print_message("5000 PCI devices: %u read in %.1f ms\n", PCI_MAX_DEVICES, elapsed * 1e3);
	assert_true(fx->p.present);
	assert_int_equal(fx->p.n, PCI_MAX_DEVICES);
	/* The first devices in slot order, each with its own id. */
	assert_string_equal(fx->p.devs[0].slot, "0000:00:00.0");
	assert_int_equal(fx->p.devs[0].device, 0x1000);
	assert_int_equal(fx->p.devs[PCI_MAX_DEVICES - 1].device, 0x1000 + PCI_MAX_DEVICES - 1);
}

/* This machine: every device it lists has a readable modalias, so all are kept. */
static void test_live(void **state)
{
	(void)state;
	struct hvd_ctx *ctx = NULL;
	struct pci_facts p;
	char **names = NULL;
	size_t n = 0;
	assert_int_equal(hvd_ctx_new(&ctx, "/"), 0);
	assert_int_equal(probe_pci(ctx, &p), 0);
	if (sysroot_list(ctx, "sys/bus/pci/devices", &names, &n) == 0) {
		assert_true(p.present);
		assert_int_equal(p.n, n < PCI_MAX_DEVICES ? n : PCI_MAX_DEVICES);
		for (size_t i = 0; i < p.n; i++)
			assert_int_not_equal(p.devs[i].vendor, 0);
		strv_free(names);
	} else {
		assert_false(p.present);
	}
	pci_facts_free(&p);
	hvd_ctx_unref(ctx);
}

#define T(t) cmocka_unit_test_setup_teardown(t, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_modalias), cmocka_unit_test(test_parse_modalias_malformed),
		cmocka_unit_test(test_parse_id),
		T(test_firecracker), T(test_hyperv_gen1_id_files), T(test_malformed_modalias),
		T(test_hostile_tree), cmocka_unit_test_setup_teardown(test_hostile_tree, setup_manual, teardown), T(test_no_pci), T(test_empty_bus), T(test_many_devices),
		cmocka_unit_test(test_live),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
