// The only place the package reads the environment.

/** Directory relative CLI paths resolve against: where the user ran `pnpm kube-sim`. */
export function invocationDir(): string {
  return process.env.INIT_CWD ?? process.cwd();
}

/** Directories of PATH (tests look for the versioned kubectl binaries there). */
export function searchPath(): string[] {
  return (process.env.PATH ?? "").split(":").filter(Boolean);
}

/** Environment for a child process: ours plus overrides. */
export function childEnv(overrides: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, ...overrides };
}
