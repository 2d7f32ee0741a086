// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text a supervisor reads
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { consoleSuiteRunnable, untranslatedWords } from './console-harness.ts';
import { useConsole, waitUntil } from './console-fixture.ts';

const runnable = consoleSuiteRunnable();

interface Conv {
  id: string;
  contact: { name: string };
  sla: { breached: boolean; dueAt: number } | null;
}

/** Russian puts a no-break space before %. */
const nbsp = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

const NAMES = ['Ann Early', 'Boris Late', 'Clara Late', 'Dora Waiting', 'Eve Waiting'];

/**
 * The inbox's "SLA due first" order and the Reports screen's SLA figures: the % met card, the chart per
 * policy, team or operator, and the drill-down to the breached conversations.
 */
describe.skipIf(!runnable)('SLA in the inbox order and on the Reports screen in Chromium', () => {
  const ui = useConsole();
  const byName = new Map<string, Conv>();

  const list = () => ui.conversations<Conv>('?limit=50');

  beforeAll(async () => {
    const shop = await ui.createApiChannel('Shop');
    const policy = await ui.admin.call('POST', '/api/v1/sla-policies', {
      name: 'Standard',
      firstResponseSeconds: 3600,
    });
    expect(policy.status).toBe(201);
    for (const [i, name] of NAMES.entries()) {
      await ui.inbound({ externalId: `c-${i}`, name }, 'Hello, where is my order?', shop);
      await waitUntil(async () => (await list()).some((c) => c.contact.name === name && c.sla));
      for (const c of await list()) byName.set(c.contact.name, c);
      // Ann is answered in time: her target is met.
      if (name === 'Ann Early') {
        const r = await ui.admin.call('POST', `/api/v1/conversations/${byName.get(name)!.id}/messages`, {
          text: 'It left the warehouse today',
          clientMessageId: 'ann-1',
        });
        expect(r.status).toBe(202);
        await waitUntil(async () => (await list()).find((c) => c.contact.name === name)?.sla === null);
      }
    }
    // Boris is Alice's: his breach is credited to her.
    const assign = await ui.admin.call('PATCH', `/api/v1/conversations/${byName.get('Boris Late')!.id}`, {
      assigneeId: (await ui.admin.call<{ user: { id: string } }>('GET', '/api/v1/me')).json.user.id,
    });
    expect(assign.status).toBe(200);
    // An hour is too long to wait: Boris's and Clara's due times are moved into the past and their
    // breach jobs brought forward, as if the hour had passed (the job itself decides the breach).
    const k = ui.server.ctx.db.kysely;
    const now = Date.now();
    for (const [name, ago] of [
      ['Boris Late', 2000],
      ['Clara Late', 1000],
    ] as const) {
      const id = byName.get(name)!.id;
      const target = await k
        .selectFrom('sla_targets')
        .select('id')
        .where('conversation_id', '=', id)
        .executeTakeFirstOrThrow();
      await k
        .updateTable('sla_targets')
        .set({ due_at: now - ago })
        .where('id', '=', target.id)
        .execute();
      await k
        .updateTable('jobs')
        .set({ run_at: now })
        .where('type', '=', 'sla.breach')
        .where('payload', 'like', `%${target.id}%`)
        .execute();
    }
    await waitUntil(async () => (await list()).filter((c) => c.sla?.breached).length === 2);
  }, 120_000);

  const open = (lang: 'en' | 'ru', path: string) => ui.open(path, { width: 1280, height: 1400, lang });

  const rowNames = async (page: Page) =>
    (await page.getByTestId('conversation-row').allInnerTexts()).map(
      (text) => NAMES.find((n) => text.includes(n)) ?? text,
    );

  it.each([
    ['en', 'SLA due first'],
    ['ru', 'Сначала близкий срок ответа'],
  ] as const)(
    '%s: the inbox sorts by SLA due time, overdue first, none last',
    async (lang, option) => {
      const page = await open(lang, '/inbox/all');
      const rows = page.getByTestId('conversation-row');
      await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(5);
      await expect
        .poll(() => rowNames(page))
        .toEqual(['Eve Waiting', 'Dora Waiting', 'Clara Late', 'Boris Late', 'Ann Early']);
      await page.getByTestId('sort-select').click();
      await page.getByRole('option', { name: option, exact: true }).click();
      await expect
        .poll(() => rowNames(page), { timeout: 15_000 })
        .toEqual(['Boris Late', 'Clara Late', 'Dora Waiting', 'Eve Waiting', 'Ann Early']);
      expect(page.url()).toContain('sort=sla_due');
      // The order is part of the address: a reload keeps it.
      await page.reload();
      await expect
        .poll(() => rowNames(page), { timeout: 20_000 })
        .toEqual(['Boris Late', 'Clara Late', 'Dora Waiting', 'Eve Waiting', 'Ann Early']);
      expect(ui.problems).toEqual([]);
    },
    120_000,
  );

  it.each([
    ['en', '33.3%', 'SLA % met', 'Operator', 'Nobody'],
    ['ru', '33,3 %', 'Доля соблюдённых сроков ответа', 'Оператор', 'Никто'],
  ] as const)(
    '%s: the SLA card and chart per policy and operator drill down to the breached conversations',
    async (lang, value, title, operatorTab, nobody) => {
      const page = await open(lang, '/reports');
      await page.getByTestId('reports-page').waitFor();
      await expect
        .poll(async () => nbsp(await page.getByTestId('card-sla-value').innerText()), { timeout: 20_000 })
        .toBe(value);
      await page.getByTestId('card-sla').click();
      const items = page.getByTestId('drill-item');
      await expect.poll(() => items.count(), { timeout: 20_000 }).toBe(2);
      expect((await items.allInnerTexts()).join('\n')).toMatch(
        /Boris Late[\s\S]*Clara Late|Clara Late[\s\S]*Boris Late/,
      );
      await page.keyboard.press('Escape');
      await expect.poll(() => items.count()).toBe(0);

      const panel = page.getByTestId('sla-panel');
      expect(await panel.innerText()).toContain(title);
      await expect
        .poll(() => page.getByTestId('chart-sla').getAttribute('data-ready'), { timeout: 30_000 })
        .toBe('true');
      const rows = page.getByTestId('sla-table-row');
      await expect.poll(() => rows.allInnerTexts(), { timeout: 15_000 }).toHaveLength(1);
      expect(nbsp(await rows.first().innerText()).split('\t')).toEqual(['Standard', '3', '1', '2', value]);

      await panel.getByText(operatorTab, { exact: true }).click();
      await expect
        .poll(async () => (await rows.allInnerTexts()).map((r) => nbsp(r).split('\t')), {
          timeout: 15_000,
        })
        .toEqual([
          [ui.server.admin.name, '2', '1', '1', lang === 'en' ? '50%' : '50 %'],
          [nobody, '1', '0', '1', lang === 'en' ? '0%' : '0 %'],
        ]);
      // Alice's row opens only the breach credited to her.
      await rows.first().click();
      await expect.poll(() => items.count(), { timeout: 20_000 }).toBe(1);
      expect(await items.first().innerText()).toContain('Boris Late');
      if (lang === 'ru')
        expect(untranslatedWords(await panel.innerText(), ['Standard', ui.server.admin.name])).toEqual([]);
      expect(ui.problems).toEqual([]);
    },
    120_000,
  );
});
