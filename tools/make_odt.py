#!/usr/bin/env python3
"""Write OpenDocument text renditions of the DOCX renditions (corpus/renditions/odt/), for the ODT reader's tests.

No LibreOffice on this machine, so the ODT is written from what the DOCX reader reads: each line a
<text:p>, each table a <table:table> with its header row and cells (column spans kept), in the XML
LibreOffice Writer writes (office:document-content, a stored `mimetype` first in the ZIP).

usage: python tools/make_odt.py
"""
from __future__ import annotations

import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from vnplans.extractors.readers import read_file  # noqa: E402

NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
      'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" office:version="1.3"')


def _p(text: str) -> str:
    return "<text:p>" + escape(text).replace("  ", " <text:s/>") + "</text:p>"


def content(docx: Path) -> str:
    doc = read_file(docx)
    body = []
    for b in doc.blocks:
        if b.kind == "table" and b.table:
            width = max(len(b.table.header), max((sum(c.colspan for c in r) for r in b.table.rows), default=0))
            rows = ["<table:table-header-rows><table:table-row>" + "".join(
                f"<table:table-cell>{_p(h)}</table:table-cell>" for h in b.table.header) + "</table:table-row>"
                "</table:table-header-rows>"]
            for r in b.table.rows:
                cells = []
                for c in r:
                    span = f' table:number-columns-spanned="{c.colspan}"' if c.colspan > 1 else ""
                    paras = "".join(_p(line) for line in c.text.split("\n")) or "<text:p/>"
                    cells.append(f"<table:table-cell{span}>{paras}</table:table-cell>"
                                 + "<table:covered-table-cell/>" * (c.colspan - 1))
                rows.append("<table:table-row>" + "".join(cells) + "</table:table-row>")
            body.append(f'<table:table table:name="T{len(body)}"><table:table-column table:number-columns-repeated='
                        f'"{width}"/>' + "".join(rows) + "</table:table>")
        else:
            body.append(_p(b.text))
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {NS}><office:body><office:text>'
            + "".join(body) + "</office:text></office:body></office:document-content>")


def main() -> None:
    out = ROOT / "corpus" / "renditions" / "odt"
    out.mkdir(parents=True, exist_ok=True)
    for docx in sorted((ROOT / "corpus" / "renditions" / "docx").glob("*.docx")):
        target = out / (docx.stem + ".odt")
        with zipfile.ZipFile(target, "w") as z:
            z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")  # stored, first
            z.writestr("content.xml", content(docx), compress_type=zipfile.ZIP_DEFLATED)
            z.writestr("META-INF/manifest.xml", '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:'
                       'manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry '
                       'manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>'
                       '</manifest:manifest>', compress_type=zipfile.ZIP_DEFLATED)
        print(target.relative_to(ROOT))


if __name__ == "__main__":
    main()
