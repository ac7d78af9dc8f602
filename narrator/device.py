"""Choosing CPU or CUDA, once, with a clear word to the user.

torch is imported only here and only when a torch engine asks, because importing
it costs seconds that eSpeak and Kokoro users should not pay.
"""

from __future__ import annotations

from narrator.errors import DeviceError

DEVICES = ("auto", "cpu", "cuda")


def _check(requested: str) -> None:
    if requested not in DEVICES:
        raise DeviceError(f"unknown device {requested!r}: use auto, cpu or cuda")


def resolve_device(requested: str, runtime: str) -> tuple[str, str | None]:
    """("cuda"|"cpu", notice or None) for an engine run by `runtime`.

    runtime "torch" and "onnx" ask their library whether a GPU is usable; "cpu"
    (eSpeak NG) always runs on the CPU, whatever was asked.
    """
    _check(requested)
    if runtime == "torch":
        return resolve_torch_device(requested)
    if runtime == "onnx":
        providers, notice = onnx_providers(requested)
        return ("cuda" if "CUDAExecutionProvider" in providers else "cpu"), notice
    return "cpu", None


def resolve_torch_device(requested: str = "auto") -> tuple[str, str | None]:
    """Return ("cuda"|"cpu", notice or None) for a torch engine.

    `cuda` where torch sees no GPU is a DeviceError, not a silent fallback:
    the user asked for it explicitly.
    """
    _check(requested)
    if requested == "cpu":
        return "cpu", None
    import torch

    has_cuda = torch.cuda.is_available()
    if requested == "cuda" and not has_cuda:
        raise DeviceError("--device cuda was asked for, but torch sees no CUDA GPU here")
    if has_cuda:
        return "cuda", None
    return "cpu", "no CUDA GPU found; synthesizing on the CPU"


def onnx_providers(requested: str = "auto") -> tuple[list[str], str | None]:
    """ONNX Runtime execution providers for the device, with the same rules."""
    _check(requested)
    import onnxruntime as ort

    available = ort.get_available_providers()
    has_cuda = "CUDAExecutionProvider" in available
    if requested == "cuda" and not has_cuda:
        raise DeviceError(
            "--device cuda was asked for, but ONNX Runtime has no CUDA provider here "
            "(install onnxruntime-gpu)"
        )
    if requested != "cpu" and has_cuda:
        return ["CUDAExecutionProvider", "CPUExecutionProvider"], None
    return ["CPUExecutionProvider"], None


def onnx_providers_for(device: str) -> list[str]:
    """The providers for a resolved device ("cuda" or "cpu"), CPU last as ORT's fallback."""
    if device == "cuda":
        return ["CUDAExecutionProvider", "CPUExecutionProvider"]
    return ["CPUExecutionProvider"]
