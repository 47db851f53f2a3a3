import { describe, expect, it } from 'vitest';
import { anthropicToolDefinitions, chatToolDefinitions, geminiToolDefinitions, responsesToolDefinitions } from '../../src/providers/tool-definitions';

// gen_ai.tool.definitions (opt-in with content capture): each protocol's tool list in the semconv
// tool-definition schema, `type` and `name` always present.
const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };

describe('tool definitions per protocol', () => {
  it('chat completions (and Ollama): function tools and named custom tools', () => {
    expect(
      chatToolDefinitions({
        tools: [
          { type: 'function', function: { name: 'weather', description: 'Weather by city', parameters: schema } },
          { type: 'custom', custom: { name: 'sql' } },
        ],
      }),
    ).toEqual([
      { type: 'function', name: 'weather', description: 'Weather by city', parameters: schema },
      { type: 'custom', name: 'sql' },
    ]);
    expect(chatToolDefinitions({ messages: [] })).toBeUndefined();
  });

  it('Responses: functions and built-in tools named by their type', () => {
    expect(responsesToolDefinitions({ tools: [{ type: 'function', name: 'weather', parameters: schema }, { type: 'web_search' }] })).toEqual([
      { type: 'function', name: 'weather', parameters: schema },
      { type: 'web_search', name: 'web_search' },
    ]);
  });

  it('Anthropic: client tools are functions, server tools keep their versioned type', () => {
    expect(
      anthropicToolDefinitions({
        tools: [
          { name: 'weather', description: 'Weather by city', input_schema: schema },
          { type: 'web_search_20250305', name: 'web_search', max_uses: 3 },
        ],
      }),
    ).toEqual([
      { type: 'function', name: 'weather', description: 'Weather by city', parameters: schema },
      { type: 'web_search_20250305', name: 'web_search' },
    ]);
  });

  it('Gemini: function declarations (camelCase or snake_case) and built-in tools', () => {
    expect(
      geminiToolDefinitions({
        tools: [{ functionDeclarations: [{ name: 'weather', description: 'Weather by city', parameters: schema }] }, { google_search: {} }],
      }),
    ).toEqual([
      { type: 'function', name: 'weather', description: 'Weather by city', parameters: schema },
      { type: 'google_search', name: 'google_search' },
    ]);
    expect(geminiToolDefinitions({ tools: [{ function_declarations: [{ name: 'weather' }] }] })).toEqual([{ type: 'function', name: 'weather' }]);
  });
});
