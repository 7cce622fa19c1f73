/**
 * Jinja syntax errors in a template author's words: an unclosed block names the line
 * that opened it and the tag that closes it; a misspelt tag gets a did-you-mean. The
 * engine keeps Jinja2's own wording (it is tested against Jinja2); this is tspipe's.
 */
import { closestHint } from '../text.js';
import { ProjectError } from '../errors.js';
import type { TemplateSyntaxError } from '../jinja/index.js';

const UNCLOSED =
  /^Unexpected end of template\. Jinja was looking for the following tags: (.*)\. The innermost block that needs to be closed is '(\w+)', opened at line (\d+)\.$/;
const UNKNOWN_TAG = /^Encountered unknown tag '(\w+)'\.(?: .*looking for (?:the following tags: )?(.*?)\.)?/;
const TAGS = [
  'if',
  'elif',
  'else',
  'endif',
  'for',
  'endfor',
  'set',
  'endset',
  'macro',
  'endmacro',
  'call',
  'endcall',
  'filter',
  'endfilter',
  'raw',
  'endraw',
  'do',
  'include',
  'import',
  'from',
  'with',
  'endwith',
  'block',
  'endblock',
  'test',
  'endtest',
  'materialization',
  'endmaterialization',
  'snapshot',
  'endsnapshot',
  'docs',
  'enddocs',
];

export function syntaxErrorToProjectError(error: TemplateSyntaxError, file: string): ProjectError {
  const where = error.fileName || file;
  const unclosed = UNCLOSED.exec(error.message);
  if (unclosed) {
    const [, looking, tag, line] = unclosed;
    const expected = tagList(looking!);
    const closing = expected.find((t) => t.startsWith('end')) ?? `end${tag}`;
    return new ProjectError(`Unclosed '${tag}' tag opened at ${where}:${line}; expected '${closing}'`, {
      file: where,
      line: Number(line),
      hint: `add {% ${closing} %} where the ${tag} block ends${
        expected.length > 1
          ? ` (or continue it with ${expected
              .filter((t) => t !== closing)
              .map((t) => `{% ${t} %}`)
              .join(', ')})`
          : ''
      }`,
    });
  }
  const unknown = UNKNOWN_TAG.exec(error.message);
  if (unknown) {
    const [, tag, looking] = unknown;
    const expected = looking ? tagList(looking) : [];
    return new ProjectError(`Unknown tag '${tag}'${expected.length ? `; expected ${expected.map((t) => `'${t}'`).join(' or ')}` : ''}`, {
      file: where,
      line: error.line,
      hint: closestHint(tag!, expected) ?? closestHint(tag!, TAGS) ?? 'fix the tag name, or define the macro or extension it comes from',
    });
  }
  return new ProjectError(error.message, { file: where, line: error.line, hint: 'fix the Jinja syntax at this line' });
}

/** "'elif' or 'else' or 'endif'" → [elif, else, endif] */
function tagList(text: string): string[] {
  return [...text.matchAll(/'(\w+)'/g)].map((m) => m[1]!);
}
