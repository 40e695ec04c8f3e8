"""Code that only shows a value: formats, prints or logs it.

An instance handed to such code has none of its methods called there
(`log.debug("client %r", client)`, `print(client)`, `f"{client}"`,
`"%r" % client`), so what those methods give back is not handed on.
"""

from __future__ import annotations

import libcst as cst

from migrator.rewrite.clients import LOG_METHODS, qualified_name
from migrator.rewrite.context import FileContext

HARMLESS = frozenset({
    "isinstance", "issubclass", "type", "id", "callable", "hasattr", "print", "repr", "str", "format",
})
"""Calls a class or an instance can be handed to without any method being called
(`getattr` too, with a literal name: `responses_taken` follows a method so taken)."""
LOGGERS = frozenset({"log", "logger"})
"""Names of a logger object (`log`, `_LOGGER`, `self.logger`), lower case, without leading underscores."""
TEXTS = (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)


def harmless_call(ctx: FileContext, call: cst.Call) -> bool:
    """`call` only tests, formats, prints or logs what it is given (see the module)."""
    func = call.func
    if isinstance(func, cst.Name):
        if func.value == "getattr":  # `getattr(client, action)` may give any of its methods
            return len(call.args) >= 2 and isinstance(call.args[1].value, cst.SimpleString)
        return func.value in HARMLESS
    if not isinstance(func, cst.Attribute):
        return False
    if func.attr.value == "format":
        return isinstance(func.value, TEXTS)  # `"client {}".format(client)`
    return func.attr.value in LOG_METHODS and _logger(ctx, func.value)


def _logger(ctx: FileContext, node: cst.BaseExpression) -> bool:
    """The `logging` module, `logging.getLogger(...)`, or a name or
    attribute named as a logger is (`log`, `logger`, `self._logger`)."""
    if isinstance(node, cst.Call):
        return qualified_name(ctx, node.func) == "logging.getLogger"
    if isinstance(node, cst.Name) and qualified_name(ctx, node) == "logging":
        return True
    name = node.value if isinstance(node, cst.Name) else node.attr.value if isinstance(node, cst.Attribute) else ""
    return name.lstrip("_").lower() in LOGGERS


def shown(ctx: FileContext, node: cst.BaseExpression) -> bool:
    """`node` is formatted into a text: `f"{node}"`, `"%r" % node`, `"%s %r" % (x, node)`."""
    holder = ctx.parent(node)
    if isinstance(holder, cst.FormattedStringExpression):
        return holder.expression is node
    if isinstance(holder, cst.Element):
        node = ctx.parent(holder)  # type: ignore[assignment]
        if not isinstance(node, cst.Tuple):
            return False
        holder = ctx.parent(node)
    return (isinstance(holder, cst.BinaryOperation) and isinstance(holder.operator, cst.Modulo)
            and holder.right is node and isinstance(holder.left, TEXTS))
