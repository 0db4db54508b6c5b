// The only place the package reads the environment.

/** Directory relative CLI paths resolve against: where the user ran `pnpm kube-sim`. */
export function invocationDir(): string {
  return process.env.INIT_CWD ?? process.cwd();
}
