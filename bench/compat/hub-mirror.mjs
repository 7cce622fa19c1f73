// A dbt package hub on 127.0.0.1 serving the mirrored repositories: the JSON that
// hub.getdbt.com serves (api/v1/index.json, api/v1/<org>/<name>.json) and one .tar.gz
// per release tag, made by `git archive`. dbt-core and tspipe both read it through
// DBT_PACKAGE_HUB_URL, so packages.yml stays exactly as the project wrote it.
import { execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { parse } from 'yaml';
import { HUB_PACKAGES, mirrorOf } from './mirrors.mjs';

function gitShow(dir, ref, file) {
  try {
    return execFileSync('git', ['-C', dir, 'show', `${ref}:${file}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return undefined;
  }
}

/** Old tags hold YAML that strict parsers refuse (duplicate keys): read it leniently. */
function readYaml(text) {
  try {
    return parse(text ?? '{}', { uniqueKeys: false }) ?? {};
  } catch {
    return {};
  }
}

/** Release tags (1.3.0 or v1.3.0) of a mirror -> hub version metadata. */
function versionsOf(hubName, dir, baseUrl) {
  const tags = execFileSync('git', ['-C', dir, 'tag'], { encoding: 'utf8' }).split('\n').filter(Boolean);
  const versions = {};
  for (const tag of tags) {
    const version = tag.replace(/^v/, '');
    if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(version)) continue;
    const project = readYaml(gitShow(dir, tag, 'dbt_project.yml'));
    const packages = readYaml(gitShow(dir, tag, 'packages.yml')).packages ?? [];
    versions[version] = {
      id: `${hubName}/${version}`,
      name: project.name,
      version,
      published_at: '1970-01-01T00:00:00Z',
      packages: packages.filter((p) => p.package),
      works_with: [],
      require_dbt_version: project['require-dbt-version'] ?? [],
      downloads: { tarball: `${baseUrl}tarballs/${hubName}/${tag}.tar.gz` },
    };
  }
  return versions;
}

export async function startHubMirror() {
  const requests = [];
  const server = createServer((req, res) => {
    requests.push(req.url);
    const url = decodeURIComponent(req.url ?? '');
    const json = (body) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (url === '/api/v1/index.json') return json(Object.keys(HUB_PACKAGES).filter((p) => mirrorOf(HUB_PACKAGES[p])));
    const meta = /^\/api\/v1\/([^/]+\/[^/]+)\.json$/.exec(url);
    if (meta && HUB_PACKAGES[meta[1]] && mirrorOf(HUB_PACKAGES[meta[1]])) {
      const [namespace, name] = meta[1].split('/');
      const versions = versionsOf(meta[1], mirrorOf(HUB_PACKAGES[meta[1]]), baseUrl);
      const latest = Object.keys(versions)
        .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }))
        .at(-1);
      return json({ name, namespace, description: '', latest, assets: {}, versions });
    }
    const tarball = /^\/tarballs\/([^/]+\/[^/]+)\/(.+)\.tar\.gz$/.exec(url);
    if (tarball && HUB_PACKAGES[tarball[1]] && mirrorOf(HUB_PACKAGES[tarball[1]])) {
      const prefix = `${HUB_PACKAGES[tarball[1]].split('/')[1]}-${tarball[2].replace(/^v/, '')}/`;
      res.writeHead(200, { 'content-type': 'application/gzip' });
      const git = spawn('git', ['-C', mirrorOf(HUB_PACKAGES[tarball[1]]), 'archive', '--format=tar.gz', `--prefix=${prefix}`, tarball[2]]);
      git.stdout.pipe(res);
      return undefined;
    }
    res.writeHead(404).end();
    return undefined;
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${server.address().port}/`;
  return { url: baseUrl, requests, close: () => new Promise((resolve) => server.close(resolve)) };
}
