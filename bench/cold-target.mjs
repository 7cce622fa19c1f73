// Cold runs start without target/. Deleting 10,000 files on this disk (ext4 mounted
// with `discard`) makes file creation up to ten times slower for seconds afterwards,
// which would be charged to the next command measured; so target/ is moved aside
// (a rename) and the pile is deleted once the benchmarks are done. `sync` flushes the
// previous run's writes, so they are not charged to the next run either.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';

let moved = 0;

export function moveTargetAside(projectDir, workDir) {
  const target = join(projectDir, 'target');
  if (!existsSync(target)) return;
  const trash = join(workDir, '.trash');
  mkdirSync(trash, { recursive: true });
  renameSync(target, join(trash, `target-${process.pid}-${moved++}`));
  execFileSync('sync');
}

export function emptyTrash(workDir) {
  rmSync(join(workDir, '.trash'), { recursive: true, force: true });
}
