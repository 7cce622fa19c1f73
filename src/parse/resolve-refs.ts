/**
 * ref() resolution as dbt does it: `ref('pkg', 'name')` looks in that package only;
 * `ref('name')` looks in the root project, then in the package of the node that
 * calls it, then in any package. A versioned model resolves to its latest version, or
 * to the one `v=` names.
 */
import type { Manifest } from './manifest.js';

export function resolveRef(
  manifest: Pick<Manifest, 'refIndex' | 'rootPackage'>,
  name: string,
  packageName: string | undefined,
  fromPackage: string,
  /** ref('m', v=2): that version of a versioned model; without it, the latest version. */
  version?: unknown,
): string | undefined {
  const byPackage = manifest.refIndex[version === undefined || version === null ? name : versionedRefName(name, version as string | number)];
  if (!byPackage) return undefined;
  if (packageName !== undefined) return byPackage[packageName];
  return byPackage[manifest.rootPackage] ?? byPackage[fromPackage] ?? Object.values(byPackage)[0];
}

export function refNames(manifest: Pick<Manifest, 'refIndex'>): string[] {
  return Object.keys(manifest.refIndex).filter((name) => !name.includes('.'));
}

/** Where refIndex keeps a model version: `name.v2` (a name never holds a dot). */
export function versionedRefName(name: string, version: string | number): string {
  return `${name}.v${version}`;
}
