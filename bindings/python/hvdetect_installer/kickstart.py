# SPDX-License-Identifier: LGPL-2.1-or-later
"""The kickstart section of the addon, with pykickstart's semantics:

    %addon com_hvdetect [--disable] [--no-packages] [--portable] [--no-fail]
                        [--hypervisor=NAME] [--distro=FAMILY]
                        [--add-module=M]... [--omit-module=M]...
    %end

`HvdetectData` is an Anaconda `AddonData`: the Boss's parser hands it the header's
tokens after `%addon com_hvdetect` (split with shlex, comments dropped, quotes
removed), every body line with its newline, then `%end`. The section takes no body.

Which classes are whose (docs/installer.md, part B):
- pyanaconda's `AddonData` and pykickstart's `KickstartParseError` and `KSOptionParser`
  are used when importable (Fedora, RHEL: the real installer);
- otherwise (Debian has neither) the small equivalents below, written from the
  contract (docs/installer.md A2): the same signatures, the same errors with the line.

`parse_kickstart(text)` reads a whole kickstart file as pykickstart's state machine
does for the sections this addon cares about, for the command form and the tests.
"""
from __future__ import annotations

import argparse
import io
import shlex
from typing import List, Optional, Sequence

import hvdetect

ADDON_NAME = "com_hvdetect"

try:  # the real installer
    from pykickstart.errors import KickstartParseError  # type: ignore[import-not-found]
    from pykickstart.options import KSOptionParser  # type: ignore[import-not-found]
    HAVE_PYKICKSTART = True
except ImportError:
    HAVE_PYKICKSTART = False

    class KickstartParseError(Exception):  # type: ignore[no-redef]
        """pykickstart.errors.KickstartParseError: a message and the line it is about."""

        def __init__(self, msg: str = "", lineno: Optional[int] = None, formatting: bool = True) -> None:
            self.lineno = lineno
            self.value = msg
            self.msg = msg if lineno is None or not formatting else f"The following problem occurred on line {lineno} of the kickstart file:\n\n{msg}\n"
            super().__init__(self.msg)

        def __str__(self) -> str:
            return self.msg

    class KSOptionParser(argparse.ArgumentParser):  # type: ignore[no-redef]
        """pykickstart.options.KSOptionParser: version= and help= required on every option;
        errors are KickstartParseError with the line, never SystemExit."""

        def __init__(self, prog: str = "", description: str = "", version: Optional[int] = None, **kw) -> None:
            if version is None:
                raise KeyError("version")
            super().__init__(prog=prog, description=description, add_help=False, allow_abbrev=False, **kw)
            self.lineno: Optional[int] = None

        def add_argument(self, *args, **kw):  # type: ignore[override]
            if "version" not in kw or "help" not in kw:
                raise KeyError("version and help are required")
            kw.pop("version")
            return super().add_argument(*args, **kw)

        def parse_args(self, args: Optional[Sequence[str]] = None, namespace=None, lineno: Optional[int] = None):  # type: ignore[override]
            self.lineno = lineno
            ns, extra = self.parse_known_args(args, namespace)
            if extra:
                self.error(f"Unknown option(s) for {self.prog}: {' '.join(extra)}")
            return ns

        def error(self, message: str):  # type: ignore[override]
            raise KickstartParseError(message, lineno=self.lineno)

        def exit(self, status: int = 0, message: Optional[str] = None):  # type: ignore[override]
            raise KickstartParseError(message or f"{self.prog}: exit {status}", lineno=self.lineno)

try:  # the real installer
    from pyanaconda.core.kickstart.addon import AddonData  # type: ignore[import-not-found]
    HAVE_PYANACONDA = True
except ImportError:
    from abc import ABCMeta, abstractmethod
    HAVE_PYANACONDA = False

    class AddonData(metaclass=ABCMeta):  # type: ignore[no-redef]
        """pyanaconda.core.kickstart.addon.AddonData: the abstract methods the AddonSection calls."""

        @abstractmethod
        def handle_header(self, args: List[str], line_number: Optional[int] = None) -> None: ...

        @abstractmethod
        def handle_line(self, line: str, line_number: Optional[int] = None) -> None: ...

        def handle_end(self) -> None:
            pass

        @abstractmethod
        def __str__(self) -> str: ...


# The Boss's version of the grammar is pykickstart's DEFAULT_VERSION; ours started at one.
_OPTIONS_VERSION = 1
_FAMILIES = ("rhel", "fedora", "debian", "ubuntu", "suse")


def _options() -> "KSOptionParser":
    p = KSOptionParser(prog=f"%addon {ADDON_NAME}", description="hvdetect: para-virtual drivers",
                       version=_OPTIONS_VERSION)
    p.add_argument("--disable", action="store_true", version=_OPTIONS_VERSION, help="do nothing")
    p.add_argument("--no-packages", action="store_true", version=_OPTIONS_VERSION,
                   help="add no guest-tools packages")
    p.add_argument("--portable", action="store_true", version=_OPTIONS_VERSION,
                   help="also every other hypervisor's boot drivers")
    p.add_argument("--no-fail", action="store_true", version=_OPTIONS_VERSION,
                   help="install even when the target kernel lacks a boot driver")
    p.add_argument("--hypervisor", metavar="NAME", version=_OPTIONS_VERSION,
                   help="select for NAME instead of the detected hypervisor")
    p.add_argument("--distro", metavar="FAMILY", version=_OPTIONS_VERSION,
                   help="the target's distribution family, for the packages")
    p.add_argument("--add-module", metavar="M", action="append", default=[], version=_OPTIONS_VERSION,
                   help="a module to add")
    p.add_argument("--omit-module", metavar="M", action="append", default=[], version=_OPTIONS_VERSION,
                   help="a module to leave out")
    return p


def _selectable(name: str) -> bool:
    try:
        return hvdetect.selectable(name)
    except ValueError:   # text no library name can be (UnicodeEncodeError, a NUL)
        return False


def _split_modules(values: List[str]) -> List[str]:
    out: List[str] = []
    for v in values:
        for m in v.split(","):
            if m and m not in out:
                out.append(m)
    return out


class HvdetectData(AddonData):
    """The %addon com_hvdetect section (one AddonData per kickstart handler)."""

    def __init__(self, name: str = ADDON_NAME) -> None:
        super().__init__() if HAVE_PYANACONDA else None
        self.name = name
        self.seen = False
        self.enabled = True
        self.packages = True
        self.portable = False
        self.no_fail = False
        self.hypervisor: Optional[str] = None
        self.distro: Optional[str] = None
        self.add_modules: List[str] = []
        self.omit_modules: List[str] = []

    def handle_header(self, args: List[str], line_number: Optional[int] = None) -> None:
        if self.seen:
            raise KickstartParseError(f"a second %addon {ADDON_NAME} section", lineno=line_number)
        ns = _options().parse_args(args=list(args), lineno=line_number)
        # The names are the library's: its registry says which are selectable.
        if ns.hypervisor is not None and not _selectable(ns.hypervisor):
            choices = ", ".join(n for n in hvdetect.hypervisors() + hvdetect.platforms() if hvdetect.selectable(n))
            raise KickstartParseError(f"--hypervisor: unknown name '{ns.hypervisor}' (one of: {choices})",
                                      lineno=line_number)
        if ns.distro is not None and ns.distro not in _FAMILIES:
            raise KickstartParseError(f"--distro: unknown family '{ns.distro}' (one of: {', '.join(_FAMILIES)})",
                                      lineno=line_number)
        add, omit = _split_modules(ns.add_module), _split_modules(ns.omit_module)
        both = sorted(set(add) & set(omit))
        if both:
            raise KickstartParseError(f"modules both added and omitted: {', '.join(both)}", lineno=line_number)
        self.seen = True
        self.enabled = not ns.disable
        self.packages = not ns.no_packages
        self.portable = ns.portable
        self.no_fail = ns.no_fail
        self.hypervisor = ns.hypervisor
        self.distro = ns.distro
        self.add_modules, self.omit_modules = add, omit

    def handle_line(self, line: str, line_number: Optional[int] = None) -> None:
        raise KickstartParseError(f"%addon {ADDON_NAME} takes no content, only options on its first line "
                                  f"(got {line.strip()!r})", lineno=line_number)

    def options(self) -> List[str]:
        """The header's options, in a fixed order: parsing them gives back the same data."""
        opts = []
        opts += ["--disable"] if not self.enabled else []
        opts += ["--no-packages"] if not self.packages else []
        opts += ["--portable"] if self.portable else []
        opts += ["--no-fail"] if self.no_fail else []
        opts += [f"--hypervisor={self.hypervisor}"] if self.hypervisor else []
        opts += [f"--distro={self.distro}"] if self.distro else []
        opts += [f"--add-module={m}" for m in self.add_modules]
        opts += [f"--omit-module={m}" for m in self.omit_modules]
        return opts

    def __str__(self) -> str:
        """The whole section as the Boss writes it into anaconda-ks.cfg; "" when the kickstart had none."""
        if not self.seen:
            return ""
        return "\n" + shlex.join(["%addon", ADDON_NAME] + self.options()) + "\n%end\n"


# --- a whole kickstart file, as pykickstart's _stateMachine reads it (for the command form) ---

_SECTIONS = ("%addon", "%anaconda", "%packages", "%pre", "%pre-install", "%post", "%onerror", "%traceback")


def parse_kickstart(text: str, data: Optional[HvdetectData] = None) -> HvdetectData:
    """Feed TEXT's %addon com_hvdetect section(s) to DATA, as pykickstart does (docs/installer.md A2):
    the header split with shlex(comments=True); body lines with their newline, blank and
    comment lines skipped; `%end # comment` ends a section (split without comments, so an
    unbalanced quote after %end is an error, as there). Other sections are skipped whole;
    another addon's section is ignored. %include is not followed here: an error, not a silence."""
    data = data if data is not None else HvdetectData()
    lines = io.StringIO(text).readlines()   # lines end at "\n" only, as the Boss reads them
    i = 0
    while i < len(lines):
        lineno = i + 1
        raw = lines[i]
        i += 1
        try:
            words = shlex.split(raw, comments=True)
        except ValueError as e:
            raise KickstartParseError(str(e), lineno=lineno) from None
        if not words:
            continue
        if words[0] == "%include" or words[0] == "%ksappend":
            raise KickstartParseError(f"{words[0]} is not followed by this parser: give the included "
                                      f"file's %addon {ADDON_NAME} section itself", lineno=lineno)
        if words[0] not in _SECTIONS:
            continue  # a command: not ours
        ours = words[0] == "%addon" and len(words) > 1 and words[1] == ADDON_NAME
        if words[0] == "%addon" and len(words) < 2:
            raise KickstartParseError("Unknown name of the %addon section.", lineno=lineno)
        if ours:
            data.handle_header(words[2:], lineno)
        ended = False
        while i < len(lines):
            body, blineno = lines[i], i + 1
            i += 1
            try:
                first = shlex.split(body)[:1]   # without comments=True, as pykickstart splits %end
            except ValueError as e:
                if body.lstrip().startswith("%end"):
                    raise KickstartParseError(str(e), lineno=blineno) from None
                first = []
            if first == ["%end"]:
                ended = True
                break
            if ours and body.strip() and not body.lstrip().startswith("#"):
                data.handle_line(body, blineno)
        if not ended:
            raise KickstartParseError(f"Section {words[0]} does not end with %end.", lineno=lineno)
        if ours:
            data.handle_end()
    return data
