"""Export: articles in, finished podcast episodes out.

The parts, each a module with one job:

    job.py      ArticleJob.from_article(): the one rule for what an article to
                export is (identity, date with its zone, source, link)
    sidecar.py  EpisodeSidecar: the one schema of an exported episode
    names.py    claim_slugs(): file names handed out under the folder's lock
    render.py   a script's narration written to a spool on disk, chunk by chunk
    episode.py  export_article(): one job into a folder, atomically; and
                narrate_to_file() for `narrator speak -o`
    batch.py    export_articles(): many sources, in-process or in workers
    cluster.py  the same batch on Ray's engine actors (`--ray`; Ray is
                imported only there, and only then)
    dates.py    the time-zone rule for article dates

Callers import from here (`from narrator.export import export_articles`).
"""

from narrator.export.batch import (
    EngineLoadError,
    EngineSpec,
    ExportPlan,
    ExportSummary,
    export_articles,
    gather_articles,
    plan_export,
)
from narrator.export.episode import (
    EXPORT_VERSION,
    ArticleResult,
    ExportSettings,
    NarratedFile,
    Progress,
    ProgressFn,
    content_hash,
    episode_paths,
    export_article,
    narrate_to_file,
)
from narrator.export.job import ArticleJob
from narrator.export.names import claim_slugs
from narrator.export.sidecar import (
    SIDECAR_MARK,
    ChunkRecord,
    EpisodeSidecar,
    LoudnessRecord,
    NotASidecar,
    SidecarError,
)

__all__ = [
    "EXPORT_VERSION",
    "SIDECAR_MARK",
    "ArticleJob",
    "ArticleResult",
    "ChunkRecord",
    "EngineLoadError",
    "EngineSpec",
    "EpisodeSidecar",
    "ExportPlan",
    "ExportSettings",
    "ExportSummary",
    "LoudnessRecord",
    "NarratedFile",
    "NotASidecar",
    "Progress",
    "ProgressFn",
    "SidecarError",
    "claim_slugs",
    "content_hash",
    "episode_paths",
    "export_article",
    "export_articles",
    "gather_articles",
    "narrate_to_file",
    "plan_export",
]
