// The public face of datatests/: other stages import from here.
export { addTestNodes } from './add-test-nodes.js';
export { compileTest, type CompiledTest, type TestCompileContext } from './compile-test.js';
export { runTest, prepareFailureSchemas, storesFailures, SAMPLE_ROWS, type RunTestOptions, type TestOutcome, type TestStatus } from './run-test.js';
export { executeTest, isTestNodeResult, outcomeFields, type ExecuteTestOptions, type TestNodeResult } from './execute-test.js';
export { auditModel, auditTestsFor, auditHook, AuditFailedError, type AuditContext } from './audit-model.js';
export { readTestConfig, testStatus, type Severity, type TestConfig } from './test-config.js';
export { GENERIC_TESTS } from './generic-tests.js';
export { formatRows } from './format-rows.js';
export type { UnitTestDatabase } from './unit-test-inputs.js';
