/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The default vendor driver database, and how a build tree runs uninstalled.
 *
 * This file is compiled twice (lib/CMakeLists.txt), into the two copies of the
 * shared library that one build links from the same objects:
 *
 *  - build/lib/libhvdetect.so.*, which the build tree's programs load (their
 *    RUNPATH names build/lib): the tool, the Python binding, the tests. It is
 *    compiled with HVD_UNINSTALLED_VENDOR_DB, the absolute path of the source
 *    tree's data/drivers.d, so `build/tools/detect-hypervisor --modules` selects
 *    with the database of the tree it was built from, without --db-dir, as
 *    systemd's and git's programs run from their build directories;
 *  - build/lib/installed/libhvdetect.so.*, the one `cmake --install` (and so
 *    every package) installs. It is compiled without that macro: it holds no
 *    path of the build machine and has no code that could look at a build
 *    tree; its default is $datadir/hvdetect/drivers.d, nothing else.
 *
 * So nothing is decided at run time: which copy is loaded decides, and an
 * installed program can only ever load an installed copy (the RUNPATH that
 * pointed at build/lib is rewritten by the install step, or was never there).
 * The admin's directory, $sysconfdir/hvdetect/drivers.d, is the same for both:
 * an uninstalled program obeys the machine's local overrides, like an
 * uninstalled git reads the system's gitconfig. tests/uninstalled.py checks
 * both copies.
 */
#include "config.h"
#include "dbdefault.h"

const char *driverdb_default_vendor_dir(void)
{
#ifdef HVD_UNINSTALLED_VENDOR_DB
	return HVD_UNINSTALLED_VENDOR_DB;
#else
	return HVD_DATADIR "/drivers.d";
#endif
}
