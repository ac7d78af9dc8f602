"""The user's pronunciation lexicon: read from TOML, matched whole-word, first."""

from __future__ import annotations

from pathlib import Path

import pytest

from narrator.errors import InputError
from narrator.paths import config_dir
from narrator.text.lexicon import Lexicon, load_user_lexicon
from narrator.text.normalize import normalize


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_words_table_from_toml(tmp_path: Path) -> None:
    lex = Lexicon.from_toml(write(tmp_path / "lexicon.toml", """
[words]
"NVIDIA" = "एन्विडिया"
"Grok" = "ग्रॉक"
"Jensen Huang" = "जेनसन ह्वांग"
"""))
    assert len(lex) == 3
    assert lex.apply("NVIDIA और Grok") == "एन्विडिया और ग्रॉक"


def test_acronym_keys_keep_case_other_keys_ignore_it() -> None:
    lex = Lexicon({"US": "अमेरिका", "Grok": "ग्रॉक"})
    assert lex.apply("US में us नहीं") == "अमेरिका में us नहीं"
    assert lex.apply("GROK, grok और Grok") == "ग्रॉक, ग्रॉक और ग्रॉक"


def test_whole_words_only_in_both_scripts() -> None:
    lex = Lexicon({"AI": "ए आई", "कर": "क-र"})
    assert lex.apply("AIIMS और AI") == "AIIMS और ए आई"
    # Devanagari vowel signs belong to the word: "कर" does not match inside "करना"
    assert lex.apply("करना है, कर दो") == "करना है, क-र दो"


def test_longest_entry_wins_and_spacing_is_flexible() -> None:
    lex = Lexicon({"Jensen": "जेन्सन", "Jensen Huang": "जेनसन ह्वांग"})
    assert lex.apply("Jensen  Huang और Jensen") == "जेनसन ह्वांग और जेन्सन"


def test_regex_entries_with_groups_run_first() -> None:
    lex = Lexicon({r"re:\bGPT-(\d)o\b": r"जीपीटी \1 ओ", "GPT": "जी पी टी"})
    assert lex.apply("GPT-4o और GPT") == "जीपीटी 4 ओ और जी पी टी"


def test_lexicon_beats_the_built_in_rules() -> None:
    lex = Lexicon({"R1": "आर वन", "H100": "एच वन हंड्रेड", "₹": "रुपया चिह्न", "16.9%": "करीब सत्रह प्रतिशत"})
    assert normalize("R1 और H100 पर 16.9% गिरावट", lexicon=lex) == "आर वन और एच वन हंड्रेड पर करीब सत्रह प्रतिशत गिरावट"


def test_bad_toml_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path / "lexicon.toml", '[words]\n"NVIDIA" = "एनवीडिया"\n"Grok" ग्रोक\n')
    with pytest.raises(InputError) as err:
        Lexicon.from_toml(path)
    message = str(err.value)
    assert str(path) in message and "line 3" in message and "\n" not in message


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ('[words]\n"NVIDIA" = 5\n', "must be a string"),
        ('words = "x"\n', "[words] must be a table"),
        ('[words]\n"re:(unclosed" = "x"\n', "bad regular expression"),
        ('[words]\n"re:(a)" = "\\\\2"\n', "bad regular expression"),
    ],
)
def test_bad_entries_are_input_errors(tmp_path: Path, text: str, needle: str) -> None:
    with pytest.raises(InputError, match=None) as err:
        Lexicon.from_toml(write(tmp_path / "lexicon.toml", text))
    assert needle in str(err.value)


def test_not_utf8_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "lexicon.toml"
    path.write_bytes(b'[words]\n"a" = "\xff\xfe"\n')
    with pytest.raises(InputError, match="not UTF-8"):
        Lexicon.from_toml(path)


def test_user_lexicon_is_read_from_the_config_folder() -> None:
    assert load_user_lexicon() is None  # none yet: nothing overrides
    write(config_dir() / "lexicon.toml", '\ufeff[words]\n"ElevenLabs" = "इलेवन लैब्स"\n')  # BOM is fine
    lex = load_user_lexicon()
    assert lex is not None
    assert normalize("ElevenLabs ने कहा", lexicon=lex) == "इलेवन लैब्स ने कहा"


def test_empty_user_lexicon_is_none_and_explicit_missing_path_is_an_error(tmp_path: Path) -> None:
    write(config_dir() / "lexicon.toml", "# nothing yet\n[words]\n")
    assert load_user_lexicon() is None
    with pytest.raises(InputError, match="does not exist"):
        load_user_lexicon(tmp_path / "missing.toml")


def test_prepare_uses_the_user_lexicon() -> None:
    from narrator.text import prepare

    write(config_dir() / "lexicon.toml", '[words]\n"DeepSeek" = "डीप-सीक"\n')
    script = prepare("DeepSeek ने नया मॉडल जारी किया।")
    assert "डीप-सीक ने नया मॉडल जारी किया" in script.spoken_text
