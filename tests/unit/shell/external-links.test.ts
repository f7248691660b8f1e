import { describe, expect, it } from 'vitest'
import { externalLinkDecision } from '../../../src/main/shell/external-links'

describe('links opened outside Vedetta', () => {
  it('ask before opening a web address, naming its host', () => {
    const d = externalLinkDecision('https://www.example.it/avvisi/neve?c=empoli')
    expect(d).toEqual({
      open: true,
      url: 'https://www.example.it/avvisi/neve?c=empoli',
      host: 'www.example.it',
      message: 'Aprire www.example.it nel browser?',
      detail: 'https://www.example.it/avvisi/neve?c=empoli',
    })
    expect(externalLinkDecision('http://comune.vinci.fi.it:8080/x')).toMatchObject({
      open: true,
      message: 'Aprire comune.vinci.fi.it:8080 nel browser?',
    })
  })

  it('show the real destination of a deceptive address', () => {
    expect(externalLinkDecision('https://www.banca.it@truffa.example/login')).toMatchObject({
      open: true,
      host: 'truffa.example',
    })
    // A look-alike name is shown as the browser will resolve it (punycode).
    const lookAlike = externalLinkDecision('https://www.\u0430\u0440\u0440le.com/')
    expect(lookAlike.message).toMatch(/^Aprire www\.xn--[a-z0-9-]+\.com nel browser\?$/)
  })

  it.each([
    'file:///etc/passwd',
    'javascript:alert(1)',
    'mailto:sindaco@comune.it',
    'smb://server/share',
    'vedetta://open',
    'not a url',
    '',
  ])('refuse %j with a message instead of opening it', (raw) => {
    const d = externalLinkDecision(raw)
    expect(d.open).toBe(false)
    expect(d.message).toMatch(/solo indirizzi web/)
  })

  it('keep the detail short for a very long link', () => {
    const d = externalLinkDecision(`https://www.example.it/?q=${'a'.repeat(5000)}`)
    expect(d.detail.length).toBeLessThanOrEqual(300)
    expect(d.open && d.url.length).toBeGreaterThan(5000)
  })
})
