"""Instances of a class of the file whose methods give back migrated
responses, handed to code the rewrite does not follow.

In one file, `client = Client()` then `client.set_enabled(...)` is followed
(`Scope._method`), and so is the instance passed to a function of the file
(`cmd_toggle(client, args)`). Handed anywhere else (`HANDLERS[cmd](client,
args)`, `run(Client())`, `functools.partial(Client().set_enabled)`, `run(Client)`),
the code that gets it reads what those methods give back unseen, in the
Config shape: those uses are marked, as they are when the class is another
module's (`responses_imported`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from migrator.rewrite.responses_flow import PROPERTY, Shape, given_on
from migrator.rewrite.responses_imported import hands_on, mark_made, mark_passed, reference

if TYPE_CHECKING:
    from migrator.rewrite.responses import Writer


def given_here(writer: Writer, exported: dict[str, Shape]) -> dict[str, object]:
    """The methods (and property getters, `Client.data@property`) of the
    file's own classes that give back migrated responses (`Client.set_enabled`),
    of what `Flow.exports` found."""
    classes = writer.ctx.index.classes
    return {
        key: shape for key, shape in exported.items()
        if key.removesuffix(PROPERTY).count(".") == 1 and key.split(".")[0] in classes and given_on(shape)
    }


def mark_handed(writer: Writer, row: str, given: dict[str, object]) -> None:
    """Marks each use of a class of `given`, or of an instance of it, that
    hands it to code the flow does not follow."""
    if not given:
        return
    ctx = writer.ctx
    classes = frozenset(key.split(".")[0] for key in given)
    for klass in sorted(classes):
        for use in ctx.index.names.get(klass, ()):
            if not reference(ctx, use):
                continue
            holder = ctx.parent(use)
            if isinstance(holder, cst.Call) and holder.func is use:
                mark_made(writer, row, holder, klass, given)
            elif hands_on(ctx, use) and not isinstance(ctx.parent(holder), cst.ClassDef):
                # the class itself (`run(Client)`, `factory = Client`); a subclass of the file is another matter
                writer.mark(row, use, writer.message("handed-methods", name=klass))
    mark_passed(writer, row, classes)
