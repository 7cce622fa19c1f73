/**
 * dbt-style terminal output: one START and one result line per node with counts
 * and timings, then a summary and the details of every error. Colours only on a
 * TTY (picocolors honours NO_COLOR and FORCE_COLOR).
 */
import pc from 'picocolors';
import type { PlannedNode } from '../execute/plan.js';
import type { NodeResult, Reporter, RunSummary } from '../execute/reporter.js';
import { formatRows } from '../datatests/format-rows.js';
import { isTestNodeResult } from '../datatests/test-node-result.js';

type Write = (line: string) => void;

const LABELS: Record<NodeResult['status'], (s: string) => string> = {
  success: pc.green,
  pass: pc.green,
  warn: pc.yellow,
  error: pc.red,
  fail: pc.red,
  skipped: pc.yellow,
  'partial success': pc.red,
};

export class TerminalReporter implements Reporter {
  constructor(private readonly write: Write = (line) => process.stdout.write(`${line}\n`)) {}

  runStarted(info: { command: string; total: number; threads: number; target: string; database: string }): void {
    this.line(
      `Running ${info.total} node${info.total === 1 ? '' : 's'} on target ${info.target} (${info.database}) with ${info.threads} thread${info.threads === 1 ? '' : 's'}`,
    );
  }

  nodeStarted({ index, total, node }: { index: number; total: number; node: PlannedNode }): void {
    this.line(`${index} of ${total} START ${describe(node)} ${node.relation} ${pc.dim('...')}`);
  }

  nodeRetrying({ node, attempt, delayMs, error }: { node: PlannedNode; attempt: number; delayMs: number; error: string }): void {
    this.line(pc.yellow(`      RETRY ${node.relation} (attempt ${attempt}, in ${(delayMs / 1000).toFixed(1)}s): ${error.split('\n')[0]}`));
  }

  nodeFinished({ index, total, node, result }: { index: number; total: number; node: PlannedNode; result: NodeResult }): void {
    const time = `in ${result.executionTime.toFixed(2)}s`;
    const rows = result.rowsAffected !== undefined && result.rowsAffected !== null ? ` (${result.rowsAffected.toLocaleString('en-US')} rows)` : '';
    let text: string;
    if (node.action === 'test' && result.status !== 'skipped' && result.status !== 'error') {
      const failures = result.status === 'pass' ? '' : ` ${(result.failures ?? 0).toLocaleString('en-US')}`;
      text = `${result.status.toUpperCase()}${failures} ${node.name} ${time}`;
    } else if (result.status === 'success') {
      // A seed's message counts what was read and rejected: worth a glance on every load.
      const detail = node.action === 'seed' && result.message ? `: ${result.message}` : '';
      text = `OK ${result.verb ?? 'built'} ${node.relation}${rows} ${time}${detail}`;
    } else if (result.status === 'partial success')
      text = `PARTIAL SUCCESS ${result.verb ?? ''} ${node.relation}${rows} ${time}: ${(result.message ?? '').split('\n')[0]}`;
    else if (result.status === 'skipped') text = `SKIP ${describe(node)} ${node.relation}: ${result.message ?? ''}`;
    else text = `ERROR ${describe(node)} ${node.relation} ${time}: ${(result.message ?? '').split('\n')[0]}`;
    this.line(`${index} of ${total} ${LABELS[result.status](text)}`);
  }

  info(message: string): void {
    this.line(message);
  }

  warn(message: string): void {
    this.line(pc.yellow(`warning: ${message}`));
  }

  runFinished({ results, elapsedSeconds }: RunSummary): void {
    const count = (status: NodeResult['status']) => results.filter((r) => r.status === status).length;
    const errors = results.filter((r) => r.status === 'error' || r.status === 'fail' || r.status === 'partial success');
    const warnings = results.filter((r) => r.status === 'warn');
    this.write('');
    this.line(`Finished ${results.length} node${results.length === 1 ? '' : 's'} in ${elapsedSeconds.toFixed(2)}s.`);
    for (const result of errors) {
      this.write('');
      this.write(pc.red(`${result.status === 'fail' ? 'Failure' : 'Error'} in ${result.uniqueId}${result.where ? ` (${result.where})` : ''}:`));
      this.write(`  ${(result.message ?? '').split('\n').join('\n  ')}`);
      if (result.hint) this.write(`  hint: ${result.hint}`);
      this.testDetails(result);
    }
    for (const result of warnings) {
      this.write('');
      this.write(pc.yellow(`Warning in ${result.uniqueId}:`));
      this.write(`  ${result.message ?? ''}`);
      this.testDetails(result);
    }
    this.write('');
    const totals = `PASS=${count('success') + count('pass')} WARN=${count('warn')} ERROR=${count('error') + count('fail') + count('partial success')} SKIP=${count('skipped')} TOTAL=${results.length}`;
    this.write(
      errors.length
        ? pc.red(`Completed with ${errors.length} error${errors.length === 1 ? '' : 's'}. ${totals}`)
        : pc.green(`Completed successfully. ${totals}`),
    );
  }

  /** Under a failing or warning test: its first failing rows, where all of them are, its SQL. */
  private testDetails(result: NodeResult): void {
    if (!isTestNodeResult(result)) return;
    const rows = formatRows(result.columns, result.failingRows);
    if (rows.length) {
      const shown = result.failingRows.length < (result.failures ?? 0) ? ` (first ${result.failingRows.length})` : '';
      this.write(`  failing rows${shown}:`);
      for (const row of rows) this.write(`    ${row}`);
    }
    if (result.storedIn) this.write(`  all failing rows: select * from ${result.storedIn}`);
    if (result.compiledPath && result.status !== 'error') this.write(`  compiled SQL: ${result.compiledPath}`);
  }

  private line(text: string): void {
    this.write(`${pc.dim(new Date().toTimeString().slice(0, 8))}  ${text}`);
  }
}

function describe(node: PlannedNode): string {
  return node.action === 'model' ? `${node.materialized} model` : node.action;
}
