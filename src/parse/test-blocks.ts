/**
 * dbt's custom generic tests, `{% test name(model, column_name) %}...{% endtest %}`,
 * as nunjucks macros: nunjucks has no `test` tag, so the block becomes
 * `{% macro test_name(...) %}...{% endmacro %}` (dbt names them `test_<name>` too).
 * Only tag delimiters change, so every line keeps its number for error messages.
 */
const TEST_OPEN = /{%(-?)(\s*)test(\s+)([A-Za-z_][A-Za-z0-9_]*)(\s*)\(/g;
const TEST_CLOSE = /{%(-?)(\s*)endtest(\s*)(-?)%}/g;

export function rewriteTestBlocks(source: string): string {
  if (!source.includes('test')) return source;
  return source
    .replace(TEST_OPEN, (_m, dash: string, s1: string, s2: string, name: string, s3: string) => `{%${dash}${s1}macro${s2}test_${name}${s3}(`)
    .replace(TEST_CLOSE, (_m, dash: string, s1: string, s2: string, dash2: string) => `{%${dash}${s1}endmacro${s2}${dash2}%}`);
}
