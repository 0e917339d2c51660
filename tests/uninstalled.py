#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""A build tree runs uninstalled; an installed library never looks at a build tree.

    uninstalled.py DETECT_HYPERVISOR BUILD_LIB INSTALLED_LIB SRCDIR MODTREE

DETECT_HYPERVISOR is the build tree's tool, BUILD_LIB the build tree's library (what the tool
loads through its RUNPATH), INSTALLED_LIB the copy `cmake --install` installs (lib/installed/),
SRCDIR the source tree, MODTREE tests/modtree's stub kernels. Checks (lib/select/dbdefault.c):
 - the build tree's tool selects and checks the database without --db-dir: it reads the
   source tree's data/drivers.d;
 - the build tree's library names that directory; the installed copy names no data of the
   source tree nor the build tree in what it loads (.rodata, .dynstr, .data), only $datadir's;
 - the tool running on the installed copy (LD_LIBRARY_PATH comes before RUNPATH) never
   mentions the source tree, not even in its debug log.
"""
import os
import subprocess
import sys


def loaded_strings(lib):
    """The strings in the sections a process maps (not the debug information)."""
    out = []
    for section in (".rodata", ".dynstr", ".data", ".data.rel.ro"):
        p = subprocess.run(["readelf", "-W", "-p", section, lib], stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL, text=True, errors="replace")
        out.append(p.stdout)
    return "\n".join(out)


def main():
    tool, build_lib, installed_lib, srcdir, modtree = sys.argv[1:6]
    srcdir = os.path.realpath(srcdir)
    db = os.path.join(srcdir, "data", "drivers.d")
    builddir = os.path.realpath(os.path.join(os.path.dirname(build_lib), ".."))
    failures = []

    def run(*args, env=None):
        p = subprocess.run([tool, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           env=dict(os.environ, **(env or {})))
        return p.returncode, p.stdout, p.stderr

    # The build tree: no --db-dir anywhere.
    rc, out, err = run("--check-db")
    if rc != 0 or "valid" not in out:
        failures.append("build tree: --check-db without --db-dir: exit %d: %s" % (rc, (out + err).strip()))
    kernel = os.path.join(modtree, "lib", "modules", "6.1.0-1-hvdtest")
    sysroot = os.path.join(srcdir, "tests", "integration", "fixtures", "kvm")
    rc, out, err = run("--sysroot", sysroot, "--moddir", kernel, "--modules")
    if rc != 0 or "virtio_blk" not in out.split():
        failures.append("build tree: --modules without --db-dir: exit %d: %s" % (rc, (out + err).strip()))

    # What each copy carries.
    built, installed = loaded_strings(build_lib), loaded_strings(installed_lib)
    if db not in built:
        failures.append("%s does not name %s" % (build_lib, db))
    # (__FILE__ names the sources in log calls: paths of sources, not of data, and a
    # distribution's build maps them away with -ffile-prefix-map.)
    for path in (os.path.join(srcdir, "data"), builddir):
        if path in installed:
            failures.append("%s (the installed copy) holds the path %s" % (installed_lib, path))
    if "/hvdetect/drivers.d" not in installed:
        failures.append("%s does not name $datadir/hvdetect/drivers.d" % installed_lib)

    # The tool on the installed copy: whatever it finds, never the source tree.
    env = {"LD_LIBRARY_PATH": os.path.dirname(installed_lib)}
    rc, out, err = run("--check-db", "--log-level", "debug", env=env)
    if srcdir in out + err:
        failures.append("the installed library read the source tree: %s" % (out + err).strip())
    if rc != 0 and "hvdetect/drivers.d" not in err:
        failures.append("the installed library: --check-db: exit %d: %s" % (rc, (out + err).strip()))

    for f in failures:
        print("uninstalled: " + f, file=sys.stderr)
    if not failures:
        print("uninstalled: the build tree reads %s; the installed copy holds no build path" % db)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
