import { Alert, Button, Collapse, Group, Paper, Select, Stack, Text, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useState } from 'react';
import type { Message, MessagingWindow } from '../../api/types.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import {
  type ProviderTemplate,
  previewBody,
  useProviderTemplates,
  useSendTemplate,
} from './provider-templates.ts';

const MAX_MANUAL_VARIABLES = 20;

/**
 * What may still go out while the messaging window is closed: on WhatsApp an approved template (picked
 * from the business account's list, or named by hand when the channel cannot list them), with its
 * variables filled in; elsewhere nothing until the customer writes again.
 */
export function TemplateFallback({
  conversationId,
  fallback,
  channelId,
  onSent,
}: {
  conversationId: string;
  fallback: MessagingWindow['fallback'];
  /** Another of the customer's channels: the template goes there (the reply-via choice). */
  channelId?: string;
  onSent?(m: Message): void;
}) {
  const { t } = useI18n();
  const [opened, form] = useDisclosure(false);
  if (fallback === 'none')
    return (
      <Text
        size="xs"
        c="dimmed"
        px="sm"
        py={4}
        data-testid="window-no-fallback"
        style={{ borderTop: '1px solid var(--mantine-color-gray-3)' }}
      >
        {t('window.nothingCanBeSent')}
      </Text>
    );
  return (
    <Stack gap={4} px="sm" py={6} style={{ borderTop: '1px solid var(--mantine-color-gray-3)' }}>
      <Group justify="space-between" gap="xs" wrap="nowrap">
        <Text size="xs" c="dimmed">
          {t('window.templateOnly')}
        </Text>
        <Button
          size="compact-xs"
          variant={opened ? 'subtle' : 'light'}
          onClick={form.toggle}
          aria-expanded={opened}
          data-testid="template-fallback-open"
          style={{ flexShrink: 0 }}
        >
          {opened ? t('common.cancel') : t('tplSend.open')}
        </Button>
      </Group>
      <Collapse expanded={opened}>
        {opened && (
          <TemplateForm
            conversationId={conversationId}
            channelId={channelId}
            onSent={(m) => {
              form.close();
              onSent?.(m);
            }}
          />
        )}
      </Collapse>
    </Stack>
  );
}

function TemplateForm({
  conversationId,
  channelId,
  onSent,
}: {
  conversationId: string;
  channelId?: string;
  onSent(m: Message): void;
}) {
  const { t } = useI18n();
  const list = useProviderTemplates(conversationId, true, channelId);
  const send = useSendTemplate(conversationId, channelId);
  const items = list.data?.items ?? [];
  const [picked, setPicked] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [language, setLanguage] = useState('');
  const [body, setBody] = useState<string[]>([]);
  const [header, setHeader] = useState<string[]>([]);
  const chosen: ProviderTemplate | undefined = picked !== null ? items[Number(picked)] : undefined;
  const manual = !list.isPending && items.length === 0;

  function pick(v: string | null) {
    setPicked(v);
    const tpl = v !== null ? items[Number(v)] : undefined;
    setBody(Array.from({ length: tpl?.bodyParameters ?? 0 }, () => ''));
    setHeader(Array.from({ length: tpl?.headerParameters ?? 0 }, () => ''));
  }

  const target = chosen
    ? { name: chosen.name, language: chosen.language }
    : { name: name.trim(), language: language.trim() };
  const ready =
    target.name !== '' &&
    target.language !== '' &&
    (chosen !== undefined || manual) &&
    [...body, ...header].every((v) => v.trim() !== '');

  function submit() {
    if (!ready) return;
    send.mutate(
      { ...target, bodyParameters: body.map((v) => v.trim()), headerParameters: header.map((v) => v.trim()) },
      { onSuccess: onSent },
    );
  }

  const setAt = (arr: string[], set: (a: string[]) => void, i: number, v: string) =>
    set(arr.map((x, j) => (j === i ? v : x)));

  return (
    <Paper withBorder p="xs" mt={4} data-testid="template-fallback">
      <Stack gap={6}>
        {list.isError && (
          <Alert color="orange" variant="light" p="xs">
            <Text size="xs">{t('tplSend.listFailed')}</Text>
          </Alert>
        )}
        {list.data?.reason === 'no_business_account' && (
          <Text size="xs" c="dimmed">
            {t('tplSend.noList')}
          </Text>
        )}
        {items.length > 0 && (
          <Select
            size="xs"
            label={t('tplSend.template')}
            placeholder={t('tplSend.pick')}
            data={items.map((tpl, i) => ({ value: String(i), label: `${tpl.name} · ${tpl.language}` }))}
            value={picked}
            onChange={pick}
            searchable
            comboboxProps={{ withinPortal: true }}
            data-testid="template-select"
          />
        )}
        {manual && (
          <Group gap="xs" grow>
            <TextInput
              size="xs"
              label={t('tplSend.name')}
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              data-testid="template-name"
            />
            <TextInput
              size="xs"
              label={t('tplSend.language')}
              placeholder="en_US"
              value={language}
              onChange={(e) => setLanguage(e.currentTarget.value)}
              data-testid="template-language"
            />
          </Group>
        )}
        {chosen?.body && (
          <Paper bg="gray.0" p="xs" radius="sm">
            <Text
              size="sm"
              className="sb-text"
              data-testid="template-preview"
              style={{ whiteSpace: 'pre-wrap' }}
            >
              {previewBody(chosen.body, body)}
            </Text>
          </Paper>
        )}
        {header.map((v, i) => (
          <TextInput
            // biome-ignore lint/suspicious/noArrayIndexKey: a placeholder's position is its identity
            key={`h${i}`}
            size="xs"
            label={t('tplSend.headerVariable', { n: i + 1 })}
            value={v}
            onChange={(e) => setAt(header, setHeader, i, e.currentTarget.value)}
          />
        ))}
        {body.map((v, i) => (
          <TextInput
            // biome-ignore lint/suspicious/noArrayIndexKey: a placeholder's position is its identity
            key={`b${i}`}
            size="xs"
            label={t('tplSend.variable', { n: i + 1 })}
            value={v}
            onChange={(e) => setAt(body, setBody, i, e.currentTarget.value)}
            data-testid="template-variable"
          />
        ))}
        {send.isError && <ErrorAlert error={send.error} />}
        <Group justify="space-between" gap="xs">
          {manual ? (
            <Button
              size="compact-xs"
              variant="subtle"
              disabled={body.length >= MAX_MANUAL_VARIABLES}
              onClick={() => setBody([...body, ''])}
            >
              {t('tplSend.addVariable')}
            </Button>
          ) : (
            <span />
          )}
          <Button
            size="xs"
            onClick={submit}
            disabled={!ready}
            loading={send.isPending}
            data-testid="template-send"
          >
            {t('tplSend.send')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
