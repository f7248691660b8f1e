import { describe, expect, it } from 'vitest'
import {
  WHATSAPP_FIELDS,
  bodyPlaceholders,
  fillTemplateBody,
  parseTemplateVariables,
  templateParameters,
  whatsappValues,
  type WhatsappAlert,
} from '../../../src/shared/channels/whatsapp-variables'
import { describeKind } from '../../../src/shared/channels/kinds'

const alert: WhatsappAlert = {
  headline: 'Allerta arancione per rischio idraulico',
  level: 'arancione',
  event: 'Rischio idraulico',
  description: 'Piena dell’Arno attesa nella notte.\n\nPossibili esondazioni del reticolo minore.',
  instruction: 'Non sostate\tsui ponti e   nei sottopassi.',
  onset: '2026-02-07T14:00:00+01:00',
  // Summer time: Rome is UTC+2.
  expires: '2026-07-15T22:30:00Z',
  areas: [{ name: 'Vinci' }, { name: 'Empoli' }, { name: 'Cerreto Guidi' }],
  web: 'https://www.example.org/allerte/2026-02-07',
}

describe('templateVariables setting', () => {
  it('reads the default of the account form as headline, comuni and instructions', () => {
    const setting = describeKind('whatsapp_cloud').settings.find(
      (s) => s.key === 'templateVariables',
    )?.default
    expect(parseTemplateVariables(String(setting))).toEqual({
      ok: true,
      fields: ['titolo', 'comuni', 'istruzioni'],
    })
  })

  it('accepts every field, in any order, ignoring case and spaces, repeats allowed', () => {
    expect(parseTemplateVariables(` Livello , COMUNI,inizio, fine,link,titolo,livello`)).toEqual({
      ok: true,
      fields: ['livello', 'comuni', 'inizio', 'fine', 'link', 'titolo', 'livello'],
    })
    expect(parseTemplateVariables(WHATSAPP_FIELDS.join(','))).toMatchObject({ ok: true })
  })

  it('names an unknown field, its position and the valid ones', () => {
    const parsed = parseTemplateVariables('titolo,comune,istruzioni')
    expect(parsed.ok).toBe(false)
    if (parsed.ok) return
    expect(parsed.error).toContain('«comune»')
    expect(parsed.error).toContain('{{2}}')
    for (const field of WHATSAPP_FIELDS) expect(parsed.error).toContain(field)
  })

  it('refuses an empty setting and an empty position', () => {
    expect(parseTemplateVariables('  ')).toMatchObject({
      ok: false,
      error: expect.stringContaining('almeno una variabile'),
    })
    expect(parseTemplateVariables('titolo,,comuni')).toMatchObject({
      ok: false,
      error: expect.stringContaining('{{2}}'),
    })
  })
})

describe('values of an alert', () => {
  it('fills each field the way citizens read it, on Rome’s clock and on one line', () => {
    expect(whatsappValues(alert)).toEqual({
      titolo: 'Allerta arancione per rischio idraulico',
      livello: 'ARANCIONE',
      evento: 'Rischio idraulico',
      comuni: 'Vinci, Empoli e Cerreto Guidi',
      descrizione: 'Piena dell’Arno attesa nella notte. Possibili esondazioni del reticolo minore.',
      istruzioni: 'Non sostate sui ponti e nei sottopassi.',
      inizio: '14:00 di sabato 7 febbraio',
      fine: '00:30 di giovedì 16 luglio',
      link: 'https://www.example.org/allerte/2026-02-07',
    })
  })

  it('gives the parameters in the order of the setting', () => {
    expect(templateParameters(['livello', 'comuni', 'fine'], alert)).toEqual({
      ok: true,
      values: ['ARANCIONE', 'Vinci, Empoli e Cerreto Guidi', '00:30 di giovedì 16 luglio'],
    })
  })

  it('names the fields an alert leaves empty instead of sending a hole', () => {
    const noWeb: WhatsappAlert = { ...alert, web: undefined, onset: '', instruction: '  ' }
    expect(templateParameters(['titolo', 'link', 'inizio', 'link', 'istruzioni'], noWeb)).toEqual({
      ok: false,
      empty: ['link', 'inizio', 'istruzioni'],
    })
    expect(whatsappValues({ ...alert, onset: 'domani' }).inizio).toBe('')
  })
})

describe('template body preview', () => {
  const body = 'Protezione civile: {{1}} a {{2}}. {{3}} Aggiornamenti: {{ 4 }}'

  it('lists the placeholders a body uses', () => {
    expect(bodyPlaceholders(`${body} {{1}}`)).toEqual([1, 2, 3, 4])
    expect(bodyPlaceholders('Nessuna variabile')).toEqual([])
  })

  it('fills the placeholders with the values of the setting’s fields', () => {
    const parsed = parseTemplateVariables('titolo,comuni,istruzioni,link')
    if (!parsed.ok) throw new Error(parsed.error)
    const params = templateParameters(parsed.fields, alert)
    if (!params.ok) throw new Error('empty fields')
    expect(fillTemplateBody(body, params.values)).toBe(
      'Protezione civile: Allerta arancione per rischio idraulico a Vinci, Empoli e Cerreto Guidi. ' +
        'Non sostate sui ponti e nei sottopassi. Aggiornamenti: https://www.example.org/allerte/2026-02-07',
    )
  })

  it('leaves a placeholder without a value visible, and takes values literally', () => {
    expect(fillTemplateBody('{{1}} e {{3}}', ['costo $1 & $&'])).toBe('costo $1 & $& e {{3}}')
  })
})
