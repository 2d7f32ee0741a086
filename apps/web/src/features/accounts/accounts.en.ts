/** English text of the account switcher and the sign-in presence setting (spread into i18n/en.ts). */
export const accountsEn = {
  'accounts.switchTo': 'Switch account',
  'accounts.current': 'Current account: {name}',
  'accounts.codeTitle': 'Switch to {name}',
  'accounts.codeHint': '{name} asks for a second factor. Enter the 6-digit code from your authenticator app.',
  'accounts.switch': 'Switch',
  'admin.users.signInPresence': 'Presence when an operator signs in',
  'admin.users.signInPresenceHint':
    'What an operator’s status becomes when they sign in to the console. “Keep the last one” leaves it as they set it.',
  'admin.users.signInPresence.online': 'Online',
  'admin.users.signInPresence.away': 'Away',
  'admin.users.signInPresence.offline': 'Offline',
  'admin.users.signInPresence.unchanged': 'Keep the last one',
} as const;
