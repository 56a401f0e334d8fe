// Reads a password without it ever being a command-line argument (visible in `ps` and shell
// history): on a terminal, a prompt that echoes nothing; otherwise the first line of stdin, so
// scripts can pipe it (`printf '%s\n' "$PW" | trainer user add ...`). Node has no hidden prompt
// built in, hence this small raw-mode reader.
import { CliError, EXIT_CODES } from './errors';

export async function readSecret(stdin: NodeJS.ReadStream, prompt: string, write: (text: string) => void): Promise<string> {
  return stdin.isTTY ? promptHidden(stdin, prompt, write) : readFirstLine(stdin);
}

function promptHidden(stdin: NodeJS.ReadStream, prompt: string, write: (text: string) => void): Promise<string> {
  write(prompt);
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (error?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n') return finish();
        if (char === '\u0003' || char === '\u0004') return finish(new CliError('Cancelled; nothing was changed.', EXIT_CODES.interrupted));
        if (char === '\u007f' || char === '\b') value = value.slice(0, -1);
        else value += char;
      }
    };
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}

async function readFirstLine(stdin: NodeJS.ReadStream): Promise<string> {
  let text = '';
  for await (const chunk of stdin) {
    text += chunk.toString();
    const end = text.indexOf('\n');
    if (end >= 0) return text.slice(0, end).replace(/\r$/, '');
  }
  if (text === '') throw new CliError('No password given: type it at the prompt, or pipe it on stdin (it is never taken as an argument).', EXIT_CODES.badConfig);
  return text;
}
