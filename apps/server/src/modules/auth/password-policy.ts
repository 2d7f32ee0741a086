import { readFileSync } from 'node:fs';
import { PASSWORD_MIN_LENGTH, type PasswordProblem } from '@switchboard/shared';
import { DomainError } from '../../lib/domain-error.ts';

const MAX_LENGTH = 1000;
/** Shorter local parts ("op", "bob") are too short to be a meaningful hint inside a passphrase. */
const MIN_LOCAL_PART = 4;

let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
  common ??= new Set(
    readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.toLowerCase()),
  );
  return common;
}

/** What is wrong with a new password for this e-mail, or null when it may be used. */
export function passwordProblem(password: string, email: string): Exclude<PasswordProblem, 'reused'> | null {
  if ([...password].length < PASSWORD_MIN_LENGTH) return 'too_short';
  if (password.length > MAX_LENGTH) return 'too_long';
  const lower = password.toLowerCase();
  if (commonPasswords().has(lower)) return 'common';
  const address = email.trim().toLowerCase();
  const local = address.split('@')[0] ?? '';
  if (lower.includes(address) || (local.length >= MIN_LOCAL_PART && lower.includes(local)))
    return 'contains_email';
  return null;
}

const MESSAGES: Record<Exclude<PasswordProblem, 'reused'>, string> = {
  too_short: `The password needs at least ${PASSWORD_MIN_LENGTH} characters`,
  too_long: `The password may have at most ${MAX_LENGTH} characters`,
  common: 'This password is one of the most common ones; choose another',
  contains_email: 'The password must not contain the e-mail address',
};

/** Throws `weak_password` (400, `details.problem`) when the policy refuses the password. */
export function assertPasswordPolicy(password: string, email: string): void {
  const problem = passwordProblem(password, email);
  if (problem) throw new DomainError('weak_password', MESSAGES[problem], { problem });
}
