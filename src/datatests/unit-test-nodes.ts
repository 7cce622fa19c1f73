/**
 * dbt unit tests → TestNodes (testType 'unit', unique ids `unit_test.<package>.<model>.<name>`),
 * attached to the model they test. They depend on the model's parents, so that with
 * --unit-test-target the inputs exist when they run; `build` runs them before the model.
 */
import { ProjectError } from '../errors.js';
import type { Manifest, TestNode, UnitTestDefinition } from '../parse/manifest.js';
import { mergeConfig } from '../parse/node-config.js';
import { closestHint, sha256 } from '../text.js';
import { refNames, resolveRef } from '../parse/resolve-refs.js';
import { validateTestConfig } from './test-config.js';
import type { TestBuildContext } from './test-subjects.js';

const INPUT =
  /^\s*(?:(this)|ref\(\s*(['"])([^'"]+)\2\s*(?:,\s*(['"])([^'"]+)\4\s*)?(?:,\s*v(?:ersion)?\s*=\s*[^)]*)?\)|source\(\s*(['"])([^'"]+)\6\s*,\s*(['"])([^'"]+)\8\s*\))\s*$/;

export type UnitTestInputRef = { kind: 'this' } | { kind: 'ref'; package?: string; name: string } | { kind: 'source'; source: string; table: string };

/** `ref('x')`, `ref('pkg', 'x')`, `source('s', 't')` or `this`; undefined when it is none of these. */
export function parseUnitTestInput(input: string): UnitTestInputRef | undefined {
  const match = INPUT.exec(input);
  if (!match) return undefined;
  if (match[1]) return { kind: 'this' };
  if (match[3] !== undefined) return match[5] === undefined ? { kind: 'ref', name: match[3] } : { kind: 'ref', package: match[3], name: match[5] };
  return { kind: 'source', source: match[7]!, table: match[9]! };
}

/** The manifest node an input stands for (the model itself for `this`). */
export function inputNodeId(manifest: Manifest, input: UnitTestInputRef, test: TestNode): string | undefined {
  if (input.kind === 'this') return test.attachedNode;
  if (input.kind === 'ref') return resolveRef(manifest, input.name, input.package, test.packageName);
  return Object.values(manifest.sources).find((s) => s.sourceName === input.source && s.name === input.table)?.uniqueId;
}

export function unitTestNodes(ctx: TestBuildContext, definitions: UnitTestDefinition[]): TestNode[] {
  const nodes: TestNode[] = [];
  for (const definition of definitions) {
    const where = { file: definition.file, line: definition.line };
    const modelId = resolveRef(ctx.manifest, definition.model, undefined, definition.packageName);
    const model = modelId ? ctx.manifest.nodes[modelId] : undefined;
    if (model?.resourceType !== 'model') {
      ctx.errors.add(
        new ProjectError(`unit test ${definition.name}: model "${definition.model}" does not exist`, {
          ...where,
          hint: closestHint(definition.model, refNames(ctx.manifest)) ?? 'name a model of the project in model:',
        }),
      );
      continue;
    }
    const { config, problems } = validateTestConfig(mergeConfig({}, definition.config));
    for (const problem of problems) ctx.errors.add(new ProjectError(`unit test ${definition.name}: invalid config ${problem}`, where));
    if (problems.length || !config.enabled) continue;
    const node: TestNode = {
      uniqueId: `unit_test.${definition.packageName}.${model.name}.${definition.name}`,
      resourceType: 'test',
      testType: 'unit',
      name: definition.name,
      packageName: definition.packageName,
      originalFilePath: definition.file,
      fqn: [...model.fqn, definition.name],
      description: definition.description,
      columns: {},
      checksum: sha256(JSON.stringify(definition)),
      config,
      relation: { schema: '', identifier: definition.name },
      dependsOn: [...model.dependsOn],
      attachedNode: model.uniqueId,
      unitTest: definition,
      refs: [],
      sources: [],
    };
    for (const given of definition.given) {
      const input = parseUnitTestInput(given.input);
      if (!input) {
        ctx.errors.add(new ProjectError(`unit test ${definition.name}: input "${given.input}" is not ref('...'), source('...', '...') or this`, where));
      } else if (!inputNodeId(ctx.manifest, input, node)) {
        ctx.errors.add(
          new ProjectError(`unit test ${definition.name}: input ${given.input} does not exist`, {
            ...where,
            hint: 'name a model, seed or source the project has',
          }),
        );
      }
    }
    nodes.push(node);
  }
  return nodes;
}
