# SPDX-License-Identifier: LGPL-2.1-or-later
"""The binding's side of the library's contract (issue 13): threads, errors, keywords, logging.

Selection runs against the stub kernel trees of ctest's modtree fixture (HVD_MODTREE,
tests/modtree/mkmodtree.py) and the database in tests/modtree/drivers.d, offline.
"""
from __future__ import annotations

import ast
import errno
import logging
import os
import shutil
import sys
import threading
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import fixture_trees as ft  # noqa: E402

import hvdetect  # noqa: E402
from hvdetect import _hvdetect  # noqa: E402

KA, KB = "6.1.0-1-hvdtest", "6.12.0-2-hvdtest"
MODTREE = Path(os.environ.get("HVD_MODTREE", ""))
DB = ft.SRCDIR / "tests/modtree/drivers.d"
KVM = ft.SRCDIR / "tests/integration/fixtures/kvm"

pytestmark = pytest.mark.skipif(not (MODTREE / "stamp").exists(),
                                reason="no module trees: run through ctest (fixture modtree)")


def moddir(k: str) -> Path:
    return MODTREE / "lib/modules" / k


def sel(v, **kw):
    kw.setdefault("db_dirs", (DB, ""))
    return hvdetect.select(v, **kw)


def test_two_threads_select_their_own_kernel():
    # The script: one verdict, two threads, select(v, moddir=A) / select(v, moddir=B).
    v = hvdetect.detect(sysroot=KVM)
    want = {k: sel(v, moddir=moddir(k)).to_dict() for k in (KA, KB)}
    assert want[KA] != want[KB]
    wrong = []
    barrier = threading.Barrier(2)

    def run(k):
        barrier.wait()
        for _ in range(40):
            got = sel(v, moddir=moddir(k)).to_dict()
            if got != want[k]:
                wrong.append((k, got["kernel"]))
            # A failure in this thread reports this thread's own path, whatever the other does.
            missing = "/nonexistent/" + k
            try:
                sel(v, moddir=missing)
                wrong.append((k, "no error"))
            except FileNotFoundError as e:
                if missing not in str(e):
                    wrong.append((k, str(e)))

    threads = [threading.Thread(target=run, args=(k,)) for k in (KA, KB)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert wrong == []


def test_load_excludes_readers_of_the_selection():
    s = sel(hvdetect.detect(sysroot=KVM), moddir=moddir(KA))
    text = s.format("modules")
    bad = []

    def loader():
        for _ in range(30):
            s.load(dry_run=True)
            if {m.outcome for m in s.modules} != {"would insert"}:
                bad.append([m.outcome for m in s.modules])

    def reader():
        for _ in range(300):
            if s.format("modules") != text:
                bad.append("format")

    threads = [threading.Thread(target=f) for f in (loader, reader, reader)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert bad == []


def test_options_are_not_kept_between_calls():
    v = hvdetect.detect(sysroot=KVM)
    assert sel(v, moddir=moddir(KB)).kernel == KB
    # Neither the database nor the kernel of the call before sticks to the verdict.
    try:
        s = hvdetect.select(v, moddir=moddir(KA))
    except OSError as e:   # the build's own database is not installed here
        assert str(DB) not in str(e)
    else:
        assert s.kernel == KA and all(str(DB) not in (m.reason or "") for m in s.modules)
    assert sel(v, moddir=moddir(KA)).kernel == KA


def test_errors_belong_to_the_call():
    v = hvdetect.detect(sysroot=KVM)
    s = sel(v, moddir=moddir(KA))
    with pytest.raises(FileNotFoundError) as e:
        sel(v, moddir="/nonexistent")
    assert e.value.errno == errno.ENOENT and "no kernel module tree at /nonexistent" in str(e.value)
    # The next failure is its own: a ValueError about the format, not the module tree's message.
    with pytest.raises(ValueError) as e:
        s.format("bogus")
    assert "bogus" in str(e.value) and "module tree" not in str(e.value)
    with pytest.raises(ValueError, match="beos"):
        s.packages_for("beos")


def test_exceptions_by_errno():
    v = hvdetect.detect(sysroot=KVM)
    with pytest.raises(ValueError, match="nosuchcloud"):
        sel(v, hypervisor="nosuchcloud")
    with pytest.raises(ValueError, match="both"):
        sel(v, moddir=moddir(KA), kernel=KA)
    with pytest.raises(FileNotFoundError):
        sel(v, moddir=moddir(KA), db_dirs=("", ""))
    with pytest.raises(OSError) as e:
        hvdetect.detect(sysroot=KVM, cpuid_dump=ft.SRCDIR / "tests/cli/bad-dump.txt")
    assert e.value.errno == errno.EBADMSG and not isinstance(e.value, ValueError)


def test_paths_decode_as_fsdecode(tmp_path):
    # A module tree below a directory whose name is not UTF-8.
    raw = os.fsencode(tmp_path) + b"/trees-\xff"
    os.mkdir(raw)
    shutil.copytree(os.fsencode(moddir(KA)), raw + b"/" + KA.encode(), symlinks=True)
    v = hvdetect.detect(sysroot=KVM)
    s = sel(v, moddir=raw + b"/" + KA.encode())
    assert s.moddir == os.fsdecode(raw + b"/" + KA.encode())
    assert os.fsencode(s.moddir) == raw + b"/" + KA.encode()
    with pytest.raises(FileNotFoundError) as e:
        sel(v, moddir=raw + b"/missing")
    assert os.fsdecode(raw) in str(e.value)


def stub_functions():
    tree = ast.parse((Path(hvdetect.__file__).parent / "_hvdetect.pyi").read_text())
    return [(f.name, [a.arg for a in f.args.args + f.args.kwonlyargs]) for f in tree.body
            if isinstance(f, ast.FunctionDef)]


def test_keywords_as_the_stubs_say():
    funcs = stub_functions()
    assert len(funcs) >= 12
    for name, params in funcs:
        f = getattr(_hvdetect, name)
        # Placeholder values: a type error is fine, an unknown keyword is not.
        try:
            f(**{p: object() for p in params})
        except TypeError as e:
            assert "keyword" not in str(e), "%s(%s): %s" % (name, ", ".join(params), e)
        except (ValueError, OSError):
            pass
    # And with real values, all by keyword.
    v = hvdetect.detect(sysroot=KVM)
    fields, handle = _hvdetect.detect(sysroot=KVM, cpuid_dump=None, no_live_cpuid=True)
    assert fields["hypervisor"] == "kvm"
    assert _hvdetect.verdict_json(handle=handle).startswith("{")
    _, s = _hvdetect.select(handle=v._handle, hypervisor=None, portable=False, no_devices=False,
                            moddir=moddir(KA), kernel=None, vendor_db=DB, admin_db="")
    assert _hvdetect.selection_format(selection=s, format="modules").startswith("virtio")
    assert _hvdetect.selection_packages(selection=s, family="debian") == ["qemu-guest-agent"]
    missing, _ = _hvdetect.load(selection=s, dry_run=True)
    assert missing == 0
    assert "kvm" in _hvdetect.identifiers(kind=_hvdetect.ID_HYPERVISOR)
    assert _hvdetect.platform_hypervisor(platform="aws") == "kvm"
    assert _hvdetect.selectable(name="azure")


def test_log_goes_to_logging(caplog):
    v = hvdetect.detect(sysroot=KVM)
    with caplog.at_level(logging.WARNING, logger="hvdetect"):
        s = sel(v, moddir=moddir(KB), hypervisor="vmware")
    assert s.missing_boot == 1
    got = [(r.name, r.levelno, r.getMessage()) for r in caplog.records]
    assert ("hvdetect", logging.WARNING,
            "boot-tier module vmw_pvscsi is missing from kernel %s: the target cannot boot without it" % KB) in got
    # Errors are logged too; below the logger's level nothing is.
    caplog.clear()
    with caplog.at_level(logging.ERROR, logger="hvdetect"):
        sel(v, moddir=moddir(KB), hypervisor="vmware")
        with pytest.raises(FileNotFoundError):
            sel(v, moddir="/nonexistent")
    assert [r.levelno for r in caplog.records] == [logging.ERROR]
