#!/usr/bin/env bash
# Headless Chromium for the browser tests (pytest -m browser): the Debian packages chromium and
# chromium-driver, installed with apt-get only when missing, so running it again changes nothing.
# Needs root (or sudo) on Debian/Ubuntu; elsewhere it says what is missing and exits non-zero.
set -euo pipefail

packages=(chromium chromium-driver)
missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-browser: chromium and chromium-driver already installed"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-browser: apt-get not found; install ${missing[*]} (/usr/bin/chromium, /usr/bin/chromedriver)" >&2
  exit 1
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  sudo=(sudo)
fi
echo "install-browser: installing ${missing[*]}"
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
