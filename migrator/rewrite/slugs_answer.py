"""Ids of objects read from a create's answer by slug (part of `rewrite.slug-ids`).

A script takes the slug of what it just created from the create's answer
and addresses it by that slug:

    resp = requests.post(PLANS_URL % WORKSPACE, data=json.dumps(plan))
    plan_id = resp.json()["name"].split("/")[-1]
    requests.get(PLAN_URL % (WORKSPACE, plan_id))

The object did not exist when the id map was fetched, so a generated lookup
of `plan_id` would surely fail; its Public id is in the same answer:

    requests.get(PLAN_URL % (resp.json()["data"]["trackingPlan"]["id"],))

See `slug_of_answer` for when. Used by the paths kind (`slugs.resolve_id`)
and by templates filled at their calls (`slugs.at_call`).
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from migrator.rewrite.context import FileContext
from migrator.rewrite.responses_created import answer_of, answered, single_value
from migrator.rewrite.slugs_created import id_field_of
from migrator.rewrite.table import table_for
from migrator.ruleset.models import IdRef
from migrator.ruleset.templates import Template


@dataclass(frozen=True)
class FromAnswer:
    """The id of an object the code created, read from the create's answer."""

    reading: str
    """Source of the answer: the name holding `.json()`, or `resp.json()`."""
    keys: list[str]
    quote: str
    """Quote of the `"name"` key the code read (the file's style)."""
    url: cst.BaseExpression

    def text(self, avoid: str | None = None) -> str:
        """The expression; `avoid`: the quote of an f-string it lands in."""
        quote = self.quote if self.quote != avoid else ("'" if avoid == '"' else '"')
        return self.reading + "".join(f"[{quote}{k}{quote}]" for k in self.keys)


def slug_of_answer(ctx: FileContext, node: cst.BaseExpression, ref: IdRef, use: cst.CSTNode) -> FromAnswer | None:
    """`plan_id = resp.json()["name"].split("/")[-1]` (or `.rsplit("/", 1)[-1]`,
    or `created["name"]…` with `created = resp.json()`), bound once before
    `use` in its function, where `resp` answers a create whose object the id
    `ref` names (a key of one parameter): that object's Public id is in the
    answer, and the id map cannot hold it."""
    if not isinstance(node, cst.Name) or len(Template(ref.key).params) != 1:
        return None
    value = single_value(ctx, node, use)
    read = _last_segment_of_name(value)
    if read is None:
        return None
    holder, key = read
    table = table_for(ctx.rules)
    if isinstance(holder, cst.Name):
        answer, reading = answered(ctx, table, holder, use), holder.value
    elif (
        isinstance(holder, cst.Call) and not holder.args and isinstance(holder.func, cst.Attribute)
        and holder.func.attr.value == "json" and isinstance(holder.func.value, cst.Name)
    ):
        call = single_value(ctx, holder.func.value, use)
        answer = answer_of(ctx, table, call) if isinstance(call, cst.Call) else None
        reading = holder.func.value.value + ".json()"
    else:
        return None
    if answer is None or answer.method != "POST" or answer.row.request != answer.resource.kind:
        return None
    id_field = id_field_of(answer.resource, ref)
    if id_field is None:
        return None
    resource = answer.resource
    keys = [ctx.rules.envelope.data_key, *([resource.public_key] if resource.public_key else []),
            *id_field.split(".")]
    return FromAnswer(reading, keys, key.quote[0] if key.quote else '"', answer.url)


def _last_segment_of_name(value: cst.BaseExpression | None) -> tuple[cst.BaseExpression, cst.SimpleString] | None:
    """`x["name"].split("/")[-1]` or `x["name"].rsplit("/", 1)[-1]`: `x` and the key literal."""
    if not (isinstance(value, cst.Subscript) and len(value.slice) == 1 and isinstance(value.slice[0].slice, cst.Index)):
        return None
    index = value.slice[0].slice.value
    if not (isinstance(index, cst.UnaryOperation) and isinstance(index.operator, cst.Minus)
            and isinstance(index.expression, cst.Integer) and index.expression.value == "1"):
        return None
    call = value.value
    if not (isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute)):
        return None
    args = [a.value for a in call.args if a.keyword is None and not a.star]
    if len(args) != len(call.args) or not args or not (isinstance(args[0], cst.SimpleString) and args[0].evaluated_value == "/"):
        return None
    method = call.func.attr.value
    if not (
        (method == "split" and len(args) == 1)
        or (method == "rsplit" and len(args) == 2 and isinstance(args[1], cst.Integer) and args[1].value == "1")
    ):
        return None
    named = call.func.value
    if not (isinstance(named, cst.Subscript) and len(named.slice) == 1 and isinstance(named.slice[0].slice, cst.Index)):
        return None
    key = named.slice[0].slice.value
    if not (isinstance(key, cst.SimpleString) and key.evaluated_value == "name"):
        return None
    return named.value, key
