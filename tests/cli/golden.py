#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Golden-output test: run detect-hypervisor on a fixture sysroot in every
output format and compare byte for byte with tests/cli/golden/.

  golden.py TOOL FIXTURE...

Files: golden/FIXTURE.line (default output), .json, .shell, .explain and
.exit (the exit status, the same for every format).
To regenerate after an intended change, run with UPDATE_GOLDEN=1
(e.g. `UPDATE_GOLDEN=1 ctest --test-dir build -R cli_golden`) and review the
diff with `git diff tests/cli/golden` before committing it.
"""
import difflib
import os
import sys

from cli_common import FIXTURES, GOLDEN, Checker, run, tool_path

FORMATS = {"line": [], "json": ["--json"], "shell": ["--shell"], "explain": ["--explain"]}


def show(data):
    return data.decode("utf-8", "backslashreplace").splitlines(keepends=True)


def main():
    tool = tool_path()
    update = os.environ.get("UPDATE_GOLDEN") == "1"
    c = Checker()
    for fixture in sys.argv[2:]:
        root = os.path.join(FIXTURES, fixture)
        statuses = set()
        for fmt, args in FORMATS.items():
            p = run(tool, "--sysroot", root, *args)
            statuses.add(p.returncode)
            c.check(p.stderr == b"", f"{fixture} {fmt}: nothing on stderr ({p.stderr!r})")
            c.check(p.returncode in (0, 1), f"{fixture} {fmt}: exit status 0 or 1 (got {p.returncode})")
            path = os.path.join(GOLDEN, f"{fixture}.{fmt}")
            if update:
                with open(path, "wb") as f:
                    f.write(p.stdout)
                print(f"wrote {path}")
                continue
            try:
                with open(path, "rb") as f:
                    want = f.read()
            except FileNotFoundError:
                c.check(False, f"{path} exists (create it with UPDATE_GOLDEN=1)")
                continue
            if not c.check(p.stdout == want, f"{fixture} {fmt}: output matches {path}"):
                sys.stdout.writelines(difflib.unified_diff(show(want), show(p.stdout), path, "actual"))
        c.check(len(statuses) == 1, f"{fixture}: one exit status across formats ({sorted(statuses)})")
        path = os.path.join(GOLDEN, f"{fixture}.exit")
        got = f"{min(statuses)}\n"
        if update:
            with open(path, "w") as f:
                f.write(got)
            continue
        try:
            with open(path) as f:
                want = f.read()
        except FileNotFoundError:
            want = None
        c.check(got == want, f"{fixture}: exit status {got.strip()} as in {path} ({want!r})")
    c.done()


if __name__ == "__main__":
    main()
