// The bottom layer every stage may import (src/README.md): the database interface,
// which errors to retry, and quoting.
export * from './db-adapter.js';
export { isTransientError } from './transient-errors.js';
export { qualifiedName, quoteIdentifier, quoteLiteral, truncateIdentifier } from './quoting.js';
