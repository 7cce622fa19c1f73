/**
 * packages.yml / dependencies.yml → the package specs a project asks for, as dbt
 * reads them: hub packages by version range, git repositories by revision, local
 * folders, and tarball URLs. Strings may use Jinja (`{{ env_var('TOKEN') }}`), which
 * the caller renders.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ErrorCollector, ProjectError } from '../errors.js';
import { readYamlFile, type YamlFile } from '../config/yaml-file.js';

export const PACKAGE_FILES = ['packages.yml', 'dependencies.yml'] as const;

const version = z.union([z.string(), z.number()]).transform(String);
const hubSpec = z
  .object({
    package: z.string().min(1),
    version: z.union([version, z.array(version).min(1)]).transform((v) => (Array.isArray(v) ? v : [v])),
    install_prerelease: z.boolean().optional(),
    name: z.string().optional(),
  })
  .strict();
const gitSpec = z
  .object({
    git: z.string().min(1),
    revision: version.optional(),
    'warn-unpinned': z.boolean().optional(),
    subdirectory: z.string().optional(),
    name: z.string().optional(),
  })
  .strict();
const localSpec = z.object({ local: z.string().min(1), name: z.string().optional() }).strict();
const tarballSpec = z.object({ tarball: z.string().min(1), name: z.string().min(1) }).strict();

interface SpecOrigin {
  /** The entry as written, before Jinja (dbt hashes it into the lock file). */
  unrendered: Record<string, unknown>;
  /** Where it was declared, for errors. */
  file: string;
  line?: number;
  /** Folder that relative `local:` paths are relative to (absolute). */
  baseDir: string;
}
type HubBody = z.infer<typeof hubSpec> & { kind: 'hub' };
type GitBody = z.infer<typeof gitSpec> & { kind: 'git' };
type LocalBody = z.infer<typeof localSpec> & { kind: 'local' };
type TarballBody = z.infer<typeof tarballSpec> & { kind: 'tarball' };
type SpecBody = HubBody | GitBody | LocalBody | TarballBody;
export type HubSpec = HubBody & SpecOrigin;
export type GitSpec = GitBody & SpecOrigin;
export type LocalSpec = LocalBody & SpecOrigin;
export type TarballSpec = TarballBody & SpecOrigin;
export type PackageSpec = HubSpec | GitSpec | LocalSpec | TarballSpec;

export interface PackageFile {
  /** packages.yml or dependencies.yml, relative to the project dir. */
  file: string;
  specs: PackageSpec[];
}

/** Renders Jinja in one YAML string value (env_var and var only, as dbt does here). */
export type RenderString = (text: string, where: { file: string; line?: number }) => unknown;

/** The project's package file, or undefined when it has none. */
export function readPackageFile(projectDir: string, render: RenderString): PackageFile | undefined {
  const present = PACKAGE_FILES.filter((name) => existsSync(join(projectDir, name)));
  if (present.length === 0) return undefined;
  const file = present[0]!;
  const yaml = readYamlFile(join(projectDir, file), file);
  const document = (yaml.value ?? {}) as Record<string, unknown>;
  if (present.length > 1 && Array.isArray(document.packages)) {
    const other = readYamlFile(join(projectDir, present[1]!), present[1]!).value as Record<string, unknown> | null;
    if (Array.isArray(other?.packages)) {
      throw new ProjectError(`packages are declared in both ${present[0]} and ${present[1]}`, {
        file: present[1],
        hint: 'dbt reads only one of them: keep the packages in one file',
      });
    }
  }
  return { file, specs: parseSpecs(document, yaml, projectDir, render) };
}

function parseSpecs(document: Record<string, unknown>, yaml: YamlFile, projectDir: string, render: RenderString): PackageSpec[] {
  const file = yaml.displayPath;
  const errors = new ErrorCollector();
  const entries = document.packages ?? [];
  if (!Array.isArray(entries)) {
    throw new ProjectError('packages: must be a list', { file, line: yaml.lineOf(['packages']), hint: 'write packages: followed by "- package: ..." entries' });
  }
  const specs: PackageSpec[] = [];
  entries.forEach((entry, index) => {
    const line = yaml.lineOf(['packages', index]);
    const where = { file, line };
    const rendered = renderValues(entry, (text) => render(text, where));
    const parsed = parseSpec(rendered);
    if ('error' in parsed) {
      errors.add(new ProjectError(`packages[${index}]: ${parsed.error}`, { ...where, hint: SPEC_HINT }));
      return;
    }
    specs.push({ ...parsed.spec, unrendered: entry as Record<string, unknown>, file, line, baseDir: projectDir });
  });
  errors.throwIfAny();
  return specs;
}

const SPEC_HINT = 'each entry is one of: {package: org/name, version: "1.2.3"}, {git: URL, revision: tag}, {local: ../path}, {tarball: URL, name: name}';

type ParsedSpec = { spec: SpecBody } | { error: string };

function parseSpec(entry: unknown): ParsedSpec {
  if (typeof entry !== 'object' || entry === null) return { error: 'expected a mapping' };
  const keys = Object.keys(entry);
  const attempt = <T extends z.ZodTypeAny, K extends PackageSpec['kind']>(schema: T, kind: K): ParsedSpec => {
    const result = schema.safeParse(entry);
    if (result.success) return { spec: { ...(result.data as object), kind } as SpecBody };
    return { error: describeIssue(result.error.issues[0]!, entry as Record<string, unknown>) };
  };
  if (keys.includes('package')) return attempt(hubSpec, 'hub');
  if (keys.includes('git')) return attempt(gitSpec, 'git');
  if (keys.includes('local')) return attempt(localSpec, 'local');
  if (keys.includes('tarball')) return attempt(tarballSpec, 'tarball');
  if (keys.includes('private')) return { error: 'private packages are a dbt Cloud feature: use git: with the repository URL instead' };
  return { error: `unknown package entry with keys ${keys.join(', ')}` };
}

function describeIssue(issue: z.core.$ZodIssue, entry: Record<string, unknown>): string {
  const path = issue.path.join('.');
  if (issue.code === 'unrecognized_keys') return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  if (path && entry[path] === undefined) return `${path} is required`;
  return `${path || 'entry'}: ${issue.message}`;
}

function renderValues(value: unknown, render: (text: string) => unknown): unknown {
  if (typeof value === 'string') return value.includes('{{') || value.includes('{%') ? render(value) : value;
  if (Array.isArray(value)) return value.map((item) => renderValues(item, render));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, renderValues(item, render)]));
  }
  return value;
}

/** A short name for messages: dbt-labs/dbt_utils, the git URL, the local path. */
export function describeSpec(spec: PackageSpec): string {
  switch (spec.kind) {
    case 'hub':
      return spec.package;
    case 'git':
      return spec.subdirectory ? `${spec.git}#${spec.subdirectory}` : spec.git;
    case 'local':
      return spec.local;
    case 'tarball':
      return spec.tarball;
  }
}
