/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Sysroot confinement and bounded reads, through both resolvers (openat2 and the fallback). */
#include "testutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>

#include "sysroot.h"

struct fx {
	char *outside;   /* a directory beside the sysroot with a secret */
	char *root;
	struct hvd_ctx *ctx;
};

static int setup(void **state, int manual)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	fx->outside = tu_mkdtemp();
	tu_write_str(fx->outside, "secret", "outside\n");
	fx->root = tu_mkdtemp();
	tu_write_str(fx->root, "sys/class/dmi/id/sys_vendor", "VMware, Inc.   \n");
	tu_write_str(fx->root, "etc/inside", "inside\n");
	tu_mkdirs(fx->root, "sys/devices/virtual/dmi/id");
	tu_write_str(fx->root, "sys/devices/virtual/dmi/id/product_name", "Virtual Machine\n");
	tu_symlink(fx->root, "sys/class/dmi/id/product_name", "../../../devices/virtual/dmi/id/product_name");
	char *abs = tu_path(fx->outside, "secret");
	tu_symlink(fx->root, "abs-out", abs);
	free(abs);                 /* absolute link: must resolve inside */
	tu_symlink(fx->root, "rel-out", "../../../../../../../../tmp");
	tu_symlink(fx->root, "abs-in", "/etc/inside");
	tu_symlink(fx->root, "loop1", "loop2");
	tu_symlink(fx->root, "loop2", "loop1");
	tu_symlink(fx->root, "self", "self");
	tu_mkdirs(fx->root, "sys/firmware/efi");
	char *fifo = tu_path(fx->root, "fifo");
	mkfifo(fifo, 0644);
	free(fifo);
	assert_int_equal(hvd_ctx_new(&fx->ctx, fx->root), 0);
	fx->ctx->force_manual_resolve = manual;
	*state = fx;
	return 0;
}
static int setup_openat2(void **state) { return setup(state, 0); }
static int setup_manual(void **state) { return setup(state, 1); }

static int teardown(void **state)
{
	struct fx *fx = *state;
	hvd_ctx_unref(fx->ctx);
	tu_rm_rf(fx->root);
	tu_rm_rf(fx->outside);
	free(fx->root);
	free(fx->outside);
	free(fx);
	return 0;
}

static void test_read_attr(void **state)
{
	struct fx *fx = *state;
	char *v = NULL;
	assert_int_equal(sysroot_read_attr(fx->ctx, "sys/class/dmi/id/sys_vendor", &v), 0);
	assert_string_equal(v, "VMware, Inc.");
	free(v);
	assert_int_equal(sysroot_read_attr(fx->ctx, "/sys/class/dmi/id/product_name", &v), 0);
	assert_string_equal(v, "Virtual Machine");
	free(v);
}

static void test_missing(void **state)
{
	struct fx *fx = *state;
	char *v = NULL;
	assert_int_equal(sysroot_read_attr(fx->ctx, "sys/class/dmi/id/nope", &v), -ENOENT);
	assert_null(v);
}

static void test_absolute_link_stays_inside(void **state)
{
	struct fx *fx = *state;
	char *v = NULL;
	/* /tmp/.../secret does not exist inside the sysroot. */
	assert_int_equal(sysroot_read_attr(fx->ctx, "abs-out", &v), -ENOENT);
	assert_int_equal(sysroot_read_attr(fx->ctx, "abs-in", &v), 0);
	assert_string_equal(v, "inside");
	free(v);
}

static void test_dotdot_clamped(void **state)
{
	struct fx *fx = *state;
	char *v = NULL;
	assert_int_equal(sysroot_read_attr(fx->ctx, "../../../../etc/inside", &v), 0);
	assert_string_equal(v, "inside");
	free(v);
	/* rel-out climbs to the root and then looks for tmp inside the sysroot. */
	assert_int_equal(sysroot_exists(fx->ctx, "rel-out"), 0);
}

static void test_loops(void **state)
{
	struct fx *fx = *state;
	char *v = NULL;
	assert_int_equal(sysroot_read_attr(fx->ctx, "loop1", &v), -ELOOP);
	assert_int_equal(sysroot_read_attr(fx->ctx, "self", &v), -ELOOP);
}

static void test_not_regular(void **state)
{
	struct fx *fx = *state;
	char *v = NULL;
	assert_int_equal(sysroot_read_attr(fx->ctx, "fifo", &v), -EINVAL);
	assert_int_equal(sysroot_read_attr(fx->ctx, "sys/firmware/efi", &v), -EISDIR);
	assert_int_equal(sysroot_exists(fx->ctx, "sys/firmware/efi"), 1);
	assert_int_equal(sysroot_exists(fx->ctx, "etc/inside"), 2);
	assert_int_equal(sysroot_exists(fx->ctx, "etc/none"), 0);
}

static void test_bounded(void **state)
{
	struct fx *fx = *state;
	size_t big = 3 * 1024 * 1024;
	char *data = malloc(big);
	memset(data, 'A', big);
	tu_write(fx->root, "big", data, big);
	free(data);
	char *v = NULL;
	size_t len = 0;
	assert_int_equal(sysroot_read(fx->ctx, "big", 100, &v, &len), 1);
	assert_int_equal(len, 100);
	free(v);
	assert_int_equal(sysroot_read(fx->ctx, "big", READ_MAX_TABLE, &v, &len), 1);
	assert_int_equal(len, READ_MAX_TABLE);
	free(v);
	assert_int_equal(sysroot_read_attr(fx->ctx, "big", &v), 1);
	assert_int_equal(strlen(v), READ_MAX_ATTR);
	free(v);
}

static void test_list(void **state)
{
	struct fx *fx = *state;
	char **names = NULL;
	size_t n = 0;
	assert_int_equal(sysroot_list(fx->ctx, "sys/class/dmi/id", &names, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(names[0], "product_name");
	assert_string_equal(names[1], "sys_vendor");
	assert_null(names[2]);
	strv_free(names);
	assert_int_equal(sysroot_list(fx->ctx, "etc/inside", &names, &n), -ENOTDIR);
	assert_int_equal(sysroot_list(fx->ctx, "nothing", &names, &n), -ENOENT);
}

/* What the read hook was told, path by path (the last report of each). */
struct seen {
	char path[64][64];
	mode_t mode[64];
	char content[64][64];   /* "-" when none was sent */
	size_t n;
};

static void record_path(void *data, const char *relpath, mode_t mode, const char *content, size_t len)
{
	struct seen *s = data;
	size_t i = 0;

	while (i < s->n && strcmp(s->path[i], relpath) != 0)
		i++;
	assert_true(i < ARRAY_SIZE(s->path));
	s->n += i == s->n;
	snprintf(s->path[i], sizeof(s->path[i]), "%s", relpath);
	s->mode[i] = mode;
	snprintf(s->content[i], sizeof(s->content[i]), "%.*s", content ? (int)len : 1, content ? content : "-");
}

static size_t seen_at(const struct seen *s, const char *relpath)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->path[i], relpath) == 0)
			return i;
	fail_msg("%s was not reported", relpath);
	return 0;
}

/*
 * The hook hears of every read, every path found and every listed entry, with
 * the type it resolves to inside the sysroot: a link out of it is not followed
 * (abs-out names a file outside, and is reported as resolving nowhere).
 */
static void test_hook(void **state)
{
	struct fx *fx = *state;
	struct seen s = { .n = 0 };
	const struct read_hook hook = { .data = &s, .path = record_path };
	char **names = NULL, *v = NULL;
	size_t n = 0;

	fx->ctx->hook = &hook;
	assert_int_equal(sysroot_list(fx->ctx, ".", &names, &n), 0);
	strv_free(names);
	assert_int_equal(sysroot_exists(fx->ctx, "etc/inside"), 2);
	assert_int_equal(sysroot_exists(fx->ctx, "fifo"), 2);
	assert_int_equal(sysroot_exists(fx->ctx, "loop1"), 0);
	assert_int_equal(sysroot_read_attr(fx->ctx, "sys/class/dmi/id/product_name", &v), 0);
	free(v);
	assert_int_equal(sysroot_read_attr(fx->ctx, "abs-out", &v), -ENOENT);
	fx->ctx->hook = NULL;

	assert_true(S_ISDIR(s.mode[seen_at(&s, ".")]));
	assert_true(S_ISDIR(s.mode[seen_at(&s, "./sys")]));
	assert_true(S_ISREG(s.mode[seen_at(&s, "./abs-in")]));
	assert_string_equal(s.content[seen_at(&s, "./abs-in")], "-");      /* listed, not read */
	assert_int_equal(s.mode[seen_at(&s, "./abs-out")], 0);
	assert_int_equal(s.mode[seen_at(&s, "./loop1")], 0);
	assert_true(S_ISFIFO(s.mode[seen_at(&s, "./fifo")]));
	assert_string_equal(s.content[seen_at(&s, "etc/inside")], "inside\n");  /* found: small, sent */
	assert_true(S_ISFIFO(s.mode[seen_at(&s, "fifo")]));
	assert_string_equal(s.content[seen_at(&s, "fifo")], "-");           /* never opened for reading */
	assert_string_equal(s.content[seen_at(&s, "sys/class/dmi/id/product_name")], "Virtual Machine\n");
	assert_true(S_ISREG(s.mode[seen_at(&s, "sys/class/dmi/id/product_name")]));
	for (size_t i = 0; i < s.n; i++)
		assert_true(strcmp(s.path[i], "loop1") != 0 && strcmp(s.path[i], "abs-out") != 0);
}

static void test_ctx_errors(void **state)
{
	(void)state;
	struct hvd_ctx *ctx = (struct hvd_ctx *)1;
	assert_int_equal(hvd_ctx_new(&ctx, "/nonexistent/hvd"), -ENOENT);
	assert_null(ctx);
	assert_int_equal(hvd_ctx_new(NULL, "/"), -EINVAL);
	assert_null(hvd_ctx_unref(NULL));
	assert_int_equal(hvd_ctx_new(&ctx, NULL), 0);
	assert_true(ctx->live);
	assert_string_equal(hvd_ctx_get_sysroot(ctx), "/");
	hvd_ctx_unref(ctx);
}

#define BOTH(t) cmocka_unit_test_setup_teardown(t, setup_openat2, teardown), \
                cmocka_unit_test_setup_teardown(t, setup_manual, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		BOTH(test_read_attr), BOTH(test_missing), BOTH(test_absolute_link_stays_inside),
		BOTH(test_dotdot_clamped), BOTH(test_loops), BOTH(test_not_regular),
		BOTH(test_bounded), BOTH(test_list), BOTH(test_hook), cmocka_unit_test(test_ctx_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
