import { describe, expect, it } from 'vitest';
import { ProjectError } from '../../../src/errors.js';
import { expectConserved, scanAll, scanEverywhere } from './scan-helpers.js';

const HEADER = 'event_id,game_id,event_type\n';

function scanError(input: string | Buffer): ProjectError {
  try {
    scanAll(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ProjectError);
    return error as ProjectError;
  }
  throw new Error('expected a ProjectError');
}

describe('RecordScanner: clean input', () => {
  it('passes records through with their line numbers and keeps empty fields as empty text', () => {
    const input = `${HEADER}1,100,login\n2,,\n3,"quoted, with comma",start_game\n`;
    const result = scanEverywhere(input);
    expect(result.header).toEqual(['event_id', 'game_id', 'event_type']);
    expect(result.rows).toEqual([
      { line: 2, fields: ['1', '100', 'login'] },
      { line: 3, fields: ['2', '', ''] },
      { line: 4, fields: ['3', 'quoted, with comma', 'start_game'] },
    ]);
    expect(result.counts).toEqual({ lines: 4, records: 3, loaded: 3, rejected: 0 });
    expectConserved(result, input);
  });

  it('keeps the exact text of quoted fields, including doubled quotes and line breaks', () => {
    const input = `${HEADER}1,"say ""hi""","two\nlines"\n2,"crlf\r\ninside",x\n3,b,c`;
    const result = scanEverywhere(input);
    expect(result.rows).toEqual([
      { line: 2, fields: ['1', 'say "hi"', 'two\nlines'] },
      { line: 4, fields: ['2', 'crlf\r\ninside', 'x'] },
      { line: 6, fields: ['3', 'b', 'c'] },
    ]);
    expectConserved(result, input);
  });

  it('quotes every field of a record holding a backslash, so COPY never reads \\N as NULL', () => {
    const input = `${HEADER}1,\\N,a\\b\n\\.,"x\\",y\n`;
    const result = scanEverywhere(input);
    expect(result.rows.map((r) => r.fields)).toEqual([
      ['1', '\\N', 'a\\b'],
      ['\\.', 'x\\', 'y'],
    ]);
    expect(result.copy.toString()).toBe('"1","\\N","a\\b",2\n"\\.","x\\","y",3\n');
  });

  it('reads CRLF, lone CR and mixed line ends, and gives LF-terminated COPY input', () => {
    const input = 'a,b\r\n1,2\r\n3,4\n5,6\r7,8\r\n9,10';
    const result = scanEverywhere(input);
    expect(result.rows).toEqual([
      { line: 2, fields: ['1', '2'] },
      { line: 3, fields: ['3', '4'] },
      { line: 4, fields: ['5', '6'] },
      { line: 5, fields: ['7', '8'] },
      { line: 6, fields: ['9', '10'] },
    ]);
    expect(result.copy.toString()).not.toMatch(/\r/);
    expectConserved(result, input);
  });

  it('strips a UTF-8 BOM from the header and keeps non-ASCII text', () => {
    const input = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('ville,nom\nZürich,Łódź\n')]);
    const result = scanEverywhere(input);
    expect(result.header).toEqual(['ville', 'nom']);
    expect(result.rows).toEqual([{ line: 2, fields: ['Zürich', 'Łódź'] }]);
  });

  it('uses the configured delimiter', () => {
    const input = 'a;b\n1;"x;y"\n2,3;4\n';
    const result = scanEverywhere(input, { delimiter: 0x3b });
    expect(result.rows).toEqual([
      { line: 2, fields: ['1', 'x;y'] },
      { line: 3, fields: ['2,3', '4'] },
    ]);
  });
});

describe('RecordScanner: header problems', () => {
  it('an empty file is a ProjectError naming the file', () => {
    const error = scanError('');
    expect(error.message).toMatch(/seed file is empty/);
    expect(error.where).toBe('seeds/t.csv');
    expect(scanError(Buffer.from([0xef, 0xbb, 0xbf])).message).toMatch(/empty/);
  });

  it('a header-only file loads nothing, with or without a final line break', () => {
    for (const input of ['a,b,c', 'a,b,c\n', 'a,b,c\r\n']) {
      const result = scanEverywhere(input);
      expect(result.header).toEqual(['a', 'b', 'c']);
      expect(result.counts).toEqual({ lines: 1, records: 0, loaded: 0, rejected: 0 });
      expect(result.copy.length).toBe(0);
    }
  });

  it('duplicated header names are a ProjectError at file:1 with a hint', () => {
    const error = scanError('id,name,id\n1,a,2\n');
    expect(error.where).toBe('seeds/t.csv:1');
    expect(error.message).toMatch(/column "id" appears twice in the header \(columns 1 and 3\)/);
    expect(error.hint).toMatch(/unique name/);
  });

  it('rejects headers that cannot name columns', () => {
    expect(scanError('a,,c\n').message).toMatch(/column 2 of the header has no name/);
    expect(scanError('a,_source_line\n').message).toMatch(/lineage column/);
    expect(scanError(`a,${'x'.repeat(64)}\n`).message).toMatch(/longer than 63 bytes/);
    expect(scanError('a,"b\n').message).toMatch(/cannot read the header/);
    expect(scanError(Buffer.from('a,\xff\n', 'latin1')).message).toMatch(/not valid UTF-8/);
    const wide = scanError(`${Array.from({ length: 100_000 }, (_, i) => `c${i}`).join(',')}\n1\n`);
    expect(wide.message).toMatch(/100000 columns/);
    expect(wide.where).toBe('seeds/t.csv:1');
  });
});

describe('RecordScanner: bad records are rejected, one line each, and counted', () => {
  it('missing and extra columns', () => {
    const input = `${HEADER}1,100\n2,100,login,extra\n3,100,login\n`;
    const result = scanEverywhere(input);
    expect(result.rows.map((r) => r.line)).toEqual([4]);
    expect(result.rejects.map(({ line, code, message, raw }) => ({ line, code, message, raw }))).toEqual([
      { line: 2, code: 'too_few_fields', message: '2 fields where the header has 3', raw: '1,100' },
      { line: 3, code: 'too_many_fields', message: '4 fields where the header has 3', raw: '2,100,login,extra' },
    ]);
    expectConserved(result, input);
  });

  it('blank lines are rejected when the file has several columns, and load as "" when it has one', () => {
    const several = `${HEADER}1,2,3\n\n4,5,6\n\n`;
    const result = scanEverywhere(several);
    expect(result.rejects.map((r) => [r.line, r.code])).toEqual([
      [3, 'blank_line'],
      [5, 'blank_line'],
    ]);
    expectConserved(result, several);
    const one = scanEverywhere('only\na\n\nb\n');
    expect(one.rows.map((r) => r.fields[0])).toEqual(['a', '', 'b']);
  });

  it('a quote inside an unquoted field or text after a closing quote', () => {
    const input = `${HEADER}1,mob"ile,x\n2,"a"b,x\n3,a, "b"\n4,ok,ok\n`;
    const result = scanEverywhere(input);
    expect(result.rejects.map((r) => [r.line, r.code, r.message])).toEqual([
      [2, 'bad_quote', 'a quote inside the unquoted field 2 (byte 6)'],
      [3, 'bad_quote', 'field 2 goes on after its closing quote (byte 6)'],
      [4, 'bad_quote', 'a quote inside the unquoted field 3 (byte 6)'],
    ]);
    expect(result.rows.map((r) => r.line)).toEqual([5]);
    expectConserved(result, input);
  });

  it('an unbalanced quote costs its own line only: the quote is bounded by max_record_lines and by the end of the file', () => {
    const good = Array.from({ length: 10 }, (_, i) => `${i + 10},g,ok\n`).join('');
    const input = `${HEADER}1,"never closed,x\n${good}2,b,c\n3,"open at the end`;
    const result = scanEverywhere(input, { maxRecordLines: 5 });
    expect(result.rejects.map((r) => [r.line, r.code, r.message])).toEqual([
      [2, 'unterminated_quote', 'the quoted field 2 (byte 3) is not closed within 5 lines'],
      [14, 'unterminated_quote', 'the quoted field 2 (byte 3) is still open at the end of the file'],
    ]);
    expect(result.rows.map((r) => r.line)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    expectConserved(result, input);
  });

  it('a quote that closes within the bound makes one multi-line record; if that record is wrong, only its first line is rejected', () => {
    // Line 2 opens a quote that line 3 closes: a well-formed 2-line record, but with 4 fields.
    const input = `${HEADER}1,"a\nb",c,d\n5,6,7\n`;
    const result = scanEverywhere(input);
    expect(result.rejects.map((r) => [r.line, r.code, r.raw])).toEqual([
      [2, 'too_many_fields', '1,"a'],
      [3, 'bad_quote', 'b",c,d'],
    ]);
    expect(result.rows).toEqual([{ line: 4, fields: ['5', '6', '7'] }]);
    expectConserved(result, input);
  });

  it('invalid UTF-8 and NUL bytes', () => {
    const input = Buffer.concat([
      Buffer.from(HEADER),
      Buffer.from('1,caf\xe9,x\n', 'latin1'),
      Buffer.from('2,a\0b,x\n'),
      Buffer.from('3,"\xc3",x\n', 'latin1'),
      Buffer.from('4,é,ok\n'),
    ]);
    const result = scanEverywhere(input);
    expect(result.rejects.map((r) => [r.line, r.code, r.message])).toEqual([
      [2, 'invalid_utf8', 'invalid UTF-8 at byte 6 (0xe9)'],
      [3, 'nul_byte', 'a NUL byte (0x00) at byte 4'],
      [4, 'invalid_utf8', 'invalid UTF-8 at byte 4 (0xc3)'],
    ]);
    expect(result.rejects[1]!.rawBytes).toEqual(Buffer.from('2,a\0b,x'));
    expect(result.rows).toEqual([{ line: 5, fields: ['4', 'é', 'ok'] }]);
    expectConserved(result, input);
  });

  it('a 100,000-column data line is rejected as too many fields', () => {
    const wide = Array.from({ length: 100_000 }, (_, i) => String(i)).join(',');
    const input = `${HEADER}${wide}\n1,2,3\n`;
    const result = scanAll(input);
    expect(result.rejects.map((r) => [r.line, r.code, r.message])).toEqual([[2, 'too_many_fields', '100000 fields where the header has 3']]);
    expect(result.rejects[0]!.raw).toBe(wide);
    expect(result.rows).toEqual([{ line: 3, fields: ['1', '2', '3'] }]);
    expectConserved(result, input);
  });

  it('a line longer than max_record_bytes is rejected with a prefix of its text, and memory stays bounded', () => {
    const input = `${HEADER}1,${'x'.repeat(20_000)},z\n2,b,c\n3,"${'y'.repeat(20_000)}\n4,b,c\n`;
    for (const chunk of [1000, 7000, Infinity]) {
      const result = scanAll(input, { maxRecordBytes: 10_000 }, chunk);
      expect(result.rejects.map((r) => [r.line, r.code, r.raw.length])).toEqual([
        [2, 'record_too_large', 4096],
        [4, 'record_too_large', 4096],
      ]);
      expect(result.rows.map((r) => r.line)).toEqual([3, 5]);
      expectConserved(result, input);
    }
  });

  it('a quoted field running over max_record_bytes across lines is unterminated; the next line is read again', () => {
    const lines = Array.from({ length: 50 }, (_, i) => `${i},${'p'.repeat(300)},q\n`).join('');
    const input = `${HEADER}1,"open,x\n${lines}`;
    const result = scanAll(input, { maxRecordBytes: 5_000 }, 1024);
    expect(result.rejects.map((r) => [r.line, r.code])).toEqual([[2, 'unterminated_quote']]);
    expect(result.rows).toHaveLength(50);
    expectConserved(result, input);
  });
});

describe('RecordScanner: big fields', () => {
  it('loads a 10 MB field whole, in any chunking', () => {
    const big = 'é'.repeat(5 * 1024 * 1024); // 10 MiB of UTF-8
    const input = `${HEADER}1,"${big}",x\n2,${big},y\n3,a,b\n`;
    for (const chunk of [1024 * 1024, Infinity]) {
      const result = scanAll(input, {}, chunk);
      expect(result.rows.map((r) => [r.line, r.fields[1]!.length, r.fields[2]])).toEqual([
        [2, big.length, 'x'],
        [3, big.length, 'y'],
        [4, 1, 'b'],
      ]);
      expect(result.rows[0]!.fields[1] === big).toBe(true);
      expectConserved(result, input);
    }
  });
});
