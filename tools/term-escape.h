/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef HVD_TOOLS_TERM_ESCAPE_H
#define HVD_TOOLS_TERM_ESCAPE_H

#include <stddef.h>

#include "buf.h"

/*
 * Append S so that it cannot drive a terminal: printable ASCII and valid UTF-8
 * pass through; \n \t \r are written so (and '\' and '"' get a backslash
 * with TERM_QUOTED, for text shown between double quotes); other C0
 * controls, DEL and bytes that are not valid UTF-8 become \xHH; C1 controls
 * (U+0080..U+009F, which some terminals obey like ESC [) and the invisible
 * formatting and bidi characters that can disguise text become \u{XXXX}.
 * Stops after MAX_COLUMNS output columns and appends "..." then.
 * Returns the columns written (one per character: widths are not
 * locale-dependent so that output stays reproducible).
 */
enum { TERM_QUOTED = 1 << 0 };
size_t term_escape(struct buf *b, const char *s, size_t max_columns, unsigned int flags);
/*
 * The same, for a message whose end says why (a long path, then the reason):
 * over MAX_COLUMNS, the middle is left out (" ... ") and both ends are kept,
 * about half the budget each, never cutting a character or an escape.
 */
size_t term_escape_ends(struct buf *b, const char *s, size_t max_columns, unsigned int flags);

#endif
