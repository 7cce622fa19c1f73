/**
 * `{% docs name %}...{% enddocs %}` blocks in .md files, and the `{{ doc('name') }}`
 * references to them in YAML descriptions.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProjectError, type ErrorCollector } from '../errors.js';

const DOCS_BLOCK = /{%-?\s*docs\s+([A-Za-z_][\w]*)\s*-?%}([\s\S]*?){%-?\s*enddocs\s*-?%}/g;
const DOC_CALL = /{{\s*doc\(\s*['"]([^'"]+)['"]\s*\)\s*}}/g;

export function readDocsBlocks(projectDir: string, files: string[]): Record<string, string> {
  const docs: Record<string, string> = {};
  for (const file of files) {
    for (const match of readFileSync(join(projectDir, file), 'utf8').matchAll(DOCS_BLOCK)) {
      docs[match[1]!] = match[2]!.trim();
    }
  }
  return docs;
}

/** Replaces doc() calls in a description; an unknown doc name is a project error. */
export function resolveDocCalls(text: string, docs: Record<string, string>, where: { file: string; line?: number }, errors: ErrorCollector): string {
  if (!text.includes('doc(')) return text;
  return text.replace(DOC_CALL, (_m, name: string) => {
    if (name in docs) return docs[name]!;
    errors.add(
      new ProjectError(`doc("${name}") is not defined`, {
        ...where,
        hint: 'add {% docs ' + name + ' %}...{% enddocs %} to a .md file under models/',
      }),
    );
    return '';
  });
}
