import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { CLI, REPO } from '../../support/host-process'
import { decodePng, pngSize } from '../../unit/maps/png'

const dirs: string[] = []
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'vedetta-map-'))
  dirs.push(d)
  return d
}
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })))

function vedetta(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

beforeAll(() => {
  if (!existsSync(join(REPO, 'out', 'main', 'cli.js')))
    throw new Error('build first: npm run build')
})

/** The colour at a pixel of a decoded PNG. */
function rgbAt(png: Buffer, x: number, y: number): [number, number, number] {
  const p = decodePng(png)
  const i = (y * p.width + x) * 4
  return [p.data[i]!, p.data[i + 1]!, p.data[i + 2]!]
}

describe('vedetta map', () => {
  it('draws the card as a 1200×675 PNG and prints its alt text', () => {
    const out = join(tempDir(), 'card.png')
    const r = vedetta(
      'map',
      '--comuni',
      'Empoli=arancione,Vinci=gialla',
      '--kind',
      'idraulico',
      '--from',
      '2025-12-03T14:00:00+01:00',
      '--to',
      '2025-12-04T08:00:00+01:00',
      '--out',
      out,
    )
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(
      /^Mappa dei comuni del Circondario: Empoli in arancione; Vinci in giallo; gli altri 9 comuni in verde, senza allerta \(.*\)\. Allerta arancione per rischio idraulico, dalle 14 di mercoledì 3 alle 8 di giovedì 4 dicembre\. Protezione civile Empolese Valdelsa #allertameteoTOS\n$/,
    )
    const png = readFileSync(out)
    expect(pngSize(png)).toEqual({ width: 1200, height: 675 })
    // The card's white ground, and the map's pale frame at its corner.
    expect(rgbAt(png, 1190, 10)).toEqual([255, 255, 255])
    expect(rgbAt(png, 30, 640)).toEqual([0xee, 0xf3, 0xf7])
  })

  it('draws the square card with --square', () => {
    const out = join(tempDir(), 'square.png')
    const r = vedetta('map', '--comuni', 'Certaldo=rossa', '--square', '--out', out)
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^Mappa dei comuni del Circondario: Certaldo in rosso; gli altri 10/)
    expect(pngSize(readFileSync(out))).toEqual({ width: 1080, height: 1080 })
  })

  it('refuses a comune outside the Circondario or an unknown level, as a usage mistake', () => {
    const out = join(tempDir(), 'no.png')
    const pisa = vedetta('map', '--comuni', 'Pisa=rossa', '--out', out)
    expect(pisa.code).toBe(2)
    expect(pisa.stderr).toMatch(
      /^vedetta: comune non del Circondario: Pisa \(i comuni sono: Capraia e Limite/,
    )
    const viola = vedetta('map', '--comuni', 'Empoli=viola', '--out', out)
    expect(viola.code).toBe(2)
    expect(viola.stderr).toContain('"Empoli=viola" is not Comune=livello')
    const noOut = vedetta('map', '--comuni', 'Empoli=gialla')
    expect(noOut.code).toBe(2)
    expect(noOut.stderr).toContain('--out FILE.png is required')
    const badDate = vedetta(
      'map',
      '--comuni',
      'Empoli=gialla',
      '--from',
      '3/12 14:00',
      '--out',
      out,
    )
    expect(badDate.code).toBe(2)
    expect(existsSync(out)).toBe(false)
  })

  it('is listed in the help', () => {
    expect(vedetta('help').stdout).toContain('vedetta map --comuni')
  })
})
