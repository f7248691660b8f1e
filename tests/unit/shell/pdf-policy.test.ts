import { describe, expect, it } from 'vitest'
import { PRINT_PARTITION, printRequestAllowed } from '../../../src/main/shell/pdf-policy'

const PAGE = 'file:///tmp/vedetta-report-x1/report.html'

describe('the desktop PDF print window', () => {
  // Its sandbox, context isolation and lack of Node are checked by the Electron
  // security review of npm test (scripts/electronegativity.js), which reads pdf-printer.ts.
  it('has a session of its own, kept in memory', () => {
    expect(PRINT_PARTITION).not.toBe('')
    expect(PRINT_PARTITION.startsWith('persist:')).toBe(false)
  })

  it('loads the report page and inline images only', () => {
    expect(printRequestAllowed(PAGE, PAGE)).toBe(true)
    expect(printRequestAllowed('data:image/png;base64,iVBORw0KGgo=', PAGE)).toBe(true)
    expect(printRequestAllowed('https://tracker.example/pixel.gif', PAGE)).toBe(false)
    expect(printRequestAllowed('http://169.254.169.254/latest/meta-data/', PAGE)).toBe(false)
    expect(printRequestAllowed('file:///home/operatore/.config/Vedetta/secret.key', PAGE)).toBe(
      false,
    )
    expect(printRequestAllowed(PAGE, '')).toBe(false)
  })
})
