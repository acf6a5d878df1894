#!/usr/bin/env python3
"""wsysdig_summary's JSON documents compared as parsed JSON.

    compare_wsysdig.py A B   (exit 0 when equal)

Key order inside objects is sysdig's Lua hash order, so lines differ; the
"napps" metrics (bytes per protocol) and the ports in their filters come in
hash order too, and are compared as sets. Used by tests/chisels_vs_sysdig.sh
and bench/compare.sh.
"""
import sys, json
ta, tb = open(sys.argv[1]).read(), open(sys.argv[2]).read()
try:
    a = json.loads(ta); b = json.loads(tb)
except Exception:
    sys.exit(0 if ta == tb else 1)
def norm(doc):
    for sl in doc.get("slices", []):
        ms = sl.get("data", {}).get("metrics")
        if ms is None:
            continue
        for m in ms:
            if m.get("category") == "napps":
                m["targetViewFilter"] = sorted(m.get("targetViewFilter", "").split(" or "))
        rest = [m for m in ms if m.get("category") != "napps"]
        napps = sorted((m for m in ms if m.get("category") == "napps"), key=lambda m: m["name"])
        sl["data"]["metrics"] = rest + napps
    return doc
sys.exit(0 if norm(a) == norm(b) else 1)
