import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { FeedError } from '../../../src/main/core/feeds/errors'
import { parseNewsFeed } from '../../../src/main/core/feeds/parsers/news-feed'

const fixture = (name: string): Buffer => readFileSync(path.join(__dirname, 'fixtures', name))

describe('parseNewsFeed', () => {
  it('reads RSS 2.0 items as plain text, never HTML', () => {
    const items = parseNewsFeed(fixture('news.rss'), {
      baseUrl: 'https://protezionecivile.example.it/feed.rss',
    })
    expect(items).toHaveLength(2)
    const [first, second] = items
    expect(first?.externalId).toBe('pc-toscana-2024-1102-01')
    expect(first?.headline).toBe('Allerta arancione per rischio idraulico sul Valdarno inferiore')
    expect(first?.description).toBe(
      'Codice arancione dalle 00:00 di domenica.\nInteressati i comuni di Empoli e Fucecchio & dintorni.',
    )
    expect(first?.sender).toBe('Sala operativa')
    expect(first?.sent).toBe('Sat, 02 Nov 2024 12:30:00 +0100')
    expect(first?.language).toBe('it-IT')
    expect(first?.rawKind).toBe('rss')
    // No guid: the link is the id, resolved against the feed URL.
    expect(second?.externalId).toBe('https://protezionecivile.example.it/notizie/esercitazione')
    expect(second?.headline).toBe('Esercitazione regionale – a Cortona')
  })

  it('reads Atom entries', () => {
    const [entry] = parseNewsFeed(fixture('news.atom'))
    expect(entry?.externalId).toBe('urn:example:empoli:avvisi:42')
    expect(entry?.headline).toBe('Scuole chiuse domenica')
    expect(entry?.web).toBe('https://comune.example.it/avvisi/42')
    expect(entry?.sender).toBe('Ufficio stampa')
    expect(entry?.sent).toBe('2024-11-02T10:00:00Z')
    expect(entry?.language).toBe('it-IT')
    expect(entry?.rawKind).toBe('atom')
  })

  it('reads RSS 1.0 (RDF) and gives id-less items a stable content hash', () => {
    const rdf = `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
      <channel><title>C</title></channel>
      <item><title>Senza link</title><description>testo</description></item></rdf:RDF>`
    const [a] = parseNewsFeed(rdf)
    const [b] = parseNewsFeed(rdf)
    expect(a?.externalId).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(a?.externalId).toBe(b?.externalId)
  })

  it('returns nothing for an empty channel', () => {
    expect(
      parseNewsFeed('<rss version="2.0"><channel><title>vuoto</title></channel></rss>'),
    ).toEqual([])
  })

  it('refuses an HTML page and a truncated feed with readable errors', () => {
    const codes = [
      '<html><body>login</body></html>',
      fixture('news.rss').toString('utf8').slice(0, 500),
    ].map((doc) => {
      try {
        parseNewsFeed(doc)
        return 'parsed'
      } catch (err) {
        return err instanceof FeedError ? err.code : 'other'
      }
    })
    expect(codes).toEqual(['not_a_feed', 'malformed'])
  })
})
