/**
 * What a seed load reports, and how the runner words it: raw landing loads show
 * the three counts (records read, loaded, rejected) so conservation is visible.
 */
export interface SeedLoadResult {
  /** Rows loaded into the table. */
  rows: number;
  /** Records sent to the rejects table (0 for a typed seed: it fails instead). */
  rejected: number;
  /** Data records read, header excluded: always rows + rejected. */
  records: number;
  /** Physical lines read, header included (raw landing only). */
  lines?: number;
  columns: { name: string; type: string }[];
  /** `schema.load_rejects` for a raw landing. */
  rejectsTable?: string;
  /** COPY streams that loaded rows at once (raw landing on PostgreSQL; shown when more than 1). */
  copyStreams?: number;
  /** A seed with an inbox: files landed (new or changed) and files skipped as unchanged. */
  files?: { landed: number; unchanged: number };
}

/** The runner's verb and message for a loaded seed. */
export function describeSeedLoad(result: SeedLoadResult): { verb: string; message: string } {
  const n = groupDigits;
  if (result.lines === undefined) return { verb: 'loaded seed', message: `${n(result.records)} records read, ${n(result.rows)} loaded` };
  const { files } = result;
  const unchanged = files ? `${n(files.unchanged)} unchanged` : '';
  if (files && files.landed === 0) return { verb: 'loaded seed', message: `no new or changed file (${unchanged})` };
  return {
    verb: 'loaded seed',
    message:
      (files ? `${n(files.landed)} ${files.landed === 1 ? 'file' : 'files'} landed, ${unchanged}: ` : '') +
      `${n(result.lines)} lines, ${n(result.records)} records read: ${n(result.rows)} loaded, ${n(result.rejected)} rejected` +
      (result.rejected > 0 && result.rejectsTable ? ` (see ${result.rejectsTable})` : '') +
      ((result.copyStreams ?? 1) > 1 ? ` on ${result.copyStreams} COPY streams` : ''),
  };
}

/**
 * 1013160 -> "1,013,160", as toLocaleString('en-US') writes a count, without its cost:
 * Intl's number formatting takes ~5 ms to set up on first use, paid after the COPY.
 */
export function groupDigits(value: number): string {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
