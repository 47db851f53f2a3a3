import { dispatch } from './dispatch';

// `llm-otel view --json | head -1`: once the reader is gone, the output has nowhere to go; end quietly
// rather than with an unhandled EPIPE stack trace. 141 (128 + SIGPIPE), as a process killed by SIGPIPE
// reports: never 0, which under `set -o pipefail` would pass off an unfinished `verify` as a success.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(141);
  throw error;
});

const io = {
  stdout: (text: string) => process.stdout.write(text),
  stderr: (text: string) => process.stderr.write(text),
  stderrIsTty: process.stderr.isTTY === true,
  stdoutIsTty: process.stdout.isTTY === true,
  env: process.env,
};

dispatch(process.argv.slice(2), io).then((status) => {
  process.exitCode = status;
});
