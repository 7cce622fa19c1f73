/**
 * Prints, after vitest's summary, why tests were skipped: vitest's default output shows
 * only "N skipped" for a skipped file. Suites and tests that may skip put the reason
 * in their name as "(skipped: what to install or set)"; a skip without one is listed
 * by name, so it gets one.
 */
import type { Reporter, TestModule } from 'vitest/node';

const MARK = '(skipped: ';

export default class SkipReasonsReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const reasons = new Map<string, { tests: number; files: Set<string> }>();
    const unexplained: string[] = [];
    for (const module of testModules) {
      for (const test of module.children.allTests('skipped')) {
        const reason = reasonIn(test.fullName);
        if (reason === undefined) {
          if (test.options.mode !== 'todo') unexplained.push(`${module.relativeModuleId} > ${test.fullName}`);
          continue;
        }
        const entry = reasons.get(reason) ?? { tests: 0, files: new Set<string>() };
        entry.tests += 1;
        entry.files.add(module.relativeModuleId);
        reasons.set(reason, entry);
      }
    }
    if (!reasons.size && !unexplained.length) return;
    const lines = ['', 'Skipped tests, and why:'];
    for (const [reason, { tests, files }] of reasons) lines.push(`  ${tests} test${tests === 1 ? '' : 's'} in ${[...files].sort().join(', ')}: ${reason}`);
    for (const name of unexplained) lines.push(`  no reason given: ${name}`);
    console.log(lines.join('\n'));
  }
}

/** The text inside "(skipped: ...)", parentheses in it included. */
export function reasonIn(name: string): string | undefined {
  const start = name.indexOf(MARK);
  if (start < 0) return undefined;
  let depth = 1;
  for (let i = start + MARK.length; i < name.length; i++) {
    if (name[i] === '(') depth++;
    else if (name[i] === ')' && --depth === 0) return name.slice(start + MARK.length, i);
  }
  return name.slice(start + MARK.length);
}
