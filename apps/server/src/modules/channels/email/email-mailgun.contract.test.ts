import { afterAll } from 'vitest';
import { SmtpRelay } from '../../../../test/smtp-relay.ts';
import { adapterContract } from '../adapter-contract.ts';
import {
  MAILGUN_KEY,
  emailContractKit,
  mailgunCall,
  mailgunMimeCall,
  mimeWithPdf,
} from './email-contract-kit.ts';

// The channel's SMTP login is tested before it is saved: a real SMTP server answers it.
const smtp = await new SmtpRelay(0, []).start();
afterAll(() => smtp.stop());

adapterContract(
  emailContractKit({
    smtpPort: smtp.port,
    inbound: { inbound: 'mailgun', mailgunSigningKey: MAILGUN_KEY },
    call: (k, m) => mailgunCall(k, m),
    more: [
      {
        // The raw-MIME forward: the file, and the original MIME kept to download.
        contentKind: 'document',
        text: 'The invoice, attached.',
        attachments: 2,
        build: (k, n) => mailgunMimeCall(k, mimeWithPdf(n, k.now())),
      },
    ],
    forged: (k) =>
      mailgunCall(
        k,
        { messageId: 'forged@x', subject: 'hi', text: 'hi' },
        { key: 'key-another-signing-key-000' },
      ),
  }),
);
