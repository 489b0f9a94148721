import { isAbsolute, relative, resolve } from 'node:path';
import { FILE_PATH, TemplateError } from './template-error.js';

/** Where `/canevas start template:<name>` looks: chat users name a file there, never a server path. */
export const TEMPLATES_FOLDER = 'templates';

/**
 * Resolves a template name typed in chat to a file inside `folder`. A chat admin is not the server's
 * operator: absolute paths, `..` and anything but .yaml/.yml are refused, so no other file is read.
 */
export function resolveTemplateName(name: string, folder = resolve(TEMPLATES_FOLDER)): string {
  const file = resolve(folder, name);
  const inside = relative(folder, file);
  if (isAbsolute(name) || inside.startsWith('..') || isAbsolute(inside) || !/\.ya?ml$/i.test(name)) {
    throw new TemplateError(name, [
      {
        path: FILE_PATH,
        problem: `name a .yaml file inside the ${TEMPLATES_FOLDER}/ folder, e.g. template:my-canvas.yaml`,
      },
    ]);
  }
  return file;
}
