#!/usr/bin/env bash
# Install the Debian packages that some tests drive for real (tmux for the terminal
# alignment test, chromium for the web player test), when their command is missing.
# Usage: scripts/apt-ensure.sh COMMAND[:PACKAGE] ...   e.g. tmux chromium
# Needs root or password-less sudo; otherwise it says what to install and exits 0, and
# the tests that need the program skip with that reason.
set -u
missing=()
for spec in "$@"; do
  cmd=${spec%%:*}; pkg=${spec#*:}
  command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then sudo=""; elif sudo -n true 2>/dev/null; then sudo="sudo -n"; else
  echo "note: tests that drive ${missing[*]} will skip; install them with: sudo apt-get install ${missing[*]}" >&2
  exit 0
fi
echo "installing Debian packages for the tests: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >/dev/null 2>&1 || true
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 \
  || echo "note: could not install ${missing[*]}; the tests that drive them will skip" >&2
exit 0
