"""The coqui engine loads a user's checkpoint folder (or a cached model name) and speaks.

Models are tiny, randomly initialised Coqui models written to disk by
tests/fixtures/coqui_models.py, loaded through exactly the user's path.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from narrator.engines.coqui import CoquiEngine, with_cpu_fallback
from narrator.errors import DeviceError, EngineError, InputError, ModelMissingError
from tests.fixtures.coqui_models import VITS_SPEAKERS, model_config

SHORT = "नमस्ते दुनिया"
LONG = "नमस्ते दुनिया, आज का समाचार। भारत में आज बहुत बारिश हुई और लोग घरों में ही रहे।"


def _rms(audio: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(audio, dtype=np.float64))))


@pytest.fixture
def no_coqui_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty Coqui data folder, so nothing the developer downloaded is seen."""
    monkeypatch.setenv("TTS_HOME", str(tmp_path / "coqui"))
    monkeypatch.delenv("NARRATOR_COQUI_MODEL", raising=False)
    return tmp_path / "coqui" / "tts"


def test_vits_folder_speaks_hindi_at_the_models_rate(tiny_vits_dir: Path) -> None:
    engine = CoquiEngine(model=str(tiny_vits_dir), device="cpu")
    assert engine.name == "coqui"
    assert engine.sample_rate == model_config(tiny_vits_dir)["audio"]["sample_rate"] == 16000
    short, long = engine.synthesize(SHORT), engine.synthesize(LONG)
    for audio in (short, long):
        assert audio.dtype == np.float32 and audio.ndim == 1
        assert np.isfinite(audio).all()
        assert _rms(audio) > 1e-3, "audio is silent"
    assert len(long) > 3 * len(short)
    assert engine.fits("क" * engine.max_chars) and not engine.fits("क" * (engine.max_chars + 1))


def test_same_text_gives_the_same_audio(tiny_vits_dir: Path) -> None:
    engine = CoquiEngine(model=str(tiny_vits_dir), device="cpu")
    np.testing.assert_array_equal(engine.synthesize(LONG), engine.synthesize(LONG))


def test_checkpoint_file_path_loads_too(tiny_vits_dir: Path) -> None:
    engine = CoquiEngine(model=str(tiny_vits_dir / "model.pth"), device="cpu")
    assert len(engine.synthesize(SHORT)) > 0


def test_speed_shortens_the_audio(tiny_vits_dir: Path) -> None:
    normal = CoquiEngine(model=str(tiny_vits_dir), device="cpu")
    fast = CoquiEngine(model=str(tiny_vits_dir), device="cpu", speed=2.0)
    ratio = len(fast.synthesize(LONG)) / len(normal.synthesize(LONG))
    assert 0.4 < ratio < 0.65
    assert fast.cache_key != normal.cache_key


def test_fastpitch_with_hifigan_vocoder_folder(tiny_fastpitch_dir: Path) -> None:
    engine = CoquiEngine(model=str(tiny_fastpitch_dir), device="cpu")
    assert engine.files.vocoder is not None
    assert engine.sample_rate == 22050
    short, long = engine.synthesize(SHORT), engine.synthesize(LONG)
    assert short.dtype == np.float32 and np.isfinite(long).all()
    assert _rms(long) > 1e-3
    assert len(long) > 2 * len(short)


def test_speakers_of_a_multi_speaker_checkpoint_are_voices(tiny_vits_multi_dir: Path) -> None:
    first = CoquiEngine(model=str(tiny_vits_multi_dir), device="cpu")
    assert first.speakers == VITS_SPEAKERS
    assert first.voice == VITS_SPEAKERS[0]
    other = CoquiEngine(model=str(tiny_vits_multi_dir), voice=VITS_SPEAKERS[1], device="cpu")
    assert other.voice == VITS_SPEAKERS[1]
    assert first.cache_key != other.cache_key
    assert not np.array_equal(first.synthesize(SHORT), other.synthesize(SHORT))
    with pytest.raises(InputError, match="ravi") as info:
        CoquiEngine(model=str(tiny_vits_multi_dir), voice="nobody", device="cpu")
    assert "\n" not in str(info.value)


def test_configured_multi_speaker_model_lists_its_speakers(
    tiny_vits_multi_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NARRATOR_COQUI_MODEL", str(tiny_vits_multi_dir))
    voices = [v for v in CoquiEngine.list_voices() if v.ready]
    assert [v.name for v in voices][:2] == VITS_SPEAKERS
    assert all(v.engine == "coqui" for v in voices)


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda p: p.write_bytes(b"this is not a checkpoint"), id="garbage"),
        pytest.param(lambda p: p.write_bytes(p.read_bytes()[:5000]), id="truncated"),
    ],
)
def test_corrupt_checkpoint_is_one_line_error(tiny_vits_dir: Path, tmp_path: Path, damage) -> None:
    folder = tmp_path / "broken"
    shutil.copytree(tiny_vits_dir, folder)
    damage(folder / "model.pth")
    with pytest.raises(EngineError) as info:
        CoquiEngine(model=str(folder), device="cpu")
    message = str(info.value)
    assert "\n" not in message and str(folder / "model.pth") in message


def test_checkpoint_with_foreign_objects_is_refused(tiny_vits_dir: Path, tmp_path: Path) -> None:
    """weights_only loading: a pickle that would run code is an error, not executed."""
    import torch

    folder = tmp_path / "pickle"
    shutil.copytree(tiny_vits_dir, folder)
    torch.save({"model": {}, "payload": Path("/etc/passwd")}, folder / "model.pth")
    with pytest.raises(EngineError, match="model.pth"):
        CoquiEngine(model=str(folder), device="cpu")


def test_checkpoint_of_another_shape_is_one_line_error(
    tiny_vits_dir: Path, tiny_vits_multi_dir: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "mismatch"
    shutil.copytree(tiny_vits_dir, folder)
    shutil.copy(tiny_vits_multi_dir / "model.pth", folder / "model.pth")
    with pytest.raises(EngineError) as info:
        CoquiEngine(model=str(folder), device="cpu")
    assert "\n" not in str(info.value)


def test_folder_without_config_or_model(tmp_path: Path, tiny_vits_dir: Path) -> None:
    with pytest.raises(InputError, match="config.json"):
        CoquiEngine(model=str(tmp_path), device="cpu")
    only_config = tmp_path / "cfg"
    only_config.mkdir()
    shutil.copy(tiny_vits_dir / "config.json", only_config)
    with pytest.raises(InputError, match="model.pth"):
        CoquiEngine(model=str(only_config), device="cpu")
    with pytest.raises(InputError, match="no Coqui model"):
        CoquiEngine(model=str(tmp_path / "nowhere"), device="cpu")


def test_missing_model_name_names_the_pull_command(no_coqui_cache: Path) -> None:
    with pytest.raises(ModelMissingError) as info:
        CoquiEngine(model="tts_models/hin/fairseq/vits", device="cpu")
    assert "narrator models pull tts_models/hin/fairseq/vits" in str(info.value)


def test_no_model_configured_says_how_to_get_one(no_coqui_cache: Path) -> None:
    with pytest.raises(ModelMissingError, match="NARRATOR_COQUI_MODEL"):
        CoquiEngine(device="cpu")
    assert CoquiEngine.is_installed() is False


def test_model_name_loads_from_coquis_cache(
    tiny_vits_dir: Path, no_coqui_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(tiny_vits_dir, no_coqui_cache / "tts_models--hi--tiny--vits")
    engine = CoquiEngine(model="tts_models/hi/tiny/vits", device="cpu")
    assert engine.model_id.startswith("tts_models/hi/tiny/vits@")
    assert len(engine.synthesize(SHORT)) > 0
    monkeypatch.setenv("NARRATOR_COQUI_MODEL", "tts_models/hi/tiny/vits")
    assert CoquiEngine.is_installed()


def test_configured_model_is_picked_by_auto(
    tiny_vits_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from narrator.engines.registry import resolve_engine

    monkeypatch.setenv("NARRATOR_COQUI_MODEL", str(tiny_vits_dir))
    assert CoquiEngine.is_installed()
    choice = resolve_engine("auto", device="cpu")
    assert choice.engine.name == "coqui"
    assert any("coqui" in n for n in choice.notices)
    monkeypatch.setenv("NARRATOR_COQUI_MODEL", str(tiny_vits_dir / "gone"))
    assert CoquiEngine.is_installed() is False


def test_model_id_changes_when_weights_change(tiny_vits_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "copy"
    shutil.copytree(tiny_vits_dir, folder)
    before = CoquiEngine(model=str(folder), device="cpu").model_id
    data = (folder / "model.pth").read_bytes()
    (folder / "model.pth").write_bytes(data)  # same bytes, new mtime
    import os

    os.utime(folder / "model.pth", ns=(1, 1))
    assert CoquiEngine(model=str(folder), device="cpu").model_id != before


def test_user_voice_from_voices_toml(
    tiny_vits_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    voices = tmp_path / "voices"
    voices.mkdir()
    (voices / "voices.toml").write_text(
        "[[voice]]\n"
        'name = "meri-vits"\n'
        'engine = "coqui"\n'
        f'checkpoint = "{tiny_vits_dir.as_posix()}"\n'
        'description = "my trained voice"\n'
        'licence = "CC BY 4.0"\n'
        "commercial = true\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("NARRATOR_VOICES_DIR", str(voices))
    engine = CoquiEngine(voice="meri-vits", device="cpu")
    assert engine.files.config == tiny_vits_dir / "config.json"
    listed = {v.name: v for v in CoquiEngine.list_voices()}
    assert listed["meri-vits"].ready and listed["meri-vits"].commercial


def test_device_cuda_without_gpu_is_a_clear_error(tiny_vits_dir: Path) -> None:
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    with pytest.raises(DeviceError, match="cuda"):
        CoquiEngine(model=str(tiny_vits_dir), device="cuda")
    auto = CoquiEngine(model=str(tiny_vits_dir), device="auto")
    assert auto.device == "cpu" and any("CPU" in n for n in auto.notices)


def test_cuda_out_of_memory_retries_the_chunk_on_cpu() -> None:
    """The fallback the engines wrap every chunk in: OOM on CUDA -> that chunk on CPU."""
    import torch

    moves: list[str] = []
    notices: list[str] = []

    def run(device: str) -> np.ndarray:
        if device == "cuda":
            raise torch.cuda.OutOfMemoryError("CUDA out of memory. Tried to allocate 2 GiB")
        return np.ones(4, dtype=np.float32)

    audio = with_cpu_fallback(run, "cuda", moves.append, notices)
    assert audio.tolist() == [1.0] * 4
    assert moves == ["cpu", "cuda"]
    assert len(notices) == 1 and "CPU" in notices[0]
    with pytest.raises(ValueError):
        with_cpu_fallback(
            lambda d: (_ for _ in ()).throw(ValueError("x")), "cuda", moves.append, []
        )
