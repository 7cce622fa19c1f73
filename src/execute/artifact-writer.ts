/**
 * Writes what a run leaves under target/: compiled SQL per model, the full SQL
 * that ran, manifest.json and run_results.json (shapes in docs/artifacts.md).
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

export class ArtifactWriter {
  constructor(
    private readonly projectDir: string,
    readonly targetPath: string,
  ) {}

  /** Returns the path written, relative to the project dir (what messages show). */
  writeCompiled(originalFilePath: string, sql: string): string {
    return this.write(join('compiled', originalFilePath), sql.endsWith('\n') ? sql : `${sql}\n`);
  }

  writeRun(originalFilePath: string, sql: string): string {
    return this.write(join('run', originalFilePath), `${sql}\n`);
  }

  writeJson(name: string, value: unknown): string {
    return this.write(name, `${JSON.stringify(value, null, 2)}\n`);
  }

  /** Write-then-rename so a reader (or a crash) never sees a half-written artifact. */
  private write(relativePath: string, content: string): string {
    const absolute = join(this.projectDir, this.targetPath, relativePath);
    mkdirSync(dirname(absolute), { recursive: true });
    const temporary = `${absolute}.${process.pid}.tmp`;
    writeFileSync(temporary, content);
    renameSync(temporary, absolute);
    return relative(this.projectDir, absolute).split('\\').join('/');
  }
}
