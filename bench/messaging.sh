#!/usr/bin/env bash
# The messaging benchmark: the outbox relay's throughput (events/s from committed outbox rows to the broker's
# confirms) against a plain amqp-client publish loop with confirms, and the end-to-end event latency (commit to
# consumer, p50/p99) of the outbox against publish-after-commit, on the same broker and PostgreSQL in one run;
# prints a Markdown report (the figures in docs/benchmarks.md). About three minutes with the defaults (see
# MessagingBenchmark for the BENCH_* settings).
# RabbitMQ: the machine's on 127.0.0.1:5672 (guest/guest) when it answers, else BENCH_AMQP_URI or
# WIZMESH_TEST_AMQP_URI when set, else an embedded Qpid Broker-J. PostgreSQL: the machine's on 127.0.0.1:5432 when
# it answers (as the postgres superuser), else WIZMESH_TEST_POSTGRES_URL when set, else an embedded one.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${BENCH_AMQP_URI:-}" ] && [ -z "${WIZMESH_TEST_AMQP_URI:-}" ] && (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null; then
  export BENCH_AMQP_URI="amqp://guest:guest@127.0.0.1:5672/%2F"
fi
if [ -z "${WIZMESH_TEST_POSTGRES_URL:-}" ] && command -v pg_isready >/dev/null 2>&1 && pg_isready -q -h 127.0.0.1 -p 5432; then
  export WIZMESH_TEST_POSTGRES_URL="jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres"
fi
echo "broker: ${BENCH_AMQP_URI:-${WIZMESH_TEST_AMQP_URI:-embedded Qpid}}" | sed 's#//[^@]*@#//#' >&2
echo "PostgreSQL: ${WIZMESH_TEST_POSTGRES_URL:-embedded}" >&2
echo "uptime before: $(uptime)" >&2
if [ "${BENCH_SKIP_BUILD:-}" != 1 ]; then
  mvn -B -q -DskipTests package -pl bench -am
fi
java -Xmx512m -cp bench/target/bench.jar dev.wizmesh.bench.messaging.MessagingBenchmark
echo "uptime after: $(uptime)" >&2
