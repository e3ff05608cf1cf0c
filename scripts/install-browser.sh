#!/usr/bin/env bash
# Headless Chromium for the browser tests (pytest -m browser): the Debian packages chromium and
# chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver), installed only when missing (apt-install.sh).
set -euo pipefail
exec bash "$(dirname "$0")/apt-install.sh" install-browser chromium chromium-driver
