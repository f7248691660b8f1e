import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createRelayWatch, relaysAlert } from '../../../src/main/core/alerts/relay-watch'
import type { RelayRequest } from '../../../src/main/core/alerts/alerts-repository'
import type { Alert } from '../../../src/shared/alerts/types'
import type { Partner } from '../../../src/shared/contacts'
import { startFeedServer, type FeedServer } from '../../fakes/feed-server'

let server: FeedServer
beforeEach(async () => (server = await startFeedServer()))
afterEach(async () => server.close())

const rss = (
  items: { title: string; description: string }[],
) => `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Istituto Checchi - Notizie</title><link>https://checchi.example.it</link><description>Avvisi</description>
${items.map((i, n) => `<item><guid>n${n}</guid><title>${i.title}</title><description>${i.description}</description><pubDate>Sat, 07 Feb 2026 15:0${n}:00 +0100</pubDate></item>`).join('\n')}
</channel></rss>`

const alert = {
  id: 1,
  headline: 'Allerta arancione per neve su Empoli, Vinci e Certaldo',
  status: 'done',
  confirmedAt: new Date().toISOString(),
} as Alert
const relay: RelayRequest = {
  alertId: 1,
  partnerId: 7,
  status: 'requested',
  requestedAt: new Date().toISOString(),
  confirmedAt: null,
  seenAt: null,
  note: null,
}

function watch(url: string, seen: string[][]) {
  const partner = {
    id: 7,
    name: 'Istituto Checchi',
    pages: [{ id: 1, kind: 'website', url, channelAccountId: null }],
  } as unknown as Partner
  return createRelayWatch({
    alerts: () => [alert],
    relays: () => (seen.length ? [{ ...relay, status: 'seen' }] : [relay]),
    partner: () => partner,
    markSeen: (alertId, partnerId, note) => seen.push([String(alertId), String(partnerId), note]),
  })
}

describe('partner relays seen on their websites', () => {
  it('recognises the alert in a rewritten post, not in an unrelated one', () => {
    expect(
      relaysAlert(
        'AVVISO: allerta ARANCIONE per NEVE su Empoli, Vinci e Certaldo. Scuole chiuse.',
        alert,
      ),
    ).toBe(true)
    expect(relaysAlert('Gita scolastica a Certaldo rinviata', alert)).toBe(false)
  })

  it('marks the relay seen once the partner publishes it, and only then', async () => {
    server.setDocument(
      'checchi.xml',
      rss([{ title: 'Open day', description: 'Vi aspettiamo sabato' }]),
      'application/rss+xml',
    )
    const seen: string[][] = []
    const w = watch(server.url('/doc/checchi.xml'), seen)
    expect(await w.check()).toBe(0)
    server.setDocument(
      'checchi.xml',
      rss([
        { title: 'Open day', description: 'Vi aspettiamo sabato' },
        {
          title: 'Allerta arancione per neve',
          description:
            'Rilanciamo la Protezione civile: allerta arancione per neve su Empoli, Vinci e Certaldo.',
        },
      ]),
      'application/rss+xml',
    )
    expect(await w.check()).toBe(1)
    expect(seen).toEqual([['1', '7', `visto sul sito ${server.url('/doc/checchi.xml')}`]])
    // Seen relays are not looked for again.
    expect(await w.check()).toBe(0)
  })

  it('survives a partner site that is down', async () => {
    const seen: string[][] = []
    expect(await watch(server.url('/broken/500'), seen).check()).toBe(0)
    expect(seen).toEqual([])
  })
})
