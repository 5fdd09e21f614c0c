#!/usr/bin/env bash
# Set up what kg needs on a fresh Debian machine. Safe to run again: it installs only what is missing.
#   bash scripts/setup.sh --run   what running kg needs: a virtual environment in .venv with kg and its libraries
#   bash scripts/setup.sh         that, and everything the tests run: Debian packages (Chromium, Java, Virtuoso,
#                                 LibreOffice), the test tools, grlc in .venv-grlc, Comunica in .node-comunica
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}

# pip_install LOG ARGS...: pip, quiet, its output shown only when it fails.
pip_install() {
    local log
    log=$(mktemp)
    if ! "$@" >"$log" 2>&1; then
        grep -v "^WARNING: Location" "$log" >&2
        echo "setup: pip failed (see above)" >&2
        exit 1
    fi
    rm -f "$log"
}

make_venv() {
    if ! "$python" -c "import ensurepip, venv" 2>/dev/null && ! dpkg-query -W -f='${Status}' python3-venv 2>/dev/null | grep -q "ok installed"; then
        # Debian's own python3 needs python3-venv for a virtual environment; other Pythons carry venv themselves.
        sudo=""
        [ "$(id -u)" -eq 0 ] || sudo="sudo"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends python3-venv >/dev/null
    fi
    [ -x .venv/bin/python ] || "$python" -m venv .venv
}

if [ "${1:-}" = "--run" ]; then
    make_venv
    # The full setup's marker says the test tools are there too, and they include everything running needs.
    if [ ! -x .venv/bin/kg ] || { [ ! -f .venv/.installed-run ] && [ ! -f .venv/.installed ]; } \
        || { [ -f .venv/.installed-run ] && [ pyproject.toml -nt .venv/.installed-run ]; }; then
        echo "setup: installing kg and its libraries into .venv" >&2
        pip_install .venv/bin/python -m pip install -q -e .
        touch .venv/.installed-run
    fi
    .venv/bin/python -m compileall -q kg >/dev/null
    exit 0
fi

debs=(raptor2-utils chromium virtuoso-opensource-7-bin fonts-noto-cjk default-jdk-headless curl libreoffice-calc-nogui)
# Debian's own python3 needs python3-venv for a virtual environment; other Pythons carry venv themselves.
"$python" -c "import ensurepip, venv" 2>/dev/null || debs+=(python3-venv)
# npx runs Comunica in the tests; a machine with Node.js from elsewhere has it already (and Debian's npm would conflict).
command -v npx >/dev/null || debs+=(npm)
missing=()
for pkg in "${debs[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "setup: installing Debian packages: ${missing[*]}" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

make_venv
needed=(.venv/bin/kg .venv/bin/pytest .venv/bin/ruff .venv/bin/mypy .venv/bin/oxigraph)
ready=yes
for tool in "${needed[@]}"; do [ -x "$tool" ] || ready=no; done
[ -f .venv/.installed ] && [ ! pyproject.toml -nt .venv/.installed ] || ready=no
if [ "$ready" = no ]; then
    echo "setup: installing Python packages into .venv" >&2
    log=$(mktemp)
    if ! .venv/bin/python -m pip install -q --upgrade pip >"$log" 2>&1 \
        || ! .venv/bin/python -m pip install -q -e ".[test]" >>"$log" 2>&1; then
        grep -v "^WARNING: Location" "$log" >&2
        echo "setup: pip failed (see above)" >&2
        exit 1
    fi
    rm -f "$log"
    for tool in "${needed[@]}"; do
        [ -x "$tool" ] || { echo "setup: $tool is missing after the install" >&2; exit 1; }
    done
    .venv/bin/python -c "import kg, pytest, playwright, pandas"
    touch .venv/.installed
fi
# grlc (which serves queries/ as a web API) pins exact versions of everything it needs, rdflib and Flask among them,
# so it gets a virtual environment of its own, which the tests use to serve queries/ with it.
grlc_version=1.3.11
if [ ! -x .venv-grlc/bin/gunicorn ] || [ "$(cat .venv-grlc/.installed 2>/dev/null)" != "$grlc_version" ]; then
    echo "setup: installing grlc $grlc_version into .venv-grlc" >&2
    [ -x .venv-grlc/bin/python ] || "$python" -m venv .venv-grlc
    log=$(mktemp)
    if ! .venv-grlc/bin/python -m pip install -q "grlc==$grlc_version" >"$log" 2>&1; then
        grep -v "^WARNING: Location" "$log" >&2
        echo "setup: pip failed to install grlc (see above)" >&2
        exit 1
    fi
    rm -f "$log"
    .venv-grlc/bin/python -c "import grlc.server" >/dev/null
    echo "$grlc_version" >.venv-grlc/.installed
fi
# Comunica (a federated SPARQL engine the tests run as a client of kg serve) into the project's own folder, through npm.
comunica_version=4
if [ "$(cat .node-comunica/.installed 2>/dev/null)" != "$comunica_version" ]; then
    echo "setup: installing Comunica $comunica_version into .node-comunica" >&2
    mkdir -p .node-comunica
    (cd .node-comunica && npm install --no-audit --no-fund --loglevel=error "@comunica/query-sparql@$comunica_version") >&2
    echo "$comunica_version" >.node-comunica/.installed
fi
# Byte-compile kg as pip does for an installed package, so that `kg` starts fast even where
# PYTHONDONTWRITEBYTECODE is set (stale files are recompiled; this is quick when nothing changed).
.venv/bin/python -m compileall -q kg >/dev/null
