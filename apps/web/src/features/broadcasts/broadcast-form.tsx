import { useChannelNaming } from '../../api/channel-types.ts';
import {
  Alert,
  Anchor,
  Autocomplete,
  Button,
  Group,
  Paper,
  Radio,
  Select,
  Stack,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { type FormEvent, useEffect, useMemo, useRef, useState } from 'react';
import { useChannels } from '../../api/directory.ts';
import { ApiError } from '../../api/http.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { navigate } from '../../lib/router.ts';
import { uuid } from '../../lib/uuid.ts';
import { useSegments } from '../contacts/contacts-api.ts';
import { BroadcastConfirm } from './broadcast-confirm.tsx';
import { go } from './broadcast-list.tsx';
import {
  type BroadcastForm,
  EMPTY_FORM,
  type FormField,
  broadcastBody,
  effectiveKind,
  missingFields,
  parseContactIds,
  serverFieldErrors,
} from './broadcast-form.ts';
import {
  type BroadcastPreview,
  useCreateBroadcast,
  useLabelSuggestions,
  usePreview,
} from './broadcasts-api.ts';

/** An endpoint this server does not have (an older one): the form then sends without a preview. */
const noSuchRoute = (err: unknown) =>
  err instanceof ApiError && err.status === 404 && err.message.startsWith('No route');

/**
 * A new broadcast in two steps: the form, then a check that shows how many contacts it reaches and
 * what would become of them if sent now. The client id is fixed per content, so a double click or a
 * retry after a lost answer never sends it twice.
 */
export function BroadcastFormPage() {
  const { t, fmt } = useI18n();
  const channels = useChannels();
  const active = (channels.data ?? []).filter((c) => c.active);
  const [form, setForm] = useState<BroadcastForm>(EMPTY_FORM);
  const [step, setStep] = useState<'edit' | 'confirm'>('edit');
  const [preview, setPreview] = useState<BroadcastPreview | null>(null);
  const [missing, setMissing] = useState<ReturnType<typeof missingFields>>({});
  const previewing = usePreview();
  const create = useCreateBroadcast();
  const channelType = active.find((c) => c.id === form.channelId)?.type;
  const names = useChannelNaming();
  const templates = channelType ? (names.find(channelType)?.capabilities.window.templates ?? false) : false;
  const kind = effectiveKind(form, templates);
  const body = useMemo(() => broadcastBody(form, templates), [form, templates]);
  const clientId = useRef<{ key: string; id: string } | null>(null);
  const confirmRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // The check appears below a long form: bring it (and its Send button) into view.
    if (step === 'confirm') confirmRef.current?.scrollIntoView({ block: 'nearest' });
  }, [step]);

  const [labelQuery] = useDebouncedValue(form.label.trim(), 200);
  const labels = useLabelSuggestions(labelQuery);
  const segments = useSegments();
  const labelCounts = new Map((labels.data?.items ?? []).map((l) => [l.label, l.count]));

  const failed = create.error ?? previewing.error;
  const server = serverFieldErrors(t, failed);
  const fieldError = (f: FormField): string | undefined => {
    const m = missing[f];
    if (m === 'required') return t('broadcasts.form.required');
    if (m === 'audience') return t('broadcasts.form.audienceRequired');
    return server.fields[f];
  };
  const generalError =
    failed && Object.keys(server.fields).length === 0 && !noSuchRoute(failed) ? failed : null;

  const set = (patch: Partial<BroadcastForm>) => {
    setForm((f) => ({ ...f, ...patch }));
    setMissing({});
    previewing.reset();
    create.reset();
  };

  const review = (e: FormEvent) => {
    e.preventDefault();
    const m = missingFields(form, templates);
    setMissing(m);
    if (Object.keys(m).length) return;
    previewing.mutate(
      {
        channelId: body.channelId,
        contactIds: body.contactIds,
        label: body.label,
        segmentId: body.segmentId,
        kind,
      },
      {
        onSuccess: (p) => {
          setPreview(p);
          setStep('confirm');
        },
        onError: (err) => {
          if (!noSuchRoute(err)) return;
          setPreview(null);
          setStep('confirm');
        },
      },
    );
  };

  const send = () => {
    const key = JSON.stringify(body);
    if (clientId.current?.key !== key) clientId.current = { key, id: uuid() };
    create.mutate(
      { ...body, clientBroadcastId: clientId.current.id },
      {
        onSuccess: (b) => navigate(`/broadcasts/${encodeURIComponent(b.id)}`, { replace: true }),
        onError: (err) => {
          if (Object.keys(serverFieldErrors(t, err).fields).length) setStep('edit');
        },
      },
    );
  };

  const idsCount = parseContactIds(form.ids).length;
  const n = (v: number) => fmt.number(v);

  return (
    <Stack maw={720}>
      <Anchor href="/broadcasts" onClick={(e: React.MouseEvent) => go(e, '/broadcasts')} size="sm">
        ← {t('broadcasts.back')}
      </Anchor>
      <Title order={1} size="h3">
        {t('broadcasts.new')}
      </Title>
      {channels.isError && <ErrorAlert error={channels.error} onRetry={() => void channels.refetch()} />}
      {channels.isSuccess && active.length === 0 && (
        <Alert color="yellow">{t('broadcasts.form.channelNone')}</Alert>
      )}
      <form onSubmit={review} noValidate data-testid="broadcast-form">
        <fieldset disabled={step === 'confirm'} style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}>
          <Stack>
            <TextInput
              label={t('broadcasts.form.name')}
              placeholder={t('broadcasts.form.namePlaceholder')}
              value={form.name}
              maxLength={200}
              onChange={(e) => set({ name: e.currentTarget.value })}
              error={fieldError('name')}
              data-testid="broadcast-name"
            />
            <Select
              label={t('broadcasts.form.channel')}
              required
              value={form.channelId}
              onChange={(v) => set({ channelId: v })}
              data={active.map((c) => ({ value: c.id, label: c.name }))}
              error={fieldError('channelId')}
              allowDeselect={false}
              data-testid="broadcast-channel"
            />
            <Paper withBorder p="sm">
              <Stack gap="sm">
                <Text fw={600} size="sm" id="broadcast-audience-title">
                  {t('broadcasts.form.audience')}
                </Text>
                <Select
                  label={t('broadcasts.form.segment')}
                  description={t('broadcasts.form.segmentHint')}
                  data={(segments.data ?? []).map((sg) => ({ value: sg.id, label: sg.name }))}
                  value={form.segmentId}
                  onChange={(v) => set({ segmentId: v })}
                  clearable
                  searchable
                  error={fieldError('segmentId')}
                  data-testid="broadcast-segment"
                />
                <Autocomplete
                  label={t('broadcasts.form.label')}
                  description={t('broadcasts.form.labelHint')}
                  value={form.label}
                  onChange={(v) => set({ label: v })}
                  data={[...labelCounts.keys()]}
                  filter={({ options }) => options}
                  renderOption={({ option }) => (
                    <Group justify="space-between" wrap="nowrap" w="100%" gap="xs">
                      <Text size="sm" className="sb-text">
                        {option.value}
                      </Text>
                      <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                        {t('broadcasts.form.labelMembers', { n: n(labelCounts.get(option.value) ?? 0) })}
                      </Text>
                    </Group>
                  )}
                  maxLength={100}
                  error={fieldError('label')}
                  data-testid="broadcast-label"
                />
                <Textarea
                  label={t('broadcasts.form.ids')}
                  description={t('broadcasts.form.idsHint')}
                  value={form.ids}
                  onChange={(e) => set({ ids: e.currentTarget.value })}
                  autosize
                  minRows={2}
                  maxRows={8}
                  error={fieldError('contactIds')}
                  styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
                  data-testid="broadcast-ids"
                />
                {idsCount > 0 && (
                  <Text size="xs" c="dimmed" data-testid="broadcast-ids-count">
                    {t('broadcasts.form.idsCount', { n: n(idsCount) })}
                  </Text>
                )}
              </Stack>
            </Paper>
            <Paper withBorder p="sm">
              <Stack gap="sm">
                {templates && (
                  <Radio.Group
                    label={t('broadcasts.form.kind')}
                    value={form.kind}
                    onChange={(v) => set({ kind: v === 'template' ? 'template' : 'text' })}
                  >
                    <Group mt={4}>
                      <Radio
                        value="text"
                        label={t('broadcasts.form.kindText')}
                        data-testid="broadcast-kind-text"
                      />
                      <Radio
                        value="template"
                        label={t('broadcasts.form.kindTemplate')}
                        data-testid="broadcast-kind-template"
                      />
                    </Group>
                  </Radio.Group>
                )}
                {kind === 'text' ? (
                  <Textarea
                    label={t('broadcasts.form.text')}
                    required
                    value={form.text}
                    onChange={(e) => set({ text: e.currentTarget.value })}
                    autosize
                    minRows={3}
                    maxRows={12}
                    maxLength={4096}
                    error={fieldError('text')}
                    data-testid="broadcast-text"
                  />
                ) : (
                  <>
                    <Group grow align="flex-start" wrap="wrap">
                      <TextInput
                        label={t('broadcasts.form.templateName')}
                        description={t('broadcasts.form.templateNameHint')}
                        required
                        value={form.templateName}
                        onChange={(e) => set({ templateName: e.currentTarget.value })}
                        error={fieldError('template')}
                        miw={180}
                        data-testid="broadcast-template-name"
                      />
                      <TextInput
                        label={t('broadcasts.form.templateLanguage')}
                        description={t('broadcasts.form.templateLanguageHint')}
                        required
                        value={form.templateLanguage}
                        onChange={(e) => set({ templateLanguage: e.currentTarget.value })}
                        maxLength={15}
                        miw={180}
                        data-testid="broadcast-template-language"
                      />
                    </Group>
                    <Textarea
                      label={t('broadcasts.form.templateVariables')}
                      description={t('broadcasts.form.templateVariablesHint')}
                      value={form.templateVariables}
                      onChange={(e) => set({ templateVariables: e.currentTarget.value })}
                      autosize
                      minRows={2}
                      maxRows={8}
                      data-testid="broadcast-template-variables"
                    />
                  </>
                )}
              </Stack>
            </Paper>
            <Alert
              color="blue"
              variant="light"
              title={t('broadcasts.form.rulesTitle')}
              data-testid="broadcast-rules"
            >
              <Text size="sm">{t('broadcasts.form.rules')}</Text>
            </Alert>
            {server.other.length > 0 && (
              <Alert color="red" variant="light" role="alert">
                {server.other.map((m) => (
                  <Text key={m} size="sm" className="sb-text">
                    {m}
                  </Text>
                ))}
              </Alert>
            )}
            {step === 'edit' && (
              <Group justify="flex-end">
                <Button type="submit" loading={previewing.isPending} data-testid="broadcast-review">
                  {t('broadcasts.form.review')}
                </Button>
              </Group>
            )}
          </Stack>
        </fieldset>
      </form>
      {generalError && <ErrorAlert error={generalError} />}
      {step === 'confirm' && (
        <BroadcastConfirm
          ref={confirmRef}
          preview={preview}
          sending={create.isPending}
          onEdit={() => setStep('edit')}
          onSend={send}
        />
      )}
    </Stack>
  );
}
