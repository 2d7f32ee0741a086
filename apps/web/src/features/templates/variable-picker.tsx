import { Button, Menu } from '@mantine/core';
import { SAVED_REPLY_VARIABLES } from '@switchboard/shared';
import { useI18n } from '../../i18n/i18n.tsx';
import { useAttributeDefinitions } from '../attributes/use-attributes.ts';

/** The variables a template can use: the standard ones and the account's custom attributes. */
export function VariablePicker({ onPick }: { onPick(variable: string): void }) {
  const { t } = useI18n();
  const defs = useAttributeDefinitions();
  const byEntity = (entity: 'contact' | 'conversation') =>
    (defs.data ?? []).filter((d) => d.entity === entity);
  return (
    <Menu position="bottom-start" withinPortal shadow="md" width={280}>
      <Menu.Target>
        <Button variant="light" size="xs" data-testid="template-variable-picker">
          {t('tpl.insertVariable')}
        </Button>
      </Menu.Target>
      <Menu.Dropdown mah={360} style={{ overflowY: 'auto' }}>
        <Menu.Label>{t('tpl.variables.standard')}</Menu.Label>
        {SAVED_REPLY_VARIABLES.map((v) => (
          <Menu.Item key={v} onClick={() => onPick(v)} data-testid={`variable-${v}`}>
            {`{{${v}}}`}
          </Menu.Item>
        ))}
        {(['contact', 'conversation'] as const).map(
          (entity) =>
            byEntity(entity).length > 0 && (
              <div key={entity}>
                <Menu.Label>{t(`tpl.variables.${entity}`)}</Menu.Label>
                {byEntity(entity).map((d) => (
                  <Menu.Item key={d.id} onClick={() => onPick(`${entity}.attributes.${d.key}`)}>
                    {d.label} <code>{`{{${entity}.attributes.${d.key}}}`}</code>
                  </Menu.Item>
                ))}
              </div>
            ),
        )}
      </Menu.Dropdown>
    </Menu>
  );
}
