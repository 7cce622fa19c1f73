/**
 * Lines of `ref('x')`-style calls in a template's source, for error messages and
 * the manifest's refs[].line. One regex per ref cost ~75 µs (a second for 10,000
 * models); one pass per file finds the first line of every first argument.
 */

/** Line of the first `fn('firstArg'` in source (either quote), or undefined. */
export function lineOfCall(source: string, fn: string, firstArg: string): number | undefined {
  const match = new RegExp(`\\b${fn}\\s*\\(\\s*['"]${escapeRegExp(firstArg)}['"]`).exec(source);
  return match ? lineAt(source, match.index) : undefined;
}

/** lineOfCall for many first arguments of the same function at once. */
export function callLines(source: string, fn: string, firstArgs: string[]): Map<string, number | undefined> {
  const lines = new Map<string, number | undefined>();
  const wanted = new Set<string>();
  for (const arg of firstArgs) {
    // A quote inside the name changes what the pattern can match: ask the regex.
    if (/['"]/.test(arg)) lines.set(arg, lineOfCall(source, fn, arg));
    else wanted.add(arg);
  }
  if (!wanted.size) return lines;
  const calls = new RegExp(`\\b${fn}\\s*\\(\\s*['"]`, 'g');
  let line = 1;
  let counted = 0;
  for (let match = calls.exec(source); match && wanted.size; match = calls.exec(source)) {
    const start = calls.lastIndex;
    let end = start;
    while (end < source.length && source[end] !== "'" && source[end] !== '"') end++;
    const arg = source.slice(start, end);
    if (end < source.length && wanted.has(arg)) {
      line += countNewlines(source, counted, match.index);
      counted = match.index;
      lines.set(arg, line);
      wanted.delete(arg);
    }
  }
  for (const arg of wanted) lines.set(arg, undefined);
  return lines;
}

/** Line of the first `config(` call, for config errors. */
export function configCallLine(source: string): number | undefined {
  const index = source.search(/\bconfig\s*\(/);
  return index < 0 ? undefined : lineAt(source, index);
}

function lineAt(source: string, index: number): number {
  return countNewlines(source, 0, index) + 1;
}

function countNewlines(source: string, from: number, to: number): number {
  let count = 0;
  for (let i = source.indexOf('\n', from); i !== -1 && i < to; i = source.indexOf('\n', i + 1)) count++;
  return count;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
