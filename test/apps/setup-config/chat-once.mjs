// Preloaded with `--import @llm-otel/setup/register`: configured by the environment only. Makes one
// chat call to the stand-in when STAND_IN_URL is set, then prints `app ran` and lets the loop empty.
import { chatOnce, settle } from '../lifecycle/chat-call.mjs';

if (process.env.STAND_IN_URL) {
  await chatOnce();
  await settle();
}
console.log('app ran');
