import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { DrillReport } from '../../../src/shared/contract/drills'
import { renderReportHtml } from '../../../src/main/core/drill-runtime'
import { headlessChromiumPrinter } from '../../../src/main/core/drill-runtime/report-pdf'
import { buildMapCardSvg, loadBoundaries } from '../../../src/main/core/maps'

const hostile = '<script>alert(1)</script><img src=x onerror=alert(2)>'

const report: DrillReport = {
  drill: {
    id: '20260113-120000-abcd',
    title: `Esercitazione ${hostile}`,
    scenarioId: 'neve-arancione-empolese',
    scenarioTitle: 'Neve & "ghiaccio"',
    createdAt: '2026-01-13T11:00:00.000Z',
    createdBy: 'Maria',
    state: 'ended',
    startedAt: '2026-01-13T11:05:00.000Z',
    endedAt: '2026-01-13T11:10:00.000Z',
    reachedMs: 75 * 60_000,
  },
  final: true,
  generatedAt: '2026-01-13T11:11:00.000Z',
  timeline: [{ at: 60 * 60_000, who: 'scenario', what: 'bulletin', text: hostile }],
  checkpoints: [
    {
      id: 'sms',
      description: 'SMS entro 15 minuti',
      status: 'met',
      from: 60 * 60_000,
      deadline: 75 * 60_000,
      doneAt: 64 * 60_000,
      marginMs: 11 * 60_000,
    },
    { id: 'fb', description: 'Facebook', status: 'missed', from: 0, deadline: 60_000 },
  ],
  publications: [
    {
      eventId: 'arancione',
      headline: 'Allerta arancione',
      level: 'arancione',
      firedAt: 60 * 60_000,
      channels: [
        {
          accountId: 1,
          channel: 'SMS',
          family: 'sms',
          firstSentAt: 64 * 60_000,
          delayMs: 4 * 60_000,
        },
        { accountId: 2, channel: 'X', family: 'x', firstSentAt: null, delayMs: null },
      ],
    },
  ],
  coverage: {
    lists: [{ listId: 1, name: 'Genitori — Istituto Checchi', members: 2, sent: 2, reached: 2 }],
    pages: [],
    partners: [
      {
        partnerId: 1,
        name: 'Istituto Enriques',
        requestedAt: 0,
        relayedAt: 40 * 60_000,
        status: 'seen',
      },
    ],
  },
  citizens: { received: 3, answered: 2, medianResponseMs: 90_000, byEvent: [] },
  faults: [],
  oncall: [
    {
      title: `Allerta rossa: rischio idraulico ${hostile}`,
      kind: 'bulletin',
      startedAt: 62 * 60_000,
      state: 'acknowledged',
      closedBy: 'Mario Rossi',
      closedVia: 'telegram',
      toAcknowledgeMs: 7 * 60_000 + 30_000,
      paged: ['Mario Rossi'],
    },
    {
      title: 'Possibile richiesta di aiuto da un cittadino (SMS)',
      kind: 'distress',
      startedAt: 70 * 60_000,
      state: 'unanswered',
      closedBy: null,
      closedVia: null,
      toAcknowledgeMs: null,
      paged: ['Mario Rossi', 'Lucia Bianchi'],
    },
  ],
  earlier: [
    {
      id: 'prima',
      title: 'Prima',
      createdAt: '2026-01-06T11:00:00.000Z',
      createdBy: 'Luca',
      checkpoints: [{ id: 'sms', status: 'late', marginMs: -120_000 }],
    },
  ],
}

describe('the HTML report', () => {
  const html = renderReportHtml(report)

  it('is one document with no script, no external asset, and print styles', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true)
    expect(html).not.toMatch(/<script|<link|src=["']?http|url\(/i)
    expect(html).toContain('@media print')
  })

  it('escapes every text it did not write itself', () => {
    expect(html).not.toContain(hostile)
    expect(html).not.toContain('<img')
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(html).toContain('Neve &amp; &quot;ghiaccio&quot;')
  })

  it('says per checkpoint met or missed and by how much, beside the earlier drills', () => {
    expect(html).toMatch(
      /SMS entro 15 minuti<\/td><td><span class="s-met">Rispettato<\/span><\/td><td>T\+1:15<\/td><td>T\+1:04<\/td><td>in anticipo di 11m/,
    )
    expect(html).toMatch(/Facebook<\/td><td><span class="s-missed">Mancato/)
    expect(html).toMatch(/<span class="s-late">In ritardo<\/span> in ritardo di 2m/)
    expect(html).toContain('Ricevuti 3, con risposta 2; tempo mediano di risposta 1m30s.')
    expect(html).toMatch(/X<\/td><td>—<\/td><td>nessuna/)
  })

  it('shows each on-call page: who was called, who took it from where, and how fast', () => {
    expect(html).toContain(
      '<td>Mario Rossi</td><td>presa da Mario Rossi (telefono)</td><td>7m30s</td>',
    )
    expect(html).toContain(
      '<td>Mario Rossi, Lucia Bianchi</td><td>nessuno ha risposto</td><td>—</td>',
    )
  })

  it('parses as HTML without a single error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vedetta-report-'))
    try {
      const file = join(dir, 'r.html')
      writeFileSync(file, html)
      // xmllint's HTML parser reports unclosed or misnested tags on stderr.
      const out = execFileSync('/usr/bin/xmllint', ['--html', '--noout', file], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      expect(out).toBe('')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('the PDF', () => {
  it('says clearly when no Chromium is there to print it', async () => {
    await expect(headlessChromiumPrinter({ browser: null })('<p>x</p>')).rejects.toMatchObject({
      code: 'unavailable',
      message: /No Chromium or Chrome found/,
    })
  })
})

describe('the maps of the alerts confirmed in the drill', () => {
  const boundaries = loadBoundaries(resolve(__dirname, '../../../resources'))
  const card = buildMapCardSvg(
    {
      comuni: [
        { name: 'Empoli', level: 'arancione' },
        { name: 'Vinci', level: 'arancione' },
      ],
      kind: 'neve',
      validFrom: '2026-01-13T14:00:00+01:00',
      validTo: '2026-01-14T08:00:00+01:00',
      headline: 'Neve in pianura',
      ente: { name: 'Protezione civile Empolese Valdelsa', hashtag: '#allertameteoTOS' },
    },
    boundaries,
  )
  const alt = `Mappa dei comuni del Circondario: Empoli e Vinci in arancione. ${hostile}`
  const html = renderReportHtml(report, {
    maps: [
      {
        alertId: 7,
        msgType: 'Alert',
        confirmedAt: 64 * 60_000,
        svg: card.svg,
        width: card.width,
        height: card.height,
        alt,
      },
    ],
  })

  it('shows each card as an image of its own, with its alt text under it', () => {
    const img =
      /<figure class="map" data-alert="7"><img src="data:image\/svg\+xml;base64,([^"]+)" alt="([^"]*)" width="640" height="360">/.exec(
        html,
      )
    expect(img).not.toBeNull()
    const svg = Buffer.from(img![1]!, 'base64').toString('utf8')
    expect(svg).toBe(card.svg)
    expect(svg).toMatch(/data-name="Empoli" data-level="arancione" fill="url\(#level-arancione\)"/)
    expect(img![2]).toContain('Empoli e Vinci in arancione')
    expect(html).toContain('<strong>Allerta n. 7</strong>, confermata T+1:04')
    expect(html).toContain('Testo alternativo: Mappa dei comuni del Circondario: Empoli e Vinci')
  })

  it('escapes the alt text and lets no image in but its own data: ones', () => {
    expect(html).not.toContain(hostile)
    expect(html).toContain('&lt;img src=x onerror=alert(2)&gt;')
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    )
    expect(html).not.toMatch(/<script|<link|src=["']?http/i)
  })

  it('says so when the team confirmed no alert', () => {
    expect(renderReportHtml(report, { maps: [] })).toContain(
      '<h2>Mappe delle allerte</h2>\n<p class="muted">Nessuna allerta confermata.</p>',
    )
    expect(renderReportHtml(report)).not.toContain('Mappe delle allerte')
  })

  it('parses as HTML without a single error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vedetta-report-'))
    try {
      const file = join(dir, 'r.html')
      writeFileSync(file, html)
      const out = execFileSync('/usr/bin/xmllint', ['--html', '--noout', file], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      expect(out).toBe('')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
