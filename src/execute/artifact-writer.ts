/**
 * Writes what a run leaves under target/: compiled SQL per model, the full SQL
 * that ran, manifest.json and run_results.json (shapes in docs/artifacts.md).
 */
import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, renameSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { sameStamp, type FileStamp } from '../compile/compile-cache.js';
import { BackgroundWrites } from './background-writes.js';

export type { FileStamp };

/** Compiled SQL for many models: written by a worker thread once there are enough. */
export interface CompiledBatch {
  /** Queues a model's compiled SQL; returns its path relative to the project dir. */
  write(originalFilePath: string, sql: string): string;
  /** Waits for every write; returns each file's stamp by original file path. */
  finish(): Map<string, FileStamp>;
}

/** Below this many files a worker thread costs more than it saves. */
const SYNC_WRITES = 100;

export class ArtifactWriter {
  /** Directories made or seen in this run; true when this run created them (so they held nothing). */
  private readonly directories = new Map<string, boolean>();
  /** Absolute and displayed form of each directory under target/: path.join per file adds up. */
  private readonly locations = new Map<string, { absolute: string; display: string }>();

  constructor(
    private readonly projectDir: string,
    readonly targetPath: string,
  ) {}

  /** Returns the path written, relative to the project dir (what messages show). */
  writeCompiled(originalFilePath: string, sql: string): string {
    return this.writeSql('compiled', originalFilePath, withNewline(sql));
  }

  writeRun(originalFilePath: string, sql: string): string {
    return this.writeSql('run', originalFilePath, `${sql}\n`);
  }

  /** writeCompiled for many models at once, with the files' stamps for the compile cache. */
  compiledBatch(): CompiledBatch {
    const stamps = new Map<string, FileStamp>();
    const queued = new Map<string, string>();
    let background: BackgroundWrites | undefined;
    return {
      write: (originalFilePath, sql) => {
        const { absolute, display, directory } = this.locate('compiled', originalFilePath);
        const mayExist = !this.ensureDirectory(directory);
        if (stamps.size + queued.size < SYNC_WRITES) {
          stamps.set(originalFilePath, writeSqlFile(absolute, withNewline(sql), mayExist));
        } else {
          background ??= new BackgroundWrites();
          background.add(directory, absolute, withNewline(sql), mayExist);
          queued.set(absolute, originalFilePath);
        }
        return display;
      },
      finish: () => {
        for (const [absolute, stamp] of background?.finish() ?? []) stamps.set(queued.get(absolute)!, stamp);
        return stamps;
      },
    };
  }

  writeJson(name: string, value: unknown): string {
    return this.writeAtomic(name, `${JSON.stringify(value, null, 2)}\n`);
  }

  /** The stamp of a file under target/, or undefined when it is missing. */
  stamp(name: string): FileStamp | undefined {
    return this.stampOf('', name);
  }

  private stampOf(folder: string, file: string): FileStamp | undefined {
    const stats = statSync(this.locate(folder, file).absolute, { throwIfNoEntry: false });
    return stats && toStamp(stats);
  }

  /**
   * Replaces `from` with `to` (same byte length) near the start of a file that
   * still has `stamp`: a 14 MB manifest.json whose only change is generated_at
   * need not be rebuilt. Returns the new stamp, or undefined when it cannot.
   */
  patchHead(name: string, stamp: FileStamp, from: string, to: string): { path: string; stamp: FileStamp } | undefined {
    const { absolute, display } = this.locate('', name);
    const replacement = Buffer.from(to);
    if (Buffer.byteLength(from) !== replacement.length) return undefined;
    let fd: number;
    try {
      fd = openSync(absolute, 'r+');
    } catch {
      return undefined;
    }
    try {
      if (!sameStamp(toStamp(fstatSync(fd)), stamp)) return undefined;
      const head = Buffer.alloc(4096);
      const offset = head.subarray(0, readSync(fd, head, 0, head.length, 0)).indexOf(from);
      if (offset < 0) return undefined;
      writeSync(fd, replacement, 0, replacement.length, offset);
      return { path: display, stamp: toStamp(fstatSync(fd)) };
    } finally {
      closeSync(fd);
    }
  }

  /** Where writeCompiled puts a model's SQL, relative to the project dir. */
  compiledPath(originalFilePath: string): string {
    return this.locate('compiled', originalFilePath).display;
  }

  /** The stamp of a compiled file, or undefined when it is missing. */
  compiledStamp(originalFilePath: string): FileStamp | undefined {
    return this.stampOf('compiled', originalFilePath);
  }

  /** SQL files are written in place (see writeSqlFile). */
  private writeSql(folder: string, file: string, content: string): string {
    const { absolute, display, directory } = this.locate(folder, file);
    writeSqlFile(absolute, content, !this.ensureDirectory(directory));
    return display;
  }

  /** Write-then-rename so a reader (or a crash) never sees a half-written artifact. */
  private writeAtomic(relativePath: string, content: string): string {
    const { absolute, display, directory } = this.locate('', relativePath);
    this.ensureDirectory(directory);
    const temporary = `${absolute}.${process.pid}.tmp`;
    writeFileSync(temporary, content);
    renameSync(temporary, absolute);
    return display;
  }

  /** Creates a directory once per run; true when this run created it. */
  private ensureDirectory(directory: string): boolean {
    let created = this.directories.get(directory);
    if (created === undefined) {
      created = mkdirSync(directory, { recursive: true }) !== undefined;
      this.directories.set(directory, created);
    }
    return created;
  }

  /** `folder` under target/ ('' for target/ itself), then a posix path relative to it. */
  private locate(folder: string, file: string): { absolute: string; display: string; directory: string } {
    const slash = file.lastIndexOf('/');
    const directory = slash < 0 ? folder : `${folder}/${file.slice(0, slash)}`;
    let location = this.locations.get(directory);
    if (!location) {
      const absolute = join(this.projectDir, this.targetPath, directory);
      location = { absolute, display: relative(this.projectDir, absolute).split('\\').join('/') };
      this.locations.set(directory, location);
    }
    const name = file.slice(slash + 1);
    return {
      absolute: `${location.absolute}${sep}${name}`,
      display: location.display ? `${location.display}/${name}` : name,
      directory: location.absolute,
    };
  }
}

/**
 * Writes in place: write-then-rename cost a second per 10,000 models. A file
 * that already holds the same text (only possible when its folder existed
 * before this run) is left alone.
 */
function writeSqlFile(absolute: string, content: string, mayExist: boolean): FileStamp {
  if (mayExist) {
    try {
      if (readFileSync(absolute, 'utf8') === content) return toStamp(statSync(absolute));
    } catch {
      // Missing or unreadable: write it.
    }
  }
  const fd = openSync(absolute, 'w');
  try {
    writeFileSync(fd, content);
    return toStamp(fstatSync(fd));
  } finally {
    closeSync(fd);
  }
}

function withNewline(sql: string): string {
  return sql.endsWith('\n') ? sql : `${sql}\n`;
}

function toStamp(stats: { size: number; mtimeMs: number; ino: number }): FileStamp {
  return { size: stats.size, mtimeMs: stats.mtimeMs, ino: stats.ino };
}
