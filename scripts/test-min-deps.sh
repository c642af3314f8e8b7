#!/usr/bin/env bash
# The unit tests on the declared minimum versions of the runtime dependencies (`make test-min`).
#
# .venv-min holds the exact floors of constraints-min.txt and the development tools of
# requirements-dev.txt, unpinned (the resolver picks what fits next to the floors). The
# library is installed from the work tree with --no-deps, so only constraints-min.txt chooses
# a runtime dependency's version; before the tests, the script checks that those pins are
# exactly the `>=` floors of pyproject.toml and that they are what is installed.
#
# .venv-min is reused while constraints-min.txt, requirements-dev.txt and the interpreter stay
# the same (the library itself is reinstalled when pyproject.toml changes); otherwise, or when
# an earlier install did not finish, it is created anew.
#
# The tests run as in the main run (pyproject.toml's pytest options), without coverage.
# Usage: scripts/test-min-deps.sh [pytest options, e.g. -x or -k NAME]; PYTHON picks the
# interpreter (python3), VENV_MIN the venv's directory (.venv-min).
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
VENV_MIN="${VENV_MIN:-.venv-min}"
CONSTRAINTS=constraints-min.txt
PY="$VENV_MIN/bin/python"
STAMP="$VENV_MIN/.installed-min"          # written last: the key of a finished install
PROJECT_STAMP="$VENV_MIN/.installed-project"

die() { echo "test-min: $*" >&2; exit 1; }

[ -n "$VENV_MIN" ] || die "VENV_MIN must not be empty"
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null \
  || die "PYTHON=$PYTHON is not Python 3.10 or later"

# The interpreter (implementation, version, installation) and the files that decide what
# .venv-min holds; any change makes a new venv.
key() {
  "$PYTHON" - "$@" <<'EOF'
import hashlib, sys
h = hashlib.sha256()
h.update(("%s %d.%d.%d %s\n" % (sys.implementation.name, *sys.version_info[:3], sys.base_prefix)).encode())
for path in sys.argv[1:]:
    with open(path, "rb") as f:
        h.update(f.read())
print(h.hexdigest())
EOF
}
deps_key="$(key "$CONSTRAINTS" requirements-dev.txt)"
project_key="$(key pyproject.toml)"

if [ "$(cat "$STAMP" 2>/dev/null || true)" != "$deps_key" ] || ! "$PY" -c '' 2>/dev/null; then
  echo "test-min: creating $VENV_MIN with the floors of $CONSTRAINTS ($("$PYTHON" -V 2>&1))"
  "$PYTHON" -m venv --clear "$VENV_MIN"
  "$PY" -m pip install -q -r "$CONSTRAINTS" -c "$CONSTRAINTS" -r requirements-dev.txt
  "$PY" -m pip install -q --no-deps -e .
  echo "$project_key" > "$PROJECT_STAMP"
  echo "$deps_key" > "$STAMP"
elif [ "$(cat "$PROJECT_STAMP" 2>/dev/null || true)" != "$project_key" ]; then
  echo "test-min: pyproject.toml changed: reinstalling the library into $VENV_MIN"
  "$PY" -m pip install -q --no-deps -e .
  echo "$project_key" > "$PROJECT_STAMP"
fi

# The pins must be the declared floors, and installed: else this run would test other versions.
"$PY" - "$CONSTRAINTS" <<'EOF'
import sys
from importlib.metadata import PackageNotFoundError, version

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

try:
    import tomllib
except ImportError:  # Python 3.10: pytest depends on tomli there
    import tomli as tomllib

with open("pyproject.toml", "rb") as f:
    project = tomllib.load(f)["project"]
declared = list(project.get("dependencies", []))
for extra in project.get("optional-dependencies", {}).values():
    declared += extra

errors = []
floors = {}  # name -> the highest `>=` floor declared for it on this interpreter
for text in declared:
    req = Requirement(text)
    name = canonicalize_name(req.name)
    if name == canonicalize_name(project["name"]):
        continue  # a self-reference such as [all]
    if req.marker is not None and not req.marker.evaluate({"extra": ""}):
        continue  # not for this interpreter
    mins = [Version(s.version) for s in req.specifier if s.operator == ">="]
    if not mins:
        errors.append(f"pyproject.toml declares no '>=' floor for {text!r}")
        continue
    floors[name] = max([*mins, floors.get(name, mins[0])])

pins = {}
with open(sys.argv[1], encoding="utf-8") as f:
    for line in f:
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        req = Requirement(line)
        specs = list(req.specifier)
        if len(specs) != 1 or specs[0].operator != "==":
            errors.append(f"{sys.argv[1]}: {line!r} is not an exact 'name==version' pin")
            continue
        if req.marker is None or req.marker.evaluate({"extra": ""}):
            pins[canonicalize_name(req.name)] = Version(specs[0].version)

for name in sorted(floors.keys() | pins.keys()):
    floor, pin = floors.get(name), pins.get(name)
    if floor is None:
        errors.append(f"{sys.argv[1]} pins {name}, which pyproject.toml does not declare")
    elif pin is None:
        errors.append(f"{sys.argv[1]} has no pin for {name} (pyproject.toml: >={floor})")
    elif pin != floor:
        errors.append(f"{name}: {sys.argv[1]} pins {pin}, pyproject.toml's floor is {floor}")
    else:
        try:
            installed = Version(version(name))
        except PackageNotFoundError:
            errors.append(f"{name} {pin} is not installed")
            continue
        if installed != pin:
            errors.append(f"{name} {installed} is installed, not the floor {pin}")

if errors:
    sys.exit("test-min: " + "\ntest-min: ".join(errors))
print("test-min: unit tests on", ", ".join(f"{n} {v}" for n, v in sorted(pins.items())),
      "(Python %d.%d.%d)" % sys.version_info[:3])
EOF

exec "$PY" -m pytest tests/unit "$@"
