#!/usr/bin/env bash
# Refresh the vendored GOV.UK Frontend from the npm registry at the pinned version.
# The portal is not on a GOV.UK domain, so the GDS Transport font and the crown are stripped:
# the @font-face rules are removed and every font stack falls back to Arial/Helvetica.
set -euo pipefail
VERSION="${1:-5.14.0}"
here="$(cd "$(dirname "$0")/.." && pwd)"
dest="$here/static/vendor/govuk-frontend"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "govuk-frontend@$VERSION" >/dev/null && tar xzf "govuk-frontend-$VERSION.tgz")
src="$work/package/dist/govuk"
rm -rf "$dest" && mkdir -p "$dest/images"
sed -E -e 's/@font-face\{[^}]*\}//g' \
       -e 's/font-family:GDS Transport,arial,sans-serif/font-family:arial,helvetica,sans-serif/g' \
       -e 's/font-family:GDS Transport/font-family:arial,helvetica,sans-serif/g' \
       -e 's#/\*\# sourceMappingURL=[^*]*\*/##' \
       "$src/govuk-frontend.min.css" > "$dest/govuk-frontend.min.css"
sed -e 's#//\# sourceMappingURL=.*##' "$src/govuk-frontend.min.js" > "$dest/govuk-frontend.min.js"
cp "$src/assets/images/favicon.ico" "$src/assets/images/favicon.svg" "$dest/images/"
echo "$VERSION" > "$dest/VERSION"
grep -q "GDS Transport" "$dest/govuk-frontend.min.css" && { echo "GDS Transport still referenced" >&2; exit 1; }
echo "govuk-frontend $VERSION vendored into static/vendor/govuk-frontend"
