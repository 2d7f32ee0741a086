import { Alert, Box } from '@mantine/core';
import type { Me } from '../../api/types.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { AutomationPage } from '../automation/automation-page.tsx';
import { AuditPage } from './audit-page.tsx';
import { ChannelsPage } from './channels-page.tsx';
import { DeadEventsPage } from './dead-events-page.tsx';
import { CenterPage } from './routing/center-page.tsx';
import { RoutingPage } from './routing/routing-page.tsx';
import { SchedulesPage } from './routing/schedules-page.tsx';
import { TeamsPage } from './teams-page.tsx';
import { TokensPage } from './tokens-page.tsx';
import { UsersPage } from './users-page.tsx';
import { WebhooksPage } from '../webhooks/webhooks-page.tsx';
import { BotsPage } from '../bots/bots-page.tsx';
import { SlaPoliciesPage } from '../sla/sla-policies-page.tsx';
import { AttributesPage } from '../attributes/attributes-page.tsx';

export function AdminPage({ me, screen }: { me: Me; screen: string }) {
  const { t } = useI18n();
  if (me.role !== 'admin')
    return (
      <Box p="md">
        <Alert color="orange">{t('admin.forbidden')}</Alert>
      </Box>
    );
  return (
    <Box p="md" style={{ overflowY: 'auto', flex: 1 }}>
      {screen === 'channels' && <ChannelsPage />}
      {screen === 'users' && <UsersPage me={me} />}
      {screen === 'teams' && <TeamsPage />}
      {screen === 'tokens' && <TokensPage />}
      {screen === 'audit' && <AuditPage />}
      {screen === 'schedules' && <SchedulesPage />}
      {screen === 'routing' && <RoutingPage />}
      {screen === 'center' && <CenterPage />}
      {screen === 'dead-events' && <DeadEventsPage />}
      {screen === 'webhooks' && <WebhooksPage />}
      {screen === 'bots' && <BotsPage />}
      {screen === 'automation' && <AutomationPage />}
      {screen === 'sla' && <SlaPoliciesPage />}
      {screen === 'attributes' && <AttributesPage />}
    </Box>
  );
}
