#!/bin/bash
# Launch and API figures, this project against Debian's libguestfs,
# alternating in one run.  See bench/README.md.
#
#   bench/api-bench.sh [--runs N] [--build DIR]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
runs=3
build=$top/build
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    *) echo "api-bench.sh: unknown argument $1" >&2; exit 1 ;;
  esac
done
"$top/scripts/install-deps" --with "$top/bench/packages"
[ -f "$build/lib/libguestfs.so" ] || {
  echo "api-bench.sh: build the project first ($build)" >&2; exit 1; }

cache=${XDG_CACHE_HOME:-$HOME/.cache}/guestfs-bench
recipe=$(sha256sum "$0" | cut -c1-12)
image=$cache/api-$recipe.img
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The image: 10k and 100k empty files, and 1 GiB of random data.
if [ ! -f "$image" ]; then
  mkdir -p "$cache" "$work/tree/d10k" "$work/tree/d100k"
  (cd "$work/tree/d10k" && seq -f 'file%05g' 1 10000 | xargs touch)
  (cd "$work/tree/d100k" && seq -f 'entry%06g' 1 100000 | xargs touch)
  head -c 1G /dev/urandom > "$work/tree/big"
  truncate -s 3G "$work/img"
  mkfs.ext4 -q -F -d "$work/tree" "$work/img"
  rm -rf "$work/tree"
  mv "$work/img" "$image"
fi

cc -O2 -Wall -o "$work/ours" "$top/bench/api-bench.c" \
  -I"$build/include" -L"$build/lib" -Wl,-rpath,"$build/lib" -lguestfs
cc -O2 -Wall -o "$work/theirs" "$top/bench/api-bench.c" -lguestfs

# Alternate the two, one launch at a time, so load drifts hit both.
for ((i = 0; i < runs; i++)); do
  "$work/ours" "$image" 1 | sed 's/^/ours /' >> "$work/results"
  LIBGUESTFS_BACKEND=direct LIBGUESTFS_BACKEND_SETTINGS=force_tcg \
    "$work/theirs" "$image" 1 | sed 's/^/theirs /' >> "$work/results"
done

median () { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
printf '| figure | libguestfs %s | this project | project/libguestfs |\n' \
  "$(dpkg-query -W -f='${Version}' libguestfs0)"
printf '| --- | --- | --- | --- |\n'
for fig in launch lstatnslist_10k readdir_100k download_1g pread_1m_1g qemu_rss_mib qemu_peak_rss_mib; do
  t=$(awk -v f=$fig '$1=="theirs" && $2==f {print $3}' "$work/results" | median)
  o=$(awk -v f=$fig '$1=="ours" && $2==f {print $3}' "$work/results" | median)
  unit=s; case $fig in *rss*) unit=MiB ;; esac
  printf '| %s | %s %s | %s %s | %.2fx |\n' "$fig" "$t" "$unit" "$o" "$unit" \
    "$(echo "$o / $t" | bc -l)"
done
echo
echo "$runs runs each, medians; $(nproc) cores, $(uname -r), $(date -u +%F)."
echo "Ratios below 1 mean this project is faster (or smaller)."
