/**
 * Templates that ask the database (run_query, statement, adapter.get_columns_in_relation)
 * render synchronously, but databases answer asynchronously. So a render that needs a
 * result it does not have suspends (WarehouseRequest, an EngineSignal the engine passes
 * through untouched); renderWithWarehouse runs the statement and renders again, replaying
 * the results it has in order. A render is deterministic given those results, so the
 * replay reaches the same statements in the same order.
 */
import { EngineSignal } from '../jinja/index.js';
import { ProjectError } from '../errors.js';
import { PyDate, PyDateTime } from './modules/datetime.js';
import { UTC } from './modules/timezones.js';
import { QueryTable } from './query-table.js';

/** The one thing templates need of a database: run a statement, get its rows. */
export interface SqlRunner {
  query(sql: string): Promise<{ rows: Record<string, unknown>[]; rowCount: number; fields: { name: string; dataTypeId: number }[] }>;
}

export interface StatementOutcome {
  table: QueryTable;
  rowsAffected: number;
  /** The command tag's first word: SELECT, INSERT, CREATE... */
  code: string;
}

export class WarehouseRequest extends EngineSignal {
  constructor(readonly sql: string) {
    super('a template needs a database result');
  }
}

interface Recorded {
  sql: string;
  outcome?: StatementOutcome;
  error?: unknown;
}

/** One render's conversation with the database, kept across its replays. */
export class WarehouseSession {
  private readonly recorded: Recorded[] = [];
  private cursor = 0;
  /** True once a statement ran: the render's output depends on the database. */
  used = false;

  constructor(readonly runner: SqlRunner | undefined) {}

  /** Whether statements can run at all (dbt's `execute` during a run, false while parsing). */
  get connected(): boolean {
    return this.runner !== undefined;
  }

  startAttempt(): void {
    this.cursor = 0;
  }

  /** The outcome of the next statement of this render; suspends the render the first time. */
  run(sql: string): StatementOutcome {
    if (!this.runner) return { table: new QueryTable([], [], []), rowsAffected: 0, code: 'SELECT' };
    const next = this.recorded[this.cursor];
    if (next && next.sql === sql) {
      this.cursor++;
      if (next.error !== undefined) throw next.error;
      return next.outcome!;
    }
    // A different statement here means the render changed course: forget what follows.
    this.recorded.length = this.cursor;
    throw new WarehouseRequest(sql);
  }

  async satisfy(request: WarehouseRequest): Promise<void> {
    this.used = true;
    try {
      const result = await this.runner!.query(request.sql);
      this.recorded.push({ sql: request.sql, outcome: outcomeOf(result) });
    } catch (error) {
      this.recorded.push({ sql: request.sql, error });
    }
  }
}

/** Renders until no statement is missing. Each statement runs once, in template order. */
export async function renderWithWarehouse<T>(session: WarehouseSession, render: () => T): Promise<T> {
  for (let attempts = 0; ; attempts++) {
    session.startAttempt();
    try {
      return render();
    } catch (error) {
      if (!(error instanceof WarehouseRequest) || !session.runner) throw error;
      if (attempts > 10_000)
        throw new ProjectError('a template ran more than 10,000 statements while rendering', { hint: 'look for a loop that calls run_query or statement' });
      await session.satisfy(error);
    }
  }
}

/** A render that needed the database where none was at hand. */
export class NeedsDatabaseError extends ProjectError {}

/** Renders once; a template that needs the database here is an error naming what to do. */
export function renderWithoutWarehouse<T>(render: () => T, what: string): T {
  try {
    return render();
  } catch (error) {
    if (error instanceof WarehouseRequest) {
      throw new NeedsDatabaseError(`${what} queries the database while rendering (run_query, statement or adapter introspection)`, {
        hint: 'this step renders without a database connection; run it where a target database is reachable',
      });
    }
    throw error;
  }
}

const DATE = 1082;
const TIMESTAMP = 1114;
const TIMESTAMPTZ = 1184;
const NUMERIC = 1700;

function outcomeOf(result: Awaited<ReturnType<SqlRunner['query']>>): StatementOutcome {
  const names = result.fields.map((f) => f.name);
  const types = result.fields.map((f) => typeName(f.dataTypeId));
  const data = result.rows.map((row) => result.fields.map((f) => pythonValue(row[f.name], f.dataTypeId)));
  return { table: new QueryTable(names, types, data), rowsAffected: result.rowCount, code: names.length ? 'SELECT' : 'OK' };
}

/** Database values as the Python values dbt's agate tables hold. */
function pythonValue(value: unknown, type: number): unknown {
  if (value === null || value === undefined) return null;
  if (type === DATE && typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return PyDate.fromisoformat(value);
  if (type === TIMESTAMP && typeof value === 'string') {
    try {
      return PyDateTime.fromisoformat(value);
    } catch {
      return value;
    }
  }
  if (type === TIMESTAMPTZ && value instanceof Date) {
    const millis = value.getTime();
    return new PyDateTime(millis, 0, UTC);
  }
  if (type === NUMERIC && typeof value === 'string') {
    const number = Number(value);
    const canonical = value.includes('.') ? value.replace(/\.?0+$/, '') : value;
    return Number.isFinite(number) && String(number) === canonical ? number : value;
  }
  return value;
}

function typeName(oid: number): string {
  if (oid === DATE) return 'Date';
  if (oid === TIMESTAMP || oid === TIMESTAMPTZ) return 'DateTime';
  if (oid === 16) return 'Boolean';
  if ([20, 21, 23, 700, 701, NUMERIC].includes(oid)) return 'Number';
  return 'Text';
}
