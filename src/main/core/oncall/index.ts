export { createOncall, type Oncall, type OncallDeps } from './oncall'
export { oncallHandlers } from './handlers'
