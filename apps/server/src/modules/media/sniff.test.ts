import { describe, expect, it } from 'vitest';
import { contentDisposition } from './attachments.routes.ts';
import { isInlineSafe, sniffMime } from './sniff.ts';

const b = (...parts: (number[] | string)[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

describe('content sniffing', () => {
  it.each([
    ['jpeg', b([0xff, 0xd8, 0xff, 0xe0], 'JFIF'), 'image/jpeg'],
    ['png', b([0x89], 'PNG', [0x0d, 0x0a, 0x1a, 0x0a], 'IHDR'), 'image/png'],
    ['gif', b('GIF89a....'), 'image/gif'],
    ['webp', b('RIFF', [0, 0, 0, 0], 'WEBPVP8 '), 'image/webp'],
    ['wav', b('RIFF', [0, 0, 0, 0], 'WAVEfmt '), 'audio/wav'],
    ['pdf', b('%PDF-1.7\n'), 'application/pdf'],
    ['ogg', b('OggS', [0, 2]), 'audio/ogg'],
    ['mp4', b([0, 0, 0, 0x18], 'ftypisom'), 'video/mp4'],
    ['m4a', b([0, 0, 0, 0x18], 'ftypM4A '), 'audio/mp4'],
    ['webm', b([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81], 'webm'), 'video/webm'],
    ['mp3 (ID3)', b('ID3', [4, 0]), 'audio/mpeg'],
    ['mp3 (frame)', b([0xff, 0xfb, 0x90, 0x64]), 'audio/mpeg'],
    ['amr', b('#!AMR\n'), 'audio/amr'],
    ['zip', b('PK', [3, 4, 20, 0]), 'application/zip'],
    ['text', Buffer.from('Привет, это просто текст\n'), 'text/plain'],
    ['binary', b([0, 1, 2, 3, 4, 5]), 'application/octet-stream'],
    ['empty', Buffer.alloc(0), 'application/octet-stream'],
  ])('%s', (_n, bytes, mime) => {
    expect(sniffMime(bytes)).toBe(mime);
  });

  it('never trusts the declared type alone', () => {
    expect(sniffMime(b('<html><script>alert(1)</script>'), 'image/png')).toBe('text/plain');
    expect(sniffMime(b('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'image/svg+xml')).toBe('text/plain');
    expect(sniffMime(b([0x89], 'PNG', [0x0d, 0x0a, 0x1a, 0x0a]), 'application/pdf')).toBe('image/png');
    expect(sniffMime(b([0, 1, 2]), 'image/jpeg')).toBe('application/octet-stream');
  });

  it('uses the declared type only to name a container the bytes prove', () => {
    const docx = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
    expect(sniffMime(b('PK', [3, 4]), docx)).toBe(docx);
    expect(sniffMime(b([0x1f, 0x8b, 8, 0]), 'application/x-tgsticker')).toBe('application/x-tgsticker');
    expect(sniffMime(b([0x1f, 0x8b, 8, 0]), 'image/png')).toBe('application/gzip');
    const ole = b([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]);
    expect(sniffMime(ole, 'application/msword')).toBe('application/msword');
    expect(sniffMime(ole, 'image/png')).toBe('application/x-ole-storage');
  });

  it('a UTF-8 character cut at the 1 KiB window is still text', () => {
    const text = Buffer.from(`${'a'.repeat(1023)}ж and more`);
    expect(sniffMime(text)).toBe('text/plain');
  });

  it('only media a browser cannot execute is shown inline', () => {
    expect(isInlineSafe('image/png')).toBe(true);
    expect(isInlineSafe('audio/ogg')).toBe(true);
    expect(isInlineSafe('image/svg+xml')).toBe(false);
    expect(isInlineSafe('text/plain')).toBe(false);
    expect(isInlineSafe('application/pdf')).toBe(false);
  });
});

describe('Content-Disposition', () => {
  it('keeps the UTF-8 name and cannot be broken out of', () => {
    expect(contentDisposition('attachment', 'счёт №5.pdf')).toBe(
      `attachment; filename="____ _5.pdf"; filename*=UTF-8''${encodeURIComponent('счёт №5.pdf')}`,
    );
    const evil = contentDisposition('inline', 'a";\r\nSet-Cookie: x=1/../b.png');
    expect(evil).not.toMatch(/[\r\n]/);
    expect(evil.split('filename=')[1]!.split(';')[0]).toBe('"a____Set-Cookie: x=1_.._b.png"');
  });
});
