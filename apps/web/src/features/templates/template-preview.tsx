import { Alert, Paper, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useI18n } from '../../i18n/i18n.tsx';
import { previewText } from './templates-api.ts';

/** The text as a customer would read it, filled with sample values; unknown variables are called out. */
export function TemplatePreview({ text }: { text: string }) {
  const { t } = useI18n();
  const [debounced] = useDebouncedValue(text, 300);
  const preview = useQuery({
    queryKey: ['template-preview', debounced],
    queryFn: () => previewText(debounced),
    enabled: debounced.trim().length > 0,
    staleTime: 30_000,
    placeholderData: (prev) => prev,
  });
  const unknown = (preview.data?.variables ?? []).filter((v) => !v.known).map((v) => `{{${v.name}}}`);
  return (
    <Paper withBorder p="sm" bg="gray.0" data-testid="template-preview">
      <Text size="xs" c="dimmed" mb={4}>
        {t('tpl.preview')} · {t('tpl.previewSample')}
      </Text>
      <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} data-testid="template-preview-text">
        {debounced.trim() ? (preview.data?.text ?? '') : ''}
      </Text>
      {debounced.trim() && unknown.length > 0 && (
        <Alert color="orange" variant="light" mt="xs" p="xs" data-testid="template-preview-unknown">
          {t('tpl.unknownVars', { names: unknown.join(', ') })}
        </Alert>
      )}
    </Paper>
  );
}
