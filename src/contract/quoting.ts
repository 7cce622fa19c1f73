/**
 * The one way names and values become SQL text: identifiers always quoted, literals
 * only where a parameter cannot go (DDL, COPY options).
 */

/** Always quotes: names keep their case and can never break out into SQL. */
export function quoteIdentifier(name: string): string {
  if (name.includes('\0')) throw new Error(`identifier contains a NUL byte: ${JSON.stringify(name)}`);
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * A string literal for the rare places that cannot take a parameter (DDL, COPY
 * options). Doubling `'` is enough: standard_conforming_strings is on in both drivers.
 */
export function quoteLiteral(value: string): string {
  if (value.includes('\0')) throw new Error('string literal contains a NUL byte');
  return `'${value.replace(/'/g, "''")}'`;
}

/** `"schema"."identifier"`: a relation's name in SQL and in manifest.json's relation_name. */
export function qualifiedName(schema: string, identifier: string): string {
  return `${quoteIdentifier(schema)}.${quoteIdentifier(identifier)}`;
}

/** Keeps `name + suffix` within PostgreSQL's 63-byte identifier limit. */
export function truncateIdentifier(name: string, suffix: string): string {
  const budget = 63 - Buffer.byteLength(suffix);
  let base = name;
  while (Buffer.byteLength(base) > budget) base = base.slice(0, -1);
  return base + suffix;
}
