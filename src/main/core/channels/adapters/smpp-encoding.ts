import { countSmsSegments, splitSmsSegments } from '../../../../shared/text/sms-segments'

/**
 * How a text travels in SMPP: which alphabet (data_coding) and in which parts.
 *
 * Both come from the shared SMS counter (GSM 03.38: the default alphabet when
 * every character is in it, UCS-2 otherwise; 160/153 septets or 70/67 units;
 * no character cut across parts), so what the composer shows is what goes on
 * the wire. The `smpp` package then encodes each part: unpacked GSM septets for
 * data_coding 0x00, UTF-16BE for 0x08.
 */

/** SMPP data_coding values we send. */
export const DATA_CODING = { gsm7: 0x00, ucs2: 0x08 } as const

export type SmsAlphabet = keyof typeof DATA_CODING

export interface SmsPlan {
  alphabet: SmsAlphabet
  dataCoding: number
  /** One string per SMS part, each within the part budget; joined they give the text back. */
  parts: string[]
}

/** Chooses the alphabet and splits the text into SMS parts. */
export function planSms(text: string): SmsPlan {
  const alphabet: SmsAlphabet = countSmsSegments(text).encoding === 'GSM-7' ? 'gsm7' : 'ucs2'
  return { alphabet, dataCoding: DATA_CODING[alphabet], parts: splitSmsSegments(text) }
}

/**
 * The User Data Header of a concatenated part (3GPP TS 23.040, IEI 0x00:
 * 8-bit reference, total parts, this part's 1-based number).
 */
export function concatUdh(reference: number, total: number, sequence: number): Buffer {
  return Buffer.from([0x05, 0x00, 0x03, reference & 0xff, total, sequence])
}
