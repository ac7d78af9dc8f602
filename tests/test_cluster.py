"""`narrator export --ray` against a real local Ray (`ray.init(num_cpus=2)`, two engine actors).

One Ray is started for the module (a start costs seconds); the Ctrl-C test runs
the real command in a subprocess, which starts and stops its own. Audio is real
(eSpeak, the seeded tiny Coqui VITS model) and every episode is read back with
the same checks as a one-machine export (test_export.check_episode).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import feedparser
import pytest

from narrator.audio.files import is_temp_file
from narrator.cache import ChunkCache
from narrator.export import (
    EngineLoadError,
    EngineSpec,
    Progress,
    claim_slugs,
    export_articles,
    gather_articles,
)
from narrator.export.cluster import RayOptions
from narrator.podcast import Channel, build_feed
from tests.fixtures.export import ARTICLES, run_cli, write_articles
from tests.test_export import ESPEAK, check_episode

ray = pytest.importorskip("ray", reason="the cluster extra is not installed")

ROOT = Path(__file__).resolve().parent.parent
LOCAL = RayOptions()  # the Ray the fixture started: two CPUs, two actors
BASE = "https://pod.example.in/hindi"


@pytest.fixture(scope="module", autouse=True)
def local_ray(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """One local Ray for the module; its workers get user folders of their own."""
    base = tmp_path_factory.mktemp("ray-user")
    with pytest.MonkeyPatch.context() as patch:
        for name in ("CACHE", "CONFIG", "LIBRARY"):
            patch.setenv(f"NARRATOR_{name}_DIR", str(base / name.lower()))
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


def _sidecars(out: Path) -> list[Path]:
    return sorted(p for p in out.glob("*.json") if not p.name.endswith(".chapters.json"))


def _episode_bytes(out: Path) -> dict[str, bytes]:
    """Every file of every episode; a sidecar without its `created` time (it differs per run)."""
    files: dict[str, bytes] = {}
    for path in sorted(out.iterdir()):
        if path.name.startswith("."):
            continue
        if path in _sidecars(out):
            meta = json.loads(path.read_text(encoding="utf-8"))
            meta.pop("created")
            files[path.name] = json.dumps(meta, sort_keys=True).encode()
        else:
            files[path.name] = path.read_bytes()
    return files


def test_two_actors_make_the_same_bytes_as_one_process(tiny_vits_dir, tmp_path):
    """A deterministic engine (tiny VITS, seeded per chunk): --ray equals --jobs 1, byte for byte.

    With the same engine threads on both sides: torch sums in another order
    with another thread count, and the last bits of the audio move (each
    actor here has one CPU, so one thread; `--jobs 1` takes every core).
    """
    articles = write_articles(tmp_path / "articles")
    coqui = ("coqui", None, "cpu", 1.0, str(tiny_vits_dir))
    here = export_articles(
        [str(articles)],
        out_dir=tmp_path / "jobs1",
        fmt="mp3",
        engine=EngineSpec(*coqui).load(threads=LOCAL.cpus_per_actor),
        cache=ChunkCache(tmp_path / "cache1"),
    )
    notes: list[str] = []
    on_ray = export_articles(
        [str(articles)],
        out_dir=tmp_path / "ray",
        fmt="mp3",
        engine_spec=coqui,
        cache=ChunkCache(tmp_path / "cache2"),
        cluster=LOCAL,
        on_notice=notes.append,
    )
    assert "2 coqui engine actor(s)" in notes[0]
    assert here.ok and on_ray.ok and len(on_ray.done) == 3
    ours, theirs = _episode_bytes(tmp_path / "ray"), _episode_bytes(tmp_path / "jobs1")
    assert len(ours) == 15 and ours.keys() == theirs.keys()
    for name in ours:
        assert ours[name] == theirs[name], name
    assert not [p for p in (tmp_path / "ray").iterdir() if is_temp_file(p)]


def test_espeak_on_ray_makes_the_same_episodes_as_jobs_1(shared_articles, tmp_path):
    """The issue's must-show: `narrator export ../shared/articles --engine espeak --ray`
    makes the same three episodes as `--jobs 1`, byte for byte (each eSpeak
    utterance starts from a fresh library, so actors and one process agree)."""
    espeak = ("espeak", None, "cpu", 1.0, None)
    sources = [str(p) for p in shared_articles]
    here = export_articles(
        sources, out_dir=tmp_path / "jobs1", fmt="mp3", engine=EngineSpec(*espeak).load(),
        cache=ChunkCache(tmp_path / "cache1"),
    )
    on_ray = export_articles(
        sources, out_dir=tmp_path / "ray", fmt="mp3", engine_spec=espeak,
        cache=ChunkCache(tmp_path / "cache2"), cluster=LOCAL,
    )
    assert here.ok and on_ray.ok and len(on_ray.done) == len(shared_articles) == 3
    ours, theirs = _episode_bytes(tmp_path / "ray"), _episode_bytes(tmp_path / "jobs1")
    assert len(ours) == 15 and ours.keys() == theirs.keys()
    for name in ours:
        assert ours[name] == theirs[name], name


@pytest.mark.parametrize("results", ["auto", "driver"])
def test_a_failing_article_is_reported_and_a_rerun_skips_what_is_done(
    hindi_articles, tmp_path, results
):
    """Actors writing into DIR, or sending their files to the driver: the same behaviour."""
    out = tmp_path / "out"
    out.mkdir()
    # The ISRO article's name is taken (as a run would claim it), and a folder
    # stands where its audio must go: its episode cannot be written.
    isro, _ = gather_articles([str(hindi_articles / "isro.txt")])
    blocked = out / f"{claim_slugs(out, isro)[0].slug}.mp3"
    blocked.mkdir()
    (blocked / "keep").write_text("not an episode", encoding="utf-8")
    missing = str(tmp_path / "no-such-article.txt")  # fails on the driver, before Ray
    cache = ChunkCache(tmp_path / "cache")
    options = RayOptions(results=results)
    events: list[Progress] = []
    first = export_articles(
        [str(hindi_articles), missing],
        out_dir=out,
        fmt="mp3",
        engine_spec=ESPEAK,
        cache=cache,
        cluster=options,
        progress=events.append,
    )
    assert len(first.done) == 2 and not first.ok
    failed = {Path(f.source).name: f.error for f in first.failures}
    assert failed.keys() == {"isro.txt", "no-such-article.txt"}
    assert failed["isro.txt"].startswith("cannot write") and "\n" not in failed["isro.txt"]
    assert len(_sidecars(out)) == 2
    for sidecar in _sidecars(out):
        check_episode(sidecar)
    assert not [p for p in out.rglob("*") if is_temp_file(p)]
    assert {"queued", "start", "chunk", "done", "failed"} <= {e.stage for e in events}
    # Each article ends once, and nothing about it is reported after its end.
    ends = [e.index for e in events if e.stage in ("done", "skipped", "failed")]
    assert sorted(ends) == sorted(set(ends)) and len(ends) == 3
    for index in ends:
        last = max(i for i, e in enumerate(events) if e.index == index)
        assert events[last].stage in ("done", "skipped", "failed")

    # The rerun skips what is done and makes only the article that failed.
    made = {r.slug for r in first.done}
    stamps = {p.name: p.stat().st_mtime_ns for p in out.iterdir() if p.name.split(".")[0] in made}
    (blocked / "keep").unlink()
    blocked.rmdir()
    again = export_articles(
        [str(hindi_articles)], out_dir=out, fmt="mp3", engine_spec=ESPEAK, cache=cache,
        cluster=options,
    )
    assert again.ok and len(again.skipped) == 2
    assert [r.source for r in again.done] == [str(hindi_articles / "isro.txt")]
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir() if p.name in stamps} == stamps
    assert len(_sidecars(out)) == 3
    check_episode(out / f"{again.done[0].slug}.json")
    # The feed is built from the folder as after any export.
    parsed = feedparser.parse(build_feed(out, Channel(base_url=BASE)).path.read_bytes())
    assert not parsed.bozo and len(parsed.entries) == 3
    sizes = {p.name: p.stat().st_size for p in out.glob("*.mp3")}
    enclosures = [e.enclosures[0] for e in parsed.entries]
    assert {unquote(e.href.rsplit("/", 1)[1]): int(e.length) for e in enclosures} == sizes


def test_an_engine_that_cannot_load_stops_before_the_folder_is_made(hindi_articles, tmp_path):
    out = tmp_path / "out"
    with pytest.raises(EngineLoadError, match="voice"):
        export_articles(
            [str(hindi_articles)],
            out_dir=out,
            engine_spec=("espeak", "no-such-voice", "cpu", 1.0, None),
            cluster=LOCAL,
        )
    assert not out.exists()


def test_ctrl_c_stops_cleanly_and_the_rerun_finishes(tmp_path):
    """SIGINT to a real `narrator export --ray`: no partial or temp file, and a rerun resumes."""
    articles = tmp_path / "articles"
    articles.mkdir()
    title, body = ARTICLES["sensex.txt"]
    for i in range(6):  # long enough that both actors are mid-article at the signal
        (articles / f"a{i}.txt").write_text(
            f"{title} {i}\n\n" + "\n\n".join([body] * 4) + "\n", encoding="utf-8"
        )
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "narrator", "export", str(articles), "--engine", "espeak",
         "--format", "mp3", "--ray", "--out", str(out)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and proc.poll() is None:
            if out.is_dir() and _sidecars(out):
                break
            time.sleep(0.01)
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, stderr
    assert "narrator: interrupted" in stderr and "Traceback" not in stderr
    finished = _sidecars(out)
    assert 1 <= len(finished) < 6, "the signal should land mid-batch"
    # Nothing partial: no temp file, every audio file has its sidecar, every episode whole.
    assert not [p for p in out.iterdir() if is_temp_file(p)]
    assert {p.stem for p in out.glob("*.mp3")} == {p.stem for p in finished}
    for sidecar in finished:
        check_episode(sidecar)
    rerun = export_articles(
        [str(articles)], out_dir=out, fmt="mp3", engine_spec=ESPEAK, cluster=LOCAL
    )
    assert len(rerun.skipped) == len(finished)
    assert len(rerun.done) == 6 - len(finished)
    assert len(_sidecars(out)) == 6


def test_export_without_ray_never_imports_it(hindi_articles, tmp_path):
    """The default install stays lean: `narrator export` (and the package) run without Ray."""
    code = (
        "import sys; from narrator.cli import main; "
        f"rc = main(['export', {str(hindi_articles)!r}, '--engine', 'espeak', "
        f"'--out', {str(tmp_path / 'out')!r}]); "
        "print('rc', rc, 'ray' in sys.modules)"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=180, check=False,
    )
    assert run.stdout.strip().splitlines()[-1] == "rc 0 False", run.stderr


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        (["--ray", "--ray-results", "somewhere"], "invalid choice"),
        (["--ray-cpus-per-actor", "2"], "--ray-cpus-per-actor needs --ray"),
        (["--ray", "--ray-cpus-per-actor", "0"], "must be 1 or more"),
        (["--ray", "--jobs", "0"], "--jobs 0 must be 1 or more"),
        (["--ray", "not an address"], "is not a Ray address"),
    ],
)
def test_bad_cluster_options_are_one_line_errors(hindi_articles, tmp_path, extra, says):
    out = tmp_path / "out"
    run = run_cli("export", str(hindi_articles), "--engine", "espeak", "--out", str(out), *extra)
    assert run.returncode != 0 and "Traceback" not in run.stderr
    last = run.stderr.strip().splitlines()[-1]
    assert last.startswith("narrator") and says in last, run.stderr
    assert not out.exists()
