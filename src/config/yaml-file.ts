/**
 * Reads a YAML file keeping positions, so every later error can name file:line.
 */
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, isMap, isNode, isScalar, type Document } from 'yaml';
import { ProjectError } from '../errors.js';

export type YamlPath = readonly (string | number)[];

export interface YamlFile {
  /** Path as shown to users (relative to the project dir when possible). */
  displayPath: string;
  value: unknown;
  /** 1-based line of the value at `path`, or of its closest existing parent. */
  lineOf(path: YamlPath): number | undefined;
}

export function parseYamlText(text: string, displayPath: string): YamlFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const firstError = doc.errors[0];
  if (firstError) {
    const line = firstError.linePos?.[0]?.line ?? lineCounter.linePos(firstError.pos[0]).line;
    throw new ProjectError(`invalid YAML: ${firstError.message.split('\n')[0]}`, {
      file: displayPath,
      line,
      hint: 'check indentation and quoting around this line',
    });
  }
  return {
    displayPath,
    value: doc.toJS({ maxAliasCount: 1000 }) ?? {},
    lineOf: (path) => lineOfPath(doc, lineCounter, path),
  };
}

export function readYamlFile(absolutePath: string, displayPath: string): YamlFile {
  return parseYamlText(readFileSync(absolutePath, 'utf8'), displayPath);
}

function lineOfPath(doc: Document, lineCounter: LineCounter, path: YamlPath): number | undefined {
  for (let length = path.length; length >= 0; length--) {
    // A mapping entry's line is its key's: a nested value starts on the line below.
    const parent = length > 0 ? doc.getIn(path.slice(0, length - 1), true) : undefined;
    const pair = isMap(parent) ? parent.items.find((item) => isScalar(item.key) && item.key.value === path[length - 1]) : undefined;
    if (pair && isNode(pair.key) && pair.key.range) return lineCounter.linePos(pair.key.range[0]).line;
    const node = doc.getIn(path.slice(0, length), true);
    if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
  }
  return undefined;
}
