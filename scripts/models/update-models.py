#!/usr/bin/env python3
"""Copies AWS's published KMS and ECR service models (botocore's data, Apache-2.0) into the silo.

The silo reads requests and validates them against these models (shapes, required members, types,
lengths, patterns, enums, ranges), so that what GrantSim accepts, refuses and says when it refuses
is what the model says. Documentation strings are dropped (they are most of the size and the silo
never shows them); everything else is kept as published. Run it with the Python whose botocore is
current (the machine's own python3, not Debian's 2022 one), then commit the result:

    python3 scripts/models/update-models.py
"""
import gzip
import json
import os
import sys

import botocore

MODELS = [("kms", "2014-11-01"), ("ecr", "2015-09-21")]
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "silo", "Aws", "Models")


def strip(node):
    if isinstance(node, dict):
        return {k: strip(v) for k, v in node.items() if k not in ("documentation", "documentationUrl", "examples")}
    if isinstance(node, list):
        return [strip(v) for v in node]
    return node


def main():
    data = os.path.join(os.path.dirname(botocore.__file__), "data")
    os.makedirs(OUT, exist_ok=True)
    for service, version in MODELS:
        path = os.path.join(data, service, version, "service-2.json.gz")
        with gzip.open(path, "rt", encoding="utf-8") as f:
            model = json.load(f)
        model = strip(model)
        target = os.path.join(OUT, f"{service}-{version}.json")
        with open(target, "w", encoding="utf-8") as f:
            json.dump(model, f, indent=None, separators=(",", ":"))
            f.write("\n")
        print(f"{target}: {len(model['operations'])} operations, {len(model['shapes'])} shapes")
    with open(os.path.join(OUT, "SOURCE.md"), "w", encoding="utf-8") as f:
        f.write(
            "# Where these models come from\n\n"
            f"AWS's service models for KMS (2014-11-01) and ECR (2015-09-21), from botocore {botocore.__version__}\n"
            "(`botocore/data/<service>/<version>/service-2.json.gz`, Apache License 2.0), with the documentation\n"
            "strings removed. Regenerate with `python3 scripts/models/update-models.py`.\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
