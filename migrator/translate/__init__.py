"""Config API JSON → Public API JSON, driven by the table.

    from migrator.ruleset import load_rules
    from migrator.translate import translate

    result = translate(doc, load_rules())                       # a response body
    call = translate(body, rules, endpoint="PATCH /v1beta/...", request=True).document
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from collections.abc import Iterable
from typing import Any

from migrator.idmap import EMPTY, IdMap
from migrator.ruleset import RuleSet
from migrator.translate.context import Context, GivenIds, Report, TranslateError
from migrator.translate.lacking import report_lacking
from migrator.translate.request import translate_request
from migrator.translate.response import check_parents, translate_response

__all__ = ["GivenIds", "Report", "TranslateError", "TranslateResult", "translate"]

@dataclass(frozen=True)
class TranslateResult:
    document: Any
    """The Public body (response mode) or call description (request mode)."""
    kind: str
    """Resource kind, or `error`, `status`, `public` (already Public: unchanged), `request`."""
    reports: tuple[Report, ...]
    unchanged: bool = False
    """The input was already Public and is given back as it was (a Public
    response body; in request mode, a Public call, or a call made around a
    Public body kept whole)."""

    def count(self, kind: str) -> int:
        return sum(1 for r in self.reports if r.kind == kind)


def translate(
    document: Any,
    rules: RuleSet,
    ids: IdMap | None = None,
    *,
    endpoint: str | None = None,
    request: bool = False,
    repeated: Iterable[tuple[str, str, Any]] = (),
    given: GivenIds | None = None,
) -> TranslateResult:
    """Translate one Config document; raises `TranslateError` when it cannot.

    `repeated` lists the values that repeated keys of the input text hid
    (`migrator.translate.jsontext.duplicates`): each is reported as a conflict.
    `given`, shared by the documents of a run, holds the Public ids they got
    (a filter's): one another Config object already got is a conflict."""
    ctx = Context(rules, ids or EMPTY, "request" if request else "response", checks=True, types=True,
                  config_defaults=True, response_defaults=True, refuse_empty=True, encode_paths=True,
                  passthrough=True, given=given or GivenIds())
    for path, key, value in repeated:
        ctx.repeated_key(path, key, value)
    match = None
    if endpoint is not None:
        match = rules.match_endpoint(endpoint, document)
        if match is None:
            raise TranslateError(f"no Config API endpoint in the table matches {json.dumps(endpoint, ensure_ascii=False)}")
    ctx.endpoint = dict(match.params) if match is not None else None
    if request:
        if match is None:
            raise TranslateError("request mode needs an endpoint (--endpoint \"METHOD /v1beta/...\")")
        ctx.call = dict(match.params)
        call = translate_request(document, ctx, match)
        return TranslateResult(call, "request", tuple(ctx.reports), ctx.unchanged)
    output, kind = translate_response(document, ctx, match)
    report_lacking(output, kind, ctx)
    check_parents(document, kind, ctx)
    return TranslateResult(output, kind, tuple(ctx.reports), kind == "public")
