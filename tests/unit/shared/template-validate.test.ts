import { describe, it, expect } from 'vitest'
import { parseTemplateText, suggestVariable } from '../../../src/shared/templates/placeholders'
import { validateTemplate } from '../../../src/shared/templates/validate'
import { describeIssue } from '../../../src/shared/validation/messages'

const base = {
  name: 'Neve - allerta arancione',
  kind: 'neve',
  level: 'arancione',
  variants: { sms: 'Allerta {{livello}} per neve su {{comuni}}.' },
}
const withSms = (sms: string): object => ({ ...base, variants: { sms } })

describe('parseTemplateText', () => {
  it('splits text and variables, listing each variable once', () => {
    const parsed = parseTemplateText('Su {{comuni}} dalle {{dalle}}; ancora {{comuni}}.')
    expect(parsed.problems).toEqual([])
    expect(parsed.variables).toEqual(['comuni', 'dalle'])
    expect(parsed.parts.map((p) => (p.kind === 'text' ? p.text : `<${p.name}>`)).join('')).toBe(
      'Su <comuni> dalle <dalle>; ancora <comuni>.',
    )
  })

  it('tolerates spaces inside the braces', () => {
    const parsed = parseTemplateText('Su {{ comuni }} e {{comuni  }}')
    expect(parsed.problems).toEqual([])
    expect(parsed.variables).toEqual(['comuni'])
  })

  it('reports an unknown variable with its position and a likely correction', () => {
    expect(parseTemplateText('Allerta su {{comune}}').problems).toEqual([
      { code: 'unknown_variable', name: 'comune', index: 11, suggestion: 'comuni' },
    ])
    expect(parseTemplateText('{{Comuni}}').problems[0]).toMatchObject({
      code: 'unknown_variable',
      suggestion: 'comuni',
    })
    expect(parseTemplateText('{{meteo}}').problems).toEqual([
      { code: 'unknown_variable', name: 'meteo', index: 0 },
    ])
  })

  it('reports {{ without a closing }} before the next one or the end', () => {
    expect(parseTemplateText('Allerta su {{comuni dalle {{dalle}}').problems).toEqual([
      { code: 'unclosed_variable', name: 'comuni', index: 11 },
    ])
    expect(parseTemplateText('Allerta su {{comuni').problems).toEqual([
      { code: 'unclosed_variable', name: 'comuni', index: 11 },
    ])
    expect(parseTemplateText('fine {{').problems).toEqual([
      { code: 'unclosed_variable', name: '', index: 5 },
    ])
  })

  it('reports empty, triple-braced and stray placeholders as malformed', () => {
    expect(parseTemplateText('a {{}} b').problems).toEqual([
      { code: 'malformed_variable', name: '{{}}', index: 2 },
    ])
    expect(parseTemplateText('{{{comuni}}}').problems.map((p) => p.code)).toEqual([
      'malformed_variable',
    ])
    expect(parseTemplateText('{{nome comune}}').problems.map((p) => p.code)).toEqual([
      'malformed_variable',
    ])
    expect(parseTemplateText('chiuso }} qui').problems).toEqual([
      { code: 'malformed_variable', name: '}}', index: 7 },
    ])
  })

  it('flags a known variable in single braces, which would be sent literally', () => {
    expect(parseTemplateText('Su {comuni} oggi').problems).toEqual([
      { code: 'malformed_variable', name: '{comuni}', index: 3 },
    ])
    // Ordinary braces in text are left alone: `{info}` is not a variable.
    expect(parseTemplateText('ordinanza {info} [sito]').problems).toEqual([])
  })

  it('does not count the braces of a judged placeholder as stray', () => {
    expect(parseTemplateText('{{comune}} e {{meteo}}').problems.map((p) => p.code)).toEqual([
      'unknown_variable',
      'unknown_variable',
    ])
  })

  it('suggests only near names', () => {
    expect(suggestVariable('COMUNI')).toBe('comuni')
    expect(suggestVariable('dale')).toBe('dalle')
    expect(suggestVariable('temperatura')).toBeUndefined()
  })
})

describe('validateTemplate', () => {
  it('accepts a well-formed template', () => {
    expect(validateTemplate(base)).toEqual([])
  })

  it('points at the variant with an unknown variable, with a suggestion', () => {
    const issues = validateTemplate(withSms('Allerta su {{comune}}, dalle {{dalle}} {{comuni}}'))
    expect(issues).toEqual([
      {
        path: 'variants.sms',
        code: 'unknown_variable_suggestion',
        params: { name: 'comune', suggestion: 'comuni' },
      },
    ])
    expect(describeIssue(issues[0]!, 'it')).toBe(
      'variants.sms: La variabile «comune» non esiste: forse intendevi «comuni»?',
    )
  })

  it('reports unclosed and unknown variables with their own codes', () => {
    const issues = validateTemplate(withSms('Su {{comuni}} con {{vento_kmh}} e {{dalle'))
    expect(issues.map((i) => [i.code, i.params?.name])).toEqual([
      ['unknown_variable', 'vento_kmh'],
      ['unclosed_variable', 'dalle'],
    ])
  })

  it('requires {{comuni}} in every message variant except for generic notices', () => {
    const t = {
      ...base,
      variants: {
        sms: 'Allerta neve.',
        x: 'Allerta su {{comuni}}',
        email_subject: 'Neve',
        email_body: 'Allerta.',
      },
    }
    expect(validateTemplate(t)).toEqual([
      { path: 'variants.sms', code: 'missing_variable', params: { name: 'comuni' } },
      { path: 'variants.email_body', code: 'missing_variable', params: { name: 'comuni' } },
    ])
    expect(validateTemplate({ ...t, kind: 'generico' })).toEqual([])
  })

  it('requires the e-mail subject and body together, the subject on one line', () => {
    expect(
      validateTemplate({ ...base, variants: { ...base.variants, email_body: 'Su {{comuni}}' } }),
    ).toEqual([{ path: 'variants.email_subject', code: 'required' }])
    expect(
      validateTemplate({
        ...base,
        variants: { ...base.variants, email_subject: 'Allerta\nneve', email_body: '{{comuni}}' },
      }),
    ).toEqual([{ path: 'variants.email_subject', code: 'invalid' }])
  })

  it('requires some text in at least one variant', () => {
    expect(validateTemplate({ ...base, variants: { sms: '   ' } })).toEqual([
      { path: 'variants', code: 'required' },
    ])
  })

  it('reports shape errors as field issues and still checks the variants it can read', () => {
    const issues = validateTemplate({
      name: '',
      kind: 'grandine',
      level: 'viola',
      variants: { sms: '{{comun}}', tiktok: 'x' },
    })
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: 'name', code: 'required' },
        { path: 'kind', code: 'choice' },
        { path: 'level', code: 'choice' },
        expect.objectContaining({ path: 'variants', code: 'invalid' }),
        {
          path: 'variants.sms',
          code: 'unknown_variable_suggestion',
          params: { name: 'comun', suggestion: 'comuni' },
        },
      ]),
    )
  })

  it('bounds the length of a variant', () => {
    expect(validateTemplate(withSms('{{comuni}}' + 'a'.repeat(2000)))).toEqual([
      { path: 'variants.sms', code: 'too_long', params: { max: 2000 } },
    ])
  })

  it('refuses what is not a template at all', () => {
    expect(validateTemplate(null).length).toBeGreaterThan(0)
    expect(validateTemplate('neve').length).toBeGreaterThan(0)
    expect(validateTemplate({ ...base, variants: { sms: 42 } })).toEqual([
      { path: 'variants.sms', code: 'invalid' },
    ])
    expect(validateTemplate({ kind: 'neve', level: 'rosso', variants: {} })).toEqual([
      { path: 'name', code: 'required' },
    ])
  })
})
