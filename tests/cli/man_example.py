#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The EXAMPLE of a man page is a C program that compiles and links against this build.

    man_example.py PAGE CC LIBRARY INCLUDE_DIR...

The text between .EX and .EE is taken out of PAGE, its roff escapes undone, and
compiled with -Wall -Wextra -Werror against the headers in INCLUDE_DIRs and the
built LIBRARY, so that the page cannot drift from the API it shows.
"""
import os
import subprocess
import sys
import tempfile

ESCAPES = [("\\e", "\\"), ("\\-", "-"), ("\\(dq", '"'), ("\\(aq", "'"), ("\\&", "")]


def main():
    if len(sys.argv) < 5:
        print(__doc__, file=sys.stderr)
        return 2
    page, cc, lib = sys.argv[1:4]
    includes = sys.argv[4:]
    lines, inside = [], False
    for line in open(page):
        if line.startswith(".EX"):
            inside = True
        elif line.startswith(".EE"):
            inside = False
        elif inside:
            for a, b in ESCAPES:
                line = line.replace(a, b)
            lines.append(line)
    if not lines:
        print("man_example: %s has no .EX/.EE example" % page, file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as d:
        src = os.path.join(d, "example.c")
        with open(src, "w") as f:
            f.writelines(lines)
        argv = [cc, "-std=c11", "-Wall", "-Wextra", "-Werror", "-o", os.path.join(d, "example"), src, lib]
        argv[1:1] = ["-I" + i for i in includes]
        p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if p.returncode != 0:
            print("man_example: the example of %s does not build:\n%s\n%s" % (page, " ".join(argv), p.stdout),
                  file=sys.stderr)
            return 1
    print("man_example: the example of %s builds (%d lines)" % (os.path.basename(page), len(lines)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
