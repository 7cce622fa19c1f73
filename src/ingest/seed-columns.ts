/**
 * The columns a seed's table gets, as dbt types them: inferred from the CSV, with
 * `column_types` winning, and names folded to lower case under `quote_columns: false`.
 * A raw landing seed keeps every value as text, with its lineage columns.
 */
import { join } from 'node:path';
import type { SeedNode } from '../parse/manifest.js';
import { inferColumnTypes } from './infer-column-types.js';
import { seedOptions } from './seed-options.js';

export interface SeedColumn {
  name: string;
  type: string;
}

export async function seedColumns(node: SeedNode, projectDir: string): Promise<SeedColumn[]> {
  const options = seedOptions(node);
  const inferred = await inferColumnTypes(join(projectDir, node.originalFilePath), node.originalFilePath, options.delimiter);
  if (options.rawLanding) {
    const lineage = [
      { name: '_source_line', type: 'bigint' },
      { name: '_source_file', type: 'text' },
      { name: '_loaded_at', type: 'timestamp with time zone' },
    ];
    return [...inferred.columns.map((name) => ({ name, type: 'text' })), ...lineage];
  }
  const overrides = (node.config.column_types ?? {}) as Record<string, string>;
  const fold = node.config.quote_columns === false ? (name: string) => name.toLowerCase() : (name: string) => name;
  return inferred.columns.map((name, i) => ({ name: fold(name), type: overrides[name] ?? overrides['*'] ?? inferred.types[i]! }));
}
