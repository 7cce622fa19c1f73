// dbt-core + dbt-postgres (bench/setup-dbt.sh, the benchmark's pinned venv) and the
// jaffle shop's data generator, jafgen, in the same venv.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const JAFGEN_VERSION = '0.4.14';

export function ensureDbt(root) {
  execFileSync('bash', [join(root, 'bench/setup-dbt.sh')], { stdio: 'inherit' });
  const venv = join(root, 'bench/.dbt-venv');
  if (!existsSync(join(venv, 'bin/jafgen'))) {
    execFileSync(join(venv, 'bin/python'), ['-m', 'pip', 'install', '-qq', '--disable-pip-version-check', `jafgen==${JAFGEN_VERSION}`], { stdio: 'inherit' });
  }
  const version = (pkg) =>
    execFileSync(join(venv, 'bin/python'), ['-c', `import importlib.metadata as m; print(m.version("${pkg}"))`], { encoding: 'utf8' }).trim();
  return { bin: join(venv, 'bin/dbt'), venv, versions: { core: version('dbt-core'), postgres: version('dbt-postgres') } };
}
