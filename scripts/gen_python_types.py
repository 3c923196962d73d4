#!/usr/bin/env python3
"""Write bindings-python/python/cartlift/schema.py from include/cartlift.schema.json (TypedDicts and Literals).

The schema is generated from the core's Rust request and answer types (`cartlift schema`); this turns each of its
definitions into a TypedDict (objects), a Literal (string enums) or an alias. No PyPI generator fits without
pydantic at run time (the package has no runtime dependencies), so this is a small one over the schema's subset
that schemars writes. Python-only names (Money accepts a Decimal, Cart any iterable, Source a path or records,
which Engine.train takes where the JSON TrainRequest has `string | record[]`) are written by hand in PREAMBLE.

Usage: gen_python_types.py [--check]   (--check: fail when the committed schema.py differs, as CI does)
"""

from __future__ import annotations

import json
import keyword
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "include" / "cartlift.schema.json"
OUT = ROOT / "bindings-python" / "python" / "cartlift" / "schema.py"

PREAMBLE = '''"""The shared request/response schema as Python types (TypedDicts for annotations; plain dicts at runtime).

Generated from include/cartlift.schema.json by scripts/gen_python_types.py: do not edit (scripts/gen-schema.sh).
"""

import os
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, Dict, List, Literal, Optional, Tuple, TypedDict, Union

# Money in: a Decimal, a decimal str ("19.99"), or an int meaning whole units (20 is "20.00"). Never float.
Money = Union[Decimal, str, int]
StrPath = Union[str, "os.PathLike[str]"]
# The records of a train input, in memory: for products each a ProductRecord (or a Shopify product), for orders
# an OrderRecord (or a Shopify order), then a RuleRecord, BundleRecord, ExperimentRecord or EventRecord; typed as
# any mapping so that dicts built at run time pass. The JSON form of the whole request, as the C and PHP bindings
# take it, is TrainRequest.
Records = Iterable[Mapping[str, Any]]
Source = Union[StrPath, Records]
'''

# Definitions written by hand above (Money) or under another Python name (the object form of a cart line is
# `CartLine`; a whole cart is `Cart`, any iterable of ids or lines).
RENAMED = {"MoneyInput": "Money", "CartLineObject": "CartLine", "CartLineInput": "Union[str, CartLine]"}
SKIPPED = {"MoneyInput", "CartLineInput"}
# Names of the hand-written package that are not schema definitions.
EXTRA = {
    "Cart": "Iterable[Union[str, CartLine]]",
}
HAND_NAMES = ["Money", "Records", "Source", "StrPath"]


def ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def py_name(name: str) -> str:
    return RENAMED.get(name, name)


def type_of(schema: Any) -> str:
    """The Python annotation of a (sub)schema."""
    if schema is True or schema == {}:
        return "Any"
    if "$ref" in schema:
        return py_name(ref_name(schema["$ref"]))
    if len(schema.get("allOf", [])) == 1:  # a reference with a default or description beside it
        return type_of(schema["allOf"][0])
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return union([type_of(s) for s in schema[key]])
    if "const" in schema:
        return f"Literal[{json.dumps(schema['const'])}]"
    if "enum" in schema:
        return union([f"Literal[{json.dumps(v)}]" if v is not None else "None" for v in schema["enum"]])
    kind = schema.get("type")
    if isinstance(kind, list):
        return union([type_of({**schema, "type": k}) for k in kind])
    if kind == "array":
        items = schema.get("items", True)
        if isinstance(items, list) or "prefixItems" in schema:
            parts = schema.get("prefixItems", items)
            return f"Tuple[{', '.join(type_of(p) for p in parts)}]"
        return f"List[{type_of(items)}]"
    if kind == "object":
        values = schema.get("additionalProperties", True)
        return f"Dict[str, {type_of(values)}]" if not schema.get("properties") else "Dict[str, Any]"
    if kind is None:  # any JSON value (a `serde_json::Value` field)
        return "Any"
    return {"string": "str", "integer": "int", "number": "float", "boolean": "bool", "null": "None"}[kind]


def union(parts: list[str]) -> str:
    unique = list(dict.fromkeys(parts))
    if "None" in unique and len(unique) == 2:
        other = next(p for p in unique if p != "None")
        return f"Optional[{other}]"
    literals = [p for p in unique if p.startswith("Literal[")]
    if len(literals) == len(unique) and len(unique) > 1:
        return "Literal[" + ", ".join(p[len("Literal[") : -1] for p in unique) + "]"
    return unique[0] if len(unique) == 1 else f"Union[{', '.join(unique)}]"


def docstring(schema: Any, indent: str) -> list[str]:
    text = schema.get("description") if isinstance(schema, dict) else None
    return [f"{indent}#: {line}".rstrip() for line in text.splitlines()] if text else []


def typed_dict(name: str, schema: dict[str, Any]) -> list[str]:
    props: dict[str, Any] = schema.get("properties", {})
    required = [p for p in props if p in schema.get("required", [])]
    optional = [p for p in props if p not in required]
    out = [f"# {line}".rstrip() for line in schema.get("description", "").splitlines()]

    def fields(names: list[str]) -> list[str]:
        lines: list[str] = []
        for p in names:
            lines += docstring(props[p], "    ") + [f"    {p}: {type_of(props[p])}"]
        return lines

    def functional(target: str, names: list[str]) -> list[str]:
        """The call form, for keys that are Python keywords (a complement rule's `from`)."""
        items = [line for p in names for line in [*docstring(props[p], "    "), f'    "{p}": {type_of(props[p])},']]
        return [f'{target} = TypedDict("{target}", {{', *items, "})"]

    if any(keyword.iskeyword(p) for p in optional):
        raise SystemExit(f"{name}: an optional field named by a Python keyword has no TypedDict form here")
    if any(keyword.iskeyword(p) for p in required):
        out += [*functional(f"_{name}Required" if optional else name, required)]
        if optional:
            out += ["", "", f"class {name}(_{name}Required, total=False):", *fields(optional)]
    elif required and optional:
        out += [f"class _{name}Required(TypedDict):", *fields(required), "", ""]
        out += [f"class {name}(_{name}Required, total=False):", *fields(optional)]
    elif optional:
        out += [f"class {name}(TypedDict, total=False):", *fields(optional)]
    else:
        out += [f"class {name}(TypedDict):", *(fields(required) or ["    pass"])]
    return out


def references(schema: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(schema, dict):
        if "$ref" in schema:
            found.add(ref_name(schema["$ref"]))
        for v in schema.values():
            found |= references(v)
    elif isinstance(schema, list):
        for v in schema:
            found |= references(v)
    return found


def in_dependency_order(defs: dict[str, Any]) -> list[str]:
    """Definitions before their users (TypedDict annotations are evaluated when the class is made), by name."""
    done: list[str] = []

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in done or name in path:
            return
        for dep in sorted(references(defs[name])):
            visit(dep, path + (name,))
        done.append(name)

    for name in sorted(defs):
        visit(name, ())
    return done


def hoist_titled(defs: dict[str, Any]) -> dict[str, Any]:
    """Definitions plus every inline object schema with a `title` (a variant of a tagged enum, e.g. `PinRule` of
    `RuleRecord`) as a definition of that name, referenced where it was: a TypedDict each, as TypeScript names
    them an interface each."""
    out = dict(defs)

    def walk(schema: Any, top: bool) -> Any:
        if isinstance(schema, list):
            return [walk(s, False) for s in schema]
        if not isinstance(schema, dict):
            return schema
        schema = {k: walk(v, False) for k, v in schema.items()}
        title = schema.get("title")
        if not top and title and schema.get("type") == "object" and "properties" in schema:
            if title in out:
                raise SystemExit(f"the title {title} of an inline schema is also a definition's name")
            out[title] = schema
            return {"$ref": f"#/definitions/{title}"}
        return schema

    for name, schema in defs.items():
        out[name] = walk(schema, True)
    return out


def render(document: dict[str, Any]) -> str:
    defs: dict[str, Any] = hoist_titled(document["definitions"])
    blocks: list[list[str]] = []
    names = list(HAND_NAMES)
    for name in in_dependency_order(defs):
        if name in SKIPPED:
            continue
        schema = defs[name]
        target = py_name(name)
        names.append(target)
        if schema.get("type") == "object" and "properties" in schema:
            blocks.append(typed_dict(target, schema))
        else:
            blocks.append([*(f"# {l}".rstrip() for l in schema.get("description", "").splitlines()),
                           f"{target} = {type_of(schema)}"])
        if target == "CartLine":
            blocks.append([f"Cart = {EXTRA['Cart']}"])
            names.append("Cart")
    body = "\n\n\n".join("\n".join(b) for b in blocks)
    exported = "\n".join(f'    "{n}",' for n in sorted(set(names)))
    return f"{PREAMBLE}\n\n{body}\n\n\n__all__ = [\n{exported}\n]\n"


def main() -> int:
    text = render(json.loads(SCHEMA.read_text()))
    if sys.argv[1:] == ["--check"]:
        if OUT.read_text() != text:
            print(f"{OUT.relative_to(ROOT)} drifted from {SCHEMA.relative_to(ROOT)}: run scripts/gen-schema.sh and "
                  "commit the result", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
