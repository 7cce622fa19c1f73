// A project's files out of its mirror into a folder: every blob of HEAD that the
// snapshot holds (snapshots lack files of 4 MiB and more, and Git LFS content).
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function exportRepository(gitDir, target) {
  const listing = execFileSync('git', ['-C', gitDir, 'ls-tree', '-r', '-z', 'HEAD'], { maxBuffer: 64 * 2 ** 20 }).toString();
  const missing = [];
  for (const entry of listing.split('\0').filter(Boolean)) {
    const [meta, path] = entry.split('\t');
    const [mode, type, sha] = meta.split(' ');
    if (type !== 'blob' || mode === '120000') continue;
    let content;
    try {
      content = execFileSync('git', ['-C', gitDir, 'cat-file', 'blob', sha], { maxBuffer: 256 * 2 ** 20, stdio: ['ignore', 'pipe', 'ignore'] });
    } catch {
      missing.push(path);
      continue;
    }
    mkdirSync(dirname(join(target, path)), { recursive: true });
    writeFileSync(join(target, path), content);
  }
  return { missing, commit: execFileSync('git', ['-C', gitDir, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim() };
}
