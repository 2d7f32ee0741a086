import { useQuery, useQueryClient } from '@tanstack/react-query';
import { get, qs } from '../../api/http.ts';
import type { Contact, Conversation, Me, Page } from '../../api/types.ts';
import { usePatchConversation } from '../../features/conversation/use-conversation-data.ts';
import { snoozePresets } from '../../features/conversation/snooze-menu.tsx';
import { previewText } from '../../features/inbox/conversation-row.tsx';
import { VIEWS } from '../../features/inbox/inbox-filter.ts';
import { inboxFromLocation, inboxHref } from '../../features/inbox/inbox-route.ts';
import { useConversation } from '../../features/inbox/use-conversations.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { navigate, useLocation } from '../../lib/router.ts';
import type { PaletteItem } from './palette-match.ts';

/** Conversations the console has already loaded (every inbox list in the cache), newest first. */
function loadedConversations(qc: ReturnType<typeof useQueryClient>): Conversation[] {
  const seen = new Map<string, Conversation>();
  for (const [, data] of qc.getQueriesData<{ pages: Page<Conversation>[] }>({ queryKey: ['conversations'] }))
    for (const p of data?.pages ?? []) for (const c of p.items) seen.set(c.id, c);
  return [...seen.values()].sort((a, b) => b.lastActivityAt - a.lastActivityAt);
}

/**
 * Everything the palette offers for `query`: actions on the open conversation, the screens this
 * user may open, loaded conversations and (asked of the server as one types) contacts.
 */
export function usePaletteItems(me: Me, query: string, opened: boolean): PaletteItem[] {
  const { t } = useI18n();
  const qc = useQueryClient();
  const loc = useLocation();
  const { filter, conversationId } = inboxFromLocation(loc);
  const openId = loc.segments[0] === 'inbox' ? conversationId : undefined;
  const conv = useConversation(openId).data;
  const patchConv = usePatchConversation(openId ?? '', me.user.id);
  const q = query.trim();
  const contacts = useQuery({
    queryKey: ['palette-contacts', q],
    queryFn: () => get<Page<Contact>>(`/api/v1/contacts${qs({ q, limit: 5 })}`),
    enabled: opened && q.length >= 2,
    staleTime: 10_000,
  });

  const items: PaletteItem[] = [];
  const action = (id: string, label: string, run: () => void, keywords?: string) =>
    items.push({ id: `action:${id}`, group: 'action', label, run, keywords });

  if (conv) {
    if (conv.assigneeId !== me.user.id)
      action('assign', t('action.assignToMe'), () => patchConv.mutate({ assigneeId: me.user.id }), 'take');
    if (conv.status === 'resolved')
      action('reopen', t('action.reopen'), () => patchConv.mutate({ status: 'open' }));
    else action('resolve', t('action.resolve'), () => patchConv.mutate({ status: 'resolved' }), 'close done');
    const p = snoozePresets(new Date());
    const snooze = (until: number) => () => patchConv.mutate({ status: 'snoozed', snoozedUntil: until });
    action('snooze-1h', `${t('action.snooze')}: ${t('action.snooze1h')}`, snooze(p.oneHour));
    action('snooze-tomorrow', `${t('action.snooze')}: ${t('action.snoozeTomorrow')}`, snooze(p.tomorrow));
    action('snooze-week', `${t('action.snooze')}: ${t('action.snoozeNextWeek')}`, snooze(p.nextWeek));
    const label = q.replace(/^#/, '').trim();
    if (label && label.length <= 64 && !conv.labels.includes(label))
      items.push({
        id: 'action:label-add',
        group: 'action',
        label: t('palette.addLabel', { label }),
        // Whatever is typed is the label: this line always stays in the list.
        keywords: q,
        run: () => patchConv.mutate({ labels: [...conv.labels, label] }),
      });
    for (const l of conv.labels)
      action(`label-remove:${l}`, t('palette.removeLabel', { label: l }), () =>
        patchConv.mutate({ labels: conv.labels.filter((x) => x !== l) }),
      );
  }

  for (const c of loadedConversations(qc).slice(0, 200))
    items.push({
      id: `conversation:${c.id}`,
      group: 'conversation',
      label: c.contact.name ?? t('inbox.unknownContact'),
      hint: `${c.channel.name} · ${previewText(t, c.lastMessagePreview)}`,
      run: () => navigate(inboxHref({ ...filter, view: 'all', status: 'any' }, c.id)),
    });

  for (const c of contacts.data?.items ?? [])
    items.push({
      id: `contact:${c.id}`,
      group: 'contact',
      label: c.name ?? c.phone ?? c.email ?? t('inbox.unknownContact'),
      hint: [c.phone, c.email].filter(Boolean).join(' · ') || undefined,
      // The server matched it already (name, phone or e-mail): keep it whatever the words.
      keywords: q,
      run: () => navigate(`/contacts${qs({ q: c.phone ?? c.email ?? c.name ?? '' })}`),
    });

  const screen = (path: string, label: string, keywords?: string) =>
    items.push({ id: `screen:${path}`, group: 'screen', label, run: () => navigate(path), keywords });
  for (const v of VIEWS)
    screen(inboxHref({ ...filter, view: v }), `${t('nav.inbox')}: ${t(`view.${v}`)}`, `inbox ${v}`);
  screen('/search', t('search.title'), 'search');
  screen('/contacts', t('nav.contacts'), 'contacts');
  screen('/security', t('nav.security'), 'security password');
  const supervises = me.role === 'admin' || me.role === 'supervisor';
  if (supervises) {
    screen('/team', t('nav.supervise'), 'team now');
    screen('/reports', t('nav.reports'), 'reports');
    screen('/reports/mentions', t('mentions.title'), 'reports mentions who mentioned');
    screen('/broadcasts', t('nav.broadcasts'), 'broadcasts');
  }
  if (me.role === 'admin')
    for (const [key, label] of [
      ['channels', t('nav.channels')],
      ['users', t('nav.users')],
      ['teams', t('nav.teams')],
      ['schedules', t('nav.schedules')],
      ['routing', t('nav.routing')],
      ['center', t('nav.center')],
      ['automation', t('nav.automation')],
      ['sla', t('nav.sla')],
      ['attributes', t('nav.attributes')],
      ['tokens', t('nav.tokens')],
      ['audit', t('nav.audit')],
      ['dead-events', t('nav.deadEvents')],
      ['webhooks', t('nav.webhooks')],
    ] as const)
      screen(`/admin/${key}`, label, `admin ${key}`);
  return items;
}
