import { context } from '@opentelemetry/api';
import * as semconv from '../semconv';
import { guarded } from '../guard';
import { endWhenCollected } from './observe-result';
import { run, toolStart } from './operations';
import type { OperationSpan } from './operation-span';
import type { WrappedToolOptions } from './options';

/** Any function; `never` parameters so that every function type is assignable without `any`. */
type AnyFunction = (this: never, ...args: never[]) => unknown;

/**
 * A tool function that makes one `execute_tool {name}` span per call (see executeTool). The wrapper
 * is the function as far as the caller can tell: same `this`, arguments, return value (the same
 * promise, generator or stream object), thrown errors, `length`, `name` and prototype (so an async
 * or generator function still looks like one). With `callback: true` the span ends when the tool
 * calls its last argument back.
 */
export function wrapTool<F extends AnyFunction>(options: WrappedToolOptions<Parameters<F>>, fn: F): F {
  // Wrong options in code throw here, once, rather than at every call of the tool.
  if (typeof fn !== 'function') throw new TypeError('llm-otel: wrapTool(options, fn) needs a function to wrap');
  if (typeof options?.name !== 'string' || options.name === '') throw new TypeError("llm-otel: wrapTool needs options.name, the tool's name");
  const original = fn as unknown as (this: unknown, ...args: unknown[]) => unknown;
  const callIdOf = options.callId as ((...args: unknown[]) => string | undefined) | undefined;
  const argumentsOf = options.arguments as ((...args: unknown[]) => unknown) | undefined;
  const callbackStyle = options.callback === true;
  const wrapped = function (this: unknown, ...args: unknown[]): unknown {
    const callback = callbackStyle && typeof args[args.length - 1] === 'function' ? args.length - 1 : -1;
    // Read only under content capture (recordContent calls it then), before the callback is replaced.
    const recorded = () => {
      if (argumentsOf) return argumentsOf(...args);
      const toolArgs = callback >= 0 ? args.slice(0, callback) : args;
      return toolArgs.length === 1 ? toolArgs[0] : toolArgs;
    };
    return run(
      () => toolStart(options, callIdOf ? guarded('reading a tool call id', () => callIdOf(...args), undefined) : undefined),
      () => original.apply(this, args),
      {
        recordResult: true,
        endsElsewhere: callback >= 0,
        before: (span) => {
          span.recordContent(semconv.ATTR_GEN_AI_TOOL_CALL_ARGUMENTS, recorded);
          if (callback >= 0) args[callback] = endingCallback(span, args[callback] as (...values: unknown[]) => unknown);
        },
      },
    );
  };
  guarded("copying a tool function's shape", () => copyShape(wrapped, original), undefined);
  return wrapped as unknown as F;
}

/**
 * The callback the tool is given instead of the caller's: ends the span on its first call (an
 * error-first callback: a truthy first argument fails it), then calls the caller's with the same
 * `this` and arguments, in the caller's context, and returns what it returns. Its `length` is the
 * original's.
 */
function endingCallback(span: OperationSpan, callback: (...values: unknown[]) => unknown): (...values: unknown[]) => unknown {
  const ending = function (this: unknown, ...values: unknown[]): unknown {
    if (!span.isEnded) {
      const [error, result] = values;
      if (error) span.fail(error);
      else {
        span.recordContent(semconv.ATTR_GEN_AI_TOOL_CALL_RESULT, () => result);
        span.end();
      }
    }
    // The caller's callback continues the caller's work: in the caller's context, not the tool's
    // (the tool's asynchronous work carried the tool span's context to this point).
    return context.with(span.parent, () => callback.apply(this, values));
  };
  guarded("copying a callback's shape", () => copyShape(ending, callback), undefined);
  // A tool that drops its callback without calling it: the span ends when the callback is collected.
  endWhenCollected(ending, span);
  return ending;
}

/** `length`, `name` and the prototype chain (AsyncFunction, GeneratorFunction, a class of the app's) of the original. */
function copyShape(wrapper: object, original: object): void {
  Object.defineProperty(wrapper, 'length', { value: (original as { length: number }).length, configurable: true });
  Object.defineProperty(wrapper, 'name', { value: (original as { name: string }).name, configurable: true });
  Object.setPrototypeOf(wrapper, Object.getPrototypeOf(original) as object | null);
}
