import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cleanFileName, maxFileNameLength } from '../dist/files.js';

describe('cleanFileName', () => {
  test('keeps ordinary names, and takes out control, direction, path and markup characters', () => {
    const cases = [
      ['invoice.pdf', 'invoice.pdf'],
      ['résumé 2026.pdf', 'résumé 2026.pdf'],
      ['../../etc/passwd', '_.._etc_passwd'],
      ['C:\\Windows\\evil.exe', 'C__Windows_evil.exe'],
      ['report\r\n.txt', 'report .txt'],
      ['photo\u0000.png', 'photo.png'],
      ['invoice\u202Efdp.exe', 'invoicefdp.exe'],
      ['<img src=x onerror=alert(1)>.png', '_img src=x onerror=alert(1)_.png'],
      ['   ..hidden', 'hidden'],
      ['tab\tand  spaces.txt', 'tab and spaces.txt'],
      ['', 'file'],
      ['\u0001\u200f', 'file'],
    ];
    for (const [name, clean] of cases) assert.equal(cleanFileName(name), clean, JSON.stringify(name));
  });

  test(`caps a long name at ${maxFileNameLength} characters and keeps its extension`, () => {
    const long = cleanFileName(`${'x'.repeat(300)}.pdf`);
    assert.equal(long.length, maxFileNameLength);
    assert.ok(long.endsWith('x.pdf'));
    const emoji = cleanFileName(`${'😀'.repeat(200)}.jpg`);
    assert.equal([...emoji].length, maxFileNameLength, 'characters, not UTF-16 units: no emoji is cut in half');
    assert.ok(emoji.endsWith('😀.jpg'));
  });
});
