"""The table bench/run.sh prints, from the measurements driver.py collected (also used to re-render a results file:
`python3 bench/lib/report.py bench/results/<run>.jsonl`)."""

import json
import statistics
import sys

TESTS = {  # test → (label, metric, unit, reference label)
    "get4k": ("GET 4 KiB c32", "req_s", "req/s", "nginx static"),
    "get1m": ("GET 1 MiB c8", "mb_s", "MB/s", "nginx static"),
    "get1g": ("GET 1 GiB c2", "mb_s", "MB/s", "nginx static"),
    "head4k": ("HEAD 4 KiB c32 (ab)", "req_s", "req/s", "nginx static"),
    "put4k": ("PUT 4 KiB c32", "req_s", "req/s", "nginx dav"),
    "put1m": ("PUT 1 MiB c8", "mb_s", "MB/s", "nginx dav"),
    "putbig": ("PUT {big} curl", "mb_s", "MB/s", "JDK MD5"),
}
VARIANTS = {"anonymous": "anonymous", "v1-presigned": "V1 presigned", "v4-header": "V4 header",
            "v1-header": "V1 header"}
TARGETS = {("get4k", "anonymous"): 0.8, ("get4k", "v1-presigned"): 0.7, ("get4k", "v4-header"): 0.7,
           "get1m": 1.0, "get1g": 1.0, "put4k": 2.0, "put1m": 1.0, "putbig": 0.9}
ANCHORS = {"anchor-fio-fsync": ("fio 4 KiB write+fsync, 1 job", "req_s", "IOPS", "put4k"),
           "anchor-dd-fdatasync": ("dd {big} bs=1M conv=fdatasync", "mb_s", "MB/s", "putbig"),
           "anchor-dav": ("nginx dav PUT {big} (curl, no fsync)", "mb_s", "MB/s", "putbig"),
           "anchor-discard": ("nginx discard PUT {big} (curl)", "mb_s", "MB/s", "putbig")}
LIST_P50_TARGET_MS = 20
STARTUP_TARGET_S = 1.0
IDLE_RSS_TARGET_MIB = 150


def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt(v, unit=None, digits=None):
    if v is None:
        return "—"
    if digits is None:
        digits = 0 if abs(v) >= 100 else 1 if abs(v) >= 10 else 2
    return f"{v:,.{digits}f}"


def target_for(test, variant):
    return TARGETS.get((test, variant), TARGETS.get(test))


def render(rows, info, mixed, cfg, mode):
    big = "1 GiB" if cfg.get("big", 0) >= 1 << 30 else f"{cfg.get('big', 0) >> 20} MiB"
    rounds = sorted({r["round"] for r in rows})
    by = {}
    for r in rows:
        by.setdefault((r["test"], r["variant"]), {})[r["round"]] = r
    out, summaries = [], []
    head = (f"{'test':<22} {'variant':<13} {'reference':<12} {'ref':>9} {'Pail':>9} {'unit':<6} "
            f"{'Pail/ref per round':<20} {'ratio':>6} {'target':>9} {'ref p50/p99 ms':>15} {'Pail p50/p99 ms':>16} "
            f"{'CPU s/GB':>17} {'CPU s/1k req':>15} {'RSS MiB':>8}")
    out.append(f"Pail vs references, {mode} run, {len(rounds)} round(s), medians over rounds "
               "(CPU: Pail, nginx in brackets; Pail CPU and RSS from /proc)")
    out.append(head)
    out.append("-" * len(head))
    for test, (label, metric, unit, reflabel) in TESTS.items():
        ref = by.get((test, "reference"))
        if not ref:
            continue
        label = label.format(big=big)
        for variant in ("anonymous", "v1-presigned", "v4-header", "v1-header"):
            pail = by.get((test, variant))
            if not pail:
                continue
            ratios = [pail[n][metric] / ref[n][metric] for n in sorted(pail) if n in ref and ref[n][metric]]
            rmed = med(ratios)
            tgt = target_for(test, variant)
            meets = None if tgt is None or rmed is None else rmed >= tgt
            pr = [pail[n] for n in sorted(pail)]
            rr = [ref[n] for n in sorted(ref)]
            s = dict(test=test, variant=variant, reference=reflabel, metric=metric, unit=unit,
                     ref_median=med([x[metric] for x in rr]), pail_median=med([x[metric] for x in pr]),
                     ratios=ratios, ratio_median=rmed, target=tgt, meets_target=meets,
                     ref_p50_ms=med([x.get("p50_ms") for x in rr]), ref_p99_ms=med([x.get("p99_ms") for x in rr]),
                     pail_p50_ms=med([x.get("p50_ms") for x in pr]), pail_p99_ms=med([x.get("p99_ms") for x in pr]),
                     pail_cpu_s_per_gb=med([x.get("cpu_s_per_gb") for x in pr]),
                     pail_cpu_s_per_1k=med([x.get("cpu_s_per_1k_req") for x in pr]),
                     ref_cpu_s_per_gb=med([x.get("cpu_s_per_gb") for x in rr]),
                     ref_cpu_s_per_1k=med([x.get("cpu_s_per_1k_req") for x in rr]),
                     pail_rss_mib=med([x.get("rss_mib") for x in pr]))
            summaries.append(s)

            def lat(a, b):
                return f"{fmt(a)}/{fmt(b)}" if a is not None else "—"

            def cpu(p, r):
                return fmt(p, digits=3) + (f" ({fmt(r, digits=3)})" if r is not None else "")

            tgt_txt = "—" if tgt is None else f"≥{tgt:g} " + ("ok" if meets else "NO")
            cpu_gb = cpu(s["pail_cpu_s_per_gb"], s["ref_cpu_s_per_gb"])
            # one request per round: CPU per 1k requests means nothing there
            cpu_1k = "—" if test in ("get1g", "putbig") else cpu(s["pail_cpu_s_per_1k"], s["ref_cpu_s_per_1k"])
            out.append(f"{label:<22} {VARIANTS[variant]:<13} {reflabel:<12} {fmt(s['ref_median']):>9} "
                       f"{fmt(s['pail_median']):>9} {unit:<6} {' '.join(f'{x:.2f}' for x in ratios):<20} "
                       f"{fmt(rmed, digits=2):>6} {tgt_txt:>9} {lat(s['ref_p50_ms'], s['ref_p99_ms']):>15} "
                       f"{lat(s['pail_p50_ms'], s['pail_p99_ms']):>16} {cpu_gb:>17} "
                       f"{cpu_1k:>15} {fmt(s['pail_rss_mib']):>8}")
    # LIST
    lst = by.get(("list", "v1-header"))
    if lst:
        lr = [lst[n] for n in sorted(lst)]
        p50 = med([x["p50_ms"] for x in lr])
        s = dict(test="list", variant="v1-header", metric="p50_ms", unit="ms", pail_median=p50,
                 pail_p50_ms=p50, pail_p99_ms=med([x["p99_ms"] for x in lr]), req_s=med([x["req_s"] for x in lr]),
                 per_round_p50_ms=[x["p50_ms"] for x in lr], target=LIST_P50_TARGET_MS,
                 meets_target=p50 is not None and p50 <= LIST_P50_TARGET_MS,
                 pail_cpu_s_per_1k=med([x.get("cpu_s_per_1k_req") for x in lr]),
                 pail_rss_mib=med([x.get("rss_mib") for x in lr]), objects=info.get("list_objects"))
        summaries.append(s)
        n = info.get("list_objects", 0)
        count = f"{n // 1_000_000}M" if n >= 1_000_000 and n % 1_000_000 == 0 else f"{n // 1000}k"
        out.append(f"{'LIST 1000 of ' + count + ' c1':<22} {'V1 header':<13} "
                   f"{'—':<12} {'—':>9} {fmt(s['req_s']):>9} {'req/s':<6} "
                   f"{'p50 ' + ' '.join(f'{x:.1f}' for x in s['per_round_p50_ms']) + ' ms':<20} {'':>6} "
                   f"{'≤20ms ' + ('ok' if s['meets_target'] else 'NO'):>9} {'—':>15} "
                   f"{fmt(s['pail_p50_ms']) + '/' + fmt(s['pail_p99_ms']):>16} {'—':>17} "
                   f"{fmt(s['pail_cpu_s_per_1k'], digits=3):>15} {fmt(s['pail_rss_mib']):>8}")
    # anchors
    anchor_lines = []
    putbig = by.get(("putbig", "v1-header"), {})
    for variant, (label, metric, unit, test) in ANCHORS.items():
        a = by.get((test, variant))
        if not a:
            continue
        ar = [a[n] for n in sorted(a)]
        v = med([x[metric] for x in ar])
        ratio = None
        if test == "putbig" and putbig:
            ratio = med([putbig[n]["mb_s"] / a[n]["mb_s"] for n in sorted(a) if n in putbig and a[n]["mb_s"]])
        summaries.append(dict(test=test, variant=variant, anchor=label.format(big=big), metric=metric, unit=unit,
                              median=v, pail_ratio_median=ratio))
        anchor_lines.append(f"  {label.format(big=big):<40} {fmt(v):>9} {unit:<5}"
                            + (f"   Pail PUT {big} / this: {ratio:.2f}" if ratio is not None else ""))
    if anchor_lines:
        out.append("")
        out.append("Anchors (context, no target): same file system as Pail's data dir")
        out += anchor_lines
    # start-up and memory
    out.append("")
    st = info.get("startup_s") or []
    idle = info.get("idle_rss_mib") or []
    st_med, idle_med = med(st), med(idle)
    summaries.append(dict(test="startup", startup_s=st, startup_median_s=st_med, target_s=STARTUP_TARGET_S,
                          meets_target=st_med is not None and st_med <= STARTUP_TARGET_S,
                          startup_populated_s=info.get("startup_populated_s"), jvm_floor_s=info.get("jvm_floor_s")))
    summaries.append(dict(test="idle_rss", idle_rss_mib=idle, idle_rss_median_mib=idle_med,
                          target_mib=IDLE_RSS_TARGET_MIB,
                          meets_target=idle_med is not None and idle_med <= IDLE_RSS_TARGET_MIB,
                          peak_rss_mib=info.get("hwm_mib"), final_rss_mib=info.get("final_rss_mib")))
    floor = info.get("jvm_floor_s")
    out.append(f"Start-up to first 200 on /-/health (fresh data dir): median {fmt(st_med * 1000 if st_med else None)} ms "
               f"of {', '.join(f'{x * 1000:.0f}' for x in st)}   target ≤ {STARTUP_TARGET_S * 1000:.0f} ms "
               f"{'ok' if st_med is not None and st_med <= STARTUP_TARGET_S else 'NO'}"
               + (f"   (JVM floor, `bin/pail --version`: {floor * 1000:.0f} ms)" if floor else ""))
    if info.get("startup_populated_s") is not None:
        out.append(f"Start-up with {info.get('list_objects', 0):,} objects in the data dir: "
                   f"{info['startup_populated_s'] * 1000:.0f} ms")
    out.append(f"Idle RSS 2 s after start-up: median {fmt(idle_med)} MiB of {', '.join(f'{x:.0f}' for x in idle)}   "
               f"target ≤ {IDLE_RSS_TARGET_MIB} MiB {'ok' if idle_med is not None and idle_med <= IDLE_RSS_TARGET_MIB else 'NO'}"
               f"   peak RSS over the run (VmHWM) {fmt(info.get('hwm_mib'))} MiB")
    # mixed load
    if mixed:
        out.append("")
        out.append(f"SDK mixed load (aliyun-sdk-oss 3.18.5, {mixed['sign']} signatures, 45/30/15/10 GET/HEAD/PUT/DELETE "
                   f"of {mixed['size'] // 1024} KiB, {mixed['threads']} threads, {mixed['seconds']:.0f} s): "
                   f"{mixed['ops_s']:,.0f} ops/s, p50 {mixed['p50_ms']:.2f} ms, p99 {mixed['p99_ms']:.2f} ms, "
                   f"p99.9 {mixed['p999_ms']:.2f} ms, errors {mixed['errors']}")
        out.append("  " + "; ".join(f"{op} {v['ops_s']:,.0f}/s p50 {v['p50_ms']:.2f} p99 {v['p99_ms']:.2f} "
                                    f"p99.9 {v['p999_ms']:.2f} ms" for op, v in mixed["by_op"].items()))
    if info.get("elapsed_s"):
        out.append("")
        out.append(f"elapsed {info['elapsed_s']:.0f} s")
    return "\n".join(out), summaries


def main(path):
    rows, info, mixed, cfg, mode = [], {}, None, {}, "?"
    with open(path) as f:
        for line in f:
            r = json.loads(line)
            if r["kind"] == "measurement":
                rows.append(r)
            elif r["kind"] == "meta":
                cfg, mode = r["config"], r["mode"]
            elif r["kind"] == "run":
                info = r
            elif r["kind"] == "mixed":
                mixed = r
    print(render(rows, info, mixed, cfg, mode)[0])


if __name__ == "__main__":
    main(sys.argv[1])
