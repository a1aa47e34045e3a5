// The loader's stylesheets, adopted into the shadow root (no inline <style> needed under CSP): the
// launcher's rules parse at mount; the window frame's (shell, header, full screen on phones) on the
// first open, so the window appears at once while its code is still arriving.
// The launcher's chat-bubble icon is two pseudo-elements: no SVG (the page's first SVG element costs ~1.5 ms to set up).
// `:host { all: initial }` stops the host page's inherited fonts and colours at the boundary.
// env(safe-area-inset-*) has no fallback: every browser that parses env() defines them (0 without a notch).
// Window colours are variables: `.dark`, or `.auto` (the default theme) on a dark-scheme device, swap them.
// Only the shell's three live here; the chat window's own (--soft, --line, --edge, --err) are in app/styles.ts.
export const launcherCss = `
:host{all:initial!important;position:fixed!important;z-index:2147483000!important;display:block!important}
*{box-sizing:border-box;margin:0;padding:0;border:0;font:inherit;color:inherit;background:none}
.root{font:15px/1.45 system-ui,sans-serif;color:#1f2430;--c:var(--chative-color,#4f46e5)}
button{cursor:pointer}
:focus-visible{outline:3px solid #1f2430;outline-offset:2px}
.launcher{position:fixed;bottom:calc(20px + env(safe-area-inset-bottom));right:calc(20px + env(safe-area-inset-right));width:56px;height:56px;border-radius:50%;background:var(--c);color:#fff;display:flex;align-items:center;justify-content:center;box-shadow:0 4px 16px rgba(0,0,0,.25)}
.left .launcher{right:auto;left:calc(20px + env(safe-area-inset-left))}
.launcher::before{content:"";width:23px;height:16px;margin-top:-3px;border-radius:3px;background:currentColor}
.launcher::after{content:"";position:absolute;left:19px;top:34px;border-top:6px solid;border-right:6px solid transparent}
`;

export const shellCss = `
.root{--bg:#fff;--fg:#1f2430;--mute:#5b6170}
.dark{--bg:#1d2027;--fg:#e8eaf0;--mute:#a6acb9}
@media (prefers-color-scheme:dark){.auto{--bg:#1d2027;--fg:#e8eaf0;--mute:#a6acb9}}
.window{position:fixed;bottom:calc(88px + env(safe-area-inset-bottom));right:20px;width:370px;height:min(600px,calc(100vh - 110px));display:flex;flex-direction:column;background:var(--bg);color:var(--fg);border-radius:14px;overflow:hidden;box-shadow:0 8px 40px rgba(0,0,0,.28)}
.left .window{right:auto;left:20px}
.header{display:flex;align-items:center;gap:8px;padding:16px;background:var(--c);color:#fff}
.header h2{flex:1;font-size:17px;font-weight:600}
.x{width:44px;height:44px;margin:-4px -8px -4px 0;border-radius:8px;font-size:24px;line-height:44px;color:#fff}
.x:hover{background:rgba(255,255,255,.18)}
.body{flex:1;overflow:auto;padding:16px;display:flex;flex-direction:column;gap:8px}
.hint{color:var(--mute);font-size:14px}
@media (max-width:480px){
.window{inset:auto 0 0 0;top:var(--chative-vv-top,0);width:100%;height:var(--chative-vv-height,100%);border-radius:0}
.left .window{left:0}
.open .launcher{display:none}
.header{padding:max(12px,env(safe-area-inset-top)) max(16px,env(safe-area-inset-right)) 12px max(16px,env(safe-area-inset-left))}
.body{padding-left:max(16px,env(safe-area-inset-left));padding-right:max(16px,env(safe-area-inset-right))}
}
`;
