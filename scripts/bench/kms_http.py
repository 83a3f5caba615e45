#!/usr/bin/env python3
"""KMS calls per second through HTTP + SigV4 with boto3: GrantSim against its floor and a peer.

Measures, in one run and on the same machine, one server at a time and alternating:
  - nginx returning GrantSim's own replies canned: the floor, what a server that does no work at
    all gives this client (HTTP, SigV4 signing, JSON parsing);
  - moto in server mode (when a Python with moto is found): a peer emulator doing the same calls;
  - GrantSim's AWS endpoint;
for GenerateDataKey, Decrypt and CreateGrant + RetireGrant pairs, sequentially and with N threads.
Around every run it reads the server's CPU time (/proc/<pid>/stat), the client's own CPU time
(getrusage) and the machine's (/proc/stat), so each figure says whether the client, not the
server, was the limit and whether other processes were busy. A ratio to the floor is reported only
when neither run of the pair was starved: the floor alone says nothing on a busy machine.
Each figure is the median of --runs runs, with the spread. Prints a table; --json writes the figures.
"""
import argparse
import base64
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import boto3
from botocore.config import Config

REGION = "us-east-1"
# A run is "client-bound" when the client's own CPU was at least this share of one core: boto3 is
# Python, and its threads share one interpreter lock, so one core is all the client can use.
CLIENT_BOUND_CORES = 0.85
# A run is "busy" when processes other than the client and the server used at least this many
# cores on average while it ran (builds, tests, other benchmarks): its figure is not a floor.
BUSY_CORES = 0.25
GRANTEE = "arn:aws:iam::{account}:role/bench-grantee"


def kms_client(endpoint, access_key=None, secret_key=None):
    # One attempt: a throttled or failed call is counted as an error, not retried into the figure.
    # The endpoint's default tenant (test/test) unless the environment names another.
    return boto3.client(
        "kms", endpoint_url=endpoint, region_name=REGION,
        aws_access_key_id=access_key or os.environ.get("AWS_ACCESS_KEY_ID", "test"),
        aws_secret_access_key=secret_key or os.environ.get("AWS_SECRET_ACCESS_KEY", "test"),
        config=Config(retries={"max_attempts": 1, "mode": "standard"}, max_pool_connections=64))


def process_cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as stat:
        # Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def tree_cpu_seconds(pid):
    """CPU time of a process and its children still running (nginx's worker, moto's server)."""
    total = process_cpu_seconds(pid)
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as children:
            for child in children.read().split():
                try:
                    total += tree_cpu_seconds(int(child))
                except (FileNotFoundError, ProcessLookupError):
                    pass
    except FileNotFoundError:
        pass
    return total


def own_cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def machine_busy_seconds():
    """CPU seconds every core of the machine spent running processes (user, nice and system time).

    Interrupt and softirq time is left out: the kernel's handling of the benchmark's own loopback
    traffic is counted there, to no process, and is not another process's load."""
    with open("/proc/stat") as stat:
        fields = [int(v) for v in stat.readline().split()[1:]]
    return sum(fields[:3]) / os.sysconf("SC_CLK_TCK")


def stolen_seconds():
    """CPU seconds the hypervisor gave to other machines while this one wanted to run (steal)."""
    with open("/proc/stat") as stat:
        fields = [int(v) for v in stat.readline().split()[1:]]
    return fields[7] / os.sysconf("SC_CLK_TCK")


def run_loop(calls, seconds):
    """Calls per second of len(calls) callers, each calling again as soon as its call returns."""
    counts = [0] * len(calls)
    errors = []
    start = threading.Barrier(len(calls) + 1)
    deadline = [0.0]

    def worker(index):
        start.wait()
        while time.perf_counter() < deadline[0]:
            try:
                calls[index]()
                counts[index] += 1
            except Exception as error:  # noqa: BLE001 - any failure ends the figure below
                errors.append(error)
                return

    workers = [threading.Thread(target=worker, args=(i,)) for i in range(len(calls))]
    for w in workers:
        w.start()
    started = time.perf_counter()
    deadline[0] = started + seconds
    start.wait()
    for w in workers:
        w.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise SystemExit(f"a call failed: {errors[0]!r}")
    return sum(counts), elapsed


def measured_run(calls, seconds, server_pid):
    """One run, with the CPU of the server, of this client and of everything else on the machine."""
    server_before, own_before, machine_before, stolen_before = tree_cpu_seconds(server_pid), own_cpu_seconds(), machine_busy_seconds(), stolen_seconds()
    done, elapsed = run_loop(calls, seconds)
    server = tree_cpu_seconds(server_pid) - server_before
    own = own_cpu_seconds() - own_before
    others = max(0.0, machine_busy_seconds() - machine_before - server - own)
    return {"rate": done / elapsed, "server_ms": server * 1000 / max(done, 1), "client_ms": own * 1000 / max(done, 1),
            "client_cores": own / elapsed, "other_cores": others / elapsed, "stolen_cores": (stolen_seconds() - stolen_before) / elapsed}


def figure(name, unit, runs):
    return {"name": name, "unit": unit, "median": round(statistics.median(runs), 4),
            "low": round(min(runs), 4), "high": round(max(runs), 4), "runs": [round(r, 4) for r in runs]}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_listening(process, port, what):
    for _ in range(400):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.1):
                return
        except OSError:
            if process.poll() is not None:
                raise SystemExit(f"{what} exited with {process.returncode}")
            time.sleep(0.05)  # waiting for a server process to listen; not a test
    process.kill()
    raise SystemExit(f"{what} did not start listening")


def start_nginx(replies):
    """nginx on a free loopback port, answering each X-Amz-Target with its canned JSON reply."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not os.path.exists(nginx):
        raise SystemExit("nginx is not installed (apt-get install nginx-light)")
    prefix = tempfile.mkdtemp(prefix="grantsim-nginx-")
    port = free_port()
    cases = "\n".join(f"    \"{target}\" '{body}';" for target, body in replies.items())
    with open(os.path.join(prefix, "nginx.conf"), "w") as conf:
        conf.write(f"""worker_processes 1;
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {prefix}/body;
  proxy_temp_path {prefix}/proxy;
  fastcgi_temp_path {prefix}/fastcgi;
  uwsgi_temp_path {prefix}/uwsgi;
  scgi_temp_path {prefix}/scgi;
  keepalive_requests 1000000;
  map $http_x_amz_target $canned {{
{cases}
    default '{{}}';
  }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      default_type application/x-amz-json-1.1;
      return 200 $canned;
    }}
  }}
}}
""")
    process = subprocess.Popen([nginx, "-p", prefix, "-c", os.path.join(prefix, "nginx.conf")])
    wait_listening(process, port, "nginx")
    return process, f"http://127.0.0.1:{port}", prefix


def python_with_moto(requested):
    """A Python that can run moto's server: the one named, this one, or python3 on PATH."""
    candidates = [requested] if requested else [sys.executable, shutil.which("python3")]
    for python in filter(None, candidates):
        probe = subprocess.run([python, "-c", "import moto.server, flask"], capture_output=True)
        if probe.returncode == 0:
            return python
    return None


def start_moto(python):
    port = free_port()
    process = subprocess.Popen([python, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_listening(process, port, "moto")
    return process, f"http://127.0.0.1:{port}"


class Target:
    """A server under test: its endpoint, its process, and the three calls made against it."""

    def __init__(self, name, endpoint, pid, key, ciphertext, context, grantee):
        self.name, self.endpoint, self.pid = name, endpoint, pid
        self.key, self.ciphertext, self.context, self.grantee = key, ciphertext, context, grantee

    def calls(self, client):
        key, context, ciphertext, grantee = self.key, self.context, self.ciphertext, self.grantee

        def grant_pair():
            grant = client.create_grant(KeyId=key, GranteePrincipal=grantee, Operations=["Decrypt", "GenerateDataKey"])
            client.retire_grant(GrantToken=grant["GrantToken"])

        return {
            "GenerateDataKey": lambda: client.generate_data_key(KeyId=key, KeySpec="AES_256", EncryptionContext=context),
            "Decrypt": lambda: client.decrypt(CiphertextBlob=ciphertext, EncryptionContext=context, KeyId=key),
            "CreateGrant + RetireGrant": grant_pair,
        }


def prepare(name, endpoint, pid):
    """A key of its own on the server, and a data key under it to decrypt."""
    setup = kms_client(endpoint)
    key = setup.create_key(Description=f"bench-http-{os.getpid()}-{time.time_ns()}")["KeyMetadata"]["Arn"]
    account = key.split(":")[4]
    context = {"aws:ecr:arn": f"arn:aws:ecr:{REGION}:{account}:repository/bench",
               "aws:s3:arn": "arn:aws:s3:::bench/object"}
    generated = setup.generate_data_key(KeyId=key, KeySpec="AES_256", EncryptionContext=context)
    return Target(name, endpoint, pid, key, generated["CiphertextBlob"], context, GRANTEE.format(account=account)), setup


def canned_replies(grantsim, setup):
    """GrantSim's own answers, to be served by nginx without any work."""
    b64 = lambda blob: base64.b64encode(blob).decode()
    generated = setup.generate_data_key(KeyId=grantsim.key, KeySpec="AES_256", EncryptionContext=grantsim.context)
    decrypted = setup.decrypt(CiphertextBlob=grantsim.ciphertext, EncryptionContext=grantsim.context, KeyId=grantsim.key)
    grant = setup.create_grant(KeyId=grantsim.key, GranteePrincipal=grantsim.grantee, Operations=["Decrypt", "GenerateDataKey"])
    setup.retire_grant(GrantToken=grant["GrantToken"])
    compact = lambda value: json.dumps(value, separators=(",", ":"))
    return {
        "TrentService.GenerateDataKey": compact({"CiphertextBlob": b64(generated["CiphertextBlob"]), "KeyId": grantsim.key,
                                                 "Plaintext": b64(generated["Plaintext"])}),
        "TrentService.Decrypt": compact({"EncryptionAlgorithm": "SYMMETRIC_DEFAULT", "KeyId": grantsim.key,
                                         "Plaintext": b64(decrypted["Plaintext"])}),
        "TrentService.CreateGrant": compact({"GrantId": grant["GrantId"], "GrantToken": grant["GrantToken"]}),
        "TrentService.RetireGrant": "{}",
    }


def verdict(floor, subject):
    """Why a ratio cannot be trusted, or None when it can."""
    reasons = []
    if floor["other_cores"] >= BUSY_CORES or subject["other_cores"] >= BUSY_CORES:
        reasons.append(f"machine busy ({max(floor['other_cores'], subject['other_cores']):.2f} cores used by other processes)")
    if floor["stolen_cores"] >= BUSY_CORES or subject["stolen_cores"] >= BUSY_CORES:
        reasons.append(f"machine busy (the hypervisor took {max(floor['stolen_cores'], subject['stolen_cores']):.2f} cores: other virtual machines)")
    return "; ".join(reasons) or None


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--endpoint", default="http://127.0.0.1:4566", help="GrantSim's AWS endpoint")
    parser.add_argument("--pid", type=int, required=True, help="the silo's process id (for its CPU time)")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=3.0, help="length of one run")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--moto-python", help="a Python with moto[server] (default: this one, then python3 on PATH)")
    parser.add_argument("--no-moto", action="store_true", help="leave the moto peer out")
    parser.add_argument("--json", help="write the figures here")
    args = parser.parse_args()

    grantsim, setup = prepare("GrantSim", args.endpoint, args.pid)
    nginx, canned_endpoint, prefix = start_nginx(canned_replies(grantsim, setup))
    # nginx's canned replies answer whatever is asked: the floor's calls name GrantSim's key.
    floor = Target("nginx canned", canned_endpoint, nginx.pid, grantsim.key, grantsim.ciphertext, grantsim.context, grantsim.grantee)
    targets = [floor]
    moto_process, moto_note = None, None
    moto_python = None if args.no_moto else python_with_moto(args.moto_python)
    if moto_python:
        moto_process, moto_endpoint = start_moto(moto_python)
        targets.append(prepare("moto", moto_endpoint, moto_process.pid)[0])
    else:
        moto_note = "left out (--no-moto)" if args.no_moto else "left out: no Python here can import moto.server and flask"
        print(f"moto: {moto_note}", file=sys.stderr)
    targets.append(grantsim)

    figures, ratios, rows = [], [], []
    try:
        for operation in ("GenerateDataKey", "Decrypt", "CreateGrant + RetireGrant"):
            unit = "pairs/s" if "+" in operation else "calls/s"
            per = "pair" if "+" in operation else "call"
            for threads in (1, args.threads):
                label = "sequential" if threads == 1 else f"{threads} threads"
                # One client per thread, as boto3 advises, made before the clock starts and kept warm.
                calls = {t.name: [t.calls(kms_client(t.endpoint))[operation] for _ in range(threads)] for t in targets}
                runs = {t.name: [] for t in targets}
                for _ in range(args.runs):
                    # The servers alternate within each round so that all see the same machine.
                    for target in targets:
                        run_loop(calls[target.name], min(1.0, args.seconds / 2))
                        runs[target.name].append(measured_run(calls[target.name], args.seconds, target.pid))
                medians = {}
                for target in targets:
                    series = runs[target.name]
                    name = f"boto3 {operation}, {label}: {'nginx canned reply' if target is floor else target.name}"
                    server_name = "silo" if target is grantsim else target.name
                    figures.append(figure(name, unit, [r["rate"] for r in series]))
                    figures.append(figure(f"boto3 {operation}, {label}: {server_name} CPU per {per}", "ms", [r["server_ms"] for r in series]))
                    figures.append(figure(f"boto3 {operation}, {label}: client CPU per {per} against {target.name}", "ms", [r["client_ms"] for r in series]))
                    figures.append(figure(f"boto3 {operation}, {label}: client cores against {target.name}", "cores", [r["client_cores"] for r in series]))
                    figures.append(figure(f"boto3 {operation}, {label}: other processes' cores during {target.name}", "cores", [r["other_cores"] for r in series]))
                    figures.append(figure(f"boto3 {operation}, {label}: stolen cores during {target.name}", "cores", [r["stolen_cores"] for r in series]))
                    medians[target.name] = {k: statistics.median(r[k] for r in series) for k in series[0]}
                floor_m, subject_m = medians[floor.name], medians[grantsim.name]
                untrusted = verdict(floor_m, subject_m)
                ratio = subject_m["rate"] / floor_m["rate"]
                ratios.append({"name": f"boto3 {operation}, {label}: GrantSim / nginx canned reply", "value": round(ratio, 3),
                               "target": 0.8, "atMost": False, "untrusted": untrusted})
                ratios.append({"name": f"boto3 {operation}, {label}: silo CPU per {per} (ms)", "value": round(subject_m["server_ms"], 4),
                               "target": 0.15 if threads > 1 and per == "call" else None, "atMost": True, "untrusted": untrusted})
                rows.append({"call": f"{operation}, {label}", "medians": medians, "ratio": ratio, "untrusted": untrusted,
                             "clientBound": subject_m["client_cores"] >= CLIENT_BOUND_CORES, "per": per})
                print(f"{operation} {label}: " + ", ".join(f"{name} {m['rate']:.0f}/s" for name, m in medians.items())
                      + f", silo CPU {subject_m['server_ms']:.3f} ms/{per}", file=sys.stderr)
    finally:
        for process in filter(None, (nginx, moto_process)):
            process.terminate()
            process.wait()
        shutil.rmtree(prefix, ignore_errors=True)

    for r in ratios:
        r["met"] = None if r["target"] is None else (r["value"] <= r["target"] if r["atMost"] else r["value"] >= r["target"])

    names = [t.name for t in targets]
    header = ["call"] + names + ["GrantSim / nginx", "silo CPU", "client CPU (GrantSim)", "client cores", "others' cores", "stolen cores", "verdict"]
    print("| " + " | ".join(header) + " |")
    print("|---|" + "---:|" * (len(header) - 2) + "---|")
    for row in rows:
        m = row["medians"]
        g = m[grantsim.name]
        note = row["untrusted"] or ("client-bound: the client, not the server, was the limit" if row["clientBound"] else "trusted")
        cells = [row["call"]] + [f"{m[n]['rate']:,.0f}/s" for n in names] + [
            "-" if row["untrusted"] else f"{row['ratio']:.2f}", f"{g['server_ms']:.2f} ms/{row['per']}", f"{g['client_ms']:.2f} ms/{row['per']}",
            f"{g['client_cores']:.2f}", f"{max(m[n]['other_cores'] for n in names):.2f}", f"{max(m[n]['stolen_cores'] for n in names):.2f}", note]
        print("| " + " | ".join(cells) + " |")
    if moto_note:
        print(f"\nmoto {moto_note}")
    print()
    print("Ratio | Value | Target | Met")
    for r in ratios:
        target = "-" if r["target"] is None else f"{'<=' if r['atMost'] else '>='} {r['target']}"
        met = "not judged: " + r["untrusted"] if r["untrusted"] else ("-" if r["met"] is None else ("yes" if r["met"] else "no"))
        print(f"{r['name']} | {r['value']} | {target} | {met}")
    if args.json:
        with open(args.json, "w") as out:
            json.dump({"machine": f"{os.cpu_count()} cores, boto3 {boto3.__version__}", "runs": args.runs, "seconds": args.seconds,
                       "peers": names, "moto": moto_note or "measured", "loadAverage": os.getloadavg(),
                       "figures": figures, "ratios": ratios}, out, indent=2)


if __name__ == "__main__":
    main()
