import { Alert, Box } from '@mantine/core';
import type { Me } from '../../api/types.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { BroadcastDetail } from './broadcast-detail.tsx';
import { BroadcastFormPage } from './broadcast-form.tsx';
import { BroadcastList } from './broadcast-list.tsx';

/** `/broadcasts`, `/broadcasts/new`, `/broadcasts/<id>`: supervisors and admins only, like the API. */
export function BroadcastsPage({ me, sub }: { me: Me; sub: string | undefined }) {
  const { t } = useI18n();
  const allowed = me.role === 'admin' || me.role === 'supervisor';
  return (
    <Box p="md" style={{ overflowY: 'auto', flex: 1 }} data-testid="broadcasts-page">
      {!allowed ? (
        <Alert color="yellow">{t('broadcasts.forbidden')}</Alert>
      ) : sub === 'new' ? (
        <BroadcastFormPage />
      ) : sub ? (
        <BroadcastDetail key={sub} id={sub} />
      ) : (
        <BroadcastList />
      )}
    </Box>
  );
}
