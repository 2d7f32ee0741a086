/** English text of a new center's first steps: the empty inbox's guidance and what a new channel needs next. */
export const firstStepsEn = {
  'start.title': 'Welcome to Switchboard',
  'start.intro': 'Nothing has come in yet. Three steps get your team answering customers:',
  'start.channel': 'Connect a channel',
  'start.channelHelp': 'A website chat, Telegram, WhatsApp, SMS, e-mail or your own system through the API.',
  'start.invite': 'Invite operators',
  'start.inviteHelp': 'Add the people who answer, and group them into teams.',
  'start.demo': 'Try the demo',
  'start.demoHelp': 'Sandbox channels and a customer phone page, no provider account needed. In a terminal:',
  'start.operator':
    'No channel is connected yet. Ask an admin of your account to connect one; conversations appear here as soon as customers write.',
  'start.quiet': 'No conversations yet. They appear here as soon as a customer writes to a channel.',
  'start.otherViews': 'This view is empty. Other views may hold conversations:',
  'start.viewAll': 'All conversations',
  'start.viewUnassigned': 'Unassigned',
  'created.api': 'Channel created. Give your system the webhook URL and the secret.',
  'created.widget':
    'Website chat created. Paste the snippet into every page of your site, just before the closing body tag: the chat button appears at once.',
  'created.telegram':
    'Telegram bot connected: Switchboard registered its webhook, so messages to the bot arrive here now. Write to the bot to try it.',
  'created.viber':
    'Viber bot connected: Switchboard registered its webhook, so messages to the bot arrive here now.',
  'created.whatsapp':
    'WhatsApp number saved. In your Meta app, under WhatsApp › Configuration, enter the webhook URL and the verify token below and subscribe to messages.',
  'created.messenger':
    'Facebook Page saved. In your Meta app, under Messenger › Webhooks, enter the webhook URL and the verify token below and subscribe the Page.',
  'created.instagram':
    'Instagram account saved. In your Meta app, under Instagram › Webhooks, enter the webhook URL and the verify token below.',
  'created.twilio_sms':
    'SMS number connected. Switchboard set the number’s incoming message URL in Twilio, shown below for reference.',
  'created.vonage_sms':
    'SMS number saved. In your Vonage application, set both the Inbound URL and the Status URL to the webhook URL below.',
  'created.vk':
    'VK community saved. In the community’s Callback API settings, add the webhook URL below as a server; the confirmation code answers VK’s check.',
  'created.email':
    'Mailbox connected. Replies go out through your mail server; incoming mail arrives as set below.',
  'created.other': 'Channel created. Its connection details are below.',
  'created.copySnippet': 'Copy snippet',
} as const;
