import { describe, expect, it } from 'vitest'
import { boundText, TRUNCATION_MARKER } from '../../../src/main/core/citizens/bound-text'
import { htmlToText, decodeEntities } from '../../../src/shared/text/html-to-text'
import {
  searchableAuthor,
  searchableText,
  toMatchQuery,
} from '../../../src/main/core/citizens/search-text'
import { MAX_STORED_TEXT } from '../../../src/shared/citizens/types'

describe('bounding stored text', () => {
  it('keeps texts up to the limit untouched', () => {
    const exact = 'a'.repeat(MAX_STORED_TEXT)
    expect(boundText(exact)).toEqual({ text: exact })
    expect(boundText('')).toEqual({ text: '' })
  })

  it('cuts longer texts with a marker, never inside an emoji', () => {
    // The cut falls between the two halves of the first emoji.
    const text = 'a'.repeat(MAX_STORED_TEXT - TRUNCATION_MARKER.length - 1) + '😱'.repeat(100)
    const bounded = boundText(text)
    expect(bounded.truncatedFrom).toBe(text.length)
    expect(bounded.text.length).toBeLessThanOrEqual(MAX_STORED_TEXT)
    expect(bounded.text.endsWith(TRUNCATION_MARKER)).toBe(true)
    const kept = bounded.text.slice(0, -TRUNCATION_MARKER.length)
    expect(kept).toBe('a'.repeat(MAX_STORED_TEXT - TRUNCATION_MARKER.length - 1))
    expect(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/.test(bounded.text)).toBe(false)
  })
})

describe('status HTML to text', () => {
  it('turns paragraphs and breaks into lines and drops every tag', () => {
    expect(htmlToText('<p>Uno<br>due<br/>tre</p><p class="x">quattro</p>')).toBe(
      'Uno\ndue\ntre\n\nquattro',
    )
    expect(htmlToText('<script>alert(1)</script><b onclick="x">ok</b>')).toBe('ok')
  })

  it('decodes entities once, leaving unknown or invalid ones as written', () => {
    expect(
      decodeEntities('&lt;b&gt; &amp;amp; &#x1F30A; &#233; &bogus; &#xD800; &#99999999;'),
    ).toBe('<b> &amp; 🌊 é &bogus; &#xD800; &#99999999;')
  })
})

describe('search text and queries', () => {
  it('normalises styled letters and hidden characters the same way on both sides', () => {
    expect(searchableText('𝐀𝐥𝐥𝐞𝐫𝐭𝐚 al\u200Blarme')).toBe('Allerta allarme')
    expect(searchableAuthor('Anna', '+393471234567')).toBe('Anna +393471234567 3471234567')
    expect(searchableAuthor(null, '@anna')).toBe('@anna')
  })

  it('makes every typed word a quoted prefix, and numbers digits only', () => {
    expect(toMatchQuery('strada chiusa')).toBe('"strada"* "chiusa"*')
    expect(toMatchQuery('  NEAR(a b) OR "x" * body:')).toBe('"NEAR"* "a"* "b"* "OR"* "x"* "body"*')
    expect(toMatchQuery('+39 347 123-4567')).toBe('"393471234567"*')
    expect(toMatchQuery('0039 347')).toBe('"39347"*')
    expect(toMatchQuery('   ')).toBeNull()
    expect(toMatchQuery('!!! ???')).toBeNull()
  })
})
