/**
 * target/project_snapshot.json lets a command skip parsing when no input changed.
 * It must give back exactly the manifest a parse gives, and never a stale one.
 */
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { loadProject, type LoadedProject } from '../../../src/api/load-project.js';
import { compileModel } from '../../../src/compile/compile-model.js';
import type { ModelNode } from '../../../src/parse/manifest.js';
import { writeTempProject } from '../../support/temp-project.js';

const FILES = {
  'project.yml': 'name: shop\nvars:\n  rate: 2\n',
  'macros/money.sql': '{% macro money(col) -%}\n({{ col }} / {{ var("rate") }})\n{%- endmacro %}\n',
  'seeds/rates.csv': 'id,rate\n1,2\n',
  'models/orders.sql':
    "{{ config(materialized='table', tags=[env_var('SHOP_TAG', 'none')]) }}\nselect {{ money('amount') }} as amount from {{ ref('rates') }}\n",
  'models/summary.sql': "select count(*) as n from {{ ref('orders') }}\n",
  'models/schema.yml': 'version: 2\nmodels:\n  - name: orders\n    columns:\n      - name: amount\n        data_tests: [not_null]\n',
};

function withoutClock(project: LoadedProject) {
  return { ...project.manifest, generatedAt: undefined };
}

describe('project snapshot', () => {
  it('gives back the manifest a parse gives, tests included, and renders with the macros', () => {
    const dir = writeTempProject(FILES);
    const parsed = loadProject({ projectDir: dir }, {});
    expect(parsed.fromSnapshot).toBe(false);
    const restored = loadProject({ projectDir: dir }, {});
    expect(restored.fromSnapshot).toBe(true);
    expect(withoutClock(restored)).toEqual(withoutClock(parsed));
    expect(restored.manifest.generatedAt >= parsed.manifest.generatedAt).toBe(true);
    expect(restored.manifestKey).toBe(parsed.manifestKey);
    expect(Object.keys(restored.manifest.nodes).some((id) => id.startsWith('test.shop.not_null_orders_amount'))).toBe(true);
    expect([...restored.dag.nodes.keys()]).toEqual([...parsed.dag.nodes.keys()]);
    // The engine is made on first use, with the project's macros: the restored project renders.
    const orders = restored.manifest.nodes['model.shop.orders'] as ModelNode;
    const context = { manifest: restored.manifest, engine: restored.parsed.engine, templates: restored.parsed.templates };
    expect(compileModel(orders, context).sql).toContain('select (amount / 2) as amount from "public"."rates"');
  });

  it("gives back the parse's warnings, as a fresh parse would show them", () => {
    const dir = writeTempProject({ ...FILES, 'project.yml': 'name: shop\nvars:\n  rate: 2\nmodels:\n  shop:\n    marts:\n      +materialized: table\n' });
    const parsed = loadProject({ projectDir: dir }, {});
    const shown = (project: LoadedProject) => project.warnings.map((w) => [w.where, w.message, w.hint, w.exitCode]);
    expect(shown(parsed)).toEqual([
      [
        'project.yml:6',
        'configuration path models.shop.marts applies to no model',
        'check the folder name (a folder under the model paths), or remove the entry',
        2,
      ],
    ]);
    const restored = loadProject({ projectDir: dir }, {});
    expect(restored.fromSnapshot).toBe(true);
    expect(shown(restored)).toEqual(shown(parsed));
  });

  it('reads the manifest only when a command uses it, and parses again when its body is gone', () => {
    const dir = writeTempProject(FILES);
    const parsed = loadProject({ projectDir: dir }, {});
    expect(parsed.counts).toEqual({ model: 2, seed: 1, snapshot: 0, test: 1, source: 0, macro: 1 });
    rmSync(join(dir, 'target/project_snapshot_body.json'));
    const restored = loadProject({ projectDir: dir }, {});
    expect(restored.fromSnapshot).toBe(true);
    expect(restored.counts).toEqual(parsed.counts);
    // Another tspipe replaced the body (or it was deleted): the manifest is parsed again, the same.
    expect(withoutClock(restored)).toEqual(withoutClock(parsed));
    expect(restored.manifest.generatedAt).toBe(restored.generatedAt);
    expect(restored.dag.nodes.size).toBe(parsed.dag.nodes.size);
  });

  it('sees a rewrite of the same size inside one clock tick, by content hash', () => {
    const dir = writeTempProject(FILES);
    const file = join(dir, 'models/summary.sql');
    const headPath = join(dir, 'target/project_snapshot.json');
    loadProject({ projectDir: dir }, {});
    // A rewrite of the same size that keeps size, mtime, ctime and inode (one clock tick):
    // ctime cannot be set back, so the snapshot's stamp is set to the file's new one,
    // keeping the content hash taken before the rewrite.
    writeFileSync(file, readFileSync(file, 'utf8').replace('count(*) as n', 'count(2) as n'));
    const head = JSON.parse(readFileSync(headPath, 'utf8')) as { files: string[]; stamps: (number | string)[][] };
    const index = head.files.indexOf('models/summary.sql');
    const before = head.stamps[index]!;
    expect(before).toHaveLength(5); // a fresh file: its hash was kept
    const stat = statSync(file);
    head.stamps[index] = [stat.size, stat.mtimeMs, stat.ctimeMs, stat.ino, before[4]!];
    writeFileSync(headPath, JSON.stringify(head));
    const after = loadProject({ projectDir: dir }, {});
    expect(after.fromSnapshot).toBe(false);
    expect((after.manifest.nodes['model.shop.summary'] as { rawCode: string }).rawCode).toContain('count(2)');
    // The same stamp and the same content: the snapshot is used.
    const again = loadProject({ projectDir: dir }, {});
    expect(again.fromSnapshot).toBe(true);
  });

  it.each([
    ['an environment variable the parse read', { env: { SHOP_TAG: 'gold' } }],
    ['--vars', { vars: { rate: 9 } }],
    ['the target', { target: 'other' }],
  ])('is not used when %s changes', (_what, change) => {
    const dir = writeTempProject({ ...FILES, 'project.yml': `${FILES['project.yml']}targets:\n  other:\n    type: pglite\n    schema: elsewhere\n` });
    loadProject({ projectDir: dir }, {});
    expect(loadProject({ projectDir: dir }, {}).fromSnapshot).toBe(true);
    const { env = {}, ...options } = change as { env?: NodeJS.ProcessEnv; vars?: Record<string, unknown>; target?: string };
    const changed = loadProject({ projectDir: dir, ...options }, env);
    expect(changed.fromSnapshot).toBe(false);
    expect(withoutClock(changed)).toEqual(withoutClock(loadProject({ projectDir: dir, ...options, cache: false }, env)));
  });

  it('sees files added and removed', () => {
    const dir = writeTempProject(FILES);
    loadProject({ projectDir: dir }, {});
    writeFileSync(join(dir, 'models/extra.sql'), 'select 1 as x\n');
    const added = loadProject({ projectDir: dir }, {});
    expect(added.fromSnapshot).toBe(false);
    expect(added.manifest.nodes['model.shop.extra']).toBeDefined();
  });

  it('is not written when a render read the clock', () => {
    const dir = writeTempProject({ ...FILES, 'models/clock.sql': "{{ config(tags=['at_' ~ run_started_at]) }}select 1 as x\n" });
    loadProject({ projectDir: dir }, {});
    expect(existsSync(join(dir, 'target/project_snapshot.json'))).toBe(false);
    expect(loadProject({ projectDir: dir }, {}).fromSnapshot).toBe(false);
  });

  it('trusts the stamps of settled files without reading them, and sees the next edit', async () => {
    const dir = writeTempProject(FILES);
    const stamps = () => JSON.parse(readFileSync(join(dir, 'target/project_snapshot.json'), 'utf8')).stamps as unknown[][];
    loadProject({ projectDir: dir }, {});
    expect(stamps().every((stamp) => stamp.length === 5)).toBe(true); // fresh files: content hashes
    await sleep(2100); // the files leave the racy window
    expect(loadProject({ projectDir: dir }, {}).fromSnapshot).toBe(true);
    expect(stamps().every((stamp) => stamp.length === 4)).toBe(true); // saved again, stamps only
    expect(loadProject({ projectDir: dir }, {}).fromSnapshot).toBe(true);
    writeFileSync(join(dir, 'models/summary.sql'), "select sum(amount) as n from {{ ref('orders') }}\n");
    const edited = loadProject({ projectDir: dir }, {});
    expect(edited.fromSnapshot).toBe(false);
    expect((edited.manifest.nodes['model.shop.summary'] as { rawCode: string }).rawCode).toContain('sum(amount)');
  });
});
