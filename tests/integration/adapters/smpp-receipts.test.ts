import { describe, expect, it } from 'vitest'
import {
  idSpellings,
  parseReceipt,
  ReceiptBook,
} from '../../../src/main/core/channels/adapters/smpp-receipts'

const AT = '2025-01-10T08:00:00.000Z'

describe('SMPP receipt text', () => {
  it('reads id, stat and err from the Appendix B format', () => {
    const text =
      'id:0123456789 sub:001 dlvrd:001 submit date:2501100800 done date:2501100801 stat:DELIVRD err:000 Text:Allerta'
    expect(parseReceipt({ text })).toEqual({ messageId: '0123456789', stat: 'DELIVRD', err: '000' })
  })

  it('prefers the receipted_message_id and message_state TLVs', () => {
    expect(parseReceipt({ text: 'garbled', receiptedMessageId: 'abc', messageState: 5 })).toEqual({
      messageId: 'abc',
      stat: 'UNDELIV',
    })
  })

  it('is not fooled by text without a receipt', () => {
    expect(parseReceipt({ text: "Ciao, ho ricevuto l'allerta" })).toBeUndefined()
    expect(parseReceipt({ text: '' })).toBeUndefined()
    expect(parseReceipt({ text: 'stat:DELIVRD' })).toBeUndefined()
  })
})

describe('SMPP receipt book', () => {
  it('reports every failed final state with an Italian reason', () => {
    const book = new ReceiptBook()
    for (const [id, stat, words] of [
      ['a1', 'UNDELIV', 'non consegnabile'],
      ['a2', 'REJECTD', 'rifiutato'],
      ['a3', 'EXPIRED', 'scaduto'],
      ['a4', 'DELETED', 'cancellato'],
    ] as const) {
      book.sent(id, [id], AT)
      book.record({ messageId: id, stat, err: '005' }, AT)
      const status = book.status(id)
      expect(status).toMatchObject({ status: 'failed', code: stat.toLowerCase() })
      if (status.status === 'failed') {
        expect(status.reason).toContain(words)
        expect(status.reason).toContain('err:005')
      }
    }
  })

  it('says failed when one part of a long message failed, delivered only when all did', () => {
    const book = new ReceiptBook()
    book.sent('p1', ['p1', 'p2', 'p3'], AT)
    book.record({ messageId: 'p1', stat: 'DELIVRD' }, AT)
    expect(book.status('p1').status).toBe('sent')
    book.record({ messageId: 'p2', stat: 'ACCEPTD' }, AT)
    expect(book.status('p1').status).toBe('pending')
    book.record({ messageId: 'p2', stat: 'DELIVRD' }, AT)
    book.record({ messageId: 'p3', stat: 'DELIVRD' }, AT)
    expect(book.status('p1').status).toBe('delivered')
    book.record({ messageId: 'p3', stat: 'REJECTD' }, AT)
    expect(book.status('p1').status).toBe('failed')
  })

  it('knows receipts that arrive for messages sent before a restart', () => {
    const book = new ReceiptBook()
    book.record({ messageId: '00ff10', stat: 'DELIVRD' }, AT)
    expect(book.status('FF10')).toEqual({ status: 'delivered', at: AT })
    expect(book.status('nope')).toEqual({ status: 'unknown' })
  })

  it('prefers an exact id over a hex/decimal look-alike', () => {
    const book = new ReceiptBook()
    book.sent('10', ['10'], AT)
    book.record({ messageId: '16', stat: 'UNDELIV' }, AT)
    expect(book.status('10').status).toBe('failed')
    book.record({ messageId: '10', stat: 'DELIVRD' }, AT)
    expect(book.status('10').status).toBe('delivered')
  })

  it('spells ids the ways SMSCs write them', () => {
    expect(idSpellings('000255')).toEqual(['255', 'ff', '597'])
    expect(idSpellings('a1b2')).toEqual(['a1b2', '41394'])
  })
})
