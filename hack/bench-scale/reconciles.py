#!/usr/bin/env python3
"""Reconciles between two scrapes of the operator's /actuator/prometheus, from JOSDK's metrics: how many
started, how many failed, and the p50/p99 of their duration from the histogram of
operator_sdk_controllers_execution_reconcile_seconds (interpolated within a bucket, as PromQL's
histogram_quantile does).
Usage: reconciles.py BEFORE AFTER
"""
import collections
import re
import sys

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? ([-+0-9.eEinfNa]+)$')
LE = re.compile(r'le="([^"]+)"')
HISTOGRAM = "operator_sdk_controllers_execution_reconcile_seconds_bucket"


def scrape(path):
    totals, buckets = collections.Counter(), collections.Counter()
    with open(path) as f:
        for line in f:
            m = SAMPLE.match(line.strip())
            if not m:
                continue
            name, labels, value = m.group(1), m.group(2) or "", float(m.group(3))
            if name == HISTOGRAM:
                buckets[float(LE.search(labels).group(1))] += value
            elif name in ("operator_sdk_reconciliations_started_total", "operator_sdk_reconciliations_failed_total"):
                totals[name] += value
    return totals, buckets


def quantile(q, cumulative):
    bounds = sorted(cumulative)
    total = cumulative[bounds[-1]] if bounds else 0
    if total <= 0:
        return float("nan")
    rank, lower, below = q * total, 0.0, 0.0
    for bound in bounds:
        if cumulative[bound] >= rank:
            if bound == float("inf"):
                return lower
            inside = cumulative[bound] - below
            return lower + (bound - lower) * ((rank - below) / inside if inside else 1)
        lower, below = bound, cumulative[bound]
    return lower


def main(before, after):
    t0, b0 = scrape(before)
    t1, b1 = scrape(after)
    diff = {le: b1[le] - b0.get(le, 0) for le in b1}
    print("started=%d failed=%d executions=%d p50=%.3fs p99=%.3fs" % (
        t1["operator_sdk_reconciliations_started_total"] - t0["operator_sdk_reconciliations_started_total"],
        t1["operator_sdk_reconciliations_failed_total"] - t0["operator_sdk_reconciliations_failed_total"],
        diff.get(float("inf"), 0), quantile(0.5, diff), quantile(0.99, diff)))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
