/**
 * Lines a strict CSV parser (csv-parse with default quoting) rejects, each costing
 * exactly one record: a stray quote inside an unquoted field, a missing column, an
 * extra column. An opened quote that never closes would swallow every following
 * line, so that form is only ever written as the very last line of a file.
 * Each is a corrupted copy of a real row, so a lenient loader sees a duplicate id.
 */
import { csvField, csvLine } from './csv.js';
import type { Rng } from './prng.js';

export const MALFORMED_FORMS = ['stray_quote', 'missing_column', 'extra_column'] as const;
export type MalformedForm = (typeof MALFORMED_FORMS)[number] | 'unterminated_quote';

/**
 * `quoteColumn` names a field that never needs quoting and has 2+ characters,
 * where the stray quote goes (`mob"ile`): csv-parse reports INVALID_OPENING_QUOTE.
 */
export function malformedLine(fields: readonly string[], quoteColumn: number, form: MalformedForm, rng: Rng): string {
  switch (form) {
    case 'stray_quote': {
      const value = fields[quoteColumn]!;
      const at = 1 + rng.int(Math.max(1, value.length - 1));
      const broken = `${value.slice(0, at)}"${value.slice(at)}`;
      return fields.map((f, i) => (i === quoteColumn ? broken : csvField(f))).join(',') + '\n';
    }
    case 'missing_column':
      return csvLine(fields.slice(0, -1));
    case 'extra_column':
      return csvLine([...fields, fields[fields.length - 1]!]);
    case 'unterminated_quote': {
      // The last field opens a quote that the end of the file never closes.
      const head = fields.slice(0, -1).map(csvField).join(',');
      return `${head},"${fields[fields.length - 1]}\n`;
    }
  }
}
