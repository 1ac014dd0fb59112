#!/usr/bin/env python3
"""The driver behind bench/run.sh (issue 6): Pail against nginx and the JDK's MD5 on loopback, same run.

run.sh installs the tools, finds JDK 25, builds target/pail.jar and the MixedLoad class path, then runs this.
Python 3 standard library only. What it does, in order:

  1. makes incompressible files (/dev/urandom): 4 KiB, 64 KiB, 1 MiB and 1 GiB (64 MiB in --smoke);
  2. starts nginx on loopback (bench/lib/nginx.conf.in): /file/ static with sendfile, /dav/ WebDAV PUT into a
     directory on the file system of Pail's data dir, /discard/ (body read and dropped, 204);
  3. measures Pail's start-up to the first 200 on /-/health and its idle RSS, then starts it for the run with
     its production defaults (fsync always) and loads the objects; fills the LIST bucket with 1,000,000
     empty objects (10,000 in --smoke) through wrk with 64 connections, then restarts Pail (start-up again);
  4. warms the JIT up, then runs the tests in interleaved rounds: each test's reference, then Pail;
  5. runs the SDK mixed load (src/test/java/dev/pail/bench/MixedLoad.java);
  6. prints the table and writes every measurement as JSON lines to bench/results/<UTC time>[-smoke].jsonl.

Exit status: 0 when the run completed; 1 when the harness broke (a tool failed, a server died, a check of
the setup failed); 2 when it completed but some requests failed (non-2xx answers or SDK errors), which makes
the numbers meaningless. Never because of a performance figure.
"""

import argparse
import datetime
import http.client
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse

LIB = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(LIB))
sys.path.insert(0, LIB)
import osssign  # noqa: E402

AK = "bench-access-key"
SK = "bench-secret-key-0123456789"
REGION = "cn-hangzhou"
CLK_TCK = os.sysconf("SC_CLK_TCK")
KiB, MiB, GiB = 1 << 10, 1 << 20, 1 << 30
FAR_EXPIRES = 4102444800  # 2100-01-01: V1 presigned URLs that never expire during a run

# Durations in whole seconds (wrk takes no fractions). The full run stays under 15 minutes on 2 cores (about 11 with a built jar);
# the smoke run (one round, tiny durations, no 1 GiB, 10k-object LIST bucket) takes about a minute.
MODES = {
    "full": dict(rounds=3, dur=6, dur_big=8, head_dur=6, list_dur=6, warm=1, big=GiB, big_name="1g.bin",
                 list_objects=1_000_000, mixed=20, mixed_warm=3, mixed_objects=512, startups=3, fio=2,
                 hyperfine_runs=5),
    "smoke": dict(rounds=1, dur=1, dur_big=None, head_dur=1, list_dur=1, warm=1, big=64 * MiB,
                  big_name="64m.bin", list_objects=10_000, mixed=3, mixed_warm=1, mixed_objects=128, startups=1,
                  fio=1, hyperfine_runs=2),
}


class HarnessError(Exception):
    pass


def log(msg):
    print(msg, flush=True)


# ---------------------------------------------------------------------------------------------- processes

def cpu_seconds(pids):
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
        except (FileNotFoundError, ProcessLookupError):
            pass
    return total / CLK_TCK


def status_kib(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def children(pid):
    out = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                out += [int(p) for p in f.read().split()]
    except FileNotFoundError:
        pass
    return out


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, proc, timeout=10):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise HarnessError(f"process exited with {proc.returncode} before listening on {port}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.02)
    raise HarnessError(f"nothing listens on {port} after {timeout}s")


def stop_process(proc, sig=signal.SIGTERM, timeout=30):
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(sig)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


class Nginx:
    def __init__(self, work):
        self.work = work
        self.port = free_port()
        self.proc = None

    def start(self):
        d = os.path.join(self.work, "nginx")
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(LIB, "nginx.conf.in")) as f:
            conf = f.read().replace("@WORK@", self.work).replace("@PORT@", str(self.port))
        path = os.path.join(d, "nginx.conf")
        with open(path, "w") as f:
            f.write(conf)
        self.proc = subprocess.Popen(["nginx", "-p", d, "-c", path, "-g", "daemon off;"],
                                     stdout=open(os.path.join(d, "stdout.log"), "w"), stderr=subprocess.STDOUT,
                                     start_new_session=True)
        wait_port(self.port, self.proc)

    def pids(self):
        return [self.proc.pid] + children(self.proc.pid)

    def rss_mib(self):
        return sum(status_kib(p, "VmRSS") for p in self.pids()) / 1024

    def stop(self):
        stop_process(self.proc, signal.SIGQUIT)


class Pail:
    launcher = os.path.join(REPO, "bin", "pail")  # Bench.isolate() points this at a private copy

    def __init__(self, args, data, port=None):
        self.args = args
        self.data = data
        self.port = port or free_port()
        self.proc = None
        self.logfile = data.rstrip("/") + ".log"

    def start(self):
        """Starts Pail (fsync always: the production default) and returns seconds to the first 200 on /-/health."""
        env = dict(os.environ, PAIL_ACCESS_KEY_ID=AK, PAIL_ACCESS_KEY_SECRET=SK)
        cmd = [Pail.launcher, "server", "--port", str(self.port), "--data", self.data,
               "--buckets", "bench,list"]
        t0 = time.monotonic()
        self.proc = subprocess.Popen(cmd, env=env, stdout=open(self.logfile, "a"), stderr=subprocess.STDOUT,
                                     start_new_session=True)
        end = t0 + 60
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise HarnessError(f"Pail exited with {self.proc.returncode}; see {self.logfile}:\n"
                                   + tail(self.logfile))
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=1)
                c.request("GET", "/-/health")
                r = c.getresponse()
                r.read()
                c.close()
                if r.status == 200:
                    return time.monotonic() - t0
            except OSError:
                pass
            time.sleep(0.005)
        raise HarnessError("Pail did not answer /-/health within 60 s")

    @property
    def pid(self):
        return self.proc.pid  # bin/pail execs java: this is the JVM

    def alive(self):
        if self.proc.poll() is not None:
            raise HarnessError(f"Pail died (exit {self.proc.returncode}); see {self.logfile}:\n" + tail(self.logfile))

    def rss_mib(self):
        return status_kib(self.pid, "VmRSS") / 1024

    def hwm_mib(self):
        return status_kib(self.pid, "VmHWM") / 1024

    def stop(self):
        stop_process(self.proc)


def tail(path, n=20):
    try:
        with open(path, errors="replace") as f:
            return "".join(f.readlines()[-n:])
    except OSError:
        return ""


# ---------------------------------------------------------------------------------------------- HTTP helpers

def oss_call(port, method, bucket, key="", sub="", headers=None, body=None, length=None, expect=(200,)):
    """A V1-signed request (the resource includes the sub-resource `sub`); body may be bytes or a file."""
    date = osssign.http_date()
    headers = dict(headers or {})
    ctype = headers.get("Content-Type", "")
    oss_headers = {k: v for k, v in headers.items() if k.lower().startswith("x-oss-")}
    resource = f"/{bucket}/{key}" + (f"?{sub}" if sub else "")
    headers["Date"] = date
    headers["Authorization"] = osssign.v1_authorization(AK, SK, method, resource, date, "", ctype, oss_headers)
    if length is not None:
        headers["Content-Length"] = str(length)
    path = f"/{bucket}/{urllib.parse.quote(key)}" + (f"?{sub}" if sub else "")
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    c.request(method, path, body=body, headers=headers)
    r = c.getresponse()
    data = r.read()
    c.close()
    if r.status not in expect:
        raise HarnessError(f"{method} {path} → {r.status}: {data[:500]!r}")
    return r.status, data


def plain_get(port, path, headers=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    c.request("GET", path, headers=headers or {})
    r = c.getresponse()
    n = 0
    while True:
        b = r.read(1 << 20)
        if not b:
            break
        n += len(b)
    c.close()
    return r.status, n


# ---------------------------------------------------------------------------------------------- load tools

def write_spec(path, method, host, lines, body=None, stop=False):
    """The request table wrk.lua replays: one request per line (path, then headers), round robin."""
    with open(path, "w") as f:
        f.write(f"method={method}\thost={host}\tbody={body or ''}\tstop={1 if stop else 0}\n")
        for p, hdrs in lines:
            f.write(p + "".join("\t" + h for h in hdrs) + "\n")
    for name in os.listdir(os.path.dirname(path)):
        if name.startswith(os.path.basename(path) + ".done."):
            os.remove(os.path.join(os.path.dirname(path), name))
    return path


def run_wrk(spec, port, conc, dur, timeout=30, threads=1):
    env = dict(os.environ, BENCH_SPEC=spec, BENCH_THREADS=str(threads))
    cmd = ["wrk", f"-t{threads}", f"-c{conc}", f"-d{dur}s", "--timeout", f"{timeout}s", "-s",
           os.path.join(LIB, "wrk.lua"), f"http://127.0.0.1:{port}/"]
    p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=dur + 300)
    bad = [line[9:] for line in p.stdout.splitlines() if line.startswith("BENCHBAD ")]
    for line in p.stdout.splitlines():
        if line.startswith("BENCH "):
            r = json.loads(line[6:])
            secs = r["duration_us"] / 1e6
            return dict(tool="wrk", requests=r["requests"], bytes_read=r["bytes"], seconds=secs,
                        non2xx=r["status_errors"],
                        socket_errors=r["connect_errors"] + r["read_errors"] + r["write_errors"],
                        timeouts=r["timeouts"], wraps=r["wraps"],
                        p50_ms=r["p50_us"] / 1000, p90_ms=r["p90_us"] / 1000, p99_ms=r["p99_us"] / 1000,
                        p999_ms=r["p999_us"] / 1000, max_ms=r["max_us"] / 1000,
                        **({"first_failure": bad[0]} if bad else {}))
    raise HarnessError(f"wrk gave no result (exit {p.returncode}): {p.stdout[-800:]} {p.stderr[-800:]}")


def run_ab_head(url, conc, dur, csv, headers=()):
    """HEAD load with ApacheBench (wrk waits for a body after a HEAD response and hangs)."""
    cmd = ["ab", "-q", "-k", "-i", "-c", str(conc), "-t", str(dur), "-n", str(int(200_000 * dur) + 1000),
           "-e", csv, "-s", "30"]
    for h in headers:
        cmd += ["-H", h]
    p = subprocess.run(cmd + [url], capture_output=True, text=True, timeout=dur + 120)
    out = p.stdout
    vals = {}
    for line in out.splitlines():
        if ":" in line:
            k, v = line.split(":", 1)
            vals[k.strip()] = v.strip()
    if "Complete requests" not in vals:
        raise HarnessError(f"ab gave no result (exit {p.returncode}): {out[-800:]} {p.stderr[-800:]}")
    pct = {}
    with open(csv) as f:
        next(f)
        for line in f:
            a, b = line.strip().split(",")
            pct[int(a)] = float(b)
    done = int(vals["Complete requests"])
    secs = float(vals["Time taken for tests"].split()[0])
    return dict(tool="ab", requests=done, bytes_read=0, seconds=secs,
                non2xx=int(vals.get("Non-2xx responses", "0")) + int(vals.get("Failed requests", "0")),
                socket_errors=0, timeouts=0, wraps=0, p50_ms=pct.get(50), p90_ms=pct.get(90), p99_ms=pct.get(99),
                p999_ms=None, max_ms=pct.get(100))


def run_curl_put(url, path, headers=()):
    cmd = ["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code} %{size_upload} %{time_total}", "-T", path]
    for h in headers:
        cmd += ["-H", h]
    p = subprocess.run(cmd + [url], capture_output=True, text=True, timeout=900)
    try:
        code, up, total = p.stdout.split()
    except ValueError:
        raise HarnessError(f"curl failed (exit {p.returncode}): {p.stdout} {p.stderr}")
    size = os.path.getsize(path)
    ok = code.startswith("2") and int(float(up)) == size
    secs = float(total)
    return dict(tool="curl", requests=1, bytes_read=0, seconds=secs, non2xx=0 if ok else 1, socket_errors=0,
                timeouts=0, wraps=0, p50_ms=secs * 1000, p90_ms=None, p99_ms=None, p999_ms=None, max_ms=None,
                status=code)


# ---------------------------------------------------------------------------------------------- the benchmark

def rotate(variants, rnd):
    """Pail's variants of a test start one further in each round, so none always runs first after the reference
    (the VM has shown order effects: one run had GET 1 GiB anonymous, always first, 25% below the signed ones)."""
    k = (rnd - 1) % len(variants) if rnd > 0 else 0
    return variants[k:] + variants[:k]


class Bench:
    def __init__(self, args):
        self.args = args
        self.cfg = dict(MODES["smoke" if args.smoke else "full"])
        if args.rounds:
            self.cfg["rounds"] = args.rounds
        self.mode = "smoke" if args.smoke else "full"
        stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        self.run_id = stamp + ("-smoke" if args.smoke else "")
        base = args.work or os.environ.get("PAIL_BENCH_DIR") or "/var/tmp"
        os.makedirs(base, exist_ok=True)
        self.work = os.path.join(os.path.abspath(base), f"pail-bench-{self.run_id}")
        os.makedirs(self.work)
        for d in ("www", "dav", "dav-tmp", "specs", "tmp"):
            os.makedirs(os.path.join(self.work, d))
        results = args.results or os.path.join(REPO, "bench", "results")
        os.makedirs(results, exist_ok=True)
        self.results_path = os.path.join(results, f"{self.run_id}.jsonl")
        self.out = open(self.results_path, "w")
        self.nginx = Nginx(self.work)
        self.pail = None
        self.rows = []          # every measurement (dicts), also written to the JSONL file
        self.failures = []      # requests that failed: the run completes but exits 2
        self.info = {}
        self.t0 = time.monotonic()

    # -- recording ----------------------------------------------------------------------------

    def emit(self, rec):
        rec = dict(run=self.run_id, mode=self.mode, t=round(time.monotonic() - self.t0, 2), **rec)
        self.out.write(json.dumps(rec, sort_keys=True) + "\n")
        self.out.flush()
        return rec

    def record(self, rnd, test, variant, server, size, conc, r, cpu=None, rss=None, warm=False):
        secs = r["seconds"] or 1e-9
        if r["tool"] == "wrk" and r["bytes_read"] > 0 and test.startswith("get"):
            payload = r["bytes_read"]  # partial transfers count; headers are < 0.1% at 1 MiB
        else:
            payload = r["requests"] * size
        rec = dict(kind="measurement", round=rnd, test=test, variant=variant, server=server, size=size,
                   concurrency=conc, req_s=r["requests"] / secs, mb_s=payload / secs / 1e6, payload_bytes=payload,
                   **{k: v for k, v in r.items()})
        if cpu is not None:
            rec["cpu_s"] = cpu
            rec["cpu_s_per_gb"] = cpu / (payload / 1e9) if payload else None
            rec["cpu_s_per_1k_req"] = cpu / (r["requests"] / 1000) if r["requests"] else None
        if rss is not None:
            rec["rss_mib"] = rss
        if warm:
            return rec
        bad = r["non2xx"] + r.get("socket_errors", 0)
        if bad:
            self.failures.append(f"{test}/{variant} on {server} (round {rnd}): {r['non2xx']} failed answers, "
                                 f"{r.get('socket_errors', 0)} socket errors"
                                 + (f"; first: {r['first_failure']}" if r.get("first_failure") else ""))
        self.rows.append(self.emit(rec))
        unit_v = f"{rec['req_s']:,.0f} req/s" if size <= 64 * KiB else f"{rec['mb_s']:,.0f} MB/s"
        lat = f"p50 {r['p50_ms']:.2f} ms" if r.get("p50_ms") is not None else ""
        extra = f"  cpu {cpu:.2f}s" if cpu is not None else ""
        log(f"  [r{rnd}] {test:7s} {variant:13s} {server:13s} {unit_v:>16s}  {lat}{extra}"
            + (f"  FAILED {bad}" if bad else "")
            + (f"  (keys reused: table wrapped {r['wraps']}x)" if r.get("wraps") and test.startswith("put") else ""))
        return rec

    def measure(self, server, fn):
        """Runs fn with the server's CPU time and RSS recorded around it (after a sync, so writeback of the
        previous test does not land in this one)."""
        os.sync()
        if server == "pail":
            self.pail.alive()
            pids = [self.pail.pid]
        elif server == "nginx":
            pids = self.nginx.pids()
        else:
            pids = []
        c0 = cpu_seconds(pids)
        r = fn()
        cpu = cpu_seconds(pids) - c0 if pids else None
        rss = None
        if server == "pail":
            self.pail.alive()
            rss = self.pail.rss_mib()
        elif server == "nginx":
            rss = self.nginx.rss_mib()
        return r, cpu, rss

    # -- setup --------------------------------------------------------------------------------

    def isolate(self):
        """Runs Pail from a private copy of bin/pail and target/pail.jar (same flags, same bytes): a rebuild of
        the jar during the run (another shell, CI step) would otherwise break the running JVM's class loading."""
        jar = os.path.join(REPO, "target", "pail.jar")
        if not os.path.isfile(jar):
            raise HarnessError("target/pail.jar is missing (run.sh builds it)")
        os.makedirs(os.path.join(self.work, "pail", "bin"))
        os.makedirs(os.path.join(self.work, "pail", "target"))
        shutil.copy2(os.path.join(REPO, "bin", "pail"), os.path.join(self.work, "pail", "bin", "pail"))
        shutil.copy2(jar, os.path.join(self.work, "pail", "target", "pail.jar"))
        Pail.launcher = os.path.join(self.work, "pail", "bin", "pail")
        self.info["jar_mtime"] = datetime.datetime.fromtimestamp(os.path.getmtime(jar), datetime.timezone.utc) \
            .strftime("%Y-%m-%dT%H:%M:%SZ")

    def make_data(self):
        sizes = {"4k.bin": 4 * KiB, "64k.bin": 64 * KiB, "1m.bin": MiB, self.cfg["big_name"]: self.cfg["big"]}
        t0 = time.monotonic()
        for name, size in sizes.items():
            path = os.path.join(self.work, "www", name)
            with open("/dev/urandom", "rb") as src, open(path, "wb") as dst:
                left = size
                while left:
                    chunk = src.read(min(left, 4 * MiB))
                    dst.write(chunk)
                    left -= len(chunk)
        log(f"data: {', '.join(sizes)} from /dev/urandom in {time.monotonic() - t0:.1f}s ({self.work}/www)")
        self.files = {k: os.path.join(self.work, "www", k) for k in sizes}

    def startup_samples(self):
        """Start-up to the first 200 on /-/health and RSS after 2 s idle, each on a fresh data dir."""
        starts, idle = [], []
        for i in range(self.cfg["startups"]):
            p = Pail(self.args, os.path.join(self.work, f"startup-{i}"))
            self.pail = p
            try:
                starts.append(p.start())
                time.sleep(2)
                idle.append(p.rss_mib())
            finally:
                p.stop()
            shutil.rmtree(p.data, ignore_errors=True)
            self.emit(dict(kind="startup", sample=i, data_dir="fresh", seconds=starts[-1], idle_rss_mib=idle[-1]))
        self.info["startup_s"] = starts
        self.info["idle_rss_mib"] = idle
        log(f"start-up to first 200: {', '.join(f'{s * 1000:.0f} ms' for s in starts)}; idle RSS "
            f"{', '.join(f'{m:.0f} MiB' for m in idle)}")

    def jvm_floor(self):
        """hyperfine: `bin/pail --version` (JVM start + picocli, no server): the floor under Pail's start-up."""
        if not shutil.which("hyperfine"):
            return
        out = os.path.join(self.work, "hyperfine.json")
        p = subprocess.run(["hyperfine", "-N", "--warmup", "1", "--runs", str(self.cfg["hyperfine_runs"]),
                            "--export-json", out, f"{Pail.launcher} --version"], capture_output=True, text=True)
        if p.returncode == 0:
            with open(out) as f:
                m = json.load(f)["results"][0]
            self.info["jvm_floor_s"] = m["median"]
            self.emit(dict(kind="jvm_floor", command="bin/pail --version", median_s=m["median"],
                           mean_s=m["mean"], runs=len(m["times"])))
            log(f"JVM floor (hyperfine, bin/pail --version): {m['median'] * 1000:.0f} ms")

    def start_pail(self):
        self.pail = Pail(self.args, os.path.join(self.work, "pail-data"))
        s = self.pail.start()
        self.emit(dict(kind="startup", sample="run", data_dir="fresh", seconds=s))
        self._run_startup = s
        port = self.pail.port
        oss_call(port, "PUT", "bench", sub="acl", headers={"x-oss-acl": "public-read"})
        for name, path in self.files.items():
            with open(path, "rb") as f:
                oss_call(port, "PUT", "bench", name, headers={"Content-Type": "application/octet-stream"},
                         body=f, length=os.path.getsize(path))
        log(f"Pail on 127.0.0.1:{port} (pid {self.pail.pid}, fsync always), objects loaded; nginx on "
            f"127.0.0.1:{self.nginx.port}")

    def populate_list(self):
        n = self.cfg["list_objects"]
        port = self.pail.port
        t0 = time.monotonic()
        done = 0
        batch = 100_000
        for start in range(0, n, batch):
            date = osssign.http_date()
            lines = []
            for i in range(start, min(n, start + batch)):
                k = f"obj/{i:07d}"
                lines.append((f"/list/{k}", [f"Date: {date}", "Content-Type: application/octet-stream",
                                             "Authorization: " + osssign.v1_authorization(
                                                 AK, SK, "PUT", f"/list/{k}", date, "", "application/octet-stream")]))
            spec = write_spec(os.path.join(self.work, "specs", "populate.tsv"), "PUT", f"127.0.0.1:{port}", lines,
                              body="/dev/null", stop=True)
            r = run_wrk(spec, port, 64, 1800, threads=2)
            if r["non2xx"] or r["socket_errors"]:
                raise HarnessError(f"populating the LIST bucket: {r}")
            done += r["requests"]
        secs = time.monotonic() - t0
        self.info["list_objects"] = n
        self.emit(dict(kind="populate", objects=n, responses=done, seconds=secs, put_s=done / secs))
        log(f"LIST bucket: {n:,} empty objects PUT in {secs:.1f}s ({done / secs:,.0f} PUT/s, 64 connections)")

    def check_setup(self):
        """Every request kind once, before any timing: a broken signer or route fails here, not as 403s."""
        port, nport = self.pail.port, self.nginx.port
        size4k = os.path.getsize(self.files["4k.bin"])
        checks = [("nginx static", plain_get(nport, "/file/4k.bin")),
                  ("Pail anonymous", plain_get(port, "/bench/4k.bin")),
                  ("Pail V1 presigned", plain_get(port, self.v1_presigned_paths("4k.bin", 1)[0])),
                  ("Pail V4 header", plain_get(port, "/bench/4k.bin", self.v4_header_dicts("4k.bin", 1)[0]))]
        for name, (status, n) in checks:
            if status != 200 or n != size4k:
                raise HarnessError(f"setup check: {name} GET 4k.bin → {status}, {n} bytes")
        bad = self.v4_header_dicts("4k.bin", 1)[0]
        bad["Authorization"] = bad["Authorization"][:-4] + "0000"
        status, _ = plain_get(port, "/bench/4k.bin", bad)
        if status != 403:
            raise HarnessError(f"setup check: a wrong V4 signature got {status}, not 403: signed GETs would "
                               "not measure signature checks")
        self.list_once(port)
        log("setup checks passed (nginx, Pail anonymous, V1 presigned, V4 header, wrong V4 → 403, LIST)")

    def list_once(self, port):
        marker = f"obj/{self.cfg['list_objects'] // 2:07d}"
        path, headers = self.list_lines(1)[0]
        h = dict(x.split(": ", 1) for x in headers)
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        c.request("GET", f"/list/?marker={urllib.parse.quote(marker, safe='')}&max-keys=1000", headers=h)
        r = c.getresponse()
        body = r.read().decode()
        c.close()
        keys = body.count("<Key>")
        if r.status != 200 or keys != 1000:
            raise HarnessError(f"setup check: LIST from {marker} → {r.status}, {keys} keys")
        return r.status, body

    # -- request tables -------------------------------------------------------------------------

    def v1_presigned_paths(self, name, n):
        return [f"/bench/{name}?" + osssign.v1_presigned_query(AK, SK, "GET", f"/bench/{name}", FAR_EXPIRES + i)
                for i in range(n)]

    def v4_header_dicts(self, name, n, verb="GET"):
        now = time.time()
        return [osssign.v4_get_headers(AK, SK, REGION, verb, "bench", name, now - i) for i in range(n)]

    def list_lines(self, n):
        date = osssign.http_date()
        auth = osssign.v1_authorization(AK, SK, "GET", "/list/", date)
        top = max(1, self.cfg["list_objects"] - 1000)
        rnd = random.Random(6)
        return [(f"/list/?marker={urllib.parse.quote(f'obj/{rnd.randrange(top):07d}', safe='')}&max-keys=1000",
                 [f"Date: {date}", f"Authorization: {auth}"]) for _ in range(n)]

    def spec(self, name, method, port, lines, body=None):
        return write_spec(os.path.join(self.work, "specs", name + ".tsv"), method, f"127.0.0.1:{port}", lines, body)

    # -- tests ----------------------------------------------------------------------------------

    def get_test(self, rnd, test, name, conc, dur, timeout=30, warm=False):
        size = os.path.getsize(self.files[name])
        port, nport = self.pail.port, self.nginx.port
        runs = [("reference", "nginx", nport, [(f"/file/{name}", [])])]
        runs.append(("anonymous", "pail", port, [(f"/bench/{name}", [])]))
        runs.append(("v1-presigned", "pail", port, [(p, []) for p in self.v1_presigned_paths(name, 256)]))
        runs.append(("v4-header", "pail", port,
                     [(f"/bench/{name}", [f"{k}: {v}" for k, v in h.items()])
                      for h in self.v4_header_dicts(name, 256)]))
        runs = runs[:1] + rotate(runs[1:], rnd)
        for variant, server, p, lines in runs:
            if warm and server != "pail":
                continue
            spec = self.spec(f"{test}-{variant}", "GET", p, lines)
            r, cpu, rss = self.measure(server, lambda: run_wrk(spec, p, conc, dur, timeout))
            self.record(rnd, test, variant, server, size, conc, r, cpu, rss, warm)

    def head_test(self, rnd, dur, warm=False):
        size = os.path.getsize(self.files["4k.bin"])
        csv = os.path.join(self.work, "tmp", "ab.csv")
        date = osssign.http_date()
        auth = osssign.v1_authorization(AK, SK, "HEAD", "/bench/4k.bin", date)
        runs = [("reference", "nginx", f"http://127.0.0.1:{self.nginx.port}/file/4k.bin", ()),
                ("anonymous", "pail", f"http://127.0.0.1:{self.pail.port}/bench/4k.bin", ()),
                ("v1-header", "pail", f"http://127.0.0.1:{self.pail.port}/bench/4k.bin",
                 (f"Date: {date}", f"Authorization: {auth}"))]
        runs = runs[:1] + rotate(runs[1:], rnd)
        for variant, server, url, headers in runs:
            if warm and server != "pail":
                continue
            r, cpu, rss = self.measure(server, lambda: run_ab_head(url, 32, dur, csv, headers))
            r["bytes_read"] = 0
            self.record(rnd, "head4k", variant, server, 0, 32, r, cpu, rss, warm)

    def put_test(self, rnd, test, name, conc, dur, max_rate, warm=False):
        path = self.files[name]
        size = os.path.getsize(path)
        n = int(max_rate * dur) + 1000
        port, nport = self.pail.port, self.nginx.port
        tag = f"w{rnd}" if warm else f"r{rnd}"
        dav = [(f"/dav/{test}/{tag}/{i:07d}", ["Content-Type: application/octet-stream"]) for i in range(n)]
        date = osssign.http_date()
        signed = []
        for i in range(n):
            key = f"{test}/{tag}/{i:07d}"
            signed.append((f"/bench/{key}", [f"Date: {date}", "Content-Type: application/octet-stream",
                                             "Authorization: " + osssign.v1_authorization(
                                                 AK, SK, "PUT", f"/bench/{key}", date, "", "application/octet-stream")]))
        for variant, server, p, lines in (("reference", "nginx", nport, dav), ("v1-header", "pail", port, signed)):
            if warm and server != "pail":
                continue
            spec = self.spec(f"{test}-{variant}", "PUT", p, lines, body=path)
            r, cpu, rss = self.measure(server, lambda: run_wrk(spec, p, conc, dur))
            self.record(rnd, test, variant, server, size, conc, r, cpu, rss, warm)
        shutil.rmtree(os.path.join(self.work, "dav", test), ignore_errors=True)

    def put_big_test(self, rnd, warm=False):
        name = self.cfg["big_name"]
        path = self.files[name]
        size = os.path.getsize(path)
        tag = f"w{rnd}" if warm else f"r{rnd}"
        java = os.path.join(os.environ["JAVA_HOME"], "bin", "java")

        def md5():
            p = subprocess.run([java, os.path.join(LIB, "Md5Rate.java"), path], capture_output=True, text=True)
            for line in p.stdout.splitlines():
                if line.startswith("MD5 "):
                    m = json.loads(line[4:])
                    return dict(tool="jdk-md5", requests=1, bytes_read=0, seconds=m["seconds"], non2xx=0,
                                socket_errors=0, timeouts=0, wraps=0, p50_ms=None, p90_ms=None, p99_ms=None,
                                p999_ms=None, max_ms=None)
            raise HarnessError(f"Md5Rate failed: {p.stdout} {p.stderr}")

        key = f"putbig/{tag}"
        date = osssign.http_date()
        auth = osssign.v1_authorization(AK, SK, "PUT", f"/bench/{key}", date, "", "application/octet-stream")
        ct = "Content-Type: application/octet-stream"
        runs = [("reference", "jdk-md5", md5),
                ("v1-header", "pail", lambda: run_curl_put(f"http://127.0.0.1:{self.pail.port}/bench/{key}", path,
                                                           (f"Date: {date}", ct, f"Authorization: {auth}")))]
        if not warm:  # anchors, for context: the same bytes into nginx and onto the disk
            runs += [("anchor-dav", "nginx", lambda: run_curl_put(
                         f"http://127.0.0.1:{self.nginx.port}/dav/big/{tag}", path, (ct,))),
                     ("anchor-discard", "nginx", lambda: run_curl_put(
                         f"http://127.0.0.1:{self.nginx.port}/discard/{tag}", path, (ct,))),
                     ("anchor-dd-fdatasync", "dd", lambda: self.dd(path))]
        for variant, server, fn in runs:
            if warm and server != "pail":
                continue
            r, cpu, rss = self.measure(server, fn)
            self.record(rnd, "putbig", variant, server, size, 1, r, cpu, rss, warm)
        shutil.rmtree(os.path.join(self.work, "dav", "big"), ignore_errors=True)

    def dd(self, path):
        out = os.path.join(self.work, "tmp", "dd.bin")
        t0 = time.monotonic()
        subprocess.run(["dd", f"if={path}", f"of={out}", "bs=1M", "conv=fdatasync", "status=none"], check=True)
        secs = time.monotonic() - t0
        os.remove(out)
        return dict(tool="dd", requests=1, bytes_read=0, seconds=secs, non2xx=0, socket_errors=0, timeouts=0,
                    wraps=0, p50_ms=None, p90_ms=None, p99_ms=None, p999_ms=None, max_ms=None)

    def fio_test(self, rnd):
        """4 KiB writes each followed by fsync on the data dir's file system: the floor of a durable small PUT."""
        out = os.path.join(self.work, "tmp", "fio.json")
        p = subprocess.run(["fio", "--name=fsync4k", f"--filename={self.work}/tmp/fio.dat", "--size=64m", "--bs=4k",
                            "--rw=write", "--fsync=1", "--ioengine=sync", "--time_based",
                            f"--runtime={self.cfg['fio']}", "--output-format=json", f"--output={out}"],
                           capture_output=True, text=True)
        if p.returncode != 0:
            raise HarnessError(f"fio failed: {p.stderr[-500:]}")
        with open(out) as f:
            job = json.load(f)["jobs"][0]["write"]
        os.remove(f"{self.work}/tmp/fio.dat")
        r = dict(tool="fio", requests=job["total_ios"], bytes_read=0, seconds=job["runtime"] / 1000, non2xx=0,
                 socket_errors=0, timeouts=0, wraps=0, p50_ms=None, p90_ms=None, p99_ms=None, p999_ms=None,
                 max_ms=None)
        self.record(rnd, "put4k", "anchor-fio-fsync", "fio", 4 * KiB, 1, r)

    def list_test(self, rnd, dur, warm=False):
        spec = self.spec("list", "GET", self.pail.port, self.list_lines(256))
        r, cpu, rss = self.measure("pail", lambda: run_wrk(spec, self.pail.port, 1, dur))
        self.record(rnd, "list", "v1-header", "pail", 0, 1, r, cpu, rss, warm)

    def round(self, rnd, warm=False):
        c = self.cfg
        d = c["warm"] if warm else c["dur"]
        self.get_test(rnd, "get4k", "4k.bin", 32, d, warm=warm)
        self.get_test(rnd, "get1m", "1m.bin", 8, d, warm=warm)
        if c["dur_big"]:
            self.get_test(rnd, "get1g", "1g.bin", 2, c["warm"] if warm else c["dur_big"], timeout=120, warm=warm)
        self.head_test(rnd, c["warm"] if warm else c["head_dur"], warm=warm)
        self.list_test(rnd, c["warm"] if warm else c["list_dur"], warm=warm)
        if not warm:
            self.fio_test(rnd)
        self.put_test(rnd, "put4k", "4k.bin", 32, d, 20_000, warm=warm)
        self.put_test(rnd, "put1m", "1m.bin", 8, d, 2_500, warm=warm)
        if not warm or c["big"] <= 64 * MiB:
            self.put_big_test(rnd, warm=warm)

    def mixed(self):
        cp = self.args.mixed_cp
        if not cp:
            log("mixed load: skipped (no class path given)")
            return
        java = os.path.join(os.environ["JAVA_HOME"], "bin", "java")
        cmd = [java, "-cp", cp, "dev.pail.bench.MixedLoad", f"http://127.0.0.1:{self.pail.port}", AK, SK,
               str(self.cfg["mixed"]), "--warmup", str(self.cfg["mixed_warm"]), "--threads", "32",
               "--payload", self.files["64k.bin"], "--objects", str(self.cfg["mixed_objects"])]
        os.sync()
        c0 = cpu_seconds([self.pail.pid])
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        cpu = cpu_seconds([self.pail.pid]) - c0
        self.pail.alive()
        res = None
        for line in p.stdout.splitlines():
            if line.startswith("MIXED "):
                res = json.loads(line[6:])
        if res is None:
            raise HarnessError(f"MixedLoad failed (exit {p.returncode}): {p.stdout[-1500:]} {p.stderr[-1500:]}")
        if res["errors"]:
            self.failures.append(f"mixed load: {res['errors']} failed operations: {p.stdout[-600:]}")
        self.mixed_result = self.emit(dict(kind="mixed", pail_cpu_s_incl_setup=cpu, rss_mib=self.pail.rss_mib(),
                                           **res))
        log("mixed load (aliyun-sdk-oss 3.18.5, 45% GET / 30% HEAD / 15% PUT / 10% DELETE, 64 KiB, 32 threads):")
        for line in p.stdout.splitlines():
            if not line.startswith("MIXED "):
                log("  " + line)

    # -- the whole run ----------------------------------------------------------------------------

    def run(self):
        c = self.cfg
        t_start = time.monotonic()
        git = subprocess.run(["git", "-C", REPO, "describe", "--always", "--dirty"], capture_output=True, text=True)
        meta = dict(kind="meta", started=self.run_id, git=git.stdout.strip(), nproc=os.cpu_count(),
                    kernel=os.uname().release, config=c, pail_java_opts=os.environ.get("PAIL_JAVA_OPTS", ""),
                    work=self.work, units="throughput MB/s = 10^6 bytes/s; CPU s per GB = 10^9 bytes")
        try:
            meta["cpu"] = next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
        except (OSError, StopIteration):
            pass
        self.isolate()
        meta["jar_mtime"] = self.info["jar_mtime"]
        self.emit(meta)
        log(f"== Pail benchmark, {self.mode} mode, {c['rounds']} round(s); results → {self.results_path}")
        self.make_data()
        self.nginx.start()
        self.jvm_floor()
        if c["startups"] > 1:
            self.startup_samples()
        self.start_pail()
        if c["startups"] == 1:
            # smoke: the run's own start is the only sample
            self.info["startup_s"] = [self._run_startup]
            time.sleep(2)
            self.info["idle_rss_mib"] = [self.pail.rss_mib()]
            self.emit(dict(kind="idle_rss", sample="run", idle_rss_mib=self.info["idle_rss_mib"][0]))
        self.populate_list()
        # restart on the populated data dir: start-up with many objects, and the rounds start from a cold JIT
        self.pail.stop()
        s = self.pail.start()
        self.info["startup_populated_s"] = s
        self.emit(dict(kind="startup", sample="populated", data_dir=f"{c['list_objects']} objects", seconds=s))
        log(f"restart with {c['list_objects']:,} objects in the data dir: first 200 after {s * 1000:.0f} ms")
        self.check_setup()
        with open(self.files[c["big_name"]], "rb") as f:  # page cache
            while f.read(16 * MiB):
                pass
        log("warm-up (not recorded)")
        self.round(0, warm=True)
        for rnd in range(1, c["rounds"] + 1):
            log(f"round {rnd} of {c['rounds']}")
            self.round(rnd)
        self.mixed()
        self.info["hwm_mib"] = self.pail.hwm_mib()
        self.info["final_rss_mib"] = self.pail.rss_mib()
        self.info["elapsed_s"] = time.monotonic() - t_start
        self.report()

    def close(self, failed=False):
        if self.pail:
            self.pail.stop()
        self.nginx.stop()
        self.out.close()
        if failed:  # Pail's own logs (every start) next to the results, for the post-mortem
            logs = sorted(f for f in os.listdir(self.work) if f.endswith(".log"))
            keep = self.results_path[:-len(".jsonl")] + ".pail.log"
            with open(keep, "w") as out:
                for name in logs:
                    out.write(f"==> {name} <==\n" + open(os.path.join(self.work, name), errors="replace").read())
            log(f"Pail's logs: {keep}")
        if not self.args.keep:
            shutil.rmtree(self.work, ignore_errors=True)

    # -- the table --------------------------------------------------------------------------------

    def report(self):
        import report
        text, summaries = report.render(self.rows, self.info, getattr(self, "mixed_result", None), self.cfg,
                                        self.mode)
        for s in summaries:
            self.emit(dict(kind="summary", **s))
        self.emit(dict(kind="run", failures=self.failures, **{k: v for k, v in self.info.items()}))
        log("")
        log(text)
        log(f"results: {self.results_path}")
        if self.failures:
            log("FAILED REQUESTS (the numbers above are not valid):")
            for f in self.failures:
                log("  " + f)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--smoke", action="store_true", help="one round, tiny durations, no 1 GiB, 10k-object LIST")
    ap.add_argument("--rounds", type=int, help="override the number of rounds")
    ap.add_argument("--work", help="scratch directory base (default $PAIL_BENCH_DIR or /var/tmp); nginx's dav "
                                   "directory and Pail's data dir are both under it, so on one file system")
    ap.add_argument("--results", help="directory for the JSONL file (default bench/results)")
    ap.add_argument("--keep", action="store_true", help="keep the scratch directory")
    ap.add_argument("--mixed-cp", help="class path with dev.pail.bench.MixedLoad and aliyun-sdk-oss")
    args = ap.parse_args()
    if "JAVA_HOME" not in os.environ:
        sys.exit("driver.py: JAVA_HOME must point at a JDK 25 (run bench/run.sh)")

    def on_signal(signum, frame):
        raise KeyboardInterrupt()

    signal.signal(signal.SIGTERM, on_signal)
    bench = Bench(args)
    code = 0
    try:
        bench.run()
        if bench.failures:
            code = 2
    except HarnessError as e:
        log(f"HARNESS ERROR: {e}")
        code = 1
    except KeyboardInterrupt:
        log("interrupted")
        code = 130
    finally:
        bench.close(failed=code != 0)
    sys.exit(code)


if __name__ == "__main__":
    main()
