// The real dbt projects tspipe must run unchanged, as dbt-core runs them. `dir` is the
// project inside the repository (package integration tests install the package itself
// with `local: ../`, so the whole repository is exported). `ci`: part of the slice
// `.ci/run` runs. `before`: commands the project's README runs before `build`.
export const PROJECTS = [
  { name: 'dbt-utils', repo: 'dbt-labs/dbt-utils', dir: 'integration_tests', ci: true },
  {
    name: 'jaffle-shop',
    repo: 'dbt-labs/jaffle-shop',
    dir: '.',
    // its README: load the seeds into the raw schema first (they are enabled by this var), then build
    before: [{ args: ['seed', '--full-refresh'], vars: { load_source_data: true } }],
    // two of its seeds are Git LFS files the mirror lacks: regenerate all six with the
    // shop's own generator (jafgen, from PyPI), one simulated year
    data: 'jafgen',
  },
  { name: 'dbt-date', repo: 'godatadriven/dbt-date', dir: 'integration_tests' },
  { name: 'dbt-expectations', repo: 'metaplane/dbt-expectations', dir: 'integration_tests' },
  { name: 'audit-helper', repo: 'dbt-labs/dbt-audit-helper', dir: 'integration_tests' },
  {
    name: 'codegen',
    repo: 'dbt-labs/dbt-codegen',
    dir: 'integration_tests',
    // its run_test.sh: the source table comes from a run-operation, the seeds before the models
    before: [{ args: ['run-operation', 'create_source_table'] }, { args: ['seed', '--full-refresh'] }],
  },
];
