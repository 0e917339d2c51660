/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A growable byte buffer for the tools. Output is assembled here and written
 * once, so that a failed write is noticed and nothing half-printed is left
 * behind an error message. Out of memory is remembered, not reported at once.
 */
#ifndef HVD_TOOLS_BUF_H
#define HVD_TOOLS_BUF_H

#include <stdbool.h>
#include <stddef.h>

struct buf {
	char *data;
	size_t len, cap;
	bool oom;
};

void buf_append(struct buf *b, const char *s, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_pad(struct buf *b, size_t n);
void buf_free(struct buf *b);

/* Write all of B to FD. Returns 0 or a negative errno (-ENOMEM when B ran out of memory). */
int buf_write_all(const struct buf *b, int fd);

#endif
