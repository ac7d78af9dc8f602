"""How fast can Kokoro-82M (int8 ONNX) speak Hindi on this CPU, and with which settings?

Measures, each configuration in a fresh process (so load time and peak memory
are its own):
  * intra-op threads 1 vs 2, and ONNX Runtime's thread spinning on/off
  * graph optimization levels (disabled / basic / extended / all)
  * two sentences one after the other on one session vs at the same time on
    two single-threaded sessions (what a two-worker synthesizer would do)
  * a float graph: the int8 export's ConvInteger chains (most of the time)
    turned back into float Conv, when the `onnx` package is importable
    (PYTHONPATH=... python bench/kokoro_speed.py); skipped otherwise

The CPU here is shared, so every configuration runs `--rounds` times,
interleaved round by round; the table gives the minimum and median wall time
and the process CPU time (which other users' load hardly moves). Prints a
Markdown table (and JSON with --json). Run from the checkout:
    .venv/bin/python bench/kokoro_speed.py --rounds 5
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SENTENCES = [
    "मौसम विभाग ने अगले तीन दिनों तक भारी बारिश की चेतावनी जारी की है।",
    "कंपनी के मुख्य कार्यकारी अधिकारी ने कहा कि वे भविष्य को लेकर बहुत आशावादी हैं।",
]

CONFIGS: list[dict] = [
    {"label": "default: opt=all, threads=auto (2 here)", "opt": "all", "threads": 0},
    {"label": "threads=1", "opt": "all", "threads": 1},
    {"label": "threads=2, no spinning", "opt": "all", "threads": 2, "spin": False},
    {"label": "opt=disabled", "opt": "disable", "threads": 0},
    {"label": "opt=basic", "opt": "basic", "threads": 0},
    {"label": "opt=extended", "opt": "extended", "threads": 0},
    {"label": "2 sessions x 1 thread, in parallel", "opt": "all", "threads": 1, "parallel": True},
]


def _session(model: str, cfg: dict):
    import onnxruntime as ort

    levels = {
        "disable": ort.GraphOptimizationLevel.ORT_DISABLE_ALL,
        "basic": ort.GraphOptimizationLevel.ORT_ENABLE_BASIC,
        "extended": ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
        "all": ort.GraphOptimizationLevel.ORT_ENABLE_ALL,
    }
    options = ort.SessionOptions()
    options.graph_optimization_level = levels[cfg["opt"]]
    if cfg.get("threads"):
        options.intra_op_num_threads = cfg["threads"]
    if cfg.get("spin") is False:
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return ort.InferenceSession(model, sess_options=options, providers=["CPUExecutionProvider"])


def run_one(cfg: dict) -> dict:
    """One configuration in this process: load, warm up, time both sentences."""
    import threading

    import numpy as np

    from narrator.engines import kokoro_assets
    from narrator.engines.kokoro import _Phonemizer, _vocab, load_style

    # Tokens and style rows come from the engine's own code, without its session,
    # so the peak memory below is this configuration's alone.
    vocab, style = _vocab(), load_style({"hf_alpha": 1.0})
    model = cfg.get("model") or str(kokoro_assets.model_path())
    feeds = []
    for text in SENTENCES:
        ids = [vocab[ch] for ch in _Phonemizer.phonemes(text.replace("।", ".")) if ch in vocab]
        feeds.append(
            {
                "tokens": np.array([[0, *ids, 0]], dtype=np.int64),
                "style": style[len(ids) - 1].reshape(1, -1),
                "speed": np.array([1.0], dtype=np.float32),
            }
        )
    start = time.perf_counter()
    sessions = [_session(model, cfg) for _ in range(2 if cfg.get("parallel") else 1)]
    load_s = (time.perf_counter() - start) / len(sessions)
    for session in sessions:
        session.run(None, feeds[0])  # warm-up: the first run allocates
    audio_s = 0.0
    cpu0 = _cpu_s()
    start = time.perf_counter()
    if cfg.get("parallel"):
        lengths = [0, 0]

        def work(i: int) -> None:
            lengths[i] = len(sessions[i].run(None, feeds[i])[0])

        threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        audio_s = sum(lengths) / 24000
    else:
        for feed in feeds:
            audio_s += len(sessions[0].run(None, feed)[0]) / 24000
    synth_s = time.perf_counter() - start
    return {
        "load_s": load_s,
        "synth_s": synth_s,
        "cpu_s": _cpu_s() - cpu0,
        "audio_s": audio_s,
        "peak_rss_mb": _peak_rss_mb(),
    }


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _peak_rss_mb() -> float:
    """VmHWM: unlike ru_maxrss it is not inherited from the parent across exec."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def float_conv_graph(src: str, dst: str) -> int:
    """Write a copy of the int8 graph whose ConvInteger chains are float Conv again.

    The dynamic-quantization pattern is DynamicQuantizeLinear(x) -> ConvInteger
    -> [Add int32 bias] -> Cast -> Mul(x_scale * w_scale); it becomes
    Conv(x, (w_q - w_zp) * w_scale, bias). Weights keep their 8-bit values, only
    the activations stop being quantized. Returns how many convolutions changed.
    """
    import collections

    import numpy as np
    import onnx
    from onnx import helper, numpy_helper

    model = onnx.load(src)
    graph = model.graph
    inits = {i.name: i for i in graph.initializer}
    producer = {o: n for n in graph.node for o in n.output}
    consumers = collections.defaultdict(list)
    for node in graph.node:
        for name in node.input:
            consumers[name].append(node)
    array = lambda name: numpy_helper.to_array(inits[name])
    dropped, swap, new_inits = set(), {}, []
    for conv in [n for n in graph.node if n.op_type == "ConvInteger"]:
        x_q, w_q, _x_zp, w_zp = conv.input
        x = producer[x_q].input[0]
        chain, bias = [conv], None
        (after,) = consumers[conv.output[0]]
        if after.op_type == "Add":
            chain.append(after)
            node = producer[after.input[1]]
            while node.op_type != "Div":  # Reshape <- Cast <- Floor <- Div(bias, scale)
                node = producer[node.input[0]]
            bias = node.input[0]
            (after,) = consumers[after.output[0]]
        cast = after
        (mul,) = consumers[cast.output[0]]
        chain += [cast, mul]
        scales = producer[mul.input[1]]
        w_scale = next(i for i in scales.input if i in inits)
        weight = (array(w_q).astype(np.float32) - array(w_zp).astype(np.float32)) * array(w_scale)
        new_inits.append(numpy_helper.from_array(weight.astype(np.float32), w_q + "_float"))
        attrs = {a.name: helper.get_attribute_value(a) for a in conv.attribute}
        inputs = [x, w_q + "_float"] + ([bias] if bias else [])
        swap[id(conv)] = helper.make_node("Conv", inputs, [mul.output[0]], **attrs)
        dropped.update(id(n) for n in chain)
    nodes = [swap.get(id(n), n) for n in graph.node if id(n) in swap or id(n) not in dropped]
    outputs = {o.name for o in graph.output}
    while True:  # prune what only fed the removed chains
        used = {i for n in nodes for i in n.input} | outputs
        kept = [n for n in nodes if any(o in used for o in n.output if o)]
        if len(kept) == len(nodes):
            break
        nodes = kept
    used = {i for n in nodes for i in n.input}
    del graph.node[:]
    graph.node.extend(nodes)
    kept_inits = [i for i in graph.initializer if i.name in used] + new_inits
    del graph.initializer[:]
    graph.initializer.extend(kept_inits)
    onnx.save(model, dst)
    return len(swap)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import onnxruntime as ort

    return f"{cpu}, {os.cpu_count()} logical CPUs, onnxruntime {ort.__version__}, no GPU used"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(json.loads(args.one))))
        return 0

    from narrator.engines import kokoro_assets

    kokoro_assets.pull()
    configs = list(CONFIGS)
    tmp = tempfile.TemporaryDirectory(prefix="kokoro-bench-")
    try:
        import onnx  # noqa: F401

        float_model = str(Path(tmp.name) / "model-float-conv.onnx")
        changed = float_conv_graph(str(kokoro_assets.model_path()), float_model)
        size = Path(float_model).stat().st_size / 1e6
        configs.append(
            {
                "label": f"float Conv graph ({changed} convs, {size:.0f} MB)",
                "opt": "all",
                "threads": 2,
                "model": float_model,
            }
        )
    except ImportError:
        print("onnx not importable: float-Conv graph skipped", file=sys.stderr)

    runs: dict[str, list[dict]] = {cfg["label"]: [] for cfg in configs}
    for round_ in range(args.rounds):
        for cfg in configs:
            out = subprocess.run(
                [sys.executable, __file__, "--one", json.dumps(cfg)],
                capture_output=True,
                text=True,
                check=True,
            )
            result = json.loads(out.stdout.strip().splitlines()[-1])
            print(f"round {round_ + 1}: {cfg['label']}: {result}", file=sys.stderr)
            runs[cfg["label"]].append(result)
    tmp.cleanup()

    audio_s = runs[configs[0]["label"]][0]["audio_s"]
    print(
        f"Machine: {machine()}; load average {os.getloadavg()[0]:.1f} at the end; "
        f"{args.rounds} rounds, configurations interleaved; 2 sentences, {audio_s:.1f} s of audio\n"
    )
    print(
        "| configuration | load s (min) | synth s min / median | RTF min / median "
        "| CPU s (min) | peak RSS MB |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    summary = {}
    for label, results in runs.items():
        wall = sorted(r["synth_s"] for r in results)
        med = wall[len(wall) // 2]
        row = {
            "load_s": min(r["load_s"] for r in results),
            "synth_min_s": wall[0],
            "synth_median_s": med,
            "rtf_min": wall[0] / audio_s,
            "rtf_median": med / audio_s,
            "cpu_s": min(r["cpu_s"] for r in results),
            "peak_rss_mb": max(r["peak_rss_mb"] for r in results),
        }
        summary[label] = row
        print(
            f"| {label} | {row['load_s']:.2f} | {wall[0]:.2f} / {med:.2f} "
            f"| {row['rtf_min']:.2f} / {row['rtf_median']:.2f} | {row['cpu_s']:.1f} "
            f"| {row['peak_rss_mb']:.0f} |"
        )
    if args.json:
        print(json.dumps({"machine": machine(), "results": summary, "runs": runs}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
