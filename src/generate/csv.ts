/** RFC 4180 writing: the one place that knows how a value becomes CSV text. */

const NEEDS_QUOTES = /[",\r\n]/;

/** Quotes a field only when it must be quoted, doubling inner quotes. */
export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One record with its `\n` line end. */
export function csvLine(fields: readonly string[]): string {
  let line = csvField(fields[0] ?? '');
  for (let i = 1; i < fields.length; i++) line += ',' + csvField(fields[i]!);
  return line + '\n';
}

/** For rows built only from known-safe values (numbers, enums, timestamps): no per-field check. */
export function plainLine(fields: readonly string[]): string {
  let line = fields[0] ?? '';
  for (let i = 1; i < fields.length; i++) line += ',' + fields[i];
  return line + '\n';
}

export const CHUNK_CHARS = 64 * 1024;

/**
 * Batches lines into ~64 KB strings: a write per line would be slow, and a
 * bounded chunk keeps memory flat whatever the number of lines.
 */
export function* chunkLines(lines: Iterable<string>, onChunk?: (lines: number) => void): Generator<string> {
  let chunk = '';
  let count = 0;
  for (const line of lines) {
    chunk += line;
    count++;
    if (chunk.length >= CHUNK_CHARS) {
      onChunk?.(count);
      yield chunk;
      chunk = '';
    }
  }
  onChunk?.(count);
  if (chunk) yield chunk;
}
