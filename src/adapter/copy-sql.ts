import { quoteLiteral as literal, type CopyTarget } from '../contract/index.js';

/**
 * `COPY <table> (<cols>) FROM <source> (FORMAT csv, ...)`. `source` is `STDIN` for pg
 * and `'/dev/blob'` for PGlite; `header` is passed apart because PGlite copies in
 * chunks and only the first one carries the header line.
 */
export function copyFromStatement(target: CopyTarget, source: 'STDIN' | "'/dev/blob'", header: boolean): string {
  const options = ['FORMAT csv'];
  if (header) options.push('HEADER true');
  if (target.options?.delimiter !== undefined) options.push(`DELIMITER ${literal(target.options.delimiter)}`);
  if (target.options?.nullString !== undefined) options.push(`NULL ${literal(target.options.nullString)}`);
  const columns = target.columns.length > 0 ? ` (${target.columns.join(', ')})` : '';
  return `COPY ${target.table}${columns} FROM ${source} (${options.join(', ')})`;
}
