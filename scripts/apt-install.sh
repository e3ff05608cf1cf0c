#!/usr/bin/env bash
# Debian packages for the test suite: `apt-install.sh NAME PACKAGE...` installs those of PACKAGE... that are
# missing with apt-get, so running it again changes nothing. The package lists are refreshed (apt-get update)
# only when they are older than an hour, so the install scripts that call this (install-browser.sh,
# install-virtuoso.sh) update them once between them. Needs root (or sudo) on Debian/Ubuntu; elsewhere it
# says what is missing and exits non-zero. NAME prefixes the messages.
set -euo pipefail

name=$1
shift
missing=()
for package in "$@"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "$name: $* already installed"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "$name: apt-get not found; install ${missing[*]}" >&2
  exit 1
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  sudo=(sudo)
fi
echo "$name: installing ${missing[*]}"
if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages*' -mmin -60 2>/dev/null | head -n 1)" ]; then
  "${sudo[@]}" apt-get update -qq
fi
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
