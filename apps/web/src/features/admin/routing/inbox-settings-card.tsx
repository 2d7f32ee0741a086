import type { InboxSettings } from '@switchboard/shared';
import { Paper, Switch, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { get, put } from '../../../api/http.ts';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { useI18n } from '../../../i18n/i18n.tsx';

const KEY = ['inbox-settings'];

/** Account-wide: whether a reply takes an unassigned conversation for the replier. */
export function InboxSettingsCard() {
  const { t } = useI18n();
  const qc = useQueryClient();
  const settings = useQuery({
    queryKey: KEY,
    queryFn: () => get<InboxSettings>('/api/v1/account/inbox-settings'),
  });
  const save = useMutation({
    mutationFn: (body: InboxSettings) => put<InboxSettings>('/api/v1/account/inbox-settings', body),
    onSuccess: (s) => qc.setQueryData(KEY, s),
  });
  return (
    <Paper withBorder p="sm" maw={640}>
      <Switch
        label={t('inboxSettings.assignOnReply')}
        description={t('inboxSettings.assignOnReplyHint')}
        checked={settings.data?.assignOnReply ?? true}
        disabled={!settings.data || save.isPending}
        onChange={(e) => save.mutate({ assignOnReply: e.currentTarget.checked })}
        data-testid="assign-on-reply"
      />
      {(settings.isError || save.isError) && <ErrorAlert error={settings.error ?? save.error} />}
      {save.isSuccess && (
        <Text size="xs" c="teal.9" mt={4} role="status">
          {t('routing.saved')}
        </Text>
      )}
    </Paper>
  );
}
