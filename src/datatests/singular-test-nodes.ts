/**
 * `.sql` files under test-paths (but not their generic/ folders) → singular
 * TestNodes. Rendered once with recording hooks, like models, to learn their
 * ref()/source() parents and `{{ config(severity='warn') }}`.
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { packageConfigForPath } from '../config/folder-config.js';
import type { ProjectConfig } from '../config/project-config.js';
import { packageRelative } from '../parse/parse-model.js';
import { ProjectError, TspipeError } from '../errors.js';
import type { TestNode } from '../parse/manifest.js';
import { sha256 } from '../text.js';
import { recordingHooks } from '../parse/recording-hooks.js';
import { failuresRelation } from './generic-test-nodes.js';
import { validateTestConfig } from './test-config.js';
import { MAX_NAME_BYTES } from './test-names.js';
import { resolveParents, type TestBuildContext } from './test-subjects.js';
import { foldersOf } from '../parse/parse-model.js';

const VALID_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function singularTestNodes(ctx: TestBuildContext): TestNode[] {
  const nodes: TestNode[] = [];
  for (const pkg of ctx.tree.packages) {
    for (const file of pkg.files.singularTests) {
      try {
        const node = singularTestNode(ctx, pkg.config, file);
        if (node) nodes.push(node);
      } catch (error) {
        if (!(error instanceof TspipeError)) throw error;
        ctx.errors.add(error);
      }
    }
  }
  return nodes;
}

function singularTestNode(ctx: TestBuildContext, project: ProjectConfig, file: string): TestNode | undefined {
  const { engine, errors } = ctx;
  const name = basename(file, '.sql');
  if (!VALID_NAME.test(name) || Buffer.byteLength(name) > MAX_NAME_BYTES) {
    errors.add(
      new ProjectError(`"${name}" is not a valid test name`, {
        file,
        hint: `rename the file: letters, digits and underscores, at most ${MAX_NAME_BYTES} bytes (it names the store_failures table)`,
      }),
    );
    return undefined;
  }
  const folders = foldersOf(packageRelative(file, project), project.testPaths);
  const rawCode = readFileSync(join(ctx.tree.root.projectDir, file), 'utf8');
  const rootName = ctx.tree.root.name;
  const folderConfig = packageConfigForPath(
    ctx.configTrees.get(project.name)?.tests ?? {},
    ctx.configTrees.get(rootName)?.tests ?? {},
    project.name,
    rootName,
    folders,
  );
  const recorder = recordingHooks.forModel(file, name, folderConfig, { packageName: project.name });
  engine.render(engine.compile(rawCode, file), recorder.hooks);
  const { config, problems } = validateTestConfig(recorder.config);
  for (const problem of problems) {
    errors.add(
      new ProjectError(`invalid config ${problem}`, {
        file,
        line: recorder.configLine(rawCode),
        hint: 'fix the value in {{ config(...) }} or under data_tests: in project.yml',
      }),
    );
  }
  if (problems.length || !config.enabled) return undefined;
  const dependsOn = [...new Set(resolveParents(ctx, project.name, recorder.refs, recorder.sources, { file }))];
  const only = dependsOn.length === 1 ? (ctx.manifest.nodes[dependsOn[0]!] ?? ctx.manifest.sources[dependsOn[0]!]) : undefined;
  return {
    uniqueId: `test.${project.name}.${name}`,
    resourceType: 'test',
    testType: 'singular',
    name,
    packageName: project.name,
    originalFilePath: file,
    fqn: [project.name, ...folders, name],
    description: '',
    columns: {},
    checksum: sha256(rawCode),
    config,
    relation: failuresRelation(config, only?.relation.schema ?? ctx.targetSchema, name),
    dependsOn,
    attachedNode: only?.uniqueId,
    rawCode,
    refs: recorder.refs,
    sources: recorder.sources,
  };
}
