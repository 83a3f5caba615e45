#!/usr/bin/env python3
"""GenerateDataKey and Decrypt per second through the AWS endpoint with boto3 (HTTP + SigV4).

Measures, in one run and on the same machine:
  - boto3 against the silo's AWS endpoint, sequentially and with N threads;
  - the silo's CPU time per call, read from /proc/<pid>/stat around each silo run;
  - the same boto3 loop against nginx returning the silo's own replies, canned: the ceiling a
    server that does no work at all gives this client (HTTP, SigV4 signing, JSON parsing).
Each figure is the median of --runs runs, with the spread. Prints a table; --json writes the figures.
"""
import argparse
import base64
import json
import os
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


def kms_client(endpoint):
    # One attempt: a throttled or failed call is counted as an error, not retried into the figure.
    # The endpoint's default tenant (test/test) unless the environment names another.
    return boto3.client(
        "kms", endpoint_url=endpoint, region_name=REGION,
        aws_access_key_id=os.environ.get("AWS_ACCESS_KEY_ID", "test"),
        aws_secret_access_key=os.environ.get("AWS_SECRET_ACCESS_KEY", "test"),
        config=Config(retries={"max_attempts": 1, "mode": "standard"}, max_pool_connections=64))


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as stat:
        # Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


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


def figure(name, unit, runs):
    return {"name": name, "unit": unit, "median": round(statistics.median(runs), 4),
            "low": round(min(runs), 4), "high": round(max(runs), 4), "runs": [round(r, 4) for r in runs]}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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
    for _ in range(200):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.1):
                return process, f"http://127.0.0.1:{port}", prefix
        except OSError:
            if process.poll() is not None:
                raise SystemExit(f"nginx exited with {process.returncode}")
            time.sleep(0.05)  # waiting for a server process to listen; not a test
    process.kill()
    raise SystemExit("nginx did not start listening")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--endpoint", default="http://127.0.0.1:4566", help="the silo's AWS endpoint")
    parser.add_argument("--pid", type=int, required=True, help="the silo's process id (for its CPU time)")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=3.0, help="length of one run")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", help="write the figures here")
    args = parser.parse_args()

    # A key of its own and one data key to decrypt; the canned replies are the silo's own answers.
    setup = kms_client(args.endpoint)
    key = setup.create_key(Description=f"bench-http-{os.getpid()}-{time.time_ns()}")["KeyMetadata"]["Arn"]
    account = key.split(":")[4]
    context = {"aws:ecr:arn": f"arn:aws:ecr:us-east-1:{account}:repository/bench",
               "aws:s3:arn": "arn:aws:s3:::bench/object"}
    generated = setup.generate_data_key(KeyId=key, KeySpec="AES_256", EncryptionContext=context)
    decrypted = setup.decrypt(CiphertextBlob=generated["CiphertextBlob"], EncryptionContext=context, KeyId=key)
    b64 = lambda blob: base64.b64encode(blob).decode()
    replies = {
        "TrentService.GenerateDataKey": json.dumps({"CiphertextBlob": b64(generated["CiphertextBlob"]), "KeyId": key,
                                                    "Plaintext": b64(generated["Plaintext"])}, separators=(",", ":")),
        "TrentService.Decrypt": json.dumps({"EncryptionAlgorithm": "SYMMETRIC_DEFAULT", "KeyId": key,
                                            "Plaintext": b64(decrypted["Plaintext"])}, separators=(",", ":")),
    }
    calls = {
        "GenerateDataKey": lambda c: lambda: c.generate_data_key(KeyId=key, KeySpec="AES_256", EncryptionContext=context),
        "Decrypt": lambda c: lambda: c.decrypt(CiphertextBlob=generated["CiphertextBlob"], EncryptionContext=context, KeyId=key),
    }

    nginx, canned_endpoint, prefix = start_nginx(replies)
    figures, ratios = [], []
    try:
        for operation, make in calls.items():
            for threads in (1, args.threads):
                label = "sequential" if threads == 1 else f"{threads} threads"
                silo_rates, canned_rates, cpu_per_call = [], [], []
                # One client per thread, as boto3 advises, made before the clock starts and kept warm.
                silo_calls = [make(kms_client(args.endpoint)) for _ in range(threads)]
                canned_calls = [make(kms_client(canned_endpoint)) for _ in range(threads)]
                for _ in range(args.runs):
                    # Warm-up, then the run; the two servers alternate so that both see the same machine.
                    run_loop(silo_calls, min(1.0, args.seconds / 2))
                    cpu_before = cpu_seconds(args.pid)
                    done, elapsed = run_loop(silo_calls, args.seconds)
                    cpu_per_call.append((cpu_seconds(args.pid) - cpu_before) * 1000 / done)
                    silo_rates.append(done / elapsed)
                    run_loop(canned_calls, min(1.0, args.seconds / 2))
                    done, elapsed = run_loop(canned_calls, args.seconds)
                    canned_rates.append(done / elapsed)
                figures.append(figure(f"boto3 {operation}, {label}: GrantSim", "calls/s", silo_rates))
                figures.append(figure(f"boto3 {operation}, {label}: nginx canned reply", "calls/s", canned_rates))
                figures.append(figure(f"boto3 {operation}, {label}: silo CPU per call", "ms", cpu_per_call))
                ratios.append({"name": f"boto3 {operation}, {label}: GrantSim / nginx canned reply",
                               "value": round(statistics.median(silo_rates) / statistics.median(canned_rates), 3),
                               "target": 0.8, "atMost": False})
                ratios.append({"name": f"boto3 {operation}, {label}: silo CPU per call (ms)",
                               "value": round(statistics.median(cpu_per_call), 4), "target": 0.1, "atMost": True})
                print(f"{operation} {label}: GrantSim {statistics.median(silo_rates):.0f}/s, "
                      f"nginx {statistics.median(canned_rates):.0f}/s, "
                      f"silo CPU {statistics.median(cpu_per_call):.3f} ms/call", file=sys.stderr)
    finally:
        nginx.terminate()
        nginx.wait()
        shutil.rmtree(prefix, ignore_errors=True)

    for r in ratios:
        r["met"] = r["value"] <= r["target"] if r["atMost"] else r["value"] >= r["target"]
    width = max(len(f["name"]) for f in figures + ratios)
    print(f"{'Figure':<{width}}  {'Median':>10}  {'Unit':<8} Spread")
    for f in figures:
        print(f"{f['name']:<{width}}  {f['median']:>10,.3f}  {f['unit']:<8} {f['low']:,.3f}-{f['high']:,.3f}")
    print()
    print(f"{'Ratio':<{width}}  {'Value':>10}  Target  Met")
    for r in ratios:
        print(f"{r['name']:<{width}}  {r['value']:>10}  {'<=' if r['atMost'] else '>='} {r['target']:<4} {'yes' if r['met'] else 'no'}")
    if args.json:
        with open(args.json, "w") as out:
            json.dump({"machine": f"{os.cpu_count()} cores, boto3 {boto3.__version__}", "runs": args.runs,
                       "seconds": args.seconds, "figures": figures, "ratios": ratios}, out, indent=2)


if __name__ == "__main__":
    main()
