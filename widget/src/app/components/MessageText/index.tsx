// Message text rendered as text nodes; http(s)/mailto links become <a> elements, never innerHTML.
const LINK = /\b(?:https?:\/\/|mailto:)[^\s<>"']+/gi;
const TRAILING = /[.,;:!?)\]}]+$/;

/** Split text into plain strings and safe link targets. */
export function linkify(text: string): (string | { href: string })[] {
  const parts: (string | { href: string })[] = [];
  let last = 0;
  for (const match of text.matchAll(LINK)) {
    const href = match[0].replace(TRAILING, '');
    const start = match.index!;
    if (start > last) parts.push(text.slice(last, start));
    parts.push({ href });
    last = start + href.length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

/** The message's text and links as children of its bubble (a plain function: no component instance per message). */
export const messageText = (text: string) => linkify(text).map((part) => typeof part === 'string'
  ? part
  : <a href={part.href} target="_blank" rel="noopener noreferrer nofollow">{part.href}</a>);

/** The same as a component (the console's thread renders agent and visitor messages with it). */
export function MessageText({ text }: { text: string }) {
  return <>{messageText(text)}</>;
}
