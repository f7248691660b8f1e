import type { CitizenMessage } from '../../../shared/citizens/types'
import type { BulletinAlertView } from '../../../shared/contract/feeds'
import type { CallContext } from '../handlers'
import type { DrillRuntime } from './drill-runtime'

/**
 * A trainee that does the obvious and nothing more, for checking a scenario
 * before the exercise day (`vedetta drill run --auto`): each bulletin is noted
 * in the journal and answered with the matching template, on every channel, to
 * every list, asking every partner to relay; each citizen who writes gets an
 * answer pointing to the official channels, as a trainee would give. Checkpoints
 * that need more than that stay missed, which is what a dry run should show.
 */
export interface AutoTrainee {
  /** Resolves when every bulletin so far has been answered (or failed to be). */
  idle(): Promise<void>
  detach(): void
}

export function attachAutoTrainee(
  runtime: DrillRuntime,
  options: { operator?: string; log?: (line: string) => void } = {},
): AutoTrainee {
  const ctx: CallContext = { operator: options.operator ?? 'allievo automatico' }
  const log = options.log ?? (() => {})
  const h = runtime.handlers
  let chain: Promise<void> = Promise.resolve()

  async function answer(view: BulletinAlertView): Promise<void> {
    const bulletin = view.item.bulletin
    await h['journal:addNote']({ text: `Bollettino ricevuto: ${view.item.headline}` }, ctx)
    const [accounts, lists, partners, comuni] = await Promise.all([
      h['channels:list']({}, ctx),
      h['lists:list']({}, ctx),
      h['partners:list']({}, ctx),
      h['comuni:list']({}, ctx),
    ])
    const enabled = accounts.filter((a) => a.enabled).map((a) => a.id)
    if (enabled.length === 0) {
      log(`auto: no channel account is enabled in this workspace: "${view.item.headline}" not sent`)
      return
    }
    const istat = new Map(comuni.map((c) => [c.name, c.istatCode]))
    const from = view.draft.validFrom ?? new Date().toISOString()
    const alert = await h['alerts:createDraft'](
      {
        draft: {
          kind: view.draft.kind,
          level: view.draft.level,
          comuni: view.draft.comuni.map((name) => {
            const code = istat.get(name)
            return code ? { name, istatCode: code } : { name }
          }),
          validFrom: from,
          validTo: view.draft.validTo ?? new Date(Date.parse(from) + 86_400_000).toISOString(),
          headline: view.draft.headline.slice(0, 160),
          description: (bulletin.description ?? '').slice(0, 4000),
          instruction: (bulletin.instruction ?? '').slice(0, 4000),
          targets: {
            accountIds: enabled,
            listIds: lists.map((l) => l.id),
            partnerIds: partners.map((p) => p.id),
          },
        },
      },
      ctx,
    )
    if (view.draft.templateId)
      await h['alerts:applyTemplate']({ id: alert.id, templateId: view.draft.templateId }, ctx)
    await h['alerts:confirm']({ id: alert.id, confirmation: 'INVIA', cancelWindowSeconds: 0 }, ctx)
    log(`auto: sent "${view.item.headline}" on ${enabled.length} channels`)
  }

  async function reply(message: CitizenMessage): Promise<void> {
    const name = message.authorName ? `${message.authorName}, ` : ''
    await h['citizens:reply'](
      {
        id: message.id,
        text: `${name}grazie del messaggio: trova le indicazioni aggiornate sui canali ufficiali della Protezione Civile. Per un pericolo immediato chiami il 112.`,
      },
      ctx,
    )
  }

  const offAlerts = runtime.core.events.on('feeds:alert', (view) => {
    chain = chain.then(() =>
      answer(view).catch((err: unknown) =>
        log(`auto: could not answer "${view.item.headline}": ${(err as Error).message}`),
      ),
    )
  })
  const offCitizens = runtime.core.events.on('citizens:received', ({ messages }) => {
    for (const m of messages)
      chain = chain.then(() =>
        reply(m).catch((err: unknown) =>
          log(`auto: could not answer citizen message ${m.id}: ${(err as Error).message}`),
        ),
      )
  })
  return {
    async idle() {
      for (;;) {
        const current = chain
        await current
        if (current === chain) return
      }
    },
    detach() {
      offAlerts()
      offCitizens()
    },
  }
}
