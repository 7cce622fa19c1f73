/**
 * After parsing: builds every test node and adds it to `manifest.nodes`
 * (resourceType 'test'), so the graph, selection, plan and manifest.json see
 * tests like dbt's. Two tests that share a name get a hash suffix on their unique id.
 */
import { ErrorCollector, ProjectError } from '../errors.js';
import type { TestNode } from '../parse/manifest.js';
import type { ParsedProject } from '../parse/parsed-project.js';
import { relationOfTest } from '../parse/relation-names.js';
import { genericTestNodes } from './generic-test-nodes.js';
import { singularTestNodes } from './singular-test-nodes.js';
import { unitTestNodes } from './unit-test-nodes.js';
import { shortHash } from './test-names.js';

/** Throws a ProjectError (all problems at once) when a test is malformed. */
export function addTestNodes(parsed: ParsedProject, targetSchema: string): TestNode[] {
  const errors = new ErrorCollector();
  const ctx = { tree: parsed.tree, manifest: parsed.manifest, engine: parsed.engine, targetSchema, configTrees: parsed.configTrees, errors };
  const built = [...genericTestNodes(ctx), ...singularTestNodes(ctx), ...unitTestNodes(ctx, parsed.unitTests)];
  const byId = new Map<string, TestNode>();
  for (const test of built) {
    if (byId.has(test.uniqueId)) renameDuplicate(test, byId);
    if (byId.has(test.uniqueId)) {
      errors.add(
        new ProjectError(`test "${test.name}" is declared twice (also in ${byId.get(test.uniqueId)!.originalFilePath})`, {
          file: test.originalFilePath,
          hint: 'remove one, or give one a different name: with `name:`',
        }),
      );
      continue;
    }
    byId.set(test.uniqueId, test);
  }
  errors.throwIfAny();
  // A dbt project's tests keep failing rows where dbt does (tspipe's project.yml: next to the tested model).
  const dbtProject = parsed.tree.root.configFile !== 'project.yml';
  for (const test of byId.values()) {
    if (dbtProject && test.testType !== 'unit') test.relation = relationOfTest(test, parsed.engine, targetSchema);
    parsed.manifest.nodes[test.uniqueId] = test;
  }
  return [...byId.values()];
}

/**
 * Same generated name, different test (e.g. other config): dbt keeps the name for both
 * and tells their unique ids apart by a hash of the test, so does tspipe.
 */
function renameDuplicate(test: TestNode, taken: Map<string, TestNode>): void {
  if (test.testType !== 'generic' || taken.get(test.uniqueId)!.checksum === test.checksum) return;
  test.uniqueId = `test.${test.packageName}.${test.name}.${shortHash(test.checksum)}`;
}
