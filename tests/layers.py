#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The library's folders are its layers; an #include never goes upwards.

  layers.py LIBDIR

    base/    context, sysroot, CPUID source, strings, dlopen   (includes nothing above)
    detect/  probes, facts, signatures, registry, verdict, capture   (base)
    select/  driver database, devices, kmod, selection, formats      (base, detect)
    disks/   driver disks, target disk check                        (base, detect)

Every `#include "..."` of every file below LIBDIR is resolved the way the compiler
resolves it (the including file's folder, then LIBDIR, then the build's config.h
and the public include/), and the layer of the file it names must be the
includer's own or one it may use. Prints each violation as FILE:LINE and exits 1;
prints "N passed, N failed" (files) at the end.
"""
import os
import re
import sys

ALLOWED = {
    "base": {"base"},
    "detect": {"base", "detect"},
    "select": {"base", "detect", "select"},
    "disks": {"base", "detect", "disks"},
}
OUTSIDE = {"config.h", "hvdetect.h"}   # generated at configure time / the public header
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def layer_of(libdir, path):
    rel = os.path.relpath(os.path.realpath(path), os.path.realpath(libdir))
    top = rel.split(os.sep)[0]
    return top if top in ALLOWED else None


def resolve(libdir, including, name):
    for base in (os.path.dirname(including), libdir):
        cand = os.path.normpath(os.path.join(base, name))
        if os.path.isfile(cand):
            return cand
    return None


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    libdir = sys.argv[1]
    passed = failed = 0
    for root, dirs, files in os.walk(libdir):
        dirs.sort()
        for f in sorted(files):
            if not f.endswith((".c", ".h")):
                continue
            path = os.path.join(root, f)
            mine = layer_of(libdir, path)
            bad = []
            with open(path, encoding="utf-8", errors="replace") as fh:
                for n, line in enumerate(fh, 1):
                    m = INCLUDE.match(line)
                    if not m or m.group(1) in OUTSIDE:
                        continue
                    target = resolve(libdir, path, m.group(1))
                    if target is None:
                        bad.append('%s:%d: "%s" does not resolve inside %s' % (path, n, m.group(1), libdir))
                        continue
                    theirs = layer_of(libdir, target)
                    if mine is None:
                        bad.append("%s:%d: file outside the layers (%s)" % (path, n, ", ".join(sorted(ALLOWED))))
                    elif theirs not in ALLOWED[mine]:
                        bad.append('%s:%d: %s/ includes "%s" of %s/ (allowed: %s)' % (
                            path, n, mine, m.group(1), theirs, ", ".join(sorted(ALLOWED[mine]))))
            if bad:
                failed += 1
                print("\n".join(bad))
            else:
                passed += 1
    print("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
