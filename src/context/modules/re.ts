/**
 * Python's re module as dbt templates use it (modules.re): match, search, fullmatch,
 * sub, findall, split, escape, compile, with Python's pattern syntax translated to
 * JavaScript's ((?P<name>...), (?P=name), \A, \Z, leading (?i)-style flags, \g<1> in replacements).
 */
import { ProjectError } from '../../errors.js';
import { bindArgs } from '../call-args.js';

export const FLAGS = { I: 2, IGNORECASE: 2, M: 8, MULTILINE: 8, S: 16, DOTALL: 16, X: 64, VERBOSE: 64, A: 256, ASCII: 256 } as const;

/** Python's global inline flags, `(?i)(?s)...`, which must open the pattern. */
const INLINE_FLAGS = /^\(\?([aiLmsux]+)\)/;
const INLINE_FLAG_BITS: Record<string, number> = { a: FLAGS.A, i: FLAGS.I, L: 0, m: FLAGS.M, s: FLAGS.S, u: 0, x: FLAGS.X };

function toRegExp(pattern: string, flags: number, extra = ''): RegExp {
  let rest = pattern;
  for (let found = INLINE_FLAGS.exec(rest); found; found = INLINE_FLAGS.exec(rest)) {
    for (const letter of found[1]!) flags |= INLINE_FLAG_BITS[letter]!;
    rest = rest.slice(found[0].length);
  }
  let source = rest
    .replace(/\(\?P<([A-Za-z_]\w*)>/g, '(?<$1>')
    .replace(/\(\?P=([A-Za-z_]\w*)\)/g, '\\k<$1>')
    .replace(/\\A/g, '^')
    .replace(/\\Z/g, '$(?![\\s\\S])');
  if (flags & FLAGS.X)
    source = source
      .replace(/\\#/g, '\u0000')
      .replace(/#.*$/gm, '')
      .replace(/\s+/g, '')
      .replace(/\u0000/g, '\\#');
  // No 'u' flag: JavaScript's legacy syntax takes what Python does and unicode mode refuses,
  // a literal `{` (codegen matches `{{ ref(`) and escapes such as `\'`.
  const jsFlags = `${flags & FLAGS.I ? 'i' : ''}${flags & FLAGS.M ? 'm' : ''}${flags & FLAGS.S ? 's' : ''}${extra}`;
  try {
    return new RegExp(source, jsFlags);
  } catch (error) {
    throw new ProjectError(`re: invalid pattern '${pattern}': ${(error as Error).message}`);
  }
}

export class PyMatch {
  constructor(private readonly match: RegExpExecArray) {}
  group(...indexes: unknown[]): unknown {
    if (indexes.length <= 1) return this.one(indexes[0] ?? 0);
    return Object.freeze(indexes.map((i) => this.one(i))) as unknown[];
  }
  groups(defaultValue: unknown = null): unknown[] {
    return Object.freeze(this.match.slice(1).map((g) => g ?? defaultValue)) as unknown[];
  }
  groupdict(): Record<string, unknown> {
    return { ...(this.match.groups ?? {}) };
  }
  start(group: unknown = 0): number {
    return group === 0 ? this.match.index : this.match.index + this.match[0].indexOf(String(this.one(group)));
  }
  end(group: unknown = 0): number {
    return this.start(group) + String(this.one(group) ?? '').length;
  }
  span(group: unknown = 0): number[] {
    return Object.freeze([this.start(group), this.end(group)]) as number[];
  }
  private one(index: unknown): string | null {
    const value = typeof index === 'string' ? this.match.groups?.[index] : this.match[Number(index)];
    return value ?? null;
  }
}

export class PyPattern {
  constructor(
    readonly pattern: string,
    readonly flags: number = 0,
  ) {}
  match(text: unknown): PyMatch | null {
    const found = toRegExp(this.pattern, this.flags, 'y').exec(String(text));
    return found ? new PyMatch(found) : null;
  }
  fullmatch(text: unknown): PyMatch | null {
    const found = toRegExp(`(?:${this.pattern})$`, this.flags, 'y').exec(String(text));
    return found ? new PyMatch(found) : null;
  }
  search(text: unknown): PyMatch | null {
    const found = toRegExp(this.pattern, this.flags).exec(String(text));
    return found ? new PyMatch(found) : null;
  }
  findall(text: unknown): unknown[] {
    return [...String(text).matchAll(toRegExp(this.pattern, this.flags, 'g'))].map((m) =>
      m.length === 1 ? m[0] : m.length === 2 ? (m[1] ?? '') : (Object.freeze(m.slice(1).map((g) => g ?? '')) as unknown),
    );
  }
  finditer(text: unknown): PyMatch[] {
    return [...String(text).matchAll(toRegExp(this.pattern, this.flags, 'g'))].map((m) => new PyMatch(m as RegExpExecArray));
  }
  sub(repl: unknown, text: unknown, count: unknown = 0): string {
    const limit = Number(count) > 0 ? Number(count) : Infinity;
    let done = 0;
    return String(text).replace(toRegExp(this.pattern, this.flags, 'g'), (...parts: unknown[]) => {
      const match = matchOf(parts);
      if (done++ >= limit) return match[0];
      return typeof repl === 'function' ? String(repl(new PyMatch(match))) : expandTemplate(String(repl), match);
    });
  }
  split(text: unknown, maxsplit: unknown = 0): string[] {
    const parts = String(text).split(toRegExp(this.pattern, this.flags, 'g'));
    const limit = Number(maxsplit);
    return limit > 0 && parts.length > limit + 1 ? [...parts.slice(0, limit), parts.slice(limit).join('')] : parts;
  }
}

/** String.replace's callback arguments back into an exec-style match. */
function matchOf(parts: unknown[]): RegExpExecArray {
  const hasGroups = typeof parts[parts.length - 1] === 'object';
  const end = parts.length - (hasGroups ? 3 : 2);
  const match = parts.slice(0, end) as unknown as RegExpExecArray;
  match.index = parts[end] as number;
  if (hasGroups) match.groups = parts[parts.length - 1] as Record<string, string>;
  return match;
}

/** Python replacement templates: \1, \g<1>, \g<name>, and escapes. */
function expandTemplate(template: string, match: RegExpExecArray): string {
  return template.replace(/\\(?:g<([^>]+)>|(\d{1,2})|(.))/g, (_m, named: string | undefined, digits: string | undefined, escaped: string | undefined) => {
    if (named !== undefined) return (/^\d+$/.test(named) ? match[Number(named)] : match.groups?.[named]) ?? '';
    if (digits !== undefined) return match[Number(digits)] ?? '';
    return { n: '\n', t: '\t', r: '\r', '\\': '\\' }[escaped!] ?? `\\${escaped}`;
  });
}

const call =
  <K extends keyof PyPattern>(method: K, names: string[]) =>
  (...args: unknown[]) => {
    const b = bindArgs(`re.${method}`, ['pattern', ...names, 'flags'], args);
    const pattern = b.pattern instanceof PyPattern ? b.pattern : new PyPattern(String(b.pattern), Number(b.flags ?? 0));
    return (pattern[method] as (...a: unknown[]) => unknown)(...names.map((n) => b[n]).filter((v, i) => v !== undefined || i === 0));
  };

export const reModule = {
  ...FLAGS,
  compile: (pattern: unknown, flags: unknown = 0) => new PyPattern(String(pattern), Number(flags)),
  match: call('match', ['string']),
  fullmatch: call('fullmatch', ['string']),
  search: call('search', ['string']),
  findall: call('findall', ['string']),
  finditer: call('finditer', ['string']),
  sub: call('sub', ['repl', 'string', 'count']),
  split: call('split', ['string', 'maxsplit']),
  escape: (text: unknown) => String(text).replace(/[^A-Za-z0-9_]/g, (c) => `\\${c}`),
};
