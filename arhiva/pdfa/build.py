"""The searchable PDF/A-2b copy of a scan: the page images untouched, the repaired text behind them.

Page images go in as they are in the original: a scanned PDF's pages are
copied with their own image streams (pikepdf, no decoding), an image file is
wrapped without re-compression (img2pdf: JPEG, JPEG 2000, PNG, TIFF G4...).
Only an image that img2pdf cannot wrap (an alpha channel, which PDF/A needs
flattened, or a format it does not take) is decoded and stored again, losslessly
(PNG, on white). A PDF page that shows text of its own (a heading drawn as
text over the scan) goes in as pdfium renders it instead
(:mod:`arhiva.pdfa.render`); an old invisible text layer is taken out.
Behind each page goes an invisible text layer
(:mod:`arhiva.pdfa.layer`) with the cleaned text, each word where OCR found its
original (:mod:`arhiva.pdfa.align`).

The copy is made the same from the same inputs, to the byte: its dates are
none and its file ID derives from its content, so building it again after
nothing changed gives the same checksum.
"""

from __future__ import annotations

import hashlib
import io
import logging
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from arhiva import __version__
from arhiva.ingest.page import IDENTITY, Matrix, PageLayout, compose
from arhiva.pdfa import layer, render
from arhiva.pdfa.align import place

PDF = "application/pdf"
PAGE_BREAK = "\f"

# img2pdf logs what it does about an image (an alpha channel, an EXIF rotation of 0) as warnings;
# with no logging set up, Python would print them on the terminal of whoever ingests the scan.
logging.getLogger("img2pdf").addHandler(logging.NullHandler())


class CopyError(Exception):
    """The copy cannot be made (the reason, in a few words); the document goes in without it."""


def build_copy(original: Path | bytes, media_type: str, layouts: Sequence[PageLayout | None], text: str,
               title: str = "") -> bytes:
    """The searchable PDF/A copy of a scanned document, as bytes.

    ``layouts`` has one entry per page (None for a page OCR found no words
    on), ``text`` is the cleaned text, pages separated by form feeds.
    Raises :class:`CopyError` when the original's pages cannot be taken over.
    """
    import pikepdf

    pdf, maps = (_from_pdf if media_type == PDF else _from_image)(original)
    if len(pdf.pages) != len(layouts):
        raise CopyError(f"the copy has {len(pdf.pages)} pages, the document {len(layouts)}")
    if media_type == PDF:
        _render_shown_text(pdf, original, maps, layouts)
    pages = _page_tokens(text, layouts)
    font = _font(pdf, [w for page in pages for w in page])
    for page in pdf.pages:  # all first: pages may share their resources
        _clean_page(pdf, page)
    for page, page_map, layout, tokens in zip(pdf.pages, maps, layouts, pages):
        if layout is None or not tokens:
            continue
        lines = layer.line_geometry(layout.words)
        placed = place(layout.words, tokens, {number: line.direction for number, line in lines.items()})
        matrix = compose(page_map(layout), layout.matrix)
        stream = layer.content(placed, lines, matrix)
        page.obj.Rotate = layer.upright(lines, matrix)  # a page scanned sideways is shown upright
        page.contents_add(pdf.make_stream(b"q\n"), prepend=True)  # the page's own drawing cannot move the text
        page.contents_add(pdf.make_stream(b"\nQ\n" + stream))
        resources = page.obj.get("/Resources")
        if resources is None:
            page.obj.Resources = resources = pikepdf.Dictionary()
        if "/Font" not in resources:
            resources.Font = pikepdf.Dictionary()
        resources.Font[layer.FONT_NAME] = font
    _make_pdfa(pdf, title)
    # The file's permanent ID from what it carries (qpdf derives the second half from the bytes written).
    first = hashlib.sha256(f"{media_type}\f{title}\f{text}".encode()).digest()[:16]
    pdf.trailer.ID = pikepdf.Array([pikepdf.String(first), pikepdf.String(first)])
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True, min_version="1.7")  # PDF/A-2 is ISO 32000-1: PDF 1.7
    return out.getvalue()


def _page_tokens(text: str, layouts: Sequence[PageLayout | None]) -> list[list[str]]:
    """The cleaned words of each page; if the pages do not match, all words against all OCR words.

    >>> _page_tokens("Azi  e\\n\\fmâine", [None, None])
    [['Azi', 'e'], ['mâine']]
    """
    chunks = text.split(PAGE_BREAK)
    if len(chunks) == len(layouts):
        return [chunk.split() for chunk in chunks]
    # The page breaks were lost: give each page the share of the words its OCR words have.
    tokens, pages, start = text.split(), [], 0
    total = sum(len(layout.words) for layout in layouts if layout) or 1
    for layout in layouts:
        count = round(len(tokens) * (len(layout.words) if layout else 0) / total)
        pages.append(tokens[start:start + count])
        start += count
    pages[-1].extend(tokens[start:])
    return pages


# -- the pages --------------------------------------------------------------------------


def _from_pdf(original: Path | bytes):
    """The original's pages, copied (content and image streams as they are), and how each was rendered."""
    import pikepdf

    try:
        source = pikepdf.open(io.BytesIO(original) if isinstance(original, bytes) else original)
    except pikepdf.PdfError as err:
        raise CopyError(f"pikepdf cannot open the PDF: {str(err).splitlines()[0][:120]}") from err
    pdf = pikepdf.new()
    maps = []
    for page in source.pages:
        pdf.pages.append(page)
        copied = pdf.pages[-1]
        rotate = int(copied.obj.get("/Rotate", 0)) % 360
        maps.append(_rendered_map([float(v) for v in copied.cropbox], rotate))
    return pdf, maps


def _from_image(original: Path | bytes):
    """The image's frames, one page each, wrapped as they are by img2pdf when it can."""
    import img2pdf
    import pikepdf

    try:
        data = img2pdf.convert(original if isinstance(original, bytes) else str(original),
                               rotation=img2pdf.Rotation.ifvalid)
    except Exception:  # noqa: BLE001 - img2pdf refuses in its own ways (alpha channel, odd modes)
        data = img2pdf.convert(_lossless_frames(original), rotation=img2pdf.Rotation.ifvalid)
    pdf = pikepdf.open(io.BytesIO(data))
    maps = [_image_map([float(v) for v in page.mediabox]) for page in pdf.pages]
    return pdf, maps


def _lossless_frames(original: Path | bytes) -> list[bytes]:
    """Each frame of an image as PNG (flattened on white, 8 bits), for what img2pdf does not take as is."""
    from PIL import Image, ImageSequence

    from arhiva.ingest.images import eight_bit

    frames = []
    with Image.open(io.BytesIO(original) if isinstance(original, bytes) else original) as image:
        for frame in ImageSequence.Iterator(image):
            frame = eight_bit(frame)
            if frame.mode in ("RGBA", "LA", "PA", "P") or "transparency" in frame.info:
                rgba = frame.convert("RGBA")
                flat = Image.new("RGB", rgba.size, (255, 255, 255))
                flat.paste(rgba, mask=rgba.getchannel("A"))
                frame = flat
            elif frame.mode not in ("1", "L", "RGB"):
                frame = frame.convert("RGB")
            out = io.BytesIO()
            frame.save(out, "PNG", dpi=image.info.get("dpi", (300, 300)))
            frames.append(out.getvalue())
    return frames


def _image_map(box: list[float]):
    """The map from an image's pixels to its page, which the image fills (img2pdf's layout)."""
    x0, y0, x1, y1 = min(box[0], box[2]), min(box[1], box[3]), max(box[0], box[2]), max(box[1], box[3])

    def page_map(layout: PageLayout) -> Matrix:
        sx, sy = (x1 - x0) / layout.width, (y1 - y0) / layout.height
        return (sx, 0.0, x0, 0.0, -sy, y1)

    return page_map


def _rendered_map(box: list[float], rotate: int):
    """The map from the pixels of a PDF page as pdfium rendered it (crop box, turned by /Rotate) to the page.

    >>> _rendered_map([0.0, 0.0, 200.0, 100.0], 90)(PageLayout(100, 200, 72, IDENTITY, ()))
    (0.0, 1.0, 0.0, 1.0, 0.0, 0.0)
    """
    x0, y0, x1, y1 = min(box[0], box[2]), min(box[1], box[3]), max(box[0], box[2]), max(box[1], box[3])

    def page_map(layout: PageLayout) -> Matrix:
        across, down = (x1 - x0, y1 - y0) if rotate in (0, 180) else (y1 - y0, x1 - x0)
        sx, sy = across / layout.width, down / layout.height
        return {
            0: (sx, 0.0, x0, 0.0, -sy, y1),
            90: (0.0, sy, x0, sx, 0.0, y0),
            180: (-sx, 0.0, x1, 0.0, sy, y0),
            270: (0.0, -sy, x1, -sx, 0.0, y1),
        }.get(rotate, (sx, 0.0, x0, 0.0, -sy, y1))

    return page_map


def _render_shown_text(pdf, original: Path | bytes, maps: list, layouts: Sequence[PageLayout | None]) -> None:
    """Replace each page that shows text of its own by its rendering, at the resolution OCR read it
    (:mod:`arhiva.pdfa.render`); ``maps`` follow."""
    import pikepdf
    import pypdfium2

    from arhiva.ingest.pdf import DEFAULT_DPI, render_dpi
    from arhiva.limits import DEFAULT_LIMITS

    fallback = next((layout.dpi for layout in layouts if layout is not None), DEFAULT_DPI)
    for index, page in enumerate(list(pdf.pages)):
        if not render.shows_text(page):
            continue
        x0, y0, x1, y1 = [float(v) for v in page.cropbox]
        across, down = abs(x1 - x0), abs(y1 - y0)
        if int(page.obj.get("/Rotate", 0)) % 180:
            across, down = down, across
        layout = layouts[index]
        dpi = layout.dpi if layout is not None else render_dpi(across, down, fallback, DEFAULT_LIMITS.pixels)
        if dpi is None:
            raise CopyError(f"page {index + 1} shows text and is too large to render")
        try:
            new = render.rendered_page(pdf, original, index, dpi, (across, down))
        except (pypdfium2.PdfiumError, IndexError) as err:
            raise CopyError(f"page {index + 1} shows text and pdfium cannot render it: {err}") from err
        pdf.pages[index] = pikepdf.Page(pdf.make_indirect(new))
        maps[index] = _image_map([0.0, 0.0, across, down])


def _clean_page(pdf, page) -> None:
    """Take out of a page what PDF/A forbids or a copy should not carry: annotations, actions,
    an old invisible text layer, image interpolation.

    Only a page that shows no text comes here with text (:func:`_render_shown_text`): its text
    operators and fonts go; what a text object also sets (a colour, a line width) stays, since the
    drawing after it may use it.
    """
    import pikepdf

    for name in ("/Annots", "/AA"):
        if name in page.obj:
            del page.obj[name]
    instructions = pikepdf.parse_content_stream(page)
    if any(str(op) == "BT" for _, op in instructions):
        kept = [(operands, op) for operands, op in instructions if str(op) not in render.TEXT]
        page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(kept))
        resources = page.obj.get("/Resources")
        if resources is not None and "/Font" in resources:  # no text is drawn with them any more
            del resources["/Font"]
    xobjects = page.obj.get("/Resources", {}).get("/XObject", {})
    for key in list(xobjects.keys()):
        image = xobjects[key]
        if image.get("/Subtype") != "/Image":
            continue
        if "/Interpolate" in image:
            del image["/Interpolate"]
        filters = image.get("/Filter")
        if filters is not None and "/LZWDecode" in (list(filters) if isinstance(filters, pikepdf.Array) else [filters]):
            # PDF/A forbids LZW: the same pixels, decoded and compressed again without loss (Flate).
            image.write(image.read_bytes(), filter=pikepdf.Name.FlateDecode)
            if "/DecodeParms" in image:
                del image["/DecodeParms"]


# -- PDF/A ------------------------------------------------------------------------------


def _font(pdf, texts: list[str]):
    """The glyphless Type 0 font, embedded, with a ToUnicode map for the characters of ``texts``."""
    import pikepdf

    cid_to_gid = pdf.make_stream(b"\x00\x01" * 65536)
    descriptor = pikepdf.Dictionary(
        Type=pikepdf.Name.FontDescriptor, FontName=pikepdf.Name.GlyphLessFont, Flags=5,
        FontBBox=[0, layer.DESCENT, layer.GLYPH_WIDTH, layer.ASCENT], ItalicAngle=0,
        Ascent=layer.ASCENT, Descent=layer.DESCENT, CapHeight=layer.ASCENT, StemV=80,
        FontFile2=pdf.make_stream(layer.font_program()),
    )
    cid_font = pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.CIDFontType2, BaseFont=pikepdf.Name.GlyphLessFont,
        CIDSystemInfo=pikepdf.Dictionary(Registry="Adobe", Ordering="Identity", Supplement=0),
        FontDescriptor=descriptor, DW=layer.GLYPH_WIDTH, CIDToGIDMap=cid_to_gid,
    )
    font = pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type0, BaseFont=pikepdf.Name.GlyphLessFont,
        Encoding=pikepdf.Name("/Identity-H"), DescendantFonts=[pdf.make_indirect(cid_font)],
        ToUnicode=pdf.make_stream(layer.to_unicode(layer.drawable(t) for t in texts)),
    )
    return pdf.make_indirect(font)


@lru_cache(maxsize=1)
def srgb_profile() -> bytes:
    """An sRGB ICC profile (made by Pillow's LittleCMS), for the PDF/A output intent.

    LittleCMS stamps a profile with the time it was made: the stamp is fixed
    (and the profile ID, a checksum over it, left out, which ICC allows) so
    that the copy is the same whenever it is made.

    >>> profile = srgb_profile()
    >>> profile[36:40], profile[24:30]
    (b'acsp', b'\\x07\\xd0\\x00\\x01\\x00\\x01')
    """
    from PIL import ImageCms

    data = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    data[24:36] = bytes([0x07, 0xD0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0])  # 2000-01-01 00:00:00
    data[84:100] = bytes(16)
    return bytes(data)


def _make_pdfa(pdf, title: str) -> None:
    """The document-level parts of PDF/A-2b: the sRGB output intent and the XMP identification."""
    import pikepdf

    profile = pdf.make_stream(srgb_profile())
    profile.N = 3
    pdf.Root.OutputIntents = [pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFA1, OutputConditionIdentifier="sRGB IEC61966-2.1",
        Info="sRGB IEC61966-2.1", DestOutputProfile=profile,
    ))]
    for name in ("/OpenAction", "/AA", "/AcroForm", "/Names"):
        if name in pdf.Root:
            del pdf.Root[name]
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["pdfaid:part"] = "2"
        meta["pdfaid:conformance"] = "B"
        meta["xmp:CreatorTool"] = f"arhiva {__version__}"
        if title:
            meta["dc:title"] = title
