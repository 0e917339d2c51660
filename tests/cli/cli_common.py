# SPDX-License-Identifier: LGPL-2.1-or-later
"""Shared helpers for the detect-hypervisor CLI tests (Python 3 stdlib only)."""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "fixtures")
GOLDEN = os.path.join(HERE, "golden")
SKIP = 77  # ctest SKIP_RETURN_CODE


def tool_path():
    if len(sys.argv) < 2:
        sys.exit(f"usage: {sys.argv[0]} PATH-TO-detect-hypervisor [ARGS...]")
    return os.path.abspath(sys.argv[1])


def clean_env():
    """No inherited log level or locale may change what the tool prints."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HVD_")}
    env["LC_ALL"] = "C"
    return env


def run(tool, *args, cwd=None, env=None):
    return subprocess.run([tool, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          cwd=cwd, env=env or clean_env(), timeout=60)


class Checker:
    def __init__(self):
        self.failures = 0

    def check(self, cond, what):
        if cond:
            print(f"ok    {what}")
        else:
            print(f"FAIL  {what}")
            self.failures += 1
        return cond

    def done(self):
        if self.failures:
            print(f"{self.failures} check(s) failed")
            sys.exit(1)
        sys.exit(0)


def lib_decode(raw):
    """Bytes as libhvdetect's JSON shows them: UTF-8, each invalid byte as the code point of its value."""
    out, i = [], 0
    while i < len(raw):
        for n in (1, 2, 3, 4):
            try:
                ch = raw[i:i + n].decode("utf-8")
                if len(ch) == 1:
                    out.append(ch)
                    i += n
                    break
            except UnicodeDecodeError:
                continue
        else:
            out.append(chr(raw[i]))
            i += 1
    return "".join(out)
