/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* STUB — to be written: `cpuid -r` dump parser. */
#include "../cpuid.h"
#include "../internal.h"

int cpuid_dump_parse(const char *text, size_t len, struct cpuid_dump **dump, size_t *error_line, const char **error_msg)
{ (void)text; (void)len; (void)dump; *error_line = 1; *error_msg = "not implemented"; return -EBADMSG; }
void cpuid_dump_free(struct cpuid_dump *dump) { (void)dump; }
int cpuid_dump_load_file(struct hvd_ctx *ctx, const char *path) { (void)ctx; (void)path; return -ENOSYS; }
int cpuid_dump_load_sysroot(struct hvd_ctx *ctx, const char *relpath) { (void)ctx; (void)relpath; return 0; }
void cpuid_format_line(struct strbuf *sb, uint32_t leaf, uint32_t subleaf, const uint32_t regs[4])
{ strbuf_printf(sb, "   0x%08x 0x%02x: eax=0x%08x ebx=0x%08x ecx=0x%08x edx=0x%08x\n", leaf, subleaf, regs[0], regs[1], regs[2], regs[3]); }
