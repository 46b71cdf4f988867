from __future__ import annotations

from pathlib import Path

import pytest

from recap_nlp.pipeline.config import ConfigError, load_config
from recap_nlp.pipeline.options import RunOptions


def test_user_file_overrides_only_its_keys(tmp_path: Path) -> None:
    user = tmp_path / "recap.toml"
    user.write_text("[run]\nbatch_size = 8\n")
    settings = load_config(user)
    assert settings["run"]["batch_size"] == 8
    assert settings["run"]["model"] == "fr_core_news_sm"
    options = RunOptions.from_settings(settings, workers=2, batch_size=None)
    assert (options.workers, options.batch_size) == (2, 8)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[run]\nbatchsize = 8\n", "unknown key 'batchsize' in [run]"),
        ("[nope]\nx = 1\n", "unknown section [nope]"),
        ("[run]\nworkers = 'deux'\n", "workers must be a int"),
        ("[run\n", "recap.toml"),
    ],
)
def test_bad_user_file_names_file_and_problem(tmp_path: Path, content: str, message: str) -> None:
    user = tmp_path / "recap.toml"
    user.write_text(content)
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_config(user)


def test_packaged_defaults_are_the_options_defaults() -> None:
    # The library's RunOptions() and the CLI's packaged file must agree (batch size included).
    packaged = RunOptions.from_settings(load_config(None))
    assert packaged == RunOptions()
    assert packaged.batch_size == 16
