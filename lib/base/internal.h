/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Internal definitions shared by the library's files. Never included by tools or bindings. */
#ifndef HVD_LIB_INTERNAL_H
#define HVD_LIB_INTERNAL_H

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <syslog.h>
#include <sys/types.h>
#include <unistd.h>

#include "hvdetect.h"

#define HVD_EXPORT __attribute__((visibility("default")))
#define HVD_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* systemd-style cleanup for early returns without leaks. */
static inline void freep(void *p) { free(*(void **)p); }
static inline void closep(int *fd) { if (*fd >= 0) close(*fd); }
#define _cleanup_(f) __attribute__((cleanup(f)))
#define _cleanup_free_ _cleanup_(freep)
#define _cleanup_close_ _cleanup_(closep)
/* Hand ownership out of a _cleanup_ variable. */
#define TAKE_PTR(p) ({ __typeof__(p) _t = (p); (p) = NULL; _t; })
#define TAKE_FD(fd) ({ int _t = (fd); (fd) = -1; _t; })

struct cpuid_dump;     /* cpuid_dump.c */
struct text_facts;     /* detect/text.c: what dmidecode output and boot logs showed */
void text_facts_free(struct text_facts *t);  /* NULL is fine */

/*
 * Told of everything the sysroot (sysroot.c) and the CPUID source (probe/cpuid.c)
 * hand to a probe, so that hvd_capture() can record a machine without any probe,
 * present or future, knowing about it.
 */
struct read_hook {
	void *data;
	/*
	 * RELPATH was found, with MODE (its st_mode after following links inside the
	 * sysroot; 0 when a listed entry could not be resolved). CONTENT holds the LEN
	 * bytes read of a file (a prefix when the read was bounded), or is NULL when
	 * the path was only found: an existence check, a listing, a listed entry.
	 */
	void (*path)(void *data, const char *relpath, mode_t mode, const char *content, size_t len);
	/* A CPUID leaf that answered. */
	void (*cpuid)(void *data, uint32_t leaf, uint32_t subleaf, const uint32_t regs[4]);
};

/*
 * Only what detection needs, set up before the context is shared: once it is,
 * threads only read it (the one exception, force_manual_resolve, is atomic).
 * Whatever a single call needs of its own is an argument of that call (the
 * selection's options), or lives in a private view of the context (ctx_view,
 * which copies every field a detection reads: a new one goes there too).
 */
struct hvd_ctx {
	int refcount;            /* changed atomically: ref_inc, ref_dec */
	const struct hvd_ctx *origin;  /* the context the caller holds: itself, or what a view copies */
	char *sysroot;           /* as given; "/" for the running system */
	int root_fd;             /* O_PATH directory fd of the sysroot */
	bool live;               /* sysroot is the running system's "/" */
	unsigned int flags;      /* enum hvd_ctx_flags */

	hvd_log_fn log_fn;
	void *log_data;
	int log_priority;

	struct cpuid_dump *cpuid_dump;  /* replayed CPUID, or NULL */
	struct text_facts *text;        /* hvd_ctx_add_dmidecode/_boot_log, or NULL */
	const struct read_hook *hook;   /* only on hvd_capture()'s private view */
	int pending_error;              /* a broken SYSROOT/cpuid.txt, reported by the next detection */
	char *pending_msg;              /* ... with this message (or NULL) */
	/* openat2() is missing or filtered: the fallback resolver from now on. Tests set it too. */
	_Atomic int force_manual_resolve;
};

/* Reference counts: objects may be shared between threads, so they change atomically. */
static inline void ref_inc(int *refcount)
{
	__atomic_add_fetch(refcount, 1, __ATOMIC_RELAXED);
}
/* True when that was the last reference (acquire-release: the releasing thread sees every write). */
static inline bool ref_dec(int *refcount)
{
	return __atomic_sub_fetch(refcount, 1, __ATOMIC_ACQ_REL) == 0;
}

/*
 * A private copy of CTX for one call that needs state of its own (hvd_capture's
 * read hook), so that other threads using CTX meanwhile see none of it. VIEW
 * borrows CTX's sysroot, fd and CPUID dump (it is never released) and reports
 * its errors as CTX's.
 */
void ctx_view(const struct hvd_ctx *ctx, struct hvd_ctx *view);
/*
 * A new context reading ROOT (a host path) that reports to CTX: its errors
 * are CTX's (hvd_ctx_get_error(CTX) returns them) and it logs through CTX's
 * callback. For a selection's target root; it must not outlive CTX.
 * 0, or -errno with CTX's error set.
 */
int ctx_new_for_root(const struct hvd_ctx *ctx, const char *root, struct hvd_ctx **out);

/* Logging: never prints by itself; goes to the context's callback. */
void ctx_log(const struct hvd_ctx *ctx, int priority, const char *file, int line, const char *fn,
             const char *format, ...) HVD_PRINTF(6, 7);
#define log_cond(ctx, prio, ...)                                                    \
	do {                                                                            \
		if ((ctx) && (ctx)->log_priority >= (prio))                             \
			ctx_log((ctx), (prio), __FILE__, __LINE__, __func__, __VA_ARGS__); \
	} while (0)
#define dbg(ctx, ...) log_cond(ctx, LOG_DEBUG, __VA_ARGS__)
#define info(ctx, ...) log_cond(ctx, LOG_INFO, __VA_ARGS__)
#define warn(ctx, ...) log_cond(ctx, LOG_WARNING, __VA_ARGS__)
#define err(ctx, ...) log_cond(ctx, LOG_ERR, __VA_ARGS__)

/*
 * Errors belong to the call (hvdetect.h, "Errors"). Every public function that
 * returns an error code calls ctx_clear_error() first; ctx_set_error() records
 * the call's message for hvd_ctx_get_error(), per thread, with the context it
 * was about, and logs it at LOG_ERR. Returns ERRNUM.
 */
void ctx_clear_error(void);
int ctx_set_error(const struct hvd_ctx *ctx, int errnum, const char *format, ...) HVD_PRINTF(3, 4);
/* The calling thread's last message when it was about CTX, else NULL. */
const char *ctx_error(const struct hvd_ctx *ctx);
/* A broken SYSROOT/cpuid.txt (hvd_ctx_new) is the detection's error: 0, or its code with its message set again. */
int ctx_pending_error(const struct hvd_ctx *ctx);

/* Small string helpers (util.c). */
char *strdup_printf(const char *format, ...) HVD_PRINTF(1, 2);
char *strdup_vprintf(const char *format, va_list ap) HVD_PRINTF(1, 0);
/* Strip trailing whitespace (including NULs and newlines) of a buffer of LEN bytes; returns the new length. */
size_t strip_trailing(char *s, size_t len);
/* Case-insensitive "does HAYSTACK contain NEEDLE"; NULL-safe (false). */
bool contains_ci(const char *haystack, const char *needle);
bool startswith(const char *s, const char *prefix);
bool streq_ptr(const char *a, const char *b);  /* NULL-safe */

/* Growable string (strbuf.c): the one buffer type for JSON and text output. */
struct strbuf {
	char *buf;
	size_t len, cap;
	bool oom;  /* an append failed; the buffer holds what fitted */
};
void strbuf_append(struct strbuf *sb, const char *s, size_t len);
void strbuf_puts(struct strbuf *sb, const char *s);
void strbuf_printf(struct strbuf *sb, const char *format, ...) HVD_PRINTF(2, 3);
/* Append S as a JSON string literal (with quotes), escaping control bytes and invalid UTF-8. NULL -> null. */
void strbuf_json_string(struct strbuf *sb, const char *s);
/* Returns the string (caller frees) or NULL on OOM; the buffer is emptied either way. */
char *strbuf_steal(struct strbuf *sb);
void strbuf_free(struct strbuf *sb);

#endif
