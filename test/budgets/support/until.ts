// The shared polling helper lives in test/support (the spool and audit tests poll with it too).
export { until } from '../../support/until';
