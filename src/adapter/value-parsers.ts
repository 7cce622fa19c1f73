/**
 * Result values look the same on both drivers (pg alone gives int8 as a string and
 * interval as an object; PGlite gives int8 as a bigint, which JSON cannot hold).
 * Dates and timestamps without time zone stay text: a JS Date would shift them by
 * the local time zone, differently in each driver.
 */
export const TYPE_OIDS = { int8: 20, date: 1082, timestamp: 1114, interval: 1186 } as const;

function parseInt8(text: string): number | string {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : text;
}

const asText = (text: string): string => text;

/** Parsers by type OID; any other type keeps its driver's default. */
export const VALUE_PARSERS: Record<number, (text: string) => unknown> = {
  [TYPE_OIDS.int8]: parseInt8,
  [TYPE_OIDS.date]: asText,
  [TYPE_OIDS.timestamp]: asText,
  [TYPE_OIDS.interval]: asText,
};
