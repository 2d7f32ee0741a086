import {
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useChannels } from '../../api/directory.ts';
import { patch, post } from '../../api/http.ts';
import type { Channel } from '../../api/types.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { SecretField } from '../../components/secret-field.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { navigate } from '../../lib/router.ts';
import type { SettingField } from '@switchboard/shared';
import { findType, localized, typeLabel, useChannelTypes } from '../../api/channel-types.ts';
import { CONNECTION_FIELDS, formFields, toSettings } from './channel-types.ts';
import { SettingInput } from './setting-input.tsx';
import { ChannelHealthNotice } from './channel-health.tsx';
import { editFields, editedSettings, initialEditValues } from './channel-settings-edit.ts';
import { routingHref } from './routing/routing-page.tsx';
import { CopyableCode, createdMessageKey } from '../first-steps/channel-created.tsx';
import { CsatSettingsForm } from '../csat/csat-settings-form.tsx';

function Connection({ channel }: { channel: Channel }) {
  const { t } = useI18n();
  const c = channel.connection ?? {};
  return (
    <Stack gap={6}>
      {CONNECTION_FIELDS.map((f) => {
        const v = c[f.key];
        if (typeof v !== 'string' || !v) return null;
        if (f.code) return <CopyableCode key={f.key} label={t(f.label)} value={v} />;
        return <SecretField key={f.key} label={t(f.label)} value={v} secret={f.secret} testId={f.testId} />;
      })}
    </Stack>
  );
}

function CreateChannel({ onCreated }: { onCreated(c: Channel): void }) {
  const { t, lang } = useI18n();
  const qc = useQueryClient();
  const types = useChannelTypes();
  const [type, setType] = useState('api');
  const [name, setName] = useState('');
  const [values, setValues] = useState<Record<string, string>>({});
  const [showAdvanced, setShowAdvanced] = useState(false);
  const form = findType(types.data, type)?.settingsForm ?? [];
  const { main, advanced } = formFields(form);
  const create = useMutation({
    mutationFn: () =>
      post<Channel>('/api/v1/channels', { type, name: name.trim(), settings: toSettings(form, values) }),
    onSuccess: (c) => {
      void qc.invalidateQueries({ queryKey: ['channels'] });
      onCreated(c);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  const input = (f: SettingField) => (
    <SettingInput
      key={`${type}.${f.name}`}
      field={f}
      value={values[f.name] ?? ''}
      onChange={(v) => setValues((old) => ({ ...old, [f.name]: v }))}
    />
  );
  return (
    <form onSubmit={submit}>
      <Stack>
        {types.isError && <ErrorAlert error={types.error} onRetry={() => void types.refetch()} />}
        <Select
          label={t('admin.channels.type')}
          value={type}
          allowDeselect={false}
          onChange={(v) => v && setType(v)}
          data={(types.data ?? []).map((ct) => ({ value: ct.type, label: localized(ct.label, lang) }))}
          comboboxProps={{ withinPortal: true }}
          data-testid="channel-type"
        />
        <TextInput
          label={t('admin.channels.name')}
          required
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          data-testid="channel-name"
        />
        {main.map(input)}
        {advanced.length > 0 && (
          <Button
            variant="subtle"
            size="compact-sm"
            onClick={() => setShowAdvanced((v) => !v)}
            data-testid="channel-advanced"
            style={{ alignSelf: 'flex-start' }}
          >
            {showAdvanced ? t('admin.channels.lessSettings') : t('admin.channels.moreSettings')}
          </Button>
        )}
        {showAdvanced && advanced.map(input)}
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

/**
 * Rename a channel and change its settings: an API channel's callback URL, other types' settings form
 * (secrets are never shown back; an empty secret field keeps the stored one, a new value replaces it).
 */
function EditChannel({ channel, onDone }: { channel: Channel; onDone(): void }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const types = useChannelTypes();
  const [name, setName] = useState(channel.name);
  const [callbackUrl, setCallbackUrl] = useState(
    typeof channel.settings.callbackUrl === 'string' ? channel.settings.callbackUrl : '',
  );
  // Other types: their settings form, from what is stored; saved (and re-checked at the provider) only
  // when something in it changed, e.g. a renewed access token or a switch.
  const { main, advanced } = formFields(findType(types.data, channel.type)?.settingsForm ?? []);
  const form = channel.type === 'api' ? [] : editFields([...main, ...advanced]);
  const [values, setValues] = useState<Record<string, string> | null>(null);
  const current = values ?? initialEditValues(form, channel.settings);
  const save = useMutation({
    mutationFn: () =>
      patch<Channel>(`/api/v1/channels/${encodeURIComponent(channel.id)}`, {
        name: name.trim(),
        ...(channel.type === 'api'
          ? { settings: callbackUrl.trim() ? { callbackUrl: callbackUrl.trim() } : {} }
          : values
            ? { settings: editedSettings(form, values) }
            : {}),
      }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['channels'] });
      onDone();
    },
  });
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <Stack>
        <TextInput
          label={t('admin.channels.name')}
          required
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
        />
        {channel.type === 'api' && (
          <TextInput
            label={t('admin.channels.callbackUrl')}
            description={t('admin.channels.callbackHelp')}
            type="url"
            placeholder="https://"
            value={callbackUrl}
            onChange={(e) => setCallbackUrl(e.currentTarget.value)}
            data-testid="channel-edit-callback"
          />
        )}
        {form.map((f) => (
          <SettingInput
            key={f.name}
            field={f}
            value={current[f.name] ?? ''}
            onChange={(v) => setValues({ ...current, [f.name]: v })}
          />
        ))}
        {save.isError && <ErrorAlert error={save.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={save.isPending} data-testid="channel-save">
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Channels: create an API channel and hand its webhook URL and secret to the business's system. */
export function ChannelsPage() {
  const { t, fmt, lang } = useI18n();
  const types = useChannelTypes();
  const qc = useQueryClient();
  const channels = useChannels();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<Channel | null>(null);
  // The channel stays set while the dialog animates closed, so its content does not vanish first.
  const [editing, setEditing] = useState<Channel | null>(null);
  const [editOpen, setEditOpen] = useState(false);
  const [surveyFor, setSurveyFor] = useState<Channel | null>(null);
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
          {t('admin.channels.newAny')}
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
            <Text size="sm" data-testid="channel-created-message">
              {t(createdMessageKey(created.type))}
            </Text>
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
                <Badge variant="light">{typeLabel(types.data, c.type, lang)}</Badge>
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
                  onClick={() => {
                    setEditing(c);
                    setEditOpen(true);
                  }}
                  data-testid="channel-edit"
                >
                  {t('admin.channels.edit')}
                </Button>
                <Button
                  size="xs"
                  variant="default"
                  component="a"
                  href={routingHref(c.id)}
                  onClick={(e: React.MouseEvent) => {
                    e.preventDefault();
                    navigate(routingHref(c.id));
                  }}
                  data-testid="channel-routing"
                >
                  {t('routing.open')}
                </Button>
                <Button
                  size="xs"
                  variant="default"
                  onClick={() => setSurveyFor(c)}
                  data-testid="channel-csat"
                >
                  {t('csat.open')}
                </Button>
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
            <ChannelHealthNotice channel={c} />
            <Connection channel={c} />
          </Stack>
        </Paper>
      ))}
      <Modal
        opened={editOpen}
        onClose={() => setEditOpen(false)}
        closeButtonProps={{ 'aria-label': t('common.close') }}
        title={editing?.name}
        centered
      >
        {editing && <EditChannel key={editing.id} channel={editing} onDone={() => setEditOpen(false)} />}
      </Modal>
      <Modal
        opened={surveyFor !== null}
        onClose={() => setSurveyFor(null)}
        closeButtonProps={{ 'aria-label': t('common.close') }}
        title={surveyFor ? t('csat.title', { channel: surveyFor.name }) : ''}
        centered
        size="lg"
      >
        {surveyFor && <CsatSettingsForm channelId={surveyFor.id} onDone={() => setSurveyFor(null)} />}
      </Modal>
      <Modal
        opened={creating}
        onClose={() => setCreating(false)}
        closeButtonProps={{ 'aria-label': t('common.close') }}
        title={t('admin.channels.newAny')}
        centered
      >
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
