#!/usr/bin/env bash
# The browser libraries kg serve's pages use, vendored from npm at pinned versions (see kg/serve/static/vendor/VENDORED.md).
#
#   bash scripts/vendor.sh          fetch the pinned packages with `npm pack`, check every file against SHA256SUMS,
#                                   and copy them into kg/serve/static/vendor/ (nothing changes when they match)
#   bash scripts/vendor.sh --check  check the committed files against SHA256SUMS only (no network, no npm)
#
# The committed files are what the server sends; npm is needed only to show they are exactly the published ones.
# @zazuko/yasgui's package carries no licence file: yasgui/LICENSE is the repository's MIT licence at the release,
# committed and checked by its sum like the rest.
set -euo pipefail
cd "$(dirname "$0")/.."
vendor=kg/serve/static/vendor

# package@version, then "file in the package -> file under $vendor"
packages=(
    "@zazuko/yasgui@4.6.2|build/yasgui.min.js:yasgui/yasgui.min.js build/yasgui.min.css:yasgui/yasgui.min.css"
    "chart.js@4.5.1|dist/chart.umd.min.js:chartjs/chart.umd.min.js LICENSE.md:chartjs/LICENSE.md"
    "swagger-ui-dist@5.35.0|swagger-ui-bundle.js:swagger-ui/swagger-ui-bundle.js swagger-ui.css:swagger-ui/swagger-ui.css LICENSE:swagger-ui/LICENSE NOTICE:swagger-ui/NOTICE swagger-ui-bundle.js.LICENSE.txt:swagger-ui/swagger-ui-bundle.js.LICENSE.txt"
)

check() {  # check the files under $1 against SHA256SUMS
    (cd "$1" && sha256sum --quiet --check "$OLDPWD/$vendor/SHA256SUMS")
}

if [ "${1:-}" = "--check" ]; then
    check "$vendor"
    echo "vendor: the committed files match SHA256SUMS"
    exit 0
fi

command -v npm >/dev/null || { echo "vendor: npm is needed to fetch the packages" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/out/yasgui" "$work/out/swagger-ui" "$work/out/chartjs"
cp "$vendor/yasgui/LICENSE" "$work/out/yasgui/LICENSE"
for entry in "${packages[@]}"; do
    spec=${entry%%|*}
    files=${entry#*|}
    tarball=$(cd "$work" && npm pack --silent "$spec")
    mkdir -p "$work/unpacked"
    tar -xzf "$work/$tarball" -C "$work/unpacked"
    for pair in $files; do
        cp "$work/unpacked/package/${pair%%:*}" "$work/out/${pair#*:}"
    done
    rm -rf "$work/unpacked"
done
check "$work/out"
for pair in $(cd "$work/out" && find . -type f | sort); do
    install -D -m 644 "$work/out/$pair" "$vendor/$pair"
done
echo "vendor: every file matches SHA256SUMS and is in $vendor"
