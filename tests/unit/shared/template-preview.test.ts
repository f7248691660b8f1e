import { describe, it, expect } from 'vitest'
import { derivedValues, previewTemplate } from '../../../src/shared/templates/preview'
import { templateSchema, type Template } from '../../../src/shared/templates/template-schema'
import { DRILL_MARKER, SAMPLE_VALUES } from '../../../src/shared/templates/variables'

const template: Template = templateSchema.parse({
  name: 'Neve arancione',
  kind: 'neve',
  level: 'arancione',
  variants: {
    sms: '{{esercitazione}}Allerta {{livello}} per {{tipo}} su {{comuni}} dalle {{dalle}}. Info: {{link}}',
    x: '{{esercitazione}}Allerta {{livello}} per {{tipo}} su {{comuni}}. {{link}} #allertameteoTOS',
    email_subject: 'Allerta {{livello}} - {{comuni}}',
    email_body: 'Allerta {{livello}} su {{comuni}} dalle {{dalle}} alle {{alle}}.',
  },
})

const real = {
  comuni: 'Fucecchio e Cerreto Guidi',
  dalle: '06:00 di lunedì 9 febbraio',
  alle: '18:00',
  link: 'https://www.empolese-valdelsa.it/a',
}

describe('previewTemplate without values (template editor)', () => {
  it('renders every used variant with sample values and the template’s own level and kind', () => {
    const p = previewTemplate(template)
    expect(p.variants.sms.text).toBe(
      `Allerta ARANCIONE per neve su ${SAMPLE_VALUES.comuni} dalle ${SAMPLE_VALUES.dalle}. Info: ${SAMPLE_VALUES.link}`,
    )
    expect(p.variants.sms.count.sms).toMatchObject({ encoding: 'GSM-7' })
    expect(p.variants.x.count.unit).toBe('weighted')
    expect(p.ok).toBe(true)
  })

  it('marks empty variants as unused with an `empty` warning', () => {
    const p = previewTemplate(template)
    expect(p.variants.facebook).toMatchObject({ used: false, text: '' })
    expect(p.variants.facebook.issues).toEqual([
      { path: 'variants.facebook', code: 'empty', severity: 'warning' },
    ])
    expect(p.variants.sms.used).toBe(true)
  })

  it('shows the drill marker in a drill, whatever the values say', () => {
    const p = previewTemplate(template, { ...real, esercitazione: '' }, { drill: true })
    expect(p.variants.sms.text.startsWith(DRILL_MARKER + 'Allerta ARANCIONE')).toBe(true)
    const live = previewTemplate(template, { ...real, esercitazione: 'FINTO ' })
    expect(live.variants.sms.text.startsWith('Allerta')).toBe(true)
  })
})

describe('previewTemplate with values (composer and sender)', () => {
  it('uses only the given values and is ok when all are there', () => {
    const p = previewTemplate(template, real)
    expect(p.ok).toBe(true)
    expect(p.variants.email_body.text).toBe(
      'Allerta ARANCIONE su Fucecchio e Cerreto Guidi dalle 06:00 di lunedì 9 febbraio alle 18:00.',
    )
  })

  it('turns a missing value into an error and keeps the placeholder visible', () => {
    const { alle: _alle, ...withoutAlle } = real
    const p = previewTemplate(template, withoutAlle)
    expect(p.ok).toBe(false)
    expect(p.variants.email_body.text).toContain('{{alle}}')
    expect(p.variants.email_body.issues).toEqual([
      {
        path: 'variants.email_body',
        code: 'missing_value',
        params: { name: 'alle' },
        severity: 'error',
      },
    ])
    expect(p.variants.sms.issues).toEqual([])
  })

  it('lets the caller restate the level word', () => {
    expect(previewTemplate(template, { ...real, livello: 'ROSSO' }).variants.sms.text).toContain(
      'Allerta ROSSO',
    )
  })

  it('warns when an SMS turns UCS-2 and names the characters', () => {
    const p = previewTemplate(template, { ...real, comuni: 'È Fucecchio, perció Vinci' })
    expect(p.variants.sms.count.sms?.encoding).toBe('UCS-2')
    expect(p.variants.sms.issues).toEqual([
      {
        path: 'variants.sms',
        code: 'ucs2',
        params: { chars: 'È ó', segments: p.variants.sms.count.length },
        severity: 'warning',
      },
    ])
    expect(p.ok).toBe(true)
  })

  it('blocks a text over the channel limit', () => {
    const long = Array.from({ length: 40 }, (_, i) => `Comune${i}`).join(', ')
    const p = previewTemplate(template, { ...real, comuni: long })
    const over = p.variants.x.issues.find((i) => i.code === 'over_limit')
    expect(over).toMatchObject({ severity: 'error', params: { limit: 280 } })
    expect(Number(over?.params?.length)).toBeGreaterThan(280)
    expect(p.ok).toBe(false)
  })

  it('applies the account’s SMS part limit', () => {
    const four = { ...real, comuni: 'Capraia e Limite, Castelfiorentino, Cerreto Guidi e Certaldo' }
    expect(previewTemplate(template, four).variants.sms.count.length).toBe(2)
    expect(previewTemplate(template, four, { smsMaxSegments: 1 }).variants.sms.issues).toEqual([
      {
        path: 'variants.sms',
        code: 'over_limit',
        params: { length: 2, limit: 1 },
        severity: 'error',
      },
    ])
  })

  it('reports syntax errors of a template that was never validated', () => {
    const broken = {
      ...template,
      variants: { ...template.variants, sms: 'Su {{comuni}} {{meteo}} {{alle' },
    }
    const p = previewTemplate(broken, real)
    expect(p.variants.sms.issues.map((i) => [i.code, i.severity])).toEqual([
      ['unknown_variable', 'error'],
      ['unclosed_variable', 'error'],
    ])
    expect(p.ok).toBe(false)
  })

  it('calls a used variant that renders to nothing an error', () => {
    const blank = { ...template, variants: { ...template.variants, telegram: '{{esercitazione}}' } }
    const issues = previewTemplate(blank, real).variants.telegram.issues
    expect(issues).toEqual([{ path: 'variants.telegram', code: 'empty', severity: 'error' }])
  })
})

describe('derivedValues', () => {
  it('gives the level in capitals, the kind as a phrase and the drill marker', () => {
    expect(derivedValues({ kind: 'pioggia', level: 'rosso' })).toEqual({
      livello: 'ROSSO',
      tipo: 'rischio idrogeologico',
      esercitazione: '',
    })
    expect(derivedValues({ kind: 'vento', level: 'giallo' }, true).esercitazione).toBe(DRILL_MARKER)
  })
})
