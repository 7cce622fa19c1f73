/**
 * Python fnmatch-style wildcards, as dbt uses them: `*`, `?`, `[abc]`, `[!abc]`.
 * Path mode follows pathlib glob instead: `*` stays inside one folder, `**` crosses.
 */
const cache = new Map<string, RegExp>();

export function hasWildcard(pattern: string): boolean {
  return /[*?[\]]/.test(pattern);
}

/** Whole-string match, case-sensitive (fnmatch on posix). */
export function globMatch(value: string, pattern: string): boolean {
  return globToRegExp(pattern, false).test(value);
}

/** A reusable test for one pattern: plain equality when it has no wildcard. */
export function globTester(pattern: string, pathMode = false): (value: string) => boolean {
  if (!hasWildcard(pattern)) return (value) => value === pattern;
  const re = globToRegExp(pattern, pathMode);
  return (value) => re.test(value);
}

function globToRegExp(pattern: string, pathMode: boolean): RegExp {
  const key = `${pathMode ? 'p' : 'f'}:${pattern}`;
  let re = cache.get(key);
  if (!re) {
    re = new RegExp(`^${translate(pattern, pathMode)}$`, 's');
    cache.set(key, re);
  }
  return re;
}

function translate(pattern: string, pathMode: boolean): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') {
      if (!pathMode) out += '.*';
      else if (pattern[i + 1] === '*') {
        // `**/` may also match no folder at all: models/**/x.sql matches models/x.sql
        const slash = pattern[i + 2] === '/';
        out += slash ? '(?:.*/)?' : '.*';
        i += slash ? 2 : 1;
      } else out += '[^/]*';
    } else if (c === '?') out += pathMode ? '[^/]' : '.';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end === -1) out += '\\[';
      else {
        let body = pattern.slice(i + 1, end);
        const negate = body.startsWith('!');
        if (negate) body = body.slice(1);
        out += `[${negate ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
        i = end;
      }
    } else out += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return out;
}
