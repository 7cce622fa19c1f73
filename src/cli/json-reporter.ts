/**
 * `--log-format json`: one JSON object per line, for machines and log shippers. Every
 * key is snake_case, as in dbt's structured logs and run_results.json.
 */
import type { Reporter } from '../execute/reporter.js';

export class JsonReporter implements Reporter {
  constructor(private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)) {}
  private emit(event: string, data: object): void {
    this.write(JSON.stringify({ ts: new Date().toISOString(), event, ...snakeKeys(data) }));
  }
  runStarted(info: object): void {
    this.emit('run_started', info);
  }
  nodeStarted({ index, total, node }: { index: number; total: number; node: { uniqueId: string; relation: string } }): void {
    this.emit('node_started', { index, total, unique_id: node.uniqueId, relation: node.relation });
  }
  nodeRetrying({ node, attempt, delayMs, error }: { node: { uniqueId: string }; attempt: number; delayMs: number; error: string }): void {
    this.emit('node_retrying', { unique_id: node.uniqueId, attempt, delay_ms: delayMs, error });
  }
  nodeFinished({ index, total, result }: { index: number; total: number; result: object }): void {
    this.emit('node_finished', { index, total, ...result });
  }
  info(message: string): void {
    this.emit('info', { message });
  }
  warn(message: string): void {
    this.emit('warning', { message });
  }
  runFinished({ command, results, elapsedSeconds }: { command: string; results: { status: string }[]; elapsedSeconds: number }): void {
    const counts: Record<string, number> = {};
    for (const r of results) counts[r.status] = (counts[r.status] ?? 0) + 1;
    this.emit('run_finished', { command, elapsed_seconds: elapsedSeconds, counts });
  }
}

/** Top-level keys of an event in snake_case (executionTime → execution_time); values untouched. */
export function snakeKeys(data: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(data).map(([key, value]) => [key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), value]));
}
