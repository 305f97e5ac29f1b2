#!/usr/bin/env bash
# The registry benchmark: builds what it needs, starts registry-server from its jar, and prints
# a Markdown report (the figures in docs/benchmarks.md). Takes about three minutes.
# Heartbeats are driven by wrk (Debian package "wrk"), installed here when missing and we are
# root; without it the benchmark falls back to its Java raw-socket generator, and says so.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v wrk >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y wrk >/dev/null 2>&1; } \
      || echo "could not install wrk: using the Java load generator" >&2
  else
    echo "wrk not found (and not root to install it): using the Java load generator" >&2
  fi
fi
mvn -B -q -DskipTests package -pl bench -am
mkdir -p var/log
java -Xmx2g -jar bench/target/bench.jar "$(pwd)"
