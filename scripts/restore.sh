#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into an EMPTY database (and media folder).
#   scripts/restore.sh portal-STAMP.dump      (DATABASE_URL names the new, empty database)
set -euo pipefail
dump="${1:?usage: scripts/restore.sh path/to/portal-STAMP.dump}"
: "${DATABASE_URL:?DATABASE_URL must name the empty database to restore into}"
media="${MEDIA_ROOT:-$(cd "$(dirname "$0")/.." && pwd)/var/media}"
# --exit-on-error: a half-restored database is worse than none.
pg_restore --no-owner --no-privileges --exit-on-error --dbname "$DATABASE_URL" "$dump"
archive="${dump%/*}/media-$(basename "$dump" .dump | sed 's/^portal-//').tar.gz"
if [ -f "$archive" ]; then
  mkdir -p "$media" && tar -C "$media" -xzf "$archive"
fi
echo "restored $dump"
