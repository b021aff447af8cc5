// Vitest global setup: one PostgreSQL cluster for the whole run, its URL in TAGSMITH_TEST_PG_URL (the test
// workers are forked after this, so they inherit it). A cluster that cannot start fails the run with the
// reason; TAGSMITH_TEST_PG=off is the only way to run without one.
import { startCluster } from './postgres-cluster.ts'

export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  if (process.env.TAGSMITH_TEST_PG === 'off') return undefined
  if (process.env.TAGSMITH_TEST_PG_URL) return undefined
  const cluster = await startCluster()
  process.env.TAGSMITH_TEST_PG_URL = cluster.baseUrl
  process.env.TAGSMITH_TEST_PG_START_SECONDS = cluster.startSeconds.toFixed(2)
  return async () => {
    delete process.env.TAGSMITH_TEST_PG_URL
    await cluster.stop()
  }
}
