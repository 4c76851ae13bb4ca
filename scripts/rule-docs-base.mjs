// Where docs/rules/<id>.md is published, from package.json's `repository`: the base of SARIF `helpUri`s and the
// HTML report's rule links. None without a GitHub or GitLab repository: SARIF wants an absolute helpUri, and
// a guessed one would send readers to a page that may not exist.

/** `https://github.com/o/r/blob/HEAD/docs/rules/` for a GitHub repository (GitLab alike), else undefined. */
export function ruleDocsBase(pkg) {
  const repo = typeof pkg?.repository === 'string' ? { url: pkg.repository } : pkg?.repository
  const raw = typeof repo?.url === 'string' ? repo.url.trim() : ''
  if (!raw) return undefined
  // npm's shorthands (`github:o/r`, `o/r`, `gitlab:o/r`) and git URLs (`git+https://…/o/r.git`, `git@host:o/r.git`).
  const short = /^(?:(github|gitlab):)?([\w.-]+)\/([\w.-]+?)(?:\.git)?$/.exec(raw)
  const long = /^(?:git\+)?(?:https?|git|ssh):\/\/(?:[^@/]+@)?(github\.com|gitlab\.com)\/([\w.-]+(?:\/[\w.-]+)*)\/([\w.-]+?)(?:\.git)?\/?$/.exec(raw) ??
    /^git@(github\.com|gitlab\.com):([\w.-]+(?:\/[\w.-]+)*)\/([\w.-]+?)(?:\.git)?$/.exec(raw)
  let host, owner, name
  if (long) [, host, owner, name] = long
  else if (short) { host = short[1] === 'gitlab' ? 'gitlab.com' : 'github.com'; owner = short[2]; name = short[3] }
  else return undefined
  const dir = typeof repo.directory === 'string' && /^[\w.\/-]+$/.test(repo.directory) && !repo.directory.split('/').includes('..')
    ? repo.directory.replace(/^\/+|\/+$/g, '') + '/'
    : ''
  const blob = host === 'gitlab.com' ? '-/blob' : 'blob'
  return `https://${host}/${owner}/${name}/${blob}/HEAD/${dir === '/' ? '' : dir}docs/rules/`
}
