/**
 * The "customer phone": one self-contained page (no external assets) where a person types as a customer
 * on a sandbox messenger or by SMS and sees the business's replies with their delivery state. Everything
 * customer- or operator-written is inserted with textContent, never as HTML.
 */
export const PHONE_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Customer phone — Switchboard sandbox</title>
<style>
  * { box-sizing: border-box; }
  body { margin: 0; font: 15px/1.4 system-ui, sans-serif; background: #e9edf2; display: flex; justify-content: center; }
  .phone { width: 380px; height: 100vh; max-height: 760px; margin: 16px 0; background: #fff; border-radius: 24px;
    box-shadow: 0 8px 30px rgba(0,0,0,.15); display: flex; flex-direction: column; overflow: hidden; }
  .tabs { display: flex; }
  .tabs button { flex: 1; padding: 12px; border: 0; font-weight: 600; cursor: pointer; background: #f3f5f7; color: #555; }
  .tabs button.on[data-m=telegram] { background: #2aabee; color: #fff; }
  .tabs button.on[data-m=whatsapp] { background: #25d366; color: #fff; }
  .tabs button.on[data-m=sms] { background: #f22f46; color: #fff; }
  .tabs button.on[data-m=messenger] { background: #0866ff; color: #fff; }
  .tabs button.on[data-m=instagram] { background: #d62976; color: #fff; }
  .tabs button.on[data-m=vk] { background: #0077ff; color: #fff; }
  .tabs button.on[data-m=viber] { background: #7360f2; color: #fff; }
  .tabs button.on[data-m=sms2] { background: #871fff; color: #fff; }
  .actions { display: flex; gap: 6px; padding: 6px 10px 0; }
  .actions button { border: 1px solid #7360f2; background: #fff; color: #7360f2; border-radius: 12px; padding: 3px 10px; cursor: pointer; font-size: 12px; }
  .tabs button.on[data-m=email] { background: #6b5b95; color: #fff; }
  .tabs button { padding: 12px 4px; font-size: 13px; }
  .title { padding: 8px 14px; font-size: 13px; color: #666; border-bottom: 1px solid #eee; }
  .chat { flex: 1; overflow-y: auto; padding: 12px; display: flex; flex-direction: column; gap: 6px; background: #f7f4ef; }
  .line { max-width: 78%; padding: 7px 10px; border-radius: 12px; white-space: pre-wrap; word-wrap: break-word; }
  .customer { align-self: flex-end; background: #dcf8c6; }
  .business { align-self: flex-start; background: #fff; }
  .meta { display: block; font-size: 11px; color: #888; text-align: right; margin-top: 2px; }
  .read { color: #34b7f1; }
  .failed { color: #d33; }
  form { display: flex; gap: 6px; padding: 10px; border-top: 1px solid #eee; }
  input { flex: 1; padding: 9px 12px; border: 1px solid #ccc; border-radius: 18px; font: inherit; }
  form button { border: 0; border-radius: 18px; padding: 0 14px; cursor: pointer; background: #333; color: #fff; }
  .buttons { display: flex; flex-wrap: wrap; gap: 4px; margin-top: 6px; }
  .buttons button { flex: 1 1 auto; border: 1px solid #2aabee; background: #f5fbff; color: #1c7fb5; border-radius: 8px; padding: 5px 8px; cursor: pointer; font: inherit; }
  .hint { font-size: 12px; color: #777; padding: 0 12px 10px; }
</style>
</head>
<body>
<div class="phone">
  <div class="tabs"><button data-m="telegram" class="on">Telegram</button><button data-m="whatsapp">WhatsApp</button><button data-m="sms">SMS</button><button data-m="messenger">Messenger</button><button data-m="instagram">Instagram</button><button data-m="vk">VK</button><button data-m="viber">Viber</button><button data-m="sms2" title="SMS through Vonage">SMS 2</button><button data-m="email" title="Customer mailbox">Mail</button></div>
  <div class="title" id="title"></div>
  <div class="chat" id="chat"></div>
  <div class="actions" id="viberactions" hidden><button type="button" data-a="open">Open chat</button><button type="button" data-a="subscribe">Subscribe</button><button type="button" data-a="unsubscribe">Unsubscribe</button></div>
  <form id="form"><input id="text" autocomplete="off" placeholder="Message as the customer…">
    <button type="button" id="photo" title="Send a photo">📷</button><button>Send</button></form>
  <div class="hint">Replies typed in the Switchboard console appear here. This page is the sandbox provider's customer.
    <span id="smshint" hidden>SMS: text STOP to opt out (the console then refuses replies), START to opt in again.</span>
    <span id="emailhint" hidden>Mail: the customer's mailbox; what you send answers the business's last mail (threaded by its headers).</span>
    <span id="vkhint" hidden>VK: send /deny to deny messages from the community (the console then refuses replies), /allow to allow them again.</span>
    <span id="viberhint" hidden>Viber: "Open chat" gets the welcome message; "Unsubscribe" makes the console refuse replies until you subscribe or write again.</span></div>
</div>
<script>
  let messenger = 'telegram';
  let last = '';
  const $ = (id) => document.getElementById(id);
  const ticks = { queued: '🕓', accepted: '🕓', sent: '✓', delivered: '✓✓', read: '✓✓', failed: '⚠ failed', undelivered: '⚠ undelivered' };
  const failed = (s) => /^(failed|undelivered)/.test(s || '');
  function render(data) {
    const chat = data[messenger];
    $('title').textContent = chat.title;
    $('smshint').hidden = messenger !== 'sms' && messenger !== 'sms2';
    $('vkhint').hidden = messenger !== 'vk';
    $('viberactions').hidden = messenger !== 'viber';
    $('viberhint').hidden = messenger !== 'viber';
    $('emailhint').hidden = messenger !== 'email';
    const key = JSON.stringify(chat.lines);
    if (key === last) return;
    last = key;
    const box = $('chat');
    box.replaceChildren(...chat.lines.map((l) => {
      const div = document.createElement('div');
      div.className = 'line ' + l.from;
      div.textContent = l.text;
      const meta = document.createElement('span');
      meta.className = 'meta' + (l.status === 'read' ? ' read' : failed(l.status) ? ' failed' : '');
      meta.textContent = new Date(l.at).toLocaleTimeString() + (l.status ? ' ' + (ticks[l.status] || (failed(l.status) ? '⚠ ' : '') + l.status) : '');
      if (l.buttons && l.buttons.length) {
        // Tappable like the messenger's own buttons: the tap goes to the business as the provider sends it.
        const row = document.createElement('div');
        row.className = 'buttons';
        for (const b of l.buttons) {
          const btn = document.createElement('button');
          btn.type = 'button';
          btn.textContent = b.title;
          btn.addEventListener('click', async () => { await post('/api/tap', { messenger, messageId: l.id, buttonId: b.id }); refresh(); });
          row.appendChild(btn);
        }
        div.appendChild(row);
      }
      div.appendChild(meta);
      return div;
    }));
    box.scrollTop = box.scrollHeight;
    // Looking at the chat reads the business's messages (blue ticks in the console).
    const unread = (l) => l.from === 'business' && (l.status === 'delivered' || (messenger !== 'whatsapp' && l.status === 'sent'));
    if (['whatsapp', 'messenger', 'instagram', 'viber'].includes(messenger) && chat.lines.some(unread)) {
      post('/api/read', { messenger });
    }
  }
  async function post(url, body) {
    const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return r.json();
  }
  async function refresh() {
    try { render(await (await fetch('/api/chats')).json()); } catch (e) { /* the demo is stopping */ }
  }
  document.querySelectorAll('.tabs button').forEach((b) => b.addEventListener('click', () => {
    messenger = b.dataset.m;
    last = '';
    document.querySelectorAll('.tabs button').forEach((x) => x.classList.toggle('on', x === b));
    refresh();
  }));
  $('form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const text = $('text').value.trim();
    if (!text) return;
    $('text').value = '';
    await post('/api/send', { messenger, text });
    refresh();
  });
  document.querySelectorAll('#viberactions button').forEach((b) => b.addEventListener('click', async () => {
    await post('/api/viber', { action: b.dataset.a });
    refresh();
  }));
  $('photo').addEventListener('click', async () => { await post('/api/send', { messenger, photo: true }); refresh(); });
  refresh();
  setInterval(refresh, 1000);
</script>
</body>
</html>
`;
