#!/usr/bin/python3
"""The binary interface of this library against Debian's libguestfs
1.48.6 (libguestfs-dev): every symbol of Debian's libguestfs.so.0 is
exported by ours; every GUESTFS_* / LIBGUESTFS_* constant both headers
define has the same value; every struct both define has the same
fields in the same order (ours may only append optional arguments).

    abi-compare.py OUR-LIBRARY OUR-HEADER
"""
import os
import re
import subprocess
import sys

DEB_LIB = "/usr/lib/x86_64-linux-gnu/libguestfs.so.0"
DEB_HEADER = "/usr/include/guestfs.h"


def symbols(lib):
    out = subprocess.run(["nm", "-D", "--defined-only", lib],
                         capture_output=True, text=True, check=True).stdout
    return {line.split()[-1].split("@")[0] for line in out.splitlines()}


def defines(header):
    d = {}
    for line in open(header):
        m = re.match(r"\s*#\s*define\s+((?:LIB)?GUESTFS_\w+)\s+(.*)$", line)
        if m:
            d[m.group(1)] = m.group(2).strip()
    return d


def structs(header):
    d = {}
    text = open(header).read()
    for m in re.finditer(r"struct (guestfs_\w+) \{\n(.*?)\n\};", text, re.S):
        fields = []
        for line in m.group(2).split("\n"):
            line = re.sub(r"/\*.*?\*/", "", line).strip()
            if line and not line.startswith("#"):
                fields.append(" ".join(line.rstrip(";").split()))
        d[m.group(1)] = fields
    return d


def main():
    ours_lib, ours_header = sys.argv[1], sys.argv[2]
    if not (os.path.exists(DEB_LIB) and os.path.exists(DEB_HEADER)):
        print("Debian's libguestfs-dev is not installed: skipped")
        return 77
    failures = 0

    missing = sorted(symbols(DEB_LIB) - symbols(ours_lib))
    for s in missing:
        print("FAIL: symbol missing:", s)
    failures += len(missing)

    deb, ours = defines(DEB_HEADER), defines(ours_header)
    # How each header marks its exports is its own business.
    for name in sorted(set(deb) & set(ours) - {"GUESTFS_DLL_PUBLIC"}):
        if deb[name] != ours[name]:
            print("FAIL: %s is %s, libguestfs has %s" % (name, ours[name],
                                                         deb[name]))
            failures += 1
    # Those of internal actions are GUESTFS_PRIVATE in libguestfs.
    for name in sorted(n for n in deb if "_HAVE_" in n and n not in ours
                       and "_HAVE_INTERNAL_" not in n):
        print("FAIL: feature macro missing:", name)
        failures += 1

    deb, ours = structs(DEB_HEADER), structs(ours_header)
    for name in sorted(set(deb) & set(ours)):
        same = ours[name][:len(deb[name])] == deb[name]
        extended = len(ours[name]) > len(deb[name])
        if not same or (extended and not name.endswith("_argv")):
            print("FAIL: struct %s: %s, libguestfs has %s" % (
                name, ours[name], deb[name]))
            failures += 1
    for name in sorted(set(deb) - set(ours)):
        print("FAIL: struct missing:", name)
        failures += 1

    print("%d symbols, %d structs compared; %d failures" % (
        len(symbols(DEB_LIB)), len(deb), failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
