import io
import json
import os
import tempfile
import unittest
from contextlib import redirect_stdout

import delivery_kpis
from delivery_kpis import kpis, parse_time

NOW = parse_time("2026-11-27T00:00:00Z")


def run(conclusion, created, updated, committed, status="completed"):
    return {"status": status, "conclusion": conclusion, "created_at": created, "updated_at": updated,
            "head_commit": {"timestamp": committed}}


RUNS = [
    run("success", "2026-11-20T10:05:00Z", "2026-11-20T10:15:00Z", "2026-11-20T10:00:00Z"),    # 15 min
    run("success", "2026-11-22T09:00:00Z", "2026-11-22T09:30:00Z", "2026-11-22T08:00:00+00:00"),  # 90 min
    run("failure", "2026-11-24T09:00:00Z", "2026-11-24T09:10:00Z", "2026-11-24T08:55:00Z"),
    run("success", "2026-11-26T12:00:00Z", "2026-11-26T12:20:00Z", "2026-11-26T11:55:00Z"),    # 25 min
    run("cancelled", "2026-11-26T13:00:00Z", "2026-11-26T13:01:00Z", "2026-11-26T12:58:00Z"),
    run(None, "2026-11-26T23:00:00Z", "2026-11-26T23:01:00Z", "2026-11-26T22:58:00Z", status="in_progress"),
]


class DeliveryKpisTest(unittest.TestCase):
    def test_cycle_time_is_commit_time_to_the_end_of_a_successful_run(self):
        k = kpis(RUNS, NOW)
        self.assertEqual(k["cycle_median_s"], 25 * 60)
        self.assertEqual(k["cycle_max_s"], 90 * 60)

    def test_success_rate_leaves_out_cancelled_and_unfinished_runs(self):
        k = kpis(RUNS, NOW)
        self.assertEqual((k["succeeded"], k["runs"]), (3, 4))
        self.assertAlmostEqual(k["success_rate"], 0.75)

    def test_frequency_is_successful_releases_per_day_since_the_first_finished_run(self):
        k = kpis(RUNS, NOW)
        window = (NOW - parse_time("2026-11-20T10:05:00Z")).total_seconds() / 86400
        self.assertAlmostEqual(k["window_days"], window)
        self.assertAlmostEqual(k["per_day"], 3 / window)

    def test_no_runs_yet_says_not_available(self):
        k = kpis([], NOW)
        self.assertIsNone(k["success_rate"])
        self.assertIn("| success rate (finished runs) | n/a |", delivery_kpis.markdown(k))

    def test_the_summary_is_a_markdown_table(self):
        out = io.StringIO()
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump({"total_count": len(RUNS), "workflow_runs": RUNS}, f)
        with redirect_stdout(out):
            delivery_kpis.main(["delivery_kpis.py", f.name, "2026-11-27T00:00:00Z"])
        os.unlink(f.name)
        text = out.getvalue()
        self.assertIn("| deployment cycle time, commit to dev (median) | 25.0 min |", text)
        self.assertIn("| success rate (finished runs) | 75% (3/4) |", text)
        self.assertIn("| deployment frequency (successful releases) | 0.46 per day over 6.6 days |", text)


if __name__ == "__main__":
    unittest.main()
