# SPDX-License-Identifier: LGPL-2.1-or-later
"""The kickstart section of the addon:

    %addon com_hvdetect [--disable] [--no-packages] [--portable] [--hypervisor=NAME]
                        [--add-module=M]... [--omit-module=M]...
    %end
"""
from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from typing import Iterable, List, Optional, Tuple

import hvdetect

ADDON_NAME = "com_hvdetect"

# What hvd_select() accepts as a named target, from the library's registry: every
# hypervisor, and the clouds it can select for (azure, aws, gce).
HYPERVISORS = frozenset(n for n in hvdetect.hypervisors() + hvdetect.platforms() if hvdetect.selectable(n))
_MODULE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")


class KickstartError(ValueError):
    """A malformed %addon com_hvdetect section; LINENO is 1-based in the parsed text."""

    def __init__(self, lineno: int, message: str) -> None:
        super().__init__(f"kickstart line {lineno}: {message}")
        self.lineno = lineno
        self.message = message


@dataclass
class AddonData:
    enabled: bool = True
    packages: bool = True
    portable: bool = False
    hypervisor: Optional[str] = None
    add_modules: List[str] = field(default_factory=list)
    omit_modules: List[str] = field(default_factory=list)
    seen: bool = False  # the kickstart had the section

    def to_kickstart(self) -> str:
        """The section, with options in a fixed order: parsing it gives back the same data."""
        opts = []
        if not self.enabled:
            opts.append("--disable")
        if not self.packages:
            opts.append("--no-packages")
        if self.portable:
            opts.append("--portable")
        if self.hypervisor:
            opts.append(f"--hypervisor={self.hypervisor}")
        opts += [f"--add-module={m}" for m in self.add_modules]
        opts += [f"--omit-module={m}" for m in self.omit_modules]
        return " ".join([f"%addon {ADDON_NAME}"] + opts) + "\n%end\n"

    __str__ = to_kickstart

    def same_meaning(self, other: "AddonData") -> bool:
        key = lambda d: (d.enabled, d.packages, d.portable, d.hypervisor,  # noqa: E731
                         sorted(set(d.add_modules)), sorted(set(d.omit_modules)))
        return key(self) == key(other)


def _value(opt: str, args: List[str], i: int, lineno: int) -> Tuple[str, int]:
    """The value of --opt=VALUE or --opt VALUE, and the index after it."""
    a = args[i]
    if "=" in a:
        v = a.split("=", 1)[1]
    elif i + 1 < len(args) and not args[i + 1].startswith("--"):
        i += 1
        v = args[i]
    else:
        raise KickstartError(lineno, f"{opt} needs a value")
    if not v:
        raise KickstartError(lineno, f"{opt} needs a value")
    return v, i


def parse_header(line: str, lineno: int = 1, data: Optional[AddonData] = None) -> AddonData:
    """Parse the '%addon com_hvdetect ...' line."""
    try:
        args = shlex.split(line, comments=True)
    except ValueError as e:
        raise KickstartError(lineno, f"cannot split the line: {e}") from None
    if len(args) < 2 or args[0] != "%addon" or args[1] != ADDON_NAME:
        raise KickstartError(lineno, f"expected '%addon {ADDON_NAME}'")
    d = data if data is not None else AddonData()
    d.seen = True
    i = 2
    while i < len(args):
        a = args[i]
        opt = a.split("=", 1)[0]
        if opt in ("--disable", "--no-packages", "--portable"):
            if "=" in a:
                raise KickstartError(lineno, f"{opt} takes no value")
            if opt == "--disable":
                d.enabled = False
            elif opt == "--no-packages":
                d.packages = False
            else:
                d.portable = True
        elif opt == "--hypervisor":
            v, i = _value(opt, args, i, lineno)
            if v not in HYPERVISORS:
                raise KickstartError(lineno, f"--hypervisor: unknown name '{v}' (one of: {', '.join(sorted(HYPERVISORS))})")
            d.hypervisor = v
        elif opt in ("--add-module", "--omit-module"):
            v, i = _value(opt, args, i, lineno)
            target = d.add_modules if opt == "--add-module" else d.omit_modules
            for m in v.split(","):
                if not _MODULE_RE.match(m):
                    raise KickstartError(lineno, f"{opt}: '{m}' is not a module name")
                if m not in target:
                    target.append(m)
        else:
            raise KickstartError(lineno, f"unknown option '{a}' for %addon {ADDON_NAME}")
        i += 1
    both = set(d.add_modules) & set(d.omit_modules)
    if both:
        raise KickstartError(lineno, f"modules both added and omitted: {', '.join(sorted(both))}")
    return d


def parse_kickstart(text: str) -> AddonData:
    """Find and parse the %addon com_hvdetect section of a whole kickstart file.

    Other sections are skipped; no section gives the defaults (enabled). The addon
    takes no body: anything but blank and comment lines before %end is an error.
    """
    lines: Iterable[str] = text.splitlines()
    data = AddonData()
    in_other = False
    header_line = 0
    for n, raw in enumerate(lines, 1):
        s = raw.strip()
        if header_line:
            if s == "%end":
                header_line = 0
            elif s and not s.startswith("#"):
                if s.startswith("%"):
                    raise KickstartError(n, f"'{s.split()[0]}' inside %addon {ADDON_NAME} (missing %end?)")
                raise KickstartError(n, f"%addon {ADDON_NAME} takes no content, only options on its first line")
            continue
        if in_other:
            in_other = s != "%end"
            continue
        words = s.split()
        if not words or not words[0].startswith("%"):
            continue
        if words[0] == "%addon" and len(words) > 1 and words[1] == ADDON_NAME:
            if data.seen:
                raise KickstartError(n, f"a second %addon {ADDON_NAME} section")
            parse_header(s, n, data)
            header_line = n
        elif words[0] in ("%addon", "%packages", "%pre", "%post", "%pre-install", "%onerror",
                          "%traceback", "%anaconda"):
            in_other = True
    if header_line:
        raise KickstartError(header_line, f"%addon {ADDON_NAME} without %end")
    return data
