/**
 * Schema YAML tests → generic TestNodes. Each is named like dbt's, depends on its
 * subject plus whatever its arguments (or a custom test's macro) ref()/source(),
 * and gets its config from project.yml `data_tests:` < the macro's config() <
 * YAML. Problems are collected with the YAML file and line.
 */
import { configForPath } from '../config/folder-config.js';
import { Relation } from '../compile/relation.js';
import { ProjectError, TspipeError } from '../errors.js';
import type { TestNode } from '../parse/manifest.js';
import { mergeConfig } from '../parse/node-config.js';
import { closestHint, sha256 } from '../parse/parse-project.js';
import { recordingHooks } from '../parse/recording-hooks.js';
import { builtinTest, GENERIC_TESTS } from './generic-tests.js';
import { resolveTestArgs } from './test-args.js';
import { validateTestConfig } from './test-config.js';
import { readTestInvocation } from './test-invocation.js';
import { genericTestName } from './test-names.js';
import { lineOfTest, resolveParents, testSubjects, type TestBuildContext, type TestSubject } from './test-subjects.js';

export function genericTestNodes(ctx: TestBuildContext): TestNode[] {
  const nodes: TestNode[] = [];
  for (const subject of testSubjects(ctx)) {
    const entries = [
      ...subject.tests.map((entry) => ({ entry, column: undefined as string | undefined })),
      ...Object.values(subject.columns).flatMap((c) => c.tests.map((entry) => ({ entry, column: c.name as string | undefined }))),
    ];
    for (const { entry, column } of entries) {
      const node = genericTestNode(ctx, subject, entry, column);
      if (node) nodes.push(node);
    }
  }
  return nodes;
}

function genericTestNode(ctx: TestBuildContext, subject: TestSubject, entry: unknown, yamlColumn: string | undefined): TestNode | undefined {
  const { project, engine, errors } = ctx;
  const needle = typeof entry === 'string' ? entry : Object.keys((entry as object) ?? {})[0] ?? '';
  const where = { file: subject.file, line: lineOfTest(project.projectDir, subject.file, subject.yamlName, needle) };
  const on = `${subject.kind} ${subject.yamlName}${yamlColumn ? `, column ${yamlColumn}` : ''}`;
  const invocation = readTestInvocation(entry);
  if ('problem' in invocation) {
    errors.add(new ProjectError(`${on}: ${invocation.problem}`, { ...where, hint: 'write a test as `- unique` or `- accepted_values: {values: [a, b]}`' }));
    return undefined;
  }
  // dbt also takes a model-level test's column as the argument column_name.
  const { column_name: argColumn, ...rest } = invocation.args;
  invocation.args = rest;
  const column = yamlColumn ?? (typeof argColumn === 'string' ? argColumn : undefined);
  const macroName = `test_${invocation.testName}`;
  const custom = engine.hasMacro(macroName);
  const builtin = custom ? undefined : builtinTest(invocation.testName, invocation.namespace);
  if (!custom && !builtin) {
    const known = [...Object.keys(GENERIC_TESTS)];
    errors.add(
      new ProjectError(`${on}: unknown test "${invocation.testName}"`, {
        ...where,
        hint:
          closestHint(invocation.testName, known) ??
          `use a built-in test (${known.join(', ')}) or define {% test ${invocation.testName}(model, column_name) %} in macros/ or tests/generic/`,
      }),
    );
    return undefined;
  }
  const problems = builtin ? builtin.check(invocation.args) : [];
  if (builtin?.needsColumn && !column) problems.push('it tests a column: declare it under the column, not the model');
  for (const problem of problems) errors.add(new ProjectError(`${on}: test ${invocation.testName}: ${problem}`, where));
  if (problems.length) return undefined;

  const namingArgs = { ...(column === undefined ? {} : { column_name: column }), ...invocation.args };
  const namespace = subject.isSource ? ['source', invocation.namespace].filter(Boolean).join('_') : invocation.namespace;
  const name = invocation.customName ?? genericTestName({ testName: invocation.testName, namespace }, subject.label, namingArgs);
  const recorder = recordingHooks.forModel(subject.file, name, {});
  try {
    const args = resolveTestArgs(invocation.args, engine, recorder.hooks);
    // Rendering a custom test once records the refs and config() inside its macro.
    if (custom) engine.callMacro(macroName, recorder.hooks, keywords({ ...args, model: Relation.of(subject.relation), column_name: column }));
  } catch (error) {
    if (!(error instanceof TspipeError)) throw error;
    errors.add(new ProjectError(`${on}: test ${invocation.testName}: ${error.message}`, { ...where, hint: error.hint }));
    return undefined;
  }
  const folderConfig = configForPath(project.testsConfig, project.name, subject.folders);
  const { config, problems: configProblems } = validateTestConfig(mergeConfig({}, folderConfig, recorder.config, invocation.config));
  for (const problem of configProblems) errors.add(new ProjectError(`${on}: test ${name}: invalid config ${problem}`, where));
  if (configProblems.length || !config.enabled) return undefined;

  const parents = resolveParents(ctx, recorder.refs, recorder.sources, where);
  return {
    uniqueId: `test.${project.name}.${name}`,
    resourceType: 'test',
    testType: 'generic',
    name,
    packageName: project.name,
    originalFilePath: subject.file,
    fqn: [project.name, ...subject.folders, name],
    description: '',
    columns: {},
    checksum: sha256(JSON.stringify([subject.uniqueId, column ?? null, entry])),
    config,
    relation: failuresRelation(config, subject.relation.schema, name),
    dependsOn: [...new Set([subject.uniqueId, ...parents])],
    attachedNode: subject.uniqueId,
    columnName: column,
    testMetadata: { name: invocation.testName, namespace: invocation.namespace, kwargs: namingArgs },
    refs: recorder.refs,
    sources: recorder.sources,
  };
}

/** store_failures keeps failing rows in `<schema>_test_failures.<test name>` unless schema/alias say otherwise. */
export function failuresRelation(config: TestNode['config'], baseSchema: string, name: string) {
  return { schema: config.schema ?? `${baseSchema}_test_failures`, identifier: config.alias ?? name };
}

/** nunjucks macros take keyword arguments as a last object marked `__keywords`. */
export function keywords(values: Record<string, unknown>): Record<string, unknown> {
  const defined = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
  return { ...defined, __keywords: true };
}
