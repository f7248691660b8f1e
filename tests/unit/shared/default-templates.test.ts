import { describe, it, expect } from 'vitest'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { ALERT_KINDS, ALERT_LEVELS } from '../../../src/shared/templates/alert-kinds'
import { previewTemplate } from '../../../src/shared/templates/preview'
import {
  TEMPLATE_VARIANTS,
  templateFileSchema,
} from '../../../src/shared/templates/template-schema'
import { validateTemplate } from '../../../src/shared/templates/validate'
import {
  builtinFollowUpId,
  pickFollowUpTemplate,
  templateRole,
} from '../../../src/shared/templates/follow-up'
import { SAMPLE_VALUES } from '../../../src/shared/templates/variables'
import { countSmsSegments } from '../../../src/shared/text/sms-segments'
import {
  estimateSpokenSeconds,
  toSpokenItalian,
  voiceOpening,
} from '../../../src/shared/text/spoken-it'

const FILE = path.resolve(__dirname, '../../../resources/templates/default-templates.json')
const raw: unknown = JSON.parse(readFileSync(FILE, 'utf8'))
const { templates } = templateFileSchema.parse(raw)

/** The longest values a voice call may carry: every comune, two days, a long title. */
const LONGEST = {
  comuni:
    'Capraia e Limite, Castelfiorentino, Cerreto Guidi, Certaldo, Empoli, Fucecchio, Gambassi Terme, Montaione, Montelupo Fiorentino, Montespertoli e Vinci',
  dalle: '14:00 di mercoledì 30 settembre',
  alle: '23:59 di giovedì 1 ottobre',
  data: 'mercoledì 30 settembre',
}
const NOW = { now: '2026-09-28T10:00:00+02:00' }

describe('default Italian templates', () => {
  it('cover every kind and the usual levels, each once', () => {
    const keys = templates
      .filter((t) => templateRole(t) === 'alert')
      .map((t) => `${t.kind}/${t.level}`)
    expect(new Set(keys).size).toBe(keys.length)
    expect(new Set(templates.map((t) => t.id)).size).toBe(templates.length)
    expect(new Set(templates.map((t) => t.kind))).toEqual(new Set(ALERT_KINDS))
    for (const key of [
      'neve/giallo',
      'neve/arancione',
      'neve/rosso',
      'pioggia/giallo',
      'pioggia/arancione',
      'pioggia/rosso',
      'idraulico/giallo',
      'idraulico/arancione',
      'idraulico/rosso',
      'temporali/giallo',
      'temporali/arancione',
      'vento/giallo',
      'vento/arancione',
      'ghiaccio/giallo',
      'mareggiate/giallo',
      'mareggiate/arancione',
    ]) {
      expect(keys).toContain(key)
    }
  })

  it('give every kind of alert its own update and cessata', () => {
    for (const kind of ALERT_KINDS.filter((k) => k !== 'cessata_allerta')) {
      for (const msgType of ['Update', 'Cancel'] as const) {
        const t = pickFollowUpTemplate(templates, kind, msgType)
        expect(t?.id, `${kind} ${msgType}`).toBe(builtinFollowUpId(kind, msgType))
        expect(t && templateRole(t)).toBe(msgType === 'Update' ? 'update' : 'cancel')
      }
    }
  })

  it('fit their budgets as updates at any level, with every comune, in a drill', () => {
    for (const t of templates.filter((tp) => templateRole(tp) === 'update')) {
      for (const level of ALERT_LEVELS) {
        // A follow-up renders with its own level (alerts-service.ts).
        const p = previewTemplate(
          { ...t, level },
          { ...SAMPLE_VALUES, ...LONGEST },
          { drill: true },
        )
        expect(
          p.issues.filter((i) => i.severity === 'error'),
          `${t.id} ${level}`,
        ).toEqual([])
        expect(p.variants.x.count.length).toBeLessThanOrEqual(280)
      }
    }
  })

  for (const t of templates) {
    describe(t.id ?? t.name, () => {
      it('passes validation and fills every channel', () => {
        expect(validateTemplate(t)).toEqual([])
        for (const v of TEMPLATE_VARIANTS) expect(t.variants[v].trim(), v).not.toBe('')
      })

      it('keeps the SMS text itself in GSM-7', () => {
        expect(countSmsSegments(t.variants.sms).offenders).toEqual([])
      })

      for (const drill of [false, true]) {
        it(`fits its budgets with sample values${drill ? ' in a drill' : ''}`, () => {
          const p = previewTemplate(t, undefined, { drill })
          expect(p.issues.filter((i) => i.severity === 'error')).toEqual([])
          const sms = p.variants.sms.count.sms
          expect(sms?.encoding).toBe('GSM-7')
          expect(sms?.segments).toBeLessThanOrEqual(2)
          expect(p.variants.x.count.length).toBeLessThanOrEqual(280)
          expect(p.variants.bluesky.count.over).toBe(false)
          expect(p.variants.mastodon.count.over).toBe(false)
        })
      }

      for (const values of [undefined, LONGEST]) {
        it(`reads well on a voice call${values ? ' with every comune' : ''}`, () => {
          const real = previewTemplate(t, values && { ...SAMPLE_VALUES, ...values })
          const spoken = toSpokenItalian(real.variants.voice.text, NOW)
          expect(spoken.startsWith(voiceOpening), spoken).toBe(true)
          expect(spoken).not.toMatch(/\d/)
          expect(spoken).not.toMatch(/https?:|www\.|\.it\b|#|@/)
          expect(estimateSpokenSeconds(spoken, NOW)).toBeLessThan(60)
          // The key instruction is said again at the end.
          expect(t.variants.voice).toMatch(/Ripeto: [^]+$/)
          const drill = previewTemplate(t, values && { ...SAMPLE_VALUES, ...values }, {
            drill: true,
          })
          expect(toSpokenItalian(drill.variants.voice.text, NOW)).toBe(`Esercitazione. ${spoken}`)
        })
      }

      // A generic notice may be about anything, not only the weather.
      if (t.kind !== 'generico') {
        it('ends social posts with the ente’s hashtag, set in Configurazione → Ente', () => {
          for (const v of ['x', 'facebook', 'mastodon', 'bluesky', 'telegram'] as const) {
            expect(t.variants[v], v).toMatch(/\{\{hashtag\}\}$/)
            expect(t.variants[v], v).not.toContain('#')
          }
        })
      }
    })
  }

  it('refuses a file with a broken template', () => {
    const broken = structuredClone(raw) as { templates: { variants: { sms: string } }[] }
    broken.templates[0]!.variants.sms = 'Allerta su {{comune}}'
    const parsed = templateFileSchema.parse(broken)
    expect(validateTemplate(parsed.templates[0])).toEqual([
      expect.objectContaining({ code: 'unknown_variable_suggestion', path: 'variants.sms' }),
      expect.objectContaining({ code: 'missing_variable', path: 'variants.sms' }),
    ])
    expect(templateFileSchema.safeParse({ ...broken, schemaVersion: 2 }).success).toBe(false)
  })
})
