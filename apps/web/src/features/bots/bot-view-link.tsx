import { Badge, NavLink } from '@mantine/core';
import { useI18n } from '../../i18n/i18n.tsx';
import { type Location, navigate } from '../../lib/router.ts';
import { inboxFromLocation, inboxHref } from '../inbox/inbox-route.ts';
import { useConversationCounts } from '../inbox/use-counts.ts';

/** The inbox's "Bot" view: every conversation a bot holds right now (status `bot`), to watch or take over. */
export function BotViewLink({ loc, onNavigate }: { loc: Location; onNavigate: () => void }) {
  const { t, fmt } = useI18n();
  const filter = { view: 'all' as const, status: 'bot' as const };
  const n = useConversationCounts(filter).data?.views.all;
  const current = inboxFromLocation(loc).filter;
  const active = loc.segments[0] === 'inbox' && current.view === 'all' && current.status === 'bot';
  const href = inboxHref(filter);
  return (
    <NavLink
      href={href}
      label={t('view.bot')}
      active={active}
      aria-current={active ? 'page' : undefined}
      data-testid="view-bot"
      onClick={(e) => {
        if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        navigate(href);
        onNavigate();
      }}
      rightSection={
        n !== undefined && n > 0 ? (
          <Badge size="sm" variant={active ? 'filled' : 'light'} data-testid="count-bot">
            {fmt.number(n)}
          </Badge>
        ) : null
      }
    />
  );
}
