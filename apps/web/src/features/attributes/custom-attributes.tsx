import { Stack, Table, Text } from '@mantine/core';
import type { AttributeDefinition } from '@switchboard/shared';
import { useQueryClient } from '@tanstack/react-query';
import { patch } from '../../api/http.ts';
import { useMe } from '../../api/session.ts';
import type { Contact, Conversation } from '../../api/types.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { applyContact, applyConversation } from '../../realtime/live-provider.tsx';
import { useConversation } from '../inbox/use-conversations.ts';
import { AttributeField } from './attribute-field.tsx';
import { useAttributeDefinitions } from './use-attributes.ts';

function Section({
  title,
  defs,
  values,
  onSave,
  testId,
}: {
  title: string;
  defs: AttributeDefinition[];
  values: Record<string, unknown>;
  onSave(key: string, value: string | number | boolean | null): Promise<unknown>;
  testId: string;
}) {
  if (defs.length === 0) return null;
  return (
    <Stack gap={6} data-testid={testId}>
      <Text size="xs" fw={700} c="dimmed" tt="uppercase">
        {title}
      </Text>
      {defs.map((d) => (
        <AttributeField key={d.id} def={d} value={values[d.key]} onSave={(v) => onSave(d.key, v)} />
      ))}
    </Stack>
  );
}

/**
 * The side panel's attributes: the admin-defined ones of the contact and of this conversation as
 * editors, and any other (free-form, e.g. imported) contact attributes read-only.
 */
export function CustomAttributes({ contact, conversationId }: { contact: Contact; conversationId: string }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const meId = useMe().data?.user.id ?? '';
  const defs = useAttributeDefinitions().data ?? [];
  const conv = useConversation(conversationId).data;
  const contactDefs = defs.filter((d) => d.entity === 'contact');
  const defined = new Set(contactDefs.map((d) => d.key));
  const other = Object.entries(contact.attributes ?? {}).filter(([k]) => !defined.has(k));
  return (
    <>
      <Section
        title={t('attrs.panel.contact')}
        defs={contactDefs}
        values={contact.attributes ?? {}}
        testId="contact-attributes"
        onSave={(key, value) =>
          patch<Contact>(`/api/v1/contacts/${encodeURIComponent(contact.id)}`, {
            attributes: { [key]: value },
          }).then((c) => applyContact(qc, c))
        }
      />
      {conv && (
        <Section
          title={t('attrs.panel.conversation')}
          defs={defs.filter((d) => d.entity === 'conversation')}
          values={conv.attributes ?? {}}
          testId="conversation-attributes"
          onSave={(key, value) =>
            patch<Conversation>(`/api/v1/conversations/${encodeURIComponent(conv.id)}`, {
              attributes: { [key]: value },
            }).then((c) => applyConversation(qc, c, meId))
          }
        />
      )}
      {other.length > 0 && (
        <Stack gap={4}>
          <Text size="xs" fw={700} c="dimmed" tt="uppercase">
            {contactDefs.length ? t('attrs.panel.other') : t('contact.attributes')}
          </Text>
          <Table withRowBorders={false} verticalSpacing={2}>
            <Table.Tbody>
              {other.map(([k, v]) => (
                <Table.Tr key={k}>
                  <Table.Td>
                    <Text size="sm" c="dimmed" className="sb-text">
                      {k}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" className="sb-text">
                      {typeof v === 'string' ? v : JSON.stringify(v)}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Stack>
      )}
    </>
  );
}
