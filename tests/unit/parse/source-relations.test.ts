/** Where a source table is: dbt renders Jinja in its schema and identifier. */
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../../src/api/load-project.js';
import { writeTempProject } from '../../support/temp-project.js';

describe('source relations', () => {
  it("renders Jinja in a source's schema and identifier, with target and var", () => {
    const dir = writeTempProject({
      'project.yml': 'name: shop\nvars:\n  day: d2025\n',
      'models/sources.yml': `version: 2
sources:
  - name: app
    schema: "{{ target.schema ~ '__raw' }}"
    tables:
      - name: events
        identifier: "events_{{ var('day') }}"
      - name: users
`,
      'models/m.sql': "select * from {{ source('app', 'events') }} join {{ source('app', 'users') }} using (id)",
    });
    const { manifest } = loadProject({ projectDir: dir }, {});
    expect(manifest.sources['source.shop.app.events']!.relation).toEqual({ schema: 'public__raw', identifier: 'events_d2025' });
    expect(manifest.sources['source.shop.app.users']!.relation).toEqual({ schema: 'public__raw', identifier: 'users' });
  });
});
