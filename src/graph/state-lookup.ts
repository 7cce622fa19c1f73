/**
 * What `state:` and `result:` selectors ask about a previous run (dbt's --state
 * DIR). graph/ stays pure: api/ answers from the state directory's manifest.json
 * and run_results.json.
 */
export const STATE_VALUES = [
  'new',
  'old',
  'modified',
  'unmodified',
  'modified.body',
  'modified.configs',
  'modified.relation',
  'modified.macros',
  'modified.contract',
] as const;
export type StateValue = (typeof STATE_VALUES)[number];

/** dbt's source_status: a source whose latest load is newer than in the state's sources.json. */
export const SOURCE_STATUS_VALUES = ['fresher'] as const;

/** run_results.json statuses: models and seeds succeed or error; tests pass, fail or warn. */
export const RESULT_VALUES = ['success', 'error', 'fail', 'skipped', 'pass', 'warn'] as const;

export interface StateLookup {
  /** True when the node is `value` compared to the state manifest. */
  matchesState(uniqueId: string, value: StateValue): boolean;
  /** The node's status in the state's run_results.json, if it ran. */
  resultOf(uniqueId: string): string | undefined;
  /** source_status:fresher: target/sources.json has a later max_loaded_at than the state's. */
  isFresher(uniqueId: string): boolean;
}
