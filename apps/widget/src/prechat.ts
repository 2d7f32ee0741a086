import type { Profile, WidgetConfig } from './types.ts';

/**
 * Whether the pre-chat form stands before the chat: it asks for something, and either a required field
 * is still missing or the visitor has not seen it yet (`seen`: filled once, or the chat already started).
 */
export function needsPrechat(form: WidgetConfig['preChatForm'], p: Profile, seen: boolean): boolean {
  const missing =
    (form.name === 'required' && !p.name) ||
    (form.email === 'required' && !p.email) ||
    (form.phone === 'required' && !p.phone);
  const asked = form.name !== 'off' || form.email !== 'off' || form.phone !== 'off';
  return form.enabled && asked && (missing || !seen);
}
