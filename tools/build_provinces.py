"""Build extractors/data/provinces.json from the 63 -> 34 province mapping underthesea ships.

underthesea.address derives its data from `vietnamadminunits` (effective 2025-07-01).
Run once when that data changes:  python tools/build_provinces.py
"""
import json
from importlib import resources
from pathlib import Path

raw = json.loads(resources.files("underthesea.address").joinpath("data/mapping.json").read_text("utf-8"))
new = raw["province_names"]
out = {"source": raw["metadata"], "provinces": []}
for key, info in sorted(raw["old_province_names"].items(), key=lambda kv: kv[1]["code"]):
    succ = raw["province_mapping"][key]
    out["provinces"].append({
        "code": info["code"],
        "name": info["short"],
        "official": info["name"],
        "kind": "thành phố" if info["name"].startswith("Thành phố") else "tỉnh",
        "successor": new[succ]["short"],
        "successor_code": new[succ]["code"],
        "successor_official": new[succ]["name"],
    })
Path(__file__).resolve().parent.parent.joinpath("extractors/data/provinces.json").write_text(
    json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
print(len(out["provinces"]), "provinces")
