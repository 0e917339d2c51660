#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Live test: capture the machine this runs on with --capture, replay the
capture with --sysroot, and require the same verdict. On a Firecracker guest
(ACPI FACP OEM id FIRECK, as on the build machines here) the verdict must
also be kvm / firecracker with exit status 0."""
import json
import os
import tempfile

from cli_common import Checker, run, tool_path

KEYS = ["hypervisor", "platform", "generation", "firmware", "role", "confidential", "systemd_id"]


def facp_oem_id(root="/"):
    try:
        with open(os.path.join(root, "sys/firmware/acpi/tables/FACP"), "rb") as f:
            return f.read(16)[10:16].decode("ascii", "replace")
    except OSError:
        return None


def main():
    tool = tool_path()
    c = Checker()
    live = run(tool, "--json")
    if not c.check(live.returncode in (0, 1), f"live --json: exit 0 or 1 (got {live.returncode}, {live.stderr!r})"):
        c.done()
    lv = json.loads(live.stdout)
    print(f"live verdict: {json.dumps({k: lv[k] for k in KEYS})}")

    with tempfile.TemporaryDirectory() as tmp:
        cap = os.path.join(tmp, "capture")
        p = run(tool, "--capture", cap)
        c.check(p.returncode == 0, f"--capture: exit 0 (got {p.returncode}, {p.stderr!r})")
        c.check(os.path.isdir(cap), "--capture created the directory")
        out = p.stdout.decode("utf-8", "replace")
        c.check(cap in out and "--sysroot" in out, f"--capture says where and how to replay ({out!r})")
        c.check(not any(n.startswith("capture.tmp") for n in os.listdir(tmp)),
                f"--capture left no temporary directory ({os.listdir(tmp)})")
        files = [os.path.relpath(os.path.join(d, f), cap) for d, _, fs in os.walk(cap) for f in fs]
        print(f"captured {len(files)} files")
        c.check(len(files) > 0, "the capture holds files")

        again = run(tool, "--capture", cap)
        c.check(again.returncode == 2, f"--capture into a non-empty directory: exit 2 (got {again.returncode})")

        rp = run(tool, "--json", "--sysroot", cap)
        c.check(rp.returncode == live.returncode,
                f"replay exit status {rp.returncode} = live {live.returncode} ({rp.stderr!r})")
        if rp.returncode in (0, 1):
            rv = json.loads(rp.stdout)
            for k in KEYS:
                c.check(rv[k] == lv[k], f"replay {k} = live {k} ({rv[k]!r} vs {lv[k]!r})")

    if facp_oem_id() == "FIRECK":
        c.check(lv["hypervisor"] == "kvm", f"Firecracker guest: hypervisor kvm ({lv['hypervisor']!r})")
        c.check(lv["platform"] == "firecracker", f"Firecracker guest: platform firecracker ({lv['platform']!r})")
        c.check(live.returncode == 0, f"Firecracker guest: exit 0 (got {live.returncode})")
        p = run(tool)
        c.check(p.stdout == b"kvm firecracker\n", f"Firecracker guest: default line ({p.stdout!r})")
    else:
        print(f"not a Firecracker guest (FACP OEM id {facp_oem_id()!r}): only replay = live checked")
    c.done()


if __name__ == "__main__":
    main()
