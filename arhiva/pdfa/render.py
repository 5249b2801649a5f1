"""A scanned PDF page that shows text of its own: in the copy, the page as pdfium renders it.

A scanned PDF's page goes into the copy as it is, less an old text layer that
was drawn invisibly (render mode 3, as OCR programs write it behind a scan):
that text goes, the arhiva layer replaces it. Text the page *shows* is part
of what the page looks like (a heading or a registry stamp drawn as text over
or beside the scan; the glyphs of a page whose text layer was refused as
unreadable) and must stay visible. It cannot stay as text: its fonts are
often not embedded (PDF/A forbids that), and its characters would become the
copy's searchable text next to the repaired text, or instead of it where they
are garbage. So such a page is replaced by its image as pdfium renders it,
in colour, at the resolution OCR read it: what the copy shows is what the
original shows, and the OCR words lie on it exactly as on the image OCR read.
"""

from __future__ import annotations

import io
import zlib
from pathlib import Path

#: Text render mode 3: neither filled nor stroked nor added to the clip (invisible).
INVISIBLE = 3
#: The operators that draw a string.
SHOW = frozenset({"Tj", "TJ", "'", '"'})
#: Every text operator: text objects, text state, positioning and showing (ISO 32000-1, 9.3-9.4).
TEXT = SHOW | {"BT", "ET", "Tc", "Tw", "Tz", "TL", "Tf", "Tr", "Ts", "Td", "TD", "Tm", "T*"}
#: JPEG quality of a rendered page stored as a JPEG.
QUALITY = 90


def shows_text(page) -> bool:
    """Whether a pikepdf page draws text that cannot simply be taken out: text in any render mode
    but invisible, or any text inside a form XObject (shared drawing that the page cannot edit alone).

    A content stream that cannot be parsed counts as showing text: rendering is the safe way.
    """
    import pikepdf

    try:
        return _draws_text(page, page.obj.get("/Resources"), 0, False, set())
    except (pikepdf.PdfError, ValueError, TypeError):
        return True


def _draws_text(stream, resources, mode: int, in_form: bool, seen: set) -> bool:
    import pikepdf

    modes = [mode]  # the render mode is graphics state: q saves it, Q restores it
    for operands, operator in pikepdf.parse_content_stream(stream):
        name = str(operator)
        if name == "q":
            modes.append(modes[-1])
        elif name == "Q":
            if len(modes) > 1:
                modes.pop()
        elif name == "Tr" and operands:
            modes[-1] = int(float(operands[0]))
        elif name in SHOW and (in_form or modes[-1] != INVISIBLE):
            return True
        elif name == "Do" and operands and resources is not None:
            xobject = resources.get("/XObject", {}).get(operands[0])
            if xobject is None or xobject.get("/Subtype") != "/Form" or xobject.objgen in seen:
                continue
            seen.add(xobject.objgen)
            if _draws_text(xobject, xobject.get("/Resources", resources), modes[-1], True, seen):
                return True
    return False


def rendered_page(pdf, original: Path | bytes, index: int, dpi: int, box: tuple[float, float]):
    """A new page of ``pdf`` (not yet in its page list): the original's page ``index`` rendered by
    pdfium at ``dpi`` (turned by its /Rotate, its crop box) as one image filling a page of ``box``
    (width, height in points).

    The image is stored without loss (Flate) when that is no larger than as a JPEG, as for a page
    of text and lines; else as a JPEG (a page of colour scan, where lossless would be several times
    larger).
    """
    import pikepdf

    image = _render(original, index, dpi)
    lossless = zlib.compress(image.tobytes(), 6)
    photo = io.BytesIO()
    image.save(photo, "JPEG", quality=QUALITY, optimize=True)
    data, method = (lossless, pikepdf.Name.FlateDecode) if len(lossless) <= len(photo.getvalue()) \
        else (photo.getvalue(), pikepdf.Name.DCTDecode)
    stream = pikepdf.Stream(pdf, data)
    stream.update({"/Type": pikepdf.Name.XObject, "/Subtype": pikepdf.Name.Image,
                   "/Width": image.width, "/Height": image.height, "/BitsPerComponent": 8,
                   "/ColorSpace": pikepdf.Name.DeviceGray if image.mode == "L" else pikepdf.Name.DeviceRGB,
                   "/Filter": method})
    width, height = box
    return pikepdf.Dictionary(
        Type=pikepdf.Name.Page, MediaBox=[0, 0, width, height],
        Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=stream)),
        Contents=pdf.make_stream(f"q {width:.4f} 0 0 {height:.4f} 0 0 cm /Im0 Do Q".encode()),
    )


def _render(original: Path | bytes, index: int, dpi: int):
    """The page as OCR saw it (same renderer, scale and turn), but in colour; grey when it has none."""
    import pypdfium2 as pdfium
    from PIL import ImageChops

    document = pdfium.PdfDocument(original if isinstance(original, bytes) else str(original))
    try:
        image = document[index].render(scale=dpi / 72).to_pil().convert("RGB")
    finally:
        document.close()
    red, green, blue = image.split()
    if ImageChops.difference(red, green).getbbox() is None and ImageChops.difference(red, blue).getbbox() is None:
        return red
    return image
