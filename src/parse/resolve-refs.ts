/**
 * ref() resolution as dbt does it: `ref('pkg', 'name')` looks in that package only;
 * `ref('name')` looks in the root project, then in the package of the node that
 * calls it, then in any package.
 */
import type { Manifest } from './manifest.js';

export function resolveRef(
  manifest: Pick<Manifest, 'refIndex' | 'rootPackage'>,
  name: string,
  packageName: string | undefined,
  fromPackage: string,
): string | undefined {
  const byPackage = manifest.refIndex[name];
  if (!byPackage) return undefined;
  if (packageName !== undefined) return byPackage[packageName];
  return byPackage[manifest.rootPackage] ?? byPackage[fromPackage] ?? Object.values(byPackage)[0];
}

export function refNames(manifest: Pick<Manifest, 'refIndex'>): string[] {
  return Object.keys(manifest.refIndex);
}
