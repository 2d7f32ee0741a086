import { Button, Group, List, Paper, Stack, Text } from '@mantine/core';
import { forwardRef } from 'react';
import { useI18n } from '../../i18n/i18n.tsx';
import type { BroadcastPreview } from './broadcasts-api.ts';

interface Props {
  /** null: this server has no preview endpoint (an older one); the broadcast is sent without one. */
  preview: BroadcastPreview | null;
  sending: boolean;
  onEdit: () => void;
  onSend: () => void;
}

/** The second step of a new broadcast: how many contacts it reaches and what would become of them now. */
export const BroadcastConfirm = forwardRef<HTMLDivElement, Props>(function BroadcastConfirm(
  { preview, sending, onEdit, onSend },
  ref,
) {
  const { t, fmt } = useI18n();
  const n = (v: number) => fmt.number(v);
  return (
    <Paper
      ref={ref}
      withBorder
      p="md"
      data-testid="broadcast-confirm"
      role="region"
      aria-labelledby="broadcast-confirm-title"
    >
      <Stack gap="xs">
        <Text fw={700} id="broadcast-confirm-title">
          {t('broadcasts.form.confirmTitle')}
        </Text>
        {preview && preview.total === 0 ? (
          <Text data-testid="broadcast-confirm-empty">{t('broadcasts.form.confirmEmpty')}</Text>
        ) : (
          preview && (
            <>
              <Text fw={600} data-testid="broadcast-confirm-total" data-total={preview.total}>
                {t('broadcasts.form.confirmTotal', { n: n(preview.total) })}
              </Text>
              <Text size="sm">{t('broadcasts.form.confirmNow')}</Text>
              <List size="sm" spacing={2} data-testid="broadcast-confirm-estimate">
                <List.Item>{t('broadcasts.form.confirmQueued', { n: n(preview.queued) })}</List.Item>
                {preview.windowClosed > 0 && (
                  <List.Item>{t('broadcasts.form.confirmWindow', { n: n(preview.windowClosed) })}</List.Item>
                )}
                {preview.optedOut > 0 && (
                  <List.Item>{t('broadcasts.form.confirmOptedOut', { n: n(preview.optedOut) })}</List.Item>
                )}
                {preview.noIdentity > 0 && (
                  <List.Item>
                    {t('broadcasts.form.confirmNoIdentity', { n: n(preview.noIdentity) })}
                  </List.Item>
                )}
              </List>
              <Text size="xs" c="dimmed">
                {t('broadcasts.form.confirmNote')}
              </Text>
            </>
          )
        )}
        <Group justify="flex-end" wrap="wrap" mt="xs">
          <Button variant="default" onClick={onEdit} disabled={sending} data-testid="broadcast-edit">
            {t('broadcasts.form.edit')}
          </Button>
          <Button
            onClick={onSend}
            loading={sending}
            disabled={preview?.total === 0}
            data-testid="broadcast-send"
          >
            {preview ? t('broadcasts.form.send', { n: n(preview.total) }) : t('broadcasts.new')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
});
