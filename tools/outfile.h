/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* detect-hypervisor --output FILE: the output replaces FILE atomically. */
#ifndef HVD_TOOLS_OUTFILE_H
#define HVD_TOOLS_OUTFILE_H

#include "buf.h"

/*
 * Write B to a new temporary file beside PATH (".NAME.XXXXXX" in the same
 * directory: a reader globbing *.prom or *.fact never sees it), flush it to
 * disk, give it the mode a new file gets (0666 less the umask) and rename it
 * over PATH. A reader sees the old file or the new one, never a part; on any
 * error the temporary file is removed and PATH is untouched. Returns 0 or a
 * negative errno; *WHAT names the step that failed.
 */
int buf_write_file_atomic(const struct buf *b, const char *path, const char **what);

#endif
