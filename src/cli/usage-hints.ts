/**
 * Usage mistakes said plainly, with a did-you-mean: "Unknown command 'shw'. Did you
 * mean show?", "Unknown option --selct. Did you mean --select?" (yargs alone prints
 * only "Did you mean show?" or "Unknown argument: selct").
 */
import { closestMatches } from '../text.js';

/** The message for an unknown command, or undefined when argv starts with a known command or an option. */
export function unknownCommandMessage(argv: string[], commands: string[]): string | undefined {
  const first = argv[0];
  if (first === undefined || first.startsWith('-') || commands.includes(first)) return undefined;
  const [closest] = closestMatches(first, commands);
  return `Unknown command '${first}'.${closest ? ` Did you mean ${closest}?` : ''} Commands: ${commands.join(', ')}.`;
}

/**
 * yargs' failure messages in plain words: "Unknown argument(s): a, b" gets a did-you-mean
 * per option, a bare "Did you mean generate?" for a subcommand names what was typed.
 */
export function usageMessage(message: string, argv: string[], options: string[]): string {
  const suggestion = /^Did you mean (\S+)\?$/.exec(message);
  if (suggestion) {
    const words = argv.filter((a) => !a.startsWith('-'));
    const parent = words.length > 1 ? `${words[0]} ` : '';
    return `Unknown command '${words.join(' ')}'. Did you mean ${parent}${suggestion[1]}?`;
  }
  const match = /^Unknown arguments?: (.*)$/.exec(message);
  if (!match) return message;
  const flags = options.filter((o) => o.length > 1 && !/[A-Z]/.test(o));
  const names = match[1]!.split(', ');
  // yargs lists --seed-pth also as seedPth: keep the form the user typed.
  const typed = names.filter((name) => !/[A-Z]/.test(name) || !names.includes(name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)));
  return typed
    .map((name) => {
      const [closest] = closestMatches(name, flags);
      const shown = name.length === 1 ? `-${name}` : `--${name}`;
      return `Unknown option ${shown}.${closest ? ` Did you mean --${closest}?` : ''}`;
    })
    .join('\n');
}
