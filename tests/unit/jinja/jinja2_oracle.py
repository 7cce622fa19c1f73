"""Renders template cases with real Jinja2, configured as dbt configures it.

Reads a JSON list of cases on stdin ({"template", "context", "options"}) and
writes a JSON list of results: {"output": str} or {"error": {"type", "message"}}.
Context values {"$tuple": [...]}, {"$set": [...]} and {"$float": n} stand for
the Python values JSON cannot spell. The dbt macro tags (test, materialization,
docs) are re-implemented here, the way tspipe's macroTags option defines them.
"""

import json
import sys

import jinja2
from jinja2 import nodes
from jinja2.ext import Extension
from jinja2.sandbox import SandboxedEnvironment


def decode(value):
    if isinstance(value, list):
        return [decode(v) for v in value]
    if isinstance(value, dict):
        if set(value) == {"$tuple"}:
            return tuple(decode(v) for v in value["$tuple"])
        if set(value) == {"$set"}:
            return set(decode(v) for v in value["$set"])
        if set(value) == {"$float"}:
            return float(value["$float"])
        return {k: decode(v) for k, v in value.items()}
    return value


class CallableChainableUndefined(jinja2.ChainableUndefined):
    """tspipe's 'chainable' mode: ChainableUndefined that can also be called."""

    __slots__ = ()

    def __call__(self, *args, **kwargs):
        return self


def macro_tag(tag, build_name, with_signature):
    class MacroTag(Extension):
        tags = {tag}

        def parse(self, parser):
            node = nodes.Macro(lineno=next(parser.stream).lineno)
            name = parser.parse_assign_target(name_only=True).name
            node.args = []
            node.defaults = []
            if with_signature:
                parser.parse_signature(node)
            node.name = build_name(name, parser)
            node.body = parser.parse_statements((f"name:end{tag}",), drop_needle=True)
            return node

    # Jinja2 keys extensions by identifier, which defaults to the class name.
    MacroTag.identifier = f"tspipe.macro_tag.{tag}"
    return MacroTag


def materialization_name(name, parser):
    adapter = "default"
    while parser.stream.skip_if("comma"):
        option = parser.parse_assign_target(name_only=True).name
        if option == "default":
            continue
        parser.stream.expect("assign")
        value = parser.parse_expression()
        if option == "adapter":
            adapter = value.value
    return f"materialization_{name}_{adapter}"


MACRO_TAGS = [
    macro_tag("test", lambda name, parser: f"test_{name}", True),
    macro_tag("materialization", materialization_name, False),
    macro_tag("docs", lambda name, parser: f"docs_{name}", False),
]


def environment(options):
    extensions = ["jinja2.ext.do", "jinja2.ext.loopcontrols"]
    if options.get("macroTags"):
        extensions += MACRO_TAGS
    undefined = CallableChainableUndefined if options.get("undefined") == "chainable" else jinja2.Undefined
    return SandboxedEnvironment(
        extensions=extensions,
        undefined=undefined,
        trim_blocks=options.get("trimBlocks", False),
        lstrip_blocks=options.get("lstripBlocks", False),
        keep_trailing_newline=options.get("keepTrailingNewline", False),
    )


def error_type(e):
    if isinstance(e, (jinja2.TemplateSyntaxError, SyntaxError)):
        return "TemplateSyntaxError"
    return type(e).__name__


def run(case):
    try:
        env = environment(case.get("options", {}))
        template = env.from_string(case["template"])
        return {"output": template.render(decode(case.get("context", {})))}
    except Exception as e:  # every failure is a result to compare
        return {"error": {"type": error_type(e), "message": str(e).split("\n")[0]}}


def main():
    cases = json.load(sys.stdin)
    json.dump([run(case) for case in cases], sys.stdout)


if __name__ == "__main__":
    main()
