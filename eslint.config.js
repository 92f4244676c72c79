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
const restrict = (...patterns) => ['error', { patterns }];

module.exports = tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'coverage/**', 'test-artifacts/**', 'src/playground/static/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-require-imports': 'off',
      'no-restricted-imports': restrict(sdk, bolt, handlers),
    },
  },
  { files: ['src/aws/**'], rules: { 'no-restricted-imports': restrict(bolt, handlers, views, servicesFromAdapter) } },
  { files: ['src/log/**'], rules: { 'no-restricted-imports': restrict(sdk, handlers, adapters) } },
  { files: ['src/playground/**'], rules: { 'no-restricted-imports': restrict(sdk) } },
  { files: ['src/main.ts'], rules: { 'no-restricted-imports': restrict(sdk) } },
  { files: ['src/views/**', 'src/charts/**'], rules: { 'no-restricted-imports': restrict(sdk, bolt, handlers, adapters, services) } },
  { files: ['src/policy/**', 'src/config/**', 'src/errors.ts'], rules: { 'no-restricted-imports': restrict(sdk, bolt, handlers, adapters, views) } },
  // Ports are interfaces only; the types in their signatures come from the models.
  { files: ['src/ports/**'], rules: { 'no-restricted-imports': restrict(sdk, bolt, handlers, adapters, views, services) } },
  { files: ['src/commands/**'], rules: { 'no-restricted-imports': restrict(sdk, bolt, handlers, adapters, views, servicesFromGrammar) } },
  { files: ['src/common/**', 'src/text.ts'], rules: { 'no-restricted-imports': restrict(sdk, bolt, handlers, adapters, views, services) } },
  { files: ['src/{reach,chaos,metrics,grafana,reports}/**'], rules: { 'no-restricted-imports': restrict(sdk, bolt, handlers, adapters, views) } },
  { files: ['src/{store,sandbox}/**'], rules: { 'no-restricted-imports': restrict(sdk, bolt, handlers, views, servicesFromAdapter) } },
  // A model is data and pure helpers: it imports other models and the shared pure modules, nothing with behaviour.
  { files: ['src/*/model.ts'], rules: { 'no-restricted-imports': restrict(sdk, bolt, handlers, adapters, views, services) } },
  { files: ['handlers/**'], rules: { 'no-restricted-imports': restrict(sdk, adapters) } },
  // design.md §3: a file over ~200 lines has two reasons to change; 250 lines of code (comments and blank lines aside) is the hard stop.
  { files: ['src/**/*.ts', 'handlers/**/*.ts'], rules: { 'max-lines': ['error', { max: 250, skipBlankLines: true, skipComments: true }] } },
  { files: ['test/**', 'scripts/**', '*.js'], rules: { 'no-restricted-imports': 'off' } },
);
