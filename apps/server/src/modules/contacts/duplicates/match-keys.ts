import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';
import { type ExpressionBuilder, type Expression, type SqlBool, sql } from 'kysely';
import type { Db, Tx } from '../../../infra/db/database.ts';
import type { Database } from '../../../infra/db/schema.ts';

type K = Db['kysely'] | Tx;

/**
 * A phone number in E.164, read in `country` when it has no `+`; null when it is not a possible number
 * (a typo must not become a key that joins strangers).
 */
export function phoneKey(phone: string | null | undefined, country: string | null): string | null {
  const raw = phone?.trim();
  if (!raw) return null;
  const parsed = parsePhoneNumberFromString(raw, (country ?? undefined) as CountryCode | undefined);
  if (!parsed?.isPossible()) return null;
  return parsed.number;
}

/** An e-mail address as compared: trimmed and lower case; null when it has no `@`. */
export function emailKey(email: string | null | undefined): string | null {
  const e = email?.trim().toLowerCase();
  return e?.includes('@') ? e : null;
}

/** What the keys were derived from; the same expression in SQL (`sourceSql`) finds rows that changed. */
export function sourceOf(phone: string | null, email: string | null): string {
  return `${phone ?? ''}\n${email ?? ''}`;
}
const sourceSql = sql<string>`coalesce(phone, '') || ${'\n'} || coalesce(email, '')`;

/** Rows whose keys are missing or were derived from another phone or e-mail than they have now. */
export function staleKeys(eb: ExpressionBuilder<Database, 'contacts'>): Expression<SqlBool> {
  return eb.or([eb('match_source', 'is', null), eb('match_source', '!=', sourceSql)]);
}

export async function accountCountry(k: K, accountId: string): Promise<string | null> {
  const row = await k
    .selectFrom('accounts')
    .select('default_country')
    .where('id', '=', accountId)
    .executeTakeFirst();
  return row?.default_country ?? null;
}

const BATCH = 1000;

/**
 * Derives the keys of the account's contacts whose phone or e-mail changed since they were last keyed
 * (all of them after the default country changed). Idempotent: two readers doing it at once write the
 * same values; a row changed meanwhile keeps its old source and is keyed again next time.
 */
export async function refreshMatchKeys(k: K, accountId: string): Promise<number> {
  const country = await accountCountry(k, accountId);
  let done = 0;
  for (;;) {
    const rows = await k
      .selectFrom('contacts')
      .select(['id', 'phone', 'email'])
      .where('account_id', '=', accountId)
      .where('merged_into', 'is', null)
      .where(staleKeys)
      .limit(BATCH)
      .execute();
    if (!rows.length) return done;
    const write = async (w: K) => {
      for (const r of rows)
        await w
          .updateTable('contacts')
          .set({
            phone_key: phoneKey(r.phone, country),
            email_key: emailKey(r.email),
            match_source: sourceOf(r.phone, r.email),
          })
          .where('id', '=', r.id)
          .where((eb) =>
            eb.and([
              r.phone === null ? eb('phone', 'is', null) : eb('phone', '=', r.phone),
              r.email === null ? eb('email', 'is', null) : eb('email', '=', r.email),
            ]),
          )
          .execute();
    };
    // One transaction a batch: a thousand single-row commits would be a thousand fsyncs on SQLite.
    if (k.isTransaction) await write(k);
    else await k.transaction().execute(write);
    done += rows.length;
    if (rows.length < BATCH) return done;
  }
}

/** After the default country changes every phone key must be read again. */
export async function invalidateMatchKeys(k: K, accountId: string): Promise<void> {
  await k.updateTable('contacts').set({ match_source: null }).where('account_id', '=', accountId).execute();
}
