#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Exit statuses and error messages of detect-hypervisor: 0 guest, 1 none or
host, 2 usage or fatal error with exactly one line on stderr."""
import os
import tempfile

from cli_common import FIXTURES, HERE, Checker, run, tool_path


def main():
    tool = tool_path()
    c = Checker()

    def expect(args, status, stderr_has=None, stdout_empty=None, what=None):
        p = run(tool, *args)
        label = what or " ".join(args) or "(no options)"
        c.check(p.returncode == status, f"{label}: exit {status} (got {p.returncode})")
        err = p.stderr.decode("utf-8", "backslashreplace")
        if status == 2:
            c.check(err.count("\n") == 1 and err.startswith("detect-hypervisor: "),
                    f"{label}: one 'detect-hypervisor: ' line on stderr ({err!r})")
            c.check(p.stdout == b"", f"{label}: nothing on stdout ({p.stdout[:80]!r})")
        if stderr_has:
            c.check(stderr_has in err, f"{label}: stderr says {stderr_has!r} ({err!r})")
        return p

    with tempfile.TemporaryDirectory() as tmp:
        missing = os.path.join(tmp, "no-such-dir")
        expect(["--sysroot", missing], 2, f"--sysroot {missing}: No such file or directory")
        afile = os.path.join(tmp, "file")
        open(afile, "w").close()
        expect(["--sysroot", afile], 2, f"--sysroot {afile}: Not a directory")
        expect(["--cpuid-dump", missing], 2, missing)

    bad = os.path.join(HERE, "bad-dump.txt")
    # The dump's third line has "ecx=oops": the message must name the file and that line.
    expect(["--sysroot", os.path.join(FIXTURES, "empty"), "--cpuid-dump", bad], 2, f"{bad}:3: ")
    expect(["--bogus"], 2, "unknown option --bogus")
    expect(["-x"], 2, "unknown option -x")
    expect(["--sysroot"], 2, "--sysroot needs an argument")
    expect(["stray"], 2, "unexpected argument 'stray'")
    expect(["--json", "--shell"], 2, "--json and --shell cannot be used together")
    expect(["--explain", "--quiet"], 2, "cannot be used together")
    expect(["--capture", "/nonexistent/x", "--json"], 2, "--capture and --json cannot be used together")
    # A bug report's text is another machine: never the drivers to insert here.
    expect(["--load", "--dry-run", "--from-log", bad], 2, "--load and --from-log cannot be used together")
    expect(["--load", "--from-dmidecode", bad], 2, "--load and --from-dmidecode cannot be used together")
    expect(["--log-level", "loud"], 2, "--log-level loud")
    expect(["--json", "--json", "--sysroot", os.path.join(FIXTURES, "empty")], 1,
           what="repeating the same format is not a conflict")

    p = expect(["--help"], 0)
    out = p.stdout.decode()
    c.check(out.startswith("Usage: detect-hypervisor"), "--help starts with Usage")
    for opt in ("--json", "--shell", "--explain", "--quiet", "--sysroot", "--cpuid-dump", "--capture",
                "--verbose", "--log-level", "--version", "--help"):
        c.check(opt in out, f"--help lists {opt}")
    p = expect(["--version"], 0)
    c.check(p.stdout.startswith(b"detect-hypervisor "), f"--version names the tool ({p.stdout!r})")

    # Bare metal and an empty machine are "no hypervisor"; the VMware fixture is a guest.
    p = expect(["--sysroot", os.path.join(FIXTURES, "baremetal")], 1)
    c.check(p.stdout == b"none\n", f"bare metal prints 'none' ({p.stdout!r})")
    expect(["--sysroot", os.path.join(FIXTURES, "empty")], 1)
    expect(["--quiet", "--sysroot", os.path.join(FIXTURES, "baremetal")], 1)
    p = expect(["-q", "--sysroot", os.path.join(FIXTURES, "vmware")], 0,
               what="-q on the VMware fixture")
    c.check(p.stdout == b"", "--quiet prints nothing")
    p = expect(["--sysroot", os.path.join(FIXTURES, "vmware")], 0)
    c.check(p.stdout.split(b" ")[0].strip() == b"vmware", f"VMware fixture says vmware ({p.stdout!r})")

    # A failed write is an error, like coreutils: never a silent success.
    if os.path.exists("/dev/full"):
        with open("/dev/full", "wb") as full:
            import subprocess
            p = subprocess.run([tool, "--json", "--sysroot", os.path.join(FIXTURES, "empty")],
                               stdout=full, stderr=subprocess.PIPE, timeout=60)
        c.check(p.returncode == 2, f"stdout on /dev/full: exit 2 (got {p.returncode})")
        c.check(b"write error" in p.stderr, f"stdout on /dev/full: says write error ({p.stderr!r})")

    # Logging goes to stderr with a prefix; stdout stays the answer alone.
    p = run(tool, "-vv", "--sysroot", os.path.join(FIXTURES, "empty"))
    c.check(p.stdout in (b"none\n",), f"-vv: stdout is only the answer ({p.stdout!r})")
    c.check(all(l.startswith(b"detect-hypervisor: ") for l in p.stderr.splitlines()),
            "-vv: every log line is prefixed")
    c.done()


if __name__ == "__main__":
    main()
