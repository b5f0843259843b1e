"""Cell formats and table helpers shared by the mediation workbooks."""


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
    """Write [(value, format)] on ``row``; None stays empty."""
    for col, (value, cell_format) in enumerate(cells):
        if value is None or value is False:
            sheet.write_blank(row, col, None, cell_format)
        else:
            sheet.write(row, col, value, cell_format)
