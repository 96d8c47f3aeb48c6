#!/bin/sh
# Install the Debian packages capmix needs, when they are missing.
# As root: apt-get install them.  Otherwise: print the exact command.
set -u
pkgs="build-essential libgsl-dev libyaml-dev libcmocka-dev libxlsxwriter-dev libjansson-dev libssl-dev gnuplot-nox"
# MPI=1: MPICH too (make MPI=1, tests/cli/mpi.sh)
[ "${MPI:-}" = 1 ] && pkgs="$pkgs mpich libmpich-dev"
missing=""
for p in $pkgs; do
    st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
    [ "$st" = "installed" ] || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
    echo "deps: installing:$missing" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends $missing >/dev/null \
        || { echo "deps: apt-get install failed" >&2; exit 1; }
else
    echo "deps: missing packages:$missing" >&2
    echo "deps: run:  sudo apt-get install -y$missing" >&2
    exit 1
fi
