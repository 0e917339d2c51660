#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""`eval "$(detect-hypervisor --shell)"` must never run anything, whatever
bytes the machine's DMI holds, and must give back exactly those bytes.

The hostile fixture's product_name is `$(touch x)\\`touch y\\`'"; touch z`
followed by terminal escapes, C1 controls and invalid UTF-8; its sys_vendor
tries to close the quotes (`'; touch w; '`); product_serial ("VMware-...")
and bios_version ("Hyper-V UEFI ...") carry more of the same behind text the
verdict recognises, so that they are sure to be in the evidence. Each shell
found (sh, dash, bash, busybox sh) evaluates the output in an empty
directory, which must stay empty; then every HVD_* variable is printed
NUL-separated and compared with the --json output and the fixture's bytes.
"""
import json
import os
import shutil
import subprocess
import tempfile

from cli_common import FIXTURES, Checker, clean_env, lib_decode, run, tool_path

ROOT = os.path.join(FIXTURES, "hostile")
DMI = os.path.join(ROOT, "sys/class/dmi/id")
FIELDS = ["HYPERVISOR", "PLATFORM", "GENERATION", "FIRMWARE", "ROLE", "CONFIDENTIAL",
          "SYSTEMD_ID", "ARCH", "CONFIDENCE"]
# Values the verdict reports because they match a signature by prefix or substring,
# so their hostile bytes surely reach the output; and values it may leave out.
REQUIRED = ["product_serial", "bios_version"]
OPTIONAL = ["product_name", "sys_vendor"]
EV_FIELDS = ["SOURCE", "KEY", "VALUE", "POINTS_TO", "NOTE", "WEIGHT"]

DUMP = r'''
eval "$("$TOOL" --shell --sysroot "$ROOT")" || exit 3
for f in ''' + " ".join(FIELDS) + r'''; do eval "printf '%s\0' \"\$HVD_$f\""; done
printf '%s\0' "$HVD_EVIDENCE_COUNT"
i=0
while [ "$i" -lt "$HVD_EVIDENCE_COUNT" ]; do
  for f in ''' + " ".join(EV_FIELDS) + r'''; do eval "printf '%s\0' \"\$HVD_EVIDENCE_${i}_$f\""; done
  i=$((i + 1))
done
'''


def shells():
    found = []
    for cand in (["sh"], ["dash"], ["bash", "--posix"], ["busybox", "sh"]):
        path = shutil.which(cand[0])
        if path and os.path.realpath(path) not in [os.path.realpath(s[0]) for s in found]:
            found.append([path, *cand[1:]])
    return found


def text(v):
    return "" if v is None else str(v)


def main():
    tool = tool_path()
    c = Checker()
    j = run(tool, "--json", "--sysroot", ROOT)
    if not c.check(j.returncode in (0, 1), f"--json runs on the hostile fixture (exit {j.returncode})"):
        c.done()
    verdict = json.loads(j.stdout)
    dmi = {}
    for field in REQUIRED + OPTIONAL:
        with open(os.path.join(DMI, field), "rb") as f:
            dmi[field] = f.read().rstrip(b" \t\n")

    for sh in shells():
        name = " ".join(os.path.basename(a) for a in sh)
        with tempfile.TemporaryDirectory() as tmp:
            env = clean_env()
            env.update(TOOL=tool, ROOT=ROOT, HOME=tmp)
            p = subprocess.run([*sh, "-c", DUMP], cwd=tmp, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, timeout=60)
            c.check(p.returncode == 0, f"{name}: eval succeeded (exit {p.returncode}, {p.stderr!r})")
            c.check(os.listdir(tmp) == [], f"{name}: eval created no file ({os.listdir(tmp)})")
        vals = p.stdout.split(b"\0")[:-1]
        top = dict(zip(FIELDS, vals))
        for f, key in zip(FIELDS, ["hypervisor", "platform", "generation", "firmware", "role",
                                   "confidential", "systemd_id", "arch", "confidence"]):
            c.check(top.get(f) == text(verdict[key]).encode(), f"{name}: HVD_{f} is {verdict[key]!r}")
        n = int(vals[len(FIELDS)]) if len(vals) > len(FIELDS) else -1
        c.check(n == len(verdict["evidence"]), f"{name}: HVD_EVIDENCE_COUNT = {len(verdict['evidence'])}")
        seen = []
        for i, ev in enumerate(verdict["evidence"][:max(n, 0)]):
            base = len(FIELDS) + 1 + i * len(EV_FIELDS)
            got = dict(zip(EV_FIELDS, vals[base:base + len(EV_FIELDS)]))
            for f, key in zip(EV_FIELDS, ["source", "key", "value", "points_to", "note", "weight"]):
                raw = got.get(f)
                ok = raw is not None and lib_decode(raw) == text(ev[key])
                if not ok or f == "VALUE":
                    c.check(ok, f"{name}: HVD_EVIDENCE_{i}_{f} round-trips ({raw!r})")
            seen.append(got.get("VALUE"))
        shown = {ev["key"]: raw for ev, raw in zip(verdict["evidence"], seen)}
        for field in REQUIRED:
            c.check(shown.get(field) == dmi[field], f"{name}: the hostile {field} comes back byte for byte")
        for field in OPTIONAL:
            if field in shown:
                c.check(shown[field] == dmi[field], f"{name}: the hostile {field} comes back byte for byte")
            else:
                print(f"note  {name}: the verdict does not show {field}, so its bytes are not compared")

    c.done()


if __name__ == "__main__":
    main()
