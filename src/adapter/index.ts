export { openAdapter, type OpenAdapterOptions } from './open-adapter.js';
export { isTransientError, positionToLineColumn, toDatabaseError } from './database-errors.js';
export { describePostgresUrl } from './connection-url.js';
export { PGLITE_MEMORY } from './pglite-driver.js';
export * from './types.js';
