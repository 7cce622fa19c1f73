/**
 * Text for the docs site: descriptions (a small, safe subset of Markdown) and data
 * tests as one readable line. Everything is escaped here, so the page can insert
 * the result as HTML.
 */

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** `code`, **bold**, *emphasis*, [links](https://...), paragraphs and `-`/`*` lists. */
export function markdownToHtml(text: string | undefined | null): string {
  const source = (text ?? '').trim();
  if (!source) return '';
  const blocks: string[] = [];
  let list: string[] | null = null;
  let paragraph: string[] = [];
  const flushParagraph = () => {
    if (paragraph.length) blocks.push(`<p>${paragraph.map(inline).join(' ')}</p>`);
    paragraph = [];
  };
  const flushList = () => {
    if (list) blocks.push(`<ul>${list.map((item) => `<li>${inline(item)}</li>`).join('')}</ul>`);
    list = null;
  };
  for (const line of source.split(/\r?\n/)) {
    const item = /^\s*[-*]\s+(.*)$/.exec(line);
    if (item) {
      flushParagraph();
      (list ??= []).push(item[1]!);
    } else if (!line.trim()) {
      flushParagraph();
      flushList();
    } else if (list && /^\s+\S/.test(line)) {
      // an indented line continues the list item above
      list[list.length - 1] += ` ${line.trim()}`;
    } else {
      flushList();
      paragraph.push(line.trim());
    }
  }
  flushParagraph();
  flushList();
  return blocks.join('');
}

function inline(text: string): string {
  // code spans first, so their content is never read as emphasis or links
  return text
    .split(/(`[^`]+`)/)
    .map((part) => {
      if (/^`[^`]+`$/.test(part)) return `<code>${escapeHtml(part.slice(1, -1))}</code>`;
      return escapeHtml(part)
        .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
        .replace(/(^|[\s(])\*([^*\s][^*]*)\*/g, '$1<em>$2</em>')
        .replace(/\[([^\]]+)\]\((https?:\/\/[^\s)]+)\)/g, '<a href="$2" rel="noopener">$1</a>');
    })
    .join('');
}

/** A test as written in YAML (`unique`, `{relationships: {to, field}}`) on one line. */
export function testLabel(test: unknown): string {
  if (typeof test === 'string') return test;
  if (test && typeof test === 'object' && !Array.isArray(test)) {
    const [name, args] = Object.entries(test as Record<string, unknown>)[0] ?? [];
    if (name === undefined) return 'test';
    return argsLabel(name, args);
  }
  return String(test);
}

export function argsLabel(name: string, args: unknown): string {
  if (!args || typeof args !== 'object' || Array.isArray(args)) return name;
  const parts = Object.entries(args as Record<string, unknown>)
    .filter(([key]) => key !== 'column_name' && key !== 'model')
    .map(([key, value]) => `${key}: ${valueLabel(value)}`);
  return parts.length ? `${name}(${parts.join(', ')})` : name;
}

function valueLabel(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(valueLabel).join(', ')}]`;
  if (value && typeof value === 'object')
    return `{${Object.entries(value)
      .map(([k, v]) => `${k}: ${valueLabel(v)}`)
      .join(', ')}}`;
  return String(value);
}
