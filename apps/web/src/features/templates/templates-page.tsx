import { Anchor, Badge, Button, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { type Me, TEMPLATE_SCOPES } from '@switchboard/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTeams } from '../../api/directory.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { TemplateForm } from './template-form.tsx';
import { TemplateImport } from './template-import.tsx';
import {
  deleteTemplate,
  EXPORT_URL,
  TEMPLATES_KEY,
  type TemplateDto,
  useTemplateList,
} from './templates-api.ts';

/** Whether this user may change a template: their own personal ones; shared ones need a supervisor. */
export function canWrite(me: Me, tpl: TemplateDto): boolean {
  return tpl.scope === 'personal' ? tpl.ownerId === me.user.id : me.role !== 'operator';
}

function matches(tpl: TemplateDto, q: string): boolean {
  const needle = q.toLowerCase();
  return [tpl.name, tpl.shortcut, tpl.text].some((s) => s.toLowerCase().includes(needle));
}

/** Templates: the saved replies this user can use, with the ones they may change editable. */
export function TemplatesPage({ me }: { me: Me }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const list = useTemplateList();
  const teams = useTeams();
  const [q, setQ] = useState('');
  const [scope, setScope] = useState<string | null>(null);
  const [editing, setEditing] = useState<TemplateDto | 'new' | null>(null);
  const [importing, setImporting] = useState(false);
  const [confirming, setConfirming] = useState<string | null>(null);
  const refresh = () => qc.invalidateQueries({ queryKey: TEMPLATES_KEY });
  const remove = useMutation({ mutationFn: deleteTemplate, onSuccess: refresh });
  const teamName = useMemo(() => new Map((teams.data ?? []).map((tm) => [tm.id, tm.name])), [teams.data]);
  const shown = (list.data ?? []).filter(
    (x) => (!scope || x.scope === scope) && (!q.trim() || matches(x, q.trim())),
  );

  return (
    <Stack gap="md" maw={1000} data-testid="templates-page">
      <Group justify="space-between">
        <Title order={2}>{t('tpl.title')}</Title>
        <Group gap="xs">
          <Anchor href={EXPORT_URL} download="templates.csv" data-testid="templates-export" size="sm">
            {t('tpl.export')}
          </Anchor>
          <Button variant="default" onClick={() => setImporting(true)} data-testid="templates-import">
            {t('tpl.import')}
          </Button>
          <Button onClick={() => setEditing('new')} data-testid="templates-new">
            {t('tpl.new')}
          </Button>
        </Group>
      </Group>
      <Text size="sm" c="dimmed">
        {t('tpl.intro')}
      </Text>
      <Group gap="xs">
        <TextInput
          placeholder={t('tpl.search')}
          aria-label={t('tpl.search')}
          value={q}
          onChange={(e) => setQ(e.currentTarget.value)}
          w={320}
          data-testid="templates-search"
        />
        <Select
          aria-label={t('tpl.scopeFilter')}
          placeholder={t('tpl.scope.all')}
          data={TEMPLATE_SCOPES.map((s) => ({ value: s, label: t(`tpl.scope.${s}`) }))}
          value={scope}
          onChange={setScope}
          clearable
          w={200}
          data-testid="templates-scope-filter"
        />
      </Group>
      {list.isError && <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />}
      {remove.isError && <ErrorAlert error={remove.error} />}
      {list.isSuccess && shown.length === 0 && (
        <Text size="sm" c="dimmed">
          {list.data.length === 0 ? t('tpl.none') : t('tpl.noMatch')}
        </Text>
      )}
      {shown.length > 0 && (
        <Table highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('tpl.name')}</Table.Th>
              <Table.Th>{t('tpl.shortcut')}</Table.Th>
              <Table.Th>{t('tpl.scope')}</Table.Th>
              <Table.Th>{t('tpl.text')}</Table.Th>
              <Table.Th>{t('tpl.col.files')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shown.map((x) => (
              <Table.Tr key={x.id} data-testid="template-row">
                <Table.Td>{x.name}</Table.Td>
                <Table.Td>
                  <code>/{x.shortcut}</code>
                </Table.Td>
                <Table.Td>
                  <Badge
                    variant="light"
                    color={x.scope === 'personal' ? 'gray' : x.scope === 'team' ? 'grape' : 'blue'}
                  >
                    {x.scope === 'team'
                      ? (teamName.get(x.teamId ?? '') ?? t('tpl.scope.team'))
                      : t(`tpl.scope.${x.scope}`)}
                  </Badge>
                </Table.Td>
                <Table.Td maw={380}>
                  <Text size="sm" lineClamp={2}>
                    {x.text}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {x.attachments.length > 0 && (
                    <Text size="sm" title={x.attachments.map((a) => a.fileName).join(', ')}>
                      {t('tpl.filesCount', { count: x.attachments.length })}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  {canWrite(me, x) && (
                    <Group gap={4} wrap="nowrap" justify="flex-end">
                      <Button
                        size="compact-sm"
                        variant="subtle"
                        onClick={() => setEditing(x)}
                        data-testid="template-edit"
                      >
                        {t('tpl.edit')}
                      </Button>
                      {confirming === x.id ? (
                        <Button
                          size="compact-sm"
                          color="red"
                          onClick={() => remove.mutate(x.id)}
                          loading={remove.isPending}
                          data-testid="template-delete-confirm"
                        >
                          {t('tpl.yes')}
                        </Button>
                      ) : (
                        <Button
                          size="compact-sm"
                          variant="subtle"
                          color="red"
                          onClick={() => setConfirming(x.id)}
                          title={t('tpl.confirmDelete', { name: x.name })}
                          data-testid="template-delete"
                        >
                          {t('tpl.delete')}
                        </Button>
                      )}
                    </Group>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {editing && (
        <TemplateForm
          me={me}
          template={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            void refresh();
          }}
        />
      )}
      {importing && <TemplateImport onClose={() => setImporting(false)} onImported={() => void refresh()} />}
    </Stack>
  );
}
