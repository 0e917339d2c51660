/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hvdetect.h>

#include "buf.h"
#include "diag.h"
#include "term-escape.h"

void diag(const char *level, const char *fmt, ...)
{
	struct buf b = { 0 };
	char *text = NULL;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&text, fmt, ap) < 0)
		text = NULL;
	va_end(ap);
	buf_printf(&b, "detect-hypervisor: %s", level);
	term_escape_ends(&b, text ? text : "out of memory", 4096, 0);
	buf_putc(&b, '\n');
	(void)!buf_write_all(&b, STDERR_FILENO);
	buf_free(&b);
	free(text);
}

int lib_error(struct hvd_ctx *ctx, int r, const char *what, const char *arg)
{
	const char *e = ctx ? hvd_ctx_get_error(ctx) : NULL;

	if (e)
		diag("", "%s", e);
	else if (arg)
		diag("", "%s %s: %s", what, arg, strerror(-r));
	else
		diag("", "%s: %s", what, strerror(-r));
	return r;
}
