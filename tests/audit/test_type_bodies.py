"""`type_bodies`: where the bodies of types named after resources are."""

from __future__ import annotations

import re

import pytest

from migrator.audit.type_bodies import owner_at, owners, type_bodies

SIGN = re.compile(r"\b(?:type[ \t]+(?P<type>Source)(?=[ \t]+struct\b|[ \t]*=[ \t]*\{)|(?:interface|class)[ \t]+(?P<class>Source|Label)\b)")


def bodies(text: str, language: str) -> list[str]:
    return [text[start:end] for start, end in type_bodies(text, language, SIGN.finditer(text))]


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("js", 'interface Source { a: "}"; b: `${ {c: 1} }}`; /* } */ r: /\\}/ }\nx = 1 / 2 / 3 }\n',
         ['interface Source { a: "}"; b: `${ {c: 1} }}`; /* } */ r: /\\}/ }']),
        # a sign in a comment or a string opens no body; `extends` and type parameters do not stop it
        ("js", '// interface Source\nexport interface Other { a: 1 }\ns = "class Source {}";\n'
               "class Label<T> extends Base<T> implements X { y() { return {}; } }\n",
         ["class Label<T> extends Base<T> implements X { y() { return {}; } }"]),
        ("js", "type Source = Base & { a: 1 }\nclass Source extends mix(A, B) { }\n", []),  # not read: not told
        ("go", 'type Source struct {\n\tA string `json:"}"` // }\n\tB rune /* } */\n}\nfunc f() {}\n',
         ['type Source struct {\n\tA string `json:"}"` // }\n\tB rune /* } */\n}']),
        ("js", "interface Source {\n  a: string;\n", []),  # never closed
        ("python", 'class Source(TypedDict):\n    a: str\n    """\nnot indented\n"""\n    b: str\nc = 1\n',
         ['class Source(TypedDict):\n    a: str\n    """\nnot indented\n"""\n    b: str\n']),
        ("python", "class Source(TypedDict):\n    a: str\n  b = (\n", []),  # does not parse
        ("ruby", "class Source\n  attr_reader :a\nend\n", []),
    ],
)
def test_type_bodies(language: str, text: str, expected: list[str]) -> None:
    assert bodies(text, language) == expected


def test_the_innermost_body_owns_each_place() -> None:
    segments = owners([(0, 100), (10, 20), (30, 50), (35, 40), (200, 300)])
    assert segments == [(0, 10, 0), (10, 20, 10), (20, 30, 0), (30, 35, 30), (35, 40, 35), (40, 50, 30),
                        (50, 100, 0), (200, 300, 200)]
    assert [owner_at(segments, at) for at in (0, 19, 20, 36, 45, 99, 100, 150, 299, 300)] == \
        [0, 10, 0, 35, 30, 0, -1, -1, 200, -1]
