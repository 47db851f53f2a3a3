import { dispatch } from './dispatch';

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
