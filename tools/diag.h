/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* One line on stderr, "detect-hypervisor: LEVEL...", with every byte of it made terminal-safe. */
#ifndef HVD_TOOLS_DIAG_H
#define HVD_TOOLS_DIAG_H

/* LEVEL is a prefix such as "" or "warning: "; paths and library messages may carry any bytes. */
void diag(const char *level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

struct hvd_ctx;
/*
 * A library call failed with R (-errno): print its located message when it left one
 * on CTX (which may be NULL), else "WHAT ARG: strerror" (ARG may be NULL). Returns R.
 */
int lib_error(struct hvd_ctx *ctx, int r, const char *what, const char *arg);

#endif
