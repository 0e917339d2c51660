/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Where the shipped driver database is when the caller names none: the
 * installed $datadir/hvdetect/drivers.d, or, in the copy of the library that
 * lives in the build tree, the source tree's data/drivers.d (dbdefault.c).
 */
#ifndef HVD_SELECT_DBDEFAULT_H
#define HVD_SELECT_DBDEFAULT_H

/* A static string, never NULL. */
const char *driverdb_default_vendor_dir(void);

#endif
