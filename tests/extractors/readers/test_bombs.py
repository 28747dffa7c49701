"""Small files that would take the machine down: each fails alone with a reason, under a memory ceiling (the
test runs the CLI under `ulimit -v`), and the rest of the batch is stored."""
import re
import subprocess
import sys
import zipfile
import zlib

import pytest

from conftest import ROOT, SEEDS


def _pdf(objects: list[bytes]) -> bytes:
    out, offsets = b"%PDF-1.4\n", []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    return out + f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()


def _page(extra: bytes = b"", size: int = 14400) -> list[bytes]:
    return [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] %s >>" % (size, size, extra)]


def _deflated(size: int) -> bytes:
    """`size` spaces, deflated: 1 GiB of them fits in about a megabyte."""
    z, chunk = zlib.compressobj(9), b" " * (1 << 24)
    return b"".join(z.compress(chunk) for _ in range(size // len(chunk))) + z.flush()


def test_a_blank_page_larger_than_any_paper_is_refused_not_rendered(tmp_path):
    pdf = tmp_path / "huge-page.pdf"
    pdf.write_bytes(_pdf(_page()))  # 333 bytes: one blank 200 x 200 inch page, 60000 x 60000 px at 300 dpi
    result = subprocess.run([sys.executable, "-m", "vnplans", "extract", str(pdf)], capture_output=True, text=True,
                            cwd=ROOT, timeout=120)
    assert result.returncode == 1
    assert "page 1 is 200 x 200 inches: too large to render for OCR" in result.stderr


def test_a_docx_whose_part_inflates_to_gigabytes_is_refused_before_inflating(tmp_path):
    docx = tmp_path / "bomb.docx"
    with zipfile.ZipFile(docx, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("word/document.xml", "w", force_zip64=True) as part:
            chunk = b" " * (1 << 24)
            for _ in range(300 // 16):  # 300 MB of spaces, a few hundred KB on disk
                part.write(chunk)
    assert docx.stat().st_size < 2_000_000
    result = subprocess.run([sys.executable, "-m", "vnplans", "extract", str(docx)], capture_output=True, text=True,
                            cwd=ROOT, timeout=120)
    assert result.returncode == 1
    assert "DOCX part word/document.xml inflates to 288 MB (the limit is 256 MB a part" in result.stderr


@pytest.mark.slow
def test_a_pdf_stream_bomb_fails_alone_under_a_memory_ceiling(tmp_path):
    """A content stream inflating to 1 GiB, in a batch run with one worker under `ulimit -v 3 GiB`: the bomb is
    recorded as out of memory (the per-document ceiling is 512 MB here), the plan next to it is stored."""
    stream = _deflated(1 << 30)
    objects = _page(b"/Contents 4 0 R", 612) + [
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream"]
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "bomb.pdf").write_bytes(_pdf(objects))
    (folder / "plan.txt").write_bytes(SEEDS[0].read_bytes())
    db = tmp_path / "t.db"
    cmd = (f"ulimit -v {3 * 1024 * 1024}; exec {sys.executable} -m vnplans ingest {folder} --db {db} "
           "--workers 1 --no-progress --max-memory 512")
    result = subprocess.run(["bash", "-c", cmd], capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert result.returncode == 3, result.stderr  # some stored, some failed; not 137 (killed)
    # out of memory, as Python says it (MemoryError) or as a C library does (its worker aborts): recorded either way
    assert re.search(r"bomb\.pdf: (out of memory while extracting \(the limit is 512 MB a document|the worker process "
                     r"died while extracting \(a crash or out of memory\))", result.stderr), result.stderr
    assert "1 ingested, 0 unchanged, 1 failed" in result.stdout


@pytest.mark.slow
def test_a_document_past_its_time_limit_is_recorded_and_the_batch_goes_on(tmp_path):
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "scan.pdf").write_bytes((ROOT / "corpus" / "renditions" / "scan" / "004_c147d9c3ca0a32b7.pdf").read_bytes())
    (folder / "plan.txt").write_bytes(SEEDS[0].read_bytes())
    db = tmp_path / "t.db"
    result = subprocess.run([sys.executable, "-m", "vnplans", "ingest", str(folder), "--db", str(db), "--workers", "1",
                             "--no-progress", "--timeout", "2"], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert result.returncode == 3
    assert "scan.pdf: took longer than 2 s (--timeout raises the limit)" in result.stderr
    assert "1 ingested, 0 unchanged, 1 failed" in result.stdout


def test_a_page_of_a_million_text_objects_is_not_parsed(tmp_path):
    """Counted by pdfium before pdfminer would spend minutes and gigabytes on it."""
    ops = b"BT /F1 1 Tf " + b"".join(b"%d 0 Td (a) Tj " % (i % 500) for i in range(200_000)) + b" ET"
    pdf = tmp_path / "crowded.pdf"
    pdf.write_bytes(_pdf(_page(b"/Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >>", 612) + [
        b"<< /Length %d >>\nstream\n" % len(ops) + ops + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]))
    result = subprocess.run([sys.executable, "-m", "vnplans", "extract", str(pdf)], capture_output=True, text=True,
                            cwd=ROOT, timeout=120)
    assert result.returncode == 1
    assert re.search(r"page 1 holds [\d,]+ characters, more than any plan page \(the limit is 100,000 a page\): not read",
                     result.stderr), result.stderr


def test_a_page_holding_a_huge_image_is_refused_before_the_image_is_decoded(tmp_path):
    """The same 200-inch page holding a 20000 x 20000 px image: its size is read from the image's dictionary,
    and the page is refused without rendering (decoding it alone would take 400 MB)."""
    image = zlib.compress(bytes(20000 * 64))  # the first rows only: never decoded
    objects = _page(b"/Contents 4 0 R /Resources << /XObject << /Im1 5 0 R >> >>") + [
        b"<< /Length 33 >>\nstream\nq 14400 0 0 14400 0 0 cm /Im1 Do Q\nendstream",
        b"<< /Type /XObject /Subtype /Image /Width 20000 /Height 20000 /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n" % len(image) + image + b"\nendstream"]
    pdf = tmp_path / "huge-image.pdf"
    pdf.write_bytes(_pdf(objects))
    result = subprocess.run([sys.executable, "-m", "vnplans", "extract", str(pdf)], capture_output=True, text=True,
                            cwd=ROOT, timeout=120)
    assert result.returncode == 1
    assert "page 1 is 200 x 200 inches: too large to render for OCR" in result.stderr
