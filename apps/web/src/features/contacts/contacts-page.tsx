import { contactLabel } from '@switchboard/shared';
import { useChannelNaming } from '../../api/channel-types.ts';
import {
  Badge,
  Box,
  Button,
  Center,
  Checkbox,
  Group,
  Loader,
  Modal,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { useDebouncedValue, useMediaQuery } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { qs } from '../../api/http.ts';
import type { Me } from '../../api/types.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { navigate } from '../../lib/router.ts';
import { ChannelIcon } from '../inbox/channel-icon.tsx';
import { inboxHref } from '../inbox/inbox-route.ts';
import { ContactBulkBar } from './contact-bulk-bar.tsx';
import { ContactExportButton } from './contact-export-button.tsx';
import { ContactFilterBar, type ExtraFilter } from './contact-filter-bar.tsx';
import { ContactSegments } from './contact-segments.tsx';
import { type Contact, latestConversationOf, useContactList, useLabelsInUse } from './contacts-api.ts';
import { DuplicatesDialog } from './duplicates/duplicates-dialog.tsx';
import { ImportDialog } from './import-dialog.tsx';

export function contactsHref(q: string, label: string | null): string {
  return `/contacts${qs({ q: q.trim() || undefined, label })}`;
}

function Channels({ c }: { c: Contact }) {
  return (
    <Group gap={6} wrap="wrap">
      {c.identities.map((i) => (
        <Group key={i.id} gap={4} wrap="nowrap" miw={0}>
          <ChannelIcon type={i.channel.type} title={i.channel.name} />
          <Text size="xs" c="dimmed" className="sb-text" truncate maw={180}>
            {i.externalId}
          </Text>
        </Group>
      ))}
    </Group>
  );
}

function Labels({ c }: { c: Contact }) {
  return (
    <Group gap={4} wrap="wrap">
      {c.labels.map((l) => (
        <Badge key={l} size="sm" variant="light" style={{ textTransform: 'none' }}>
          {l}
        </Badge>
      ))}
    </Group>
  );
}

function Consent({ c }: { c: Contact }) {
  const { t } = useI18n();
  const names = useChannelNaming();
  return (
    <Group gap={4} wrap="wrap" data-testid="contact-consent-cell">
      {(c.consent ?? []).map((x) => (
        <Badge
          key={x.scope}
          size="sm"
          variant="light"
          color={x.status === 'opted_out' ? 'red' : 'teal'}
          style={{ textTransform: 'none' }}
          data-status={x.status}
        >
          {t(x.status === 'opted_out' ? 'contact.optedOut' : 'contact.optedIn', {
            scope: names.scope(x.scope),
          })}
        </Badge>
      ))}
    </Group>
  );
}

/** A contact without a conversation (e.g. just imported): what we know about them. */
function ContactDetail({ c, onClose }: { c: Contact | null; onClose: () => void }) {
  const { t, lang } = useI18n();
  return (
    <Modal
      opened={c !== null}
      onClose={onClose}
      title={c ? contactLabel(c, lang) : ''}
      closeButtonProps={{ 'aria-label': t('common.close') }}
      data-testid="contact-detail"
    >
      {c && (
        <Stack gap="xs">
          <Text size="sm" c="dimmed">
            {t('contacts.noConversation')}
          </Text>
          {c.phone && (
            <Text size="sm" className="sb-text">
              {t('contact.phone')}: {c.phone}
            </Text>
          )}
          {c.email && (
            <Text size="sm" className="sb-text">
              {t('contact.email')}: {c.email}
            </Text>
          )}
          <Text size="sm" fw={600}>
            {t('contact.identities')}
          </Text>
          <Channels c={c} />
          <Labels c={c} />
          <Consent c={c} />
        </Stack>
      )}
    </Modal>
  );
}

/**
 * `/contacts`: every contact of the account, filtered (text and label in the address, the rest on the
 * page), saved as segments; supervisors import, label in bulk and export; admins erase in bulk.
 */
export function ContactsPage({ me, q, label }: { me: Me; q: string; label: string | null }) {
  const { t, lang } = useI18n();
  const wide = useMediaQuery('(min-width: 62em)', true);
  const [text, setText] = useState(q);
  const [debounced] = useDebouncedValue(text, 300);
  const [importing, setImporting] = useState(false);
  const [dupsOpen, setDupsOpen] = useState(false);
  const [detail, setDetail] = useState<Contact | null>(null);
  const canImport = me.role === 'admin' || me.role === 'supervisor';
  const [extra, setExtra] = useState<ExtraFilter>({});
  const [segmentId, setSegmentId] = useState<string | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const filter = { ...extra, ...(q ? { q } : {}), ...(label ? { label } : {}) };
  const list = useContactList(filter);
  const filterKey = JSON.stringify(filter);
  // A selection belongs to the rows it was made on: another filter starts with none.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the filter's value is the trigger
  useEffect(() => setSelected(new Set()), [filterKey]);
  const labels = useLabelsInUse();
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];

  useEffect(() => {
    if (debounced.trim() !== q) navigate(contactsHref(debounced, label), { replace: true });
  }, [debounced, q, label]);

  const open = async (c: Contact) => {
    const id = await latestConversationOf(c.id).catch(() => null);
    if (id) navigate(inboxHref({ view: 'all', status: 'any' }, id));
    else setDetail(c);
  };
  const name = (c: Contact) => contactLabel(c, lang);
  const chosen = items.filter((c) => selected.has(c.id)).map((c) => c.id);
  const allChosen = items.length > 0 && chosen.length === items.length;
  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const pick = (c: Contact) => (
    <Checkbox
      aria-label={t('contacts.select.one', { name: name(c) })}
      checked={selected.has(c.id)}
      onChange={() => toggle(c.id)}
      onClick={(e) => e.stopPropagation()}
      data-testid="contact-select"
    />
  );
  const labelOptions = [...new Set([...(labels.data ?? []).map((l) => l.label), ...(label ? [label] : [])])];

  return (
    <Box p="md" style={{ overflowY: 'auto', flex: 1 }} data-testid="contacts-page">
      <Stack maw={1200}>
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Title order={1} size="h3">
            {t('contacts.title')}
          </Title>
          <Group gap="xs">
            {canImport && <ContactExportButton filter={filter} />}
            <Button
              size="sm"
              variant="default"
              onClick={() => setDupsOpen(true)}
              data-testid="contacts-duplicates-open"
            >
              {t('dup.open')}
            </Button>
            {canImport && (
              <Button size="sm" onClick={() => setImporting(true)} data-testid="contacts-import-open">
                {t('contacts.import')}
              </Button>
            )}
          </Group>
        </Group>
        <Group gap="xs" wrap="wrap" align="flex-end">
          <TextInput
            label={t('contacts.search')}
            placeholder={t('contacts.searchPlaceholder')}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            type="search"
            style={{ flex: '1 1 220px' }}
            data-testid="contacts-search"
          />
          <Select
            label={t('contacts.label')}
            placeholder={t('contacts.labelAll')}
            data={labelOptions}
            value={label}
            onChange={(v) => navigate(contactsHref(text, v), { replace: true })}
            clearable
            searchable
            w={220}
            data-testid="contacts-label"
          />
        </Group>
        <ContactFilterBar value={extra} onChange={setExtra} />
        <ContactSegments
          filter={filter}
          current={segmentId}
          canEdit={canImport}
          onOpen={(seg) => {
            setSegmentId(seg?.id ?? null);
            if (!seg) return;
            const { q: sq, label: sl, ...rest } = seg.filter;
            setExtra(rest);
            navigate(contactsHref(sq ?? '', sl ?? null), { replace: true });
            setText(sq ?? '');
          }}
        />
        {canImport && chosen.length > 0 && (
          <ContactBulkBar
            ids={chosen}
            canErase={me.role === 'admin'}
            onDone={(erased) => erased && setSelected(new Set())}
          />
        )}
        {list.isError && <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />}
        {list.isPending && (
          <Center>
            <Loader size="sm" aria-label={t('common.loading')} />
          </Center>
        )}
        {list.isSuccess && items.length === 0 && (
          <Text c="dimmed" data-testid="contacts-empty">
            {Object.keys(filter).length ? t('contacts.empty') : t('contacts.emptyAll')}
          </Text>
        )}
        {items.length > 0 &&
          (wide ? (
            <Table.ScrollContainer minWidth={900}>
              <Table highlightOnHover verticalSpacing="xs" data-testid="contacts-table">
                <Table.Thead>
                  <Table.Tr>
                    {canImport && (
                      <Table.Th w={36}>
                        <Checkbox
                          aria-label={t('contacts.select.all')}
                          checked={allChosen}
                          indeterminate={chosen.length > 0 && !allChosen}
                          onChange={() =>
                            setSelected(allChosen ? new Set() : new Set(items.map((c) => c.id)))
                          }
                          data-testid="contacts-select-all"
                        />
                      </Table.Th>
                    )}
                    <Table.Th>{t('contacts.col.name')}</Table.Th>
                    <Table.Th>{t('contacts.col.phone')}</Table.Th>
                    <Table.Th>{t('contacts.col.email')}</Table.Th>
                    <Table.Th>{t('contacts.col.channels')}</Table.Th>
                    <Table.Th>{t('contacts.col.labels')}</Table.Th>
                    <Table.Th>{t('contacts.col.consent')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {items.map((c) => (
                    <Table.Tr
                      key={c.id}
                      data-testid="contact-row"
                      style={{ cursor: 'pointer' }}
                      onClick={() => void open(c)}
                    >
                      {canImport && <Table.Td>{pick(c)}</Table.Td>}
                      <Table.Td>
                        <UnstyledButton
                          onClick={(e) => {
                            e.stopPropagation();
                            void open(c);
                          }}
                          title={t('contacts.openConversation')}
                        >
                          <Text size="sm" fw={600} className="sb-text" data-testid="contact-name">
                            {name(c)}
                          </Text>
                        </UnstyledButton>
                      </Table.Td>
                      <Table.Td className="sb-text">{c.phone}</Table.Td>
                      <Table.Td className="sb-text">{c.email}</Table.Td>
                      <Table.Td>
                        <Channels c={c} />
                      </Table.Td>
                      <Table.Td>
                        <Labels c={c} />
                      </Table.Td>
                      <Table.Td>
                        <Consent c={c} />
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          ) : (
            <Stack gap="xs">
              {items.map((c) => (
                <UnstyledButton
                  key={c.id}
                  onClick={() => void open(c)}
                  data-testid="contact-row"
                  title={t('contacts.openConversation')}
                >
                  <Paper withBorder p="sm">
                    <Stack gap={4}>
                      <Text size="sm" fw={600} className="sb-text" data-testid="contact-name">
                        {name(c)}
                      </Text>
                      {(c.phone || c.email) && (
                        <Text size="xs" c="dimmed" className="sb-text">
                          {[c.phone, c.email].filter(Boolean).join(' · ')}
                        </Text>
                      )}
                      <Channels c={c} />
                      <Labels c={c} />
                      <Consent c={c} />
                    </Stack>
                  </Paper>
                </UnstyledButton>
              ))}
            </Stack>
          ))}
        {list.hasNextPage && (
          <Button
            variant="default"
            onClick={() => void list.fetchNextPage()}
            loading={list.isFetchingNextPage}
          >
            {t('contacts.more')}
          </Button>
        )}
      </Stack>
      {canImport && <ImportDialog opened={importing} onClose={() => setImporting(false)} />}
      <ContactDetail c={detail} onClose={() => setDetail(null)} />
      <DuplicatesDialog me={me} opened={dupsOpen} onClose={() => setDupsOpen(false)} />
    </Box>
  );
}
