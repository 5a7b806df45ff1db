#!/bin/bash
# Build tests/daemon/example.c the way a user would, against the build
# tree's pkg-config file, and run it against a guestfsd on the host.
#   example.sh BUILD-DIR EXAMPLE.C GUESTFSD [EXTRA-CFLAGS]
set -euo pipefail

build=$1 source=$2 guestfsd=$3 extra=${4:-}
work=$(mktemp -d "${TMPDIR:-/tmp}/guestfs-example.XXXXXX")
daemon=
cleanup ()
{
  if [ -n "$daemon" ]; then kill "$daemon" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

export PKG_CONFIG_PATH=$build/lib/pkgconfig
# shellcheck disable=SC2046,SC2086
cc -Wall -Wextra -Werror $extra "$source" \
   $(pkg-config libguestfs --cflags --libs) -o "$work/example"

mkdir "$work/root"
"$guestfsd" --sysroot "$work/root" --listen -c "$work/sock" &
daemon=$!
for _ in $(seq 500); do
  [ -S "$work/sock" ] && break
  sleep 0.01
done

"$work/example" "$work/sock" "$work/downloaded" > "$work/out"
cat "$work/out"
wait "$daemon"
daemon=

grep -q '^read back: Hello from libguestfs$' "$work/out"
grep -q '^expected error: .*/no/such/file' "$work/out"
grep -q '^progress: 52428800 of 52428800 bytes$' "$work/out"
[ "$(stat -c %s "$work/downloaded")" = 52428800 ]
[ "$(cat "$work/root/hello.txt")" = "Hello from libguestfs" ]
echo "example: OK"
