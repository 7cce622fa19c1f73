/**
 * Finds the project's files: models and schema YAML, seeds, macros, docs blocks and
 * singular tests. Paths come back posix and relative to the project dir, sorted,
 * so everything downstream is deterministic.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, posix, sep } from 'node:path';
import type { ProjectConfig } from '../config/project-config.js';

export interface ProjectFiles {
  models: string[];
  schemaYaml: string[];
  seeds: string[];
  /** .sql files under snapshot-paths, holding {% snapshot %} blocks. */
  snapshots: string[];
  macros: string[];
  docs: string[];
  singularTests: string[];
  genericTestMacros: string[];
  /** Unit test fixture files (tests/fixtures/), read by the unit tests that name them. */
  fixtures: string[];
  /** Files besides these that the parse reads: package project files, packages.yml. */
  projectFiles: string[];
}

export function discoverFiles(config: ProjectConfig): ProjectFiles {
  // Docs blocks live next to models and macros: list each folder once.
  const listed = new Map<string, string[]>();
  const under = (roots: string[]) =>
    roots.flatMap((root) => {
      let files = listed.get(root);
      if (!files) listed.set(root, (files = listFiles(config.projectDir, root)));
      return files;
    });
  const inModels = under(config.modelPaths);
  const inTests = under(config.testPaths);
  const isGeneric = (f: string) => /(^|\/)generic\//.test(f);
  // dbt 1.8: tests/fixtures/ holds unit test fixtures, not singular tests.
  const isFixture = (f: string) => config.testPaths.some((root) => f.startsWith(posix.join(root, 'fixtures') + '/'));
  // Property files may sit next to models, seeds, macros, snapshots and analyses.
  const propertyRoots = [...config.modelPaths, ...config.seedPaths, ...config.macroPaths, ...config.snapshotPaths, ...config.analysisPaths];
  return {
    models: inModels.filter((f) => f.endsWith('.sql')),
    schemaYaml: [...new Set(under(propertyRoots).filter(isYaml))].sort(),
    seeds: under(config.seedPaths).filter((f) => f.endsWith('.csv') && !f.split('/').includes(INBOX_FOLDER)),
    snapshots: under(config.snapshotPaths).filter((f) => f.endsWith('.sql')),
    macros: under(config.macroPaths).filter((f) => f.endsWith('.sql')),
    docs: under([...config.modelPaths, ...config.docsPaths, ...config.macroPaths]).filter((f) => f.endsWith('.md')),
    singularTests: inTests.filter((f) => f.endsWith('.sql') && !isGeneric(f) && !isFixture(f)),
    genericTestMacros: inTests.filter((f) => f.endsWith('.sql') && isGeneric(f)),
    fixtures: inTests.filter(isFixture),
    projectFiles: ['packages.yml', 'dependencies.yml'].filter((f) => existsSync(join(config.projectDir, f))),
  };
}

/** Files that arrive over time for a seed are not seeds themselves (see seedInboxFolder). */
export const INBOX_FOLDER = 'inbox';

/**
 * Where the files of a seed's inbox arrive: `seeds/events.csv` → `seeds/inbox/events/`.
 * Each CSV there lands in the seed's table once (ingest/, the load ledger).
 */
export function seedInboxFolder(seedFile: string): string {
  return posix.join(posix.dirname(seedFile), INBOX_FOLDER, posix.basename(seedFile, '.csv'));
}

function isYaml(file: string): boolean {
  return file.endsWith('.yml') || file.endsWith('.yaml');
}

/** Every file under projectDir/root, as posix paths relative to projectDir. */
function listFiles(projectDir: string, root: string): string[] {
  const absolute = join(projectDir, root);
  if (!existsSync(absolute) || !statSync(absolute).isDirectory()) return [];
  const base = posix.normalize(root.split(sep).join('/')).replace(/\/$/, '');
  // One prefix per folder: a 10,000-model project has thousands of files but few folders.
  const prefixes = new Map<string, string>();
  const prefixOf = (parentPath: string) => {
    let prefix = prefixes.get(parentPath);
    if (prefix === undefined) {
      const folder = posix.join(base, ...parentPath.slice(absolute.length).split(sep).filter(Boolean));
      prefixes.set(parentPath, (prefix = folder === '.' ? '' : `${folder}/`));
    }
    return prefix;
  };
  return readdirSync(absolute, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && !entry.name.startsWith('.'))
    .map((entry) => prefixOf(entry.parentPath) + entry.name)
    .sort();
}
