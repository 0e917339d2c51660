/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Every file the library reads goes through here: paths are relative to the
 * context's sysroot, resolved as if the sysroot were "/" (absolute symlinks and
 * ".." stay inside it), reads are bounded, and only regular files are read
 * (a FIFO, device or directory where a file belongs is an error, never a hang).
 * When the context has a read hook (during hvd_capture()), every read, every
 * existence check that found something and every listing with its entries is
 * reported to it.
 */
#ifndef HVD_SYSROOT_H
#define HVD_SYSROOT_H

#include <stddef.h>

#include "internal.h"

/* Upper bounds, so that a hostile tree cannot make us read or allocate without limit. */
#define READ_MAX_ATTR   4096u          /* a sysfs attribute / DMI id file */
#define READ_MAX_TABLE  (1u << 20)     /* a raw SMBIOS or ACPI table */
#define LIST_MAX        65536u         /* entries in one directory listing */

/*
 * Open RELPATH (e.g. "sys/class/dmi/id/sys_vendor") below the sysroot with
 * OFLAGS (O_CLOEXEC and O_NOCTTY are added). Returns an fd or a negative errno:
 * -ENOENT missing, -ELOOP too many links, -EXDEV/-EACCES as the system says.
 */
int sysroot_open(struct hvd_ctx *ctx, const char *relpath, int oflags);

/*
 * Read at most MAX bytes of the regular file RELPATH. On success *DATA is a
 * malloc'ed buffer with a NUL after the *LEN bytes read (the content itself may
 * hold NULs), and the return value is 0, or 1 when the file was longer than MAX
 * (truncated). Errors: -ENOENT, -EISDIR, -EINVAL (not a regular file), -EIO ...
 */
int sysroot_read(struct hvd_ctx *ctx, const char *relpath, size_t max, char **data, size_t *len);

/*
 * Reopen the O_PATH descriptor PATHFD with OFLAGS (O_CLOEXEC and O_NOCTTY are
 * added) when it is a regular file; -EISDIR for a directory and -EINVAL for
 * anything else, which is never opened (a device node, a FIFO, a socket).
 * -EAGAIN when /proc cannot reopen it (absent, or closed to a process that
 * changed its user): the caller opens the path again and compares inodes.
 */
int reopen_regular(int pathfd, int oflags);

/*
 * Open the host file PATH (a database file, a CPUID dump) for reading, a
 * regular file only, the same way: -EISDIR, -EINVAL for a device or FIFO,
 * which is never opened.
 */
int host_open_regular(const char *path);

/* The same read on an open FD (a host file, say): fstat checks, the bound, 1 when truncated. */
int read_regular_fd(int fd, size_t max, char **data, size_t *len);

/*
 * Read a one-line attribute (at most READ_MAX_ATTR bytes), with trailing
 * whitespace and NULs stripped. *VALUE is malloc'ed. Same returns as above.
 */
int sysroot_read_attr(struct hvd_ctx *ctx, const char *relpath, char **value);

/* Whether RELPATH exists (following links inside the sysroot): 1 a directory, 2 another file, 0 absent. */
int sysroot_exists(struct hvd_ctx *ctx, const char *relpath);

/*
 * List the directory RELPATH: *NAMES is a malloc'ed, sorted, NULL-terminated
 * array of malloc'ed names ("." and ".." left out), *N their count; at most
 * LIST_MAX entries (more is -E2BIG). Free with strv_free().
 */
int sysroot_list(struct hvd_ctx *ctx, const char *relpath, char ***names, size_t *n);
void strv_free(char **strv);

#endif
