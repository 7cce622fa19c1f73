/**
 * A fast path for schema YAML as people write it: block mappings and sequences,
 * one-line flow lists and maps, plain and quoted scalars, `|`/`>` block scalars
 * and comments. The `yaml` package needs ~1 s in a fresh process for a 6,000-line
 * file (its code is not yet compiled by the JIT); this needs a few milliseconds.
 * Anything else (anchors, tags, multi-line plain or quoted scalars, tabs, several
 * documents, duplicate keys, ...) gives undefined and goes to `yaml`, which also
 * reports the errors. Values and lines follow `yaml`'s (core schema, YAML 1.2).
 */
import type { YamlFile, YamlPath } from '../config/yaml-file.js';
import { NotFast, parseScalarOrFlow, resolvePlain, type Lines } from './fast-yaml-scalars.js';

interface Parsed {
  value: unknown;
  lines: Lines;
}

interface Line {
  /** 1-based. */
  line: number;
  indent: number;
  text: string;
}

export function parseFastYaml(text: string, displayPath: string): YamlFile | undefined {
  if (/[\t\r\ufeff]/.test(text)) return undefined;
  try {
    const reader = new Reader(text.split('\n'));
    const first = reader.peek();
    if (!first) return { displayPath, value: {}, lineOf: () => undefined };
    if (first.indent !== 0) return undefined;
    const root = parseBlock(reader, 0);
    if (reader.peek()) return undefined;
    return { displayPath, value: root.value, lineOf: (path) => lineOf(root.lines, path) };
  } catch (error) {
    if (error instanceof NotFast) return undefined;
    throw error;
  }
}

function lineOf(root: Lines, path: YamlPath): number {
  let node = root;
  for (const key of path) {
    const child = node.children?.get(key);
    if (!child) break;
    node = child;
  }
  return node.line;
}

/** Content lines (not blank, not comment-only), with one line's start replaceable for `- key: v`. */
class Reader {
  pos = 0;
  /** The line peek() returns until advance(): peeked many times per line. */
  private current: Line | undefined;

  constructor(readonly lines: string[]) {}

  peek(): Line | undefined {
    if (this.current) return this.current;
    for (; this.pos < this.lines.length; this.pos++) {
      const raw = this.lines[this.pos]!;
      const indent = leadingSpaces(raw);
      if (indent === raw.length || raw[indent] === '#') continue;
      const text = raw.slice(indent);
      if (indent === 0 && /^(---|\.\.\.|%)/.test(text)) throw new NotFast();
      return (this.current = { line: this.pos + 1, indent, text });
    }
    return undefined;
  }

  /** Reads the rest of the current line as a line of its own, at `indent`. */
  restAt(indent: number, text: string): void {
    this.current = { line: this.pos + 1, indent, text };
  }

  advance(to = this.pos + 1): void {
    this.pos = to;
    this.current = undefined;
  }
}

function parseBlock(reader: Reader, indent: number): Parsed {
  const line = reader.peek()!;
  if (isSequenceItem(line.text)) return parseSequence(reader, indent);
  if (splitKey(line.text)) return parseMapping(reader, indent);
  throw new NotFast();
}

function parseSequence(reader: Reader, indent: number): Parsed {
  const value: unknown[] = [];
  const lines: Lines = { line: reader.peek()!.line, children: new Map() };
  for (let line = reader.peek(); line && line.indent === indent && isSequenceItem(line.text); line = reader.peek()) {
    const spaces = leadingSpaces(line.text.slice(1));
    const rest = line.text.slice(1 + spaces);
    let item: Parsed;
    if (rest === '' || rest[0] === '#') {
      reader.advance();
      item = parseNested(reader, indent, line.line, false);
    } else if (isSequenceItem(rest)) {
      throw new NotFast();
    } else if (splitKey(rest)) {
      reader.restAt(indent + 1 + spaces, rest);
      item = parseMapping(reader, indent + 1 + spaces);
    } else {
      item = parseInline(reader, rest, line, indent);
    }
    lines.children!.set(value.length, item.lines);
    value.push(item.value);
  }
  expectDedent(reader, indent);
  return { value, lines };
}

function parseMapping(reader: Reader, indent: number): Parsed {
  const value: Record<string, unknown> = {};
  const lines: Lines = { line: reader.peek()!.line, children: new Map() };
  for (let line = reader.peek(); line && line.indent === indent; line = reader.peek()) {
    const entry = splitKey(line.text);
    if (!entry || Object.hasOwn(value, entry.key)) throw new NotFast();
    let parsed: Parsed;
    if (entry.rest === '' || entry.rest[0] === '#') {
      reader.advance();
      parsed = parseNested(reader, indent, line.line, true);
    } else {
      parsed = parseInline(reader, entry.rest, line, indent);
    }
    value[entry.key] = parsed.value;
    lines.children!.set(entry.key, parsed.lines);
  }
  expectDedent(reader, indent);
  return { value, lines };
}

/** The value of `key:` or `-` with nothing after it: a block below, or null. */
function parseNested(reader: Reader, indent: number, line: number, sequenceMayAlign: boolean): Parsed {
  const next = reader.peek();
  if (next && next.indent > indent) return parseBlock(reader, next.indent);
  // `key:` then `- item` at the key's own indentation is a sequence too.
  if (next && sequenceMayAlign && next.indent === indent && isSequenceItem(next.text)) return parseSequence(reader, indent);
  return { value: null, lines: { line } };
}

/** A value starting on the line of its key or dash; `indent` is that key's or dash's. */
function parseInline(reader: Reader, rest: string, line: Line, indent: number): Parsed {
  if (rest[0] === '|' || rest[0] === '>') return parseBlockScalar(reader, rest, line.line, indent);
  const [value, end, children] = parseScalarOrFlow(rest, 0, false, line.line);
  if (!/^ *(#.*)?$/.test(rest.slice(end))) throw new NotFast();
  reader.advance();
  // A more indented line next would continue a plain scalar over lines: leave that to `yaml`.
  const next = reader.peek();
  if (next && next.indent > indent) throw new NotFast();
  return { value, lines: { line: line.line, children } };
}

function parseBlockScalar(reader: Reader, header: string, line: number, indent: number): Parsed {
  const match = /^([|>])(-?)( +#.*)? *$/.exec(header);
  if (!match) throw new NotFast();
  const { lines } = reader;
  let end = line;
  const first = lines.slice(line).findIndex((l) => l.trim() !== '');
  const contentIndent = first < 0 ? -1 : leadingSpaces(lines[line + first]!);
  // Leading blank lines, or no content: leave those to `yaml`.
  if (first !== 0 || contentIndent <= indent) throw new NotFast();
  const content: string[] = [];
  for (; end < lines.length; end++) {
    const raw = lines[end]!;
    const spaces = leadingSpaces(raw);
    if (spaces === raw.length) {
      if (raw.length > contentIndent) throw new NotFast();
      content.push('');
      continue;
    }
    if (spaces < contentIndent) {
      if (spaces > indent) throw new NotFast();
      break;
    }
    // Folding treats more indented lines specially.
    if (match[1] === '>' && spaces > contentIndent) throw new NotFast();
    content.push(raw.slice(contentIndent));
  }
  while (content[content.length - 1] === '') content.pop();
  let text = match[1] === '|' ? content.join('\n') : fold(content);
  if (match[2] !== '-') text += '\n';
  reader.advance(end);
  return { value: text, lines: { line } };
}

/** `>`: lines join with a space; n empty lines between two lines become n newlines. */
function fold(content: string[]): string {
  let text = '';
  let empty = 0;
  for (const line of content) {
    if (line === '') empty++;
    else {
      text += text === '' ? line : empty ? '\n'.repeat(empty) + line : ` ${line}`;
      empty = 0;
    }
  }
  return text;
}

/** `key: rest` (or `key:` at the end of the line) with a plain key that is a string. */
function splitKey(text: string): { key: string; rest: string } | undefined {
  const colon = /:( |$)/.exec(text);
  if (!colon) return undefined;
  const key = text.slice(0, colon.index);
  // YAML caps implicit keys at 1024 characters; let `yaml` report longer ones.
  if (key.length > 1000) return undefined;
  if (!/^[A-Za-z0-9_$+][A-Za-z0-9_$+.\/\- ]*$/.test(key) || key.endsWith(' ') || key === '__proto__') return undefined;
  if (typeof resolvePlain(key) !== 'string') return undefined;
  return { key, rest: text.slice(colon.index + 1).replace(/^ +/, '') };
}

/** After a block: a line left at a deeper indentation than the block's is not YAML we know. */
function expectDedent(reader: Reader, indent: number): void {
  const next = reader.peek();
  if (next && next.indent > indent) throw new NotFast();
}

function isSequenceItem(text: string): boolean {
  return text[0] === '-' && (text.length === 1 || text[1] === ' ');
}

function leadingSpaces(text: string): number {
  let n = 0;
  while (text.charCodeAt(n) === 32) n++;
  return n;
}
