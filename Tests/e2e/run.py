#!/usr/bin/env python3
"""End-to-end tests of the web UI in a real browser: Debian's chromium, headless, driven by Selenium (PyPI).

The script builds its own installation in a temporary directory: the sample exports of every source and an XSS
corpus are ingested and routed with the `murojaat` binary, one account per role is added, and `murojaat serve` runs
on a free loopback port. The tests then work as people would: an operator triages with the keyboard, an executor
answers, the control department downloads the daily report; pasted payloads never run; new appeals show live.
Every page visited is kept as a PNG in .build/e2e-artifacts/.

Run by `make e2e` (part of `make test`); MUROJAAT_BIN names the binary (default .build/debug/murojaat).
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
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.abspath(os.environ.get("MUROJAAT_BIN", os.path.join(ROOT, ".build/debug/murojaat")))
ARTIFACTS = os.path.join(ROOT, ".build/e2e-artifacts")
PASSWORD = "e2e-parol-2025"
SAMPLES = os.path.join(ROOT, "deploy/samples")

# Each payload also sets window.__xss, so a payload that ran is caught even if its alert was swallowed.
PAYLOADS = [
    "<script>window.__xss=1;alert(1)</script>",
    "<img src=x onerror=\"window.__xss=1;alert(1)\">",
    "<svg onload=\"window.__xss=1;alert(1)\">",
    "\"><script>window.__xss=1;alert(1)</script>",
    "</textarea><script>window.__xss=1;alert(1)</script>",
    "</pre><a href=\"javascript:window.__xss=1;alert(1)\">bosing</a>",
    "<iframe src=\"javascript:window.__xss=1;alert(1)\"></iframe>",
    "<body onload=window.__xss=1>",
    "<details open ontoggle=\"window.__xss=1;alert(1)\">",
    "{{#t}}{{{app}}}{{/t}} <style>*{display:none}</style>",
]
FORBIDDEN_DOM = (
    "script:not([src]), [onerror], [onload], [ontoggle], a[href^='javascript:'], svg, iframe, details, style"
)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class World:
    """The installation under test: data directory, accounts, the server process."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="murojaat-e2e-")
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = dict(os.environ, MUROJAAT_DATA_DIR=self.dir, MUROJAAT_RULES_DIR=os.path.join(ROOT, "Rules"),
                        MUROJAAT_LOG_FORMAT="text")
        self.server = None
        self.log = os.path.join(self.dir, "serve.log")

    def run(self, *args, now="2025-11-20T18:30:00+05:00", extra=None):
        env = dict(self.env, MUROJAAT_NOW=now, **(extra or {}))
        done = subprocess.run([BIN, *args], env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"murojaat {' '.join(args)} failed ({done.returncode}): {done.stderr}")
        return done.stdout

    def xss_corpus(self):
        folder = os.path.join(self.dir, "xss-mail")
        os.makedirs(folder)
        for index, payload in enumerate(PAYLOADS):
            encoded = base64.b64encode(f"Pasport {payload}".encode()).decode()
            name = payload.replace("\"", "'")[:60]
            body = f"Assalomu alaykum. Rossiyada ish haqimni bermayapti. {payload}\nYordam bering. {index}\n"
            message = (
                f"From: \"{name}\" <xss{index}@example.uz>\r\nTo: info@migration.uz\r\n"
                f"Subject: =?utf-8?B?{encoded}?=\r\nMessage-ID: <xss-{index}@example.uz>\r\n"
                f"Date: Thu, 20 Nov 2025 10:{index:02d}:00 +0500\r\nMIME-Version: 1.0\r\n"
                "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + body)
            with open(os.path.join(folder, f"{index:03d}.eml"), "w", encoding="utf-8", newline="") as f:
                f.write(message)
        cards = os.path.join(self.dir, "xss-cards.csv")
        with open(cards, "w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["call_id", "started_at", "caller", "caller_name", "language", "summary", "outcome"])
            for index, payload in enumerate(PAYLOADS):
                writer.writerow([f"xss-call-{index}", f"2025-11-20 11:{index:02d}:00", f"+99890700{index:04d}",
                                 payload, "uz", f"Turkiyada pasportim yo'qoldi {payload}", "appeal"])
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
        for login, role, department, language in [
            ("operator", "operator", None, "uz"), ("abroad", "executor", "ABROAD", "uz"),
            ("abroad-head", "head", "ABROAD", "ru"), ("control", "control", None, "uz"),
        ]:
            args = ["user", "add", login, "--name", f"E2E {login}", "--role", role, "--language", language]
            if department:
                args += ["--department", department]
            self.run(*args, extra={"MUROJAAT_PASSWORD": PASSWORD})
        self.token = self.run("user", "token", "operator", "--name", "call-centre").strip().splitlines()[-1]
        with open(os.path.join(self.dir, "murojaat.yaml"), "w") as f:
            f.write("route_interval: 1s\nsweep_interval: 1h\ndaily_report: false\n")
        env = dict(self.env, MUROJAAT_NOW="2025-12-05T09:00:00+05:00", MUROJAAT_HTTP_HOST="127.0.0.1",
                   MUROJAAT_HTTP_PORT=str(self.port))
        with open(self.log, "w") as log:
            self.server = subprocess.Popen([BIN, "serve"], env=env, stdout=subprocess.DEVNULL, stderr=log)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(self.base + "/health", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("murojaat serve did not answer /health:\n" + self.tail())

    def tail(self):
        try:
            with open(self.log) as f:
                return "".join(f.readlines()[-30:])
        except OSError:
            return ""

    def stop(self):
        """SIGTERM, as systemd stops it: serve must end cleanly and soon, with open event streams."""
        if self.server is None:
            return 0
        self.server.send_signal(signal.SIGTERM)
        try:
            return self.server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.server.kill()
            return -9

    def post_card(self, card):
        request = urllib.request.Request(
            self.base + "/api/v1/appeals", data=json.dumps(card).encode(), method="POST",
            headers={"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.loads(answer.read())


WORLD = None


def setUpModule():
    global WORLD
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    os.makedirs(ARTIFACTS)
    WORLD = World()
    WORLD.start()


def tearDownModule():
    code = WORLD.stop()
    if code != 0:
        print(WORLD.tail(), file=sys.stderr)
        raise AssertionError(f"murojaat serve exited with {code} after SIGTERM")
    shutil.rmtree(WORLD.dir, ignore_errors=True)


class Browser(unittest.TestCase):
    """A fresh headless Chromium per test, signed in as one person."""

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
        self.driver.get(WORLD.base + path)

    def sign_in(self, login):
        self.open("/login")
        self.shot("login")
        self.driver.find_element(By.NAME, "login").send_keys(login)
        self.driver.find_element(By.NAME, "password").send_keys(PASSWORD + Keys.ENTER)
        self.wait.until(lambda d: "/login" not in d.current_url)

    def keys(self, *keys):
        webdriver.ActionChains(self.driver).send_keys(*keys).perform()

    def current_index(self):
        rows = self.driver.find_elements(By.CSS_SELECTOR, "#queue tr.row")
        return [i for i, row in enumerate(rows) if "current" in row.get_attribute("class").split()]

    def assert_nothing_ran(self, where):
        try:
            alert = self.driver.switch_to.alert
            text = alert.text
            alert.dismiss()
            self.fail(f"{where}: an alert opened: {text!r}")
        except NoAlertPresentException:
            pass
        self.assertIsNone(self.driver.execute_script("return window.__xss"), f"{where}: a payload ran")
        injected = self.driver.execute_script(
            "return Array.from(document.querySelectorAll(arguments[0])).map(e => e.outerHTML.slice(0, 80))",
            FORBIDDEN_DOM)
        self.assertEqual(injected, [], f"{where}: elements a payload would create are in the page")


class OperatorTriagesWithTheKeyboard(Browser):
    def test_operator_assigns_with_one_key_and_an_executor_answers(self):
        self.sign_in("operator")
        self.open("/triage")
        self.shot("triage")
        rows = self.driver.find_elements(By.CSS_SELECTOR, "#queue tr.row")
        self.assertGreaterEqual(len(rows), 2, "the samples leave at least two appeals to triage")
        self.assertEqual(self.current_index(), [0], "the first row is selected when the page opens")
        self.keys("j")
        self.assertEqual(self.current_index(), [1], "j moves down")
        self.keys("k")
        self.assertEqual(self.current_index(), [0], "k moves up")
        self.keys("?")
        self.assertIn("shown", self.driver.find_element(By.CSS_SELECTOR, ".help").get_attribute("class"))
        self.keys("/")
        self.assertEqual(self.driver.switch_to.active_element.get_attribute("name"), "q", "/ focuses the search")
        self.keys(Keys.ESCAPE)

        first = rows[0]
        tracking = first.find_element(By.CSS_SELECTOR, "td a").text
        Select(first.find_element(By.CSS_SELECTOR, "select[name=department]")).select_by_value("ABROAD")
        self.driver.execute_script("document.activeElement.blur()")
        self.keys("a")
        self.wait.until(lambda d: tracking not in d.find_element(By.TAG_NAME, "main").text)
        self.assertTrue(self.driver.current_url.endswith("/triage"), self.driver.current_url)

        self.open(f"/appeals/{tracking}")
        self.shot("appeal-after-triage")
        page = self.driver.find_element(By.TAG_NAME, "main").text
        self.assertIn("ABROAD", page, "the appeal names its department's code")
        history = self.driver.find_element(By.CSS_SELECTOR, "table.history").text
        self.assertIn("operator", history, "the assignment names the operator")

        # The executor of ABROAD finds it in the department queue and answers it.
        self.driver.delete_all_cookies()
        self.sign_in("abroad")
        self.open("/queue")
        self.shot("queue")
        self.assertIn(tracking, self.driver.find_element(By.ID, "queue").text)
        self.driver.find_element(By.LINK_TEXT, tracking).click()
        starts = self.driver.find_elements(By.CSS_SELECTOR, f"form[action='/appeals/{tracking}/start'] button")
        if starts:
            starts[0].click()
            self.wait.until(lambda d: "done=start" in d.current_url)
        form = self.driver.find_element(By.CSS_SELECTOR, f"form[action='/appeals/{tracking}/answer']")
        form.find_element(By.NAME, "text").send_keys("Ish beruvchiga talabnoma yuborildi; javob ilova qilindi.")
        form.find_element(By.NAME, "close").click()
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        self.wait.until(lambda d: "done=answer" in d.current_url)
        self.shot("appeal-answered")
        facts = self.driver.find_element(By.CSS_SELECTOR, "dl.facts").text
        self.assertRegex(facts, r"answered|closed")
        self.assertIn("abroad", self.driver.find_element(By.CSS_SELECTOR, "table.history").text)


class ControlDownloadsTheDailyReport(Browser):
    def wait_for_file(self, suffix):
        deadline = time.time() + 20
        while time.time() < deadline:
            done = [f for f in glob.glob(os.path.join(self.downloads, "*" + suffix))]
            if done and not glob.glob(os.path.join(self.downloads, "*.crdownload")):
                return done[0]
            time.sleep(0.2)
        self.fail(f"no {suffix} file was downloaded: {os.listdir(self.downloads)}")

    def test_dashboard_and_report_downloads(self):
        self.sign_in("control")
        self.open("/control")
        self.shot("control")
        bars = self.driver.find_elements(By.CSS_SELECTOR, "#departments meter")
        self.assertGreaterEqual(len(bars), 16, "a bar for every department")
        self.assertTrue(self.driver.find_elements(By.CSS_SELECTOR, "#escalations tbody tr"),
                        "the demo morning has escalations")
        link = self.driver.find_element(By.ID, "report-xlsx")
        self.assertTrue(link.get_attribute("href").endswith("/reports/daily?date=2025-12-05&format=xlsx"))
        link.click()
        path = self.wait_for_file(".xlsx")
        import openpyxl
        book = openpyxl.load_workbook(path)
        cells = [str(c.value) for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value]
        self.assertIn("ABROAD", cells, "the workbook lists the departments by code")
        self.assertTrue(any(c.isdigit() and int(c) > 0 for c in cells), "the workbook holds figures")

        form = self.driver.find_element(By.ID, "report-form")
        date = form.find_element(By.NAME, "date")
        self.driver.execute_script("arguments[0].value = '2025-12-04'", date)
        Select(form.find_element(By.NAME, "format")).select_by_value("csv")
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        path = self.wait_for_file(".csv")
        self.assertIn("2025-12-04", os.path.basename(path))
        with open(path, encoding="utf-8-sig") as f:
            lines = f.read().splitlines()
        self.assertTrue(any(line.startswith("2025-12-04,ABROAD,") for line in lines), lines[:3])


class PayloadsNeverRun(Browser):
    def test_xss_corpus_in_every_page_that_shows_it(self):
        self.sign_in("control")
        for path, name in [("/triage", "xss-triage"), ("/queue", "xss-queue"), ("/search?q=pasport", "search"),
                           ("/search?q=%3Cscript%3E", "xss-search")]:
            self.open(path)
            self.shot(name)
            self.assert_nothing_ran(path)
        found = self.driver.find_elements(By.CSS_SELECTOR, "#queue tr.row td a")
        self.open("/search?q=alert")
        numbers = [a.text for a in self.driver.find_elements(By.CSS_SELECTOR, "#queue tr.row td a")]
        self.assertGreaterEqual(len(numbers), len(PAYLOADS), "every payload appeal is found by search")
        shown = 0
        for tracking in numbers:
            self.open(f"/appeals/{tracking}")
            self.assert_nothing_ran(tracking)
            text = self.driver.find_element(By.TAG_NAME, "main").text
            shown += sum(1 for payload in PAYLOADS if payload in text)
        self.shot("xss-appeal")
        # The payloads are shown as the text they are, not dropped: each in its mail and its call card.
        self.assertGreaterEqual(shown, len(PAYLOADS), "the payloads are visible as literal text")
        del found

    def test_rules_page_explains_a_pasted_text(self):
        self.sign_in("operator")
        self.open("/rules")
        box = self.driver.find_element(By.NAME, "text")
        box.send_keys("Rossiyada ish beruvchi ish haqimni bermayapti " + PAYLOADS[0])
        box.find_element(By.XPATH, "ancestor::form").find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        decision = self.wait.until(lambda d: d.find_element(By.ID, "decision"))
        self.shot("rules")
        self.assertIn("ABROAD", decision.text)
        self.assertTrue(decision.find_elements(By.TAG_NAME, "mark"), "the matched words are marked")
        self.assert_nothing_ran("/rules")


class LiveUpdatesAndErrors(Browser):
    def test_a_webhook_card_shows_on_an_open_triage_page(self):
        self.sign_in("operator")
        self.open("/triage")
        live = self.driver.find_element(By.ID, "live")
        self.assertFalse(live.is_displayed(), "nothing new when the page opens")
        status, answer = WORLD.post_card({
            "call_id": "e2e-live-1", "started_at": "2025-12-05 09:01:00", "caller": "90 555 12 34",
            "caller_name": "Jonli Sinov", "language": "uz", "summary": "Salom, menga yordam kerak, iltimos"})
        self.assertEqual((status, answer["accepted"]), (202, 1), answer)
        WebDriverWait(self.driver, 30).until(lambda d: d.find_element(By.ID, "live").is_displayed())
        self.assertEqual(self.driver.find_element(By.CSS_SELECTOR, "#live .count").text, "1")
        self.shot("triage-live")
        status, answer = WORLD.post_card({
            "call_id": "e2e-live-1", "started_at": "2025-12-05 09:01:00", "summary": "again"})
        self.assertEqual((status, answer["duplicates"]), (200, 1), "the same call_id is one appeal")

    def test_error_pages(self):
        self.sign_in("abroad")
        self.open("/appeals/AAAA-AAAA")
        self.shot("not-found")
        self.assertIn("404", self.driver.title)
        self.open("/control")
        self.shot("forbidden")
        self.assertIn("403", self.driver.title)


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=2).result
    print(f"screenshots: {ARTIFACTS}")
    for name in sorted(os.listdir(ARTIFACTS)) if os.path.isdir(ARTIFACTS) else []:
        print("  " + os.path.join(ARTIFACTS, name))
    sys.exit(0 if result.wasSuccessful() else 1)
