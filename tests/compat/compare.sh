# Sourced by the compat tier's scripts: comparing a run's outputs, in
# $out, with the recorded ones, in $expected.
#
#   check NAME     diff $expected/NAME $out/NAME; counts failures
#   save NAME...   with COMPAT_SAVE=DIR, keep this run's outputs in DIR,
#                  to record new expectations after checking them
#                  against Debian's libguestfs
failures=0
check () {
    if diff -u "$expected/$1" "$out/$1"; then
        echo "ok: $1"
    else
        echo "FAIL: $1 differs from $expected/$1"
        failures=$((failures + 1))
    fi
}

save () {
    if [ -n "${COMPAT_SAVE:-}" ]; then
        mkdir -p "$COMPAT_SAVE" &&
            for name in "$@"; do cp "$out/$name" "$COMPAT_SAVE"; done
    fi
}
