import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Group,
  MultiSelect,
  NumberInput,
  SegmentedControl,
  Select,
  Stack,
  Table,
  TagsInput,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import {
  BOT_DEFAULT_HANDOFF_KEYWORDS,
  BOT_DEFAULT_REPLY_TIMEOUT_SECONDS,
  type BotDto,
  type BotKind,
  type CreatedBot,
  MENU_ACTIONS,
  type MenuOption,
} from '@switchboard/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useChannels, useTeams } from '../../api/directory.ts';
import { del, get, patch, post } from '../../api/http.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { SecretField } from '../../components/secret-field.tsx';
import { useI18n } from '../../i18n/i18n.tsx';

const KEY = ['bots'];

/** An option being edited; `key` keeps React's rows stable while options are removed. */
type DraftOption = MenuOption & { key: number };
let nextKey = 0;
const emptyOption = (): DraftOption => ({ key: nextKey++, title: '', action: 'reply', reply: '' });

/**
 * Administration › Bots: add an agent bot (its URL; the token and secret are shown once) or a menu bot
 * (greeting and numbered options, no code), choose its channels, turn it off or delete it.
 */
export function BotsPage() {
  const { t } = useI18n();
  const qc = useQueryClient();
  const channels = useChannels();
  const teams = useTeams();
  const bots = useQuery({
    queryKey: KEY,
    queryFn: () => get<{ items: BotDto[] }>('/api/v1/bots').then((r) => r.items),
  });
  const [kind, setKind] = useState<BotKind>('agent');
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [channelIds, setChannelIds] = useState<string[]>([]);
  const [keywords, setKeywords] = useState<string[]>([...BOT_DEFAULT_HANDOFF_KEYWORDS]);
  const [timeout, setTimeoutSeconds] = useState<number>(BOT_DEFAULT_REPLY_TIMEOUT_SECONDS);
  const [greeting, setGreeting] = useState('');
  const [options, setOptions] = useState<DraftOption[]>([emptyOption()]);
  const [fresh, setFresh] = useState<CreatedBot | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const refresh = () => void qc.invalidateQueries({ queryKey: KEY });

  const create = useMutation({
    mutationFn: () =>
      post<CreatedBot>('/api/v1/bots', {
        name: name.trim(),
        kind,
        channelIds,
        handoffKeywords: keywords,
        replyTimeoutSeconds: timeout,
        ...(kind === 'agent'
          ? { url: url.trim() }
          : { menu: { greeting: greeting.trim(), options: options.map(cleanOption) } }),
      }),
    onSuccess: (b) => {
      setName('');
      setUrl('');
      setGreeting('');
      setOptions([emptyOption()]);
      setChannelIds([]);
      if (b.token) setFresh(b);
      refresh();
    },
  });
  const toggle = useMutation({
    mutationFn: (b: BotDto) => patch<BotDto>(`/api/v1/bots/${b.id}`, { active: !b.active }),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: (id: string) => del(`/api/v1/bots/${id}`),
    onSuccess: refresh,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  const setOption = (i: number, o: Partial<MenuOption>) =>
    setOptions((all) => all.map((x, j) => (j === i ? { ...x, ...o } : x)));
  const channelName = (id: string) => channels.data?.find((c) => c.id === id)?.name ?? id;

  return (
    <Stack maw={1100} data-testid="bots-page">
      <Title order={1} size="h3">
        {t('bots.title')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('bots.intro')}
      </Text>
      <form onSubmit={submit} data-testid="bot-form">
        <Stack gap="xs">
          <SegmentedControl
            value={kind}
            onChange={(v) => setKind(v as BotKind)}
            data={[
              { value: 'agent', label: t('bots.kind.agent') },
              { value: 'menu', label: t('bots.kind.menu') },
            ]}
            data-testid="bot-kind"
          />
          <TextInput
            label={t('bots.name')}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            data-testid="bot-name"
          />
          {kind === 'agent' && (
            <TextInput
              label={t('bots.url')}
              placeholder="https://bot.example.com/switchboard"
              value={url}
              onChange={(e) => setUrl(e.currentTarget.value)}
              data-testid="bot-url"
            />
          )}
          <MultiSelect
            label={t('bots.channels')}
            value={channelIds}
            onChange={setChannelIds}
            data={(channels.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
            data-testid="bot-channels"
          />
          <TagsInput
            label={t('bots.keywords')}
            value={keywords}
            onChange={setKeywords}
            data-testid="bot-keywords"
          />
          {kind === 'agent' && (
            <NumberInput
              label={t('bots.timeout')}
              value={timeout}
              min={5}
              max={86400}
              onChange={(v) => setTimeoutSeconds(Number(v) || BOT_DEFAULT_REPLY_TIMEOUT_SECONDS)}
              data-testid="bot-timeout"
              w={320}
            />
          )}
          {kind === 'menu' && (
            <Stack gap="xs" data-testid="bot-menu">
              <Textarea
                label={t('bots.greeting')}
                value={greeting}
                onChange={(e) => setGreeting(e.currentTarget.value)}
                autosize
                minRows={2}
                data-testid="bot-greeting"
              />
              <Text size="sm" fw={500}>
                {t('bots.options')}
              </Text>
              {options.map((o, i) => (
                <Group key={o.key} align="flex-end" gap="xs" wrap="wrap" data-testid={`bot-option-${i}`}>
                  <Text w={20}>{i + 1}.</Text>
                  <TextInput
                    label={t('bots.option.title')}
                    value={o.title}
                    onChange={(e) => setOption(i, { title: e.currentTarget.value })}
                    data-testid={`bot-option-${i}-title`}
                  />
                  <Select
                    label={t('bots.option.action')}
                    value={o.action}
                    allowDeselect={false}
                    onChange={(v) => v && setOption(i, { action: v as MenuOption['action'] })}
                    data={MENU_ACTIONS.map((a) => ({ value: a, label: t(`bots.action.${a}`) }))}
                    data-testid={`bot-option-${i}-action`}
                    w={260}
                  />
                  {(o.action === 'reply' || o.action === 'label') && (
                    <TextInput
                      label={t('bots.option.reply')}
                      value={o.reply ?? ''}
                      onChange={(e) => setOption(i, { reply: e.currentTarget.value })}
                      data-testid={`bot-option-${i}-reply`}
                    />
                  )}
                  {o.action === 'label' && (
                    <TextInput
                      label={t('bots.option.label')}
                      value={o.label ?? ''}
                      onChange={(e) => setOption(i, { label: e.currentTarget.value })}
                      data-testid={`bot-option-${i}-label`}
                    />
                  )}
                  {o.action === 'team' && (
                    <Select
                      label={t('bots.option.team')}
                      value={o.teamId ?? null}
                      onChange={(v) => setOption(i, { teamId: v ?? undefined })}
                      data={(teams.data ?? []).map((tm) => ({ value: tm.id, label: tm.name }))}
                      data-testid={`bot-option-${i}-team`}
                    />
                  )}
                  {options.length > 1 && (
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      aria-label={t('bots.removeOption')}
                      onClick={() => setOptions((all) => all.filter((_, j) => j !== i))}
                    >
                      ×
                    </ActionIcon>
                  )}
                </Group>
              ))}
              {options.length < 9 && (
                <Group>
                  <Button
                    size="xs"
                    variant="light"
                    onClick={() => setOptions((all) => [...all, emptyOption()])}
                    data-testid="bot-add-option"
                  >
                    {t('bots.addOption')}
                  </Button>
                </Group>
              )}
            </Stack>
          )}
          <Group>
            <Button type="submit" loading={create.isPending} disabled={!name.trim()} data-testid="bot-save">
              {t('bots.add')}
            </Button>
          </Group>
        </Stack>
      </form>
      {create.isError && <ErrorAlert error={create.error} />}
      {(toggle.isError || remove.isError) && <ErrorAlert error={toggle.error ?? remove.error} />}
      {fresh?.token && fresh.secret && (
        <Alert color="green" withCloseButton onClose={() => setFresh(null)} data-testid="bot-created">
          <Stack gap="xs">
            <Text size="sm">{t('bots.createdOnce')}</Text>
            <SecretField label={t('bots.token')} value={fresh.token} testId="bot-token" />
            <SecretField label={t('bots.secret')} value={fresh.secret} testId="bot-secret" />
          </Stack>
        </Alert>
      )}
      {bots.isError && <ErrorAlert error={bots.error} onRetry={() => void bots.refetch()} />}
      {bots.data?.length === 0 && <Text c="dimmed">{t('bots.empty')}</Text>}
      {bots.data && bots.data.length > 0 && (
        <Table.ScrollContainer minWidth={720}>
          <Table verticalSpacing="xs" data-testid="bots">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('bots.name')}</Table.Th>
                <Table.Th>{t('bots.kind')}</Table.Th>
                <Table.Th>{t('bots.channels')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {bots.data.map((b) => (
                <Table.Tr key={b.id} data-bot-id={b.id}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {b.name}
                    </Text>
                    {b.url && (
                      <Text size="xs" ff="monospace" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                        {b.url}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{t(`bots.kind.${b.kind}`)}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{b.channelIds.map(channelName).join(', ')}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap" justify="flex-end">
                      <Badge
                        color={b.delivery?.pausedAt ? 'orange' : b.active ? 'green' : 'gray'}
                        variant="light"
                        data-testid="bot-state"
                      >
                        {b.delivery?.pausedAt
                          ? t('bots.paused')
                          : b.active
                            ? t('bots.active')
                            : t('bots.inactive')}
                      </Badge>
                      <Button size="xs" variant="default" onClick={() => toggle.mutate(b)}>
                        {b.active ? t('bots.turnOff') : t('bots.turnOn')}
                      </Button>
                      <Button
                        size="xs"
                        variant={confirming === b.id ? 'filled' : 'subtle'}
                        color="red"
                        onClick={() => (confirming === b.id ? remove.mutate(b.id) : setConfirming(b.id))}
                      >
                        {confirming === b.id ? t('bots.confirmDelete') : t('bots.delete')}
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}

/** Only the fields the chosen action uses go to the server. */
function cleanOption(o: DraftOption): MenuOption {
  const base = { title: o.title.trim(), action: o.action };
  if (o.action === 'reply') return { ...base, reply: o.reply?.trim() ?? '' };
  if (o.action === 'label')
    return { ...base, label: o.label?.trim() ?? '', ...(o.reply?.trim() ? { reply: o.reply.trim() } : {}) };
  if (o.action === 'team') return { ...base, ...(o.teamId ? { teamId: o.teamId } : {}) };
  return base;
}
