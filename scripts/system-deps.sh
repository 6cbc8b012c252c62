#!/usr/bin/env bash
# Installs the Debian packages the project needs when they are missing.
# Usage: scripts/system-deps.sh [gettext] [chromium] [poppler-utils] [fonts-noto-cjk] [libharfbuzz-subset0]
#        [postgresql-client]
set -euo pipefail
declare -A command_of=([gettext]=msgfmt [chromium]=chromium [poppler-utils]=pdftoppm [postgresql-client]=pg_restore)
missing=()
for package in "$@"; do
  command="${command_of[$package]:-}"
  if [ -n "$command" ] && command -v "$command" >/dev/null 2>&1; then continue; fi
  dpkg -s "$package" >/dev/null 2>&1 && continue
  missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "Missing system packages: ${missing[*]}. Install them with your package manager." >&2
  exit 1
fi
echo "Installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
