/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The architecture a kernel module tree was built for (see modarch.h). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "base/internal.h"
#include "base/sysroot.h"
#include "modarch.h"

/* ELF identification and header fields, read by hand: <elf.h> is not needed for four of them. */
#define EI_CLASS 4
#define EI_DATA 5
#define ELFCLASS32 1
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define ELFDATA2MSB 2

const char *elf_header_arch(const unsigned char *h, size_t len)
{
	unsigned machine;
	bool is64;

	if (len < 20 || memcmp(h, "\177ELF", 4) != 0 ||
	    (h[EI_CLASS] != ELFCLASS32 && h[EI_CLASS] != ELFCLASS64) ||
	    (h[EI_DATA] != ELFDATA2LSB && h[EI_DATA] != ELFDATA2MSB))
		return NULL;
	is64 = h[EI_CLASS] == ELFCLASS64;
	/* e_machine: the two bytes after e_type (offset 18), in the file's byte order. */
	machine = h[EI_DATA] == ELFDATA2LSB ? (unsigned)h[18] | (unsigned)h[19] << 8
	                                    : (unsigned)h[18] << 8 | (unsigned)h[19];
	/* The names are uname's machine names, as the verdict's arch uses them. */
	switch (machine) {
	case 62:  /* EM_X86_64 */
		return is64 ? "x86_64" : NULL;
	case 3:   /* EM_386 */
		return is64 ? NULL : "i686";
	case 183: /* EM_AARCH64 */
		return is64 ? "aarch64" : NULL;
	case 40:  /* EM_ARM */
		return is64 ? NULL : "armv7l";
	case 21:  /* EM_PPC64 */
		return is64 ? (h[EI_DATA] == ELFDATA2LSB ? "ppc64le" : "ppc64") : NULL;
	case 22:  /* EM_S390 */
		return is64 ? "s390x" : "s390";
	case 243: /* EM_RISCV */
		return is64 ? "riscv64" : "riscv32";
	case 258: /* EM_LOONGARCH */
		return is64 ? "loongarch64" : NULL;
	default:
		return NULL;
	}
}

const char *moddir_arch(const char *moddir)
{
	_cleanup_free_ char *dep = NULL, *line = NULL, *path = NULL;
	const char *arch = NULL;
	size_t cap = 0;
	FILE *f;

	if (!moddir || !(dep = strdup_printf("%s/modules.dep", moddir)))
		return NULL;
	f = fopen(dep, "re");
	if (!f)
		return NULL;
	/* The first few modules will do: a tree is one architecture, and depmod lists them in a text file. */
	for (int tries = 0; !arch && tries < 8 && getline(&line, &cap, f) > 0; tries++) {
		unsigned char h[20];
		struct stat st;
		size_t l = strcspn(line, ":\n");
		ssize_t n;
		int fd;

		line[l] = '\0';
		/* Relative to the tree (depmod's own form), a plain .ko (a compressed one says nothing here). */
		if (l < 4 || line[0] == '/' || strstr(line, "..") || strcmp(line + l - 3, ".ko") != 0)
			continue;
		free(path);
		if (!(path = strdup_printf("%s/%s", moddir, line)))
			break;
		/* The type first, on a descriptor that opens nothing: a .ko that is a device node is never opened. */
		int pfd = open(path, O_PATH | O_CLOEXEC | O_NOFOLLOW);
		if (pfd < 0)
			continue;
		fd = reopen_regular(pfd, O_RDONLY | O_NONBLOCK);
		close(pfd);
		if (fd < 0)
			continue;
		if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
			close(fd);
			continue;
		}
		do
			n = read(fd, h, sizeof(h));
		while (n < 0 && errno == EINTR);
		close(fd);
		if (n == (ssize_t)sizeof(h))
			arch = elf_header_arch(h, sizeof(h));
	}
	fclose(f);
	return arch;
}
