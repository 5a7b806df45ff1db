#!/bin/sh
# Real clients of libguestfs from Debian, built against libguestfs
# 1.48.6, run unchanged on this library (LD_LIBRARY_PATH): a guestfish
# session, virt-win-reg (Perl) and virt-customize's kind of edits
# through python3-guestfs.  Each is a script in clients/, run here and
# by bench/compat-tools alike; its output must be what is recorded in
# expected/, which is what Debian's libguestfs prints for the same
# script.  The cached test guests are never modified (overlays,
# read-only drives, a scratch disk).
#
#   debian-clients.sh LIBDIR TEST-GUEST-PATH-SCRIPT EXPECTED-DIR
#
# COMPAT_SAVE=DIR keeps this run's outputs in DIR.
set -u
libdir=$1 guest_path=$2 expected=$3
clients=$(dirname "$0")/clients

need () { # need PROGRAM-OR-MODULE PACKAGE TEST-COMMAND...
    what=$1 package=$2
    shift 2
    if ! "$@" >/dev/null 2>&1; then
        echo "$what is not installed ($package): skipped"
        exit 77
    fi
}
need guestfish guestfish command -v guestfish
need virt-win-reg guestfs-tools command -v virt-win-reg
need Sys::Guestfs libguestfs-perl perl -MSys::Guestfs -e 1
need Win::Hivex libwin-hivex-perl perl -MWin::Hivex -e 1
need hivexget libhivex-bin command -v hivexget
need python3-guestfs python3-guestfs /usr/bin/python3 -c 'import guestfs'
need qemu-img qemu-utils command -v qemu-img
"$guest_path" debian >/dev/null && "$guest_path" windows >/dev/null || exit 77

out=$(mktemp -d) || exit 1
trap 'rm -rf "$out"' EXIT
export LD_LIBRARY_PATH=$libdir
unset LIBGUESTFS_BACKEND

. "$(dirname "$0")/compare.sh"
for client in guestfish virt-win-reg python-customize; do
    # Perl loads the sanitizer runtime (a dependency of this library's
    # sanitizer build) through dlopen, too late: it dies at startup
    # (SEGV in the runtime's initialisation), before any library call.
    if [ $client = virt-win-reg ] && [ -n "${COMPAT_SANITIZERS:-}" ]; then
        echo "skipped: virt-win-reg (Perl cannot load the sanitizer runtime late)"
        continue
    fi
    "$clients/$client" "$guest_path" > "$out/$client" 2>&1
    check $client
done
save guestfish virt-win-reg python-customize
[ $failures -eq 0 ]
