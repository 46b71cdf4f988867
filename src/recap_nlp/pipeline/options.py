"""The settings of one run: packaged defaults (``defaults.toml``), a user file, then flags."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from recap_nlp.model import DEFAULT_MODEL


@dataclass(frozen=True)
class RunOptions:
    """Settings of one run (packaged defaults, overridden by the CLI)."""

    workers: int = 1
    batch_size: int = 16
    model: str = DEFAULT_MODEL
    gazetteer: str | None = None
    max_file_mb: int = 5
    cache_dir: str | None = None  # per-document results reused when a post is unchanged
    force: bool = False  # recompute every post even when the cache has it
    use_cache: bool = True  # `run` keeps the cache in OUT/.cache
    engine: str = "local"  # "local" or "dask": where per-document stages run
    scheduler: str | None = None  # Dask scheduler address; None starts a LocalCluster
    n_themes: int = 0  # 0: chosen automatically
    theme_method: str = "nmf"
    seed: int = 0

    @classmethod
    def from_settings(cls, settings: dict[str, dict[str, Any]], **overrides: Any) -> RunOptions:
        """Options from merged settings, then from flags that were given (not None)."""
        values = dict(settings["run"])
        themes = settings.get("themes", {})
        values.update(
            n_themes=themes.get("n_themes", 0),
            theme_method=themes.get("method", "nmf"),
            seed=themes.get("seed", 0),
        )
        values.update({key: value for key, value in overrides.items() if value is not None})
        return cls(**values)
