import type { ContactConsent as ContactConsentDto } from '@switchboard/shared';
import { useChannelNaming } from '../../api/channel-types.ts';
import { Badge, Group } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { get } from '../../api/http.ts';
import { useI18n } from '../../i18n/i18n.tsx';

/**
 * A contact's opt-outs (nothing may be sent in that scope, e.g. they texted STOP) and explicit opt-ins,
 * as badges with when and why on hover. Nothing is shown while there is neither.
 */
export function ContactConsent({ contactId }: { contactId: string }) {
  const { t, fmt } = useI18n();
  const names = useChannelNaming();
  const consent = useQuery({
    queryKey: ['contact-consent', contactId],
    queryFn: () =>
      get<{ items: ContactConsentDto[] }>(`/api/v1/contacts/${encodeURIComponent(contactId)}/consent`),
    staleTime: 0,
  });
  const items = (consent.data?.items ?? []).filter((c) => c.status !== 'none');
  if (items.length === 0) return null;
  const scopeName = names.scope;
  return (
    <Group gap={6} data-testid="contact-consent">
      {items.map((c) => {
        const out = c.status === 'opted_out';
        const at = out ? c.optedOutAt : c.optedInAt;
        const source = out ? c.optOutSource : c.optInSource;
        return (
          <Badge
            key={c.scope}
            color={out ? 'red' : 'teal'}
            variant="light"
            style={{ textTransform: 'none' }}
            title={[at ? fmt.dateTime(at) : null, source].filter(Boolean).join(' · ')}
            data-status={c.status}
          >
            {t(out ? 'contact.optedOut' : 'contact.optedIn', { scope: scopeName(c.scope) })}
          </Badge>
        );
      })}
    </Group>
  );
}
