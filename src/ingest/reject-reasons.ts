/**
 * Why a CSV record was not loaded: `load_rejects.reason` holds the code, `detail`
 * the sentence with byte offsets and counts.
 */
export const REJECT_CODES = [
  /** A quote inside an unquoted field, or text after a closing quote. */
  'bad_quote',
  /** A quoted field not closed within max_record_lines lines (or bytes), or at the end of the file. */
  'unterminated_quote',
  'too_few_fields',
  'too_many_fields',
  /** An empty line in a file with more than one column. */
  'blank_line',
  'invalid_utf8',
  'nul_byte',
  /** A line longer than max_record_bytes: only its start is kept in raw_text. */
  'record_too_large',
] as const;
export type RejectCode = (typeof REJECT_CODES)[number];

export interface RejectedRecord {
  /** Physical line (1-based, header = 1) where the rejected line starts. */
  line: number;
  code: RejectCode;
  message: string;
  /** The line's bytes without its line break (only a prefix for record_too_large). */
  raw: Uint8Array;
}
