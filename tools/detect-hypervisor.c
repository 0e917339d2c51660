/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* STUB — to be written: the detect-hypervisor command. */
#include <stdio.h>
#include <stdlib.h>
#include <hvdetect.h>

int main(int argc, char **argv)
{
	struct hvd_ctx *ctx = NULL;
	struct hvd_verdict *v = NULL;
	(void)argc; (void)argv;
	if (hvd_ctx_new(&ctx, NULL) < 0 || hvd_detect(&v, ctx) < 0)
		return 2;
	puts(hvd_verdict_get_hypervisor(v));
	hvd_verdict_unref(v);
	hvd_ctx_unref(ctx);
	return 0;
}
