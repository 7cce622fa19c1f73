/**
 * Test arguments as written in YAML become SQL-ready values: `ref('x')` and
 * `source('s', 't')` strings (dbt's convention for `to:`, `compare_model:`) call
 * the render hooks, other strings holding Jinja are rendered. The parse pass runs
 * this with recording hooks (to learn dependencies), the compile pass with
 * resolving ones (to get relations).
 */
import { literalEval } from '../config/native-value.js';
import type { RenderHooks } from '../parse/render-hooks.js';
import type { TemplateEngine } from '../parse/template-engine.js';

const RELATION_CALL = /^\s*(ref|source)\s*\(\s*(['"])([^'"]+)\2\s*(?:,\s*(['"])([^'"]+)\4\s*)?\)\s*$/;

export function resolveTestArgs(args: Record<string, unknown>, engine: TemplateEngine, hooks: RenderHooks): Record<string, unknown> {
  return Object.fromEntries(Object.entries(args).map(([key, value]) => [key, resolveValue(value, engine, hooks)]));
}

function resolveValue(value: unknown, engine: TemplateEngine, hooks: RenderHooks): unknown {
  if (typeof value === 'string') {
    const call = RELATION_CALL.exec(value);
    if (call) {
      const [, fn, , first, , second] = call;
      if (fn === 'source') return hooks.source(first!, second ?? '');
      return second === undefined ? hooks.ref(first!) : hooks.ref(first!, second);
    }
    // Rendered natively, as dbt does: `values: "{{ var('types') }}"` is the var's list.
    if (value.includes('{{') || value.includes('{%')) return literalEval(engine.render(engine.compile(value, hooks.file), hooks));
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => resolveValue(v, engine, hooks));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveValue(v, engine, hooks)]));
  }
  return value;
}

/**
 * A test's config values (`severity: "{{ 'warn' if target.name == 'dev' else 'error' }}"`)
 * rendered as dbt renders them while parsing: top-level strings only, read natively.
 */
export function renderTestConfig(config: Record<string, unknown>, engine: TemplateEngine, hooks: RenderHooks): Record<string, unknown> {
  const rendered: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    rendered[key] =
      typeof value === 'string' && (value.includes('{{') || value.includes('{%'))
        ? literalEval(engine.render(engine.compile(value, hooks.file), hooks))
        : value;
  }
  return rendered;
}
