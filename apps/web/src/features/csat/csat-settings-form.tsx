import { Button, Group, Loader, NumberInput, Stack, Switch, Text, Textarea } from '@mantine/core';
import type { ChannelCsat, CsatSettings } from '@switchboard/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { get, patch } from '../../api/http.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useI18n } from '../../i18n/i18n.tsx';

const LANGS = ['en', 'ru'] as const;

export const csatKey = (channelId: string) => ['channel-csat', channelId];

export function useChannelCsat(channelId: string) {
  return useQuery({
    queryKey: csatKey(channelId),
    queryFn: () => get<ChannelCsat>(`/api/v1/channels/${encodeURIComponent(channelId)}/csat`),
  });
}

/** A channel's satisfaction survey: on/off, its question in both languages, the answer window. */
export function CsatSettingsForm({ channelId, onDone }: { channelId: string; onDone(): void }) {
  const { t } = useI18n();
  const current = useChannelCsat(channelId);
  if (current.isError) return <ErrorAlert error={current.error} onRetry={() => void current.refetch()} />;
  if (!current.data) return <Loader size="sm" aria-label={t('common.loading')} />;
  return <Form key={current.data.channelId} initial={current.data} onDone={onDone} />;
}

function Form({ initial, onDone }: { initial: ChannelCsat; onDone(): void }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const [s, setS] = useState<CsatSettings>({
    enabled: initial.enabled,
    question: { ...initial.question },
    windowHours: initial.windowHours,
  });
  const save = useMutation({
    mutationFn: () =>
      patch<ChannelCsat>(`/api/v1/channels/${encodeURIComponent(initial.channelId)}/csat`, {
        enabled: s.enabled,
        question: { en: s.question.en.trim(), ru: s.question.ru.trim() },
        windowHours: s.windowHours,
      }),
    onSuccess: (saved) => {
      qc.setQueryData(csatKey(initial.channelId), saved);
      onDone();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  const blank = LANGS.some((l) => !s.question[l].trim());
  return (
    <form onSubmit={submit} data-testid="csat-form">
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t('csat.intro')}
        </Text>
        <Switch
          label={t('csat.enabled')}
          checked={s.enabled}
          onChange={(e) => {
            const enabled = e.currentTarget.checked;
            setS((x) => ({ ...x, enabled }));
          }}
          data-testid="csat-enabled"
        />
        {LANGS.map((l) => (
          <Stack key={l} gap={4}>
            <Textarea
              label={t(`csat.question.${l}`)}
              value={s.question[l]}
              onChange={(e) => {
                const v = e.currentTarget.value;
                setS((x) => ({ ...x, question: { ...x.question, [l]: v } }));
              }}
              autosize
              minRows={2}
              maxLength={1000}
              error={s.question[l].trim() ? undefined : t('validation.required')}
              data-testid={`csat-question-${l}`}
            />
            <Group justify="flex-end">
              <Button
                size="compact-xs"
                variant="subtle"
                onClick={() =>
                  setS((x) => ({ ...x, question: { ...x.question, [l]: initial.defaults.question[l] } }))
                }
                aria-label={`${t('csat.reset')}: ${t(`csat.question.${l}`)}`}
                data-testid={`csat-reset-${l}`}
              >
                {t('csat.reset')}
              </Button>
            </Group>
          </Stack>
        ))}
        <Text size="xs" c="dimmed">
          {t('csat.questionHint')}
        </Text>
        <NumberInput
          label={t('csat.window')}
          description={t('csat.windowHint')}
          value={s.windowHours}
          min={1}
          max={720}
          allowDecimal={false}
          onChange={(v) => setS((x) => ({ ...x, windowHours: Number(v) || initial.defaults.windowHours }))}
          w={320}
          data-testid="csat-window"
        />
        {save.isError && <ErrorAlert error={save.error} />}
        <Group>
          <Button type="submit" loading={save.isPending} disabled={blank} data-testid="csat-save">
            {t('common.save')}
          </Button>
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
