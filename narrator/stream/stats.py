"""What one narration measured: first audio, speed, overhead, waits.

One dataclass so the bench, the CLI and the TUI read the same figures, and the
narrator's threads update them in one place (under the narrator's lock).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["RTF_SETTLES_S", "NarrationStats"]

RTF_SETTLES_S = 3.0
"""Seconds of synthesized audio after which a narration trusts its own RTF over
the voice's record: one short first chunk is a noisy sample (fixed costs per
engine call weigh most on it)."""


@dataclass
class NarrationStats:
    """Timestamps are `time.perf_counter()` values; durations are seconds.

    synth_s           engine time on chunks that did not come from the cache
    made_s            seconds of audio those chunks hold
    synth_calls       chunks synthesized (not from the cache)
    underruns         times the listener waited between chunks for synthesis
    total_wait_s      how long in all
    producer_idle_s   time the producer rested because it was far enough ahead
    producer_done_at  when the last chunk was made
    """

    started_at: float | None = None
    first_audio_at: float | None = None
    finished_at: float | None = None
    synth_s: float = 0.0
    made_s: float = 0.0
    synth_calls: int = 0
    underruns: int = 0
    total_wait_s: float = 0.0
    producer_idle_s: float = 0.0
    producer_done_at: float | None = None

    def add_synthesis(self, synth_s: float, audio_s: float) -> None:
        """One chunk made by the engine (cache hits are not counted)."""
        self.synth_s += synth_s
        self.made_s += audio_s
        self.synth_calls += 1

    def add_wait(self, wait_s: float) -> None:
        """The listener waited `wait_s` between two chunks."""
        self.underruns += 1
        self.total_wait_s += wait_s

    @property
    def rtf(self) -> float | None:
        """Measured engine seconds per second of audio, None until a chunk is made."""
        return self.synth_s / self.made_s if self.made_s > 0 else None

    @property
    def ttfa_s(self) -> float | None:
        """Time from `start()` to the first samples handed to the sink."""
        if self.started_at is None or self.first_audio_at is None:
            return None
        return self.first_audio_at - self.started_at

    @property
    def overhead(self) -> float | None:
        """Streaming's cost around synthesis: producer working time / engine time - 1.

        Working time is from `start()` to the last chunk made, less the time the
        producer rested because it was far enough ahead of the listener.
        """
        if self.producer_done_at is None or self.started_at is None or self.synth_s <= 0:
            return None
        busy = self.producer_done_at - self.started_at - self.producer_idle_s
        return busy / self.synth_s - 1.0

    def planning_rtf(self, recorded: float | None) -> float | None:
        """The RTF to plan with: this narration's own once it has a few seconds of
        audio, else the voice's record, else whatever this narration has."""
        if self.made_s >= RTF_SETTLES_S:
            return self.rtf
        return recorded if recorded is not None else self.rtf
