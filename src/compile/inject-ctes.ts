/**
 * Puts ephemeral models in front of a query as CTEs, merging with the query's own
 * WITH clause when it has one (as dbt does).
 */
import { quoteIdentifier } from '../contract/index.js';

export interface Cte {
  name: string;
  sql: string;
}

const LEADING_TRIVIA = /^(\s+|--[^\n]*\n?|\/\*[\s\S]*?\*\/)*/;

export function injectCtes(sql: string, ctes: Cte[]): string {
  if (!ctes.length) return sql;
  const definitions = ctes.map((cte) => `${quoteIdentifier(cte.name)} as (\n${stripTrailingSemicolon(cte.sql)}\n)`).join(',\n');
  const trivia = LEADING_TRIVIA.exec(sql)?.[0] ?? '';
  const body = sql.slice(trivia.length);
  const withClause = /^with(\s+recursive)?\s+/i.exec(body);
  if (withClause) {
    return `${trivia}${withClause[0]}${definitions},\n${body.slice(withClause[0].length)}`;
  }
  return `${trivia}with ${definitions}\n${body}`;
}

export function stripTrailingSemicolon(sql: string): string {
  return sql.replace(/;\s*$/, '');
}
