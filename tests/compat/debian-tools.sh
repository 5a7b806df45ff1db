#!/bin/sh
# Debian's own libguestfs tools and Python binding, built against
# libguestfs 1.48.6, run unchanged on this library (LD_LIBRARY_PATH) on
# the debian test guest (and virt-inspector on the fedora one too, whose
# applications come from its rpm database); their output must be what
# is recorded in expected/.  For virt-cat, virt-ls -lR, virt-df and
# virt-filesystems that is byte for byte what Debian's libguestfs prints
# for the same guest; bench/compat-tools runs both side by side.  On the
# fedora guest, virt-inspector's applications are byte for byte
# libguestfs's; libguestfs 1.48 names the btrfs subvolumes' device
# /dev/sdb2, leaves out product_variant and, with no /usr/bin/dnf in the
# guest, says yum.  The Python part also watches a guest directory with
# the inotify group.
#
#   debian-tools.sh LIBDIR TEST-GUEST-PATH-SCRIPT EXPECTED-DIR
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
unset LIBGUESTFS_BACKEND

. "$(dirname "$0")/compare.sh"

# Filesystem UUIDs differ between builds of the guest: masked (and
# FAT's volume IDs).
mask_uuids () {
    sed -E -e 's/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/UUID/g' \
        -e 's/<uuid>[0-9A-F]{4}-[0-9A-F]{4}</<uuid>UUID</g'
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
fedora=$($guest_path fedora) || exit 77
virt-inspector -a "$fedora" 2>&1 | mask_uuids > "$out/virt-inspector-fedora"
check virt-inspector-fedora

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
# Reading a file of a watched directory: IN_ACCESS | IN_OPEN events,
# even on a read-only mount.
g.inotify_init(0)
wd = g.inotify_add_watch("/etc", 1 | 32)
g.cat("/etc/hostname")
print(sorted({(e["in_name"], e["in_wd"] == wd) for e in g.inotify_read()}))
g.cat("/etc/hostname")
print(g.inotify_files())
g.inotify_close()
g.shutdown()
g.close()
PY
check python3-guestfs

save virt-cat virt-ls virt-df virt-filesystems virt-inspector \
     virt-copy-out virt-tar-out python3-guestfs
[ $failures -eq 0 ]
