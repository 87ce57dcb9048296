/**
 * A small OpenAPI 3 schema check, enough for the documents Nest's swagger module writes: $ref,
 * allOf, nullable, type, enum, pattern, required, properties and items. It is strict where the
 * spec is silent: a property the schema does not list is reported, so the document cannot
 * drift from what the routes really answer.
 */
export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema>; securitySchemes?: Record<string, Record<string, unknown>> };
}

export interface Operation {
  responses: Record<string, { description?: string; content?: Record<string, { schema: Schema }> }>;
}

export interface Schema {
  $ref?: string;
  allOf?: Schema[];
  nullable?: boolean;
  type?: string;
  enum?: unknown[];
  pattern?: string;
  required?: string[];
  properties?: Record<string, Schema>;
  items?: Schema;
}

/** The schema documented for one response, by path template, method and status. */
export function responseSchema(doc: OpenApiDocument, path: string, method: string, status: number): Schema {
  const response = doc.paths[path]?.[method]?.responses[String(status)];
  const schema = response?.content?.['application/json']?.schema;
  if (!schema) throw new Error(`no JSON schema documented for ${method.toUpperCase()} ${path} ${status}`);
  return schema;
}

/** Every place `value` breaks `schema`, as "at: what"; empty when it conforms. */
export function schemaErrors(doc: OpenApiDocument, schema: Schema, value: unknown, at = '$'): string[] {
  if (schema.$ref) return schemaErrors(doc, resolve(doc, schema.$ref), value, at);
  if (value === null) return schema.nullable ? [] : [`${at}: null is not allowed`];
  if (schema.allOf) return schema.allOf.flatMap((s) => schemaErrors(doc, s, value, at));
  const errors: string[] = [];
  if (schema.enum && !schema.enum.includes(value)) errors.push(`${at}: ${JSON.stringify(value)} not in enum`);
  switch (schema.type) {
    case 'string':
      if (typeof value !== 'string') return [`${at}: expected a string`];
      if (schema.pattern && !new RegExp(schema.pattern).test(value))
        errors.push(`${at}: "${value}" does not match ${schema.pattern}`);
      break;
    case 'number':
    case 'integer':
      if (typeof value !== 'number') return [`${at}: expected a number`];
      if (schema.type === 'integer' && !Number.isInteger(value)) errors.push(`${at}: expected an integer`);
      break;
    case 'boolean':
      if (typeof value !== 'boolean') return [`${at}: expected a boolean`];
      break;
    case 'array':
      if (!Array.isArray(value)) return [`${at}: expected an array`];
      value.forEach((item, i) => errors.push(...schemaErrors(doc, schema.items ?? {}, item, `${at}[${i}]`)));
      break;
    default:
      if (schema.type === 'object' || schema.properties) errors.push(...objectErrors(doc, schema, value, at));
  }
  return errors;
}

function objectErrors(doc: OpenApiDocument, schema: Schema, value: unknown, at: string): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return [`${at}: expected an object`];
  const record = value as Record<string, unknown>;
  const properties = schema.properties ?? {};
  const errors = (schema.required ?? [])
    .filter((name) => !(name in record))
    .map((name) => `${at}.${name}: required, missing`);
  for (const [name, v] of Object.entries(record)) {
    const property = properties[name];
    if (!property) errors.push(`${at}.${name}: not in the schema`);
    else errors.push(...schemaErrors(doc, property, v, `${at}.${name}`));
  }
  return errors;
}

function resolve(doc: OpenApiDocument, ref: string): Schema {
  const name = ref.replace('#/components/schemas/', '');
  const schema = doc.components.schemas[name];
  if (!schema) throw new Error(`unresolved ${ref}`);
  return schema;
}
