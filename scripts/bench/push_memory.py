#!/usr/bin/env python3
"""The silo's memory under a big push: pushes a layer of --mib MiB to a running silo's registry, in
chunks (PATCH) and whole (monolithic POST), and prints the silo's resident memory (VmRSS) before and
the peak (VmHWM) after each, from /proc/<pid>/status.

    python3 scripts/bench/push_memory.py --endpoint http://127.0.0.1:4566 --pid <silo pid> --mib 200

The silo should be fresh (VmHWM is the process's peak so far). Uses the built-in tenant (test/test).
"""
import argparse
import base64
import hashlib
import json
import os
import sys
import urllib.request

import boto3


def status(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) // 1024
    return -1


def request(method, url, auth, body=None, headers=None):
    req = urllib.request.Request(url, data=body, method=method)
    req.add_header("Authorization", auth)
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    try:
        with urllib.request.urlopen(req) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--endpoint", default="http://127.0.0.1:4566")
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("--mib", type=int, default=200)
    parser.add_argument("--chunk-mib", type=int, default=10)
    args = parser.parse_args()

    ecr = boto3.client("ecr", endpoint_url=args.endpoint, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
    name = "memory/push-" + os.urandom(3).hex()
    ecr.create_repository(repositoryName=name, encryptionConfiguration={"encryptionType": "KMS"})
    token = ecr.get_authorization_token()["authorizationData"][0]["authorizationToken"]
    auth = "Basic " + token
    layer = os.urandom(args.mib * 1024 * 1024)
    digest = "sha256:" + hashlib.sha256(layer).hexdigest()
    base = f"{args.endpoint}/v2/{name}"
    print(f"silo pid {args.pid}: resident {status(args.pid, 'VmRSS')} MiB, peak so far {status(args.pid, 'VmHWM')} MiB")

    code, headers, _ = request("POST", f"{base}/blobs/uploads/", auth)
    location = headers["Location"]
    chunk = args.chunk_mib * 1024 * 1024
    for start in range(0, len(layer), chunk):
        part = layer[start:start + chunk]
        code, headers, body = request("PATCH", args.endpoint + location, auth, part, {"Content-Range": f"{start}-{start + len(part) - 1}", "Content-Type": "application/octet-stream"})
        assert code == 202, (code, body)
    code, _, body = request("PUT", f"{args.endpoint}{location}?digest={digest}", auth, b"")
    assert code == 201, (code, body)
    print(f"chunked push of {args.mib} MiB in {args.chunk_mib} MiB parts: resident {status(args.pid, 'VmRSS')} MiB, peak {status(args.pid, 'VmHWM')} MiB")

    layer2 = os.urandom(args.mib * 1024 * 1024)
    digest2 = "sha256:" + hashlib.sha256(layer2).hexdigest()
    code, _, body = request("POST", f"{base}/blobs/uploads/?digest={digest2}", auth, layer2, {"Content-Type": "application/octet-stream"})
    assert code == 201, (code, body)
    print(f"monolithic push of {args.mib} MiB: resident {status(args.pid, 'VmRSS')} MiB, peak {status(args.pid, 'VmHWM')} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
