import { afterAll } from 'vitest';
import { SmtpRelay } from '../../../../test/smtp-relay.ts';
import { adapterContract } from '../adapter-contract.ts';
import { POSTMARK_PASSWORD, POSTMARK_USER, emailContractKit, postmarkCall } from './email-contract-kit.ts';

// The channel's SMTP login is tested before it is saved: a real SMTP server answers it.
const smtp = await new SmtpRelay(0, []).start();
afterAll(() => smtp.stop());

adapterContract(
  emailContractKit({
    smtpPort: smtp.port,
    inbound: { inbound: 'postmark', postmarkUser: POSTMARK_USER, postmarkPassword: POSTMARK_PASSWORD },
    call: (k, m) => postmarkCall(k, m),
    forged: (k) =>
      postmarkCall(k, { messageId: 'forged@x', subject: 'hi', text: 'hi' }, 'a-wrong-password-123'),
  }),
);
