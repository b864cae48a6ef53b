import { describe, expect, it } from 'vitest';
import { parseCsv, parseCsvRecords } from '../../scripts/lib/csv';

// The cases the two hand-written parsers it replaced disagreed on.
describe('the one CSV reader of bench and eval', () => {
  it('keeps a quote inside an unquoted field as a character', () => {
    expect(parseCsv('a,b"c,d"e\n')).toEqual([['a', 'b"c', 'd"e']]);
  });

  it('ends rows at \\r\\n, \\n or a lone \\r, even mixed in one file, and keeps them inside quotes', () => {
    expect(parseCsv('a,b\r\n1,2\n3,4\r5,"x\r\ny"')).toEqual([
      ['a', 'b'],
      ['1', '2'],
      ['3', '4'],
      ['5', 'x\r\ny'],
    ]);
  });

  it('skips blank lines and unescapes doubled quotes', () => {
    expect(parseCsv('id,text\n\n1,"say ""hi"", then go"\n')).toEqual([
      ['id', 'text'],
      ['1', 'say "hi", then go'],
    ]);
  });

  it('keys records by the header and reads a missing field as empty', () => {
    expect(parseCsvRecords('id,text,label\n1,hello\n')).toEqual([{ id: '1', text: 'hello', label: '' }]);
  });

  it('refuses a quote left open at the end instead of swallowing the tail', () => {
    expect(() => parseCsv('a,"b\n1,2\n')).toThrow();
  });
});
