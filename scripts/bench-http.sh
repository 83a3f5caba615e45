#!/usr/bin/env bash
# KMS through the AWS endpoint, measured in one run on this machine (docs/performance.md):
#   - boto3 sequentially and with 8 threads, GenerateDataKey, Decrypt and CreateGrant + RetireGrant,
#     against nginx returning the silo's own replies canned (the floor for that client), moto in
#     server mode (a peer, when a Python with moto is found) and the silo, alternating in one run,
#     with each server's, the client's own and the rest of the machine's CPU time per run, so that
#     a ratio taken on a busy machine or with the client as the limit says so;
#   - the AWS SDK for .NET at concurrency 1 and 64 (`bench --part http`), also with the CPU time.
# Needs: the .NET SDK, boto3, nginx (nginx-light); moto 5 (pip) for the peer column. Usage:
#   scripts/bench-http.sh [--runs N] [--seconds S] [--out DIR]
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
runs=3
seconds=3
out="$repo/bench-results"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "usage: $0 [--runs N] [--seconds S] [--out DIR]" >&2; exit 2 ;;
  esac
done

python3 -c 'import boto3' 2>/dev/null || { echo "python3-boto3 is missing: apt-get install python3-boto3" >&2; exit 2; }
command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || { echo "nginx is missing: apt-get install nginx-light" >&2; exit 2; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

echo "Building the silo and the client (Release)..."
dotnet build -c Release "$repo/silo" -v quiet -nologo >/dev/null
dotnet build -c Release "$repo/client" -v quiet -nologo >/dev/null

mkdir -p "$out"
aws_port=$(free_port); web_port=$(free_port); silo_port=$(free_port); gateway_port=$(free_port)
log="$out/silo.log"
GrantSim__Silo__SiloPort=$silo_port GrantSim__Silo__GatewayPort=$gateway_port GrantSim__Silo__WebPort=$web_port \
  GrantSim__Aws__Port=$aws_port dotnet "$repo/silo/bin/Release/net10.0/GrantSim.Silo.dll" >"$log" 2>&1 &
silo=$!
trap 'kill $silo 2>/dev/null || true; wait $silo 2>/dev/null || true' EXIT
for _ in $(seq 120); do
  curl -fsS "http://127.0.0.1:$web_port/health" >/dev/null 2>&1 && break
  kill -0 $silo 2>/dev/null || { echo "the silo exited; see $log" >&2; exit 1; }
  sleep 0.5
done
endpoint="http://127.0.0.1:$aws_port"
echo "Silo $silo serving AWS at $endpoint"

# A fresh silo spends its first seconds compiling (tiered JIT): that is not the cost of a call.
echo "Warming the silo up..."
dotnet "$repo/client/bin/Release/net10.0/GrantSim.Client.dll" bench --part http --endpoint "$endpoint" --runs 1 --seconds 5 >/dev/null

echo "boto3 (sequential and 8 threads) against the silo and against nginx's canned reply..."
python3 "$repo/scripts/bench/kms_http.py" --endpoint "$endpoint" --pid $silo --runs "$runs" --seconds "$seconds" --json "$out/http-boto3.json"
echo
echo "AWS SDK for .NET (concurrency 1 and 64)..."
dotnet "$repo/client/bin/Release/net10.0/GrantSim.Client.dll" bench --part http --endpoint "$endpoint" --server-pid $silo \
  --runs "$runs" --seconds "$seconds" --json "$out/http-dotnet.json"
echo "Figures written to $out/http-boto3.json and $out/http-dotnet.json"
