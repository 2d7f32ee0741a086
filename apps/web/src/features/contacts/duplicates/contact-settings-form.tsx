import { Button, Checkbox, Group, Stack, Text, TextInput } from '@mantine/core';
import type { ContactSettings } from '@switchboard/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { get, put } from '../../../api/http.ts';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { useI18n } from '../../../i18n/i18n.tsx';

/** Admin: the default country phones are read in, and automatic merging of provider-verified phones. */
export function ContactSettingsForm() {
  const { t } = useI18n();
  const qc = useQueryClient();
  const settings = useQuery({
    queryKey: ['contact-settings'],
    queryFn: () => get<ContactSettings>('/api/v1/contact-settings'),
  });
  const [country, setCountry] = useState('');
  const [auto, setAuto] = useState(false);
  useEffect(() => {
    if (!settings.data) return;
    setCountry(settings.data.defaultCountry ?? '');
    setAuto(settings.data.autoMergeVerified);
  }, [settings.data]);
  const save = useMutation({
    mutationFn: () =>
      put<ContactSettings>('/api/v1/contact-settings', {
        defaultCountry: country.trim().toUpperCase() || null,
        autoMergeVerified: auto,
      }),
    onSuccess: (s) => {
      qc.setQueryData(['contact-settings'], s);
      // Phones read in another country may pair up differently now.
      void qc.invalidateQueries({ queryKey: ['duplicates'] });
      void qc.invalidateQueries({ queryKey: ['contact-duplicates'] });
    },
  });
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
      data-testid="contact-settings"
    >
      <Stack gap="xs">
        <Text size="xs" fw={700} c="dimmed" tt="uppercase">
          {t('dup.settings')}
        </Text>
        <TextInput
          label={t('dup.country')}
          description={t('dup.countryHelp')}
          value={country}
          maxLength={2}
          onChange={(e) => {
            setCountry(e.currentTarget.value);
            save.reset();
          }}
          w={260}
          data-testid="contact-settings-country"
        />
        <Checkbox
          label={t('dup.autoMerge')}
          checked={auto}
          onChange={(e) => {
            setAuto(e.currentTarget.checked);
            save.reset();
          }}
          data-testid="contact-settings-auto"
        />
        {save.isError && <ErrorAlert error={save.error} />}
        <Group gap="xs">
          <Button type="submit" size="xs" loading={save.isPending} data-testid="contact-settings-save">
            {t('common.save')}
          </Button>
          {save.isSuccess && (
            <Text size="sm" c="green" data-testid="contact-settings-saved">
              {t('dup.saved')}
            </Text>
          )}
        </Group>
      </Stack>
    </form>
  );
}
