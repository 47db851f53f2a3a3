/** Own properties to define on many objects, as parallel lists (made once). */
export interface OwnProperties {
  readonly keys: readonly PropertyKey[];
  readonly descriptors: readonly PropertyDescriptor[];
}

export function ownProperties(map: PropertyDescriptorMap): OwnProperties {
  const keys = Reflect.ownKeys(map);
  return { keys, descriptors: keys.map((key) => map[key as keyof PropertyDescriptorMap]) };
}

/**
 * Defines the properties one by one. `Object.defineProperties` first converts every descriptor of
 * the map, on every call; one `defineProperty` each, in the same order on objects of one shape, is
 * cheaper (issue 11: measured on Node 20, ~1.8 vs ~1.4 µs for a Response's eight own methods).
 */
export function defineOwn(target: object, properties: OwnProperties): void {
  const { keys, descriptors } = properties;
  for (let i = 0; i < keys.length; i++) Object.defineProperty(target, keys[i], descriptors[i]);
}
