"""Choosing CPU or CUDA, once, with a clear word to the user.

torch is imported only here and only when a torch engine asks, because importing
it costs seconds that eSpeak and Kokoro users should not pay.
"""

from __future__ import annotations

from narrator.errors import DeviceError


def resolve_torch_device(requested: str = "auto") -> tuple[str, str | None]:
    """Return ("cuda"|"cpu", notice or None) for a torch engine.

    `cuda` where torch sees no GPU is a DeviceError, not a silent fallback:
    the user asked for it explicitly.
    """
    if requested not in ("auto", "cpu", "cuda"):
        raise DeviceError(f"unknown device {requested!r}: use auto, cpu or cuda")
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
    if requested not in ("auto", "cpu", "cuda"):
        raise DeviceError(f"unknown device {requested!r}: use auto, cpu or cuda")
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
