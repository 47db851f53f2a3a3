export { dispatch, COMMANDS } from './dispatch';
export type { Command, CommandIo } from './command';
export { readDocument } from './verify/readers/read-document';
export type { DocumentFormat } from './verify/readers/read-document';
