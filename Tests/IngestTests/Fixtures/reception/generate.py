"""Writes the Virtual Reception fixtures. Deterministic: run it again and the files do not change in content.

python3 generate.py   (needs openpyxl from PyPI; the .xlsx files it writes are committed)
"""
import datetime
import json
import openpyxl
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

HEADER = ["Murojaat raqami", "Kelib tushgan sana", "F.I.Sh.", "Telefon", "Elektron pochta", "Hudud", "Tuman",
          "Manzil", "Murojaat turi", "Mavzu", "Murojaat matni", "Ijro muddati", "Ilovalar", "Qabul qiluvchi"]


def workbook(path, rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Murojaatlar"
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    # A second sheet first in file order would not matter: the first sheet of the workbook is read.
    book.create_sheet("Izoh").append(["Bu varaq o'qilmaydi"])
    book.properties.created = datetime.datetime(2025, 11, 20, 9, 0, 0)
    book.properties.modified = datetime.datetime(2025, 11, 20, 9, 0, 0)
    book.save(path)


rich = CellRichText([TextBlock(InlineFont(b=True), "Pasportim "), "ish beruvchida qolib ketdi, qaytarib bering."])
workbook("export.xlsx", [
    # A date as a real Excel date (a serial number with a date style), a deadline as a date.
    ["PQ-2025-000101", datetime.datetime(2025, 11, 18, 14, 30), "Karimov Aziz Botirovich", "+998 90 123 45 67",
     "Aziz@Example.uz", "Farg'ona", "Qo'qon shahri", "Navoiy ko'chasi 5", "shikoyat", "Ish haqi",
     "Rossiyada ish beruvchi uch oydan beri ish haqimni bermayapti.", datetime.date(2025, 12, 1),
     "ariza.pdf; pasport.jpg", "operator1"],
    # Dates as text, Cyrillic text, a Russian kind spelling, no deadline.
    ["PQ-2025-000102", "19.11.2025 09:05", "Иванова Мария", "8 (91) 555 12 34", None, "Toshkent shahri", None,
     None, "заявление", "Виза", "Прошу разъяснить порядок получения визы для работы в Корее.", None, None, None],
    # Rich text in a shared string, a sparse row (empty cells in the middle).
    ["PQ-2025-000103", "2025-11-19", None, None, None, None, None, None, "ariza", None, rich, None, None, None],
    # No text: quarantined.
    ["PQ-2025-000104", "19.11.2025", "Bo'sh Matn", None, None, None, None, None, "ariza", "Mavzu", None, None,
     None, None],
    # A kind nobody knows: quarantined.
    ["PQ-2025-000105", "19.11.2025", "Noma'lum Tur", None, None, None, None, None, "iltimosnoma", "Mavzu",
     "Matn bor, turi noma'lum.", None, None, None],
])

# The same export a day later: two rows already imported, one new.
workbook("export-next-day.xlsx", [
    ["PQ-2025-000101", datetime.datetime(2025, 11, 18, 14, 30), "Karimov Aziz Botirovich", "+998 90 123 45 67",
     "aziz@example.uz", "Farg'ona", "Qo'qon shahri", None, "shikoyat", "Ish haqi",
     "Rossiyada ish beruvchi uch oydan beri ish haqimni bermayapti.", datetime.date(2025, 12, 1), None, None],
    ["PQ-2025-000102", "19.11.2025 09:05", "Иванова Мария", "8 (91) 555 12 34", None, "Toshkent shahri", None,
     None, "заявление", "Виза", "Прошу разъяснить порядок получения визы для работы в Корее.", None, None, None],
    ["PQ-2025-000106", datetime.datetime(2025, 11, 20, 11, 0), "Yangi Fuqaro", None, None, "Xorazm", None, None,
     "taklif", "Taklif", "Xorijdagi mehnat migrantlari uchun onlayn maslahat xizmatini ochishni taklif qilaman.",
     None, None, None],
])

# CSV in windows-1251 with ';' and the Russian column names of the mapping file.
with open("export-1251.csv", "wb") as out:
    lines = [
        "Номер обращения;Дата поступления;ФИО;Телефон;Тип обращения;Текст обращения;Срок исполнения;Канал",
        "PQ-2025-000201;20.11.2025 10:00;Петров Иван;+7 916 123 45 67;жалоба;"
        "\"Работодатель не платит зарплату; паспорт забрали.\";05.12.2025;портал",
        "PQ-2025-000202;20.11.2025;Сидорова Анна;;предложение;Предлагаю открыть курсы языка;;портал",
    ]
    out.write(("\r\n".join(lines) + "\r\n").encode("cp1251"))

records = [
    {"number": "PQ-2025-000301", "received_at": "2025-11-20T09:15:00+05:00", "full_name": "Aliyev Vali",
     "phone": "998901112233", "kind": "ariza", "topic": "Kurslar",
     "text": "Til kurslariga qanday yozilish mumkin?", "deadline": "2025-12-05", "source_system": "portal"},
    {"number": "PQ-2025-000302", "received_at": "20.11.2025 11:40", "text": "Sug'urta pulini qaytarib bering.",
     "attachments": ["polis.pdf", "chek.jpg"]},
]
with open("export.json", "w", encoding="utf-8") as out:
    json.dump(records, out, ensure_ascii=False, indent=2)
with open("export.jsonl", "w", encoding="utf-8") as out:
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
    out.write("{this line is not json\n")
    out.write(json.dumps({"number": "PQ-2025-000303", "received_at": "2025-11-21", "text": "Oxirgi qator."},
                         ensure_ascii=False) + "\n")

# The same kind of export as Excel and most systems write it: strings in the shared-strings table (XlsxWriter,
# PyPI), a date cell with a date style, a rich string, and a number cell for the phone.
import xlsxwriter  # noqa: E402

book = xlsxwriter.Workbook("export-shared-strings.xlsx")
book.set_properties({"created": datetime.datetime(2025, 11, 20, 9, 0, 0)})
sheet = book.add_worksheet("Sheet1")
bold = book.add_format({"bold": True})
date_style = book.add_format({"num_format": "dd.mm.yyyy hh:mm"})
sheet.write_row(0, 0, ["Murojaat raqami", "Kelib tushgan sana", "F.I.Sh.", "Telefon", "Murojaat turi",
                       "Murojaat matni", "Ijro muddati"])
sheet.write_string(1, 0, "PQ-2025-000401")
sheet.write_datetime(1, 1, datetime.datetime(2025, 11, 20, 16, 45), date_style)
sheet.write_string(1, 2, "Xolmatov Sardor")
sheet.write_number(1, 3, 998935551122)
sheet.write_string(1, 4, "shikoyat")
sheet.write_rich_string(1, 5, bold, "Xususiy agentlik ", "pulimni olib, ishga jo'natmadi.")
sheet.write_string(1, 6, "10.12.2025")
sheet.write_string(2, 0, "PQ-2025-000402")
sheet.write_string(2, 1, "20.11.2025")
sheet.write_string(2, 5, "Xususiy agentlik pulimni olib, ishga jo'natmadi.")
book.close()

# A workbook from old Excel for Mac: dates count from 1904, so the same day is a serial number 1462 smaller.
book = xlsxwriter.Workbook("export-1904.xlsx", {"date_1904": True})
book.set_properties({"created": datetime.datetime(2025, 11, 20, 9, 0, 0)})
sheet = book.add_worksheet()
date_style = book.add_format({"num_format": "dd.mm.yyyy hh:mm"})
sheet.write_row(0, 0, ["Murojaat raqami", "Kelib tushgan sana", "Murojaat matni", "Ijro muddati"])
sheet.write_string(1, 0, "PQ-2025-000501")
sheet.write_datetime(1, 1, datetime.datetime(2025, 11, 20, 16, 45), date_style)
sheet.write_string(1, 2, "Mac Excel eksporti.")
sheet.write_datetime(1, 3, datetime.datetime(2025, 12, 10), date_style)
book.close()
