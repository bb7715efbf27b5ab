"""Office and PDF files -> text (python-docx, PyMuPDF). Imported only when such a file comes in."""
from __future__ import annotations

import io

from .decode import ReadError


def docx_text(raw: bytes) -> str:
    try:
        import docx  # python-docx
    except ImportError:
        raise ReadError("a .docx file needs python-docx (pip install 'baogao[formats]')") from None
    try:
        document = docx.Document(io.BytesIO(raw))
    except Exception as e:           # python-docx raises many kinds for damaged files
        raise ReadError(f"not a readable .docx file ({type(e).__name__})") from None
    text = "\n".join(p.text for p in document.paragraphs)
    if not text.strip():
        raise ReadError(".docx file has no text")
    return text + "\n"


def pdf_text(raw: bytes) -> str:
    try:
        import pymupdf
    except ImportError:
        raise ReadError("a .pdf file needs PyMuPDF (pip install 'baogao[formats]')") from None
    try:
        with pymupdf.open(stream=raw, filetype="pdf") as pdf:
            pages = [page.get_text("text") for page in pdf]
    except Exception as e:
        raise ReadError(f"not a readable PDF ({type(e).__name__})") from None
    text = "\n".join(pages)
    if not text.strip():
        raise ReadError("no text layer (a scanned PDF: run OCR first)")
    return text
