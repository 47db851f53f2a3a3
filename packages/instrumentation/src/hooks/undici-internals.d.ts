// undici 7's base dispatcher class, imported on its own (hooks/undici-dispatcher.ts); its type is undici's `Dispatcher`.
declare module 'undici/lib/dispatcher/dispatcher.js' {
  const Dispatcher: unknown;
  export default Dispatcher;
}
