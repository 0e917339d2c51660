# SPDX-License-Identifier: LGPL-2.1-or-later
"""The binding on a bug report's text: hvdetect.detect(dmidecode=..., boot_log=...)."""
from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

import hvdetect

SRC = Path(os.environ.get("HVD_SRCDIR", Path(__file__).resolve().parents[2]))
DMI = SRC / "tests" / "text" / "dmidecode"

LOG = """[    0.000000] Linux version 6.1.0-18-amd64 (debian-kernel@lists.debian.org) #1 SMP Debian 6.1.76-1
[    0.000000] DMI: Microsoft Corporation Virtual Machine/Virtual Machine, BIOS Hyper-V UEFI Release v4.1 04/06/2022
[    0.000000] Hypervisor detected: Microsoft Hyper-V
[    0.000000] efi: EFI v2.7 by Microsoft
[    0.004000] ACPI: FACP 0x000000003FFFE000 000114 (v06 VRTUAL MICROSFT 00000001 MSFT 00000001)
[    1.200000] hv_vmbus: Vmbus version:5.3
[    1.300000] clocksource: Switched to clocksource hyperv_clocksource_tsc_page
"""


def test_dmidecode(tmp_path):
    v = hvdetect.detect(dmidecode=DMI / "vmware_esxi_5_1")
    assert v.hypervisor == "vmware" and v.role == "guest"
    assert all(e.source == "dmidecode" and e.key.startswith("line ") for e in v.evidence)


def test_boot_log_names_its_lines(tmp_path):
    log = tmp_path / "dmesg.txt"
    log.write_text(LOG)
    v = hvdetect.detect(boot_log=str(log))
    assert (v.hypervisor, v.platform, v.generation, v.firmware) == ("hyperv", None, 2, "uefi")
    keys = {e.key for e in v.evidence}
    assert {"line 2: product_name", "line 3: Hypervisor detected", "line 6: sys/bus/vmbus"} <= keys
    assert {e.source for e in v.evidence} == {"log"}


def test_both_texts_and_selection(tmp_path):
    log = tmp_path / "dmesg.txt"
    log.write_text(LOG)
    v = hvdetect.detect(dmidecode=DMI / "azure", boot_log=log)
    assert v.hypervisor == "hyperv" and v.platform == "azure"
    assert {e.source for e in v.evidence} == {"dmidecode", "log"}


def test_not_dmidecode_is_ebadmsg(tmp_path):
    log = tmp_path / "dmesg.txt"
    log.write_text(LOG)
    with pytest.raises(OSError) as e:
        hvdetect.detect(dmidecode=log)
    assert e.value.errno == errno.EBADMSG
    assert f"{log}:1:" in str(e.value)


def test_missing_file():
    with pytest.raises(FileNotFoundError):
        hvdetect.detect(boot_log="/nonexistent/dmesg.txt")


def test_nothing_recognisable_is_no_error(tmp_path):
    log = tmp_path / "empty.log"
    log.write_bytes(b"\x00\xff\x1b[2J nothing here\n")
    v = hvdetect.detect(boot_log=log)
    assert v.hypervisor == "none" and v.evidence == []
