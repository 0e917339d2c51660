# SPDX-License-Identifier: LGPL-2.1-or-later
# The part of dracut's dracut-lib.sh the hvdetect hook uses, for the small
# busybox test image (the dracut-built image has the real one).
getarg() {
    local want=${1%=} a
    for a in $(cat /proc/cmdline); do
        case $a in
        "$want"=*) echo "${a#*=}"; return 0 ;;
        "$want") return 0 ;;
        esac
    done
    return 1
}
getargbool() {
    local def=$1 v
    shift
    v=$(getarg "$@") || v=$def
    case $v in 0 | no | off) return 1 ;; esac
    return 0
}
info() { echo "hvdetect-shim: $*" > /dev/console; }
warn() { echo "hvdetect-shim: warning: $*" > /dev/console; }
