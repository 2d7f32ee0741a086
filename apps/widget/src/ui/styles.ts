/** Lives inside the shadow root: the host page's CSS cannot reach in, and this cannot leak out. */
export const CSS = `
:host { all: initial; }
*, *::before, *::after { box-sizing: border-box; }
.sb { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: #111827; -webkit-font-smoothing: antialiased; }
button, input, textarea { font: inherit; color: inherit; margin: 0; }
button { cursor: pointer; }
[hidden] { display: none !important; }
.launcher { position: fixed; bottom: 20px; right: 20px; width: 56px; height: 56px; border-radius: 50%;
  border: 0; padding: 0; background: var(--sb-color); color: var(--sb-on-color);
  box-shadow: 0 6px 20px rgba(0,0,0,.22); display: flex; align-items: center; justify-content: center;
  transition: transform .15s ease; z-index: 2; }
.launcher:hover { transform: scale(1.06); }
.launcher:focus-visible, .panel button:focus-visible { outline: 3px solid #93c5fd; outline-offset: 2px; }
.launcher svg { width: 28px; height: 28px; fill: currentColor; }
.left .launcher { right: auto; left: 20px; }
.badge { position: absolute; top: -4px; right: -4px; min-width: 22px; height: 22px; padding: 0 6px;
  border-radius: 11px; background: #dc2626; color: #fff; font-size: 12px; font-weight: 700; line-height: 22px;
  text-align: center; box-shadow: 0 0 0 2px #fff; }
.panel { position: fixed; bottom: 88px; right: 20px; width: 370px; height: 560px;
  max-height: calc(100vh - 110px); background: #fff; border-radius: 14px; overflow: hidden;
  box-shadow: 0 12px 40px rgba(0,0,0,.25); display: flex; flex-direction: column; z-index: 1; }
.left .panel { right: auto; left: 20px; }
.head { background: var(--sb-color); color: var(--sb-on-color); padding: 14px 12px 14px 16px;
  display: flex; align-items: center; gap: 8px; }
.titles { flex: 1; min-width: 0; }
.title { font-weight: 700; font-size: 16px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.status { font-size: 12px; opacity: .9; display: flex; align-items: center; gap: 6px; }
.dot { width: 8px; height: 8px; border-radius: 50%; background: #9ca3af; }
.dot.on { background: #22c55e; }
.icon-btn { border: 0; background: transparent; color: inherit; width: 34px; height: 34px; border-radius: 8px;
  display: flex; align-items: center; justify-content: center; padding: 0; }
.icon-btn svg { width: 20px; height: 20px; fill: currentColor; }
.icon-btn:hover { background: rgba(127,127,127,.18); }
.notice { background: #fef3c7; color: #78350f; font-size: 13px; padding: 8px 14px; }
.body { flex: 1; overflow-y: auto; padding: 14px; background: #f9fafb; }
.welcome { background: #fff; border: 1px solid #e5e7eb; border-radius: 12px; padding: 10px 12px;
  margin-bottom: 12px; white-space: pre-wrap; overflow-wrap: anywhere; }
.msg { display: flex; flex-direction: column; margin: 6px 0; max-width: 82%; }
.msg.in { margin-left: auto; align-items: flex-end; }
.msg.out { margin-right: auto; align-items: flex-start; }
.author { font-size: 12px; color: #6b7280; margin: 0 4px 2px; }
.bubble { padding: 8px 12px; border-radius: 14px; white-space: pre-wrap; overflow-wrap: anywhere;
  word-break: break-word; }
.in .bubble { background: var(--sb-color); color: var(--sb-on-color); border-bottom-right-radius: 4px; }
.out .bubble { background: #fff; border: 1px solid #e5e7eb; border-bottom-left-radius: 4px; }
.bubble a { color: inherit; text-decoration: underline; }
.quick { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 6px; }
.quick .qr { border: 1px solid var(--sb-color); background: #fff; color: #111; border-radius: 14px; padding: 5px 12px;
  cursor: pointer; font: inherit; }
.quick.stars { flex-direction: row-reverse; justify-content: flex-end; gap: 2px; }
.quick.stars .qr { border: 0; background: none; font-size: 26px; line-height: 1; padding: 2px; color: #c8ccd2; }
.quick.stars .qr:hover, .quick.stars .qr:hover ~ .qr, .quick.stars .qr:focus-visible, .quick.stars .qr:focus-visible ~ .qr { color: #f5b301; }
.meta { font-size: 11px; color: #9ca3af; margin: 2px 4px 0; }
.pending .bubble { opacity: .65; }
.failed .meta { color: #dc2626; }
.retry { border: 0; background: none; padding: 0; color: #dc2626; text-decoration: underline; font-size: 11px; }
.att { display: block; margin-top: 4px; }
.att img { display: block; max-width: 100%; max-height: 240px; border-radius: 8px; background: #e5e7eb;
  min-width: 60px; min-height: 40px; }
.file { border: 0; background: rgba(127,127,127,.15); color: inherit; border-radius: 8px; padding: 6px 10px;
  text-align: left; max-width: 100%; overflow-wrap: anywhere; }
.typing { font-size: 12px; color: #6b7280; padding: 0 16px 6px; background: #f9fafb; min-height: 0; }
.composer { display: flex; align-items: flex-end; gap: 4px; border-top: 1px solid #e5e7eb; padding: 8px; background: #fff; }
.composer textarea { flex: 1; resize: none; border: 0; outline: none; padding: 8px 6px; max-height: 120px;
  min-height: 36px; background: transparent; }
.composer .icon-btn { color: #6b7280; }
.composer .send { color: var(--sb-color); }
.error { color: #b91c1c; background: #fee2e2; font-size: 12px; padding: 6px 12px; }
.prechat { flex: 1; overflow-y: auto; padding: 18px 16px; display: flex; flex-direction: column; gap: 12px; }
.prechat label { display: flex; flex-direction: column; gap: 4px; font-size: 13px; color: #374151; }
.prechat input { border: 1px solid #d1d5db; border-radius: 8px; padding: 8px 10px; background: #fff; }
.prechat input:focus { outline: 2px solid var(--sb-color); outline-offset: 0; border-color: transparent; }
.prechat .opt { color: #9ca3af; font-size: 12px; }
.primary { border: 0; border-radius: 8px; padding: 10px 14px; background: var(--sb-color); color: var(--sb-on-color);
  font-weight: 600; }
.brand { text-align: center; font-size: 11px; color: #9ca3af; padding: 4px 0 6px; background: #fff; }
@media (max-width: 480px) {
  .panel { inset: 0; width: auto; height: auto; max-height: none; border-radius: 0; }
  .left .panel { left: 0; }
  /* The panel fills the screen, so the floating button would sit over Send: the header's close button
     closes it instead. */
  .open .launcher { display: none; }
}
`;
