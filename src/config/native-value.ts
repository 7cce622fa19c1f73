/**
 * dbt renders YAML values "natively": a value that is one `{{ expression }}` keeps the
 * expression's type ("{{ var('enabled', false) }}" is the boolean false), anything with
 * text around it is a string, and the as_bool/as_number/as_native filters turn text
 * into a value the way Python's literal_eval reads it.
 */
import { parse as parseYaml } from 'yaml';
import { ProjectError } from '../errors.js';

export type MarkerKind = 'text' | 'bool' | 'number' | 'native';

/** What the dbt filters return: prints as the text, carries the wanted type. */
export class NativeMarker {
  constructor(
    readonly value: unknown,
    readonly kind: MarkerKind,
  ) {}
  toString(): string {
    return pythonText(this.value);
  }
}

/** The value a natively rendered template stands for, given its one output value. */
export function nativeValue(single: unknown): unknown {
  if (!(single instanceof NativeMarker)) return single;
  const text = single.toString();
  if (single.kind === 'text') return text;
  const parsed = literalEval(text);
  if (single.kind === 'bool' && typeof parsed !== 'boolean') throw new ProjectError(`could not convert value '${text}' into type 'bool'`);
  if (single.kind === 'number' && typeof parsed !== 'number') throw new ProjectError(`could not convert value '${text}' into type 'number'`);
  return parsed;
}

/** Python literals (True, None, 1.5, 'x', [1, 2], {'a': 1}) read as values; else the text. */
export function literalEval(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === 'True') return true;
  if (trimmed === 'False') return false;
  if (trimmed === 'None') return null;
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(trimmed)) return Number(trimmed);
  if (/^[[{('"]/.test(trimmed)) {
    try {
      return parseYaml(
        trimmed
          .replace(/\bTrue\b/g, 'true')
          .replace(/\bFalse\b/g, 'false')
          .replace(/\bNone\b/g, 'null'),
      );
    } catch {
      return text;
    }
  }
  return text;
}

function pythonText(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  return String(value);
}
