import { objectField } from '../channels/adapters/http-errors'

/**
 * Button presses reach us through the inbox's own getUpdates polling: one bot has one
 * update stream, and a second reader would steal the inbox's messages (Telegram confirms
 * updates by offset). The inbox asks for messages only; this tap, given to the inbox's
 * poller as its `fetch`, widens the room bot's requests to `callback_query` too and hands
 * those updates to `onCallbackQuery` as the answer comes back, before the inbox reads it.
 * The inbox skips updates that are not messages and moves its offset past them, so a
 * press is confirmed to Telegram on the next poll, after it was decided here; if the
 * inbox fails to store its messages the same updates come again, and the press, already
 * recorded by its id, is refused as a replay. Requests for other bots pass untouched.
 *
 * Private messages go to `onMessage` too: one it takes (a person on call writing «STOP»
 * with their PIN) is withheld from the inbox, replaced by a bare `{update_id}` so the
 * inbox still moves its offset past it, and the PIN never reaches the citizens' messages.
 */
export function tapTelegramUpdates(options: {
  /** The room bot's token now (a changed account applies at once); undefined when there is none. */
  token(): string | undefined
  /** Decides synchronously; its network answers go on in the background. */
  onCallbackQuery(update: unknown): void
  /** Decides synchronously; true when the message is taken and must not reach the inbox. */
  onMessage?(update: unknown): boolean
  onError(err: unknown): void
  fetch?: typeof fetch
}): typeof fetch {
  const base = options.fetch ?? fetch
  return async (input, init) => {
    const href = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
    let url: URL
    try {
      url = new URL(href)
    } catch {
      return base(input, init)
    }
    const m = /\/bot([^/]+)\/getUpdates$/.exec(url.pathname)
    let token: string | undefined
    try {
      token = options.token()
    } catch (err) {
      options.onError(err)
    }
    if (!m || !token || decodeURIComponent(m[1] ?? '') !== token) return base(input, init)

    let allowed: unknown = ['message']
    try {
      allowed = JSON.parse(url.searchParams.get('allowed_updates') ?? '["message"]')
    } catch {
      // Unreadable: the inbox's default, messages.
    }
    const kinds = Array.isArray(allowed) ? allowed.filter((k) => typeof k === 'string') : []
    if (!kinds.includes('callback_query')) kinds.push('callback_query')
    url.searchParams.set('allowed_updates', JSON.stringify(kinds))

    const res = await base(url.toString(), init)
    const text = await res.text()
    let body: unknown
    try {
      body = JSON.parse(text)
    } catch {
      body = undefined
    }
    const result = (body as { ok?: unknown; result?: unknown } | undefined)?.result
    let out = text
    if ((body as { ok?: unknown } | undefined)?.ok === true && Array.isArray(result)) {
      let withheld = false
      const passed = result.map((update: unknown) => {
        try {
          if (objectField(update, 'callback_query')) options.onCallbackQuery(update)
          else if (objectField(update, 'message') && options.onMessage?.(update)) {
            withheld = true
            return { update_id: (update as { update_id?: unknown }).update_id }
          }
        } catch (err) {
          // An update that could not be decided: the inbox's messages still go through.
          options.onError(err)
        }
        return update
      })
      if (withheld) out = JSON.stringify({ ...(body as object), result: passed })
    }
    // The body is read already (and decoded): its length and encoding are not the original's.
    const headers = new Headers(res.headers)
    headers.delete('content-encoding')
    headers.delete('content-length')
    return new Response(out, { status: res.status, statusText: res.statusText, headers })
  }
}
