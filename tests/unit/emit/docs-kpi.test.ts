/** The dashboard's contract with the kpi models: relations, queries, values as JSON, status and messages. */
import { describe, expect, it } from 'vitest';
import { buildDashboard, KPI_TABLES, kpiQuery, kpiRelations, kpiRowsToJson, readKpiTables, toJsonValue } from '../../../src/emit/docs-kpi.js';
import type { ManifestJson } from '../../../src/emit/docs-types.js';

const MANIFEST: ManifestJson = {
  metadata: { project_name: 'g', generated_at: '' },
  nodes: Object.fromEntries(
    ['user_status_summary', 'monthly_kpis', 'other'].map((name) => [
      `model.g.${name}`,
      { unique_id: `model.g.${name}`, resource_type: 'model', name, schema: 'kpi', alias: name, relation_name: `"kpi"."${name}"` },
    ]),
  ),
  sources: {},
};

describe('kpi tables for the dashboard', () => {
  it('finds the kpi models of the manifest by name', () => {
    const relations = kpiRelations(MANIFEST);
    expect(relations.user_status_summary).toEqual({ schema: 'kpi', identifier: 'user_status_summary', quoted: '"kpi"."user_status_summary"' });
    expect(relations.game_kpis).toBeNull();
    expect(Object.keys(relations)).toEqual([...KPI_TABLES]);
  });

  it('reads user_kpis as event buckets, never row by row', () => {
    const sql = kpiQuery('user_kpis', '"kpi"."user_kpis"');
    expect(sql).toContain('group by bucket');
    expect(sql).toContain('when events <= 0 then 0');
    expect(kpiQuery('game_kpis', '"kpi"."game_kpis"')).toMatch(/order by popularity_rank.*limit 500/);
  });

  it('turns numeric text into numbers, timestamps into ISO strings, keeps dates and booleans', () => {
    expect(toJsonValue('0.4880', 1700)).toBe(0.488);
    expect(toJsonValue('9007199254740993', 20)).toBe(9007199254740992);
    expect(toJsonValue('2024-06-15 14:23:01', 1114)).toBe('2024-06-15T14:23:01');
    expect(toJsonValue('2024-11-10', 1082)).toBe('2024-11-10');
    expect(toJsonValue(new Date('2024-01-02T03:04:05Z'), 1184)).toBe('2024-01-02T03:04:05.000Z');
    expect(toJsonValue(true, 16)).toBe(true);
    expect(toJsonValue(12n, 20)).toBe(12);
    expect(toJsonValue(null, 1700)).toBeNull();
    const rows = kpiRowsToJson('user_kpis', {
      rows: [{ bucket: 1, users: 5, events: '12' }],
      fields: [
        { name: 'bucket', dataTypeId: 23 },
        { name: 'users', dataTypeId: 20 },
        { name: 'events', dataTypeId: 1700 },
      ],
    });
    expect(rows).toEqual([{ bucket: '1–5', users: 5, events: 12 }]);
  });

  it('reads only the tables that exist in the target', async () => {
    const queries: string[] = [];
    const db = {
      async query(sql: string) {
        queries.push(sql);
        if (sql.includes('information_schema')) return { rows: [{ table_schema: 'kpi', table_name: 'user_status_summary' }], fields: [] };
        return { rows: [{ status: 'active', users: 3, as_of_date: '2024-11-10' }], fields: [{ name: 'users', dataTypeId: 20 }] };
      },
    };
    const rows = await readKpiTables(db, kpiRelations(MANIFEST));
    expect(Object.keys(rows)).toEqual(['user_status_summary']);
    expect(queries).toHaveLength(2);
  });

  it('says what to do when the kpi tables are not built', () => {
    const relations = kpiRelations(MANIFEST);
    const none = buildDashboard({ target: 'dev', relations, rows: {} });
    expect(none.status).toBe('missing');
    expect(none.message).toContain('run `tspipe build`');
    const some = buildDashboard({ target: 'dev', relations, rows: { user_status_summary: [{ status: 'active', users: 1, as_of_date: '2024-11-10' }] } });
    expect(some.status).toBe('partial');
    expect(some.message).toContain('kpi.monthly_kpis');
    expect(some.asOfDate).toBe('2024-11-10');
    expect(some.tables.user_status_summary).toMatchObject({ status: 'ok', relation: '"kpi"."user_status_summary"' });
    const unreachable = buildDashboard({ target: 'pg', relations, rows: {}, error: 'connection refused' });
    expect(unreachable).toMatchObject({ status: 'unavailable', message: expect.stringContaining('connection refused') });
    const foreign = buildDashboard({ target: 'dev', relations: kpiRelations({ ...MANIFEST, nodes: {} }), rows: {} });
    expect(foreign.message).toContain('none of the KPI models');
  });
});
