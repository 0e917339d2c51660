#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Runs in the guest after the shipped hook: prints what the host checks, every
# line prefixed "@@E2E " so kernel messages on the same console cannot be mistaken
# for it. Test-only; not shipped.

e2e() { echo "@@E2E $*" > /dev/console; }
e2e_file() { # TAG FILE
    e2e "$1-BEGIN"
    if [ -r "$2" ]; then
        while IFS= read -r l || [ -n "$l" ]; do e2e "$l"; done < "$2"
    fi
    e2e "$1-END"
}

e2e BEGIN
# dracut's PATH lacks /usr/local/bin, where a default build installs the tool.
export PATH="$PATH:/usr/local/bin:/usr/bin:/bin"
e2e "CMDLINE $(cat /proc/cmdline)"
e2e_file VERDICT /run/hvdetect.json
hv=
for a in $(cat /proc/cmdline); do
    case $a in rd.hvdetect.hypervisor=*) hv=${a#*=} ;; esac
done
if [ -n "$hv" ]; then
    detect-hypervisor --modules --hypervisor "$hv" > /run/e2e.select 2>&1
else
    detect-hypervisor --modules > /run/e2e.select 2>&1
fi
e2e "SELECT-RC $?"
e2e_file SELECT /run/e2e.select
e2e_file LOAD /run/hvdetect.load
# Drivers bound to each device: PCI functions, and virtio devices behind virtio-pci.
for bus in pci virtio vmbus; do
    for d in /sys/bus/$bus/devices/*; do
        [ -e "$d" ] || continue
        drv=-
        [ -e "$d/driver" ] && drv=$(readlink "$d/driver") && drv=${drv##*/}
        id=
        case $bus in
        pci) id="$(cat "$d/vendor"):$(cat "$d/device")" ;;
        virtio) id="$(cat "$d/vendor"):$(cat "$d/device")" ;;
        vmbus) id=$(cat "$d/class_id" 2> /dev/null) ;;
        esac
        e2e "DEV $bus ${d##*/} $id $drv"
    done
done
while read -r m _; do mods="$mods $m"; done < /proc/modules
e2e "LSMOD$mods"
e2e END
