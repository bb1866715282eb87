"""Names in the output folder, without the imports of the code that writes them (matplotlib, typst), so a
run can check whether its report is current in no time."""

PDF_NAME = "ankestat-rapport.pdf"
CHART_DIR = "diagrammer"  # chart PNGs
KOMMUNE_DIR = "kommuner"  # one PDF per kommune
TABLE_DIR = "tal"  # CSV and XLSX for Excel
