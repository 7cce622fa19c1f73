/**
 * Where nunjucks differs from Jinja in ways dbt models hit, bridge it: Python
 * string/list/dict methods, `{% do %}`, `none`/`true` tests, and the filters dbt
 * users reach for that nunjucks lacks. Each bridge is covered in tests/unit/parse.
 */
import nunjucks from 'nunjucks';

let installed = false;

/** Patches nunjucks' runtime once per process (installJinjaCompat is global too). */
export function installJinjaBridges(): void {
  if (installed) return;
  installed = true;
  nunjucks.installJinjaCompat();
  const runtime = (nunjucks as unknown as { runtime: { memberLookup: (...args: unknown[]) => unknown } }).runtime;
  const previous = runtime.memberLookup;
  runtime.memberLookup = function memberLookup(this: unknown, obj: unknown, member: unknown, ...rest: unknown[]) {
    if (typeof obj === 'string' && typeof member === 'string' && Object.hasOwn(STRING_METHODS, member)) {
      return STRING_METHODS[member]!.bind(obj);
    }
    return previous.call(this, obj, member, ...rest);
  };
}

const STRING_METHODS: Record<string, (this: string, ...args: never[]) => unknown> = {
  upper() { return this.toUpperCase(); },
  lower() { return this.toLowerCase(); },
  strip(chars?: string) { return stripChars(this, chars, true, true); },
  lstrip(chars?: string) { return stripChars(this, chars, true, false); },
  rstrip(chars?: string) { return stripChars(this, chars, false, true); },
  split(separator?: string, limit?: number) {
    const parts = separator === undefined || separator === null ? this.trim().split(/\s+/) : this.split(separator);
    if (limit === undefined || limit < 0 || parts.length <= limit + 1) return parts;
    return [...parts.slice(0, limit), parts.slice(limit).join(separator ?? ' ')];
  },
  startswith(prefix: string) { return this.startsWith(prefix); },
  endswith(suffix: string) { return this.endsWith(suffix); },
  title() { return this.replace(/\w\S*/g, (w) => w[0]!.toUpperCase() + w.slice(1).toLowerCase()); },
  capitalize() { return this.charAt(0).toUpperCase() + this.slice(1).toLowerCase(); },
  join(items: unknown[]) { return (items ?? []).map(String).join(this); },
  format(...args: unknown[]) {
    let position = 0;
    return this.replace(/\{(\d*)\}/g, (_m, index: string) => String(args[index === '' ? position++ : Number(index)]));
  },
  isdigit() { return /^\d+$/.test(this); },
  count(needle: string) { return needle ? this.split(needle).length - 1 : 0; },
  find(needle: string) { return this.indexOf(needle); },
};

function stripChars(text: string, chars: string | undefined, left: boolean, right: boolean): string {
  if (!chars) return left && right ? text.trim() : left ? text.trimStart() : text.trimEnd();
  let start = 0;
  let end = text.length;
  while (left && start < end && chars.includes(text[start]!)) start++;
  while (right && end > start && chars.includes(text[end - 1]!)) end--;
  return text.slice(start, end);
}

/** `{% do expr %}` evaluates an expression for its side effect, as in Jinja's do extension. */
export class DoExtension {
  tags = ['do'];
  parse(parser: any, nodes: any): unknown {
    const token = parser.nextToken();
    const args = parser.parseSignature(null, true);
    parser.advanceAfterBlockEnd(token.value);
    return new nodes.CallExtension(this, 'run', args);
  }
  run(): string {
    return '';
  }
}

export function addJinjaFilters(env: nunjucks.Environment): void {
  env.addFilter('tojson', (value: unknown) => new nunjucks.runtime.SafeString(JSON.stringify(value ?? null)));
  env.addFilter('as_text', (value: unknown) => (value === null || value === undefined ? '' : String(value)));
  env.addFilter('as_bool', (value: unknown) => asBool(value));
  env.addFilter('as_number', (value: unknown) => Number(value));
  env.addFilter('as_native', (value: unknown) => value);
  env.addFilter('unique', (items: unknown[]) => [...new Set(items ?? [])]);
  env.addFilter('min', (items: number[]) => (items?.length ? Math.min(...items) : undefined));
  env.addFilter('max', (items: number[]) => (items?.length ? Math.max(...items) : undefined));
  env.addFilter('map', function map(this: any, items: unknown[], ...args: any[]) {
    const kwargs = args.length && args[args.length - 1]?.__keywords ? args.pop() : undefined;
    if (kwargs?.attribute !== undefined) return (items ?? []).map((item: any) => item?.[kwargs.attribute]);
    const filter = this.env.getFilter(String(args[0]));
    return (items ?? []).map((item) => filter.call(this, item, ...args.slice(1)));
  });
  // addTest exists at runtime but is missing from @types/nunjucks.
  const withTests = env as unknown as { addTest(name: string, test: (...args: any[]) => boolean): void };
  withTests.addTest('none', (value: unknown) => value === null || value === undefined);
  withTests.addTest('true', (value: unknown) => value === true);
  withTests.addTest('false', (value: unknown) => value === false);
  withTests.addTest('boolean', (value: unknown) => typeof value === 'boolean');
  withTests.addTest('sequence', (value: unknown) => Array.isArray(value) || typeof value === 'string');
  withTests.addTest('integer', (value: unknown) => Number.isInteger(value));
  withTests.addTest('float', (value: unknown) => typeof value === 'number' && !Number.isInteger(value));
  withTests.addTest('in', (value: unknown, container: unknown) =>
    Array.isArray(container) || typeof container === 'string' ? container.includes(value as never) : false,
  );
}

export function asBool(value: unknown): boolean {
  if (typeof value === 'string') return ['true', '1', 'yes', 'y', 'on'].includes(value.trim().toLowerCase());
  return Boolean(value);
}
