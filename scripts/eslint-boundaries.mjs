// The house's import boundaries as one ESLint rule. Unlike no-restricted-imports, it resolves a relative
// specifier against the importing file, so `../../http/route` and `../../../backend/src/x` are judged by where
// they land, not by how many `../` they spell; and one file can sit under several boundaries at once.
import path from 'node:path';

/** Where the specifier lands: an absolute path for relative ones, the package name for bare ones. */
function target(filename, specifier) {
  if (specifier.startsWith('.') || specifier.startsWith('/')) return { file: path.resolve(path.dirname(filename), specifier) };
  const parts = specifier.split('/');
  return { pkg: specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0] };
}

const inside = (file, dir) => file === dir || file.startsWith(dir + path.sep);

/**
 * Options: `{ rules: [{ denyDirs?, except?, denyPackages?, allowDirs?, allowPackages?, message }] }`; absolute directories.
 * - `denyDirs`: a relative import landing inside one of them is an error, unless it lands inside one of `except`.
 * - `denyPackages`: a bare import of one of these packages (or their subpaths) is an error.
 * - `allowDirs` + `allowPackages`: an allow-list; any import that is neither is an error.
 */
const boundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'Imports stay within the boundaries ARCHITECTURE.md draws between parts.' },
    schema: [{ type: 'object', properties: { rules: { type: 'array' } }, additionalProperties: false }],
    messages: { crossed: "'{{specifier}}': {{message}}" },
  },
  create(context) {
    const rules = context.options[0]?.rules ?? [];
    const check = (node, source) => {
      if (!source || typeof source.value !== 'string') return;
      const specifier = source.value;
      const to = target(context.filename, specifier);
      for (const rule of rules) {
        let crossed = false;
        if (to.file) {
          if (rule.denyDirs?.some((d) => inside(to.file, d)) && !rule.except?.some((d) => inside(to.file, d))) crossed = true;
          if (rule.allowDirs && !rule.allowDirs.some((d) => inside(to.file, d))) crossed = true;
        } else {
          if (rule.denyPackages?.includes(to.pkg)) crossed = true;
          if (rule.allowPackages && !rule.allowPackages.includes(to.pkg)) crossed = true;
        }
        if (crossed) {
          context.report({ node, messageId: 'crossed', data: { specifier, message: rule.message } });
          return;
        }
      }
    };
    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source.type === 'Literal' ? node.source : null),
      // `import('x').Type` in a type position
      TSImportType: (node) => check(node, node.source),
      // `import x = require('x')`
      TSExternalModuleReference: (node) => check(node, node.expression),
    };
  },
};

export default { rules: { boundaries } };
