/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Names from a machine or a caller (directory and file names, module names
 * from an index) in messages: they can hold any byte but '/' and NUL, and a
 * message is printed, logged and handed to Python as it is. Escaped, such a
 * name is printable ASCII on one line and says which bytes it held.
 */
#ifndef HVD_ESCAPE_H
#define HVD_ESCAPE_H

#include "internal.h"

#define ESCAPE_MAX_IN 256u   /* input bytes shown; a longer name ends in "..." */

/*
 * Append S to SB with every byte outside printable ASCII, and the backslash,
 * written as \xNN (\\ for the backslash); at most ESCAPE_MAX_IN bytes of S.
 */
void strbuf_escaped(struct strbuf *sb, const char *s);
/* The same as a malloc'ed string ("?" is never returned: NULL on OOM). */
char *escape_name(const char *s);
/* Whether S is printable ASCII without a backslash (escape_name() would change nothing). */
bool name_is_plain(const char *s);

#endif
