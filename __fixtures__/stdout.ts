// What an action function writes to stdout (its workflow commands) and the exit code it
// sets, captured in-process; process.exitCode is restored afterwards.

export async function captureStdout(
  fn: () => unknown,
): Promise<{ stdout: string; exitCode: unknown }> {
  const savedExit = process.exitCode;
  const chunks: string[] = [];
  const write = process.stdout.write;
  // The action writes its commands as strings; the test runner's own binary frames go
  // through untouched.
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    if (typeof chunk === 'string') {
      chunks.push(chunk);
      return true;
    }
    return (write as (...a: unknown[]) => boolean).call(process.stdout, chunk, ...rest);
  }) as typeof process.stdout.write;
  let exitCode: unknown;
  try {
    await fn();
  } finally {
    process.stdout.write = write;
    exitCode = process.exitCode;
    process.exitCode = savedExit;
  }
  return { stdout: chunks.join(''), exitCode };
}
