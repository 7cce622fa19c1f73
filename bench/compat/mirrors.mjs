// Where the compatibility projects and their packages come from. This machine reaches
// no GitHub and no hub.getdbt.com, so every repository comes from a local git mirror
// (snapshots under TSPIPE_COMPAT_MIRRORS, default /work/.mirror, one `<owner>+<repo>/repo`
// git dir each). Nothing of them is committed here.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const MIRRORS = process.env.TSPIPE_COMPAT_MIRRORS || '/work/.mirror';

/** GitHub owner/repo -> git dir of its mirror, or undefined when it is not here. */
export function mirrorOf(repo) {
  const dir = join(MIRRORS, repo.replace('/', '+'), 'repo');
  return existsSync(dir) ? dir : undefined;
}

/** Hub package names (as packages.yml writes them, old names included) -> GitHub repository. */
export const HUB_PACKAGES = {
  'dbt-labs/dbt_utils': 'dbt-labs/dbt-utils',
  'fishtown-analytics/dbt_utils': 'dbt-labs/dbt-utils',
  'godatadriven/dbt_date': 'godatadriven/dbt-date',
  'calogica/dbt_date': 'godatadriven/dbt-date',
  'metaplane/dbt_expectations': 'metaplane/dbt-expectations',
  'calogica/dbt_expectations': 'metaplane/dbt-expectations',
  'dbt-labs/audit_helper': 'dbt-labs/dbt-audit-helper',
  'dbt-labs/codegen': 'dbt-labs/dbt-codegen',
};

/** git URLs projects name -> GitHub repository, for git's url.<mirror>.insteadOf. */
export function gitRewrites() {
  const repos = new Set(Object.values(HUB_PACKAGES));
  const rewrites = [];
  for (const repo of repos) {
    const dir = mirrorOf(repo);
    if (!dir) continue;
    for (const url of [`https://github.com/${repo}.git`, `https://github.com/${repo}`]) rewrites.push([`file://${dir}`, url]);
  }
  return rewrites;
}

/** Environment that makes the git command fetch from the mirrors instead of GitHub. */
export function gitMirrorEnv() {
  const env = {};
  gitRewrites().forEach(([mirror, url], index) => {
    env[`GIT_CONFIG_KEY_${index}`] = `url.${mirror}.insteadOf`;
    env[`GIT_CONFIG_VALUE_${index}`] = url;
  });
  env.GIT_CONFIG_COUNT = String(gitRewrites().length);
  return env;
}
