/**
 * How the desktop app prints a report to PDF: in a hidden window of its own
 * (sandboxed, no script, no Node, an in-memory session of its own) that may
 * load the report's page and the images written into it, and nothing else —
 * no network, no other file.
 */

/** The print window's session: in memory (no `persist:`), shared with no other page. */
export const PRINT_PARTITION = 'vedetta-print'

/** Page and background as the report's own CSS asks, no browser header or footer. */
export const PRINT_OPTIONS = {
  printBackground: true,
  preferCSSPageSize: true,
  pageSize: 'A4',
  displayHeaderFooter: false,
} as const

/** Whether the print window may load a URL: the report page itself, or inline data. */
export function printRequestAllowed(url: string, pageUrl: string): boolean {
  if (url.startsWith('data:')) return true
  try {
    const u = new URL(url)
    const page = new URL(pageUrl)
    return u.protocol === 'file:' && page.protocol === 'file:' && u.pathname === page.pathname
  } catch {
    return false
  }
}
