"""Safe reading of Word (.docx) and OpenDocument (.odt) packages: ZIP archives of XML parts.

Both the sniffer (which part names are there) and the converter (the XML of the parts it reads) go through here, so
the guards are in one place: at most `MAX_ZIP_ENTRIES` entries (read from the end-of-central-directory record before
`zipfile` builds its index), a byte budget on the uncompressed XML actually read (the declared sizes are checked
before reading and the reads are bounded too, so a lying header cannot pass it), and an XML parser that never
resolves entities, loads a DTD or touches the network.
"""

from __future__ import annotations

import struct
import zipfile
from dataclasses import dataclass
from io import BytesIO

from lxml import etree

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"

DOCX_MAIN_PART = "word/document.xml"
ODT_MIMETYPE_PART = "mimetype"

MAX_ZIP_ENTRIES = 10_000
"""More parts than any word-processor document has; a bigger central directory is refused before it is indexed."""

_EOCD = b"PK\x05\x06"
_EOCD_SIZE = 22
_MAX_COMMENT = 0xFFFF
_ZIP64_MARK = 0xFFFF


def zip_entry_count(data: bytes) -> int | None:
    """Entries the archive declares in its end-of-central-directory record, without parsing the directory.

    :param data: the ZIP bytes.
    :returns: the declared number of entries (65535 for a ZIP64 archive, which declares more elsewhere), or None
        when there is no end-of-central-directory record (not a complete ZIP).
    """
    start = max(0, len(data) - _EOCD_SIZE - _MAX_COMMENT)
    index = data.rfind(_EOCD, start)
    if index < 0 or index + _EOCD_SIZE > len(data):
        return None
    (total,) = struct.unpack_from("<H", data, index + 10)
    return int(total)


def open_zip(data: bytes) -> zipfile.ZipFile | None:
    """The archive, or None when it is not a readable ZIP or declares too many entries (or a ZIP64 directory).

    :param data: the upload's bytes.
    :returns: an open `ZipFile` over `data`, or None.
    """
    count = zip_entry_count(data)
    if count is None or count > MAX_ZIP_ENTRIES or count == _ZIP64_MARK:
        return None
    try:
        return zipfile.ZipFile(BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, struct.error):
        return None


def read_small(archive: zipfile.ZipFile, name: str, limit: int) -> bytes | None:
    """At most `limit` bytes of a member (e.g. the ODF `mimetype`), or None when it is missing or unreadable.

    :param archive: the open archive.
    :param name: the member's name.
    :param limit: most bytes to read.
    :returns: the first `limit` bytes of the member, or None.
    """
    try:
        with archive.open(name) as member:
            return member.read(limit)
    except (KeyError, zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError, RuntimeError):
        return None


class XmlBudgetExceeded(Exception):
    """The XML parts of a package expand beyond the budget (`used` bytes declared or read, `limit` allowed)."""

    def __init__(self, used: int, limit: int) -> None:
        super().__init__(f"{used} > {limit}")
        self.used = used
        self.limit = limit


class UnreadablePart(Exception):
    """A part cannot be decompressed or parsed (damaged archive, invalid XML)."""


@dataclass
class XmlBudget:
    """Bytes of uncompressed XML one conversion may still read."""

    limit: int
    used: int = 0

    def read(self, archive: zipfile.ZipFile, name: str) -> bytes | None:
        """The bytes of one part, charged to the budget; None when the archive has no such part.

        :raises XmlBudgetExceeded: the part's declared size, or the bytes it actually yields, pass the budget.
        :raises UnreadablePart: the part cannot be decompressed.
        """
        try:
            info = archive.getinfo(name)
        except KeyError:
            return None
        if self.used + info.file_size > self.limit:
            raise XmlBudgetExceeded(self.used + info.file_size, self.limit)
        room = self.limit - self.used
        try:
            with archive.open(info) as member:
                data = member.read(room + 1)
        except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError, RuntimeError) as exc:
            raise UnreadablePart(f"{name}: {exc}") from exc
        if len(data) > room:
            raise XmlBudgetExceeded(self.used + len(data), self.limit)
        self.used += len(data)
        return data


def parse_xml(data: bytes, name: str) -> etree._Element:
    """Parse one XML part safely: no entity expansion, no DTD, no network, lxml's default depth and size limits.

    :param data: the part's bytes.
    :param name: the part's name, for the error.
    :returns: the root element.
    :raises UnreadablePart: the bytes are not well-formed XML.
    """
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise UnreadablePart(f"{name}: {exc}") from exc
    if root is None:
        raise UnreadablePart(f"{name}: empty document")
    return root


def package_kind(archive: zipfile.ZipFile) -> str | None:
    """DOCX when the archive has `word/document.xml`; ODT when its `mimetype` member says OpenDocument text.

    :param archive: the open archive.
    :returns: `DOCX`, `ODT` or None (another kind of ZIP).
    """
    names = set(archive.namelist())
    if DOCX_MAIN_PART in names:
        return DOCX
    if ODT_MIMETYPE_PART in names:
        mimetype = read_small(archive, ODT_MIMETYPE_PART, 128)
        if mimetype is not None and mimetype.strip() == ODT.encode("ascii"):
            return ODT
    return None
