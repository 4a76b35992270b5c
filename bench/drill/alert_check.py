#!/usr/bin/env python3
"""The alert half of the failover drill (run by bench/drill/run.sh).

  alert_check.py send N    configures sandbox/providers, posts one alert to N recipients by SMS, email and voice,
                           prints its id (voice at 10 calls/s keeps it in flight for N/10 s: across the failovers)
  alert_check.py check ID  waits until the alert is finished, then prints one line of JSON: deliveries, how many end
                           in the state the providers recorded (ground truth), duplicates (sends a provider accepted
                           more than once for one recipient and channel), and the first mismatches

Env: SERVICE_URL, SANDBOX_URL, API_KEY, TIMEOUT (seconds, check).
"""
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "alerts"))
from alertlib import all_deliveries, compare, ground_truth, http  # noqa: E402 (bench/alerts, shared)

SERVICE = os.environ["SERVICE_URL"]
SANDBOX = os.environ["SANDBOX_URL"]
API_KEY = os.environ.get("API_KEY", "dev-key")


def api(method, path, body=None, headers=None):
    return http(method, SERVICE + path, body, {"Authorization": "Bearer " + API_KEY, **(headers or {})})


def send(n):
    status, _ = http("POST", SANDBOX + "/_admin/reset?settings=true", {})
    assert status == 200, status
    status, _ = http("POST", SANDBOX + "/_admin/config", {
        "sms_segments_per_second": 100, "calls_per_second": 10, "latency_ms": 50, "transient_429_rate": 0.02,
        "callbacks_enabled": True, "callback_min_delay_ms": 50, "callback_max_delay_ms": 1500,
        "duplicate_callback_rate": 0.05, "out_of_order_rate": 0.1,
        "mailgun_webhook_url": SERVICE + "/api/alerts/v1/webhooks/mailgun"})
    assert status == 200, status
    recipients = [{"id": "g%d" % i, "name": "Guardian %d" % i, "email": "guardian%d@example.org" % i,
                   "phone": "+1202%s%04d" % ("555", i % 10000)} for i in range(n)]
    status, alert = api("POST", "/api/alerts/v1/alerts", {
        "school_id": "lakeview", "subject": "School closed today", "text": "Snow day: all schools are closed today.",
        "channels": ["email", "sms", "voice"], "recipients": recipients},
        {"Idempotency-Key": "drill-%d" % int(time.time())})
    assert status == 202, (status, alert)
    print(alert["id"])


def check(alert_id):
    deadline = time.time() + int(os.environ.get("TIMEOUT", "600"))
    while True:
        status, view = api("GET", "/api/alerts/v1/alerts/" + alert_id)
        if status == 200 and view["finished"]:
            break
        if time.time() > deadline:
            raise SystemExit("alert %s not finished in time: %s" % (alert_id, json.dumps(view)[:2000]))
        time.sleep(0.5)
    # callbacks land after the providers' final answer: wait until the sandbox has none left to send
    while http("GET", SANDBOX + "/_admin/stats")[1].get("in_flight", 0) and time.time() < deadline:
        time.sleep(0.5)
    ds = all_deliveries(api, alert_id)
    mismatches, duplicates = compare(ds, ground_truth(SANDBOX))
    print(json.dumps({"deliveries": len(ds), "equal_to_truth": len(ds) - len(mismatches), "duplicates": duplicates,
                      "mismatches": mismatches[:10]}))


if __name__ == "__main__":
    {"send": lambda: send(int(sys.argv[2])), "check": lambda: check(sys.argv[2])}[sys.argv[1]]()
