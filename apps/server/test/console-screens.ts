/**
 * The console screens that whole-console checks (accessibility, screen-reader names) walk, kept in one
 * place so a new screen is measured by every such check once it is added here.
 */
export const ADMIN_SCREENS = [
  'channels',
  'users',
  'teams',
  'schedules',
  'routing',
  'center',
  'automation',
  'tokens',
  'audit',
  'dead-events',
  'webhooks',
] as const;

/** The everyday screens (an open conversation and a search included) followed by the admin screens `admin`. */
export function consoleScreens(conversationId: string, search: string, admin: readonly string[]): string[] {
  return [
    '/inbox/mine',
    `/inbox/all/${conversationId}`,
    `/search?q=${search}`,
    '/contacts',
    '/team',
    '/reports',
    '/broadcasts',
    '/security',
    ...admin.map((a) => `/admin/${a}`),
  ];
}
