import json
import os
import tempfile
import unittest
from datetime import timedelta

from promotion_gate import decide, main, parse_time, prod_image

IMAGE = "ghcr.io/appenv/telemetry@sha256:" + "ab" * 32
OTHER = "ghcr.io/appenv/telemetry@sha256:" + "cd" * 32
NOW = parse_time("2026-11-26T12:00:00Z")
SOAK = timedelta(minutes=30)


def dev(*history, rejected=(), active=None):
    return {"status": {"history": list(history), "rejectedImages": list(rejected),
                       "activeRelease": {"image": active} if active else None}}


def record(image, result, promoted="2026-11-26T10:00:00Z", revision=4):
    return {"revision": revision, "image": image, "result": result, "promotedAt": promoted}


class PromotionGateTest(unittest.TestCase):
    def test_a_digest_that_served_in_dev_long_enough_may_go_to_prod(self):
        allowed, reason = decide(IMAGE, dev(record(IMAGE, "Succeeded"), active=IMAGE), NOW, SOAK)
        self.assertTrue(allowed, reason)
        self.assertIn("revision 4", reason)

    def test_a_digest_replaced_since_by_a_newer_release_still_counts(self):
        allowed, _ = decide(IMAGE, dev(record(OTHER, "Succeeded", revision=5), record(IMAGE, "Succeeded")), NOW, SOAK)
        self.assertTrue(allowed)

    def test_a_tag_is_refused(self):
        allowed, reason = decide("ghcr.io/appenv/telemetry:0.2.0", dev(record(IMAGE, "Succeeded")), NOW, SOAK)
        self.assertFalse(allowed)
        self.assertIn("not pinned by digest", reason)

    def test_a_digest_dev_never_ran_is_refused(self):
        allowed, reason = decide(IMAGE, dev(record(OTHER, "Succeeded")), NOW, SOAK)
        self.assertFalse(allowed)
        self.assertIn("never served in dev", reason)

    def test_a_release_that_never_got_traffic_is_refused(self):
        for result in ("Progressing", "Failed", "Superseded"):
            started = {"revision": 4, "image": IMAGE, "result": result}
            self.assertFalse(decide(IMAGE, dev(started), NOW, SOAK)[0], result)

    def test_a_digest_rolled_back_in_dev_is_refused(self):
        self.assertFalse(decide(IMAGE, dev(record(IMAGE, "RolledBack"), rejected=[IMAGE]), NOW, SOAK)[0])
        self.assertFalse(decide(IMAGE, dev(record(IMAGE, "RolledBack")), NOW, SOAK)[0])

    def test_a_digest_promoted_in_dev_minutes_ago_waits_for_the_soak_time(self):
        allowed, reason = decide(IMAGE, dev(record(IMAGE, "Succeeded", promoted="2026-11-26T11:50:00Z")), NOW, SOAK)
        self.assertFalse(allowed)
        self.assertIn("10 min, less than 30 min", reason)

    def test_no_status_yet_is_refused(self):
        self.assertFalse(decide(IMAGE, {}, NOW, SOAK)[0])

    def test_reads_the_image_of_the_release_yaml_set_release_writes(self):
        here = os.path.dirname(os.path.abspath(__file__))
        with open(os.path.join(here, "../../argocd/environments/prod/release.yaml")) as f:
            self.assertRegex(prod_image(f.read()), r"^ghcr\.io/appenv/telemetry[:@]")
        self.assertEqual(prod_image(f"spec:\n  app:\n    image: {IMAGE}\n"), IMAGE)

    def test_exit_code_says_whether_promotion_may_go_on(self):
        with tempfile.TemporaryDirectory() as tmp:
            release, status = os.path.join(tmp, "release.yaml"), os.path.join(tmp, "dev.json")
            with open(release, "w") as f:
                f.write(f"spec:\n  app:\n    image: {IMAGE}\n")
            with open(status, "w") as f:
                json.dump(dev(record(IMAGE, "Succeeded")), f)
            self.assertEqual(main([release, status, "--now", "2026-11-26T12:00:00Z"]), 0)
            self.assertEqual(main([release, status, "--now", "2026-11-26T10:10:00Z"]), 1)


if __name__ == "__main__":
    unittest.main()
