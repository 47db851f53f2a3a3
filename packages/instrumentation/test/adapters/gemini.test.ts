import { describe, expect, it } from 'vitest';
import { geminiAdapter as adapter } from '../../src/providers/gemini';
import { exchange, loadRecording, replay, toLlmRequest, parseRequestWithContent } from '../support/replay';
import { jsonArrayBody, sseBody } from '../support/wire-bodies';

const GEMINI_API = 'https://generativelanguage.googleapis.com/v1beta/models';
const VERTEX = 'https://us-central1-aiplatform.googleapis.com/v1/projects/my-project/locations/us-central1/publishers/google/models';

describe('gemini adapter on recorded traffic', () => {
  it('takes the model from the URL and reads usageMetadata, responseId, modelVersion and finishReason', () => {
    const [recorded] = loadRecording('gemini-generate-content.json');
    const { request, response, framing } = replay(adapter, recorded);
    expect(framing).toBe('json');
    expect(request).toMatchObject({
      operation: 'generate_content',
      model: 'gemini-1.5-flash',
      stream: false,
      // gen_ai.request.stream is set only when streaming.
      attributes: {},
      inputMessages: [{ role: 'user', parts: [{ type: 'text', content: 'What is 2+2? Give a brief answer.' }] }],
    });
    expect(response).toEqual({
      id: 'tIuraI-sMvKbkdUPqo700Aw',
      model: 'gemini-1.5-flash',
      usage: {
        inputTokens: 12,
        outputTokens: 2,
        cacheReadInputTokens: undefined,
        reasoningOutputTokens: undefined,
        inputByModality: { text: 12 },
        outputByModality: { text: 2 },
      },
      finishReasons: ['STOP'],
      outputTextForEstimate: '4\n',
      outputMessages: [{ role: 'assistant', parts: [{ type: 'text', content: '4\n' }], finish_reason: 'STOP' }],
    });
  });
});

describe('gemini adapter on documented shapes', () => {
  const thinkingChunks = [
    {
      candidates: [{ content: { parts: [{ text: '**Adding the numbers**\n\nTwo plus two is four.', thought: true }], role: 'model' }, index: 0 }],
      usageMetadata: { promptTokenCount: 11, totalTokenCount: 1035, promptTokensDetails: [{ modality: 'TEXT', tokenCount: 11 }], thoughtsTokenCount: 1024 },
      modelVersion: 'gemini-2.5-flash',
      responseId: 'kWm1aPq0LIqpnvgPn5GX-Qc',
    },
    {
      candidates: [{ content: { parts: [{ text: '2 + 2 = 4. ' }], role: 'model' }, index: 0 }],
      usageMetadata: { promptTokenCount: 11, totalTokenCount: 1035, promptTokensDetails: [{ modality: 'TEXT', tokenCount: 11 }], thoughtsTokenCount: 1024 },
      modelVersion: 'gemini-2.5-flash',
      responseId: 'kWm1aPq0LIqpnvgPn5GX-Qc',
    },
    {
      candidates: [{ content: { parts: [{ text: 'Ça fait quatre 🎉' }], role: 'model' }, finishReason: 'STOP', index: 0 }],
      usageMetadata: {
        promptTokenCount: 11,
        candidatesTokenCount: 14,
        totalTokenCount: 1049,
        cachedContentTokenCount: 8,
        promptTokensDetails: [{ modality: 'TEXT', tokenCount: 11 }],
        thoughtsTokenCount: 1024,
      },
      modelVersion: 'gemini-2.5-flash',
      responseId: 'kWm1aPq0LIqpnvgPn5GX-Qc',
    },
  ];
  const thinkingRequest = {
    contents: [{ role: 'user', parts: [{ text: 'What is 2+2?' }] }],
    generationConfig: { thinkingConfig: { includeThoughts: true, thinkingBudget: 1024 } },
  };
  const expectedThinking = {
    id: 'kWm1aPq0LIqpnvgPn5GX-Qc',
    model: 'gemini-2.5-flash',
    // Semconv output tokens include the thinking tokens Gemini reports outside candidatesTokenCount.
    usage: { inputTokens: 11, outputTokens: 1038, cacheReadInputTokens: 8, reasoningOutputTokens: 1024, inputByModality: { text: 11 } },
    finishReasons: ['STOP'],
    outputTextForEstimate: '**Adding the numbers**\n\nTwo plus two is four.2 + 2 = 4. Ça fait quatre 🎉',
    outputMessages: [
      {
        role: 'assistant',
        finish_reason: 'STOP',
        parts: [
          { type: 'reasoning', content: '**Adding the numbers**\n\nTwo plus two is four.' },
          { type: 'text', content: '2 + 2 = 4. Ça fait quatre 🎉' },
        ],
      },
    ],
  };

  it('accumulates an alt=sse stream with CRLF event boundaries and thinking tokens', () => {
    const url = `${GEMINI_API}/gemini-2.5-flash:streamGenerateContent?alt=sse`;
    const body = sseBody(
      thinkingChunks.map((chunk) => [undefined, chunk] as const),
      '\r\n',
    );
    const { request, response, framing, eventCount, problems } = replay(adapter, exchange(url, thinkingRequest, body, 'text/event-stream'));
    expect(framing).toBe('sse');
    expect(problems).toEqual([]);
    expect(eventCount).toBe(3);
    expect(request).toMatchObject({ model: 'gemini-2.5-flash', stream: true, attributes: { 'gen_ai.request.stream': true } });
    expect(response).toEqual(expectedThinking);
  });

  it('accumulates the JSON-array stream sent without alt=sse (content type application/json)', () => {
    const url = `${GEMINI_API}/gemini-2.5-flash:streamGenerateContent`;
    const { response, framing, eventCount, problems } = replay(
      adapter,
      exchange(url, thinkingRequest, jsonArrayBody(thinkingChunks), 'application/json; charset=UTF-8'),
    );
    expect(framing).toBe('json-array');
    expect(problems).toEqual([]);
    expect(eventCount).toBe(3);
    expect(response).toEqual(expectedThinking);
  });

  const fullRequest = {
    systemInstruction: { parts: [{ text: 'You are a weather bot.' }] },
    contents: [
      { role: 'user', parts: [{ text: 'Weather in Rome?' }, { inlineData: { mimeType: 'image/jpeg', data: '/9j/4AAQSkZJRg==' } }] },
      { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Rome' } } }] },
      { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { temperature: 24 } } }] },
    ],
    tools: [{ functionDeclarations: [{ name: 'get_weather', parameters: { type: 'OBJECT', properties: { city: { type: 'STRING' } } } }] }],
    generationConfig: {
      temperature: 0.4,
      topP: 0.95,
      topK: 32,
      maxOutputTokens: 512,
      candidateCount: 1,
      stopSequences: ['STOP!'],
      seed: 7,
      presencePenalty: 0.1,
      frequencyPenalty: 0.2,
      responseMimeType: 'application/json',
    },
  };

  it('parses every generationConfig parameter, system instruction, function calls and responses (Vertex URL)', () => {
    const request = parseRequestWithContent(
      adapter,
      toLlmRequest(exchange(`${VERTEX}/gemini-2.0-flash-001:generateContent`, fullRequest, '', 'application/json').request),
    );
    expect(request.operation).toBe('generate_content');
    expect(request.model).toBe('gemini-2.0-flash-001');
    expect(request.attributes).toEqual({
      'gen_ai.request.temperature': 0.4,
      'gen_ai.request.top_p': 0.95,
      'gen_ai.request.top_k': 32,
      'gen_ai.request.max_tokens': 512,
      'gen_ai.request.choice.count': 1,
      'gen_ai.request.seed': 7,
      'gen_ai.request.presence_penalty': 0.1,
      'gen_ai.request.frequency_penalty': 0.2,
      'gen_ai.request.stop_sequences': ['STOP!'],
      'gen_ai.output.type': 'json',
    });
    expect(request.systemInstructions).toEqual([{ type: 'text', content: 'You are a weather bot.' }]);
    expect(request.inputMessages).toEqual([
      {
        role: 'user',
        parts: [
          { type: 'text', content: 'Weather in Rome?' },
          { type: 'omitted_blob', modality: 'image', mime_type: 'image/jpeg' },
        ],
      },
      { role: 'assistant', parts: [{ type: 'tool_call', id: undefined, name: 'get_weather', arguments: { city: 'Rome' } }] },
      { role: 'user', parts: [{ type: 'tool_call_response', id: undefined, response: { temperature: 24 } }] },
    ]);
    // The REST API also accepts snake_case field names.
    const snake = parseRequestWithContent(
      adapter,
      toLlmRequest(
        exchange(
          `${GEMINI_API}/gemini-2.0-flash:generateContent`,
          { contents: [], system_instruction: { parts: [{ text: 'Hi' }] }, generation_config: { max_output_tokens: 64, top_k: 3 } },
          '',
          'application/json',
        ).request,
      ),
    );
    expect(snake.attributes).toEqual({ 'gen_ai.request.max_tokens': 64, 'gen_ai.request.top_k': 3 });
    expect(snake.systemInstructions).toEqual([{ type: 'text', content: 'Hi' }]);
  });

  it('reads a function call and several candidates from a Vertex JSON-array stream', () => {
    const url = `${VERTEX}/gemini-2.0-flash-001:streamGenerateContent`;
    const body = jsonArrayBody([
      {
        candidates: [
          { content: { role: 'model', parts: [{ text: 'Checking' }] }, index: 0 },
          { content: { role: 'model', parts: [{ text: 'Let me look' }] }, index: 1 },
        ],
        usageMetadata: { trafficType: 'ON_DEMAND' },
        modelVersion: 'gemini-2.0-flash-001',
        createTime: '2025-08-21T10:00:00.000000Z',
        responseId: 'vtx-1',
      },
      {
        candidates: [
          { content: { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Rome', unit: 'C' } } }] }, finishReason: 'STOP', index: 0 },
          { content: { role: 'model', parts: [{ text: ' it up.' }] }, finishReason: 'MAX_TOKENS', index: 1 },
        ],
        usageMetadata: { promptTokenCount: 40, candidatesTokenCount: 21, totalTokenCount: 61, toolUsePromptTokenCount: 5, trafficType: 'ON_DEMAND' },
        modelVersion: 'gemini-2.0-flash-001',
        responseId: 'vtx-1',
      },
    ]);
    const { response } = replay(adapter, exchange(url, { ...fullRequest, generationConfig: { candidateCount: 2 } }, body, 'application/json'));
    expect(response.id).toBe('vtx-1');
    expect(response.usage).toEqual({ inputTokens: 45, outputTokens: 21, cacheReadInputTokens: undefined, reasoningOutputTokens: undefined });
    expect(response.finishReasons).toEqual(['STOP', 'MAX_TOKENS']);
    expect(response.outputMessages).toEqual([
      {
        role: 'assistant',
        finish_reason: 'STOP',
        parts: [
          { type: 'text', content: 'Checking' },
          { type: 'tool_call', id: undefined, name: 'get_weather', arguments: { city: 'Rome', unit: 'C' } },
        ],
      },
      { role: 'assistant', finish_reason: 'MAX_TOKENS', parts: [{ type: 'text', content: 'Let me look it up.' }] },
    ]);
  });

  it('reports an error element in a stream, a blocked prompt, and error bodies', () => {
    const url = `${GEMINI_API}/gemini-2.5-pro:streamGenerateContent`;
    const body = jsonArrayBody([
      { candidates: [{ content: { role: 'model', parts: [{ text: 'Once' }] }, index: 0 }], modelVersion: 'gemini-2.5-pro', responseId: 'r-2' },
      { error: { code: 503, message: 'The model is overloaded. Please try again later.', status: 'UNAVAILABLE' } },
    ]);
    const { response } = replay(adapter, exchange(url, thinkingRequest, body, 'application/json'));
    expect(response.error).toEqual({ type: 'UNAVAILABLE', message: 'The model is overloaded. Please try again later.' });
    expect(response.id).toBe('r-2');

    const blocked = JSON.stringify({
      promptFeedback: { blockReason: 'PROHIBITED_CONTENT' },
      usageMetadata: { promptTokenCount: 9, totalTokenCount: 9 },
      modelVersion: 'gemini-2.5-pro',
      responseId: 'r-3',
    });
    const blockedResponse = replay(adapter, exchange(`${GEMINI_API}/gemini-2.5-pro:generateContent`, thinkingRequest, blocked, 'application/json')).response;
    expect(blockedResponse.finishReasons).toEqual(['PROHIBITED_CONTENT']);
    expect(blockedResponse.usage).toEqual({ inputTokens: 9, outputTokens: undefined, cacheReadInputTokens: undefined, reasoningOutputTokens: undefined });

    const quota = {
      error: {
        code: 429,
        message: 'You exceeded your current quota, please check your plan and billing details.',
        status: 'RESOURCE_EXHAUSTED',
        details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '41s' }],
      },
    };
    expect(adapter.parseError(quota, 429)).toEqual({ type: 'RESOURCE_EXHAUSTED', message: quota.error.message });
    expect(adapter.parseError([quota], 429)).toEqual({ type: 'RESOURCE_EXHAUSTED', message: quota.error.message });
  });

  it('picks the stream framing from the URL', () => {
    const framing = (url: string) => adapter.streamFraming?.(toLlmRequest(exchange(url, {}, '', 'application/json').request));
    expect(framing(`${GEMINI_API}/gemini-2.5-flash:streamGenerateContent?alt=sse`)).toBe('sse');
    expect(framing(`${GEMINI_API}/gemini-2.5-flash:streamGenerateContent`)).toBe('json-array');
    expect(framing(`${GEMINI_API}/gemini-2.5-flash:generateContent`)).toBe('json');
  });
});
