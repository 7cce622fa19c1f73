// The layer order of src/README.md as rules: `npm run lint:layers` (run by .ci/run).
// A stage imports only from the stages listed before it; the rules below the order
// say what the lowest folders and the drivers may import.

/** src/README.md's stage list, bottom first. errors.ts, version.ts and text.ts sit below all. */
const STAGES = [
  'contract',
  'adapter',
  'jinja',
  'config',
  'deps',
  'context',
  'parse',
  'graph',
  'compile',
  'materialize',
  'execute',
  'datatests',
  'ingest',
  'generate',
  'emit',
  'api',
  'cli',
];

const layerOrder = STAGES.slice(0, -1).map((stage, i) => ({
  name: `layer-order-${stage}`,
  comment: `${stage}/ may import only the stages before it in src/README.md, not ${STAGES.slice(i + 1).join(', ')}`,
  severity: 'error',
  from: { path: `^src/${stage}/` },
  to: { path: `^src/(${STAGES.slice(i + 1).join('|')})/` },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...layerOrder,
    {
      name: 'root-files-import-no-stage',
      comment: 'errors.ts, version.ts and text.ts are below every stage',
      severity: 'error',
      from: { path: '^src/[^/]+\\.ts$' },
      to: { path: '^src/[^/]+/' },
    },
    {
      name: 'contract-is-the-bottom',
      comment: 'contract/ imports only errors.ts and Node built-ins, so every stage can import it',
      severity: 'error',
      from: { path: '^src/contract/' },
      to: { pathNot: ['^src/contract/', '^src/errors\\.ts$'], dependencyTypesNot: ['core'] },
    },
    {
      name: 'jinja-stands-alone',
      comment: 'jinja/ is a template engine that knows nothing of tspipe: Node built-ins only',
      severity: 'error',
      from: { path: '^src/jinja/' },
      to: { pathNot: '^src/jinja/', dependencyTypesNot: ['core'] },
    },
    {
      name: 'adapter-implements-contract-only',
      comment: 'adapter/ (the drivers) imports only contract/, errors.ts, its drivers and Node built-ins',
      severity: 'error',
      from: { path: '^src/adapter/' },
      to: { path: '^src/', pathNot: ['^src/(adapter|contract)/', '^src/errors\\.ts$'] },
    },
    {
      name: 'drivers-are-opened-by-api',
      comment: 'stages speak to the database through contract/ types; only api/ opens a driver from adapter/',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(adapter|api)/' },
      to: { path: '^src/adapter/' },
    },
    {
      name: 'only-adapter-imports-database-drivers',
      comment: 'pg, pg-copy-streams and PGlite are adapter/ business',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/adapter/' },
      to: { path: 'node_modules/(pg|pg-copy-streams|@electric-sql/pglite)/' },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'an import that resolves to nothing fails at run time',
      severity: 'error',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // the browser files of the docs site are plain scripts, not modules of the engine
    exclude: { path: '^src/emit/docs-site/' },
    // typescript 7 has no JS compiler API that dependency-cruiser could use; swc parses instead
    parser: 'swc',
    tsConfig: { fileName: 'tsconfig.json' },
    // resolve packages through their "exports" as Node does (e.g. @faker-js/faker/locale/en)
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'node', 'default'] },
  },
};
