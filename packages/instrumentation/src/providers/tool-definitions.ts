import type { ToolDefinition } from '../content/messages';
import { asArray, asObject, asString, type JsonObject } from './json-access';
import { protoField } from './gemini-path';

/**
 * The tools a request offers, per protocol, in the semconv tool-definition schema. Tools with no name
 * (OpenAI built-ins such as `{type: 'web_search'}`) are named by their type.
 */
function definition(type: string, name: string | undefined, description: string | undefined, parameters: unknown): ToolDefinition {
  const tool: ToolDefinition = { type, name: name ?? type };
  if (description !== undefined) tool.description = description;
  if (parameters !== undefined) tool.parameters = parameters;
  return tool;
}

function list(values: unknown, read: (tool: JsonObject) => ToolDefinition | undefined): ToolDefinition[] | undefined {
  const tools: ToolDefinition[] = [];
  for (const item of asArray(values) ?? []) {
    const object = asObject(item);
    const tool = object && read(object);
    if (tool) tools.push(tool);
  }
  return tools.length > 0 ? tools : undefined;
}

/** Chat completions: `tools: [{type: 'function', function: {...}}]`, or the legacy `functions: [{...}]`. */
export function chatToolDefinitions(body: JsonObject): ToolDefinition[] | undefined {
  const fn = (object: JsonObject | undefined) => object && definition('function', asString(object.name), asString(object.description), object.parameters);
  const tools = list(body.tools, (tool) => {
    const type = asString(tool.type) ?? 'function';
    return type === 'function' ? fn(asObject(tool.function)) : definition(type, asString(asObject(tool[type])?.name), undefined, undefined);
  });
  return tools ?? list(body.functions, (object) => fn(object));
}

/** Responses: `{type: 'function', name, description, parameters}` or a built-in `{type: 'web_search'}`. */
export function responsesToolDefinitions(body: JsonObject): ToolDefinition[] | undefined {
  return list(body.tools, (tool) => definition(asString(tool.type) ?? 'function', asString(tool.name), asString(tool.description), tool.parameters));
}

/** Anthropic: `{name, description, input_schema}`, or a server tool `{type: 'web_search_20250305', name}`. */
export function anthropicToolDefinitions(body: JsonObject): ToolDefinition[] | undefined {
  return list(body.tools, (tool) => {
    const type = asString(tool.type);
    const server = type !== undefined && type !== 'custom';
    return definition(server ? type : 'function', asString(tool.name), asString(tool.description), tool.input_schema);
  });
}

/** Gemini: `tools: [{functionDeclarations: [{name, description, parameters}]}, {googleSearch: {}}]`. */
export function geminiToolDefinitions(body: JsonObject): ToolDefinition[] | undefined {
  const tools: ToolDefinition[] = [];
  for (const item of asArray(body.tools) ?? []) {
    const tool = asObject(item);
    if (!tool) continue;
    const declarations = asArray(protoField(tool, 'functionDeclarations'));
    if (declarations) {
      for (const declaration of declarations) {
        const fn = asObject(declaration);
        if (fn)
          tools.push(
            definition('function', asString(fn.name), asString(fn.description), protoField(fn, 'parameters') ?? protoField(fn, 'parametersJsonSchema')),
          );
      }
    } else {
      for (const key of Object.keys(tool)) tools.push(definition(key, key, undefined, undefined));
    }
  }
  return tools.length > 0 ? tools : undefined;
}
