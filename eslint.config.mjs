// ESLint 9 flat config for the whole repository (`npx eslint .`; `npm run validate` stages lwc-eslint and
// code-eslint).
//
// - LWC components (force-app/**/lwc, and the validate fixtures when the stage lints them explicitly):
//   @salesforce/eslint-config-lwc `recommended` (JS) / `recommendedTs` (TS), which bring @lwc/eslint-plugin-lwc,
//   @salesforce/eslint-plugin-lightning, eslint-plugin-import and eslint-plugin-jest, plus the `platform`
//   rules of @lwc/eslint-plugin-lwc-platform (no $A, no Aura interop) and dynamic import bans (LWC1503).
// - TypeScript is parsed by @babel/eslint-parser with the TS plugin (the config's TS variant). Its scope
//   analysis does not know types, so `no-undef` and `no-unused-vars` give false reports on TS: both are off
//   for .ts and tsc covers them (strict, noUnusedLocals, noUnusedParameters).
// - phone-core/src must stay platform-free: importing `lwc`, `lightning/*` or `@salesforce/*` is an error.
// - Generated code is not linted: the `.js` that `npm run build` writes beside each LWC `.ts` (we lint the
//   `.ts`), a hand-written JS-only component is still linted; static resources (bundled); validate-fixtures
//   (bad on purpose: the validate stages lint them with `ignore: false`).
import js from '@eslint/js';
import lwcConfig from '@salesforce/eslint-config-lwc';
import lwcPlatform from '@lwc/eslint-plugin-lwc-platform';
import globals from 'globals';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(fileURLToPath(import.meta.url));

/** Where LWC components live; the fixtures are only linted when named explicitly (see ignores). */
const LWC_DIRS = ['force-app/**/lwc/**', 'validate-fixtures/**/lwc/**'];
const LWC_JS = LWC_DIRS.map((dir) => `${dir}/*.js`);
const LWC_TS = LWC_DIRS.map((dir) => `${dir}/*.ts`);
const LWC_TESTS = LWC_DIRS.map((dir) => `${dir}/__tests__/**/*.{js,ts}`);
const JEST_TESTS = [
    'phone-core/test/**/*.ts',
    'voice-connector/test/**/*.ts',
    'scripts/test/**/*.ts',
    ...LWC_TESTS
];

/** `force-app/.../lwc/x/x.js` for every `x.ts` beside it: build output, the `.ts` is what gets linted. */
function generatedLwcJavaScript(dir = path.join(root, 'force-app'), insideLwc = false) {
    let entries;
    try {
        entries = readdirSync(dir, { withFileTypes: true });
    } catch {
        return [];
    }
    const names = new Set(entries.map((entry) => entry.name));
    const found = [];
    for (const entry of entries) {
        if (entry.isDirectory()) {
            if (entry.name !== 'node_modules') {
                found.push(
                    ...generatedLwcJavaScript(path.join(dir, entry.name), insideLwc || entry.name === 'lwc')
                );
            }
        } else if (insideLwc && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
            const js = entry.name.replace(/\.ts$/, '.js');
            if (names.has(js)) found.push(path.relative(root, path.join(dir, js)).split(path.sep).join('/'));
        }
    }
    return found;
}

/** The TS variant's parser options (Babel with the `typescript` and `decorators` plugins). */
const tsLanguageOptions = lwcConfig.configs.recommendedTs.at(-1).languageOptions;

/** Browser APIs that Lightning Web Security blocks: code using them works in Jest and fails in the org. */
const LWS_BLOCKED_GLOBALS = [
    { name: 'Worker', message: 'Lightning Web Security blocks Worker.' },
    { name: 'SharedWorker', message: 'Lightning Web Security blocks SharedWorker.' }
];
/** The LWC config's own restricted globals (`event`, `name`, `status`...), kept when adding ours. */
const LWC_RESTRICTED_GLOBALS = lwcConfig.configs.recommended
    .map((config) => config.rules?.['no-restricted-globals'])
    .find(Boolean)
    .slice(1);

/** Limits `configs` to `files` (the shared configs have no `files` of their own and would apply everywhere). */
const scoped = (configs, files) => configs.map((config) => ({ ...config, files }));

export default [
    {
        name: 'ccphone/ignores',
        ignores: [
            '**/node_modules/**',
            'build/**',
            'coverage/**',
            '.sf/**',
            '.sfdx/**',
            'test-results/**',
            '**/staticresources/**',
            'validate-fixtures/**',
            // declarations: tsc reads them, Babel's parser does not
            '**/*.d.ts',
            ...generatedLwcJavaScript()
        ]
    },

    // Everything JavaScript: the tooling scripts run on Node.
    {
        ...js.configs.recommended,
        name: 'ccphone/javascript',
        files: ['**/*.{js,mjs,cjs}'],
        ignores: LWC_JS,
        languageOptions: { ecmaVersion: 'latest', sourceType: 'module', globals: { ...globals.node } }
    },
    {
        name: 'ccphone/commonjs',
        files: ['**/*.cjs', 'jest.config.js'],
        languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } }
    },

    // Everything TypeScript outside LWC (phone-core, tests, simulator, e2e...): parsed, recommended rules.
    {
        ...js.configs.recommended,
        name: 'ccphone/typescript',
        files: ['**/*.ts'],
        ignores: LWC_TS,
        languageOptions: { ...tsLanguageOptions, globals: { ...globals.browser, ...globals.node } }
    },

    // LWC components.
    ...scoped(lwcConfig.configs.recommended, LWC_JS),
    ...scoped(lwcConfig.configs.recommendedTs, LWC_TS),
    ...scoped(lwcPlatform.configs.platform, [...LWC_JS, ...LWC_TS]),
    {
        name: 'ccphone/lwc',
        files: [...LWC_JS, ...LWC_TS],
        rules: {
            // The deploy-time compiler rejects these (LWC1503); catch them at lint time too.
            '@lwc/lwc-platform/no-dynamic-import': 'error',
            '@lwc/lwc/no-leaky-event-listeners': 'error',
            '@lwc/lwc/consistent-component-name': 'error',
            // `void promise;` marks a promise deliberately not awaited (event handlers, lifecycle hooks)
            'no-void': ['error', { allowAsStatement: true }],
            'no-restricted-globals': ['error', ...LWC_RESTRICTED_GLOBALS, ...LWS_BLOCKED_GLOBALS]
        }
    },

    // phone-core: pure TypeScript that runs inside LWS, no platform imports.
    {
        name: 'ccphone/phone-core',
        files: ['phone-core/src/**/*.ts', 'validate-fixtures/*/phone-core/src/**/*.ts'],
        languageOptions: { globals: { ...globals.browser } },
        rules: {
            'no-restricted-imports': [
                'error',
                {
                    paths: [{ name: 'lwc', message: 'phone-core is platform-free: no lwc imports.' }],
                    patterns: [
                        {
                            group: ['lwc/*', 'lightning/*', '@salesforce/*'],
                            message:
                                'phone-core is platform-free: the LWC host injects platform services through ports.'
                        }
                    ]
                }
            ],
            'no-restricted-globals': ['error', ...LWS_BLOCKED_GLOBALS]
        }
    },

    // voice-connector: the Salesforce Voice connector, bundled for the softphone's connector frame. It may
    // import the base library (@salesforce/scv-connector-base) but nothing of LWC or Lightning.
    {
        name: 'ccphone/voice-connector',
        files: ['voice-connector/src/**/*.ts'],
        languageOptions: { globals: { ...globals.browser } },
        rules: {
            'no-restricted-imports': [
                'error',
                {
                    paths: [{ name: 'lwc', message: 'the Voice connector runs outside LWC.' }],
                    patterns: [
                        { group: ['lwc/*', 'lightning/*'], message: 'the Voice connector runs outside LWC.' }
                    ]
                }
            ],
            'no-restricted-globals': ['error', ...LWS_BLOCKED_GLOBALS]
        }
    },

    // Browser-driving code (Playwright page functions, the customer page, the workbench, call benchmarks)
    // runs partly in Node and partly in the page: both sets of globals apply.
    {
        name: 'ccphone/browser-and-node',
        files: [
            'e2e/**/*.{js,mjs,ts}',
            'simulator/customer/**/*.{js,mjs,ts}',
            'workbench/**/*.{js,mjs,ts}',
            'bench/**/*.{js,mjs}'
        ],
        languageOptions: { globals: { ...globals.browser, ...globals.node } },
        // `_name` marks a value deliberately left unused (e.g. rest-destructuring a field away)
        rules: {
            'no-unused-vars': [
                'error',
                { varsIgnorePattern: '^_', argsIgnorePattern: '^_', ignoreRestSiblings: true }
            ]
        }
    },

    // TypeScript everywhere: tsc checks names and unused code with type knowledge.
    {
        name: 'ccphone/typescript-tsc-covers',
        files: ['**/*.ts'],
        rules: { 'no-undef': 'off', 'no-unused-vars': 'off', 'no-redeclare': 'off' }
    },

    // Jest tests.
    {
        name: 'ccphone/jest',
        files: JEST_TESTS,
        languageOptions: { globals: { ...globals.jest, ...globals.node } }
    },
    {
        name: 'ccphone/lwc-jest',
        files: LWC_TESTS,
        // tests drive timers and query the DOM they rendered
        rules: { '@lwc/lwc/no-async-operation': 'off', '@lwc/lwc/no-document-query': 'off' }
    }
];
