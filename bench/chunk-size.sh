#!/bin/bash
# Measure download and upload of 1 GiB through the appliance for
# several FileIn/FileOut chunk sizes (each a separate build).
#
#   bench/chunk-size.sh [SIZE...]      default: 8192 65536 262144 1048576 2097152
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
sizes=${*:-8192 65536 262144 1048576 2097152}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/transfer.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <guestfs.h>
static double now (void) { struct timespec t; clock_gettime (CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }
int main (int argc, char **argv) {
  guestfs_h *g = guestfs_create ();
  if (guestfs_add_drive_scratch (g, 2LL << 30, -1) == -1 || guestfs_launch (g) == -1 ||
      guestfs_mkfs (g, "ext4", "/dev/sda") == -1 || guestfs_mount (g, "/dev/sda", "/") == -1)
    return 1;
  double t0 = now ();
  if (guestfs_upload (g, argv[1], "/f") == -1) return 1;
  double t1 = now ();
  if (guestfs_download (g, "/f", "/dev/null") == -1) return 1;
  double t2 = now ();
  printf ("%.0f %.0f\n", 1024 / (t1 - t0), 1024 / (t2 - t1));
  guestfs_close (g);
  return 0;
}
C
head -c 1G /dev/urandom > "$work/data"
printf '| chunk size | upload MiB/s | download MiB/s |\n| --- | --- | --- |\n'
for s in $sizes; do
  b=$work/build-$s
  cmake -S "$top" -B "$b" -DGUESTFS_CHUNK_SIZE="$s" >/dev/null
  cmake --build "$b" -j"$(nproc)" --target guestfs appliance >/dev/null
  cc -O2 -o "$work/t-$s" "$work/transfer.c" -I"$b/include" -L"$b/lib" \
     -Wl,-rpath,"$b/lib" -lguestfs
  read -r up down < <("$work/t-$s" "$work/data")
  printf '| %s | %s | %s |\n' "$s" "$up" "$down"
done
