import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { browserFailure, openAppWindow } from '../../../src/main/cli/browser'

const dirs: string[] = []
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })))

/** An executable that behaves as a browser that cannot start: it says why and exits. */
function failingBrowser(stderr: string, code: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'vedetta-browser-'))
  dirs.push(dir)
  const file = join(dir, 'browser')
  writeFileSync(file, `#!/bin/sh\nprintf '%s\\n' ${JSON.stringify(stderr)} >&2\nexit ${code}\n`)
  chmodSync(file, 0o755)
  return file
}
const failureOf = (browser: string) =>
  new Promise<string>((resolve) => {
    expect(openAppWindow('http://127.0.0.1:1/', dirs[0] ?? tmpdir(), resolve, browser)).toBe(true)
  })

describe('opening the app window', () => {
  it('says in one line why the browser closed at once (Chromium refusing root)', async () => {
    const browser = failingBrowser(
      '[1203/101010.123:ERROR:zygote_host_impl_linux.cc(100)] Running as root without --no-sandbox is not supported. See https://crbug.com/638180.',
      1,
    )
    const reason = await failureOf(browser)
    expect(reason).toBe(
      `${browser} closed at once: Running as root without --no-sandbox is not supported. See https://crbug.com/638180.`,
    )
    expect(reason).not.toContain('\n')
  })

  it('says so when the browser cannot be started at all', async () => {
    const reason = await failureOf('/nonexistent/chromium')
    expect(reason).toMatch(/^\/nonexistent\/chromium could not be started \(spawn .*ENOENT\)$/)
  })

  it('picks the line that explains, past the logging noise', () => {
    expect(
      browserFailure(
        'Fontconfig error: no such file\n[12:ERROR:ozone_platform_x11.cc(240)] Missing X server or $DISPLAY\n',
        1,
        null,
      ),
    ).toBe('Missing X server or $DISPLAY')
    expect(browserFailure('', 133, null)).toBe('exit code 133')
  })
})
