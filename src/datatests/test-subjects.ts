/**
 * What generic tests hang off: models, seeds and sources with tests in schema YAML,
 * in one shape, plus the helpers node builders share (folders, YAML lines, refs).
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ProjectError, type ErrorCollector } from '../errors.js';
import type { ConfigTrees } from '../parse/config-trees.js';
import type { ColumnInfo, Manifest, RefCall, RelationName } from '../parse/manifest.js';
import type { ProjectTree } from '../parse/project-tree.js';
import { refNames, resolveRef } from '../parse/resolve-refs.js';
import { closestHint } from '../text.js';
import type { TemplateEngine } from '../parse/template-engine.js';

export interface TestBuildContext {
  tree: ProjectTree;
  manifest: Manifest;
  engine: TemplateEngine;
  targetSchema: string;
  /** Rendered config trees by package (data_tests: config comes from them). */
  configTrees: Map<string, ConfigTrees>;
  errors: ErrorCollector;
}

export interface TestSubject {
  uniqueId: string;
  /** The package whose YAML declares the tests: the tests belong to it. */
  packageName: string;
  /** Used in test names: the model/seed name, or `<source>_<table>`. */
  label: string;
  /** The name its YAML entry has (for finding lines). */
  yamlName: string;
  kind: 'model' | 'seed' | 'snapshot' | 'source';
  isSource: boolean;
  relation: RelationName;
  columns: Record<string, ColumnInfo>;
  tests: unknown[];
  /** The schema YAML file the tests are written in. */
  file: string;
  /** Folders for the test's fqn and project config, as the subject's. */
  folders: string[];
}

export function testSubjects(ctx: TestBuildContext): TestSubject[] {
  const subjects: TestSubject[] = [];
  for (const node of Object.values(ctx.manifest.nodes)) {
    if (node.resourceType === 'test' || !node.patchPath) continue;
    // A model version's tests are named after the version (not_null_orders_v2_id), as dbt names them.
    const version = node.resourceType === 'model' ? node.version : undefined;
    subjects.push({
      uniqueId: node.uniqueId,
      packageName: node.packageName,
      label: version === undefined ? node.name : `${node.name}_v${version}`,
      yamlName: node.name,
      kind: node.resourceType,
      isSource: false,
      relation: node.relation,
      columns: node.columns,
      tests: node.tests,
      file: node.patchPath,
      folders: node.fqn.slice(1, version === undefined ? -1 : -2),
    });
  }
  for (const source of Object.values(ctx.manifest.sources)) {
    subjects.push({
      uniqueId: source.uniqueId,
      packageName: source.packageName,
      label: `${source.sourceName}_${source.name}`,
      yamlName: source.name,
      kind: 'source',
      isSource: true,
      relation: source.relation,
      columns: source.columns,
      tests: source.tests,
      file: source.originalFilePath,
      folders: source.fqn.slice(1, -2),
    });
  }
  return subjects.sort((a, b) => a.uniqueId.localeCompare(b.uniqueId));
}

/** ref()/source() calls recorded while rendering → parent uniqueIds, unknown ones reported. */
export function resolveParents(
  ctx: TestBuildContext,
  fromPackage: string,
  refs: RefCall[],
  sources: [string, string][],
  where: { file: string; line?: number },
): string[] {
  const parents: string[] = [];
  for (const ref of refs) {
    const id = resolveRef(ctx.manifest, ref.name, ref.package, fromPackage, ref.version);
    if (id) parents.push(id);
    else
      ctx.errors.add(
        new ProjectError(`ref("${ref.name}") in a test names a model or seed that does not exist`, {
          ...where,
          hint: closestHint(ref.name, refNames(ctx.manifest)) ?? 'check the name, or add the model or seed',
        }),
      );
  }
  for (const [sourceName, table] of sources) {
    const source = Object.values(ctx.manifest.sources).find((s) => s.sourceName === sourceName && s.name === table);
    if (source) parents.push(source.uniqueId);
    else ctx.errors.add(new ProjectError(`source("${sourceName}", "${table}") in a test is not declared`, where));
  }
  return parents;
}

/** Best-effort line of a test in schema YAML: the first mention after the subject's entry. */
export function lineOfTest(projectDir: string, file: string, subject: string, needle: string): number | undefined {
  const indexed = indexedFile(join(projectDir, file));
  if (!indexed) return undefined;
  const start = indexed.entries.get(subject);
  if (start === undefined) return undefined;
  const offset = indexed.lines.slice(start).findIndex((l) => l.includes(needle));
  return offset < 0 ? start + 1 : start + offset + 1;
}

interface IndexedFile {
  mtimeMs: number;
  lines: string[];
  /** `- name: x` → index of its first line. */
  entries: Map<string, number>;
}

/** Read and index each schema file once per change, not once per test (10k tests read it 10k times). */
const indexedFiles = new Map<string, IndexedFile>();
const ENTRY = /^\s*-?\s*name:\s*['"]?([^'"\s]+)['"]?\s*$/;

function indexedFile(path: string): IndexedFile | undefined {
  let mtimeMs: number;
  try {
    mtimeMs = statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
  const cached = indexedFiles.get(path);
  if (cached && cached.mtimeMs === mtimeMs) return cached;
  const lines = readFileSync(path, 'utf8').split('\n');
  const entries = new Map<string, number>();
  lines.forEach((line, index) => {
    const name = ENTRY.exec(line)?.[1];
    if (name !== undefined && !entries.has(name)) entries.set(name, index);
  });
  const indexed = { mtimeMs, lines, entries };
  indexedFiles.set(path, indexed);
  return indexed;
}
