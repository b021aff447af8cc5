// A project for trials of the team server: rows of the apparel fixture imported into a project file, or
// copied on into an empty PostgreSQL database, with team members and their user tokens. The images are
// left out unless asked for (rows of missing images, flagged, labelled as any): a server then has no
// thumbnails to make in the background while the trials time its edits.
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { Project } from '../../../src-main/core/dataset/project.ts'
import { copyFileToPostgres } from '../../../src-main/core/store/copy-project.ts'
import { isPostgresUrl, openStore } from '../../../src-main/core/store/open-store.ts'

const fixturesDir = (): string => process.env.TAGSMITH_FIXTURES ?? resolve(import.meta.dirname, '..', '..', '..', '..', 'shared', 'fixtures')

export interface Member {
  name: string
  token: string
}

export interface TeamProject {
  /** The project file, or the database URL. */
  location: string
  /** The CSVs as imported: the values the edit log starts from. */
  csvs: string[]
  labels: string[]
  imageIds: number[]
  members: Member[]
}

export interface TeamProjectOptions {
  /** Rows of the fixture's train.csv, then val.csv; default all. */
  rows?: number
  /** An empty database's URL to copy the project into; default: the project file is the store. */
  databaseUrl?: string
  /** Names of the team members to add. */
  members: string[]
  /** Link the fixture's images beside the CSVs. */
  images?: boolean
}

/** Writes the CSVs into `dir` (images linked from the fixture), imports them and adds the members. */
export async function teamProject(dir: string, options: TeamProjectOptions): Promise<TeamProject> {
  const apparel = join(fixturesDir(), 'apparel-mini')
  mkdirSync(dir, { recursive: true })
  if (options.images === true) symlinkSync(join(apparel, 'clothes_dataset'), join(dir, 'clothes_dataset'), 'dir')
  let left = options.rows ?? Number.POSITIVE_INFINITY
  const csvs: string[] = []
  for (const name of ['train.csv', 'val.csv']) {
    if (left <= 0) break
    const [header, ...rows] = readFileSync(join(apparel, name), 'utf8').split('\n').filter(Boolean)
    const kept = rows.slice(0, left)
    left -= kept.length
    const file = join(dir, name)
    writeFileSync(file, `${[header, ...kept].join('\n')}\n`)
    csvs.push(file)
  }
  const { project } = await Project.importCsvs({ csvs, projectFile: join(dir, 'team.tagsmith') })
  const labels = project.labels()
  const imageIds = project.images().map((image) => image.id)
  project.close()
  let location = project.file
  if (options.databaseUrl !== undefined) {
    if (!isPostgresUrl(options.databaseUrl)) throw new Error(`not a postgresql:// URL: ${options.databaseUrl}`)
    await copyFileToPostgres(project.file, options.databaseUrl)
    location = options.databaseUrl
  }
  const store = await openStore(location)
  try {
    const members: Member[] = []
    for (const name of options.members) {
      const user = await store.addUser(name)
      members.push({ name: user.name, token: user.token })
    }
    return { location, csvs, labels, imageIds, members }
  } finally {
    await store.close()
  }
}
