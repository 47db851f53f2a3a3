// The loopback OTLP receiver in its own process, so that decoding spans does not compete with the
// pipeline being measured for the same event loop. Talks to the parent over the IPC channel.
import { startOtlpReceiver } from '@llm-otel/otlp-receiver';

const receiver = await startOtlpReceiver();
process.send({ grpcUrl: receiver.grpcUrl, httpUrl: receiver.httpUrl });
process.on('message', async (message) => {
  if (message === 'count') process.send({ count: receiver.spans.length });
  else if (message === 'clear') {
    receiver.clear();
    process.send({ cleared: true });
  } else if (message === 'close') {
    await receiver.close();
    process.exit(0);
  }
});
