/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The context: sysroot, CPUID source, logging and the last located error. */
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

int ctx_set_error(struct hvd_ctx *ctx, int errnum, const char *format, ...)
{
	va_list ap;
	char *msg = NULL;

	va_start(ap, format);
	msg = strdup_vprintf(format, ap);
	va_end(ap);
	free(ctx->error);
	ctx->error = msg;
	if (msg)
		err(ctx, "%s", msg);
	return errnum;
}

HVD_EXPORT int hvd_ctx_new(struct hvd_ctx **out, const char *sysroot)
{
	struct hvd_ctx *ctx;
	struct stat st;
	const char *env;

	if (!out)
		return -EINVAL;
	*out = NULL;
	if (!sysroot || !*sysroot)
		sysroot = "/";
	ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return -ENOMEM;
	ctx->refcount = 1;
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
		if (r < 0)
			ctx->pending_error = r;
	}
	*out = ctx;
	return 0;
}

HVD_EXPORT struct hvd_ctx *hvd_ctx_ref(struct hvd_ctx *ctx)
{
	if (ctx)
		ctx->refcount++;
	return ctx;
}

HVD_EXPORT struct hvd_ctx *hvd_ctx_unref(struct hvd_ctx *ctx)
{
	if (!ctx || --ctx->refcount > 0)
		return NULL;
	if (ctx->root_fd >= 0)
		close(ctx->root_fd);
	cpuid_dump_free(ctx->cpuid_dump);
	text_facts_free(ctx->text);
	select_config_free(ctx->select_config);
	free(ctx->sysroot);
	free(ctx->error);
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

	if (!ctx || !path)
		return -EINVAL;
	r = cpuid_dump_load_file(ctx, path);
	if (r >= 0)
		ctx->pending_error = 0;   /* an explicit dump overrides a broken SYSROOT/cpuid.txt */
	return r;
}

HVD_EXPORT int hvd_ctx_set_flags(struct hvd_ctx *ctx, unsigned int flags)
{
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
	return ctx ? ctx->error : NULL;
}
