#!/usr/bin/env bash
# Virtuoso for the external-store tests (tests/test_remote.py): Debian's virtuoso-opensource (virtuoso-t),
# installed only when missing (apt-install.sh). The tests start their own server on loopback with a
# temporary database and ini file; the package's system database and service are not used.
set -euo pipefail
# The package asks for its system database's dba password through debconf; answer it up front.
if [ "$(id -u)" -eq 0 ] && command -v debconf-set-selections >/dev/null 2>&1; then
  for question in dba-password dba-password-again; do
    echo "virtuoso-opensource-7 virtuoso-opensource-7/$question password dba" | debconf-set-selections
  done
fi
exec bash "$(dirname "$0")/apt-install.sh" install-virtuoso virtuoso-opensource
