"""How much of a spreadsheet we are willing to read, and why those numbers.

A treasurer's largest real file is a few thousand rows; these caps sit far above that
and far below what would freeze a laptop. A file over a cap is refused with a message,
never cut short silently.
"""

from __future__ import annotations

from typing import Final

#: Size on disk of any file we read (a 200 MB spreadsheet is not a membership list).
MAX_FILE_BYTES: Final = 200 * 1024 * 1024

#: Sum of the declared uncompressed sizes of all members of a zip-based workbook.
MAX_UNPACKED_BYTES: Final = 200 * 1024 * 1024

#: Members above this uncompressed size must not be packed more tightly than
#: MAX_COMPRESSION_RATIO; real sheet XML packs 5-30:1, zip bombs 1000:1 and more.
RATIO_CHECKED_ABOVE_BYTES: Final = 4 * 1024 * 1024
MAX_COMPRESSION_RATIO: Final = 100

#: Parts in a zip-based workbook (a normal one has 10-50, one with many sheets a few hundred).
MAX_ZIP_MEMBERS: Final = 10_000

#: Rows of one sheet: Excel's own maximum, 1,048,576.
MAX_ROWS: Final = 1_048_576

#: Cells of one sheet's used area (rows x columns, blanks included). Ten million
#: cells take about 1 GB once they are Python objects; calamine lays the used area
#: out densely, so this also bounds its memory.
MAX_CELLS: Final = 10_000_000

#: Wall-clock time the separate reading process may take before it is stopped.
READ_TIMEOUT_SECONDS: Final = 120.0

#: Address space the separate reading process may use (POSIX only; see workbooks.py).
WORKER_MEMORY_BYTES: Final = 2 * 1024 * 1024 * 1024

#: How many of the first non-blank rows may hold the header.
HEADER_SEARCH_ROWS: Final = 30
