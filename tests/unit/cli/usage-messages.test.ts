/** Usage mistakes through the real main(): what was wrong, and the closest right word. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../src/cli/main.js';

describe('usage messages', () => {
  const stderr = vi.spyOn(console, 'error').mockImplementation(() => {});
  afterEach(() => stderr.mockClear());
  const printed = () => stderr.mock.calls.map((call) => String(call[0])).join('\n');

  it('names an unknown command and the closest one', async () => {
    expect(await main(['shw'])).toBe(2);
    expect(printed()).toMatch(/^Unknown command 'shw'\. Did you mean show\? Commands: run, seed, snapshot, build, /);
    stderr.mockClear();
    expect(await main(['frobnicate'])).toBe(2);
    expect(printed()).toMatch(/^Unknown command 'frobnicate'\. Commands: /);
  });

  it('names an unknown subcommand with its command', async () => {
    expect(await main(['docs', 'gnerate'])).toBe(2);
    expect(printed()).toContain("Unknown command 'docs gnerate'. Did you mean docs generate?");
  });

  it("gives unknown options a did-you-mean among the command's own options, once each", async () => {
    expect(await main(['ls', '--outptu', 'json', '--seed-pth', 'x'])).toBe(2);
    expect(printed()).toContain('Unknown option --outptu. Did you mean --output?\nUnknown option --seed-pth. Did you mean --seed-paths?\n');
    stderr.mockClear();
    expect(await main(['show', '--limt', '3'])).toBe(2);
    expect(printed()).toContain('Unknown option --limt. Did you mean --limit?');
  });
});
