"""The embedded database (DuckDB) and its CSV copies, written atomically.

The schema lives here, in one place: each table is a record type, each column a field.
Everything is written into a staging area first and moved into place with renames, so a
crash leaves the previous outputs intact, never a half-written database or CSV.
"""

from __future__ import annotations

import dataclasses
import errno
import json
import logging
import os
import shutil
import tempfile
import types
import typing
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

import duckdb
import pandas as pd

log = logging.getLogger(__name__)

DATABASE_NAME = "recap.duckdb"
TABLES_DIR = "tables"
LOCK_NAME = ".recap.lock"
# Written by the fact sheets and figures into the staging folder, swapped in with the tables.
REPORT_DIRS = ("factsheets", "figures")
# Everything one run owns in its output folder, swapped in together.
RUN_LOG = "run.log"  # tracebacks of the unexpected errors that made a run skip posts
RUN_ITEMS = (DATABASE_NAME, TABLES_DIR, *REPORT_DIRS, RUN_LOG)
# Present while a complete staging folder is being swapped in: names that folder.
JOURNAL_NAME = ".recap.swap"
# OWASP CSV injection: a text cell starting with one of these is read as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# Rows per DuckDB insert and CSV write: one frame of this many rows at a time, not the table's.
WRITE_CHUNK_ROWS = 20_000

_SQL_TYPES: dict[Any, str] = {str: "VARCHAR", int: "BIGINT", float: "DOUBLE", bool: "BOOLEAN"}


class OutputLockedError(RuntimeError):
    """Another run is writing to the same output folder."""


class OutputFolderError(RuntimeError):
    """The output folder cannot be created or written; the message names path and reason."""


@dataclasses.dataclass(frozen=True)
class Table:
    """A table to write: its name, its columns with SQL types, and its rows, read in slices.

    ``cells(first, stop)`` gives rows ``first`` to ``stop`` column by column (each column's
    cells in row order). The writer asks for :data:`WRITE_CHUNK_ROWS` rows at a time, so the
    cells of a large table are never all built at once: a 5,000-post run's sentences are
    about 270,000 rows, and their sentiment drivers alone are a JSON text per row.
    """

    name: str
    columns: dict[str, str]
    n_rows: int
    cells: Callable[[int, int], dict[str, list[Any]]]

    @property
    def values(self) -> dict[str, list[Any]]:
        """Every cell, column by column (built on each call)."""
        return self.cells(0, self.n_rows)

    @property
    def rows(self) -> list[dict[str, Any]]:
        """The rows as dicts (for tests and small tables; built on each call)."""
        values = self.values
        names = list(self.columns)
        columns = zip(*(values[name] for name in names), strict=True)
        return [dict(zip(names, cells, strict=True)) for cells in columns]


def table_from_records(
    name: str,
    record_type: type,
    records: Iterable[Any],
    attributes: Mapping[str, str] | None = None,
) -> Table:
    """A table whose columns are the fields of ``record_type``, its rows ``records``.

    ``attributes`` (column -> field), when given, picks and renames the columns. Tuples are
    stored as JSON arrays so CSV and database hold the same text. The records are kept (a
    list of references); their cells are built slice by slice when the table is written.
    """
    hints = typing.get_type_hints(record_type)
    if attributes is None:
        attributes = {f.name: f.name for f in dataclasses.fields(record_type)}
    columns = {column: _sql_type(hints[field]) for column, field in attributes.items()}
    kept = records if isinstance(records, list) else list(records)  # read once for every slice

    def cells(first: int, stop: int) -> dict[str, list[Any]]:
        chunk = kept[first:stop]
        return {c: [_cell(getattr(record, f)) for record in chunk] for c, f in attributes.items()}

    return Table(name, columns, len(kept), cells)


def table_from_rows(name: str, columns: dict[str, str], rows: list[dict[str, Any]]) -> Table:
    """A table of rows given as dicts (a missing key is a missing cell)."""

    def cells(first: int, stop: int) -> dict[str, list[Any]]:
        return {c: [_cell(row.get(c)) for row in rows[first:stop]] for c in columns}

    return Table(name, columns, len(rows), cells)


def _sql_type(hint: Any) -> str:
    origin = typing.get_origin(hint)
    if origin is typing.Literal:
        return "VARCHAR"
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        return _sql_type(args[0])
    return _SQL_TYPES.get(hint, "VARCHAR")


def _cell(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return json.dumps(list(value), ensure_ascii=False)
    return value


def write_outputs(
    out_dir: Path,
    tables: Iterable[Table],
    reports: Callable[[Path], object] | None = None,
    *,
    run_log: str = "",
) -> None:
    """Write the database, one CSV per table and the reports into ``out_dir``, atomically.

    Everything is written into a staging folder first; ``reports`` (if given) is called with
    that folder once its database is complete, and writes the fact sheets and figures there.
    The staged items then replace the previous run's together: a report folder (or run log)
    the new run does not write is removed, so nothing of an older run stays beside the new
    tables. ``run_log``, when not empty, is written to ``run.log``.

    ``tables`` may be a generator: each table is written to the database and to its CSV as
    soon as it is built, and released before the next one is built, so a run holds one
    table's rows at a time, not every table's (the rows of a 5,000-post run weigh hundreds
    of MiB).

    Raises:
        OutputFolderError: the folder cannot be written (full disk, read-only...); the
            previous outputs are left intact.
    """
    ensure_output_folder(out_dir)
    try:
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=out_dir))
    except OSError as error:
        raise _folder_error(out_dir, error) from None
    try:
        _write_staging(staging, tables, reports)
        if run_log:
            (staging / RUN_LOG).write_text(run_log + "\n", encoding="utf-8")
        _commit(out_dir, staging)
    except OSError as error:
        raise _folder_error(out_dir, error, intact=True) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _write_staging(
    staging: Path, tables: Iterable[Table], reports: Callable[[Path], object] | None
) -> None:
    (staging / TABLES_DIR).mkdir()
    database = staging / DATABASE_NAME
    for table in tables:
        _write_table(database, staging / TABLES_DIR / f"{table.name}.csv", table)
        del table  # released before the next table is built
    if not database.exists():  # a run with no tables still leaves an (empty) database
        duckdb.connect(str(database)).close()
    if reports is not None:
        reports(staging)


def _write_table(database: Path, csv_path: Path, table: Table) -> None:
    """One table into the database and its CSV, :data:`WRITE_CHUNK_ROWS` rows at a time.

    Each table gets its own connection, checkpointed and closed once the table is in: DuckDB
    keeps the buffers of what a connection inserted until it closes, so one connection for
    every table held all of them at once (a 5,000-post run's sentences alone are about
    270,000 rows). One thread: the inserts are small, and each thread keeps its own buffers.
    """
    connection = duckdb.connect(str(database), config={"threads": 1})
    try:
        columns = ", ".join(f'"{name}" {sql}' for name, sql in table.columns.items())
        connection.execute(f'CREATE TABLE "{table.name}" ({columns})')
        with csv_path.open("w", encoding="utf-8", newline="") as handle:
            for first in range(0, max(table.n_rows, 1), WRITE_CHUNK_ROWS):
                frame = _frame(table, first, first + WRITE_CHUNK_ROWS)
                if len(frame):
                    connection.execute(f'INSERT INTO "{table.name}" SELECT * FROM frame')
                _write_csv(handle, table, frame, header=first == 0)
                del frame
        connection.execute("CHECKPOINT")
    finally:
        connection.close()


def _commit(out_dir: Path, staging: Path) -> None:
    """Swap the staged items in, after a journal naming the staging folder is on disk."""
    journal = out_dir / JOURNAL_NAME
    with journal.open("w", encoding="utf-8") as handle:
        handle.write(staging.name)
        handle.flush()
        os.fsync(handle.fileno())
    _roll_forward(out_dir, staging)
    journal.unlink()


def _roll_forward(out_dir: Path, staging: Path) -> None:
    """Move each staged item into place (idempotent: a killed swap is finished by the next run).

    The previous item goes into ``staging/.old`` first, so a half-done swap can always be
    finished from what is on disk; items the staging folder lacks are moved aside too.
    """
    aside = staging / ".old"
    aside.mkdir(exist_ok=True)
    for name in RUN_ITEMS:
        target, new = out_dir / name, staging / name
        if new.exists():
            if target.exists() and not (aside / name).exists():
                os.replace(target, aside / name)
            elif target.exists():
                _remove(target)
            os.replace(new, target)
        elif target.exists() and not (aside / name).exists() and name != DATABASE_NAME:
            os.replace(target, aside / name)


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    else:
        path.unlink()


def ensure_output_folder(out_dir: Path) -> None:
    """Create ``out_dir`` if needed and check it is a writable folder.

    Raises:
        OutputFolderError: ``--out`` names a file, a folder that cannot be created or one
            that cannot be written, with the path and the reason.
    """
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputFolderError(f"output folder {out_dir}: exists and is not a folder")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise _folder_error(out_dir, error, verb="cannot be created") from None
    if not os.access(out_dir, os.W_OK | os.X_OK):
        raise OutputFolderError(f"output folder {out_dir}: not writable (permission denied)")


def _folder_error(
    out_dir: Path, error: OSError, *, intact: bool = False, verb: str = "cannot be written"
) -> OutputFolderError:
    reason = error.strerror or str(error)
    if error.errno == errno.ENOSPC:
        reason = "no space left on device"
    where = f" ({error.filename})" if error.filename and str(error.filename) != str(out_dir) else ""
    kept = "; the previous outputs are left intact" if intact else ""
    return OutputFolderError(f"output folder {out_dir} {verb}: {reason}{where}{kept}")


def safe_csv_cell(value: Any) -> Any:
    """A text cell a spreadsheet will not run as a formula (OWASP CSV injection rule).

    Text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
    ``'``; numbers, missing values and other text are returned unchanged.

    Example: ``"=HYPERLINK(...)"`` -> ``"'=HYPERLINK(...)"``; ``"-0,4 point"`` ->
    ``"'-0,4 point"``; ``-0.4`` (a float) -> ``-0.4``.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _write_csv(handle: TextIO, table: Table, frame: pd.DataFrame, *, header: bool) -> None:
    """Rows of the table as CSV: text columns made safe (``frame`` is changed), numbers untouched.

    CRLF line ends (RFC 4180): the csv writer then quotes a cell holding a lone "\r".
    """
    for column, sql_type in table.columns.items():
        if sql_type == "VARCHAR":
            frame[column] = frame[column].map(safe_csv_cell, na_action="ignore").astype("string")
    frame.to_csv(handle, index=False, header=header, lineterminator="\r\n")


def _frame(table: Table, first: int, stop: int) -> pd.DataFrame:
    """Rows ``first`` to ``stop`` of the table as a frame with nullable column types."""
    frame = pd.DataFrame(table.cells(first, stop), columns=list(table.columns))
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


def recover_interrupted(out_dir: Path) -> None:
    """Finish a swap a killed run left half-done, and drop unfinished staging folders.

    A journal names a complete staging folder: its items are moved into place. Without one,
    staging folders are incomplete runs, removed; the previous outputs were never touched.
    Also puts back a tables folder left aside by older versions (``.tables.old``).
    """
    journal = out_dir / JOURNAL_NAME
    if journal.exists():
        staging = out_dir / journal.read_text(encoding="utf-8").strip()
        if staging.name.startswith(".staging-") and staging.is_dir():
            log.warning("finishing the interrupted write of %s", out_dir)
            _roll_forward(out_dir, staging)
        journal.unlink()
    old = out_dir / f".{TABLES_DIR}.old"
    if old.exists() and not (out_dir / TABLES_DIR).exists():
        os.replace(old, out_dir / TABLES_DIR)
    for staging in out_dir.glob(".staging-*"):
        shutil.rmtree(staging, ignore_errors=True)


@contextmanager
def output_lock(out_dir: Path) -> Iterator[None]:
    """Refuse a second concurrent run on the same output folder.

    Raises:
        OutputLockedError: another live process holds the lock.
        OutputFolderError: the folder cannot be created or written.
    """
    ensure_output_folder(out_dir)
    lock = out_dir / LOCK_NAME
    _clear_stale_lock(lock)
    try:
        descriptor = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        raise OutputLockedError(
            f"{out_dir} is in use by another run (lock file {lock}); wait for it to finish"
        ) from None
    except OSError as error:
        raise _folder_error(out_dir, error) from None
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
        log.warning("taking over the lock %s left by process %d, which has ended", lock, pid)
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
    """The names of a finished run's tables, sorted."""
    connection = duckdb.connect(str(out_dir / DATABASE_NAME), read_only=True)
    try:
        return sorted(row[0] for row in connection.execute("SHOW TABLES").fetchall())
    finally:
        connection.close()


def read_tables(out_dir: Path) -> dict[str, pd.DataFrame]:
    """Every table of a finished run, by name: what fact sheets and figures are drawn from."""
    connection = duckdb.connect(str(out_dir / DATABASE_NAME), read_only=True)
    try:
        names = sorted(row[0] for row in connection.execute("SHOW TABLES").fetchall())
        return {name: connection.execute(f'SELECT * FROM "{name}"').df() for name in names}
    finally:
        connection.close()
