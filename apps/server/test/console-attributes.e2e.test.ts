// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text an operator reads
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useConsole } from './console-fixture.ts';
import { consoleSuiteRunnable, postInbound, screenshotDir } from './console-harness.ts';

const runnable = consoleSuiteRunnable();

/**
 * Custom attributes in real browsers: the admin defines them on Administration › Attributes, an
 * operator fills them in on the conversation's side panel (each by its type), and the values are what
 * the API filters on. English and Russian.
 */
describe.skipIf(!runnable)('Console: custom attributes (Administration and side panel)', () => {
  const ui = useConsole({ apiChannel: 'Shop' });
  const shots = screenshotDir();

  async function defineAttribute(
    page: Page,
    a: { entity: string; type: string; label: string; key: string; options?: string },
  ) {
    const form = page.getByTestId('attribute-new');
    await form.getByTestId('attribute-entity').click();
    await page.getByRole('option', { name: a.entity, exact: true }).click();
    await form.getByTestId('attribute-type').click();
    await page.getByRole('option', { name: a.type, exact: true }).click();
    await form.getByTestId('attribute-label').fill(a.label);
    await form.getByTestId('attribute-key').fill(a.key);
    if (a.options) await form.getByTestId('attribute-options').fill(a.options);
    await form.getByTestId('attribute-add').click();
    await page.getByTestId('attribute-row').filter({ hasText: a.label }).waitFor();
  }

  async function conversationOf(name: string): Promise<{ id: string; contactId: string }> {
    type Convs = { items: { id: string; contact: { id: string; name: string | null } }[] };
    for (let i = 0; i < 100; i++) {
      const r = await ui.admin.call<Convs>('GET', '/api/v1/conversations');
      const c = r.json.items.find((x) => x.contact.name === name);
      if (c) return { id: c.id, contactId: c.contact.id };
      await new Promise((res) => setTimeout(res, 100));
    }
    throw new Error(`no conversation of ${name}`);
  }

  it('defines attributes and edits them in the side panel (English)', { timeout: 120_000 }, async () => {
    const page = await ui.signedInPage({ width: 1280, height: 900 });
    await page.goto(`${ui.server.url}/admin/attributes`);
    await page.getByRole('heading', { name: 'Custom attributes' }).waitFor();
    await defineAttribute(page, {
      entity: 'Contacts',
      type: 'List',
      label: 'Plan',
      key: 'plan',
      options: 'free\ngold',
    });
    await defineAttribute(page, {
      entity: 'Conversations',
      type: 'Checkbox',
      label: 'Refund',
      key: 'refund',
    });
    await defineAttribute(page, {
      entity: 'Conversations',
      type: 'Number',
      label: 'Order total',
      key: 'total',
    });
    expect(await page.getByTestId('attributes-conversation').innerText()).toContain(
      '{{conversation.attributes.refund}}',
    );
    await page.screenshot({ path: join(shots, 'attributes-admin.png') });

    await postInbound(
      ui.server,
      ui.channel,
      { externalId: 'maria', name: 'Maria Lopez' },
      'I want my money back',
    );
    const conv = await conversationOf('Maria Lopez');
    await page.goto(`${ui.server.url}/inbox/all/${conv.id}`);
    const contactAttrs = page.getByTestId('contact-attributes');
    if (!(await contactAttrs.isVisible())) await page.getByTestId('open-contact').click();
    await contactAttrs.waitFor();
    await contactAttrs.getByTestId('attribute-field-plan').click();
    await page.getByRole('option', { name: 'gold', exact: true }).click();
    const convAttrs = page.getByTestId('conversation-attributes');
    await convAttrs.getByText('Refund').click();
    const total = convAttrs.getByTestId('attribute-field-total');
    await total.fill('149.5');
    await total.press('Enter');
    await expect
      .poll(
        async () =>
          (await ui.admin.call<{ attributes: unknown }>('GET', `/api/v1/conversations/${conv.id}`)).json
            .attributes,
      )
      .toEqual({ refund: true, total: 149.5 });
    await expect
      .poll(
        async () =>
          (await ui.admin.call<{ attributes: unknown }>('GET', `/api/v1/contacts/${conv.contactId}`)).json
            .attributes,
      )
      .toEqual({ plan: 'gold' });
    const filtered = await ui.admin.call<{ items: { id: string }[] }>(
      'GET',
      '/api/v1/conversations?attribute=refund:true',
    );
    expect(filtered.json.items.map((c) => c.id)).toEqual([conv.id]);
    await page.screenshot({ path: join(shots, 'attributes-panel.png') });
    expect(ui.problems).toEqual([]);
  });

  it('shows the screen and the panel in Russian', { timeout: 120_000 }, async () => {
    const page = await ui.signedInPage({ width: 1280, height: 900, lang: 'ru' });
    await page.goto(`${ui.server.url}/admin/attributes`);
    await page.getByRole('heading', { name: 'Дополнительные поля' }).waitFor();
    await defineAttribute(page, { entity: 'Контактов', type: 'Дата', label: 'Продление', key: 'renewal' });
    expect(await page.getByTestId('attributes-contact').innerText()).toContain('Продление');
    expect(await page.getByTestId('attributes-contact').innerText()).toContain('Дата');

    await postInbound(ui.server, ui.channel, { externalId: 'ivan', name: 'Иван' }, 'Добрый день');
    const conv = await conversationOf('Иван');
    await page.goto(`${ui.server.url}/inbox/all/${conv.id}`);
    const contactAttrs = page.getByTestId('contact-attributes');
    if (!(await contactAttrs.isVisible())) await page.getByTestId('open-contact').click();
    await contactAttrs.waitFor();
    expect(await contactAttrs.innerText()).toContain('ДАННЫЕ КОНТАКТА');
    const renewal = contactAttrs.getByTestId('attribute-field-renewal');
    await renewal.fill('2027-01-31');
    await renewal.press('Enter');
    await expect
      .poll(
        async () =>
          (
            await ui.admin.call<{ attributes: Record<string, unknown> }>(
              'GET',
              `/api/v1/contacts/${conv.contactId}`,
            )
          ).json.attributes.renewal,
      )
      .toBe('2027-01-31');
    expect(await page.getByTestId('conversation-attributes').innerText()).toContain('ДАННЫЕ ОБРАЩЕНИЯ');
    await page.screenshot({ path: join(shots, 'attributes-panel-ru.png') });
    expect(ui.problems).toEqual([]);
  });
});
