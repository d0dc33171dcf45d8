import { Kind, visit, type DocumentNode, type ValueNode } from 'graphql';
import { BadUserInputError } from '../errors';

/** C0 controls but tab, line feed and carriage return; DEL; C1 controls. NUL is among them: PostgreSQL cannot store it in text, SQLite's parser stops at it. */
// eslint-disable-next-line no-control-regex -- finding control characters is this pattern's purpose.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

/**
 * Every string a request carries, in the document's arguments or in its
 * variables, is checked here before anything runs: a control character
 * other than tab and line breaks is BAD_USER_INPUT naming where it is
 * ("input.name", "filter.text", "input.locations[0].schedules[1].notes").
 * Nothing is written.
 */
export function assertNoControlCharacters(document: DocumentNode, variables: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(variables)) checkJson(value, name);
  visit(document, {
    Argument(node) {
      checkLiteral(node.value, node.name.value);
    },
  });
}

/** Iterative, not recursive: variables nested thousands deep (graphql-js refuses them later) must not overflow the stack here. */
function checkJson(root: unknown, rootPath: string): void {
  const pending: Array<[unknown, string]> = [[root, rootPath]];
  while (pending.length > 0) {
    const [value, path] = pending.pop()!;
    if (typeof value === 'string') checkText(value, path);
    else if (Array.isArray(value)) value.forEach((item, index) => pending.push([item, `${path}[${index}]`]));
    else if (value !== null && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        checkText(key, path);
        pending.push([inner, `${path}.${key}`]);
      }
    }
  }
}

function checkLiteral(value: ValueNode, path: string): void {
  if (value.kind === Kind.STRING) checkText(value.value, path);
  else if (value.kind === Kind.LIST) value.values.forEach((item, index) => checkLiteral(item, `${path}[${index}]`));
  else if (value.kind === Kind.OBJECT) value.fields.forEach((field) => checkLiteral(field.value, `${path}.${field.name.value}`));
}

function checkText(text: string, path: string): void {
  const found = CONTROL.exec(text);
  if (!found) return;
  const code = found[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
  // Raised before execution, so it carries its own HTTP status.
  throw new BadUserInputError(path, `must not contain control characters (found U+${code} at position ${found.index + 1}); only tabs and line breaks are allowed.`, 400);
}
