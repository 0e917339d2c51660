/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The CPUID source: the live instruction (x86, live sysroot only) or a replayed
 * `cpuid -r` dump. Probes ask for leaves here and never care which it is.
 */
#ifndef HVD_CPUID_H
#define HVD_CPUID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hvd_ctx;
struct cpuid_dump;

/*
 * Bounds on a dump. `cpuid -r` of a 512-CPU machine is about 3 MiB; one CPU
 * holds a few hundred leaves, so the leaf cap only stops hostile input.
 */
#define CPUID_DUMP_MAX_SIZE   (4u << 20)
#define CPUID_DUMP_MAX_LEAVES 8192u

/* Whether any CPUID data can be had (a dump is set, or live x86 with a live sysroot). */
bool cpuid_available(const struct hvd_ctx *ctx);
bool cpuid_is_dump(const struct hvd_ctx *ctx);

/*
 * Query LEAF/SUBLEAF into REGS (eax, ebx, ecx, edx). Returns 0, or -ENOENT when
 * there is no CPUID source or the dump lacks that leaf. Every answered query
 * is reported to the context's read hook (hvd_capture() records it).
 */
int cpuid_query(struct hvd_ctx *ctx, uint32_t leaf, uint32_t subleaf, uint32_t regs[4]);

/*
 * Parse dump TEXT (LEN bytes, need not be NUL-terminated): the output of
 * `cpuid -1 -r`, or of `cpuid -r` of which only the first CPU ("CPU 0:") is
 * kept. Blank lines and lines starting with '#' are skipped; every other line
 * must be a header or a well-formed leaf line, in every CPU's section. Of
 * duplicate (leaf, subleaf) lines the first wins. Returns 0, -ENOMEM, or
 * -EBADMSG with *ERROR_LINE (1-based) and *ERROR_MSG (static text) set (both
 * may be NULL). A dump without any leaf is malformed.
 */
int cpuid_dump_parse(const char *text, size_t len, struct cpuid_dump **dump,
                     size_t *error_line, const char **error_msg);
void cpuid_dump_free(struct cpuid_dump *dump);

/* Look LEAF/SUBLEAF up in DUMP: 0 with REGS filled, or -ENOENT. */
int cpuid_dump_lookup(const struct cpuid_dump *dump, uint32_t leaf, uint32_t subleaf, uint32_t regs[4]);
/* The smallest leaf >= LEAF that DUMP holds (any subleaf): 0 with *FOUND set, or -ENOENT. */
int cpuid_dump_next_leaf(const struct cpuid_dump *dump, uint32_t leaf, uint32_t *found);
/* Entry I in (leaf, subleaf) order: 0 with the three filled, or -ENOENT past the end. */
int cpuid_dump_entry(const struct cpuid_dump *dump, size_t i, uint32_t *leaf, uint32_t *subleaf, uint32_t regs[4]);
/* Number of distinct (leaf, subleaf) entries. */
size_t cpuid_dump_count(const struct cpuid_dump *dump);

/*
 * Load a dump into the context: from a host path (plain open/read), or from a
 * path below the sysroot. On success the new dump replaces any previous one;
 * on failure the previous one stays, and hvd_ctx_get_error() says why
 * ("PATH:LINE: reason" for a malformed dump). -ENOENT, -EBADMSG, -EFBIG ...
 */
int cpuid_dump_load_file(struct hvd_ctx *ctx, const char *path);
int cpuid_dump_load_sysroot(struct hvd_ctx *ctx, const char *relpath);
/* The same, but a missing file (or a directory) is simply no dump: 0, and no error. */
int cpuid_dump_load_sysroot_optional(struct hvd_ctx *ctx, const char *relpath);

/* Append one leaf in `cpuid -1 -r` line format ("   0x40000000 0x00: eax=0x... ebx=... ecx=... edx=...\n"). */
struct strbuf;
void cpuid_format_line(struct strbuf *sb, uint32_t leaf, uint32_t subleaf, const uint32_t regs[4]);

#endif
