/**
 * The seed config keys the loaders read, validated with messages that name the
 * seed file: `raw_landing`, `delimiter`, `max_record_lines`, `max_record_bytes`,
 * `copy_streams`.
 */
import { ProjectError } from '../errors.js';
import type { SeedNode } from '../parse/manifest.js';

export const DEFAULT_MAX_RECORD_LINES = 100;
export const DEFAULT_MAX_RECORD_BYTES = 64 * 1024 * 1024;

export interface SeedOptions {
  rawLanding: boolean;
  delimiter: string;
  maxRecordLines: number;
  maxRecordBytes: number;
  /** COPY streams at once on PostgreSQL (raw landing); undefined: by file size. */
  copyStreams?: number;
}

export function seedOptions(node: SeedNode): SeedOptions {
  const { config } = node;
  const file = node.originalFilePath;
  const rawLanding = config.raw_landing ?? false;
  if (typeof rawLanding !== 'boolean') configError(file, 'raw_landing: must be true or false');
  const delimiter = config.delimiter ?? ',';
  // One byte for COPY; never part of COPY's NULL marker `\N`, a quote or a line break.
  if (typeof delimiter !== 'string' || !/^[\x01-\x7f]$/.test(delimiter) || /["\\\r\nA-Za-z0-9]/.test(delimiter)) {
    configError(file, 'delimiter: must be one ASCII character other than a letter, a digit, a quote, a backslash or a line break');
  }
  if (rawLanding && config.column_types !== undefined) {
    configError(file, 'column_types: a raw landing seed keeps every column as text; remove column_types or raw_landing');
  }
  return {
    rawLanding,
    delimiter,
    maxRecordLines: positiveInteger(config.max_record_lines, DEFAULT_MAX_RECORD_LINES, 'max_record_lines', file),
    maxRecordBytes: positiveInteger(config.max_record_bytes, DEFAULT_MAX_RECORD_BYTES, 'max_record_bytes', file),
    copyStreams: config.copy_streams === undefined || config.copy_streams === null ? undefined : positiveInteger(config.copy_streams, 1, 'copy_streams', file),
  };
}

function positiveInteger(value: unknown, fallback: number, key: string, file: string): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) configError(file, `${key}: must be a positive integer`);
  return value;
}

function configError(file: string, message: string): never {
  throw new ProjectError(`invalid seed config ${message}`, { file, hint: 'fix the seed config in project.yml or the seed schema YAML' });
}
