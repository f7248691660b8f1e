/** Static and dynamic lists, their reach per family, and recipients for sending. */
export { createListsRepository, type ListsRepository, type MemberSource } from './lists-repository'
export { createAudience, type Audience } from './audience'
