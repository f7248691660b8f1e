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

/** Opens the URL in its own app window, with a profile kept in the data directory. */
export function openAppWindow(url: string, dataDir: string): boolean {
  const browser = findChromium()
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
    { detached: true, stdio: 'ignore' },
  )
  child.on('error', () => {})
  child.unref()
  return true
}
