import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Log } from '../../../src/main/core/health/log'
import {
  chromiumPrintArgs,
  headlessChromiumPrinter,
  runsAsRoot,
} from '../../../src/main/core/drill-runtime/report-pdf'

const files = { page: '/tmp/r/report.html', pdf: '/tmp/r/report.pdf', profile: '/tmp/r/profile' }

function recordingLog() {
  const lines: string[] = []
  const log: Log = {
    error: (c, e) => lines.push(`ERROR ${c}: ${String(e)}`),
    warn: (c, m) => lines.push(`WARN ${c}: ${m}`),
    info: (c, m) => lines.push(`INFO ${c}: ${m}`),
  }
  return { log, lines }
}

describe('the headless Chromium command line', () => {
  it('keeps the sandbox on for an ordinary user', () => {
    const args = chromiumPrintArgs({ ...files, asRoot: false })
    expect(args).not.toContain('--no-sandbox')
    expect(args).toContain('--headless')
    expect(args).toContain('--print-to-pdf=/tmp/r/report.pdf')
    expect(args.at(-1)).toBe('file:///tmp/r/report.html')
  })

  it('switches it off only as root, where Chromium refuses to start it', () => {
    expect(chromiumPrintArgs({ ...files, asRoot: true })).toContain('--no-sandbox')
  })
})

describe('the headless Chromium printer', () => {
  let dir: string
  let browser: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vedetta-fake-chromium-'))
    browser = join(dir, 'chromium')
    // A stand-in browser: records its arguments and writes the PDF where asked.
    writeFileSync(
      browser,
      [
        '#!/bin/sh',
        `printf '%s\\n' "$@" > '${join(dir, 'args')}'`,
        'for a in "$@"; do case "$a" in --print-to-pdf=*) printf "%%PDF-1.4 fake" > "${a#--print-to-pdf=}";; esac; done',
      ].join('\n'),
    )
    chmodSync(browser, 0o755)
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))
  const argsSeen = () => readFileSync(join(dir, 'args'), 'utf8').trim().split('\n')

  it('prints inside the sandbox and logs nothing for an ordinary user', async () => {
    const { log, lines } = recordingLog()
    const pdf = await headlessChromiumPrinter({ browser, asRoot: false, log })('<p>Rapporto</p>')
    expect(pdf.toString('latin1')).toBe('%PDF-1.4 fake')
    expect(argsSeen()).not.toContain('--no-sandbox')
    expect(lines).toEqual([])
  })

  it('says in the log when it must print without the sandbox, as root', async () => {
    const { log, lines } = recordingLog()
    await headlessChromiumPrinter({ browser, asRoot: true, log })('<p>Rapporto</p>')
    expect(argsSeen()).toContain('--no-sandbox')
    expect(lines).toEqual([expect.stringMatching(/^WARN report-pdf: .*without its sandbox.*root/)])
  })

  it("reports Chromium's own reason when it cannot print", async () => {
    writeFileSync(browser, '#!/bin/sh\necho "FATAL: no usable sandbox" >&2\nexit 1\n')
    const { log, lines } = recordingLog()
    await expect(
      headlessChromiumPrinter({ browser, asRoot: false, log })('<p>x</p>'),
    ).rejects.toMatchObject({ code: 'unavailable', message: /no usable sandbox/ })
    expect(lines).toEqual([expect.stringMatching(/^ERROR report-pdf/)])
  })

  it.skipIf(!existsSync('/usr/bin/chromium'))(
    'prints a real PDF with the system Chromium, as this user may',
    async () => {
      const { log, lines } = recordingLog()
      const pdf = await headlessChromiumPrinter({ browser: '/usr/bin/chromium', log })(
        '<!doctype html><meta charset="utf-8"><h1>Esercitazione neve</h1>',
      )
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-')
      expect(lines.some((l) => l.includes('without its sandbox'))).toBe(runsAsRoot())
    },
  )
})
