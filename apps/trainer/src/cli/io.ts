// Where commands write. Injected so tests can run commands in-process and read what they print.

export interface CliIo {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  /** Where secrets are read from (a prompt on a terminal, else a pipe); process.stdin when unset. */
  stdin?: NodeJS.ReadStream;
  out(text: string): void;
  err(text: string): void;
}

export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
  };
}
