# SPDX-License-Identifier: LGPL-2.1-or-later
"""The installer addon's work and its command form: the kickstart section with pykickstart's
semantics, the target's files on real target roots (Debian's kernel, when fetched), writes that
never leave the target, and no policy restated in Python (issue 14)."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import fixture_trees as ft  # noqa: E402

import hvdetect  # noqa: E402
from hvdetect_installer import (HvdetectData, InstallerError, KickstartParseError, Machine,  # noqa: E402
                                configure_target, parse_kickstart, requirements, write_in_root)

DB = (str(ft.SRCDIR / "data/drivers.d"), "")

# -- kickstart: what pykickstart does (docs/installer.md A2) -----------------------------------

KS = """# a kickstart
lang en_US.UTF-8
%packages
@core
%end
%addon org_other --x
stuff
%end
%addon com_hvdetect --portable --hypervisor=hyperv --add-module=nbd --add-module dm_crypt,loop --omit-module='hv_balloon' --no-packages # why
# comments are fine

%end # done
"""


def test_kickstart_parse_and_write_back():
    d = parse_kickstart(KS)
    assert (d.enabled, d.packages, d.portable, d.hypervisor, d.no_fail) == (True, False, True, "hyperv", False)
    assert d.add_modules == ["nbd", "dm_crypt", "loop"] and d.omit_modules == ["hv_balloon"]
    out = str(d)
    assert out.startswith("\n%addon com_hvdetect ") and out.endswith("\n%end\n")
    again = parse_kickstart(out)
    assert again.options() == d.options()


def test_no_section_generates_nothing():
    d = parse_kickstart("lang C\n")
    assert d.enabled and not d.seen and str(d) == ""


def test_addon_data_contract():
    """The AddonSection hands the header tokens after the name, then each body line with its newline."""
    d = HvdetectData()
    d.handle_header(["--no-fail", "--distro=suse"], 3)
    assert d.no_fail and d.distro == "suse"
    with pytest.raises(KickstartParseError) as e:
        d.handle_line("  something\n", 4)
    assert e.value.lineno == 4


def test_kickstart_hypervisor_names_come_from_the_library():
    assert parse_kickstart("%addon com_hvdetect --hypervisor=gce\n%end\n").hypervisor == "gce"
    # A platform the library knows, but cannot select for: rejected like any unknown name.
    with pytest.raises(KickstartParseError, match="unknown name 'oracle'"):
        parse_kickstart("%addon com_hvdetect --hypervisor=oracle\n%end\n")


@pytest.mark.parametrize("text,line,words", [
    ("%addon com_hvdetect --bogus\n%end\n", 1, "bogus"),
    ("%addon com_hvdetect\nbody\n%end\n", 2, "takes no content"),
    ("%addon com_hvdetect\n", 1, "does not end with %end"),
    ("%addon com_hvdetect\n%end # don't\n", 2, "quotation"),
    ("%addon com_hvdetect\n%end\n%addon com_hvdetect\n%end\n", 3, "second"),
    ("%addon com_hvdetect --add-module=x --omit-module=x\n%end\n", 1, "both added and omitted"),
    ("%include /tmp/other.ks\n", 1, "%include is not followed"),
    ("%addon\n%end\n", 1, "Unknown name"),
])
def test_kickstart_errors_name_the_line(text, line, words):
    with pytest.raises(KickstartParseError) as e:
        parse_kickstart(text)
    assert e.value.lineno == line and words in str(e.value)


# -- writing into the target ------------------------------------------------------------------

def test_writes_are_ours_atomic_and_stay_in_the_target(tmp_path):
    root = tmp_path / "t"
    root.mkdir()
    body = hvdetect.FORMAT_HEADER + "x, kernel 1.\nadd_drivers+=\" a \"\n"
    assert write_in_root(str(root), "etc/dracut.conf.d/90-hvdetect.conf", body) == "written"
    assert write_in_root(str(root), "etc/dracut.conf.d/90-hvdetect.conf", body) == "unchanged"
    assert oct((root / "etc/dracut.conf.d/90-hvdetect.conf").stat().st_mode & 0o777) == "0o644"
    (root / "etc/modules-load.d").mkdir(parents=True)
    (root / "etc/modules-load.d/hvdetect.conf").write_text("mine\n")
    with pytest.raises(InstallerError, match="not written by hvdetect"):
        write_in_root(str(root), "etc/modules-load.d/hvdetect.conf", body)
    assert (root / "etc/modules-load.d/hvdetect.conf").read_text() == "mine\n"
    # Links: absolute, relative out of the root, at the file or on the way. None is followed.
    out = tmp_path / "outside"
    out.mkdir()
    for i, (rel, link) in enumerate([("usr", str(out)), ("var", "../../outside"), ("srv/f", str(out / "f"))]):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(link, root / rel)
        dest = rel if rel.endswith("/f") else rel + "/share/x"
        with pytest.raises(InstallerError, match="link"):
            write_in_root(str(root), dest, body)
    assert not any(out.iterdir())


# -- the work, on a real kernel (Debian's, tests/kernel/fetch-kernel) ---------------------------

@pytest.fixture(scope="module")
def kernel():
    k = ft.kernel_tree()
    if k is None:
        pytest.skip("no Debian kernel tree (tests/kernel/fetch-kernel)")
    return k


@pytest.fixture
def gen2(tmp_path):
    return Machine(sysroot=str(ft.make_hyperv_gen2(tmp_path / "machine")), db_dirs=DB)


def test_target_files_hyperv_gen2(tmp_path, kernel, gen2):
    root = ft.make_target(tmp_path / "target", kernel, ft.DEBIAN_OS_RELEASE)
    r = configure_target(HvdetectData(), gen2, str(root))
    assert r["kernels"] == [kernel[1]] and r["missing_boot"] == {}
    dracut = (root / "etc/dracut.conf.d/90-hvdetect.conf").read_text()
    assert dracut.startswith(hvdetect.FORMAT_HEADER) and kernel[1] in dracut.splitlines()[0]
    assert " hv_storvsc " in dracut and " hv_vmbus " in dracut
    assert "hv_storvsc" in (root / "usr/share/initramfs-tools/modules.d/hvdetect").read_text()
    # Rendered by the library, byte for byte.
    sel = hvdetect.select(gen2.verdict(), target_root=str(root), db_dirs=DB)
    assert dracut == sel.format("dracut")
    # Not a Debian family: no initramfs-tools file.
    rocky = ft.make_target(tmp_path / "rocky", kernel, ft.ROCKY_OS_RELEASE)
    assert "usr/share/initramfs-tools/modules.d/hvdetect" not in configure_target(HvdetectData(), gen2, str(rocky))["files"]


def test_omitting_a_boot_driver_fails_unless_accepted(tmp_path, kernel, gen2):
    root = ft.make_target(tmp_path / "target", kernel, ft.FEDORA_OS_RELEASE)
    d = parse_kickstart("%addon com_hvdetect --omit-module=hv_storvsc\n%end\n")
    with pytest.raises(InstallerError, match=f"kernel {kernel[1]} lacks hv_storvsc"):
        configure_target(d, gen2, str(root))
    assert not (root / "etc/dracut.conf.d").exists()
    d.no_fail = True
    r = configure_target(d, gen2, str(root))
    assert r["missing_boot"] == {kernel[1]: ["hv_storvsc"]}
    assert " hv_storvsc " not in (root / "etc/dracut.conf.d/90-hvdetect.conf").read_text()


def test_two_kernels_each_checked(tmp_path, kernel, gen2):
    root = ft.make_target(tmp_path / "target", kernel, ft.FEDORA_OS_RELEASE)
    ft.run_tool("cp", "-al", str(kernel[0] / "lib/modules" / kernel[1]), str(root / "lib/modules/6.1.0-99-amd64"),
                cwd=root)
    with pytest.raises(InstallerError, match="several kernels"):
        configure_target(HvdetectData(), gen2, str(root))
    r = configure_target(HvdetectData(), gen2, str(root), [kernel[1], "6.1.0-99-amd64"])
    assert r["kernels"] == [kernel[1], "6.1.0-99-amd64"]


def test_packages_before_and_after_the_payload(tmp_path, gen2):
    empty = tmp_path / "empty"
    empty.mkdir()
    # The installer (the machine's tree) has no os-release either: said, nothing added.
    r = requirements(HvdetectData(), gen2, str(empty))
    assert r["packages"] == [] and "no distribution family" in r["warnings"][0]
    ft.write(Path(gen2.sysroot), "etc/os-release", 'ID="redhat"\n')   # the installer's own
    r = requirements(HvdetectData(), gen2, str(empty))
    assert r["family"] == "rhel" and "hyperv-daemons" in r["packages"]
    ft.write(empty, "usr/lib/os-release", ft.DEBIAN_OS_RELEASE)         # the payload's
    r = requirements(HvdetectData(), gen2, str(empty))
    assert r["family"] == "debian" and "hyperv-daemons" in r["packages"]
    d = parse_kickstart("%addon com_hvdetect --distro=suse\n%end\n")
    assert requirements(d, gen2, str(empty))["family"] == "suse"
    assert requirements(parse_kickstart("%addon com_hvdetect --no-packages\n%end\n"), gen2, str(empty))["packages"] == []


def cli(*args, check=None):
    p = subprocess.run([sys.executable, "-m", "hvdetect_installer", *args], capture_output=True, text=True)
    if check is not None:
        assert p.returncode == check, p.stderr
    return p


def test_command_form(tmp_path, kernel, gen2):
    root = ft.make_target(tmp_path / "target", kernel, ft.DEBIAN_OS_RELEASE)
    base = ["--sysroot", gen2.sysroot, "--db-dir", DB[0]]
    out = cli(*base, "configure", "--target", str(root), check=0).stdout
    assert "etc/dracut.conf.d/90-hvdetect.conf\twritten" in out
    p = cli(*base, "--omit-module", "hv_storvsc", "configure", "--target", str(root), check=1)
    assert "hv_storvsc" in p.stderr
    assert "hyperv-daemons" in cli(*base, "packages", "--target", str(root), check=0).stdout
    ks = tmp_path / "ks.cfg"
    ks.write_text(KS)
    assert cli("kickstart", str(ks), check=0).stdout.startswith("%addon com_hvdetect --no-packages --portable")
    ks.write_text("%addon com_hvdetect --bogus\n%end\n")
    assert ":1:" in cli("kickstart", str(ks), check=2).stderr
    assert "/nonexistent" in cli(*base, "load", "--moddir", "/nonexistent", check=2).stderr


# -- no policy restated in Python -----------------------------------------------------------------

PY = [p for d in ("hvdetect", "hvdetect_installer", "com_hvdetect")
      for p in sorted((ft.SRCDIR / "bindings/python" / d).rglob("*.py"))]


@pytest.mark.parametrize("what,pattern", [
    ("os-release parsing", r"ID_LIKE|['\"]ID=|/os-release['\"]|os_release\("),
    ("modules.dep reading", r"modules\.(dep|builtin|alias)"),
    ("format rendering", r"add_drivers\+?=|\"# Generated|# Written by"),
    ("a hypervisor list", r"['\"](kvm|vmware|hyperv|xen|virtualbox)['\"]\s*[,)\]]"),
    ("a family table", r"['\"](centos|rocky|almalinux|sles|opensuse)['\"]"),
])
def test_no_policy_in_python(what, pattern):
    """Code, not prose: comments and docstrings (bare string statements) are left out."""
    import ast
    hits = []
    for p in PY:
        text = p.read_text()
        prose = set()
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                prose.update(range(node.lineno, node.end_lineno + 1))
        hits += [f"{p.relative_to(ft.SRCDIR)}:{n}: {line.strip()}" for n, line in enumerate(text.splitlines(), 1)
                 if n not in prose and re.search(pattern, line) and not line.lstrip().startswith("#")]
    assert not hits, f"{what} in the Python code:\n" + "\n".join(hits)
