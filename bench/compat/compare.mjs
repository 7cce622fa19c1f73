// dbt-core's run against another: the same nodes with the same statuses, and the same
// fingerprint for every model and seed dbt-core built.
/** Generic tests end in a hash of their arguments, which tools may compute apart: compare by name. */
function nodeKey(id) {
  return id.startsWith('test.') ? id.split('.').slice(0, 3).join('.') : id;
}

/** Statuses by node key; tests that share a name (ids apart only by hash) as their sorted statuses. */
function statusesByKey(statuses) {
  const byKey = new Map();
  for (const [id, status] of statuses) byKey.set(nodeKey(id), [...(byKey.get(nodeKey(id)) ?? []), status]);
  return new Map([...byKey].map(([key, list]) => [key, list.sort().join(' + ')]));
}

/**
 * dbt-core runs a model's unit tests one after another and skips the rest once one
 * fails; the order is a Python set's, so which ones it skips changes from run to run.
 * Those skipped unit tests say nothing: tspipe runs them all and they are not compared.
 */
function siblingsSkippedAtRandom(statuses) {
  const modelOf = (key) => key.split('.').slice(0, 3).join('.');
  const failedModels = new Set(
    [...statuses].filter(([key, s]) => key.startsWith('unit_test.') && (s === 'error' || s === 'fail')).map(([key]) => modelOf(key)),
  );
  return new Set([...statuses.keys()].filter((key) => key.startsWith('unit_test.') && statuses.get(key) === 'skipped' && failedModels.has(modelOf(key))));
}

/** Outcomes of a test that ran: over rows drawn at random, any of them may come. */
const RAN = new Set(['pass', 'warn', 'fail']);

export function compareRuns(reference, other, referenceSums, otherSums) {
  const differences = [];
  const theirs = statusesByKey(other.statuses);
  // dbt reports saved queries as no-op: they do nothing on PostgreSQL (tspipe warns it ignores them)
  const ours = statusesByKey(new Map([...reference.statuses].filter(([, status]) => status !== 'no-op')));
  const unrun = siblingsSkippedAtRandom(ours);
  const changing = new Set([...(reference.overChangingRows ?? [])].map(nodeKey));
  for (const [key, status] of ours) {
    if (unrun.has(key)) continue;
    if (!theirs.has(key)) differences.push(`${key}: dbt-core ${status}, missing in tspipe`);
    else if (theirs.get(key) !== status && !(changing.has(key) && RAN.has(status) && RAN.has(theirs.get(key)))) {
      differences.push(`${key}: dbt-core ${status}, tspipe ${theirs.get(key)}`);
    }
  }
  for (const key of theirs.keys()) if (!ours.has(key)) differences.push(`${key}: only in tspipe (${theirs.get(key)})`);
  for (const [id, reference] of referenceSums) {
    const sum = otherSums.get(id);
    if (reference.error) continue;
    if (!sum) differences.push(`${id}: not in tspipe's manifest or run results`);
    else if (sum.error) differences.push(`${id}: rows not readable (${sum.error})`);
    else if (sum.columns !== reference.columns) differences.push(`${id}: columns differ: dbt-core (${reference.columns}), tspipe (${sum.columns})`);
    else if (sum.row_count !== reference.row_count || (sum.rows_md5 !== reference.rows_md5 && !reference.nondeterministic)) {
      differences.push(`${id}: rows differ (dbt-core ${reference.row_count} rows, tspipe ${sum.row_count})`);
    }
  }
  // First: a run that wrote nothing lists every node as missing after it, and the log shows only the first lines.
  if (!other.total && other.output) differences.unshift(`tspipe wrote no results: ${other.output.trim().split('\n').slice(-6).join(' | ')}`);
  return { equal: differences.length === 0, differences };
}
