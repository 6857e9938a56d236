"""Figures as files: titled tables to CSV and XLSX, marked, with cells a spreadsheet will not run."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from django.conf import settings as django_settings

from safeguard.workforce.services.pack import XLSX_CONTENT_TYPE, escape_cell

TitledTable = tuple[str, list[str], list[list]]


def to_csv(preamble: Sequence[str], tables: Sequence[TitledTable]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([django_settings.SAFEGUARD_MARKING])
    for line in preamble:
        writer.writerow([escape_cell(line)])
    for title, headers, rows in tables:
        writer.writerow([])
        writer.writerow([escape_cell(title)])
        writer.writerow([escape_cell(h) for h in headers])
        for row in rows:
            writer.writerow([escape_cell(c) for c in row])
    writer.writerow([])
    writer.writerow([django_settings.SAFEGUARD_MARKING])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(title: str, preamble: Sequence[str], tables: Sequence[TitledTable]) -> bytes:
    """One sheet of all the tables one under another, as the published area tables are laid out."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    marking = django_settings.SAFEGUARD_MARKING
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    book.properties.title = title
    book.properties.keywords = marking
    sheet.oddHeader.center.text = marking
    sheet.oddFooter.center.text = marking
    bold = Font(bold=True)
    sheet.append([marking])
    sheet.cell(row=sheet.max_row, column=1).font = bold
    for line in preamble:
        sheet.append([escape_cell(line)])
    for table_title, headers, rows in tables:
        sheet.append([])
        sheet.append([escape_cell(table_title)])
        sheet.cell(row=sheet.max_row, column=1).font = bold
        sheet.append([escape_cell(h) for h in headers])
        for cell in sheet[sheet.max_row]:
            cell.font = bold
        for row in rows:
            sheet.append([escape_cell(c) for c in row])
    sheet.append([])
    sheet.append([marking])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX_CONTENT_TYPE}
