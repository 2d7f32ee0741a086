import { Button, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiError, post } from '../../api/http.ts';
import type { Message } from '../../api/types.ts';
import { errorText } from '../../components/error-alert.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { applyMessage } from '../../realtime/live-provider.tsx';

/**
 * Sends a reply the channel refused once more (same message, re-queued by the server). The live
 * `message.updated` events then carry it on to sent/delivered, or back to failed.
 */
export function RetryDelivery({ m }: { m: Message }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const retry = useMutation({
    mutationFn: () => post<Message>(`/api/v1/messages/${encodeURIComponent(m.id)}/retry`),
    onSuccess: (msg) => applyMessage(qc, msg),
  });
  const err = retry.error;
  return (
    <>
      <Button
        size="compact-xs"
        variant="light"
        color="red"
        loading={retry.isPending}
        onClick={() => retry.mutate()}
        data-testid="delivery-retry"
      >
        {t('delivery.retry')}
      </Button>
      {err && (
        <Text size="xs" c="red" role="alert" data-testid="delivery-retry-error" className="sb-text">
          {errorText(t, err)}
          {/* The server says which window closed and since when; a conflict says why it is not failed. */}
          {err instanceof ApiError &&
          (err.code === 'window_closed' || err.code === 'conflict' || err.code === 'opted_out')
            ? ` (${err.message})`
            : ''}
        </Text>
      )}
    </>
  );
}
