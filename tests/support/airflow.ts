/**
 * A real Apache Airflow for the tests, from the venv that airflow/setup.sh makes
 * (or TSPIPE_AIRFLOW_VENV). When there is none the Airflow tests are skipped, with
 * the reason shown; TSPIPE_REQUIRE_AIRFLOW=1 (CI) turns that into a failure.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const AIRFLOW_SCRIPTS = join(REPO_ROOT, 'airflow', 'scripts');
const VENV = process.env.TSPIPE_AIRFLOW_VENV || join(REPO_ROOT, 'airflow', '.venv');

function detect(): { available: boolean; skipReason: string } {
  if (existsSync(join(VENV, 'bin', 'airflow')) && existsSync(join(VENV, 'bin', 'python'))) {
    return { available: true, skipReason: '' };
  }
  const skipReason = `no Airflow venv at ${VENV}: run \`bash airflow/setup.sh\` (or set TSPIPE_AIRFLOW_VENV)`;
  if (process.env.TSPIPE_REQUIRE_AIRFLOW === '1') throw new Error(`TSPIPE_REQUIRE_AIRFLOW=1 but ${skipReason}`);
  return { available: false, skipReason };
}

export const airflow = { venv: VENV, ...detect() };

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface AirflowHome {
  home: string;
  dagsDir: string;
  env: NodeJS.ProcessEnv;
  /** Runs `airflow <args>`; never throws on a non-zero exit. */
  cli(args: string[], timeoutMs?: number): Promise<CommandResult>;
  /** Runs airflow/scripts/<name> and parses the JSON its last stdout line holds. */
  script<T>(name: string, args: string[]): Promise<T>;
  /** Scheduler plus the execution API (what runs tasks outside `dags test`); stop() ends both. */
  startScheduler(): Promise<{ stop(): Promise<void> }>;
  /** `airflow <args>` in the background (e.g. a Celery worker), logging to <home>/<logName>; ended by cleanup(). */
  startProcess(args: string[], logName: string, extraEnv?: NodeJS.ProcessEnv): Promise<void>;
  cleanup(): Promise<void>;
}

/**
 * A fresh AIRFLOW_HOME in a temp folder with SQLite metadata (`airflow db migrate`),
 * no examples, DAGs from its own dags/ folder and DAGs unpaused at creation.
 */
export async function createAirflowHome(extraEnv: NodeJS.ProcessEnv = {}): Promise<AirflowHome> {
  const home = await mkdtemp(join(tmpdir(), 'tspipe-airflow-'));
  const dagsDir = join(home, 'dags');
  await mkdir(dagsDir);
  const apiPort = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...withoutAirflowSettings(process.env),
    AIRFLOW_HOME: home,
    AIRFLOW__CORE__DAGS_FOLDER: dagsDir,
    AIRFLOW__CORE__LOAD_EXAMPLES: 'False',
    AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION: 'False',
    AIRFLOW__CORE__EXECUTION_API_SERVER_URL: `http://127.0.0.1:${apiPort}/execution/`,
    // Two cores here: at most two tasks at once under the scheduler.
    AIRFLOW__CORE__PARALLELISM: '2',
    AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC: '1',
    ...extraEnv,
  };
  const bin = (name: string) => join(VENV, 'bin', name);
  const cli = (args: string[], timeoutMs = 300_000) => run(bin('airflow'), args, env, timeoutMs);
  const migrated = await cli(['db', 'migrate']);
  if (migrated.code !== 0) throw new Error(`airflow db migrate failed:\n${migrated.stdout}\n${migrated.stderr}`);
  // The scheduler settings airflow/setup.sh gives a user's Airflow, in the airflow.cfg the migration wrote.
  const configured = await run(bin('python'), [join(AIRFLOW_SCRIPTS, 'set_config.py'), join(home, 'airflow.cfg'), '--low-latency'], env, 60_000);
  if (configured.code !== 0) throw new Error(`set_config.py --low-latency failed:\n${configured.stderr}`);

  const children: ChildProcess[] = [];
  return {
    home,
    dagsDir,
    env,
    cli,
    async script<T>(name: string, args: string[]): Promise<T> {
      const result = await run(bin('python'), [join(AIRFLOW_SCRIPTS, name), ...args], env, 120_000);
      const last = result.stdout.trim().split('\n').pop() ?? '';
      if (result.code !== 0 || !last.startsWith('{')) {
        throw new Error(`${name} ${args.join(' ')} exited ${result.code}:\n${result.stdout}\n${result.stderr}`);
      }
      return JSON.parse(last) as T;
    },
    async startScheduler() {
      const started = [
        await background(bin('airflow'), ['api-server', '--apps', 'execution', '-H', '127.0.0.1', '-p', String(apiPort)], env, join(home, 'api-server.log')),
        await background(bin('airflow'), ['scheduler'], env, join(home, 'scheduler.log')),
      ];
      children.push(...started);
      await waitFor(
        () =>
          fetch(`http://127.0.0.1:${apiPort}/execution/health`).then(
            (r) => r.ok,
            () => false,
          ),
        90_000,
      );
      return { stop: () => Promise.all(started.map(stopProcess)).then(() => undefined) };
    },
    async startProcess(args, logName, extraEnv = {}) {
      children.push(await background(bin('airflow'), args, { ...env, ...extraEnv }, join(home, logName)));
    },
    async cleanup() {
      await Promise.all(children.map(stopProcess));
      await rm(home, { recursive: true, force: true });
    },
  };
}

/** Polls until check() is true; throws after timeoutMs. */
export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, everyMs = 1000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export async function writeExecutable(path: string, text: string): Promise<void> {
  await writeFile(path, text, { mode: 0o755 });
}

/** Settings that would leak into the temp home: the caller's AIRFLOW_* and the DAG's TSPIPE_* fallbacks. */
const DAG_SETTINGS = new Set(['TSPIPE_PROJECT_DIR', 'TSPIPE_COMMAND', 'TSPIPE_TARGET', 'TSPIPE_DATABASE_URL']);
function withoutAirflowSettings(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !key.startsWith('AIRFLOW') && !DAG_SETTINGS.has(key)));
}

function run(file: string, args: string[], env: NodeJS.ProcessEnv, timeout: number): Promise<CommandResult> {
  return new Promise((resolvePromise) => {
    execFile(file, args, { env, timeout, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolvePromise({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

async function background(file: string, args: string[], env: NodeJS.ProcessEnv, logFile: string): Promise<ChildProcess> {
  const log = await open(logFile, 'a');
  // Own process group, so stopProcess ends the server's workers with it.
  const child = spawn(file, args, { env, detached: true, stdio: ['ignore', log.fd, log.fd] });
  child.once('exit', () => void log.close());
  return child;
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

function freePort(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePromise(address.port) : reject(new Error('no port'))));
    });
  });
}
