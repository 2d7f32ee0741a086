import { CloseButton, Group, Paper, Progress, Stack, Text } from '@mantine/core';
import { ApiError } from '../../api/http.ts';
import { errorText } from '../../components/error-alert.tsx';
import { PaperclipIcon } from '../../components/icons.tsx';
import { type Translate, useI18n } from '../../i18n/i18n.tsx';
import type { Formatters } from '../../i18n/format.ts';
import type { PendingFile } from './use-attachments.ts';

/** Why an upload failed, in the operator's language (the limit in their units when the file is too big). */
export function uploadErrorText(t: Translate, fmt: Formatters, err: ApiError): string {
  if (err.code === 'body_too_large') {
    const max = (err.details as { maxBytes?: unknown } | undefined)?.maxBytes;
    return typeof max === 'number'
      ? t('composer.fileTooLargeMax', { max: fmt.bytes(max) })
      : t('composer.fileTooLarge');
  }
  if (err.code === 'unsupported_media_type') return t('composer.fileUnsupported');
  if (err.code === 'validation_error') return t('composer.fileEmpty');
  if (err.code === 'network_error') return t('composer.fileNetwork');
  return errorText(t, err);
}

/**
 * The files waiting to go out with the next message: thumbnail or icon, name, size, progress, errors,
 * and why the channel cannot send a file (`refusals`, by file key).
 */
export function PendingAttachments({
  items,
  onRemove,
  refusals,
}: {
  items: PendingFile[];
  onRemove(key: string): void;
  refusals?: Map<string, string>;
}) {
  const { t, fmt } = useI18n();
  if (items.length === 0) return null;
  return (
    <Group gap={6} data-testid="pending-attachments" aria-label={t('composer.attachments')} role="list">
      {items.map((p) => {
        const refusal = p.error ? undefined : refusals?.get(p.key);
        const state = p.error ? 'failed' : refusal ? 'refused' : p.upload ? 'ready' : 'uploading';
        const bad = p.error !== null || refusal !== undefined;
        return (
          <Paper
            key={p.key}
            withBorder
            p={4}
            radius="sm"
            role="listitem"
            data-testid="pending-attachment"
            data-state={state}
            style={{
              width: 220,
              maxWidth: '100%',
              borderColor: bad ? 'var(--mantine-color-red-5)' : undefined,
            }}
          >
            <Group gap={6} wrap="nowrap" align="center">
              {p.preview ? (
                <img
                  src={p.preview}
                  alt=""
                  width={36}
                  height={36}
                  style={{ objectFit: 'cover', borderRadius: 4, flexShrink: 0 }}
                  data-testid="pending-thumbnail"
                />
              ) : (
                <span
                  style={{ width: 36, height: 36, display: 'grid', placeItems: 'center', flexShrink: 0 }}
                  aria-hidden
                >
                  <PaperclipIcon size={18} />
                </span>
              )}
              <Stack gap={0} miw={0} style={{ flex: 1 }}>
                <Text size="xs" fw={500} truncate title={p.name} className="sb-text">
                  {p.name}
                </Text>
                <Text
                  size="xs"
                  c={bad ? 'red.7' : 'dimmed'}
                  truncate={!bad}
                  lh={1.25}
                  data-testid="pending-status"
                >
                  {p.error
                    ? uploadErrorText(
                        t,
                        fmt,
                        p.error instanceof ApiError ? p.error : new ApiError(0, 'unknown', ''),
                      )
                    : refusal
                      ? refusal
                      : p.upload
                        ? fmt.bytes(p.size)
                        : t('composer.uploading', { percent: fmt.number(Math.round(p.progress * 100)) })}
                </Text>
              </Stack>
              <CloseButton
                size="sm"
                onClick={() => onRemove(p.key)}
                aria-label={t('composer.removeAttachment', { name: p.name })}
                data-testid="pending-remove"
              />
            </Group>
            {!p.upload && !p.error && (
              <Progress
                value={p.progress * 100}
                size="xs"
                mt={4}
                aria-label={t('composer.uploadProgress', { name: p.name })}
              />
            )}
          </Paper>
        );
      })}
    </Group>
  );
}
