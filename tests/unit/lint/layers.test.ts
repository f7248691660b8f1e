import { ESLint } from 'eslint'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const repo = join(__dirname, '../../..')
const eslint = new ESLint({ cwd: repo })

async function problems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(repo, file) })
  return result!.messages
    .filter(
      (m) =>
        m.ruleId === 'no-restricted-imports' ||
        m.ruleId === '@typescript-eslint/no-restricted-imports',
    )
    .map((m) => m.message)
}

describe('the lint keeps the layers apart', () => {
  it('refuses electron and vue in the core', async () => {
    expect(
      await problems(
        'src/main/core/probe.ts',
        "import { app } from 'electron'\nexport const a = app\n",
      ),
    ).toHaveLength(1)
    expect(
      await problems('src/main/core/probe.ts', "import { ref } from 'vue'\nexport const r = ref\n"),
    ).toHaveLength(1)
    expect(
      await problems(
        'src/main/core/probe.ts',
        "import { x } from '../host/server'\nexport const y = x\n",
      ),
    ).toHaveLength(1)
  })

  it('refuses Node built-ins, electron and the core in the renderer', async () => {
    for (const spec of ['node:fs', 'fs', 'electron', 'better-sqlite3', '../../main/core/app']) {
      expect(
        await problems(
          'src/renderer/src/probe.ts',
          `import * as m from '${spec}'\nexport const a = m\n`,
        ),
        spec,
      ).toHaveLength(1)
    }
  })

  it('keeps src/shared pure', async () => {
    expect(
      await problems(
        'src/shared/probe.ts',
        "import { readFileSync } from 'node:fs'\nexport const r = readFileSync\n",
      ),
    ).toHaveLength(1)
  })

  it('lets each layer use what it may', async () => {
    expect(
      await problems(
        'src/main/core/probe.ts',
        "import { join } from 'node:path'\nexport const j = join\n",
      ),
    ).toEqual([])
    expect(
      await problems(
        'src/renderer/src/probe.ts',
        "import { ref } from 'vue'\nexport const r = ref\n",
      ),
    ).toEqual([])
  })

  it('keeps the drill scenario to the parts the composition root built', async () => {
    const file = 'src/main/core/drill-runtime/scenario-world.ts'
    for (const spec of [
      '../channels/accounts-repository',
      '../citizens',
      '../journal/journal',
      '../bulletins/inject',
    ]) {
      expect(
        await problems(file, `import { create } from '${spec}'\nexport const c = create\n`),
        spec,
      ).toHaveLength(1)
      // Naming a part's type is how the scenario says what it uses.
      expect(
        await problems(file, `import type { T } from '${spec}'\nexport type U = T\n`),
        spec,
      ).toHaveLength(0)
    }
  })
})
