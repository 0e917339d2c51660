/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Lazy loading of libkmod, libudev and libblkid: see dlopen.h for why. */
#define _GNU_SOURCE
#define HVD_DLOPEN_NO_REDIRECT
#include "dlopen.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

#define DLSYM_DEFINE(s) __typeof__(s) *sym_##s;
KMOD_SYMBOLS(DLSYM_DEFINE)
UDEV_SYMBOLS(DLSYM_DEFINE)
BLKID_SYMBOLS(DLSYM_DEFINE)

struct dl_lib {
	const char *soname;
	pthread_once_t once;
	int result;
	char why[256];     /* set once, read-only afterwards */
};

static struct dl_lib lib_kmod = { "libkmod.so.2", PTHREAD_ONCE_INIT, 0, "" };
static struct dl_lib lib_udev = { "libudev.so.1", PTHREAD_ONCE_INIT, 0, "" };
static struct dl_lib lib_blkid = { "libblkid.so.1", PTHREAD_ONCE_INIT, 0, "" };

/* Resolve NAME into *SLOT; on failure record why in L. */
static bool resolve(struct dl_lib *l, void *handle, const char *name, void **slot)
{
	*slot = dlsym(handle, name);
	if (*slot)
		return true;
	snprintf(l->why, sizeof(l->why), "%s lacks %s", l->soname, name);
	return false;
}

static void *open_lib(struct dl_lib *l)
{
	/* RTLD_NODELETE: the pointers stay valid for the life of the process. */
	void *h = dlopen(l->soname, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
	if (!h) {
		const char *e = dlerror();
		snprintf(l->why, sizeof(l->why), "%s", e ? e : l->soname);
	}
	return h;
}

#define DLSYM_RESOLVE(s) ok = ok && resolve(l, h, #s, (void **)&sym_##s);

static void load_kmod(void)
{
	struct dl_lib *l = &lib_kmod;
	void *h = open_lib(l);
	bool ok = h != NULL;
	KMOD_SYMBOLS(DLSYM_RESOLVE)
	l->result = ok ? 0 : -EOPNOTSUPP;
}

static void load_udev(void)
{
	struct dl_lib *l = &lib_udev;
	void *h = open_lib(l);
	bool ok = h != NULL;
	UDEV_SYMBOLS(DLSYM_RESOLVE)
	l->result = ok ? 0 : -EOPNOTSUPP;
}

static void load_blkid(void)
{
	struct dl_lib *l = &lib_blkid;
	void *h = open_lib(l);
	bool ok = h != NULL;
	BLKID_SYMBOLS(DLSYM_RESOLVE)
	l->result = ok ? 0 : -EOPNOTSUPP;
}

static int finish(struct hvd_ctx *ctx, struct dl_lib *l, int r)
{
	if (r != 0)
		return -r;
	if (l->result < 0)
		return ctx_set_error(ctx, l->result, "%s is not available: %s", l->soname, l->why);
	return 0;
}

int dlopen_kmod(struct hvd_ctx *ctx)
{
	return finish(ctx, &lib_kmod, pthread_once(&lib_kmod.once, load_kmod));
}

int dlopen_udev(struct hvd_ctx *ctx)
{
	return finish(ctx, &lib_udev, pthread_once(&lib_udev.once, load_udev));
}

bool dlopen_udev_available(void)
{
	return pthread_once(&lib_udev.once, load_udev) == 0 && lib_udev.result == 0;
}

int dlopen_blkid(struct hvd_ctx *ctx)
{
	return finish(ctx, &lib_blkid, pthread_once(&lib_blkid.once, load_blkid));
}
