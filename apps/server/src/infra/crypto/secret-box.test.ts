import { describe, expect, it } from 'vitest';
import { SecretBox } from './secret-box.ts';

describe('SecretBox', () => {
  it('round-trips and never stores the plaintext', () => {
    const box = new SecretBox('master-secret-master-secret');
    const sealed = box.sealJson({ botToken: '123:ABC' });
    expect(sealed).not.toContain('123:ABC');
    expect(sealed.startsWith('v1:')).toBe(true);
    expect(box.openJson(sealed)).toEqual({ botToken: '123:ABC' });
    expect(box.seal('x')).not.toBe(box.seal('x'));
  });

  it('refuses tampered data and another master key', () => {
    const box = new SecretBox('master-secret-master-secret');
    const sealed = box.seal('hello');
    const parts = sealed.split(':');
    parts[3] = Buffer.from('HELLO').toString('base64url');
    expect(() => box.open(parts.join(':'))).toThrow();
    expect(() => new SecretBox('another-master-secret-xx').open(sealed)).toThrow();
  });
});
