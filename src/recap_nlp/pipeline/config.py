"""Settings: packaged defaults, then a user TOML file overriding only the keys it sets."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Any


class ConfigError(ValueError):
    """A user configuration file that cannot be used, with the file and the reason."""


def load_config(user_file: Path | None = None) -> dict[str, dict[str, Any]]:
    """The packaged defaults merged with ``user_file``; unknown keys are refused."""
    defaults = tomllib.loads(resources.files("recap_nlp").joinpath("defaults.toml").read_text())
    if user_file is None:
        return defaults
    try:
        user = tomllib.loads(user_file.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{user_file}: {error}") from None
    return merge_config(defaults, user, str(user_file))


def merge_config(
    defaults: dict[str, dict[str, Any]], user: dict[str, Any], source: str
) -> dict[str, dict[str, Any]]:
    merged = {section: dict(values) for section, values in defaults.items()}
    for section, values in user.items():
        if section not in defaults or not isinstance(values, dict):
            raise ConfigError(f"{source}: unknown section [{section}]")
        for key, value in values.items():
            if key not in defaults[section]:
                raise ConfigError(f"{source}: unknown key '{key}' in [{section}]")
            if not isinstance(value, type(defaults[section][key])):
                expected = type(defaults[section][key]).__name__
                raise ConfigError(f"{source}: [{section}] {key} must be a {expected}")
            merged[section][key] = value
    return merged
