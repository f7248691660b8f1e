import type { KnownNames } from '../../../shared/drills/scenario-checks'
import type { ScenarioParts } from './scenario-parts'

/** The names a scenario may refer to, as this workspace (or drill) has them. */
export function createWorkspaceNames(
  parts: Pick<ScenarioParts, 'lists' | 'partners' | 'accounts' | 'comuni'>,
): () => KnownNames {
  return () => ({
    lists: parts.lists.list().map((l) => l.name),
    partners: parts.partners.list().map((p) => p.name),
    channels: parts.accounts.list().map((c) => c.name),
    comuni: parts.comuni.list().map((c) => c.name),
  })
}
