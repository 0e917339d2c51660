/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The probe tests' fixture: an empty temporary sysroot the test fills, and a
 * context on it. Include after <cmocka.h>. A test whose fixture also holds the
 * facts it probes puts a struct sysroot_fx first in its own and frees the facts
 * before calling sysroot_fx_free().
 */
#ifndef HVD_TEST_SYSROOT_FX_H
#define HVD_TEST_SYSROOT_FX_H

#include <stdbool.h>

#include "internal.h"
#include "testutil.h"

struct sysroot_fx {
	char *root;
	struct hvd_ctx *ctx;     /* NULL until sysroot_fx_open() */
	bool manual;             /* resolve paths with the fallback resolver instead of openat2 */
};

/* A zeroed fixture of SIZE bytes (a struct sysroot_fx first) with a fresh root. */
static inline void *sysroot_fx_new(size_t size, bool manual)
{
	struct sysroot_fx *s = calloc(1, size);
	if (!s)
		abort();
	s->root = tu_mkdtemp();
	s->manual = manual;
	return s;
}

/* The context on the root, once the test has written what the probe should find. */
static inline void sysroot_fx_open(struct sysroot_fx *s)
{
	assert_int_equal(hvd_ctx_new(&s->ctx, s->root), 0);
	s->ctx->force_manual_resolve = s->manual;
}

/* Release the context and the tree, then the fixture itself. */
static inline void sysroot_fx_free(struct sysroot_fx *s)
{
	hvd_ctx_unref(s->ctx);
	tu_rm_rf(s->root);
	free(s->root);
	free(s);
}

/* cmocka setup/teardown for tests that need nothing but the tree and an open context. */
static inline int sysroot_fx_setup_open(void **state)
{
	struct sysroot_fx *s = sysroot_fx_new(sizeof(*s), false);
	sysroot_fx_open(s);
	*state = s;
	return 0;
}

static inline int sysroot_fx_teardown(void **state)
{
	sysroot_fx_free(*state);
	return 0;
}

#endif
