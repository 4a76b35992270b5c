"""What the alert benchmark (bench_alerts.py) and the failover drill (bench/drill/alert_check.py) share: JSON over
HTTP, an alert's deliveries page by page, and the comparison with sandbox/providers' ground truth."""
import json
import urllib.error
import urllib.request

# the sandbox's final states that alert-service names differently
STATE_OF = {"no-answer": "no_answer", "rejected": "failed"}


def http(method, url, body=None, headers=None, timeout=120):
    """(status, parsed JSON body) of one request; a JSON body is sent for a non-None body."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def all_deliveries(api, alert_id):
    """Every delivery of an alert; api(method, path) answers (status, body) from alert-service."""
    out, cursor = [], None
    while True:
        q = "?limit=1000" + ("" if cursor is None else "&cursor=" + cursor)
        status, page = api("GET", f"/api/alerts/v1/alerts/{alert_id}/deliveries{q}")
        assert status == 200, page
        out.extend(page["deliveries"])
        cursor = page["next_cursor"]
        if cursor is None:
            return out


def ground_truth(sandbox_url):
    """The sandbox's record per channel and address: attempts, accepted, final state."""
    return {ch: http("GET", sandbox_url + "/_admin/truth?channel=" + ch)[1].get(ch, {})
            for ch in ("sms", "email", "voice")}


def compare(deliveries, truth):
    """(mismatches as (id, channel, address, state, expected), duplicates: sends accepted more than once)."""
    mismatches = []
    for d in deliveries:
        t = truth[d["channel"]].get(d["address"])
        expected = None if t is None else STATE_OF.get(t["final"], t["final"])
        if d["state"] != expected:
            mismatches.append((d["id"], d["channel"], d["address"], d["state"], expected))
    duplicates = sum(max(0, e["accepted"] - 1) for ch in truth.values() for e in ch.values())
    return mismatches, duplicates
