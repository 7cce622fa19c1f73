// Writes a synthetic tspipe/dbt project of N models: chains and fan-ins of refs,
// a macro call and a config block in each model, schema YAML with tests.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function writeSyntheticProject(dir, models, { dbt = false } = {}) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'models'), { recursive: true });
  mkdirSync(join(dir, 'macros'), { recursive: true });
  const projectFile = dbt ? 'dbt_project.yml' : 'project.yml';
  writeFileSync(
    join(dir, projectFile),
    `name: synthetic\nversion: '1.0'\n${dbt ? 'config-version: 2\nprofile: synthetic\n' : ''}vars:\n  scale: 2\nmodels:\n  synthetic:\n    +materialized: view\n`,
  );
  writeFileSync(join(dir, 'macros', 'scaled.sql'), '{% macro scaled(column, factor=2) -%}\n({{ column }} * {{ factor }})\n{%- endmacro %}\n');
  const perFolder = 500;
  let yaml = 'version: 2\n\nmodels:\n';
  for (let i = 0; i < models; i++) {
    const folder = `group_${String(Math.floor(i / perFolder)).padStart(3, '0')}`;
    mkdirSync(join(dir, 'models', folder), { recursive: true });
    const parents = i === 0 ? [] : [i - 1, ...(i % 7 === 0 && i > 10 ? [i - 10, Math.floor(i / 2)] : [])];
    const from = parents.length
      ? parents.map((p, k) => `${k === 0 ? 'from' : 'join'} {{ ref('model_${p}') }} as p${k}${k === 0 ? '' : ' on p0.id = p' + k + '.id'}`).join('\n')
      : 'from (select 1 as id, 1 as value) as p0';
    const materialized = i % 5 === 0 ? 'table' : 'view';
    writeFileSync(
      join(dir, 'models', folder, `model_${i}.sql`),
      `{{ config(materialized='${materialized}', tags=['t${i % 10}']) }}\nselect\n    p0.id,\n    {{ scaled('p0.value', var('scale')) }} as value\n${from}\n`,
    );
    if (i % 10 === 0) yaml += `  - name: model_${i}\n    description: Synthetic model ${i}\n    columns:\n      - name: id\n        data_tests: [not_null]\n`;
  }
  writeFileSync(join(dir, 'models', 'schema.yml'), yaml);
  return dir;
}
