import { Alert, Badge, Button, Group, Modal, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useChannels } from '../../api/directory.ts';
import { patch, post } from '../../api/http.ts';
import type { Channel } from '../../api/types.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { SecretField } from '../../components/secret-field.tsx';
import { useI18n } from '../../i18n/i18n.tsx';

function Connection({ channel }: { channel: Channel }) {
  const { t } = useI18n();
  const c = channel.connection ?? {};
  const str = (k: string) => (typeof c[k] === 'string' ? (c[k] as string) : null);
  const webhookUrl = str('webhookUrl');
  const secret = str('secret');
  const header = str('signatureHeader');
  return (
    <Stack gap={6}>
      {webhookUrl && (
        <SecretField label={t('admin.channels.webhookUrl')} value={webhookUrl} testId="channel-webhook-url" />
      )}
      {secret && (
        <SecretField label={t('admin.channels.secret')} value={secret} secret testId="channel-secret" />
      )}
      {header && <SecretField label={t('admin.channels.signatureHeader')} value={header} />}
    </Stack>
  );
}

function CreateChannel({ onCreated }: { onCreated(c: Channel): void }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const [name, setName] = useState('');
  const [callbackUrl, setCallbackUrl] = useState('');
  const create = useMutation({
    mutationFn: () =>
      post<Channel>('/api/v1/channels', {
        type: 'api',
        name: name.trim(),
        settings: callbackUrl.trim() ? { callbackUrl: callbackUrl.trim() } : {},
      }),
    onSuccess: (c) => {
      void qc.invalidateQueries({ queryKey: ['channels'] });
      onCreated(c);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <form onSubmit={submit}>
      <Stack>
        <TextInput
          label={t('admin.channels.type')}
          value={t('admin.channels.typeApi')}
          readOnly
          variant="filled"
        />
        <TextInput
          label={t('admin.channels.name')}
          required
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          data-testid="channel-name"
        />
        <TextInput
          label={t('admin.channels.callbackUrl')}
          description={t('admin.channels.callbackHelp')}
          type="url"
          placeholder="https://"
          value={callbackUrl}
          onChange={(e) => setCallbackUrl(e.currentTarget.value)}
        />
        {create.isError && <ErrorAlert error={create.error} />}
        <Group justify="flex-end">
          <Button type="submit" loading={create.isPending} data-testid="channel-create">
            {t('common.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Channels: create an API channel and hand its webhook URL and secret to the business's system. */
export function ChannelsPage() {
  const { t, fmt } = useI18n();
  const qc = useQueryClient();
  const channels = useChannels();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<Channel | null>(null);
  const toggle = useMutation({
    mutationFn: (c: Channel) =>
      patch<Channel>(`/api/v1/channels/${encodeURIComponent(c.id)}`, { active: !c.active }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['channels'] }),
  });

  return (
    <Stack maw={900}>
      <Group justify="space-between">
        <Title order={1} size="h3">
          {t('admin.channels.title')}
        </Title>
        <Button onClick={() => setCreating(true)} data-testid="channel-new">
          {t('admin.channels.new')}
        </Button>
      </Group>
      {created && (
        <Alert
          color="green"
          title={created.name}
          withCloseButton
          onClose={() => setCreated(null)}
          data-testid="channel-created"
        >
          <Stack gap="xs">
            <Text size="sm">{t('admin.channels.created')}</Text>
            <Connection channel={created} />
          </Stack>
        </Alert>
      )}
      {channels.isError && <ErrorAlert error={channels.error} onRetry={() => void channels.refetch()} />}
      {toggle.isError && <ErrorAlert error={toggle.error} />}
      {channels.data?.length === 0 && <Text c="dimmed">{t('admin.channels.empty')}</Text>}
      {channels.data?.map((c) => (
        <Paper key={c.id} withBorder p="md" data-testid="channel-card">
          <Stack gap="sm">
            <Group justify="space-between" wrap="wrap">
              <Group gap="xs">
                <Text fw={600}>{c.name}</Text>
                <Badge variant="light">{c.type === 'api' ? 'API' : c.type}</Badge>
                <Badge color={c.active ? 'green' : 'gray'} variant="light">
                  {c.active ? t('admin.channels.active') : t('admin.channels.inactive')}
                </Badge>
              </Group>
              <Group gap="xs">
                <Text size="xs" c="dimmed">
                  {fmt.dateTime(c.createdAt)}
                </Text>
                <Button
                  size="xs"
                  variant="default"
                  onClick={() => toggle.mutate(c)}
                  loading={toggle.isPending && toggle.variables?.id === c.id}
                >
                  {c.active ? t('admin.channels.deactivate') : t('admin.channels.activate')}
                </Button>
              </Group>
            </Group>
            <Connection channel={c} />
          </Stack>
        </Paper>
      ))}
      <Modal opened={creating} onClose={() => setCreating(false)} title={t('admin.channels.new')} centered>
        <CreateChannel
          onCreated={(c) => {
            setCreating(false);
            setCreated(c);
          }}
        />
      </Modal>
    </Stack>
  );
}
