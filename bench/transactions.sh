#!/usr/bin/env bash
# The transactions benchmark: orders placed as a saga and as TCC across user-svc, product-svc and
# order-svc (started from their jars with a registry), against the same orders placed by one app
# in one local transaction on one database, with the same wrk load, in one run; prints a Markdown
# report (the figures in docs/benchmarks.md). About five minutes with the defaults (see
# TransactionBenchmark for the BENCH_* settings).
# PostgreSQL: the machine's on 127.0.0.1:5432 when it answers (as the postgres superuser), else
# WIZMESH_TEST_POSTGRES_URL when set, else an embedded one. wrk (Debian package "wrk") is
# installed here when missing and we are root; without it the benchmark stops.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v wrk >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y wrk >/dev/null 2>&1; } \
      || echo "could not install wrk" >&2
  else
    echo "wrk not found (and not root to install it)" >&2
  fi
fi
if [ -z "${WIZMESH_TEST_POSTGRES_URL:-}" ] && command -v pg_isready >/dev/null 2>&1 && pg_isready -q -h 127.0.0.1 -p 5432; then
  export WIZMESH_TEST_POSTGRES_URL="jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres"
fi
echo "PostgreSQL: ${WIZMESH_TEST_POSTGRES_URL:-embedded}" >&2
echo "uptime before: $(uptime)" >&2
if [ "${BENCH_SKIP_BUILD:-}" != 1 ]; then
  mvn -B -q -DskipTests package -pl bench -am
fi
mkdir -p var/log var/bench
java -Xmx512m -cp bench/target/bench.jar dev.wizmesh.bench.transactions.TransactionBenchmark "$(pwd)"
echo "uptime after: $(uptime)" >&2
