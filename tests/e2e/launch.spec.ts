import { expect, test } from '@playwright/test'
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { removeDir, startHostProcess, type HostProcess } from '../support/host-process'

let host: HostProcess
let browserDir: string
let argsFile: string

test.beforeAll(async () => {
  // Stands in for the Chromium `--open` starts: it writes down its command line, as `ps` shows it.
  browserDir = mkdtempSync(join(tmpdir(), 'vedetta-browser-'))
  argsFile = join(browserDir, 'args')
  const browser = join(browserDir, 'browser')
  writeFileSync(
    browser,
    `#!/bin/sh\nprintf '%s\\n' "$@" > '${argsFile}.tmp'\nmv '${argsFile}.tmp' '${argsFile}'\n`,
  )
  chmodSync(browser, 0o755)
  const before = process.env.VEDETTA_BROWSER
  process.env.VEDETTA_BROWSER = browser
  try {
    host = await startHostProcess(undefined, 0, ['--open'])
  } finally {
    if (before === undefined) delete process.env.VEDETTA_BROWSER
    else process.env.VEDETTA_BROWSER = before
  }
})
test.afterAll(async () => {
  await host.stop()
  removeDir(host.dataDir)
  rmSync(browserDir, { recursive: true, force: true })
})

const port = () => new URL(host.url).port
const token = () => new URL(host.url).searchParams.get('token')!

test('the printed address leaves no token in the page address or its history', async ({
  page,
  context,
}) => {
  const violations: string[] = []
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text())
  })
  await page.goto(host.url + '#/sala')
  // Connected: the socket passed both the page's meta CSP and the host's header.
  await expect(page.getByTestId('connection')).toHaveText('Connesso')
  expect(page.url()).toBe(`http://127.0.0.1:${port()}/#/sala`)
  expect(violations).toEqual([])

  const [cookie, ...others] = await context.cookies()
  expect(others).toEqual([])
  expect(cookie).toMatchObject({
    name: `vedetta_${port()}`,
    httpOnly: true,
    sameSite: 'Strict',
    path: '/',
  })
  // HttpOnly: the page's scripts cannot read it.
  expect(await page.evaluate('document.cookie')).toBe('')

  // Back goes to where the tab was before, not to the address with the token.
  await page.goBack()
  expect(page.url()).toBe('about:blank')
  await page.goForward()
  expect(page.url()).not.toContain(token())
  await expect(page.getByTestId('connection')).toHaveText('Connesso')
})

test('the window --open starts opens the room with a launch code, good only once', async ({
  page,
  browser,
}) => {
  await expect.poll(() => existsSync(argsFile)).toBe(true)
  const args = readFileSync(argsFile, 'utf8').trim().split('\n')
  expect(args.join(' ')).not.toContain(token())
  const app = args.find((a) => a.startsWith('--app='))!.slice('--app='.length)
  expect(app).toContain('?launch=')

  await page.goto(app)
  await expect(page.getByTestId('connection')).toHaveText('Connesso')
  expect(page.url()).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port()}/(#.*)?$`))
  await page.reload()
  await expect(page.getByTestId('connection')).toHaveText('Connesso')

  // Another browser profile given the same link, read off the command line: refused, and told why.
  const other = await browser.newContext()
  const stranger = await other.newPage()
  const answer = await stranger.goto(app)
  expect(answer?.status()).toBe(401)
  await expect(
    stranger.getByRole('heading', {
      name: 'Questo link di avvio è già stato usato: riapri Vedetta dal terminale',
    }),
  ).toBeVisible()
  expect(await other.cookies()).toEqual([])
  await other.close()
})
