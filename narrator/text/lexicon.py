"""The user's pronunciation lexicon: words said the way the user wants, first.

Like ElevenLabs' pronunciation dictionaries, a lexicon maps a written word to
what the voice should say, and it wins over every built-in rule because it runs
before them. It lives in `lexicon.toml` in narrator's config folder:

    [words]
    "NVIDIA" = "एन्विडिया"          # all capitals: matches only "NVIDIA"
    "Grok" = "ग्रॉक"                # otherwise any case: Grok, GROK, grok
    "R1" = "आर वन"
    "Jensen Huang" = "जेनसन हुआंग"  # several words (any spacing between them)
    "re:\\bGPT-(\\d)o\\b" = "जीपीटी \\1 ओ"   # "re:" = a regular expression

Matching is whole-word: "AI" does not match inside "AIIMS", and Devanagari
vowel signs count as part of a word (Python's \\b does not know that). Regex
rules run first, in file order; then all plain words in one pass, the longest
first, so "Jensen Huang" wins over "Jensen".
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from narrator.errors import InputError

LEXICON_FILE = "lexicon.toml"
REGEX_PREFIX = "re:"

# Characters that continue a word in Latin or Devanagari (vowel signs included).
_WORD_CHARS = r"\w\u0900-\u0963\u0966-\u097F\u200c\u200d"
_IS_WORD = re.compile(rf"[{_WORD_CHARS}]")


def _case_sensitive(key: str) -> bool:
    """Acronyms keep their case (US is not "us"); everything else ignores it."""
    return key.upper() == key and key.lower() != key


class Lexicon:
    """An ordered mapping of written form -> spoken form, applied whole-word."""

    def __init__(self, entries: Mapping[str, str] | Iterable[tuple[str, str]] = (),
                 *, source: Path | None = None) -> None:  # fmt: skip
        items = entries.items() if isinstance(entries, Mapping) else entries
        self.source = source
        self._entries: dict[str, str] = {}
        for key, value in items:
            key = unicodedata.normalize("NFC", key.strip())
            if key and key != REGEX_PREFIX:
                self._entries[key] = unicodedata.normalize("NFC", value)
        self._rules: list[tuple[re.Pattern[str], str]] = []
        self._exact: dict[str, str] = {}
        self._folded: dict[str, str] = {}
        alternatives: list[str] = []
        plain = [k for k in self._entries if not k.startswith(REGEX_PREFIX)]
        for key in self._entries:
            if key.startswith(REGEX_PREFIX):
                self._rules.append((self._compile_rule(key), self._entries[key]))
        for key in sorted(plain, key=len, reverse=True):
            words = key.split()
            body = r"\s+".join(re.escape(w) for w in words)
            if _case_sensitive(key):
                self._exact[" ".join(words)] = self._entries[key]
            else:
                self._folded[" ".join(words).casefold()] = self._entries[key]
                body = f"(?i:{body})"
            head = rf"(?<![{_WORD_CHARS}])" if _IS_WORD.match(key[0]) else ""
            tail = rf"(?![{_WORD_CHARS}])" if _IS_WORD.match(key[-1]) else ""
            alternatives.append(head + body + tail)
        self._plain = re.compile("|".join(alternatives)) if alternatives else None

    def _compile_rule(self, key: str) -> re.Pattern[str]:
        pattern = key[len(REGEX_PREFIX) :]
        where = f" in {self.source}" if self.source else ""
        try:
            compiled = re.compile(pattern)
            compiled.sub(self._entries[key], "")  # checks \1-style references now
        except (re.error, IndexError) as exc:
            raise InputError(f"bad regular expression {pattern!r}{where}: {exc}") from None
        return compiled

    @classmethod
    def from_toml(cls, path: Path) -> Lexicon:
        """Read a lexicon file: a `[words]` table (top-level strings are accepted too)."""
        path = Path(path)
        try:
            raw = path.read_bytes().decode("utf-8-sig")
        except OSError as exc:
            raise InputError(f"cannot read pronunciation lexicon {path}: {exc.strerror or exc}") from None
        except UnicodeDecodeError:
            raise InputError(f"pronunciation lexicon {path} is not UTF-8 text") from None
        try:
            data = tomllib.loads(raw)
        except tomllib.TOMLDecodeError as exc:
            message = " ".join(str(exc).split())
            raise InputError(f"pronunciation lexicon {path}: {message}") from None
        entries: list[tuple[str, str]] = []
        tables = [("", {k: v for k, v in data.items() if not isinstance(v, dict)})]
        if "words" in data:
            if not isinstance(data["words"], dict):
                raise InputError(f"pronunciation lexicon {path}: [words] must be a table")
            tables.append(("words.", data["words"]))
        for prefix, table in tables:
            for key, value in table.items():
                if not isinstance(value, str):
                    raise InputError(
                        f"pronunciation lexicon {path}: {prefix}{key!r} must be a string, "
                        f"e.g. \"{key}\" = \"उच्चारण\""
                    )
                entries.append((key, value))
        return cls(entries, source=path)

    def apply(self, text: str) -> str:
        """Replace every whole-word match with its spoken form."""
        for pattern, replacement in self._rules:
            text = pattern.sub(replacement, text)
        if self._plain is None:
            return text
        return self._plain.sub(self._replace, text)

    def _replace(self, m: re.Match[str]) -> str:
        written = " ".join(m[0].split())
        if written in self._exact:
            return self._exact[written]
        return self._folded.get(written.casefold(), m[0])

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def items(self) -> Iterable[tuple[str, str]]:
        return self._entries.items()

    def __repr__(self) -> str:
        where = f" from {self.source}" if self.source else ""
        return f"<Lexicon {len(self)} entries{where}>"


def user_lexicon_path() -> Path:
    """Where the user's lexicon lives: <config dir>/lexicon.toml."""
    from narrator.paths import config_dir

    return config_dir() / LEXICON_FILE


def load_user_lexicon(path: Path | None = None) -> Lexicon | None:
    """The user's lexicon, or None when there is none (or it is empty).

    A path given explicitly must exist; the default one is optional. Bad TOML is
    an `InputError` naming the file and line.
    """
    if path is None:
        path = user_lexicon_path()
        if not path.is_file():
            return None
    elif not Path(path).exists():
        raise InputError(f"pronunciation lexicon {path} does not exist")
    lexicon = Lexicon.from_toml(Path(path))
    return lexicon if len(lexicon) else None
