import { describe, expect, it } from 'vitest';
import type { Message, User } from '../../api/types.ts';
import { type Translate, translate } from '../../i18n/i18n.tsx';
import { systemText } from './system-text.ts';
import { testNaming } from '../../api/channel-types.fixture.ts';

const users = new Map<string, User>([
  ['u1', { id: 'u1', name: 'Anna' } as User],
  ['u2', { id: 'u2', name: 'Boris' } as User],
]);
const sys = (meta: Record<string, unknown> | undefined, text = 'server text') =>
  ({ authorKind: 'system', contentKind: 'system', text, meta }) as Message;
const en: Translate = (key, p) => translate('en', key, p);
const ru: Translate = (key, p) => translate('ru', key, p);

describe('systemText', () => {
  it('words assignment events in the UI language', () => {
    const took = sys({ event: 'assignment', from: null, to: 'u1', reason: 'manual', actorId: 'u1' });
    expect(systemText(en, took, users, testNaming('en'))).toBe('Anna took the conversation');
    expect(systemText(ru, took, users, testNaming('ru'))).toBe('Диалог в работе у оператора Anna');
    const moved = sys({ event: 'assignment', from: 'u1', to: 'u2', reason: 'offline', actorId: null });
    expect(systemText(en, moved, users, testNaming('en'))).toBe(
      'Reassigned from Anna to Boris because Anna went offline',
    );
    const byOther = sys({ event: 'assignment', from: null, to: 'u2', reason: 'manual', actorId: 'u1' });
    expect(systemText(en, byOther, users, testNaming('en'))).toBe('Assigned to Boris by Anna');
    const back = sys({ event: 'assignment', from: 'u2', to: null, reason: 'manual', actorId: 'u2' });
    expect(systemText(ru, back, users, testNaming('ru'))).toBe(
      'Диалог возвращён в очередь по решению оператора Boris',
    );
    const gone = sys({ event: 'assignment', from: null, to: 'u9', reason: 'auto', actorId: null });
    expect(systemText(en, gone, users, testNaming('en'))).toBe('Assigned to a former user automatically');
  });

  it("falls back to the server's text without structured meta", () => {
    expect(systemText(en, sys(undefined, 'Something happened'), users, testNaming('en'))).toBe(
      'Something happened',
    );
  });

  it('names the consent scope as the channel types declare it (every SMS channel: SMS)', () => {
    const stop = sys({ event: 'consent', action: 'opt_out', via: 'keyword', keyword: 'STOP', scope: 'sms' });
    expect(systemText(en, stop, users, testNaming('en'))).toContain('SMS');
    expect(systemText(ru, stop, users, testNaming('ru'))).toContain('СМС');
    const tg = sys({
      event: 'consent',
      action: 'opt_in',
      via: 'keyword',
      keyword: 'START',
      scope: 'telegram',
    });
    expect(systemText(en, tg, users, testNaming('en'))).toContain('Telegram bot');
  });
});
