/**
 * Which macros a template calls (dbt's depends_on.macros), found statically as dbt
 * does: every `name(` or `package.name(` inside a Jinja tag that names a known macro.
 * A macro's checksum (load-macros.ts) covers its own `{% macro %}...{% endmacro %}` block only, so
 * editing one macro of a file does not mark the users of its neighbours modified
 * (`state:modified.macros`).
 */
import type { MacroInfo } from './manifest.js';

const JINJA_TAG = /\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g;
const CALL = /(?<![\w.])([A-Za-z_]\w*)(?:\.([A-Za-z_]\w*))?\s*\(/g;

/** `['is_incremental', 'dbt_utils.star']`: the call names in a template, without duplicates. */
export function macroCalls(text: string): string[] {
  const calls = new Set<string>();
  for (const [tag] of text.matchAll(JINJA_TAG)) {
    for (const m of tag.matchAll(CALL)) calls.add(m[2] ? `${m[1]}.${m[2]}` : m[1]!);
  }
  return [...calls];
}

/** The text from the macro's `{% macro` line to its `endmacro`. */
export function macroBlock(source: string, line: number): string {
  const lines = source.split('\n');
  const start = lines.slice(0, Math.max(0, line - 1)).join('\n').length;
  const rest = source.slice(start);
  const end = /\{%-?\s*endmacro\b[^%]*%\}/.exec(rest);
  return end ? rest.slice(0, end.index + end[0].length) : rest;
}

/**
 * Call names → macro unique ids, looked up as a render would: the caller's package,
 * the root project, then the global project; `pkg.name` in that package.
 * Names that are no macro (ref, config, a Python method) are dropped.
 */
export function resolveMacroCalls(calls: readonly string[], macros: Record<string, MacroInfo>, packageName: string, rootPackage: string): string[] {
  const ids = new Set<string>();
  for (const call of calls) {
    const dot = call.indexOf('.');
    const candidates = dot > 0 ? [`macro.${call.slice(0, dot)}.${call.slice(dot + 1)}`] : [packageName, rootPackage, 'dbt'].map((p) => `macro.${p}.${call}`);
    const found = candidates.find((id) => id in macros);
    if (found) ids.add(found);
  }
  return [...ids].sort();
}
