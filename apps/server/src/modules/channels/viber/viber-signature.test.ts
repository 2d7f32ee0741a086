import { describe, expect, it } from 'vitest';
import { parseJsonExact } from './viber-json.ts';
import { verifyViberSignature, viberSignature } from './viber-signature.ts';

describe('Viber signature and 64-bit tokens', () => {
  // signature-vectors.md V1, from Viber's official Node SDK tests.
  const token = '44dafb7e0f40021e-61a47a1e6778d187-f2c5a676a07050b3';
  const body = '{"event":"webhook","timestamp":4977069964384421269,"message_token":1478683725125}';
  const expected = 'd21b343448c8aee33b8e93768ef6ceb64a6ba6163099973a2b8bd028fea510ef';

  it('matches the published vector V1', () => {
    expect(viberSignature(token, body)).toBe(expected);
    expect(verifyViberSignature(token, expected, Buffer.from(body))).toBe(true);
    expect(verifyViberSignature(token, expected.toUpperCase(), Buffer.from(body))).toBe(true);
  });

  it('refuses another token, other bytes, a missing or malformed header', () => {
    expect(verifyViberSignature('other', expected, Buffer.from(body))).toBe(false);
    expect(verifyViberSignature(token, expected, Buffer.from(body.replace(':', ': ')))).toBe(false);
    expect(verifyViberSignature(token, undefined, Buffer.from(body))).toBe(false);
    expect(verifyViberSignature(token, expected.slice(2), Buffer.from(body))).toBe(false);
    expect(verifyViberSignature('', expected, Buffer.from(body))).toBe(false);
  });

  it('keeps integers beyond 2^53 exact, leaving strings and small numbers alone', () => {
    const raw =
      '{"message_token":5925477129011358721,"n":-9007199254740993,"ok":12,"f":1.5e3,"text":"a: 12345678901234567890}","t":"\\"x\\" 9999999999999999999"}';
    expect(parseJsonExact(raw)).toEqual({
      message_token: '5925477129011358721',
      n: '-9007199254740993',
      ok: 12,
      f: 1500,
      text: 'a: 12345678901234567890}',
      t: '"x" 9999999999999999999',
    });
    expect(JSON.parse(raw).message_token).not.toBe(5925477129011358721n.toString());
  });
});
