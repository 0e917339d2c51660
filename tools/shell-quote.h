/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef HVD_TOOLS_SHELL_QUOTE_H
#define HVD_TOOLS_SHELL_QUOTE_H

#include "buf.h"

/*
 * Append S as one POSIX sh word that evaluates to exactly S's bytes: the whole
 * string in single quotes, each ' written as '\''. Inside single quotes nothing
 * is special (no $, `, \ or newline handling), so this holds for any bytes,
 * including control characters and invalid UTF-8. NULL is written as ''.
 */
void shell_quote(struct buf *b, const char *s);

/* Like shell_quote(), but leaves S bare when it holds only characters no shell treats specially. */
void shell_quote_if_needed(struct buf *b, const char *s);

#endif
