// The chat window's own stylesheet (messages, composer, form), adopted when its code first runs;
// the launcher and the window frame are the loader's (widget/src/loader/styles.ts).
/** Visually hidden, still read out (the launcher badge's count, who wrote each message). */
export const srCss = `.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}`;

export const windowCss = srCss + `
.root{--soft:#eef0f4;--line:#e3e5ea;--edge:#b9bec9;--err:#c0271b}
.dark{--soft:#2d313b;--line:#363b46;--edge:#5a6170;--err:#ff8f85}
@media (prefers-color-scheme:dark){.auto{--soft:#2d313b;--line:#363b46;--edge:#5a6170;--err:#ff8f85}}
.log{display:flex;flex-direction:column;gap:8px}
.msg{max-width:80%;padding:8px 12px;border-radius:14px;background:var(--soft);white-space:pre-wrap;overflow-wrap:anywhere;align-self:flex-start}
.msg.visitor{align-self:flex-end;background:var(--c);color:#fff}
.who{display:block;font-size:12px;font-weight:600;opacity:.75}
.who:before{content:attr(data-i);content:attr(data-i)/"";display:inline-grid;place-items:center;min-width:20px;height:20px;padding:0 3px;margin-right:6px;border-radius:10px;background:var(--c);color:#fff;font-size:10px}
.at{display:block;font-size:11px;opacity:.7;margin-top:2px;text-align:end}
.typing{font-size:13px;color:var(--mute);font-style:italic}
.status{display:block;font-size:12px;opacity:.8;margin-top:2px}
.msg.failed{background:#fde8e7;color:#8a1c14}
.link{text-decoration:underline;font-weight:600;margin-left:6px}
.composer{display:flex;gap:8px;padding:10px;border-top:1px solid var(--line);align-items:flex-end}
textarea,input{display:block;width:100%;font-size:16px;padding:9px 11px;border:1px solid var(--edge);border-radius:9px}
textarea{resize:none;min-height:44px;max-height:120px}
input[type=checkbox]{width:auto;display:inline-block}
[aria-invalid=true]{border-color:var(--err)}
.send,.submit{min-height:44px;min-width:44px;background:var(--c);color:#fff;border-radius:9px;padding:10px 14px;font-weight:600}
form{display:flex;flex-direction:column;gap:12px}
label{display:block;font-weight:600;margin-bottom:4px}
.req{font-weight:400;color:var(--mute);font-size:13px}
.err{color:var(--err);font-size:14px;margin-top:4px}
.summary{color:var(--err);font-weight:600}
@media (max-width:480px){.composer{padding:10px max(10px,env(safe-area-inset-right)) max(10px,env(safe-area-inset-bottom)) max(10px,env(safe-area-inset-left))}}
`;
