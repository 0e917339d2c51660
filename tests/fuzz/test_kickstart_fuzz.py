# SPDX-License-Identifier: LGPL-2.1-or-later
"""A deterministic mutation fuzz loop over the kickstart %addon parser (no
atheris here): whatever the text, parse_kickstart() returns or raises
KickstartParseError with a line (its documented error), nothing else; and what it
accepts survives a round trip through str(HvdetectData), as the Boss writes it."""
import importlib.util
import os
import random
import sys
import time
from pathlib import Path

SRC = Path(os.environ.get("HVD_SRCDIR", Path(__file__).resolve().parents[2]))
_spec = importlib.util.spec_from_file_location(
    "hvd_kickstart", SRC / "bindings/python/hvdetect_installer/kickstart.py")
ks = importlib.util.module_from_spec(_spec)
sys.modules["hvd_kickstart"] = ks  # dataclasses look their module up
_spec.loader.exec_module(ks)

ITERATIONS = int(os.environ.get("HVD_KS_FUZZ_ITERATIONS", "30000"))
SEEDS = [
    "%addon com_hvdetect\n%end\n",
    "%addon com_hvdetect --disable --no-packages\n%end\n",
    "%addon com_hvdetect --portable --hypervisor=kvm --add-module=virtio_net --omit-module=floppy\n%end\n",
    "%addon com_hvdetect --hypervisor azure --add-module hv_netvsc\n# comment\n\n%end\n",
    "text\n%packages\n@core\n%end\n%pre\necho hi\n%end\n%addon com_hvdetect\n%end\n",
    "%addon org_fedora_oscap\ncontent\n%end\n%addon com_hvdetect --portable\n%end\n",
]
TOKENS = ["%addon", "com_hvdetect", "%end", "%packages", "%pre", "--disable", "--no-packages",
          "--portable", "--hypervisor", "--hypervisor=", "--add-module=", "--omit-module=", "=", "'", '"',
          "\\", "#", "\n", "\r\n", " ", "\t", "\x00", "\x0b", "\x0c", "\x1c", "\u2028", "\u0085", "\ufeff",
          "kvm", "xen", "bogus", "virtio_net", "-x", "--", "é", "\ud800", "a" * 70, "%end%end", "%"]


def mutate(rng, s):
    for _ in range(rng.randint(1, 8)):
        op = rng.randrange(6)
        pos = rng.randint(0, len(s))
        if op == 0:
            s = s[:pos] + rng.choice(TOKENS) + s[pos:]
        elif op == 1 and s:
            end = min(len(s), pos + rng.randint(1, 10))
            s = s[:pos] + s[end:]
        elif op == 2:
            s = s[:pos] + chr(rng.randrange(0, 0x110000)) + s[pos:]
        elif op == 3 and s:
            a, b = sorted((rng.randrange(len(s)), rng.randrange(len(s))))
            s = s[:pos] + s[a:b] + s[pos:]
        elif op == 4:
            s = s[:pos] + rng.choice(SEEDS) + s[pos:]
        else:
            s = s[:pos] + "".join(rng.choice(TOKENS) for _ in range(rng.randint(1, 6))) + s[pos:]
    return s


def check_text(text):
    try:
        data = ks.parse_kickstart(text)
    except ks.KickstartParseError as e:
        assert isinstance(e.lineno, int) and e.lineno >= 1
        assert f"line {e.lineno}" in str(e)
        return False
    assert isinstance(data, ks.HvdetectData)
    if data.seen:
        again = ks.parse_kickstart(str(data))
        assert again.options() == data.options(), (text, data.options(), again.options())
    return True


def check_header(line):
    try:
        ks.parse_kickstart(line + "\n%end\n")
    except ks.KickstartParseError:
        pass


def test_kickstart_mutations():
    rng = random.Random(0x6)
    accepted = rejected = 0
    deadline = time.monotonic() + 120
    for i in range(ITERATIONS):
        text = mutate(rng, rng.choice(SEEDS))
        if check_text(text):
            accepted += 1
        else:
            rejected += 1
        first = text.split("\n", 1)[0]
        check_header(first)
        assert time.monotonic() < deadline, f"too slow at iteration {i}"
    # Both outcomes must be reached, or the loop explores nothing.
    assert accepted > ITERATIONS // 100 and rejected > ITERATIONS // 100, (accepted, rejected)


def test_kickstart_random_bytes():
    rng = random.Random(0x66)
    for _ in range(3000):
        raw = bytes(rng.randrange(256) for _ in range(rng.randint(0, 200)))
        text = raw.decode("utf-8", "surrogateescape")
        check_text("%addon com_hvdetect " + text + "\n%end\n")
        check_text(text)
        check_header("%addon com_hvdetect " + text)
