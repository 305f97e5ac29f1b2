#!/usr/bin/env bash
# The gateway benchmark: the same upstream measured directly, through nginx and through the
# gateway (JWT auth, local rate limit, tracing sampled at 1 %), with wrk on loopback, in one run;
# prints a Markdown report (the figures in docs/benchmarks.md). Takes about four minutes with the
# defaults (3 rounds of 3 × (5 s warm-up + 15 s)); see GatewayBenchmark for the BENCH_* settings.
# wrk and nginx are Debian packages, installed here when missing and we are root; without nginx
# the run has no reference and says so; without wrk it stops.
set -euo pipefail
cd "$(dirname "$0")/.."
install_missing() { # <command> <package>
  command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get install -y "$2" >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y "$2" >/dev/null 2>&1; } \
      || echo "could not install $2" >&2
  else
    echo "$1 not found (and not root to install it)" >&2
  fi
}
install_missing wrk wrk
install_missing nginx nginx
echo "uptime before: $(uptime)" >&2
if [ "${BENCH_SKIP_BUILD:-}" != 1 ]; then
  mvn -B -q -DskipTests package -pl bench -am
fi
mkdir -p var/log var/bench
java -Xmx512m -cp bench/target/bench.jar dev.wizmesh.bench.gateway.GatewayBenchmark "$(pwd)"
echo "uptime after: $(uptime)" >&2
