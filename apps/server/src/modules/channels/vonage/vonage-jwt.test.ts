import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signVonageWebhook, verifyHs256, verifyVonageWebhook } from './vonage-jwt.ts';

describe('Vonage signed webhooks (JWT HS256 + payload_hash)', () => {
  // The HS256 example published on jwt.io (RFC 7519 structure).
  const JWT_IO =
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
  const now = 1_800_000_000;

  it('verifies the published HS256 example and refuses another secret or a changed token', () => {
    expect(verifyHs256(JWT_IO, 'your-256-bit-secret', now)).toEqual({
      sub: '1234567890',
      name: 'John Doe',
      iat: 1516239022,
    });
    expect(verifyHs256(JWT_IO, 'another-secret', now)).toBeNull();
    expect(verifyHs256(JWT_IO.replace('.eyJzdWIi', '.eyJzdWii'), 'your-256-bit-secret', now)).toBeNull();
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${JWT_IO.split('.')[1]}.`;
    expect(verifyHs256(none, 'your-256-bit-secret', now)).toBeNull();
  });

  it('needs the body to hash to payload_hash, byte for byte', () => {
    const body = '{"channel":"sms","text":"Привет"}';
    const token = signVonageWebhook('sig-secret', body);
    const claims = verifyVonageWebhook(
      'sig-secret',
      `Bearer ${token}`,
      Buffer.from(body),
      Math.floor(Date.now() / 1000),
    );
    expect(claims?.payload_hash).toBe(createHash('sha256').update(body).digest('hex'));
    expect(
      verifyVonageWebhook('sig-secret', `Bearer ${token}`, Buffer.from(body.replace(':', ': ')), now),
    ).toBeNull();
    expect(verifyVonageWebhook('other', `Bearer ${token}`, Buffer.from(body), now)).toBeNull();
    expect(verifyVonageWebhook('sig-secret', undefined, Buffer.from(body), now)).toBeNull();
    expect(verifyVonageWebhook('sig-secret', token, Buffer.from(body), now)).toBeNull();
  });

  it('refuses an expired token and one without payload_hash', () => {
    const body = '{}';
    const t = Math.floor(Date.now() / 1000);
    const expired = signVonageWebhook('s', body, { exp: t - 1 });
    expect(verifyVonageWebhook('s', `Bearer ${expired}`, Buffer.from(body), t)).toBeNull();
    const noHash = signVonageWebhook('s', body, { payload_hash: undefined });
    expect(verifyVonageWebhook('s', `Bearer ${noHash}`, Buffer.from(body), t)).toBeNull();
  });
});
