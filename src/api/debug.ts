/** `tspipe debug`: is the project valid and can we reach the target? */
import { openAdapter } from '../adapter/open-adapter.js';
import { TspipeError, formatError } from '../errors.js';
import { TSPIPE_VERSION } from '../version.js';
import { loadProject, type LoadedProject, type ProjectOptions } from './load-project.js';

export interface DebugCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export async function debugProject(options: ProjectOptions, env?: NodeJS.ProcessEnv): Promise<{ checks: DebugCheck[]; ok: boolean }> {
  const checks: DebugCheck[] = [{ name: 'tspipe', ok: true, detail: `version ${TSPIPE_VERSION}, node ${process.version}` }];
  let project: LoadedProject;
  try {
    project = loadProject(options, env);
    const counts = Object.values(project.manifest.nodes).reduce<Record<string, number>>((acc, n) => {
      acc[n.resourceType] = (acc[n.resourceType] ?? 0) + 1;
      return acc;
    }, {});
    checks.push({
      name: 'project',
      ok: true,
      detail: `${project.config.name} (${project.config.configFile}): ${counts.model ?? 0} models, ${counts.seed ?? 0} seeds, ${Object.keys(project.manifest.sources).length} sources, ${Object.keys(project.manifest.macros).length} macros`,
    });
  } catch (error) {
    if (!(error instanceof TspipeError)) throw error;
    checks.push({ name: 'project', ok: false, detail: formatError(error) });
    return { checks, ok: false };
  }
  try {
    const adapter = await openAdapter(project.target.connection, { lockWait: false });
    try {
      const { rows } = await adapter.query<{ version: string }>('select version() as version');
      checks.push({ name: 'connection', ok: true, detail: `target ${project.target.name}: ${adapter.description}\n    ${rows[0]?.version}` });
    } finally {
      await adapter.close();
    }
  } catch (error) {
    if (!(error instanceof TspipeError)) throw error;
    checks.push({ name: 'connection', ok: false, detail: formatError(error) });
  }
  return { checks, ok: checks.every((c) => c.ok) };
}
