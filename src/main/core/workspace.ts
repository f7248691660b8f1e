import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'

/** The workspace database inside a data directory (real operations; drills get files of their own). */
export const WORKSPACE_FILE = 'workspace.sqlite'

export const workspaceFile = (dataDir: string): string => join(dataDir, WORKSPACE_FILE)

/**
 * The OS user-data folder, as Electron's `app.getPath('userData')` gives it for
 * an app named Vedetta — so the desktop app, the host and the CLI share one place.
 * Platform facts come in as parameters so this is testable anywhere.
 */
export function defaultDataDir(
  platform: NodeJS.Platform,
  env: NodeJS.ProcessEnv,
  home: string,
): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Vedetta')
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Vedetta')
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'Vedetta')
}

/** `--data-dir` wins, then `VEDETTA_DATA_DIR`, then the OS default. Creates it (0700). */
export function resolveDataDir(
  flag: string | undefined,
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform,
  home: string,
): string {
  const dir = resolve(flag || env.VEDETTA_DATA_DIR || defaultDataDir(platform, env, home))
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  return dir
}
