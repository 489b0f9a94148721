import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TemplateError } from '../../src/canvas/template-error.js';
import { resolveTemplateName } from '../../src/canvas/template-folder.js';

describe('template names typed in chat', () => {
  const folder = resolve('templates');

  it('resolve inside the templates folder', () => {
    expect(resolveTemplateName('my-canvas.yaml', folder)).toBe(join(folder, 'my-canvas.yaml'));
    expect(resolveTemplateName('team/short.yml', folder)).toBe(join(folder, 'team', 'short.yml'));
  });

  it.each(['/etc/passwd', '../package.json', 'a/../../secret.yaml', 'notes.txt', '/tmp/x.yaml'])(
    'refuse %j without reading it',
    (name) => {
      expect(() => resolveTemplateName(name, folder)).toThrowError(TemplateError);
      expect(() => resolveTemplateName(name, folder)).toThrowError(/inside the templates\/ folder/);
    },
  );
});
