"""The embedded database (DuckDB) and its CSV copies, written atomically.

The schema lives here, in one place: each table is a record type, each column a field.
Everything is written into a staging area first and moved into place with renames, so a
crash leaves the previous outputs intact, never a half-written database or CSV.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import tempfile
import types
import typing
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

DATABASE_NAME = "recap.duckdb"
TABLES_DIR = "tables"
LOCK_NAME = ".recap.lock"

_SQL_TYPES: dict[Any, str] = {str: "VARCHAR", int: "BIGINT", float: "DOUBLE", bool: "BOOLEAN"}


class OutputLockedError(RuntimeError):
    """Another run is writing to the same output folder."""


@dataclasses.dataclass(frozen=True)
class Table:
    """A table to write: its name, its columns with SQL types, its rows."""

    name: str
    columns: dict[str, str]
    rows: list[dict[str, Any]]


def table_from_records(name: str, record_type: type, records: Sequence[Any]) -> Table:
    """Build a table whose columns are the fields of ``record_type``.

    Tuples are stored as JSON arrays so CSV and database hold the same text.
    """
    hints = typing.get_type_hints(record_type)
    columns = {f.name: _sql_type(hints[f.name]) for f in dataclasses.fields(record_type)}
    rows = [_row(record) for record in records]
    return Table(name, columns, rows)


def table_from_rows(name: str, columns: dict[str, str], rows: list[dict[str, Any]]) -> Table:
    return Table(name, columns, [{c: _cell(row.get(c)) for c in columns} for row in rows])


def _sql_type(hint: Any) -> str:
    origin = typing.get_origin(hint)
    if origin is typing.Literal:
        return "VARCHAR"
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        return _sql_type(args[0])
    return _SQL_TYPES.get(hint, "VARCHAR")


def _row(record: Any) -> dict[str, Any]:
    return {f.name: _cell(getattr(record, f.name)) for f in dataclasses.fields(record)}


def _cell(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return json.dumps(list(value), ensure_ascii=False)
    return value


def write_outputs(out_dir: Path, tables: Sequence[Table]) -> None:
    """Write the database and one CSV per table into ``out_dir``, atomically."""
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=out_dir))
    try:
        _write_database(staging / DATABASE_NAME, tables)
        (staging / TABLES_DIR).mkdir()
        for table in tables:
            _frame(table).to_csv(staging / TABLES_DIR / f"{table.name}.csv", index=False)
        os.replace(staging / DATABASE_NAME, out_dir / DATABASE_NAME)
        _swap_directory(staging / TABLES_DIR, out_dir / TABLES_DIR)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _frame(table: Table) -> pd.DataFrame:
    frame = pd.DataFrame(table.rows, columns=list(table.columns))
    for column, sql_type in table.columns.items():
        if sql_type == "BIGINT":
            frame[column] = frame[column].astype("Int64")
        elif sql_type == "DOUBLE":
            frame[column] = frame[column].astype("Float64")
        elif sql_type == "BOOLEAN":
            frame[column] = frame[column].astype("boolean")
        else:
            frame[column] = frame[column].astype("string")
    return frame


def _write_database(path: Path, tables: Sequence[Table]) -> None:
    connection = duckdb.connect(str(path))
    try:
        for table in tables:
            columns = ", ".join(f'"{name}" {sql}' for name, sql in table.columns.items())
            connection.execute(f'CREATE TABLE "{table.name}" ({columns})')
            if table.rows:
                frame = _frame(table)  # noqa: F841 -- read by DuckDB's replacement scan
                connection.execute(f'INSERT INTO "{table.name}" SELECT * FROM frame')
        connection.execute("CHECKPOINT")
    finally:
        connection.close()


def _swap_directory(new: Path, target: Path) -> None:
    """Replace ``target`` by ``new``; the old copy is kept until the new one is in place."""
    old = target.with_name(f".{target.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        os.replace(target, old)
    os.replace(new, target)
    shutil.rmtree(old, ignore_errors=True)


def recover_interrupted(out_dir: Path) -> None:
    """Put back a tables folder left aside by a run killed between two renames."""
    old = out_dir / f".{TABLES_DIR}.old"
    if old.exists() and not (out_dir / TABLES_DIR).exists():
        os.replace(old, out_dir / TABLES_DIR)
    for staging in out_dir.glob(".staging-*"):
        shutil.rmtree(staging, ignore_errors=True)


@contextmanager
def output_lock(out_dir: Path) -> Iterator[None]:
    """Refuse a second concurrent run on the same output folder."""
    out_dir.mkdir(parents=True, exist_ok=True)
    lock = out_dir / LOCK_NAME
    _clear_stale_lock(lock)
    try:
        descriptor = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        raise OutputLockedError(
            f"{out_dir} is in use by another run (lock file {lock}); wait for it to finish"
        ) from None
    with os.fdopen(descriptor, "w") as handle:
        handle.write(str(os.getpid()))
    try:
        yield
    finally:
        lock.unlink(missing_ok=True)


def _clear_stale_lock(lock: Path) -> None:
    try:
        pid = int(lock.read_text().strip() or "0")
    except (OSError, ValueError):
        return
    if pid and not _process_alive(pid):
        lock.unlink(missing_ok=True)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def read_table(out_dir: Path, name: str) -> pd.DataFrame:
    """One table of a finished run, from the database."""
    connection = duckdb.connect(str(out_dir / DATABASE_NAME), read_only=True)
    try:
        return connection.execute(f'SELECT * FROM "{name}"').df()
    finally:
        connection.close()


def list_tables(out_dir: Path) -> list[str]:
    connection = duckdb.connect(str(out_dir / DATABASE_NAME), read_only=True)
    try:
        return sorted(row[0] for row in connection.execute("SHOW TABLES").fetchall())
    finally:
        connection.close()
