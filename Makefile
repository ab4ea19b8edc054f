# composex-rs: the README's two commands are `make serve` and `make test`.
# Every install step here is idempotent: a fresh machine needs nothing else.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := test

CARGO ?= cargo
WASM_BINDGEN_VERSION := 0.2.130
CFN_LINT_VERSION := 1.58.0
MOTO_VERSION := 5.2.5
AWSCLI_VERSION := 1.46.3
MDBOOK_VERSION := 0.5.4
VENV := target/venv
# checkov has its own venv: its pinned dependencies clash with cfn-lint's.
CHECKOV_VERSION := 3.3.30
CHECKOV_VENV := target/checkov-venv
PY := $(VENV)/bin/python
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/$(VENV)/bin:$(PATH)

.PHONY: test serve bench tools rust-tools mdbook-tool venv checkov-venv apt-tools lint unit corpus corpus-lint fmt deploy-test dist

## ---- tools -------------------------------------------------------------------------------

rust-tools:
	@rustup target list --installed | grep -q wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	@if [ "$$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $(WASM_BINDGEN_VERSION)" ]; then \
	  echo "installing wasm-bindgen-cli $(WASM_BINDGEN_VERSION) (~5 min, once)"; \
	  $(CARGO) install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION); fi

# mdBook for the docs site (search only: no server or file watcher compiled in).
mdbook-tool:
	@if [ "$$(mdbook --version 2>/dev/null)" != "mdbook v$(MDBOOK_VERSION)" ]; then \
	  echo "installing mdbook $(MDBOOK_VERSION) (~5 min, once)"; \
	  $(CARGO) install mdbook --version $(MDBOOK_VERSION) --locked --no-default-features --features search; fi

apt-tools:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || { \
	  export DEBIAN_FRONTEND=noninteractive; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium chromium-driver; }
	@# Graphviz: `composex graph --format dot` is checked by `dot` (cli/tests/graph.rs)
	@command -v dot >/dev/null || { \
	  export DEBIAN_FRONTEND=noninteractive; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq graphviz; }

$(VENV)/.installed-$(CFN_LINT_VERSION)-$(MOTO_VERSION)-$(AWSCLI_VERSION):
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check \
	  "cfn-lint==$(CFN_LINT_VERSION)" "moto[server]==$(MOTO_VERSION)" "awscli==$(AWSCLI_VERSION)"
	touch $@

venv: $(VENV)/.installed-$(CFN_LINT_VERSION)-$(MOTO_VERSION)-$(AWSCLI_VERSION)

# Installed once from the package registry; it runs offline (`--skip-download`, see tests/src/checkov.rs).
$(CHECKOV_VENV)/.installed-$(CHECKOV_VERSION):
	test -x $(CHECKOV_VENV)/bin/python || python3 -m venv $(CHECKOV_VENV)
	[ "$$($(CHECKOV_VENV)/bin/checkov --version 2>/dev/null)" = "$(CHECKOV_VERSION)" ] || \
	  $(CHECKOV_VENV)/bin/pip install -q --disable-pip-version-check "checkov==$(CHECKOV_VERSION)"
	touch $@

checkov-venv: $(CHECKOV_VENV)/.installed-$(CHECKOV_VERSION)

tools: rust-tools mdbook-tool apt-tools venv checkov-venv

## ---- checks ------------------------------------------------------------------------------

lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	# the core builds for wasm32 (proves no platform IO sneaks in)
	$(CARGO) build -q -p composex-core --target wasm32-unknown-unknown

unit:
	$(CARGO) test --workspace

# cfn-lint and checkov gates: renders our fixtures, the examples and the implemented corpus cases,
# one cfn-lint run and one checkov run over all templates (0 failed; prints the passed, failed and
# skipped counts). The tests are #[ignore]d so `cargo test` alone does not need the venvs.
corpus-lint: venv checkov-venv
	$(CARGO) test -q -p composex-tests --test cfn_lint --test modules_corpus -- --ignored --nocapture

# The ECS ComposeX corpus (../shared/corpus/composex when present): prints the counts per level.
corpus:
	$(CARGO) test -q -p composex-tests --test corpus_load --test corpus_render --test modules_corpus --test elbv2_corpus --test ec2_corpus -- --nocapture 2>&1 \
	  | grep -vE '^(info |test |running |$$)'

# The seed pipeline against moto on 127.0.0.1: both layouts, the set-image update, and a broken
# template in both layouts (refused for its dangling Ref, not for any failure); then the two plain
# compose apps (web + postgres + redis: named volume on EFS, Service Connect, the project's load balancer),
# configs and file secrets mounted by the init container, x-efs / OpenSearch / Neptune, the
# cache-and-streams example (Kinesis, SSM parameters, ElastiCache on the shim's stand-in backend),
# and an ALB with two target groups on two paths plus one both services register into.
deploy-test: venv
	$(CARGO) build -q -p composex
	$(PY) tests/deploy/run.py --composex target/debug/composex --venv $(VENV) --example examples/seed --layout both
	$(PY) tests/deploy/run.py --composex target/debug/composex --venv $(VENV) --example examples/seed --layout both --broken
	$(PY) tests/deploy/run.py --composex target/debug/composex --venv $(VENV) --example examples/plain-compose --layout both
	$(PY) tests/deploy/run.py --composex target/debug/composex --venv $(VENV) --example examples/plain-webapp --layout both
	$(PY) tests/deploy/run.py --composex target/debug/composex --venv $(VENV) --example tests/deploy/files-in-containers --layout both
	$(PY) tests/deploy/run.py --composex target/debug/composex --venv $(VENV) --example examples/search-and-files --layout both
	$(PY) tests/deploy/run.py --composex target/debug/composex --venv $(VENV) --example examples/cache-and-streams --layout both
	$(PY) tests/deploy/run.py --composex target/debug/composex --venv $(VENV) --example examples/two-target-groups --layout both
	$(PY) tests/deploy/run.py --composex target/debug/composex --venv $(VENV) --example tests/deploy/firelens --layout both

# A statically linked composex in target/dist/ (tar.gz + SHA256SUMS), checked with `file` and on
# the seed (scripts/dist.sh says which target and why). Not in `make test`: a release build.
dist:
	scripts/dist.sh

test: tools lint unit corpus corpus-lint wasm-test e2e docs-test npm-test deploy-test
	@echo "make test: all checks passed"

## ---- wasm + playground (web/) -------------------------------------------------------------

WASM_PKG := web/dist/pkg
WASM_FILE := target/wasm32-unknown-unknown/wasm-release/composex_wasm.wasm
.PHONY: wasm web docs npm e2e docs-test npm-test wasm-test bench-wasm

web/node_modules/.installed: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	touch $@

# The wasm module and its JS glue + TypeScript types, into web/dist/pkg, with the schema table
# the page loads after first paint (the wasm build leaves it out).
SCHEMA_FILE := target/composex_schema.json
wasm: rust-tools schema-file
	$(CARGO) build --profile wasm-release --target wasm32-unknown-unknown -p composex-wasm
	wasm-bindgen --target web --out-dir $(WASM_PKG) --remove-name-section --remove-producers-section $(WASM_FILE)
	cp $(SCHEMA_FILE) $(WASM_PKG)/composex_schema.json

.PHONY: schema-file
schema-file:
	$(CARGO) run -q -p composex-core --example schema_file -- $(SCHEMA_FILE)

# The static page (bundled CodeMirror, worker, embed script, examples from examples/) into web/dist,
# and the docs site into web/dist/docs.
# tsc type-checks src/ against the wasm package's own .d.ts (tsconfig rootDirs: src + dist).
web: web/node_modules/.installed wasm
	cd web && node_modules/.bin/tsc -p . && node build.mjs
	$(MAKE) --no-print-directory docs

# The docs site: composex-docs (docs/gen) assembles docs/src and the pages generated from the
# code's tables into target/docs-book, mdBook builds it into web/dist/docs, and docs/finish.mjs
# adds the embed script to pages with live examples and each page's Content-Security-Policy.
docs: mdbook-tool
	$(CARGO) run -q -p composex-docs -- . target/docs-book
	rm -rf web/dist/docs
	mdbook build target/docs-book -d $(CURDIR)/web/dist/docs
	node docs/finish.mjs web/dist/docs

# The npm package for other docs sites and tools: target/npm/composex-wasm-<version>.tgz.
npm: web
	node web/npm/pack.mjs

serve: web
	@echo "composex playground on http://127.0.0.1:8080/, its docs on http://127.0.0.1:8080/docs/ (Ctrl-C stops it)"
	python3 -m http.server 8080 --bind 127.0.0.1 --directory web/dist

# wasm-bindgen-test tests of the wasm API in headless Chromium (no -q: the runner rejects it).
# Clippy for the wasm32 target too: the browser tests only compile there.
wasm-test: rust-tools apt-tools schema-file
	$(CARGO) clippy --target wasm32-unknown-unknown -p composex-wasm --all-targets --no-deps -- -D warnings
	cd wasm && $(CARGO) test --target wasm32-unknown-unknown -p composex-wasm

# Browser end-to-end test of the page (seed example loaded); compares its zip with what the CLI writes.
e2e: web apt-tools
	$(CARGO) build -p composex
	node tests/e2e/playground.mjs
	node tests/e2e/graph.mjs

# Browser test of every docs page: each live example shows what its page says, no error, no
# CSP violation, no request leaving 127.0.0.1; each reference entry says what `composex explain` does.
docs-test: web apt-tools
	$(CARGO) build -p composex
	node tests/e2e/docs.mjs

# The npm package installed into a scratch project: rendered under Node (against the CLI's
# output), type-checked, bundled with esbuild and rendered in Chromium.
npm-test: npm apt-tools
	$(CARGO) build -p composex
	node tests/e2e/npm.mjs

# Gzipped wasm size and the seed render time in the browser next to native.
bench-wasm: web
	$(CARGO) build --release -p composex-wasm --example native_render
	node tests/e2e/bench.mjs

## ---- reliability and speed: fuzzing, benchmarks, ECS ComposeX side by side --------------

FUZZ_SECONDS ?= 300
COMPOSEX_PY_VERSION := 1.1.9
COMPOSEX_VENV := target/composex-venv
.PHONY: fuzz fuzz-tools bench-native bench-compare bench-static

fuzz-tools:
	@command -v cargo-fuzz >/dev/null || $(CARGO) install cargo-fuzz

# Each target (yaml_parse, compose_load, render) for FUZZ_SECONDS, seeded from examples/ and the
# corpus (copied into the gitignored fuzz/corpus at run time); prints executions and crashes.
fuzz: fuzz-tools
	FUZZ_SECONDS=$(FUZZ_SECONDS) fuzz/run.sh

# Criterion: native render per corpus case, the seed example, scaling 10..5,000 services; then the
# tables, the peak memory of the largest render, and t(1,000)/t(100) of the render beside work
# that is linear by construction, in interleaved rounds (bench/src/bin/scaling.rs).
bench-native:
	rm -rf target/criterion/seed target/criterion/corpus target/criterion/workers target/criterion/web
	$(CARGO) bench -p composex-bench --bench render
	python3 bench/table.py target/criterion
	mkdir -p target/bench
	$(CARGO) run -q --release -p composex-bench --bin peak_mem -- workers 1000 | tee target/bench/peak-1000.txt
	$(CARGO) run -q --release -p composex-bench --bin peak_mem -- workers 5000 | tee target/bench/peak-5000.txt
	$(CARGO) run -q --release -p composex-bench --bin scaling -- 30 target/bench/scaling.json

# The static binary of `make dist` against the dynamic release build on 100 services (the ratio);
# an existing static build is reused (and said so), else `make dist` builds it (~18 min on 2 cores).
bench-static:
	scripts/bench-static.sh

# Validation of the seed (and the Properties-heavy examples) with the schema checks on and off.
.PHONY: bench-schema
bench-schema:
	$(CARGO) bench -p composex-bench --bench schema
	python3 bench/schema_ratio.py target/criterion

# One run, one machine: the four parts, then their figures as the table in README.md
# (bench/readme.py; the ECS ComposeX ratios from the last `make bench-compare`, if any).
bench: bench-native bench-wasm bench-static bench-schema
	python3 bench/readme.py README.md

$(COMPOSEX_VENV)/.installed-$(COMPOSEX_PY_VERSION):
	python3 -m venv $(COMPOSEX_VENV)
	$(COMPOSEX_VENV)/bin/pip install -q --disable-pip-version-check "ecs-composex==$(COMPOSEX_PY_VERSION)"
	touch $@

# ECS ComposeX 1.1.9 (own venv, STS from moto on 127.0.0.1) and our CLI on the same corpus cases,
# timed in the same run. CASES='vpc.*' limits the cases. Ours is the binary `make dist` ships
# (static, not position-independent: no relocations to apply at start), as a user runs it.
bench-compare: venv $(COMPOSEX_VENV)/.installed-$(COMPOSEX_PY_VERSION)
	scripts/dist.sh
	python3 bench/compare.py --composex-python $(COMPOSEX_VENV)/bin/python --moto-python $(PY) \
	  --cli "$$(cat target/dist/BINARY)" --cli-kind 'the static binary of `make dist`' $(if $(CASES),--cases '$(CASES)')

## ---- CloudFormation resource schemas ------------------------------------------------------

# The compact table of the CloudFormation resource provider schemas the pinned cfn-lint ships
# (core/src/schema/table.rs, committed; core/tests/schema_table.rs regenerates and compares).
.PHONY: schemas
schemas: venv
	$(PY) scripts/schemas.py "$$($(PY) -c 'import cfnlint, os; print(os.path.dirname(cfnlint.__file__))')/data/schemas" core/src/schema/table.rs
	@echo "core/src/schema/table.rs: $$(wc -c < core/src/schema/table.rs) bytes"
