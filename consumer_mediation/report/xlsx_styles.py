"""Cell formats and table helpers shared by the mediation workbooks."""

from datetime import date

# Excel stores a date as the number of days since 1899-12-30.
EXCEL_EPOCH = date(1899, 12, 30).toordinal()


def add_formats(workbook):
    base = {"font_name": "Arial", "font_size": 10, "valign": "top"}

    def fmt(**extra):
        return workbook.add_format({**base, **extra})

    return {
        "title": fmt(bold=True, font_size=14),
        "subtitle": fmt(italic=True, font_color="#555555"),
        "header": fmt(
            bold=True, bg_color="#1F4E78", font_color="#FFFFFF", text_wrap=True
        ),
        "section": fmt(bold=True, bg_color="#DDEBF7"),
        "text": fmt(),
        "wrap": fmt(text_wrap=True),
        "int": fmt(num_format="#,##0"),
        "days": fmt(num_format="#,##0.0"),
        "pct": fmt(num_format="0.0%"),
        "date": fmt(num_format="dd/mm/yyyy"),
        "month": fmt(num_format="mmm yyyy"),
        "money": fmt(num_format="#,##0.00"),
        "bool": fmt(align="center"),
        "total": fmt(bold=True, top=1, num_format="#,##0"),
        "total_money": fmt(bold=True, top=1, num_format="#,##0.00"),
    }


def start_table(sheet, formats, row, columns):
    """Write the header row of ``columns`` [(label, width)], set the widths
    and freeze everything above the first data row."""
    for col, (label, width) in enumerate(columns):
        sheet.set_column(col, col, width)
        sheet.write_string(row, col, label, formats["header"])
    sheet.freeze_panes(row + 1, 0)
    return row + 1


def write_cells(sheet, row, cells):
    """Write [(value, format)] on ``row``; None, False and "" stay empty. The
    typed writers skip the guessing of ``write`` (URLs, formulas), which
    matters on large sheets."""
    for col, (value, cell_format) in enumerate(cells):
        if value is None or value is False or value == "":
            continue
        if isinstance(value, str):
            sheet.write_string(row, col, value, cell_format)
        elif isinstance(value, date):
            sheet.write_number(row, col, value.toordinal() - EXCEL_EPOCH, cell_format)
        else:
            sheet.write_number(row, col, value, cell_format)
