"""A tiny PDF writer for tests: ASCII text pages (Helvetica) or image-only pages."""

from __future__ import annotations

import zlib


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _assemble(objects: list[bytes], extra_trailer: bytes = b"") -> bytes:
    """Number the objects 1..n, write the xref table with real offsets."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref_at = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R".encode() + extra_trailer + b" >>\n"
    out += f"startxref\n{xref_at}\n%%EOF\n".encode()
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d" % len(data) + extra + b" >>\nstream\n" + data + b"\nendstream"


def text_pdf(pages: list[list[str]], title: str | None = None) -> bytes:
    """A PDF whose pages carry the given ASCII lines as real text."""
    n = len(pages)
    # 1 catalog, 2 pages, 3 font, then (page, content) pairs, then the info dictionary
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(n))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {n} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for i, lines in enumerate(pages):
        ops = ["BT", "/F1 12 Tf", "14 TL", "72 720 Td"]
        for line in lines:
            ops += [f"({_escape(line)}) Tj", "T*"]
        ops.append("ET")
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {5 + 2 * i} 0 R >>".encode()
        )
        objects.append(_stream("\n".join(ops).encode("ascii")))
    trailer = b""
    if title is not None:
        objects.append(f"<< /Title ({_escape(title)}) >>".encode())
        trailer = f" /Info {len(objects)} 0 R".encode()
    return _assemble(objects, trailer)


def image_only_pdf() -> bytes:
    """A one-page PDF that paints a small grey image and has no text at all (a 'scan')."""
    pixels = zlib.compress(bytes(range(0, 256, 4)) * 64)  # 64x64 8-bit grey
    image = _stream(
        pixels,
        b" /Type /XObject /Subtype /Image /Width 64 /Height 64"
        b" /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode",
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792]"
        b" /Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>",
        _stream(b"q 400 0 0 400 100 200 cm /Im1 Do Q"),
        image,
    ]
    return _assemble(objects)
