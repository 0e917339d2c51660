#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Test-only dracut module for tests/e2e: gives init a pretend root so it runs
# its hooks without a disk, and once udev has settled (pre-mount) prints the report and
# powers off.
check() { return 255; }
# Not "hvdetect": the kvm-target image (tests/e2e/run) must boot without it; the other image
# names hvdetect itself (-m).
depends() { return 0; }
install() {
    inst_multiple cat sleep readlink
    inst_hook cmdline 99 "$moddir/e2e-root.sh"
    inst_simple "$moddir/report.sh" /e2e/report.sh
    inst_hook pre-mount 99 "$moddir/e2e-finish.sh"
}
