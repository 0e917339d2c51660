/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The verdict: every precedence rule lives in verdict.c and nowhere else. */
#ifndef HVD_VERDICT_H
#define HVD_VERDICT_H

#include "facts.h"
#include "base/internal.h"

struct hvd_verdict {
	int refcount;
	/* Identifiers point at static strings (see hvdetect.h for the vocabularies). */
	const char *hypervisor;
	const char *platform;
	int generation;
	const char *firmware;
	const char *role;
	const char *confidential;
	const char *systemd_id;
	char *arch;               /* owned */
	int confidence;
	size_t n_evidence, cap_evidence;
	struct hvd_evidence *evidence;  /* every string member owned (malloc'ed) */
};

/* Which UEFI-only platform V names ("Hyper-V generation 2" ...), for messages; NULL when none. */
const char *verdict_uefi_only_platform(const struct hvd_verdict *v);

/* Weigh F into a new verdict. Pure: no I/O, no context. Returns 0 or -ENOMEM. */
int verdict_decide(struct hvd_verdict **out, const struct facts *f);

#endif
