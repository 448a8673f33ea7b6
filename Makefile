# Two commands for a new user: `make demo` and `make test`. Both install what is missing first.
# Every target runs from the repository root; nothing is written outside it except Debian packages.

SWIFT        ?= swift
# Debian packages the build and the tests need: GRDB links the system SQLite, Mail links libcurl and GMime, Reports
# links libxlsxwriter, ZIPFoundation (XLSX) links zlib, the IMAP tests start a throwaway Dovecot, the SMTP tests a
# throwaway aiosmtpd sink, and the report tests read the workbook back with openpyxl (both Debian's builds of the
# PyPI packages, for /usr/bin/python3).
DEB_PACKAGES := libsqlite3-dev pkg-config zlib1g-dev libcurl4-openssl-dev libgmime-3.0-dev libxlsxwriter-dev \
                dovecot-imapd python3-aiosmtpd python3-openpyxl
DEMO_DIR     ?= .demo
DEMO_PASSWORD := murojaat-demo
SAMPLES      := deploy/samples
SAMPLE       := $(SAMPLES)/call-cards-2025-11-20.csv
MUROJAAT     := .build/debug/murojaat
SUDO         := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
SWIFT_SOURCES := Package.swift Sources Tests

.PHONY: all deps build demo demo-serve test lint format bench clean

all: build

deps:
	@command -v $(SWIFT) >/dev/null || { echo "Swift 6 is needed: https://www.swift.org/install/linux/" >&2; exit 1; }
	@missing=""; for p in $(DEB_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build --explicit-target-dependency-import-check error --product murojaat

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
	echo; echo "The data is in $(DEMO_DIR)/: the daily report as daily-report.{csv,xlsx,html}, the e-mails in outbox/."; \
	echo "The web UI: make demo-serve, then open http://127.0.0.1:8080/ and sign in as operator, abroad,"; \
	echo "abroad-head or control with the password $(DEMO_PASSWORD)."; \
	echo "Try: MUROJAAT_DATA_DIR=$(DEMO_DIR) $(MUROJAAT) --help"

# The demo's data served: the web UI and API on http://127.0.0.1:8080/ (Ctrl-C stops it).
demo-serve: build
	@test -d $(DEMO_DIR) || { echo "run make demo first" >&2; exit 1; }
	MUROJAAT_DATA_DIR=$(DEMO_DIR) MUROJAAT_RULES_DIR=Rules MUROJAAT_NOW=2025-12-05T09:00:00+05:00 $(MUROJAAT) serve

# Format check, the build with explicit imports enforced, the shipped rules against their own examples, every test.
test: deps lint
	$(SWIFT) build --build-tests --explicit-target-dependency-import-check error
	$(MUROJAAT) rules lint --rules Rules
	$(MUROJAAT) rules test --rules Rules
	$(SWIFT) test --skip-build

lint:
	$(SWIFT) format lint --strict --recursive $(SWIFT_SOURCES)

format:
	$(SWIFT) format format --in-place --recursive $(SWIFT_SOURCES)

# Release build; one JSON line per case, medians of several runs.
bench: deps
	$(SWIFT) build -c release --product murojaat-bench
	.build/release/murojaat-bench --rules Rules

clean:
	rm -rf .build $(DEMO_DIR)
