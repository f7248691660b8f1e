import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'

/** Chromium-family browsers that can show the app in an app window (`--app=URL`). */
export function findChromium(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const candidates: string[] = []
  if (env.VEDETTA_BROWSER) candidates.push(env.VEDETTA_BROWSER)
  if (platform === 'darwin') {
    candidates.push(
      '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
      '/Applications/Chromium.app/Contents/MacOS/Chromium',
      '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
    )
  } else if (platform === 'win32') {
    for (const base of [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA]) {
      if (!base) continue
      candidates.push(
        join(base, 'Google/Chrome/Application/chrome.exe'),
        join(base, 'Microsoft/Edge/Application/msedge.exe'),
      )
    }
  } else {
    candidates.push(
      '/usr/bin/chromium',
      '/usr/bin/chromium-browser',
      '/usr/bin/google-chrome',
      '/usr/bin/google-chrome-stable',
      '/snap/bin/chromium',
    )
  }
  return candidates.find((c) => existsSync(c))
}

/** How long a browser that closes by itself counts as "failed to start" rather than closed. */
const START_GRACE_MS = 10_000

/**
 * The one line that says why a browser closed at once, from what it wrote on stderr: the
 * first line that is not Chromium's own logging prefix noise, else its exit code.
 */
export function browserFailure(stderr: string, code: number | null, signal: string | null): string {
  const lines = stderr
    .split(/\r?\n/)
    .map((l) => l.replace(/^\[[^\]]*\]\s*/, '').trim())
    .filter((l) => l && !/^(DevTools listening|Fontconfig|libva|Gtk-Message)/i.test(l))
  const why =
    lines.find((l) => /root|sandbox|display|x server|wayland|cannot|failed|error/i.test(l)) ??
    lines[0]
  return why ?? (signal ? `stopped by ${signal}` : `exit code ${code ?? '?'}`)
}

/**
 * Opens the URL in its own app window, with a profile kept in the data directory. `false`
 * when no browser is installed; a browser that cannot start (no display, refused as root…)
 * is reported through `onFailure` in one line.
 */
export function openAppWindow(
  url: string,
  dataDir: string,
  onFailure: (reason: string) => void = () => {},
  browser = findChromium(),
): boolean {
  if (!browser) return false
  const child = spawn(
    browser,
    [
      `--app=${url}`,
      `--user-data-dir=${join(dataDir, 'browser-profile')}`,
      '--no-first-run',
      '--disable-background-networking',
      '--disable-sync',
      '--disable-component-update',
    ],
    { detached: true, stdio: ['ignore', 'ignore', 'pipe'] },
  )
  let stderr = ''
  let settled = false
  const settle = () => {
    settled = true
    clearTimeout(grace)
    child.stderr?.destroy()
    child.unref()
  }
  child.stderr?.setEncoding('utf8')
  child.stderr?.on('data', (chunk: string) => {
    if (stderr.length < 8192) stderr += chunk
  })
  child.on('error', (err) => {
    if (settled) return
    settle()
    onFailure(`${browser} could not be started (${err.message})`)
  })
  child.on('exit', (code, signal) => {
    if (settled) return
    settle()
    if (code !== 0) onFailure(`${browser} closed at once: ${browserFailure(stderr, code, signal)}`)
  })
  // Still open after the grace time: it started; leave it to the operator.
  const grace = setTimeout(settle, START_GRACE_MS)
  grace.unref()
  return true
}
