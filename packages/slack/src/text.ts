// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g

/**
 * Escapes text for Slack `mrkdwn`: `&`, `<` and `>` are Slack's control characters (links,
 * mentions, `<!channel>`), so text written by operators or taken from labels becomes inert and
 * can never ping a channel or forge a link. Control characters other than line breaks and tabs
 * are dropped.
 *
 * @example
 * ```ts
 * escapeMrkdwn('p99 < 300ms & <!channel>') // 'p99 &lt; 300ms &amp; &lt;!channel&gt;'
 * ```
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(CONTROL, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/** Text for a `plain_text` object that must stay on one line (a header, a button): no breaks, no controls. */
export function oneLine(text: string): string {
  return text
    .replace(/\s*[\r\n]+\s*/g, ' ')
    .replace(CONTROL, '')
    .trim()
}

/**
 * Cuts `text` to at most `max` UTF-16 code units (what Slack counts, or more), ending with
 * `marker` when it had to cut. Never splits a surrogate pair, an `&amp;`-style entity or a
 * `<…>` token (a date, a link), so the cut text is still valid mrkdwn.
 */
export function truncate(text: string, max: number, marker: string): string {
  if (text.length <= max) return text
  let cut = text.slice(0, Math.max(0, max - marker.length))
  const lastOpen = cut.lastIndexOf('<')
  if (lastOpen > cut.lastIndexOf('>')) cut = cut.slice(0, lastOpen)
  const lastAmp = cut.lastIndexOf('&')
  if (lastAmp > cut.lastIndexOf(';') && cut.length - lastAmp < 8) cut = cut.slice(0, lastAmp)
  const last = cut.charCodeAt(cut.length - 1)
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1)
  return `${cut}${marker}`
}
