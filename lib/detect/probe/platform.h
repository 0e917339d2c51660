/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The parts of probe_platform() (one file each) and their pure parsers
 * (no I/O, fuzzable).
 */
#ifndef HVD_PROBE_PLATFORM_H
#define HVD_PROBE_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>

#include "detect/facts.h"

#define VMBUS_MAX_DEVICES 256u
/* proc/cpuinfo grows with the CPU count; the first processor block is all we need. */
#define CPUINFO_READ_MAX  (64u * 1024u)
#define SYSINFO_READ_MAX  (64u * 1024u)

/* A one-line attribute; missing, unreadable or empty leaves *VALUE NULL. Returns 0 or -ENOMEM. */
int read_attr_optional(struct hvd_ctx *ctx, const char *path, char **value);  /* platform.c */

int probe_devicetree(struct hvd_ctx *ctx, struct platform_facts *out);  /* devicetree.c */
int probe_vmbus(struct hvd_ctx *ctx, struct platform_facts *out);       /* vmbus.c */
int probe_kernel(struct hvd_ctx *ctx, struct platform_facts *out);      /* kernel.c */

/*
 * A device-tree string list ("xen,xen-4.4\0xen,xen\0") as one malloc'ed
 * string in *OUT, the entries joined with a single space, empty entries
 * dropped; *OUT is NULL when there is no entry. Returns 0 or -ENOMEM.
 */
int dt_join_stringlist(const char *buf, size_t len, char **out);

/* What the first processor block of proc/cpuinfo says. */
struct cpuinfo {
	bool hypervisor_flag;   /* "flags" has the word "hypervisor" */
	bool lm_flag;           /* "flags" has the word "lm" (x86 long mode) */
	char *vendor_id;        /* "vendor_id" value, malloc'ed, or NULL */
	const char *arch;       /* inferred architecture (static string) or NULL */
};
/* Parse the LEN bytes of TEXT. Returns 0 or -ENOMEM. */
int cpuinfo_parse(const char *text, size_t len, struct cpuinfo *out);
void cpuinfo_done(struct cpuinfo *c);

/*
 * The value of the first line "KEY<blanks>VALUE" of TEXT whose key is KEY
 * (KEY includes its ':'), trimmed, malloc'ed; NULL when absent or empty.
 * *OOM is set on allocation failure.
 */
char *text_line_value(const char *text, size_t len, const char *key, bool *oom);

#endif
