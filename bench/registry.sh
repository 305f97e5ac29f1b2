#!/usr/bin/env bash
# The registry benchmark: builds what it needs, starts registry-server from its jar, and prints
# a Markdown report (the figures in docs/benchmarks.md). Takes about two minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests package -pl bench -am
mkdir -p var/log
java -Xmx2g -jar bench/target/bench.jar "$(pwd)"
