// A store's location as text: a team store's PostgreSQL URL or a project file path, and how a URL may be
// shown. Free of the database client, so commands that only name a store do not load it.
/** Whether this looks like a database URL rather than a project file path. */
export function isPostgresUrl(value: string): boolean {
  return /^postgres(?:ql)?:\/\//i.test(value)
}

/** The URL as it may be shown: the password (in the authority or as a parameter) replaced by ***. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password) parsed.password = '***'
    if (parsed.searchParams.has('password')) parsed.searchParams.set('password', '***')
    return parsed.toString().replace('%2A%2A%2A', '***')
  } catch {
    return url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@')
  }
}

