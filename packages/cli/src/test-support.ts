import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CliIo } from './io.js'
import { run } from './run.js'

/** Output captured from one in-process run of the CLI. */
export interface CliResult {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** Options for {@link runCli}: environment, terminal flags and a clock. */
export interface RunOptions {
  readonly env?: Record<string, string | undefined>
  readonly tty?: boolean
  readonly now?: () => number
  /** Stands in for SIGINT/SIGTERM: see {@link CliIo.onShutdown}. */
  readonly onShutdown?: CliIo['onShutdown']
}

/** Runs `slokit argv…` in-process and captures what it wrote. */
export async function runCli(argv: readonly string[], options: RunOptions = {}): Promise<CliResult> {
  let stdout = ''
  let stderr = ''
  const io: CliIo = {
    stdout: { write: (text: string) => (stdout += text), isTTY: options.tty ?? false },
    stderr: { write: (text: string) => (stderr += text), isTTY: options.tty ?? false },
    env: options.env ?? {},
    now: options.now ?? (() => 0),
    ...(options.onShutdown === undefined ? {} : { onShutdown: options.onShutdown }),
  }
  const code = await run(argv, io)
  return { code, stdout, stderr }
}

/** Writes files into a fresh temporary directory and returns their paths by name. */
export async function tempFiles(files: Record<string, string>): Promise<Record<string, string>> {
  const dir = await mkdtemp(join(tmpdir(), 'slokit-cli-'))
  const paths: Record<string, string> = {}
  for (const [name, content] of Object.entries(files)) {
    paths[name] = join(dir, name)
    await writeFile(paths[name] as string, content)
  }
  return paths
}
