/**
 * The dbt package hub (hub.getdbt.com, or DBT_PACKAGE_HUB_URL as in dbt): a package's
 * versions, each with its dependencies and the URL of its tarball.
 */
import semver from 'semver';
import { ProjectError } from '../errors.js';
import { fetchJson } from './network.js';

export const DEFAULT_HUB_URL = 'https://hub.getdbt.com/';

export interface HubVersion {
  version: string;
  tarballUrl: string;
  /** Its own packages.yml entries, as the hub lists them. */
  packages: Record<string, unknown>[];
}

export function hubBaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.DBT_PACKAGE_HUB_URL || DEFAULT_HUB_URL;
  return base.endsWith('/') ? base : `${base}/`;
}

interface HubPackageJson {
  versions?: Record<string, { downloads?: { tarball?: string }; packages?: Record<string, unknown>[] }>;
}

/** Every published version of `org/name`, oldest first. */
export async function hubVersions(packageName: string, baseUrl: string): Promise<HubVersion[]> {
  const url = `${baseUrl}api/v1/${packageName}.json`;
  const body = (await fetchJson(url, `package ${packageName}`)) as HubPackageJson;
  const versions = Object.entries(body.versions ?? {}).flatMap(([version, meta]) =>
    meta.downloads?.tarball ? [{ version, tarballUrl: meta.downloads.tarball, packages: meta.packages ?? [] }] : [],
  );
  return versions.filter((v) => semver.valid(v.version)).sort((a, b) => semver.compare(a.version, b.version));
}

/**
 * The newest version satisfying every range, as dbt picks it: prereleases only when
 * asked for (install_prerelease, or a range that names one).
 */
export function pickVersion(packageName: string, ranges: string[], available: HubVersion[], includePrerelease: boolean): HubVersion {
  const range = ranges.map(dbtRange).join(' ');
  const prerelease = includePrerelease || ranges.some((r) => semver.prerelease(r.replace(/^[<>=~^ ]+/, '')) !== null);
  const candidates = available.filter((v) => semver.satisfies(v.version, range, { includePrerelease: prerelease }));
  const chosen = candidates[candidates.length - 1];
  if (!chosen) {
    const listed = available
      .slice(-8)
      .map((v) => v.version)
      .join(', ');
    throw new ProjectError(`package ${packageName}: no version satisfies ${ranges.join(', ')}`, {
      hint: available.length ? `available versions include ${listed}; change the version in packages.yml` : 'the hub lists no versions of it: check the name',
    });
  }
  return chosen;
}

/** dbt writes "1.2.3", ">=1.0.0", "<2.0.0"; a bare version means exactly that version. */
function dbtRange(spec: string): string {
  const trimmed = spec.trim();
  if (semver.valid(trimmed)) return `=${trimmed}`;
  const range = semver.validRange(trimmed);
  if (!range) throw new ProjectError(`"${spec}" is not a version or version range`, { hint: 'write e.g. "1.3.0" or [">=1.0.0", "<2.0.0"]' });
  return trimmed;
}
