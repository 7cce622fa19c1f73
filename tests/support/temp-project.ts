/** A project in a temp folder for tests that need no database (parse, compile, plan). */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export function writeTempProject(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tspipe-unit-'));
  const all = files['project.yml'] || files['dbt_project.yml'] ? files : { 'project.yml': 'name: test_project\n', ...files };
  for (const [file, content] of Object.entries(all)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
  return dir;
}
