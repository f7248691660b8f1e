import { describe, expect, it } from 'vitest'
import fs from 'node:fs'
import path from 'node:path'
import { concatUdh, planSms } from '../../../src/main/core/channels/adapters/smpp-encoding'

interface Vector {
  body: string
  encoding: 'GSM-7' | 'UCS-2'
  segments: number
}

const vectors = JSON.parse(
  fs.readFileSync(
    path.resolve(__dirname, '../../../../shared/specs/sms-segments/vectors.json'),
    'utf8',
  ),
) as { twilio: Vector[]; italian: Vector[] }

describe('SMPP text plan against the published segment vectors', () => {
  it.each([...vectors.twilio, ...vectors.italian].map((v) => [v.body.slice(0, 40), v] as const))(
    '%s',
    (_label, vector) => {
      const plan = planSms(vector.body)
      expect(plan.alphabet).toBe(vector.encoding === 'GSM-7' ? 'gsm7' : 'ucs2')
      expect(plan.dataCoding).toBe(vector.encoding === 'GSM-7' ? 0x00 : 0x08)
      expect(plan.parts).toHaveLength(vector.segments)
      expect(plan.parts.join('')).toBe(vector.body)
    },
  )
})

describe('SMPP text plan: parts', () => {
  it('keeps a two-septet character (€) whole at a part boundary', () => {
    const text = `${'x'.repeat(152)}€${'y'.repeat(10)}`
    const plan = planSms(text)
    expect(plan.parts).toEqual(['x'.repeat(152), `€${'y'.repeat(10)}`])
  })

  it('keeps a surrogate pair whole in UCS-2', () => {
    const text = `${'À'.repeat(66)}😀${'b'.repeat(10)}`
    const plan = planSms(text)
    expect(plan.parts[0]).toBe('À'.repeat(66))
    expect(plan.parts[1]?.startsWith('😀')).toBe(true)
  })

  it('builds the 8-bit concatenation UDH', () => {
    expect([...concatUdh(300, 3, 2)]).toEqual([0x05, 0x00, 0x03, 300 & 0xff, 3, 2])
  })
})
