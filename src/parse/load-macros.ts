/**
 * Every macro file into the engine: tspipe's global project (the `dbt` namespace),
 * then each package's macro-paths and tests/generic/, in package order. Returns the
 * manifest's macro entries and each file's content hash (an input of every render).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { globalMacroFiles } from '../context/global-project.js';
import { INTERNAL_PACKAGE } from '../context/macro-registry.js';
import { TspipeError, type ErrorCollector } from '../errors.js';
import { sha256 } from '../text.js';
import { macroBlock, macroCalls } from './macro-dependencies.js';
import type { Manifest } from './manifest.js';
import type { ProjectTree } from './project-tree.js';
import type { TemplateEngine } from './template-engine.js';

export interface LoadedMacros {
  macros: Manifest['macros'];
  /** [file, sha256] of every macro file read, for cache keys. */
  sources: [string, string][];
}

export function loadMacros(engine: TemplateEngine, tree: ProjectTree, errors: ErrorCollector): LoadedMacros {
  const macros: Manifest['macros'] = {};
  const sources: [string, string][] = [];
  const add = (packageName: string, file: string, source: string) => {
    sources.push([file, sha256(source)]);
    for (const macro of engine.loadMacroFile(packageName, source, file, errors)) {
      const block = macroBlock(source, macro.line);
      macros[`macro.${packageName}.${macro.name}`] = {
        name: macro.name,
        packageName,
        originalFilePath: file,
        line: macro.line,
        checksum: sha256(block),
        calls: macroCalls(block).filter((call) => call !== macro.name),
      };
    }
  };
  for (const { file, source } of globalMacroFiles()) add(INTERNAL_PACKAGE, file, source);
  for (const pkg of tree.packages) engine.addPackage(pkg.config.name);
  for (const pkg of tree.packages) {
    for (const file of [...pkg.files.macros, ...pkg.files.genericTestMacros]) {
      try {
        add(pkg.config.name, file, readFileSync(join(tree.root.projectDir, file), 'utf8'));
      } catch (error) {
        if (error instanceof TspipeError) errors.add(error);
        else throw error;
      }
    }
  }
  return { macros, sources };
}
