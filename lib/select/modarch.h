/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The architecture a kernel module tree was built for. A selection for a tree of
 * another architecture than the machine's (an arm64 image built on x86) takes the
 * tree's: the driver database's arch= rules are about the kernel the modules are
 * for (data/drivers.d: x86-only drivers are not selected, nor reported missing,
 * for an arm64 kernel).
 */
#ifndef HVD_MODARCH_H
#define HVD_MODARCH_H

#include <stddef.h>

/*
 * The architecture named by an ELF header (H, LEN bytes; at least 20 are needed)
 * in uname's terms ("x86_64", "aarch64", "i686", "ppc64le", "s390x", "riscv64",
 * ...), or NULL when H is not ELF or names a machine this does not know. Static string.
 */
const char *elf_header_arch(const unsigned char *h, size_t len);

/*
 * The architecture of the modules in MODDIR (a /lib/modules/<version> directory,
 * host path), read from the ELF header of the first uncompressed modules that
 * modules.dep lists; NULL when that cannot be told (no modules.dep, compressed
 * modules, unreadable files): the caller then keeps the machine's.
 */
const char *moddir_arch(const char *moddir);

#endif
