import type { BulletinInjector } from '../bulletins/inject'
import type { ChannelAccountsRepository } from '../channels/accounts-repository'
import type { CitizensService } from '../citizens/citizens-service'
import type { ComuniRepository } from '../comuni/comuni-repository'
import type { Journal } from '../journal/journal'
import type { ListsRepository } from '../lists/lists-repository'
import type { PartnersRepository } from '../partners/partners-repository'

/**
 * The parts of a core a drill's scenario writes into the room through. The drill runtime
 * names what it needs here; app.ts (the composition root) builds them once and hands them
 * over as `core.scenario`.
 */
export interface ScenarioParts {
  bulletins: BulletinInjector
  citizens: CitizensService
  journal: Journal
  accounts: ChannelAccountsRepository
  partners: PartnersRepository
  comuni: ComuniRepository
  lists: ListsRepository
}
