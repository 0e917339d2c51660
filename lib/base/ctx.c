/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The context: sysroot, CPUID source, logging; and the calling thread's last error message. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "config.h"
#include "cpuid.h"
#include "internal.h"
#include "sysroot.h"

HVD_EXPORT const char *hvd_version(void)
{
	return HVD_VERSION_STRING;
}

static int log_priority_from_string(const char *s)
{
	static const struct { const char *name; int prio; } names[] = {
		{ "err", LOG_ERR }, { "warning", LOG_WARNING }, { "notice", LOG_NOTICE },
		{ "info", LOG_INFO }, { "debug", LOG_DEBUG },
	};
	char *end;
	long l = strtol(s, &end, 10);

	if (*s && *end == '\0' && l >= 0 && l <= LOG_DEBUG)
		return (int)l;
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (strcmp(s, names[i].name) == 0)
			return names[i].prio;
	return -1;
}

void ctx_log(const struct hvd_ctx *ctx, int priority, const char *file, int line, const char *fn,
             const char *format, ...)
{
	va_list ap;

	if (!ctx->log_fn)
		return;
	va_start(ap, format);
	ctx->log_fn(ctx->log_data, priority, file, line, fn, format, ap);
	va_end(ap);
}

/*
 * The calling thread's last error message, and the context it was about. Per
 * thread, so that threads sharing a context never see (or free) each other's
 * messages; a fixed buffer, so that recording an error cannot fail and a
 * thread's exit leaks nothing. A longer message is cut.
 */
#define ERROR_MAX 2048
static _Thread_local struct {
	const struct hvd_ctx *ctx;
	char msg[ERROR_MAX];
} last_error;

void ctx_clear_error(void)
{
	last_error.ctx = NULL;
	last_error.msg[0] = '\0';
}

int ctx_set_error(const struct hvd_ctx *ctx, int errnum, const char *format, ...)
{
	va_list ap;

	va_start(ap, format);
	int n = vsnprintf(last_error.msg, sizeof(last_error.msg), format, ap);
	va_end(ap);
	/*
	 * Too long (a long path, then the reason): keep both ends, as the reason is
	 * at the end. Without memory for that, the start alone.
	 */
	char *full = NULL;
	if (n >= (int)sizeof(last_error.msg)) {
		va_start(ap, format);
		if (vasprintf(&full, format, ap) < 0)
			full = NULL;
		va_end(ap);
	}
	if (full) {
		size_t half = (sizeof(last_error.msg) - sizeof(" ... ")) / 2;
		memcpy(last_error.msg + half, " ... ", 5);
		memcpy(last_error.msg + half + 5, full + (size_t)n - half, half);
		last_error.msg[2 * half + 5] = '\0';
		free(full);
	}
	last_error.ctx = ctx ? ctx->origin : NULL;
	if (last_error.msg[0])
		err(ctx, "%s", last_error.msg);
	return errnum;
}

const char *ctx_error(const struct hvd_ctx *ctx)
{
	return ctx && last_error.ctx == ctx->origin && last_error.msg[0] ? last_error.msg : NULL;
}

int ctx_pending_error(const struct hvd_ctx *ctx)
{
	if (!ctx->pending_error)
		return 0;
	if (ctx->pending_msg)
		return ctx_set_error(ctx, ctx->pending_error, "%s", ctx->pending_msg);
	return ctx->pending_error;
}

void ctx_view(const struct hvd_ctx *ctx, struct hvd_ctx *view)
{
	*view = (struct hvd_ctx){
		.refcount = 1,
		.origin = ctx->origin,
		.sysroot = ctx->sysroot,
		.root_fd = ctx->root_fd,
		.live = ctx->live,
		.flags = ctx->flags,
		.log_fn = ctx->log_fn,
		.log_data = ctx->log_data,
		.log_priority = ctx->log_priority,
		.cpuid_dump = ctx->cpuid_dump,
		.text = ctx->text,
		.pending_error = ctx->pending_error,
		.pending_msg = ctx->pending_msg,
	};
	view->force_manual_resolve = ctx->force_manual_resolve;
}

int ctx_new_for_root(const struct hvd_ctx *ctx, const char *root, struct hvd_ctx **out)
{
	struct hvd_ctx *c = NULL;
	int r = hvd_ctx_new(&c, root);

	if (r < 0)
		return r == -ENOMEM ? r : ctx_set_error(ctx, r, "target root %s: %s", root, strerror(-r));
	c->origin = ctx->origin;
	c->flags = ctx->flags;
	c->log_fn = ctx->log_fn;
	c->log_data = ctx->log_data;
	c->log_priority = ctx->log_priority;
	*out = c;
	return 0;
}

HVD_EXPORT int hvd_ctx_new(struct hvd_ctx **out, const char *sysroot)
{
	struct hvd_ctx *ctx;
	struct stat st;
	const char *env;

	ctx_clear_error();
	if (!out)
		return -EINVAL;
	*out = NULL;
	if (!sysroot || !*sysroot)
		sysroot = "/";
	ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return -ENOMEM;
	ctx->refcount = 1;
	ctx->origin = ctx;
	ctx->log_priority = LOG_ERR;
	ctx->root_fd = -1;
	env = secure_getenv("HVD_LOG");
	if (env) {
		int p = log_priority_from_string(env);
		if (p >= 0)
			ctx->log_priority = p;
	}
	ctx->sysroot = strdup(sysroot);
	if (!ctx->sysroot) {
		free(ctx);
		return -ENOMEM;
	}
	ctx->root_fd = open(sysroot, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (ctx->root_fd < 0) {
		int r = -errno;
		hvd_ctx_unref(ctx);
		return r;
	}
	/* "Live" means the sysroot is the running system's root, however it was spelled. */
	struct stat root_st;
	ctx->live = fstat(ctx->root_fd, &st) == 0 && stat("/", &root_st) == 0 &&
	            st.st_dev == root_st.st_dev && st.st_ino == root_st.st_ino;

	/*
	 * A captured tree carries its CPUID dump with it. A broken one does not fail
	 * hvd_ctx_new(): the caller could not ask where it is broken without a
	 * context. It is remembered and returned by the first detection instead,
	 * unless the caller names another dump first.
	 */
	if (!ctx->live) {
		int r = cpuid_dump_load_sysroot_optional(ctx, "cpuid.txt");
		if (r == -ENOMEM) {
			hvd_ctx_unref(ctx);
			return r;
		}
		if (r < 0) {
			const char *msg = ctx_error(ctx);
			ctx->pending_error = r;
			if (msg && !(ctx->pending_msg = strdup(msg))) {
				hvd_ctx_unref(ctx);
				return -ENOMEM;
			}
		}
	}
	/* The context was made: what went wrong is the first detection's to say. */
	ctx_clear_error();
	*out = ctx;
	return 0;
}

HVD_EXPORT struct hvd_ctx *hvd_ctx_ref(struct hvd_ctx *ctx)
{
	if (ctx)
		ref_inc(&ctx->refcount);
	return ctx;
}

HVD_EXPORT struct hvd_ctx *hvd_ctx_unref(struct hvd_ctx *ctx)
{
	if (!ctx || !ref_dec(&ctx->refcount))
		return NULL;
	if (ctx->root_fd >= 0)
		close(ctx->root_fd);
	cpuid_dump_free(ctx->cpuid_dump);
	text_facts_free(ctx->text);
	free(ctx->pending_msg);
	free(ctx->sysroot);
	free(ctx);
	return NULL;
}

HVD_EXPORT const char *hvd_ctx_get_sysroot(const struct hvd_ctx *ctx)
{
	return ctx ? ctx->sysroot : NULL;
}

HVD_EXPORT int hvd_ctx_set_cpuid_dump(struct hvd_ctx *ctx, const char *path)
{
	int r;

	ctx_clear_error();
	if (!ctx || !path)
		return -EINVAL;
	r = cpuid_dump_load_file(ctx, path);
	if (r >= 0) {
		/* An explicit dump overrides a broken SYSROOT/cpuid.txt. */
		ctx->pending_error = 0;
		free(ctx->pending_msg);
		ctx->pending_msg = NULL;
	}
	return r;
}

HVD_EXPORT int hvd_ctx_set_flags(struct hvd_ctx *ctx, unsigned int flags)
{
	ctx_clear_error();
	if (!ctx || (flags & ~(unsigned int)HVD_CTX_NO_LIVE_CPUID))
		return -EINVAL;
	ctx->flags = flags;
	return 0;
}

HVD_EXPORT unsigned int hvd_ctx_get_flags(const struct hvd_ctx *ctx)
{
	return ctx ? ctx->flags : 0;
}

HVD_EXPORT void hvd_ctx_set_log_fn(struct hvd_ctx *ctx, hvd_log_fn fn, void *userdata)
{
	if (!ctx)
		return;
	ctx->log_fn = fn;
	ctx->log_data = userdata;
}

HVD_EXPORT void hvd_ctx_set_log_priority(struct hvd_ctx *ctx, int priority)
{
	if (ctx)
		ctx->log_priority = priority;
}

HVD_EXPORT int hvd_ctx_get_log_priority(const struct hvd_ctx *ctx)
{
	return ctx ? ctx->log_priority : -EINVAL;
}

HVD_EXPORT const char *hvd_ctx_get_error(const struct hvd_ctx *ctx)
{
	return ctx_error(ctx);
}
