#!/bin/sh
# Debian's own libguestfs tools and Python binding, built against
# libguestfs 1.48.6, run unchanged on this library (LD_LIBRARY_PATH) on
# the debian test guest; their output must be what is recorded in
# expected/.  For virt-cat, virt-ls -lR, virt-df and virt-filesystems
# that is byte for byte what Debian's libguestfs prints for the same
# guest; bench/compat-tools runs both side by side.  The Python part
# also checks that the inotify group, not implemented yet, fails as on
# a libguestfs built without it.
#
#   debian-tools.sh LIBDIR TEST-GUEST-PATH-SCRIPT EXPECTED-DIR
#
# COMPAT_PRELOAD=LIB is preloaded into the tools: the ASan runtime, when
# this library is built with the sanitizers.  The tools' own leaks are
# not this library's to report, so leak checking is off for them.
#
# COMPAT_SAVE=DIR keeps this run's outputs in DIR, to record new
# expectations after checking them against Debian's libguestfs.
set -u
libdir=$1 guest_path=$2 expected=$3

for tool in virt-cat virt-ls virt-df virt-filesystems virt-inspector \
            virt-copy-out virt-tar-out; do
    if ! command -v $tool >/dev/null 2>&1; then
        echo "$tool is not installed (libguestfs-tools): skipped"
        exit 77
    fi
done
# Debian's Python, which has Debian's binding.
python=/usr/bin/python3
if ! $python -c 'import guestfs' 2>/dev/null; then
    echo "python3-guestfs is not installed: skipped"
    exit 77
fi

image=$($guest_path debian) || exit 77
out=$(mktemp -d) || exit 1
trap 'rm -rf "$out"' EXIT
export LD_LIBRARY_PATH=$libdir
if [ -n "${COMPAT_PRELOAD:-}" ]; then
    export LD_PRELOAD=$COMPAT_PRELOAD
    export ASAN_OPTIONS=detect_leaks=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}
fi
unset LIBGUESTFS_BACKEND

failures=0
check () {
    name=$1
    if diff -u "$expected/$name" "$out/$name"; then
        echo "ok: $name"
    else
        echo "FAIL: $name differs from $expected/$name"
        failures=$((failures + 1))
    fi
}

# Filesystem UUIDs differ between builds of the guest: masked.
mask_uuids () {
    sed -E 's/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/UUID/g'
}

virt-cat -a "$image" /etc/hostname > "$out/virt-cat" 2>&1
check virt-cat
virt-ls -a "$image" -lR /etc > "$out/virt-ls" 2>&1
check virt-ls
virt-df -a "$image" 2>&1 | sed "s|^$(basename "$image"):|IMAGE:|" > "$out/virt-df"
check virt-df
virt-filesystems -a "$image" --all --long > "$out/virt-filesystems" 2>&1
check virt-filesystems
virt-inspector -a "$image" 2>&1 | mask_uuids > "$out/virt-inspector"
check virt-inspector

mkdir "$out/copy"
virt-copy-out -a "$image" /etc /home "$out/copy" > "$out/virt-copy-out" 2>&1
(cd "$out/copy" && find . | sort && cat etc/hostname etc/debian_version) \
    >> "$out/virt-copy-out"
check virt-copy-out

virt-tar-out -a "$image" /etc - | tar tf - | sort > "$out/virt-tar-out"
check virt-tar-out

$python - "$image" > "$out/python3-guestfs" 2>&1 <<'PY'
import sys
import warnings
import guestfs
warnings.simplefilter("ignore")
g = guestfs.GuestFS(python_return_dict=True)
g.add_drive_opts(sys.argv[1], readonly=1)
g.launch()
roots = g.inspect_os()
print(roots)
for root in roots:
    print(g.inspect_get_distro(root), g.inspect_get_major_version(root),
          g.inspect_get_osinfo(root))
    mps = g.inspect_get_mountpoints(root)
    for mp in sorted(mps, key=len):
        g.mount_ro(mps[mp], mp)
    print(g.cat("/etc/hostname"), end="")
    st = g.stat("/etc/hostname")
    print(st["size"], oct(st["mode"]))
    print(sorted(g.ls("/home/user"))[:3])
    apps = g.inspect_list_applications2(root)
    print([a["app2_name"] for a in apps])
print(g.feature_available(["lvm2"]), g.feature_available(["inotify"]))
try:
    g.inotify_init(0)
except RuntimeError as e:
    print("inotify_init:", e)
g.shutdown()
g.close()
PY
check python3-guestfs

if [ -n "${COMPAT_SAVE:-}" ]; then
    mkdir -p "$COMPAT_SAVE" && cp "$out"/virt-* "$out"/python3-guestfs "$COMPAT_SAVE"
fi
[ $failures -eq 0 ]
