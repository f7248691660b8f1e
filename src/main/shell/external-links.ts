/**
 * Links in the room come from citizens, partners and bulletins: untrusted. Only
 * web addresses open, in the system's browser, and only after the operator has
 * read where they lead (the host as the browser will see it, so a look-alike
 * address or `https://bank.it@elsewhere.example` shows its real destination).
 */
export type ExternalLinkDecision =
  | { open: true; url: string; host: string; message: string; detail: string }
  | { open: false; message: string; detail: string }

const DETAIL_MAX = 300

const shorten = (text: string) =>
  text.length > DETAIL_MAX ? `${text.slice(0, DETAIL_MAX - 1)}…` : text

export function externalLinkDecision(raw: string): ExternalLinkDecision {
  let url: URL | undefined
  try {
    url = new URL(raw)
  } catch {
    url = undefined
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) {
    return {
      open: false,
      message: 'Vedetta apre nel browser solo indirizzi web (http o https).',
      detail: shorten(raw),
    }
  }
  return {
    open: true,
    url: url.href,
    host: url.host,
    message: `Aprire ${url.host} nel browser?`,
    detail: shorten(url.href),
  }
}
