import { describe, expect, it } from 'vitest'
import { performance } from 'node:perf_hooks'
import { htmlToOptionalText, htmlToText } from '../../../src/shared/text/html-to-text'

const MiB = 1024 * 1024

/** The fastest of a few runs: the least disturbed by whatever else the machine is doing. */
function fastestMs(input: string, runs = 3): number {
  let best = Infinity
  for (let i = 0; i < runs; i++) {
    const start = performance.now()
    htmlToText(input)
    best = Math.min(best, performance.now() - start)
  }
  return best
}

describe('HTML to text', () => {
  it('keeps the lines a reader sees and drops every tag', () => {
    expect(
      htmlToText(
        '<div><h2>Allerta  arancione</h2><p>Chiusa la <b>SP 12</b>.<br/>Evitare i sottopassi.</p>' +
          '<ul><li>Empoli</li><li>Vinci</li></ul></div>',
      ),
    ).toBe('Allerta arancione\nChiusa la SP 12.\nEvitare i sottopassi.\n\nEmpoli\nVinci')
    expect(htmlToText('<p>Uno<br>due<br/>tre</p><p class="x">quattro</p>')).toBe(
      'Uno\ndue\ntre\n\nquattro',
    )
  })

  it('never shows scripts, styles or comments, even unclosed', () => {
    expect(htmlToText('a<script type="x">alert("<p>")</script>b<STYLE>p{}</Style>c')).toBe('abc')
    expect(htmlToText('visibile<!-- nascosto <p> -->sì')).toBe('visibilesì')
    expect(htmlToText('prima<script>var x = 1')).toBe('prima')
    expect(htmlToText('prima<!-- mai chiuso <b>x</b>')).toBe('prima')
  })

  it('reads a lone "<" as text, as a browser does', () => {
    expect(htmlToText('livello < 3 e portata > 200 m³/s')).toBe('livello < 3 e portata > 200 m³/s')
    expect(htmlToText('a <<b>b</b>')).toBe('a <b')
  })

  it('decodes entities once, after the tags are gone', () => {
    expect(htmlToText('&lt;b&gt;grassetto&lt;/b&gt; &amp;amp; &egrave; &#232; caf&#xE9;')).toBe(
      '<b>grassetto</b> &amp; &egrave; è café',
    )
    expect(htmlToText('Empoli&nbsp;&nbsp;e&nbsp;Vinci')).toBe('Empoli e Vinci')
  })

  it('gives feeds null when nothing readable is left', () => {
    expect(htmlToOptionalText(null)).toBeNull()
    expect(htmlToOptionalText('  <br/> <p></p> ')).toBeNull()
    expect(htmlToOptionalText(' Bollettino ')).toBe('Bollettino')
  })

  // The feeds' size cap is 5 MiB: hostile input of that size must not hold the process.
  const hostile: Record<string, (size: number) => string> = {
    'only "<"': (n) => '<'.repeat(n),
    'tags never closed': (n) => '<a href='.repeat(n / 8),
    'scripts never closed': (n) => '<script>'.repeat(n / 8),
    'comments never closed': (n) => '<!--'.repeat(n / 4),
    'entities never ended': (n) => '&#x'.repeat(n / 3),
    'spaces before a tag': (n) => ' '.repeat(n - 3) + '<p>',
  }

  it.each(Object.keys(hostile))('grows linearly on %s (½ MiB against 4 MiB)', (name) => {
    const make = hostile[name]!
    expect(htmlToText(make(5 * MiB)).length).toBeLessThanOrEqual(5 * MiB)
    const small = fastestMs(make(MiB / 2))
    const large = fastestMs(make(4 * MiB))
    // Linear work takes about 8 times as long on 8 times the input; quadratic
    // work takes 64 times. The wide margin between them keeps a loaded machine's
    // noise from failing linear code. A floor of 1 ms keeps timer noise out of tiny runs.
    expect(large / Math.max(small, 1)).toBeLessThan(24)
  })
})
