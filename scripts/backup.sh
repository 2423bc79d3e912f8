#!/usr/bin/env bash
# Back up the portal: the PostgreSQL database (custom format) and the uploaded files and PDFs.
#   scripts/backup.sh BACKUP_DIR            (DATABASE_URL and MEDIA_ROOT from the environment)
set -euo pipefail
dest="${1:?usage: scripts/backup.sh BACKUP_DIR}"
: "${DATABASE_URL:?DATABASE_URL must name the PostgreSQL database to back up}"
media="${MEDIA_ROOT:-$(cd "$(dirname "$0")/.." && pwd)/var/media}"
mkdir -p "$dest"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
pg_dump --format=custom --no-owner --no-privileges --file "$dest/portal-$stamp.dump" "$DATABASE_URL"
if [ -d "$media" ]; then
  tar -C "$media" -czf "$dest/media-$stamp.tar.gz" .
fi
echo "$dest/portal-$stamp.dump"
