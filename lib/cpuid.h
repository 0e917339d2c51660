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

/* Whether any CPUID data can be had (a dump is set, or live x86 with a live sysroot). */
bool cpuid_available(const struct hvd_ctx *ctx);
bool cpuid_is_dump(const struct hvd_ctx *ctx);

/*
 * Query LEAF/SUBLEAF into REGS (eax, ebx, ecx, edx). Returns 0, or -ENOENT when
 * there is no CPUID source or the dump lacks that leaf. During a capture every
 * answered query is recorded for the captured cpuid.txt.
 */
int cpuid_query(struct hvd_ctx *ctx, uint32_t leaf, uint32_t subleaf, uint32_t regs[4]);

/*
 * Parse dump TEXT (LEN bytes). On error returns -EBADMSG and sets *ERROR_LINE
 * (1-based) and *ERROR_MSG (static text).
 */
int cpuid_dump_parse(const char *text, size_t len, struct cpuid_dump **dump,
                         size_t *error_line, const char **error_msg);
void cpuid_dump_free(struct cpuid_dump *dump);

/* Load a dump into the context: from a host path, or from a path below the sysroot. */
int cpuid_dump_load_file(struct hvd_ctx *ctx, const char *path);
int cpuid_dump_load_sysroot(struct hvd_ctx *ctx, const char *relpath);

/* Append one leaf in `cpuid -1 -r` line format ("   0x40000000 0x00: eax=0x... ebx=... ecx=... edx=...\n"). */
struct strbuf;
void cpuid_format_line(struct strbuf *sb, uint32_t leaf, uint32_t subleaf, const uint32_t regs[4]);

#endif
