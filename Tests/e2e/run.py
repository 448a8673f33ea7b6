#!/usr/bin/env python3
"""End-to-end tests of the web UI in a real browser: Debian's chromium, headless, driven by Selenium (PyPI).

The script builds its own installation in a temporary directory: the sample exports of every source and an XSS
corpus (e-mail bodies, encoded-word subjects and sender names, an attachment's name, call cards' names and
summaries) are ingested and routed with the `murojaat` binary, one account per role is added, and `murojaat serve`
runs on a free loopback port. The tests then work as people would: an operator triages with the keyboard, an
executor answers, the control department downloads the daily report, every role walks every page; pasted payloads
never run; a card posted to the webhook shows live on an open triage page. Every page visited is kept as a PNG in
.build/e2e-artifacts/. serve is stopped with SIGTERM at the end and must exit 0.

Run by `make e2e` (part of `make test`); MUROJAAT_BIN names the binary (default .build/debug/murojaat). Exits 1
when anything failed, after printing the tail of serve's log.
"""

import base64
import csv
import glob
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.abspath(os.environ.get("MUROJAAT_BIN", os.path.join(ROOT, ".build/debug/murojaat")))
ARTIFACTS = os.path.join(ROOT, ".build/e2e-artifacts")
PASSWORD = "e2e-parol-2025"
SAMPLES = os.path.join(ROOT, "deploy/samples")
INGEST_NOW = "2025-11-20T18:30:00+05:00"
SERVE_NOW = "2025-12-05T09:00:00+05:00"
TODAY = "2025-12-05"

# Every payload also sets window.__xss, so one that ran is caught even if its alert was swallowed. Each is put in an
# e-mail's body, subject (an RFC 2047 encoded word) and sender name, and in a call card's name and summary.
RUN = "window.__xss=1;alert(1)"
PAYLOADS = [
    f"<script>{RUN}</script>",
    f"<img src=x onerror=\"{RUN}\">",
    f"<svg onload=\"{RUN}\">",
    f"havola: javascript:{RUN}//",  # a would-be link, for a page that turned addresses into links
    f"\"><script>{RUN}</script>",
    f"'><img src=x onerror='{RUN}'>",
    f"</textarea><script>{RUN}</script>",
    f"<a href=\"javascript:{RUN}\">x</a>",
    f"</pre><iframe src=\"javascript:{RUN}\"></iframe>",
    f"<body onload=\"{RUN}\">",
    f"<details open ontoggle=\"{RUN}\">",
    f"<input autofocus onfocus=\"{RUN}\">",
    f"<IMG \"\"\"><SCRIPT>{RUN}</SCRIPT>\">",
    f"<scr<script>ipt>{RUN}</scr</script>ipt>",
    f"<object data=\"javascript:{RUN}\"></object>",
    f"<meta http-equiv=\"refresh\" content=\"0;url=javascript:{RUN}\">",
    f"<math href=\"javascript:{RUN}\">x</math>",
    f"&lt;script&gt;{RUN}&lt;/script&gt;",  # shown as these very characters, not unescaped once more
    "{{#t}}{{{app}}}{{/t}} <style>*{display:none}</style>",  # template syntax stays text
]
# An attachment's file name is shown in the appeal's list of documents.
ATTACHMENT_NAME = f"\"><img src=x onerror=\"{RUN}\">.pdf"
# What the payloads would create if any reached the DOM as markup.
FORBIDDEN_DOM = ", ".join([
    "script:not([src])", "[onerror]", "[onload]", "[ontoggle]", "[onfocus]", "a[href^='javascript:' i]",
    "[src^='javascript:' i]", "[data^='javascript:' i]", "meta[http-equiv]", "svg", "math", "iframe", "object",
    "embed", "details", "main style",
])
ROLES = [  # login, role, department, language
    ("operator", "operator", None, "uz"), ("abroad", "executor", "ABROAD", "uz"),
    ("abroad-head", "head", "ABROAD", "ru"), ("control", "control", None, "uz"), ("admin", "admin", None, "en"),
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def encoded_word(text, kind):
    """RFC 2047 encoded words of `text` (B or Q), folded, as a header value."""
    raw = text.encode("utf-8")
    words = []
    if kind == "B":
        for start in range(0, len(raw), 30):
            words.append("=?UTF-8?B?" + base64.b64encode(raw[start:start + 30]).decode() + "?=")
    else:
        safe = set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!*+-/")
        units = ["_" if b == 0x20 else chr(b) if b in safe else f"={b:02X}" for b in raw]
        chunk = ""
        for unit in units:
            if len(chunk) + len(unit) > 40:
                words.append("=?UTF-8?Q?" + chunk + "?=")
                chunk = ""
            chunk += unit
        if chunk:
            words.append("=?UTF-8?Q?" + chunk + "?=")
    return "\r\n ".join(words)


class World:
    """The installation under test: data directory, accounts, the server process."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="murojaat-e2e-")
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = dict(os.environ, MUROJAAT_DATA_DIR=self.dir, MUROJAAT_RULES_DIR=os.path.join(ROOT, "Rules"),
                        MUROJAAT_LOG_FORMAT="text")
        self.env.pop("MUROJAAT_CONFIG", None)
        self.server = None
        self.log = os.path.join(self.dir, "serve.log")
        self.token = None
        self.appeals = []
        # payload index -> tracking number of its e-mail and of its call card
        self.mail_appeal, self.card_appeal = {}, {}
        self.attachment_appeal = None

    def run(self, *args, now=INGEST_NOW, extra=None):
        env = dict(self.env, MUROJAAT_NOW=now, **(extra or {}))
        done = subprocess.run([BIN, *args], env=env, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"murojaat {' '.join(args)} failed ({done.returncode}): {done.stderr}")
        return done.stdout

    def add_user(self, login, role, department=None, language="uz"):
        args = ["user", "add", login, "--name", f"E2E {login}", "--role", role, "--language", language]
        if department:
            args += ["--department", department]
        self.run(*args, extra={"MUROJAAT_PASSWORD": PASSWORD})

    def xss_corpus(self):
        folder = os.path.join(self.dir, "xss-mail")
        os.makedirs(folder)
        for index, payload in enumerate(PAYLOADS):
            # One sender for all, so each appeal's page also lists the others with their excerpts.
            subject = encoded_word(f"Pasport {payload}", "B" if index % 2 == 0 else "Q")
            sender = encoded_word(payload, "Q" if index % 2 == 0 else "B")
            body = f"Assalomu alaykum. Rossiyada ish haqimni bermayapti. {payload}\nYordam bering. {index}\n"
            message = (
                f"From: {sender} <xss@example.uz>\r\nTo: info@migration.uz\r\n"
                f"Subject: {subject}\r\nMessage-ID: <xss-{index}@example.uz>\r\n"
                f"Date: Thu, 20 Nov 2025 10:{index:02d}:00 +0500\r\nMIME-Version: 1.0\r\n"
                "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + body)
            with open(os.path.join(folder, f"{index:03d}.eml"), "w", encoding="utf-8", newline="") as f:
                f.write(message)
        # An HTML-only message (turned into text on ingest) and one with a payload as an attachment's name.
        html = (f"<html><body><p>Rossiyada pasportimni olib qo'yishdi.</p><a href=\"javascript:{RUN}\">bosing</a>"
                f"<img src=x onerror=\"{RUN}\"><script>{RUN}</script></body></html>")
        attachment = urllib.parse.quote(ATTACHMENT_NAME, safe="")
        extra = {
            "html": ("Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + html),
            "attachment": (
                "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\n"
                "Content-Type: text/plain; charset=utf-8\r\n\r\nRossiyada ish beruvchi pasportimni bermayapti.\r\n"
                f"--b1\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename*=UTF-8''"
                f"{attachment}\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--b1--\r\n"),
        }
        for name, rest in extra.items():
            with open(os.path.join(folder, f"{name}.eml"), "w", encoding="utf-8", newline="") as f:
                f.write(f"From: Test <xss-{name}@example.uz>\r\nTo: info@migration.uz\r\nSubject: {name}\r\n"
                        f"Message-ID: <xss-{name}@example.uz>\r\nDate: Thu, 20 Nov 2025 11:00:00 +0500\r\n"
                        "MIME-Version: 1.0\r\n" + rest)
        cards = os.path.join(self.dir, "xss-cards.csv")
        with open(cards, "w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f, quoting=csv.QUOTE_ALL)
            writer.writerow(["call_id", "started_at", "caller", "caller_name", "language", "summary", "outcome"])
            for index, payload in enumerate(PAYLOADS):
                writer.writerow([f"xss-call-{index}", f"2025-11-20 11:{index:02d}:00", "+998907000077",
                                 payload, "uz", f"Turkiyada pasportim yo'qoldi {payload}", "appeal"])
            # A tie the operator decides, with the rules' suggestion in the row's list (DIGITAL or TRAINING): the
            # shipped samples route all their appeals but the missed calls and an empty call.
            writer.writerow(["e2e-tie-1", "2025-11-20 12:00:00", "+998907000078", "Dilnoza", "uz",
                             "Xorijda ish ilovasida til kurslariga yozilolmayapman", "appeal"])
        return folder, cards

    def start(self):
        self.run("ingest", "calls", os.path.join(SAMPLES, "call-cards-2025-11-20.csv"))
        self.run("ingest", "email", "--channel", "e-xat", os.path.join(SAMPLES, "exat-2025-11-20"))
        self.run("ingest", "reception", os.path.join(SAMPLES, "virtual-reception-2025-11-20.xlsx"))
        self.run("ingest", "cdr", os.path.join(SAMPLES, "cdr-2025-11-20.csv"))
        mail, cards = self.xss_corpus()
        self.run("ingest", "email", "--channel", "e-xat", mail)
        self.run("ingest", "calls", cards)
        self.run("route")
        self.appeals = json.loads(self.run("list", "--json", "--limit", "10000", now=SERVE_NOW))
        for appeal in self.appeals:
            key = appeal.get("source_key") or ""
            if key.startswith("xss-call-"):
                self.card_appeal[int(key.rsplit("-", 1)[1])] = appeal["tracking"]
            elif key.strip("<>").startswith("xss-attachment@"):
                self.attachment_appeal = appeal["tracking"]
            elif key.strip("<>").startswith("xss-") and key.strip("<>").split("@")[0][4:].isdigit():
                self.mail_appeal[int(key.strip("<>").split("@")[0][4:])] = appeal["tracking"]
        missing = [i for i in range(len(PAYLOADS)) if i not in self.mail_appeal or i not in self.card_appeal]
        if missing or not self.attachment_appeal:
            keys = sorted(a.get("source_key") or "" for a in self.appeals)
            raise RuntimeError(f"the XSS corpus was not registered in full (payloads {missing}); keys: {keys}")
        for login, role, department, language in ROLES:
            self.add_user(login, role, department, language)
        self.token = self.run("user", "token", "operator", "--name", "call-centre").strip().splitlines()[-1]
        with open(os.path.join(self.dir, "murojaat.yaml"), "w") as f:
            f.write("route_interval: 1s\nsweep_interval: 1h\ndaily_report: false\n")
        env = dict(self.env, MUROJAAT_NOW=SERVE_NOW, MUROJAAT_HTTP_HOST="127.0.0.1",
                   MUROJAAT_HTTP_PORT=str(self.port))
        with open(self.log, "w") as log:
            self.server = subprocess.Popen([BIN, "serve"], env=env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.server.poll() is not None:
                raise RuntimeError(f"murojaat serve exited with {self.server.returncode}")
            try:
                with urllib.request.urlopen(self.base + "/health", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("murojaat serve did not answer GET /health with 200 within 60 s")

    def tail(self, lines=40):
        try:
            with open(self.log, errors="replace") as f:
                return "".join(f.readlines()[-lines:])
        except OSError:
            return ""

    def stop(self):
        """SIGTERM, as systemd stops it: serve must end cleanly and soon, with open event streams."""
        if self.server is None or self.server.poll() is not None:
            return None if self.server is None else self.server.returncode
        self.server.send_signal(signal.SIGTERM)
        try:
            return self.server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.server.kill()
            self.server.wait()
            return "still running 30 s after SIGTERM (killed)"

    def post_card(self, card):
        request = urllib.request.Request(
            self.base + "/api/v1/appeals", data=json.dumps(card).encode(), method="POST",
            headers={"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                return answer.status, answer.read().decode(errors="replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")


WORLD = None


class Browser(unittest.TestCase):
    """A fresh headless Chromium per test."""

    def setUp(self):
        self.downloads = tempfile.mkdtemp(prefix="murojaat-dl-")
        options = webdriver.ChromeOptions()
        options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
        for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000",
                         "--lang=uz"]:
            options.add_argument(argument)
        options.add_experimental_option("prefs", {
            "download.default_directory": self.downloads, "download.prompt_for_download": False,
        })
        self.driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"),
                                       options=options)
        self.driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": self.downloads})
        self.wait = WebDriverWait(self.driver, 15)

    def tearDown(self):
        self.driver.quit()
        shutil.rmtree(self.downloads, ignore_errors=True)

    # helpers

    def shot(self, name):
        self.driver.save_screenshot(os.path.join(ARTIFACTS, f"{name}.png"))

    def open(self, path):
        """Opens a page; answers the HTTP status of the document as the browser received it."""
        self.driver.get(WORLD.base + path)
        return self.status()

    def status(self):
        return self.driver.execute_script(
            "const n = performance.getEntriesByType('navigation')[0]; return n ? n.responseStatus : null")

    def main_text(self):
        return self.driver.find_element(By.TAG_NAME, "main").text

    def sign_in(self, login, password=PASSWORD):
        self.driver.delete_all_cookies()
        self.open("/login")
        self.driver.find_element(By.NAME, "login").send_keys(login)
        self.driver.find_element(By.NAME, "password").send_keys(password + Keys.ENTER)
        self.wait.until(lambda d: "/login" not in d.current_url,
                        f"signing in as {login} leaves /login (the account exists with password {password})")

    def keys(self, *keys):
        webdriver.ActionChains(self.driver).send_keys(*keys).perform()

    def rows(self):
        return self.driver.find_elements(By.CSS_SELECTOR, "#queue tr.row")

    def current_index(self):
        return [i for i, row in enumerate(self.rows()) if "current" in row.get_attribute("class").split()]

    def move_to(self, index):
        """j/k from the current row to row `index`, checking each step."""
        while self.current_index()[0] != index:
            here = self.current_index()[0]
            self.keys("j" if index > here else "k")
            self.assertEqual(self.current_index(), [here + (1 if index > here else -1)], "j/k move one row")

    def history(self):
        return [[cell.text for cell in row.find_elements(By.TAG_NAME, "td")]
                for row in self.driver.find_elements(By.CSS_SELECTOR, "table.history tbody tr")]

    def fact(self, index):
        return self.driver.find_elements(By.CSS_SELECTOR, "dl.facts dd")[index].text

    def assert_nothing_ran(self, where):
        try:
            alert = self.driver.switch_to.alert
            text = alert.text
            alert.dismiss()
            self.fail(f"{where}: an alert opened ({text!r}); expected none: a payload ran")
        except NoAlertPresentException:
            pass
        self.assertIsNone(self.driver.execute_script("return window.__xss"),
                          f"{where}: window.__xss is set; expected undefined: a payload ran")
        injected = self.driver.execute_script(
            "return Array.from(document.querySelectorAll(arguments[0])).map(e => e.outerHTML.slice(0, 100))",
            FORBIDDEN_DOM)
        self.assertEqual(injected, [], f"{where}: elements a payload would create are in the DOM; expected none")


class OperatorTriagesWithTheKeyboard(Browser):
    def test_operator_assigns_with_one_key_and_an_executor_answers(self):
        self.sign_in("operator")
        self.assertTrue(self.driver.current_url.endswith("/triage"), f"an operator starts on /triage, not "
                        f"{self.driver.current_url}")
        self.shot("operator-triage-keys")
        rows = self.rows()
        self.assertGreaterEqual(len(rows), 2, "the samples leave at least two appeals to triage")
        self.assertEqual(self.current_index(), [0], "the first row is current (class current) when the page opens")
        self.keys("j")
        self.assertEqual(self.current_index(), [1], "j moves the current row down")
        self.keys("k")
        self.assertEqual(self.current_index(), [0], "k moves the current row back up")
        self.keys("k")
        self.assertEqual(self.current_index(), [0], "k on the first row stays there")
        help_box = self.driver.find_element(By.CSS_SELECTOR, ".help")
        self.assertFalse(help_box.is_displayed(), "the key help is hidden until ? is pressed")
        self.keys("?")
        self.assertIn("shown", help_box.get_attribute("class").split(), "? adds class shown to .help")
        self.assertTrue(help_box.is_displayed(), "? shows the key help")
        self.shot("operator-triage-help")
        self.keys("?")
        self.assertNotIn("shown", help_box.get_attribute("class").split(), "? again hides the key help")

        # a on a row the rules had no department for: the row's list takes the focus, nothing is submitted.
        selects = [row.find_element(By.CSS_SELECTOR, "select[name=department]") for row in rows]
        values = [select.get_attribute("value") for select in selects]
        self.assertIn("", values, f"the corpus leaves rows with no suggestion (empty first option): {values}")
        self.assertTrue(any(values), f"the corpus leaves a tie with a suggested department: {values}")
        empty = values.index("")
        self.move_to(empty)
        self.keys("a")
        self.assertEqual(self.driver.switch_to.active_element, selects[empty],
                         "a on a row with no department chosen focuses that row's <select name=department>")
        self.assertTrue(self.driver.current_url.endswith("/triage"), "a with no department submits nothing")
        self.assertEqual(len(self.rows()), len(rows), "a with no department assigns nothing")
        self.keys(Keys.ESCAPE)
        self.assertEqual(self.driver.switch_to.active_element.tag_name, "body", "Escape leaves the list")

        # a on a row with a suggestion: assigned to it with one key, back on /triage without that row.
        chosen = next(i for i, value in enumerate(values) if value)
        row, suggested = rows[chosen], values[chosen]
        tracking = row.find_element(By.CSS_SELECTOR, "td a").text
        self.assertIn(suggested, row.find_elements(By.TAG_NAME, "td")[4].text,
                      "the department chosen in the row's list is one the rules suggested")
        self.move_to(chosen)
        self.keys("a")
        self.wait.until(expected_conditions.staleness_of(row), "a submits the row's form (the page reloads)")
        self.wait.until(lambda d: d.execute_script("return document.readyState") == "complete")
        self.assertTrue(self.driver.current_url.endswith("/triage"),
                        f"after a the operator is back on /triage, not {self.driver.current_url}")
        self.assertNotIn(tracking, [r.find_element(By.CSS_SELECTOR, "td a").text for r in self.rows()],
                         f"{tracking}, assigned, has left the triage queue")
        self.shot("operator-triage-after-a")

        # / focuses the header's search box; typing and Enter searches.
        self.keys("/")
        active = self.driver.switch_to.active_element
        self.assertEqual((active.tag_name, active.get_attribute("type")), ("input", "search"),
                         "/ focuses the header's input[type=search]")
        active.send_keys(tracking + Keys.ENTER)
        self.wait.until(lambda d: f"/appeals/{tracking}" in d.current_url,
                        "searching a tracking number opens its appeal")

        self.assertEqual(self.status(), 200)
        self.shot("operator-appeal-after-triage")
        self.assertTrue(self.fact(2).startswith(suggested),
                        f"the appeal's department is {suggested}, the one assigned; the page says {self.fact(2)!r}")
        self.assertEqual(self.fact(0), "Ijrochiga berildi", "the appeal's status after the operator's assignment, in Uzbek")
        assigned = [row for row in self.history() if row[1] == "user:operator"]
        self.assertTrue(assigned and assigned[-1][2].startswith("Ijrochiga berildi"),
                        f"the history has the assignment with the operator as actor, named in Uzbek: {self.history()}")
        routed = [row for row in self.history() if row[1] == "Tizim: yo‘naltirish"]
        self.assertTrue(routed and routed[0][2].startswith("Saralashga yuborildi") and "routed" not in routed[0][3]
                        and "tie" not in routed[0][3],
                        f"the router's event and its reason read in Uzbek: {self.history()}")

        # An executor of that department finds it in the department queue and answers it.
        executor = "exec-" + suggested.lower()
        if suggested != "ABROAD":
            WORLD.add_user(executor, "executor", suggested)  # written while serve runs: it reads accounts live
        else:
            executor = "abroad"
        self.sign_in(executor)
        self.assertTrue(self.driver.current_url.endswith("/queue"), "an executor starts on /queue")
        self.shot("executor-queue")
        listed = [r.find_element(By.CSS_SELECTOR, "td a").text for r in self.rows()]
        self.assertIn(tracking, listed, f"the department queue of {suggested} lists {tracking}")
        self.driver.find_element(By.LINK_TEXT, tracking).click()
        self.wait.until(lambda d: f"/appeals/{tracking}" in d.current_url)
        starts = self.driver.find_elements(By.CSS_SELECTOR, f"form[action='/appeals/{tracking}/start'] button")
        if starts:
            starts[0].click()
            self.wait.until(lambda d: "done=start" in d.current_url, "the start button records the start")
            self.assertEqual(self.fact(0), "Ko‘rib chiqilmoqda", "status after start")
        answer = "Ish beruvchiga talabnoma yuborildi; javob ilova qilindi."
        form = self.driver.find_element(By.CSS_SELECTOR, f"form[action='/appeals/{tracking}/answer']")
        form.find_element(By.NAME, "text").send_keys(answer)
        form.find_element(By.NAME, "close").click()
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        self.wait.until(lambda d: "done=answer" in d.current_url, "the answer form is accepted")
        self.shot("executor-appeal-answered")
        self.assertIn(self.fact(0), ("Javob berildi", "Yopildi"), "the status shown after answering with close")
        mine = [row for row in self.history() if row[1] == f"user:{executor}"]
        self.assertTrue(any(row[2].startswith("Javob berildi") for row in mine),
                        f"the history has the answer by user:{executor}: {self.history()}")
        self.assertFalse(self.driver.find_elements(By.CSS_SELECTOR, f"form[action='/appeals/{tracking}/answer']"),
                         "a closed appeal offers no answer form")


class ControlDownloadsTheDailyReport(Browser):
    def wait_for_file(self, suffix):
        deadline = time.time() + 20
        while time.time() < deadline:
            done = glob.glob(os.path.join(self.downloads, "*" + suffix))
            if done and not glob.glob(os.path.join(self.downloads, "*.crdownload")):
                return done[0]
            time.sleep(0.2)
        self.fail(f"a {suffix} file was expected in the download folder; it holds {os.listdir(self.downloads)}")

    def test_dashboard_and_report_downloads(self):
        import openpyxl

        self.sign_in("control")
        self.assertEqual(self.open("/control"), 200, "GET /control as control")
        self.shot("control-dashboard")
        self.assert_nothing_ran("/control")
        bars = self.driver.find_elements(By.CSS_SELECTOR, "#departments meter")
        self.assertGreaterEqual(len(bars), 16, "a bar for each of the 16 departments of org.yaml")
        self.assertTrue(self.driver.find_elements(By.CSS_SELECTOR, "#escalations tbody tr"),
                        "the rehearsed morning has escalations")
        dashboard = {}
        for row in self.driver.find_elements(By.CSS_SELECTOR, "#departments tbody tr"):
            cells = [cell.text for cell in row.find_elements(By.TAG_NAME, "td")]
            dashboard[cells[0].split(" ")[0]] = cells

        link = self.driver.find_element(By.CSS_SELECTOR, "a#report-xlsx")
        self.assertTrue(link.get_attribute("href").endswith(f"/reports/daily?date={TODAY}&format=xlsx"),
                        f"a#report-xlsx links today's workbook: {link.get_attribute('href')}")
        link.click()
        path = self.wait_for_file(".xlsx")
        self.assertEqual(os.path.basename(path), f"murojaat-daily-{TODAY}.xlsx")
        book = openpyxl.load_workbook(path)
        sheet = book.worksheets[0]
        self.assertEqual(sheet.title, "Bo'limlar", f"the first sheet is the departments (uz): {book.sheetnames}")
        lines = {row[1]: row for row in sheet.iter_rows(min_row=3, values_only=True) if row[1]}
        self.assertIn("ABROAD", lines, f"the departments sheet has a row per code: {sorted(lines)}")
        figures = lines["ABROAD"][2:11]
        self.assertTrue(all(isinstance(v, (int, float)) for v in figures), f"figures are numbers: {figures}")
        self.assertGreater(figures[0], 0, "ABROAD has open appeals (the corpus' mails went there)")
        # The workbook and the dashboard read the same report: open is column C / the 5th cell, overdue G / 2nd.
        shown = dashboard.get("ABROAD")
        self.assertIsNotNone(shown, f"the dashboard has a row for ABROAD: {sorted(dashboard)}")
        self.assertEqual((int(figures[0]), int(figures[4])), (int(shown[4]), int(shown[1])),
                         "ABROAD's open and overdue in the workbook equal the dashboard's")

        form = self.driver.find_element(By.CSS_SELECTOR, "form#report-form")
        self.assertEqual((form.get_attribute("method"), form.get_attribute("action")),
                         ("get", WORLD.base + "/reports/daily"), "the report form is GET /reports/daily")
        formats = [o.get_attribute("value") for o in Select(form.find_element(By.NAME, "format")).options]
        self.assertEqual(sorted(formats), ["csv", "html", "xlsx"], "the format list offers html, xlsx and csv")
        date = form.find_element(By.NAME, "date")
        self.driver.execute_script("arguments[0].value = '2025-12-04'", date)
        Select(form.find_element(By.NAME, "format")).select_by_value("csv")
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        path = self.wait_for_file(".csv")
        self.assertEqual(os.path.basename(path), "murojaat-daily-2025-12-04.csv", "the CSV of the date asked")
        with open(path, encoding="utf-8-sig") as f:
            lines = f.read().splitlines()
        self.assertTrue(any(line.startswith("2025-12-04,ABROAD,") for line in lines),
                        f"a line for ABROAD on 2025-12-04: {lines[:3]}")

        # The same report as HTML opens as a page, under its own strict CSP; the other roles get 403.
        self.assertEqual(self.open(f"/reports/daily?date={TODAY}&format=html"), 200)
        self.shot("control-report-html")
        self.assert_nothing_ran("the HTML report")
        self.assertIn("05.12.2025", self.driver.title, "the HTML report's title names its date")
        report = {cells[0]: cells[1:] for cells in (
            [cell.text for cell in row.find_elements(By.TAG_NAME, "td")]
            for row in self.driver.find_elements(By.CSS_SELECTOR, "table:first-of-type tbody tr"))}
        name = next((n for n in report if n.startswith("Xorijdagi fuqarolarimizga")), None)
        self.assertIsNotNone(name, f"the HTML report has ABROAD's row, by its Uzbek name: {sorted(report)}")
        self.assertEqual(int(report[name][0]), int(figures[0]), "ABROAD's open figure in HTML equals the XLSX")


class PayloadsNeverRun(Browser):
    def check_appeal(self, tracking, must_show, where):
        self.assertEqual(self.open(f"/appeals/{tracking}"), 200, f"{where}: GET /appeals/{tracking}")
        self.assert_nothing_ran(f"{where} /appeals/{tracking}")
        text = self.main_text()
        for label, value in must_show:
            self.assertIn(value, text, f"{where} /appeals/{tracking}: the {label} is shown as literal text")

    def test_xss_corpus_in_every_page_that_shows_it(self):
        for login in ("operator", "control"):
            self.sign_in(login)
            for path in ["/triage", "/queue", "/queue?department=ABROAD", "/search?q=script",
                         "/search?q=alert", "/search?q=xss%40example.uz", "/search?q=%2B998907000077",
                         "/control"]:
                status = self.open(path)
                if status == 403 and path == "/control" and login == "operator":
                    continue
                self.assertEqual(status, 200, f"{login}: GET {path}")
                self.assert_nothing_ran(f"{login} {path}")
                self.shot(f"xss-{login}-" + path.strip("/").replace("/", "-").replace("?", "-")[:40])
            self.open("/search?q=script")
            self.assertTrue(self.rows(), "/search?q=script finds the appeals carrying <script>")
            self.open("/search?q=xss%40example.uz")
            found = {r.find_element(By.CSS_SELECTOR, "td a").text for r in self.rows()}
            self.assertEqual(found, set(WORLD.mail_appeal.values()),
                             "searching the corpus' e-mail address finds exactly its e-mails")
            for index, payload in enumerate(PAYLOADS):
                self.check_appeal(WORLD.mail_appeal[index], [
                    ("text", payload), ("subject", f"Pasport {payload}"), ("sender's name", payload)],
                    f"{login} payload {index}")
                self.check_appeal(WORLD.card_appeal[index], [
                    ("summary", f"Turkiyada pasportim yo'qoldi {payload}"), ("caller's name", payload)],
                    f"{login} payload {index}")
            self.check_appeal(WORLD.attachment_appeal, [("attachment's name", ATTACHMENT_NAME)], login)
            self.shot(f"xss-{login}-attachment")
        self.shot("xss-appeal")

    def test_input_is_echoed_escaped(self):
        # A failed sign-in shows the login typed; the search box shows the words searched.
        payload = PAYLOADS[4]
        self.open("/login?next=" + urllib.parse.quote(payload))
        self.assert_nothing_ran("/login?next=payload")
        self.driver.find_element(By.NAME, "login").send_keys(payload)
        self.driver.find_element(By.NAME, "password").send_keys("wrong" + Keys.ENTER)
        self.wait.until(lambda d: d.execute_script("return document.readyState") == "complete")
        self.shot("login-failed")
        self.assert_nothing_ran("a failed sign-in")
        self.assertEqual(self.driver.find_element(By.NAME, "login").get_attribute("value"), payload,
                         "the login typed comes back as the field's value, whole")
        self.assertTrue(self.driver.find_elements(By.CSS_SELECTOR, ".flash.error"), "the refusal is shown")
        self.sign_in("operator")
        for payload in (PAYLOADS[4], PAYLOADS[5], PAYLOADS[1]):
            self.open("/search?q=" + urllib.parse.quote(payload))
            self.assert_nothing_ran("/search?q=" + payload)
            self.assertEqual(self.driver.find_element(By.CSS_SELECTOR, "header input[type=search]")
                             .get_attribute("value"), payload, "the search box keeps the words searched, whole")

    def test_rules_page_explains_a_pasted_text(self):
        self.sign_in("operator")
        self.assertEqual(self.open("/rules"), 200, "GET /rules")
        text = "Rossiyada ish beruvchi pasportimni olib qo'ydi, qaytarmayapti. " + PAYLOADS[6]
        expected = json.loads(WORLD.run("explain", text, "--json"))
        box = self.driver.find_element(By.CSS_SELECTOR, "textarea[name=text]")
        box.send_keys(text)
        box.find_element(By.XPATH, "ancestor::form").find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        decision = self.wait.until(lambda d: d.find_element(By.CSS_SELECTOR, "section#decision"),
                                   "POST /rules shows section#decision")
        self.shot("rules-decision")
        self.assert_nothing_ran("/rules with a payload")
        self.assertEqual(expected["department"], "ABROAD", "the CLI routes a passport kept abroad to ABROAD")
        self.assertIn("ABROAD", decision.text, "the decision names the department code")
        marked = [m.text for m in decision.find_elements(By.TAG_NAME, "mark")]
        words = [w["text"] for rule in expected["rules"] for w in rule["words"]]
        self.assertIn("pasportimni", marked, f"the matched word is marked: {marked}")
        self.assertEqual(sorted(set(marked)), sorted(set(words)), "the page marks the words `murojaat explain` gives")
        self.assertEqual(self.driver.find_element(By.CSS_SELECTOR, "textarea[name=text]").get_attribute("value"),
                         text, "the text pasted comes back in the textarea, whole (the </textarea> stays text)")


class EveryRoleEveryPage(Browser):
    """Each role's view of each page, as a screenshot; who may see what, as README.md and Access.swift say."""

    def test_pages_by_role(self):
        abroad = next(a["tracking"] for a in WORLD.appeals if a["department"] == "ABROAD")
        other = next(a["tracking"] for a in WORLD.appeals
                     if a["department"] not in (None, "ABROAD") and "ABROAD" not in a["co_executors"])
        self.open("/login")
        self.shot("login")
        self.assertEqual(self.open("/triage"), 200)
        self.assertIn("/login", self.driver.current_url, "a page asked for without a session leads to /login")
        everyone = {"queue": 200, "appeal": 200, "rules": 200, "search": 200, "not-found": 404}
        expected = {
            "operator": dict(everyone, triage=200, other=200, control=403, report=403, staff=403),
            "abroad": dict(everyone, triage=403, other=404, control=403, report=403, staff=403),
            "abroad-head": dict(everyone, triage=403, other=404, control=403, report=403, staff=403),
            "control": dict(everyone, triage=200, other=200, control=200, report=200, staff=403),
            "admin": dict(everyone, triage=200, other=200, control=200, report=200, staff=200),
        }
        pages = {
            "triage": "/triage", "queue": "/queue", "appeal": f"/appeals/{abroad}", "other": f"/appeals/{other}",
            "control": "/control", "report": f"/reports/daily?date={TODAY}&format=html", "rules": "/rules",
            "search": "/search?q=pasport", "not-found": "/appeals/AAAA-AAAA", "staff": "/staff",
            "account": "/account",
        }
        for statuses in expected.values():
            statuses["account"] = 200
        languages = {login: language for login, _, _, language in ROLES}
        searches = {}
        for login, statuses in expected.items():
            self.sign_in(login)
            for name, path in pages.items():
                with self.subTest(login=login, page=name):
                    status = self.open(path)
                    self.shot(f"{login}-{name}")
                    self.assertEqual(status, statuses[name], f"{login}: GET {path}")
                    if name != "report":
                        self.assertEqual(self.driver.execute_script("return document.documentElement.lang"),
                                         languages[login], f"{login}'s pages are in the account's language")
                        links = {a.get_attribute("pathname") for a in
                                 self.driver.find_elements(By.CSS_SELECTOR, "header nav a")}
                        self.assertEqual("/control" in links, statuses["control"] == 200,
                                         f"{login}: the header links /control only for who may open it")
                        self.assertEqual("/triage" in links, statuses["triage"] == 200,
                                         f"{login}: the header links /triage only for who may open it")
                        self.assertEqual("/staff" in links, statuses["staff"] == 200,
                                         f"{login}: the header links /staff only for who may open it")
                    if name == "search":
                        searches[login] = [[c.text for c in r.find_elements(By.TAG_NAME, "td")] for r in self.rows()]
            with self.subTest(login=login, page="search-tracking"):
                self.open(f"/search?q={other}")
                opened = self.driver.current_url.endswith(f"/appeals/{other}")
                self.assertEqual(opened, statuses["other"] == 200,
                                 f"{login}: a tracking number searched opens the appeal only for who may see it")
        for login in ("abroad", "abroad-head"):
            with self.subTest(login=login, page="search-department"):
                self.assertTrue(searches[login], f"{login} finds ABROAD's appeals about a passport")
                self.assertEqual({row[3] for row in searches[login]}, {"ABROAD"},
                                 f"{login} finds only appeals of the own department")
                self.assertLessEqual(len(searches[login]), len(searches["control"]))


class StaffPages(Browser):
    """An administrator adds an account in the browser; its owner signs in and changes the password."""

    def test_an_account_added_on_the_page_signs_in_and_changes_its_password(self):
        self.sign_in("admin")
        self.assertEqual(self.open("/staff"), 200)
        form = self.driver.find_element(By.ID, "add-account")
        form.find_element(By.NAME, "login").send_keys("e2e-newcomer")
        form.find_element(By.NAME, "name").send_keys("Yangi Xodim")
        Select(form.find_element(By.NAME, "role")).select_by_value("executor")
        Select(form.find_element(By.NAME, "department")).select_by_value("LEGAL")
        Select(form.find_element(By.NAME, "language")).select_by_value("ru")
        form.find_element(By.NAME, "password").send_keys("e2e-first-password")
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        self.wait.until(lambda d: "done=added" in d.current_url, "adding an account returns to /staff")
        self.assertEqual(self.driver.find_element(By.CSS_SELECTOR, ".flash.ok").text, "Account added")
        row = [c.text for c in self.driver.find_elements(By.XPATH, "//tr[td/a[text()='e2e-newcomer']]/td")]
        self.assertEqual(row[:5], ["e2e-newcomer", "Yangi Xodim", "Executor", "LEGAL", "ru"], row)
        self.shot("admin-staff-added")

        self.sign_in("e2e-newcomer", "e2e-first-password")
        self.assertEqual(self.driver.execute_script("return document.documentElement.lang"), "ru")
        self.driver.find_element(By.CSS_SELECTOR, "header a.who").click()
        self.wait.until(lambda d: d.current_url.endswith("/account"), "the name in the header opens /account")
        form = self.driver.find_element(By.ID, "own-password")
        form.find_element(By.NAME, "current").send_keys("e2e-first-password")
        form.find_element(By.NAME, "password").send_keys("e2e-second-password")
        form.find_element(By.NAME, "again").send_keys("e2e-second-password")
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        self.wait.until(lambda d: "done=password" in d.current_url, "the change returns to /account")
        self.assertIn("Пароль изменён", self.driver.find_element(By.CSS_SELECTOR, ".flash.ok").text)
        self.assertEqual(self.open("/queue"), 200, "still signed in after the change")
        self.shot("newcomer-account")
        self.sign_in("e2e-newcomer", "e2e-second-password")


class QuarantinePage(Browser):
    def test_an_operator_opens_the_quarantine(self):
        self.sign_in("operator")
        self.assertEqual(self.open("/quarantine"), 200, "GET /quarantine as the operator")
        heading = self.driver.find_element(By.TAG_NAME, "h1").text
        self.assertTrue(heading.startswith("Karantin"), f"the quarantine page's heading, in Uzbek: {heading!r}")
        self.shot("operator-quarantine")
        self.assert_nothing_ran("/quarantine")


class LiveUpdates(Browser):
    def test_a_webhook_card_shows_on_an_open_triage_page(self):
        self.sign_in("operator")
        self.assertEqual(self.open("/triage"), 200)
        live = self.driver.find_element(By.ID, "live")
        self.assertFalse(live.is_displayed(), "#live is hidden when the page opens")
        title = self.driver.title
        card = {"call_id": "e2e-live-1", "started_at": "2025-12-05 09:01:00", "caller": "90 555 12 34",
                "caller_name": "Jonli Sinov", "language": "uz", "line": "1282",
                "summary": "Salom, menga yordam kerak, iltimos", "outcome": "appeal"}
        status, answer = WORLD.post_card(card)
        self.assertEqual(status, 202, f"POST /api/v1/appeals takes a new card with 202: {answer}")
        self.assertEqual(json.loads(answer).get("accepted"), 1, answer)
        WebDriverWait(self.driver, 10).until(
            lambda d: d.find_element(By.ID, "live").is_displayed(),
            "within 10 s of the webhook, #live on the open /triage page becomes visible")
        text = self.driver.find_element(By.ID, "live").text
        self.assertRegex(text, r"\b1\b", f"#live counts one new appeal: {text!r}")
        self.assertEqual(self.driver.find_element(By.CSS_SELECTOR, "#live .count").text, "1")
        self.assertEqual(self.driver.title, "(1) " + title, "the tab's title counts it too")
        self.shot("operator-triage-live")
        self.driver.find_element(By.CSS_SELECTOR, "#live a").click()
        self.wait.until(lambda d: "Jonli Sinov" in d.page_source or "Salom, menga yordam" in d.page_source,
                        "following #live's link shows the new appeal in the triage queue")
        status, answer = WORLD.post_card(dict(card, summary="again"))
        self.assertEqual(status, 200, f"the same call_id again is one appeal: {answer}")
        self.assertEqual(json.loads(answer).get("duplicates"), 1, answer)
        status, answer = WORLD.post_card({"started_at": "2025-12-05 09:02:00", "summary": "no call_id"})
        self.assertEqual(status, 422, f"a card without call_id is refused with 422 and the reason: {answer}")


def main():
    global WORLD
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    os.makedirs(ARTIFACTS)
    if not os.access(BIN, os.X_OK):
        print(f"no murojaat binary at {BIN} (set MUROJAAT_BIN)", file=sys.stderr)
        return 1
    started = time.time()
    WORLD = World()
    try:
        WORLD.start()
    except Exception as error:  # noqa: BLE001 - any failure to set up is reported with serve's log
        print(f"setting up failed: {error}\n--- murojaat serve, last lines:\n{WORLD.tail()}", file=sys.stderr)
        WORLD.stop()
        return 1
    print(f"murojaat serve on {WORLD.base}, data in {WORLD.dir} ({time.time() - started:.1f} s to set up)")
    try:
        suite = unittest.defaultTestLoader.loadTestsFromModule(sys.modules[__name__])
        result = unittest.TextTestRunner(verbosity=2).run(suite)
    finally:
        code = WORLD.stop()
    ok = result.wasSuccessful()
    if code != 0:
        print(f"FAIL: murojaat serve exited with {code} after SIGTERM; expected 0", file=sys.stderr)
        ok = False
    if not ok:
        print(f"--- murojaat serve, last lines ({WORLD.log}):\n{WORLD.tail()}", file=sys.stderr)
    else:
        shutil.rmtree(WORLD.dir, ignore_errors=True)
    print(f"screenshots ({ARTIFACTS}):")
    for name in sorted(os.listdir(ARTIFACTS)):
        print("  " + os.path.join(ARTIFACTS, name))
    print(f"{'passed' if ok else 'FAILED'} in {time.time() - started:.0f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
