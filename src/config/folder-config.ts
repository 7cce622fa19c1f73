/**
 * dbt's folder-scoped config: `models: {project: {clean: {+schema: clean}}}` applies
 * to every model under models/clean/, deeper folders overriding shallower ones.
 */
export type ConfigValues = Record<string, unknown>;

/**
 * Config keys are the entries that start with '+' or, as in dbt, any entry whose
 * value is not an object (a nested object without '+' is a subfolder). Keys at the
 * top of the tree apply to every project's nodes, packages' included.
 */
export function configForPath(tree: Record<string, unknown>, projectName: string, fqnFolders: string[]): ConfigValues {
  const result: ConfigValues = {};
  applyLevel(result, tree);
  // dbt nests under the project name; tspipe also accepts folders at the top level.
  let level: unknown = isObject(tree[projectName]) ? tree[projectName] : tree;
  if (level !== tree) applyLevel(result, level);
  for (const folder of fqnFolders) {
    if (!isObject(level)) break;
    level = level[folder] ?? level[`+${folder}`];
    if (!isObject(level)) break;
    applyLevel(result, level);
  }
  return result;
}

/**
 * The config dbt_project.yml gives one node by name, below its folders
 * (`models: {project: {staging: {stg_orders: {+materialized: table}}}}`), or {}.
 */
export function nodeNameConfig(tree: Record<string, unknown>, projectName: string, fqnFolders: string[], name: string, fromRoot: boolean): ConfigValues {
  let level: unknown = fromRoot ? tree[projectName] : isObject(tree[projectName]) ? tree[projectName] : tree;
  for (const folder of fqnFolders) {
    if (!isObject(level)) return {};
    level = level[folder] ?? level[`+${folder}`];
  }
  if (!isObject(level)) return {};
  const own = level[name] ?? level[`+${name}`];
  const result: ConfigValues = {};
  if (isObject(own)) applyLevel(result, own);
  return result;
}

/**
 * A package node's folder config, as dbt merges it: the package's own dbt_project.yml,
 * then the root project's (its top-level keys, then its entry for the package) on top.
 */
export function packageConfigForPath(
  ownTree: Record<string, unknown>,
  rootTree: Record<string, unknown>,
  packageName: string,
  rootName: string,
  fqnFolders: string[],
): ConfigValues {
  const own = configForPath(ownTree, packageName, fqnFolders);
  if (packageName === rootName) return own;
  const result: ConfigValues = { ...own };
  applyLevel(result, rootTree);
  let level: unknown = rootTree[packageName];
  if (!isObject(level)) return result;
  applyLevel(result, level);
  for (const folder of fqnFolders) {
    level = (level as Record<string, unknown>)[folder] ?? (level as Record<string, unknown>)[`+${folder}`];
    if (!isObject(level)) break;
    applyLevel(result, level);
  }
  return result;
}

function applyLevel(result: ConfigValues, level: unknown): void {
  if (!isObject(level)) return;
  for (const [key, value] of Object.entries(level)) {
    if (isConfigEntry(key, value)) result[configName(key)] = mergeValue(configName(key), result[configName(key)], value);
  }
}

/** `+key`, or a key whose value is no object (or an object-valued config such as meta): a config, not a folder. */
export function isConfigEntry(key: string, value: unknown): boolean {
  return key.startsWith('+') || !isObject(value) || CONFIG_OBJECT_KEYS.has(key);
}

export function configName(key: string): string {
  return key.startsWith('+') ? key.slice(1) : key;
}

/** One level of a config tree: its folder path (below models:/seeds:) and the config entries it sets. */
export interface ConfigLevel {
  folders: string[];
  /** Config name → the key as written ('+materialized' or 'materialized') and its value. */
  entries: { name: string; key: string; value: unknown }[];
  /** The subfolder keys of this level. */
  subfolders: string[];
}

/** Every level of a folder config tree, the top first. */
export function configLevels(tree: Record<string, unknown>, folders: string[] = []): ConfigLevel[] {
  const level: ConfigLevel = { folders, entries: [], subfolders: [] };
  const below: ConfigLevel[] = [];
  for (const [key, value] of Object.entries(tree)) {
    if (isConfigEntry(key, value)) level.entries.push({ name: configName(key), key, value });
    else {
      level.subfolders.push(key);
      below.push(...configLevels(value as Record<string, unknown>, [...folders, key]));
    }
  }
  return [level, ...below];
}

/** Config keys whose value is an object, so they are not mistaken for subfolders. */
export const CONFIG_OBJECT_KEYS = new Set(['column_types', 'meta', 'docs', 'persist_docs', 'grants', 'contract', 'quoting']);

/** dbt merges tags across levels instead of replacing them. */
export function mergeValue(key: string, previous: unknown, next: unknown): unknown {
  if (key === 'tags') return [...new Set([...toList(previous), ...toList(next)])];
  if ((key === 'meta' || key === 'column_types') && isObject(previous) && isObject(next)) return { ...previous, ...next };
  return next;
}

export function toList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
