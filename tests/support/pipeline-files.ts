/** The repository's own pipeline project (project.yml, models, macros, assertions) as a file map. */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const PIPELINE_PATHS = ['models', 'macros', 'snapshots', 'tests/assertions'];

export function pipelineProjectFiles(): Record<string, string> {
  const files: Record<string, string> = { 'project.yml': readFileSync(path.join(ROOT, 'project.yml'), 'utf8') };
  for (const folder of PIPELINE_PATHS) {
    for (const entry of readdirSync(path.join(ROOT, folder), { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const absolute = path.join(entry.parentPath, entry.name);
      files[path.relative(ROOT, absolute).split(path.sep).join('/')] = readFileSync(absolute, 'utf8');
    }
  }
  return files;
}

export const REPO_ROOT = ROOT;
