/**
 * After parsing: builds every test node and adds it to `manifest.nodes`
 * (resourceType 'test'), so the graph, selection, plan and manifest.json see
 * tests like dbt's. Two tests that would share a name get a hash suffix.
 */
import { ErrorCollector, ProjectError } from '../errors.js';
import type { TestNode } from '../parse/manifest.js';
import type { ParsedProject } from '../parse/parse-project.js';
import { genericTestNodes } from './generic-test-nodes.js';
import { singularTestNodes } from './singular-test-nodes.js';
import { unitTestNodes } from './unit-test-nodes.js';
import { limitName, shortHash } from './test-names.js';

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
  for (const test of byId.values()) parsed.manifest.nodes[test.uniqueId] = test;
  return [...byId.values()];
}

/** Same generated name, different test (e.g. other config): keep both, tell them apart by a hash. */
function renameDuplicate(test: TestNode, taken: Map<string, TestNode>): void {
  if (test.testType !== 'generic' || taken.get(test.uniqueId)!.checksum === test.checksum) return;
  const name = limitName(`${test.name.slice(0, 52)}_${shortHash(test.checksum)}`);
  test.name = name;
  test.uniqueId = `test.${test.packageName}.${name}`;
  test.fqn = [...test.fqn.slice(0, -1), name];
  if (test.relation.identifier !== test.config.alias) test.relation = { ...test.relation, identifier: name };
}
