# Two commands for a new user: `make demo` and `make test`. Both install what is missing first.
# Every target runs from the repository root; nothing is written outside it except Debian packages.

SWIFT        ?= swift
# The Swift driver leaves an empty TemporaryDirectory.* in the temporary directory for each compiler job, about 2,600
# for a clean build, and CI machines are reused: builds keep theirs under .build. Tests keep the system's, for the
# short socket paths of the servers they start.
BUILD_TMP    := .build/tmp
SWIFT_BUILD  := TMPDIR=$(CURDIR)/$(BUILD_TMP) $(SWIFT) build
$(shell mkdir -p $(BUILD_TMP) && find $(BUILD_TMP) -mindepth 1 -maxdepth 1 -name 'TemporaryDirectory.*' -mmin +60 \
	-exec rm -rf {} +)
# Debian packages the build and the tests need: GRDB links the system SQLite, Mail links libcurl and GMime, Reports
# links libxlsxwriter, ZIPFoundation (XLSX) links zlib, the IMAP tests start a throwaway Dovecot, the SMTP tests a
# throwaway aiosmtpd sink, the PostgreSQL store's tests a throwaway PostgreSQL 15 (its own cluster in a temporary
# directory, never the system's), and the report tests read the workbook back with openpyxl (both Debian's builds
# of the PyPI packages, for /usr/bin/python3).
DEB_PACKAGES := libsqlite3-dev pkg-config zlib1g-dev libcurl4-openssl-dev libgmime-3.0-dev libxlsxwriter-dev \
                dovecot-imapd postgresql-15 python3-aiosmtpd python3-openpyxl
# The browser tests: Debian's Chromium and its driver, and a venv (with Debian's openpyxl visible) for Selenium from
# PyPI; wrk for `make bench`'s web pages.
E2E_PACKAGES := chromium chromium-driver python3-venv
BENCH_PACKAGES := wrk
E2E_VENV     := .build/e2e-venv
SELENIUM     := selenium==4.27.1
DEMO_DIR     ?= .demo
DEMO_PASSWORD := murojaat-demo
DEMO_PORT    ?= 8080
SAMPLES      := deploy/samples
SAMPLE       := $(SAMPLES)/call-cards-2025-11-20.csv
MUROJAAT     := .build/debug/murojaat
SUDO         := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
SWIFT_SOURCES := Package.swift Sources Tests

.PHONY: all deps build demo demo-serve test e2e lint format bench deploy-check clean

all: build

deps:
	@command -v $(SWIFT) >/dev/null || { echo "Swift 6 is needed: https://www.swift.org/install/linux/" >&2; exit 1; }
	@missing=""; for p in $(DEB_PACKAGES) $(EXTRA_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT_BUILD) --explicit-target-dependency-import-check error --product murojaat

# A fresh data directory, the sample exports of every source through ingest and routing, and what came of it; then
# the tracker two weeks on. MUROJAAT_NOW sets the time the commands act at, so the samples' day is rehearsed.
demo: build
	@rm -rf $(DEMO_DIR) && mkdir -p $(DEMO_DIR)
	@export MUROJAAT_DATA_DIR=$(DEMO_DIR) MUROJAAT_RULES_DIR=Rules MUROJAAT_NOW=2025-11-20T18:30:00+05:00; set -e; \
	echo; echo "== murojaat ingest calls $(SAMPLE)"; $(MUROJAAT) ingest calls $(SAMPLE); \
	echo; echo "== murojaat ingest email --channel e-xat $(SAMPLES)/exat-2025-11-20   (an e-xat export: .eml files)"; \
	$(MUROJAAT) ingest email --channel e-xat $(SAMPLES)/exat-2025-11-20; \
	echo; echo "== murojaat ingest reception $(SAMPLES)/virtual-reception-2025-11-20.xlsx"; \
	$(MUROJAAT) ingest reception $(SAMPLES)/virtual-reception-2025-11-20.xlsx; \
	echo; echo "== murojaat ingest cdr $(SAMPLES)/cdr-2025-11-20.csv   (missed calls become callback tasks)"; \
	$(MUROJAAT) ingest cdr $(SAMPLES)/cdr-2025-11-20.csv; \
	echo; echo "== murojaat route"; $(MUROJAAT) route; \
	echo; echo "== murojaat list   (registered appeals: department and legal deadline)"; $(MUROJAAT) list; \
	echo; echo "== murojaat list --status triage   (for an operator to decide)"; $(MUROJAAT) list --status triage; \
	echo; echo "== murojaat quarantine list   (records that could not be read or were set aside, with their bytes)"; \
	$(MUROJAAT) quarantine list; \
	echo; echo "== murojaat ingest calls $(SAMPLE)   (again: nothing new)"; $(MUROJAAT) ingest calls $(SAMPLE); \
	first=$$($(MUROJAAT) list --channel e-xat --limit 1 --json | sed -n 's/.*"tracking" *: *"\([0-9A-Z-]*\)".*/\1/p' | head -1); \
	echo; echo "== murojaat show $$first"; $(MUROJAAT) show $$first; \
	echo; echo "== The tracker, on the morning of Friday 05.12.2025 (MUROJAAT_NOW rehearses a day)"; \
	export MUROJAAT_NOW=2025-12-05T09:00:00+05:00 MUROJAAT_USER=demo; \
	echo "== murojaat sweep   (escalation steps due by then, each an event with its e-mail)"; $(MUROJAAT) sweep; \
	echo; echo "== murojaat extend $$first --reason ... --approved-by abroad-head"; \
	$(MUROJAAT) extend $$first --reason "Xorijdagi vakolatxonadan ma'lumot so'raldi" --approved-by abroad-head; \
	echo; echo "== the same again: the law allows one extension"; \
	$(MUROJAAT) extend $$first --reason "yana" --approved-by abroad-head || true; \
	echo; echo "== murojaat report daily --format csv   (the department table; --format html|xlsx --out FILE too)"; \
	$(MUROJAAT) report daily --format csv --out $(DEMO_DIR)/daily-report.csv; \
	$(MUROJAAT) report daily --format xlsx --out $(DEMO_DIR)/daily-report.xlsx --send; \
	$(MUROJAAT) report daily --format html --out $(DEMO_DIR)/daily-report.html; \
	echo; echo "== murojaat outbox send   (no SMTP configured: the e-mails become .eml files)"; $(MUROJAAT) outbox send; \
	$(MUROJAAT) outbox list --state sent | tail -4; \
	echo; echo "== murojaat user add   (one account per role for the web UI; password $(DEMO_PASSWORD))"; \
	export MUROJAAT_PASSWORD=$(DEMO_PASSWORD); \
	$(MUROJAAT) user add operator --name "Dilnoza Karimova" --role operator; \
	$(MUROJAAT) user add abroad --name "Jasur Toshmatov" --role executor --department ABROAD; \
	$(MUROJAAT) user add abroad-head --name "Aziza Rahimova" --role head --department ABROAD --language ru; \
	$(MUROJAAT) user add control --name "Nodir Aliyev" --role control; \
	$(MUROJAAT) user add admin --name "Administrator" --role admin --language en; \
	echo; echo "The data is in $(DEMO_DIR)/: the daily report as daily-report.{csv,xlsx,html}, the e-mails in outbox/."; \
	echo "Try: MUROJAAT_DATA_DIR=$(DEMO_DIR) $(MUROJAAT) --help"
	@$(MAKE) --no-print-directory demo-serve

# The demo's data served (make demo ends here): the web UI and API, the router, the tracker and the daily report,
# on the rehearsed morning of 05.12.2025, which runs on from 09:00. Ctrl-C stops it.
demo-serve: build
	@test -d $(DEMO_DIR) || { echo "run make demo first" >&2; exit 1; }
	@echo; echo "== murojaat serve: open http://127.0.0.1:$(DEMO_PORT)/ and sign in (password $(DEMO_PASSWORD)) as"; \
	echo "   operator      the operator: triage queue (keys j/k, a assigns, / searches, ? help)"; \
	echo "   abroad        an executor of ABROAD: the department queue, answers"; \
	echo "   abroad-head   the head of ABROAD (pages in Russian): extensions"; \
	echo "   control       the control department: dashboard, daily report for any date"; \
	echo "   admin         an administrator (pages in English): the accounts at /staff"; \
	echo "   Ctrl-C stops the server; make demo-serve starts it again on the same data."; echo
	@MUROJAAT_DATA_DIR=$(DEMO_DIR) MUROJAAT_RULES_DIR=Rules MUROJAAT_NOW=2025-12-05T09:00:00+05:00 \
	MUROJAAT_HTTP_PORT=$(DEMO_PORT) MUROJAAT_LOG_FORMAT=text $(MUROJAAT) serve

# Format check, the build with explicit imports enforced, the shipped rules against their own examples, every test;
# then the release build that make bench and the Docker image use (the compiler has crashed on code in release mode
# only), whose binary the deploy smoke test runs.
test: EXTRA_PACKAGES = $(E2E_PACKAGES)
test: deps lint
	$(SWIFT_BUILD) --build-tests --explicit-target-dependency-import-check error
	$(MUROJAAT) rules lint --rules Rules
	$(MUROJAAT) rules test --rules Rules
	@python3 .ci/swift-test $(SWIFT) test --skip-build
	@$(MAKE) --no-print-directory e2e
	$(SWIFT_BUILD) -c release --product murojaat
	@MUROJAAT_BIN=$(CURDIR)/.build/release/murojaat $(MAKE) --no-print-directory deploy-check

# deploy/: the systemd units (systemd-analyze verify), compose.yaml (the compose-spec schema), the Dockerfile
# (hadolint) and a smoke test of serve with the example settings; no Docker engine is needed.
deploy-check:
	MUROJAAT_BIN=$${MUROJAAT_BIN:-$(MUROJAAT)} bash deploy/check.sh

# The web UI in headless Chromium (Tests/e2e/run.py); screenshots of every page in .build/e2e-artifacts/.
e2e: EXTRA_PACKAGES = $(E2E_PACKAGES)
e2e: deps
	@test -x $(E2E_VENV)/bin/python || /usr/bin/python3 -m venv --system-site-packages $(E2E_VENV)
	@$(E2E_VENV)/bin/python -c "import selenium" 2>/dev/null || $(E2E_VENV)/bin/pip install -q $(SELENIUM)
	@test -x $(MUROJAAT) || $(SWIFT_BUILD) --explicit-target-dependency-import-check error --product murojaat
	MUROJAAT_BIN=$${MUROJAAT_BIN:-$(MUROJAAT)} $(E2E_VENV)/bin/python Tests/e2e/run.py

lint:
	$(SWIFT) format lint --strict --recursive $(SWIFT_SOURCES)

format:
	$(SWIFT) format format --in-place --recursive $(SWIFT_SOURCES)

# Release build; one JSON line per case, medians of several runs.
bench: EXTRA_PACKAGES = $(BENCH_PACKAGES)
bench: deps
	$(SWIFT_BUILD) -c release --product murojaat-bench
	$(SWIFT_BUILD) -c release --product murojaat
	.build/release/murojaat-bench --rules Rules

clean:
	rm -rf .build $(DEMO_DIR)
