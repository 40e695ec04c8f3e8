"""Postman environment files: the variables they set to the Config base.

A collection's requests start with a variable (`{{baseUrl}}/workspaces/acme/sources`)
that an environment file sets (`{"key": "baseUrl", "value":
"https://platform.segmentapis.com/v1beta"}`). Each file is scanned alone; so,
after the scan, when environment files of the run set variables to the
Config base, the run's Postman collections that use them are scanned again
with those names (`Auditor.scan`'s `variables`). Such an environment file
holds the Config host, a finding of its own: a run with none costs nothing.
"""

from __future__ import annotations

from migrator.audit.core import Auditor, decode
from migrator.audit.postman import base_variables, is_collection, is_environment, uses_variables
from migrator.audit.reading import Chunk, read_file
from migrator.audit.stats import file_type


def with_environments(run: Chunk, auditor: Auditor, json_files: list[str], max_size: int) -> None:
    """Scan again, in `run`, the collections among `json_files` that use a
    variable an environment file of the run sets to the Config base."""
    names: set[str] = set()
    environments = set()
    for result in run.results:
        if not result.findings or not result.path.lower().endswith(".json"):
            continue
        data, _ = read_file(result.path, max_size)
        if data is not None and is_environment(result.path, data):
            environments.add(result.path)
            names |= base_variables(decode(data)[0], auditor.config_base)
    if not names:
        return
    variables = frozenset(names)
    index = {r.path: i for i, r in enumerate(run.results)}
    for path in json_files:
        if path in environments:
            continue
        data, _ = read_file(path, max_size)
        if data is None or not is_collection(path, data) or not uses_variables(data, variables):
            continue
        result = auditor.scan(path, data, variables)
        if path in index:
            run.results[index[path]] = result
        elif result.findings or result.notes or result.suppressed:
            run.results.append(result)
            run.clean[file_type(path)] -= 1  # counted clean by the scan without the variables
