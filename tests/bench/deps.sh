#!/bin/sh
# tests/bench/deps.sh — what `make bench` needs beyond `make deps`: Debian's
# python3-numpy, for the vectorised baselines (tests/bench/baseline_numpy*.py).
# As root: apt-get install it when no python3 on the machine imports numpy.
# Otherwise: print the command.  Always exits 0 — the bench runs without
# numpy and reports the baselines as skipped.  Not part of .ci/deps.sh on
# purpose: `make check` does not need numpy.
set -u
for p in ${BENCH_PYTHON:-} python3 /usr/bin/python3; do
    command -v "$p" >/dev/null 2>&1 && "$p" -c 'import numpy' >/dev/null 2>&1 && exit 0
done
st=$(dpkg-query -W -f='${db:Status-Status}' python3-numpy 2>/dev/null || true)
[ "$st" = installed ] && exit 0 # installed for /usr/bin/python3; run.sh finds it
if ! command -v apt-get >/dev/null 2>&1; then
    echo "bench: numpy not found: install numpy for python3 to get the numpy baselines" >&2
    exit 0
fi
if [ "$(id -u)" = 0 ]; then
    echo "bench: installing python3-numpy (for the numpy baselines) ..." >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq --no-install-recommends python3-numpy >/dev/null 2>&1 ||
        { apt-get update -qq >/dev/null 2>&1 &&
            apt-get install -y -qq --no-install-recommends python3-numpy >/dev/null 2>&1; } ||
        echo "bench: apt-get install python3-numpy failed; the numpy baselines will be skipped" >&2
else
    echo "bench: python3-numpy is missing; the numpy baselines will be skipped." >&2
    echo "bench: to run them:  sudo apt-get install -y python3-numpy" >&2
fi
exit 0
