#!/usr/bin/env bash
# Make `redis-server` available for the Redis token-cache tests (`make test`, `.ci/run`).
#
# The tests start their own redis-server on a free loopback port (no persistence) and fail
# loudly, never skip, when it cannot start. Which executable: REDIS_SERVER if set, else
# `redis-server` on PATH, else Debian's package `redis-server`, installed here when we run as
# root with apt-get (the package registries are reachable; nothing else is downloaded).
set -euo pipefail

if [ -n "${REDIS_SERVER:-}" ]; then
  [ -x "$REDIS_SERVER" ] || { echo "ensure-redis: REDIS_SERVER=$REDIS_SERVER is not executable" >&2; exit 1; }
  exit 0
fi
if command -v redis-server >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-redis: installing Debian's redis-server package"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -q redis-server >/dev/null 2>&1; then
    apt-get update -q >/dev/null
    apt-get install -y -q redis-server >/dev/null
  fi
  # The package starts a system service on 6379; the tests never use it.
  command -v redis-server >/dev/null 2>&1 && exit 0
fi
echo "ensure-redis: redis-server not found. Install it (Debian/Ubuntu: apt-get install" \
  "redis-server) or point REDIS_SERVER at one; the Redis tests need a real server." >&2
exit 1
