import type { DrillReport } from '../../../shared/contract/drills'
import type { CheckpointResult, CheckpointStatus } from '../../../shared/drills/checkpoints'
import { formatDuration, formatScenarioTime } from '../../../shared/drills/time'
import { formatRomeShort } from '../../../shared/time'

/**
 * The drill report as one self-contained HTML document: no scripts, no
 * external assets (it is printed to PDF offline and archived), styles for
 * screen and print. Every text is escaped: scenario texts are the trainer's,
 * names are the workspace's, and neither is markup. Its own policy
 * (Content-Security-Policy) lets in nothing but its styles and `data:` images,
 * the alerts' maps.
 */

const escape = (value: unknown): string =>
  String(value).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  )

export const CHECKPOINT_WORDS: Record<CheckpointStatus, string> = {
  met: 'Rispettato',
  late: 'In ritardo',
  missed: 'Mancato',
  pending: 'In attesa',
  not_reached: 'Non raggiunto',
}

const STATE_WORDS = {
  ready: 'da avviare',
  running: 'in corso',
  paused: 'in pausa',
  ended: 'conclusa',
} as const

const time = (ms: number | null | undefined): string =>
  ms === null || ms === undefined ? '—' : formatScenarioTime(ms)

/** "in anticipo di 4m" / "in ritardo di 2m30s" for a checkpoint's margin. */
export function marginWords(result: Pick<CheckpointResult, 'marginMs'>): string {
  if (result.marginMs === undefined) return ''
  return result.marginMs >= 0
    ? `in anticipo di ${formatDuration(result.marginMs)}`
    : `in ritardo di ${formatDuration(-result.marginMs)}`
}

const dateTime = (iso: string | null): string => (iso ? (formatRomeShort(iso) ?? iso) : '—')

const table = (head: string[], rows: string[][], empty: string): string =>
  rows.length === 0
    ? `<p class="muted">${escape(empty)}</p>`
    : `<table><thead><tr>${head.map((h) => `<th>${escape(h)}</th>`).join('')}</tr></thead><tbody>${rows
        .map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`)
        .join('')}</tbody></table>`

const STYLE = `
  :root { color-scheme: light; }
  body { font: 14px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; color: #1b1b1b; margin: 24px; }
  h1 { font-size: 22px; margin: 0 0 4px; }
  h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 2px solid #b35c00; padding-bottom: 2px; }
  .banner { background: #b35c00; color: #fff; font-weight: 700; padding: 6px 10px; letter-spacing: .05em; }
  .muted { color: #555; }
  table { border-collapse: collapse; width: 100%; margin: 6px 0; }
  th, td { text-align: left; vertical-align: top; border-bottom: 1px solid #ddd; padding: 4px 6px; }
  th { background: #f4efe9; }
  td.num { text-align: right; font-variant-numeric: tabular-nums; }
  .s-met { color: #1d6b2f; font-weight: 700; }
  .s-late { color: #9a5b00; font-weight: 700; }
  .s-missed { color: #a11d1d; font-weight: 700; }
  .s-pending, .s-not_reached { color: #555; }
  figure.map { margin: 8px 0 16px; break-inside: avoid; }
  figure.map img { display: block; max-width: 100%; height: auto; border: 1px solid #ddd; }
  figure.map figcaption { margin-top: 4px; }
  .who-scenario { color: #4b3a8f; } .who-trainer { color: #555; } .who-team { color: #1d6b2f; }
  @media print {
    body { margin: 0; font-size: 11pt; }
    h2 { break-after: avoid; }
    tr { break-inside: avoid; }
    .banner { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  }
`

/** The map card of an alert the team confirmed in the drill, as its posts carried it. */
export interface ReportMap {
  alertId: number
  msgType: 'Alert' | 'Update' | 'Cancel'
  /** Scenario time of its confirmation. */
  confirmedAt: number | null
  /** The card's SVG, drawn by Vedetta (maps/card.ts) from the alert: shown as an image. */
  svg: string
  width: number
  height: number
  alt: string
}

const VERSION_WORDS: Record<ReportMap['msgType'], string> = {
  Alert: 'Allerta',
  Update: 'Aggiornamento',
  Cancel: 'Cessata allerta',
}

/**
 * Each map as an image of its own (a `data:` URL, never markup of the report: the
 * page's policy lets no other image in), its alt text also printed under it.
 */
function mapFigures(maps: readonly ReportMap[]): string {
  if (maps.length === 0) return '<p class="muted">Nessuna allerta confermata.</p>'
  return maps
    .map((m) => {
      const src = `data:image/svg+xml;base64,${Buffer.from(m.svg, 'utf8').toString('base64')}`
      const width = Math.min(m.width, 640)
      const height = Math.round((m.height * width) / m.width)
      return `<figure class="map" data-alert="${m.alertId}"><img src="${src}" alt="${escape(m.alt)}" width="${width}" height="${height}"><figcaption><strong>${escape(VERSION_WORDS[m.msgType])} n. ${m.alertId}</strong>, confermata ${escape(time(m.confirmedAt))}<br>Testo alternativo: ${escape(m.alt)}</figcaption></figure>`
    })
    .join('')
}

const status = (s: CheckpointStatus) => `<span class="s-${s}">${escape(CHECKPOINT_WORDS[s])}</span>`

/**
 * The report as a complete HTML document; with `maps` (the export's), a section
 * shows the map card of each alert the team confirmed.
 */
export function renderReportHtml(
  report: DrillReport,
  extras: { maps?: readonly ReportMap[] } = {},
): string {
  const d = report.drill
  const checkpoints = table(
    ['Verifica', 'Esito', 'Scadenza', 'Fatto', 'Margine'],
    report.checkpoints.map((c) => [
      escape(c.description),
      status(c.status),
      escape(time(c.deadline)),
      escape(time(c.doneAt)),
      escape(marginWords(c)),
    ]),
    'Lo scenario non prevede verifiche.',
  )
  const comparison =
    report.earlier.length === 0
      ? '<p class="muted">Nessuna esercitazione precedente con questo scenario.</p>'
      : table(
          [
            'Verifica',
            'Questa',
            ...report.earlier.map((e) => `${dateTime(e.createdAt)} (${e.createdBy})`),
          ],
          report.checkpoints.map((c) => [
            escape(c.description),
            status(c.status),
            ...report.earlier.map((e) => {
              const before = e.checkpoints.find((x) => x.id === c.id)
              return before ? `${status(before.status)} ${escape(marginWords(before))}` : '—'
            }),
          ]),
          '',
        )
  const publications = report.publications
    .map(
      (b) =>
        `<h3>${escape(time(b.firedAt))} — ${escape(b.headline)}</h3>${table(
          ['Canale', 'Prima pubblicazione', 'Dopo'],
          b.channels.map((c) => [
            escape(c.channel),
            escape(time(c.firstSentAt)),
            escape(c.delayMs === null ? 'nessuna' : formatDuration(c.delayMs)),
          ]),
          'Nessun canale configurato.',
        )}`,
    )
    .join('')
  const { lists, pages, partners } = report.coverage
  const c = report.citizens
  return `<!doctype html>
<html lang="it"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Rapporto esercitazione — ${escape(d.title)}</title>
<style>${STYLE}</style></head>
<body>
<div class="banner">ESERCITAZIONE</div>
<h1>${escape(d.title)}</h1>
<p class="muted">Scenario «${escape(d.scenarioTitle)}» (${escape(d.scenarioId)}) · creata da ${escape(d.createdBy)} il ${escape(dateTime(d.createdAt))} · avviata ${escape(dateTime(d.startedAt))} · ${escape(STATE_WORDS[d.state])}${d.endedAt ? ` il ${escape(dateTime(d.endedAt))}` : ''} · tempo di scenario raggiunto ${escape(time(d.reachedMs))}${report.final ? '' : ' · <strong>rapporto provvisorio</strong>'}</p>

<h2>Verifiche</h2>
${checkpoints}

<h2>Confronto con le esercitazioni precedenti</h2>
${comparison}

<h2>Dal bollettino alla prima pubblicazione</h2>
${publications || '<p class="muted">Nessun bollettino nello scenario finora.</p>'}

${extras.maps ? `<h2>Mappe delle allerte</h2>\n${mapFigures(extras.maps)}\n` : ''}
<h2>Copertura</h2>
${table(
  ['Lista', 'Messaggi inviati', 'Persone raggiunte', 'Iscritti'],
  lists.map((l) => [escape(l.name), `${l.sent}`, `${l.reached}`, `${l.members}`]),
  'Nessuna lista raggiunta.',
)}
${table(
  ['Pagina o profilo', 'Pubblicazioni'],
  pages.map((p) => [escape(p.channel), `${p.posts}`]),
  'Nessuna pubblicazione su pagine o profili.',
)}
${table(
  ['Partner', 'Richiesta', 'Rilancio', 'Stato'],
  partners.map((p) => [
    escape(p.name),
    escape(time(p.requestedAt)),
    escape(time(p.relayedAt)),
    escape(
      {
        not_requested: 'non richiesto',
        requested: 'richiesto',
        confirmed: 'confermato',
        seen: 'rilanciato',
      }[p.status],
    ),
  ]),
  'Nessun partner.',
)}

<h2>Messaggi dei cittadini</h2>
<p>Ricevuti ${c.received}, con risposta ${c.answered}; tempo mediano di risposta ${escape(
    c.medianResponseMs === null ? '—' : formatDuration(c.medianResponseMs),
  )}.</p>
${table(
  ['Gruppo', 'Ricevuti', 'Con risposta'],
  c.byEvent.map((g) => [escape(g.label), `${g.received}`, `${g.answered}`]),
  'Nessun messaggio.',
)}

<h2>Guasti e come sono stati gestiti</h2>
${table(
  [
    'Canale',
    'Guasto',
    'Da',
    'A',
    'Messaggi coinvolti',
    'Usciti dopo',
    'Falliti',
    'In attesa',
    'Ritentativi',
  ],
  report.faults.map((f) => [
    escape(f.channel),
    escape(f.fault),
    escape(time(f.from)),
    escape(time(f.to)),
    `${f.affected}`,
    `${f.sentAfter}`,
    `${f.failed}`,
    `${f.waiting}`,
    `${f.retriedByTeam}`,
  ]),
  'Nessun guasto simulato.',
)}

<h2>Reperibilità</h2>
${table(
  ['Tempo', 'Chiamata', 'Chiamati', 'Esito', 'Presa in carico in'],
  report.oncall.map((o) => [
    escape(time(o.startedAt)),
    escape(o.title),
    escape(o.paged.join(', ') || '—'),
    escape(oncallOutcome(o)),
    escape(o.toAcknowledgeMs === null ? '—' : formatDuration(o.toAcknowledgeMs)),
  ]),
  'Nessuna chiamata ai reperibili.',
)}

<h2>Cronologia</h2>
${table(
  ['Tempo', 'Chi', 'Che cosa'],
  report.timeline.map((e) => [
    escape(time(e.at)),
    `<span class="who-${e.who}">${escape({ scenario: 'Scenario', trainer: 'Formatore', team: 'Squadra' }[e.who])}</span>`,
    escape(e.text),
  ]),
  'Ancora niente.',
)}
<p class="muted">Generato il ${escape(dateTime(report.generatedAt))} da Vedetta.</p>
</body></html>
`
}

/** «presa da Mario Rossi (telefono)», «nessuno ha risposto»… */
function oncallOutcome(o: DrillReport['oncall'][number]): string {
  const via = o.closedVia === 'telegram' ? ' (telefono)' : o.closedVia === 'room' ? ' (sala)' : ''
  switch (o.state) {
    case 'acknowledged':
      return `presa da ${o.closedBy ?? '?'}${via}`
    case 'dismissed':
      return `non per noi, secondo ${o.closedBy ?? '?'}${via}`
    case 'unanswered':
      return 'nessuno ha risposto'
    case 'unstaffed':
      return 'nessuno di turno'
    default:
      return 'in corso'
  }
}
