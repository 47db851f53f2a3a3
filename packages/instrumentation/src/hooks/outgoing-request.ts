import type { Context } from '@opentelemetry/api';
import { guarded } from '../guard';
import type { PriceBook } from '../pricing/price-book';
import type { ParsedRequest } from '../providers/adapter';
import * as semconv from '../semconv';
import type { BeforeSendCheck, OutgoingLlmRequest, Refusal } from '../span/before-send';
import type { InspectedRequest } from './call-starter';

/**
 * Runs the before-send check (a budget's hard stop) on a recognised request. The body is the one the
 * hook read within the request-body bound; when it could not be read the request says so and the
 * check fails open. Never throws: a failing check lets the request through.
 */
export function refusalFor(check: BeforeSendCheck, request: InspectedRequest, parent: Context, prices: PriceBook): Refusal | undefined {
  return guarded(
    'checking a request before sending it',
    () => {
      const parsed =
        request.body === undefined ? undefined : guarded('parsing a request for a check', () => request.match.adapter.parseRequest(request), undefined);
      return check(outgoing(request, parsed, parent, prices));
    },
    undefined,
  );
}

function outgoing(request: InspectedRequest, parsed: ParsedRequest | undefined, parent: Context, prices: PriceBook): OutgoingLlmRequest {
  const maxTokens = parsed?.attributes[semconv.ATTR_GEN_AI_REQUEST_MAX_TOKENS];
  return {
    providerName: request.match.providerName,
    operation: parsed?.operation ?? 'chat',
    model: parsed?.model,
    maxOutputTokens: typeof maxTokens === 'number' ? maxTokens : undefined,
    context: parent,
    bodyUnread: request.body === undefined,
    inputTexts: () => parsed?.inputTextsForEstimate?.(),
    price: (model, usage) => prices.price(model, usage),
    modelMaxOutputTokens: (model) => prices.find(model)?.entry.maxOutputTokens,
  };
}

/** The refusal as the Response fetch would have returned. */
export function refusedResponse(refusal: Refusal): Response {
  return new Response(refusal.body, { status: refusal.status, headers: refusal.headers });
}
