const { chromium } = require('@playwright/test')
;(async () => {
  const { spawn } = require('child_process')
  const child = spawn(process.execPath, ['bin/vedetta.js', 'host', '--data-dir', '/tmp/vd-shot'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const url = await new Promise((r) => child.stdout.once('data', (d) => r(String(d).trim())))
  const b = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  })
  const p = await b.newPage({ viewport: { width: 1400, height: 1000 } })
  await p.goto(url + process.argv[2])
  await p.waitForTimeout(800)
  if (process.argv[3]) {
    await p.getByRole('button', { name: process.argv[3] }).first().click()
    await p.waitForTimeout(500)
  }
  await p.screenshot({ path: '/tmp/shot.png' })
  await b.close()
  child.kill()
})()
