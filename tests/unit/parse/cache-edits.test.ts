/**
 * The caches of src/CACHES.md never change output: a seeded random sequence of edits
 * to a project (model bodies, property YAML, macros, project vars, a package's macro,
 * files added and deleted, environment variables, --vars), and after each a cached
 * `tspipe compile` must write what a `--no-partial-parse` compile of a fresh copy
 * writes: every compiled file and manifest.json (but for generated_at). The snapshot
 * is sometimes deleted first, so the partial parse path is taken too.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileProject } from '../../../src/api/compile.js';
import { writeTempProject } from '../../support/temp-project.js';

const FILES: Record<string, string> = {
  'project.yml': 'name: shop\nvars:\n  rate: 2\n  region: eu\nmodels:\n  shop:\n    marts:\n      +materialized: table\n',
  'macros/money.sql': '{% macro money(col) -%}\n({{ col }} / {{ var("rate") }})\n{%- endmacro %}\n',
  'macros/label.sql': '{% macro label() -%}\n\'{{ var("region") }}\'\n{%- endmacro %}\n',
  'seeds/rates.csv': 'id,rate\n1,2\n',
  'models/staging/stg_orders.sql': "select id, {{ money('amount') }} as amount from {{ source('app', 'orders') }}\n",
  'models/staging/stg_rates.sql': "select * from {{ ref('rates') }}\n",
  'models/marts/orders.sql': "select o.*, {{ label() }} as region from {{ ref('stg_orders') }} o join {{ ref('stg_rates') }} r on r.id = o.id\n",
  'models/marts/summary.sql': "-- {{ model.description }}\nselect count(*) as n, {{ pkg.pkg_tag() }} as tag from {{ ref('orders') }}\n",
  'models/marts/env.sql': "{{ config(tags=[env_var('SHOP_TAG', 'none')]) }}select '{{ env_var('SHOP_REGION', 'eu') }}' as region\n",
  'models/schema.yml':
    'version: 2\nsources:\n  - name: app\n    tables:\n      - name: orders\nmodels:\n  - name: orders\n    description: All orders\n  - name: summary\n    description: Counts\n',
  'tests/orders_positive.sql': "select * from {{ ref('orders') }} where amount < 0\n",
  'dbt_packages/pkg/dbt_project.yml': "name: pkg\nversion: '1.0'\n",
  'dbt_packages/pkg/macros/tag.sql': "{% macro pkg_tag() %}'v1'{% endmacro %}\n",
};

/** mulberry32: a small seeded generator, so a failure replays exactly. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled<T>(items: T[], next: () => number): T[] {
  const result = [...items];
  for (let i = result.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [result[i], result[j]] = [result[j]!, result[i]!];
  }
  return result;
}

interface State {
  dir: string;
  env: NodeJS.ProcessEnv;
  vars?: Record<string, unknown>;
  added: string[];
  step: number;
}

type Edit = (s: State, pick: <T>(items: T[]) => T) => string;

const read = (s: State, file: string) => readFileSync(join(s.dir, file), 'utf8');
const write = (s: State, file: string, text: string) => writeFileSync(join(s.dir, file), text);

/** Each edit changes one input and says what it did (shown when the check fails). */
const EDITS: Edit[] = [
  (s, pick) => {
    const file = pick(['models/marts/orders.sql', 'models/staging/stg_orders.sql', 'models/marts/summary.sql']);
    write(s, file, `${read(s, file)}-- edit ${s.step}\n`);
    return `model body ${file}`;
  },
  (s, pick) => {
    const file = 'models/marts/orders.sql';
    const config = pick(["{{ config(alias='orders_v" + s.step + "') }}", "{{ config(materialized='view') }}", "{{ config(schema='s" + s.step + "') }}"]);
    write(s, file, `${config}\n${read(s, file).replace(/^\{\{ config\(.*\n/, '')}`);
    return `config() ${config}`;
  },
  (s) => {
    write(s, 'models/schema.yml', read(s, 'models/schema.yml').replace(/description: Counts.*/, `description: Counts ${s.step}`));
    return 'schema YAML description';
  },
  (s) => {
    const text = read(s, 'models/schema.yml');
    const on = !text.includes('data_tests');
    write(s, 'models/schema.yml', on ? `${text}    columns:\n      - name: n\n        data_tests: [not_null]\n` : text.replace(/\n {4}columns:[\s\S]*$/, '\n'));
    return `schema YAML test ${on ? 'added' : 'removed'}`;
  },
  (s) => {
    const text = read(s, 'models/schema.yml').replace(/ {4}config:\n {6}alias: .*\n/, '');
    write(s, 'models/schema.yml', text.replace('    description: All orders\n', `    description: All orders\n    config:\n      alias: orders_${s.step}\n`));
    return 'schema YAML config alias';
  },
  (s, pick) => {
    const op = pick(['*', '/', '+']);
    write(s, 'macros/money.sql', read(s, 'macros/money.sql').replace(/\{\{ col \}\} . /, `{{ col }} ${op} `));
    return `macro money ${op}`;
  },
  (s, pick) => {
    const [name, value] = pick([
      ['rate', s.step],
      ['region', `r${s.step}`],
    ] as const);
    write(s, 'project.yml', read(s, 'project.yml').replace(new RegExp(`  ${name}: .*`), `  ${name}: ${value}`));
    return `project var ${name}=${value}`;
  },
  (s) => {
    write(s, 'dbt_packages/pkg/macros/tag.sql', `{% macro pkg_tag() %}'v${s.step}'{% endmacro %}\n`);
    return 'package macro';
  },
  (s, pick) => {
    const parent = pick(['orders', 'stg_rates', 'summary']);
    const file = `models/marts/added_${s.step}.sql`;
    write(s, file, `select * from {{ ref('${parent}') }}\n`);
    s.added.push(file);
    return `new model ${file} on ${parent}`;
  },
  (s, pick) => {
    if (!s.added.length) return 'nothing to delete';
    const file = pick(s.added);
    s.added = s.added.filter((f) => f !== file);
    rmSync(join(s.dir, file));
    return `deleted ${file}`;
  },
  (s, pick) => {
    const name = pick(['SHOP_REGION', 'SHOP_TAG']);
    const value = pick([undefined, 'us', `x${s.step}`]);
    s.env = { ...s.env, [name]: value };
    return `${name}=${value}`;
  },
  (s, pick) => {
    s.vars = pick([undefined, { rate: 3 }, { region: 'cli' }]);
    return `--vars ${JSON.stringify(s.vars)}`;
  },
];

/** Every compiled file, and manifest.json without its generated_at. */
function outputs(dir: string, only?: Record<string, string>): Record<string, string> {
  const result: Record<string, string> = {};
  const walk = (folder: string) => {
    for (const entry of readdirSync(join(dir, folder), { withFileTypes: true })) {
      const path = `${folder}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (!only || path in only) result[path] = readFileSync(join(dir, path), 'utf8');
    }
  };
  walk('target/compiled');
  result.manifest = readFileSync(join(dir, 'target/manifest.json'), 'utf8').replace(/"generated_at": "[^"]*"/, '');
  return result;
}

/** A compile of a fresh copy without caches: what the cached compile must have written. */
async function uncached(s: State): Promise<Record<string, string>> {
  const copy = mkdtempSync(join(tmpdir(), 'tspipe-uncached-'));
  cpSync(s.dir, copy, { recursive: true, filter: (source) => !source.startsWith(join(s.dir, 'target')) });
  await compileProject({ projectDir: copy, vars: s.vars, cache: false }, s.env);
  const result = outputs(copy);
  rmSync(copy, { recursive: true, force: true });
  return result;
}

describe('caches under random edits', () => {
  it.each([1, 2])('a cached compile writes what an uncached one does (seed %i)', async (seed) => {
    const next = random(seed);
    const pick = <T>(items: T[]): T => items[Math.floor(next() * items.length)]!;
    const s: State = { dir: writeTempProject(FILES), env: {}, added: [], step: 0 };
    const history: string[] = [];
    // Two rounds, each every kind of edit in a random order.
    const order = [...shuffled(EDITS, next), ...shuffled(EDITS, next)];
    for (s.step = 1; s.step <= order.length; s.step++) {
      history.push(order[s.step - 1]!(s, pick));
      // Sometimes without the snapshot: the manifest then comes from partial_parse.json.
      if (next() < 0.3 && existsSync(join(s.dir, 'target/project_snapshot.json'))) {
        rmSync(join(s.dir, 'target/project_snapshot.json'));
        history.push('(snapshot deleted)');
      }
      await compileProject({ projectDir: s.dir, vars: s.vars }, s.env);
      const expected = await uncached(s);
      // Files of deleted models stay in target/compiled/ (as with dbt): compare the ones a compile writes.
      expect(outputs(s.dir, expected), `after: ${history.join('; ')}`).toEqual(expected);
    }
  });
});
