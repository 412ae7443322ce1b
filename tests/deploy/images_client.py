"""Run inside the private container network by deploy/images_test.py: one consultation of each
persona through the web-app container, as the widget makes it. Prints a JSON report; exits 1 when
something is wrong.
    python -m tests.deploy.images_client http://web-app:8000"""
import json
import random
import sys
import time

import httpx

from tests.deploy.consultations import PERSONAS, consult, figures


def main(base_url: str) -> int:
    problems = []
    ready = httpx.get(f"{base_url}/api/ready", timeout=30)
    if ready.status_code != 200:
        problems.append(f"/api/ready {ready.status_code}: {ready.text[:300]}")
    page = httpx.get(f"{base_url}/", timeout=30)
    if page.status_code != 200 or "<script" not in page.text:
        problems.append(f"the widget page: {page.status_code}")
    began = time.monotonic()
    records = [consult(base_url, name, (0.0, 0.0), random.Random(1)) for name in sorted(PERSONAS)]
    for record in records:
        expected = PERSONAS[record.persona]["expect_primary"]
        if record.failure:
            problems.append(f"{record.persona}: {record.failure}")
        elif record.payload["recommendation"]["primary"] != expected:
            problems.append(f"{record.persona}: recommended {record.payload['recommendation']['primary']}, not {expected}")
    print(json.dumps({"problems": problems, "seconds": round(time.monotonic() - began, 1), **figures(records)},
                     ensure_ascii=False))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
