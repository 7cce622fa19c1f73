/**
 * Schema YAML tests → generic TestNodes. Each is named like dbt's, belongs to the
 * package whose YAML declares it, depends on its subject plus whatever its arguments
 * (or its macro) ref()/source(), and gets its config from the project files'
 * `data_tests:` < the macro's config() < YAML. Problems are collected with the YAML
 * file and line.
 */
import { packageConfigForPath } from '../config/folder-config.js';
import { templateRelation } from '../compile/compile-model.js';
import { quoteIdentifier } from '../contract/index.js';
import { ProjectError, TspipeError } from '../errors.js';
import type { TestNode } from '../parse/manifest.js';
import { mergeConfig } from '../parse/node-config.js';
import { closestHint, sha256 } from '../text.js';
import { recordingHooks } from '../parse/recording-hooks.js';
import { GENERIC_TESTS } from './generic-tests.js';
import { renderTestConfig, resolveTestArgs } from './test-args.js';
import { validateTestConfig } from './test-config.js';
import { testImplementation } from './test-implementation.js';
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
  const { engine, errors } = ctx;
  const rootDir = ctx.tree.root.projectDir;
  const needle = typeof entry === 'string' ? entry : (Object.keys((entry as object) ?? {})[0] ?? '');
  const where = { file: subject.file, line: lineOfTest(rootDir, subject.file, subject.yamlName, needle) };
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
  const implementation = testImplementation(engine, invocation.testName, invocation.namespace, subject.packageName);
  if (!implementation) {
    const known = [...Object.keys(GENERIC_TESTS)];
    const qualified = invocation.namespace ? `${invocation.namespace}.${invocation.testName}` : invocation.testName;
    const missingPackage = invocation.namespace && !engine.registry.packages.has(invocation.namespace) && invocation.namespace !== 'dbt';
    errors.add(
      new ProjectError(`${on}: unknown test "${qualified}"`, {
        ...where,
        hint: missingPackage
          ? `the package ${invocation.namespace} is not installed: add it to packages.yml and run tspipe deps`
          : (closestHint(invocation.testName, known) ??
            `use a built-in test (${known.join(', ')}) or define {% test ${invocation.testName}(model, column_name) %} in macros/ or tests/generic/`),
      }),
    );
    return undefined;
  }
  const namingArgs = { ...(column === undefined ? {} : { column_name: column }), ...invocation.args };
  const synthesized = genericTestName(
    { testName: invocation.testName, namespace: invocation.namespace, isSource: subject.isSource },
    subject.label,
    namingArgs,
  );
  const name = invocation.customName ?? synthesized.name;
  const alias = invocation.customName ?? synthesized.alias;
  const recorder = recordingHooks.forModel(subject.file, name, {}, { packageName: subject.packageName });
  let args: Record<string, unknown>;
  try {
    args = resolveTestArgs(invocation.args, engine, recorder.hooks);
    // Rendering a macro test once records the refs and config() inside its macro.
    if (implementation.kind === 'macro') {
      engine.callMacro(implementation.macro, recorder.hooks, [], {
        ...args,
        model: templateRelation(subject.relation, 'table'),
        ...(column === undefined ? {} : { column_name: column }),
      });
    }
  } catch (error) {
    if (!(error instanceof TspipeError)) throw error;
    errors.add(new ProjectError(`${on}: test ${invocation.testName}: ${error.message}`, { ...where, hint: error.hint }));
    return undefined;
  }
  // Checked as rendered: an argument may be Jinja (`values: "{{ var('types') }}"`).
  const builtin = implementation.kind === 'builtin' ? implementation.test : undefined;
  const problems = builtin ? builtin.check(args) : [];
  if (builtin?.needsColumn && !column) problems.push('it tests a column: declare it under the column, not the model');
  for (const problem of problems) errors.add(new ProjectError(`${on}: test ${invocation.testName}: ${problem}`, where));
  if (problems.length) return undefined;
  const packageConfig = ctx.tree.packages.find((p) => p.config.name === subject.packageName)?.config ?? ctx.tree.root;
  const own = ctx.configTrees.get(subject.packageName)?.tests ?? {};
  const rootTests = ctx.configTrees.get(ctx.tree.root.name)?.tests ?? {};
  const folderConfig = packageConfigForPath(own, rootTests, packageConfig.name, ctx.tree.root.name, subject.folders);
  let ownConfig: Record<string, unknown>;
  try {
    ownConfig = renderTestConfig(invocation.config, engine, recorder.hooks);
  } catch (error) {
    if (!(error instanceof TspipeError)) throw error;
    errors.add(new ProjectError(`${on}: test ${name}: config: ${error.message}`, { ...where, hint: error.hint }));
    return undefined;
  }
  const { config, problems: configProblems } = validateTestConfig(mergeConfig({}, folderConfig, recorder.config, ownConfig));
  for (const problem of configProblems) errors.add(new ProjectError(`${on}: test ${name}: invalid config ${problem}`, where));
  if (configProblems.length || !config.enabled) return undefined;

  const parents = resolveParents(ctx, subject.packageName, recorder.refs, recorder.sources, where);
  return {
    uniqueId: `test.${subject.packageName}.${name}`,
    resourceType: 'test',
    testType: 'generic',
    name,
    packageName: subject.packageName,
    originalFilePath: subject.file,
    fqn: [subject.packageName, ...subject.folders, name],
    description: '',
    columns: {},
    checksum: sha256(JSON.stringify([subject.uniqueId, column ?? null, entry])),
    config,
    relation: failuresRelation(config, subject.relation.schema, alias),
    dependsOn: [...new Set([subject.uniqueId, ...parents])],
    attachedNode: subject.uniqueId,
    columnName: column,
    ...(column !== undefined && ctx.tree.root.configFile !== 'project.yml'
      ? { columnSql: subject.columns[column]?.quote ? quoteIdentifier(column) : column }
      : {}),
    testMetadata: { name: invocation.testName, namespace: invocation.namespace, kwargs: namingArgs },
    refs: recorder.refs,
    sources: recorder.sources,
  };
}

/** store_failures keeps failing rows in `<schema>_test_failures.<test alias>` unless schema/alias say otherwise. */
export function failuresRelation(config: TestNode['config'], baseSchema: string, name: string) {
  return { schema: config.schema ?? `${baseSchema}_test_failures`, identifier: config.alias ?? name };
}
