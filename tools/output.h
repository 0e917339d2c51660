/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The ways detect-hypervisor prints a verdict. Each appends to a buffer and
 * returns 0 or a negative errno; main() writes the buffer once.
 */
#ifndef HVD_TOOLS_OUTPUT_H
#define HVD_TOOLS_OUTPUT_H

#include <hvdetect.h>

#include "buf.h"

/* "HYPERVISOR" or "HYPERVISOR PLATFORM", one line. */
int output_line(struct buf *b, const struct hvd_verdict *v);
/* hvd_verdict_to_json(), unchanged. */
int output_json(struct buf *b, const struct hvd_verdict *v);
/* HVD_*='...' assignments, safe to eval in POSIX sh. */
int output_shell(struct buf *b, const struct hvd_verdict *v);
/* The verdict and its evidence as an aligned table, every value escaped. */
int output_explain(struct buf *b, const struct hvd_verdict *v);

#endif
