/**
 * The validated shape of project.yml (or dbt_project.yml). One `as const` list per
 * enumerated setting gives both the TypeScript type and the runtime check.
 */
import { z } from 'zod';

export const MATERIALIZATIONS = ['view', 'table', 'incremental', 'ephemeral'] as const;
export type Materialization = (typeof MATERIALIZATIONS)[number];

export const INCREMENTAL_STRATEGIES = ['append', 'delete+insert', 'merge', 'microbatch'] as const;
export type IncrementalStrategy = (typeof INCREMENTAL_STRATEGIES)[number];

export const TARGET_TYPES = ['pglite', 'postgres'] as const;

const pathList = z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v]));

export const targetSchema = z
  .object({
    type: z.enum(TARGET_TYPES),
    /** pglite: data directory, relative to the project dir. */
    path: z.string().optional(),
    /** postgres: a connection URL ... */
    url: z.string().optional(),
    /** ... or the environment variable holding it (default DATABASE_URL). */
    url_env: z.string().optional(),
    schema: z.string().min(1).default('public'),
    threads: z.number().int().min(1).max(64).optional(),
  })
  .strict();
export type TargetConfig = z.infer<typeof targetSchema>;

export const projectFileSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a valid identifier (letters, digits, underscores)'),
    version: z.union([z.string(), z.number()]).optional(),
    'config-version': z.number().optional(),
    profile: z.string().optional(),
    'model-paths': pathList.optional(),
    'source-paths': pathList.optional(),
    'seed-paths': pathList.optional(),
    'data-paths': pathList.optional(),
    'macro-paths': pathList.optional(),
    'test-paths': pathList.optional(),
    'docs-paths': pathList.optional(),
    'analysis-paths': pathList.optional(),
    'on-run-start': z
      .union([z.string(), z.array(z.string())])
      .nullable()
      .optional(),
    'on-run-end': z
      .union([z.string(), z.array(z.string())])
      .nullable()
      .optional(),
    dispatch: z.array(z.object({ macro_namespace: z.string(), search_order: z.array(z.string()) })).optional(),
    flags: z.record(z.string(), z.unknown()).optional(),
    'snapshot-paths': pathList.optional(),
    'target-path': z.string().optional(),
    'packages-install-path': z.string().optional(),
    'clean-targets': z.array(z.string()).optional(),
    'require-dbt-version': z.unknown().optional(),
    vars: z.record(z.string(), z.unknown()).optional(),
    models: z.record(z.string(), z.unknown()).optional(),
    seeds: z.record(z.string(), z.unknown()).optional(),
    snapshots: z.record(z.string(), z.unknown()).optional(),
    tests: z.record(z.string(), z.unknown()).optional(),
    data_tests: z.record(z.string(), z.unknown()).optional(),
    sources: z.record(z.string(), z.unknown()).optional(),
    /** tspipe: named database targets (dbt keeps these in profiles.yml). */
    targets: z.record(z.string(), z.unknown()).optional(),
    /** tspipe: name of the default target. */
    target: z.string().optional(),
    threads: z.number().int().min(1).max(64).optional(),
    /** tspipe: Airflow DAG settings. */
    airflow: z
      .object({
        schedule: z.string().optional(),
        retries: z.number().int().min(0).optional(),
        retry_delay_seconds: z.number().int().min(0).optional(),
        tags: z.array(z.string()).optional(),
        // The same list as TEST_BEHAVIORS in emit/airflow-tasks.ts (config/ may not import emit/).
        test_behavior: z.enum(['build', 'after_each', 'after_all', 'none']).optional(),
        catchup: z.boolean().optional(),
        start_date: z
          .string()
          .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD')
          .optional(),
      })
      .strict()
      .optional(),
  })
  .passthrough();

export interface ProjectConfig {
  name: string;
  /** Absolute project directory. */
  projectDir: string;
  /** '' for the root project; a package's folder relative to the root (dbt_packages/x), for messages. */
  displayDir: string;
  /** The file the config came from, relative to projectDir: project.yml or dbt_project.yml. */
  configFile: string;
  modelPaths: string[];
  seedPaths: string[];
  /** The project file's key that set seedPaths, if any (else the default, or --seed-paths). */
  seedPathsKey?: 'seed-paths' | 'data-paths';
  macroPaths: string[];
  testPaths: string[];
  docsPaths: string[];
  snapshotPaths: string[];
  analysisPaths: string[];
  /** on-run-start / on-run-end: SQL (Jinja) run before and after `run`, `build`, `seed`, `test`. */
  onRunStart: string[];
  onRunEnd: string[];
  /** The root project's `dispatch:` search orders for adapter.dispatch. */
  dispatch: { macro_namespace: string; search_order: string[] }[];
  targetPath: string;
  /** Where `tspipe deps` installs packages (dbt's packages-install-path, default dbt_packages). */
  packagesInstallPath: string;
  vars: Record<string, unknown>;
  /** Folder-scoped config trees, as written (keys may carry a '+' prefix). */
  modelsConfig: Record<string, unknown>;
  seedsConfig: Record<string, unknown>;
  snapshotsConfig: Record<string, unknown>;
  testsConfig: Record<string, unknown>;
  targets: Record<string, TargetConfig>;
  defaultTarget: string;
  /** dbt_project.yml's `profile:`: the profiles.yml entry holding its connections. */
  profileName?: string;
  /** `targets:` or `target:` written in the project file (else a dbt profile may choose). */
  declaresTargets: boolean;
  threads?: number;
  airflow: NonNullable<z.infer<typeof projectFileSchema>['airflow']>;
  /** Line lookup into the config file for error messages. */
  lineOf(path: readonly (string | number)[]): number | undefined;
}
