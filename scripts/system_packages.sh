#!/usr/bin/env bash
# Debian packages the portal needs beyond Python: Pango for WeasyPrint (PDFs) always; for the
# tests also Chromium (browser tests) and poppler-utils (pdftotext, pdftoppm). Installs what is
# missing when it can (root with apt-get); otherwise says what to install and carries on.
#   scripts/system_packages.sh          what the portal needs to run
#   scripts/system_packages.sh test     and what the tests need
set -uo pipefail
wanted=(libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation)
[ "${1:-}" = "test" ] && wanted+=(chromium poppler-utils)
missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing system packages: ${missing[*]}"
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "Missing system packages (install them for PDFs and browser tests): ${missing[*]}" >&2
fi
