# SPDX-License-Identifier: LGPL-2.1-or-later
"""The CPython binding: detect(), verdict objects, errors as OSError, disks through libblkid."""
from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import fixture_trees as ft  # noqa: E402

import hvdetect  # noqa: E402

IDS = set("none kvm qemu vmware hyperv xen virtualbox parallels bhyve acrn qnx vmm apple powervm zvm other".split())


def test_module_comes_from_the_build():
    # Guards against testing an installed copy instead of the one just built.
    if ft.BUILDDIR:
        assert Path(hvdetect.__file__).resolve().is_relative_to(ft.BUILDDIR.resolve())
    assert hvdetect.library_version().count(".") == 2


def test_live_detect_is_a_consistent_verdict():
    v = hvdetect.detect()
    assert v.hypervisor in IDS
    assert 0 <= v.confidence <= 100
    assert isinstance(v.evidence, list)
    d = v.to_dict()
    json.dumps(d)
    # The binding's fields and the C library's own JSON rendering are built independently.
    assert d == json.loads(v.to_json())
    assert str(v).startswith(v.hypervisor)
    assert repr(v).startswith("Verdict(hypervisor=")
    with pytest.raises(AttributeError):
        v.hypervisor = "xen"


@pytest.mark.skipif(not Path("/sys/firmware/acpi/tables/FACP").exists(), reason="no ACPI tables")
def test_this_firecracker_machine():
    facp = Path("/sys/firmware/acpi/tables/FACP").read_bytes()
    if facp[10:16] != b"FIRECK":
        pytest.skip("not a Firecracker VM")
    v = hvdetect.detect()
    assert (v.hypervisor, v.platform) == ("kvm", "firecracker")
    assert str(v).startswith("kvm / firecracker")


def test_fixture_matches_the_command_line_tool(tmp_path):
    root = ft.make_hyperv_gen2(tmp_path / "gen2")
    v = hvdetect.detect(sysroot=root)
    assert v.hypervisor == "hyperv" and v.generation == 2 and v.firmware == "uefi"
    assert any(e.source == "cpuid" for e in v.evidence)
    assert "generation 2" in str(v)
    tool = ft.BUILDDIR / "tools/detect-hypervisor" if ft.BUILDDIR else None
    if tool and tool.exists():
        out = subprocess.run([str(tool), "--sysroot", str(root), "--json"], capture_output=True, text=True)
        assert json.loads(out.stdout) == v.to_dict()


def test_path_like_arguments(tmp_path):
    root = ft.make_hyperv_gen2(tmp_path / "gen2")
    assert hvdetect.detect(sysroot=os.fsencode(root)) == hvdetect.detect(sysroot=str(root))


def test_errors_are_oserror_with_errno_and_message(tmp_path):
    with pytest.raises(FileNotFoundError) as e:
        hvdetect.detect(sysroot=tmp_path / "missing")
    assert e.value.errno == errno.ENOENT
    bad = tmp_path / "dump.txt"
    bad.write_text("CPU:\n   0x00000000 0x00: eax=0x0000000d ebx=nonsense\n")
    with pytest.raises(OSError) as e:
        hvdetect.detect(sysroot=tmp_path, cpuid_dump=bad)
    assert e.value.errno == errno.EBADMSG
    assert "dump.txt" in str(e.value)
    with pytest.raises(TypeError):
        hvdetect.detect(sysroot=42)


def test_evidence_fields(tmp_path):
    v = hvdetect.detect(sysroot=ft.make_hyperv_gen2(tmp_path / "gen2"))
    assert v.evidence, "a Hyper-V tree gives evidence"
    for e in v.evidence:
        assert set(e.to_dict()) == {"source", "key", "value", "points_to", "note", "weight"}
        assert isinstance(e.weight, int)
    assert any(e.points_to == "hyperv" for e in v.evidence)


def test_identifiers():
    hvs, pfs = hvdetect.hypervisors(), hvdetect.platforms()
    assert isinstance(hvs, tuple) and isinstance(pfs, tuple)
    assert all(isinstance(i, str) for i in hvs + pfs)
    assert set(hvs) == IDS and len(hvs) == len(IDS)
    assert len(set(pfs)) == len(pfs) and not set(hvs) & set(pfs)
    assert {"azure", "aws", "gce", "openstack", "firecracker", "wsl"} <= set(pfs)
    assert all(hvdetect.selectable(h) for h in hvs)
    assert {p for p in pfs if hvdetect.selectable(p)} == {"azure", "aws", "gce"}
    assert not hvdetect.selectable("oracle") and not hvdetect.selectable("nosuch") and not hvdetect.selectable("")
    assert hvdetect.platform_hypervisor("aws") == "kvm"
    assert hvdetect.platform_hypervisor("azure") == "hyperv"
    assert hvdetect.platform_hypervisor("openstack") is None
    assert hvdetect.platform_hypervisor("kvm") is None
    for p in pfs:
        assert hvdetect.platform_hypervisor(p) in hvs + (None,)
    with pytest.raises(TypeError):
        hvdetect.selectable(None)
    with pytest.raises(ValueError):
        hvdetect.selectable("kvm\0")


def test_fixture_identifiers_are_registered():
    # Every verdict the fixture trees expect names identifiers the library lists.
    expected = sorted((ft.SRCDIR / "tests/fixtures").glob("*/expected.json"))
    assert expected
    for f in expected:
        e = json.loads(f.read_text())
        assert e["hypervisor"] in hvdetect.hypervisors(), f
        assert e.get("platform") is None or e["platform"] in hvdetect.platforms(), f


needs_mkfs = pytest.mark.skipif(not ft.have("mkfs.vfat", "mkfs.ext4", "sfdisk"),
                                reason="dosfstools, e2fsprogs and fdisk needed")


@needs_mkfs
def test_driver_disks_on_images(tmp_path):
    ft.run_tool("truncate", "-s", "4M", "dd.img", cwd=tmp_path)
    ft.run_tool("mkfs.vfat", "-n", "OEMDRV", "dd.img", cwd=tmp_path)
    ft.run_tool("truncate", "-s", "4M", "other.img", cwd=tmp_path)
    ft.run_tool("mkfs.vfat", "-n", "DATA", "other.img", cwd=tmp_path)
    found = hvdetect.find_driver_disks([tmp_path / "dd.img", tmp_path / "other.img"])
    assert [(d.device, d.fstype, d.label, d.partno) for d in found] == \
        [(str(tmp_path / "dd.img"), "vfat", "OEMDRV", 0)]
    assert hvdetect.find_driver_disks(tmp_path / "dd.img")[0].label == "OEMDRV"
    assert hvdetect.find_driver_disks(sysroot=tmp_path) == []
    with pytest.raises(FileNotFoundError):
        hvdetect.find_driver_disks([tmp_path / "nope.img"])


@needs_mkfs
def test_target_disk_warning_on_gen2(tmp_path):
    img = tmp_path / "mbr.img"
    ft.run_tool("truncate", "-s", "16M", str(img), cwd=tmp_path)
    subprocess.run(["sfdisk", str(img)], input=b"label: dos\ntype=83\n", check=True, capture_output=True,
                   env=dict(os.environ, PATH=os.environ.get("PATH", "") + ":/usr/sbin:/sbin"))
    plain = hvdetect.check_target_disk(img)
    assert (plain.table, plain.esp_partno, plain.uefi_only, plain.warning) == ("dos", 0, False, None)
    gen2 = hvdetect.detect(sysroot=ft.make_hyperv_gen2(tmp_path / "gen2"))
    t = hvdetect.check_target_disk(img, gen2)
    assert t.uefi_only and "Hyper-V generation 2" in t.warning
    with pytest.raises(ValueError):
        hvdetect.check_target_disk(img, hvdetect.Verdict({"hypervisor": "none"}))
