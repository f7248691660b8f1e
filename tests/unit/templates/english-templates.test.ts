import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { renderAlertTexts } from '../../../src/main/core/alerts/template-texts'
import { englishPageWords } from '../../../src/main/core/outbox/alert-document'
import { templateRole } from '../../../src/shared/templates/follow-up'
import { previewTemplate } from '../../../src/shared/templates/preview'
import { templateFileSchema } from '../../../src/shared/templates/template-schema'
import { validateTemplate } from '../../../src/shared/templates/validate'

const FILE = path.resolve(__dirname, '../../../resources/templates/default-templates.json')
const { templates } = templateFileSchema.parse(JSON.parse(readFileSync(FILE, 'utf8')))

/** An alert as the composer holds it: Italian comuni, a window over two Rome days (winter). */
const ALERT = {
  comuni: [
    { name: 'Empoli', istatCode: '048014' },
    { name: 'Vinci', istatCode: '048050' },
    { name: 'Certaldo', istatCode: '048011' },
  ],
  validFrom: '2025-12-03T13:00:00.000Z',
  validTo: '2025-12-04T07:00:00.000Z',
  headline: 'Strada chiusa a Vinci',
  description: 'La SP 13 è chiusa tra Vinci e Sovigliana.',
  instruction: 'Segui le deviazioni.',
  mode: 'real' as const,
}
const EXTRA = {
  ente: 'Protezione civile Empolese Valdelsa',
  link: 'https://www.empolese-valdelsa.it/allerta',
  numero_emergenza: '112',
  hashtag: '#allertameteoTOS',
}
/** Italian words that would betray an Italian value or an untranslated line in an English text. */
const ITALIAN =
  /\b(allerta|dalle|alle|di|per|su|valida|cosa fare|neve|ghiaccio|arancione|giallo|rosso|lunedì|martedì|mercoledì|giovedì|venerdì|sabato|domenica|dicembre)\b/i

describe('English website texts of the shipped templates', () => {
  it('every template has one, valid, beside its Italian website text', () => {
    for (const t of templates) {
      expect(t.variants.website_en.trim(), t.id).not.toBe('')
      expect(validateTemplate(t), t.id).toEqual([])
    }
  })

  it.each(templates.map((t) => [t.id, t] as const))(
    '%s renders in English with every variable filled, dates in Rome time',
    (_id, template) => {
      const { texts, preview } = renderAlertTexts(template, ALERT, EXTRA)
      const english = texts.website_en
      expect(preview.variants.website_en.issues).toEqual([])
      expect(english).not.toMatch(/\{\{|\}\}/)
      const own =
        template.kind === 'generico'
          ? english.replace(/Strada chiusa[^\n]*|La SP 13[^\n]*|Segui[^\n]*/g, '')
          : english
      expect(own).not.toMatch(ITALIAN)
      if (template.variants.website_en.includes('{{alle}}'))
        expect(english).toContain(
          'from 2 pm on Wednesday 3 December to 8 am on Thursday 4 December',
        )
      if (template.variants.website_en.includes('{{comuni}}'))
        expect(english).toContain('Empoli, Vinci and Certaldo')
      const words = englishPageWords(english)
      expect(words.headline, template.id).not.toBe('')
      expect(words.description, template.id).not.toBe('')
      if (
        templateRole(template) === 'alert' &&
        template.kind !== 'generico' &&
        template.kind !== 'scuole_chiuse' &&
        template.kind !== 'cessata_allerta'
      ) {
        expect(words.headline).toMatch(/^(YELLOW|ORANGE|RED) alert for /)
        expect(words.instruction).toMatch(/^- /)
        expect(words.instruction).toContain('In an emergency call 112.')
        expect(words.description).not.toContain('What to do')
      }
    },
  )

  it('says the level and kind in English and marks a drill in English', () => {
    const snow = templates.find((t) => t.id === 'neve-arancione')!
    const { texts } = renderAlertTexts(snow, { ...ALERT, mode: 'drill' }, EXTRA)
    expect(texts.website_en.split('\n')[0]).toBe(
      'EXERCISE - ORANGE alert for snow in Empoli, Vinci and Certaldo',
    )
    expect(texts.website.split('\n')[0]).toBe(
      'ESERCITAZIONE - Allerta ARANCIONE per neve su Empoli, Vinci e Certaldo',
    )
    const rain = templates.find((t) => t.id === 'pioggia-giallo')!
    expect(renderAlertTexts(rain, ALERT, EXTRA).texts.website_en).toMatch(
      /^YELLOW alert for hydrogeological risk in /,
    )
    const river = templates.find((t) => t.id === 'idraulico-rosso')!
    expect(renderAlertTexts(river, ALERT, EXTRA).texts.website_en).toMatch(
      /^RED alert for flood risk in /,
    )
  })

  it('previews the English text in the template editor with English samples', () => {
    const snow = templates.find((t) => t.id === 'neve-arancione')!
    const preview = previewTemplate(snow)
    expect(preview.variants.website_en.text).toContain(
      'from 2 pm on Saturday 7 February to 11:59 pm on Sunday 8 February',
    )
    expect(preview.variants.website_en.family).toBe('website')
  })
})

describe('englishPageWords', () => {
  it('reads headline, description and instruction from the paragraphs', () => {
    expect(
      englishPageWords('Title\n\nValid from x.\n\nSnow.\n\nWhat to do:\n- Stay in.\n\nCall 112.'),
    ).toEqual({
      headline: 'Title',
      description: 'Valid from x.\n\nSnow.',
      instruction: '- Stay in.\n\nCall 112.',
    })
    expect(englishPageWords('Title\n\nWhat to do: stay in.')).toEqual({
      headline: 'Title',
      description: '',
      instruction: 'stay in.',
    })
    expect(englishPageWords('Only one paragraph')).toEqual({
      headline: '',
      description: 'Only one paragraph',
      instruction: '',
    })
  })
})
