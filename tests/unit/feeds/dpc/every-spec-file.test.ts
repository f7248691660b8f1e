import { describe, expect, it } from 'vitest'
import { parseCriticitaIndex } from '../../../../src/main/core/feeds/dpc/criticita-index'
import { parseCriticitaZones } from '../../../../src/main/core/feeds/dpc/criticita-zones'
import {
  parseVigilanzaIndex,
  parseVigilanzaPhenomena,
  parseVigilanzaZones,
} from '../../../../src/main/core/feeds/dpc/vigilanza'
import { allSpecFiles, specBytes } from './specs'

/** Which parser reads which published file (the local copies add `.toscana` before `.json`). */
function read(file: string): { warnings: unknown[]; count: number } {
  const bytes = specBytes(file)
  const fileName = file.split('/').pop()!.replace('.toscana', '')
  if (/^criticita\/\d{8}_\d{4}\.json$/.test(file)) {
    const index = parseCriticitaIndex(bytes, { fileName })
    return { warnings: index.warnings, count: index.today.attachments.length }
  }
  if (/^criticita\/geojson\/\d{8}_\d{4}_(today|tomorrow)(\.toscana)?\.json$/.test(file)) {
    const z = parseCriticitaZones(bytes, { fileName })
    return { warnings: z.warnings, count: z.zones.length }
  }
  if (/^vigilanza\/\d{8}\.json$/.test(file)) {
    const index = parseVigilanzaIndex(bytes, { fileName })
    return { warnings: index.warnings, count: Object.keys(index.days).length }
  }
  if (/^vigilanza\/geojson\/\d{8}_fenomeni_(oggi|domani|dopodomani)\.json$/.test(file)) {
    const p = parseVigilanzaPhenomena(bytes, { fileName })
    return { warnings: p.warnings, count: p.points.length }
  }
  if (/^vigilanza\/geojson\/\d{8}_(oggi|domani|dopodomani)(\.toscana)?\.json$/.test(file)) {
    const z = parseVigilanzaZones(bytes, { fileName })
    return { warnings: z.warnings, count: z.zones.length }
  }
  throw new Error(`no parser reads ${file}`)
}

describe('every real DPC file in the specs', () => {
  const files = allSpecFiles()

  it('is there (criticality and vigilance, indexes and zones)', () => {
    expect(files).toHaveLength(8)
  })

  it.each(files)('%s is read without warnings', (file) => {
    const { warnings, count } = read(file)
    expect(warnings).toEqual([])
    expect(count).toBeGreaterThan(0)
  })
})
