import { createAccountWithAdmin } from '../src/modules/accounts/account.service.ts';
import type { Session, TestApp } from './test-app.ts';

type NewAccount = Parameters<typeof createAccountWithAdmin>[1];

/**
 * A second account beside the test app's own, signed in as its admin: the stranger that tenant
 * isolation checks ask for. Answers the admin's session.
 */
export async function signInOtherAccount(t: TestApp, account: NewAccount): Promise<Session> {
  await createAccountWithAdmin(t.ctx, account);
  return t.login(account.email, account.password);
}
