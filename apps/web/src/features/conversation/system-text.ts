import type { ChannelNaming } from '../../api/channel-types.ts';
import type { Message, User } from '../../api/types.ts';
import type { MessageKey, Translate } from '../../i18n/i18n.tsx';

const REASONS = ['auto', 'sticky', 'queue', 'manual', 'offline', 'no_reply'] as const;

/**
 * A system message in the UI language, built from its structured meta (the server's own text is
 * English). Without meta (older servers) we can only show the server's text.
 */
export function systemText(t: Translate, m: Message, users: Map<string, User>, names: ChannelNaming): string {
  const meta = m.meta;
  if (meta?.event === 'consent') return consentText(t, meta, names);
  if (meta?.event !== 'assignment') return m.text ?? '';
  const id = (v: unknown) => (typeof v === 'string' ? v : null);
  const name = (v: string | null) => (v ? (users.get(v)?.name ?? t('system.formerUser')) : '');
  const from = id(meta.from);
  const to = id(meta.to);
  const actor = id(meta.actorId);
  const reason = REASONS.find((r) => r === meta.reason);
  const p = { from: name(from), to: name(to), actor: name(actor) };
  if (to && !from && reason === 'manual' && actor === to) return t('system.took', p);
  const head =
    to && !from ? t('system.assigned', p) : to && from ? t('system.reassigned', p) : t('system.returned', p);
  if (!reason || (reason === 'manual' && (!actor || actor === to))) return head;
  return `${head} ${t(`system.why.${reason}` as MessageKey, p)}`;
}

/** An opt-out or opt-in (a keyword, or the provider refusing a send), from its meta. */
function consentText(t: Translate, meta: Record<string, unknown>, names: ChannelNaming): string {
  const scope = typeof meta.scope === 'string' ? meta.scope : '';
  const scopeName = names.scope(scope);
  const keyword = typeof meta.keyword === 'string' ? meta.keyword : '';
  if (meta.action === 'opt_in') return t('system.consent.optInKeyword', { scope: scopeName, keyword });
  if (meta.via === 'provider') return t('system.consent.optOutProvider', { scope: scopeName });
  return t('system.consent.optOutKeyword', { scope: scopeName, keyword });
}
