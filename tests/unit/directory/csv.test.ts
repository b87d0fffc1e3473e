import { describe, expect, it } from 'vitest';
import { detectDelimiter, readCsv } from '../../../src/features/directory/csv.js';

async function rows(chunks: (string | Uint8Array)[], o: Parameters<typeof readCsv>[1] = {}) {
  const out: { line: number; fields: string[] }[] = [];
  for await (const r of readCsv(chunks, o)) out.push(r);
  return out;
}
const enc = (s: string) => new TextEncoder().encode(s);

describe('readCsv', () => {
  it('reads quoted fields, escaped quotes and line breaks inside quotes', async () => {
    const r = await rows(['a;b;c\r\n1;"x;y";"say ""hi"""\r\n2;"two\nlines";\n3;;z']);
    expect(r).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['1', 'x;y', 'say "hi"'] },
      { line: 3, fields: ['2', 'two\nlines', ''] },
      { line: 5, fields: ['3', '', 'z'] },
    ]);
  });

  it('detects the delimiter from the header', async () => {
    expect(detectDelimiter('a,b,c')).toBe(',');
    expect(detectDelimiter('"a;b",c,d')).toBe(',');
    expect(detectDelimiter('a;b;c')).toBe(';');
    expect(detectDelimiter('a\tb\tc')).toBe('\t');
    expect((await rows(['ЛС,ФИО\n1,"Иванов, Иван"\n']))[1]!.fields).toEqual(['1', 'Иванов, Иван']);
  });

  it('does not depend on where chunks split (quotes, CRLF, multi-byte letters)', async () => {
    const text = 'ЛС;ФИО;Адрес\r\n1;"Иванова ""Анна""";"ул. Ленина,\r\nд. 5"\r\n2;Пётр;\r\n';
    const whole = await rows([enc(text)]);
    const bytes = enc(text);
    for (let cut = 1; cut < bytes.length; cut += 1) {
      expect(await rows([bytes.slice(0, cut), bytes.slice(cut)])).toEqual(whole);
    }
    const single = await rows([...bytes].map((b) => new Uint8Array([b])));
    expect(single).toEqual(whole);
  });

  it('drops the UTF-8 BOM, skips empty lines, reads a last line without a line break', async () => {
    const r = await rows([new Uint8Array([0xef, 0xbb, 0xbf]), enc('ЛС;ФИО\n\n1;А\n2;Б')]);
    expect(r.map((x) => x.fields)).toEqual([['ЛС', 'ФИО'], ['1', 'А'], ['2', 'Б']]);
    expect(r.map((x) => x.line)).toEqual([1, 3, 4]);
  });

  it('decodes windows-1251', async () => {
    // «ЛС;ФИО\n1;Ёлкин» in windows-1251
    const bytes = new Uint8Array([0xcb, 0xd1, 0x3b, 0xd4, 0xc8, 0xce, 0x0a, 0x31, 0x3b, 0xa8, 0xeb, 0xea, 0xe8, 0xed]);
    expect((await rows([bytes], { encoding: 'windows-1251' })).map((x) => x.fields)).toEqual([['ЛС', 'ФИО'], ['1', 'Ёлкин']]);
  });

  it('fails clearly on an unclosed quote and an unknown encoding', async () => {
    await expect(rows(['a;b\n1;"open'])).rejects.toThrow(/кавычка/);
    await expect(rows(['a'], { encoding: 'nope-42' })).rejects.toThrow(/кодировка/);
  });
});
