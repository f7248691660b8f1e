import type { KnownNames } from '../../../shared/drills/scenario-checks'
import { createChannelAccountsRepository } from '../channels/accounts-repository'
import { createComuniRepository } from '../comuni/comuni-repository'
import type { Db } from '../db/open'
import { createListsRepository } from '../lists'
import { createPartnersRepository } from '../partners'

/** The names a scenario may refer to, as this workspace (or drill) has them. */
export function createWorkspaceNames(db: Db): () => KnownNames {
  const lists = createListsRepository(db)
  const partners = createPartnersRepository(db)
  const channels = createChannelAccountsRepository(db)
  const comuni = createComuniRepository(db)
  return () => ({
    lists: lists.list().map((l) => l.name),
    partners: partners.list().map((p) => p.name),
    channels: channels.list().map((c) => c.name),
    comuni: comuni.list().map((c) => c.name),
  })
}
