import { z } from 'zod';

/**
 * Sign-in, password and two-factor shapes, shared by the server's routes and the console.
 * A user belongs to one account; the same e-mail in two accounts is two users with their own passwords.
 */

export const PASSWORD_MIN_LENGTH = 10;

/** Why a new password was refused (`weak_password` error details). */
export const PASSWORD_PROBLEMS = ['too_short', 'too_long', 'common', 'contains_email', 'reused'] as const;
export type PasswordProblem = (typeof PASSWORD_PROBLEMS)[number];

export const loginBody = z.object({
  email: z.string().min(3).max(320),
  password: z.string().min(1).max(1000),
  accountId: z.string().max(64).optional().describe('the account to sign in to when the e-mail has several'),
  startPresence: z
    .boolean()
    .optional()
    .describe(
      'set the presence the account chose for sign-ins (default online): the console sends true, since a person signing in there is at work; a script signing in is not',
    ),
});
export type LoginBody = z.infer<typeof loginBody>;

export const accountChoice = z.object({ id: z.string(), name: z.string() });
export type AccountChoice = z.infer<typeof accountChoice>;

/** Details of `409 account_choice_required`: only the accounts whose user this password opened. */
export const accountChoiceDetails = z.object({ accounts: z.array(accountChoice) });

/** Details of `401 two_factor_required`: the pending login to finish with a code. */
export const twoFactorPendingDetails = z.object({
  pendingToken: z.string(),
  expiresAt: z.number(),
});

export const twoFactorLoginBody = z
  .object({
    pendingToken: z.string().min(10).max(200),
    code: z
      .string()
      .trim()
      .regex(/^\d{6}$/)
      .optional()
      .describe('the 6-digit code of the authenticator app'),
    recoveryCode: z.string().trim().min(6).max(40).optional().describe('one of the ten recovery codes'),
    startPresence: z.boolean().optional().describe('as in POST /auth/login'),
  })
  .refine((b) => (b.code === undefined) !== (b.recoveryCode === undefined), {
    message: 'send either code or recoveryCode',
  });
export type TwoFactorLoginBody = z.infer<typeof twoFactorLoginBody>;

/** What an operator's presence becomes when they sign in at the console; `unchanged` keeps the last one. */
export const SIGN_IN_AVAILABILITY = ['online', 'away', 'offline', 'unchanged'] as const;
export type SignInAvailability = (typeof SIGN_IN_AVAILABILITY)[number];

/** One account the signed-in person can switch to (`GET /me/accounts`). */
export const myAccount = z.object({
  id: z.string(),
  name: z.string(),
  current: z.boolean(),
  twoFactor: z.boolean().describe("switching asks for this account user's two-factor code"),
});
export type MyAccount = z.infer<typeof myAccount>;
export const myAccountsSchema = z.object({ items: z.array(myAccount) });

export const switchAccountBody = z
  .object({
    accountId: z.string().min(1).max(64),
    code: z
      .string()
      .trim()
      .regex(/^\d{6}$/)
      .optional()
      .describe("the target account user's authenticator code, when it has two-factor sign-in"),
    recoveryCode: z.string().trim().min(6).max(40).optional(),
    startPresence: z.boolean().optional().describe('as in POST /auth/login'),
  })
  .refine((b) => b.code === undefined || b.recoveryCode === undefined, {
    message: 'send code or recoveryCode, not both',
  });
export type SwitchAccountBody = z.infer<typeof switchAccountBody>;

export const accountSecuritySchema = z.object({
  requireTwoFactor: z
    .boolean()
    .describe('every member must sign in with a second factor; those without one are sent to enrol first'),
  signInAvailability: z
    .enum(SIGN_IN_AVAILABILITY)
    .describe('presence a member gets on signing in at the console (default online)'),
});
export type AccountSecurity = z.infer<typeof accountSecuritySchema>;
export const accountSecurityBody = accountSecuritySchema.partial();

export const changePasswordBody = z.object({
  currentPassword: z.string().min(1).max(1000),
  newPassword: z.string().min(1).max(1000),
});
export type ChangePasswordBody = z.infer<typeof changePasswordBody>;

export const twoFactorStatus = z.object({
  enabled: z.boolean(),
  enabledAt: z.number().nullable(),
  recoveryCodesLeft: z.number(),
  requiredByAccount: z.boolean(),
});
export type TwoFactorStatus = z.infer<typeof twoFactorStatus>;

export const twoFactorSetup = z.object({
  secret: z.string().describe('base32, for typing into the app by hand'),
  otpauthUrl: z.string(),
  qrDataUrl: z.string().describe('PNG data: URL of the otpauth:// QR code'),
});
export type TwoFactorSetup = z.infer<typeof twoFactorSetup>;

export const twoFactorConfirmBody = z.object({
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/),
});

export const recoveryCodesResult = z.object({
  recoveryCodes: z.array(z.string()).describe('shown once; each opens one sign-in'),
});
export type RecoveryCodesResult = z.infer<typeof recoveryCodesResult>;

export const twoFactorDisableBody = z.object({
  password: z.string().min(1).max(1000),
  code: z.string().trim().min(6).max(40).describe('a current 6-digit code or a recovery code'),
});

export const RESET_ACCESS_MODES = ['temporary_password', 'link'] as const;

export const resetAccessBody = z.object({
  mode: z.enum(RESET_ACCESS_MODES).default('temporary_password'),
  disableTwoFactor: z
    .boolean()
    .default(false)
    .describe('also turn off their second factor (a lost phone); they enrol again'),
});
export type ResetAccessBody = z.input<typeof resetAccessBody>;

export const resetAccessResult = z.object({
  mode: z.enum(RESET_ACCESS_MODES),
  temporaryPassword: z.string().nullable().describe('shown once; must be changed at the next sign-in'),
  link: z.string().nullable().describe('one-time link to choose a new password'),
  expiresAt: z.number().nullable(),
});
export type ResetAccessResult = z.infer<typeof resetAccessResult>;

export const accessLinkBody = z.object({
  token: z.string().min(10).max(200),
  newPassword: z.string().min(1).max(1000),
});
