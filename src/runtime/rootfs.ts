// Runs a command with an unpacked container image as its root file system, inside the sandbox's namespaces:
// a throw-away layer over the image (overlayfs, else a copy), pivot_root into it, the host's root detached.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs'
import { join, posix, relative } from 'node:path'
import { ToolMissingError } from '../errors.ts'

/** An image to run the command in. */
export interface RootfsSpec {
  /** The unpacked image root on this host. Never written: the app writes to a throw-away layer. */
  root: string
  /** Working directory inside the image (its WorkingDir); created in the throw-away layer when missing. */
  workingDir: string
  /** The image's User. Applied only when the sandbox maps that user; otherwise the run says so. */
  user?: string
}

/** What the sandbox needs to start the command in the image. */
export interface RootfsLaunch {
  /** The command, wrapped: busybox unshare (mount and PID namespace) → launcher script → the command. */
  command: string[]
  /** Where the guard is inside the image root, for NODE_OPTIONS. */
  guardPath: string
  /** Where the guard's log is inside the image root (bind-mounted from the host's log file). */
  guardLog: string
  /** Host file the launcher writes its steps to (which layer it used), read after the run. */
  statusFile: string
  /** Facts for the report known before the start (the User not applied). */
  notes: string[]
}

/** Our directory inside the image root: the guard, its log, and for a moment the old root. */
export const ROOTFS_DIR = '/.nophonehome'

/**
 * The launcher, run by a static busybox as PID 1 of new mount, PID and UTS namespaces (so /proc shows the app's
 * processes only, never the sandbox's supervisor and recorders, whose /proc/N/root is the host's root).
 * It stacks a throw-away layer over the image, pivots into it, copies in what the run needs (resolv.conf naming
 * the DNS stub, hosts, the guard), mounts /proc, a minimal /dev and /tmp, detaches the host's root, then runs the
 * command as its child, exiting with its status. Everything that touches paths of the image happens after the
 * pivot, where the image's own symlinks resolve inside it; before it, only directories we created are used.
 * Arguments: status lower scratch resolv hosts guard guardlog workdir busybox, then the command.
 */
export const LAUNCHER_SCRIPT = [
  'set -e',
  'status=$1 lower=$2 scratch=$3 resolv=$4 hosts=$5 guard=$6 guardlog=$7 wd=$8 bb=$9',
  'shift 9',
  'mount -t tmpfs -o mode=0755 tmpfs "$scratch"',
  'mkdir "$scratch/upper" "$scratch/work" "$scratch/root"',
  'r=$scratch/root',
  'if mount -t overlay overlay -o "lowerdir=$lower,upperdir=$scratch/upper,workdir=$scratch/work" "$r" 2>"$scratch/overlay.err"; then',
  '  echo "layer overlay" >>"$status"',
  'else',
  // No overlayfs in this user namespace (kernels before 5.11): a private copy is the throw-away layer.
  '  echo "layer copy $(cat "$scratch/overlay.err")" >>"$status"',
  '  cp -a "$lower/." "$r/"',
  '  mount --bind "$r" "$r"',
  'fi',
  'rm -rf "$r/.nophonehome"',
  'mkdir -m 0755 "$r/.nophonehome" "$r/.nophonehome/host"',
  'if [ -n "$guard" ]; then cp "$guard" "$r/.nophonehome/guard.cjs"; chmod 0644 "$r/.nophonehome/guard.cjs"; fi',
  // A copy becomes the app's PID 1: /proc/1/exe must not lead to this host's busybox (a root app could chmod it).
  'cp "$bb" "$r/.nophonehome/busybox"',
  'cd "$r"',
  'pivot_root . .nophonehome/host',
  'cd /',
  'H=/.nophonehome/host',
  'for d in proc dev tmp; do if [ -L "/$d" ] || [ ! -d "/$d" ]; then rm -rf "/$d"; mkdir "/$d"; fi; done',
  'if [ ! -d /etc ]; then rm -f /etc; mkdir /etc; fi',
  // Until /proc is mounted busybox cannot re-run itself for its applets: call it by its path under the old root.
  '"$H$bb" mount -t proc proc /proc',
  'mount -t tmpfs -o mode=0755,size=1m tmpfs /dev',
  // The host's own device nodes, bound read-only: writing them works, changing their mode or owner does not.
  'for n in null zero full random urandom; do : >"/dev/$n"; mount -o bind "$H/dev/$n" "/dev/$n"; mount -o remount,bind,ro "/dev/$n"; done',
  'ln -s /proc/self/fd /dev/fd; ln -s /proc/self/fd/0 /dev/stdin; ln -s /proc/self/fd/1 /dev/stdout; ln -s /proc/self/fd/2 /dev/stderr',
  'mkdir /dev/shm /dev/pts; mount -t tmpfs -o mode=1777 tmpfs /dev/shm',
  'mount -t tmpfs -o mode=1777 tmpfs /tmp',
  'rm -f /etc/resolv.conf /etc/hosts',
  'cp "$H$resolv" /etc/resolv.conf; cp "$H$hosts" /etc/hosts',
  'if [ -n "$guardlog" ]; then : >/.nophonehome/guard.jsonl; mount -o bind "$H$guardlog" /.nophonehome/guard.jsonl; fi',
  // Its own host name, as a container has: not this host's.
  'hostname nophonehome-sandbox',
  'echo "root ready" >>"$H$status"',
  'umount -l "$H"',
  'rmdir "$H"',
  'mkdir -p "$wd"',
  'cd "$wd"',
  // A bare name is looked up in the image's PATH here: busybox would otherwise run its own applet of that name.
  'case "$1" in',
  '  */*) ;;',
  '  *) found=; oldifs=$IFS; IFS=:',
  '     for d in ${PATH:-/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin}; do',
  '       if [ -f "$d/$1" ] && [ -x "$d/$1" ]; then found="$d/$1"; break; fi',
  '     done',
  '     IFS=$oldifs',
  '     if [ -n "$found" ]; then cmd=$found; shift; set -- "$cmd" "$@"; fi;;',
  'esac',
  // PID 1 from here on is the copy, waiting for the command. The command gets a user and mount namespace of its own:
  // the mounts above are then locked (it cannot remount them writable or unmount them to see what is beneath).
  `exec /.nophonehome/busybox sh -c '/.nophonehome/busybox unshare --user --map-root-user --mount -- "$@"; exit $?' nophonehome-init "$@"`,
].join('\n')

/** The static busybox the launcher needs: NOPHONEHOME_BUSYBOX, else the usual places. Throws when there is none. */
export function findStaticBusybox(env: NodeJS.ProcessEnv = process.env): string {
  const candidates = env.NOPHONEHOME_BUSYBOX ? [env.NOPHONEHOME_BUSYBOX] : ['/bin/busybox', '/usr/bin/busybox', '/sbin/busybox', '/usr/sbin/busybox']
  const hint = 'running an image needs a statically linked busybox to set up its root: apt-get install busybox-static (Debian, Ubuntu), apk add busybox-static (Alpine), or set NOPHONEHOME_BUSYBOX to one'
  for (const c of candidates) {
    if (!existsSync(c)) continue
    const linked = elfLinking(c)
    if (linked === 'static') return c
    if (env.NOPHONEHOME_BUSYBOX) throw new ToolMissingError(`${c} is ${linked === 'dynamic' ? 'dynamically linked' : 'not an ELF executable'}: it cannot run inside the image's root`, hint)
  }
  throw new ToolMissingError('no statically linked busybox found (looked in /bin, /usr/bin, /sbin, /usr/sbin)', hint)
}

/** Whether an ELF file needs a dynamic loader (has a PT_INTERP program header). */
export function elfLinking(file: string): 'static' | 'dynamic' | 'not-elf' {
  let fd: number | undefined
  try {
    fd = openSync(file, 'r')
    const h = Buffer.alloc(64)
    if (readSync(fd, h, 0, 64, 0) < 64 || h.readUInt32BE(0) !== 0x7f454c46) return 'not-elf'
    const is64 = h[4] === 2
    const le = h[5] === 1
    const u16 = (b: Buffer, o: number) => (le ? b.readUInt16LE(o) : b.readUInt16BE(o))
    const u32 = (b: Buffer, o: number) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o))
    const phoff = is64 ? Number(le ? h.readBigUInt64LE(32) : h.readBigUInt64BE(32)) : u32(h, 28)
    const phentsize = u16(h, is64 ? 54 : 42)
    const phnum = u16(h, is64 ? 56 : 44)
    const ph = Buffer.alloc(phentsize * phnum)
    readSync(fd, ph, 0, ph.length, phoff)
    for (let i = 0; i < phnum; i++) if (u32(ph, i * phentsize) === 3) return 'dynamic'
    return 'static'
  } catch {
    return 'not-elf'
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}

/**
 * Prepares the launch of `command` in the image: the scratch directory the throw-away layer is mounted on, the
 * hosts file, the status file; the guard and its log are passed by their host paths and appear at fixed places
 * inside the root.
 */
export function prepareRootfs(
  spec: RootfsSpec,
  input: { workdir: string; command: string[]; resolvConf: string; guard?: string; guardLog?: string; env?: NodeJS.ProcessEnv },
): RootfsLaunch {
  let busybox = findStaticBusybox(input.env ?? process.env)
  // busybox picks the applet by the name it is called by: anything not starting with `busybox` is refused.
  if (!posix.basename(busybox).startsWith('busybox')) {
    const link = join(input.workdir, 'busybox')
    // Relative: the launcher also reaches it under the old root's mount point, where an absolute target would miss.
    symlinkSync(relative(input.workdir, realpathSync(busybox)), link)
    busybox = link
  }
  const scratch = join(input.workdir, 'rootfs')
  mkdirSync(scratch, { mode: 0o700 })
  const hosts = join(input.workdir, 'hosts')
  writeFileSync(hosts, '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n')
  const statusFile = join(input.workdir, 'rootfs.status')
  writeFileSync(statusFile, '')
  if (input.guardLog && !existsSync(input.guardLog)) writeFileSync(input.guardLog, '')
  const workingDir = posix.normalize(spec.workingDir.startsWith('/') ? spec.workingDir : `/${spec.workingDir}`)
  const notes: string[] = []
  if (spec.user && !/^(0|root)(:(0|root))?$/.test(spec.user)) {
    notes.push(`the image's User (${spec.user}) was not applied: the sandbox maps only root, so the app ran as root inside its user namespace (your own user outside it)`)
  }
  return {
    command: [
      busybox, 'unshare', '--mount', '--pid', '--uts', '--fork', '--propagation', 'private', '--',
      busybox, 'sh', '-c', LAUNCHER_SCRIPT, 'nophonehome-rootfs',
      statusFile, spec.root, scratch, input.resolvConf, hosts, input.guard ?? '', input.guardLog ?? '', workingDir, busybox,
      ...input.command,
    ],
    guardPath: `${ROOTFS_DIR}/guard.cjs`,
    guardLog: `${ROOTFS_DIR}/guard.jsonl`,
    statusFile,
    notes,
  }
}

/** What the launcher did, for the run's notes, and what keeps the verdict from passing. */
export function readRootfsStatus(statusFile: string): { notes: string[]; degraded: string[] } {
  let text = ''
  try { text = readFileSync(statusFile, 'utf8') } catch { /* not written */ }
  const notes: string[] = []
  const degraded: string[] = []
  const layer = /^layer (overlay|copy)(.*)$/m.exec(text)
  if (layer?.[1] === 'overlay') notes.push('image root: a throw-away overlayfs layer over the unpacked image (the image itself was not written)')
  else if (layer?.[1] === 'copy') notes.push(`image root: a throw-away copy of the unpacked image (overlayfs unavailable in the user namespace:${layer[2] || ' no reason given'})`)
  if (!/^root ready$/m.test(text)) degraded.push("the image's root could not be set up, so the command did not run in it — see the command's output")
  return { notes, degraded }
}
