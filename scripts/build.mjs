// Bundles the CLI into dist/ with esbuild (type checking stays with tsc, run first by
// `npm run build`). Node 20 has no module compile cache: resolving and linking ~100 of
// our modules plus yargs, zod, yaml and pg file by file was most of a short command.
import { cpSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../', import.meta.url));
const outdir = `${root}dist/`;

// chunk names carry a content hash, so old ones would pile up (as would a tsc dist/)
rmSync(outdir, { recursive: true, force: true });

await build({
  absWorkingDir: root,
  entryPoints: { cli: 'src/cli/main.ts' },
  outdir,
  bundle: true,
  // the commands import api/ lazily; splitting keeps those as chunks loaded on demand
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // chunks sit next to cli.js: version.ts finds ../package.json and docs-assets.ts
  // finds ./docs-site/ relative to whichever file of dist/ holds them
  chunkNames: '[name]-[hash]',
  // linked maps with positions only; bin/tspipe.js turns them on under --debug
  sourcemap: 'linked',
  sourcesContent: false,
  // bundled CommonJS (pg) calls require(), which ES modules do not have
  banner: { js: "import { createRequire as __tspipeCreateRequire } from 'node:module';\nconst require = __tspipeCreateRequire(import.meta.url);" },
  // Everything else is bundled: yargs and zod each save ~25 ms a command (measured);
  // faker makes no difference either way. Bundled yargs no longer finds its locales/,
  // so its own help headings stay English whatever LANG says (ours always were).
  external: [
    // loads its .wasm and .data files from next to its own module
    '@electric-sql/pglite',
    // pg's optional native driver, required only when asked for; not installed
    'pg-native',
  ],
  logLevel: 'warning',
});

cpSync(`${root}src/emit/docs-site/`, `${outdir}docs-site/`, { recursive: true });
cpSync(`${root}src/context/global-project/`, `${outdir}global-project/`, { recursive: true });
