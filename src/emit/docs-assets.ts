/**
 * Where the site's own files (docs-site/) and the vendored libraries come from.
 * The build copies docs-site/ into dist/ next to the bundle, so the folder is
 * beside this module both in src/emit/ (tests) and in dist/ (the CLI).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TspipeError } from '../errors.js';

export const SITE_FILES = [
  'index.html',
  'dashboard.html',
  'docs.css',
  'format.js',
  'dom.js',
  'lineage.js',
  'dashboard-kit.js',
  'dashboard-users.js',
  'dashboard-time.js',
  'dashboard-people.js',
  'dashboard-games.js',
  'dashboard-geo.js',
  'dashboard.js',
] as const;

/** Browser builds (UMD, no modules: pages opened from file:// cannot load ES modules). */
export const VENDOR_FILES = [
  { pkg: 'chart.js', file: 'chart.umd.min.js' },
  { pkg: 'cytoscape', file: 'cytoscape.min.js' },
  // bundles @dagrejs/dagre and registers itself on window.cytoscape
  { pkg: 'cytoscape-dagre', file: 'cytoscape-dagre.min.js' },
] as const;

export function siteSourceDir(): string {
  const dir = fileURLToPath(new URL('./docs-site/', import.meta.url));
  if (!existsSync(join(dir, 'index.html'))) {
    throw new TspipeError('the docs site templates are missing', {
      hint: `expected them in ${dir}; rebuild tspipe (npm run build) or reinstall it`,
    });
  }
  return dir;
}

export function readSiteFile(name: (typeof SITE_FILES)[number]): string {
  return readFileSync(join(siteSourceDir(), name), 'utf8');
}

/** A vendored library's browser build, without its source map comment (the map is not copied). */
export function readVendorFile(pkg: string, file: string): string {
  const require = createRequire(import.meta.url);
  let path: string;
  try {
    // the packages' main entries live in dist/, next to their browser builds
    path = join(dirname(require.resolve(pkg)), file);
  } catch (error) {
    throw new TspipeError(`the npm package ${pkg} is missing (the docs site needs it)`, { hint: 'run npm install in the tspipe folder', cause: error });
  }
  if (!existsSync(path)) throw new TspipeError(`${pkg} has no ${file} (${path})`, { hint: `reinstall ${pkg} (npm install)` });
  return readFileSync(path, 'utf8').replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
}
