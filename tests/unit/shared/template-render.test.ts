import { describe, it, expect } from 'vitest'
import {
  renderStrict,
  renderTemplate,
  TemplateRenderError,
} from '../../../src/shared/templates/render'
import { countSmsSegments } from '../../../src/shared/text/sms-segments'

const values = {
  comuni: 'Empoli e Vinci',
  dalle: '14:00 di sabato 7 febbraio',
  livello: 'ARANCIONE',
}

describe('renderTemplate', () => {
  it('replaces every occurrence, spaces inside braces included', () => {
    const r = renderTemplate(
      'Allerta {{livello}} su {{comuni}}; {{ comuni }} dalle {{dalle}}.',
      values,
    )
    expect(r).toEqual({
      text: 'Allerta ARANCIONE su Empoli e Vinci; Empoli e Vinci dalle 14:00 di sabato 7 febbraio.',
      missing: [],
      problems: [],
    })
  })

  it('leaves a missing variable visible and lists it, never an empty hole', () => {
    const r = renderTemplate('Su {{comuni}} alle {{alle}} ({{link}})', values)
    expect(r.text).toBe('Su Empoli e Vinci alle {{alle}} ({{link}})')
    expect(r.missing).toEqual(['alle', 'link'])
  })

  it('treats a blank value as missing unless the variable allows it', () => {
    expect(renderTemplate('Su {{comuni}}', { comuni: '  ' }).missing).toEqual(['comuni'])
    expect(renderTemplate('{{esercitazione}}Allerta', { esercitazione: '' })).toEqual({
      text: 'Allerta',
      missing: [],
      problems: [],
    })
  })

  it('does not expand variables found inside values', () => {
    expect(renderTemplate('Su {{comuni}}', { comuni: '{{link}}', link: 'x' }).text).toBe(
      'Su {{link}}',
    )
  })

  it('keeps malformed placeholders as written and reports them', () => {
    const r = renderTemplate('Su {{comune}} e {{comuni', values)
    expect(r.text).toBe('Su {{comune}} e {{comuni')
    expect(r.problems.map((p) => p.code)).toEqual(['unknown_variable', 'unclosed_variable'])
  })

  it('normalises to NFC so a decomposed accent does not force UCS-2', () => {
    const r = renderTemplate('Piove su {{comuni}}', { comuni: 'Citta\u0300 di Castello' })
    expect(r.text).toBe('Piove su Città di Castello')
    expect(countSmsSegments(r.text).encoding).toBe('GSM-7')
  })
})

describe('renderStrict', () => {
  it('renders when every value is there', () => {
    expect(renderStrict('Allerta {{livello}} su {{comuni}}', values)).toBe(
      'Allerta ARANCIONE su Empoli e Vinci',
    )
  })

  it('throws with the missing names rather than sending a hole', () => {
    try {
      renderStrict('Su {{comuni}} alle {{alle}}', { comuni: 'Empoli' })
      expect.unreachable()
    } catch (e) {
      expect(e).toBeInstanceOf(TemplateRenderError)
      expect((e as TemplateRenderError).missing).toEqual(['alle'])
      expect((e as Error).message).toContain('alle')
    }
  })

  it('throws on an unknown or unclosed variable even when values are complete', () => {
    expect(() => renderStrict('Su {{comuni}} {{meteo}}', values)).toThrow(TemplateRenderError)
    expect(() => renderStrict('Su {{comuni', values)).toThrow(/unclosed/)
  })

  it('requires an explicit value for the drill marker too', () => {
    expect(() => renderStrict('{{esercitazione}}Allerta su {{comuni}}', values)).toThrow(
      /esercitazione/,
    )
  })
})

describe('the ente’s hashtag', () => {
  const post = 'Allerta su {{comuni}}. {{link}} {{hashtag}}'
  const withLink = { ...values, link: 'https://example.org/allerta' }

  it('ends the post when the ente has one', () => {
    expect(renderStrict(post, { ...withLink, hashtag: '#allertameteoTOS' })).toBe(
      'Allerta su Empoli e Vinci. https://example.org/allerta #allertameteoTOS',
    )
  })

  it('leaves no trailing space or line break when there is none, given empty or not given', () => {
    expect(renderStrict(post, { ...withLink, hashtag: '' })).toBe(
      'Allerta su Empoli e Vinci. https://example.org/allerta',
    )
    expect(renderStrict('Info: {{link}}\n{{hashtag}}', withLink)).toBe(
      'Info: https://example.org/allerta',
    )
    // Only a text that ends with it: a hashtag in the middle keeps the text around it.
    expect(renderStrict('{{hashtag}} su {{comuni}}', { ...values, hashtag: '' })).toBe(
      ' su Empoli e Vinci',
    )
  })
})
