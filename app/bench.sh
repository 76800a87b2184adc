#!/usr/bin/env bash
# Ingestion throughput (JSON batches, CSV import, raw COPY baseline) and query latency on a
# 10-million-row table, all against one embedded PostgreSQL in one run. Takes a few minutes
# on 2 cores. Figures are printed at the end and kept in app/target/bench-results.txt.
#   app/bench.sh                 # defaults: 1,000,000 ingestion rows, 10,000,000 query rows
#   BENCH_ROWS=200000 BENCH_QUERY_ROWS=1000000 app/bench.sh   # a quicker look
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -N install
mvn -q -f app/pom.xml -Pbench verify \
  -Dbench.rows="${BENCH_ROWS:-1000000}" -Dbench.queryRows="${BENCH_QUERY_ROWS:-10000000}"
cat app/target/bench-results.txt
