import {
  ActionIcon,
  Button,
  Code,
  Group,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import {
  ATTRIBUTE_ENTITIES,
  ATTRIBUTE_TYPES,
  type AttributeDefinition,
  type AttributeDefinitionInput,
  type AttributeEntity,
  type AttributeType,
} from '@switchboard/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { del, post } from '../../api/http.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { ATTRIBUTES_KEY, useAttributeDefinitions } from './use-attributes.ts';

/** Administration › Attributes: the typed fields of contacts and conversations. */
export function AttributesPage() {
  const { t } = useI18n();
  const qc = useQueryClient();
  const defs = useAttributeDefinitions();
  const [confirming, setConfirming] = useState<string | null>(null);
  const refresh = () => qc.invalidateQueries({ queryKey: ATTRIBUTES_KEY });
  const remove = useMutation({
    mutationFn: (id: string) => del(`/api/v1/attribute-definitions/${encodeURIComponent(id)}`),
    onSuccess: refresh,
  });
  return (
    <Stack gap="md" maw={900} data-testid="attributes-page">
      <Title order={2}>{t('attrs.title')}</Title>
      <Text size="sm" c="dimmed">
        {t('attrs.intro')}
      </Text>
      {defs.isError && <ErrorAlert error={defs.error} onRetry={() => void defs.refetch()} />}
      {remove.isError && <ErrorAlert error={remove.error} />}
      {ATTRIBUTE_ENTITIES.map((entity) => {
        const items = (defs.data ?? []).filter((d) => d.entity === entity);
        return (
          <Stack key={entity} gap={4} data-testid={`attributes-${entity}`}>
            <Title order={3} size="h5">
              {t(`attrs.entity.${entity}`)}
            </Title>
            {defs.isSuccess && items.length === 0 && (
              <Text size="sm" c="dimmed">
                {t('attrs.none')}
              </Text>
            )}
            {items.length > 0 && (
              <Table>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('attrs.label')}</Table.Th>
                    <Table.Th>{t('attrs.type')}</Table.Th>
                    <Table.Th>{t('attrs.variable')}</Table.Th>
                    <Table.Th />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {items.map((d) => (
                    <Table.Tr key={d.id} data-testid="attribute-row">
                      <Table.Td>{d.label}</Table.Td>
                      <Table.Td>
                        {t(`attrs.type.${d.type}`)}
                        {d.type === 'list' && (
                          <Text size="xs" c="dimmed">
                            {d.options.join(', ')}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Code>{`{{${entity}.attributes.${d.key}}}`}</Code>
                      </Table.Td>
                      <Table.Td>
                        {confirming === d.id ? (
                          <Group gap={4} wrap="nowrap">
                            <Text size="xs">{t('attrs.confirmDelete', { label: d.label })}</Text>
                            <Button
                              size="compact-xs"
                              color="red"
                              onClick={() => remove.mutate(d.id)}
                              data-testid="attribute-delete-confirm"
                            >
                              {t('attrs.delete')}
                            </Button>
                            <Button size="compact-xs" variant="default" onClick={() => setConfirming(null)}>
                              {t('common.cancel')}
                            </Button>
                          </Group>
                        ) : (
                          <ActionIcon
                            variant="subtle"
                            color="red"
                            aria-label={`${t('attrs.delete')}: ${d.label}`}
                            onClick={() => setConfirming(d.id)}
                            data-testid="attribute-delete"
                          >
                            ×
                          </ActionIcon>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Stack>
        );
      })}
      <NewAttribute onCreated={refresh} />
    </Stack>
  );
}

function NewAttribute({ onCreated }: { onCreated(): void }) {
  const { t } = useI18n();
  const [entity, setEntity] = useState<AttributeEntity>('contact');
  const [label, setLabel] = useState('');
  const [key, setKey] = useState('');
  const [type, setType] = useState<AttributeType>('text');
  const [options, setOptions] = useState('');
  const create = useMutation({
    mutationFn: (b: AttributeDefinitionInput) =>
      post<AttributeDefinition>('/api/v1/attribute-definitions', b),
    onSuccess: () => {
      setLabel('');
      setKey('');
      setOptions('');
      onCreated();
    },
  });
  const submit = () =>
    create.mutate({
      entity,
      label: label.trim(),
      key: key.trim(),
      type,
      options:
        type === 'list'
          ? options
              .split('\n')
              .map((o) => o.trim())
              .filter(Boolean)
          : [],
    });
  return (
    <Paper withBorder p="sm" data-testid="attribute-new">
      <Stack gap="xs">
        <Title order={3} size="h5">
          {t('attrs.new')}
        </Title>
        <Group grow align="flex-start">
          <Select
            label={t('attrs.for')}
            data={ATTRIBUTE_ENTITIES.map((e) => ({ value: e, label: t(`attrs.for.${e}`) }))}
            value={entity}
            onChange={(v) => v && setEntity(v as AttributeEntity)}
            allowDeselect={false}
            data-testid="attribute-entity"
          />
          <Select
            label={t('attrs.type')}
            data={ATTRIBUTE_TYPES.map((ty) => ({ value: ty, label: t(`attrs.type.${ty}`) }))}
            value={type}
            onChange={(v) => v && setType(v as AttributeType)}
            allowDeselect={false}
            data-testid="attribute-type"
          />
        </Group>
        <Group grow align="flex-start">
          <TextInput
            label={t('attrs.label')}
            value={label}
            onChange={(e) => setLabel(e.currentTarget.value)}
            data-testid="attribute-label"
          />
          <TextInput
            label={t('attrs.key')}
            description={t('attrs.keyHint')}
            value={key}
            onChange={(e) => setKey(e.currentTarget.value)}
            data-testid="attribute-key"
          />
        </Group>
        {type === 'list' && (
          <Textarea
            label={t('attrs.options')}
            value={options}
            onChange={(e) => setOptions(e.currentTarget.value)}
            autosize
            minRows={2}
            data-testid="attribute-options"
          />
        )}
        {create.isError && <ErrorAlert error={create.error} />}
        <Group justify="flex-end">
          <Button
            onClick={submit}
            loading={create.isPending}
            disabled={!label.trim() || !key.trim()}
            data-testid="attribute-add"
          >
            {t('attrs.add')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
