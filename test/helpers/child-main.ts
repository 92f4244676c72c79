/**
 * The entry of a script run in a child process (test/helpers/*-child.ts): exit 0 when `main` resolves, else print
 * the error on stderr and exit 1. Kept apart from transpile-tree.ts so a child never loads the TypeScript compiler.
 */
export function runAsChild(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (err) => {
      process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    },
  );
}
