# Talento: `make run` starts the desktop app; `make test` runs every check and test. Both install what is missing.
SHELL := /bin/bash
CARGO ?= cargo
XVFB := xvfb-run -a -s "-screen 0 1280x800x24"
export CARGO_TERM_COLOR ?= never

.PHONY: run test deps deps-run ui check-rust check-ui test-rust test-ui test-e2e bindings app clean server

run:
	scripts/install-deps.sh run
	npm --prefix ui run build
	$(CARGO) run -p talento-desktop

test: deps check-ui test-ui ui check-rust test-rust test-e2e
	@echo "make test: all checks and tests passed"

deps:
	scripts/install-deps.sh test

ui:
	npm --prefix ui run build

# The desktop crate embeds ui/dist at compile time (generate_context!), so even clippy needs the built UI.
check-rust: ui
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings

check-ui:
	npm --prefix ui run check

test-ui:
	npm --prefix ui test

# The desktop crate's tests include the bindings drift check; they need the built UI (embedded at compile time).
test-rust: ui
	$(CARGO) test --workspace --locked --exclude talento-e2e

app: ui
	$(CARGO) build -p talento-desktop --locked

test-e2e: app
	$(XVFB) $(CARGO) test -p talento-e2e --locked -- --test-threads=1 --nocapture

# The central server on 127.0.0.1:8787 over a local throwaway PostgreSQL (scripts/pg-test.sh), until ctrl-c.
server:
	scripts/pg-test.sh $(CARGO) run -p talento-server -- serve

# Regenerates ui/src/lib/bindings.ts from the Rust commands and types.
bindings:
	UPDATE_BINDINGS=1 $(CARGO) test -p talento-desktop --lib bindings_match_the_rust_types

clean:
	$(CARGO) clean
	rm -rf ui/dist ui/node_modules
