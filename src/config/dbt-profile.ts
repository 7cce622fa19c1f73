/**
 * dbt's profiles.yml: where a dbt project keeps its connections. Found as dbt finds
 * it (--profiles-dir, $DBT_PROFILES_DIR, the project folder, ~/.dbt); the project's
 * `profile:` names the entry, whose `target:` is the default output. PostgreSQL
 * outputs become tspipe targets; values are rendered (env_var) only when used, so an
 * output needing unset variables fails only when it is chosen.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { ProjectError, UsageError } from '../errors.js';
import { renderConfigString } from './render-config-string.js';
import { readYamlFile, type YamlFile } from './yaml-file.js';

export interface DbtProfile {
  name: string;
  /** profiles.yml, as shown to users. */
  file: string;
  yaml: YamlFile;
  outputs: Record<string, Record<string, unknown>>;
  defaultOutput?: string;
}

export interface ProfileSelection {
  profilesDir?: string;
  /** --profile: another entry than the project's `profile:`. */
  profile?: string;
}

export function findDbtProfile(
  projectDir: string,
  projectProfile: string | undefined,
  selection: ProfileSelection,
  env: NodeJS.ProcessEnv,
): DbtProfile | undefined {
  const name = selection.profile ?? projectProfile;
  if (!name) return undefined;
  const dirs = selection.profilesDir
    ? [resolve(selection.profilesDir)]
    : env.DBT_PROFILES_DIR
      ? [resolve(env.DBT_PROFILES_DIR)]
      : [projectDir, join(homedir(), '.dbt')];
  const dir = dirs.find((d) => existsSync(join(d, 'profiles.yml')));
  if (!dir) {
    if (selection.profilesDir || selection.profile)
      throw new UsageError(`no profiles.yml in ${dirs.join(' or ')}`, { hint: 'point --profiles-dir at the folder holding profiles.yml' });
    return undefined;
  }
  const file = join(dir, 'profiles.yml');
  const yaml = readYamlFile(file, file);
  const entry = (yaml.value as Record<string, unknown>)[name] as { outputs?: Record<string, Record<string, unknown>>; target?: string } | undefined;
  if (!entry) {
    if (selection.profile)
      throw new UsageError(`profiles.yml has no profile "${name}"`, { file, hint: `profiles there: ${Object.keys(yaml.value as object).join(', ')}` });
    return undefined;
  }
  const render = (value: unknown, path: string[]) => renderValue(value, { file, line: yaml.lineOf([name, ...path]) }, env);
  const defaultOutput = entry.target === undefined ? undefined : String(render(entry.target, ['target']));
  return { name, file, yaml, outputs: entry.outputs ?? {}, defaultOutput };
}

/** A profile output as a PostgreSQL connection, its values rendered now. */
export interface ProfileConnection {
  url: string;
  schema: string;
  threads?: number;
  database: string;
  user: string;
  host: string;
  port: number;
}

export function profileConnection(profile: DbtProfile, output: string, env: NodeJS.ProcessEnv): ProfileConnection {
  const raw = profile.outputs[output]!;
  const where = (key: string) => ({ file: profile.file, line: profile.yaml.lineOf([profile.name, 'outputs', output, key]) });
  const value = (key: string) => (raw[key] === undefined ? undefined : renderValue(raw[key], where(key), env));
  const type = String(value('type') ?? '');
  if (type !== 'postgres') {
    throw new ProjectError(`profile output "${output}" is of type "${type}"; tspipe runs on PostgreSQL (and its embedded PGlite)`, {
      ...where('type'),
      hint: 'choose a postgres output with --target, or --target embedded for the embedded database',
    });
  }
  const required = (key: string, ...aliases: string[]) => {
    for (const k of [key, ...aliases]) if (value(k) !== undefined && value(k) !== '') return String(value(k));
    throw new ProjectError(`profile output "${output}" has no ${key}`, { ...where(key), hint: `add ${key}: to the output in profiles.yml` });
  };
  const host = required('host');
  const user = required('user');
  const database = required('dbname', 'database');
  const port = Number(value('port') ?? 5432);
  const password = String(value('password') ?? value('pass') ?? '');
  const url = new URL(`postgres://${host.includes(':') ? `[${host}]` : host}:${port}/${encodeURIComponent(database)}`);
  url.username = user;
  if (password) url.password = password;
  for (const [key, param] of [
    ['sslmode', 'sslmode'],
    ['connect_timeout', 'connect_timeout'],
    ['application_name', 'application_name'],
  ] as const) {
    if (value(key) !== undefined) url.searchParams.set(param, String(value(key)));
  }
  const threads = value('threads');
  return { url: url.toString(), schema: required('schema'), threads: threads === undefined ? undefined : Number(threads), database, user, host, port };
}

function renderValue(value: unknown, where: { file: string; line?: number }, env: NodeJS.ProcessEnv): unknown {
  return typeof value === 'string' && (value.includes('{{') || value.includes('{%')) ? renderConfigString(value, { vars: {}, env, where }) : value;
}
