#!/usr/bin/env bash
# Node.js (with npm) and Chromium for the JavaScript and browser tests: installed from Debian's
# packages when missing (as root, or with sudo); otherwise say what to install and stop.
set -euo pipefail
missing=()
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
command -v "${CHROMIUM:-/usr/bin/chromium}" >/dev/null 2>&1 || missing+=(chromium)
[ "${#missing[@]}" -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO="sudo"
else
  echo "The JavaScript and browser tests need: ${missing[*]} (apt-get install ${missing[*]})." >&2
  echo "Install them, or run 'make test-py' for the Python side only." >&2
  exit 1
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
