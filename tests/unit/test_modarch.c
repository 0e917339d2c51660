/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The architecture of a module tree (lib/select/modarch.h): ELF headers of every
 * byte order and class, trees whose first modules say nothing, and Debian's real
 * kernel when tests/kernel/fetch-kernel has it.
 */
#include "testutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "base/internal.h"
#include "modarch.h"

/* An ELF header prefix: class, byte order and e_machine; the rest zero. */
static void elf(unsigned char h[20], int cls, int data, unsigned machine)
{
	memset(h, 0, 20);
	memcpy(h, "\177ELF", 4);
	h[4] = (unsigned char)cls;
	h[5] = (unsigned char)data;
	h[6] = 1;
	if (data == 1) {
		h[18] = machine & 0xff;
		h[19] = machine >> 8;
	} else {
		h[18] = machine >> 8;
		h[19] = machine & 0xff;
	}
}

static void test_headers(void **state)
{
	(void)state;
	unsigned char h[20];

	elf(h, 2, 1, 62);
	assert_string_equal(elf_header_arch(h, 20), "x86_64");
	elf(h, 1, 1, 3);
	assert_string_equal(elf_header_arch(h, 20), "i686");
	elf(h, 2, 1, 183);
	assert_string_equal(elf_header_arch(h, 20), "aarch64");
	elf(h, 1, 1, 40);
	assert_string_equal(elf_header_arch(h, 20), "armv7l");
	/* e_machine is read in the file's own byte order. */
	elf(h, 2, 1, 21);
	assert_string_equal(elf_header_arch(h, 20), "ppc64le");
	elf(h, 2, 2, 21);
	assert_string_equal(elf_header_arch(h, 20), "ppc64");
	elf(h, 2, 2, 22);
	assert_string_equal(elf_header_arch(h, 20), "s390x");
	elf(h, 2, 1, 243);
	assert_string_equal(elf_header_arch(h, 20), "riscv64");

	/* Not an answer: short, not ELF, a bad class or byte order, a class the machine never has. */
	elf(h, 2, 1, 183);
	assert_null(elf_header_arch(h, 19));
	h[0] = 0;
	assert_null(elf_header_arch(h, 20));
	elf(h, 3, 1, 183);
	assert_null(elf_header_arch(h, 20));
	elf(h, 2, 0, 183);
	assert_null(elf_header_arch(h, 20));
	elf(h, 1, 1, 183);
	assert_null(elf_header_arch(h, 20));
	elf(h, 2, 1, 3);
	assert_null(elf_header_arch(h, 20));
	elf(h, 2, 1, 0x1234);
	assert_null(elf_header_arch(h, 20));
}

static void test_trees(void **state)
{
	(void)state;
	char *root = tu_mkdtemp();
	_cleanup_free_ char *moddir = tu_path(root, "lib/modules/6.1.0-1-arm64");
	unsigned char h[20];

	assert_null(moddir_arch(NULL));
	/* No modules.dep. */
	tu_mkdirs(root, "lib/modules/6.1.0-1-arm64/kernel/drivers");
	assert_null(moddir_arch(moddir));

	/*
	 * Entries that say nothing come first: a compressed module, a path out of the tree,
	 * an absolute one, a missing file, a directory, a file too short, a text file.
	 * Then a real header.
	 */
	elf(h, 2, 1, 183);
	tu_write(root, "lib/modules/6.1.0-1-arm64/kernel/drivers/a.ko.xz", h, sizeof(h));
	tu_write(root, "lib/modules/6.1.0-1-arm64/kernel/drivers/short.ko", h, 10);
	tu_write_str(root, "lib/modules/6.1.0-1-arm64/kernel/drivers/text.ko", "not an ELF file at all\n");
	tu_mkdirs(root, "lib/modules/6.1.0-1-arm64/kernel/drivers/dir.ko");
	tu_write_str(root, "lib/modules/6.1.0-1-arm64/modules.dep",
	             "kernel/drivers/a.ko.xz:\n../../../etc/x.ko:\n/abs/b.ko:\nkernel/drivers/none.ko:\n"
	             "kernel/drivers/dir.ko:\nkernel/drivers/short.ko:\nkernel/drivers/text.ko:\n");
	assert_null(moddir_arch(moddir));
	tu_write(root, "lib/modules/6.1.0-1-arm64/kernel/drivers/c.ko", h, sizeof(h));
	tu_write_str(root, "lib/modules/6.1.0-1-arm64/modules.dep",
	             "kernel/drivers/a.ko.xz:\nkernel/drivers/short.ko:\nkernel/drivers/c.ko: kernel/drivers/a.ko.xz\n");
	assert_string_equal(moddir_arch(moddir), "aarch64");

	/* A symlinked module is not followed (a tree's own files only). */
	tu_symlink(root, "lib/modules/6.1.0-1-arm64/kernel/drivers/link.ko", "c.ko");
	tu_write_str(root, "lib/modules/6.1.0-1-arm64/modules.dep", "kernel/drivers/link.ko:\n");
	assert_null(moddir_arch(moddir));

	/* Only the first eight entries are read. */
	tu_write_str(root, "lib/modules/6.1.0-1-arm64/modules.dep",
	             "kernel/drivers/a.ko.xz:\nkernel/drivers/a.ko.xz:\nkernel/drivers/a.ko.xz:\nkernel/drivers/a.ko.xz:\n"
	             "kernel/drivers/a.ko.xz:\nkernel/drivers/a.ko.xz:\nkernel/drivers/a.ko.xz:\nkernel/drivers/a.ko.xz:\n"
	             "kernel/drivers/c.ko:\n");
	assert_null(moddir_arch(moddir));
	tu_rm_rf(root);
	free(root);
}

/* Debian's amd64 kernel, when tests/kernel/fetch-kernel has it (it is fetched for test_kmod too). */
static void test_debian_tree(void **state)
{
	(void)state;
	FILE *p = popen(HVD_TEST_SRCDIR "/../kernel/fetch-kernel 2>/dev/null", "r");
	char root[4096] = "", ver[256] = "";
	_cleanup_free_ char *moddir = NULL;

	if (!p)
		skip();
	if (fscanf(p, "%4095s %255s", root, ver) == 2)
		moddir = strdup_printf("%s/lib/modules/%s", root, ver);
	if (pclose(p) != 0 || !moddir)
		skip();
	assert_string_equal(moddir_arch(moddir), "x86_64");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_headers),
		cmocka_unit_test(test_trees),
		cmocka_unit_test(test_debian_tree),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
