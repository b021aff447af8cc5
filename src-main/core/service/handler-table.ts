// What every domain of the service provides: one async handler per request it answers, given the input
// already checked against the request's schema, the client that asked (the origin of its events) and
// the team member it acts for, if any (the author of its edits).
import type { RequestName, Requests } from '../../../src-preload/contract.ts'

export type HandlerTable<K extends RequestName> = {
  [N in K]: (input: Requests[N]['in'], origin: string | undefined, user?: string) => Promise<Requests[N]['out']>
}
