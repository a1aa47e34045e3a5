// Generates xss-payloads.txt: one payload per line, every one of them trying to run __xss() (a canary global)
// or alert(). Run: node tests/security-fixtures/make-xss-payloads.mjs
import { writeFileSync } from 'node:fs';

const run = ['__xss()', 'alert(1)', 'top.__xss()', 'window["__x"+"ss"]()', 'eval("__xss()")', 'setTimeout("__xss()")'];
const out = new Set();
// script injection
for (const r of run) {
  out.add(`<script>${r}</script>`);
  out.add(`<ScRiPt>${r}</sCrIpT>`);
  out.add(`"><script>${r}</script>`);
  out.add(`'><script>${r}</script>`);
  out.add(`</textarea><script>${r}</script>`);
  out.add(`</title><script>${r}</script>`);
}
out.add('<script src=data:,__xss()></script>');
out.add('<script src="javascript:__xss()"></script>');
// event handlers
const tags = ['img src=x', 'svg', 'body', 'iframe', 'details open', 'video src=x', 'audio src=x', 'input autofocus', 'select autofocus', 'marquee', 'object data=x', 'image src=x'];
const events = ['onerror', 'onload', 'ontoggle', 'onfocus', 'onstart', 'onmouseover'];
for (const t of tags) for (const e of events.slice(0, 3)) out.add(`<${t} ${e}=__xss()>`);
for (const e of events) out.add(`<div ${e}="__xss()" style="width:100px;height:100px">x</div>`);
out.add('<img src=x onerror="&#95;&#95;xss()">');
out.add('<img src=x oNeRrOr=__xss()>');
out.add('<img src=x onerror=\u0009__xss()>');
out.add('<img/src/onerror=__xss()>');
out.add('<svg><animate onbegin=__xss() attributeName=x dur=1s>');
out.add('<svg><set onbegin=__xss() attributename=x to=1>');
out.add('<svg/onload=__xss()>');
out.add('<math><mtext><table><mglyph><style><img src=x onerror=__xss()>');
// javascript: and data: links, casings and encodings
const schemes = ['javascript', 'JavaScript', 'JAVASCRIPT', 'jAvAsCrIpT', 'java\tscript', 'java\nscript', 'java&#09;script', ' javascript', '&#106;avascript', '&#x6A;avascript', 'javascript&colon;', '%6A%61%76%61%73%63%72%69%70%74', '\u0001javascript', 'vbscript'];
for (const s of schemes) {
  out.add(`${s}:__xss()`);
  out.add(`<a href="${s}:__xss()">click</a>`);
  out.add(`[click](${s}:__xss())`);
}
for (const d of ['data:text/html,<script>__xss()</script>', 'data:text/html;base64,PHNjcmlwdD5fX3hzcygpPC9zY3JpcHQ+', 'DATA:text/html,<script>__xss()</script>', 'data:image/svg+xml,<svg onload=__xss()>', 'Data:application/javascript,__xss()']) {
  out.add(d);
  out.add(`<a href="${d}">d</a>`);
  out.add(`<iframe src="${d}"></iframe>`);
  out.add(`[d](${d})`);
}
// links that look fine but are not http(s)/mailto
for (const u of ['http://example.com/"onmouseover="__xss()', 'https://example.com/<script>__xss()</script>', "https://example.com/'onerror='__xss()", 'mailto:a@b.c?body=<script>__xss()</script>', 'http://example.com/#"><img src=x onerror=__xss()>', 'https://ex.com/x"><svg onload=__xss()>', 'HTTPS://EXAMPLE.COM/ok', 'ftp://example.com/file', 'file:///etc/passwd', 'blob:https://example.com/x', 'intent://x#Intent;end', 'tel:+100"onclick="__xss()']) out.add(u);
// SVG
for (const r of run.slice(0, 3)) {
  out.add(`<svg><script>${r}</script></svg>`);
  out.add(`<svg><a xlink:href="javascript:${r}"><text x=20 y=20>x</text></a></svg>`);
  out.add(`<svg><foreignObject><iframe srcdoc="<script>parent.${r}</script>"></iframe></foreignObject></svg>`);
  out.add(`<svg><use href="data:image/svg+xml,<svg id='x' xmlns='http://www.w3.org/2000/svg'><image href='1' onerror='${r}'/></svg>#x"/></svg>`);
}
// mutation XSS
for (const m of [
  '<noscript><p title="</noscript><img src=x onerror=__xss()>">',
  '<form><math><mtext></form><form><mglyph><style></math><img src onerror=__xss()>',
  '<svg></p><style><a id="</style><img src=1 onerror=__xss()>">',
  '<math><style><img src=x onerror=__xss()></style></math>',
  '<listing>&lt;img src=x onerror=__xss()&gt;</listing>',
  '<xmp></xmp><img src=x onerror=__xss()>',
  '<template><img src=x onerror=__xss()></template>',
  '<style><!--</style><img src=x onerror=__xss()>-->',
  '<!--<img src="--><img src=x onerror=__xss()//">',
  '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;__xss()">x</a>',
  '<iframe srcdoc="&lt;script&gt;parent.__xss()&lt;/script&gt;"></iframe>',
  '<meta http-equiv="refresh" content="0;url=javascript:__xss()">',
  '<base href="javascript:__xss()//">',
  '<object data="javascript:__xss()">',
  '<embed src="javascript:__xss()">',
  '<link rel=import href="data:text/html,<script>__xss()</script>">',
  '<isindex type=image src=1 onerror=__xss()>',
  '<table background="javascript:__xss()">',
  '<div style="background:url(javascript:__xss())">',
  '<div style="x:expression(__xss())">',
  '<style>@import "javascript:__xss()";</style>',
  '\u003cimg src=x onerror=__xss()\u003e',
  '&lt;img src=x onerror=__xss()&gt;',
  '%3Cimg%20src%3Dx%20onerror%3D__xss()%3E',
  '<<script>script>__xss()<</script>/script>',
  '<scr<script>ipt>__xss()</scr</script>ipt>',
  '<img src="x` `<script>__xss()</script>"` `>',
  '<a href=# onclick=__xss()>x</a>',
  '<button formaction=javascript:__xss()>x</button>',
  '<keygen autofocus onfocus=__xss()>',
]) out.add(m);
// template injection (Angular, Vue, Handlebars, server-side templates, JS template literals)
for (const t of ['{{constructor.constructor("__xss()")()}}', '{{$on.constructor("__xss()")()}}', "{{_c.constructor('__xss()')()}}", '${__xss()}', '`${__xss()}`', '#{__xss()}', '<%= __xss() %>', '{{7*7}}', '${7*7}', '{{{__xss}}}', '[[${__xss()}]]', '{% debug %}', '{{= __xss() }}', 'v-html="__xss()"', '<div v-html="\'<img src=x onerror=__xss()>\'"></div>', '<div ng-app ng-csp>{{$eval.constructor("__xss()")()}}</div>', '{{toString.constructor.prototype.toString=toString.constructor.prototype.call;["a","__xss()"].sort(toString.constructor)}}']) out.add(t);
// polyglots and odd characters
for (const p of [
  'jaVasCript:/*-/*`/*\\`/*\'/*"/**/(/* */oNcliCk=__xss() )//%0D%0A%0d%0a//</stYle/</titLe/</teXtarEa/</scRipt/--!>\\x3csVg/<sVg/oNloAd=__xss()//>\\x3e',
  '"><img src=x onerror=__xss()>\u202e',
  '\u0000<script>__xss()</script>',
  '<scri\u0000pt>__xss()</scri\u0000pt>',
  '\uFEFF<img src=x onerror=__xss()>',
  "';__xss();//",
  '";__xss();//',
  '</script><script>__xss()</script>',
  '--></script><script>__xss()</script>',
  '<img src=x onerror=__xss()>'.repeat(3),
]) out.add(p);
const list = [...out].map((s) => s.replace(/\r?\n/g, '\\n'));
writeFileSync(new URL('./xss-payloads.txt', import.meta.url), list.join('\n') + '\n');
console.log(list.length, 'payloads');
