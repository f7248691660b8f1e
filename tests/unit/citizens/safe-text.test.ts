import { describe, expect, it } from 'vitest'
import {
  cleanForDisplay,
  detectSuspicion,
  toDisplayTokens,
  type DisplayToken,
} from '../../../src/shared/citizens/safe-text'

const shown = (tokens: DisplayToken[]) => tokens.map((t) => t.text).join('')
const links = (tokens: DisplayToken[]) => tokens.filter((t) => t.type === 'link')

describe('safe display of citizen text', () => {
  it('shows ordinary text as one text token, with nothing suspicious', () => {
    const view = toDisplayTokens('La strada per Vinci è allagata, servono sacchi?')
    expect(view).toEqual({
      tokens: [{ type: 'text', text: 'La strada per Vinci è allagata, servono sacchi?' }],
      suspicious: [],
      cut: false,
    })
  })

  it('keeps script tags as text and reports markup', () => {
    const hostile = '<script>alert(document.cookie)</script><img src=x onerror=alert(1)>'
    const view = toDisplayTokens(hostile)
    expect(view.tokens).toEqual([{ type: 'text', text: hostile }])
    expect(view.suspicious).toContain('markup')
  })

  it('never turns javascript:, data: or vbscript: addresses into links', () => {
    for (const hostile of [
      'clicca javascript:alert(1)',
      'JaVaScRiPt :alert(1)',
      'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
      'vbscript:msgbox(1)',
      '<a href="javascript:alert(1)">https://comune.empoli.fi.it</a>',
    ]) {
      const view = toDisplayTokens(hostile)
      expect(view.suspicious, hostile).toContain('script_link')
      for (const link of links(view.tokens)) expect(link.href).toMatch(/^https?:\/\//)
    }
  })

  it('makes http(s) links whose shown text is their real target', () => {
    const view = toDisplayTokens(
      'Vedi https://comune.empoli.fi.it/allerta?id=3, oppure (http://example.org/a_(b)).',
    )
    expect(view.tokens).toEqual([
      { type: 'text', text: 'Vedi ' },
      {
        type: 'link',
        text: 'https://comune.empoli.fi.it/allerta?id=3',
        href: 'https://comune.empoli.fi.it/allerta?id=3',
      },
      { type: 'text', text: ', oppure (' },
      { type: 'link', text: 'http://example.org/a_(b)', href: 'http://example.org/a_(b)' },
      { type: 'text', text: ').' },
    ])
    for (const link of links(view.tokens)) expect(link.text).toBe(link.href)
  })

  it('shows the real host of a link that hides it behind credentials or punycode', () => {
    const view = toDisplayTokens(
      'Accedi: https://www.comune.it@evil.example/login e https://раураl.com/',
    )
    // Cyrillic "раураl" (mixed with a Latin l) is shown in the punycode the browser would visit.
    expect(links(view.tokens).map((l) => l.href)).toEqual([
      'https://evil.example/login',
      'https://xn--l-7sba6dbr.com/',
    ])
    expect(view.suspicious).toContain('lookalike_link')
  })

  it('leaves addresses without a scheme, odd schemes and broken URLs as text', () => {
    const text = 'www.example.org ftp://files.example.org http:// https://[::1 file:///etc/passwd'
    const view = toDisplayTokens(text)
    expect(links(view.tokens)).toEqual([])
    expect(shown(view.tokens)).toBe(text)
  })

  it('does not let a link start inside a word', () => {
    const view = toDisplayTokens('xhttps://evil.example/ ok')
    expect(links(view.tokens)).toEqual([])
  })

  it('removes bidi overrides for display and reports them', () => {
    // "Chiamate il 112" with an RLO that would show "exe.txt" as "txt.exe"-style reversed text.
    const hostile = 'Scarica il file \u202Egnp.exe\u202C e chiama \u2067112\u2069'
    const view = toDisplayTokens(hostile)
    expect(shown(view.tokens)).toBe('Scarica il file gnp.exe e chiama 112')
    expect(view.suspicious).toContain('bidi_control')
  })

  it('removes zero-width characters, so a link cannot hide a different host', () => {
    const hostile = 'https://comune.empoli.fi.it\u200B.evil.example/ e al\u200Blar\u2060me\uFEFF'
    const view = toDisplayTokens(hostile)
    expect(links(view.tokens)).toEqual([
      {
        type: 'link',
        text: 'https://comune.empoli.fi.it.evil.example/',
        href: 'https://comune.empoli.fi.it.evil.example/',
      },
    ])
    expect(shown(view.tokens)).toBe('https://comune.empoli.fi.it.evil.example/ e allarme')
    expect(view.suspicious).toContain('invisible')
  })

  it('keeps the joiners that build emoji and flags, and drops smuggled tag characters', () => {
    const family = '👨‍👩‍👧'
    const scotland = '🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}'
    const smuggled = [...'ignore previous instructions']
      .map((c) => String.fromCodePoint(0xe0000 + c.charCodeAt(0)))
      .join('')
    const view = toDisplayTokens(`${family} ${scotland} ciao${smuggled}`)
    expect(shown(view.tokens)).toBe(`${family} ${scotland} ciao`)
    expect(view.suspicious).toEqual(['invisible'])
    expect(toDisplayTokens(`${family} ${scotland}`).suspicious).toEqual([])
  })

  it('removes control characters but keeps line breaks and tabs', () => {
    const view = toDisplayTokens('riga 1\r\nriga\u00002\u0007\u009B\tfine\u2028ultima')
    expect(shown(view.tokens)).toBe('riga 1\nriga2\tfine\nultima')
    expect(view.suspicious).toContain('control')
  })

  it('tames combining-mark towers (Zalgo) and reports a flood', () => {
    const zalgo = `A${'\u0301\u0300\u0302\u0303\u0304\u0305\u0306'.repeat(20)}iuto`
    const view = toDisplayTokens(zalgo)
    expect(shown(view.tokens)).toBe('A\u0301\u0300\u0302\u0303iuto')
    expect(view.suspicious).toContain('flood')
    // Accented Italian and Vietnamese text is not touched.
    expect(cleanForDisplay('perché Tiếng Việt').text).toBe('perché Tiếng Việt')
  })

  it('renders an emoji flood as text and reports it', () => {
    const flood = '😂🌊'.repeat(5_000)
    const view = toDisplayTokens(flood)
    expect(view.tokens).toEqual([{ type: 'text', text: flood }])
    expect(view.suspicious).toEqual(['flood'])
  })

  it('cuts long texts for previews on a grapheme boundary, never inside a link', () => {
    const view = toDisplayTokens(`${'🇮🇹'.repeat(10)} https://example.org/abc`, { maxLength: 21 })
    expect(view.cut).toBe(true)
    expect(view.tokens).toEqual([
      { type: 'text', text: '🇮🇹'.repeat(5) },
      { type: 'text', text: '…' },
    ])
    const linkCut = toDisplayTokens('vedi https://example.org/abcdef', { maxLength: 10 })
    expect(linkCut.tokens).toEqual([
      { type: 'text', text: 'vedi ' },
      { type: 'text', text: '…' },
    ])
    expect(toDisplayTokens('breve', { maxLength: 10 }).cut).toBe(false)
  })

  it('handles a 1 MB hostile comment built to make scanners backtrack', () => {
    const parts = [
      'a.'.repeat(100_000),
      'https://x.it/' + ')'.repeat(100_000),
      '🏴' + '\u{E0067}'.repeat(50_000),
      '\u200D'.repeat(50_000),
      'http://' + 'a'.repeat(100_000),
    ]
    const huge = parts.join(' ').padEnd(1_000_000, '<script>')
    const view = toDisplayTokens(huge, { maxLength: 500 })
    expect(view.cut).toBe(true)
    expect(view.suspicious).toEqual(expect.arrayContaining(['markup', 'invisible', 'flood']))
    const full = toDisplayTokens(huge)
    expect(links(full.tokens).map((l) => l.href)).toEqual(['https://x.it/'])
  })

  it('reports nothing for text with directional marks only in Arabic script', () => {
    const arabic = 'مرحبا\u200F بالعالم'
    expect(detectSuspicion(arabic)).toEqual([])
    expect(cleanForDisplay(arabic).text).toBe('مرحبا بالعالم')
  })

  it('keeps the zero-width non-joiner where Persian spelling needs it', () => {
    const persian = 'می\u200Cخواهم'
    expect(cleanForDisplay(persian).text).toBe(persian)
    expect(cleanForDisplay('al\u200Clarme').text).toBe('allarme')
  })
})
