// Lint = a few correctness rules + the dependency direction of design.md §1 as restricted imports,
// so a wrong arrow fails `npm test`.
const tseslint = require('typescript-eslint');

const sdk = { group: ['@aws-sdk/*', '@smithy/*'], message: 'Only src/aws/ talks to the AWS SDK (adapters behind ports).' };
const bolt = { group: ['@slack/bolt'], message: 'Slack stays in handlers/ (plus src/main.ts, src/log/, src/playground/).' };
const handlers = { group: ['**/handlers', '**/handlers/**'], message: 'src/ never depends on handlers/ (only main.ts wires them).' };
const adapters = {
  // '!**/ports/*': ports named after an adapter folder (ports/aws, ports/store) are the interfaces to depend on.
  group: ['**/aws/*', '**/aws', '**/store/*', '**/store', '**/sandbox/*', '**/sandbox', '!**/ports/*'],
  message: 'Depend on src/ports, not on concrete adapters; main.ts wires them.',
};
const views = { group: ['**/views/*', '**/views'], message: 'Services return domain data; only handlers render views.' };
// A service's model (src/<service>/model.ts: its domain types and pure helpers) is the vocabulary every layer
// shares; importing it never reaches the service's behaviour. Hence a regex: a service folder or any file in it
// but `model`.
const serviceRegex = '(^|/)(reach|chaos|metrics|grafana|reports)(/(?!model$)[^/]+)*$';
const services = { regex: serviceRegex, message: 'Views are pure: data in, blocks out; they never call services (their models are fine).' };
// Adapters and grammars sit below the services: what both need (cron math, Grafana's JSON and links, title
// matching, text helpers) lives in src/common/ or src/text.ts, never in a service folder.
const servicesFromAdapter = { regex: serviceRegex, message: 'Adapters implement ports; shared pure pieces live in src/common/ or src/text.ts or a model, not in a service.' };
// '^(?!\./)': a grammar's siblings (commands/chaos.ts, commands/reach.ts) share the services' names.
const servicesFromGrammar = { regex: `^(?!\\./)(.*/)?(reach|chaos|metrics|grafana|reports)(/(?!model$)[^/]+)*$`, message: 'Grammars are pure text → request; shared pure pieces live in src/common/ or src/text.ts or a model, not in a service.' };
// no-restricted-imports sees import/export declarations only; `require()`, `import()` and `typeof import()` (all
// used in src/ for lazy loading) would walk around it. This rule holds them to the same groups, matched the same way.
// The matcher ESLint's own rule uses (its dependency, resolved through it: no package of our own).
const ignore = require(require.resolve('ignore', { paths: [require.resolve('eslint')] }));
// A pattern is a gitignore-style `group` or a `regex`, as in no-restricted-imports.
const matcherOf = (g) => {
  if (g.regex) {
    const re = new RegExp(g.regex);
    return (source) => re.test(source);
  }
  const m = ignore({ allowRelativePaths: true, ignorecase: true }).add(g.group);
  return (source) => m.ignores(source);
};
const moduleReferences = {
  meta: { type: 'problem', schema: [{ type: 'array' }] },
  create(context) {
    const groups = (context.options[0] ?? []).map((g) => ({ matches: matcherOf(g), message: g.message }));
    const check = (node, source) => {
      if (typeof source !== 'string') return;
      const hit = groups.find((g) => g.matches(source));
      if (hit) context.report({ node, message: `'${source}' is restricted from being used by a pattern. ${hit.message}` });
    };
    return {
      ImportExpression: (node) => check(node, node.source.value),
      TSImportType: (node) => check(node, node.argument.literal?.value),
      'CallExpression[callee.type="Identifier"][callee.name="require"]': (node) => check(node, node.arguments[0]?.value),
    };
  },
};
const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }], 'lookout/module-references': ['error', patterns] });

module.exports = tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'coverage/**', 'test-artifacts/**', 'src/playground/static/**'] },
  ...tseslint.configs.recommended,
  { plugins: { lookout: { rules: { 'module-references': moduleReferences } } } },
  // An inline `eslint-disable` would switch off the import direction or the size limit for one file: not allowed.
  { files: ['src/**', 'handlers/**'], linterOptions: { noInlineConfig: true } },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-require-imports': 'off',
      ...restrict(sdk, bolt, handlers),
    },
  },
  { files: ['src/aws/**'], rules: restrict(bolt, handlers, views, servicesFromAdapter) },
  { files: ['src/log/**'], rules: restrict(sdk, handlers, adapters) },
  { files: ['src/playground/**'], rules: restrict(sdk) },
  { files: ['src/main.ts'], rules: restrict(sdk) },
  { files: ['src/views/**', 'src/charts/**'], rules: restrict(sdk, bolt, handlers, adapters, services) },
  { files: ['src/policy/**', 'src/config/**', 'src/errors.ts'], rules: restrict(sdk, bolt, handlers, adapters, views) },
  // Ports are interfaces only; the types in their signatures come from the models.
  { files: ['src/ports/**'], rules: restrict(sdk, bolt, handlers, adapters, views, services) },
  { files: ['src/commands/**'], rules: restrict(sdk, bolt, handlers, adapters, views, servicesFromGrammar) },
  { files: ['src/common/**', 'src/text.ts'], rules: restrict(sdk, bolt, handlers, adapters, views, services) },
  { files: ['src/{reach,chaos,metrics,grafana,reports}/**'], rules: restrict(sdk, bolt, handlers, adapters, views) },
  { files: ['src/{store,sandbox}/**'], rules: restrict(sdk, bolt, handlers, views, servicesFromAdapter) },
  // A model is data and pure helpers: it imports other models and the shared pure modules, nothing with behaviour.
  { files: ['src/*/model.ts'], rules: restrict(sdk, bolt, handlers, adapters, views, services) },
  { files: ['handlers/**'], rules: restrict(sdk, adapters) },
  // design.md §3: a file over ~200 lines has two reasons to change; 250 lines of code (comments and blank lines aside) is the hard stop.
  { files: ['src/**/*.{ts,js}', 'handlers/**/*.ts'], rules: { 'max-lines': ['error', { max: 250, skipBlankLines: true, skipComments: true }] } },
  { files: ['test/**', 'scripts/**', '*.js'], rules: { 'no-restricted-imports': 'off', 'lookout/module-references': 'off' } },
);
