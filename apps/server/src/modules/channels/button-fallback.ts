import type { OutboundButton } from '@switchboard/shared';

/**
 * Buttons on a channel that cannot draw them: the titles appended to the text as a numbered list, so the
 * customer can answer with the number or the title (`buttonOfAnswer` reads such an answer back).
 */
export function textWithButtonList(text: string | null, buttons: readonly OutboundButton[]): string {
  const list = buttons.map((b, i) => `${i + 1}. ${b.title}`).join('\n');
  return text?.trim() ? `${text}\n\n${list}` : list;
}

/**
 * The button a typed answer names on a channel without buttons: its number in the list ("2", "2."), or
 * its title (case and surrounding spaces ignored). Null when the answer is anything else.
 */
export function buttonOfAnswer(
  text: string | null | undefined,
  buttons: readonly OutboundButton[],
): OutboundButton | null {
  const s = (text ?? '').trim().replace(/[.)]$/, '');
  if (/^\d{1,2}$/.test(s)) return buttons[Number(s) - 1] ?? null;
  const lower = s.toLowerCase();
  return buttons.find((b) => b.title.trim().toLowerCase() === lower) ?? null;
}
