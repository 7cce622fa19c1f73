/**
 * Python's textwrap.wrap as the wordwrap filter calls it (tabs and whitespace
 * kept, whitespace dropped at line ends): words split at whitespace and, with
 * breakOnHyphens, after the hyphen of a hyphenated word; greedy filling.
 */
import { valueError } from '../errors.js';

const WS = '[\\t\\n\\x0b\\x0c\\r ]';
const LETTER = '[^\\d\\W]';
const WORD_PUNCT = '[\\w!"\'&.,?]';
const NON_WS = '[^\\t\\n\\x0b\\x0c\\r ]';
const HYPHENATED = new RegExp(
  `(${WS}+|(?<=${WORD_PUNCT})-{2,}(?=\\w)|${NON_WS}+?(?:-(?:(?<=${LETTER}{2}-)|(?<=${LETTER}-${LETTER}-))(?=${LETTER}-?${LETTER})|(?=${WS}|$)|(?<=${WORD_PUNCT})(?=-{2,}\\w)))`,
  'u',
);
const WHITESPACE = new RegExp(`(${WS}+)`);

function chunksOf(text: string, breakOnHyphens: boolean): string[] {
  return text.split(breakOnHyphens ? HYPHENATED : WHITESPACE).filter((c) => c);
}

export function wrapText(text: string, width: number, breakLongWords: boolean, breakOnHyphens: boolean): string[] {
  const chunks = chunksOf(text, breakOnHyphens).reverse();
  const lines: string[] = [];
  if (width <= 0) throw valueError(`invalid width ${width} (must be > 0)`);
  while (chunks.length) {
    const line: string[] = [];
    let length = 0;
    if (chunks[chunks.length - 1]!.trim() === '' && lines.length) chunks.pop();
    while (chunks.length) {
      const n = chunks[chunks.length - 1]!.length;
      if (length + n > width) break;
      line.push(chunks.pop()!);
      length += n;
    }
    if (chunks.length && chunks[chunks.length - 1]!.length > width) {
      const spaceLeft = width < 1 ? 1 : width - length;
      if (breakLongWords) {
        const chunk = chunks[chunks.length - 1]!;
        let end = spaceLeft;
        if (breakOnHyphens && chunk.length > spaceLeft) {
          const hyphen = chunk.lastIndexOf('-', spaceLeft - 1);
          if (hyphen > 0 && /[^-]/.test(chunk.slice(0, hyphen))) end = hyphen + 1;
        }
        line.push(chunk.slice(0, end));
        chunks[chunks.length - 1] = chunk.slice(end);
      } else if (!line.length) {
        line.push(chunks.pop()!);
      }
    }
    if (line.length && line[line.length - 1]!.trim() === '') {
      length -= line.pop()!.length;
    }
    if (line.length) lines.push(line.join(''));
  }
  return lines;
}
