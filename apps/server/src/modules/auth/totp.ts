import { randomInt } from 'node:crypto';
import * as OTPAuth from 'otpauth';
import type QRCodeModule from 'qrcode';
import { hashToken } from '../../infra/crypto/secret-box.ts';
import { lazyRequire } from '../../lib/lazy-require.ts';

const qrcode = lazyRequire<typeof QRCodeModule>('qrcode');

/** RFC 6238 defaults every authenticator app understands: SHA-1, 6 digits, 30-second steps. */
const PERIOD_S = 30;

function totp(secretBase32: string, label = '', issuer = 'Switchboard'): OTPAuth.TOTP {
  return new OTPAuth.TOTP({
    issuer,
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: PERIOD_S,
    secret: OTPAuth.Secret.fromBase32(secretBase32),
  });
}

export function newTotpSecret(): string {
  return new OTPAuth.Secret({ size: 20 }).base32;
}

export async function enrolmentOf(
  secretBase32: string,
  label: string,
  issuer: string,
): Promise<{ otpauthUrl: string; qrDataUrl: string }> {
  const otpauthUrl = totp(secretBase32, label, issuer).toString();
  return { otpauthUrl, qrDataUrl: await qrcode().toDataURL(otpauthUrl, { margin: 1, width: 220 }) };
}

/**
 * The 30-second step a code belongs to, or null when it is wrong. One step of clock drift either way
 * is accepted. The caller refuses a step it has already accepted (a code works once).
 */
export function totpStep(secretBase32: string, code: string, now: number): number | null {
  const delta = totp(secretBase32).validate({ token: code, timestamp: now, window: 1 });
  if (delta === null) return null;
  return Math.floor(now / 1000 / PERIOD_S) + delta;
}

const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** 16 characters of a 31-letter alphabet (~79 bits), grouped by four: too long to guess, so a SHA-256 suffices. */
export function newRecoveryCode(): string {
  let s = '';
  for (let i = 0; i < 16; i++) s += RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)];
  return s.match(/.{4}/g)!.join('-');
}

/** Hyphens, spaces and case do not matter when a person types a recovery code back. */
export function recoveryCodeHash(code: string): string {
  return hashToken(`recovery:${code.toLowerCase().replace(/[^a-z0-9]/g, '')}`);
}
