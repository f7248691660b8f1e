import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { desktopCsp } from '../../../src/main/shell/csp'

const directives = (csp: string) =>
  new Map(
    csp.split(';').map((d) => {
      const [name, ...values] = d.trim().split(/\s+/)
      return [name!, values]
    }),
  )

const root = join(__dirname, '../../..')
function vueFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? vueFiles(join(dir, e.name))
      : e.name.endsWith('.vue')
        ? [join(dir, e.name)]
        : [],
  )
}

describe('the desktop window CSP', () => {
  it('allows no inline style in the installed app, and sockets only to itself', () => {
    const csp = directives(desktopCsp({ dev: false }))
    expect(csp.get('style-src')).toEqual(["'self'"])
    expect(csp.get('script-src')).toEqual(["'self'"])
    expect(csp.get('connect-src')).toEqual(["'self'"])
    expect(csp.get('object-src')).toEqual(["'none'"])
    expect(csp.get('frame-ancestors')).toEqual(["'none'"])
  })

  it("keeps 'unsafe-inline' styles for the dev server only, which injects CSS as <style>", () => {
    const csp = directives(desktopCsp({ dev: true }))
    expect(csp.get('style-src')).toEqual(["'self'", "'unsafe-inline'"])
    expect(csp.get('script-src')).toEqual(["'self'"])
  })

  it('holds for the renderer: no template carries a static style attribute', () => {
    // Vue may insert a static part of a template as HTML, where `style-src 'self'`
    // refuses an inline style attribute; `:style` bindings go through CSSOM and are fine.
    const offenders = vueFiles(join(root, 'src/renderer/src')).flatMap((file) => {
      const source = readFileSync(file, 'utf8')
      const template = /<template[^>]*>([\s\S]*)<\/template>/.exec(source)?.[1] ?? ''
      return /<[a-zA-Z][^>]*\sstyle\s*=/.test(template) ? [relative(root, file)] : []
    })
    expect(offenders).toEqual([])
  })
})
