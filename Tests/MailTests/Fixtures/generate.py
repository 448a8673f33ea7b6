#!/usr/bin/env python3
"""Writes the e-mail fixtures of Tests/MailTests/Fixtures and their manifest.json.

Every message is assembled byte by byte here (not with Python's email generator), so the charsets, transfer
encodings, RFC 2047 words, RFC 2231 parameters and the deliberate breakage are exactly what the file says.
Deterministic: fixed dates, fixed Message-IDs, attachment bytes from a SHA-256 chain; running it twice gives
identical files. Lines end in CRLF.

    python3 Tests/MailTests/Fixtures/generate.py      # rewrites *.eml and manifest.json next to this file
    python3 Tests/MailTests/Fixtures/verify.py        # checks them against the manifest with Python's email package

Tracking numbers used (TrackingNumber(sequence:)): 1 = XMGV-DRF5, 2 = 453H-7DRG, 3 = CNJF-RH5K.
"""

import base64
import hashlib
import json
import os
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
CRLF = b"\r\n"
AGENCY = "info@migration.uz"


# ---------------------------------------------------------------------------------------------------------------
# Encoders


def crlf(text: str, charset: str = "utf-8") -> bytes:
    """Text with LF line ends, encoded, with CRLF line ends."""
    return text.replace("\n", "\r\n").encode(charset)


def qp(data: bytes) -> bytes:
    """Quoted-printable (RFC 2045 6.7) of LF-separated data: hard breaks become CRLF, soft breaks at 76."""
    out = []
    for line in data.split(b"\n"):
        tokens = []
        for index, byte in enumerate(line):
            last = index == len(line) - 1
            if (33 <= byte <= 126 and byte != ord("=")) or (byte in (9, 32) and not last):
                tokens.append(bytes([byte]))
            else:
                tokens.append(b"=%02X" % byte)
        current = b""
        for token in tokens:
            if len(current) + len(token) > 75:
                out.append(current + b"=")
                current = b""
            current += token
        out.append(current)
    return CRLF.join(out)


def b64(data: bytes, width: int = 76) -> bytes:
    encoded = base64.b64encode(data)
    return CRLF.join(encoded[i : i + width] for i in range(0, len(encoded), width))


def ew_b(text: str, charset: str = "utf-8") -> str:
    """One RFC 2047 B encoded word."""
    word = "=?%s?B?%s?=" % (charset, base64.b64encode(text.encode(charset)).decode("ascii"))
    assert len(word) <= 75, word
    return word


def ew_q(text: str, charset: str = "utf-8", letter: str = "Q") -> str:
    """One RFC 2047 Q encoded word, safe in a phrase (RFC 2047 5(3)): only letters, digits and !*+-/ stay."""
    out = []
    for byte in text.encode(charset):
        if byte == 32:
            out.append("_")
        elif chr(byte).isascii() and (chr(byte).isalnum() or chr(byte) in "!*+-/"):
            out.append(chr(byte))
        else:
            out.append("=%02X" % byte)
    word = "=?%s?%s?%s?=" % (charset, letter, "".join(out))
    assert len(word) <= 75, word
    return word


def rfc2231(text: str) -> str:
    """The value part of an RFC 2231 extended parameter: percent-encoded UTF-8 (apostrophes too)."""
    return urllib.parse.quote(text.encode("utf-8"), safe="!#$&+-.^_`|~")


def message(headers, body: bytes) -> bytes:
    """headers: (name, value) pairs; a value is str (ASCII, may hold "\n " folds) or raw bytes."""
    lines = []
    for name, value in headers:
        if isinstance(value, str):
            value = value.replace("\n", "\r\n").encode("ascii")
        lines.append(name.encode("ascii") + b": " + value)
    return CRLF.join(lines) + CRLF + CRLF + body


def part(headers, body: bytes) -> bytes:
    """A MIME body part: its headers, a blank line, its body."""
    return CRLF.join(h.encode("ascii") for h in headers) + CRLF + CRLF + body


def multipart(boundary: str, parts, preamble: bytes = b"", close: bool = True) -> bytes:
    out = preamble
    for p in parts:
        out += b"--" + boundary.encode("ascii") + CRLF + p + CRLF
    if close:
        out += b"--" + boundary.encode("ascii") + b"--" + CRLF
    return out


def chain(seed: str, size: int) -> bytes:
    """Deterministic filler bytes: a SHA-256 chain."""
    out = b""
    block = seed.encode("utf-8")
    while len(out) < size:
        block = hashlib.sha256(block).digest()
        out += block
    return out[:size]


def pdf_like(seed: str, size: int) -> bytes:
    head = (
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
        b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
        b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>\nendobj\n"
    )
    tail = b"\nendstream\nendobj\ntrailer\n<< /Root 1 0 R /Size 5 >>\n%%EOF\n"
    stream_len = size - len(head) - len(tail)
    stream_head = b"4 0 obj\n<< /Length %d /Filter /FlateDecode >>\nstream\n" % stream_len
    stream_len -= len(stream_head)
    data = head + stream_head + chain(seed, stream_len) + tail
    assert len(data) == size
    return data


def jpeg_like(seed: str, size: int) -> bytes:
    head = bytes.fromhex("FFD8FFE000104A46494600010101004800480000") + bytes.fromhex("FFDB0043")
    tail = bytes.fromhex("FFD9")
    data = head + chain(seed, size - len(head) - len(tail)) + tail
    assert len(data) == size
    return data


def date(day_time: str, zone: str = "+0500") -> str:
    return "%s %s" % (day_time, zone)


FIXTURES = []  # (file name, bytes, manifest entry)


def add(name, data, **entry):
    entry = {"file": name, **entry}
    FIXTURES.append((name, data, entry))


# ---------------------------------------------------------------------------------------------------------------
# 1. Uzbek Latin, utf-8, quoted-printable, signature.

text1 = (
    "Assalomu alaykum, hurmatli Migratsiya agentligi!\n"
    "\n"
    "Men 2023-yildan beri Janubiy Koreyaning Ansan shahridagi zavodda EPS dasturi bo‘yicha ishlayman. "
    "Ish beruvchi oxirgi to‘rt oy davomida ish haqimni to‘lamayapti, qarzi 9 million vondan oshdi. "
    "Rahbarga murojaat qilsam, shartnomani bekor qilib, uyga jo‘natib yuborishini aytib qo‘rqitmoqda. "
    "Iltimos, Seuldagi vakolatxonangiz orqali menga yordam bering.\n"
    "\n"
    "Hurmat bilan, Karimov Aziz\n"
    "+998 90 123-45-67\n"
)
add(
    "plain-utf8-latin.eml",
    message(
        [
            ("From", "Aziz Karimov <aziz.karimov@example.uz>"),
            ("To", AGENCY),
            ("Subject", "Koreyada ish haqim to'lanmayapti"),
            ("Date", date("Thu, 20 Nov 2025 09:12:00")),
            ("Message-ID", "<20251120091200.4711@mail.example.uz>"),
            ("MIME-Version", "1.0"),
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Transfer-Encoding", "quoted-printable"),
        ],
        qp(text1.encode("utf-8")),
    ),
    message_id="20251120091200.4711@mail.example.uz",
    from_address="aziz.karimov@example.uz",
    from_name="Aziz Karimov",
    subject="Koreyada ish haqim to'lanmayapti",
    text_contains=[
        "EPS dasturi bo‘yicha ishlayman",
        "oxirgi to‘rt oy davomida ish haqimni to‘lamayapti",
        "uyga jo‘natib yuborishini",
        "Hurmat bilan, Karimov Aziz",
    ],
    **{"class": "appeal"},
    signature_phone="+998901234567",
    signature_name="Karimov Aziz",
)

# ---------------------------------------------------------------------------------------------------------------
# 2. Uzbek Cyrillic as written on a Russian keyboard (к for қ, г for ғ, х for ҳ, у for ў), windows-1251, QP.

subject2 = "Паспортимни иш берувчи олиб куйди"
text2 = (
    "Ассалому алайкум.\n"
    "\n"
    "Мен Россиянинг Екатеринбург шахрида курилишда ишлайман. Иш берувчи паспортимни \"руйхатга олиш учун\" "
    "деб олиб куйган ва уч ойдан бери кайтармаяпти. Паспортсиз уйга кайта олмаяпман, полиция хам "
    "тухтатиши мумкин. Илтимос, ёрдам беринглар.\n"
    "\n"
    "Хурмат билан, Тошматов Шерзод\n"
    "тел. +7 912 345-67-89\n"
)
add(
    "cyrillic-windows-1251-qp.eml",
    message(
        [
            ("From", "Sherzod Toshmatov <sherzod.t@example.ru>"),
            ("To", AGENCY),
            ("Subject", ew_b(subject2, "windows-1251")),
            ("Date", date("Thu, 20 Nov 2025 07:40:12", "+0500")),
            ("Message-ID", "<1732070412.185520.3311@example.ru>"),
            ("MIME-Version", "1.0"),
            ("Content-Type", "text/plain; charset=windows-1251"),
            ("Content-Transfer-Encoding", "quoted-printable"),
        ],
        qp(text2.encode("windows-1251")),
    ),
    message_id="1732070412.185520.3311@example.ru",
    from_address="sherzod.t@example.ru",
    from_name="Sherzod Toshmatov",
    subject=subject2,
    text_contains=[
        "Екатеринбург шахрида курилишда ишлайман",
        "уч ойдан бери кайтармаяпти",
        "Илтимос, ёрдам беринглар.",
    ],
    **{"class": "appeal"},
    signature_phone="+79123456789",
    signature_name="Тошматов Шерзод",
)

# ---------------------------------------------------------------------------------------------------------------
# 3. Russian, koi8-r, base64 body; From name Q-encoded koi8-r; Subject B-encoded koi8-r.

name3 = "Иванова Мария"
subject3 = "Возврат страхового взноса"
text3 = (
    "Здравствуйте!\n"
    "\n"
    "Мой сын, Иванов Дмитрий Сергеевич, выезжал на работу в Южную Корею через Агентство и оплатил "
    "страховой взнос. В июле он досрочно вернулся домой по состоянию здоровья, но взнос до сих пор "
    "не возвращён. Подскажите, пожалуйста, какие документы нужны для возврата страховки и куда их "
    "отправить.\n"
    "\n"
    "С уважением, Иванова Мария, тел. 8 (90) 555 12 34\n"
)
add(
    "russian-koi8r-base64.eml",
    message(
        [
            ("From", "%s\n <maria.ivanova@example.ru>" % ew_q(name3, "koi8-r")),
            ("To", "=?koi8-r?B?%s?= <%s>" % (base64.b64encode("Агентство".encode("koi8-r")).decode(), AGENCY)),
            ("Subject", ew_b(subject3, "koi8-r")),
            ("Date", date("Wed, 19 Nov 2025 18:03:44", "+0300")),
            ("Message-ID", "<1763564624.529170@example.ru>"),
            ("MIME-Version", "1.0"),
            ("Content-Type", 'text/plain; charset="koi8-r"'),
            ("Content-Transfer-Encoding", "base64"),
        ],
        b64(crlf(text3, "koi8-r")) + CRLF,
    ),
    message_id="1763564624.529170@example.ru",
    from_address="maria.ivanova@example.ru",
    from_name=name3,
    subject=subject3,
    text_contains=[
        "Иванов Дмитрий Сергеевич",
        "взнос до сих пор не возвращён",
        "С уважением, Иванова Мария",
    ],
    **{"class": "appeal"},
    signature_phone="+998905551234",
    signature_name="Иванова Мария",
)

# ---------------------------------------------------------------------------------------------------------------
# 4. Russian, iso-8859-5, 8bit body.

subject4 = "Задержан брат в Санкт-Петербурге"
text4 = (
    "Добрый день.\n"
    "\n"
    "Мой брат, Юсупов Рустам, задержан в Санкт-Петербурге 12 ноября за нарушение миграционного режима. "
    "Сейчас он находится в центре временного содержания иностранных граждан в Красном Селе. "
    "Родственникам не дают с ним связаться. Просим оказать консульскую помощь и выяснить, "
    "когда и каким рейсом его депортируют.\n"
    "\n"
    "Юсупова Гульнора\n"
    "+998 97 765 43 21\n"
)
add(
    "russian-iso-8859-5.eml",
    message(
        [
            ("From", "Gulnora Yusupova <gulnora.yusupova@example.uz>"),
            ("To", AGENCY),
            ("Subject", ew_b(subject4, "iso-8859-5")),
            ("Date", date("Thu, 20 Nov 2025 08:25:31")),
            ("Message-ID", "<d41c7e02-6b1f-4c55-9a3e-5f1e2b7a9c01@example.uz>"),
            ("MIME-Version", "1.0"),
            ("Content-Type", "text/plain; charset=iso-8859-5"),
            ("Content-Transfer-Encoding", "8bit"),
        ],
        crlf(text4, "iso-8859-5"),
    ),
    message_id="d41c7e02-6b1f-4c55-9a3e-5f1e2b7a9c01@example.uz",
    from_address="gulnora.yusupova@example.uz",
    from_name="Gulnora Yusupova",
    subject=subject4,
    text_contains=[
        "задержан в Санкт-Петербурге 12 ноября",
        "иностранных граждан в Красном Селе",
        "консульскую помощь",
    ],
    **{"class": "appeal"},
    signature_phone="+998977654321",
    signature_name="Юсупова Гульнора",
)

# ---------------------------------------------------------------------------------------------------------------
# 5. Declared iso-8859-1, the bytes are windows-1251 Russian (an old mail client's default).

text5 = (
    "Здравствуйте.\n"
    "Я работал в Казани на складе по трудовому договору, но работодатель не выплатил зарплату за два "
    "месяца. Договор и расчётные листки у меня есть. Помогите, пожалуйста, получить заработанные деньги.\n"
    "\n"
    "С уважением, Абдуллаев Бекзод, тел. +998 91 234 56 78\n"
)
add(
    "mislabelled-charset.eml",
    message(
        [
            ("From", "Bekzod Abdullaev <bekzod.abdullaev@example.com>"),
            ("To", AGENCY),
            ("Subject", "Zarplata ne vyplachena (Kazan)"),
            ("Date", date("Thu, 20 Nov 2025 10:47:09")),
            ("Message-ID", "<000001dc5a1e$3f2b8c10$bd82a430$@example.com>"),
            ("MIME-Version", "1.0"),
            ("X-Mailer", "Microsoft Outlook 14.0"),
            ("Content-Type", "text/plain; charset=iso-8859-1"),
            ("Content-Transfer-Encoding", "8bit"),
        ],
        crlf(text5, "windows-1251"),
    ),
    message_id="000001dc5a1e$3f2b8c10$bd82a430$@example.com",
    from_address="bekzod.abdullaev@example.com",
    from_name="Bekzod Abdullaev",
    subject="Zarplata ne vyplachena (Kazan)",
    text_contains=[
        "Я работал в Казани на складе",
        "Договор и расчётные листки у меня есть.",
        "С уважением, Абдуллаев Бекзод",
    ],
    text_excludes=["Ç", "ð", "à"],
    **{"class": "appeal"},
    signature_phone="+998912345678",
    signature_name="Абдуллаев Бекзод",
)

# ---------------------------------------------------------------------------------------------------------------
# 6. text/plain with no charset parameter, 8bit UTF-8 Uzbek Cyrillic with ў қ ғ ҳ.

text6 = (
    "Ассалому алайкум.\n"
    "\n"
    "Мен Корея Республикасига ишга бориш учун танловда қатнашмоқчиман. Корейс тили бўйича тест қачон "
    "ўтказилади ва ҳужжатлар қаерга топширилади? Ёшим 24 да, олдин чет элда ишламаганман. "
    "Танлов ғолиблари рўйхати қаерда эълон қилинади?\n"
    "\n"
    "Ҳурмат билан, Раҳимова Гулноза\n"
    "+998 99 876 54 32\n"
)
add(
    "no-charset-8bit.eml",
    message(
        [
            ("From", "Gulnoza Rahimova <gulnoza.rahimova@example.uz>"),
            ("To", AGENCY),
            ("Subject", "Koreyaga tanlov haqida savol"),
            ("Date", date("Thu, 20 Nov 2025 11:02:40")),
            ("Message-ID", "<5f0c2a9b.1c69fb81.8e2d.0a3f@mx.example.uz>"),
            ("MIME-Version", "1.0"),
            ("Content-Type", "text/plain"),
            ("Content-Transfer-Encoding", "8bit"),
        ],
        crlf(text6, "utf-8"),
    ),
    message_id="5f0c2a9b.1c69fb81.8e2d.0a3f@mx.example.uz",
    from_address="gulnoza.rahimova@example.uz",
    from_name="Gulnoza Rahimova",
    subject="Koreyaga tanlov haqida savol",
    text_contains=[
        "танловда қатнашмоқчиман",
        "Корейс тили бўйича тест",
        "ҳужжатлар қаерга топширилади?",
        "Танлов ғолиблари рўйхати",
    ],
    **{"class": "appeal"},
    signature_phone="+998998765432",
    signature_name="Раҳимова Гулноза",
)

# ---------------------------------------------------------------------------------------------------------------
# 7. text/html only.

html7 = (
    "<!DOCTYPE html>\n"
    "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">\n"
    "<title>Murojaat</title>\n"
    "<style type=\"text/css\">\n"
    "p { font-family: Arial, sans-serif; margin: 0 0 8px 0; }\n"
    ".uslub-ichida { color: #c00; }\n"
    "</style>\n"
    "<script type=\"text/javascript\">\n"
    "var yashirin = \"SKRIPT-ICHIDAGI-MATN\"; if (1 < 2) { document.title = yashirin; }\n"
    "</script>\n"
    "</head>\n"
    "<body>\n"
    "<p>Assalomu alaykum, hurmatli <b>Migratsiya agentligi</b>!</p>\n"
    "<p>Men Turkiyaning Istanbul shahrida tikuv fabrikasida ishlayman.<br>\n"
    "Ish beruvchi &laquo;Yildiz Tekstil&raquo; pasportimni qaytarmayapti &amp; maoshni kechiktirmoqda.</p>\n"
    "<p>To&#8216;lanmagan oylar:</p>\n"
    "<table border=\"1\" cellpadding=\"4\">\n"
    "<tr><td>Sentyabr</td><td>18&nbsp;000 lira</td></tr>\n"
    "<tr><td>Oktyabr</td><td>18&nbsp;000 lira</td></tr>\n"
    "</table>\n"
    "<p>Mehnat shartnomasi: <a href=\"https://drive.example.com/file/d/shartnoma-nusxasi\">shartnoma nusxasi</a>.</p>\n"
    "<p>Oilam Farg&#8216;ona viloyati, &#1178;ў&#1179;он шаҳрида яшайди.</p>\n"
    "<p>Hurmat bilan, Nazarov Jahongir<br>\n"
    "+998 94 111 22 33</p>\n"
    "</body></html>\n"
)
add(
    "html-only.eml",
    message(
        [
            ("From", "Jahongir Nazarov <jahongir.nazarov@example.com>"),
            ("To", AGENCY),
            ("Subject", "Turkiyada pasportim ushlab qolindi"),
            ("Date", date("Thu, 20 Nov 2025 12:30:05", "+0300")),
            ("Message-ID", "<CAF7x1q3Yb9H2kz_0d3vT8mPq@mail.example.com>"),
            ("MIME-Version", "1.0"),
            ("Content-Type", 'text/html; charset="UTF-8"'),
            ("Content-Transfer-Encoding", "quoted-printable"),
        ],
        qp(html7.encode("utf-8")),
    ),
    message_id="CAF7x1q3Yb9H2kz_0d3vT8mPq@mail.example.com",
    from_address="jahongir.nazarov@example.com",
    from_name="Jahongir Nazarov",
    subject="Turkiyada pasportim ushlab qolindi",
    text_contains=[
        "Migratsiya agentligi",
        "Ish beruvchi «Yildiz Tekstil» pasportimni qaytarmayapti & maoshni kechiktirmoqda.",
        "To‘lanmagan oylar:",
        "Қўқон шаҳрида яшайди",
    ],
    text_excludes=[
        "<",
        "SKRIPT-ICHIDAGI-MATN",
        "yashirin",
        "font-family",
        "uslub-ichida",
        "drive.example.com",
        "&amp;",
        "&laquo;",
        "&#1179;",
        "&nbsp;",
    ],
    **{"class": "appeal"},
    signature_phone="+998941112233",
    signature_name="Nazarov Jahongir",
)

# ---------------------------------------------------------------------------------------------------------------
# 8. multipart/alternative: the plain version says Olmaota, the HTML version says Shymkent.

text8 = (
    "Assalomu alaykum.\n"
    "\n"
    "Menga Telegram orqali Qozog‘istonning Olmaota shahrida qurilishda oyiga 800 dollarlik ish taklif "
    "qilishdi. Vositachi \"Asia Work Group\" hujjat rasmiylashtirish uchun oldindan 3 million so‘m "
    "so‘ramoqda. Bu kompaniya Agentlik ro‘yxatida bormi va taklif qonuniymi?\n"
    "\n"
    "Hurmat bilan, Ergashev Sardor\n"
    "+998 93 512 77 08\n"
)
html8 = (
    "<html><body>\n"
    "<div>Assalomu alaykum.</div><div><br></div>\n"
    "<div>Menga Telegram orqali Qozog&#8216;istonning Shymkent shahrida qurilishda oyiga 800 dollarlik ish "
    "taklif qilishdi. Vositachi &quot;Asia Work Group&quot; hujjat rasmiylashtirish uchun oldindan 3 million "
    "so&#8216;m so&#8216;ramoqda. Bu kompaniya Agentlik ro&#8216;yxatida bormi va taklif qonuniymi?</div>\n"
    "<div><br></div><div>Hurmat bilan, Ergashev Sardor<br>+998 93 512 77 08</div>\n"
    "</body></html>\n"
)
boundary8 = "000000000000a1b2c3d4e5f60718"
add(
    "alternative.eml",
    message(
        [
            ("From", "Sardor Ergashev <sardor.ergashev@example.com>"),
            ("To", AGENCY),
            ("Subject", "Qozog'istondagi ish taklifi qonuniymi?"),
            ("Date", date("Thu, 20 Nov 2025 13:14:15")),
            ("Message-ID", "<CAHk9Lp2m+Zx0QeR1tW3uV4aB5cD6eF7gH8@mail.example.com>"),
            ("MIME-Version", "1.0"),
            ("Content-Type", 'multipart/alternative; boundary="%s"' % boundary8),
        ],
        multipart(
            boundary8,
            [
                part(
                    ['Content-Type: text/plain; charset="UTF-8"', "Content-Transfer-Encoding: quoted-printable"],
                    qp(text8.encode("utf-8")),
                ),
                part(
                    ['Content-Type: text/html; charset="UTF-8"', "Content-Transfer-Encoding: base64"],
                    b64(crlf(html8)),
                ),
            ],
        ),
    ),
    message_id="CAHk9Lp2m+Zx0QeR1tW3uV4aB5cD6eF7gH8@mail.example.com",
    from_address="sardor.ergashev@example.com",
    from_name="Sardor Ergashev",
    subject="Qozog'istondagi ish taklifi qonuniymi?",
    text_contains=[
        "Qozog‘istonning Olmaota shahrida",
        'Vositachi "Asia Work Group"',
        "Agentlik ro‘yxatida bormi",
    ],
    text_excludes=["Shymkent", "<div>", "&quot;"],
    **{"class": "appeal"},
    signature_phone="+998935127708",
    signature_name="Ergashev Sardor",
)

# ---------------------------------------------------------------------------------------------------------------
# 9. multipart/mixed: text, a PDF, a JPEG whose name is Cyrillic in RFC 2231.

text9 = (
    "Assalomu alaykum.\n"
    "\n"
    "Men 2024-yil mart oyida Rossiyadan deportatsiya qilinganman va 5 yilga kirish taqiqi qo'yilgan. "
    "Taqiq muddatini qisqartirish yoki bekor qilish mumkinmi? Deportatsiya to'g'risidagi qaror va "
    "pasportimning nusxasini ilova qildim.\n"
    "\n"
    "Hurmat bilan, Xolmatov Ulug'bek\n"
    "Tel: +998 (91) 440-12-13\n"
)
pdf9 = pdf_like("qaror.pdf", 2048)
jpg9 = jpeg_like("паспорт.jpg", 1500)
boundary9 = "----=_Part_118_1979526031.1763622600000"
add(
    "mixed-attachments.eml",
    message(
        [
            ("From", "Ulug'bek Xolmatov <ulugbek.xolmatov@example.uz>"),
            ("To", AGENCY),
            ("Subject", "Rossiyaga kirish taqiqi bo'yicha"),
            ("Date", date("Thu, 20 Nov 2025 14:10:00")),
            ("Message-ID", "<1355043186.119.1763622600000@webmail.example.uz>"),
            ("MIME-Version", "1.0"),
            ("Content-Type", 'multipart/mixed;\n boundary="%s"' % boundary9),
        ],
        multipart(
            boundary9,
            [
                part(
                    ["Content-Type: text/plain; charset=UTF-8", "Content-Transfer-Encoding: 7bit"],
                    crlf(text9),
                ),
                part(
                    [
                        "Content-Type: application/pdf; name=deportatsiya-qarori.pdf",
                        "Content-Transfer-Encoding: base64",
                        "Content-Disposition: attachment; filename=deportatsiya-qarori.pdf",
                    ],
                    b64(pdf9),
                ),
                part(
                    [
                        "Content-Type: image/jpeg",
                        "Content-Transfer-Encoding: base64",
                        "Content-Disposition: attachment;\r\n filename*=utf-8''%s" % rfc2231("паспорт.jpg"),
                    ],
                    b64(jpg9),
                ),
            ],
            preamble=b"This is a multi-part message in MIME format." + CRLF + CRLF,
        ),
    ),
    message_id="1355043186.119.1763622600000@webmail.example.uz",
    from_address="ulugbek.xolmatov@example.uz",
    from_name="Ulug'bek Xolmatov",
    subject="Rossiyaga kirish taqiqi bo'yicha",
    text_contains=[
        "5 yilga kirish taqiqi qo'yilgan",
        "Taqiq muddatini qisqartirish",
        "pasportimning nusxasini ilova qildim",
    ],
    attachments=[
        {"name": "deportatsiya-qarori.pdf", "content_type": "application/pdf", "size": len(pdf9)},
        {"name": "паспорт.jpg", "content_type": "image/jpeg", "size": len(jpg9)},
    ],
    **{"class": "appeal"},
    signature_phone="+998914401213",
    signature_name="Xolmatov Ulug'bek",
)

# ---------------------------------------------------------------------------------------------------------------
# 10. RFC 2231 continuations, Uzbek Latin file name with apostrophes (U+2018 and ASCII).

name10 = "Mehnat shartnomasi - G‘ulomov O‘tkir (Qo'qon).pdf"
encoded10 = rfc2231(name10)
cut1 = encoded10.index("%20-%20")  # pieces at %XX boundaries, never inside one
cut2 = encoded10.index("%20%28")
pieces10 = [encoded10[:cut1], encoded10[cut1:cut2], encoded10[cut2:]]
assert "".join(pieces10) == encoded10
pdf10 = pdf_like(name10, 640)
text10 = (
    "Assalomu alaykum.\n"
    "\n"
    "Buyuk Britaniyaga mavsumiy qishloq xo‘jaligi ishlariga boraman. Menga berilgan mehnat "
    "shartnomasini ilova qildim: shartnoma shartlari qonuniymi, ish haqi va yashash joyi to‘g‘ri "
    "ko‘rsatilganmi, tekshirib bering.\n"
    "\n"
    "Hurmat bilan, G‘ulomov O‘tkir\n"
    "+998 90 300 11 22\n"
)
boundary10 = "=-rM7fQ1x9KpY3s2Zw8bLd"
add(
    "rfc2231-continuations.eml",
    message(
        [
            ("From", "Otkir Gulomov <otkir.gulomov@example.uz>"),
            ("To", AGENCY),
            ("Subject", "Britaniyadagi mavsumiy ish shartnomasi"),
            ("Date", date("Thu, 20 Nov 2025 15:01:02")),
            ("Message-ID", "<a3f9e1d2c4b5@otkir-laptop.example.uz>"),
            ("MIME-Version", "1.0"),
            ("Content-Type", 'multipart/mixed; boundary="%s"' % boundary10),
        ],
        multipart(
            boundary10,
            [
                part(
                    ["Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: quoted-printable"],
                    qp(text10.encode("utf-8")),
                ),
                part(
                    [
                        "Content-Type: application/pdf",
                        "Content-Disposition: attachment;\r\n"
                        + ";\r\n".join(
                            " filename*%d*=%s%s" % (i, "utf-8''" if i == 0 else "", p) for i, p in enumerate(pieces10)
                        ),
                        "Content-Transfer-Encoding: base64",
                    ],
                    b64(pdf10),
                ),
            ],
        ),
    ),
    message_id="a3f9e1d2c4b5@otkir-laptop.example.uz",
    from_address="otkir.gulomov@example.uz",
    from_name="Otkir Gulomov",
    subject="Britaniyadagi mavsumiy ish shartnomasi",
    text_contains=[
        "mavsumiy qishloq xo‘jaligi ishlariga boraman",
        "to‘g‘ri ko‘rsatilganmi",
    ],
    attachments=[{"name": name10, "content_type": "application/pdf", "size": len(pdf10)}],
    **{"class": "appeal"},
    signature_phone="+998903001122",
    signature_name="G‘ulomov O‘tkir",
)

# ---------------------------------------------------------------------------------------------------------------
# 11. Several adjacent RFC 2047 words (B and Q, utf-8), split only at character boundaries.

name11a, name11b = "Ҳасанов ", "Ўткир"
subj11 = ["Ўзбекистон–Корея ", "дастури ", "бўйича ", "танлов натижалари ", "қачон эълон қилинади?"]
subject11 = "Savol: " + "".join(subj11)
from11 = "%s\n %s\n <otkir.hasanov@example.uz>" % (ew_b(name11a, "utf-8"), ew_q(name11b, "UTF-8"))
subject11_header = "Savol: %s\n %s\n %s\n %s\n %s" % (
    ew_b(subj11[0], "utf-8"),
    ew_q(subj11[1], "utf-8", "q"),
    ew_q(subj11[2], "UTF-8", "Q"),
    ew_b(subj11[3], "UTF-8"),
    ew_b(subj11[4], "utf-8"),
)
text11 = (
    "Ассалому алайкум.\n"
    "\n"
    "Мен октябрь ойида Ўзбекистон–Корея EPS дастури бўйича корейс тили тестини топширдим. "
    "Натижалар ҳалигача эълон қилинмади, агентлик сайтида ҳам маълумот йўқ. "
    "Натижалар қачон ва қаерда эълон қилинишини айтиб беришингизни сўрайман.\n"
    "\n"
    "Ҳурмат билан, Ҳасанов Ўткир\n"
    "+998 88 123 45 67\n"
)
add(
    "encoded-words.eml",
    message(
        [
            ("From", from11),
            ("To", AGENCY),
            ("Subject", subject11_header),
            ("Date", date("Thu, 20 Nov 2025 15:30:00")),
            ("Message-ID", "<ew.20251120153000.77@example.uz>"),
            ("MIME-Version", "1.0"),
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Transfer-Encoding", "base64"),
        ],
        b64(crlf(text11)) + CRLF,
    ),
    message_id="ew.20251120153000.77@example.uz",
    from_address="otkir.hasanov@example.uz",
    from_name="Ҳасанов Ўткир",
    subject=subject11,
    text_contains=[
        "корейс тили тестини топширдим",
        "ҳалигача эълон қилинмади",
        "қачон ва қаерда эълон қилинишини",
    ],
    **{"class": "appeal"},
    signature_phone="+998881234567",
    signature_name="Ҳасанов Ўткир",
)

# ---------------------------------------------------------------------------------------------------------------
# 12. Written by a relative; Reply-To is the applicant.

text12 = (
    "Assalomu alaykum.\n"
    "\n"
    "Akam Karimov Jasur Polshaning Vrotslav shahrida ishlaydi. U ishda jarohat olib, kasalxonaga "
    "yotqizilgan, ish beruvchi davolanish xarajatlarini to'lashdan bosh tortmoqda. Akamning o'z "
    "pochtasi ko'rsatilgan, javobni unga yuboring.\n"
    "\n"
    "Hurmat bilan, Karimova Dilnoza\n"
    "+998 95 300 40 50\n"
)
add(
    "reply-to.eml",
    message(
        [
            ("From", "Dilnoza Karimova <dilnoza.karimova@example.uz>"),
            ("Reply-To", "Jasur Karimov <jasur.karimov@example.com>"),
            ("To", AGENCY),
            ("Subject", "Akam Polshada jarohat oldi"),
            ("Date", date("Thu, 20 Nov 2025 16:05:00")),
            ("Message-ID", "<20251120160500.GA1201@example.uz>"),
            ("MIME-Version", "1.0"),
            ("Content-Type", "text/plain; charset=utf-8; format=flowed"),
            ("Content-Transfer-Encoding", "7bit"),
        ],
        crlf(text12),
    ),
    message_id="20251120160500.GA1201@example.uz",
    from_address="dilnoza.karimova@example.uz",
    from_name="Dilnoza Karimova",
    reply_to="jasur.karimov@example.com",
    subject="Akam Polshada jarohat oldi",
    text_contains=[
        "Akam Karimov Jasur Polshaning Vrotslav shahrida ishlaydi.",
        "davolanish xarajatlarini to'lashdan bosh tortmoqda",
    ],
    **{"class": "appeal"},
    signature_phone="+998953004050",
    signature_name="Karimova Dilnoza",
)

# ---------------------------------------------------------------------------------------------------------------
# 13. No Message-ID (the source key is then the SHA-256 of the raw bytes).

text13 = (
    "Assalomu alaykum.\n"
    "Men Rossiyaga kirish taqiqi bor-yo'qligini qanday tekshirsam bo'ladi? Migratsiya kartam "
    "yo'qolgan, 2022-yilda uyga qaytganman. Yana Rossiyaga ishlashga bormoqchiman.\n"
    "Rahmat.\n"
    "Saidov Bobur, 90 765 43 21\n"
)
add(
    "no-message-id.eml",
    message(
        [
            ("Date", date("Thu, 20 Nov 2025 16:45:10")),
            ("From", "bobur.saidov@example.uz"),
            ("To", AGENCY),
            ("Subject", "Kirish taqiqi bor-yo'qligini tekshirish"),
            ("MIME-Version", "1.0"),
            ("Content-Type", "text/plain; charset=us-ascii"),
            ("Content-Transfer-Encoding", "7bit"),
        ],
        crlf(text13),
    ),
    message_id=None,
    from_address="bobur.saidov@example.uz",
    subject="Kirish taqiqi bor-yo'qligini tekshirish",
    text_contains=["kirish taqiqi bor-yo'qligini qanday tekshirsam", "Migratsiya kartam yo'qolgan"],
    **{"class": "appeal"},
    signature_phone="+998907654321",
    signature_name="Saidov Bobur",
)

# ---------------------------------------------------------------------------------------------------------------
# 14. Follow-up by subject: "Re: Murojaatingiz XMGV-DRF5 ro'yxatga olindi".

text14 = (
    "Assalomu alaykum.\n"
    "\n"
    "Murojaatimga qo'shimcha: ish beruvchi kompaniyaning nomi \"Stroy-Invest\" MChJ, manzili Moskva, "
    "Lyublino tumani. Mehnat shartnomamning raqami 2024/117, imzolangan sanasi 3-aprel.\n"
    "\n"
    "Hurmat bilan, Karimov Aziz\n"
    "+998 90 123-45-67\n"
    "\n"
    "On Thu, 20 Nov 2025 at 09:13, Migratsiya agentligi <info@migration.uz> wrote:\n"
    "> Hurmatli fuqaro!\n"
    "> Murojaatingiz ro'yxatga olindi. Kuzatuv raqami: XMGV-DRF5\n"
    "> Javob qonunda belgilangan muddatda beriladi.\n"
)
add(
    "follow-up-subject.eml",
    message(
        [
            ("From", "Aziz Karimov <aziz.karimov@example.uz>"),
            ("To", "Migratsiya agentligi <info@migration.uz>"),
            ("Subject", "Re: Murojaatingiz XMGV-DRF5 ro'yxatga olindi"),
            ("Date", date("Thu, 20 Nov 2025 17:20:00")),
            ("Message-ID", "<20251120172000.4712@mail.example.uz>"),
            ("In-Reply-To", "<ack.XMGV-DRF5.20251120091300@migration.uz>"),
            ("References", "<20251120091200.4711@mail.example.uz>\n <ack.XMGV-DRF5.20251120091300@migration.uz>"),
            ("MIME-Version", "1.0"),
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Transfer-Encoding", "7bit"),
        ],
        crlf(text14),
    ),
    message_id="20251120172000.4712@mail.example.uz",
    from_address="aziz.karimov@example.uz",
    from_name="Aziz Karimov",
    subject="Re: Murojaatingiz XMGV-DRF5 ro'yxatga olindi",
    text_contains=['kompaniyaning nomi "Stroy-Invest" MChJ', "Mehnat shartnomamning raqami 2024/117"],
    **{"class": "follow-up"},
    follow_up_tracking="XMGV-DRF5",
    signature_phone="+998901234567",
    signature_name="Karimov Aziz",
)

# ---------------------------------------------------------------------------------------------------------------
# 15. Follow-up found in the quoted acknowledgement only; new text in Russian on top.

text15 = (
    "Здравствуйте.\n"
    "\n"
    "Дополняю своё обращение: сегодня брата перевели в центр содержания в деревне Сахарово "
    "Московской области. Номер его паспорта FA1234567. Прошу сообщить, когда его смогут отправить домой.\n"
    "\n"
    "С уважением, Юсупова Гульнора\n"
    "+998 97 765 43 21\n"
    "\n"
    "20.11.2025, 08:26, \"Migratsiya agentligi\" <info@migration.uz>:\n"
    "> Hurmatli fuqaro!\n"
    "> Murojaatingiz ro'yxatga olindi.\n"
    "> Kuzatuv raqami: 453H-7DRG\n"
    "> Javob qonunda belgilangan muddatda beriladi.\n"
)
add(
    "follow-up-quoted.eml",
    message(
        [
            ("From", "Gulnora Yusupova <gulnora.yusupova@example.uz>"),
            ("To", "\"Migratsiya agentligi\" <info@migration.uz>"),
            ("Subject", "Re: Murojaatingiz ro'yxatga olindi"),
            ("Date", date("Fri, 21 Nov 2025 09:02:45")),
            ("Message-ID", "<7b3e9f40-2d8a-4f61-b0c5-9e4d1a6c2f13@example.uz>"),
            ("In-Reply-To", "<ack.20251120082600.2@migration.uz>"),
            ("MIME-Version", "1.0"),
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Transfer-Encoding", "8bit"),
        ],
        crlf(text15),
    ),
    message_id="7b3e9f40-2d8a-4f61-b0c5-9e4d1a6c2f13@example.uz",
    from_address="gulnora.yusupova@example.uz",
    from_name="Gulnora Yusupova",
    subject="Re: Murojaatingiz ro'yxatga olindi",
    text_contains=["центр содержания в деревне Сахарово", "> Kuzatuv raqami: 453H-7DRG"],
    **{"class": "follow-up"},
    follow_up_tracking="453H-7DRG",
    signature_phone="+998977654321",
    signature_name="Юсупова Гульнора",
)

# ---------------------------------------------------------------------------------------------------------------
# 16. Out-of-office with Auto-Submitted: auto-replied (its subject carries a tracking number: still not a follow-up).

text16 = (
    "Assalomu alaykum.\n"
    "Men 1-dekabrgacha ta'tildaman va xatlarni o'qiy olmayman. Shoshilinch masalalar bo'yicha "
    "hamkasbim Akmal Rustamovga yozing.\n"
    "\n"
    "Bu xat avtomatik tarzda yuborildi.\n"
)
add(
    "auto-reply.eml",
    message(
        [
            ("From", "Nodir Toshpo'latov <nodir.t@example.uz>"),
            ("To", "Migratsiya agentligi <info@migration.uz>"),
            ("Subject", "Avtomatik javob: Murojaatingiz 453H-7DRG ro'yxatga olindi"),
            ("Date", date("Thu, 20 Nov 2025 08:26:03")),
            ("Message-ID", "<autoreply.8c1f2e@example.uz>"),
            ("In-Reply-To", "<ack.20251120082600.2@migration.uz>"),
            ("Auto-Submitted", "auto-replied"),
            ("X-Auto-Response-Suppress", "All"),
            ("MIME-Version", "1.0"),
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Transfer-Encoding", "7bit"),
        ],
        crlf(text16),
    ),
    message_id="autoreply.8c1f2e@example.uz",
    from_address="nodir.t@example.uz",
    from_name="Nodir Toshpo'latov",
    subject="Avtomatik javob: Murojaatingiz 453H-7DRG ro'yxatga olindi",
    text_contains=["1-dekabrgacha ta'tildaman"],
    **{"class": "auto-reply"},
)

# ---------------------------------------------------------------------------------------------------------------
# 17. Out of office without Auto-Submitted: X-Autoreply and Precedence only.

text17 = (
    "Здравствуйте!\n"
    "Я в отпуске до 5 декабря. Ваше письмо будет прочитано после моего возвращения.\n"
    "\n"
    "I am out of the office until 5 December.\n"
)
add(
    "out-of-office-no-header.eml",
    message(
        [
            ("From", "Olga Petrova <o.petrova@example.ru>"),
            ("To", AGENCY),
            ("Subject", "Out of Office"),
            ("Date", date("Thu, 20 Nov 2025 09:00:01", "+0300")),
            ("Message-ID", "<ooo.1763618401.5521@example.ru>"),
            ("X-Autoreply", "yes"),
            ("Precedence", "auto_reply"),
            ("MIME-Version", "1.0"),
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Transfer-Encoding", "quoted-printable"),
        ],
        qp(text17.encode("utf-8")),
    ),
    message_id="ooo.1763618401.5521@example.ru",
    from_address="o.petrova@example.ru",
    from_name="Olga Petrova",
    subject="Out of Office",
    text_contains=["Я в отпуске до 5 декабря.", "out of the office"],
    **{"class": "auto-reply"},
)

# ---------------------------------------------------------------------------------------------------------------
# 18. A Postfix bounce: multipart/report; report-type=delivery-status. Postfix also adds Auto-Submitted:
# auto-replied; the class is still delivery-report.

boundary18 = "4FbQ2K0xYz.1763616131/mx.example.uz"
text18 = (
    "This is the mail system at host mx.example.uz.\n"
    "\n"
    "I'm sorry to have to inform you that your message could not\n"
    "be delivered to one or more recipients. It's attached below.\n"
    "\n"
    "For further assistance, please send mail to postmaster.\n"
    "\n"
    "If you do so, please include this problem report. You can\n"
    "delete your own text from the attached returned message.\n"
    "\n"
    "                   The mail system\n"
    "\n"
    "<nodir.t@example.uz>: host mx.example.uz[203.0.113.5] said: 550 5.1.1\n"
    "    <nodir.t@example.uz>: Recipient address rejected: User unknown (in reply to\n"
    "    RCPT TO command)\n"
)
status18 = (
    "Reporting-MTA: dns; mx.example.uz\n"
    "X-Postfix-Queue-ID: 4FbQ2K0xYz\n"
    "X-Postfix-Sender: rfc822; info@migration.uz\n"
    "Arrival-Date: Thu, 20 Nov 2025 10:02:11 +0500 (UZT)\n"
    "\n"
    "Final-Recipient: rfc822; nodir.t@example.uz\n"
    "Original-Recipient: rfc822;nodir.t@example.uz\n"
    "Action: failed\n"
    "Status: 5.1.1\n"
    "Remote-MTA: dns; mx.example.uz\n"
    "Diagnostic-Code: smtp; 550 5.1.1 <nodir.t@example.uz>: Recipient address\n"
    "    rejected: User unknown\n"
)
headers18 = (
    "Return-Path: <info@migration.uz>\n"
    "From: Migratsiya agentligi <info@migration.uz>\n"
    "To: nodir.t@example.uz\n"
    "Subject: Murojaatingiz 453H-7DRG ro'yxatga olindi\n"
    "Date: Thu, 20 Nov 2025 10:02:10 +0500\n"
    "Message-ID: <ack.20251120100210.2@migration.uz>\n"
    "Auto-Submitted: auto-generated\n"
    "MIME-Version: 1.0\n"
    "Content-Type: text/plain; charset=utf-8\n"
    "Content-Transfer-Encoding: 8bit\n"
)
add(
    "delivery-status.eml",
    message(
        [
            ("Return-Path", "<>"),
            ("From", "MAILER-DAEMON@mx.example.uz (Mail Delivery System)"),
            ("To", AGENCY),
            ("Subject", "Undelivered Mail Returned to Sender"),
            ("Date", date("Thu, 20 Nov 2025 10:02:11")),
            ("Message-ID", "<20251120050211.7C1A33E0042@mx.example.uz>"),
            ("Auto-Submitted", "auto-replied"),
            ("MIME-Version", "1.0"),
            ("Content-Type", "multipart/report; report-type=delivery-status;\n boundary=\"%s\"" % boundary18),
            ("Content-Transfer-Encoding", "8bit"),
        ],
        multipart(
            boundary18,
            [
                part(
                    ["Content-Description: Notification", "Content-Type: text/plain; charset=us-ascii"],
                    crlf(text18),
                ),
                part(
                    ["Content-Description: Delivery report", "Content-Type: message/delivery-status"],
                    crlf(status18),
                ),
                part(
                    ["Content-Description: Undelivered Message Headers", "Content-Type: text/rfc822-headers"],
                    crlf(headers18),
                ),
            ],
            preamble=b"This is a MIME-encapsulated message." + CRLF + CRLF,
        ),
    ),
    message_id="20251120050211.7C1A33E0042@mx.example.uz",
    from_address="MAILER-DAEMON@mx.example.uz",
    from_name="Mail Delivery System",
    subject="Undelivered Mail Returned to Sender",
    text_contains=["your message could not", "Recipient address rejected: User unknown"],
    **{"class": "delivery-report"},
)

# ---------------------------------------------------------------------------------------------------------------
# 19. A mail loop: the Agency's own acknowledgement came back, From and To info@migration.uz, with X-Loop.

text19 = (
    "Hurmatli fuqaro!\n"
    "\n"
    "Murojaatingiz ro'yxatga olindi.\n"
    "Kuzatuv raqami: CNJF-RH5K\n"
    "Javob qonunda belgilangan muddatda beriladi.\n"
    "\n"
    "O'zbekiston Respublikasi Migratsiya agentligi\n"
)
add(
    "mail-loop.eml",
    message(
        [
            ("Return-Path", "<info@migration.uz>"),
            ("Delivered-To", AGENCY),
            ("X-Loop", AGENCY),
            ("From", "Migratsiya agentligi <info@migration.uz>"),
            ("To", AGENCY),
            ("Subject", "Murojaatingiz CNJF-RH5K ro'yxatga olindi"),
            ("Date", date("Thu, 20 Nov 2025 11:00:00")),
            ("Message-ID", "<ack.20251120110000.3@migration.uz>"),
            ("Auto-Submitted", "auto-generated"),
            ("MIME-Version", "1.0"),
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Transfer-Encoding", "7bit"),
        ],
        crlf(text19),
    ),
    message_id="ack.20251120110000.3@migration.uz",
    from_address=AGENCY,
    from_name="Migratsiya agentligi",
    subject="Murojaatingiz CNJF-RH5K ro'yxatga olindi",
    text_contains=["Kuzatuv raqami: CNJF-RH5K"],
    **{"class": "loop"},
)

# ---------------------------------------------------------------------------------------------------------------
# 20. Truncated: the last part stops in the middle of a base64 line, no closing boundary.

text20 = (
    "Assalomu alaykum.\n"
    "\n"
    "Germaniyaga mavsumiy ish dasturi bo‘yicha hujjat topshirmoqchiman. Pasport va diplom "
    "nusxalarini ilova qilyapman. Qaysi hujjatlar yana kerak bo‘ladi?\n"
    "\n"
    "Hurmat bilan, Mirzayev Doston\n"
    "+998 90 222 33 44\n"
)
boundary20 = "b1_6f2c9e0a4d7b8c1e"
full20 = multipart(
    boundary20,
    [
        part(["Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: quoted-printable"],
             qp(text20.encode("utf-8"))),
        part(
            [
                "Content-Type: image/jpeg; name=\"pasport.jpg\"",
                "Content-Transfer-Encoding: base64",
                "Content-Disposition: attachment; filename=\"pasport.jpg\"",
            ],
            b64(jpeg_like("pasport.jpg", 3000)),
        ),
    ],
)
start20 = full20.index(CRLF + CRLF, full20.index(b"Content-Disposition: attachment")) + 4
cut20 = start20 + 10 * 78 + 30  # 30 characters into the 11th base64 line of the 4 KB attachment
assert b"\r" not in full20[cut20 - 30 : cut20], "the cut must fall inside a line"
add(
    "truncated-multipart.eml",
    message(
        [
            ("From", "Doston Mirzayev <doston.mirzayev@example.uz>"),
            ("To", AGENCY),
            ("Subject", "Germaniyaga mavsumiy ish"),
            ("Date", date("Thu, 20 Nov 2025 18:00:00")),
            ("Message-ID", "<trunc.20251120180000@example.uz>"),
            ("MIME-Version", "1.0"),
            ("Content-Type", 'multipart/mixed; boundary="%s"' % boundary20),
        ],
        full20[:cut20],
    ),
    message_id="trunc.20251120180000@example.uz",
    from_address="doston.mirzayev@example.uz",
    from_name="Doston Mirzayev",
    subject="Germaniyaga mavsumiy ish",
    text_contains=["Germaniyaga mavsumiy ish dasturi bo‘yicha", "Qaysi hujjatlar yana kerak bo‘ladi?"],
    **{"class": "appeal"},
    broken=True,
)

# ---------------------------------------------------------------------------------------------------------------
# 21. multipart/mixed with no boundary parameter: the body holds a part that nothing can delimit.

text21 = (
    "Assalomu alaykum.\n"
    "Yaponiyaga parvarishlash (kaigo) sohasida ishlash dasturi bormi? Yapon tili sertifikatim N4 darajada.\n"
    "Hurmat bilan, Qodirova Malika\n"
    "+998 90 555 66 77\n"
)
body21 = (
    b"--=_NextPart_000_0012_01DC5A1E.3F2B8C10" + CRLF
    + b"Content-Type: text/plain; charset=utf-8" + CRLF
    + b"Content-Transfer-Encoding: 8bit" + CRLF
    + CRLF
    + crlf(text21)
    + CRLF
    + b"--=_NextPart_000_0012_01DC5A1E.3F2B8C10--" + CRLF
)
add(
    "missing-boundary.eml",
    message(
        [
            ("From", "Malika Qodirova <malika.qodirova@example.uz>"),
            ("To", AGENCY),
            ("Subject", "Yaponiyada ishlash dasturi"),
            ("Date", date("Thu, 20 Nov 2025 18:20:00")),
            ("Message-ID", "<noboundary.20251120182000@example.uz>"),
            ("MIME-Version", "1.0"),
            ("Content-Type", "multipart/mixed"),
        ],
        body21,
    ),
    message_id="noboundary.20251120182000@example.uz",
    from_address="malika.qodirova@example.uz",
    from_name="Malika Qodirova",
    subject="Yaponiyada ishlash dasturi",
    text_contains=["parvarishlash (kaigo) sohasida ishlash dasturi bormi?", "sertifikatim N4 darajada"],
    **{"class": "appeal"},
    broken=True,
)

# ---------------------------------------------------------------------------------------------------------------
# 22. A base64 text part with invalid characters (!!! and *), put between 4-character groups: a decoder that
# skips what is not base64 (GMime, Python) recovers every byte.

text22 = (
    "Assalomu alaykum.\n"
    "Men Rossiyada ishlab yurganimda qurilishda oyog'imni sindirdim. Sug'urta kompaniyasi to'lovni "
    "rad etdi. Sug'urta puli olish uchun qayerga murojaat qilishim kerak?\n"
    "Hurmat bilan, Jo'rayev Anvar\n"
    "+998 90 777 88 99\n"
)
lines22 = b64(crlf(text22)).split(CRLF)
junk = [b"!!!", b"*", b"!*!", b"*"]
bad22 = []
for index, line in enumerate(lines22):
    at = (len(line) // 8) * 4 if len(line) >= 8 else 0
    bad22.append(line[:at] + junk[index % len(junk)] + line[at:])
add(
    "invalid-base64.eml",
    message(
        [
            ("From", "Anvar Jo'rayev <anvar.jorayev@example.uz>"),
            ("To", AGENCY),
            ("Subject", "Sug'urta puli"),
            ("Date", date("Thu, 20 Nov 2025 18:40:00")),
            ("Message-ID", "<badb64.20251120184000@example.uz>"),
            ("MIME-Version", "1.0"),
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Transfer-Encoding", "base64"),
        ],
        CRLF.join(bad22) + CRLF,
    ),
    message_id="badb64.20251120184000@example.uz",
    from_address="anvar.jorayev@example.uz",
    from_name="Anvar Jo'rayev",
    subject="Sug'urta puli",
    text_contains=["oyog'imni sindirdim"],
    **{"class": "appeal"},
    broken=True,
)

# ---------------------------------------------------------------------------------------------------------------
# 23. Raw 8-bit header bytes: UTF-8 in Subject and From name; windows-1251 in Subject in the second file.

name23 = "Юсупов Бахтиёр"
subject23 = "Pasportim qo‘lga olindi — yordam bering"
text23 = (
    "Ассалому алайкум.\n"
    "Мен Тошкентдан Қозонга ишга борганман. Иш берувчи паспортимни ушлаб турибди, қайтаришни сўрасам, "
    "аввал 50 минг рубль қарзни тўла деяпти.\n"
    "Ҳурмат билан, Юсупов Бахтиёр\n"
    "+998 90 111 00 99\n"
)
add(
    "8bit-headers.eml",
    message(
        [
            ("From", ("%s <bahtiyor.yusupov@example.uz>" % name23).encode("utf-8")),
            ("To", AGENCY),
            ("Subject", subject23.encode("utf-8")),
            ("Date", date("Thu, 20 Nov 2025 19:00:00")),
            ("Message-ID", "<raw8bit.20251120190000@example.uz>"),
            ("MIME-Version", "1.0"),
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Transfer-Encoding", "8bit"),
        ],
        crlf(text23),
    ),
    message_id="raw8bit.20251120190000@example.uz",
    from_address="bahtiyor.yusupov@example.uz",
    from_name=name23,
    subject=subject23,
    text_contains=["Тошкентдан Қозонга ишга борганман", "50 минг рубль қарзни тўла"],
    **{"class": "appeal"},
    signature_phone="+998901110099",
    signature_name="Юсупов Бахтиёр",
    broken=True,
)

subject23b = "Помогите вернуть заработную плату из Москвы"
text23b = (
    "Здравствуйте.\n"
    "Я работал водителем в Москве, компания не заплатила мне за октябрь и ноябрь. "
    "Прошу помочь вернуть заработную плату.\n"
    "Ахмедов Шерзод, +7 (916) 123-45-67\n"
)
add(
    "8bit-headers-1251.eml",
    message(
        [
            ("From", "Sherzod Axmedov <sh.axmedov@example.ru>"),
            ("To", AGENCY),
            ("Subject", subject23b.encode("windows-1251")),
            ("Date", date("Thu, 20 Nov 2025 19:10:00", "+0300")),
            ("Message-ID", "<raw1251.20251120191000@example.ru>"),
            ("MIME-Version", "1.0"),
            ("Content-Type", "text/plain; charset=windows-1251"),
            ("Content-Transfer-Encoding", "8bit"),
        ],
        crlf(text23b, "windows-1251"),
    ),
    message_id="raw1251.20251120191000@example.ru",
    from_address="sh.axmedov@example.ru",
    from_name="Sherzod Axmedov",
    subject=subject23b,
    text_contains=["Я работал водителем в Москве", "за октябрь и ноябрь"],
    **{"class": "appeal"},
    signature_phone="+79161234567",
    signature_name="Ахмедов Шерзод",
    broken=True,
)


# ---------------------------------------------------------------------------------------------------------------


def main():
    names = set()
    for name, data, _ in FIXTURES:
        assert name not in names, name
        names.add(name)
        # Every line ends in CRLF (the truncated message simply stops).
        assert b"\n" not in data.replace(b"\r\n", b""), name
        assert b"\r" not in data.replace(b"\r\n", b""), name
        with open(os.path.join(HERE, name), "wb") as f:
            f.write(data)
    manifest = [entry for _, _, entry in FIXTURES]
    with open(os.path.join(HERE, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, ensure_ascii=False, indent=2)
        f.write("\n")
    print("wrote %d messages and manifest.json" % len(FIXTURES))


if __name__ == "__main__":
    main()
