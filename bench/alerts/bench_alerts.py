#!/usr/bin/env python3
"""Alert benchmark driver (run by run.sh, which starts Redis, sandbox/providers and alert-service).

Phase 1 - throughput and correctness: providers at 100 SMS segments/s, 10 calls/s, 50 ms API latency and 2%
transient 429s. Alert A: 10,000 recipients by email + SMS; alert B, sent at the same time: 1,000 recipients by
voice. Ideal time = the provider-imposed bound of the slowest channel (10,000 segments / 100/s = 100 s;
1,000 calls / 10/s = 100 s). Compares every delivery's final state with the simulator's ground truth and counts
duplicates (sends the provider accepted more than once for one recipient and channel).

Phase 2 - memory: provider latency 20 s, so provider requests pile up in flight; heap (after a full GC) and RSS
of alert-service idle versus with 1,000 provider requests in flight.
"""
import json
import os
import re
import subprocess
import sys
import time

from alertlib import all_deliveries, compare, ground_truth, http

SERVICE = os.environ.get("SERVICE_URL", "http://localhost:8082")
SANDBOX = os.environ.get("SANDBOX_URL", "http://localhost:8090")
API_KEY = os.environ.get("API_KEY", "bench-key")
SERVICE_PID = int(os.environ["SERVICE_PID"])
JCMD = os.environ.get("JCMD", "jcmd")
OUT = os.environ.get("RESULTS", "RESULTS-alerts.md")
# BENCH_ONLY=memory: only phase 2, printed, RESULTS not written (quick look at the memory target)
ONLY = os.environ.get("BENCH_ONLY", "")
# BENCH_HISTO_DIR=<dir>: also write `jcmd GC.class_histogram` idle and in flight there (phase 2)
HISTO_DIR = os.environ.get("BENCH_HISTO_DIR", "")


def api(method, path, body=None, extra=None):
    h = {"Authorization": "Bearer " + API_KEY}
    h.update(extra or {})
    return http(method, SERVICE + path, body, h)


def sandbox(method, path, body=None):
    return http(method, SANDBOX + path, body)


def heap_and_rss():
    subprocess.run([JCMD, str(SERVICE_PID), "GC.run"], check=True, capture_output=True)
    time.sleep(0.5)
    info = subprocess.run([JCMD, str(SERVICE_PID), "GC.heap_info"], check=True, capture_output=True, text=True).stdout
    # every heap (G1: one "garbage-first heap" line; Serial: DefNew + Tenured), not metaspace or the spaces inside
    used_kb = sum(int(kb) for kb in re.findall(r"^\S.*? total \d+K, used (\d+)K", info, re.M))
    with open(f"/proc/{SERVICE_PID}/status") as f:
        rss_kb = int(re.search(r"VmRSS:\s+(\d+) kB", f.read()).group(1))
    return used_kb / 1024.0, rss_kb / 1024.0


def histogram(name):
    if HISTO_DIR:
        os.makedirs(HISTO_DIR, exist_ok=True)
        out = subprocess.run([JCMD, str(SERVICE_PID), "GC.class_histogram"], check=True, capture_output=True,
                             text=True).stdout
        with open(os.path.join(HISTO_DIR, name + ".histo"), "w") as f:
            f.write(out)


def memory_phase():
    """Phase 2: heap after GC and RSS idle vs with 1,000 provider requests in flight (20 s provider latency)."""
    text = "Snow day: all schools are closed today. Stay safe."
    sandbox("POST", "/_admin/reset?settings=true", {})
    sandbox("POST", "/_admin/config", {"sms_segments_per_second": 0, "calls_per_second": 0, "latency_ms": 20000,
                                       "max_concurrency": 5000, "callbacks_enabled": False})
    idle_heap, idle_rss = heap_and_rss()
    histogram("idle")
    c_recipients = [{"id": "c%d" % i, "phone": phone("404", i)} for i in range(3_000)]
    sc, c = api("POST", "/api/alerts/v1/alerts", {"school_id": "bench", "text": text, "channels": ["sms"],
                                                  "recipients": c_recipients})
    assert sc == 202, c
    wait("1,000 requests in flight", lambda: sandbox("GET", "/_admin/stats")[1]["in_flight"] >= 1000, 60)
    busy_heap, busy_rss = heap_and_rss()
    in_flight = sandbox("GET", "/_admin/stats")[1]["in_flight"]
    histogram("busy")
    api("POST", "/api/alerts/v1/alerts/%s/cancel" % c["id"])
    return idle_heap, idle_rss, busy_heap, busy_rss, in_flight


ON_TIMEOUT = []


def wait(what, cond, timeout, step=0.25):
    deadline = time.time() + timeout
    while time.time() < deadline:
        v = cond()
        if v:
            return v
        time.sleep(step)
    for f in ON_TIMEOUT:
        f()
    raise SystemExit("timed out waiting for " + what)


def phone(prefix, i):
    # lines 0000-4999 of two exchanges: never one of the simulator's 99xx test numbers
    return "+1%s%s%04d" % (prefix, "555" if i < 5000 else "556", i % 5000)


def warm_up(channels, n):
    """Quick alerts that load the classes, JIT-compile the send paths and open connections; waits until all are
    sent. alert-service still paces at its configured rates, so voice gets n/20 recipients (10 calls/s)."""
    sandbox("POST", "/_admin/reset?settings=true", {})
    sandbox("POST", "/_admin/config", {"sms_segments_per_second": 1000, "calls_per_second": 1000, "latency_ms": 20,
                                       "callbacks_enabled": False})
    groups = [([c for c in channels if c != "voice"], n, "505"), (["voice"] if "voice" in channels else [], n // 20, "606")]
    ids = []
    for chans, count, prefix in groups:
        if not chans:
            continue
        sw, w = api("POST", "/api/alerts/v1/alerts", {"school_id": "bench", "subject": "warm-up", "text": "warm-up",
                                                      "channels": chans,
                                                      "recipients": [{"id": "w%s%d" % (prefix, i), "phone": phone(prefix, i),
                                                                      "email": "warmup%s%d@example.org" % (prefix, i)}
                                                                     for i in range(count)]})
        assert sw == 202, w
        ids.append(w["id"])

    def sent():
        for alert_id in ids:
            v = api("GET", "/api/alerts/v1/alerts/" + alert_id)[1]
            if any(c["states"].get("queued", 0) + c["states"].get("sending", 0) for c in v["channels"].values()):
                return False
        return sandbox("GET", "/_admin/stats")[1]["in_flight"] == 0
    wait("warm-up sent", sent, 180)


def main():
    if ONLY == "memory":
        warm_up(["sms"], int(os.environ.get("BENCH_WARMUP", "3000")))
        idle, idle_rss, busy, busy_rss, in_flight = memory_phase()
        print("heap after GC, idle / %d requests in flight: %.1f MB / %.1f MB (+%.1f MB); RSS %.1f / %.1f MB (+%.1f MB)"
              % (in_flight, idle, busy, busy - idle, idle_rss, busy_rss, busy_rss - idle_rss))
        return
    # untimed warm-up, as a long-running service is warm (the pdf benchmark does the same): every channel, fast
    # simulator settings, other numbers and addresses; the reset below drops it from the ground truth and stats
    warm_up(["email", "sms", "voice"], int(os.environ.get("BENCH_WARMUP", "2000")))
    sandbox("POST", "/_admin/reset?settings=true", {})
    status, _ = sandbox("POST", "/_admin/config", {
        "sms_segments_per_second": 100, "calls_per_second": 10, "latency_ms": 50, "transient_429_rate": 0.02,
        "burst_seconds": 1.0, "max_concurrency": 5000, "callback_min_delay_ms": 50, "callback_max_delay_ms": 1500,
        "duplicate_callback_rate": 0.05, "out_of_order_rate": 0.1, "callbacks_enabled": True,
        "mailgun_webhook_url": SERVICE + "/api/alerts/v1/webhooks/mailgun"})
    assert status == 200

    idle_heap, idle_rss = heap_and_rss()

    a_recipients = [{"id": "a%d" % i, "name": "Guardian %d" % i, "email": "guardian%d@example.org" % i,
                     "phone": phone("202", i)} for i in range(10_000)]
    b_recipients = [{"id": "b%d" % i, "name": "Guardian %d" % i, "phone": phone("303", i)} for i in range(1_000)]
    text = "Snow day: all schools are closed today. Stay safe."
    t0 = time.time()
    sa, a = api("POST", "/api/alerts/v1/alerts", {"school_id": "bench", "subject": "School closed today", "text": text,
                                                  "channels": ["email", "sms"], "recipients": a_recipients},
                {"Idempotency-Key": "bench-a-%d" % int(t0)})
    sb, b = api("POST", "/api/alerts/v1/alerts", {"school_id": "bench", "subject": "School closed today", "text": text,
                                                  "channels": ["voice"], "recipients": b_recipients},
                {"Idempotency-Key": "bench-b-%d" % int(t0)})
    assert sa == 202 and sb == 202, (a, b)
    accepted_at = {}
    ON_TIMEOUT.append(lambda: print(json.dumps([api("GET", "/api/alerts/v1/alerts/" + x["id"])[1] for x in (a, b)])[:4000]))

    def progress():
        done = True
        for name, alert in (("a", a), ("b", b)):
            _, v = api("GET", "/api/alerts/v1/alerts/" + alert["id"])
            for ch, c in v["channels"].items():
                st = c["states"]
                if (name, ch) not in accepted_at and st["queued"] == 0 and st["sending"] == 0:
                    accepted_at[(name, ch)] = time.time() - t0
            done = done and v["finished"]
        return done

    timeline = []

    def progress_logged():
        st = sandbox("GET", "/_admin/stats")[1]
        now = time.time() - t0
        if not timeline or now - timeline[-1][0] >= 5:
            timeline.append((now, st.get("sms_accepted", 0), st.get("voice_accepted", 0),
                             st.get("twilio_429_transient", 0), st.get("twilio_429_rate", 0),
                             open("/proc/loadavg").read().split()[0]))
            print("t=%.0fs sms=%d voice=%d 429t=%d 429r=%d load=%s" % timeline[-1], flush=True)
        return progress()

    wait("both alerts finished", progress_logged, int(os.environ.get("BENCH_TIMEOUT", "400")), 0.5)
    t_done = time.time() - t0
    t_accepted = max(accepted_at.values())

    ideal = max(10_000 * 1 / 100.0, 1_000 / 10.0)  # 1 segment per SMS
    truth = ground_truth(SANDBOX)
    stats = sandbox("GET", "/_admin/stats")[1]
    deliveries = [d for alert in (a, b) for d in all_deliveries(api, alert["id"])]
    total = len(deliveries)
    mismatches, duplicates = compare(deliveries, truth)

    # ---- phase 2: memory with 1,000 provider requests in flight
    idle2_heap, idle2_rss, busy_heap, busy_rss, in_flight = memory_phase()

    lines = []
    lines.append("## alert-service benchmark (bench/alerts)\n")
    lines.append("- date: %s" % time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()))
    lines.append("- machine: %s, %d cores, %s" % (os.uname().machine, os.cpu_count(),
                                                   subprocess.run(["uname", "-sr"], capture_output=True, text=True).stdout.strip()))
    lines.append("- command: `bench/alerts/run.sh` (Redis, sandbox/providers and alert-service as separate processes)")
    lines.append("- providers: 100 SMS segments/s, 10 calls/s, 50 ms API latency, 2% transient 429s, callbacks "
                 "50-1500 ms late, 5% duplicated, 10% out of order")
    lines.append("- load: alert A 10,000 recipients x (email + SMS) and alert B 1,000 recipients x voice, posted together\n")
    lines.append("| measure | result | target |")
    lines.append("|---|---|---|")
    lines.append("| ideal time (slowest channel's provider bound) | %.1f s | |" % ideal)
    lines.append("| all deliveries accepted by the providers | %.1f s (%.3fx ideal) | <= 1.10x |" % (t_accepted, t_accepted / ideal))
    lines.append("| all deliveries in a final state (incl. callback delay) | %.1f s (%.3fx ideal) | |" % (t_done, t_done / ideal))
    for (name, ch), t in sorted(accepted_at.items()):
        lines.append("| alert %s %s accepted | %.1f s | |" % (name.upper(), ch, t))
    lines.append("| final state = simulator ground truth | %d / %d (%.2f%%) | 100%% |" % (
        total - len(mismatches), total, 100.0 * (total - len(mismatches)) / max(1, total)))
    lines.append("| duplicate sends | %d | 0 |" % duplicates)
    lines.append("| transient 429s answered by the simulator | %s | |" % (
        stats.get("twilio_429_transient", 0) + stats.get("mailgun_429_transient", 0)))
    lines.append("| 429s for exceeding the rate | %s | |" % (stats.get("twilio_429_rate", 0) + stats.get("mailgun_429_rate", 0)))
    lines.append("| Mailgun API calls for 10,000 emails | %s | 10 |" % stats.get("mailgun_requests", 0))
    lines.append("| heap after GC, idle / 1,000 requests in flight | %.1f MB / %.1f MB (+%.1f MB) | <= +16 MB |" % (
        idle2_heap, busy_heap, busy_heap - idle2_heap))
    lines.append("| RSS, idle / 1,000 requests in flight | %.1f MB / %.1f MB (+%.1f MB) | |" % (
        idle2_rss, busy_rss, busy_rss - idle2_rss))
    lines.append("| provider requests in flight at the measurement | %d | 1,000 |" % in_flight)
    lines.append("| heap after GC / RSS before the run | %.1f MB / %.1f MB | |" % (idle_heap, idle_rss))
    if mismatches:
        lines.append("\nFirst mismatches: %s" % mismatches[:10])
    report = "\n".join(lines) + "\n"
    print(report)
    with open(OUT, "w") as f:
        f.write(report)


if __name__ == "__main__":
    sys.exit(main())
