import type { Command, CommandIo } from './command';
import { UsageError } from './verify/keys';
import { verifyCommand } from './verify/verify-command';
import { viewCommand } from './view/view-command';

/** The commands of `llm-otel`; later issues add `view` and `usage` here. */
export const COMMANDS: readonly Command[] = [verifyCommand, viewCommand];

function overview(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  const lines = COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`);
  return `Usage: llm-otel <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nllm-otel <command> --help shows a command's options.\n`;
}

/** Runs `llm-otel <argv>`; resolves to the exit status and never throws. */
export async function dispatch(argv: string[], io: CommandIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? COMMANDS.find((command) => command.name === rest[0]) : undefined;
    io.stdout(topic ? `${topic.help}\n` : overview());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (!command) {
    io.stderr(`llm-otel: unknown command ${JSON.stringify(name.slice(0, 40))}\n\n${overview()}`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    // parseArgs throws TypeErrors with a code for unknown or malformed options.
    const isArgError = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    if (isArgError) {
      io.stderr(`llm-otel ${command.name}: ${(error as Error).message}\n(llm-otel ${command.name} --help lists the options)\n`);
      return 2;
    }
    io.stderr(`llm-otel ${command.name}: internal error: ${(error as Error).message ?? String(error)}\n`);
    return 1;
  }
}
