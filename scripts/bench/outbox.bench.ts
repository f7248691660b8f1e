import { runOutboxBench } from './outbox'

/** Outbox fan-out and dispatch against their raw baselines, plus the crash test's figures. */
export async function run({ root }: { root: string }): Promise<Record<string, number>> {
  const figures = await runOutboxBench({ crash: true, repoRoot: root })
  return Object.fromEntries(
    Object.entries(figures).filter(([, v]) => typeof v === 'number'),
  ) as Record<string, number>
}
