import { contactLabel } from '@switchboard/shared';
import type { QueryClient } from '@tanstack/react-query';
import type { Conversation, Me, Message } from '../api/types.ts';
import { translate } from '../i18n/i18n.tsx';
import type { Lang } from '../i18n/format.ts';
import { navigate } from '../lib/router.ts';

let audio: AudioContext | null = null;

function uiLang(): Lang {
  return document.documentElement.lang === 'ru' ? 'ru' : 'en';
}

/** A short two-tone chime made on the spot (no sound file to ship or fetch). */
export function chime(): void {
  try {
    audio ??= new AudioContext();
    const ctx = audio;
    const now = ctx.currentTime;
    for (const [i, freq] of [880, 1320].entries()) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, now + i * 0.12);
      gain.gain.exponentialRampToValueAtTime(0.15, now + i * 0.12 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, now + i * 0.12 + 0.25);
      osc.connect(gain).connect(ctx.destination);
      osc.start(now + i * 0.12);
      osc.stop(now + i * 0.12 + 0.3);
    }
  } catch {
    // Browsers refuse audio before the first user gesture; the visual update is enough then.
  }
}

function findConversation(qc: QueryClient, id: string): Conversation | undefined {
  const own = qc.getQueryData<Conversation>(['conversation', id]);
  if (own) return own;
  for (const [, data] of qc.getQueriesData<{ pages: { items: Conversation[] }[] }>({
    queryKey: ['conversations'],
  })) {
    for (const p of data?.pages ?? []) {
      const c = p.items.find((x) => x.id === id);
      if (c) return c;
    }
  }
  return undefined;
}

/**
 * A customer message in a conversation that is mine or still unassigned gets a chime, and a desktop
 * notification when the console is in the background and the operator allowed them.
 */
export function notifyIfConcerned(qc: QueryClient, msg: Message, me: Me): void {
  // A note that mentions me arrives as a notification of its own (features/notifications).
  if (msg.direction !== 'in' || msg.private) return;
  const conv = findConversation(qc, msg.conversationId);
  if (conv && conv.assigneeId !== null && conv.assigneeId !== me.user.id) return;
  chime();
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted' || !document.hidden)
    return;
  const lang = uiLang();
  const name = conv ? contactLabel(conv.contact, lang) : translate(lang, 'inbox.unknownContact');
  const n = new Notification(translate(lang, 'notify.newMessage', { name }), {
    body: msg.text ?? translate(lang, `kind.${msg.contentKind}`),
    tag: msg.conversationId,
  });
  n.onclick = () => {
    window.focus();
    navigate(`/inbox/all/${encodeURIComponent(msg.conversationId)}`);
  };
}
