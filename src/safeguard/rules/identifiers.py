"""Formats of the identifiers a person carries in the criminal justice system.

Sources (published formats, as validated by HMPPS services):
- PNC ID: ``YYYY/NNNNNNNL`` or ``YY/NNNNNNNL``; the check letter is
  ``ZABCDEFGHJKLMNPQRTUVWXY`` indexed by (two-digit year followed by the
  serial zero-padded to seven digits) modulo 23. As validated by
  ministryofjustice/hmpps-person-record (PNCIdValidator).
- CRO number: ``NNNNNN/YYL`` (serial zero-padded to six digits for the check)
  or the Scottish fingerprint form ``SFYY/NNNNNNL``; same check letter scheme
  over year then serial. As validated by hmpps-person-record (CROIdentifier).
- NOMIS prison number: one letter, four digits, two letters (``A1234BC``).
- Probation case reference number (CRN): one letter and six digits (``X123456``).
- ViSOR reference: the National Crime Agency publishes **no format**. Safeguard
  therefore checks only the character set and length (letters, digits, ``/``
  and ``-``, at most 20 characters) and says so; it does not invent a pattern.

Each validator returns the normalised value or raises IdentifierError with a
message a person can act on. No value is ever echoed in the message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CHECK_LETTERS = "ZABCDEFGHJKLMNPQRTUVWXY"
PNC_SERIAL_DIGITS = 7
CRO_SERIAL_DIGITS = 6
VISOR_MAX_LENGTH = 20

_PNC = re.compile(r"^(?P<year>\d{2}|\d{4})/(?P<serial>\d{1,7})(?P<check>[A-Z])$")
_CRO = re.compile(r"^(?P<serial>\d{1,6})/(?P<year>\d{2})(?P<check>[A-Z])$")
_CRO_SF = re.compile(r"^SF(?P<year>\d{2})/(?P<serial>\d{1,6})(?P<check>[A-Z])$")
_NOMIS = re.compile(r"^[A-Z]\d{4}[A-Z]{2}$")
_CRN = re.compile(r"^[A-Z]\d{6}$")
_VISOR = re.compile(rf"^[A-Z0-9/\-]{{1,{VISOR_MAX_LENGTH}}}$")


class IdentifierError(ValueError):
    """An identifier that does not match its published format."""


@dataclass(frozen=True)
class IdentifierKind:
    code: str
    label: str
    example: str


PNC = IdentifierKind("pnc_id", "PNC ID", "2004/0012345D")
CRO = IdentifierKind("cro_number", "CRO number", "012345/04U")
NOMIS = IdentifierKind("nomis_number", "NOMIS prison number", "A1234BC")
CRN = IdentifierKind("crn", "Probation CRN", "X123456")
VISOR = IdentifierKind("visor_ref", "ViSOR reference", "VR/123456")


def _clean(value: str) -> str:
    return re.sub(r"\s+", "", value or "").upper()


def check_letter(two_digit_year: str, serial: str) -> str:
    """The check letter for a year and a serial (already padded as the scheme requires)."""
    return CHECK_LETTERS[int(f"{two_digit_year}{serial}") % len(CHECK_LETTERS)]


def normalise_pnc_id(value: str) -> str:
    text = _clean(value)
    match = _PNC.match(text)
    if not match:
        raise IdentifierError(f"Enter a PNC ID in the format {PNC.example}: year, slash, up to 7 digits, check letter")
    year, serial, check = match["year"], match["serial"], match["check"]
    if check != check_letter(year[-2:], serial.zfill(PNC_SERIAL_DIGITS)):
        raise IdentifierError("The PNC ID's check letter does not match: check it was copied exactly")
    return f"{year}/{serial.zfill(PNC_SERIAL_DIGITS)}{check}"


def normalise_cro_number(value: str) -> str:
    text = _clean(value)
    if match := _CRO.match(text):
        serial = match["serial"].zfill(CRO_SERIAL_DIGITS)
        expected = check_letter(match["year"], serial)
        normal = f"{serial}/{match['year']}{match['check']}"
    elif match := _CRO_SF.match(text):
        # The fingerprint form checks the serial as written (not padded), as HMPPS does.
        expected = check_letter(match["year"], match["serial"])
        normal = f"SF{match['year']}/{match['serial']}{match['check']}"
    else:
        raise IdentifierError(f"Enter a CRO number in the format {CRO.example} or SF05/123456A")
    if match["check"] != expected:
        raise IdentifierError("The CRO number's check letter does not match: check it was copied exactly")
    return normal


def normalise_nomis_number(value: str) -> str:
    text = _clean(value)
    if not _NOMIS.match(text):
        raise IdentifierError(
            f"Enter a NOMIS prison number as one letter, four digits and two letters, like {NOMIS.example}"
        )
    return text


def normalise_crn(value: str) -> str:
    text = _clean(value)
    if not _CRN.match(text):
        raise IdentifierError(f"Enter a probation CRN as one letter and six digits, like {CRN.example}")
    return text


def normalise_visor_ref(value: str) -> str:
    text = _clean(value)
    if not _VISOR.match(text):
        raise IdentifierError(f"Enter a ViSOR reference of up to {VISOR_MAX_LENGTH} letters, digits, '/' or '-'")
    return text


NORMALISERS = {
    PNC.code: normalise_pnc_id,
    CRO.code: normalise_cro_number,
    NOMIS.code: normalise_nomis_number,
    CRN.code: normalise_crn,
    VISOR.code: normalise_visor_ref,
}
KINDS = {k.code: k for k in (PNC, CRO, NOMIS, CRN, VISOR)}


def make_pnc_id(year: int, serial: int) -> str:
    """A well-formed PNC ID for a year and serial (used by the synthetic world)."""
    padded = str(serial).zfill(PNC_SERIAL_DIGITS)
    return f"{year:04d}/{padded}{check_letter(f'{year % 100:02d}', padded)}"


def make_cro_number(serial: int, year: int) -> str:
    padded = str(serial).zfill(CRO_SERIAL_DIGITS)
    yy = f"{year % 100:02d}"
    return f"{padded}/{yy}{check_letter(yy, padded)}"


def identify(value: str) -> list[tuple[str, str]]:
    """Every identifier kind a search term could be, with its normalised form."""
    found = []
    for code, normalise in NORMALISERS.items():
        if code == VISOR.code:
            continue  # no published format: too permissive to guess from
        try:
            found.append((code, normalise(value)))
        except IdentifierError:
            continue
    return found
