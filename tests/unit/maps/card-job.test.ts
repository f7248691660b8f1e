import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runMapCardJob } from '../../../src/main/core/maps/card-job'
import type { MapCardData } from '../../../src/main/core/maps'

const resourcesDir = path.resolve(__dirname, '../../../resources')
const data = (comuni: MapCardData['comuni']): MapCardData => ({
  comuni,
  kind: 'idraulico',
  validFrom: '2026-12-03T13:00:00Z',
  validTo: '2026-12-04T07:00:00Z',
  headline: 'Piena dell’Arno',
  ente: { name: 'Protezione civile Empolese Valdelsa', hashtag: '#allertameteoTOS' },
})

describe('the map card the posts carry', () => {
  it('leaves off a comune of another union, as the composer’s preview does', () => {
    const card = runMapCardJob({
      resourcesDir,
      data: data([
        { name: 'Empoli', level: 'arancione' },
        { name: 'Firenze', level: 'arancione' },
      ]),
    })
    expect(card.png.subarray(1, 4)).toEqual(new Uint8Array([0x50, 0x4e, 0x47]))
    expect(card).toMatchObject({ width: 1200, height: 675 })
    expect(card.alt).toContain('Empoli in arancione')
    expect(card.alt).not.toContain('Firenze')
  })

  it('draws none when none of the alert’s comuni is on the map, saying which', () => {
    expect(() =>
      runMapCardJob({ resourcesDir, data: data([{ name: 'Pisa', level: 'rosso' }]) }),
    ).toThrow('nessun comune dell’allerta è sulla mappa del Circondario (Pisa)')
    expect(() => runMapCardJob({ resourcesDir, data: data([]) })).toThrow(
      'l’allerta non nomina comuni',
    )
  })
})
