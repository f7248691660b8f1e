import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'

/** The real DPC files (see their README): criticality and vigilance bulletins of 20 July 2026. */
export const DPC_SPECS = path.resolve(__dirname, '../../../../../shared/specs/dpc')

/** A spec file's bytes, by its path under the DPC specs folder. */
export function specBytes(relative: string): Uint8Array {
  return new Uint8Array(readFileSync(path.join(DPC_SPECS, relative)))
}

export function specText(relative: string): string {
  return readFileSync(path.join(DPC_SPECS, relative), 'utf8')
}

/** Every JSON file under the specs folder, as paths relative to it. */
export function allSpecFiles(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(path.join(DPC_SPECS, dir), { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)],
    )
  return walk('')
    .filter((f) => f.endsWith('.json'))
    .sort()
}
