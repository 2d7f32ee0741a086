import { json } from '../../../../test/channel-kit.ts';
import { adapterContract } from '../adapter-contract.ts';
import { metaContractKit } from '../meta/meta-contract-kit.ts';

const IG_ID = '17841400000000001';

adapterContract(
  metaContractKit({
    type: 'instagram',
    accountId: IG_ID,
    appSecret: 'instagram-contract-app-secret',
    me: { user_id: IG_ID, username: 'acme.shop', id: '9000000000000001' },
    settings: { instagramAccountId: IG_ID, accessToken: 'IGAA-contract-token' },
    media: [
      ['image', 'image'],
      ['video', 'video'],
      ['audio', 'audio'],
      ['file', 'document'],
    ],
    receipts: 'instagram',
    final: {
      answer: json(400, {
        error: {
          message: "(#551) This person isn't available right now.",
          type: 'OAuthException',
          code: 551,
          fbtrace_id: 'AbCdEfGhIjK',
        },
      }),
      code: 'customer_unavailable',
    },
    windowSubcode: 2534022,
  }),
);
