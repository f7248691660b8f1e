import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { renderAlertTexts } from '../../../src/main/core/alerts/template-texts'
import { templateFileSchema } from '../../../src/shared/templates/template-schema'
import { voiceOpening } from '../../../src/shared/text/spoken-it'

const file = resolve(__dirname, '../../../resources/templates/default-templates.json')
const raw = JSON.parse(readFileSync(file, 'utf8')) as { templates: { id: string }[] }
const shipped = (id: string) =>
  templateFileSchema.parse({ ...raw, templates: raw.templates.filter((t) => t.id === id) })
    .templates[0]!

const alert = {
  comuni: [{ name: 'Empoli' }, { name: 'Vinci' }],
  validFrom: '2026-12-03T14:00:00+01:00',
  validTo: '2026-12-04T08:30:00+01:00',
  headline: 'Strada chiusa a Vinci',
  description: 'La SP 13 è chiusa per 1 albero caduto; riapre il 05/12 alle 14.30.',
  instruction: 'Segui le deviazioni, info su https://www.comune.vinci.fi.it #Vinci',
  mode: 'real' as const,
}
const extra = {
  ente: 'Protezione civile Empolese Valdelsa',
  link: 'https://example.org/allerta',
  numero_emergenza: '112',
}

describe('the voice text of an alert filled from a template', () => {
  it('is stored as it will be said, times and days in words, in the preview too', () => {
    const { texts, preview } = renderAlertTexts(shipped('neve-rosso'), alert, extra)
    expect(texts.voice.startsWith(voiceOpening)).toBe(true)
    expect(texts.voice).toContain(
      'dalle quattordici di giovedì tre dicembre alle otto e trenta di venerdì quattro dicembre',
    )
    expect(texts.voice).toContain('chiama il centododici')
    expect(texts.voice).not.toMatch(/\d/)
    expect(preview.variants.voice.text).toBe(texts.voice)
    expect(preview.variants.voice.count.length).toBe([...texts.voice].length)
    // The written channels keep their figures and links.
    expect(texts.sms).toContain('dalle 14:00 di giovedì 3 dicembre')
    expect(texts.sms).toContain('https://example.org/allerta')
  })

  it('says the operator’s own words aloud too: no links, numbers in words', () => {
    const { texts } = renderAlertTexts(shipped('generico'), alert, extra)
    expect(texts.voice).toContain(
      'La strada provinciale tredici è chiusa per un albero caduto; riapre il cinque dicembre alle quattordici e trenta.',
    )
    expect(texts.voice).toContain('Segui le deviazioni, info su Vinci.')
    expect(texts.voice).not.toMatch(/https?:|www\.|#|\d/)
    expect(texts.facebook).toContain('La SP 13 è chiusa')
  })

  it('starts with the drill marker in a drill', () => {
    const { texts } = renderAlertTexts(shipped('neve-rosso'), { ...alert, mode: 'drill' }, extra)
    expect(texts.voice.startsWith(`Esercitazione. ${voiceOpening}`)).toBe(true)
  })
})
