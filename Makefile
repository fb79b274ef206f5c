# Two commands do everything on a fresh machine: `make site` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)

# mkdocs is pinned below 2 on purpose (2.0 drops plugins and breaks Material): skip its banner.
export NO_MKDOCS_2_WARNING := 1
# The same commit builds the same bytes: dates in the site come from the last commit, not the clock.
LAST_COMMIT_TIME := $(shell git log -1 --format=%ct 2>/dev/null)
ifneq ($(LAST_COMMIT_TIME),)
export SOURCE_DATE_EPOCH ?= $(LAST_COMMIT_TIME)
endif

.PHONY: site shard merge check test test-fast serve lint browser clean deploy-check cms cms-vendor

# The form editor's Node part (decap-server, for the local mode and its browser test), pinned by
# cms/package-lock.json; Decap itself is vendored in cms/admin/ and needs nothing installed.
CMS_STAMP := cms/node_modules/.installed-$(shell cat cms/package-lock.json | cksum | cut -d' ' -f1)

$(CMS_STAMP): cms/package.json cms/package-lock.json
	npm ci --prefix cms --omit=dev --no-audit --no-fund --loglevel=error
	rm -f cms/node_modules/.installed-*
	touch $@

$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	rm -f $(VENV)/.installed-*
	touch $@

## site: check data/, generate the pages and build the static site into site/
site: $(STAMP)
	$(PY) -m generator build

## shard: one shard of the site built into a part, for a build split across CI machines:
##   make shard SHARD=2/4 (into parts/2-of-4, or PART_DIR=…); then `make merge` where every part is
shard: $(STAMP)
	$(PY) -m generator build --shard $(SHARD) $(if $(PART_DIR),--part-dir $(PART_DIR))

## merge: every shard's part (PARTS, default parts/*) joined into site/, the site `make site` builds
merge: $(STAMP)
	$(PY) -m generator merge $(or $(PARTS),parts/*)

## check: load and validate data/ only
check: $(STAMP)
	$(PY) -m generator check

## test: the whole test suite, real-browser tests included
test: $(STAMP) browser $(CMS_STAMP)
	$(PY) -m ruff check generator tests
	$(PY) -m pytest

## test-fast: ruff and every test that needs no browser (pytest -m "not browser"): the quick loop while editing
test-fast: $(STAMP)
	$(PY) -m ruff check generator tests
	$(PY) -m pytest -m "not browser"

## deploy-check: serve the built site/ over HTTP as a static host would and run the browser smoke tests on it
deploy-check: $(STAMP) browser
	SITE_DIR=site $(PY) -m pytest tests/test_deploy_smoke.py

## serve: preview on http://127.0.0.1:8000 with live reload on changes to data/ and content/
serve: $(STAMP)
	mkdir -p build/docs
	$(VENV)/bin/mkdocs serve

## cms: try the form editor on this machine: http://127.0.0.1:8000/admin/, saves go straight into data/
cms: $(STAMP) $(CMS_STAMP)
	$(PY) -m generator cms

## cms-vendor: after changing the versions in cms/package.json, copy Decap and yaml into cms/admin/ again
cms-vendor:
	npm install --prefix cms --no-audit --no-fund
	rm -rf cms/admin/decap/*.js cms/admin/decap/*.wasm cms/admin/decap/*.txt cms/admin/yaml/dist
	cp cms/node_modules/decap-cms/dist/*decap-cms.js cms/node_modules/decap-cms/dist/*.wasm \
	   cms/node_modules/decap-cms/dist/decap-cms.js.LICENSE.txt cms/admin/decap/
	cp -r cms/node_modules/yaml/browser/dist cms/admin/yaml/
	cp cms/node_modules/yaml/browser/index.js cms/node_modules/yaml/LICENSE cms/admin/yaml/

## browser: Debian's chromium for the browser tests (Playwright's own download does not work here)
browser:
	@command -v chromium >/dev/null || sh .ci/install-chromium

clean:
	rm -rf build site parts .site* .pytest_cache test-artifacts
